/*
 * IPv4 (RFC 791) header and options.
 *
 *    0       4       8               16      19                      31
 *   +-------+-------+---------------+-------------------------------+
 *   |Version|  IHL  |      TOS      |          Total Length         |
 *   +-------+-------+---------------+-----+-------------------------+
 *   |         Identification        |Flags|     Fragment Offset     |
 *   +---------------+---------------+-----+-------------------------+
 *   |      TTL      |   Protocol    |        Header Checksum        |
 *   +---------------+---------------+-------------------------------+
 *   |                        Source Address                         |
 *   |                     Destination Address                       |
 *   |                    Options (IHL > 5) ...                      |
 *
 * A header that is short, of another version, with IHL < 5, a total length
 * below the header length or beyond the captured bytes makes the packet
 * invalid and leaves it without an IP layer. Bytes past the total length
 * (Ethernet padding) are ignored. Options are checked the way Suricata 8
 * checks them: a length running past the options area or below 2 stops the
 * walk with ipv4.opt_invalid_len and the packet is invalid; a known option
 * with a bad length or layout raises its event and the walk goes on; the
 * options area not being a multiple of 8 bytes raises ipv4.opt_pad_required
 * (sic, Suricata's check). Fragments go to defrag; protocols 4 and 41 open
 * IPv4-in-IPv4 / IPv6-in-IPv4 tunnels.
 */
#include "decode/decode-internal.h"

#include <string.h>

#define IPV4_OPT_EOL 0x00
#define IPV4_OPT_NOP 0x01
#define IPV4_OPT_RR 0x07
#define IPV4_OPT_QS 0x19
#define IPV4_OPT_TS 0x44
#define IPV4_OPT_SEC 0x82
#define IPV4_OPT_LSRR 0x83
#define IPV4_OPT_ESEC 0x85
#define IPV4_OPT_CIPSO 0x86
#define IPV4_OPT_SID 0x88
#define IPV4_OPT_SSRR 0x89
#define IPV4_OPT_RTRALT 0x94

#define IPV4_OPT_QS_MIN 8
#define IPV4_OPT_SEC_MIN 3
#define IPV4_OPT_SID_LEN 4
#define IPV4_OPT_RTRALT_LEN 4
#define IPV4_OPT_ROUTE_MIN 3
#define IPV4_OPT_TS_MIN 5
#define IPV4_OPT_CIPSO_MIN 10

/* One option: type, length (including type and length bytes) and the
 * bytes after the length byte (len - 2 of them). */
typedef struct Ipv4Opt {
    uint8_t type, len;
    const uint8_t *data;
} Ipv4Opt;

/* Quick-Start, security, stream id, router alert: length checks only. */
static bool opt_valid_generic(DecodeCtx *c, const Ipv4Opt *o)
{
    bool ok;
    switch (o->type) {
    case IPV4_OPT_QS:
        ok = o->len >= IPV4_OPT_QS_MIN;
        break;
    case IPV4_OPT_SEC:
    case IPV4_OPT_ESEC:
        ok = o->len >= IPV4_OPT_SEC_MIN;
        break;
    case IPV4_OPT_SID:
        ok = o->len == IPV4_OPT_SID_LEN;
        break;
    case IPV4_OPT_RTRALT:
        ok = o->len == IPV4_OPT_RTRALT_LEN;
        break;
    default:
        dc_invalid(c, DEV_IPV4_OPT_UNKNOWN);
        return false;
    }
    if (!ok)
        dc_invalid(c, DEV_IPV4_OPT_INVALID_LEN);
    return ok;
}

/* Record route and source routes: [type][len][ptr][addresses...]; the
 * 1-based pointer is >= 4, a multiple of 4 and at most len + 1. */
