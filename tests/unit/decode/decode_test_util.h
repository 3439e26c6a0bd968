/*
 * Builders for the decoder tests: a byte buffer that headers are appended
 * to (Ethernet, VLAN, IPv4, IPv6, TCP, UDP, ICMP), with lengths and
 * checksums patched in afterwards, and a decode environment (config,
 * counters, thread) that frees the derived packets a decode produced.
 *
 * The checksum here is written independently of src/decode/checksum.c so
 * that a bug there shows up as a test failure.
 */
#ifndef ODLAR_TEST_DECODE_UTIL_H
#define ODLAR_TEST_DECODE_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "decode/decode.h"
#include "decode/packet.h"

typedef struct Buf {
    uint8_t b[4096];
    size_t n;
} Buf;

static inline uint8_t *tb_put(Buf *b, const void *data, size_t n)
{
    uint8_t *at = b->b + b->n;
    if (data)
        memcpy(at, data, n);
    else
        memset(at, 0, n);
    b->n += n;
    return at;
}

static inline void tb_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void tb_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* One's complement sum, not folded or inverted. */
static inline uint32_t tb_sum(uint32_t s, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        s += (i & 1) ? d[i] : (uint32_t)d[i] << 8;
    return s;
}

static inline uint16_t tb_fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static const uint8_t TB_MAC_DST[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t TB_MAC_SRC[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };

static inline void tb_eth(Buf *b, uint16_t type)
{
    tb_put(b, TB_MAC_DST, 6);
    tb_put(b, TB_MAC_SRC, 6);
    tb_be16(tb_put(b, NULL, 2), type);
}

static inline void tb_vlan(Buf *b, uint16_t id, uint16_t next)
{
    uint8_t *h = tb_put(b, NULL, 4);
    tb_be16(h, id);
    tb_be16(h + 2, next);
}

/* IPv4 header with `opts` (olen bytes, multiple of 4); returns its offset.
 * Finish with tb_ip4_done() once the payload is appended. */
static inline size_t tb_ip4(Buf *b, uint8_t proto, const uint8_t src[4], const uint8_t dst[4], const uint8_t *opts,
                            size_t olen)
{
    size_t off = b->n;
    uint8_t *h = tb_put(b, NULL, 20);
    h[0] = (uint8_t)(0x40 | ((20 + olen) / 4));
    h[8] = 64;
    h[9] = proto;
    tb_be16(h + 4, 0x1234);
    memcpy(h + 12, src, 4);
    memcpy(h + 16, dst, 4);
    if (olen)
        tb_put(b, opts, olen);
    return off;
}

/* Sets the total length to the end of the buffer and the checksum. */
static inline void tb_ip4_done(Buf *b, size_t off)
{
    uint8_t *h = b->b + off;
    size_t hl = (size_t)(h[0] & 0x0f) * 4;
    tb_be16(h + 2, (uint16_t)(b->n - off));
    tb_be16(h + 10, 0);
    tb_be16(h + 10, tb_fold(tb_sum(0, h, hl)));
}

static inline size_t tb_ip6(Buf *b, uint8_t nh, const uint8_t src[16], const uint8_t dst[16])
{
    size_t off = b->n;
    uint8_t *h = tb_put(b, NULL, 40);
    h[0] = 0x60;
    h[6] = nh;
    h[7] = 64;
    memcpy(h + 8, src, 16);
    memcpy(h + 24, dst, 16);
    return off;
}

static inline void tb_ip6_done(Buf *b, size_t off)
{
    tb_be16(b->b + off + 4, (uint16_t)(b->n - off - 40));
}

/* TCP header with options; returns its offset. */
static inline size_t tb_tcp(Buf *b, uint16_t sp, uint16_t dp, uint8_t flags, const uint8_t *opts, size_t olen)
{
    size_t off = b->n;
    uint8_t *h = tb_put(b, NULL, 20);
    tb_be16(h, sp);
    tb_be16(h + 2, dp);
    tb_be32(h + 4, 1000);
    tb_be32(h + 8, 2000);
    h[12] = (uint8_t)(((20 + olen) / 4) << 4);
    h[13] = flags;
    tb_be16(h + 14, 8192);
    if (olen)
        tb_put(b, opts, olen);
    return off;
}

static inline size_t tb_udp(Buf *b, uint16_t sp, uint16_t dp)
{
    size_t off = b->n;
    uint8_t *h = tb_put(b, NULL, 8);
    tb_be16(h, sp);
    tb_be16(h + 2, dp);
    return off;
}

static inline void tb_udp_done(Buf *b, size_t off)
{
    tb_be16(b->b + off + 4, (uint16_t)(b->n - off));
}

/* Transport checksum at `csum_at` (offset within the transport header) over
 * [l4, end of buffer) with the pseudo-header of the IP header at ip (v4 or
 * v6). */
static inline void tb_l4_csum(Buf *b, size_t ip, size_t l4, size_t csum_at, uint8_t proto)
{
    uint8_t *h = b->b + ip;
    size_t len = b->n - l4;
    uint32_t s = 0;
    if ((h[0] >> 4) == 4) {
        s = tb_sum(s, h + 12, 8);
    } else {
        s = tb_sum(s, h + 8, 32);
    }
    s += proto;
    s += (uint32_t)len;
    tb_be16(b->b + l4 + csum_at, 0);
    tb_be16(b->b + l4 + csum_at, tb_fold(tb_sum(s, b->b + l4, len)));
}

static inline void tb_icmp4_csum(Buf *b, size_t l4)
{
    tb_be16(b->b + l4 + 2, 0);
    tb_be16(b->b + l4 + 2, tb_fold(tb_sum(0, b->b + l4, b->n - l4)));
}

static const uint8_t TB_IP_A[4] = { 10, 0, 0, 1 };
static const uint8_t TB_IP_B[4] = { 10, 0, 0, 2 };
static const uint8_t TB_IP6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 };
static const uint8_t TB_IP6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02 };

typedef struct Env {
    DecodeConfig cfg;
    Counters ctr;
    DecodeThread dt;
} Env;

static inline void env_init(Env *e)
{
    memset(e, 0, sizeof(*e));
    decode_config_defaults(&e->cfg);
    e->dt.cfg = &e->cfg;
    e->dt.ctr = &e->ctr;
}

static inline void env_free_derived(Env *e)
{
    for (int i = 0; i < e->dt.derived_count; i++)
        packet_free(e->dt.derived[i]);
    e->dt.derived_count = 0;
}

static inline Packet *tb_packet(const Buf *b, int datalink)
{
    Packet *p = packet_new();
    packet_set_data(p, b->b, (uint32_t)b->n);
    p->datalink = datalink;
    return p;
}

/* Decodes `b` as a wire packet of `datalink`; the caller frees it and calls
 * env_free_derived(). */
static inline Packet *tb_decode(Env *e, const Buf *b, int datalink)
{
    Packet *p = tb_packet(b, datalink);
    decode_packet(&e->dt, p);
    return p;
}

static inline int tb_count_event(const Packet *p, DecodeEvent ev)
{
    int n = 0;
    for (uint8_t i = 0; i < p->event_count; i++)
        n += p->events[i] == (uint16_t)ev;
    return n;
}

#endif
