/*
 * MPLS label stack (RFC 3032) and what follows it.
 *
 *    0                   20    23 24      31
 *   +---------------------+-----+-+--------+
 *   | label               | TC  |S|  TTL   |   one 4-byte entry per label
 *   +---------------------+-----+-+--------+
 *
 * Entries are skipped up to the one with the bottom-of-stack bit S. Its
 * label says what follows: 0 IPv4 explicit null, 2 IPv6 explicit null;
 * 1 (router alert), 3 (implicit null, never on the wire) and the other
 * reserved labels below 16 are anomalies (mpls.bad_label_*). Above that the
 * payload is guessed from its first nibble: 4 IPv4, 6 IPv6, 0 an Ethernet
 * pseudowire behind a 4-byte control word (RFC 4448); else
 * mpls.unknown_payload_type.
 */
#include "decode/decode-internal.h"

#define MPLS_HEADER_LEN 4
#define MPLS_PW_LEN 4
#define MPLS_MAX_RESERVED_LABEL 15

#define MPLS_LABEL_IPV4 0
#define MPLS_LABEL_ROUTER_ALERT 1
#define MPLS_LABEL_IPV6 2
#define MPLS_LABEL_NULL 3

int decode_mpls(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_MPLS);
    if (!dc_layer(c))
        return DECODE_FAILED;

    uint32_t shim;
    do {
        if (len < MPLS_HEADER_LEN) {
            dc_invalid(c, DEV_MPLS_HEADER_TOO_SMALL);
            return DECODE_FAILED;
        }
        shim = rd_be32(dc_data(c, off));
        off += MPLS_HEADER_LEN;
        len -= MPLS_HEADER_LEN;
    } while (((shim >> 8) & 0x1) == 0);

    uint32_t label = shim >> 12;
    DecodeEvent ev = DEV_MAX;
    if (label == MPLS_LABEL_IPV4) {
        if (len > 65535)
            return DECODE_FAILED;
        return decode_ipv4(c, off, len);
    } else if (label == MPLS_LABEL_IPV6) {
        if (len > 65535)
            return DECODE_FAILED;
        return decode_ipv6(c, off, len);
    } else if (label == MPLS_LABEL_ROUTER_ALERT) {
        ev = DEV_MPLS_BAD_LABEL_ROUTER_ALERT;
    } else if (label == MPLS_LABEL_NULL) {
        ev = DEV_MPLS_BAD_LABEL_IMPLICIT_NULL;
    } else if (label < MPLS_MAX_RESERVED_LABEL) {
        ev = DEV_MPLS_BAD_LABEL_RESERVED;
    }
    if (ev != DEV_MAX) {
        dc_event(c, ev);
        return DECODE_OK;
    }

    if (len < MPLS_PW_LEN) {
        dc_invalid(c, DEV_MPLS_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    switch (dc_data(c, off)[0] >> 4) {
    case 4:
        if (len > 65535)
            return DECODE_FAILED;
        decode_ipv4(c, off, len);
        break;
    case 6:
        if (len > 65535)
            return DECODE_FAILED;
        decode_ipv6(c, off, len);
        break;
    case 0:
        decode_ethernet(c, off + MPLS_PW_LEN, len - MPLS_PW_LEN);
        break;
    default:
        dc_invalid(c, DEV_MPLS_UNKNOWN_PAYLOAD_TYPE);
        return DECODE_OK;
    }
    return DECODE_OK;
}
