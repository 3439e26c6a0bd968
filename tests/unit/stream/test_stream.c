/*
 * Unit tests of TCP session tracking and reassembly (src/stream/): flows and
 * packets are built by hand, the sink records what is delivered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stream_test_util.h"

static uint64_t total_events(const TestCtx *t)
{
    uint64_t n = 0;
    for (int i = 0; i < DEV_MAX; i++)
        n += t->ctr.events[i];
    return n;
}

/* ------------------------------------------------------------------ */

static void test_handshake_data_fin(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "syn_sent");
    assert_int_equal(t->f.state, FLOW_STATE_NEW);
    tsend(t, &tp, S2C, TH_SYN | TH_ACK, 5000, 1001, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "syn_recv");
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    assert_int_equal(t->f.state, FLOW_STATE_ESTABLISHED);

    const char *req = "GET / HTTP/1.0\r\n\r\n"; /* 18 */
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, req);
    assert_int_equal(t->ts.len, 0); /* not acknowledged yet */
    tsend(t, &tp, S2C, TH_ACK, 5001, 1019, NULL);
    assert_int_equal(t->ts.len, 18);
    assert_memory_equal(t->ts.data, req, 18);

    const char *resp = "HTTP/1.0 200 OK\r\n\r\nhello"; /* 24 */
    tsend(t, &tp, S2C, TH_ACK | TH_PUSH, 5001, 1019, resp);
    assert_int_equal(t->tc.len, 0);
    tsend(t, &tp, C2S, TH_ACK, 1019, 5025, NULL);
    assert_int_equal(t->tc.len, 24);
    assert_memory_equal(t->tc.data, resp, 24);

    tsend(t, &tp, C2S, TH_FIN | TH_ACK, 1019, 5025, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "close_wait");
    tsend(t, &tp, S2C, TH_FIN | TH_ACK, 5025, 1020, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "last_ack");
    assert_int_equal(t->f.state, FLOW_STATE_CLOSED);
    tsend(t, &tp, C2S, TH_ACK, 1020, 5026, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "closed");
    assert_int_equal(t->ts.ends, 1);
    assert_int_equal(t->tc.ends, 1);

    stream_tcp_flow_end(&t->st, &t->f);
    assert_int_equal(t->ts.ends, 1);
    assert_int_equal(t->tc.ends, 1);
    assert_int_equal(t->ts.len, 18);
    assert_int_equal(t->tc.len, 24);
    assert_int_equal(t->ts.calls_after_end + t->tc.calls_after_end, 0);
    assert_int_equal(total_events(t), 0);
    assert_int_equal(tctr(t, CTR_TCP_SESSIONS), 1);
    assert_int_equal(tctr(t, CTR_TCP_ACTIVE_SESSIONS), 1);

    TcpFlowSummary sum;
    stream_tcp_summary(&t->f, &sum);
    assert_true(sum.has_session);
    assert_true(sum.syn && sum.fin && sum.ack && sum.psh);
    assert_false(sum.rst);
    assert_string_equal(sum.state, "closed");
    assert_int_equal(sum.flags, TH_SYN | TH_ACK | TH_PUSH | TH_FIN);
    assert_int_equal(sum.flags_ts, TH_SYN | TH_ACK | TH_PUSH | TH_FIN);
    assert_int_equal(sum.ts_max_regions, 1);

    stream_tcp_free(&t->st, &t->f);
    assert_null(t->f.tcp);
    assert_int_equal(tctr(t, CTR_TCP_ACTIVE_SESSIONS), 0);
    assert_int_equal(t->st.memuse, 0);
    assert_int_equal(t->st.reassembly_memuse, 0);
    assert_null(stream_tcp_state_name(&t->f));
    tctx_free(t);
}

static void test_server_closes_first(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, S2C, TH_FIN | TH_ACK | TH_PUSH, 5001, 1001, "bye");
    assert_string_equal(stream_tcp_state_name(&t->f), "fin_wait1");
    tsend(t, &tp, C2S, TH_ACK, 1001, 5005, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "fin_wait2");
    assert_int_equal(t->tc.len, 3);
    assert_memory_equal(t->tc.data, "bye", 3);
    tsend(t, &tp, C2S, TH_FIN | TH_ACK, 1001, 5005, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "time_wait");
    tsend(t, &tp, S2C, TH_ACK, 5005, 1002, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "closed");
    assert_int_equal(t->f.state, FLOW_STATE_CLOSED);
    assert_int_equal(total_events(t), 0);
    tctx_free(t);
}

static void test_out_of_order(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1009, 5001, "CCCC");
    tsend(t, &tp, C2S, TH_ACK, 1005, 5001, "BBBB");
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "AAAA");
    assert_int_equal(t->ts.len, 0);
    tsend(t, &tp, S2C, TH_ACK, 5001, 1013, NULL);
    assert_int_equal(t->ts.len, 12);
    assert_memory_equal(t->ts.data, "AAAABBBBCCCC", 12);
    assert_int_equal(t->ts.gaps, 0);
    assert_int_equal(tctr(t, CTR_TCP_OVERLAP), 0);
    assert_int_equal(total_events(t), 0);
    tctx_free(t);
}

static void test_partial_ack_delivers_prefix(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "0123456789");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1005, NULL);
    assert_int_equal(t->ts.len, 4);
    assert_memory_equal(t->ts.data, "0123", 4);
    tsend(t, &tp, S2C, TH_ACK, 5001, 1011, NULL);
    assert_int_equal(t->ts.len, 10);
    assert_memory_equal(t->ts.data, "0123456789", 10);
    tctx_free(t);
}

