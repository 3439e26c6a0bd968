/*
 * Unit tests for IP defragmentation: in-order, reverse and out-of-order
 * datagrams, duplicates, the overlap policies on the Sturges/Novak pattern
 * (expected bytes as in Suricata's defrag unit tests), IPv6 with extension
 * headers before the fragment header, timeouts, caps and what they count,
 * too-large datagrams, empty and odd-sized fragments, malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "defrag/defrag.h"
#include "defrag_test_util.h"

#define P_ICMP 1
#define P_UDP 17
#define P_ICMPV6 58

typedef struct Env {
    DefragConfig cfg;
    Counters ctr;
    DefragTable *t;
} Env;

static Env *env_new_cfg(const DefragConfig *cfg)
{
    Env *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    e->cfg = *cfg;
    e->t = defrag_new(&e->cfg, &e->ctr);
    assert_non_null(e->t);
    return e;
}

static Env *env_new_policy(DefragPolicy policy)
{
    DefragConfig cfg;
    defrag_config_defaults(&cfg);
    cfg.default_policy = policy;
    return env_new_cfg(&cfg);
}

static Env *env_new(void) { return env_new_policy(DEFRAG_POLICY_BSD); }

static void env_free(Env *e)
{
    defrag_free(e->t);
    free(e);
}

/* Inserts p, expecting no datagram back; frees p. */
static void feed_none(Env *e, Packet *p)
{
    Packet *r = defrag_insert(e->t, p);
    assert_null(r);
    packet_free(p);
}

/* Inserts p, expecting the datagram; frees p, returns the datagram. */
static Packet *feed_done(Env *e, Packet *p)
{
    Packet *r = defrag_insert(e->t, p);
    assert_non_null(r);
    packet_free(p);
    return r;
}

/* The datagram inside a rebuilt packet. */
#define IP(r) ((r)->buf + (r)->l3_off)

static void assert_run(const uint8_t *b, char c, int n)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(b[i], (uint8_t)c);
}

/* A valid IPv4 header: checksum over it sums to zero. */
static void assert_ipv4_header_ok(const Packet *r, uint16_t total)
{
    const uint8_t *h = IP(r);
    assert_int_equal(r->l3_len, total);
    assert_int_equal(h[0] >> 4, 4);
    assert_int_equal((h[2] << 8) | h[3], total);
    assert_int_equal(h[6], 0);
    assert_int_equal(h[7], 0);
    assert_int_equal(tu_csum(h, (size_t)(h[0] & 0x0f) * 4), 0);
    assert_int_equal(r->len, r->l3_off + total);
}

/* ---- basic reassembly ---------------------------------------------------- */

static void test_ipv4_in_order(void **state)
{
    (void)state;
    Env *e = env_new();
    Packet *p1 = tu_ipv4(P_ICMP, 12, 0, true, 'A', 8);
    Packet *p2 = tu_ipv4(P_ICMP, 12, 1, true, 'B', 8);
    p1->vlan_count = p2->vlan_count = 1;
    p1->vlan_id[0] = p2->vlan_id[0] = 42;
    memset(p1->buf, 0xaa, TU_L2); /* the first fragment's link layer starts the datagram */
    feed_none(e, p1);
    feed_none(e, p2);
    Packet *last = tu_ipv4(P_ICMP, 12, 2, false, 'C', 3);
    last->pcap_cnt = 3;
    last->ts = OD_TIME_FROM_SEC(1001) + 7;
    last->has_ether = true;
    memcpy(last->src_mac, "\x00\x11\x22\x33\x44\x55", 6);
    last->vlan_count = 1;
    last->vlan_id[0] = 42;
    last->tunnel_depth = 1;
    Packet *r = defrag_insert(e->t, last);
    assert_non_null(r);

    assert_ipv4_header_ok(r, 39);
    assert_run(IP(r) + 20, 'A', 8);
    assert_run(IP(r) + 28, 'B', 8);
    assert_run(IP(r) + 36, 'C', 3);
    assert_int_equal(r->datalink, LINKTYPE_ETHERNET);
    assert_int_equal(r->l3_off, TU_L2);
    assert_run(r->buf, (char)0xaa, TU_L2);
    assert_int_equal(r->src, PKT_SRC_DEFRAG);
    assert_ptr_equal(r->root, last);
    assert_int_equal(r->ts, OD_TIME_FROM_SEC(1001) + 7);
    assert_int_equal(r->pcap_cnt, 3);
    assert_true(r->has_ether);
    assert_memory_equal(r->src_mac, "\x00\x11\x22\x33\x44\x55", 6);
    assert_int_equal(r->vlan_count, 1);
    assert_int_equal(r->vlan_id[0], 42);
    assert_int_equal(r->tunnel_depth, 1);
    assert_int_equal(r->wire_len, TU_L2 + 39);

    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV4_FRAGMENTS], 3);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV4_REASSEMBLED], 1);
    assert_int_equal(defrag_frag_count(e->t), 0);
    assert_int_equal(last->event_count, 0);
    packet_free(last);
    packet_free(r);
    env_free(e);
}

static void test_ipv4_reverse(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv4(P_ICMP, 12, 2, false, 'C', 3));
    feed_none(e, tu_ipv4(P_ICMP, 12, 1, true, 'B', 8));
    Packet *r = feed_done(e, tu_ipv4(P_ICMP, 12, 0, true, 'A', 8));
    assert_ipv4_header_ok(r, 39);
    assert_run(IP(r) + 20, 'A', 8);
    assert_run(IP(r) + 28, 'B', 8);
    assert_run(IP(r) + 36, 'C', 3);
    /* protocol and addresses come from the first fragment's header */
    assert_int_equal(IP(r)[9], P_ICMP);
    assert_memory_equal(IP(r) + 12, "\x01\x01\x01\x01\x02\x02\x02\x02", 8);
    packet_free(r);
    env_free(e);
}

static void test_ipv4_out_of_order_with_padding(void **state)
{
    (void)state;
    Env *e = env_new();
    uint8_t c[24];
    for (int i = 0; i < 24; i++)
        c[i] = (uint8_t)i;
    /* middle, last, first; the first carries Ethernet padding past its end */
    feed_none(e, tu_ipv4_content(P_UDP, 7, 1, true, c + 8, 8, 0));
    feed_none(e, tu_ipv4_content(P_UDP, 7, 2, false, c + 16, 8, 6));
    Packet *r = feed_done(e, tu_ipv4_content(P_UDP, 7, 0, true, c, 8, 6));
    assert_ipv4_header_ok(r, 44);
    assert_memory_equal(IP(r) + 20, c, 24);
    packet_free(r);
    env_free(e);
}

/* Fragments decoded from a tunnel have no bytes before their IP header;
 * the datalink is that of the fragment at offset 0. */
