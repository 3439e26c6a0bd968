/*
 * Unit tests for the packet decoders: hand-built packets for each layer,
 * good, truncated and malformed, checked against what Suricata 8 records
 * (fields, counters, anomaly events, validity, derived tunnel packets).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "decode_test_util.h"
#include "decode/decode-internal.h" /* checksum_add, checksum_finish */

#define CTR(e, id) ((e)->ctr.v[CTR_##id])
#define EVC(e, ev) ((e)->ctr.events[DEV_##ev])

/* Ethernet / IPv4 / TCP SYN with MSS, SACK-permitted, timestamps, NOP, WS. */
static size_t build_eth_ipv4_tcp(Buf *b, size_t *ip_off, size_t *tcp_off, const char *payload)
{
    static const uint8_t opts[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7 };
    tb_eth(b, 0x0800);
    *ip_off = tb_ip4(b, 6, TB_IP_A, TB_IP_B, NULL, 0);
    *tcp_off = tb_tcp(b, 40000, 80, TH_SYN, opts, sizeof(opts));
    if (payload)
        tb_put(b, payload, strlen(payload));
    tb_ip4_done(b, *ip_off);
    tb_l4_csum(b, *ip_off, *tcp_off, 16, 6);
    return b->n;
}

static void test_eth_ipv4_tcp_good(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    Buf b = { .n = 0 };
    size_t ip, tcp;
    build_eth_ipv4_tcp(&b, &ip, &tcp, "hello");
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);

    assert_false(p->invalid);
    assert_int_equal(p->event_count, 0);
    assert_true(p->has_ether);
    assert_memory_equal(p->dst_mac, TB_MAC_DST, 6);
    assert_memory_equal(p->src_mac, TB_MAC_SRC, 6);
    assert_int_equal(p->ether_type, 0x0800);
    assert_int_equal(p->ip_version, 4);
    assert_int_equal(p->l3_off, 14);
    assert_int_equal(p->src_addr.family, 4);
    assert_memory_equal(p->src_addr.addr, TB_IP_A, 4);
    assert_memory_equal(p->dst_addr.addr, TB_IP_B, 4);
    assert_int_equal(p->ip4.ttl, 64);
    assert_int_equal(p->ip4.id, 0x1234);
    assert_int_equal(p->proto, 6);
    assert_int_equal(p->sp, 40000);
    assert_int_equal(p->dp, 80);
    assert_int_equal(p->tcp.seq, 1000);
    assert_int_equal(p->tcp.ack, 2000);
    assert_int_equal(p->tcp.flags, TH_SYN);
    assert_int_equal(p->tcp.hlen, 40);
    assert_true(p->tcp.has_mss);
    assert_int_equal(p->tcp.mss, 1460);
    assert_true(p->tcp.has_sackok);
    assert_true(p->tcp.has_ts);
    assert_int_equal(p->tcp.ts_val, 1);
    assert_int_equal(p->tcp.ts_ecr, 2);
    assert_true(p->tcp.has_wscale);
    assert_int_equal(p->tcp.wscale, 7);
    assert_int_equal(p->payload_len, 5);
    assert_memory_equal(packet_payload(p), "hello", 5);
    assert_true(p->flow_ok);
    assert_false(p->ip_csum_bad);
    assert_false(p->l4_csum_bad);
    assert_true(p->decoded);

    assert_int_equal(CTR(&e, DECODER_PKTS), 1);
    assert_int_equal(CTR(&e, DECODER_BYTES), b.n);
    assert_int_equal(CTR(&e, DECODER_AVG_PKT_SIZE), b.n);
    assert_int_equal(CTR(&e, DECODER_MAX_PKT_SIZE), b.n);
    assert_int_equal(CTR(&e, DECODER_ETHERNET), 1);
    assert_int_equal(CTR(&e, DECODER_IPV4), 1);
    assert_int_equal(CTR(&e, DECODER_TCP), 1);
    assert_int_equal(CTR(&e, TCP_SYN), 1);
    assert_int_equal(CTR(&e, TCP_SYNACK), 0);
    assert_int_equal(CTR(&e, DECODER_INVALID), 0);

    /* decoding again does nothing */
    decode_packet(&e.dt, p);
    assert_int_equal(CTR(&e, DECODER_PKTS), 1);
    packet_free(p);
}

static void test_ethernet_too_small(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    Buf b = { .n = 0 };
    tb_put(&b, TB_MAC_DST, 6);
    tb_put(&b, TB_MAC_SRC, 4);
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(p->invalid);
    assert_true(packet_has_event(p, DEV_ETHERNET_PKT_TOO_SMALL));
    assert_false(p->has_ether);
    assert_int_equal(CTR(&e, DECODER_INVALID), 1);
    assert_int_equal(EVC(&e, ETHERNET_PKT_TOO_SMALL), 1);
    packet_free(p);
}

static void test_ipv4_truncated_and_malformed(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    Buf good = { .n = 0 };
    size_t ip, tcp;
    build_eth_ipv4_tcp(&good, &ip, &tcp, "payload");

    /* captured bytes end before the IP total length */
    Buf b = good;
    b.n -= 4;
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(p->invalid);
    assert_true(packet_has_event(p, DEV_IPV4_TRUNC_PKT));
    assert_int_equal(p->ip_version, 0);
    assert_int_equal(p->src_addr.family, 0);
    assert_false(p->flow_ok);
    assert_int_equal(CTR(&e, DECODER_TCP), 0);
    packet_free(p);

    /* shorter than a header */
    b = good;
    b.n = 14 + 12;
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_IPV4_PKT_TOO_SMALL));
    packet_free(p);

    /* IHL 4 */
    b = good;
    b.b[ip] = 0x44;
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_IPV4_HLEN_TOO_SMALL));
    assert_true(p->invalid);
    packet_free(p);

    /* wrong version */
    b = good;
    b.b[ip] = 0x55;
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_IPV4_WRONG_IP_VER));
    packet_free(p);

    /* total length below the header length */
    b = good;
    tb_be16(b.b + ip + 2, 12);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_IPV4_IPLEN_SMALLER_THAN_HLEN));
    packet_free(p);

    /* trailing Ethernet padding is ignored */
    b = good;
    tb_put(&b, "\0\0\0\0\0\0", 6);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_false(p->invalid);
    assert_int_equal(p->payload_len, 7);
    assert_int_equal(p->l3_len, good.n - 14);
    packet_free(p);

    assert_int_equal(CTR(&e, DECODER_INVALID), 5);
    assert_int_equal(CTR(&e, DECODER_PKTS), 6);
}

/* The packet of Suricata-verify's bug-7414-decoder-event-01: a security
 * option of length 2, then an option whose length runs past the options.
 * Suricata 8 raises opt_pad_required once and opt_invalid_len twice and the
 * packet is invalid. */
static void test_ipv4_options_bug7414(void **state)
{
    (void)state;
    static const uint8_t pkt[] = {
        0xfe, 0x2d, 0xcf, 0xad, 0x28, 0x54, 0xf6, 0x3a, 0x04, 0x28, 0x26, 0x77, 0x08, 0x00, 0x48, 0x00,
        0x00, 0x68, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x58, 0x4a, 0x1e, 0x1e, 0x1e, 0x1e, 0x14, 0x14,
        0x14, 0x14, 0x82, 0x02, 0xf1, 0x35, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef, 0xaa, 0x00, 0x13, 0xc4,
        0x13, 0xc4, 0x00, 0x48, 0x1e, 0xfa, 0x83, 0x72, 0x72, 0xff, 0x73, 0x0c, 0x9f, 0xaf, 0xe0, 0x97,
        0xed, 0x8f, 0x68, 0x73, 0x58, 0x7e, 0xf9, 0x0e, 0xa0, 0x1a, 0x11, 0x62, 0xc5, 0x1b, 0xe5, 0x95,
        0x77, 0x98, 0x2a, 0x1c, 0xc2, 0x4f, 0x57, 0x6e, 0x6d, 0x55, 0x23, 0xa6, 0x4c, 0x96, 0x04, 0x3e,
        0xc5, 0x96, 0xee, 0x81, 0x80, 0xff, 0x44, 0x1d, 0x31, 0xb5, 0x7a, 0xce, 0x89, 0x94, 0x38, 0xdd,
        0x2b, 0xc1, 0x7d, 0xda, 0x37, 0xea,
    };
    Env e;
    env_init(&e);
    Buf b = { .n = 0 };
    tb_put(&b, pkt, sizeof(pkt));
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(p->invalid);
    assert_int_equal(tb_count_event(p, DEV_IPV4_OPT_PAD_REQUIRED), 1);
    assert_int_equal(tb_count_event(p, DEV_IPV4_OPT_INVALID_LEN), 2);
    assert_int_equal(p->event_count, 3);
    assert_false(p->flow_ok);
    assert_int_equal(CTR(&e, DECODER_INVALID), 1);
    assert_int_equal(EVC(&e, IPV4_OPT_INVALID_LEN), 2);
    assert_int_equal(EVC(&e, IPV4_OPT_PAD_REQUIRED), 1);
    assert_int_equal(CTR(&e, DECODER_UDP), 0);
    packet_free(p);
}

static Packet *decode_ipv4_opts(Env *e, const uint8_t *opts, size_t olen)
{
    Buf b = { .n = 0 };
    tb_eth(&b, 0x0800);
    size_t ip = tb_ip4(&b, 17, TB_IP_A, TB_IP_B, opts, olen);
    size_t udp = tb_udp(&b, 1111, 2222);
    tb_put(&b, "abcd", 4);
    tb_udp_done(&b, udp);
    tb_ip4_done(&b, ip);
    tb_l4_csum(&b, ip, udp, 6, 17);
    return tb_decode(e, &b, LINKTYPE_ETHERNET);
}

