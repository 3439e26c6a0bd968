/*
 * IPv6 (RFC 8200) header and extension headers.
 *
 *    0       4               12      16              24              31
 *   +-------+---------------+-------------------------------------+
 *   |Version| Traffic Class |             Flow Label              |
 *   +-------+---------------+-------+---------------+-------------+
 *   |        Payload Length         |  Next Header  |  Hop Limit  |
 *   +-------------------------------+---------------+-------------+
 *   |                 Source Address (16 bytes)                    |
 *   |               Destination Address (16 bytes)                 |
 *
 * A short header, another version or a payload length beyond the captured
 * bytes makes the packet invalid. Extension headers are walked the way
 * Suricata 8 walks them: hop-by-hop and destination options (RFC 8200 4.3,
 * 4.6) have their options checked (padding-only headers, unknown options,
 * bad option lengths, zero-length PadN are reported), a second routing,
 * hop-by-hop or AH header and a third destination options header are
 * reported and skipped, routing type 0 (RFC 5095) is reported, AH (RFC 4302)
 * must have a zero reserved field, Mobility/HIP/Shim6 headers are skipped,
 * data after "no next header" is reported. A fragment header (4.5) with
 * offset 0 and no more fragments is "useless" and decoding goes on past it;
 * otherwise the packet is a fragment for defrag. Next headers 4 and 41 open
 * IPv4-in-IPv6 / IPv6-in-IPv6 tunnels.
 *
 * p->proto ends up as Suricata's "L4 protocol": the transport protocol, or
 * the last extension header type met when decoding stopped before one
 * (44 for a fragment), or 0 when the header chain never set one.
 */
#include "decode/decode-internal.h"

#include <string.h>

#define IPV6_FRAG_HEADER_LEN 8
#define IPV6_AH_HEADER_LEN 12

#define IPV6OPT_PAD1 0x00
#define IPV6OPT_PADN 0x01
#define IPV6OPT_RA 0x05
#define IPV6OPT_JUMBO 0xc2
#define IPV6OPT_HAO 0xc9

typedef struct Ipv6Walk {
    uint8_t l4proto;
    bool hh, rh, ah;
    int dstopts;
} Ipv6Walk;

static void clear_l3(Packet *p)
{
    p->ip_version = 0;
    p->l3_off = p->l3_len = 0;
    memset(&p->src_addr, 0, sizeof(p->src_addr));
    memset(&p->dst_addr, 0, sizeof(p->dst_addr));
    memset(&p->ip6, 0, sizeof(p->ip6));
}

static void ipv4_in_ipv6(DecodeCtx *c, uint32_t off, uint32_t len)
{
    if (len < IPV4_HEADER_LEN) {
        dc_invalid(c, DEV_IPV4_IN_IPV6_PKT_TOO_SMALL);
        return;
    }
    if ((dc_data(c, off)[0] >> 4) == 4) {
        if (decode_tunnel(c, off, len, TUNNEL_IPV4, PKT_SRC_DECODER_IPV6) != NULL)
            dc_count(c, CTR_DECODER_IPV4_IN_IPV6);
        c->p->flow_ok = true;
    } else {
        dc_invalid(c, DEV_IPV4_IN_IPV6_WRONG_IP_VER);
    }
}

static void ipv6_in_ipv6(DecodeCtx *c, uint32_t off, uint32_t len)
{
    if (len < IPV6_HEADER_LEN) {
        dc_invalid(c, DEV_IPV6_IN_IPV6_PKT_TOO_SMALL);
        return;
    }
    if ((dc_data(c, off)[0] >> 4) == 6) {
        if (decode_tunnel(c, off, len, TUNNEL_IPV6, PKT_SRC_DECODER_IPV6) != NULL)
            dc_count(c, CTR_DECODER_IPV6_IN_IPV6);
        c->p->flow_ok = true;
    } else {
        dc_invalid(c, DEV_IPV6_IN_IPV6_WRONG_IP_VER);
    }
}

/* Checks the options of a hop-by-hop or destination options header
 * (RFC 8200 4.2): TLVs after the next-header and length bytes. */