static void test_link_layer_from_first_fragment(void **state)
{
    (void)state;
    Env *e = env_new();
    uint8_t c[16];
    memset(c, 'X', sizeof(c));
    Packet *tmp = tu_ipv4_content(P_UDP, 31, 0, true, c, 8, 0);
    Packet *first = packet_new();
    packet_set_data(first, tmp->buf + TU_L2, tmp->len - TU_L2);
    *first = (Packet){ .buf = first->buf, .buf_cap = first->buf_cap, .len = first->len, .wire_len = first->len,
                       .datalink = LINKTYPE_RAW, .ip_version = 4, .l3_off = 0, .l3_len = first->len,
                       .ts = tmp->ts, .is_fragment = true };
    packet_free(tmp);
    feed_none(e, first);
    Packet *last = tu_ipv4_content(P_UDP, 31, 1, false, c, 8, 0);
    Packet *r = feed_done(e, last);
    assert_int_equal(r->l3_off, 0);
    assert_int_equal(r->datalink, LINKTYPE_RAW);
    assert_ipv4_header_ok(r, 36);
    packet_free(r);
    env_free(e);
}

static void test_ipv4_bad_first_checksum_stays_bad(void **state)
{
    (void)state;
    Env *e = env_new();
    Packet *first = tu_ipv4(P_ICMP, 5, 0, true, 'A', 8);
    first->buf[first->l3_off + 10] ^= 0x55; /* corrupt the header checksum */
    feed_none(e, first);
    Packet *r = feed_done(e, tu_ipv4(P_ICMP, 5, 1, false, 'B', 8));
    assert_int_not_equal(tu_csum(IP(r), 20), 0);
    packet_free(r);
    env_free(e);
}

static void test_ipv6_in_order(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv6(P_ICMPV6, 12, 0, true, 'A', 8));
    feed_none(e, tu_ipv6(P_ICMPV6, 12, 1, true, 'B', 8));
    Packet *r = feed_done(e, tu_ipv6(P_ICMPV6, 12, 2, false, 'C', 3));
    assert_int_equal(r->len, TU_L2 + 40 + 19);
    assert_int_equal((IP(r)[4] << 8) | IP(r)[5], 19);
    assert_int_equal(IP(r)[6], P_ICMPV6); /* fragment header gone */
    assert_int_equal(IP(r)[7], 2);
    assert_run(IP(r) + 40, 'A', 8);
    assert_run(IP(r) + 48, 'B', 8);
    assert_run(IP(r) + 56, 'C', 3);
    assert_int_equal(r->datalink, LINKTYPE_ETHERNET);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV6_FRAGMENTS], 3);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV6_REASSEMBLED], 1);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV4_FRAGMENTS], 0);
    packet_free(r);
    env_free(e);
}

static void test_ipv6_reverse(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv6(P_ICMPV6, 12, 2, false, 'C', 3));
    feed_none(e, tu_ipv6(P_ICMPV6, 12, 1, true, 'B', 8));
    Packet *r = feed_done(e, tu_ipv6(P_ICMPV6, 12, 0, true, 'A', 8));
    assert_int_equal((IP(r)[4] << 8) | IP(r)[5], 19);
    assert_run(IP(r) + 40, 'A', 8);
    assert_run(IP(r) + 48, 'B', 8);
    assert_run(IP(r) + 56, 'C', 3);
    packet_free(r);
    env_free(e);
}

/* Hop-by-hop (8 bytes) and destination options (8 bytes) before the
 * fragment header: they stay, the destination options header now names
 * UDP, the payload length counts them. */
static void run_ipv6_ext(bool prev_nh_known)
{
    Env *e = env_new();
    uint8_t ext[16] = { 60, 0, 1, 4, 0, 0, 0, 0, /* HBH -> DST, PadN */
                        44, 0, 1, 4, 0, 0, 0, 0 }; /* DST -> FRAG, PadN */
    uint16_t nh_off = prev_nh_known ? 48 : 0;
    uint8_t a[16], b[5];
    memset(a, 'A', sizeof(a));
    memset(b, 'B', sizeof(b));
    feed_none(e, tu_ipv6_full(P_UDP, 0x01020304, 2, false, b, 5, ext, 16, 0, nh_off));
    Packet *r = feed_done(e, tu_ipv6_full(P_UDP, 0x01020304, 0, true, a, 16, ext, 16, 0, nh_off));
    assert_int_equal(r->len, TU_L2 + 40 + 16 + 21);
    assert_int_equal((IP(r)[4] << 8) | IP(r)[5], 16 + 21);
    assert_int_equal(IP(r)[6], 0); /* still hop-by-hop */
    assert_int_equal(IP(r)[40], 60); /* HBH -> DST */
    assert_int_equal(IP(r)[48], P_UDP); /* DST -> UDP (was 44) */
    assert_run(IP(r) + 56, 'A', 16);
    assert_run(IP(r) + 72, 'B', 5);
    packet_free(r);
    env_free(e);
}

static void test_ipv6_ext_headers(void **state)
{
    (void)state;
    run_ipv6_ext(true);
}

static void test_ipv6_ext_headers_walked(void **state)
{
    (void)state;
    run_ipv6_ext(false);
}

/* Only fragments up to the one with MF = 0 make the datagram. */
static void test_mf_ends_datagram_ipv4(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv4(P_ICMP, 9, 2, true, 'C', 8));
    feed_none(e, tu_ipv4(P_ICMP, 9, 0, true, 'A', 8));
    Packet *r = feed_done(e, tu_ipv4(P_ICMP, 9, 1, false, 'B', 8));
    assert_ipv4_header_ok(r, 36);
    assert_memory_equal(IP(r) + 20, "AAAAAAAABBBBBBBB", 16);
    packet_free(r);
    env_free(e);
}

static void test_mf_ends_datagram_ipv6(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv6(P_ICMPV6, 9, 2, true, 'C', 8));
    feed_none(e, tu_ipv6(P_ICMPV6, 9, 0, true, 'A', 8));
    Packet *r = feed_done(e, tu_ipv6(P_ICMPV6, 9, 1, false, 'B', 8));
    assert_int_equal((IP(r)[4] << 8) | IP(r)[5], 16);
    assert_memory_equal(IP(r) + 40, "AAAAAAAABBBBBBBB", 16);
    packet_free(r);
    env_free(e);
}

static void test_duplicate_fragment(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv4(P_ICMP, 3, 0, true, 'A', 16));
    Packet *dup = tu_ipv4(P_ICMP, 3, 0, true, 'A', 16);
    assert_null(defrag_insert(e->t, dup));
    assert_true(packet_has_event(dup, DEV_IPV4_FRAG_OVERLAP));
    assert_int_equal(e->ctr.events[DEV_IPV4_FRAG_OVERLAP], 1);
    assert_int_equal(defrag_frag_count(e->t), 1); /* the copy was not stored */
    packet_free(dup);
    Packet *r = feed_done(e, tu_ipv4(P_ICMP, 3, 2, false, 'B', 8));
    assert_ipv4_header_ok(r, 44);
    assert_run(IP(r) + 20, 'A', 16);
    assert_run(IP(r) + 36, 'B', 8);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV4_FRAGMENTS], 3);
    packet_free(r);
    env_free(e);
}

