/*
 * tos: the IPv4 type-of-service byte (RFC 791), `[!]N` in decimal or
 * `[!]0xNN` in hex: `tos:8`, `tos:!0x10`. Only IPv4 packets match.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "detect/kw-header.h"

void *hdr_parse_tos(const char *value, char *err, size_t errlen)
{
    const char *p = hdr_skip_ws(value ? value : "");
    bool neg = false;
    if (*p == '!') {
        neg = true;
        p = hdr_skip_ws(p + 1);
    }
    unsigned v = 0;
    int digits = 0;
    bool hex = false;
    if (*p == 'x' || *p == 'X' || (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))) {
        hex = true;
        p += (*p == '0') ? 2 : 1;
        while (isxdigit((unsigned char)*p) && digits < 3) {
            v = v * 16 + (unsigned)(isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10));
            p++;
            digits++;
        }
    } else {
        while (isdigit((unsigned char)*p) && digits < 4) {
            v = v * 10 + (unsigned)(*p - '0');
            p++;
            digits++;
        }
    }
    p = hdr_skip_ws(p);
    if (digits == 0 || (hex && digits > 2) || (!hex && digits > 3) || *p != '\0') {
        snprintf(err, errlen, "invalid tos value '%s': expected [!]N (0-255) or [!]0xNN", value ? value : "");
        return NULL;
    }
    if (v > 255) {
        snprintf(err, errlen, "tos value %u is out of range 0-255", v);
        return NULL;
    }
    HdrTos *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->negated = neg;
    c->tos = (uint8_t)v;
    return c;
}

bool hdr_match_tos(const Packet *p, const void *ctx)
{
    const HdrTos *t = ctx;
    return hdr_packet_is_ipv4(p) && ((p->ip4.tos == t->tos) != t->negated);
}

HDR_KEYWORD_CALLBACKS(tos, HdrTos, hdr_parse_tos, hdr_match_tos)

void hdr_register_tos(void)
{
    tos_kw_id = keyword_register(&(const KeywordDef){
            .name = "tos",
            .help = "match the IPv4 TOS byte: [!]N or [!]0xNN",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(tos),
    });
}