static void check_options(DecodeCtx *c, const uint8_t *opts, uint32_t optslen, bool hop)
{
    uint32_t offset = 0, padn = 0, other = 0;
    while (offset < optslen) {
        uint8_t type = opts[offset];
        if (type == IPV6OPT_PAD1) {
            padn++;
            offset++;
            continue;
        }
        if (offset + 1 >= optslen) {
            dc_invalid(c, DEV_IPV6_EXTHDR_INVALID_OPTLEN);
            break;
        }
        uint8_t olen = opts[offset + 1];
        if (offset + 1 + olen > optslen) {
            dc_invalid(c, DEV_IPV6_EXTHDR_INVALID_OPTLEN);
            break;
        }
        /* RA needs its 2-byte value, Jumbo its 4-byte length, HAO its
         * 16-byte address; a shorter one ends the walk */
        if ((type == IPV6OPT_RA && olen < 2) || (type == IPV6OPT_JUMBO && olen < 4) ||
            (type == IPV6OPT_HAO && olen < 16)) {
            dc_invalid(c, DEV_IPV6_EXTHDR_INVALID_OPTLEN);
            break;
        }
        if (type == IPV6OPT_PADN) {
            padn++;
            if (olen == 0)
                dc_event(c, DEV_IPV6_EXTHDR_ZERO_LEN_PADN);
        } else if (type == IPV6OPT_RA || type == IPV6OPT_HAO) {
            other++;
        } else if (type != IPV6OPT_JUMBO) {
            dc_event(c, hop ? DEV_IPV6_HOPOPTS_UNKNOWN_OPT : DEV_IPV6_DSTOPTS_UNKNOWN_OPT);
            other++;
        }
        offset += (uint32_t)olen + 2;
    }
    if (padn > 0 && other == 0)
        dc_event(c, hop ? DEV_IPV6_HOPOPTS_ONLY_PADDING : DEV_IPV6_DSTOPTS_ONLY_PADDING);
}

/* Records the fragment header `fh`, found fh_l3off bytes after the start of
 * the IPv6 header right after a header of prev_len bytes (0: the IPv6 header
 * itself); plen counts the bytes from the fragment header to the end of the
 * payload. Returns true when the packet is a real fragment. */
static bool fragment_header(DecodeCtx *c, const uint8_t *fh, uint32_t fh_l3off, uint32_t prev_len, uint32_t plen)
{
    Ipv6Info *ip6 = &c->p->ip6;
    uint16_t offmf = rd_be16(fh + 2);
    ip6->has_frag = true;
    ip6->frag_nh = fh[0];
    ip6->frag_offset = (uint16_t)((offmf & 0xfff8) >> 3);
    ip6->frag_mf = (offmf & 0x0001) != 0;
    ip6->frag_id = rd_be32(fh + 4);
    ip6->frag_hdr_offset = (uint16_t)fh_l3off;
    ip6->unfrag_len = (uint16_t)fh_l3off;
    ip6->frag_prev_nh_off = (uint16_t)(prev_len ? fh_l3off - prev_len : 6);

    if (!ip6->frag_mf && ip6->frag_offset == 0) {
        dc_event(c, DEV_IPV6_EXTHDR_USELESS_FH);
        return false;
    }
    if (ip6->frag_mf && (plen % 8) != 0)
        dc_event(c, DEV_IPV6_FRAG_INVALID_LENGTH);
    return true;
}

