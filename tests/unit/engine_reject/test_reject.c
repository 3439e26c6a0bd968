/*
 * Unit tests for inline prevention: reject replies (src/engine/reject.c)
 * and the inline settings (src/capture/nfq-config.c, the copy-mode part of
 * live-config.c).
 *
 * Packets are built by hand as bare IP bytes, run through the real decoder,
 * and the replies are checked field by field: addresses and ports turned
 * around (or kept, towards the destination), the sequence numbers a Linux
 * peer accepts (RFC 5961: exactly the next expected one), RST/ACK flags,
 * the IP and TCP/ICMP checksums (a correct checksum sums to zero), the
 * quoted bytes of an ICMP unreachable, and the cases that get no reply.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "capture/live.h"
#include "decode/decode.h"
#include "engine/counters.h"
#include "engine/reject.h"

static const uint8_t CLIENT[4] = { 10, 0, 0, 1 };
static const uint8_t SERVER[4] = { 10, 0, 0, 2 };

static uint16_t be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static uint32_t be32(const uint8_t *p) { return ((uint32_t)be16(p) << 16) | be16(p + 2); }

static uint32_t sum16(const uint8_t *d, size_t len, uint32_t sum)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += be16(d + i);
    if (len & 1)
        sum += (uint32_t)d[len - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

/* Checksum over a transport segment with its IPv4 pseudo-header: 0xffff when right. */
static uint16_t l4_sum_v4(const uint8_t *ip, uint8_t proto)
{
    size_t len = be16(ip + 2) - 20u;
    uint32_t s = sum16(ip + 12, 8, 0) + proto + (uint32_t)len;
    return fold(sum16(ip + 20, len, s));
}

/* A decoded IPv4 packet: TCP (flags, seq, ack, payload) or UDP. */
static Packet *decoded_v4(uint8_t proto, uint8_t flags, uint32_t seq, uint32_t ack, const char *payload)
{
    uint8_t buf[256];
    size_t plen = strlen(payload);
    size_t l4 = proto == 6 ? 20 : 8;
    size_t total = 20 + l4 + plen;
    memset(buf, 0, sizeof(buf));
    buf[0] = 0x45;
    buf[2] = (uint8_t)(total >> 8);
    buf[3] = (uint8_t)total;
    buf[8] = 64;
    buf[9] = proto;
    memcpy(buf + 12, CLIENT, 4);
    memcpy(buf + 16, SERVER, 4);
    uint16_t ipsum = (uint16_t)~fold(sum16(buf, 20, 0));
    buf[10] = (uint8_t)(ipsum >> 8);
    buf[11] = (uint8_t)ipsum;
    uint8_t *t = buf + 20;
    t[0] = 0xc0, t[1] = 0x01; /* 49153 */
    t[2] = 0x1f, t[3] = 0x90; /* 8080 */
    if (proto == 6) {
        t[4] = (uint8_t)(seq >> 24), t[5] = (uint8_t)(seq >> 16), t[6] = (uint8_t)(seq >> 8), t[7] = (uint8_t)seq;
        t[8] = (uint8_t)(ack >> 24), t[9] = (uint8_t)(ack >> 16), t[10] = (uint8_t)(ack >> 8), t[11] = (uint8_t)ack;
        t[12] = 5 << 4;
        t[13] = flags;
        t[14] = 0xff, t[15] = 0xff;
    } else {
        t[4] = (uint8_t)((8 + plen) >> 8), t[5] = (uint8_t)(8 + plen);
    }
    memcpy(t + l4, payload, plen);
    Packet *p = packet_new();
    assert_non_null(p);
    packet_set_data(p, buf, (uint32_t)total);
    p->datalink = LINKTYPE_RAW_LINKTYPE;
    static Counters ctr;
    DecodeConfig cfg;
    decode_config_defaults(&cfg);
    DecodeThread dt = { .cfg = &cfg, .ctr = &ctr };
    decode_packet(&dt, p);
    assert_int_equal(p->ip_version, 4);
    assert_int_equal(p->proto, proto);
    return p;
}

static void test_reset_towards_source(void **state)
{
    (void)state;
    Packet *p = decoded_v4(6, TH_ACK | TH_PUSH, 1000, 5000, "GET /x HTTP/1.1\r\n\r\n");
    uint8_t out[REJECT_MAX_LEN];
    size_t len = reject_build(p, true, out, sizeof(out));
    assert_int_equal(len, 40);
    assert_int_equal(out[0], 0x45);
    assert_int_equal(be16(out + 2), 40);
    assert_int_equal(out[9], 6);
    assert_int_equal(fold(sum16(out, 20, 0)), 0xffff);
    assert_memory_equal(out + 12, SERVER, 4); /* from the server ... */
    assert_memory_equal(out + 16, CLIENT, 4); /* ... to the client */
    assert_int_equal(be16(out + 20), 8080);
    assert_int_equal(be16(out + 22), 49153);
    assert_int_equal(be32(out + 24), 5000); /* what the client expects next */
    assert_int_equal(be32(out + 28), 1000 + 19); /* acknowledges the request */
    assert_int_equal(out[33], TH_RST | TH_ACK);
    assert_int_equal(l4_sum_v4(out, 6), 0xffff);
    packet_free(p);
}

