/*
 * icmp_id: the identifier of an ICMP message, as a generic uint,
 * optionally quoted: `icmp_id:"1234"`. As in Suricata it only applies to
 * messages that carry an identifier -- echo request/reply and, for ICMPv4,
 * timestamp, information and address-mask messages -- which the decoder
 * marks with Packet.has_icmp_id.
 */
#include "detect/kw-header.h"

void *hdr_parse_icmp_id(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("icmp_id", value, DETECT_UINT_MAX_U16, true, err, errlen);
}

bool hdr_match_icmp_id(const Packet *p, const void *ctx)
{
    return hdr_packet_is_icmp(p) && p->has_icmp_id && detect_uint_match(&((const HdrUint *)ctx)->u, p->icmp_id);
}

HDR_KEYWORD_CALLBACKS(icmp_id, HdrUint, hdr_parse_icmp_id, hdr_match_icmp_id)

void hdr_register_icmp_id(void)
{
    icmp_id_kw_id = keyword_register(&(const KeywordDef){
            .name = "icmp_id",
            .help = "match the ICMP echo id",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(icmp_id),
    });
}
