/*
 * Unit tests of the flow table: keys and directions, counters, timeouts,
 * emergency mode, shutdown order, flow ids and the EVE names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "flow_test_util.h"

typedef struct Fixture {
    Counters ctr;
    EndLog log;
    FlowTable *ft;
} Fixture;

static Fixture *fixture_new(const FlowConfig *cfg)
{
    Fixture *fx = calloc(1, sizeof(*fx));
    fx->ft = flow_table_new(cfg, &fx->ctr, end_log_cb, &fx->log);
    assert_non_null(fx->ft);
    return fx;
}

static void fixture_free(Fixture *fx)
{
    flow_table_free(fx->ft);
    end_log_free(&fx->log);
    free(fx);
}

/* ---- keys and directions --------------------------------------------- */

static void test_both_directions_one_flow(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;

    pkt(&p, 6, "10.0.0.1", 40000, "10.0.0.2", 80, SEC(100), 74);
    p.tcp.flags = TH_SYN;
    Flow *f = flow_table_get(fx->ft, &p);
    assert_non_null(f);
    assert_ptr_equal(p.flow, f);
    assert_true(p.to_server);
    assert_int_equal(flow_table_last_status(fx->ft), FLOW_GET_OK);

    pkt(&p, 6, "10.0.0.2", 80, "10.0.0.1", 40000, SEC(100) + 10, 66);
    p.tcp.flags = TH_SYN | TH_ACK;
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_false(p.to_server);

    pkt(&p, 6, "10.0.0.1", 40000, "10.0.0.2", 80, SEC(101), 60);
    p.tcp.flags = TH_ACK | TH_PUSH;
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_true(p.to_server);

    assert_int_equal(f->pkts_toserver, 2);
    assert_int_equal(f->pkts_toclient, 1);
    assert_int_equal(f->bytes_toserver, 134);
    assert_int_equal(f->bytes_toclient, 66);
    assert_int_equal(f->tcp_flags_ts, TH_SYN | TH_ACK | TH_PUSH);
    assert_int_equal(f->tcp_flags_tc, TH_SYN | TH_ACK);
    assert_int_equal(f->start, SEC(100));
    assert_int_equal(f->last, SEC(101));
    assert_int_equal(f->sp, 40000);
    assert_int_equal(f->dp, 80);
    /* TCP state is the stream stage's business */
    assert_int_equal(f->state, FLOW_STATE_NEW);
    assert_false(p.flow_established);

    assert_int_equal(fx->ctr.v[CTR_FLOW_TOTAL], 1);
    assert_int_equal(fx->ctr.v[CTR_FLOW_TCP], 1);
    assert_int_equal(fx->ctr.v[CTR_FLOW_ACTIVE], 1);
    assert_int_equal(flow_table_active(fx->ft), 1);

    /* another source port is another flow */
    pkt(&p, 6, "10.0.0.1", 40001, "10.0.0.2", 80, SEC(101), 60);
    Flow *g = flow_table_get(fx->ft, &p);
    assert_non_null(g);
    assert_ptr_not_equal(g, f);
    assert_int_equal(fx->ctr.v[CTR_FLOW_TOTAL], 2);
    fixture_free(fx);
}

/* Both ends on one address (loopback captures): the reply must still find
 * the flow, by ports in the reversed orientation. Regression: the key match
 * stopped at the first orientation whose addresses matched. */
static void test_same_address_both_ends(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;

    pkt(&p, 6, "127.0.0.1", 40000, "127.0.0.1", 80, SEC(100), 74);
    p.tcp.flags = TH_SYN;
    Flow *f = flow_table_get(fx->ft, &p);
    assert_non_null(f);
    assert_true(p.to_server);

    pkt(&p, 6, "127.0.0.1", 80, "127.0.0.1", 40000, SEC(100) + 10, 74);
    p.tcp.flags = TH_SYN | TH_ACK;
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_false(p.to_server);
    assert_int_equal(f->pkts_toserver, 1);
    assert_int_equal(f->pkts_toclient, 1);
    fixture_free(fx);
}

static void test_udp_established_and_ttl(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;

    pkt(&p, 17, "192.168.1.5", 5353, "192.168.1.1", 53, SEC(10), 80);
    p.ip4.ttl = 64;
    Flow *f = flow_table_get(fx->ft, &p);
    assert_int_equal(f->state, FLOW_STATE_NEW);
    assert_false(p.flow_established);

    pkt(&p, 17, "192.168.1.5", 5353, "192.168.1.1", 53, SEC(10), 80);
    p.ip4.ttl = 60;
    flow_table_get(fx->ft, &p);
    assert_int_equal(f->state, FLOW_STATE_NEW);

    pkt(&p, 17, "192.168.1.1", 53, "192.168.1.5", 5353, SEC(11), 120);
    p.ip4.ttl = 255;
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_false(p.to_server);
    assert_true(p.flow_established);
    assert_int_equal(f->state, FLOW_STATE_ESTABLISHED);
    assert_int_equal(f->min_ttl_toserver, 60);
    assert_int_equal(f->max_ttl_toserver, 64);
    assert_int_equal(f->min_ttl_toclient, 255);
    assert_int_equal(fx->ctr.v[CTR_FLOW_UDP], 1);
    fixture_free(fx);
}

static void test_same_ports_direction_by_address(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    pkt(&p, 17, "10.1.1.1", 500, "10.1.1.2", 500, SEC(1), 100);
    Flow *f = flow_table_get(fx->ft, &p);
    pkt(&p, 17, "10.1.1.2", 500, "10.1.1.1", 500, SEC(1), 100);
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_false(p.to_server);
    assert_int_equal(f->pkts_toclient, 1);
    fixture_free(fx);
}

static void test_other_protocols_always_to_server(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    pkt(&p, 47, "10.1.1.1", 0, "10.1.1.2", 0, SEC(1), 100); /* GRE */
    Flow *f = flow_table_get(fx->ft, &p);
    pkt(&p, 47, "10.1.1.2", 0, "10.1.1.1", 0, SEC(1), 100);
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_true(p.to_server);
    assert_int_equal(f->pkts_toserver, 2);
    assert_int_equal(f->pkts_toclient, 0);
    assert_int_equal(f->state, FLOW_STATE_NEW);
    assert_int_equal(fx->ctr.v[CTR_FLOW_TOTAL], 1);
    fixture_free(fx);
}