static bool opt_valid_route(DecodeCtx *c, const Ipv4Opt *o)
{
    if (o->len < IPV4_OPT_ROUTE_MIN) {
        dc_invalid(c, DEV_IPV4_OPT_INVALID_LEN);
        return false;
    }
    uint8_t ptr = o->data[0];
    if (ptr < 4 || (ptr % 4) || ptr > o->len + 1) {
        dc_invalid(c, DEV_IPV4_OPT_MALFORMED);
        return false;
    }
    return true;
}

/* Timestamp (RFC 791): [type][len][ptr][oflw|flag][records...]; records are
 * 8 bytes (address + time) for flags 1 and 3, else 4. */
static bool opt_valid_timestamp(DecodeCtx *c, const Ipv4Opt *o)
{
    if (o->len < IPV4_OPT_TS_MIN) {
        dc_invalid(c, DEV_IPV4_OPT_INVALID_LEN);
        return false;
    }
    uint8_t ptr = o->data[0];
    if (ptr < 5) {
        dc_invalid(c, DEV_IPV4_OPT_MALFORMED);
        return false;
    }
    uint8_t flag = o->data[1] & 0x0f;
    uint8_t rec = (flag == 1 || flag == 3) ? 8 : 4;
    if (((ptr - 5) % rec) || ptr > o->len + 1) {
        dc_invalid(c, DEV_IPV4_OPT_MALFORMED);
        return false;
    }
    return true;
}

/* CIPSO (draft-ietf-cipso-ipsecurity): [type][len][DOI 4][tags...], each
 * tag [type][len][...]; tag types 1, 2, 5, 6, 7 are 4 bytes or more and,
 * except type 7, have a zero alignment octet. */
static bool opt_valid_cipso(DecodeCtx *c, const Ipv4Opt *o)
{
    if (o->len < IPV4_OPT_CIPSO_MIN) {
        dc_invalid(c, DEV_IPV4_OPT_INVALID_LEN);
        return false;
    }
    ByteReader r = br_init(o->data + 4, (size_t)o->len - 6);
    while (br_remaining(&r) > 0) {
        uint8_t ttype, tlen;
        if (!br_u8(&r, &ttype) || !br_u8(&r, &tlen)) {
            dc_invalid(c, DEV_IPV4_OPT_MALFORMED);
            return false;
        }
        /* the tag length counts from the tag's type byte */
        size_t left = br_remaining(&r) + 2;
        if (tlen > left) {
            dc_invalid(c, DEV_IPV4_OPT_MALFORMED);
            return false;
        }
        switch (ttype) {
        case 1:
        case 2:
        case 5:
        case 6:
        case 7: {
            if (tlen < 4) {
                dc_invalid(c, DEV_IPV4_OPT_MALFORMED);
                return false;
            }
            uint8_t align = *br_cursor(&r);
            if (ttype != 7 && align != 0) {
                dc_invalid(c, DEV_IPV4_OPT_MALFORMED);
                return false;
            }
            br_skip(&r, (size_t)tlen - 2);
            break;
        }
        default:
            /* 0 is reserved; 3, 4 and others are not supported */
            dc_invalid(c, DEV_IPV4_OPT_MALFORMED);
            return false;
        }
    }
    return true;
}

/* Walks the options area. Returns false when the packet must be treated as
 * invalid (an option length that does not fit). */
