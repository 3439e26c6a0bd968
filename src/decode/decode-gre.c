/*
 * GRE: version 0 (RFC 1701/2784/2890) and version 1, the enhanced GRE of
 * PPTP (RFC 2637), plus the ERSPAN mirroring headers GRE can carry.
 *
 *    0 1 2 3 4 5   8         13  16                              31
 *   +-+-+-+-+-+-----+---------+-----+-------------------------------+
 *   |C|R|K|S|s|Recur|A| Flags | Ver |        Protocol Type          |
 *   +-+-+-+-+-+-----+---------+-----+-------------------------------+
 *   | Checksum (C or R)             | Offset (C or R)               |
 *   | Key (K; v1: payload length + call id)                         |
 *   | Sequence number (S)                                           |
 *   | Acknowledgment number (v1, A)                                 |
 *   | Source route entries (v0, R), up to a NULL entry              |
 *
 * Version 0 must have no recursion control and no flags; version 1 must be
 * PPP (0x880b) with a key and none of checksum, routing, strict source
 * route, recursion or flags. A breach raises the matching gre.* event, makes
 * the packet invalid and stops decoding. The payload becomes a "gre tunnel"
 * packet for IPv4, IPv6, PPP (v1 with a non-zero payload length), VLAN,
 * Ethernet (0x6558), ARP and ERSPAN (type I without a sequence number, type
 * II with one). GRE packets are not tracked in flows (Suricata does not
 * set one up for them).
 *
 * ERSPAN type II adds 8 bytes (version 1, VLAN id, COS, ...) before the
 * mirrored Ethernet frame; its VLAN id, when not 0, is added to the
 * packet's VLAN ids. Type I is the bare Ethernet frame.
 */
#include "decode/decode-internal.h"

#define GRE_HDR_LEN 4
#define GRE_CHKSUM_LEN 2
#define GRE_OFFSET_LEN 2
#define GRE_KEY_LEN 4
#define GRE_SEQ_LEN 4
#define GRE_SRE_HDR_LEN 4
#define GREV1_ACK_LEN 4
#define GRE_PROTO_PPP 0x880b
#define ERSPAN_HEADER_LEN 8

/* first byte */
#define GRE_FLAG_CHKSUM 0x80
#define GRE_FLAG_ROUTE 0x40
#define GRE_FLAG_KEY 0x20
#define GRE_FLAG_SEQ 0x10
#define GRE_FLAG_SSR 0x08
#define GRE_FLAG_RECUR 0x07
/* second byte */
#define GREV1_FLAG_ACK 0x80
#define GREV1_FLAG_FLAGS 0x78
#define GRE_VERSION_MASK 0x07

static int gre_v0(DecodeCtx *c, const uint8_t *h, uint32_t len, uint32_t *hlen)
{
    if (h[0] & GRE_FLAG_RECUR) {
        dc_invalid(c, DEV_GRE_VERSION0_RECUR);
        return DECODE_FAILED;
    }
    if (h[1] & GREV1_FLAG_FLAGS) {
        dc_invalid(c, DEV_GRE_VERSION0_FLAGS);
        return DECODE_FAILED;
    }
    uint32_t n = GRE_HDR_LEN;
    if (h[0] & GRE_FLAG_KEY)
        n += GRE_KEY_LEN;
    if (h[0] & GRE_FLAG_SEQ)
        n += GRE_SEQ_LEN;
    if (h[0] & (GRE_FLAG_CHKSUM | GRE_FLAG_ROUTE))
        n += GRE_CHKSUM_LEN + GRE_OFFSET_LEN;
    if (n > len) {
        dc_invalid(c, DEV_GRE_VERSION0_HDR_TOO_BIG);
        return DECODE_FAILED;
    }
    if (h[0] & GRE_FLAG_ROUTE) {
        for (;;) {
            if (n + GRE_SRE_HDR_LEN > len) {
                dc_invalid(c, DEV_GRE_VERSION0_MALFORMED_SRE_HDR);
                return DECODE_FAILED;
            }
            uint16_t af = rd_be16(h + n);
            uint8_t sre_len = h[n + 3];
            n += GRE_SRE_HDR_LEN;
            if (af == 0 && sre_len == 0)
                break;
            n += sre_len;
            if (n > len) {
                dc_invalid(c, DEV_GRE_VERSION0_MALFORMED_SRE_HDR);
                return DECODE_FAILED;
            }
        }
    }
    *hlen = n;
    return DECODE_OK;
}