/* Walks extension headers from `nh` at [off, off + len). */
static void decode_exthdrs(DecodeCtx *c, Ipv6Walk *w, uint8_t nh, uint32_t off, uint32_t len)
{
    Packet *p = c->p;
    const uint32_t start = off;
    uint32_t plen = len;
    uint32_t hdrextlen = 0;

    for (;;) {
        if (nh == IPPROTO_NUM_NONE) {
            if (plen > 0)
                dc_event(c, DEV_IPV6_DATA_AFTER_NONE_HEADER);
            return;
        }
        if (plen < 2) {
            dc_invalid(c, DEV_IPV6_TRUNC_EXTHDR);
            return;
        }
        const uint8_t *h = dc_data(c, off);

        switch (nh) {
        case IPPROTO_NUM_TCP:
            w->l4proto = nh;
            decode_tcp(c, off, plen);
            return;
        case IPPROTO_NUM_UDP:
            w->l4proto = nh;
            decode_udp(c, off, plen);
            return;
        case IPPROTO_NUM_ICMPV6:
            w->l4proto = nh;
            decode_icmpv6(c, off, plen);
            return;
        case IPPROTO_NUM_SCTP:
            w->l4proto = nh;
            decode_sctp(c, off, plen);
            return;
        case IPPROTO_NUM_ROUTING:
            w->l4proto = nh;
            hdrextlen = 8 + (uint32_t)h[1] * 8;
            if (hdrextlen > plen) {
                dc_invalid(c, DEV_IPV6_TRUNC_EXTHDR);
                return;
            }
            if (w->rh) {
                dc_event(c, DEV_IPV6_EXTHDR_DUPL_RH);
            } else {
                w->rh = true;
                if (h[2] == 0)
                    dc_event(c, DEV_IPV6_EXTHDR_RH_TYPE_0);
            }
            break;
        case IPPROTO_NUM_HOPOPTS:
        case IPPROTO_NUM_DSTOPTS: {
            bool hop = nh == IPPROTO_NUM_HOPOPTS;
            w->l4proto = nh;
            hdrextlen = ((uint32_t)h[1] + 1) << 3;
            if (hdrextlen > plen) {
                dc_invalid(c, DEV_IPV6_TRUNC_EXTHDR);
                return;
            }
            bool skip = false;
            if (hop) {
                if (w->hh) {
                    dc_event(c, DEV_IPV6_EXTHDR_DUPL_HH);
                    skip = true;
                }
                w->hh = true;
            } else if (w->dstopts < 2) {
                w->dstopts++;
            } else {
                dc_event(c, DEV_IPV6_EXTHDR_DUPL_DH);
                skip = true;
            }
            if (!skip)
                check_options(c, h + 2, hdrextlen - 2, hop);
            break;
        }
        case IPPROTO_NUM_FRAGMENT: {
            w->l4proto = nh;
            uint32_t prev_len = hdrextlen;
            hdrextlen = IPV6_FRAG_HEADER_LEN;
            if (hdrextlen > plen) {
                dc_invalid(c, DEV_IPV6_TRUNC_EXTHDR);
                return;
            }
            if (h[1] != 0)
                dc_event(c, DEV_IPV6_FH_NON_ZERO_RES_FIELD);
            if (p->ip6.has_frag) {
                dc_event(c, DEV_IPV6_EXTHDR_DUPL_FH);
                break;
            }
            uint32_t fh_l3off = IPV6_HEADER_LEN + (off - start);
            if (fragment_header(c, h, fh_l3off, prev_len, plen)) {
                /* the rest is decoded after reassembly */
                p->is_fragment = true;
                return;
            }
            break;
        }
        case IPPROTO_NUM_ESP:
            w->l4proto = nh;
            decode_esp(c, off, plen);
            return;
        case IPPROTO_NUM_AH:
            w->l4proto = nh;
            hdrextlen = IPV6_AH_HEADER_LEN;
            if (h[1] > 0)
                hdrextlen += ((uint32_t)h[1] - 1) * 4;
            if (hdrextlen > plen) {
                dc_invalid(c, DEV_IPV6_TRUNC_EXTHDR);
                return;
            }
            if (rd_be16(h + 2) != 0)
                dc_event(c, DEV_IPV6_EXTHDR_AH_RES_NOT_NULL);
            if (w->ah)
                dc_event(c, DEV_IPV6_EXTHDR_DUPL_AH);
            w->ah = true;
            break;
        case IPPROTO_NUM_IPIP:
            w->l4proto = nh;
            ipv4_in_ipv6(c, off, plen);
            return;
        case IPPROTO_NUM_ICMP:
            dc_event(c, DEV_IPV6_WITH_ICMPV4);
            return;
        case IPPROTO_NUM_MH:
        case IPPROTO_NUM_HIP:
        case IPPROTO_NUM_SHIM6:
            hdrextlen = 8 + (uint32_t)h[1] * 8;
            if (hdrextlen > plen) {
                dc_invalid(c, DEV_IPV6_TRUNC_EXTHDR);
                return;
            }
            break;
        default:
            dc_event(c, DEV_IPV6_UNKNOWN_NEXT_HEADER);
            w->l4proto = nh;
            return;
        }
        nh = h[0];
        off += hdrextlen;
        plen -= hdrextlen;
    }
}