static bool decode_ipv4_options(DecodeCtx *c, const uint8_t *opts, uint32_t olen)
{
    Ipv4Info *ip4 = &c->p->ip4;
    uint32_t seen = 0;

    if (olen % 8)
        dc_event(c, DEV_IPV4_OPT_PAD_REQUIRED);

    ByteReader r = br_init(opts, olen);
    while (br_remaining(&r) > 0) {
        const uint8_t *o = br_cursor(&r);
        size_t plen = br_remaining(&r);
        if (o[0] == IPV4_OPT_EOL) {
            ip4->opts |= IPV4_OPT_FLAG_EOL;
            break;
        }
        if (o[0] == IPV4_OPT_NOP) {
            ip4->opts |= IPV4_OPT_FLAG_NOP;
            br_skip(&r, 1);
            continue;
        }
        if (plen < 2) {
            dc_event(c, DEV_IPV4_OPT_EOL_REQUIRED);
            break;
        }
        Ipv4Opt opt = { o[0], o[1], o + 2 };
        if (opt.len > plen || opt.len < 2) {
            dc_invalid(c, DEV_IPV4_OPT_INVALID_LEN);
            return false;
        }
        uint32_t flag = 0;
        bool ok = false;
        switch (opt.type) {
        case IPV4_OPT_TS:
            flag = IPV4_OPT_FLAG_TS;
            break;
        case IPV4_OPT_RR:
            flag = IPV4_OPT_FLAG_RR;
            break;
        case IPV4_OPT_QS:
            flag = IPV4_OPT_FLAG_QS;
            break;
        case IPV4_OPT_SEC:
            flag = IPV4_OPT_FLAG_SEC;
            break;
        case IPV4_OPT_LSRR:
            flag = IPV4_OPT_FLAG_LSRR;
            break;
        case IPV4_OPT_ESEC:
            flag = IPV4_OPT_FLAG_ESEC;
            break;
        case IPV4_OPT_CIPSO:
            flag = IPV4_OPT_FLAG_CIPSO;
            break;
        case IPV4_OPT_SID:
            flag = IPV4_OPT_FLAG_SID;
            break;
        case IPV4_OPT_SSRR:
            flag = IPV4_OPT_FLAG_SSRR;
            break;
        case IPV4_OPT_RTRALT:
            flag = IPV4_OPT_FLAG_RTRALT;
            break;
        default:
            dc_event(c, DEV_IPV4_OPT_INVALID);
            break;
        }
        if (flag != 0) {
            if (seen & flag) {
                dc_event(c, DEV_IPV4_OPT_DUPLICATE);
            } else {
                switch (opt.type) {
                case IPV4_OPT_TS:
                    ok = opt_valid_timestamp(c, &opt);
                    break;
                case IPV4_OPT_RR:
                case IPV4_OPT_LSRR:
                case IPV4_OPT_SSRR:
                    ok = opt_valid_route(c, &opt);
                    break;
                case IPV4_OPT_CIPSO:
                    ok = opt_valid_cipso(c, &opt);
                    break;
                default:
                    ok = opt_valid_generic(c, &opt);
                    break;
                }
                if (ok) {
                    seen |= flag;
                    ip4->opts |= flag;
                }
            }
        }
        br_skip(&r, opt.len);
    }
    return true;
}

static void clear_l3(Packet *p)
{
    p->ip_version = 0;
    p->l3_off = p->l3_len = 0;
    memset(&p->src_addr, 0, sizeof(p->src_addr));
    memset(&p->dst_addr, 0, sizeof(p->dst_addr));
    memset(&p->ip4, 0, sizeof(p->ip4));
}

