/*
 * Point-to-Point Protocol framing (RFC 1661) as found in LINKTYPE_PPP
 * captures, PPTP's GRE tunnels and PPPoE sessions.
 *
 *   +------+---------+--------------+-----------
 *   | 0xff | 0x03    | protocol 1-2 | payload          (HDLC-like framing)
 *   +------+---------+--------------+-----------
 *   | protocol 1-2 | payload                           (no address/control)
 *   +--------------+-----------
 *
 * The address/control pair is present when the first byte is 0xff. A
 * protocol whose first byte is odd is the 1-byte compressed form (RFC 1661
 * section 6.5). IPv4 (0x21), IPv6 (0x57) and Van Jacobson uncompressed TCP
 * (0x2f, an IPv4 header whose protocol byte holds a connection slot, which
 * the IPv4 decoder then treats as TCP) are decoded; control protocols
 * (LCP, IPCP, PAP, CHAP, ...) are valid and not inspected; other known
 * protocols raise ppp.unsup_proto and unknown ones ppp.wrong_type.
 */
#include "decode/decode-internal.h"

#include "decode/decode-ppp.h"

/* What Suricata does with a 2-byte protocol field value. */
int decode_ppp_proto_class(uint16_t proto)
{
    switch (proto) {
    case PPP_VJ_UCOMP:
    case PPP_IP:
    case PPP_IPV6:
        return PPP_CLASS_DECODE;
    case PPP_IPCP:
    case PPP_IPV6CP:
    case PPP_LCP:
    case PPP_PAP:
    case PPP_CHAP:
    case PPP_CCP:
    case PPP_LQM:
    case PPP_CBCP:
    case PPP_COMP_DGRAM:
    case PPP_CDPCP:
        return PPP_CLASS_CONTROL;
    case PPP_VJ_COMP:
    case PPP_IPX:
    case PPP_OSI:
    case PPP_NS:
    case PPP_DECNET:
    case PPP_APPLE:
    case PPP_BRPDU:
    case PPP_STII:
    case PPP_VINES:
    case PPP_HELLO:
    case PPP_LUXCOM:
    case PPP_SNS:
    case PPP_MPLS_UCAST:
    case PPP_MPLS_MCAST:
    case PPP_OSICP:
    case PPP_NSCP:
    case PPP_DECNETCP:
    case PPP_APPLECP:
    case PPP_IPXCP:
    case PPP_STIICP:
    case PPP_VINESCP:
    case PPP_MPLSCP:
        return PPP_CLASS_UNSUPPORTED;
    }
    return PPP_CLASS_UNKNOWN;
}

static int ppp_ipv4(DecodeCtx *c, uint32_t off, uint32_t len)
{
    return decode_ipv4(c, off, len > 65535 ? 65535 : len);
}

static int ppp_compressed(DecodeCtx *c, uint32_t off, uint32_t len, uint32_t proto_off)
{
    const uint32_t data = proto_off + 1;
    switch (dc_data(c, off)[proto_off]) {
    case 0x21:
        if (len < data + IPV4_HEADER_LEN) {
            dc_invalid(c, DEV_PPPVJU_PKT_TOO_SMALL);
            return DECODE_FAILED;
        }
        return ppp_ipv4(c, off + data, len - data);
    case 0x57:
        if (len < data + IPV6_HEADER_LEN) {
            dc_invalid(c, DEV_PPPIPV6_PKT_TOO_SMALL);
            return DECODE_FAILED;
        }
        return decode_ipv6(c, off + data, len - data > 65535 ? 65535 : len - data);
    case 0x2f:
        if (len < data + IPV4_HEADER_LEN) {
            dc_invalid(c, DEV_PPPVJU_PKT_TOO_SMALL);
            return DECODE_FAILED;
        }
        if (len - data > 65535)
            return DECODE_FAILED;
        if ((dc_data(c, off + data)[0] >> 4) != 4)
            return DECODE_FAILED;
        c->ppp_vj_ucomp = true;
        return decode_ipv4(c, off + data, len - data);
    default:
        dc_event(c, DEV_PPP_UNSUP_PROTO);
        return DECODE_OK;
    }
}

static int ppp_uncompressed(DecodeCtx *c, uint32_t off, uint32_t len, uint16_t proto, uint32_t data)
{
    switch (proto) {
    case PPP_VJ_UCOMP:
        if (len < data + IPV4_HEADER_LEN) {
            dc_invalid(c, DEV_PPPVJU_PKT_TOO_SMALL);
            return DECODE_FAILED;
        }
        if (len - data > 65535)
            return DECODE_FAILED;
        if ((dc_data(c, off + data)[0] >> 4) != 4)
            return DECODE_FAILED;
        return decode_ipv4(c, off + data, len - data);
    case PPP_IP:
        if (len < data + IPV4_HEADER_LEN) {
            dc_invalid(c, DEV_PPPIPV4_PKT_TOO_SMALL);
            return DECODE_FAILED;
        }
        if (len - data > 65535)
            return DECODE_FAILED;
        return decode_ipv4(c, off + data, len - data);
    case PPP_IPV6:
        if (len < data + IPV6_HEADER_LEN) {
            dc_invalid(c, DEV_PPPIPV6_PKT_TOO_SMALL);
            return DECODE_FAILED;
        }
        if (len - data > 65535)
            return DECODE_FAILED;
        return decode_ipv6(c, off + data, len - data);
    }
    switch (decode_ppp_proto_class(proto)) {
    case PPP_CLASS_CONTROL:
        return DECODE_OK;
    case PPP_CLASS_UNSUPPORTED:
        dc_event(c, DEV_PPP_UNSUP_PROTO);
        return DECODE_OK;
    default:
        dc_invalid(c, DEV_PPP_WRONG_TYPE);
        return DECODE_OK;
    }
}

int decode_ppp(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_PPP);
    if (len < 1) {
        dc_invalid(c, DEV_PPP_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    const uint8_t *h = dc_data(c, off);
    uint32_t proto_off = 0;
    if (h[0] == 0xff) {
        proto_off = 2;
        if (len < 3) {
            dc_invalid(c, DEV_PPP_PKT_TOO_SMALL);
            return DECODE_FAILED;
        }
    }
    uint32_t proto_size = (h[proto_off] & 0x01) ? 1 : 2;
    if (len < proto_off + proto_size) {
        dc_invalid(c, DEV_PPP_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (!dc_layer(c))
        return DECODE_FAILED;
    if (proto_size == 1)
        return ppp_compressed(c, off, len, proto_off);
    uint16_t proto = rd_be16(h + proto_off);
    return ppp_uncompressed(c, off, len, proto, proto_off + proto_size);
}