static void test_vlan_tracking(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    pkt(&p, 17, "10.0.0.1", 1000, "10.0.0.2", 2000, SEC(1), 60);
    p.vlan_count = 1;
    p.vlan_id[0] = 10;
    Flow *a = flow_table_get(fx->ft, &p);

    pkt(&p, 17, "10.0.0.2", 2000, "10.0.0.1", 1000, SEC(1), 60);
    p.vlan_count = 1;
    p.vlan_id[0] = 20;
    Flow *b = flow_table_get(fx->ft, &p);
    assert_ptr_not_equal(a, b);
    assert_true(b->pkts_toserver == 1);

    pkt(&p, 17, "10.0.0.2", 2000, "10.0.0.1", 1000, SEC(1), 60);
    p.vlan_count = 1;
    p.vlan_id[0] = 10;
    assert_ptr_equal(flow_table_get(fx->ft, &p), a);
    assert_false(p.to_server);

    /* QinQ: the inner id counts too */
    pkt(&p, 17, "10.0.0.1", 1000, "10.0.0.2", 2000, SEC(1), 60);
    p.vlan_count = 2;
    p.vlan_id[0] = 10;
    p.vlan_id[1] = 7;
    Flow *c = flow_table_get(fx->ft, &p);
    assert_ptr_not_equal(c, a);
    assert_int_equal(c->vlan_count, 2);
    assert_int_equal(c->vlan_id[1], 7);
    assert_int_equal(fx->ctr.v[CTR_FLOW_TOTAL], 3);
    fixture_free(fx);

    cfg.vlan_use_for_tracking = false;
    fx = fixture_new(&cfg);
    pkt(&p, 17, "10.0.0.1", 1000, "10.0.0.2", 2000, SEC(1), 60);
    p.vlan_count = 1;
    p.vlan_id[0] = 10;
    a = flow_table_get(fx->ft, &p);
    pkt(&p, 17, "10.0.0.2", 2000, "10.0.0.1", 1000, SEC(1), 60);
    p.vlan_count = 1;
    p.vlan_id[0] = 20;
    assert_ptr_equal(flow_table_get(fx->ft, &p), a);
    assert_false(p.to_server);
    /* the flow still records the first packet's VLAN for output */
    assert_int_equal(a->vlan_id[0], 10);
    assert_int_equal(fx->ctr.v[CTR_FLOW_TOTAL], 1);
    fixture_free(fx);
}

static void test_ipv6(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    pkt(&p, 6, "2001:db8::1", 50000, "2001:db8::2", 443, SEC(5), 94);
    Flow *f = flow_table_get(fx->ft, &p);
    assert_non_null(f);
    assert_int_equal(f->ip_version, 6);
    pkt(&p, 6, "2001:db8::2", 443, "2001:db8::1", 50000, SEC(5), 94);
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_false(p.to_server);

    /* differs only in the last address byte */
    pkt(&p, 6, "2001:db8::3", 443, "2001:db8::1", 50000, SEC(5), 94);
    assert_ptr_not_equal(flow_table_get(fx->ft, &p), f);
    /* differs only in the first address byte */
    pkt(&p, 6, "3001:db8::2", 443, "2001:db8::1", 50000, SEC(5), 94);
    assert_ptr_not_equal(flow_table_get(fx->ft, &p), f);

    /* an IPv4 packet whose address bytes look alike is another flow */
    pkt(&p, 6, "32.1.13.184", 50000, "32.1.13.184", 443, SEC(5), 60);
    assert_ptr_not_equal(flow_table_get(fx->ft, &p), f);
    assert_int_equal(fx->ctr.v[CTR_FLOW_TOTAL], 4);
    fixture_free(fx);
}

static void test_tunnel_depth_and_untracked(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    pkt(&p, 17, "10.0.0.1", 1, "10.0.0.2", 2, SEC(1), 60);
    Flow *outer = flow_table_get(fx->ft, &p);
    pkt(&p, 17, "10.0.0.1", 1, "10.0.0.2", 2, SEC(1), 60);
    p.tunnel_depth = 1;
    Flow *inner = flow_table_get(fx->ft, &p);
    assert_ptr_not_equal(outer, inner);
    assert_int_equal(inner->recursion_level, 1);

    pkt(&p, 17, "10.0.0.1", 1, "10.0.0.2", 2, SEC(1), 60);
    p.flow_ok = false;
    assert_null(flow_table_get(fx->ft, &p));
    assert_null(p.flow);
    assert_int_equal(flow_table_last_status(fx->ft), FLOW_GET_UNTRACKED);
    assert_int_equal(fx->ctr.v[CTR_FLOW_TOTAL], 2);
    fixture_free(fx);
}

/* decoder.recursion-level.use-for-tracking off: a request outside a tunnel
 * and its reply inside one are one flow */
static void test_tunnel_depth_not_tracked(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    cfg.recursion_use_for_tracking = false;
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    icmp_pkt(&p, "1.1.1.1", "2.2.2.2", 8, 0, SEC(1));
    Flow *f = flow_table_get(fx->ft, &p);
    assert_non_null(f);
    icmp_pkt(&p, "2.2.2.2", "1.1.1.1", 0, 0, SEC(1));
    p.tunnel_depth = 1;
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_false(p.to_server);
    assert_int_equal(f->pkts_toserver, 1);
    assert_int_equal(f->pkts_toclient, 1);
    assert_int_equal(fx->ctr.v[CTR_FLOW_TOTAL], 1);
    fixture_free(fx);
}

static void test_esp_spi(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    pkt(&p, 50, "10.0.0.1", 0, "10.0.0.2", 0, SEC(1), 8);
    p.esp_spi = 0x1001;
    Flow *a = flow_table_get(fx->ft, &p);
    assert_int_equal(a->esp_spi, 0x1001);
    pkt(&p, 50, "10.0.0.2", 0, "10.0.0.1", 0, SEC(1), 8);
    p.esp_spi = 0x2002;
    Flow *b = flow_table_get(fx->ft, &p);
    assert_ptr_not_equal(a, b);
    pkt(&p, 50, "10.0.0.1", 0, "10.0.0.2", 0, SEC(2), 8);
    p.esp_spi = 0x1001;
    assert_ptr_equal(flow_table_get(fx->ft, &p), a);
    assert_int_equal(a->pkts_toserver, 2);
    fixture_free(fx);
}