static void test_retransmission_delivered_once(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "AAAA");
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "AAAA");
    assert_int_equal(tctr(t, CTR_TCP_OVERLAP), 1);
    tsend(t, &tp, S2C, TH_ACK, 5001, 1005, NULL);
    assert_int_equal(t->ts.len, 4);
    /* a retransmission of acknowledged, delivered data is skipped */
    Packet *p = tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "AAAA");
    assert_true(packet_has_event(p, DEV_STREAM_PKT_SPURIOUS_RETRANSMISSION));
    tsend(t, &tp, S2C, TH_ACK, 5001, 1005, NULL);
    assert_int_equal(t->ts.len, 4);
    assert_memory_equal(t->ts.data, "AAAA", 4);
    assert_int_equal(tctr(t, CTR_TCP_OVERLAP_DIFF_DATA), 0);
    assert_int_equal(tev(t, DEV_STREAM_REASSEMBLY_OVERLAP_DIFFERENT_DATA), 0);
    tctx_free(t);
}

/* Same start, same length, different bytes: bsd keeps the first copy. */
static void test_overlap_exact_bsd_old_wins(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.check_overlap_different_data = true;
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "GOOD");
    Packet *p = tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "EVIL");
    assert_true(packet_has_event(p, DEV_STREAM_REASSEMBLY_OVERLAP_DIFFERENT_DATA));
    assert_int_equal(tctr(t, CTR_TCP_OVERLAP), 1);
    assert_int_equal(tctr(t, CTR_TCP_OVERLAP_DIFF_DATA), 1);
    assert_int_equal(tev(t, DEV_STREAM_REASSEMBLY_OVERLAP_DIFFERENT_DATA), 1);
    tsend(t, &tp, S2C, TH_ACK, 5001, 1005, NULL);
    assert_int_equal(t->ts.len, 4);
    assert_memory_equal(t->ts.data, "GOOD", 4);
    tctx_free(t);
}

static void test_overlap_exact_old_linux_new_wins(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.check_overlap_different_data = true;
    t->cfg.default_os_policy = STREAM_OS_OLD_LINUX;
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "GOOD");
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "EVIL");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1005, NULL);
    assert_memory_equal(t->ts.data, "EVIL", 4);
    assert_int_equal(tctr(t, CTR_TCP_OVERLAP_DIFF_DATA), 1);
    tctx_free(t);
}

/* Without the check, overlaps are counted but never called different. */
static void test_overlap_unchecked_no_event(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "GOOD");
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "EVIL");
    assert_int_equal(tctr(t, CTR_TCP_OVERLAP), 1);
    assert_int_equal(tctr(t, CTR_TCP_OVERLAP_DIFF_DATA), 0);
    tsend(t, &tp, S2C, TH_ACK, 5001, 1005, NULL);
    assert_memory_equal(t->ts.data, "GOOD", 4);
    tctx_free(t);
}

static void test_overlap_policies_detail(void **state)
{
    (void)state;
    /* The second packet covers 1001..1008; the first held 1005..1008.
     * Nothing is at 1009..1012 until "ZZ" lands at 1010..1011. */
    TestCtx *t = tctx_new();
    t->cfg.check_overlap_different_data = true;
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1005, 5001, "BBBB");
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "XXXXCCCC");
    tsend(t, &tp, C2S, TH_ACK, 1006, 5001, "ZZ");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1009, NULL);
    assert_int_equal(t->ts.len, 8);
    /* bsd: the earlier-starting second packet wins over "BBBB"; "ZZ" starts
     * inside what is stored and loses */
    assert_memory_equal(t->ts.data, "XXXXCCCC", 8);
    tctx_free(t);

    t = tctx_new();
    t->cfg.check_overlap_different_data = true;
    t->cfg.default_os_policy = STREAM_OS_FIRST;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1005, 5001, "BBBB");
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "XXXXCCCC");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1009, NULL);
    assert_memory_equal(t->ts.data, "XXXXBBBB", 8);
    tctx_free(t);

    t = tctx_new();
    t->cfg.check_overlap_different_data = true;
    t->cfg.default_os_policy = STREAM_OS_LAST;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "AAAAAAAA");
    tsend(t, &tp, C2S, TH_ACK, 1003, 5001, "ZZ");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1009, NULL);
    assert_memory_equal(t->ts.data, "AAZZAAAA", 8);
    tctx_free(t);
}

static void test_gap_acked(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "AAAA");
    tsend(t, &tp, C2S, TH_ACK, 1009, 5001, "CCCC"); /* 1005..1008 lost */
    Packet *p = tsend(t, &tp, S2C, TH_ACK, 5001, 1013, NULL);
    assert_true(packet_has_event(p, DEV_STREAM_REASSEMBLY_SEQ_GAP));
    assert_int_equal(t->ts.gaps, 1);
    assert_int_equal(t->ts.gap_bytes, 4);
    assert_int_equal(t->ts.len, 12);
    assert_memory_equal(t->ts.data, "AAAA####CCCC", 12);
    assert_int_equal(tctr(t, CTR_TCP_REASSEMBLY_GAP), 1);
    /* later data still flows */
    tsend(t, &tp, C2S, TH_ACK, 1013, 5001, "DD");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1015, NULL);
    assert_int_equal(t->ts.len, 14);
    assert_memory_equal(t->ts.data + 12, "DD", 2);
    TcpFlowSummary sum;
    stream_tcp_summary(&t->f, &sum);
    assert_true(sum.ts_gap);
    assert_false(sum.tc_gap);
    tctx_free(t);
}

/* The hole is only given up as far as the receiver acknowledged it. */
static void test_gap_partially_acked(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "AAAA");
    tsend(t, &tp, C2S, TH_ACK, 1009, 5001, "CCCC");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1005, NULL);
    assert_int_equal(t->ts.len, 4);
    assert_int_equal(t->ts.gaps, 0); /* nothing acknowledged past the hole */
    tsend(t, &tp, S2C, TH_ACK, 5001, 1007, NULL);
    assert_int_equal(t->ts.gap_bytes, 2);
    tsend(t, &tp, S2C, TH_ACK, 5001, 1013, NULL);
    assert_int_equal(t->ts.gap_bytes, 4);
    assert_memory_equal(t->ts.data, "AAAA####CCCC", 12);
    tctx_free(t);
}

