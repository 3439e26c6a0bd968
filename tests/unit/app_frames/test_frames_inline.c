/*
 * Unit tests of inline (IPS) frame inspection in the frame bookkeeping
 * (src/app/frames.c, app_frame_inline_window and
 * app_frames_mark_inspected_inline): an open frame is due again on each
 * packet that brings data to its direction, its window starting 2500 bytes
 * before the end of what was inspected; a complete frame is inspected once;
 * no new data means nothing is due, except at flow end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/frames.h"

/* Feeds n bytes of filler (their stream offset modulo 10 as a digit). */
static void feed_bytes(AppFrames *fr, bool ts, uint32_t n)
{
    const AppFramesDir *d = &fr->dir[ts ? 0 : 1];
    uint8_t *buf = malloc(n ? n : 1);
    assert_non_null(buf);
    for (uint32_t i = 0; i < n; i++)
        buf[i] = (uint8_t)('0' + (d->end + i) % 10);
    app_frames_feed_begin(fr, ts, buf, n);
    free(buf);
}

/* Asserts the frame is due with a window of `len` bytes from `base`. */
static void assert_window(const AppFrames *fr, const AppFrame *f, bool flow_end, uint32_t base, uint32_t len)
{
    const uint8_t *data = NULL;
    uint32_t n = 0, b = 0;
    assert_true(app_frame_inline_window(fr, f, flow_end, &data, &n, &b));
    assert_int_equal(b, base);
    assert_int_equal(n, len);
    assert_int_equal(data[0], '0' + (f->offset + base) % 10);
}

static void assert_not_due(const AppFrames *fr, const AppFrame *f, bool flow_end)
{
    const uint8_t *data = NULL;
    uint32_t n = 0, b = 0;
    assert_false(app_frame_inline_window(fr, f, flow_end, &data, &n, &b));
}

static void test_open_frame_sliding_window(void **state)
{
    (void)state;
    AppFrames *fr = app_frames_new(6);
    feed_bytes(fr, true, 1000);
    const int64_t id = app_frame_open(1, 100, -1);
    app_frames_feed_end();
    const AppFrame *f = app_frames_find(fr, id);
    assert_window(fr, f, false, 0, 900);
    app_frames_mark_inspected_inline(fr, true, false);
    assert_int_equal(f->inline_progress, 0); /* under the window: all again */
    assert_not_due(fr, f, false); /* no new data since */
    feed_bytes(fr, true, 3000);
    app_frames_feed_end();
    f = app_frames_find(fr, id);
    assert_window(fr, f, false, 0, 3900);
    app_frames_mark_inspected_inline(fr, true, false);
    assert_int_equal(f->inline_progress, 3900 - 2500);
    assert_false(f->inspected);
    feed_bytes(fr, true, 100);
    app_frame_set_end(id, 50); /* the frame ends 50 bytes into this data */
    app_frames_feed_end();
    f = app_frames_find(fr, id);
    assert_int_equal(f->len, 3950);
    assert_window(fr, f, false, 1400, 2550); /* up to its end, not past it */
    app_frames_mark_inspected_inline(fr, true, false);
    assert_true(f->inspected); /* complete: done */
    assert_not_due(fr, f, true);
    app_frames_free(fr);
}

static void test_complete_frame_once(void **state)
{
    (void)state;
    AppFrames *fr = app_frames_new(6);
    feed_bytes(fr, false, 20);
    const int64_t id = app_frame_open(2, 0, 8);
    app_frames_feed_end();
    const AppFrame *f = app_frames_find(fr, id);
    assert_window(fr, f, false, 0, 8);
    app_frames_mark_inspected_inline(fr, false, false);
    assert_true(f->inspected);
    assert_not_due(fr, f, false);
    app_frames_free(fr);
}

static void test_stream_frame_each_packet_and_flow_end(void **state)
{
    (void)state;
    AppFrames *fr = app_frames_new(6);
    feed_bytes(fr, true, 10);
    app_frames_feed_end();
    AppFrame *stream = app_frames_get(fr, true, 0);
    assert_int_equal(stream->type, APP_FRAME_TYPE_STREAM);
    assert_window(fr, stream, false, 0, 10);
    app_frames_mark_inspected_inline(fr, true, false);
    assert_not_due(fr, stream, false);
    assert_window(fr, stream, true, 0, 10); /* flow end: inspected again */
    feed_bytes(fr, false, 5); /* the other direction's data */
    app_frames_feed_end();
    assert_not_due(fr, app_frames_get(fr, true, 0), false);
    feed_bytes(fr, true, 4);
    app_frames_feed_end();
    assert_window(fr, app_frames_get(fr, true, 0), false, 0, 14);
    app_frames_free(fr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_frame_sliding_window),
        cmocka_unit_test(test_complete_frame_once),
        cmocka_unit_test(test_stream_frame_each_packet_and_flow_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