/* ---- ICMP ------------------------------------------------------------ */

static void test_icmp_echo_pairing(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;

    icmp_pkt(&p, "192.168.1.20", "192.168.1.25", 8, 0, SEC(1));
    p.icmp_id = 1;
    Flow *f = flow_table_get(fx->ft, &p);
    assert_non_null(f);
    assert_int_equal(f->icmp_type, 8);
    assert_int_equal(f->icmp_reply_type, 0);
    assert_false(f->icmp_reply_seen);

    icmp_pkt(&p, "192.168.1.25", "192.168.1.20", 0, 0, SEC(1));
    p.icmp_id = 1;
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_false(p.to_server);
    assert_true(f->icmp_reply_seen);
    assert_int_equal(f->state, FLOW_STATE_ESTABLISHED);

    /* Suricata does not key ICMP on the id: another ping, same flow */
    icmp_pkt(&p, "192.168.1.20", "192.168.1.25", 8, 0, SEC(2));
    p.icmp_id = 2;
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_true(p.to_server);

    /* a timestamp request between the same hosts is its own flow ... */
    icmp_pkt(&p, "192.168.1.20", "192.168.1.25", 13, 0, SEC(2));
    Flow *ts = flow_table_get(fx->ft, &p);
    assert_ptr_not_equal(ts, f);
    assert_int_equal(ts->icmp_reply_type, 14);
    /* ... that its reply finds */
    icmp_pkt(&p, "192.168.1.25", "192.168.1.20", 14, 0, SEC(2));
    assert_ptr_equal(flow_table_get(fx->ft, &p), ts);
    assert_false(p.to_server);

    /* an echo request from the other host starts another flow */
    icmp_pkt(&p, "192.168.1.25", "192.168.1.20", 8, 0, SEC(3));
    Flow *back = flow_table_get(fx->ft, &p);
    assert_ptr_not_equal(back, f);
    assert_true(p.to_server);

    assert_int_equal(fx->ctr.v[CTR_FLOW_ICMPV4], 3);
    assert_int_equal(f->pkts_toserver, 2);
    assert_int_equal(f->pkts_toclient, 1);
    fixture_free(fx);
}

static void test_icmpv6(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    icmp_pkt(&p, "fe80::1", "fe80::2", 128, 0, SEC(1));
    Flow *f = flow_table_get(fx->ft, &p);
    assert_int_equal(f->icmp_reply_type, 129);
    icmp_pkt(&p, "fe80::2", "fe80::1", 129, 0, SEC(1));
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_false(p.to_server);
    /* ICMPv6 flows are keyed by the addresses alone */
    icmp_pkt(&p, "fe80::1", "fe80::2", 135, 0, SEC(1));
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_int_equal(fx->ctr.v[CTR_FLOW_ICMPV6], 1);
    assert_int_equal(f->state, FLOW_STATE_ESTABLISHED);
    fixture_free(fx);
}

static void test_icmp_errors(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;

    pkt(&p, 17, "10.0.0.1", 33000, "10.0.0.2", 53, SEC(1), 70);
    Flow *udp = flow_table_get(fx->ft, &p);

    /* port unreachable from the server quoting the query: joins the UDP flow */
    icmp_pkt(&p, "10.0.0.2", "10.0.0.1", 3, 3, SEC(2));
    p.icmp_emb.valid = true;
    p.icmp_emb.has_ports = true;
    p.icmp_emb.proto = 17;
    p.icmp_emb.src = addr("10.0.0.1");
    p.icmp_emb.dst = addr("10.0.0.2");
    p.icmp_emb.sp = 33000;
    p.icmp_emb.dp = 53;
    assert_ptr_equal(flow_table_get(fx->ft, &p), udp);
    assert_false(p.to_server);
    assert_int_equal(udp->pkts_toclient, 1);
    assert_int_equal(udp->bytes_toclient, 98);
    assert_int_equal(udp->last, SEC(2));
    /* an error does not count as the other side answering */
    assert_int_equal(udp->state, FLOW_STATE_NEW);
    assert_false(p.flow_established);

    /* the quote without its ports is not enough */
    p.icmp_emb.has_ports = false;
    assert_null(flow_table_get(fx->ft, &p));
    p.icmp_emb.has_ports = true;
    /* unreachable for a datagram with no flow: nothing */
    p.icmp_emb.dp = 54;
    assert_null(flow_table_get(fx->ft, &p));
    assert_int_equal(flow_table_last_status(fx->ft), FLOW_GET_UNTRACKED);

    /* time exceeded and unreachable without a readable quote: no flow */
    icmp_pkt(&p, "10.0.0.9", "10.0.0.1", 11, 0, SEC(2));
    assert_null(flow_table_get(fx->ft, &p));
    icmp_pkt(&p, "10.0.0.2", "10.0.0.1", 3, 1, SEC(2));
    assert_null(flow_table_get(fx->ft, &p));
    assert_int_equal(fx->ctr.v[CTR_FLOW_TOTAL], 1);
    assert_int_equal(fx->ctr.v[CTR_FLOW_ICMPV4], 0);
    fixture_free(fx);
}

/* ---- timeouts -------------------------------------------------------- */

