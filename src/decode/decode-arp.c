/*
 * ARP (RFC 826) for Ethernet and IPv4, decoded so EVE can log `arp` records.
 *
 *    0               16              32      40      48              64
 *   +---------------+---------------+-------+-------+---------------+
 *   | hardware type | protocol type | hlen  | plen  |   opcode      |
 *   +---------------+---------------+-------+-------+---------------+
 *   | sender MAC (6) | sender IP (4) | target MAC (6) | target IP (4) |
 *   +----------------+---------------+----------------+---------------+
 *
 * Suricata 8 only accepts hardware type 1 (Ethernet), protocol 0x0800,
 * address sizes 6 and 4 and opcodes 1-4; anything else makes the packet
 * invalid with the matching decoder.arp.* event. Every ARP packet is
 * counted in decoder.arp.
 */
#include "decode/decode-internal.h"

#include <string.h>

#define ARP_HEADER_MIN_LEN 8
#define ARP_HEADER_LEN 28

int decode_arp(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_ARP);
    if (len < ARP_HEADER_MIN_LEN) {
        dc_invalid(c, DEV_ARP_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (!dc_layer(c))
        return DECODE_FAILED;
    const uint8_t *h = dc_data(c, off);
    ArpInfo a;
    memset(&a, 0, sizeof(a));
    a.hw_type = rd_be16(h);
    a.proto_type = rd_be16(h + 2);
    a.opcode = rd_be16(h + 6);
    if (a.hw_type != 1) {
        dc_invalid(c, DEV_ARP_UNSUPPORTED_HARDWARE);
        return DECODE_FAILED;
    }
    if (a.proto_type != ETHERTYPE_IPV4) {
        dc_invalid(c, DEV_ARP_UNSUPPORTED_PROTOCOL);
        return DECODE_FAILED;
    }
    if (len < ARP_HEADER_LEN) {
        dc_invalid(c, DEV_ARP_INVALID_PKT);
        return DECODE_FAILED;
    }
    if (h[4] != 6) {
        dc_invalid(c, DEV_ARP_INVALID_HARDWARE_SIZE);
        return DECODE_FAILED;
    }
    if (h[5] != 4) {
        dc_invalid(c, DEV_ARP_INVALID_PROTOCOL_SIZE);
        return DECODE_FAILED;
    }
    if (a.opcode < 1 || a.opcode > 4) {
        dc_invalid(c, DEV_ARP_UNSUPPORTED_OPCODE);
        return DECODE_FAILED;
    }
    memcpy(a.src_mac, h + 8, 6);
    memcpy(a.src_ip, h + 14, 4);
    memcpy(a.dst_mac, h + 18, 6);
    memcpy(a.dst_ip, h + 24, 4);
    c->p->arp = a;
    c->p->has_arp = true;
    return DECODE_OK;
}
