/*
 * stream_size: compares how much sequence space the client and/or server
 * side of a TCP session has used (next expected sequence number minus the
 * initial one, as Suricata computes it) with a number:
 * `stream_size:server,>,100`, `stream_size:either,<=,5`. The operator is one
 * of > < >= <= = != (or !); `both` needs both sides to satisfy it, `either`
 * one of them. Packets without a TCP session never match.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/kw-header.h"
#include "stream/stream.h"

void *hdr_parse_stream_size(const char *value, char *err, size_t errlen)
{
    static const struct {
        const char *name;
        uint8_t which;
    } sides[] = {
        {"server", HDR_SSIZE_SERVER}, {"client", HDR_SSIZE_CLIENT}, {"both", HDR_SSIZE_BOTH},
        {"either", HDR_SSIZE_EITHER},
    };
    const char *v = value ? value : "";
    const char *p = v;
    while (*p == ' ')
        p++;
    const char *w = p;
    while (isalpha((unsigned char)*p))
        p++;
    size_t wl = (size_t)(p - w);
    uint8_t which = 0;
    for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++)
        if (strlen(sides[i].name) == wl && strncmp(w, sides[i].name, wl) == 0)
            which = sides[i].which;
    if (which == 0) {
        snprintf(err, errlen,
                "invalid stream_size value '%s': the first part must be server, client, both or "
                "either",
                v);
        return NULL;
    }
    HdrStreamSize s;
    memset(&s, 0, sizeof(s));
    s.which = which;
    while (*p == ' ')
        p++;
    if (*p++ != ',')
        goto syntax;
    while (*p == ' ')
        p++;
    if (!detect_uint_parse_mode(&p, &s.u.mode))
        goto syntax;
    while (*p == ' ')
        p++;
    if (*p++ != ',')
        goto syntax;
    while (*p == ' ')
        p++;
    if (!isdigit((unsigned char)*p))
        goto syntax;
    uint64_t n = 0;
    while (isdigit((unsigned char)*p)) {
        n = n * 10 + (uint64_t)(*p - '0');
        if (n > UINT32_MAX) {
            snprintf(err, errlen, "stream_size value in '%s' is larger than 4294967295", v);
            return NULL;
        }
        p++;
    }
    while (*p == ' ')
        p++;
    if (*p != '\0')
        goto syntax;
    s.u.arg1 = n;
    HdrStreamSize *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    *c = s;
    return c;
syntax:
    snprintf(err, errlen,
            "invalid stream_size value '%s': expected <server|client|both|either>,<op>,<number> "
            "with op one of > < >= <= = !=",
            v);
    return NULL;
}

bool hdr_match_stream_size(const Packet *p, const void *ctx)
{
    const HdrStreamSize *c = ctx;
    uint32_t client, server;
    if (p->proto != 6 || hdr_packet_is_pseudo(p) || p->flow == NULL)
        return false;
    if (!stream_tcp_seq_sizes(p->flow, &client, &server))
        return false;
    bool cm = detect_uint_match(&c->u, client), sm = detect_uint_match(&c->u, server);
    switch (c->which) {
    case HDR_SSIZE_SERVER:
        return sm;
    case HDR_SSIZE_CLIENT:
        return cm;
    case HDR_SSIZE_BOTH:
        return cm && sm;
    default:
        return cm || sm;
    }
}

HDR_KEYWORD_CALLBACKS(stream_size, HdrStreamSize, hdr_parse_stream_size, hdr_match_stream_size)

void hdr_register_stream_size(void)
{
    stream_size_kw_id = keyword_register(&(const KeywordDef){
            .name = "stream_size",
            .help = "match TCP stream sizes: server|client|both|either,<op>,N",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(stream_size),
    });
}
