/*
 * Unit tests of what the stream stage offers inline (IPS) raw inspection
 * (stream-inline-raw.c): the packet's span in its stream, the handed-on
 * offset, the stored bytes behind a hole, unacknowledged data kept for
 * overlap checks, and a packet overlapping stored bytes with other data
 * leaving with the stream's bytes (Suricata's inline packet replacement).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stream_test_util.h"

static TestCtx *inline_ctx(void)
{
    TestCtx *t = tctx_new();
    t->cfg.inline_mode = true;
    t->cfg.toserver_chunk_size = 100;
    thandshake(t);
    return t;
}

static void test_packet_span_and_delivered(void **state)
{
    (void)state;
    TestCtx *t = inline_ctx();
    TPkt tp;
    Packet *p = tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "abcd");
    assert_true(p->stream_add);
    assert_int_equal(p->stream_off, 0);
    assert_int_equal(p->stream_len, 4);
    uint64_t delivered = 0;
    uint32_t chunk = 0;
    assert_true(stream_tcp_inline_raw(&t->f, true, &delivered, &chunk));
    assert_int_equal(delivered, 4);
    assert_int_equal(chunk, 100);
    p = tsend(t, &tp, C2S, TH_ACK, 1005, 5001, "ef");
    assert_int_equal(p->stream_off, 4);
    assert_int_equal(p->stream_len, 2);
    tctx_free(t);
}

static void test_stored_behind_hole(void **state)
{
    (void)state;
    TestCtx *t = inline_ctx();
    TPkt tp;
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "ab");
    tsend(t, &tp, C2S, TH_ACK, 1005, 5001, "ef");
    Packet *p = tsend(t, &tp, C2S, TH_ACK, 1007, 5001, "gh");
    uint64_t delivered = 0;
    uint32_t chunk = 0;
    assert_true(stream_tcp_inline_raw(&t->f, true, &delivered, &chunk));
    assert_int_equal(delivered, 2); /* nothing after the hole handed on */
    uint8_t out[64];
    uint64_t start = 0;
    uint32_t n = stream_tcp_copy_stored(&t->f, true, p->stream_off, p->stream_off + p->stream_len, 0, 32, out, &start);
    assert_int_equal(n, 4); /* the run "efgh", not the bytes before the hole */
    assert_int_equal(start, 4);
    assert_memory_equal(out, "efgh", 4);
    /* clipped to the range asked for */
    n = stream_tcp_copy_stored(&t->f, true, 6, 8, 5, 8, out, &start);
    assert_int_equal(n, 3);
    assert_int_equal(start, 5);
    assert_memory_equal(out, "fgh", 3);
    /* bytes not stored */
    assert_int_equal(stream_tcp_copy_stored(&t->f, true, 2, 4, 0, 32, out, &start), 0);
    tctx_free(t);
}

static void test_overlap_keeps_stream_bytes(void **state)
{
    (void)state;
    TestCtx *t = inline_ctx();
    TPkt tp;
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "GOOD");
    /* not acknowledged yet: kept, so the retransmission meets it */
    Packet *p = tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "EVIL");
    assert_true(p->stream_add);
    assert_memory_equal(p->buf + p->payload_off, "GOOD", 4);
    assert_int_equal(tctr(t, CTR_TCP_OVERLAP), 1);
    assert_int_equal(tev(t, DEV_STREAM_REASSEMBLY_OVERLAP_DIFFERENT_DATA), 1);
    tctx_free(t);
}

static void test_ids_mode_has_no_inline_view(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    thandshake(t);
    TPkt tp;
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, "abcd");
    uint64_t delivered = 0;
    uint32_t chunk = 0;
    assert_false(stream_tcp_inline_raw(&t->f, true, &delivered, &chunk));
    tctx_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packet_span_and_delivered),
        cmocka_unit_test(test_stored_behind_hole),
        cmocka_unit_test(test_overlap_keeps_stream_bytes),
        cmocka_unit_test(test_ids_mode_has_no_inline_view),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