/* Checks and records the fixed header; false when the packet is invalid. */
static bool ipv4_header(DecodeCtx *c, uint32_t off, uint32_t len)
{
    Packet *p = c->p;
    if (len < IPV4_HEADER_LEN) {
        dc_invalid(c, DEV_IPV4_PKT_TOO_SMALL);
        return false;
    }
    const uint8_t *h = dc_data(c, off);
    if ((h[0] >> 4) != 4) {
        dc_invalid(c, DEV_IPV4_WRONG_IP_VER);
        return false;
    }
    uint8_t hlen = (uint8_t)((h[0] & 0x0f) * 4);
    uint16_t iplen = rd_be16(h + 2);
    if (hlen < IPV4_HEADER_LEN) {
        dc_invalid(c, DEV_IPV4_HLEN_TOO_SMALL);
        return false;
    }
    if (iplen < hlen) {
        dc_invalid(c, DEV_IPV4_IPLEN_SMALLER_THAN_HLEN);
        return false;
    }
    if (len < iplen) {
        dc_invalid(c, DEV_IPV4_TRUNC_PKT);
        return false;
    }

    p->ip_version = 4;
    p->l3_off = off;
    p->l3_len = iplen;
    p->src_addr.family = 4;
    memset(p->src_addr.addr, 0, sizeof(p->src_addr.addr));
    memcpy(p->src_addr.addr, h + 12, 4);
    p->dst_addr.family = 4;
    memset(p->dst_addr.addr, 0, sizeof(p->dst_addr.addr));
    memcpy(p->dst_addr.addr, h + 16, 4);

    Ipv4Info *ip4 = &p->ip4;
    memset(ip4, 0, sizeof(*ip4));
    ip4->hlen = hlen;
    ip4->tos = h[1];
    ip4->total_len = iplen;
    ip4->id = rd_be16(h + 4);
    uint16_t frag = rd_be16(h + 6);
    ip4->rf = (frag & 0x8000) != 0;
    ip4->df = (frag & 0x4000) != 0;
    ip4->mf = (frag & 0x2000) != 0;
    ip4->frag_offset = frag & 0x1fff;
    ip4->ttl = h[8];

    if (hlen > IPV4_HEADER_LEN && !decode_ipv4_options(c, h + IPV4_HEADER_LEN, hlen - IPV4_HEADER_LEN))
        return false;
    return true;
}

int decode_ipv4(DecodeCtx *c, uint32_t off, uint32_t len)
{
    Packet *p = c->p;
    dc_count(c, CTR_DECODER_IPV4);
    if (!dc_layer(c))
        return DECODE_FAILED;
    if (!ipv4_header(c, off, len)) {
        clear_l3(p);
        return DECODE_FAILED;
    }
    const uint8_t *h = dc_data(c, off);
    p->proto = h[9];

    if (p->ip4.frag_offset > 0 || p->ip4.mf) {
        p->is_fragment = true;
        decode_defrag(c);
        return DECODE_OK;
    }

    uint32_t doff = off + p->ip4.hlen;
    uint32_t dlen = (uint32_t)p->ip4.total_len - p->ip4.hlen;
    switch (p->proto) {
    case IPPROTO_NUM_TCP:
        decode_tcp(c, doff, dlen);
        break;
    case IPPROTO_NUM_UDP:
        decode_udp(c, doff, dlen);
        break;
    case IPPROTO_NUM_ICMP:
        decode_icmpv4(c, doff, dlen);
        break;
    case IPPROTO_NUM_GRE:
        decode_gre(c, doff, dlen);
        break;
    case IPPROTO_NUM_SCTP:
        decode_sctp(c, doff, dlen);
        break;
    case IPPROTO_NUM_ESP:
        decode_esp(c, doff, dlen);
        break;
    case IPPROTO_NUM_IPV6:
        if (decode_tunnel(c, doff, dlen, TUNNEL_IPV6, PKT_SRC_DECODER_IPV4) != NULL)
            dc_count(c, CTR_DECODER_IPV6_IN_IPV4);
        p->flow_ok = true;
        break;
    case IPPROTO_NUM_IPIP:
        if (decode_tunnel(c, doff, dlen, TUNNEL_IPV4, PKT_SRC_DECODER_IPV4) != NULL)
            dc_count(c, CTR_DECODER_IPV4_IN_IPV4);
        p->flow_ok = true;
        break;
    case 0:
        /* PPP Van Jacobson uncompressed TCP: the protocol byte holds the
         * connection slot, the payload is TCP */
        if (c->ppp_vj_ucomp)
            decode_tcp(c, doff, dlen);
        break;
    case IPPROTO_NUM_ICMPV6:
        dc_invalid(c, DEV_IPV4_WITH_ICMPV6);
        break;
    default:
        break;
    }
    return DECODE_OK;
}