/* Hole: the datagram waits, then completes when the hole is filled. */
static void test_hole_waits(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv4(P_ICMP, 4, 0, true, 'A', 8));
    feed_none(e, tu_ipv4(P_ICMP, 4, 2, false, 'C', 8));
    assert_int_equal(defrag_frag_count(e->t), 2);
    Packet *r = feed_done(e, tu_ipv4(P_ICMP, 4, 1, true, 'B', 8));
    assert_memory_equal(IP(r) + 20, "AAAAAAAABBBBBBBBCCCCCCCC", 24);
    packet_free(r);
    env_free(e);
}

static void test_not_a_fragment(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv4(P_ICMP, 1, 0, false, 'A', 8));
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV4_FRAGMENTS], 0);
    assert_int_equal(defrag_tracker_count(e->t), 0);
    env_free(e);
}

/* ---- keys ------------------------------------------------------------------ */

static void test_bad_proto_not_joined(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv4(P_ICMP, 12, 0, true, 'A', 8));
    feed_none(e, tu_ipv4(P_UDP, 12, 1, true, 'B', 8));
    feed_none(e, tu_ipv4(P_ICMP, 12, 2, false, 'C', 3));
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV4_REASSEMBLED], 0);
    env_free(e);
}

static void test_vlan_separates(void **state)
{
    (void)state;
    for (int level = 0; level < 3; level++) {
        Env *e = env_new();
        Packet *p1 = tu_ipv4(P_ICMP, 1, 0, true, 'A', 8);
        Packet *p2 = tu_ipv4(P_ICMP, 1, 1, false, 'B', 8);
        p1->vlan_count = p2->vlan_count = (uint8_t)(level + 1);
        for (int i = 0; i <= level; i++)
            p1->vlan_id[i] = p2->vlan_id[i] = (uint16_t)(10 + i);
        p2->vlan_id[level] = 99;
        feed_none(e, p1);
        feed_none(e, p2);
        assert_int_equal(defrag_tracker_count(e->t), 2);
        env_free(e);
    }
    /* same VLANs: joined */
    Env *e = env_new();
    Packet *p1 = tu_ipv4(P_ICMP, 1, 0, true, 'A', 8);
    Packet *p2 = tu_ipv4(P_ICMP, 1, 1, false, 'B', 8);
    p1->vlan_count = p2->vlan_count = 2;
    p1->vlan_id[0] = p2->vlan_id[0] = 5;
    p1->vlan_id[1] = p2->vlan_id[1] = 6;
    feed_none(e, p1);
    packet_free(feed_done(e, p2));
    env_free(e);
}

static void test_id_separates(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv4(P_ICMP, 1, 0, true, 'A', 8));
    feed_none(e, tu_ipv4(P_ICMP, 2, 1, false, 'B', 8));
    assert_int_equal(defrag_tracker_count(e->t), 2);
    Packet *r = feed_done(e, tu_ipv4(P_ICMP, 1, 1, false, 'C', 8));
    assert_memory_equal(IP(r) + 20, "AAAAAAAACCCCCCCC", 16);
    packet_free(r);
    env_free(e);
}

/* Suricata's tracker matches the addresses in either order. */
static void test_reverse_direction_joins(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv4(P_ICMP, 77, 0, true, 'A', 8));
    Packet *p2 = tu_ipv4(P_ICMP, 77, 1, false, 'B', 8);
    tu_swap_ipv4_addrs(p2);
    Packet *r = feed_done(e, p2);
    assert_memory_equal(IP(r) + 12, "\x01\x01\x01\x01\x02\x02\x02\x02", 8);
    assert_memory_equal(IP(r) + 20, "AAAAAAAABBBBBBBB", 16);
    packet_free(r);
    env_free(e);
}

/* After a datagram is done, a fragment with the same key starts afresh;
 * the done tracker is reaped on the way (counted as a worker timeout). */
static void test_same_key_after_done(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv4(P_ICMP, 8, 0, true, 'A', 8));
    packet_free(feed_done(e, tu_ipv4(P_ICMP, 8, 1, false, 'B', 8)));
    feed_none(e, tu_ipv4(P_ICMP, 8, 1, false, 'B', 8));
    assert_int_equal(e->ctr.v[CTR_DEFRAG_WRK_TRACKER_TIMEOUT], 1);
    assert_int_equal(defrag_tracker_count(e->t), 1);
    assert_int_equal(defrag_frag_count(e->t), 1);
    Packet *r = feed_done(e, tu_ipv4(P_ICMP, 8, 0, true, 'Z', 8));
    assert_memory_equal(IP(r) + 20, "ZZZZZZZZBBBBBBBB", 16);
    packet_free(r);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV4_REASSEMBLED], 2);
    env_free(e);
}

/* ---- overlap policies: the Sturges/Novak pattern ------------------------- */

typedef Packet *(*builder_fn)(uint8_t proto, uint32_t id, uint16_t off, bool mf, char fill, int len);

static Packet *b4(uint8_t proto, uint32_t id, uint16_t off, bool mf, char fill, int len)
{
    return tu_ipv4(proto, (uint16_t)id, off, mf, fill, len);
}

static Packet *b6(uint8_t proto, uint32_t id, uint16_t off, bool mf, char fill, int len)
{
    return tu_ipv6(proto, id, off, mf, fill, len);
}

/* Each letter of `expected8` stands for 8 bytes of it. */
static void run_sturges_novak(DefragPolicy policy, bool v6, const char *expected8)
{
    static const struct {
        int off, len;
        char c;
    } frags[17] = {
        { 0, 24, 'A' }, { 32, 16, 'B' }, { 48, 24, 'C' }, { 80, 8, 'D' }, { 104, 16, 'E' }, { 120, 24, 'F' },
        { 144, 16, 'G' }, { 160, 16, 'H' }, { 176, 8, 'I' }, /* originals */
        { 8, 32, 'J' }, { 48, 24, 'K' }, { 72, 24, 'L' }, { 96, 24, 'M' }, { 128, 8, 'N' }, { 152, 8, 'O' },
        { 160, 8, 'P' }, { 176, 16, 'Q' }, /* overlapping */
    };
    builder_fn build = v6 ? b6 : b4;
    uint8_t proto = v6 ? P_ICMPV6 : P_ICMP;
    DecodeEvent ov = v6 ? DEV_IPV6_FRAG_OVERLAP : DEV_IPV4_FRAG_OVERLAP;
    Env *e = env_new_policy(policy);
    int overlaps = 0;
    for (int i = 0; i < 16; i++) {
        Packet *p = build(proto, 1, (uint16_t)(frags[i].off >> 3), true, frags[i].c, frags[i].len);
        assert_null(defrag_insert(e->t, p));
        if (i < 9)
            assert_false(packet_has_event(p, ov));
        else if (packet_has_event(p, ov))
            overlaps++;
        packet_free(p);
    }
    assert_true(overlaps > 0);
    Packet *r = feed_done(e, build(proto, 1, 176 >> 3, false, 'Q', 16));
    size_t hl = v6 ? 40 : 20;
    assert_int_equal(r->len, TU_L2 + hl + 192);
    uint8_t expected[192];
    for (int i = 0; i < 24; i++)
        memset(expected + i * 8, expected8[i], 8);
    assert_memory_equal(IP(r) + hl, expected, 192);
    if (v6)
        assert_int_equal((IP(r)[4] << 8) | IP(r)[5], 192);
    else
        assert_ipv4_header_ok(r, 212);
    assert_int_equal(defrag_frag_count(e->t), 0); /* everything released */
    packet_free(r);
    env_free(e);
}