/* At flow end bytes behind an unacknowledged hole are not app data. */
static void test_gap_unacked_at_flow_end(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "AAAA");
    tsend(t, &tp, C2S, TH_ACK, 1009, 5001, "CCCC");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1005, NULL);
    stream_tcp_flow_end(&t->st, &t->f);
    assert_int_equal(t->ts.len, 4);
    assert_int_equal(t->ts.gaps, 0);
    assert_int_equal(tctr(t, CTR_TCP_REASSEMBLY_GAP), 0);
    assert_int_equal(t->ts.raw_gap, 4);
    assert_int_equal(t->ts.raw_len, 4);
    assert_memory_equal(t->ts.raw, "CCCC", 4);
    assert_int_equal(t->ts.ends, 1);
    assert_int_equal(t->tc.ends, 1);
    assert_int_equal(t->ts.calls_after_end, 0);
    tctx_free(t);
}

static void test_flow_end_delivers_unacked(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "hello");
    tsend(t, &tp, S2C, TH_ACK | TH_PUSH, 5001, 1001, "world!");
    assert_int_equal(t->ts.len + t->tc.len, 0);
    stream_tcp_flow_end(&t->st, &t->f);
    assert_int_equal(t->ts.len, 5);
    assert_memory_equal(t->ts.data, "hello", 5);
    assert_int_equal(t->tc.len, 6);
    assert_memory_equal(t->tc.data, "world!", 6);
    assert_int_equal(t->ts.ends, 1);
    assert_int_equal(t->tc.ends, 1);
    /* a second flow end is harmless */
    stream_tcp_flow_end(&t->st, &t->f);
    assert_int_equal(t->ts.ends, 1);
    assert_int_equal(t->ts.len, 5);
    tctx_free(t);
}

static void test_seq_wraparound(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    uint32_t isn = 0xFFFFFFF8u;
    tsend(t, &tp, C2S, TH_SYN, isn, 0, NULL);
    tsend(t, &tp, S2C, TH_SYN | TH_ACK, 0x7FFFFFFEu, isn + 1, NULL);
    tsend(t, &tp, C2S, TH_ACK, isn + 1, 0x7FFFFFFFu, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    /* second segment first, then the one crossing 2^32 */
    tsend(t, &tp, C2S, TH_ACK, isn + 17, 0x7FFFFFFFu, "ghij");
    tsend(t, &tp, C2S, TH_ACK, isn + 1, 0x7FFFFFFFu, "0123456789ABCDEF");
    tsend(t, &tp, S2C, TH_ACK, 0x7FFFFFFFu, isn + 21, NULL);
    assert_int_equal(t->ts.len, 20);
    assert_memory_equal(t->ts.data, "0123456789ABCDEFghij", 20);
    /* the server's sequence numbers wrap past 2^31 boundaries too */
    tsend(t, &tp, S2C, TH_ACK, 0x7FFFFFFFu, isn + 21, "xyz");
    tsend(t, &tp, C2S, TH_ACK, isn + 21, 0x80000002u, NULL);
    assert_int_equal(t->tc.len, 3);
    assert_int_equal(total_events(t), 0);
    tctx_free(t);
}

static void test_midstream_off(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 100, 200, "hello");
    tsend(t, &tp, S2C, TH_ACK, 200, 105, NULL);
    assert_null(t->f.tcp);
    assert_int_equal(t->f.state, FLOW_STATE_NEW);
    assert_int_equal(total_events(t), 0);
    assert_int_equal(t->ts.len, 0);
    assert_int_equal(tctr(t, CTR_TCP_SESSIONS), 0);

    assert_false(t->st.packet_invalid); /* an ACK without session is not an error */
    Packet *p = tsend(t, &tp, C2S, TH_FIN | TH_ACK, 105, 200, "x");
    assert_true(packet_has_event(p, DEV_STREAM_FIN_BUT_NO_SESSION));
    assert_true(t->st.packet_invalid); /* what an IPS drops as "stream error" */
    p = tsend(t, &tp, C2S, TH_RST, 105, 0, NULL);
    assert_true(packet_has_event(p, DEV_STREAM_RST_BUT_NO_SESSION));
    assert_true(t->st.packet_invalid);
    assert_null(t->f.tcp);
    /* a SYN/ACK without midstream picks nothing up either */
    tsend(t, &tp, S2C, TH_SYN | TH_ACK, 200, 100, NULL);
    assert_null(t->f.tcp);
    stream_tcp_flow_end(&t->st, &t->f);
    tctx_free(t);
}

static void test_midstream_on(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.midstream = true;
    TPkt tp;
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 100, 200, "hello");
    assert_non_null(t->f.tcp);
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    assert_int_equal(t->f.state, FLOW_STATE_ESTABLISHED);
    assert_int_equal(tctr(t, CTR_TCP_MIDSTREAM_PICKUPS), 1);
    assert_int_equal(tctr(t, CTR_TCP_SESSIONS), 1);
    assert_int_equal(t->ts.len, 0);
    tsend(t, &tp, S2C, TH_ACK | TH_PUSH, 200, 105, "world");
    assert_int_equal(t->ts.len, 5);
    assert_memory_equal(t->ts.data, "hello", 5);
    tsend(t, &tp, C2S, TH_ACK, 105, 205, NULL);
    assert_int_equal(t->tc.len, 5);
    assert_memory_equal(t->tc.data, "world", 5);
    assert_int_equal(total_events(t), 0);
    tctx_free(t);
}