static void test_timeout_new_and_established(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    /* UDP flow one way only: new, 30 s */
    pkt(&p, 17, "10.0.0.1", 1111, "10.0.0.2", 53, SEC(1000) + 500000, 60);
    Flow *n = flow_table_get(fx->ft, &p);
    uint64_t n_id = n->flow_id;
    /* UDP flow both ways: established, 300 s */
    pkt(&p, 17, "10.0.0.1", 2222, "10.0.0.2", 53, SEC(1000), 60);
    flow_table_get(fx->ft, &p);
    pkt(&p, 17, "10.0.0.2", 53, "10.0.0.1", 2222, SEC(1000), 60);
    Flow *e = flow_table_get(fx->ft, &p);
    uint64_t e_id = e->flow_id;

    flow_table_timeout(fx->ft, SEC(1030) + 999999); /* second 1030 = 1000 + 30: not past */
    assert_int_equal(fx->log.n, 0);
    flow_table_timeout(fx->ft, SEC(1031));
    assert_int_equal(fx->log.n, 1);
    assert_int_equal(fx->log.flows[0].flow_id, n_id);
    assert_int_equal(fx->log.flows[0].end_reason, FLOW_END_TIMEOUT);
    assert_int_equal(fx->log.flows[0].state, FLOW_STATE_NEW);
    assert_int_equal(fx->ctr.v[CTR_FLOW_END_STATE_NEW], 1);

    flow_table_timeout(fx->ft, SEC(1300));
    assert_int_equal(fx->log.n, 1);
    flow_table_timeout(fx->ft, SEC(1301));
    assert_int_equal(fx->log.n, 2);
    assert_int_equal(fx->log.flows[1].flow_id, e_id);
    assert_int_equal(fx->log.flows[1].state, FLOW_STATE_ESTABLISHED);
    assert_int_equal(fx->ctr.v[CTR_FLOW_END_STATE_ESTABLISHED], 1);
    assert_int_equal(fx->ctr.v[CTR_FLOW_MGR_FLOWS_TIMEOUT], 2);
    assert_int_equal(fx->ctr.v[CTR_FLOW_ACTIVE], 0);
    assert_int_equal(flow_table_active(fx->ft), 0);
    /* the established flow was looked at once before its real deadline */
    assert_true(fx->ctr.v[CTR_FLOW_MGR_FLOWS_CHECKED] >= 3);
    fixture_free(fx);
}

static void test_timeout_tcp_states_set_after_packet(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    /* closed shorter than new: the heap must not wait for the new timeout */
    cfg.timeouts[FLOW_PROTO_TCP].closed_timeout = 10;
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    pkt(&p, 6, "10.0.0.1", 1000, "10.0.0.2", 80, SEC(0), 60);
    Flow *a = flow_table_get(fx->ft, &p);
    a->state = FLOW_STATE_ESTABLISHED; /* as the stream stage would */
    pkt(&p, 6, "10.0.0.1", 1001, "10.0.0.2", 80, SEC(0), 60);
    Flow *b = flow_table_get(fx->ft, &p);
    b->state = FLOW_STATE_ESTABLISHED;
    /* later the stream sees FIN/ACK on b and closes it: closed = 10 s */
    pkt(&p, 6, "10.0.0.1", 1001, "10.0.0.2", 80, SEC(500), 60);
    flow_table_get(fx->ft, &p);
    b->state = FLOW_STATE_CLOSED;

    flow_table_timeout(fx->ft, SEC(510)); /* a is looked at: due at 601 */
    assert_int_equal(fx->log.n, 0);
    flow_table_timeout(fx->ft, SEC(511));
    assert_int_equal(fx->log.n, 1);
    assert_int_equal(fx->log.flows[0].sp, 1001);
    assert_int_equal(fx->log.flows[0].state, FLOW_STATE_CLOSED);

    /* a packet, then a closes: it must now end at 561, not 601 */
    pkt(&p, 6, "10.0.0.2", 80, "10.0.0.1", 1000, SEC(550), 60);
    assert_ptr_equal(flow_table_get(fx->ft, &p), a);
    a->state = FLOW_STATE_CLOSED;
    flow_table_timeout(fx->ft, SEC(560));
    assert_int_equal(fx->log.n, 1);
    flow_table_timeout(fx->ft, SEC(561));
    assert_int_equal(fx->log.n, 2);
    assert_int_equal(fx->log.flows[1].sp, 1000);
    assert_int_equal(fx->ctr.v[CTR_FLOW_END_STATE_CLOSED], 2);

    /* an established flow that stays so lives its 600 s */
    pkt(&p, 6, "10.0.0.1", 1002, "10.0.0.2", 80, SEC(1000), 60);
    flow_table_get(fx->ft, &p)->state = FLOW_STATE_ESTABLISHED;
    flow_table_timeout(fx->ft, SEC(1600));
    assert_int_equal(fx->log.n, 2);
    flow_table_timeout(fx->ft, SEC(1601));
    assert_int_equal(fx->log.n, 3);
    assert_int_equal(fx->ctr.v[CTR_FLOW_END_STATE_ESTABLISHED], 1);
    fixture_free(fx);
}

static void test_timed_out_flow_replaced_on_lookup(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    pkt(&p, 17, "10.0.0.1", 1111, "10.0.0.2", 53, SEC(100), 60);
    Flow *f = flow_table_get(fx->ft, &p);
    uint64_t first_id = f->flow_id;
    /* 129.9 s has not reached 100 + 30: same flow */
    pkt(&p, 17, "10.0.0.1", 1111, "10.0.0.2", 53, SEC(129) + 900000, 60);
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_int_equal(f->pkts_toserver, 2);
    /* a microsecond short of 129.9 + 30: still the same flow */
    pkt(&p, 17, "10.0.0.1", 1111, "10.0.0.2", 53, SEC(159) + 899999, 60);
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_int_equal(f->pkts_toserver, 3);
    /* the packet reaching 159.899999 + 30 exactly, within the same second as
     * the deadline and without any flow_table_timeout call: a new flow
     * (Suricata 8 compares to the microsecond; the sweep's whole seconds
     * would keep the old one) */
    pkt(&p, 17, "10.0.0.2", 53, "10.0.0.1", 1111, SEC(189) + 899999, 60);
    Flow *g = flow_table_get(fx->ft, &p);
    assert_non_null(g);
    assert_int_equal(fx->log.n, 1);
    assert_int_equal(fx->log.flows[0].flow_id, first_id);
    assert_int_equal(fx->log.flows[0].end_reason, FLOW_END_TIMEOUT);
    assert_int_equal(fx->log.flows[0].pkts_toserver, 3);
    assert_true(p.to_server); /* the new flow starts with this packet */
    assert_int_equal(g->pkts_toserver, 1);
    assert_int_not_equal(g->flow_id, first_id);
    assert_int_equal(fx->ctr.v[CTR_FLOW_TOTAL], 2);
    assert_int_equal(fx->ctr.v[CTR_FLOW_ACTIVE], 1);
    fixture_free(fx);
}

