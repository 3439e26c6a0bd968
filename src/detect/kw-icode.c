/*
 * icode: the ICMPv4/ICMPv6 code, as a generic uint: `icode:0`,
 * `icode:3<>8`. Only ICMP packets match.
 */
#include "detect/kw-header.h"

void *hdr_parse_icode(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("icode", value, DETECT_UINT_MAX_U8, false, err, errlen);
}

bool hdr_match_icode(const Packet *p, const void *ctx)
{
    return hdr_packet_is_icmp(p) && detect_uint_match(&((const HdrUint *)ctx)->u, p->icmp_code);
}

HDR_KEYWORD_CALLBACKS(icode, HdrUint, hdr_parse_icode, hdr_match_icode)

void hdr_register_icode(void)
{
    icode_kw_id = keyword_register(&(const KeywordDef){
            .name = "icode",
            .help = "match the ICMP code",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(icode),
    });
}