/* A SYN/ACK seen first: the flow is turned around so its sender is the
 * server. */
static void test_midstream_synack_swaps_flow(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.midstream = true;
    TPkt tp;
    /* the flow stage took the SYN/ACK's sender (10.x:40000) as client */
    Packet *p = tsend(t, &tp, C2S, TH_SYN | TH_ACK, 5000, 1001, NULL);
    assert_false(p->to_server);
    assert_int_equal(t->f.sp, 80);
    assert_int_equal(t->f.dp, 40000);
    assert_int_equal(t->f.src.addr[0], 20);
    assert_string_equal(stream_tcp_state_name(&t->f), "syn_recv");
    /* now the real client's ACK and data */
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "req");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1004, NULL);
    assert_int_equal(t->ts.len, 3);
    assert_int_equal(tctr(t, CTR_TCP_MIDSTREAM_PICKUPS), 1);
    tctx_free(t);
}

static void test_rst_valid_closes(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "abc");
    /* wrong SEQ: bsd wants exactly the next expected one */
    tsend(t, &tp, S2C, TH_RST | TH_ACK, 5003, 1004, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    assert_int_equal(t->f.state, FLOW_STATE_ESTABLISHED);
    tsend(t, &tp, S2C, TH_RST | TH_ACK, 5001, 1004, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "closed");
    assert_int_equal(t->f.state, FLOW_STATE_CLOSED);
    /* closed by RST: what is left goes out at flow end */
    stream_tcp_flow_end(&t->st, &t->f);
    assert_int_equal(t->ts.len, 3);
    assert_memory_equal(t->ts.data, "abc", 3);
    assert_int_equal(t->ts.ends, 1);
    TcpFlowSummary sum;
    stream_tcp_summary(&t->f, &sum);
    assert_true(sum.rst);
    assert_int_equal(sum.flags_tc, TH_SYN | TH_ACK | TH_RST);
    tctx_free(t);
}

static void test_rst_with_data_not_reassembled(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    Packet *p = tsend(t, &tp, C2S, TH_RST | TH_ACK, 1001, 5001, "Access Denied");
    assert_true(packet_has_event(p, DEV_STREAM_RST_WITH_DATA));
    assert_string_equal(stream_tcp_state_name(&t->f), "closed");
    stream_tcp_flow_end(&t->st, &t->f);
    assert_int_equal(t->ts.len, 0);
    tctx_free(t);
}

static void test_rst_then_more_data_suspected_inject(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    tsend(t, &tp, S2C, TH_RST | TH_ACK, 0, 1001, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "closed");
    Packet *p = tsend(t, &tp, S2C, TH_SYN | TH_ACK, 5000, 1001, NULL);
    assert_true(packet_has_event(p, DEV_STREAM_SUSPECTED_RST_INJECT));
    tctx_free(t);
}

/* A RST signed with TCP-AO (RFC 5925) closes the session, but its sender
 * going on sending reopens it as a suspected injection and that data still
 * reaches the app layer; an unsigned RST stays final. */
static void test_rst_with_tcp_ao_can_be_undone(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    Packet *p = tpkt(&tp, C2S, TH_RST | TH_ACK, 1001, 5001, NULL, 0);
    p->tcp.has_ao = true;
    stream_tcp_packet(&t->st, &t->f, p);
    assert_string_equal(stream_tcp_state_name(&t->f), "closed");
    assert_int_equal(t->ts.ends, 0);
    p = tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "GET / HTTP/1.0\r\n\r\n");
    assert_true(packet_has_event(p, DEV_STREAM_SUSPECTED_RST_INJECT));
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1019, NULL);
    assert_int_equal(t->ts.len, 18);
    assert_int_equal(t->ts.calls_after_end, 0);
    tctx_free(t);

    t = tctx_new();
    thandshake(t);
    tsend(t, &tp, C2S, TH_RST | TH_ACK, 1001, 5001, NULL);
    p = tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "GET / HTTP/1.0\r\n\r\n");
    assert_false(packet_has_event(p, DEV_STREAM_SUSPECTED_RST_INJECT));
    assert_string_equal(stream_tcp_state_name(&t->f), "closed");
    tctx_free(t);
}

static void test_depth_limit(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.reassembly_depth = 10;
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "AAAAAAAA");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1009, NULL);
    assert_int_equal(t->ts.len, 8);
    Packet *p = tsend(t, &tp, C2S, TH_ACK, 1009, 5001, "BBBBBBBB");
    assert_true(packet_has_event(p, DEV_STREAM_REASSEMBLY_DEPTH_REACHED));
    assert_int_equal(tctr(t, CTR_TCP_STREAM_DEPTH_REACHED), 1);
    assert_int_equal(t->ts.ends, 1);
    p = tsend(t, &tp, C2S, TH_ACK, 1017, 5001, "CC");
    assert_false(packet_has_event(p, DEV_STREAM_REASSEMBLY_DEPTH_REACHED));
    tsend(t, &tp, S2C, TH_ACK, 5001, 1019, NULL);
    stream_tcp_flow_end(&t->st, &t->f);
    assert_int_equal(t->ts.len, 8);
    assert_memory_equal(t->ts.data, "AAAAAAAA", 8);
    assert_int_equal(tev(t, DEV_STREAM_REASSEMBLY_DEPTH_REACHED), 1);
    assert_int_equal(tctr(t, CTR_TCP_STREAM_DEPTH_REACHED), 1);
    assert_int_equal(t->ts.calls_after_end, 0);
    /* the other direction is unaffected */
    assert_int_equal(t->tc.ends, 1);
    assert_int_equal(t->st.reassembly_memuse, 0);
    tctx_free(t);
}