/* Random flows, states and timestamps: every flow must end exactly at the
 * first second at which it is past its timeout, as a brute force check over
 * all flows says. */
static void test_timeout_matches_brute_force(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    enum { N = 3000 };
    static Flow *flows[N];
    static uint64_t seq[N];
    static int64_t expected_end[N];
    static bool ended[N];
    srand(12345);
    Packet p;
    for (int i = 0; i < N; i++) {
        static const uint8_t protos[] = { 6, 17, 1, 47 };
        uint8_t proto = protos[rand() % 4];
        char src[32];
        snprintf(src, sizeof(src), "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
        OdTime ts = SEC(1000 + rand() % 200) + rand() % 1000000;
        pkt(&p, proto, src, 1024, "172.16.0.1", 80, ts, 60);
        if (proto == 1)
            p.icmp_type = 8;
        flows[i] = flow_table_get(fx->ft, &p);
        assert_non_null(flows[i]);
        if (proto == 6)
            flows[i]->state = (FlowState)(rand() % 3);
        else if (rand() % 2) {
            pkt(&p, proto, "172.16.0.1", 80, src, 1024, ts + 1000, 60);
            if (proto == 1)
                p.icmp_type = 0;
            assert_ptr_equal(flow_table_get(fx->ft, &p), flows[i]);
        }
        FlowProtoClass c = flow_proto_class(proto);
        const FlowTimeouts *t = &cfg.timeouts[c];
        uint32_t to = flows[i]->state == FLOW_STATE_NEW           ? t->new_timeout
                      : flows[i]->state == FLOW_STATE_ESTABLISHED ? t->est_timeout
                                                                  : t->closed_timeout;
        expected_end[i] = OD_TIME_SEC(flows[i]->last) + to + 1;
        seq[i] = flows[i]->seq_no;
    }
    size_t seen = 0;
    for (int64_t s = 1000; s <= 2000; s++) {
        flow_table_timeout(fx->ft, SEC(s) + 500000);
        for (size_t j = seen; j < fx->log.n; j++) {
            int idx = -1;
            for (int i = 0; i < N; i++)
                if (!ended[i] && fx->log.flows[j].seq_no == seq[i]) {
                    idx = i;
                    break;
                }
            assert_true(idx >= 0);
            assert_int_equal(expected_end[idx], s);
            ended[idx] = true;
        }
        seen = fx->log.n;
    }
    assert_int_equal(fx->log.n, N);
    fixture_free(fx);
}

/* ---- memcap and emergency mode --------------------------------------- */

static void test_memcap_emergency_eviction(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    cfg.hash_size = 64;
    cfg.prealloc = 10;
    /* room for the buckets and exactly 10 flows */
    cfg.memcap = 64 * sizeof(Flow *) + 10 * sizeof(Flow);
    Fixture *fx = fixture_new(&cfg);
    assert_int_equal(flow_table_memuse(fx->ft), cfg.memcap);
    assert_int_equal(fx->ctr.v[CTR_FLOW_MEMUSE], cfg.memcap);
    Packet p;
    uint64_t ids[10];
    for (int i = 0; i < 10; i++) {
        pkt(&p, 17, "10.0.0.1", (uint16_t)(1000 + i), "10.0.0.2", 53, SEC(100) + i, 60);
        ids[i] = flow_table_get(fx->ft, &p)->flow_id;
    }
    assert_false(flow_table_in_emergency(fx->ft));

    /* same second: every flow is still alive, nothing can be evicted */
    pkt(&p, 17, "10.0.0.1", 2000, "10.0.0.2", 53, SEC(101), 60);
    assert_null(flow_table_get(fx->ft, &p));
    assert_null(p.flow);
    assert_int_equal(flow_table_last_status(fx->ft), FLOW_GET_MEMCAP);
    assert_true(flow_table_in_emergency(fx->ft));
    assert_int_equal(fx->ctr.v[CTR_FLOW_EMERG_MODE_ENTERED], 1);
    assert_int_equal(fx->ctr.v[CTR_FLOW_MEMCAP], 1);
    assert_int_equal(fx->log.n, 0);

    /* three seconds later the oldest new flows may go (idle > 1 s) */
    pkt(&p, 17, "10.0.0.1", 2001, "10.0.0.2", 53, SEC(103), 60);
    Flow *f = flow_table_get(fx->ft, &p);
    assert_non_null(f);
    assert_int_equal(fx->log.n, 1);
    assert_int_equal(fx->log.flows[0].flow_id, ids[0]);
    assert_int_equal(fx->log.flows[0].end_reason, FLOW_END_FORCED);
    assert_true(fx->log.flows[0].end_emergency);
    assert_int_equal(fx->ctr.v[CTR_FLOW_GET_USED], 1);
    assert_int_equal(fx->ctr.v[CTR_FLOW_EMERG_MODE_ENTERED], 1);
    assert_int_equal(fx->ctr.v[CTR_FLOW_TOTAL], 11);
    assert_int_equal(fx->ctr.v[CTR_FLOW_ACTIVE], 10);
    assert_int_equal(flow_table_memuse(fx->ft), cfg.memcap);

    /* emergency timeouts: UDP new 10 s, so the nine flows of second 100
     * end at 110; with 9 of 10 spares back emergency mode is over */
    flow_table_timeout(fx->ft, SEC(109) + 999999);
    assert_int_equal(fx->log.n, 1);
    assert_true(flow_table_in_emergency(fx->ft));
    flow_table_timeout(fx->ft, SEC(110));
    assert_int_equal(fx->log.n, 10);
    for (size_t i = 1; i < fx->log.n; i++) {
        assert_int_equal(fx->log.flows[i].end_reason, FLOW_END_TIMEOUT);
        assert_true(fx->log.flows[i].end_emergency);
    }
    assert_false(flow_table_in_emergency(fx->ft));
    assert_int_equal(fx->ctr.v[CTR_FLOW_EMERG_MODE_OVER], 1);
    /* back to normal: the flow of 103 lives until second 134 */
    flow_table_timeout(fx->ft, SEC(133));
    assert_int_equal(flow_table_active(fx->ft), 1);
    flow_table_timeout(fx->ft, SEC(134));
    assert_int_equal(flow_table_active(fx->ft), 0);
    assert_false(fx->log.flows[fx->log.n - 1].end_emergency);
    fixture_free(fx);
}

static void test_memcap_no_prealloc(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    cfg.hash_size = 16;
    cfg.prealloc = 0;
    cfg.memcap = 16 * sizeof(Flow *) + 4 * sizeof(Flow);
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    for (int i = 0; i < 4; i++) {
        pkt(&p, 6, "10.0.0.1", (uint16_t)(1000 + i), "10.0.0.2", 80, SEC(10), 60);
        assert_non_null(flow_table_get(fx->ft, &p));
    }
    assert_int_equal(flow_table_memuse(fx->ft), cfg.memcap);
    /* the first flow is active again later: the least recently active one
     * (1001) is evicted, not the oldest */
    pkt(&p, 6, "10.0.0.1", 1000, "10.0.0.2", 80, SEC(15), 60);
    assert_non_null(flow_table_get(fx->ft, &p));
    pkt(&p, 6, "10.0.0.1", 2000, "10.0.0.2", 80, SEC(20), 60);
    p.tcp.flags = TH_SYN;
    assert_non_null(flow_table_get(fx->ft, &p));
    assert_int_equal(fx->log.n, 1);
    assert_int_equal(fx->log.flows[0].end_reason, FLOW_END_FORCED);
    assert_int_equal(fx->log.flows[0].sp, 1001);
    /* emergency TCP new timeout is 5 s: all end by 26, memory is freed and
     * emergency mode ends */
    flow_table_timeout(fx->ft, SEC(26));
    assert_int_equal(flow_table_active(fx->ft), 0);
    assert_false(flow_table_in_emergency(fx->ft));
    assert_int_equal(flow_table_memuse(fx->ft), 16 * sizeof(Flow *));
    fixture_free(fx);
}

static void test_emergency_midstream_refuses_non_syn(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    cfg.hash_size = 16;
    cfg.prealloc = 1;
    cfg.memcap = 16 * sizeof(Flow *) + 1 * sizeof(Flow);
    cfg.midstream = true;
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    pkt(&p, 6, "10.0.0.1", 1000, "10.0.0.2", 80, SEC(10), 60);
    p.tcp.flags = TH_SYN;
    assert_non_null(flow_table_get(fx->ft, &p));
    pkt(&p, 6, "10.0.0.1", 1001, "10.0.0.2", 80, SEC(10), 60);
    p.tcp.flags = TH_SYN;
    assert_null(flow_table_get(fx->ft, &p)); /* enters emergency, nothing evictable */
    pkt(&p, 6, "10.0.0.1", 1002, "10.0.0.2", 80, SEC(20), 60);
    p.tcp.flags = TH_ACK;
    assert_null(flow_table_get(fx->ft, &p));
    assert_int_equal(flow_table_last_status(fx->ft), FLOW_GET_REFUSED);
    assert_int_equal(fx->log.n, 0);
    p.tcp.flags = TH_SYN;
    assert_non_null(flow_table_get(fx->ft, &p));
    assert_int_equal(fx->log.n, 1);
    fixture_free(fx);
}

static void test_new_rejects_tiny_memcap(void **state)
{
    (void)state;
    Counters ctr;
    memset(&ctr, 0, sizeof(ctr));
    FlowConfig cfg = small_config();
    cfg.memcap = cfg.hash_size * sizeof(Flow *) + cfg.prealloc * sizeof(Flow) - 1;
    assert_null(flow_table_new(&cfg, &ctr, NULL, NULL));
    cfg.hash_size = 0;
    cfg.memcap = 1 << 20;
    assert_null(flow_table_new(&cfg, &ctr, NULL, NULL));
    assert_int_equal(ctr.v[CTR_FLOW_MEMUSE], 0);
}

/* ---- end of input ---------------------------------------------------- */

static void test_shutdown_creation_order(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    uint64_t ids[20];
    for (int i = 0; i < 20; i++) {
        pkt(&p, 17, "10.9.9.9", (uint16_t)(5000 + i), "10.0.0.2", 53, SEC(1) + i, 60);
        ids[i] = flow_table_get(fx->ft, &p)->flow_id;
    }
    /* touch them in reverse so activity order differs from creation order */
    for (int i = 19; i >= 0; i--) {
        pkt(&p, 17, "10.0.0.2", 53, "10.9.9.9", (uint16_t)(5000 + i), SEC(30) + (19 - i), 60);
        flow_table_get(fx->ft, &p);
    }
    flow_table_shutdown(fx->ft);
    assert_int_equal(fx->log.n, 20);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(fx->log.flows[i].flow_id, ids[i]);
        assert_int_equal(fx->log.flows[i].end_reason, FLOW_END_SHUTDOWN);
        assert_int_equal(fx->log.flows[i].state, FLOW_STATE_ESTABLISHED);
    }
    assert_int_equal(flow_table_active(fx->ft), 0);
    assert_int_equal(fx->ctr.v[CTR_FLOW_ACTIVE], 0);
    assert_int_equal(fx->ctr.v[CTR_FLOW_END_STATE_ESTABLISHED], 20);
    /* the table is still usable, and memory went back to the pool / system */
    assert_int_equal(flow_table_memuse(fx->ft), 1024 * sizeof(Flow *) + 16 * sizeof(Flow));
    pkt(&p, 17, "10.9.9.9", 1, "10.0.0.2", 53, SEC(60), 60);
    assert_non_null(flow_table_get(fx->ft, &p));
    flow_table_shutdown(fx->ft);
    assert_int_equal(fx->log.n, 21);
    fixture_free(fx);
}

