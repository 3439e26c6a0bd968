/*
 * id: the IPv4 identification field (RFC 791), as a generic uint,
 * optionally quoted: `id:31337`, `id:"1"`. Only IPv4 packets match.
 */
#include "detect/kw-header.h"

void *hdr_parse_id(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("id", value, DETECT_UINT_MAX_U16, true, err, errlen);
}

bool hdr_match_id(const Packet *p, const void *ctx)
{
    return hdr_packet_is_ipv4(p) && detect_uint_match(&((const HdrUint *)ctx)->u, p->ip4.id);
}

HDR_KEYWORD_CALLBACKS(id, HdrUint, hdr_parse_id, hdr_match_id)

void hdr_register_id(void)
{
    id_kw_id = keyword_register(&(const KeywordDef){
            .name = "id",
            .help = "match the IPv4 identification field",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(id),
    });
}
