/*
 * Unit tests of the SMTP attachments as tracked files (src/app/smtp/ with
 * app/file.h): each attachment part becomes one file of the transaction's
 * client-side container with its decoded size and state, the line break
 * before a boundary stays out of the file, an unpadded last base64 quantum
 * is kept, message lines longer than the line buffer are decoded whole, a
 * message/rfc822 part is parsed as the message it carries, a file cut by
 * a gap or by the end of the stream ends TRUNCATED (with the bytes of an
 * unterminated last line), and a reply that is no reply stops the parser
 * (what app_layer.error.smtp.parser counts), and raw-extraction keeps
 * the whole message as the file "rawmsg". Every session is fed in
 * several chunk sizes, so line assembly across segments is covered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/file.h"
#include "app/smtp/smtp.h"

#define HEAD "220 x\r\n"

static void feed_str(SmtpState *s, bool ts, const char *data, uint32_t chunk)
{
    uint32_t len = (uint32_t)strlen(data);
    if (chunk == 0)
        chunk = len ? len : 1;
    for (uint32_t off = 0; off < len; off += chunk)
        smtp_parse(s, ts, (const uint8_t *)data + off, len - off < chunk ? len - off : chunk, 0);
}

/* Greeting, HELO, DATA accepted, then `body` (no terminating dot). */
static SmtpState *open_data(const char *body, uint32_t chunk)
{
    SmtpState *s = smtp_state_new();
    assert_non_null(s);
    feed_str(s, false, HEAD, chunk);
    feed_str(s, true, "HELO h\r\nDATA\r\n", chunk);
    feed_str(s, false, "250 ok\r\n354 go\r\n", chunk);
    feed_str(s, true, body, chunk);
    return s;
}

static const AppFile *nth(SmtpTx *tx, uint32_t i)
{
    struct AppFileContainer *c = smtp_tx_files(tx, true);
    assert_non_null(c);
    const AppFile *f = c->head;
    for (; f && i > 0; i--)
        f = f->next;
    return f;
}

static void check_name(const AppFile *f, const char *want)
{
    assert_non_null(f);
    assert_int_equal(f->name_len, strlen(want));
    assert_memory_equal(f->name, want, f->name_len);
}

static const uint32_t CHUNKS[] = { 0, 1, 3, 7, 1460 };
#define NCHUNKS (sizeof(CHUNKS) / sizeof(CHUNKS[0]))

static const char *TWO_FILES =
    "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
    "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
    "--b\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n\r\n"
    "line1\r\nline2\r\n"
    "--b\r\nContent-Transfer-Encoding: base64\r\n"
    "Content-Disposition: attachment; filename=b.bin\r\n\r\n"
    "SGVsbG8gV29y\r\nbGQ\r\n"
    "--b--\r\n.\r\n";

static void test_attachments_are_files(void **st)
{
    (void)st;
    for (size_t k = 0; k < NCHUNKS; k++) {
        SmtpState *s = open_data(TWO_FILES, CHUNKS[k]);
        SmtpTx *tx = smtp_tx_get(s, 0);
        assert_non_null(tx);
        assert_null(smtp_tx_files(tx, false)); /* mail goes to the server only */
        assert_int_equal(smtp_tx_files(tx, true)->count, 2);
        const AppFile *a = nth(tx, 0), *b = nth(tx, 1);
        check_name(a, "a.txt");
        /* "line1\r\nline2": the CRLF before the boundary is the boundary's */
        assert_int_equal(a->size, 12);
        assert_int_equal(a->state, APP_FILE_CLOSED);
        check_name(b, "b.bin");
        /* "Hello Wor" + "ld" from the unpadded quantum "bGQ" */
        assert_int_equal(b->size, 11);
        assert_int_equal(b->state, APP_FILE_CLOSED);
        const uint8_t *p;
        uint32_t n;
        assert_true(smtp_tx_get_file_data(tx, 1, &p, &n));
        assert_int_equal(n, 11);
        assert_memory_equal(p, "Hello World", 11);
        assert_true(smtp_tx_get_file_data(tx, 0, &p, &n));
        assert_int_equal(n, 12);
        assert_memory_equal(p, "line1\r\nline2", 12);
        smtp_state_free(s);
    }
}