static void test_ipv4_options(void **state)
{
    (void)state;
    Env e;
    env_init(&e);

    /* record route (pointer 4, one slot), NOP, router alert: 12 bytes */
    static const uint8_t good[] = { 7, 7, 4, 0, 0, 0, 0, 1, 0x94, 4, 0, 0 };
    Packet *p = decode_ipv4_opts(&e, good, sizeof(good));
    assert_false(p->invalid);
    assert_true(packet_has_event(p, DEV_IPV4_OPT_PAD_REQUIRED)); /* 12 % 8 */
    assert_int_equal(p->event_count, 1);
    assert_true(p->ip4.opts & IPV4_OPT_FLAG_RR);
    assert_true(p->ip4.opts & IPV4_OPT_FLAG_NOP);
    assert_true(p->ip4.opts & IPV4_OPT_FLAG_RTRALT);
    assert_true(p->flow_ok);
    assert_int_equal(p->dp, 2222);
    packet_free(p);

    /* 8 bytes: EOL first, nothing after is looked at */
    static const uint8_t eol[] = { 0, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99 };
    p = decode_ipv4_opts(&e, eol, sizeof(eol));
    assert_int_equal(p->event_count, 0);
    assert_true(p->ip4.opts & IPV4_OPT_FLAG_EOL);
    packet_free(p);

    /* duplicate router alert, unknown option type 0x5f: both are warnings */
    static const uint8_t dup[] = { 0x94, 4, 0, 0, 0x94, 4, 0, 0, 0x5f, 4, 0, 0, 1, 1, 1, 0 };
    p = decode_ipv4_opts(&e, dup, sizeof(dup));
    assert_false(p->invalid);
    assert_true(packet_has_event(p, DEV_IPV4_OPT_DUPLICATE));
    assert_true(packet_has_event(p, DEV_IPV4_OPT_INVALID));
    assert_false(packet_has_event(p, DEV_IPV4_OPT_PAD_REQUIRED));
    packet_free(p);

    /* timestamp with pointer 4 (< 5): malformed, invalid, walk goes on */
    static const uint8_t ts[] = { 0x44, 8, 4, 0, 0, 0, 0, 0 };
    p = decode_ipv4_opts(&e, ts, sizeof(ts));
    assert_true(p->invalid);
    assert_true(packet_has_event(p, DEV_IPV4_OPT_MALFORMED));
    assert_false(p->ip4.opts & IPV4_OPT_FLAG_TS);
    /* options that only warn or mark invalid do not stop the decode */
    assert_int_equal(p->dp, 2222);
    packet_free(p);

    /* a valid timestamp (flag 1: 8-byte records) */
    static const uint8_t ts_ok[] = { 0x44, 12, 5, 1, 0, 0, 0, 0, 0, 0, 0, 0 };
    p = decode_ipv4_opts(&e, ts_ok, sizeof(ts_ok));
    assert_false(p->invalid);
    assert_true(p->ip4.opts & IPV4_OPT_FLAG_TS);
    packet_free(p);

    /* option length 1: invalid, stop, no transport layer */
    static const uint8_t len1[] = { 0x07, 1, 0, 0 };
    p = decode_ipv4_opts(&e, len1, sizeof(len1));
    assert_true(p->invalid);
    assert_true(packet_has_event(p, DEV_IPV4_OPT_INVALID_LEN));
    assert_false(p->flow_ok);
    assert_int_equal(p->ip_version, 0);
    packet_free(p);

    /* a multi-byte option in the last byte: EOL required */
    static const uint8_t tail[] = { 1, 1, 1, 0x07 };
    p = decode_ipv4_opts(&e, tail, sizeof(tail));
    assert_true(packet_has_event(p, DEV_IPV4_OPT_EOL_REQUIRED));
    assert_false(p->invalid);
    packet_free(p);

    /* CIPSO with a tag of type 0: malformed */
    static const uint8_t cipso[] = { 0x86, 12, 0, 0, 0, 1, 0, 6, 0, 0, 1, 1 };
    p = decode_ipv4_opts(&e, cipso, sizeof(cipso));
    assert_true(packet_has_event(p, DEV_IPV4_OPT_MALFORMED));
    packet_free(p);
    static const uint8_t cipso_ok[] = { 0x86, 12, 0, 0, 0, 1, 1, 6, 0, 0, 1, 1 };
    p = decode_ipv4_opts(&e, cipso_ok, sizeof(cipso_ok));
    assert_false(p->invalid);
    assert_true(p->ip4.opts & IPV4_OPT_FLAG_CIPSO);
    packet_free(p);
}

/* RFC 1071's sum two bytes at a time in network order, as checksum_add
 * computed it before it summed eight bytes at a time. */
static uint32_t reference_sum(uint32_t sum, const uint8_t *d, uint32_t len)
{
    uint32_t i = 0;
    for (; i + 1 < len; i += 2)
        sum += ((uint32_t)d[i] << 8) | d[i + 1];
    if (i < len)
        sum += (uint32_t)d[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

/* checksum_add against the reference: every length from 0 to 300 at odd
 * and even buffer addresses, random and all-0xff contents (the carries),
 * a running sum carried in, and a 64 KiB buffer. */
static void test_checksum_add_matches_reference(void **state)
{
    (void)state;
    static uint8_t buf[65536 + 8];
    uint32_t seed = 12345;
    for (size_t i = 0; i < sizeof(buf); i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = (uint8_t)(seed >> 16);
    }
    for (int fill = 0; fill < 2; fill++) {
        uint8_t saved[310];
        memcpy(saved, buf, sizeof(saved));
        if (fill)
            memset(buf, 0xff, sizeof(saved));
        for (uint32_t len = 0; len <= 300; len++)
            for (uint32_t off = 0; off < 3; off++)
                for (uint32_t start = 0; start < 0x20000; start += 0xfffe) {
                    uint32_t in = start > 0xffff ? 0xffff : start;
                    assert_int_equal(checksum_add(in, buf + off, len), reference_sum(in, buf + off, len));
                }
        memcpy(buf, saved, sizeof(saved));
    }
    assert_int_equal(checksum_add(7, buf + 1, 65536), reference_sum(7, buf + 1, 65536));
    assert_int_equal(checksum_finish(checksum_add(0, buf, 65535)), checksum_finish(reference_sum(0, buf, 65535)));
}

static void test_checksums(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    Buf good = { .n = 0 };
    size_t ip, tcp;
    build_eth_ipv4_tcp(&good, &ip, &tcp, "data");

    Buf b = good;
    b.b[ip + 10] ^= 0x01;
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(p->ip_csum_bad);
    assert_false(p->l4_csum_bad);
    assert_false(p->invalid);
    packet_free(p);

    b = good;
    b.b[b.n - 1] ^= 0x40;
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_false(p->ip_csum_bad);
    assert_true(p->l4_csum_bad);
    assert_true(decode_ipv4_checksum_ok(p));
    assert_false(decode_l4_checksum_ok(p));
    packet_free(p);

    /* with validation off the flags stay clear */
    e.cfg.checksum_validate = false;
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_false(p->l4_csum_bad);
    packet_free(p);
    e.cfg.checksum_validate = true;

    /* UDP over IPv4 with checksum 0: no checksum */
    Buf u = { .n = 0 };
    tb_eth(&u, 0x0800);
    size_t uip = tb_ip4(&u, 17, TB_IP_A, TB_IP_B, NULL, 0);
    size_t udp = tb_udp(&u, 53, 53);
    tb_put(&u, "xyz", 3);
    tb_udp_done(&u, udp);
    tb_ip4_done(&u, uip);
    p = tb_decode(&e, &u, LINKTYPE_ETHERNET);
    assert_false(p->l4_csum_bad);
    packet_free(p);
    /* the same with a wrong non-zero checksum */
    tb_be16(u.b + udp + 6, 0x1234);
    p = tb_decode(&e, &u, LINKTYPE_ETHERNET);
    assert_true(p->l4_csum_bad);
    packet_free(p);
    /* and right */
    tb_l4_csum(&u, uip, udp, 6, 17);
    p = tb_decode(&e, &u, LINKTYPE_ETHERNET);
    assert_false(p->l4_csum_bad);
    packet_free(p);
}

static Packet *decode_tcp_hdr(Env *e, const uint8_t *opts, size_t olen, uint8_t flags, int hlen_override, int cut)
{
    Buf b = { .n = 0 };
    tb_eth(&b, 0x0800);
    size_t ip = tb_ip4(&b, 6, TB_IP_A, TB_IP_B, NULL, 0);
    size_t tcp = tb_tcp(&b, 1234, 443, flags, opts, olen);
    if (hlen_override >= 0)
        b.b[tcp + 12] = (uint8_t)(hlen_override << 4);
    b.n -= (size_t)cut;
    tb_ip4_done(&b, ip);
    return tb_decode(e, &b, LINKTYPE_ETHERNET);
}

static void test_tcp(void **state)
{
    (void)state;
    Env e;
    env_init(&e);

    Packet *p = decode_tcp_hdr(&e, NULL, 0, TH_SYN | TH_ACK, -1, 10);
    assert_true(p->invalid);
    assert_true(packet_has_event(p, DEV_TCP_PKT_TOO_SMALL));
    assert_false(p->flow_ok);
    assert_int_equal(p->l4_len, 0);
    assert_int_equal(p->ip_version, 4); /* IP layer stays */
    packet_free(p);

    p = decode_tcp_hdr(&e, NULL, 0, TH_ACK, 8, 0);
    assert_true(packet_has_event(p, DEV_TCP_HLEN_TOO_SMALL));
    packet_free(p);

    p = decode_tcp_hdr(&e, NULL, 0, TH_ACK, 4, 0);
    assert_true(packet_has_event(p, DEV_TCP_INVALID_OPTLEN));
    assert_false(p->flow_ok);
    packet_free(p);

    /* option of length 1: invalid, but the segment is still tracked */
    static const uint8_t bad_len[] = { 2, 1, 0, 0 };
    p = decode_tcp_hdr(&e, bad_len, sizeof(bad_len), TH_ACK, -1, 0);
    assert_true(p->invalid);
    assert_true(packet_has_event(p, DEV_TCP_OPT_INVALID_LEN));
    assert_true(p->flow_ok);
    packet_free(p);

    /* duplicate MSS, wscale 15 read as 0, wrong-size timestamp */
    static const uint8_t dup[] = { 2, 4, 1, 0, 2, 4, 2, 0, 3, 3, 15, 8, 6, 0, 0, 0, 0, 1, 1, 1 };
    p = decode_tcp_hdr(&e, dup, sizeof(dup), TH_SYN, -1, 0);
    assert_false(p->invalid);
    assert_true(packet_has_event(p, DEV_TCP_OPT_DUPLICATE));
    assert_true(packet_has_event(p, DEV_TCP_OPT_INVALID_LEN));
    assert_int_equal(p->tcp.mss, 256);
    assert_true(p->tcp.has_wscale);
    assert_int_equal(p->tcp.wscale, 0);
    assert_false(p->tcp.has_ts);
    packet_free(p);

    /* SACK with two blocks, TFO cookie, MD5 of the wrong size (invalid) */
    static const uint8_t sack[] = { 1, 1, 5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 40,
                                    34, 6, 1, 2, 3, 4, 19, 4, 0, 0, 0, 0 };
    p = decode_tcp_hdr(&e, sack, sizeof(sack), TH_ACK | TH_RST | TH_URG, -1, 0);
    assert_true(p->tcp.has_sack);
    assert_int_equal(p->tcp.sack_count, 2);
    assert_int_equal(p->tcp.sack[0][0], 10);
    assert_int_equal(p->tcp.sack[1][1], 40);
    assert_true(p->tcp.has_tfo);
    assert_false(p->tcp.has_md5);
    assert_true(p->invalid);
    packet_free(p);

    assert_int_equal(CTR(&e, TCP_SYNACK), 0);
    assert_int_equal(CTR(&e, TCP_SYN), 1);
    assert_int_equal(CTR(&e, TCP_RST), 1);
    assert_int_equal(CTR(&e, TCP_URG), 1);
}

static Packet *decode_udp_len(Env *e, int ulen_field, int payload, int cut)
{
    Buf b = { .n = 0 };
    tb_eth(&b, 0x0800);
    size_t ip = tb_ip4(&b, 17, TB_IP_A, TB_IP_B, NULL, 0);
    size_t udp = tb_udp(&b, 5000, 6000);
    tb_put(&b, NULL, (size_t)payload);
    tb_udp_done(&b, udp);
    if (ulen_field >= 0)
        tb_be16(b.b + udp + 4, (uint16_t)ulen_field);
    b.n -= (size_t)cut;
    tb_ip4_done(&b, ip);
    return tb_decode(e, &b, LINKTYPE_ETHERNET);
}

static void test_udp(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    Packet *p = decode_udp_len(&e, -1, 10, 0);
    assert_false(p->invalid);
    assert_int_equal(p->sp, 5000);
    assert_int_equal(p->dp, 6000);
    assert_int_equal(p->payload_len, 10);
    assert_int_equal(p->l4_len, 18);
    assert_true(p->flow_ok);
    packet_free(p);

    /* UDP length shorter than the IP payload: fine, payload per UDP length */
    p = decode_udp_len(&e, 12, 10, 0);
    assert_false(p->invalid);
    assert_int_equal(p->payload_len, 4);
    packet_free(p);

    p = decode_udp_len(&e, -1, 0, 4);
    assert_true(packet_has_event(p, DEV_UDP_HLEN_TOO_SMALL));
    assert_true(p->invalid);
    assert_false(p->flow_ok);
    packet_free(p);

    p = decode_udp_len(&e, 100, 10, 0);
    assert_true(packet_has_event(p, DEV_UDP_PKT_TOO_SMALL));
    packet_free(p);

    p = decode_udp_len(&e, 4, 10, 0);
    assert_true(packet_has_event(p, DEV_UDP_LEN_INVALID));
    assert_true(p->invalid);
    packet_free(p);
    assert_int_equal(CTR(&e, DECODER_UDP), 5);
}

static void test_icmpv4(void **state)
{
    (void)state;
    Env e;
    env_init(&e);

    Buf b = { .n = 0 };
    tb_eth(&b, 0x0800);
    size_t ip = tb_ip4(&b, 1, TB_IP_A, TB_IP_B, NULL, 0);
    size_t ic = b.n;
    uint8_t *h = tb_put(&b, NULL, 8);
    h[0] = 8;
    tb_be16(h + 4, 0x0102);
    tb_be16(h + 6, 7);
    tb_put(&b, "pingdata", 8);
    tb_icmp4_csum(&b, ic);
    tb_ip4_done(&b, ip);
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_false(p->invalid);
    assert_int_equal(p->icmp_type, 8);
    assert_true(p->has_icmp_id);
    assert_int_equal(p->icmp_id, 0x0102);
    assert_int_equal(p->icmp_seq, 7);
    assert_int_equal(p->payload_len, 8);
    assert_true(p->flow_ok);
    assert_false(p->l4_csum_bad);
    packet_free(p);

    /* unknown type; echo with a code */
    b.b[ic] = 42;
    tb_icmp4_csum(&b, ic);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ICMPV4_UNKNOWN_TYPE));
    assert_false(p->invalid);
    packet_free(p);
    b.b[ic] = 0;
    b.b[ic + 1] = 3;
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ICMPV4_UNKNOWN_CODE));
    packet_free(p);

    /* too small */
    Buf s = { .n = 0 };
    tb_eth(&s, 0x0800);
    size_t sip = tb_ip4(&s, 1, TB_IP_A, TB_IP_B, NULL, 0);
    tb_put(&s, "\x08\x00\x00", 3);
    tb_ip4_done(&s, sip);
    p = tb_decode(&e, &s, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ICMPV4_PKT_TOO_SMALL));
    assert_true(p->invalid);
    assert_false(p->flow_ok);
    packet_free(p);

    /* port unreachable quoting an IPv4/UDP packet 10.0.0.2:53 -> 10.0.0.1:3333 */
    Buf u = { .n = 0 };
    tb_eth(&u, 0x0800);
    size_t uip = tb_ip4(&u, 1, TB_IP_A, TB_IP_B, NULL, 0);
    size_t uic = u.n;
    uint8_t *uh = tb_put(&u, NULL, 8);
    uh[0] = 3;
    uh[1] = 3;
    size_t q = tb_ip4(&u, 17, TB_IP_B, TB_IP_A, NULL, 0);
    size_t qu = tb_udp(&u, 53, 3333);
    tb_udp_done(&u, qu);
    tb_ip4_done(&u, q);
    tb_icmp4_csum(&u, uic);
    tb_ip4_done(&u, uip);
    p = tb_decode(&e, &u, LINKTYPE_ETHERNET);
    assert_false(p->invalid);
    assert_true(p->icmp_emb.valid);
    assert_int_equal(p->icmp_emb.proto, 17);
    assert_memory_equal(p->icmp_emb.src.addr, TB_IP_B, 4);
    assert_memory_equal(p->icmp_emb.dst.addr, TB_IP_A, 4);
    assert_true(p->icmp_emb.has_ports);
    assert_int_equal(p->icmp_emb.sp, 53);
    assert_int_equal(p->icmp_emb.dp, 3333);
    assert_false(p->has_icmp_id);
    packet_free(p);

    /* the quoted header cut short */
    Buf t = u;
    t.n = uic + 8 + 12;
    tb_ip4_done(&t, uip);
    p = tb_decode(&e, &t, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ICMPV4_IPV4_TRUNC_PKT));
    assert_true(p->invalid);
    assert_false(p->icmp_emb.valid);
    assert_true(p->flow_ok);
    packet_free(p);

    /* the quoted header with another version */
    t = u;
    t.b[q] = 0x65;
    p = tb_decode(&e, &t, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ICMPV4_IPV4_UNKNOWN_VER));
    packet_free(p);

    assert_int_equal(decode_icmp_counterpart(1, 8), 0);
    assert_int_equal(decode_icmp_counterpart(1, 0), 8);
    assert_int_equal(decode_icmp_counterpart(1, 3), -1);
    assert_int_equal(decode_icmp_counterpart(58, 128), 129);
    assert_int_equal(decode_icmp_counterpart(58, 136), 135);
}

