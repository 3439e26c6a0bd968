/*
 * Linux "cooked" capture headers, what libpcap writes for the `any`
 * interface: LINKTYPE_LINUX_SLL (113) and LINKTYPE_LINUX_SLL2 (276), see
 * https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and _SLL2.html.
 *
 * SLL, 16 bytes:
 *   +--------+--------+--------+----------------------+----------+
 *   | pkttype| hatype | halen  | address (8 bytes)    | protocol |
 *   |   2    |   2    |   2    |                      |    2     |
 *   +--------+--------+--------+----------------------+----------+
 * SLL2, 20 bytes:
 *   +----------+----------+---------+--------+-------+-------+-----------+
 *   | protocol | reserved | ifindex | hatype |pkttype| halen | address 8 |
 *   |    2     |    2     |    4    |   2    |   1   |   1   |           |
 *   +----------+----------+---------+--------+-------+-------+-----------+
 *
 * The protocol field is an ethertype; the payload goes to the same dispatch
 * as Ethernet's.
 */
#include "decode/decode-internal.h"

#define SLL_HEADER_LEN 16
#define SLL2_HEADER_LEN 20

int decode_sll(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_SLL);
    if (len < SLL_HEADER_LEN) {
        dc_invalid(c, DEV_SLL_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (!dc_layer(c))
        return DECODE_FAILED;
    uint16_t proto = rd_be16(dc_data(c, off) + 14);
    decode_network_layer(c, proto, off + SLL_HEADER_LEN, len - SLL_HEADER_LEN);
    return DECODE_OK;
}

int decode_sll2(DecodeCtx *c, uint32_t off, uint32_t len)
{
    dc_count(c, CTR_DECODER_SLL2);
    if (len < SLL2_HEADER_LEN) {
        dc_invalid(c, DEV_SLL2_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (!dc_layer(c))
        return DECODE_FAILED;
    uint16_t proto = rd_be16(dc_data(c, off));
    decode_network_layer(c, proto, off + SLL2_HEADER_LEN, len - SLL2_HEADER_LEN);
    return DECODE_OK;
}