static const char sn_bsd[] = "AAAJJBCCCLLLMMMFFFGGHHIQ";
static const char sn_linux[] = "AAAJJBKKKLLLMMMFFFGGPHQQ";
static const char sn_windows[] = "AAAJBBCCCLLLMEEFFFGGHHIQ";
static const char sn_solaris[] = "AAAJBBCCCLLLMMMFFFGGHHIQ";
static const char sn_first[] = "AAAJBBCCCLDLMEEFFFGGHHIQ";
static const char sn_last[] = "AJJJJBKKKLLLMMMFNFGOPHQQ";

static void test_sn_bsd4(void **s) { (void)s; run_sturges_novak(DEFRAG_POLICY_BSD, false, sn_bsd); }
static void test_sn_bsd6(void **s) { (void)s; run_sturges_novak(DEFRAG_POLICY_BSD, true, sn_bsd); }
static void test_sn_linux4(void **s) { (void)s; run_sturges_novak(DEFRAG_POLICY_LINUX, false, sn_linux); }
static void test_sn_linux6(void **s) { (void)s; run_sturges_novak(DEFRAG_POLICY_LINUX, true, sn_linux); }
static void test_sn_windows4(void **s) { (void)s; run_sturges_novak(DEFRAG_POLICY_WINDOWS, false, sn_windows); }
static void test_sn_windows6(void **s) { (void)s; run_sturges_novak(DEFRAG_POLICY_WINDOWS, true, sn_windows); }
static void test_sn_solaris4(void **s) { (void)s; run_sturges_novak(DEFRAG_POLICY_SOLARIS, false, sn_solaris); }
static void test_sn_solaris6(void **s) { (void)s; run_sturges_novak(DEFRAG_POLICY_SOLARIS, true, sn_solaris); }
static void test_sn_first4(void **s) { (void)s; run_sturges_novak(DEFRAG_POLICY_FIRST, false, sn_first); }
static void test_sn_first6(void **s) { (void)s; run_sturges_novak(DEFRAG_POLICY_FIRST, true, sn_first); }
static void test_sn_last4(void **s) { (void)s; run_sturges_novak(DEFRAG_POLICY_LAST, false, sn_last); }
static void test_sn_last6(void **s) { (void)s; run_sturges_novak(DEFRAG_POLICY_LAST, true, sn_last); }

/* The policy comes from host-os-policy rules for the destination. */
static void test_policy_from_host_rule(void **state)
{
    (void)state;
    DefragConfig cfg;
    defrag_config_defaults(&cfg);
    cfg.host_rule_count = 2;
    memset(cfg.host_rules, 0, sizeof(cfg.host_rules[0]) * 2);
    cfg.host_rules[0].family = 4; /* 0.0.0.0/0 -> windows */
    cfg.host_rules[0].prefix = 0;
    cfg.host_rules[0].policy = DEFRAG_POLICY_WINDOWS;
    cfg.host_rules[1].family = 4; /* 2.2.2.0/24 -> linux */
    cfg.host_rules[1].prefix = 24;
    memcpy(cfg.host_rules[1].addr, "\x02\x02\x02\x00", 4);
    cfg.host_rules[1].policy = DEFRAG_POLICY_LINUX;
    Address dst = { .family = 4, .addr = { 2, 2, 2, 2 } };
    assert_int_equal(defrag_config_policy_for(&cfg, &dst), DEFRAG_POLICY_LINUX);
    Address other = { .family = 4, .addr = { 9, 9, 9, 9 } };
    assert_int_equal(defrag_config_policy_for(&cfg, &other), DEFRAG_POLICY_WINDOWS);
    Address v6 = { .family = 6, .addr = { 2 } };
    assert_int_equal(defrag_config_policy_for(&cfg, &v6), DEFRAG_POLICY_BSD);

    /* a datagram to 2.2.2.2 is reassembled the linux way: a longer
     * fragment at the same offset replaces the stored one (windows and
     * bsd would keep the stored bytes) */
    Env *e = env_new_cfg(&cfg);
    feed_none(e, tu_ipv4(P_ICMP, 1, 1, true, 'A', 8));
    feed_none(e, tu_ipv4(P_ICMP, 1, 1, true, 'B', 16));
    feed_none(e, tu_ipv4(P_ICMP, 1, 0, true, 'Z', 8));
    Packet *r = feed_done(e, tu_ipv4(P_ICMP, 1, 3, false, 'C', 8));
    assert_memory_equal(IP(r) + 20, "ZZZZZZZZBBBBBBBBBBBBBBBBCCCCCCCC", 32);
    packet_free(r);
    env_free(e);

    /* the same to another host: windows */
    e = env_new_cfg(&cfg);
    Packet *q[4] = {
        tu_ipv4(P_ICMP, 1, 1, true, 'A', 8),
        tu_ipv4(P_ICMP, 1, 1, true, 'B', 16),
        tu_ipv4(P_ICMP, 1, 0, true, 'Z', 8),
        tu_ipv4(P_ICMP, 1, 3, false, 'C', 8),
    };
    for (int i = 0; i < 4; i++) {
        memcpy(q[i]->buf + q[i]->l3_off + 16, "\x09\x09\x09\x09", 4);
        q[i]->dst_addr = other;
    }
    feed_none(e, q[0]);
    feed_none(e, q[1]);
    feed_none(e, q[2]);
    r = feed_done(e, q[3]);
    assert_memory_equal(IP(r) + 20, "ZZZZZZZZAAAAAAAABBBBBBBBCCCCCCCC", 32);
    packet_free(r);
    env_free(e);
}

/* | DDDDDDDD | BBBBBBBB | BBBBBBBB | CCCCCCCC | AAAAAAAA | */
static void run_bsd_after_no_mf(bool v6)
{
    builder_fn build = v6 ? b6 : b4;
    Env *e = env_new();
    feed_none(e, build(P_ICMP, 0x96, 24 >> 3, false, 'A', 16));
    feed_none(e, build(P_ICMP, 0x96, 8 >> 3, true, 'B', 16));
    feed_none(e, build(P_ICMP, 0x96, 16 >> 3, true, 'C', 16));
    Packet *r = feed_done(e, build(P_ICMP, 0x96, 0, true, 'D', 8));
    assert_memory_equal(IP(r) + (v6 ? 40 : 20), "DDDDDDDDBBBBBBBBBBBBBBBBCCCCCCCCAAAAAAAA", 40);
    packet_free(r);
    env_free(e);
}