/* ---- hooks and explicit ends ----------------------------------------- */

static const char *fake_tcp_state(const Flow *f)
{
    return f->sp == 1 ? "fin_wait2" : f->sp == 2 ? NULL : "syn_sent";
}

static bool reuse_on_syn(void *ctx, const Flow *f, const Packet *p, bool to_server)
{
    int *calls = ctx;
    (*calls)++;
    assert_true(to_server);
    return f->tcp_flags_ts & TH_FIN && (p->tcp.flags & (TH_SYN | TH_ACK)) == TH_SYN;
}

static void test_hooks(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    int calls = 0;
    FlowHooks hooks = { .tcp_state_name = fake_tcp_state, .tcp_reuse = reuse_on_syn, .ctx = &calls };
    flow_table_set_hooks(fx->ft, &hooks);
    Packet p;
    pkt(&p, 6, "10.0.0.1", 1, "10.0.0.2", 80, SEC(1), 60);
    p.tcp.flags = TH_SYN;
    Flow *a = flow_table_get(fx->ft, &p);
    uint64_t a_id = a->flow_id;
    p.tcp.flags = TH_FIN | TH_ACK;
    p.ts = SEC(2);
    assert_ptr_equal(flow_table_get(fx->ft, &p), a);
    assert_int_equal(calls, 1);
    p.tcp.flags = TH_SYN;
    p.ts = SEC(3);
    Flow *b = flow_table_get(fx->ft, &p);
    assert_int_equal(calls, 2);
    assert_int_equal(fx->log.n, 1);
    assert_int_equal(fx->log.flows[0].flow_id, a_id);
    assert_int_equal(fx->log.flows[0].end_reason, FLOW_END_TCP_REUSE);
    assert_int_equal(fx->ctr.v[CTR_FLOW_TCP_REUSE], 1);
    assert_int_equal(fx->ctr.v[CTR_FLOW_END_TCP_STATE_FIN_WAIT2], 1);
    assert_int_not_equal(b->flow_id, a_id);
    assert_int_equal(b->pkts_toserver, 1);

    pkt(&p, 6, "10.0.0.1", 2, "10.0.0.2", 80, SEC(3), 60);
    Flow *c = flow_table_get(fx->ft, &p);
    pkt(&p, 6, "10.0.0.1", 3, "10.0.0.2", 80, SEC(3), 60);
    flow_table_get(fx->ft, &p);
    flow_table_end_flow(fx->ft, c, FLOW_END_FORCED);
    assert_int_equal(fx->log.n, 2);
    assert_int_equal(fx->log.flows[1].sp, 2);
    assert_int_equal(fx->log.flows[1].end_reason, FLOW_END_FORCED);
    flow_table_shutdown(fx->ft);
    assert_int_equal(fx->ctr.v[CTR_FLOW_END_TCP_STATE_FIN_WAIT2], 2); /* b has sp 1 too */
    assert_int_equal(fx->ctr.v[CTR_FLOW_END_TCP_STATE_SYN_SENT], 1);
    assert_int_equal(fx->ctr.v[CTR_FLOW_END_STATE_NEW], 4);
    fixture_free(fx);
}