static void test_vlan(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    for (int tags = 1; tags <= 4; tags++) {
        Buf b = { .n = 0 };
        tb_eth(&b, 0x8100);
        for (int i = 0; i < tags; i++)
            tb_vlan(&b, (uint16_t)(0x2000 | (100 * (i + 1))), i + 1 < tags ? 0x8100 : 0x0800);
        size_t ip = tb_ip4(&b, 17, TB_IP_A, TB_IP_B, NULL, 0);
        size_t udp = tb_udp(&b, 1, 2);
        tb_udp_done(&b, udp);
        tb_ip4_done(&b, ip);
        Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
        if (tags <= 3) {
            assert_int_equal(p->vlan_count, tags);
            for (int i = 0; i < tags; i++)
                assert_int_equal(p->vlan_id[i], 100 * (i + 1)); /* priority bits dropped */
            assert_true(p->flow_ok);
            assert_int_equal(p->event_count, 0);
        } else {
            assert_int_equal(p->vlan_count, 3);
            assert_true(packet_has_event(p, DEV_VLAN_HEADER_TOO_MANY_LAYERS));
            assert_false(p->invalid);
            assert_false(p->flow_ok);
        }
        packet_free(p);
    }
    assert_int_equal(CTR(&e, DECODER_VLAN), 4);
    assert_int_equal(CTR(&e, DECODER_VLAN_QINQ), 3);
    assert_int_equal(CTR(&e, DECODER_VLAN_QINQINQ), 2);

    /* QinQ with 802.1ad outer tag */
    Buf q = { .n = 0 };
    tb_eth(&q, 0x88a8);
    tb_vlan(&q, 10, 0x8100);
    tb_vlan(&q, 20, 0x86dd);
    size_t ip6 = tb_ip6(&q, 59, TB_IP6_A, TB_IP6_B);
    tb_ip6_done(&q, ip6);
    Packet *p = tb_decode(&e, &q, LINKTYPE_ETHERNET);
    assert_int_equal(p->vlan_count, 2);
    assert_int_equal(p->vlan_id[1], 20);
    assert_int_equal(p->ip_version, 6);
    packet_free(p);

    /* truncated tag */
    Buf t = { .n = 0 };
    tb_eth(&t, 0x8100);
    tb_put(&t, "\x00\x01", 2);
    p = tb_decode(&e, &t, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_VLAN_HEADER_TOO_SMALL));
    assert_true(p->invalid);
    packet_free(p);

    /* unknown type after a tag: both events, invalid, counted */
    Buf u = { .n = 0 };
    tb_eth(&u, 0x8100);
    tb_vlan(&u, 5, 0x8035);
    tb_put(&u, NULL, 28);
    uint64_t unknown = CTR(&e, DECODER_UNKNOWN_ETHERTYPE);
    p = tb_decode(&e, &u, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ETHERNET_UNKNOWN_ETHERTYPE));
    assert_true(packet_has_event(p, DEV_VLAN_UNKNOWN_TYPE));
    assert_true(p->invalid);
    assert_int_equal(p->ether_type, 0x8100);
    assert_int_equal(CTR(&e, DECODER_UNKNOWN_ETHERTYPE), unknown + 1);
    packet_free(p);
}

static void test_unknown_ethertype_and_arp(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    Buf b = { .n = 0 };
    tb_eth(&b, 0xfbb7);
    tb_put(&b, NULL, 46);
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ETHERNET_UNKNOWN_ETHERTYPE));
    assert_false(p->invalid);
    assert_int_equal(p->ether_type, 0xfbb7);
    assert_int_equal(CTR(&e, DECODER_UNKNOWN_ETHERTYPE), 1);
    assert_int_equal(CTR(&e, DECODER_ETHERNET), 1);
    assert_int_equal(CTR(&e, DECODER_INVALID), 0);
    packet_free(p);

    static const uint8_t arp[] = { 0, 1, 8, 0, 6, 4, 0, 1, 0, 0x1d, 9, 0xf0, 0x92, 0xab, 10, 10, 10, 1,
                                   0, 0, 0, 0, 0, 0, 10, 10, 10, 2 };
    Buf a = { .n = 0 };
    tb_eth(&a, 0x0806);
    tb_put(&a, arp, sizeof(arp));
    tb_put(&a, NULL, 18);
    p = tb_decode(&e, &a, LINKTYPE_ETHERNET);
    assert_true(p->has_arp);
    assert_false(p->invalid);
    assert_int_equal(p->arp.opcode, 1);
    assert_int_equal(p->arp.hw_type, 1);
    assert_int_equal(p->arp.proto_type, 0x0800);
    assert_memory_equal(p->arp.src_ip, "\x0a\x0a\x0a\x01", 4);
    assert_memory_equal(p->arp.dst_ip, "\x0a\x0a\x0a\x02", 4);
    assert_memory_equal(p->arp.src_mac, "\x00\x1d\x09\xf0\x92\xab", 6);
    assert_false(p->flow_ok);
    assert_int_equal(CTR(&e, DECODER_ARP), 1);
    packet_free(p);

    /* opcode 9, hardware 6, short */
    Buf bad = a;
    bad.b[14 + 7] = 9;
    p = tb_decode(&e, &bad, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ARP_UNSUPPORTED_OPCODE));
    assert_true(p->invalid);
    assert_false(p->has_arp);
    packet_free(p);
    bad = a;
    bad.b[14 + 1] = 6;
    p = tb_decode(&e, &bad, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ARP_UNSUPPORTED_HARDWARE));
    packet_free(p);
    bad = a;
    bad.n = 14 + 20;
    p = tb_decode(&e, &bad, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ARP_INVALID_PKT));
    packet_free(p);
    assert_int_equal(CTR(&e, DECODER_INVALID), 3);
}

/* IPv4/UDP 1.2.3.4 -> 5.6.7.8 used behind various link headers. */
static void put_ipv4_udp(Buf *b)
{
    static const uint8_t s[4] = { 1, 2, 3, 4 }, d[4] = { 5, 6, 7, 8 };
    size_t ip = tb_ip4(b, 17, s, d, NULL, 0);
    size_t udp = tb_udp(b, 7, 9);
    tb_put(b, "x", 1);
    tb_udp_done(b, udp);
    tb_ip4_done(b, ip);
}

