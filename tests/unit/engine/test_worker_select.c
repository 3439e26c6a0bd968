/*
 * Unit tests of the reader's choice of worker: both directions of a
 * conversation, its fragments and ICMP errors about it land on one worker;
 * link layers and tags are looked through; cut or non-IP frames go to
 * worker 0 without reading past their end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/packet.h"
#include "engine/worker-select.h"

/* Builds Ethernet + optional 802.1Q tag + IPv4 header (+ bytes after it). */
static size_t eth_ipv4(uint8_t *buf, const uint8_t src[4], const uint8_t dst[4], uint8_t proto, uint16_t frag,
                       bool vlan)
{
    size_t o = 0;
    memset(buf, 0, 128);
    o = 12;
    if (vlan) {
        buf[o++] = 0x81;
        buf[o++] = 0x00;
        buf[o++] = 0x00;
        buf[o++] = 0x05;
    }
    buf[o++] = 0x08;
    buf[o++] = 0x00;
    uint8_t *ip = buf + o;
    ip[0] = 0x45;
    ip[6] = (uint8_t)(frag >> 8);
    ip[7] = (uint8_t)frag;
    ip[9] = proto;
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, dst, 4);
    return o + 20;
}

static const uint8_t A[4] = { 10, 0, 0, 1 }, B[4] = { 10, 0, 0, 2 }, C[4] = { 192, 168, 7, 9 };

static void test_both_directions_and_fragments_agree(void **state)
{
    (void)state;
    uint8_t f1[128], f2[128], f3[128];
    size_t n1 = eth_ipv4(f1, A, B, 6, 0, false);
    size_t n2 = eth_ipv4(f2, B, A, 6, 0, false);
    size_t n3 = eth_ipv4(f3, A, B, 17, 0x0010 /* a later fragment */, true);
    uint32_t h = worker_select_hash(f1, n1, LINKTYPE_ETHERNET);
    assert_int_not_equal(h, 0);
    assert_int_equal(h, worker_select_hash(f2, n2, LINKTYPE_ETHERNET));
    assert_int_equal(h, worker_select_hash(f3, n3, LINKTYPE_ETHERNET));
    for (uint32_t w = 1; w <= 8; w++)
        assert_int_equal(worker_select(f1, n1, LINKTYPE_ETHERNET, w), worker_select(f2, n2, LINKTYPE_ETHERNET, w));
    assert_int_equal(worker_select(f1, n1, LINKTYPE_ETHERNET, 1), 0);
}

static void test_pairs_spread_over_workers(void **state)
{
    (void)state;
    uint32_t used[4] = { 0 };
    for (int i = 0; i < 256; i++) {
        uint8_t buf[128], src[4] = { 10, 1, (uint8_t)(i >> 4), (uint8_t)i };
        size_t n = eth_ipv4(buf, src, B, 6, 0, false);
        used[worker_select(buf, n, LINKTYPE_ETHERNET, 4)]++;
    }
    for (int w = 0; w < 4; w++)
        assert_true(used[w] > 20);
}

static void test_icmp_error_follows_the_quoted_packet(void **state)
{
    (void)state;
    uint8_t flow[128], err[128];
    size_t nf = eth_ipv4(flow, A, B, 17, 0, false);
    /* router C tells A that B is unreachable, quoting A -> B */
    size_t ne = eth_ipv4(err, C, A, 1, 0, false);
    err[ne] = 3; /* destination unreachable */
    err[ne + 1] = 1;
    uint8_t *inner = err + ne + 8;
    inner[0] = 0x45;
    inner[9] = 17;
    memcpy(inner + 12, A, 4);
    memcpy(inner + 16, B, 4);
    ne += 8 + 20;
    assert_int_equal(worker_select_hash(err, ne, LINKTYPE_ETHERNET), worker_select_hash(flow, nf, LINKTYPE_ETHERNET));
    /* an echo request is its own pair's */
    err[ne - 28] = 8;
    uint8_t plain[128];
    size_t np = eth_ipv4(plain, C, A, 1, 0, false);
    assert_int_equal(worker_select_hash(err, ne, LINKTYPE_ETHERNET), worker_select_hash(plain, np, LINKTYPE_ETHERNET));
}

static void test_ipv6_raw_and_cooked_links(void **state)
{
    (void)state;
    uint8_t ip6[40] = { 0x60 };
    ip6[6] = 6;
    ip6[8 + 15] = 1;
    ip6[24 + 15] = 2;
    uint8_t back[40];
    memcpy(back, ip6, 40);
    memcpy(back + 8, ip6 + 24, 16);
    memcpy(back + 24, ip6 + 8, 16);
    uint32_t h = worker_select_hash(ip6, sizeof(ip6), LINKTYPE_RAW);
    assert_int_not_equal(h, 0);
    assert_int_equal(h, worker_select_hash(back, sizeof(back), LINKTYPE_IPV6));
    /* Linux cooked v1: protocol at 14, header 16 bytes */
    uint8_t sll[56] = { 0 };
    sll[14] = 0x86;
    sll[15] = 0xdd;
    memcpy(sll + 16, ip6, 40);
    assert_int_equal(h, worker_select_hash(sll, sizeof(sll), LINKTYPE_LINUX_SLL));
    /* BSD loopback: 4-byte family */
    uint8_t null[44] = { 30, 0, 0, 0 };
    memcpy(null + 4, ip6, 40);
    assert_int_equal(h, worker_select_hash(null, sizeof(null), LINKTYPE_NULL));
}

static void test_cut_and_non_ip_frames_go_to_worker_zero(void **state)
{
    (void)state;
    uint8_t buf[128];
    size_t n = eth_ipv4(buf, A, B, 6, 0, true);
    /* every prefix of a tagged frame: no over-read (ASan), 0 until the
     * addresses are in */
    for (size_t len = 0; len < n; len++) {
        uint8_t *copy = malloc(len ? len : 1);
        assert_non_null(copy);
        memcpy(copy, buf, len);
        assert_int_equal(worker_select_hash(copy, len, LINKTYPE_ETHERNET), 0);
        assert_int_equal(worker_select(copy, len, LINKTYPE_ETHERNET, 4), 0);
        free(copy);
    }
    /* ARP */
    buf[12] = 0x08;
    buf[13] = 0x06;
    assert_int_equal(worker_select_hash(buf, 60, LINKTYPE_ETHERNET), 0);
    /* an unknown link type */
    assert_int_equal(worker_select_hash(buf, 60, 9999), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_directions_and_fragments_agree),
        cmocka_unit_test(test_pairs_spread_over_workers),
        cmocka_unit_test(test_icmp_error_follows_the_quoted_packet),
        cmocka_unit_test(test_ipv6_raw_and_cooked_links),
        cmocka_unit_test(test_cut_and_non_ip_frames_go_to_worker_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
