/*
 * Unit tests of a flow's Ethernet address sets (flow-macs.h) as the flow
 * table fills them: per side of the conversation whatever the packet's
 * direction, each address once in first-seen order, swapped with the flow,
 * and only when tracking is configured.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "flow/flow-macs.h"
#include "flow_test_util.h"

static const uint8_t MAC_C1[6] = { 0, 0, 0x0c, 1, 1, 0x11 }, MAC_C2[6] = { 0, 0, 0x0c, 1, 1, 0x13 };
static const uint8_t MAC_S1[6] = { 0, 0, 0x0c, 1, 1, 0x12 }, MAC_S2[6] = { 0, 0, 0x0c, 1, 1, 0x14 };

static void eth_pkt(Packet *p, bool to_server, const uint8_t *client, const uint8_t *server, OdTime ts)
{
    if (to_server)
        pkt(p, 17, "10.0.0.1", 1111, "10.0.0.2", 53, ts, 60);
    else
        pkt(p, 17, "10.0.0.2", 53, "10.0.0.1", 1111, ts, 60);
    p->has_ether = true;
    memcpy(p->src_mac, to_server ? client : server, 6);
    memcpy(p->dst_mac, to_server ? server : client, 6);
}

static void test_sides_order_and_duplicates(void **state)
{
    (void)state;
    Counters ctr = { 0 };
    EndLog log = { 0 };
    FlowConfig cfg = small_config();
    cfg.track_macs = true;
    FlowTable *ft = flow_table_new(&cfg, &ctr, end_log_cb, &log);
    assert_non_null(ft);
    Packet p;
    eth_pkt(&p, true, MAC_C1, MAC_S1, SEC(1));
    Flow *f = flow_table_get(ft, &p);
    assert_non_null(f);
    eth_pkt(&p, false, MAC_C1, MAC_S1, SEC(2)); /* reply: same pair, seen once */
    assert_ptr_equal(flow_table_get(ft, &p), f);
    eth_pkt(&p, false, MAC_C2, MAC_S2, SEC(3)); /* reply through other routers */
    assert_ptr_equal(flow_table_get(ft, &p), f);
    eth_pkt(&p, true, MAC_C1, MAC_S2, SEC(4));
    assert_ptr_equal(flow_table_get(ft, &p), f);

    assert_int_equal(flow_macs_count(f, FLOW_MAC_CLIENT), 2);
    assert_int_equal(flow_macs_count(f, FLOW_MAC_SERVER), 2);
    assert_memory_equal(flow_macs_get(f, FLOW_MAC_CLIENT, 0), MAC_C1, 6);
    assert_memory_equal(flow_macs_get(f, FLOW_MAC_CLIENT, 1), MAC_C2, 6);
    assert_memory_equal(flow_macs_get(f, FLOW_MAC_SERVER, 0), MAC_S1, 6);
    assert_memory_equal(flow_macs_get(f, FLOW_MAC_SERVER, 1), MAC_S2, 6);

    flow_swap(f);
    assert_memory_equal(flow_macs_get(f, FLOW_MAC_CLIENT, 0), MAC_S1, 6);
    assert_memory_equal(flow_macs_get(f, FLOW_MAC_SERVER, 1), MAC_C2, 6);

    /* a packet without an Ethernet header adds nothing */
    pkt(&p, 17, "10.0.0.1", 1111, "10.0.0.2", 53, SEC(5), 60);
    assert_ptr_equal(flow_table_get(ft, &p), f);
    assert_int_equal(flow_macs_count(f, FLOW_MAC_CLIENT), 2);

    flow_table_free(ft);
    end_log_free(&log);
}

static void test_many_addresses_grow(void **state)
{
    (void)state;
    Flow f;
    memset(&f, 0, sizeof(f));
    uint8_t src[6] = { 2, 0, 0, 0, 0, 0 }, dst[6] = { 4, 0, 0, 0, 0, 0 };
    for (int i = 0; i < 40; i++) {
        src[5] = (uint8_t)i;
        assert_true(flow_macs_add(&f, src, dst, i % 2 == 0));
    }
    /* to_server packets put src on the client side, replies dst */
    assert_int_equal(flow_macs_count(&f, FLOW_MAC_CLIENT), 21);
    assert_int_equal(flow_macs_count(&f, FLOW_MAC_SERVER), 21);
    assert_int_equal(flow_macs_get(&f, FLOW_MAC_CLIENT, 20)[5], 38);
    assert_memory_equal(flow_macs_get(&f, FLOW_MAC_SERVER, 0), dst, 6);
    flow_macs_free(&f);
    assert_null(f.macs);
    assert_int_equal(flow_macs_count(&f, FLOW_MAC_CLIENT), 0);
}

static void test_not_tracked_by_default(void **state)
{
    (void)state;
    Counters ctr = { 0 };
    EndLog log = { 0 };
    FlowConfig cfg = small_config();
    FlowTable *ft = flow_table_new(&cfg, &ctr, end_log_cb, &log);
    Packet p;
    eth_pkt(&p, true, MAC_C1, MAC_S1, SEC(1));
    Flow *f = flow_table_get(ft, &p);
    assert_non_null(f);
    assert_null(f->macs);
    assert_int_equal(flow_macs_count(f, FLOW_MAC_SERVER), 0);
    flow_table_free(ft);
    end_log_free(&log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sides_order_and_duplicates),
        cmocka_unit_test(test_many_addresses_grow),
        cmocka_unit_test(test_not_tracked_by_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
