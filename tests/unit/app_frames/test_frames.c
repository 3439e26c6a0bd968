/*
 * Unit tests of the frame bookkeeping (src/app/frames.c): frames opened
 * during a parse call at offsets inside, before and across the data being
 * parsed, their bytes, completeness and readiness, pruning once inspected,
 * gaps, the bounded tail, and the frames the SSH and SMTP parsers mark
 * (offsets and lengths of real records and lines, fed in pieces).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/frame-types.h"
#include "app/frames.h"
#include "app/smtp/smtp.h"
#include "app/ssh/ssh.h"

static void feed(AppFrames *fr, bool ts, const char *s)
{
    app_frames_feed_begin(fr, ts, (const uint8_t *)s, (uint32_t)strlen(s));
}

static void assert_frame_bytes(const AppFrames *fr, const AppFrame *f, const char *want)
{
    const uint8_t *d = NULL;
    uint32_t n = 0;
    assert_true(app_frame_data(fr, f, &d, &n));
    assert_int_equal(n, strlen(want));
    assert_memory_equal(d, want, n);
}

/* the frame of `type` in direction ts, NULL when none */
static AppFrame *frame_of(AppFrames *fr, bool ts, uint8_t type)
{
    AppFrame *f;
    for (uint32_t i = 0; (f = app_frames_get(fr, ts, i)) != NULL; i++)
        if (f->type == type)
            return f;
    return NULL;
}

static void test_no_context(void **state)
{
    (void)state;
    app_frames_feed_end();
    assert_int_equal(app_frame_open(0, 0, 4), -1);
}

static void test_inside_one_chunk(void **state)
{
    (void)state;
    AppFrames *fr = app_frames_new(6);
    feed(fr, true, "HELO x\r\nMAIL");
    int64_t id = app_frame_open(0, 0, 8);
    app_frame_set_tx(id, 3);
    app_frames_feed_end();
    assert_true(id > 0);
    AppFrame *stream = app_frames_get(fr, true, 0);
    assert_non_null(stream);
    assert_int_equal(stream->type, APP_FRAME_TYPE_STREAM);
    const AppFrame *f = app_frames_find(fr, id);
    assert_non_null(f);
    assert_true(f->to_server);
    assert_int_equal(f->offset, 0);
    assert_int_equal(f->tx_id, 3);
    assert_true(app_frame_complete(fr, f));
    assert_true(app_frame_ready(fr, f, false));
    assert_false(app_frame_ready(fr, stream, false)); /* open-ended until the end */
    assert_true(app_frame_ready(fr, stream, true));
    assert_frame_bytes(fr, f, "HELO x\r\n");
    assert_null(app_frames_get(fr, false, 0)); /* nothing to client */
    app_frames_free(fr);
}

static void test_across_chunks(void **state)
{
    (void)state;
    AppFrames *fr = app_frames_new(6);
    feed(fr, true, "abcMAIL FR");
    int64_t id = app_frame_open(1, 3, -1);
    app_frames_feed_end();
    const AppFrame *f = app_frames_find(fr, id);
    assert_false(app_frame_complete(fr, f));
    assert_false(app_frame_ready(fr, f, false));
    assert_true(app_frames_pending(fr, true)); /* at flow end it would be inspected */
    feed(fr, true, "OM:<a>\r\nRCPT");
    app_frame_set_end(id, 8);
    app_frames_feed_end();
    f = app_frames_find(fr, id);
    assert_int_equal(f->offset, 3);
    assert_int_equal(f->len, 15);
    assert_true(app_frame_complete(fr, f));
    assert_frame_bytes(fr, f, "MAIL FROM:<a>\r\n");
    app_frames_free(fr);
}

static void test_started_in_earlier_chunk(void **state)
{
    (void)state;
    AppFrames *fr = app_frames_new(6);
    feed(fr, false, "250 o");
    app_frames_feed_end();
    feed(fr, false, "k\r\n354 go");
    int64_t id = app_frame_open(2, -5, 8); /* the line began in the first chunk */
    int64_t bad = app_frame_open(2, -6, 2); /* before the stream: refused */
    app_frames_feed_end();
    assert_int_equal(bad, -1);
    const AppFrame *f = app_frames_find(fr, id);
    assert_non_null(f);
    assert_false(f->to_server);
    assert_frame_bytes(fr, f, "250 ok\r\n");
    app_frames_free(fr);
}