static void test_reset_towards_destination(void **state)
{
    (void)state;
    Packet *p = decoded_v4(6, TH_ACK | TH_PUSH, 1000, 5000, "GET /x HTTP/1.1\r\n\r\n");
    uint8_t out[REJECT_MAX_LEN];
    size_t len = reject_build(p, false, out, sizeof(out));
    assert_int_equal(len, 40);
    assert_memory_equal(out + 12, CLIENT, 4);
    assert_memory_equal(out + 16, SERVER, 4);
    assert_int_equal(be16(out + 20), 49153);
    assert_int_equal(be16(out + 22), 8080);
    /* the server never got the dropped segment: it expects its sequence number */
    assert_int_equal(be32(out + 24), 1000);
    assert_int_equal(be32(out + 28), 5000);
    assert_int_equal(l4_sum_v4(out, 6), 0xffff);
    packet_free(p);
}

static void test_reset_to_a_syn(void **state)
{
    (void)state;
    Packet *p = decoded_v4(6, TH_SYN, 77, 0, "");
    uint8_t out[REJECT_MAX_LEN];
    assert_int_equal(reject_build(p, true, out, sizeof(out)), 40);
    assert_int_equal(be32(out + 24), 0);
    assert_int_equal(be32(out + 28), 78); /* the SYN counts as one */
    assert_int_equal(out[33], TH_RST | TH_ACK);
    packet_free(p);
}

static void test_no_reply_to_a_reset(void **state)
{
    (void)state;
    Packet *p = decoded_v4(6, TH_RST | TH_ACK, 1, 2, "");
    uint8_t out[REJECT_MAX_LEN];
    assert_int_equal(reject_build(p, true, out, sizeof(out)), 0);
    assert_int_equal(reject_build(p, false, out, sizeof(out)), 0);
    packet_free(p);
}

static void test_udp_gets_port_unreachable(void **state)
{
    (void)state;
    Packet *p = decoded_v4(17, 0, 0, 0, "query");
    uint8_t out[REJECT_MAX_LEN];
    size_t len = reject_build(p, true, out, sizeof(out));
    assert_int_equal(len, 20 + 8 + 20 + 8 + 5); /* quotes the whole small datagram */
    assert_int_equal(out[9], 1);
    assert_memory_equal(out + 12, SERVER, 4);
    assert_memory_equal(out + 16, CLIENT, 4);
    assert_int_equal(out[20], 3);
    assert_int_equal(out[21], 3);
    assert_memory_equal(out + 28, p->buf, 33);
    assert_int_equal(fold(sum16(out + 20, len - 20, 0)), 0xffff);
    /* ICMP goes towards the source only */
    assert_int_equal(reject_build(p, false, out, sizeof(out)), 0);
    /* too small a buffer: nothing */
    assert_int_equal(reject_build(p, true, out, 40), 0);
    packet_free(p);
}

static void test_action_sides(void **state)
{
    (void)state;
    bool s, d;
    assert_true(reject_action_sides(SIG_ACTION_REJECT, &s, &d));
    assert_true(s && !d);
    assert_true(reject_action_sides(SIG_ACTION_REJECTSRC, &s, &d));
    assert_true(s && !d);
    assert_true(reject_action_sides(SIG_ACTION_REJECTDST, &s, &d));
    assert_true(!s && d);
    assert_true(reject_action_sides(SIG_ACTION_REJECTBOTH, &s, &d));
    assert_true(s && d);
    assert_false(reject_action_sides(SIG_ACTION_DROP, &s, &d));
    assert_false(reject_action_sides(SIG_ACTION_ALERT, &s, &d));
}

static Conf *conf_from(const char *yaml)
{
    Conf *c = conf_new_empty();
    char err[256];
    assert_non_null(c);
    assert_true(conf_load_string(c, yaml, "test", err, sizeof(err)));
    return c;
}

