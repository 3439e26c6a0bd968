/*
 * itype: the ICMPv4/ICMPv6 type, as a generic uint: `itype:8`,
 * `itype:>10`. Only ICMP packets match.
 */
#include "detect/kw-header.h"

void *hdr_parse_itype(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("itype", value, DETECT_UINT_MAX_U8, false, err, errlen);
}

bool hdr_match_itype(const Packet *p, const void *ctx)
{
    return hdr_packet_is_icmp(p) && detect_uint_match(&((const HdrUint *)ctx)->u, p->icmp_type);
}

HDR_KEYWORD_CALLBACKS(itype, HdrUint, hdr_parse_itype, hdr_match_itype)

void hdr_register_itype(void)
{
    itype_kw_id = keyword_register(&(const KeywordDef){
            .name = "itype",
            .help = "match the ICMP type",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(itype),
    });
}
