/*
 * ICMP for IPv4 (RFC 792 and the messages registered since).
 *
 *    0       8       16              31
 *   +-------+-------+---------------+
 *   | Type  | Code  |   Checksum    |
 *   +-------+-------+---------------+
 *   | identifier    | sequence      |   echo, timestamp, info, address mask
 *   +---------------+---------------+
 *   |   unused / pointer / gateway  |   errors: then the IP header and the
 *   +-------------------------------+   first 8 bytes of the offending packet
 *
 * Fewer than 8 bytes is icmpv4.pkt_too_small (invalid). Types Suricata knows
 * check their code (icmpv4.unknown_code); other types raise
 * icmpv4.unknown_type. Echo, timestamp, information and address mask
 * messages carry an id and sequence. Destination unreachable, source
 * quench, redirect, time exceeded and parameter problem quote the packet
 * they are about: its IP header is checked (icmpv4.ipv4_trunc_pkt,
 * icmpv4.ipv4_unknown_ver, both invalid) and its addresses, protocol and
 * TCP/UDP ports recorded in p->icmp_emb. The payload starts after the 8-byte
 * header (after the timestamps or router entries for those messages).
 */
#include "decode/decode-internal.h"

#include <string.h>

#define ICMPV4_HEADER_LEN 8
#define ICMPV4_TIMESTAMP_LEN 12

#define ICMP_ECHOREPLY 0
#define ICMP_DEST_UNREACH 3
#define ICMP_SOURCE_QUENCH 4
#define ICMP_REDIRECT 5
#define ICMP_ECHO 8
#define ICMP_ROUTERADVERT 9
#define ICMP_ROUTERSOLICIT 10
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAMETERPROB 12
#define ICMP_TIMESTAMP 13
#define ICMP_TIMESTAMPREPLY 14
#define ICMP_INFO_REQUEST 15
#define ICMP_INFO_REPLY 16
#define ICMP_ADDRESS 17
#define ICMP_ADDRESSREPLY 18

#define NR_ICMP_UNREACH 15
#define ICMP_REDIR_HOSTTOS 3
#define ICMP_EXC_FRAGTIME 1

/* The quoted IPv4 header of an error message (at most 65535 bytes of it are
 * looked at, like Suricata). */
static void decode_partial_ipv4(DecodeCtx *c, uint32_t off, uint32_t len)
{
    Packet *p = c->p;
    if (len < IPV4_HEADER_LEN) {
        dc_invalid(c, DEV_ICMPV4_IPV4_TRUNC_PKT);
        return;
    }
    const uint8_t *h = dc_data(c, off);
    if ((h[0] >> 4) != 4) {
        dc_invalid(c, DEV_ICMPV4_IPV4_UNKNOWN_VER);
        return;
    }
    IcmpEmbedded *e = &p->icmp_emb;
    e->valid = true;
    e->off = off;
    e->proto = h[9];
    e->src.family = 4;
    memcpy(e->src.addr, h + 12, 4);
    e->dst.family = 4;
    memcpy(e->dst.addr, h + 16, 4);
    /* ports right after a 20-byte header, as Suricata reads them */
    switch (e->proto) {
    case IPPROTO_NUM_TCP:
        if (len >= IPV4_HEADER_LEN + 4) {
            e->sp = rd_be16(h + IPV4_HEADER_LEN);
            e->dp = rd_be16(h + IPV4_HEADER_LEN + 2);
            e->has_ports = true;
        }
        break;
    case IPPROTO_NUM_UDP:
        if (len >= IPV4_HEADER_LEN + UDP_HEADER_LEN) {
            e->sp = rd_be16(h + IPV4_HEADER_LEN);
            e->dp = rd_be16(h + IPV4_HEADER_LEN + 2);
            e->has_ports = true;
        }
        break;
    default:
        break;
    }
}

/* Error messages quote a packet after the 8-byte header. Suricata looks at
 * it when there is at least one byte of it (source quench: also when
 * there is none, which then is too short). */
static int quoted_packet(DecodeCtx *c, uint32_t off, uint32_t len, bool allow_empty)
{
    if (len > ICMPV4_HEADER_LEN || (allow_empty && len == ICMPV4_HEADER_LEN)) {
        if (len > ICMPV4_HEADER_LEN + 65535)
            return DECODE_FAILED;
        decode_partial_ipv4(c, off + ICMPV4_HEADER_LEN, len - ICMPV4_HEADER_LEN);
    }
    return DECODE_OK;
}