/* A base64 line of 6000 characters (more than the 4096-byte line buffer)
 * decodes to all of its 4500 bytes. */
static void test_long_message_line(void **st)
{
    (void)st;
    const char *pre = "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                      "--b\r\nContent-Transfer-Encoding: base64\r\n"
                      "Content-Disposition: attachment; filename=w.dat\r\n\r\n";
    const char *post = "\r\n--b--\r\n.\r\n";
    size_t total = strlen(pre) + 6000 + strlen(post) + 1;
    char *body = malloc(total);
    assert_non_null(body);
    strcpy(body, pre);
    size_t off = strlen(pre);
    for (int i = 0; i < 6000; i++)
        body[off + (size_t)i] = "QUJD"[i % 4]; /* "ABC" repeated */
    strcpy(body + off + 6000, post);
    for (size_t k = 0; k < NCHUNKS; k++) {
        SmtpState *s = open_data(body, CHUNKS[k]);
        SmtpTx *tx = smtp_tx_get(s, 0);
        const AppFile *f = nth(tx, 0);
        check_name(f, "w.dat");
        assert_int_equal(f->size, 4500);
        assert_int_equal(f->state, APP_FILE_CLOSED);
        assert_true(smtp_tx_done(tx, true));
        const uint8_t *p;
        uint32_t n;
        assert_true(smtp_tx_get_file_data(tx, 0, &p, &n));
        assert_int_equal(n, 4500);
        assert_memory_equal(p + 4497, "ABC", 3);
        smtp_state_free(s);
    }
    free(body);
}

/* message/rfc822: the part's own encoding and name do not apply, the
 * encapsulated message's attachment is the file. */
static void test_encapsulated_message(void **st)
{
    (void)st;
    const char *body = "Subject: outer\r\nContent-Type: message/rfc822\r\n"
                       "Content-Transfer-Encoding: base64\r\n"
                       "Content-Disposition: attachment; filename=\"innocent.txt\"\r\n\r\n"
                       "Subject: inner\r\nContent-Type: application/octet-stream\r\n"
                       "Content-Disposition: attachment; filename=\"payload.exe\"\r\n\r\n"
                       "PAYLOAD\r\n.\r\n";
    for (size_t k = 0; k < NCHUNKS; k++) {
        SmtpState *s = open_data(body, CHUNKS[k]);
        SmtpTx *tx = smtp_tx_get(s, 0);
        assert_int_equal(smtp_tx_files(tx, true)->count, 1);
        check_name(nth(tx, 0), "payload.exe");
        /* "PAYLOAD": the last line break is the end of data's, as Suricata
         * counts it (30 bytes for the 30-character payload of 8649) */
        assert_int_equal(nth(tx, 0)->size, 7);
        const uint8_t *p;
        uint32_t n;
        assert_true(smtp_tx_get_header(tx, "subject", &p, &n));
        assert_int_equal(n, 5);
        assert_memory_equal(p, "outer", 5);
        smtp_state_free(s);
    }
}

/* The stream ends inside an attachment: its file is TRUNCATED and holds
 * the bytes of the last line even without its line break. */
static void test_stream_end_truncates(void **st)
{
    (void)st;
    const char *body = "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                       "--b\r\nContent-Transfer-Encoding: base64\r\n"
                       "Content-Disposition: attachment; filename=c.bin\r\n\r\n"
                       "QUJD\r\nREVG";
    for (size_t k = 0; k < NCHUNKS; k++) {
        SmtpState *s = open_data(body, CHUNKS[k]);
        SmtpTx *tx = smtp_tx_get(s, 0);
        const AppFile *f = nth(tx, 0);
        assert_int_equal(f->state, APP_FILE_OPEN);
        smtp_end(s, true);
        smtp_end(s, false);
        assert_true(smtp_tx_done(tx, true));
        assert_int_equal(f->state, APP_FILE_TRUNCATED);
        assert_int_equal(f->size, 6); /* "ABCDEF" */
        smtp_state_free(s);
    }
}