static void test_inspected_frames_are_pruned(void **state)
{
    (void)state;
    AppFrames *fr = app_frames_new(5);
    feed(fr, true, "0123456789");
    int64_t done = app_frame_open(0, 0, 4);
    int64_t open = app_frame_open(1, 4, -1);
    app_frames_feed_end();
    app_frames_mark_inspected(fr, true, false);
    assert_true(app_frames_find(fr, done)->inspected); /* still there for the alert */
    assert_false(app_frames_find(fr, open)->inspected);
    assert_false(app_frames_pending(fr, false));
    feed(fr, true, "ab"); /* the next data drops what detection finished */
    app_frames_feed_end();
    assert_null(app_frames_find(fr, done));
    const AppFrame *f = app_frames_find(fr, open);
    assert_non_null(f);
    assert_frame_bytes(fr, f, "456789ab");
    app_frames_end(fr, true);
    assert_true(app_frame_ready(fr, f, false)); /* the direction ended */
    app_frames_mark_inspected(fr, true, false);
    assert_false(app_frames_pending(fr, true));
    app_frames_free(fr);
}

static void test_gap(void **state)
{
    (void)state;
    AppFrames *fr = app_frames_new(1);
    feed(fr, false, "HTTP/1.0 200 OK\r\n");
    int64_t id = app_frame_open(1, 0, -1);
    app_frames_feed_end();
    app_frames_gap(fr, false, 10);
    feed(fr, false, "AAAA");
    app_frame_set_end(id, 4);
    app_frames_feed_end();
    const AppFrame *f = app_frames_find(fr, id);
    assert_int_equal(f->len, 17 + 10 + 4);
    assert_true(app_frame_complete(fr, f));
    assert_frame_bytes(fr, f, "AAAA"); /* the bytes before the hole are not joined to it */
    app_frames_free(fr);
}

static void test_tail_is_bounded(void **state)
{
    (void)state;
    AppFrames *fr = app_frames_new(6);
    static uint8_t chunk[APP_FRAMES_TAIL];
    memset(chunk, 'x', sizeof(chunk));
    for (int i = 0; i < 4; i++) {
        app_frames_feed_begin(fr, true, chunk, sizeof(chunk));
        app_frames_feed_end();
        app_frames_mark_inspected(fr, true, false);
    }
    assert_true(fr->dir[0].keep_len <= 2 * APP_FRAMES_TAIL);
    assert_int_equal(fr->dir[0].end, 4 * (uint64_t)APP_FRAMES_TAIL);
    app_frames_free(fr);
}

/* SSH: a banner then a NEWKEYS record (packet_length 12, padding 10) fed
 * in two pieces that split the record header. */