static void test_link_types(void **state)
{
    (void)state;
    Env e;
    env_init(&e);

    Buf sll = { .n = 0 };
    tb_put(&sll, "\x00\x00\x00\x01\x00\x06\x00\x11\x22\x33\x44\x55\x00\x00\x08\x00", 16);
    put_ipv4_udp(&sll);
    Packet *p = tb_decode(&e, &sll, LINKTYPE_LINUX_SLL);
    assert_false(p->invalid);
    assert_int_equal(p->l3_off, 16);
    assert_int_equal(p->dp, 9);
    assert_false(p->has_ether);
    packet_free(p);
    sll.n = 10;
    p = tb_decode(&e, &sll, LINKTYPE_LINUX_SLL);
    assert_true(packet_has_event(p, DEV_SLL_PKT_TOO_SMALL));
    packet_free(p);

    Buf sll2 = { .n = 0 };
    tb_put(&sll2, "\x08\x00\x00\x00\x00\x00\x00\x02\x00\x01\x00\x06\x00\x11\x22\x33\x44\x55\x00\x00", 20);
    put_ipv4_udp(&sll2);
    p = tb_decode(&e, &sll2, LINKTYPE_LINUX_SLL2);
    assert_false(p->invalid);
    assert_int_equal(p->l3_off, 20);
    assert_int_equal(p->dp, 9);
    packet_free(p);
    sll2.n = 19;
    p = tb_decode(&e, &sll2, LINKTYPE_LINUX_SLL2);
    assert_true(packet_has_event(p, DEV_SLL2_PKT_TOO_SMALL));
    packet_free(p);

    /* null: little endian AF_INET, big endian AF_INET6 (FreeBSD 28), loop */
    Buf n4 = { .n = 0 };
    tb_put(&n4, "\x02\x00\x00\x00", 4);
    put_ipv4_udp(&n4);
    p = tb_decode(&e, &n4, LINKTYPE_NULL);
    assert_int_equal(p->ip_version, 4);
    assert_int_equal(p->dp, 9);
    packet_free(p);
    Buf n6 = { .n = 0 };
    tb_put(&n6, "\x00\x00\x00\x1c", 4);
    size_t ip6 = tb_ip6(&n6, 59, TB_IP6_A, TB_IP6_B);
    tb_ip6_done(&n6, ip6);
    p = tb_decode(&e, &n6, LINKTYPE_NULL);
    assert_int_equal(p->ip_version, 6);
    packet_free(p);
    p = tb_decode(&e, &n6, LINKTYPE_LOOP);
    assert_int_equal(p->ip_version, 6);
    packet_free(p);
    Buf nx = n4;
    memcpy(nx.b, "\x07\x00\x00\x00", 4);
    p = tb_decode(&e, &nx, LINKTYPE_NULL);
    assert_true(packet_has_event(p, DEV_LTNULL_UNSUPPORTED_TYPE));
    assert_false(p->invalid);
    packet_free(p);
    nx.n = 3;
    p = tb_decode(&e, &nx, LINKTYPE_NULL);
    assert_true(packet_has_event(p, DEV_LTNULL_PKT_TOO_SMALL));
    assert_true(p->invalid);
    packet_free(p);
    assert_int_equal(CTR(&e, DECODER_NULL), 5);

    /* raw under all its numbers */
    Buf raw = { .n = 0 };
    put_ipv4_udp(&raw);
    const int raws[] = { LINKTYPE_RAW, LINKTYPE_RAW_ALT, LINKTYPE_RAW_LINKTYPE, LINKTYPE_IPV4, LINKTYPE_GRE_OVER_IP };
    for (unsigned i = 0; i < sizeof(raws) / sizeof(raws[0]); i++) {
        p = tb_decode(&e, &raw, raws[i]);
        assert_int_equal(p->ip_version, 4);
        assert_int_equal(p->l3_off, 0);
        assert_int_equal(p->dp, 9);
        packet_free(p);
    }
    Buf raw6 = { .n = 0 };
    ip6 = tb_ip6(&raw6, 59, TB_IP6_A, TB_IP6_B);
    tb_ip6_done(&raw6, ip6);
    p = tb_decode(&e, &raw6, LINKTYPE_IPV6);
    assert_int_equal(p->ip_version, 6);
    packet_free(p);
    assert_int_equal(CTR(&e, DECODER_RAW), 6);
    Buf rawx = raw;
    rawx.b[0] = 0x75;
    p = tb_decode(&e, &rawx, LINKTYPE_RAW);
    assert_true(packet_has_event(p, DEV_IPRAW_INVALID_IPV));
    assert_false(p->invalid);
    packet_free(p);
    rawx.n = 19;
    p = tb_decode(&e, &rawx, LINKTYPE_RAW);
    assert_true(packet_has_event(p, DEV_IPV4_PKT_TOO_SMALL));
    assert_true(p->invalid);
    packet_free(p);

    /* Cisco HDLC */
    Buf ch = { .n = 0 };
    tb_put(&ch, "\x0f\x00\x08\x00", 4);
    put_ipv4_udp(&ch);
    p = tb_decode(&e, &ch, LINKTYPE_CISCO_HDLC);
    assert_int_equal(p->dp, 9);
    assert_int_equal(CTR(&e, DECODER_CHDLC), 1);
    packet_free(p);

    /* PPP with address/control, PPP with a compressed protocol */
    Buf ppp = { .n = 0 };
    tb_put(&ppp, "\xff\x03\x00\x21", 4);
    put_ipv4_udp(&ppp);
    p = tb_decode(&e, &ppp, LINKTYPE_PPP);
    assert_int_equal(p->dp, 9);
    assert_false(p->invalid);
    packet_free(p);
    Buf pppc = { .n = 0 };
    tb_put(&pppc, "\x21", 1);
    put_ipv4_udp(&pppc);
    p = tb_decode(&e, &pppc, LINKTYPE_PPP);
    assert_int_equal(p->dp, 9);
    packet_free(p);
    Buf pppx = ppp;
    pppx.b[2] = 0x12;
    pppx.b[3] = 0x34;
    p = tb_decode(&e, &pppx, LINKTYPE_PPP);
    assert_true(packet_has_event(p, DEV_PPP_WRONG_TYPE));
    assert_true(p->invalid);
    packet_free(p);
    pppx.b[2] = 0xc0;
    pppx.b[3] = 0x21; /* LCP: valid, not inspected */
    p = tb_decode(&e, &pppx, LINKTYPE_PPP);
    assert_int_equal(p->event_count, 0);
    packet_free(p);
    pppx.b[2] = 0x00;
    pppx.b[3] = 0x2b; /* IPX: unsupported */
    p = tb_decode(&e, &pppx, LINKTYPE_PPP);
    assert_true(packet_has_event(p, DEV_PPP_UNSUP_PROTO));
    assert_false(p->invalid);
    packet_free(p);
    pppx.b[3] = 0x21;
    pppx.n = 4 + 10;
    p = tb_decode(&e, &pppx, LINKTYPE_PPP);
    assert_true(packet_has_event(p, DEV_PPPIPV4_PKT_TOO_SMALL));
    packet_free(p);

    /* unsupported datalink (802.11 radiotap): nothing decoded or counted */
    uint64_t pkts = CTR(&e, DECODER_PKTS);
    p = tb_decode(&e, &raw, 127);
    assert_int_equal(p->ip_version, 0);
    assert_int_equal(p->event_count, 0);
    assert_int_equal(CTR(&e, DECODER_PKTS), pkts);
    assert_false(decode_datalink_supported(127));
    assert_true(decode_datalink_supported(LINKTYPE_LINUX_SLL2));
    packet_free(p);
}

static void test_pppoe_mpls_nsh(void **state)
{
    (void)state;
    Env e;
    env_init(&e);

    Buf s = { .n = 0 };
    tb_eth(&s, 0x8864);
    uint8_t *h = tb_put(&s, "\x11\x00\x00\x01\x00\x00\x00\x21", 8);
    put_ipv4_udp(&s);
    tb_be16(h + 4, (uint16_t)(s.n - 14 - 6));
    Packet *p = tb_decode(&e, &s, LINKTYPE_ETHERNET);
    assert_int_equal(p->dp, 9);
    assert_int_equal(CTR(&e, DECODER_PPPOE), 1);
    packet_free(p);
    /* one-byte protocol */
    Buf s1 = { .n = 0 };
    tb_eth(&s1, 0x8864);
    h = tb_put(&s1, "\x11\x00\x00\x01\x00\x00\x21", 7);
    put_ipv4_udp(&s1);
    tb_be16(h + 4, (uint16_t)(s1.n - 14 - 6));
    p = tb_decode(&e, &s1, LINKTYPE_ETHERNET);
    assert_int_equal(p->dp, 9);
    packet_free(p);
    s1.n = 14 + 5;
    p = tb_decode(&e, &s1, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_PPPOE_PKT_TOO_SMALL));
    packet_free(p);

    /* discovery: PADI fine, unknown code, tags longer than the packet */
    Buf d = { .n = 0 };
    tb_eth(&d, 0x8863);
    tb_put(&d, "\x11\x09\x00\x00\x00\x04\x01\x01\x00\x00", 10);
    p = tb_decode(&e, &d, LINKTYPE_ETHERNET);
    assert_int_equal(p->event_count, 0);
    packet_free(p);
    d.b[15] = 0xbb;
    p = tb_decode(&e, &d, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_PPPOE_WRONG_CODE));
    packet_free(p);
    d.b[15] = 0x09;
    d.b[19] = 0x40;
    p = tb_decode(&e, &d, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_PPPOE_MALFORMED_TAGS));
    packet_free(p);

    /* MPLS: two labels, IPv4 explicit null at the bottom */
    Buf m = { .n = 0 };
    tb_eth(&m, 0x8847);
    tb_put(&m, "\x00\x01\x00\x40\x00\x00\x01\x40", 8);
    put_ipv4_udp(&m);
    p = tb_decode(&e, &m, LINKTYPE_ETHERNET);
    assert_int_equal(p->dp, 9);
    assert_int_equal(CTR(&e, DECODER_MPLS), 1);
    packet_free(p);
    /* label 100: payload guessed from its first nibble */
    Buf m2 = { .n = 0 };
    tb_eth(&m2, 0x8847);
    tb_put(&m2, "\x00\x06\x41\x40", 4);
    put_ipv4_udp(&m2);
    p = tb_decode(&e, &m2, LINKTYPE_ETHERNET);
    assert_int_equal(p->dp, 9);
    packet_free(p);
    m2.b[18] = 0x15; /* first nibble 1 */
    p = tb_decode(&e, &m2, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_MPLS_UNKNOWN_PAYLOAD_TYPE));
    assert_true(p->invalid);
    packet_free(p);
    /* router alert at the bottom */
    Buf m3 = { .n = 0 };
    tb_eth(&m3, 0x8847);
    tb_put(&m3, "\x00\x00\x11\x40", 4);
    put_ipv4_udp(&m3);
    p = tb_decode(&e, &m3, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_MPLS_BAD_LABEL_ROUTER_ALERT));
    assert_int_equal(p->ip_version, 0);
    packet_free(p);
    m3.n = 14 + 2;
    p = tb_decode(&e, &m3, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_MPLS_HEADER_TOO_SMALL));
    packet_free(p);

    /* NSH MD type 2, length 2 words, next protocol IPv4 */
    Buf n = { .n = 0 };
    tb_eth(&n, 0x894f);
    tb_put(&n, "\x00\x02\x02\x01\x00\x00\x01\xff", 8);
    put_ipv4_udp(&n);
    p = tb_decode(&e, &n, LINKTYPE_ETHERNET);
    assert_int_equal(p->dp, 9);
    assert_int_equal(CTR(&e, DECODER_NSH), 1);
    packet_free(p);
    n.b[16] = 0x00; /* reserved MD type */
    p = tb_decode(&e, &n, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_NSH_RESERVED_TYPE));
    packet_free(p);
}