/* Bytes lost inside an attachment: the file has a gap and ends TRUNCATED. */
static void test_gap_in_attachment(void **st)
{
    (void)st;
    SmtpState *s = open_data("Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                             "--b\r\nContent-Disposition: attachment; filename=g.txt\r\n\r\n"
                             "first\r\n",
                             0);
    smtp_gap(s, true, 50);
    feed_str(s, true, "rest of the lost line\r\nlast\r\n--b--\r\n.\r\n", 0);
    SmtpTx *tx = smtp_tx_get(s, 0);
    const AppFile *f = nth(tx, 0);
    assert_true(f->gaps);
    assert_int_equal(f->state, APP_FILE_TRUNCATED);
    smtp_state_free(s);
}

/* A reply without a known code stops the parser once: that call fails
 * (counted as a parser error), later data is ignored. */
static void test_invalid_reply_stops(void **st)
{
    (void)st;
    static const char *bad[] = { "4.7.0 deferred\r\n", "12\r\n", "999 what\r\n" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SmtpState *s = smtp_state_new();
        assert_true(smtp_parse(s, false, (const uint8_t *)HEAD, 7, 0));
        assert_true(smtp_parse(s, true, (const uint8_t *)"HELO h\r\n", 8, 0));
        assert_false(smtp_parse(s, false, (const uint8_t *)bad[i], (uint32_t)strlen(bad[i]), 0));
        SmtpTx *tx = smtp_tx_get(s, 0);
        bool seen = false;
        for (int e = 0; e < smtp_tx_event_count(tx); e++)
            seen = seen || smtp_tx_event_get(tx, e) == SMTP_EVENT_INVALID_REPLY;
        assert_true(seen);
        assert_true(smtp_parse(s, true, (const uint8_t *)"MAIL FROM:<a@b>\r\n", 17, 0));
        assert_false(smtp_tx_get_mail_from(tx, &(const uint8_t *){ NULL }, &(uint32_t){ 0 }));
        smtp_state_free(s);
    }
}

/* raw-extraction (with decode-mime off): the message as sent, dots and
 * line breaks included, is the file "rawmsg"; no email object. With
 * decode-mime on, raw extraction is refused. */
static void test_raw_extraction(void **st)
{
    (void)st;
    SmtpMimeConfig c;
    smtp_config_defaults(&c);
    c.decode_mime = false;
    c.raw_extraction = true;
    smtp_config_set_mime(&c);
    const char *msg = "Subject: s\r\n\r\n..dot\nbody\r\n";
    for (size_t k = 0; k < NCHUNKS; k++) {
        SmtpState *s = open_data(msg, CHUNKS[k]);
        feed_str(s, true, ".\r\n", CHUNKS[k]);
        SmtpTx *tx = smtp_tx_get(s, 0);
        const AppFile *f = nth(tx, 0);
        check_name(f, "rawmsg");
        assert_int_equal(f->state, APP_FILE_CLOSED);
        assert_int_equal(f->size, strlen(msg));
        const uint8_t *p;
        uint32_t n;
        assert_true(smtp_tx_get_file_data(tx, 0, &p, &n));
        assert_int_equal(n, strlen(msg));
        assert_memory_equal(p, msg, n);
        assert_false(smtp_tx_get_header(tx, "subject", &p, &n));
        smtp_state_free(s);
    }
    c.decode_mime = true;
    smtp_config_set_mime(&c);
    SmtpState *s = open_data(msg, 0);
    feed_str(s, true, ".\r\n", 0);
    assert_int_equal(smtp_tx_files(smtp_tx_get(s, 0), true)->count, 0);
    smtp_state_free(s);
    smtp_config_defaults(&c);
    smtp_config_set_mime(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attachments_are_files),
        cmocka_unit_test(test_long_message_line),
        cmocka_unit_test(test_encapsulated_message),
        cmocka_unit_test(test_stream_end_truncates),
        cmocka_unit_test(test_gap_in_attachment),
        cmocka_unit_test(test_invalid_reply_stops),
        cmocka_unit_test(test_raw_extraction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