static void test_ssh_record_frames(void **state)
{
    (void)state;
    app_frames_enable();
    AppFrames *fr = app_frames_new(5);
    SshState *s = ssh_state_new();
    static const uint8_t rec[] = { 0, 0, 0, 12, 10, 21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    uint8_t all[64];
    const char *banner = "SSH-2.0-x\r\n";
    size_t bl = strlen(banner);
    memcpy(all, banner, bl);
    memcpy(all + bl, rec, sizeof(rec));
    size_t total = bl + sizeof(rec);
    size_t cut = bl + 3;
    app_frames_feed_begin(fr, true, all, (uint32_t)cut);
    ssh_parse(s, true, all, (uint32_t)cut, 0);
    app_frames_feed_end();
    app_frames_feed_begin(fr, true, all + cut, (uint32_t)(total - cut));
    ssh_parse(s, true, all + cut, (uint32_t)(total - cut), 0);
    app_frames_feed_end();
    AppFrame *pdu = frame_of(fr, true, SSH_FRAME_RECORD_PDU);
    AppFrame *hdr = frame_of(fr, true, SSH_FRAME_RECORD_HDR);
    AppFrame *data = frame_of(fr, true, SSH_FRAME_RECORD_DATA);
    assert_non_null(pdu);
    assert_non_null(hdr);
    assert_non_null(data);
    assert_int_equal(pdu->offset, bl);
    assert_int_equal(pdu->len, 16);
    assert_int_equal(hdr->offset, bl);
    assert_int_equal(hdr->len, 6);
    assert_int_equal(data->offset, bl + 6);
    assert_int_equal(data->len, 10);
    assert_int_equal(hdr->tx_id, 0);
    const uint8_t *d = NULL;
    uint32_t n = 0;
    assert_true(app_frame_data(fr, hdr, &d, &n));
    assert_int_equal(n, 6);
    assert_memory_equal(d, rec, 6);
    ssh_state_free(s);
    app_frames_free(fr);
}

/* SMTP: a reply split mid-line and a pipelined command pair. */
static void test_smtp_line_frames(void **state)
{
    (void)state;
    app_frames_enable();
    AppFrames *fr = app_frames_new(6);
    SmtpState *s = smtp_state_new();
    const char *r1 = "220 hi", *r2 = " there\r\n";
    feed(fr, false, r1);
    smtp_parse(s, false, (const uint8_t *)r1, (uint32_t)strlen(r1), 0);
    app_frames_feed_end();
    feed(fr, false, r2);
    smtp_parse(s, false, (const uint8_t *)r2, (uint32_t)strlen(r2), 0);
    app_frames_feed_end();
    AppFrame *resp = frame_of(fr, false, SMTP_FRAME_RESPONSE_LINE);
    assert_non_null(resp);
    assert_frame_bytes(fr, resp, "220 hi there\r\n");
    const char *c = "EHLO a\r\nMAIL FROM:<b>\r\n";
    feed(fr, true, c);
    smtp_parse(s, true, (const uint8_t *)c, (uint32_t)strlen(c), 0);
    app_frames_feed_end();
    AppFrame *f;
    uint32_t lines = 0;
    for (uint32_t i = 0; (f = app_frames_get(fr, true, i)) != NULL; i++) {
        if (f->type != SMTP_FRAME_COMMAND_LINE)
            continue;
        assert_frame_bytes(fr, f, lines == 0 ? "EHLO a\r\n" : "MAIL FROM:<b>\r\n");
        lines++;
    }
    assert_int_equal(lines, 2);
    smtp_state_free(s);
    app_frames_free(fr);
}

static void test_type_names(void **state)
{
    (void)state;
    uint16_t proto = 0;
    uint8_t type = 0;
    assert_true(frame_type_lookup("smtp.command_line", 0, &proto, &type));
    assert_int_equal(proto, 6);
    assert_int_equal(type, SMTP_FRAME_COMMAND_LINE);
    assert_true(frame_type_lookup("ssh.record.hdr", 0, &proto, &type));
    assert_int_equal(type, SSH_FRAME_RECORD_HDR);
    assert_true(frame_type_lookup("http1.stream", 0, &proto, &type));
    assert_int_equal(proto, 1);
    assert_int_equal(type, APP_FRAME_TYPE_STREAM);
    assert_true(frame_type_lookup("data", 6, &proto, &type)); /* the rule's protocol */
    assert_int_equal(type, SMTP_FRAME_DATA);
    assert_false(frame_type_lookup("data", 0, &proto, &type));
    assert_false(frame_type_lookup("smtp.nope", 0, &proto, &type));
    assert_false(frame_type_lookup("http.request", 0, &proto, &type)); /* HTTP/1 frames are http1.* */
    assert_string_equal(frame_type_name(6, SMTP_FRAME_RESPONSE_LINE), "response_line");
    assert_string_equal(frame_type_name(5, APP_FRAME_TYPE_STREAM), "stream");
    assert_null(frame_type_name(3, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_context),
        cmocka_unit_test(test_inside_one_chunk),
        cmocka_unit_test(test_across_chunks),
        cmocka_unit_test(test_started_in_earlier_chunk),
        cmocka_unit_test(test_inspected_frames_are_pruned),
        cmocka_unit_test(test_gap),
        cmocka_unit_test(test_tail_is_bounded),
        cmocka_unit_test(test_ssh_record_frames),
        cmocka_unit_test(test_smtp_line_frames),
        cmocka_unit_test(test_type_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