static void test_bsd_after_no_mf4(void **s) { (void)s; run_bsd_after_no_mf(false); }
static void test_bsd_after_no_mf6(void **s) { (void)s; run_bsd_after_no_mf(true); }

static void run_bsd_overlaps_start(bool v6)
{
    builder_fn build = v6 ? b6 : b4;
    Env *e = env_new();
    feed_none(e, build(P_ICMP, 1, 8 >> 3, false, 'E', 24));
    Packet *r = feed_done(e, build(P_ICMP, 1, 0, true, 'M', 24));
    assert_memory_equal(IP(r) + (v6 ? 40 : 20), "MMMMMMMMMMMMMMMMMMMMMMMMEEEEEEEE", 32);
    packet_free(r);
    env_free(e);
}

static void test_bsd_overlaps_start4(void **s) { (void)s; run_bsd_overlaps_start(false); }
static void test_bsd_overlaps_start6(void **s) { (void)s; run_bsd_overlaps_start(true); }

static void run_bsd_overlaps_start_2(bool v6)
{
    Env *e = env_new();
    const char *c1 = "AABBCCDDAABBDDCC", *c2 = "AACCBBDDAACCDDBB", *c3 = "ZZZZZZZZ", *c4 = "DDCCBBAA";
    Packet *(*bc)(uint8_t, uint32_t, uint16_t, bool, const uint8_t *, int) =
        v6 ? tu_ipv6_content : NULL;
    Packet *p[4];
    if (v6) {
        p[0] = bc(P_ICMP, 6, 16 >> 3, true, (const uint8_t *)c1, 16);
        p[1] = bc(P_ICMP, 6, 8 >> 3, true, (const uint8_t *)c2, 16);
        p[2] = bc(P_ICMP, 6, 0, true, (const uint8_t *)c3, 8);
        p[3] = bc(P_ICMP, 6, 32 >> 3, false, (const uint8_t *)c4, 8);
    } else {
        p[0] = tu_ipv4_content(P_ICMP, 6, 16 >> 3, true, (const uint8_t *)c1, 16, 0);
        p[1] = tu_ipv4_content(P_ICMP, 6, 8 >> 3, true, (const uint8_t *)c2, 16, 0);
        p[2] = tu_ipv4_content(P_ICMP, 6, 0, true, (const uint8_t *)c3, 8, 0);
        p[3] = tu_ipv4_content(P_ICMP, 6, 32 >> 3, false, (const uint8_t *)c4, 8, 0);
    }
    feed_none(e, p[0]);
    feed_none(e, p[1]);
    feed_none(e, p[2]);
    Packet *r = feed_done(e, p[3]);
    assert_memory_equal(IP(r) + (v6 ? 48 : 28), "AACCBBDDAACCDDBBAABBDDCCDDCCBBAA", 32);
    packet_free(r);
    env_free(e);
}

static void test_bsd_overlaps_start_2_4(void **s) { (void)s; run_bsd_overlaps_start_2(false); }
static void test_bsd_overlaps_start_2_6(void **s) { (void)s; run_bsd_overlaps_start_2(true); }

/* A missing piece (24..40) means no datagram, whatever overlaps. */
static void test_bsd_missing_fragment(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv4_content(P_ICMP, 189, 16 >> 3, true, (const uint8_t *)"AABBCCDDAABBDDCC", 16, 0));
    feed_none(e, tu_ipv4_content(P_ICMP, 189, 40 >> 3, true, (const uint8_t *)"AACCBBDD", 8, 0));
    feed_none(e, tu_ipv4_content(P_ICMP, 189, 8 >> 3, true, (const uint8_t *)"AACCDDBBAADDBBCC", 16, 0));
    feed_none(e, tu_ipv4_content(P_ICMP, 189, 0, true, (const uint8_t *)"ZZZZZZZZ", 8, 0));
    feed_none(e, tu_ipv4_content(P_ICMP, 189, 48 >> 3, false, (const uint8_t *)"DDCCBBAA", 8, 0));
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV4_REASSEMBLED], 0);
    env_free(e);
}

static void test_jeremy_linux(void **state)
{
    (void)state;
    Env *e = env_new_policy(DEFRAG_POLICY_LINUX);
    feed_none(e, tu_ipv4(P_ICMP, 1, 0, true, 'A', 24));
    feed_none(e, tu_ipv4(P_ICMP, 1, 40 >> 3, true, 'B', 48));
    feed_none(e, tu_ipv4(P_ICMP, 1, 24 >> 3, true, 'C', 48));
    Packet *r = feed_done(e, tu_ipv4(P_ICMP, 1, 88 >> 3, false, 'D', 14));
    uint8_t expected[102];
    memset(expected, 'A', 24);
    memset(expected + 24, 'C', 48);
    memset(expected + 72, 'B', 16);
    memset(expected + 88, 'D', 14);
    assert_memory_equal(IP(r) + 20, expected, sizeof(expected));
    packet_free(r);
    env_free(e);
}

/* ---- sizes and malformed input -------------------------------------------- */

static void test_too_large_ipv4(void **state)
{
    (void)state;
    Env *e = env_new();
    Packet *p = tu_ipv4(P_ICMP, 1, 8183, false, 'A', 71); /* 20 + 65464 + 71 > 65535 */
    assert_null(defrag_insert(e->t, p));
    assert_true(packet_has_event(p, DEV_IPV4_FRAG_PKT_TOO_LARGE));
    assert_int_equal(e->ctr.events[DEV_IPV4_FRAG_PKT_TOO_LARGE], 1);
    assert_int_equal(defrag_frag_count(e->t), 0);
    packet_free(p);
    /* exactly at the limit is fine */
    p = tu_ipv4(P_ICMP, 2, 8183, false, 'A', 51);
    assert_null(defrag_insert(e->t, p));
    assert_false(packet_has_event(p, DEV_IPV4_FRAG_PKT_TOO_LARGE));
    assert_int_equal(defrag_frag_count(e->t), 1);
    packet_free(p);
    env_free(e);
}

static void test_too_large_ipv6(void **state)
{
    (void)state;
    Env *e = env_new();
    Packet *p = tu_ipv6(P_ICMPV6, 1, 8191, false, 'A', 8); /* 65528 + 8 > 65535 */
    assert_null(defrag_insert(e->t, p));
    assert_true(packet_has_event(p, DEV_IPV6_FRAG_PKT_TOO_LARGE));
    assert_int_equal(defrag_frag_count(e->t), 0);
    packet_free(p);
    env_free(e);
}