static void test_ipv6(void **state)
{
    (void)state;
    Env e;
    env_init(&e);

    Buf b = { .n = 0 };
    tb_eth(&b, 0x86dd);
    size_t ip = tb_ip6(&b, 6, TB_IP6_A, TB_IP6_B);
    b.b[ip + 1] = 0x0a; /* flow label 0xa0000 */
    size_t tcp = tb_tcp(&b, 1, 2, TH_SYN | TH_ACK, NULL, 0);
    tb_put(&b, "six", 3);
    tb_ip6_done(&b, ip);
    tb_l4_csum(&b, ip, tcp, 16, 6);
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_false(p->invalid);
    assert_int_equal(p->ip_version, 6);
    assert_int_equal(p->ip6.payload_len, 23);
    assert_int_equal(p->ip6.hop_limit, 64);
    assert_int_equal(p->ip6.flow_label, 0xa0000);
    assert_int_equal(p->proto, 6);
    assert_int_equal(p->payload_len, 3);
    assert_true(p->flow_ok);
    assert_false(p->l4_csum_bad);
    char s[64];
    assert_string_equal(address_format(&p->src_addr, s, sizeof(s)), "2001:0db8:0000:0000:0000:0000:0000:0001");
    assert_int_equal(CTR(&e, TCP_SYNACK), 1);
    packet_free(p);

    Buf t = b;
    t.n -= 1;
    p = tb_decode(&e, &t, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_IPV6_TRUNC_PKT));
    assert_true(p->invalid);
    assert_int_equal(p->ip_version, 0);
    packet_free(p);
    t.n = 14 + 30;
    p = tb_decode(&e, &t, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_IPV6_PKT_TOO_SMALL));
    packet_free(p);
    t = b;
    t.b[ip] = 0x40;
    p = tb_decode(&e, &t, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_IPV6_WRONG_IP_VER));
    packet_free(p);

    /* unknown next header; IPv6 carrying ICMPv4 */
    t = b;
    t.b[ip + 6] = 253;
    p = tb_decode(&e, &t, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_IPV6_UNKNOWN_NEXT_HEADER));
    assert_int_equal(p->proto, 253);
    assert_false(p->flow_ok);
    packet_free(p);
    t.b[ip + 6] = 1;
    p = tb_decode(&e, &t, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_IPV6_WITH_ICMPV4));
    packet_free(p);
}

/* IPv6 + extension headers `ext` (with the first next header `nh`) + UDP. */
static Packet *decode_ipv6_ext(Env *e, uint8_t nh, const uint8_t *ext, size_t elen, bool udp)
{
    Buf b = { .n = 0 };
    tb_eth(&b, 0x86dd);
    size_t ip = tb_ip6(&b, nh, TB_IP6_A, TB_IP6_B);
    tb_put(&b, ext, elen);
    if (udp) {
        size_t u = tb_udp(&b, 546, 547);
        tb_put(&b, "dhcp", 4);
        tb_udp_done(&b, u);
        tb_ip6_done(&b, ip);
        tb_l4_csum(&b, ip, u, 6, 17);
    } else {
        tb_ip6_done(&b, ip);
    }
    return tb_decode(e, &b, LINKTYPE_ETHERNET);
}

static void test_ipv6_exthdrs(void **state)
{
    (void)state;
    Env e;
    env_init(&e);

    /* hop-by-hop with only PadN: a warning, UDP still decoded */
    static const uint8_t hop_pad[] = { 17, 0, 1, 4, 0, 0, 0, 0 };
    Packet *p = decode_ipv6_ext(&e, 0, hop_pad, sizeof(hop_pad), true);
    assert_true(packet_has_event(p, DEV_IPV6_HOPOPTS_ONLY_PADDING));
    assert_false(p->invalid);
    assert_int_equal(p->proto, 17);
    assert_int_equal(p->dp, 547);
    assert_true(p->flow_ok);
    assert_false(p->l4_csum_bad);
    packet_free(p);

    /* hop-by-hop with router alert, then two destination options headers
     * with an unknown option and a zero-length PadN */
    static const uint8_t chain[] = { 60, 0, 5, 2, 0, 0, 1, 0, 60, 0, 0x1e, 2, 0, 0, 1, 0, 17, 0, 1, 0, 1, 2, 0, 0 };
    p = decode_ipv6_ext(&e, 0, chain, sizeof(chain), true);
    assert_false(packet_has_event(p, DEV_IPV6_HOPOPTS_ONLY_PADDING));
    assert_true(packet_has_event(p, DEV_IPV6_DSTOPTS_UNKNOWN_OPT));
    assert_true(packet_has_event(p, DEV_IPV6_EXTHDR_ZERO_LEN_PADN));
    assert_true(packet_has_event(p, DEV_IPV6_DSTOPTS_ONLY_PADDING));
    assert_int_equal(p->dp, 547);
    packet_free(p);

    /* two hop-by-hop headers; option running past its header */
    static const uint8_t dup_hh[] = { 0, 0, 1, 4, 0, 0, 0, 0, 17, 0, 1, 4, 0, 0, 0, 0 };
    p = decode_ipv6_ext(&e, 0, dup_hh, sizeof(dup_hh), true);
    assert_true(packet_has_event(p, DEV_IPV6_EXTHDR_DUPL_HH));
    assert_int_equal(p->dp, 547);
    packet_free(p);
    static const uint8_t bad_opt[] = { 17, 0, 1, 9, 0, 0, 0, 0 };
    p = decode_ipv6_ext(&e, 0, bad_opt, sizeof(bad_opt), true);
    assert_true(packet_has_event(p, DEV_IPV6_EXTHDR_INVALID_OPTLEN));
    assert_true(p->invalid);
    assert_int_equal(p->dp, 547); /* decoding goes on past the header */
    packet_free(p);

    /* routing header type 0 */
    static const uint8_t rh0[] = { 17, 0, 0, 0, 0, 0, 0, 0 };
    p = decode_ipv6_ext(&e, 43, rh0, sizeof(rh0), true);
    assert_true(packet_has_event(p, DEV_IPV6_EXTHDR_RH_TYPE_0));
    assert_int_equal(p->dp, 547);
    packet_free(p);

    /* routing header longer than the packet */
    static const uint8_t rh_long[] = { 17, 4, 2, 0, 0, 0, 0, 0 };
    p = decode_ipv6_ext(&e, 43, rh_long, sizeof(rh_long), false);
    assert_true(packet_has_event(p, DEV_IPV6_TRUNC_EXTHDR));
    assert_true(p->invalid);
    packet_free(p);

    /* AH with a non-zero reserved field */
    static const uint8_t ah[] = { 17, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1 };
    p = decode_ipv6_ext(&e, 51, ah, sizeof(ah), true);
    assert_true(packet_has_event(p, DEV_IPV6_EXTHDR_AH_RES_NOT_NULL));
    assert_int_equal(p->dp, 547);
    packet_free(p);

    /* no next header with data after it */
    p = decode_ipv6_ext(&e, 59, (const uint8_t *)"junk", 4, false);
    assert_true(packet_has_event(p, DEV_IPV6_DATA_AFTER_NONE_HEADER));
    assert_int_equal(p->proto, 0);
    packet_free(p);

    /* useless fragment header: reported, decoding continues */
    static const uint8_t fh0[] = { 17, 0, 0, 0, 0, 0, 0, 42 };
    p = decode_ipv6_ext(&e, 44, fh0, sizeof(fh0), true);
    assert_true(packet_has_event(p, DEV_IPV6_EXTHDR_USELESS_FH));
    assert_false(p->is_fragment);
    assert_true(p->ip6.has_frag);
    assert_int_equal(p->dp, 547);
    packet_free(p);

    /* real first fragment behind a hop-by-hop header, reserved byte set */
    static const uint8_t frag[] = { 44, 0, 1, 4, 0, 0, 0, 0, 17, 7, 0, 1, 0, 0, 0x12, 0x34 };
    p = decode_ipv6_ext(&e, 0, frag, sizeof(frag), true);
    assert_true(p->is_fragment);
    assert_true(packet_has_event(p, DEV_IPV6_FH_NON_ZERO_RES_FIELD));
    assert_true(packet_has_event(p, DEV_IPV6_FRAG_INVALID_LENGTH)); /* 12 data bytes */
    assert_int_equal(p->proto, 44);
    assert_false(p->flow_ok);
    assert_int_equal(p->ip6.frag_id, 0x1234);
    assert_true(p->ip6.frag_mf);
    assert_int_equal(p->ip6.frag_offset, 0);
    assert_int_equal(p->ip6.frag_nh, 17);
    assert_int_equal(p->ip6.frag_hdr_offset, 48);
    assert_int_equal(p->ip6.unfrag_len, 48);
    assert_int_equal(p->ip6.frag_prev_nh_off, 40);
    packet_free(p);
    static const uint8_t frag2[] = { 17, 0, 0, 0x10, 0, 0, 0x12, 0x34 };
    p = decode_ipv6_ext(&e, 44, frag2, sizeof(frag2), true);
    assert_int_equal(p->ip6.frag_offset, 2);
    assert_false(p->ip6.frag_mf);
    assert_int_equal(p->ip6.frag_prev_nh_off, 6);
    packet_free(p);

    /* a chain cut inside a header */
    p = decode_ipv6_ext(&e, 0, (const uint8_t *)"\x11", 1, false);
    assert_true(packet_has_event(p, DEV_IPV6_TRUNC_EXTHDR));
    packet_free(p);
}

