/*
 * icmp_seq: the sequence number of an ICMP message, as a generic uint,
 * optionally quoted: `icmp_seq:"1"`. Like icmp_id it only applies to the
 * messages that carry one (Packet.has_icmp_id).
 */
#include "detect/kw-header.h"

void *hdr_parse_icmp_seq(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("icmp_seq", value, DETECT_UINT_MAX_U16, true, err, errlen);
}

bool hdr_match_icmp_seq(const Packet *p, const void *ctx)
{
    return hdr_packet_is_icmp(p) && p->has_icmp_id && detect_uint_match(&((const HdrUint *)ctx)->u, p->icmp_seq);
}

HDR_KEYWORD_CALLBACKS(icmp_seq, HdrUint, hdr_parse_icmp_seq, hdr_match_icmp_seq)

void hdr_register_icmp_seq(void)
{
    icmp_seq_kw_id = keyword_register(&(const KeywordDef){
            .name = "icmp_seq",
            .help = "match the ICMP echo sequence number",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(icmp_seq),
    });
}