/* A 64 KiB datagram in 45 pieces of 1480 bytes reassembles to 65515 bytes. */
static void test_largest_datagram(void **state)
{
    (void)state;
    Env *e = env_new();
    const int total = 65535 - 20;
    Packet *r = NULL;
    for (int off = 0; off < total; off += 1480) {
        int len = total - off < 1480 ? total - off : 1480;
        Packet *p = tu_ipv4(P_UDP, 44, (uint16_t)(off / 8), off + len < total, (char)('a' + (off / 1480) % 26), len);
        r = defrag_insert(e->t, p);
        packet_free(p);
        if (off + len < total)
            assert_null(r);
    }
    assert_non_null(r);
    assert_ipv4_header_ok(r, 65535);
    assert_run(IP(r) + 20 + 1480 * 44, (char)('a' + 44 % 26), total - 1480 * 44);
    packet_free(r);
    env_free(e);
}

static void test_zero_length_fragments(void **state)
{
    (void)state;
    Env *e = env_new();
    /* offset > 0, MF = 0 and no data: ignored, nothing stored */
    feed_none(e, tu_ipv4(P_ICMP, 12, 1, false, 'A', 0));
    assert_int_equal(defrag_frag_count(e->t), 0);
    /* empty non-last fragment: ignored as well */
    feed_none(e, tu_ipv4(P_ICMP, 12, 0, true, 'A', 0));
    assert_int_equal(defrag_frag_count(e->t), 0);
    /* and the empty "last" fragment did not end the datagram */
    feed_none(e, tu_ipv4(P_ICMP, 12, 0, true, 'A', 8));
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV4_REASSEMBLED], 0);
    packet_free(feed_done(e, tu_ipv4(P_ICMP, 12, 1, false, 'B', 8)));
    env_free(e);
}

/* IPv4 accepts a non-last fragment that is not a multiple of 8 bytes; the
 * next fragment then overlaps it and bsd keeps the older bytes. */
static void test_odd_length_ipv4(void **state)
{
    (void)state;
    Env *e = env_new();
    feed_none(e, tu_ipv4(P_ICMP, 2, 0, true, 'A', 13));
    Packet *p = tu_ipv4(P_ICMP, 2, 1, false, 'B', 8);
    Packet *r = defrag_insert(e->t, p);
    assert_non_null(r);
    assert_true(packet_has_event(p, DEV_IPV4_FRAG_OVERLAP));
    assert_ipv4_header_ok(r, 36);
    assert_memory_equal(IP(r) + 20, "AAAAAAAAAAAAABBB", 16);
    packet_free(p);
    packet_free(r);
    env_free(e);
}

/* IPv6 does not (RFC 8200): frag_invalid_length, not counted, not stored. */
static void test_odd_length_ipv6(void **state)
{
    (void)state;
    Env *e = env_new();
    Packet *p = tu_ipv6(P_ICMPV6, 2, 0, true, 'A', 13);
    assert_null(defrag_insert(e->t, p));
    assert_true(packet_has_event(p, DEV_IPV6_FRAG_INVALID_LENGTH));
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV6_FRAGMENTS], 0);
    assert_int_equal(defrag_frag_count(e->t), 0);
    /* the decoder already raised it: not raised twice */
    assert_null(defrag_insert(e->t, p));
    assert_int_equal(p->event_count, 1);
    packet_free(p);
    env_free(e);
}

static void test_malformed_ignored(void **state)
{
    (void)state;
    Env *e = env_new();
    /* total length beyond the captured bytes */
    Packet *p = tu_ipv4(P_ICMP, 1, 0, true, 'A', 16);
    p->l3_len = 30;
    feed_none(e, p);
    /* l3 window beyond the buffer */
    p = tu_ipv4(P_ICMP, 1, 0, true, 'A', 16);
    p->l3_len = p->len;
    feed_none(e, p);
    /* header length below 20 */
    p = tu_ipv4(P_ICMP, 1, 0, true, 'A', 16);
    p->buf[p->l3_off] = 0x44;
    feed_none(e, p);
    /* not IPv4 at all */
    p = tu_ipv4(P_ICMP, 1, 0, true, 'A', 16);
    p->ip_version = 0;
    feed_none(e, p);
    /* IPv6 fragment header offset past the payload */
    p = tu_ipv6(P_ICMPV6, 1, 0, true, 'A', 8);
    p->ip6.frag_hdr_offset = 52;
    feed_none(e, p);
    /* IPv6 fragment header offset inside the IPv6 header */
    p = tu_ipv6(P_ICMPV6, 1, 0, true, 'A', 8);
    p->ip6.frag_hdr_offset = 8;
    feed_none(e, p);
    /* IPv6 payload length beyond the captured bytes */
    p = tu_ipv6(P_ICMPV6, 1, 0, true, 'A', 8);
    p->l3_len -= 4;
    feed_none(e, p);
    /* truncated to the IPv6 header */
    p = tu_ipv6(P_ICMPV6, 1, 0, true, 'A', 8);
    p->l3_len = 20;
    feed_none(e, p);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV4_FRAGMENTS], 0);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV6_FRAGMENTS], 0);
    assert_int_equal(defrag_tracker_count(e->t), 0);
    assert_null(defrag_insert(NULL, NULL));
    env_free(e);
}

/* ---- timeouts ----------------------------------------------------------------- */

static void test_timeout_expire(void **state)
{
    (void)state;
    Env *e = env_new();
    Packet *p = tu_ipv4(P_ICMP, 1, 0, true, 'A', 8);
    p->ts = OD_TIME_FROM_SEC(100) + 900000; /* timeout is second 100 + 60 */
    feed_none(e, p);
    defrag_expire(e->t, OD_TIME_FROM_SEC(159) + 500000);
    assert_int_equal(defrag_tracker_count(e->t), 1);
    defrag_expire(e->t, OD_TIME_FROM_SEC(160) + 400000); /* within a second of the last sweep: none */
    assert_int_equal(defrag_tracker_count(e->t), 1);
    /* the timeout counts whole seconds: 100.9 s + 60 expires at 160.0 s */
    defrag_expire(e->t, OD_TIME_FROM_SEC(160) + 600000);
    assert_int_equal(defrag_tracker_count(e->t), 0);
    assert_int_equal(defrag_frag_count(e->t), 0);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_MGR_TRACKER_TIMEOUT], 1);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_TRACKER_TIMEOUT], 1);
    /* the rest of the datagram now finds nothing to join */
    p = tu_ipv4(P_ICMP, 1, 1, false, 'B', 8);
    p->ts = OD_TIME_FROM_SEC(161);
    feed_none(e, p);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV4_REASSEMBLED], 0);
    /* memory back to the bare table plus one tracker and its fragment */
    assert_int_equal(defrag_tracker_count(e->t), 1);
    env_free(e);
}

