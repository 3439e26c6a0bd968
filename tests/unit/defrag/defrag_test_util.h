/*
 * Builders for the defrag unit tests: IPv4 and IPv6 fragment packets laid
 * out as the decoder leaves them (IP header at l3_off, fragment fields
 * filled in), and a checker for reassembled payloads.
 */
#ifndef ODLAR_TEST_DEFRAG_UTIL_H
#define ODLAR_TEST_DEFRAG_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "decode/packet.h"

/* Internet checksum over n bytes (RFC 1071). */
static inline uint16_t tu_csum(const uint8_t *b, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(b[i] << 8 | b[i + 1]);
    if (n & 1)
        s += (uint32_t)b[n - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static inline void tu_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Link-layer bytes put before the IP header, so l3_off is exercised. */
#define TU_L2 14

/* IPv4 fragment from 1.1.1.1 to 2.2.2.2 carrying `content`; off in 8-byte
 * units. `extra` trailing bytes (Ethernet padding) follow the datagram. */
static inline Packet *tu_ipv4_content(uint8_t proto, uint16_t id, uint16_t off, bool mf, const uint8_t *content,
                                      int len, int extra)
{
    uint8_t buf[TU_L2 + 20 + 70000];
    memset(buf, 0xee, sizeof(buf));
    uint8_t *h = buf + TU_L2;
    h[0] = 0x45;
    h[1] = 0;
    tu_be16(h + 2, (uint16_t)(20 + len));
    tu_be16(h + 4, id);
    tu_be16(h + 6, (uint16_t)((mf ? 0x2000 : 0) | off));
    h[8] = 64;
    h[9] = proto;
    tu_be16(h + 10, 0);
    memcpy(h + 12, "\x01\x01\x01\x01\x02\x02\x02\x02", 8);
    tu_be16(h + 10, tu_csum(h, 20));
    if (len > 0)
        memcpy(h + 20, content, (size_t)len);
    Packet *p = packet_new();
    packet_set_data(p, buf, (uint32_t)(TU_L2 + 20 + len + extra));
    p->datalink = LINKTYPE_ETHERNET;
    p->ts = OD_TIME_FROM_SEC(1000) + 250000;
    p->l3_off = TU_L2;
    p->l3_len = (uint32_t)(20 + len + extra);
    p->ip_version = 4;
    p->ip4.hlen = 20;
    p->ip4.id = id;
    p->ip4.total_len = (uint16_t)(20 + len);
    p->ip4.frag_offset = off;
    p->ip4.mf = mf;
    p->ip4.ttl = 64;
    p->is_fragment = true;
    p->proto = proto;
    p->src_addr.family = 4;
    memcpy(p->src_addr.addr, "\x01\x01\x01\x01", 4);
    p->dst_addr.family = 4;
    memcpy(p->dst_addr.addr, "\x02\x02\x02\x02", 4);
    return p;
}

static inline Packet *tu_ipv4(uint8_t proto, uint16_t id, uint16_t off, bool mf, char fill, int len)
{
    uint8_t c[70000];
    memset(c, fill, (size_t)len);
    return tu_ipv4_content(proto, id, off, mf, c, len, 0);
}

/* IPv6 fragment from 0101:...:0101 to 0202:...:0202. `ext` (ext_len bytes,
 * a chain of extension headers whose last next-header is 44) goes between
 * the IPv6 header and the fragment header; ext_first is the IPv6 header's
 * next header then. prev_nh_known=false leaves ip6.frag_prev_nh_off 0. */
static inline Packet *tu_ipv6_full(uint8_t proto, uint32_t id, uint16_t off, bool mf, const uint8_t *content, int len,
                                   const uint8_t *ext, int ext_len, uint8_t ext_first, uint16_t prev_nh_off)
{
    uint8_t buf[TU_L2 + 40 + 512 + 8 + 70000];
    memset(buf, 0xee, TU_L2);
    uint8_t *h = buf + TU_L2;
    memset(h, 0, 40);
    h[0] = 0x60;
    tu_be16(h + 4, (uint16_t)(ext_len + 8 + len));
    h[6] = ext_len ? ext_first : 44;
    h[7] = 2;
    memset(h + 8, 0x01, 16);
    memset(h + 24, 0x02, 16);
    if (ext_len)
        memcpy(h + 40, ext, (size_t)ext_len);
    uint8_t *fh = h + 40 + ext_len;
    fh[0] = proto;
    fh[1] = 0;
    tu_be16(fh + 2, (uint16_t)((off << 3) | (mf ? 1 : 0)));
    fh[4] = (uint8_t)(id >> 24);
    fh[5] = (uint8_t)(id >> 16);
    fh[6] = (uint8_t)(id >> 8);
    fh[7] = (uint8_t)id;
    if (len > 0)
        memcpy(fh + 8, content, (size_t)len);
    Packet *p = packet_new();
    packet_set_data(p, buf, (uint32_t)(TU_L2 + 40 + ext_len + 8 + len));
    p->datalink = LINKTYPE_ETHERNET;
    p->ts = OD_TIME_FROM_SEC(1000);
    p->l3_off = TU_L2;
    p->l3_len = (uint32_t)(40 + ext_len + 8 + len);
    p->ip_version = 6;
    p->ip6.payload_len = (uint16_t)(ext_len + 8 + len);
    p->ip6.has_frag = true;
    p->ip6.frag_id = id;
    p->ip6.frag_offset = off;
    p->ip6.frag_mf = mf;
    p->ip6.frag_hdr_offset = (uint16_t)(40 + ext_len);
    p->ip6.unfrag_len = (uint16_t)(40 + ext_len);
    p->ip6.frag_nh = proto;
    p->ip6.frag_prev_nh_off = prev_nh_off;
    p->is_fragment = true;
    p->src_addr.family = 6;
    memset(p->src_addr.addr, 0x01, 16);
    p->dst_addr.family = 6;
    memset(p->dst_addr.addr, 0x02, 16);
    return p;
}

static inline Packet *tu_ipv6_content(uint8_t proto, uint32_t id, uint16_t off, bool mf, const uint8_t *content,
                                      int len)
{
    return tu_ipv6_full(proto, id, off, mf, content, len, NULL, 0, 0, 6);
}

static inline Packet *tu_ipv6(uint8_t proto, uint32_t id, uint16_t off, bool mf, char fill, int len)
{
    uint8_t c[70000];
    memset(c, fill, (size_t)len);
    return tu_ipv6_content(proto, id, off, mf, c, len);
}

/* Moves a packet between the two test addresses' directions. */
static inline void tu_swap_ipv4_addrs(Packet *p)
{
    uint8_t *h = p->buf + p->l3_off;
    uint8_t tmp[4];
    memcpy(tmp, h + 12, 4);
    memcpy(h + 12, h + 16, 4);
    memcpy(h + 16, tmp, 4);
    Address a = p->src_addr;
    p->src_addr = p->dst_addr;
    p->dst_addr = a;
}

#endif