static void test_icmpv6(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    Buf b = { .n = 0 };
    tb_eth(&b, 0x86dd);
    size_t ip = tb_ip6(&b, 58, TB_IP6_A, TB_IP6_B);
    size_t ic = b.n;
    uint8_t *h = tb_put(&b, "\x80\x00\x00\x00\x12\x34\x00\x05", 8);
    (void)h;
    tb_put(&b, "ping", 4);
    tb_ip6_done(&b, ip);
    tb_l4_csum(&b, ip, ic, 2, 58);
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_false(p->invalid);
    assert_int_equal(p->icmp_type, 128);
    assert_true(p->has_icmp_id);
    assert_int_equal(p->icmp_id, 0x1234);
    assert_int_equal(p->icmp_seq, 5);
    assert_int_equal(p->payload_len, 4);
    assert_false(p->l4_csum_bad);
    assert_true(p->flow_ok);
    packet_free(p);

    /* MLD query with hop limit 64 */
    Buf m = b;
    m.b[ic] = 130;
    p = tb_decode(&e, &m, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ICMPV6_MLD_MESSAGE_WITH_INVALID_HL));
    /* informational message: payload from byte 4, 12 bytes shorter */
    assert_int_equal(p->payload_len, 0);
    packet_free(p);

    static const struct {
        uint8_t type;
        DecodeEvent ev;
    } kinds[] = {
        { 0, DEV_ICMPV6_UNKNOWN_TYPE },   { 50, DEV_ICMPV6_UNASSIGNED_TYPE },
        { 100, DEV_ICMPV6_EXPERIMENTATION_TYPE }, { 127, DEV_ICMPV6_UNKNOWN_TYPE },
        { 170, DEV_ICMPV6_UNASSIGNED_TYPE }, { 201, DEV_ICMPV6_EXPERIMENTATION_TYPE },
        { 250, DEV_ICMPV6_UNASSIGNED_TYPE },
    };
    for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        m = b;
        m.b[ic] = kinds[i].type;
        p = tb_decode(&e, &m, LINKTYPE_ETHERNET);
        assert_true(packet_has_event(p, kinds[i].ev));
        assert_int_equal(p->event_count, 1);
        packet_free(p);
    }

    /* destination unreachable quoting IPv6/UDP; then with a bad code */
    Buf u = { .n = 0 };
    tb_eth(&u, 0x86dd);
    size_t uip = tb_ip6(&u, 58, TB_IP6_A, TB_IP6_B);
    size_t uic = u.n;
    tb_put(&u, "\x01\x04\x00\x00\x00\x00\x00\x00", 8);
    size_t q = tb_ip6(&u, 17, TB_IP6_B, TB_IP6_A);
    size_t qu = tb_udp(&u, 53, 4444);
    tb_udp_done(&u, qu);
    tb_ip6_done(&u, q);
    tb_ip6_done(&u, uip);
    tb_l4_csum(&u, uip, uic, 2, 58);
    p = tb_decode(&e, &u, LINKTYPE_ETHERNET);
    assert_true(p->icmp_emb.valid);
    assert_int_equal(p->icmp_emb.proto, 17);
    assert_int_equal(p->icmp_emb.dp, 4444);
    assert_memory_equal(p->icmp_emb.src.addr, TB_IP6_B, 16);
    assert_int_equal(p->payload_len, 48);
    packet_free(p);
    u.b[uic + 1] = 9;
    p = tb_decode(&e, &u, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ICMPV6_UNKNOWN_CODE));
    assert_false(p->icmp_emb.valid);
    packet_free(p);
    u.b[uic + 1] = 0;
    u.n = uic + 8 + 20;
    tb_ip6_done(&u, uip);
    p = tb_decode(&e, &u, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ICMPV6_IPV6_TRUNC_PKT));
    assert_true(p->invalid);
    packet_free(p);

    Buf s = { .n = 0 };
    tb_eth(&s, 0x86dd);
    size_t sip = tb_ip6(&s, 58, TB_IP6_A, TB_IP6_B);
    tb_put(&s, "\x80\x00", 2);
    tb_ip6_done(&s, sip);
    p = tb_decode(&e, &s, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ICMPV6_PKT_TOO_SMALL));
    assert_true(p->invalid);
    packet_free(p);
}

/* Ethernet/IPv4 (10.0.0.1 -> 10.0.0.2) carrying GRE with `flags`/`ver`,
 * protocol 0x0800 and an inner IPv4/UDP packet. */
static Buf gre_packet(uint8_t flags, uint8_t ver, uint16_t proto, size_t extra_hdr)
{
    Buf b = { .n = 0 };
    tb_eth(&b, 0x0800);
    size_t ip = tb_ip4(&b, 47, TB_IP_A, TB_IP_B, NULL, 0);
    uint8_t *g = tb_put(&b, NULL, 4);
    g[0] = flags;
    g[1] = ver;
    tb_be16(g + 2, proto);
    tb_put(&b, NULL, extra_hdr);
    put_ipv4_udp(&b);
    tb_ip4_done(&b, ip);
    return b;
}

static void test_gre(void **state)
{
    (void)state;
    Env e;
    env_init(&e);

    Buf b = gre_packet(0x20, 0, 0x0800, 4); /* with a key */
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_false(p->invalid);
    assert_int_equal(p->proto, 47);
    assert_false(p->flow_ok); /* GRE itself is not tracked */
    assert_true(p->tunnel_parent);
    assert_int_equal(e.dt.derived_count, 1);
    Packet *d = e.dt.derived[0];
    assert_true(d->decoded);
    assert_int_equal(d->src, PKT_SRC_DECODER_GRE);
    assert_ptr_equal(d->root, p);
    assert_int_equal(d->tunnel_depth, 1);
    assert_int_equal(d->datalink, LINKTYPE_RAW);
    assert_int_equal(d->pcap_cnt, 0);
    assert_int_equal(d->ip_version, 4);
    assert_int_equal(d->dp, 9);
    assert_true(d->flow_ok);
    assert_int_equal(d->vlan_count, 0);
    assert_memory_equal(d->src_mac, TB_MAC_SRC, 6);
    assert_string_equal(packet_source_name(d->src), "gre tunnel");
    /* a derived packet is not decoded again */
    uint64_t ipv4 = CTR(&e, DECODER_IPV4);
    decode_packet(&e.dt, d);
    assert_int_equal(CTR(&e, DECODER_IPV4), ipv4);
    env_free_derived(&e);
    packet_free(p);
    assert_int_equal(CTR(&e, DECODER_GRE), 1);
    assert_int_equal(CTR(&e, DECODER_IPV4), 2);
    assert_int_equal(CTR(&e, DECODER_UDP), 1);
    assert_int_equal(CTR(&e, DECODER_PKTS), 1);

    /* version 0 with recursion, version 1 without a key, version 2 */
    b = gre_packet(0x01, 0, 0x0800, 0);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_GRE_VERSION0_RECUR));
    assert_true(p->invalid);
    assert_int_equal(e.dt.derived_count, 0);
    packet_free(p);
    b = gre_packet(0x00, 1, 0x880b, 0);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_GRE_VERSION1_NO_KEY));
    packet_free(p);
    b = gre_packet(0x00, 2, 0x0800, 0);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_GRE_WRONG_VERSION));
    packet_free(p);
    /* header fields promised beyond the packet */
    b = gre_packet(0xb0, 0, 0x0800, 0);
    b.n = 14 + 20 + 6;
    tb_ip4_done(&b, 14);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_GRE_VERSION0_HDR_TOO_BIG));
    packet_free(p);
    b.n = 14 + 20 + 2;
    tb_ip4_done(&b, 14);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_GRE_PKT_TOO_SMALL));
    packet_free(p);

    /* PPTP: version 1 PPP with key, payload length, sequence */
    Buf v1 = { .n = 0 };
    tb_eth(&v1, 0x0800);
    size_t ip = tb_ip4(&v1, 47, TB_IP_A, TB_IP_B, NULL, 0);
    uint8_t *g = tb_put(&v1, "\x30\x01\x88\x0b\x00\x00\x00\x07\x00\x00\x00\x01\xff\x03\x00\x21", 16);
    put_ipv4_udp(&v1);
    tb_be16(g + 4, (uint16_t)(v1.n - 14 - 20 - 12));
    tb_ip4_done(&v1, ip);
    p = tb_decode(&e, &v1, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 1);
    assert_int_equal(e.dt.derived[0]->dp, 9);
    assert_int_equal(CTR(&e, DECODER_PPP), 1);
    env_free_derived(&e);
    packet_free(p);

    /* inner packet that fails to decode: dropped, its events not counted */
    b = gre_packet(0x00, 0, 0x0800, 0);
    tb_be16(b.b + 14 + 20 + 4 + 2, 0x0400); /* inner total length past the end */
    uint64_t invalid_len = EVC(&e, IPV4_OPT_INVALID_LEN) + EVC(&e, IPV4_OPT_PAD_REQUIRED) +
                           EVC(&e, IPV4_OPT_INVALID) + EVC(&e, IPV4_TRUNC_PKT);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 0);
    assert_false(p->invalid);
    assert_false(p->tunnel_parent);
    assert_int_equal(EVC(&e, IPV4_OPT_INVALID_LEN) + EVC(&e, IPV4_OPT_PAD_REQUIRED) + EVC(&e, IPV4_OPT_INVALID) +
                         EVC(&e, IPV4_TRUNC_PKT),
                     invalid_len);
    packet_free(p);

    /* ARP over GRE (suricata-verify decode-arp-3) */
    Buf a = { .n = 0 };
    tb_eth(&a, 0x0800);
    ip = tb_ip4(&a, 47, TB_IP_A, TB_IP_B, NULL, 0);
    tb_put(&a, "\x00\x00\x08\x06", 4);
    tb_put(&a, "\x00\x01\x08\x00\x06\x04\x00\x01\xbc\x03\x58\x5a\xd5\xca\xc0\xa8\x01\x1c"
               "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 28);
    tb_ip4_done(&a, ip);
    p = tb_decode(&e, &a, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 1);
    assert_true(e.dt.derived[0]->has_arp);
    assert_memory_equal(e.dt.derived[0]->arp.src_ip, "\xc0\xa8\x01\x1c", 4);
    env_free_derived(&e);
    packet_free(p);
}

static void test_erspan(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    /* GRE with sequence number, ERSPAN type II, VLAN 23, inner Ethernet */
    Buf b = { .n = 0 };
    tb_eth(&b, 0x0800);
    size_t ip = tb_ip4(&b, 47, TB_IP_A, TB_IP_B, NULL, 0);
    tb_put(&b, "\x10\x00\x88\xbe\x00\x00\x00\x01", 8);
    tb_put(&b, "\x10\x17\x00\x01\x00\x00\x00\x00", 8);
    tb_eth(&b, 0x0800);
    put_ipv4_udp(&b);
    tb_ip4_done(&b, ip);
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 1);
    Packet *d = e.dt.derived[0];
    assert_int_equal(d->vlan_count, 1);
    assert_int_equal(d->vlan_id[0], 23);
    assert_true(d->has_ether);
    assert_int_equal(d->dp, 9);
    assert_int_equal(CTR(&e, DECODER_ERSPAN), 1);
    env_free_derived(&e);
    packet_free(p);
}

