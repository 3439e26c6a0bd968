/*
 * Unit tests of the walk over a direction's stored TCP data that IDS
 * raw-stream alerts show as their payload (stream-log-data.c,
 * stream_tcp_for_each_stored, and eve_stream_stored which writes it with
 * its holes): the regions come in stream order with the bytes missing
 * before each, not yet acknowledged bytes included; the other direction's
 * data stays out; without a session nothing is passed. The payload is kept
 * to its first `limit` bytes (Suricata's payload-buffer-size - 1), hole
 * markers counting, and the walk stops there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "output/eve-stream-gaps.h"
#include "stream_test_util.h"

static char *stored_text_limited(const Flow *f, bool to_server, uint32_t limit)
{
    uint32_t n = 0;
    uint8_t *b = eve_stream_stored(f, to_server, limit, &n);
    if (b == NULL)
        return NULL;
    char *s = calloc(1, (size_t)n + 1);
    memcpy(s, b, n);
    free(b);
    return s;
}

static char *stored_text(const Flow *f, bool to_server)
{
    return stored_text_limited(f, to_server, eve_stream_payload_limit(4096));
}

/* Counts the regions the walk passes, and stops it after `stop_after`. */
typedef struct RegionCount {
    int seen, stop_after;
} RegionCount;

static bool count_region(void *ctx, uint64_t hole_before, const uint8_t *data, uint32_t len)
{
    (void)hole_before;
    (void)data;
    (void)len;
    RegionCount *c = ctx;
    return ++c->seen < c->stop_after;
}

/* the client's "GET " then, 4 bytes further on, "data": a hole between */
static void test_holes_marked_unacknowledged_included(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->st.defer_release = true;
    thandshake(t);
    TPkt tp;
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "GET ");
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1009, 5001, "data");
    tsend(t, &tp, S2C, TH_ACK | TH_PUSH, 5001, 1005, "HTTP");
    char *s = stored_text(&t->f, C2S);
    assert_non_null(s);
    assert_string_equal(s, "GET [4 bytes missing]data");
    free(s);
    s = stored_text(&t->f, S2C);
    assert_non_null(s);
    assert_string_equal(s, "HTTP");
    free(s);
    tctx_free(t);
}

/* "GET " then a 4-byte hole, "data" and "more" (2 stored regions after
 * the hole: the out-of-order pieces are kept apart until the hole fills) */
static void test_limit_keeps_the_start(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->st.defer_release = true;
    thandshake(t);
    TPkt tp;
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "GET ");
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1009, 5001, "data");
    char *s = stored_text_limited(&t->f, C2S, 2); /* inside the first region */
    assert_string_equal(s, "GE");
    free(s);
    s = stored_text_limited(&t->f, C2S, 10); /* inside the hole marker */
    assert_string_equal(s, "GET [4 byt");
    free(s);
    s = stored_text_limited(&t->f, C2S, 27); /* inside the data after it */
    assert_string_equal(s, "GET [4 bytes missing]data");
    free(s);
    s = stored_text_limited(&t->f, C2S, 23);
    assert_string_equal(s, "GET [4 bytes missing]da");
    free(s);
    assert_null(stored_text_limited(&t->f, C2S, 0));
    /* Suricata's buffer of payload-buffer-size bytes keeps one for its
     * terminator */
    assert_int_equal(eve_stream_payload_limit(4096), 4095);
    assert_int_equal(eve_stream_payload_limit(1), 0);
    /* the walk stops when the caller has what it shows */
    RegionCount c = { 0, 1 };
    stream_tcp_for_each_stored(&t->f, C2S, count_region, &c);
    assert_int_equal(c.seen, 1);
    c = (RegionCount){ 0, 100 };
    stream_tcp_for_each_stored(&t->f, C2S, count_region, &c);
    assert_int_equal(c.seen, 2);
    tctx_free(t);
}

static void test_nothing_without_session(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    assert_null(stored_text(&t->f, C2S));
    thandshake(t);
    assert_null(stored_text(&t->f, C2S)); /* nothing stored yet */
    TPkt tp;
    tsend(t, &tp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "GET ");
    stream_tcp_free(&t->st, &t->f);
    assert_null(stored_text(&t->f, C2S));
    tctx_free(t);
}

int main(void)
{
    (void)tctr; /* shared helpers unused here */
    (void)tev;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_holes_marked_unacknowledged_included),
        cmocka_unit_test(test_limit_keeps_the_start),
        cmocka_unit_test(test_nothing_without_session),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