static void test_flow_swap(void **state)
{
    (void)state;
    FlowConfig cfg = small_config();
    Fixture *fx = fixture_new(&cfg);
    Packet p;
    /* a SYN/ACK seen first: the stream stage turns the flow round */
    pkt(&p, 6, "10.0.0.2", 80, "10.0.0.1", 40000, SEC(1), 66);
    p.tcp.flags = TH_SYN | TH_ACK;
    Flow *f = flow_table_get(fx->ft, &p);
    uint64_t id = f->flow_id;
    flow_swap(f);
    assert_int_equal(f->sp, 40000);
    assert_int_equal(f->dp, 80);
    assert_int_equal(f->pkts_toserver, 0);
    assert_int_equal(f->pkts_toclient, 1);
    assert_int_equal(f->bytes_toclient, 66);
    assert_int_equal(f->tcp_flags_tc, TH_SYN | TH_ACK);
    assert_int_equal(f->tcp_flags_ts, 0);
    assert_true(f->seen_toclient);
    assert_false(f->seen_toserver);
    assert_int_equal(f->flow_id, id);
    pkt(&p, 6, "10.0.0.1", 40000, "10.0.0.2", 80, SEC(1), 60);
    p.tcp.flags = TH_ACK;
    assert_ptr_equal(flow_table_get(fx->ft, &p), f);
    assert_true(p.to_server);
    assert_int_equal(f->pkts_toserver, 1);
    fixture_free(fx);
}

/* ---- flow ids -------------------------------------------------------- */