/* A stale tracker met by a lookup is replaced (worker-side timeout). */
static void test_timeout_on_lookup(void **state)
{
    (void)state;
    Env *e = env_new();
    Packet *p = tu_ipv4(P_ICMP, 1, 0, true, 'A', 8);
    p->ts = OD_TIME_FROM_SEC(100);
    feed_none(e, p);
    p = tu_ipv4(P_ICMP, 1, 1, false, 'B', 8);
    p->ts = OD_TIME_FROM_SEC(159) + 999999; /* still in time */
    Packet *r = defrag_insert(e->t, p);
    assert_non_null(r);
    packet_free(r);
    packet_free(p);

    p = tu_ipv4(P_ICMP, 2, 0, true, 'A', 8);
    p->ts = OD_TIME_FROM_SEC(200);
    feed_none(e, p);
    p = tu_ipv4(P_ICMP, 2, 1, false, 'B', 8);
    p->ts = OD_TIME_FROM_SEC(260); /* 200 + 60: expired */
    feed_none(e, p);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_WRK_TRACKER_TIMEOUT], 1);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV4_REASSEMBLED], 1);
    env_free(e);
}

/* Each fragment pushes the timeout on. */
static void test_timeout_refreshed(void **state)
{
    (void)state;
    Env *e = env_new();
    for (int i = 0; i < 3; i++) {
        Packet *p = tu_ipv4(P_ICMP, 1, (uint16_t)i, true, 'A', 8);
        p->ts = OD_TIME_FROM_SEC(100 + 50 * i);
        feed_none(e, p);
        defrag_expire(e->t, OD_TIME_FROM_SEC(100 + 50 * i + 1));
    }
    assert_int_equal(defrag_frag_count(e->t), 3);
    Packet *p = tu_ipv4(P_ICMP, 1, 3, false, 'B', 8);
    p->ts = OD_TIME_FROM_SEC(250);
    Packet *r = defrag_insert(e->t, p);
    assert_non_null(r);
    assert_ipv4_header_ok(r, 52);
    packet_free(r);
    packet_free(p);
    env_free(e);
}

/* defrag.host-config timeouts apply per destination. */
static void test_host_timeout(void **state)
{
    (void)state;
    DefragConfig cfg;
    defrag_config_defaults(&cfg);
    cfg.host_rule_count = 1;
    memset(&cfg.host_rules[0], 0, sizeof(cfg.host_rules[0]));
    cfg.host_rules[0].family = 4;
    cfg.host_rules[0].prefix = 32;
    memcpy(cfg.host_rules[0].addr, "\x02\x02\x02\x02", 4);
    cfg.host_rules[0].timeout = OD_TIME_FROM_SEC(5);
    Env *e = env_new_cfg(&cfg);
    Packet *p = tu_ipv4(P_ICMP, 1, 0, true, 'A', 8);
    p->ts = OD_TIME_FROM_SEC(100);
    feed_none(e, p);
    defrag_expire(e->t, OD_TIME_FROM_SEC(104));
    assert_int_equal(defrag_tracker_count(e->t), 1);
    defrag_expire(e->t, OD_TIME_FROM_SEC(105));
    assert_int_equal(defrag_tracker_count(e->t), 0);
    env_free(e);
}

/* ---- caps ----------------------------------------------------------------------- */

static void test_tracker_cap_reuses_oldest(void **state)
{
    (void)state;
    DefragConfig cfg;
    defrag_config_defaults(&cfg);
    cfg.trackers = 2;
    Env *e = env_new_cfg(&cfg);
    feed_none(e, tu_ipv4(P_ICMP, 1, 0, true, 'A', 8));
    feed_none(e, tu_ipv4(P_ICMP, 2, 0, true, 'A', 8));
    feed_none(e, tu_ipv4(P_ICMP, 3, 0, true, 'A', 8)); /* takes over id 1's tracker */
    assert_int_equal(defrag_tracker_count(e->t), 2);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_TRACKER_HARD_REUSE], 1);
    feed_none(e, tu_ipv4(P_ICMP, 1, 1, false, 'B', 8)); /* id 1 lost its start; takes id 2's */
    packet_free(feed_done(e, tu_ipv4(P_ICMP, 3, 1, false, 'B', 8)));
    assert_int_equal(e->ctr.v[CTR_DEFRAG_TRACKER_HARD_REUSE], 2);
    /* id 3 is done: the next new tracker reuses it softly */
    feed_none(e, tu_ipv4(P_ICMP, 4, 0, true, 'A', 8));
    assert_int_equal(e->ctr.v[CTR_DEFRAG_TRACKER_SOFT_REUSE], 1);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_MAX_TRACKERS_REACHED], 0);
    env_free(e);
}

/* A memcap too small for even one tracker: refused and counted. */
static void test_memcap_refuses_tracker(void **state)
{
    (void)state;
    DefragConfig cfg;
    defrag_config_defaults(&cfg);
    cfg.hash_size = 16;
    cfg.memcap = 16 * sizeof(void *) + 8;
    Env *e = env_new_cfg(&cfg);
    Packet *p = tu_ipv4(P_ICMP, 1, 0, true, 'A', 8);
    assert_null(defrag_insert(e->t, p));
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV4_FRAGMENTS], 1);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_MAX_TRACKERS_REACHED], 1);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_MAX_FRAG_HITS], 1);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_MEMCAP_DROP], 1);
    assert_int_equal(defrag_tracker_count(e->t), 0);
    packet_free(p);
    env_free(e);
}

/* Fragment bytes count against the memcap: a big fragment is refused with
 * frag_ignored while small ones still fit. */
static void test_memcap_refuses_fragment(void **state)
{
    (void)state;
    DefragConfig cfg;
    defrag_config_defaults(&cfg);
    cfg.hash_size = 16;
    cfg.memcap = 16 * sizeof(void *) + 4096;
    Env *e = env_new_cfg(&cfg);
    uint64_t base = defrag_memuse(e->t);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_MEMUSE], base);
    Packet *p = tu_ipv4(P_ICMP, 1, 0, true, 'A', 8000);
    assert_null(defrag_insert(e->t, p));
    assert_true(packet_has_event(p, DEV_IPV4_FRAG_IGNORED));
    assert_int_equal(e->ctr.events[DEV_IPV4_FRAG_IGNORED], 1);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_MEMCAP_DROP], 1);
    assert_int_equal(defrag_frag_count(e->t), 0);
    packet_free(p);
    feed_none(e, tu_ipv4(P_ICMP, 1, 0, true, 'A', 64));
    packet_free(feed_done(e, tu_ipv4(P_ICMP, 1, 8, false, 'B', 64)));
    defrag_expire(e->t, OD_TIME_FROM_SEC(5000));
    assert_int_equal(defrag_memuse(e->t), base);
    assert_int_equal(e->ctr.v[CTR_DEFRAG_MEMUSE], base);
    env_free(e);
}