int decode_ipv6(DecodeCtx *c, uint32_t off, uint32_t len)
{
    Packet *p = c->p;
    dc_count(c, CTR_DECODER_IPV6);
    if (!dc_layer(c))
        return DECODE_FAILED;
    if (len < IPV6_HEADER_LEN) {
        dc_invalid(c, DEV_IPV6_PKT_TOO_SMALL);
        clear_l3(p);
        return DECODE_FAILED;
    }
    const uint8_t *h = dc_data(c, off);
    if ((h[0] >> 4) != 6) {
        dc_invalid(c, DEV_IPV6_WRONG_IP_VER);
        clear_l3(p);
        return DECODE_FAILED;
    }
    uint16_t plen = rd_be16(h + 4);
    if (len < (uint32_t)IPV6_HEADER_LEN + plen) {
        dc_invalid(c, DEV_IPV6_TRUNC_PKT);
        clear_l3(p);
        return DECODE_FAILED;
    }

    p->ip_version = 6;
    p->l3_off = off;
    p->l3_len = IPV6_HEADER_LEN + plen;
    p->src_addr.family = 6;
    memcpy(p->src_addr.addr, h + 8, 16);
    p->dst_addr.family = 6;
    memcpy(p->dst_addr.addr, h + 24, 16);
    Ipv6Info *ip6 = &p->ip6;
    memset(ip6, 0, sizeof(*ip6));
    uint32_t vtf = rd_be32(h);
    ip6->tclass = (uint8_t)((vtf >> 20) & 0xff);
    ip6->flow_label = vtf & 0x000fffff;
    ip6->payload_len = plen;
    ip6->hop_limit = h[7];

    uint8_t nh = h[6];
    p->proto = nh;
    Ipv6Walk w = { 0 };
    uint32_t doff = off + IPV6_HEADER_LEN;

    switch (nh) {
    case IPPROTO_NUM_TCP:
        decode_tcp(c, doff, plen);
        return DECODE_OK;
    case IPPROTO_NUM_UDP:
        decode_udp(c, doff, plen);
        return DECODE_OK;
    case IPPROTO_NUM_ICMPV6:
        decode_icmpv6(c, doff, plen);
        return DECODE_OK;
    case IPPROTO_NUM_SCTP:
        decode_sctp(c, doff, plen);
        return DECODE_OK;
    case IPPROTO_NUM_IPIP:
        ipv4_in_ipv6(c, doff, plen);
        return DECODE_OK;
    case IPPROTO_NUM_IPV6:
        ipv6_in_ipv6(c, doff, plen);
        return DECODE_OK;
    case IPPROTO_NUM_GRE:
        w.l4proto = nh;
        decode_gre(c, doff, plen);
        break;
    case IPPROTO_NUM_FRAGMENT:
    case IPPROTO_NUM_HOPOPTS:
    case IPPROTO_NUM_ROUTING:
    case IPPROTO_NUM_NONE:
    case IPPROTO_NUM_DSTOPTS:
    case IPPROTO_NUM_AH:
    case IPPROTO_NUM_ESP:
    case IPPROTO_NUM_MH:
    case IPPROTO_NUM_HIP:
    case IPPROTO_NUM_SHIM6:
        decode_exthdrs(c, &w, nh, doff, plen);
        break;
    case IPPROTO_NUM_ICMP:
        dc_event(c, DEV_IPV6_WITH_ICMPV4);
        break;
    default:
        dc_event(c, DEV_IPV6_UNKNOWN_NEXT_HEADER);
        w.l4proto = nh;
        break;
    }
    p->proto = w.l4proto;

    if (p->is_fragment)
        decode_defrag(c);
    return DECODE_OK;
}
