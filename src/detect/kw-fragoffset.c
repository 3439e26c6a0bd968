/*
 * fragoffset: the fragment offset of the IP header, `[!<>]N` in the
 * 8-byte units the header carries (RFC 791): `fragoffset:0`,
 * `fragoffset:>0`. Pseudo packets never match.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "detect/kw-header.h"

void *hdr_parse_fragoffset(const char *value, char *err, size_t errlen)
{
    const char *p = hdr_skip_ws(value ? value : "");
    char op = '=';
    if (*p == '!' || *p == '<' || *p == '>') {
        op = *p;
        p = hdr_skip_ws(p + 1);
    }
    unsigned long v = 0;
    int digits = 0;
    while (isdigit((unsigned char)*p)) {
        if (v <= 65535)
            v = v * 10 + (unsigned long)(*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || *hdr_skip_ws(p) != '\0') {
        snprintf(err, errlen, "invalid fragoffset value '%s': expected [!<>]N", value ? value : "");
        return NULL;
    }
    if (v > 65535) {
        snprintf(err, errlen, "fragoffset value '%s' is out of range 0-65535", value);
        return NULL;
    }
    HdrFragOffset *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->op = op;
    c->offset = (uint16_t)v;
    return c;
}

bool hdr_match_fragoffset(const Packet *p, const void *ctx)
{
    const HdrFragOffset *c = ctx;
    uint16_t off;
    if (!hdr_packet_is_ip(p))
        return false;
    if (p->ip_version == 4)
        off = p->ip4.frag_offset;
    else if (p->ip6.has_frag)
        off = p->ip6.frag_offset;
    else
        return false;
    switch (c->op) {
    case '<':
        return off < c->offset;
    case '>':
        return off > c->offset;
    case '!':
        return off != c->offset;
    default:
        return off == c->offset;
    }
}

HDR_KEYWORD_CALLBACKS(fragoffset, HdrFragOffset, hdr_parse_fragoffset, hdr_match_fragoffset)

void hdr_register_fragoffset(void)
{
    fragoffset_kw_id = keyword_register(&(const KeywordDef){
            .name = "fragoffset",
            .help = "match the IP fragment offset: [!<>]N",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(fragoffset),
    });
}
