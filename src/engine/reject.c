/*
 * Building reject replies (contract in reject.h): TCP resets and ICMP /
 * ICMPv6 destination unreachable messages, with their checksums (RFC 1071;
 * the TCP and ICMPv6 checksums cover the pseudo-header of RFC 9293 section
 * 3.1 and RFC 8200 section 8.1). The quoted part of the refused packet is
 * copied through the bounds-checked reader of util/bytes.h.
 */
#include "engine/reject.h"

#include <string.h>

#include "util/bytes.h"

#define IPPROTO_TCP_NUM 6
#define IPPROTO_UDP_NUM 17
#define IPPROTO_ICMP_NUM 1
#define IPPROTO_ICMPV6_NUM 58
#define REPLY_TTL 64
#define ICMP4_QUOTE_MAX 548u /* RFC 1812 4.3.2.3: the reply fits in 576 bytes */

bool reject_action_sides(SigAction action, bool *to_source, bool *to_destination)
{
    *to_source = action == SIG_ACTION_REJECT || action == SIG_ACTION_REJECTSRC || action == SIG_ACTION_REJECTBOTH;
    *to_destination = action == SIG_ACTION_REJECTDST || action == SIG_ACTION_REJECTBOTH;
    return *to_source || *to_destination;
}

static void wr_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void wr_be32(uint8_t *p, uint32_t v)
{
    wr_be16(p, (uint16_t)(v >> 16));
    wr_be16(p + 2, (uint16_t)v);
}

/* One's-complement sum of data (RFC 1071), added to `sum`. */
static uint32_t csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)rd_be16(data + i);
    if (len & 1)
        sum += (uint32_t)data[len - 1] << 8;
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Pseudo-header sum for an upper-layer checksum. */
static uint32_t pseudo_sum(const Address *src, const Address *dst, uint8_t proto, uint32_t len)
{
    size_t alen = src->family == 6 ? 16 : 4;
    uint32_t sum = csum_add(0, src->addr, alen);
    sum = csum_add(sum, dst->addr, alen);
    sum += proto;
    sum += len >> 16;
    sum += len & 0xffff;
    return sum;
}

/* Writes the IP header; returns its length (0 when it does not fit). */
static size_t put_ip_header(uint8_t *out, size_t cap, const Address *src, const Address *dst, uint8_t proto,
                            size_t l4_len)
{
    if (src->family == 4) {
        if (cap < 20 + l4_len)
            return 0;
        memset(out, 0, 20);
        out[0] = 0x45;
        wr_be16(out + 2, (uint16_t)(20 + l4_len));
        out[8] = REPLY_TTL;
        out[9] = proto;
        memcpy(out + 12, src->addr, 4);
        memcpy(out + 16, dst->addr, 4);
        wr_be16(out + 10, csum_fold(csum_add(0, out, 20)));
        return 20;
    }
    if (cap < 40 + l4_len)
        return 0;
    memset(out, 0, 40);
    out[0] = 0x60;
    wr_be16(out + 4, (uint16_t)l4_len);
    out[6] = proto;
    out[7] = REPLY_TTL;
    memcpy(out + 8, src->addr, 16);
    memcpy(out + 24, dst->addr, 16);
    return 40;
}

static size_t build_tcp_reset(const Packet *p, bool towards_source, uint8_t *out, size_t cap)
{
    if (p->tcp.flags & TH_RST)
        return 0;
    const Address *src = towards_source ? &p->dst_addr : &p->src_addr;
    const Address *dst = towards_source ? &p->src_addr : &p->dst_addr;
    uint32_t seq, ack;
    uint8_t flags = TH_RST | TH_ACK;
    if (towards_source) {
        /* the source expects our next byte at its acknowledgment number */
        seq = (p->tcp.flags & TH_ACK) ? p->tcp.ack : 0;
        ack = p->tcp.seq + p->payload_len + ((p->tcp.flags & TH_SYN) ? 1u : 0u) + ((p->tcp.flags & TH_FIN) ? 1u : 0u);
    } else {
        /* the destination never got this packet: it expects its sequence number */
        seq = p->tcp.seq;
        ack = p->tcp.ack;
        if (!(p->tcp.flags & TH_ACK))
            flags = TH_RST;
    }
    size_t hl = put_ip_header(out, cap, src, dst, IPPROTO_TCP_NUM, 20);
    if (hl == 0)
        return 0;
    uint8_t *tcp = out + hl;
    memset(tcp, 0, 20);
    wr_be16(tcp, towards_source ? p->dp : p->sp);
    wr_be16(tcp + 2, towards_source ? p->sp : p->dp);
    wr_be32(tcp + 4, seq);
    wr_be32(tcp + 8, ack);
    tcp[12] = 5 << 4;
    tcp[13] = flags;
    uint32_t sum = csum_add(pseudo_sum(src, dst, IPPROTO_TCP_NUM, 20), tcp, 20);
    wr_be16(tcp + 16, csum_fold(sum));
    return hl + 20;
}

