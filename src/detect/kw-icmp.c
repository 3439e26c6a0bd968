/*
 * ICMP header keywords: itype and icode (generic uint on the ICMPv4/ICMPv6
 * type and code: `itype:8`, `itype:>10`, `icode:3<>8`), icmp_id and icmp_seq
 * (generic uint, optionally quoted: `icmp_id:"1234"`). As in Suricata,
 * icmp_id/icmp_seq only apply to messages that carry an identifier -- echo
 * request/reply and, for ICMPv4, timestamp, information and address-mask
 * messages -- which the decoder marks with Packet.has_icmp_id.
 */
#include "detect/kw-header.h"

static bool is_icmp(const Packet *p)
{
    return (p->proto == 1 || p->proto == 58) && p->l4_len > 0 && !hdr_packet_is_pseudo(p);
}

void *hdr_parse_itype(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("itype", value, DETECT_UINT_MAX_U8, false, err, errlen);
}

void *hdr_parse_icode(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("icode", value, DETECT_UINT_MAX_U8, false, err, errlen);
}

void *hdr_parse_icmp_id(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("icmp_id", value, DETECT_UINT_MAX_U16, true, err, errlen);
}

void *hdr_parse_icmp_seq(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("icmp_seq", value, DETECT_UINT_MAX_U16, true, err, errlen);
}

bool hdr_match_itype(const Packet *p, const void *ctx)
{
    return is_icmp(p) && detect_uint_match(&((const HdrUint *)ctx)->u, p->icmp_type);
}

bool hdr_match_icode(const Packet *p, const void *ctx)
{
    return is_icmp(p) && detect_uint_match(&((const HdrUint *)ctx)->u, p->icmp_code);
}

bool hdr_match_icmp_id(const Packet *p, const void *ctx)
{
    return is_icmp(p) && p->has_icmp_id && detect_uint_match(&((const HdrUint *)ctx)->u, p->icmp_id);
}

bool hdr_match_icmp_seq(const Packet *p, const void *ctx)
{
    return is_icmp(p) && p->has_icmp_id && detect_uint_match(&((const HdrUint *)ctx)->u, p->icmp_seq);
}