static void test_reassembly_memcap_refusal(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.reassembly_memcap = 16;
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "payload");
    assert_true(tctr(t, CTR_TCP_SEGMENT_MEMCAP_DROP) >= 1);
    assert_int_equal(t->st.reassembly_memuse, 0);
    tsend(t, &tp, S2C, TH_ACK, 5001, 1008, NULL);
    assert_int_equal(t->ts.len, 0);
    tctx_free(t);

    /* room for a segment record but not for its bytes */
    t = tctx_new();
    t->cfg.reassembly_memcap = 100;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "p");
    tsend(t, &tp, C2S, TH_ACK, 1002, 5001, "q");
    tsend(t, &tp, C2S, TH_ACK, 1010, 5001, "r");
    assert_true(tctr(t, CTR_TCP_SEGMENT_MEMCAP_DROP) >= 1);
    assert_true(t->st.reassembly_memuse <= 100);
    assert_int_equal(tctr(t, CTR_TCP_REASSEMBLY_MEMUSE), t->st.reassembly_memuse);
    tctx_free(t);
}

static void test_session_memcap_refusal(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.memcap = 16;
    TPkt tp;
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    assert_null(t->f.tcp);
    assert_int_equal(tctr(t, CTR_TCP_SSN_MEMCAP_DROP), 1);
    assert_int_equal(tctr(t, CTR_TCP_SESSIONS), 0);
    assert_int_equal(t->st.memuse, 0);
    tctx_free(t);
}

static void syn_ts(TestCtx *t, TPkt *tp, bool dir, uint8_t flags, uint32_t seq, uint32_t ack, const char *d,
        uint32_t tsval, uint32_t tsecr)
{
    Packet *p = tpkt(tp, dir, flags, seq, ack, d, d ? (uint32_t)strlen(d) : 0);
    p->tcp.has_ts = true;
    p->tcp.ts_val = tsval;
    p->tcp.ts_ecr = tsecr;
    stream_tcp_packet(&t->st, &t->f, p);
}

static void test_timestamps_paws(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    syn_ts(t, &tp, C2S, TH_SYN, 1000, 0, NULL, 100, 0);
    syn_ts(t, &tp, S2C, TH_SYN | TH_ACK, 5000, 1001, NULL, 500, 100);
    syn_ts(t, &tp, C2S, TH_ACK, 1001, 5001, NULL, 101, 500);
    syn_ts(t, &tp, C2S, TH_ACK, 1001, 5001, "AAAA", 102, 500);
    assert_int_equal(tev(t, DEV_STREAM_PKT_INVALID_TIMESTAMP), 0);
    /* one behind is tolerated (liberal timestamps) */
    syn_ts(t, &tp, C2S, TH_ACK, 1005, 5001, "BBBB", 101, 500);
    assert_int_equal(tev(t, DEV_STREAM_PKT_INVALID_TIMESTAMP), 0);
    /* far behind: PAWS rejects it and its data */
    syn_ts(t, &tp, C2S, TH_ACK, 1009, 5001, "EVIL", 50, 500);
    assert_true(packet_has_event(&tp.p, DEV_STREAM_PKT_INVALID_TIMESTAMP));
    assert_int_equal(tev(t, DEV_STREAM_PKT_INVALID_TIMESTAMP), 1);
    syn_ts(t, &tp, S2C, TH_ACK, 5001, 1009, NULL, 501, 102);
    assert_int_equal(t->ts.len, 8);
    assert_memory_equal(t->ts.data, "AAAABBBB", 8);
    /* timestamp 0 after a handshake with timestamps: invalid for bsd */
    syn_ts(t, &tp, C2S, TH_ACK, 1009, 5001, "CC", 0, 501);
    assert_int_equal(tev(t, DEV_STREAM_PKT_INVALID_TIMESTAMP), 2);
    tctx_free(t);
}

/* A SYN without timestamps answered by a SYN/ACK echoing TSecr=1 (Suricata
 * issue 4702): the SYN/ACK is taken and the session runs on. */
static void test_synack_echo_without_syn_ts(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    syn_ts(t, &tp, S2C, TH_SYN | TH_ACK, 5000, 1001, NULL, 372783662, 1);
    assert_string_equal(stream_tcp_state_name(&t->f), "syn_recv");
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "hello");
    syn_ts(t, &tp, S2C, TH_ACK, 5001, 1006, NULL, 372783791, 1);
    assert_int_equal(t->ts.len, 5);
    tctx_free(t);

    /* a RST echoing a timestamp to that SYN is still invalid */
    t = tctx_new();
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    syn_ts(t, &tp, S2C, TH_RST | TH_ACK, 0, 1001, NULL, 100, 100);
    assert_int_equal(tev(t, DEV_STREAM_PKT_INVALID_TIMESTAMP), 1);
    assert_string_equal(stream_tcp_state_name(&t->f), "syn_sent");
    tctx_free(t);
}

static void test_out_of_window(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    Packet *p = tpkt(&tp, S2C, TH_SYN | TH_ACK, 5000, 1001, NULL, 0);
    p->tcp.window = 10; /* the server takes 10 bytes */
    stream_tcp_packet(&t->st, &t->f, p);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, NULL);
    p = tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "0123456789ABCDEF");
    assert_true(packet_has_event(p, DEV_STREAM_EST_PACKET_OUT_OF_WINDOW));
    p = tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "0123456789");
    assert_false(packet_has_event(p, DEV_STREAM_EST_PACKET_OUT_OF_WINDOW));
    tctx_free(t);
}

static void test_invalid_ack(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    Packet *p = tsend(t, &tp, C2S, TH_ACK, 1001, 5001 + 0x10000000u, "x");
    assert_true(packet_has_event(p, DEV_STREAM_PKT_INVALID_ACK));
    assert_true(packet_has_event(p, DEV_STREAM_EST_INVALID_ACK));
    tctx_free(t);
}