static void test_max_frags(void **state)
{
    (void)state;
    DefragConfig cfg;
    defrag_config_defaults(&cfg);
    cfg.max_frags = 2;
    Env *e = env_new_cfg(&cfg);
    feed_none(e, tu_ipv6(P_ICMPV6, 1, 0, true, 'A', 8));
    feed_none(e, tu_ipv6(P_ICMPV6, 1, 1, true, 'B', 8));
    Packet *p = tu_ipv6(P_ICMPV6, 1, 2, false, 'C', 8);
    assert_null(defrag_insert(e->t, p));
    assert_true(packet_has_event(p, DEV_IPV6_FRAG_IGNORED));
    assert_int_equal(e->ctr.v[CTR_DEFRAG_MAX_FRAGS_REACHED], 1);
    packet_free(p);
    /* the refused last fragment did not end the datagram */
    assert_int_equal(e->ctr.v[CTR_DEFRAG_IPV6_REASSEMBLED], 0);
    env_free(e);
}

/* Many trackers and timeouts in a row keep the books straight. */
static void test_many_trackers(void **state)
{
    (void)state;
    DefragConfig cfg;
    defrag_config_defaults(&cfg);
    cfg.trackers = 100;
    cfg.hash_size = 8;
    Env *e = env_new_cfg(&cfg);
    for (int i = 0; i < 1000; i++) {
        Packet *p = tu_ipv4(P_ICMP, (uint16_t)i, 0, true, 'A', 8);
        p->ts = OD_TIME_FROM_SEC(100 + i / 10);
        defrag_expire(e->t, p->ts);
        feed_none(e, p);
    }
    assert_true(defrag_tracker_count(e->t) <= 100);
    assert_int_equal(defrag_frag_count(e->t), defrag_tracker_count(e->t));
    /* trackers made in the last 60 seconds are all still there */
    Packet *last = tu_ipv4(P_ICMP, 999, 1, false, 'B', 8);
    last->ts = OD_TIME_FROM_SEC(199);
    packet_free(feed_done(e, last));
    assert_true(e->ctr.v[CTR_DEFRAG_TRACKER_HARD_REUSE] > 0);
    env_free(e);
}

static void test_derived_root(void **state)
{
    (void)state;
    Env *e = env_new();
    Packet wire;
    memset(&wire, 0, sizeof(wire));
    Packet *p1 = tu_ipv4(P_ICMP, 1, 0, true, 'A', 8);
    p1->root = &wire;
    feed_none(e, p1);
    Packet *p2 = tu_ipv4(P_ICMP, 1, 1, false, 'B', 8);
    p2->root = &wire;
    Packet *r = feed_done(e, p2);
    assert_ptr_equal(r->root, &wire);
    packet_free(r);
    env_free(e);
}

static void test_defaults(void **state)
{
    (void)state;
    DefragConfig cfg;
    defrag_config_defaults(&cfg);
    assert_int_equal(cfg.memcap, 32 * 1024 * 1024);
    assert_int_equal(cfg.hash_size, 65536);
    assert_int_equal(cfg.trackers, 65535);
    assert_int_equal(cfg.max_frags, 65535);
    assert_true(cfg.prealloc);
    assert_int_equal(cfg.timeout, OD_TIME_FROM_SEC(60));
    assert_int_equal(cfg.default_policy, DEFRAG_POLICY_BSD);
    assert_string_equal(defrag_policy_name(DEFRAG_POLICY_BSD_RIGHT), "bsd-right");
    /* a memcap below the hash table is refused */
    cfg.memcap = 1024;
    Counters ctr;
    memset(&ctr, 0, sizeof(ctr));
    assert_null(defrag_new(&cfg, &ctr));
    defrag_config_defaults(&cfg);
    cfg.hash_size = 0;
    assert_null(defrag_new(&cfg, &ctr));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_in_order),
        cmocka_unit_test(test_ipv4_reverse),
        cmocka_unit_test(test_ipv4_out_of_order_with_padding),
        cmocka_unit_test(test_link_layer_from_first_fragment),
        cmocka_unit_test(test_ipv4_bad_first_checksum_stays_bad),
        cmocka_unit_test(test_ipv6_in_order),
        cmocka_unit_test(test_ipv6_reverse),
        cmocka_unit_test(test_ipv6_ext_headers),
        cmocka_unit_test(test_ipv6_ext_headers_walked),
        cmocka_unit_test(test_mf_ends_datagram_ipv4),
        cmocka_unit_test(test_mf_ends_datagram_ipv6),
        cmocka_unit_test(test_duplicate_fragment),
        cmocka_unit_test(test_hole_waits),
        cmocka_unit_test(test_not_a_fragment),
        cmocka_unit_test(test_bad_proto_not_joined),
        cmocka_unit_test(test_vlan_separates),
        cmocka_unit_test(test_id_separates),
        cmocka_unit_test(test_reverse_direction_joins),
        cmocka_unit_test(test_same_key_after_done),
        cmocka_unit_test(test_sn_bsd4),
        cmocka_unit_test(test_sn_bsd6),
        cmocka_unit_test(test_sn_linux4),
        cmocka_unit_test(test_sn_linux6),
        cmocka_unit_test(test_sn_windows4),
        cmocka_unit_test(test_sn_windows6),
        cmocka_unit_test(test_sn_solaris4),
        cmocka_unit_test(test_sn_solaris6),
        cmocka_unit_test(test_sn_first4),
        cmocka_unit_test(test_sn_first6),
        cmocka_unit_test(test_sn_last4),
        cmocka_unit_test(test_sn_last6),
        cmocka_unit_test(test_policy_from_host_rule),
        cmocka_unit_test(test_bsd_after_no_mf4),
        cmocka_unit_test(test_bsd_after_no_mf6),
        cmocka_unit_test(test_bsd_overlaps_start4),
        cmocka_unit_test(test_bsd_overlaps_start6),
        cmocka_unit_test(test_bsd_overlaps_start_2_4),
        cmocka_unit_test(test_bsd_overlaps_start_2_6),
        cmocka_unit_test(test_bsd_missing_fragment),
        cmocka_unit_test(test_jeremy_linux),
        cmocka_unit_test(test_too_large_ipv4),
        cmocka_unit_test(test_too_large_ipv6),
        cmocka_unit_test(test_largest_datagram),
        cmocka_unit_test(test_zero_length_fragments),
        cmocka_unit_test(test_odd_length_ipv4),
        cmocka_unit_test(test_odd_length_ipv6),
        cmocka_unit_test(test_malformed_ignored),
        cmocka_unit_test(test_timeout_expire),
        cmocka_unit_test(test_timeout_on_lookup),
        cmocka_unit_test(test_timeout_refreshed),
        cmocka_unit_test(test_host_timeout),
        cmocka_unit_test(test_tracker_cap_reuses_oldest),
        cmocka_unit_test(test_memcap_refuses_tracker),
        cmocka_unit_test(test_memcap_refuses_fragment),
        cmocka_unit_test(test_max_frags),
        cmocka_unit_test(test_many_trackers),
        cmocka_unit_test(test_derived_root),
        cmocka_unit_test(test_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
