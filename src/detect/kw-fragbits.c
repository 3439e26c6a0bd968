/*
 * fragbits: the IPv4 fragmentation bits (RFC 791: M more fragments, D
 * don't fragment, R reserved), with the modifiers of flags (`!` not all of,
 * `+` all of them and more, `*` any of; none: exactly): `fragbits:M`,
 * `fragbits:!D`. Only IPv4 packets match.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "detect/kw-header.h"

void *hdr_parse_fragbits(const char *value, char *err, size_t errlen)
{
    const char *p = hdr_skip_ws(value ? value : "");
    HdrFragBits f = {0, 0};
    if (*p == '!' || *p == '+' || *p == '*') {
        f.modifier = *p == '!' ? HDR_FLAGS_MOD_NOT : *p == '+' ? HDR_FLAGS_MOD_PLUS : HDR_FLAGS_MOD_ANY;
        p = hdr_skip_ws(p + 1);
    }
    int found = 0;
    for (; *p && !isspace((unsigned char)*p); p++) {
        switch (*p) {
        case 'M':
        case 'm':
            f.bits |= HDR_FRAG_MF;
            break;
        case 'D':
        case 'd':
            f.bits |= HDR_FRAG_DF;
            break;
        case 'R':
        case 'r':
            f.bits |= HDR_FRAG_RF;
            break;
        default:
            snprintf(err, errlen, "invalid fragbits value '%s': '%c' is not one of M D R (after an optional ! + *)",
                    value ? value : "", *p);
            return NULL;
        }
        found++;
    }
    if (found == 0 || *hdr_skip_ws(p) != '\0') {
        snprintf(err, errlen, "invalid fragbits value '%s': expected [!+*] and bits from M D R",
                value ? value : "");
        return NULL;
    }
    HdrFragBits *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    *c = f;
    return c;
}

bool hdr_match_fragbits(const Packet *p, const void *ctx)
{
    const HdrFragBits *f = ctx;
    if (!hdr_packet_is_ipv4(p))
        return false;
    uint8_t bits = (uint8_t)((p->ip4.mf ? HDR_FRAG_MF : 0) | (p->ip4.df ? HDR_FRAG_DF : 0) |
            (p->ip4.rf ? HDR_FRAG_RF : 0));
    switch (f->modifier) {
    case HDR_FLAGS_MOD_ANY:
        return (bits & f->bits) != 0;
    case HDR_FLAGS_MOD_PLUS:
        /* all of them, and at least one more (as Suricata) */
        return (bits & f->bits) == f->bits && bits != f->bits;
    case HDR_FLAGS_MOD_NOT:
        return (bits & f->bits) != f->bits;
    default:
        return bits == f->bits;
    }
}

HDR_KEYWORD_CALLBACKS(fragbits, HdrFragBits, hdr_parse_fragbits, hdr_match_fragbits)

void hdr_register_fragbits(void)
{
    fragbits_kw_id = keyword_register(&(const KeywordDef){
            .name = "fragbits",
            .help = "match IPv4 fragment bits: [!+*]MDR",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(fragbits),
    });
}