static void test_handshake_anomalies(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    Packet *p = tsend(t, &tp, C2S, TH_SYN | TH_ACK, 5000, 1001, NULL);
    assert_true(packet_has_event(p, DEV_STREAM_3WHS_SYNACK_IN_WRONG_DIRECTION));
    p = tsend(t, &tp, S2C, TH_SYN | TH_ACK, 5000, 1234, NULL);
    assert_true(packet_has_event(p, DEV_STREAM_3WHS_SYNACK_WITH_WRONG_ACK));
    assert_string_equal(stream_tcp_state_name(&t->f), "syn_sent");
    tsend(t, &tp, S2C, TH_SYN | TH_ACK, 5000, 1001, NULL);
    p = tsend(t, &tp, S2C, TH_SYN | TH_ACK, 5000, 1002, NULL);
    assert_true(packet_has_event(p, DEV_STREAM_3WHS_SYNACK_RESEND_WITH_DIFF_ACK));
    p = tsend(t, &tp, C2S, TH_ACK, 1001, 7777, NULL);
    assert_true(packet_has_event(p, DEV_STREAM_3WHS_RIGHT_SEQ_WRONG_ACK_EVASION));
    p = tsend(t, &tp, C2S, TH_ACK, 3000, 7777, NULL);
    assert_true(packet_has_event(p, DEV_STREAM_3WHS_WRONG_SEQ_WRONG_ACK));
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    p = tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    assert_true(packet_has_event(p, DEV_STREAM_EST_SYN_RESEND));
    p = tsend(t, &tp, S2C, TH_SYN, 1000, 0, NULL);
    assert_true(packet_has_event(p, DEV_STREAM_EST_SYN_TOCLIENT));
    tctx_free(t);
}

/* The server resends its SYN/ACK with another ISN; the ACK picks one. */
static void test_synack_queue(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.max_synack_queued = 2;
    TPkt tp;
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    tsend(t, &tp, S2C, TH_SYN | TH_ACK, 5000, 1001, NULL);
    tsend(t, &tp, S2C, TH_SYN | TH_ACK, 9000, 1001, NULL);
    assert_true(t->st.memuse > sizeof(void *));
    tsend(t, &tp, C2S, TH_ACK, 1001, 9001, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    tsend(t, &tp, S2C, TH_ACK | TH_PUSH, 9001, 1001, "data");
    tsend(t, &tp, C2S, TH_ACK, 1001, 9005, NULL);
    assert_int_equal(t->tc.len, 4);
    tctx_free(t);

    t = tctx_new();
    t->cfg.max_synack_queued = 1;
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    tsend(t, &tp, S2C, TH_SYN | TH_ACK, 5000, 1001, NULL);
    tsend(t, &tp, S2C, TH_SYN | TH_ACK, 6000, 1001, NULL);
    Packet *p = tsend(t, &tp, S2C, TH_SYN | TH_ACK, 7000, 1001, NULL);
    assert_true(packet_has_event(p, DEV_STREAM_3WHS_SYNACK_FLOOD));
    tctx_free(t);
}

static void test_broken_ack_and_junk(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    Packet *p = tsend(t, &tp, C2S, TH_SYN, 1000, 77, NULL);
    assert_true(packet_has_event(p, DEV_STREAM_PKT_BROKEN_ACK));
    /* no flags at all, and SYN+FIN+RST: nothing breaks */
    tsend(t, &tp, C2S, 0, 1001, 0, "zz");
    tsend(t, &tp, S2C, TH_SYN | TH_FIN | TH_RST, 1, 2, NULL);
    tsend(t, &tp, S2C, 0xFF, 0, 0, "all flags");
    stream_tcp_flow_end(&t->st, &t->f);
    tctx_free(t);
}

static void test_checksum_invalid_ignored(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    Packet *p = tpkt(&tp, C2S, TH_SYN, 1000, 0, NULL, 0);
    p->l4_csum_bad = true;
    stream_tcp_packet(&t->st, &t->f, p);
    assert_null(t->f.tcp);
    assert_int_equal(tctr(t, CTR_TCP_INVALID_CHECKSUM), 1);
    t->cfg.checksum_validation = false;
    stream_tcp_packet(&t->st, &t->f, p);
    assert_non_null(t->f.tcp);
    tctx_free(t);
}

static void test_urgent_oob(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.urgent_policy = STREAM_URGENT_OOB;
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "GET /malic");
    Packet *p = tpkt(&tp, C2S, TH_ACK | TH_PUSH | TH_URG, 1011, 5001, "X", 1);
    p->tcp.urg_ptr = 1;
    stream_tcp_packet(&t->st, &t->f, p);
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1012, 5001, "ious HTTP");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1021, NULL);
    assert_int_equal(t->ts.len, 19);
    assert_memory_equal(t->ts.data, "GET /malicious HTTP", 19);
    assert_int_equal(tctr(t, CTR_TCP_URGENT_OOB_DATA), 1);
    tctx_free(t);

    /* inline (default): the byte stays */
    t = tctx_new();
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "GET /malic");
    p = tpkt(&tp, C2S, TH_ACK | TH_PUSH | TH_URG, 1011, 5001, "X", 1);
    p->tcp.urg_ptr = 1;
    stream_tcp_packet(&t->st, &t->f, p);
    tsend(t, &tp, S2C, TH_ACK, 5001, 1012, NULL);
    assert_memory_equal(t->ts.data, "GET /malicX", 11);
    assert_false(t->st.packet_urgent_drop);
    tctx_free(t);
}

/* urgent policy drop in inline mode: the URG packet is not reassembled and
 * is flagged for the engine to drop ("stream urgent"); the next packet is
 * not, and its data follows a one-byte gap */