static void test_ip_in_ip(void **state)
{
    (void)state;
    Env e;
    env_init(&e);

    /* IPv4 in IPv4 */
    Buf b = { .n = 0 };
    tb_eth(&b, 0x0800);
    size_t ip = tb_ip4(&b, 4, TB_IP_A, TB_IP_B, NULL, 0);
    put_ipv4_udp(&b);
    tb_ip4_done(&b, ip);
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(p->flow_ok); /* the outer packet is tracked (proto 4) */
    assert_int_equal(p->proto, 4);
    assert_int_equal(e.dt.derived_count, 1);
    assert_int_equal(e.dt.derived[0]->src, PKT_SRC_DECODER_IPV4);
    assert_string_equal(packet_source_name(e.dt.derived[0]->src), "ipv4 tunnel");
    assert_int_equal(e.dt.derived[0]->dp, 9);
    assert_int_equal(CTR(&e, DECODER_IPV4_IN_IPV4), 1);
    env_free_derived(&e);
    packet_free(p);

    /* truncated inner packet: dropped, counter not bumped, outer still tracked */
    Buf t = b;
    t.n -= 3;
    tb_ip4_done(&t, ip);
    p = tb_decode(&e, &t, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 0);
    assert_true(p->flow_ok);
    assert_int_equal(CTR(&e, DECODER_IPV4_IN_IPV4), 1);
    assert_int_equal(EVC(&e, IPV4_TRUNC_PKT), 0);
    assert_int_equal(CTR(&e, DECODER_INVALID), 0);
    packet_free(p);

    /* IPv6 in IPv4 */
    Buf c = { .n = 0 };
    tb_eth(&c, 0x0800);
    ip = tb_ip4(&c, 41, TB_IP_A, TB_IP_B, NULL, 0);
    size_t ip6 = tb_ip6(&c, 17, TB_IP6_A, TB_IP6_B);
    size_t u = tb_udp(&c, 1, 2);
    tb_udp_done(&c, u);
    tb_ip6_done(&c, ip6);
    tb_ip4_done(&c, ip);
    p = tb_decode(&e, &c, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 1);
    assert_int_equal(e.dt.derived[0]->ip_version, 6);
    assert_int_equal(e.dt.derived[0]->dp, 2);
    assert_int_equal(CTR(&e, DECODER_IPV6_IN_IPV4), 1);
    env_free_derived(&e);
    packet_free(p);

    /* IPv4 in IPv6 and IPv6 in IPv6, nested: the innermost comes first */
    Buf d = { .n = 0 };
    tb_eth(&d, 0x86dd);
    size_t o6 = tb_ip6(&d, 41, TB_IP6_A, TB_IP6_B);
    size_t m6 = tb_ip6(&d, 4, TB_IP6_B, TB_IP6_A);
    put_ipv4_udp(&d);
    tb_ip6_done(&d, m6);
    tb_ip6_done(&d, o6);
    p = tb_decode(&e, &d, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 2);
    Packet *inner = e.dt.derived[0], *mid = e.dt.derived[1];
    assert_int_equal(inner->ip_version, 4);
    assert_int_equal(inner->tunnel_depth, 2);
    assert_ptr_equal(inner->root, p);
    assert_int_equal(mid->ip_version, 6);
    assert_int_equal(mid->src, PKT_SRC_DECODER_IPV6);
    assert_true(mid->flow_ok);
    assert_int_equal(CTR(&e, DECODER_IPV6_IN_IPV6), 1);
    assert_int_equal(CTR(&e, DECODER_IPV4_IN_IPV6), 1);
    env_free_derived(&e);
    packet_free(p);

    /* wrong inner versions */
    Buf w = { .n = 0 };
    tb_eth(&w, 0x86dd);
    o6 = tb_ip6(&w, 4, TB_IP6_A, TB_IP6_B);
    tb_ip6(&w, 17, TB_IP6_A, TB_IP6_B);
    tb_ip6_done(&w, o6);
    p = tb_decode(&e, &w, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_IPV4_IN_IPV6_WRONG_IP_VER));
    assert_true(p->invalid);
    packet_free(p);
    w.b[14 + 6] = 41;
    w.b[14 + 40] = 0x45;
    p = tb_decode(&e, &w, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_IPV6_IN_IPV6_WRONG_IP_VER));
    packet_free(p);
    w.n = 14 + 40 + 10;
    tb_ip6_done(&w, o6);
    p = tb_decode(&e, &w, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_IPV6_IN_IPV6_PKT_TOO_SMALL));
    packet_free(p);
}

/* Ethernet/IPv4/UDP sp->dp carrying `payload`. */
static Buf udp_carrying(uint16_t sp, uint16_t dp, const Buf *payload)
{
    Buf b = { .n = 0 };
    tb_eth(&b, 0x0800);
    size_t ip = tb_ip4(&b, 17, TB_IP_A, TB_IP_B, NULL, 0);
    size_t u = tb_udp(&b, sp, dp);
    tb_put(&b, payload->b, payload->n);
    tb_udp_done(&b, u);
    tb_ip4_done(&b, ip);
    return b;
}

static void test_udp_tunnels(void **state)
{
    (void)state;
    Env e;
    env_init(&e);

    /* Teredo with an origin indication, IPv6/ICMPv6 echo inside */
    Buf inner = { .n = 0 };
    tb_put(&inner, "\x00\x00\x12\x34\x01\x02\x03\x04", 8);
    size_t ip6 = tb_ip6(&inner, 58, TB_IP6_A, TB_IP6_B);
    tb_put(&inner, "\x80\x00\x00\x00\x00\x01\x00\x01", 8);
    tb_ip6_done(&inner, ip6);
    Buf b = udp_carrying(3544, 50000, &inner);
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(p->flow_ok);
    assert_int_equal(e.dt.derived_count, 1);
    assert_int_equal(e.dt.derived[0]->src, PKT_SRC_DECODER_TEREDO);
    assert_int_equal(e.dt.derived[0]->icmp_type, 128);
    assert_int_equal(CTR(&e, DECODER_TEREDO), 1);
    env_free_derived(&e);
    packet_free(p);

    /* not Teredo: length mismatch; hop limit 0; port not configured */
    Buf bad = inner;
    tb_put(&bad, "x", 1);
    b = udp_carrying(3544, 50000, &bad);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 0);
    packet_free(p);
    bad = inner;
    bad.b[8 + 7] = 0;
    b = udp_carrying(3544, 50000, &bad);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 0);
    packet_free(p);
    b = udp_carrying(3545, 50000, &inner);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 0);
    packet_free(p);
    e.cfg.teredo_ports_any = true;
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 1);
    env_free_derived(&e);
    packet_free(p);
    e.cfg.teredo_enabled = false;
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 0);
    packet_free(p);
    /* invalid inner IPv6 (truncated ICMPv6): Teredo candidate rejected */
    e.cfg.teredo_enabled = true;
    bad = inner;
    bad.n = 8 + 40 + 2;
    tb_be16(bad.b + 8 + 4, 2);
    b = udp_carrying(3544, 1, &bad);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 0);
    assert_int_equal(EVC(&e, ICMPV6_PKT_TOO_SMALL), 0);
    packet_free(p);

    /* VXLAN: I flag, VNI, inner Ethernet + IPv4 */
    Buf vx = { .n = 0 };
    tb_put(&vx, "\x08\x00\x00\x00\x00\x00\x25\x00", 8);
    tb_eth(&vx, 0x0800);
    put_ipv4_udp(&vx);
    b = udp_carrying(54321, 4789, &vx);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 1);
    assert_int_equal(e.dt.derived[0]->src, PKT_SRC_DECODER_VXLAN);
    assert_string_equal(packet_source_name(PKT_SRC_DECODER_VXLAN), "vxlan encapsulation");
    assert_int_equal(e.dt.derived[0]->dp, 9);
    assert_int_equal(CTR(&e, DECODER_VXLAN), 1);
    env_free_derived(&e);
    packet_free(p);
    /* on the source port only: not VXLAN */
    b = udp_carrying(4789, 54321, &vx);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 0);
    packet_free(p);
    /* I flag missing */
    Buf vx2 = vx;
    vx2.b[0] = 0;
    b = udp_carrying(1, 4789, &vx2);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 0);
    packet_free(p);
    /* unknown inner ethertype */
    vx2 = vx;
    tb_be16(vx2.b + 8 + 12, 0x1234);
    b = udp_carrying(1, 4789, &vx2);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_VXLAN_UNKNOWN_PAYLOAD_TYPE));
    assert_true(p->invalid);
    packet_free(p);

    /* Geneve with 8 bytes of options, IPv4 inside */
    Buf gv = { .n = 0 };
    tb_put(&gv, "\x02\x00\x08\x00\x00\x00\x25\x00\x01\x08\x00\x01\x11\x11\x11\x11", 16);
    put_ipv4_udp(&gv);
    b = udp_carrying(6081, 6081, &gv);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 1);
    assert_int_equal(e.dt.derived[0]->src, PKT_SRC_DECODER_GENEVE);
    assert_int_equal(CTR(&e, DECODER_GENEVE), 1);
    env_free_derived(&e);
    packet_free(p);
    /* options not adding up */
    Buf gv2 = gv;
    gv2.b[11] = 0x02;
    b = udp_carrying(6081, 6081, &gv2);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 0);
    packet_free(p);
}

/* suricata-verify decode-too-many-layers: Ethernet / MPLS / pseudowire
 * Ethernet / MPLS / ... until decoder.max-layers. */
static void test_too_many_layers(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    Buf b = { .n = 0 };
    for (int i = 0; i < 40; i++) {
        tb_eth(&b, 0x8847);
        tb_put(&b, "\x00\x01\x01\x00\x00\x00\x00\x00", 8);
    }
    tb_eth(&b, 0x0800);
    put_ipv4_udp(&b);
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(p->invalid);
    assert_int_equal(tb_count_event(p, DEV_GENERIC_TOO_MANY_LAYERS), 1);
    assert_int_equal(CTR(&e, DECODER_TOO_MANY_LAYERS), 1);
    assert_int_equal(EVC(&e, GENERIC_TOO_MANY_LAYERS), 1);
    assert_int_equal(p->ip_version, 0);
    assert_int_equal(CTR(&e, DECODER_INVALID), 1);
    packet_free(p);

    /* a lower limit stops tunnels too, on the parent */
    e.cfg.max_layers = 4;
    Buf g = gre_packet(0, 0, 0x0800, 0);
    p = tb_decode(&e, &g, LINKTYPE_ETHERNET);
    assert_int_equal(e.dt.derived_count, 0);
    assert_true(packet_has_event(p, DEV_GENERIC_TOO_MANY_LAYERS));
    packet_free(p);
}

static void test_derived_cap(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    Buf b = gre_packet(0, 0, 0x0800, 0);
    for (int i = 0; i < DECODE_MAX_DERIVED + 3; i++) {
        Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
        packet_free(p);
    }
    assert_int_equal(e.dt.derived_count, DECODE_MAX_DERIVED);
    assert_int_equal(e.dt.derived_dropped, 3);
    env_free_derived(&e);
}

static void test_vntag_dce_8021ah(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    Buf v = { .n = 0 };
    tb_eth(&v, 0x8926);
    tb_put(&v, "\x00\x00\x00\x00\x08\x00", 6);
    put_ipv4_udp(&v);
    Packet *p = tb_decode(&e, &v, LINKTYPE_ETHERNET);
    assert_int_equal(p->dp, 9);
    assert_int_equal(CTR(&e, DECODER_VNTAG), 1);
    packet_free(p);
    tb_be16(v.b + 18, 0x1111);
    p = tb_decode(&e, &v, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_VNTAG_UNKNOWN_TYPE));
    assert_true(p->invalid);
    packet_free(p);

    Buf d = { .n = 0 };
    tb_eth(&d, 0x8903);
    tb_put(&d, "\x00\x00", 2);
    tb_eth(&d, 0x0800);
    put_ipv4_udp(&d);
    p = tb_decode(&e, &d, LINKTYPE_ETHERNET);
    assert_int_equal(p->dp, 9);
    assert_int_equal(CTR(&e, DECODER_ETHERNET), 4);
    packet_free(p);
    d.n = 14 + 10;
    p = tb_decode(&e, &d, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_DCE_PKT_TOO_SMALL));
    packet_free(p);

    Buf a = { .n = 0 };
    tb_eth(&a, 0x88e7);
    uint8_t *h = tb_put(&a, NULL, 18);
    tb_be16(h + 16, 0x0800);
    put_ipv4_udp(&a);
    p = tb_decode(&e, &a, LINKTYPE_ETHERNET);
    assert_int_equal(p->dp, 9);
    assert_int_equal(CTR(&e, DECODER_IEEE8021AH), 1);
    packet_free(p);
}