static int gre_v1(DecodeCtx *c, const uint8_t *h, uint32_t len, uint32_t *hlen)
{
    static const struct {
        uint8_t byte, mask;
        DecodeEvent ev;
    } bad[] = {
        { 0, GRE_FLAG_CHKSUM, DEV_GRE_VERSION1_CHKSUM },
        { 0, GRE_FLAG_ROUTE, DEV_GRE_VERSION1_ROUTE },
        { 0, GRE_FLAG_SSR, DEV_GRE_VERSION1_SSR },
        { 0, GRE_FLAG_RECUR, DEV_GRE_VERSION1_RECUR },
        { 1, GREV1_FLAG_FLAGS, DEV_GRE_VERSION1_FLAGS },
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (h[bad[i].byte] & bad[i].mask) {
            dc_invalid(c, bad[i].ev);
            return DECODE_FAILED;
        }
    }
    if (rd_be16(h + 2) != GRE_PROTO_PPP) {
        dc_invalid(c, DEV_GRE_VERSION1_WRONG_PROTOCOL);
        return DECODE_FAILED;
    }
    if (!(h[0] & GRE_FLAG_KEY)) {
        dc_invalid(c, DEV_GRE_VERSION1_NO_KEY);
        return DECODE_FAILED;
    }
    uint32_t n = GRE_HDR_LEN + GRE_KEY_LEN;
    if (h[0] & GRE_FLAG_SEQ)
        n += GRE_SEQ_LEN;
    if (h[1] & GREV1_FLAG_ACK)
        n += GREV1_ACK_LEN;
    if (n > len) {
        dc_invalid(c, DEV_GRE_VERSION1_HDR_TOO_BIG);
        return DECODE_FAILED;
    }
    *hlen = n;
    return DECODE_OK;
}

int decode_gre(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_GRE);
    if (len < GRE_HDR_LEN) {
        dc_invalid(c, DEV_GRE_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (!dc_layer(c))
        return DECODE_FAILED;
    const uint8_t *h = dc_data(c, off);
    uint8_t version = h[1] & GRE_VERSION_MASK;
    uint32_t hlen = 0;
    if (version == 0) {
        if (gre_v0(c, h, len, &hlen) != DECODE_OK)
            return DECODE_OK;
    } else if (version == 1) {
        if (gre_v1(c, h, len, &hlen) != DECODE_OK)
            return DECODE_OK;
    } else {
        dc_invalid(c, DEV_GRE_WRONG_VERSION);
        return DECODE_OK;
    }

    uint32_t ioff = off + hlen, ilen = len - hlen;
    TunnelProto proto;
    switch (rd_be16(h + 2)) {
    case ETHERTYPE_IPV4:
        proto = TUNNEL_IPV4;
        break;
    case GRE_PROTO_PPP:
        /* PPTP key: payload length (2) + call id (2) */
        if (version == 1 && rd_be16(h + 4) == 0)
            return DECODE_OK;
        proto = TUNNEL_PPP;
        break;
    case ETHERTYPE_IPV6:
        proto = TUNNEL_IPV6;
        break;
    case ETHERTYPE_VLAN:
        proto = TUNNEL_VLAN;
        break;
    case ETHERTYPE_ERSPAN:
        proto = (h[0] & GRE_FLAG_SEQ) ? TUNNEL_ERSPAN_II : TUNNEL_ERSPAN_I;
        break;
    case ETHERTYPE_BRIDGE:
        proto = TUNNEL_ETHERNET;
        break;
    case ETHERTYPE_ARP:
        proto = TUNNEL_ARP;
        break;
    default:
        return DECODE_OK;
    }
    decode_tunnel(c, ioff, ilen, proto, PKT_SRC_DECODER_GRE);
    return DECODE_OK;
}

int decode_erspan_type1(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_ERSPAN);
    return decode_ethernet(c, off, len);
}

int decode_erspan(DecodeCtx *c, uint32_t off, uint32_t len)
{
    Packet *p = c->p;
    dc_count(c, CTR_DECODER_ERSPAN);
    if (len < ERSPAN_HEADER_LEN) {
        dc_event(c, DEV_ERSPAN_HEADER_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (!dc_layer(c))
        return DECODE_FAILED;
    uint16_t ver_vlan = rd_be16(dc_data(c, off));
    if ((ver_vlan >> 12) != 1) {
        dc_event(c, DEV_ERSPAN_UNSUPPORTED_VERSION);
        return DECODE_FAILED;
    }
    uint16_t vlan = ver_vlan & 0x0fff;
    if (vlan > 0) {
        if (p->vlan_count >= PACKET_MAX_VLANS) {
            dc_event(c, DEV_ERSPAN_TOO_MANY_VLAN_LAYERS);
            return DECODE_FAILED;
        }
        p->vlan_id[p->vlan_count++] = vlan;
    }
    return decode_ethernet(c, off + ERSPAN_HEADER_LEN, len - ERSPAN_HEADER_LEN);
}