static void test_urgent_drop_inline(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.urgent_policy = STREAM_URGENT_DROP;
    t->cfg.inline_mode = true;
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "GET /malic");
    assert_false(t->st.packet_urgent_drop);
    Packet *p = tpkt(&tp, C2S, TH_ACK | TH_PUSH | TH_URG, 1011, 5001, "X", 1);
    p->tcp.urg_ptr = 1;
    stream_tcp_packet(&t->st, &t->f, p);
    assert_true(t->st.packet_urgent_drop);
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1012, 5001, "ious HTTP");
    assert_false(t->st.packet_urgent_drop);
    tsend(t, &tp, S2C, TH_ACK, 5001, 1021, NULL);
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1021, 5001, "/1.1");
    assert_int_equal(t->ts.gaps, 1);
    assert_int_equal(t->ts.gap_bytes, 1);
    assert_int_equal(t->ts.len, 24);
    assert_memory_equal(t->ts.data, "GET /malic#ious HTTP/1.1", 24);
    tctx_free(t);
}

static void test_async_oneside(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.async_oneside = true;
    TPkt tp;
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "one");
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1004, 5001, "side");
    /* nobody acknowledges a one-sided stream: sent counts as acked */
    assert_int_equal(t->ts.len, 7);
    assert_memory_equal(t->ts.data, "oneside", 7);
    tctx_free(t);
}

static void test_four_way_handshake(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    tsend(t, &tp, S2C, TH_SYN, 5000, 0, NULL);
    tsend(t, &tp, C2S, TH_SYN | TH_ACK, 1000, 5001, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "syn_recv");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1001, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    tctx_free(t);
}

static void test_tcp_fast_open(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    Packet *p = tpkt(&tp, C2S, TH_SYN, 1000, 0, "early", 5);
    p->tcp.has_tfo = true;
    stream_tcp_packet(&t->st, &t->f, p);
    tsend(t, &tp, S2C, TH_SYN | TH_ACK, 5000, 1006, NULL);
    /* as in Suricata, the SYN/ACK update leaves the session in syn_recv */
    assert_string_equal(stream_tcp_state_name(&t->f), "syn_recv");
    tsend(t, &tp, C2S, TH_ACK, 1006, 5001, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "established");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1006, NULL);
    assert_int_equal(t->ts.len, 5);
    assert_memory_equal(t->ts.data, "early", 5);
    tctx_free(t);

    /* without the cookie option the SYN's data is not stream data */
    t = tctx_new();
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, "early");
    tsend(t, &tp, S2C, TH_SYN | TH_ACK, 5000, 1001, NULL);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, NULL);
    stream_tcp_flow_end(&t->st, &t->f);
    assert_int_equal(t->ts.len, 0);
    tctx_free(t);
}

static void test_reuse(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    Packet *p = tpkt(&tp, C2S, TH_SYN, 1000, 0, NULL, 0);
    assert_true(stream_tcp_packet_is_reuse(&t->cfg, &t->f, p, true)); /* no session yet */
    stream_tcp_packet(&t->st, &t->f, p);
    p = tpkt(&tp, C2S, TH_SYN, 1000, 0, NULL, 0);
    assert_false(stream_tcp_packet_is_reuse(&t->cfg, &t->f, p, true)); /* retransmission */
    thandshake(t);
    p = tpkt(&tp, C2S, TH_SYN, 9000, 0, NULL, 0);
    assert_false(stream_tcp_packet_is_reuse(&t->cfg, &t->f, p, true)); /* still established */
    tsend(t, &tp, C2S, TH_RST | TH_ACK, 1001, 5001, NULL);
    p = tpkt(&tp, C2S, TH_SYN, 9000, 0, NULL, 0);
    assert_true(stream_tcp_packet_is_reuse(&t->cfg, &t->f, p, true));
    p = tpkt(&tp, S2C, TH_SYN | TH_ACK, 9000, 1, NULL, 0);
    assert_false(stream_tcp_packet_is_reuse(&t->cfg, &t->f, p, false)); /* no midstream */
    tctx_free(t);
}

static void test_keepalive_not_data(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "AB");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1003, NULL);
    /* keep-alive: SEQ one before next, one garbage byte */
    tsend(t, &tp, C2S, TH_ACK, 1002, 5001, "Z");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1003, NULL);
    assert_int_equal(t->ts.len, 2);
    assert_memory_equal(t->ts.data, "AB", 2);
    assert_int_equal(total_events(t), 0);
    tctx_free(t);
}

/* With the overlap check on, delivered data is kept a window back so an
 * evil retransmission is still compared. */
static void test_overlap_after_delivery_checked(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.check_overlap_different_data = true;
    TPkt tp;
    thandshake(t);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "AAAA");
    tsend(t, &tp, S2C, TH_ACK, 5001, 1005, NULL);
    Packet *p = tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "ZZZZ");
    assert_true(packet_has_event(p, DEV_STREAM_PKT_SPURIOUS_RETRANSMISSION));
    assert_true(packet_has_event(p, DEV_STREAM_REASSEMBLY_OVERLAP_DIFFERENT_DATA));
    assert_int_equal(t->ts.len, 4);
    assert_memory_equal(t->ts.data, "AAAA", 4);
    tctx_free(t);
}

static void test_many_segments_stress(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    TPkt tp;
    thandshake(t);
    /* 200 two-byte segments sent in reverse order */
    char expect[400];
    for (int i = 0; i < 200; i++) {
        expect[2 * i] = (char)('a' + i % 26);
        expect[2 * i + 1] = (char)('A' + i % 26);
    }
    for (int i = 199; i >= 0; i--) {
        Packet *p = tpkt(&tp, C2S, TH_ACK, 1001 + 2u * (uint32_t)i, 5001, expect + 2 * i, 2);
        stream_tcp_packet(&t->st, &t->f, p);
    }
    tsend(t, &tp, S2C, TH_ACK, 5001, 1401, NULL);
    assert_int_equal(t->ts.len, 400);
    assert_memory_equal(t->ts.data, expect, 400);
    assert_int_equal(tctr(t, CTR_TCP_OVERLAP), 0);
    tctx_free(t);
}


