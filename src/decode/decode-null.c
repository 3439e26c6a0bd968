/*
 * BSD loopback encapsulation: LINKTYPE_NULL (0) and LINKTYPE_LOOP (108),
 * https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html.
 *
 *   +---------------------------+-------------
 *   | address family (4 bytes)  | IP packet
 *   +---------------------------+-------------
 *
 * NULL stores the family in the capturing host's byte order, LOOP in network
 * order. Suricata reads NULL in the reading host's order, so a capture made
 * on a machine of the other endianness is not decoded there; here both
 * orders are tried (the expected one first), which decodes such captures
 * too. AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD/OpenBSD/BSD/OS), 28
 * (FreeBSD), 30 (Darwin), 10 (Linux), 26 (Solaris) or 23 (Winsock), the
 * values Suricata accepts. Anything else raises ltnull.unsupported_type.
 */
#include "decode/decode-internal.h"

#define NULL_HDR_SIZE 4

/* 4 = IPv4, 6 = IPv6, 0 = not a family we decode */
static int null_family(uint32_t af)
{
    switch (af) {
    case 2:
        return 4;
    case 24:
    case 28:
    case 30:
    case 10:
    case 26:
    case 23:
        return 6;
    }
    return 0;
}

int decode_null(DecodeCtx *c, uint32_t off, uint32_t len, bool loop)
{
    dc_count(c, CTR_DECODER_NULL);
    if (len < NULL_HDR_SIZE) {
        dc_invalid(c, DEV_LTNULL_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (len - NULL_HDR_SIZE > 65535)
        return DECODE_FAILED;
    const uint8_t *h = dc_data(c, off);
    uint32_t first = loop ? rd_be32(h) : rd_le32(h);
    uint32_t second = loop ? rd_le32(h) : rd_be32(h);
    int fam = null_family(first);
    if (fam == 0)
        fam = null_family(second);
    uint32_t ioff = off + NULL_HDR_SIZE, ilen = len - NULL_HDR_SIZE;
    if (fam == 4)
        decode_ipv4(c, ioff, ilen);
    else if (fam == 6)
        decode_ipv6(c, ioff, ilen);
    else
        dc_event(c, DEV_LTNULL_UNSUPPORTED_TYPE);
    return DECODE_OK;
}