/* True when `p` is itself an ICMP/ICMPv6 error (never answered). */
static bool is_icmp_error(const Packet *p)
{
    if (p->proto == IPPROTO_ICMP_NUM)
        return p->icmp_type == 3 || p->icmp_type == 4 || p->icmp_type == 5 || p->icmp_type == 11 ||
               p->icmp_type == 12;
    if (p->proto == IPPROTO_ICMPV6_NUM)
        return p->icmp_type < 128;
    return false;
}

/* True when `p` went to a group or broadcast address (RFC 1122 3.2.2 and
 * RFC 4443 2.4: no ICMP error about those). */
static bool to_many(const Packet *p)
{
    const uint8_t *d = p->dst_addr.addr;
    if (p->ip_version == 4)
        return (d[0] & 0xf0) == 0xe0 || (d[0] == 255 && d[1] == 255 && d[2] == 255 && d[3] == 255);
    return d[0] == 0xff;
}

static size_t build_unreachable(const Packet *p, uint8_t *out, size_t cap)
{
    if (is_icmp_error(p) || to_many(p))
        return 0;
    bool v4 = p->ip_version == 4;
    size_t quote_max = v4 ? ICMP4_QUOTE_MAX - 28 : REJECT_MAX_LEN - 48;
    /* the refused packet from its IP header on, as far as it was captured */
    if (p->l3_off > p->len)
        return 0;
    ByteReader r = br_init(p->buf + p->l3_off, p->len - p->l3_off);
    size_t quote_len = br_remaining(&r);
    if (p->l3_len && quote_len > p->l3_len)
        quote_len = p->l3_len;
    if (quote_len > quote_max)
        quote_len = quote_max;
    const uint8_t *quote = NULL;
    if (!br_bytes(&r, quote_len, &quote))
        return 0;
    size_t l4_len = 8 + quote_len;
    const Address *src = &p->dst_addr, *dst = &p->src_addr;
    uint8_t proto = v4 ? IPPROTO_ICMP_NUM : IPPROTO_ICMPV6_NUM;
    size_t hl = put_ip_header(out, cap, src, dst, proto, l4_len);
    if (hl == 0)
        return 0;
    uint8_t *icmp = out + hl;
    memset(icmp, 0, 8);
    bool udp = p->proto == IPPROTO_UDP_NUM;
    if (v4) {
        icmp[0] = 3; /* destination unreachable */
        icmp[1] = udp ? 3 : 1; /* port / host unreachable */
    } else {
        icmp[0] = 1; /* destination unreachable */
        icmp[1] = udp ? 4 : 3; /* port / address unreachable */
    }
    memcpy(icmp + 8, quote, quote_len);
    uint32_t sum = v4 ? 0 : pseudo_sum(src, dst, IPPROTO_ICMPV6_NUM, (uint32_t)l4_len);
    wr_be16(icmp + 2, csum_fold(csum_add(sum, icmp, l4_len)));
    return hl + l4_len;
}

size_t reject_build(const Packet *p, bool towards_source, uint8_t *out, size_t cap)
{
    if ((p->ip_version != 4 && p->ip_version != 6) || p->src_addr.family != p->ip_version ||
        p->dst_addr.family != p->ip_version)
        return 0;
    bool later_fragment = p->ip_version == 4 ? p->ip4.frag_offset != 0 : (p->ip6.has_frag && p->ip6.frag_offset != 0);
    if (later_fragment)
        return 0;
    if (p->proto == IPPROTO_TCP_NUM && p->l4_len >= 20)
        return build_tcp_reset(p, towards_source, out, cap);
    if (!towards_source)
        return 0;
    return build_unreachable(p, out, cap);
}
