/*
 * Unit tests of the walk over a direction's stored TCP data that IDS
 * raw-stream alerts show as their payload (stream-log-data.c,
 * stream_tcp_for_each_stored, and eve_stream_stored which writes it with
 * its holes): the regions come in stream order with the bytes missing
 * before each, not yet acknowledged bytes included; the other direction's
 * data stays out; without a session nothing is passed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "output/eve-stream-gaps.h"
#include "stream_test_util.h"

static char *stored_text(const Flow *f, bool to_server)
{
    uint32_t n = 0;
    uint8_t *b = eve_stream_stored(f, to_server, &n);
    if (b == NULL)
        return NULL;
    char *s = calloc(1, (size_t)n + 1);
    memcpy(s, b, n);
    free(b);
    return s;
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
        cmocka_unit_test(test_nothing_without_session),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
