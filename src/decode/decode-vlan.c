/*
 * Tags between the Ethernet header and its payload: IEEE 802.1Q VLAN tags
 * (also 802.1ad QinQ and the old 0x9100), 802.1ah provider backbone
 * bridging and Cisco VN-Tag (802.1Qbh).
 *
 * 802.1Q tag, after the 0x8100 ethertype:
 *
 *    0       3   4               16              32
 *   +-------+---+---------------+---------------+
 *   | PCP   |DEI| VLAN id (12)  | next ethertype|
 *   +-------+---+---------------+---------------+
 *
 * Up to three tags are kept in p->vlan_id[]; the first, second and third
 * are counted in decoder.vlan, decoder.vlan_qinq and decoder.vlan_qinqinq. A
 * fourth raises vlan.too_many_layers. 802.1ah adds an 18-byte I-tag (4 bytes
 * of flags and I-SID, customer MACs, ethertype); VN-Tag a 6-byte header
 * whose last 2 bytes are the next ethertype.
 */
#include "decode/decode-internal.h"

#define VLAN_HEADER_LEN 4
#define IEEE8021AH_HEADER_LEN 18
#define VNTAG_HEADER_LEN 6

int decode_vlan(DecodeCtx *c, uint32_t off, uint32_t len)
{
    Packet *p = c->p;
    static const CounterId by_depth[PACKET_MAX_VLANS] = {
        CTR_DECODER_VLAN, CTR_DECODER_VLAN_QINQ, CTR_DECODER_VLAN_QINQINQ,
    };
    if (p->vlan_count < PACKET_MAX_VLANS)
        dc_count(c, by_depth[p->vlan_count]);

    if (len < VLAN_HEADER_LEN) {
        dc_invalid(c, DEV_VLAN_HEADER_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (!dc_layer(c))
        return DECODE_FAILED;
    if (p->vlan_count >= PACKET_MAX_VLANS) {
        dc_event(c, DEV_VLAN_HEADER_TOO_MANY_LAYERS);
        return DECODE_FAILED;
    }

    const uint8_t *h = dc_data(c, off);
    p->vlan_id[p->vlan_count++] = rd_be16(h) & 0x0fff;
    uint16_t proto = rd_be16(h + 2);
    if (!decode_network_layer(c, proto, off + VLAN_HEADER_LEN, len - VLAN_HEADER_LEN)) {
        dc_invalid(c, DEV_VLAN_UNKNOWN_TYPE);
        return DECODE_FAILED;
    }
    return DECODE_OK;
}

int decode_ieee8021ah(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_IEEE8021AH);
    if (len < IEEE8021AH_HEADER_LEN) {
        dc_invalid(c, DEV_IEEE8021AH_HEADER_TOO_SMALL);
        return DECODE_FAILED;
    }
    uint16_t proto = rd_be16(dc_data(c, off) + 16);
    decode_network_layer(c, proto, off + IEEE8021AH_HEADER_LEN, len - IEEE8021AH_HEADER_LEN);
    return DECODE_OK;
}

int decode_vntag(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_VNTAG);
    if (len < VNTAG_HEADER_LEN) {
        dc_invalid(c, DEV_VNTAG_HEADER_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (!dc_layer(c))
        return DECODE_FAILED;
    uint16_t proto = rd_be16(dc_data(c, off) + 4);
    if (!decode_network_layer(c, proto, off + VNTAG_HEADER_LEN, len - VNTAG_HEADER_LEN)) {
        dc_invalid(c, DEV_VNTAG_UNKNOWN_TYPE);
        return DECODE_FAILED;
    }
    return DECODE_OK;
}
