/*
 * Network Service Header (RFC 8300), ethertype 0x894f.
 *
 *    0 1 2 3               10      16              24              32
 *   +---+-+-+-------+-----+-------+---------------+---------------+
 *   |Ver|O|U|  TTL  |  Length(6)  |U|U|U|U|MD Type| Next Protocol |
 *   +---+-+-+-------+-------------+---------------+---------------+
 *   |        Service Path Identifier (24)         | Service Index |
 *   +---------------------------------------------+---------------+
 *   | context headers ...                (Length is in 4-byte words)
 *
 * Version must be 0. MD type 1 has a fixed 24-byte header, MD type 2 a
 * variable one; 0 and 15 are reserved (nsh.reserved_type), others
 * unsupported. Next protocol 1 IPv4, 2 IPv6, 3 Ethernet, 5 MPLS are
 * decoded; 4 (NSH) and others raise nsh.unknown_payload.
 */
#include "decode/decode-internal.h"

#define NSH_HEADER_LEN 8

int decode_nsh(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_NSH);
    if (len < NSH_HEADER_LEN) {
        dc_invalid(c, DEV_NSH_HEADER_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (!dc_layer(c))
        return DECODE_FAILED;
    const uint8_t *h = dc_data(c, off);
    uint16_t vfl = rd_be16(h);
    if ((vfl >> 14) != 0) {
        dc_event(c, DEV_NSH_UNSUPPORTED_VERSION);
        return DECODE_OK;
    }
    uint32_t hlen = (uint32_t)(vfl & 0x003f) * 4;
    if (hlen >= len) {
        dc_invalid(c, DEV_NSH_BAD_HEADER_LENGTH);
        return DECODE_FAILED;
    }
    uint8_t md_type = h[2];
    if (md_type == 0 || md_type == 0x0f) {
        dc_event(c, DEV_NSH_RESERVED_TYPE);
        return DECODE_OK;
    } else if (md_type == 1) {
        if (hlen != 24) {
            dc_invalid(c, DEV_NSH_BAD_HEADER_LENGTH);
            return DECODE_FAILED;
        }
    } else if (md_type != 2) {
        dc_event(c, DEV_NSH_UNSUPPORTED_TYPE);
        return DECODE_OK;
    }
    uint32_t poff = off + hlen, plen = len - hlen;
    switch (h[3]) {
    case 1:
        if (plen > 65535)
            return DECODE_FAILED;
        return decode_ipv4(c, poff, plen);
    case 2:
        if (plen > 65535)
            return DECODE_FAILED;
        return decode_ipv6(c, poff, plen);
    case 3:
        return decode_ethernet(c, poff, plen);
    case 5:
        return decode_mpls(c, poff, plen);
    default:
        dc_event(c, DEV_NSH_UNKNOWN_PAYLOAD);
        return DECODE_OK;
    }
}
