/*
 * Unit tests of IDS raw stream inspection timing (stream-raw-ready.c and
 * stream_raw_progress): the readiness decision on its own (chunk reached,
 * app-layer trigger, depth, closed session, flow end), then on a session --
 * a packet of a direction finds its stream ready only once a chunk of
 * acknowledged data built up or the app-layer triggered it, and the raw
 * progress then moves to the last ACK; a closing session is ready.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stream_test_util.h"

static void test_decision_chunk(void **state)
{
    (void)state;
    assert_false(stream_raw_ready(0, 2560, 0));
    assert_false(stream_raw_ready(2559, 2560, 0));
    assert_true(stream_raw_ready(2560, 2560, 0));
    assert_true(stream_raw_ready(9000, 2560, 0));
}

static void test_decision_forced(void **state)
{
    (void)state;
    assert_true(stream_raw_ready(1, 2560, STREAM_RAW_TRIGGER));
    assert_true(stream_raw_ready(0, 2560, STREAM_RAW_DEPTH_REACHED));
    assert_true(stream_raw_ready(10, 2560, STREAM_RAW_CLOSED));
    assert_true(stream_raw_ready(0, 2560, STREAM_RAW_FLOW_END));
}

static TestCtx *ids_ctx(uint32_t chunk)
{
    TestCtx *t = tctx_new();
    t->cfg.toserver_chunk_size = chunk;
    t->cfg.toclient_chunk_size = chunk;
    thandshake(t);
    return t;
}

/* Client sends `data` at seq, the server acknowledges it; returns whether
 * the next client packet (a bare ACK) finds the client stream ready. */
static bool client_send_acked(TestCtx *t, uint32_t seq, const char *data)
{
    TPkt tp;
    Packet *p = tsend(t, &tp, C2S, TH_ACK | TH_PUSH, seq, 5001, data);
    (void)p;
    tsend(t, &tp, S2C, TH_ACK, 5001, seq + (uint32_t)strlen(data), NULL);
    p = tsend(t, &tp, C2S, TH_ACK, seq + (uint32_t)strlen(data), 5001, NULL);
    return p->stream_raw_ready;
}

static void test_session_chunk(void **state)
{
    (void)state;
    TestCtx *t = ids_ctx(10);
    uint64_t delivered = 0, raw = 0;
    assert_false(client_send_acked(t, 1001, "abcd"));
    assert_true(stream_tcp_raw_progress(&t->f, true, &delivered, &raw));
    assert_int_equal(delivered, 4);
    assert_int_equal(raw, 0);
    assert_false(client_send_acked(t, 1005, "efgh"));
    /* 12 acknowledged bytes past the progress: a chunk */
    assert_true(client_send_acked(t, 1009, "ijkl"));
    assert_true(stream_tcp_raw_progress(&t->f, true, &delivered, &raw));
    assert_int_equal(raw, 12);
    /* the next bytes start a new chunk */
    assert_false(client_send_acked(t, 1013, "mn"));
    tctx_free(t);
}

static void test_session_trigger(void **state)
{
    (void)state;
    TestCtx *t = ids_ctx(2560);
    assert_false(client_send_acked(t, 1001, "GET / HTTP/1.1\r\n"));
    stream_tcp_trigger_raw(&t->f, true);
    TPkt tp;
    /* a server packet does not look at the client's stream */
    Packet *p = tsend(t, &tp, S2C, TH_ACK, 5001, 1017, NULL);
    assert_false(p->stream_raw_ready);
    p = tsend(t, &tp, C2S, TH_ACK, 1017, 5001, NULL);
    assert_true(p->stream_raw_ready);
    uint64_t delivered = 0, raw = 0;
    assert_true(stream_tcp_raw_progress(&t->f, true, &delivered, &raw));
    assert_int_equal(raw, 16);
    /* the trigger was used up */
    assert_false(client_send_acked(t, 1017, "Host: x\r\n"));
    tctx_free(t);
}

static void test_session_closing(void **state)
{
    (void)state;
    TestCtx *t = ids_ctx(2560);
    assert_false(client_send_acked(t, 1001, "abcd"));
    TPkt tp;
    /* the client's FIN moves the session past TIME_WAIT in Suricata's
     * numbering (CLOSE_WAIT): its stream is inspected now */
    Packet *p = tsend(t, &tp, C2S, TH_FIN | TH_ACK, 1005, 5001, NULL);
    assert_true(p->stream_raw_ready);
    uint64_t delivered = 0, raw = 0;
    assert_true(stream_tcp_raw_progress(&t->f, true, &delivered, &raw));
    assert_int_equal(raw, 4);
    /* nothing left past the progress: not ready any more */
    p = tsend(t, &tp, S2C, TH_FIN | TH_ACK, 5001, 1006, NULL);
    p = tsend(t, &tp, C2S, TH_ACK, 1006, 5002, NULL);
    assert_string_equal(stream_tcp_state_name(&t->f), "closed");
    assert_false(p->stream_raw_ready);
    /* all of it was acknowledged: no hole on the way */
    assert_int_equal(tctr(t, CTR_TCP_REASSEMBLY_GAP), 0);
    assert_int_equal(tev(t, DEV_STREAM_REASSEMBLY_SEQ_GAP), 0);
    tctx_free(t);
}

static void test_inline_has_no_raw_progress(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->cfg.inline_mode = true;
    thandshake(t);
    TPkt tp;
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "abcd");
    uint64_t delivered = 0, raw = 0;
    assert_false(stream_tcp_raw_progress(&t->f, true, &delivered, &raw));
    tctx_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decision_chunk),
        cmocka_unit_test(test_decision_forced),
        cmocka_unit_test(test_session_chunk),
        cmocka_unit_test(test_session_trigger),
        cmocka_unit_test(test_session_closing),
        cmocka_unit_test(test_inline_has_no_raw_progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
