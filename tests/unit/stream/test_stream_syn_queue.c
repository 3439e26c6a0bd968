/*
 * The opening handshake with resent SYNs and timestamps (stream-state-
 * handshake.c): SYNs resent with other ISNs are queued one by one until
 * stream.max-syn-queued, then each further one raises 3whs_syn_flood; a
 * SYN/ACK answering any queued SYN is taken; a SYN/ACK with timestamps
 * answering a SYN without them is taken, while a RST with an echo the
 * SYN never offered is still refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stream_test_util.h"

static void test_resent_syns_flood_and_earlier_synack(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    for (uint32_t i = 0; i < 13; i++)
        tsend(t, &tp, C2S, TH_SYN, 1000 + i * 100, 0, NULL);
    /* 12 SYNs before the newest are remembered: 10 fit, 2 overflow */
    assert_int_equal(tev(t, DEV_STREAM_3WHS_SYN_FLOOD), 2);
    assert_string_equal(stream_tcp_state_name(&t->f), "syn_sent");
    /* the server answers the fifth SYN (ISN 1400) */
    tsend(t, &tp, S2C, TH_SYN | TH_ACK, 5000, 1401, NULL);
    assert_int_equal(tev(t, DEV_STREAM_3WHS_SYNACK_WITH_WRONG_ACK), 0);
    assert_string_equal(stream_tcp_state_name(&t->f), "syn_recv");
    tsend(t, &tp, C2S, TH_ACK, 1401, 5001, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1401, 5001, "GET /");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1406, NULL);
    assert_int_equal(t->ts.len, 5);
    /* an answer to no SYN at all is still refused */
    TestCtx *u = tctx_new();
    tsend(u, &tp, C2S, TH_SYN, 1000, 0, NULL);
    tsend(u, &tp, C2S, TH_SYN, 2000, 0, NULL);
    tsend(u, &tp, S2C, TH_SYN | TH_ACK, 5000, 3001, NULL);
    assert_int_equal(tev(u, DEV_STREAM_3WHS_SYNACK_WITH_WRONG_ACK), 1);
    assert_string_equal(stream_tcp_state_name(&u->f), "syn_sent");
    tctx_free(u);
    tctx_free(t);
}

static void test_synack_timestamps_without_syn_ones(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    /* a RST echoing a timestamp the SYN never sent is refused */
    Packet *p = tpkt(&tp, S2C, TH_RST | TH_ACK, 0, 1001, NULL, 0);
    p->tcp.has_ts = true;
    p->tcp.ts_val = 100;
    p->tcp.ts_ecr = 100;
    stream_tcp_packet(&t->st, &t->f, p);
    assert_int_equal(tev(t, DEV_STREAM_PKT_INVALID_TIMESTAMP), 1);
    assert_string_equal(stream_tcp_state_name(&t->f), "syn_sent");
    /* the SYN/ACK with timestamps is taken */
    p = tpkt(&tp, S2C, TH_SYN | TH_ACK, 5000, 1001, NULL, 0);
    p->tcp.has_ts = true;
    p->tcp.ts_val = 1000;
    p->tcp.ts_ecr = 9000;
    stream_tcp_packet(&t->st, &t->f, p);
    assert_int_equal(tev(t, DEV_STREAM_PKT_INVALID_TIMESTAMP), 1);
    assert_string_equal(stream_tcp_state_name(&t->f), "syn_recv");
    tctx_free(t);
}

/* one SYN, no queue: nothing raised */
static void test_plain_handshake_no_queue_events(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    thandshake(t);
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    assert_int_equal(tev(t, DEV_STREAM_3WHS_SYN_FLOOD), 0);
    assert_int_equal(tev(t, DEV_STREAM_PKT_INVALID_TIMESTAMP), 0);
    tctx_free(t);
}

int main(void)
{
    (void)tctr; /* shared helper unused here */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_handshake_no_queue_events),
        cmocka_unit_test(test_resent_syns_flood_and_earlier_synack),
        cmocka_unit_test(test_synack_timestamps_without_syn_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
