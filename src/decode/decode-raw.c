/*
 * Captures without a link header: the packet starts with an IP header
 * (DLT_RAW 12/14, LINKTYPE_RAW 101, LINKTYPE_IPV4 228, LINKTYPE_IPV6 229,
 * LINKTYPE_GRE_OVER_IP 778), and Cisco HDLC framing (LINKTYPE_C_HDLC 104).
 *
 * Raw: the version nibble of the first byte picks IPv4 or IPv6; anything
 * shorter than an IPv4 header is ipv4.pkt_too_small, another version is
 * ipraw.invalid_ip_version. As in Suricata, a raw packet longer than 65535
 * bytes is not decoded.
 *
 * Cisco HDLC, 4 bytes:
 *   +---------+---------+-----------------+-----------
 *   | address | control | protocol (type) | payload
 *   +---------+---------+-----------------+-----------
 * The protocol field is an ethertype.
 */
#include "decode/decode-internal.h"

#define CHDLC_HEADER_LEN 4

int decode_raw(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_RAW);
    if (len < IPV4_HEADER_LEN) {
        dc_invalid(c, DEV_IPV4_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (len > 65535)
        return DECODE_FAILED;
    uint8_t ver = dc_data(c, off)[0] >> 4;
    if (ver == 4)
        decode_ipv4(c, off, len);
    else if (ver == 6)
        decode_ipv6(c, off, len);
    else
        dc_event(c, DEV_IPRAW_INVALID_IPV);
    return DECODE_OK;
}

int decode_chdlc(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_CHDLC);
    if (len < CHDLC_HEADER_LEN) {
        dc_invalid(c, DEV_CHDLC_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (len > CHDLC_HEADER_LEN + 65535)
        return DECODE_FAILED;
    if (!dc_layer(c))
        return DECODE_FAILED;
    uint16_t proto = rd_be16(dc_data(c, off) + 2);
    decode_network_layer(c, proto, off + CHDLC_HEADER_LEN, len - CHDLC_HEADER_LEN);
    return DECODE_OK;
}