/* Random segmentation, overlap and order of the same bytes must always
 * reassemble to those bytes (exercises block merging in every shape). */
static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static void test_random_segments_model(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    for (int round = 0; round < 40; round++) {
        TestCtx *t = tctx_new();
        TPkt tp;
        thandshake(t);
        char ref[3000];
        uint32_t n = 500 + lcg(&seed) % 2500;
        for (uint32_t i = 0; i < n; i++)
            ref[i] = (char)('!' + lcg(&seed) % 90);
        /* cover every byte at least once with random pieces, then extra
         * random overlapping pieces */
        struct { uint32_t off, len; } pieces[400];
        int np = 0;
        for (uint32_t off = 0; off < n && np < 200;) {
            uint32_t len = 1 + lcg(&seed) % 120;
            if (off + len > n)
                len = n - off;
            pieces[np].off = off;
            pieces[np++].len = len;
            off += len;
        }
        for (int k = 0; k < 150; k++) {
            uint32_t off = lcg(&seed) % n;
            uint32_t len = 1 + lcg(&seed) % 300;
            if (off + len > n)
                len = n - off;
            pieces[np].off = off;
            pieces[np++].len = len;
        }
        for (int k = np - 1; k > 0; k--) { /* shuffle */
            int j = (int)(lcg(&seed) % (uint32_t)(k + 1));
            uint32_t o = pieces[k].off, l = pieces[k].len;
            pieces[k] = pieces[j];
            pieces[j].off = o;
            pieces[j].len = l;
        }
        for (int k = 0; k < np; k++) {
            Packet *p = tpkt(&tp, C2S, TH_ACK, 1001 + pieces[k].off, 5001, ref + pieces[k].off, pieces[k].len);
            stream_tcp_packet(&t->st, &t->f, p);
        }
        tsend(t, &tp, S2C, TH_ACK, 5001, 1001 + n, NULL);
        assert_int_equal(t->ts.len, n);
        assert_memory_equal(t->ts.data, ref, n);
        assert_int_equal(t->ts.gaps, 0);
        assert_int_equal(tctr(t, CTR_TCP_OVERLAP_DIFF_DATA), 0);
        tctx_free(t);
    }
}

static void test_depth_raise_and_disable(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.reassembly_depth = 4;
    TPkt tp;
    thandshake(t);
    stream_tcp_set_depth(&t->f, 2); /* smaller: ignored */
    stream_tcp_set_depth(&t->f, 8);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "12345678");
    tsend(t, &tp, S2C, TH_ACK | TH_PUSH, 5001, 1009, "resp");
    assert_int_equal(t->ts.len, 8);
    assert_int_equal(tctr(t, CTR_TCP_STREAM_DEPTH_REACHED), 0);
    /* the app-layer is done with the responses */
    stream_tcp_disable_reassembly(&t->st, &t->f, false);
    tsend(t, &tp, S2C, TH_ACK | TH_PUSH, 5005, 1009, "more");
    tsend(t, &tp, C2S, TH_ACK, 1009, 5009, NULL);
    stream_tcp_flow_end(&t->st, &t->f);
    assert_int_equal(t->tc.len, 0);
    assert_int_equal(t->tc.ends, 1);
    tctx_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake_data_fin),
        cmocka_unit_test(test_server_closes_first),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_partial_ack_delivers_prefix),
        cmocka_unit_test(test_retransmission_delivered_once),
        cmocka_unit_test(test_overlap_exact_bsd_old_wins),
        cmocka_unit_test(test_overlap_exact_old_linux_new_wins),
        cmocka_unit_test(test_overlap_unchecked_no_event),
        cmocka_unit_test(test_overlap_policies_detail),
        cmocka_unit_test(test_gap_acked),
        cmocka_unit_test(test_gap_partially_acked),
        cmocka_unit_test(test_gap_unacked_at_flow_end),
        cmocka_unit_test(test_flow_end_delivers_unacked),
        cmocka_unit_test(test_seq_wraparound),
        cmocka_unit_test(test_midstream_off),
        cmocka_unit_test(test_midstream_on),
        cmocka_unit_test(test_midstream_synack_swaps_flow),
        cmocka_unit_test(test_rst_valid_closes),
        cmocka_unit_test(test_rst_with_data_not_reassembled),
        cmocka_unit_test(test_rst_then_more_data_suspected_inject),
        cmocka_unit_test(test_rst_with_tcp_ao_can_be_undone),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_reassembly_memcap_refusal),
        cmocka_unit_test(test_session_memcap_refusal),
        cmocka_unit_test(test_timestamps_paws),
        cmocka_unit_test(test_synack_echo_without_syn_ts),
        cmocka_unit_test(test_out_of_window),
        cmocka_unit_test(test_invalid_ack),
        cmocka_unit_test(test_handshake_anomalies),
        cmocka_unit_test(test_synack_queue),
        cmocka_unit_test(test_broken_ack_and_junk),
        cmocka_unit_test(test_checksum_invalid_ignored),
        cmocka_unit_test(test_urgent_oob),
        cmocka_unit_test(test_urgent_drop_inline),
        cmocka_unit_test(test_async_oneside),
        cmocka_unit_test(test_four_way_handshake),
        cmocka_unit_test(test_tcp_fast_open),
        cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_keepalive_not_data),
        cmocka_unit_test(test_overlap_after_delivery_checked),
        cmocka_unit_test(test_many_segments_stress),
        cmocka_unit_test(test_random_segments_model),
        cmocka_unit_test(test_depth_raise_and_disable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
