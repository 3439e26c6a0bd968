/*
 * tcp.mss: the value of the TCP maximum segment size option (RFC 9293
 * section 3.7.1), as a generic uint: `tcp.mss:<536`. Packets without the
 * option, and non-TCP packets, do not match.
 */
#include "detect/kw-header.h"

void *hdr_parse_tcp_mss(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("tcp.mss", value, DETECT_UINT_MAX_U16, false, err, errlen);
}

bool hdr_match_tcp_mss(const Packet *p, const void *ctx)
{
    return hdr_packet_is_tcp(p) && p->tcp.has_mss && detect_uint_match(&((const HdrUint *)ctx)->u, p->tcp.mss);
}

HDR_KEYWORD_CALLBACKS(tcp_mss, HdrUint, hdr_parse_tcp_mss, hdr_match_tcp_mss)

void hdr_register_tcp_mss(void)
{
    tcp_mss_kw_id = keyword_register(&(const KeywordDef){
            .name = "tcp.mss",
            .help = "match the TCP MSS option value",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(tcp_mss),
    });
}
