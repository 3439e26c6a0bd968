/*
 * PPP over Ethernet (RFC 2516): discovery (ethertype 0x8863) and session
 * (0x8864) stages.
 *
 *    0      4      8             16                31
 *   +------+------+--------------+-----------------+
 *   | ver  | type |    code      |   session id    |
 *   +------+------+--------------+-----------------+
 *   |       length (payload)     |  PPP protocol   |   (session stage)
 *   +----------------------------+-----------------+
 *
 * Discovery packets must carry a known code (PADI 0x09, PADO 0x07, PADR
 * 0x19, PADS 0x65, PADT 0xa7) and tags that fit the packet. Session packets
 * with a non-zero length carry one PPP frame without address/control bytes;
 * its protocol field is 1 byte when the low bit of its first byte is set
 * (RFC 1661 6.5), else 2 bytes, and is treated like PPP's.
 */
#include "decode/decode-internal.h"

#include "decode/decode-ppp.h"

#define PPPOE_DISCOVERY_HEADER_MIN_LEN 6
#define PPPOE_SESSION_HEADER_MIN_LEN 7 /* 6-byte header + 1-byte protocol */

int decode_pppoe_discovery(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_PPPOE);
    if (len < PPPOE_DISCOVERY_HEADER_MIN_LEN) {
        dc_invalid(c, DEV_PPPOE_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    const uint8_t *h = dc_data(c, off);
    switch (h[1]) {
    case 0x09:
    case 0x07:
    case 0x19:
    case 0x65:
    case 0xa7:
        break;
    default:
        dc_invalid(c, DEV_PPPOE_WRONG_CODE);
        return DECODE_OK;
    }
    uint32_t plen = rd_be16(h + 4);
    if (plen > len - PPPOE_DISCOVERY_HEADER_MIN_LEN) {
        dc_invalid(c, DEV_PPPOE_MALFORMED_TAGS);
        return DECODE_OK;
    }
    return DECODE_OK;
}

int decode_pppoe_session(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_PPPOE);
    if (len < PPPOE_SESSION_HEADER_MIN_LEN) {
        dc_invalid(c, DEV_PPPOE_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    const uint8_t *h = dc_data(c, off);
    if (rd_be16(h + 4) == 0)
        return DECODE_OK;

    uint16_t proto;
    uint32_t hlen;
    if (h[6] & 0x01) {
        proto = h[6];
        hlen = PPPOE_SESSION_HEADER_MIN_LEN;
    } else {
        hlen = PPPOE_SESSION_HEADER_MIN_LEN + 1;
        if (len < hlen) {
            dc_invalid(c, DEV_PPPOE_PKT_TOO_SMALL);
            return DECODE_FAILED;
        }
        proto = rd_be16(h + 6);
    }

    uint32_t rest = len - hlen;
    switch (proto) {
    case PPP_VJ_UCOMP:
        if (rest < IPV4_HEADER_LEN) {
            dc_invalid(c, DEV_PPPVJU_PKT_TOO_SMALL);
            return DECODE_OK;
        }
        if (rest > 65535)
            return DECODE_FAILED;
        if ((h[hlen] >> 4) == 4)
            decode_ipv4(c, off + hlen, rest);
        return DECODE_OK;
    case PPP_IP:
        if (rest < IPV4_HEADER_LEN) {
            dc_invalid(c, DEV_PPPIPV4_PKT_TOO_SMALL);
            return DECODE_OK;
        }
        if (rest > 65535)
            return DECODE_FAILED;
        decode_ipv4(c, off + hlen, rest);
        return DECODE_OK;
    case PPP_IPV6:
        if (rest < IPV6_HEADER_LEN) {
            dc_invalid(c, DEV_PPPIPV6_PKT_TOO_SMALL);
            return DECODE_OK;
        }
        if (rest > 65535)
            return DECODE_FAILED;
        decode_ipv6(c, off + hlen, rest);
        return DECODE_OK;
    }
    switch (decode_ppp_proto_class(proto)) {
    case PPP_CLASS_CONTROL:
        break;
    case PPP_CLASS_UNSUPPORTED:
        dc_event(c, DEV_PPP_UNSUP_PROTO);
        break;
    default:
        dc_invalid(c, DEV_PPP_WRONG_TYPE);
        break;
    }
    return DECODE_OK;
}