static void feed_random(FlowTable *ft, unsigned seed, int n, uint64_t *ids)
{
    srand(seed);
    Packet p;
    for (int i = 0; i < n; i++) {
        char src[32], dst[32];
        snprintf(src, sizeof(src), "%d.%d.%d.%d", rand() % 256, rand() % 256, rand() % 256, rand() % 256);
        snprintf(dst, sizeof(dst), "%d.%d.%d.%d", rand() % 256, rand() % 256, rand() % 256, rand() % 256);
        pkt(&p, rand() % 2 ? 6 : 17, src, (uint16_t)rand(), dst, (uint16_t)rand(),
            SEC(1500000000 + i / 1000) + rand() % 1000000, 60);
        Flow *f = flow_table_get(ft, &p);
        assert_non_null(f);
        ids[i] = f->flow_id;
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void test_flow_id_deterministic_and_distinct(void **state)
{
    (void)state;
    enum { N = 100000 };
    FlowConfig cfg = small_config();
    cfg.hash_size = 65536;
    Fixture *a = fixture_new(&cfg);
    cfg.hash_size = 1000; /* a different table shape must not matter */
    Fixture *b = fixture_new(&cfg);
    uint64_t *ia = malloc(N * sizeof(uint64_t)), *ib = malloc(N * sizeof(uint64_t));
    feed_random(a->ft, 7, N, ia);
    feed_random(b->ft, 7, N, ib);
    for (int i = 0; i < N; i++) {
        assert_int_equal(ia[i], ib[i]);
        assert_true(ia[i] > 0 && ia[i] <= 0x7ffffffffffffULL);
    }
    qsort(ia, N, sizeof(uint64_t), cmp_u64);
    for (int i = 1; i < N; i++)
        assert_int_not_equal(ia[i], ia[i - 1]);

    /* the key is symmetric: whichever side is seen first, same id */
    Packet p;
    pkt(&p, 6, "1.2.3.4", 1, "5.6.7.8", 2, SEC(1), 60);
    Flow *f = flow_table_get(a->ft, &p);
    pkt(&p, 6, "5.6.7.8", 2, "1.2.3.4", 1, SEC(1), 60);
    Flow *g = flow_table_get(b->ft, &p);
    assert_int_equal(f->flow_id, g->flow_id);
    /* the same tuple starting a microsecond later is another id */
    uint64_t old_id = g->flow_id;
    flow_table_end_flow(b->ft, g, FLOW_END_FORCED);
    p.ts += 1;
    g = flow_table_get(b->ft, &p);
    assert_int_not_equal(g->flow_id, old_id);
    free(ia);
    free(ib);
    fixture_free(a);
    fixture_free(b);
}

/* ---- names ----------------------------------------------------------- */

static void test_names(void **state)
{
    (void)state;
    char buf[8];
    assert_string_equal(flow_proto_name(6, buf, sizeof(buf)), "TCP");
    assert_string_equal(flow_proto_name(17, buf, sizeof(buf)), "UDP");
    assert_string_equal(flow_proto_name(1, buf, sizeof(buf)), "ICMP");
    assert_string_equal(flow_proto_name(58, buf, sizeof(buf)), "IPv6-ICMP");
    assert_string_equal(flow_proto_name(47, buf, sizeof(buf)), "GRE");
    assert_string_equal(flow_proto_name(41, buf, sizeof(buf)), "IPv6");
    assert_string_equal(flow_proto_name(59, buf, sizeof(buf)), "IPv6-NoNxt");
    assert_string_equal(flow_proto_name(132, buf, sizeof(buf)), "SCTP");
    assert_string_equal(flow_proto_name(50, buf, sizeof(buf)), "ESP");
    assert_string_equal(flow_proto_name(0, buf, sizeof(buf)), "HOPOPT");
    assert_string_equal(flow_proto_name(61, buf, sizeof(buf)), "Any");
    assert_string_equal(flow_proto_name(143, buf, sizeof(buf)), "Ethernet");
    assert_string_equal(flow_proto_name(144, buf, sizeof(buf)), "144");
    assert_string_equal(flow_proto_name(255, buf, sizeof(buf)), "255");
    assert_string_equal(flow_state_name(FLOW_STATE_NEW), "new");
    assert_string_equal(flow_state_name(FLOW_STATE_ESTABLISHED), "established");
    assert_string_equal(flow_state_name(FLOW_STATE_CLOSED), "closed");
    assert_string_equal(flow_state_name(FLOW_STATE_LOCAL_BYPASSED), "bypassed");
    assert_string_equal(flow_end_reason_name(FLOW_END_TIMEOUT), "timeout");
    assert_string_equal(flow_end_reason_name(FLOW_END_FORCED), "forced");
    assert_string_equal(flow_end_reason_name(FLOW_END_SHUTDOWN), "shutdown");
    assert_string_equal(flow_end_reason_name(FLOW_END_TCP_REUSE), "tcp_reuse");
}

static void test_defaults(void **state)
{
    (void)state;
    FlowConfig cfg;
    flow_config_defaults(&cfg);
    assert_int_equal(cfg.memcap, 128 * 1024 * 1024);
    assert_int_equal(cfg.hash_size, 65536);
    assert_int_equal(cfg.prealloc, 10000);
    assert_int_equal(cfg.emergency_recovery, 30);
    assert_true(cfg.vlan_use_for_tracking);
    assert_int_equal(cfg.timeouts[FLOW_PROTO_TCP].new_timeout, 60);
    assert_int_equal(cfg.timeouts[FLOW_PROTO_TCP].est_timeout, 600);
    assert_int_equal(cfg.timeouts[FLOW_PROTO_TCP].closed_timeout, 60);
    assert_int_equal(cfg.emerg_timeouts[FLOW_PROTO_TCP].new_timeout, 5);
    assert_int_equal(cfg.emerg_timeouts[FLOW_PROTO_TCP].est_timeout, 100);
    assert_int_equal(cfg.emerg_timeouts[FLOW_PROTO_TCP].closed_timeout, 10);
    assert_int_equal(cfg.timeouts[FLOW_PROTO_UDP].new_timeout, 30);
    assert_int_equal(cfg.timeouts[FLOW_PROTO_UDP].est_timeout, 300);
    assert_int_equal(cfg.timeouts[FLOW_PROTO_ICMP].est_timeout, 300);
    assert_int_equal(cfg.timeouts[FLOW_PROTO_DEFAULT].closed_timeout, 0);
    assert_int_equal(cfg.emerg_timeouts[FLOW_PROTO_DEFAULT].new_timeout, 10);
    assert_int_equal(flow_proto_class(58), FLOW_PROTO_DEFAULT);
    assert_int_equal(flow_proto_class(1), FLOW_PROTO_ICMP);
    assert_int_equal(flow_proto_class(132), FLOW_PROTO_SCTP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_directions_one_flow),
        cmocka_unit_test(test_same_address_both_ends),
        cmocka_unit_test(test_udp_established_and_ttl),
        cmocka_unit_test(test_same_ports_direction_by_address),
        cmocka_unit_test(test_other_protocols_always_to_server),
        cmocka_unit_test(test_vlan_tracking),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_tunnel_depth_and_untracked),
        cmocka_unit_test(test_tunnel_depth_not_tracked),
        cmocka_unit_test(test_esp_spi),
        cmocka_unit_test(test_icmp_echo_pairing),
        cmocka_unit_test(test_icmpv6),
        cmocka_unit_test(test_icmp_errors),
        cmocka_unit_test(test_timeout_new_and_established),
        cmocka_unit_test(test_timeout_tcp_states_set_after_packet),
        cmocka_unit_test(test_timed_out_flow_replaced_on_lookup),
        cmocka_unit_test(test_timeout_matches_brute_force),
        cmocka_unit_test(test_memcap_emergency_eviction),
        cmocka_unit_test(test_memcap_no_prealloc),
        cmocka_unit_test(test_emergency_midstream_refuses_non_syn),
        cmocka_unit_test(test_new_rejects_tiny_memcap),
        cmocka_unit_test(test_shutdown_creation_order),
        cmocka_unit_test(test_hooks),
        cmocka_unit_test(test_flow_swap),
        cmocka_unit_test(test_flow_id_deterministic_and_distinct),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
