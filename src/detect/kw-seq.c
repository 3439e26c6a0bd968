/*
 * seq: the TCP sequence number, as a generic uint (uint-match.h):
 * `seq:0`, `seq:1<>100`. Only real TCP packets match.
 */
#include "detect/kw-header.h"

void *hdr_parse_seq(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("seq", value, DETECT_UINT_MAX_U32, false, err, errlen);
}

bool hdr_match_seq(const Packet *p, const void *ctx)
{
    return hdr_packet_is_tcp(p) && detect_uint_match(&((const HdrUint *)ctx)->u, p->tcp.seq);
}

HDR_KEYWORD_CALLBACKS(seq, HdrUint, hdr_parse_seq, hdr_match_seq)

void hdr_register_seq(void)
{
    seq_kw_id = keyword_register(&(const KeywordDef){
            .name = "seq",
            .help = "match the TCP sequence number",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(seq),
    });
}
