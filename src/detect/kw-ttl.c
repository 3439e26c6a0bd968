/*
 * ttl: the IPv4 time to live or the IPv6 hop limit, as a generic uint
 * (uint-match.h): `ttl:64`, `ttl:<5`. Pseudo packets never match.
 */
#include "detect/kw-header.h"

void *hdr_parse_ttl(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("ttl", value, DETECT_UINT_MAX_U8, false, err, errlen);
}

bool hdr_match_ttl(const Packet *p, const void *ctx)
{
    if (!hdr_packet_is_ip(p))
        return false;
    uint8_t ttl = p->ip_version == 4 ? p->ip4.ttl : p->ip6.hop_limit;
    return detect_uint_match(&((const HdrUint *)ctx)->u, ttl);
}

HDR_KEYWORD_CALLBACKS(ttl, HdrUint, hdr_parse_ttl, hdr_match_ttl)

void hdr_register_ttl(void)
{
    ttl_kw_id = keyword_register(&(const KeywordDef){
            .name = "ttl",
            .help = "match the IPv4 TTL / IPv6 hop limit",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(ttl),
    });
}
