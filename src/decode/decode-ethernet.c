/*
 * Ethernet II (IEEE 802.3 / RFC 894) and the ethertype dispatch every link
 * header that names its payload by ethertype uses (Ethernet, VLAN tags,
 * Linux SLL/SLL2, Cisco HDLC, 802.1ah, VN-Tag).
 *
 *    0                   6                  12      14
 *   +-------------------+------------------+-------+----------
 *   | destination MAC   | source MAC       | type  | payload
 *   +-------------------+------------------+-------+----------
 *
 * The ethertypes are the ones Suricata 8 decodes. Anything else is counted
 * in decoder.unknown_ethertype and raises ethernet.unknown_ethertype (an
 * anomaly, not an invalid packet); the caller decides what an unknown type
 * after a tag means (VLAN and VN-Tag make it invalid). Cisco FabricPath
 * (DCE, 0x8903) carries a second Ethernet header 2 bytes in.
 */
#include "decode/decode-internal.h"

#include <string.h>

#define ETHERNET_DCE_HEADER_LEN (ETHERNET_HEADER_LEN + 2)

int decode_ethernet(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_ETHERNET);
    if (len < ETHERNET_HEADER_LEN) {
        dc_invalid(c, DEV_ETHERNET_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (!dc_layer(c))
        return DECODE_FAILED;

    const uint8_t *h = dc_data(c, off);
    Packet *p = c->p;
    p->has_ether = true;
    memcpy(p->dst_mac, h, 6);
    memcpy(p->src_mac, h + 6, 6);
    p->ether_type = rd_be16(h + 12);

    decode_network_layer(c, p->ether_type, off + ETHERNET_HEADER_LEN, len - ETHERNET_HEADER_LEN);
    return DECODE_OK;
}

bool decode_network_layer(DecodeCtx *c, uint16_t ethertype, uint32_t off, uint32_t len)
{
    uint32_t iplen = len > 65535 ? 65535 : len;
    switch (ethertype) {
    case ETHERTYPE_IPV4:
        decode_ipv4(c, off, iplen);
        break;
    case ETHERTYPE_IPV6:
        decode_ipv6(c, off, iplen);
        break;
    case ETHERTYPE_PPPOE_SESS:
        decode_pppoe_session(c, off, len);
        break;
    case ETHERTYPE_PPPOE_DISC:
        decode_pppoe_discovery(c, off, len);
        break;
    case ETHERTYPE_VLAN:
    case ETHERTYPE_8021AD:
    case ETHERTYPE_8021QINQ:
        if (c->p->vlan_count >= PACKET_MAX_VLANS)
            dc_event(c, DEV_VLAN_HEADER_TOO_MANY_LAYERS);
        else
            decode_vlan(c, off, len);
        break;
    case ETHERTYPE_8021AH:
        decode_ieee8021ah(c, off, len);
        break;
    case ETHERTYPE_ARP:
        decode_arp(c, off, len);
        break;
    case ETHERTYPE_MPLS_UNICAST:
    case ETHERTYPE_MPLS_MULTICAST:
        decode_mpls(c, off, len);
        break;
    case ETHERTYPE_DCE:
        if (len < ETHERNET_DCE_HEADER_LEN)
            dc_invalid(c, DEV_DCE_PKT_TOO_SMALL);
        else
            decode_ethernet(c, off + 2, len - 2);
        break;
    case ETHERTYPE_VNTAG:
        decode_vntag(c, off, len);
        break;
    case ETHERTYPE_NSH:
        decode_nsh(c, off, len);
        break;
    default:
        dc_count(c, CTR_DECODER_UNKNOWN_ETHERTYPE);
        dc_event(c, DEV_ETHERNET_UNKNOWN_ETHERTYPE);
        return false;
    }
    return true;
}