static void test_sctp_esp(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    Buf b = { .n = 0 };
    tb_eth(&b, 0x0800);
    size_t ip = tb_ip4(&b, 132, TB_IP_A, TB_IP_B, NULL, 0);
    tb_put(&b, "\x0b\x59\x0b\x59\x00\x00\x00\x00\x00\x00\x00\x00\x01\x02", 14);
    tb_ip4_done(&b, ip);
    Packet *p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_int_equal(p->sp, 2905);
    assert_int_equal(p->payload_len, 2);
    assert_true(p->flow_ok);
    packet_free(p);
    b.n = 14 + 20 + 8;
    tb_ip4_done(&b, ip);
    p = tb_decode(&e, &b, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_SCTP_PKT_TOO_SMALL));
    packet_free(p);

    Buf s = { .n = 0 };
    tb_eth(&s, 0x0800);
    ip = tb_ip4(&s, 50, TB_IP_A, TB_IP_B, NULL, 0);
    tb_put(&s, "\x00\x00\x00\x7b\x00\x00\x00\x08\xff\xff", 10);
    tb_ip4_done(&s, ip);
    p = tb_decode(&e, &s, LINKTYPE_ETHERNET);
    assert_int_equal(p->esp_spi, 0x7b);
    assert_int_equal(p->proto, 50);
    assert_int_equal(p->payload_len, 2);
    assert_true(p->flow_ok);
    packet_free(p);
    s.n = 14 + 20 + 7;
    tb_ip4_done(&s, ip);
    p = tb_decode(&e, &s, LINKTYPE_ETHERNET);
    assert_true(packet_has_event(p, DEV_ESP_PKT_TOO_SMALL));
    assert_false(p->flow_ok);
    packet_free(p);
    assert_int_equal(CTR(&e, DECODER_SCTP), 2);
    assert_int_equal(CTR(&e, DECODER_ESP), 2);
}

static void test_events_table(void **state)
{
    (void)state;
    assert_string_equal(decode_event_name(DEV_IPV4_PKT_TOO_SMALL), "ipv4.pkt_too_small");
    assert_string_equal(decode_event_name(DEV_ETHERNET_UNKNOWN_ETHERTYPE), "ethernet.unknown_ethertype");
    assert_string_equal(decode_event_name(DEV_STREAM_PKT_INVALID_TIMESTAMP), "pkt_invalid_timestamp");
    assert_false(decode_event_is_stream(DEV_IPV4_OPT_PAD_REQUIRED));
    assert_true(decode_event_is_stream(DEV_STREAM_3WHS_ACK_IN_WRONG_DIR));
    assert_false(decode_event_is_stream(DEV_ARP_PKT_TOO_SMALL));
    assert_int_equal(decode_event_lookup("ipv4.opt_pad_required"), DEV_IPV4_OPT_PAD_REQUIRED);
    assert_int_equal(decode_event_lookup("IPV6.PKT_TOO_SMALL"), DEV_IPV6_PKT_TOO_SMALL);
    assert_int_equal(decode_event_lookup("decoder.ppp.pkt_too_small"), DEV_PPP_PKT_TOO_SMALL);
    assert_int_equal(decode_event_lookup("too_many_layers"), DEV_GENERIC_TOO_MANY_LAYERS);
    assert_int_equal(decode_event_lookup("arp.invalid_pkt"), DEV_ARP_INVALID_PKT);
    assert_int_equal(decode_event_lookup("ipv6.invalid_event"), DEV_MAX);
    assert_int_equal(decode_event_lookup("pkt_invalid_timestamp"), DEV_MAX);
    assert_int_equal(decode_event_lookup("stream.pkt_invalid_timestamp"), DEV_STREAM_PKT_INVALID_TIMESTAMP);
    assert_int_equal(decode_event_lookup_stream("3whs_synack_resend_with_different_ack"),
                     DEV_STREAM_3WHS_SYNACK_RESEND_WITH_DIFF_ACK);
    assert_int_equal(decode_event_lookup_stream("est_synack_resend_with_different_ack"),
                     DEV_STREAM_EST_SYNACK_RESEND_WITH_DIFF_ACK);
    assert_int_equal(decode_event_lookup_stream("reassembly_seq_gap"), DEV_STREAM_REASSEMBLY_SEQ_GAP);
    assert_int_equal(decode_event_lookup_stream("ipv4.trunc_pkt"), DEV_MAX);

    char buf[128];
    assert_string_equal(decode_event_stats_name(DEV_UDP_LEN_INVALID, "decoder.event", buf, sizeof(buf)),
                        "decoder.event.udp.len_invalid");
    assert_null(decode_event_stats_name(DEV_GENERIC_TOO_MANY_LAYERS, "decoder.event", buf, sizeof(buf)));
    assert_string_equal(decode_event_stats_name(DEV_STREAM_PKT_INVALID_ACK, "decoder.event", buf, sizeof(buf)),
                        "stream.pkt_invalid_ack");
    assert_string_equal(decode_event_stats_name(DEV_ARP_PKT_TOO_SMALL, "decoder.event", buf, sizeof(buf)),
                        "decoder.arp.pkt_too_small");
    assert_true(decode_event_stats_is_stream(DEV_ARP_PKT_TOO_SMALL));
    assert_false(decode_event_stats_is_stream(DEV_NSH_UNKNOWN_PAYLOAD));
    assert_null(decode_event_stats_name(DEV_IPV4_TRUNC_PKT, "decoder.event", buf, 8));

    /* every name is unique within its family and none is empty */
    for (int i = 0; i < DEV_MAX; i++) {
        assert_true(strlen(decode_event_name((DecodeEvent)i)) > 0);
        for (int j = i + 1; j < DEV_MAX; j++) {
            if (decode_event_is_stream((DecodeEvent)i) == decode_event_is_stream((DecodeEvent)j))
                assert_string_not_equal(decode_event_name((DecodeEvent)i), decode_event_name((DecodeEvent)j));
        }
    }
    /* the first and last decoder events of Suricata 8's table */
    assert_int_equal(DEV_AFPACKET_TRUNC_PKT, 0);
    assert_int_equal(DEV_GENERIC_TOO_MANY_LAYERS + 1, DEV_STREAM_3WHS_ACK_IN_WRONG_DIR);
}

static void test_packet_basics(void **state)
{
    (void)state;
    char s[64];
    Address a = { .family = 4, .addr = { 192, 168, 0, 255 } };
    assert_string_equal(address_format(&a, s, sizeof(s)), "192.168.0.255");
    Address b6 = { .family = 6,
                   .addr = { 0x20, 0x01, 0, 0, 0x41, 0x37, 0x9e, 0x50, 0x80, 0, 0xf1, 0x2a, 0xb9, 0xc8, 0x28, 0x15 } };
    assert_string_equal(address_format(&b6, s, sizeof(s)), "2001:0000:4137:9e50:8000:f12a:b9c8:2815");
    Address none = { 0 };
    assert_string_equal(address_format(&none, s, sizeof(s)), "");
    assert_string_equal(address_format(&a, s, 8), "192.168");
    assert_true(address_equal(&a, &a));
    assert_false(address_equal(&a, &b6));

    static const struct {
        PacketSource src;
        const char *name;
    } names[] = {
        { PKT_SRC_WIRE, "wire/pcap" },
        { PKT_SRC_DECODER_GRE, "gre tunnel" },
        { PKT_SRC_DECODER_IPV4, "ipv4 tunnel" },
        { PKT_SRC_DECODER_IPV6, "ipv6 tunnel" },
        { PKT_SRC_DECODER_TEREDO, "teredo tunnel" },
        { PKT_SRC_DEFRAG, "defrag" },
        { PKT_SRC_STREAM_TCP_DETECTLOG_FLUSH, "stream (detect/log)" },
        { PKT_SRC_FFR, "stream (flow timeout)" },
        { PKT_SRC_DECODER_VXLAN, "vxlan encapsulation" },
        { PKT_SRC_DECODER_GENEVE, "geneve encapsulation" },
        { PKT_SRC_SHUTDOWN_FLUSH, "shutdown flush" },
    };
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        assert_string_equal(packet_source_name(names[i].src), names[i].name);

    Packet *p = packet_new();
    uint8_t big[3000];
    memset(big, 0xab, sizeof(big));
    packet_set_data(p, big, sizeof(big));
    assert_int_equal(p->len, sizeof(big));
    for (int i = 0; i < PACKET_MAX_EVENTS + 4; i++)
        packet_add_event(p, DEV_IPV4_OPT_INVALID);
    assert_int_equal(p->event_count, PACKET_MAX_EVENTS);
    assert_false(packet_add_event(p, DEV_IPV4_OPT_INVALID));
    p->ip_version = 4;
    p->decoded = true;
    p->ts = 77;
    packet_reset(p);
    assert_int_equal(p->event_count, 0);
    assert_int_equal(p->ip_version, 0);
    assert_false(p->decoded);
    assert_int_equal(p->ts, 77);
    assert_int_equal(p->len, sizeof(big));
    packet_set_data(p, (const uint8_t *)"abc", 3);
    assert_int_equal(p->len, 3);
    assert_int_equal(p->ts, 0);
    assert_memory_equal(p->buf, "abc", 3);
    packet_free(p);
    packet_free(NULL);

    /* events past the list are not counted either */
    Env e;
    env_init(&e);
    p = packet_new();
    for (int i = 0; i < PACKET_MAX_EVENTS + 2; i++)
        decode_set_event(&e.dt, p, DEV_UDP_PKT_TOO_SMALL);
    assert_int_equal(EVC(&e, UDP_PKT_TOO_SMALL), PACKET_MAX_EVENTS);
    packet_free(p);
}

static void test_counters_sizes(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    Buf small = { .n = 0 }, large = { .n = 0 };
    size_t ip, tcp;
    build_eth_ipv4_tcp(&small, &ip, &tcp, NULL);
    build_eth_ipv4_tcp(&large, &ip, &tcp, "a much longer payload than the other one");
    Packet *p = tb_decode(&e, &large, LINKTYPE_ETHERNET);
    packet_free(p);
    p = tb_decode(&e, &small, LINKTYPE_ETHERNET);
    packet_free(p);
    assert_int_equal(CTR(&e, DECODER_PKTS), 2);
    assert_int_equal(CTR(&e, DECODER_BYTES), small.n + large.n);
    assert_int_equal(CTR(&e, DECODER_MAX_PKT_SIZE), large.n);
    assert_int_equal(CTR(&e, DECODER_AVG_PKT_SIZE), small.n + large.n);

    /* a non-wire packet handed in undecoded starts at its IP header and
     * does not count as a captured packet */
    Buf raw = { .n = 0 };
    put_ipv4_udp(&raw);
    p = tb_packet(&raw, LINKTYPE_RAW);
    p->src = PKT_SRC_DEFRAG;
    decode_packet(&e.dt, p);
    assert_int_equal(p->dp, 9);
    assert_int_equal(CTR(&e, DECODER_PKTS), 2);
    assert_int_equal(CTR(&e, DECODER_RAW), 0);
    packet_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eth_ipv4_tcp_good),
        cmocka_unit_test(test_ethernet_too_small),
        cmocka_unit_test(test_ipv4_truncated_and_malformed),
        cmocka_unit_test(test_ipv4_options_bug7414),
        cmocka_unit_test(test_ipv4_options),
        cmocka_unit_test(test_checksums),
        cmocka_unit_test(test_checksum_add_matches_reference),
        cmocka_unit_test(test_tcp),
        cmocka_unit_test(test_udp),
        cmocka_unit_test(test_icmpv4),
        cmocka_unit_test(test_vlan),
        cmocka_unit_test(test_unknown_ethertype_and_arp),
        cmocka_unit_test(test_link_types),
        cmocka_unit_test(test_pppoe_mpls_nsh),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_ipv6_exthdrs),
        cmocka_unit_test(test_icmpv6),
        cmocka_unit_test(test_gre),
        cmocka_unit_test(test_erspan),
        cmocka_unit_test(test_ip_in_ip),
        cmocka_unit_test(test_udp_tunnels),
        cmocka_unit_test(test_too_many_layers),
        cmocka_unit_test(test_derived_cap),
        cmocka_unit_test(test_vntag_dce_8021ah),
        cmocka_unit_test(test_sctp_esp),
        cmocka_unit_test(test_events_table),
        cmocka_unit_test(test_packet_basics),
        cmocka_unit_test(test_counters_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