static void set_id_seq(Packet *p, const uint8_t *h)
{
    p->icmp_id = rd_be16(h + 4);
    p->icmp_seq = rd_be16(h + 6);
    p->has_icmp_id = true;
}

int decode_icmpv4(DecodeCtx *c, uint32_t off, uint32_t len)
{
    Packet *p = c->p;
    dc_count(c, CTR_DECODER_ICMPV4);
    if (len < ICMPV4_HEADER_LEN) {
        dc_invalid(c, DEV_ICMPV4_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    const uint8_t *h = dc_data(c, off);
    uint8_t type = h[0], code = h[1];
    p->proto = IPPROTO_NUM_ICMP;
    p->icmp_type = type;
    p->icmp_code = code;
    p->l4_off = off;
    p->l4_len = len;
    memset(&p->icmp_emb, 0, sizeof(p->icmp_emb));
    uint32_t hlen = ICMPV4_HEADER_LEN;

    switch (type) {
    case ICMP_ECHOREPLY:
    case ICMP_ECHO:
    case ICMP_INFO_REQUEST:
    case ICMP_INFO_REPLY:
    case ICMP_ADDRESS:
    case ICMP_ADDRESSREPLY:
        set_id_seq(p, h);
        if (code != 0)
            dc_event(c, DEV_ICMPV4_UNKNOWN_CODE);
        break;
    case ICMP_TIMESTAMP:
    case ICMP_TIMESTAMPREPLY:
        set_id_seq(p, h);
        if (code != 0)
            dc_event(c, DEV_ICMPV4_UNKNOWN_CODE);
        if (len < ICMPV4_TIMESTAMP_LEN + ICMPV4_HEADER_LEN)
            dc_event(c, DEV_ICMPV4_IPV4_TRUNC_PKT);
        else
            hlen += ICMPV4_TIMESTAMP_LEN;
        break;
    case ICMP_DEST_UNREACH:
        if (code > NR_ICMP_UNREACH)
            dc_event(c, DEV_ICMPV4_UNKNOWN_CODE);
        else if (quoted_packet(c, off, len, false) != DECODE_OK)
            return DECODE_FAILED;
        break;
    case ICMP_SOURCE_QUENCH:
        if (code != 0)
            dc_event(c, DEV_ICMPV4_UNKNOWN_CODE);
        else if (quoted_packet(c, off, len, true) != DECODE_OK)
            return DECODE_FAILED;
        break;
    case ICMP_REDIRECT:
        if (code > ICMP_REDIR_HOSTTOS)
            dc_event(c, DEV_ICMPV4_UNKNOWN_CODE);
        else if (quoted_packet(c, off, len, false) != DECODE_OK)
            return DECODE_FAILED;
        break;
    case ICMP_TIME_EXCEEDED:
        if (code > ICMP_EXC_FRAGTIME)
            dc_event(c, DEV_ICMPV4_UNKNOWN_CODE);
        else if (quoted_packet(c, off, len, false) != DECODE_OK)
            return DECODE_FAILED;
        break;
    case ICMP_PARAMETERPROB:
        if (code != 0)
            dc_event(c, DEV_ICMPV4_UNKNOWN_CODE);
        else if (quoted_packet(c, off, len, false) != DECODE_OK)
            return DECODE_FAILED;
        break;
    case ICMP_ROUTERADVERT: {
        /* number of addresses * address entry size (in 32-bit words) */
        uint32_t advert = (uint32_t)h[4] * ((uint32_t)h[5] * 4);
        if (len < advert + ICMPV4_HEADER_LEN)
            dc_event(c, DEV_ICMPV4_IPV4_TRUNC_PKT);
        else
            hlen += advert;
        break;
    }
    default:
        /* router solicitation (10) included: Suricata does not list it */
        dc_event(c, DEV_ICMPV4_UNKNOWN_TYPE);
        break;
    }

    p->payload_off = off + hlen;
    p->payload_len = len - hlen;
    p->flow_ok = true;
    return DECODE_OK;
}