static void test_nfq_defaults_and_values(void **state)
{
    (void)state;
    char err[256];
    LiveOptions o;
    memset(&o, 0, sizeof(o));
    Conf *c = conf_new_empty();
    assert_true(nfq_options_read(c, &o, err, sizeof(err)));
    assert_int_equal(o.kind, LIVE_NFQ);
    assert_int_equal(o.nfq.mode, NFQ_MODE_ACCEPT);
    assert_int_equal(o.nfq.batchcount, 1);
    assert_false(o.nfq.fail_open);
    conf_free(c);

    memset(&o, 0, sizeof(o));
    o.nfq.queues[0] = 3;
    o.nfq.queue_count = 1;
    c = conf_from("nfq:\n  mode: repeat\n  repeat-mark: 6\n  repeat-mask: 14\n  batchcount: 20\n  fail-open: yes\n");
    assert_true(nfq_options_read(c, &o, err, sizeof(err)));
    assert_int_equal(o.nfq.mode, NFQ_MODE_REPEAT);
    assert_int_equal(o.nfq.repeat_mark, 6);
    assert_int_equal(o.nfq.repeat_mask, 14);
    assert_int_equal(o.nfq.batchcount, 20);
    assert_true(o.nfq.fail_open);
    assert_string_equal(o.iface, "NFQ#3");
    assert_int_equal(live_thread_count(&o), 1);
    conf_free(c);
}

static void test_nfq_bad_values(void **state)
{
    (void)state;
    static const char *bad[] = {
        "nfq:\n  mode: bounce\n",
        "nfq:\n  mode: route\n",
        "nfq:\n  batchcount: -1\n",
        "nfq:\n  route-queue: 70000\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[256] = "";
        LiveOptions o;
        memset(&o, 0, sizeof(o));
        Conf *c = conf_from(bad[i]);
        assert_false(nfq_options_read(c, &o, err, sizeof(err)));
        assert_non_null(strstr(err, "nfq."));
        conf_free(c);
    }
}

static void test_copy_mode_pairs_interfaces(void **state)
{
    (void)state;
    char err[256];
    LiveOptions o;
    Conf *c = conf_from("af-packet:\n"
                        "  - interface: a0\n    copy-mode: ips\n    copy-iface: b0\n    cluster-id: 10\n"
                        "  - interface: b0\n    copy-mode: ips\n    copy-iface: a0\n    cluster-id: 11\n");
    assert_true(live_config_is_inline(c, "a0"));
    assert_true(live_options_read(c, LIVE_AF_PACKET, "a0", &o, err, sizeof(err)));
    assert_int_equal(o.copy_mode, LIVE_COPY_IPS);
    assert_string_equal(o.copy_iface, "b0");
    assert_non_null(o.peer);
    assert_string_equal(o.peer->iface, "b0");
    assert_int_equal(o.peer->cluster_id, 11);
    live_options_free(&o);
    assert_null(o.peer);
    conf_free(c);

    c = conf_from("af-packet:\n  - interface: a0\n    copy-mode: tap\n    copy-iface: b0\n");
    assert_false(live_config_is_inline(c, "a0")); /* tap forwards everything: not IPS */
    assert_false(live_options_read(c, LIVE_AF_PACKET, "a0", &o, err, sizeof(err)));
    assert_non_null(strstr(err, "copy-iface"));
    conf_free(c);

    c = conf_from("af-packet:\n  - interface: a0\n    copy-mode: ips\n");
    assert_false(live_options_read(c, LIVE_AF_PACKET, "a0", &o, err, sizeof(err)));
    assert_non_null(strstr(err, "needs a copy-iface"));
    conf_free(c);

    c = conf_from("af-packet:\n  - interface: a0\n    copy-mode: mirror\n");
    assert_false(live_options_read(c, LIVE_AF_PACKET, "a0", &o, err, sizeof(err)));
    assert_non_null(strstr(err, "copy-mode"));
    conf_free(c);

    c = conf_from("af-packet:\n"
                  "  - interface: a0\n    copy-mode: ips\n    copy-iface: b0\n"
                  "  - interface: b0\n    copy-mode: ips\n    copy-iface: a0\n");
    assert_false(live_options_read(c, LIVE_AF_PACKET, "a0", &o, err, sizeof(err)));
    assert_non_null(strstr(err, "cluster-id"));
    conf_free(c);

    c = conf_from("af-packet:\n  - interface: a0\n");
    assert_false(live_config_is_inline(c, "a0"));
    conf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_towards_source),
        cmocka_unit_test(test_reset_towards_destination),
        cmocka_unit_test(test_reset_to_a_syn),
        cmocka_unit_test(test_no_reply_to_a_reset),
        cmocka_unit_test(test_udp_gets_port_unreachable),
        cmocka_unit_test(test_action_sides),
        cmocka_unit_test(test_nfq_defaults_and_values),
        cmocka_unit_test(test_nfq_bad_values),
        cmocka_unit_test(test_copy_mode_pairs_interfaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
