/*
 * ack: the TCP acknowledgement number, as a generic uint (uint-match.h):
 * `ack:0`, `ack:>100`. Only real TCP packets match.
 */
#include "detect/kw-header.h"

void *hdr_parse_ack(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("ack", value, DETECT_UINT_MAX_U32, false, err, errlen);
}

bool hdr_match_ack(const Packet *p, const void *ctx)
{
    return hdr_packet_is_tcp(p) && detect_uint_match(&((const HdrUint *)ctx)->u, p->tcp.ack);
}

HDR_KEYWORD_CALLBACKS(ack, HdrUint, hdr_parse_ack, hdr_match_ack)

void hdr_register_ack(void)
{
    ack_kw_id = keyword_register(&(const KeywordDef){
            .name = "ack",
            .help = "match the TCP acknowledgement number",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(ack),
    });
}
