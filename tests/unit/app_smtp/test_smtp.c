/*
 * Unit tests of the SMTP parser and MIME decoder (src/app/smtp/): a mail
 * session modelled on a capture whose Suricata EVE output is known
 * (evidence02: EHLO, MAIL/RCPT, DATA with a multipart message and a
 * base64 attachment, QUIT), fed with every chunk size; buffers, file.data
 * and extended EVE fields; RSET, STARTTLS (and its handover), BDAT, quoted-printable, RFC
 * 2231 filenames, each event, gaps, release, malformed input and the
 * memcap; body and subject MD5, lines cut at 4096 bytes, header
 * completeness and the end of both directions; detection from the
 * server's greeting on the SMTP ports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app-layer.h"
#include "app/smtp/smtp.h"

typedef struct Step {
    bool ts;
    const char *data;
} Step;

#define BND "----=_NextPart_000_000D_01CA497C.9DEC1E70"

static const Step SESSION[] = {
    { false, "220 mx.example.com ESMTP\r\n" },
    { true, "EHLO annlaptop\r\n" },
    { false, "250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n" },
    { true, "MAIL FROM: <sneakyg33k@aol.com> SIZE=1234\r\n" },
    { false, "250 OK\r\n" },
    { true, "RCPT TO:<mistersecretx@aol.com>\r\n" },
    { false, "250 OK\r\n" },
    { true, "DATA\r\n" },
    { false, "354 End data with <CR><LF>.<CR><LF>\r\n" },
    { true, "From: \"Ann Dercover\" <sneakyg33k@aol.com>\r\n"
            "To: <mistersecretx@aol.com>\r\n"
            "Cc: a@b.c,  d@e.f,\r\n"
            "Subject: rendezvous\r\n"
            "Message-ID: <123@aol.com>\r\n"
            "Date: Sat, 10 Oct 2009 07:35:30 -0600\r\n"
            "X-Mailer: Microsoft Office Outlook 12.0\r\n"
            "Received: from a by b\r\n"
            "Received: from c\r\n by d\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed;\r\n"
            "\tboundary=\"" BND "\"\r\n"
            "\r\n"
            "This is a multi-part message in MIME format.\r\n"
            "\r\n"
            "--" BND "\r\n"
            "Content-Type: text/plain; charset=\"us-ascii\"\r\n"
            "Content-Transfer-Encoding: 7bit\r\n"
            "\r\n"
            "Hi, see http://www.Example.com/path?x=1 and HTTP://other.org/\"q\r\n"
            "..http://dot.stuffed.net/\r\n"
            "--" BND "\r\n"
            "Content-Type: application/octet-stream; name=\"x.bin\"\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment; filename=\"secretrendezvous.docx\"\r\n"
            "\r\n"
            "SGVsbG8g\r\n"
            "V29ybGQh\r\n"
            "--" BND "--\r\n"
            "\r\n"
            ".\r\n" },
    { false, "250 2.0.0 Ok: queued\r\n" },
    { true, "QUIT\r\n" },
    { false, "221 Bye\r\n" },
};
#define NSTEPS (sizeof(SESSION) / sizeof(SESSION[0]))

static const char *EXPECTED =
    "{\"smtp\":{\"helo\":\"annlaptop\",\"mail_from\":\"<sneakyg33k@aol.com>\",\"rcpt_to\":[\"<mistersecretx@aol.com>\"]},"
    "\"email\":{\"status\":\"PARSE_DONE\",\"from\":\"\\\"Ann Dercover\\\" <sneakyg33k@aol.com>\","
    "\"to\":[\"<mistersecretx@aol.com>\"],\"cc\":[\"a@b.c\",\"d@e.f\"],"
    "\"attachment\":[\"secretrendezvous.docx\"],"
    "\"url\":[\"dot.stuffed.net/\",\"other.org/\",\"www.example.com/path?x=1\"]}}";

static char *eve(const SmtpTx *tx, const SmtpLogConfig *cfg)
{
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    smtp_log_tx(&j, tx, cfg);
    jb_close_object(&j);
    char *s = strndup(j.buf, j.len);
    jb_free(&j);
    return s;
}

static void feed(SmtpState *s, const Step *steps, size_t n, uint32_t chunk)
{
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = (const uint8_t *)steps[i].data;
        uint32_t len = (uint32_t)strlen(steps[i].data);
        if (chunk == 0)
            chunk = len ? len : 1;
        for (uint32_t off = 0; off < len; off += chunk)
            smtp_parse(s, steps[i].ts, p + off, len - off < chunk ? len - off : chunk, 0);
    }
}

static SmtpState *run(const Step *steps, size_t n, uint32_t chunk)
{
    SmtpState *s = smtp_state_new();
    assert_non_null(s);
    feed(s, steps, n, chunk);
    return s;
}

static bool has_event(const SmtpTx *tx, int ev)
{
    for (int i = 0; i < smtp_tx_event_count(tx); i++)
        if (smtp_tx_event_get(tx, i) == ev)
            return true;
    return false;
}

/* p and n are read after the getter ran (argument order is unspecified) */
static void check_buf(bool ok, const uint8_t **p, const uint32_t *n, const char *want)
{
    assert_true(ok);
    assert_int_equal(*n, strlen(want));
    assert_memory_equal(*p, want, *n);
}

static void test_session_every_chunking(void **st)
{
    (void)st;
    uint64_t base = smtp_memuse();
    for (uint32_t chunk = 1; chunk <= 700; chunk = chunk < 40 ? chunk + 1 : chunk * 2) {
        SmtpState *s = run(SESSION, NSTEPS, chunk);
        assert_int_equal(smtp_tx_count(s), 1);
        SmtpTx *tx = smtp_tx_get(s, 0);
        assert_non_null(tx);
        assert_true(smtp_tx_done(tx, true));
        assert_true(smtp_tx_done(tx, false));
        assert_int_equal(smtp_tx_event_count(tx), 0);
        char *e = eve(tx, NULL);
        assert_string_equal(e, EXPECTED);
        free(e);
        const uint8_t *p;
        uint32_t n;
        assert_int_equal(smtp_tx_file_count(tx), 1);
        check_buf(smtp_tx_get_file_data(tx, 0, &p, &n), &p, &n, "Hello World!");
        check_buf(smtp_tx_get_file_name(tx, 0, &p, &n), &p, &n, "secretrendezvous.docx");
        bool trunc = true;
        assert_true(smtp_tx_file_closed(tx, 0, &trunc));
        assert_false(trunc);
        smtp_state_free(s);
    }
    assert_int_equal(smtp_memuse(), base);
}

static void test_buffers_and_extended(void **st)
{
    (void)st;
    SmtpState *s = run(SESSION, NSTEPS, 0);
    SmtpTx *tx = smtp_tx_get(s, 0);
    const uint8_t *p;
    uint32_t n;
    check_buf(smtp_tx_get_helo(tx, &p, &n), &p, &n, "annlaptop");
    check_buf(smtp_tx_get_mail_from(tx, &p, &n), &p, &n, "<sneakyg33k@aol.com>");
    check_buf(smtp_tx_get_rcpt_to(tx, 0, &p, &n), &p, &n, "<mistersecretx@aol.com>");
    assert_false(smtp_tx_get_rcpt_to(tx, 1, &p, &n));
    check_buf(smtp_tx_get_header(tx, "subject", &p, &n), &p, &n, "rendezvous");
    check_buf(smtp_tx_get_header(tx, "message-id", &p, &n), &p, &n, "<123@aol.com>");
    check_buf(smtp_tx_get_header(tx, "x-mailer", &p, &n), &p, &n, "Microsoft Office Outlook 12.0");
    check_buf(smtp_tx_get_header(tx, "date", &p, &n), &p, &n, "Sat, 10 Oct 2009 07:35:30 -0600");
    check_buf(smtp_tx_get_header(tx, "cc", &p, &n), &p, &n, "a@b.c,  d@e.f,");
    check_buf(smtp_tx_get_received(tx, 0, &p, &n), &p, &n, "from a by b");
    check_buf(smtp_tx_get_received(tx, 1, &p, &n), &p, &n, "from cby d"); /* Suricata folding */
    assert_false(smtp_tx_get_received(tx, 2, &p, &n));
    check_buf(smtp_tx_get_url(tx, 0, &p, &n), &p, &n, "www.example.com/path?x=1");
    assert_false(smtp_tx_get_header(tx, "user-agent", &p, &n));
    SmtpLogConfig cfg = { .extended = true, .custom_mask = 1u << smtp_email_field_by_name("received") };
    char *e = eve(tx, &cfg);
    assert_non_null(strstr(e, "\"url\":[\"dot.stuffed.net/\",\"other.org/\",\"www.example.com/path?x=1\"],"
                              "\"message_id\":\"<123@aol.com>\",\"subject\":\"rendezvous\","
                              "\"x_mailer\":\"Microsoft Office Outlook 12.0\","
                              "\"received\":[\"from a by b\",\"from cby d\"]}}"));
    free(e);
    assert_string_equal(smtp_email_field_name(0), "reply_to");
    assert_int_equal(smtp_email_field_by_name("nope"), -1);
    smtp_state_free(s);
}

static void test_url_config(void **st)
{
    (void)st;
    SmtpMimeConfig c;
    smtp_config_defaults(&c);
    c.log_url_scheme = true;
    c.nschemes = 2;
    memcpy(c.schemes[1], "ftp", 4);
    smtp_config_set_mime(&c);
    static const Step m[] = {
        { false, "220 x\r\n" }, { true, "HELO h\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n" },
        { false, "250 a\r\n250 b\r\n250 c\r\n354 go\r\n" },
        { true, "Subject: s\r\nTo: \r\nCc: \"jam,abra\" <m@a.ch>, ,x@y\r\n\r\nsee ftp://Files.x/y and http://a.b/c\r\n.\r\n" },
    };
    SmtpState *s = run(m, 4, 3);
    SmtpTx *tx = smtp_tx_get(s, 0);
    const uint8_t *p;
    uint32_t n;
    check_buf(smtp_tx_get_url(tx, 0, &p, &n), &p, &n, "http://a.b/c");
    check_buf(smtp_tx_get_url(tx, 1, &p, &n), &p, &n, "ftp://files.x/y");
    char *e = eve(tx, NULL);
    assert_non_null(strstr(e, "\"email\":{\"status\":\"PARSE_DONE\",\"cc\":[\"\\\"jam,abra\\\" <m@a.ch>\",\"x@y\"],\"url\""));
    free(e);
    smtp_state_free(s);
    smtp_config_defaults(&c);
    smtp_config_set_mime(&c);
}

static void test_rset_new_tx(void **st)
{
    (void)st;
    static const Step m[] = {
        { false, "220 x\r\n" },
        { true, "HELO h\r\n" }, { false, "250 ok\r\n" },
        { true, "MAIL FROM:<a@b>\r\n" }, { false, "250 ok\r\n" },
        { true, "RSET\r\n" }, { false, "250 ok\r\n" },
        { true, "MAIL FROM:<z@y>\r\n" }, { false, "250 ok\r\n" },
        { true, "QUIT\r\n" }, { false, "221 bye\r\n" },
    };
    SmtpState *s = run(m, sizeof(m) / sizeof(m[0]), 1);
    assert_int_equal(smtp_tx_count(s), 2);
    char *e0 = eve(smtp_tx_get(s, 0), NULL);
    char *e1 = eve(smtp_tx_get(s, 1), NULL);
    assert_string_equal(e0, "{\"smtp\":{\"helo\":\"h\",\"mail_from\":\"<a@b>\"}}");
    assert_string_equal(e1, "{\"smtp\":{\"helo\":\"h\",\"mail_from\":\"<z@y>\"}}");
    free(e0);
    free(e1);
    assert_true(smtp_tx_done(smtp_tx_get(s, 0), false));
    assert_false(smtp_tx_done(smtp_tx_get(s, 1), false));
    smtp_tx_release(s, 1);
    assert_null(smtp_tx_get(s, 0));
    assert_non_null(smtp_tx_get(s, 1));
    smtp_state_free(s);
}

static void test_starttls(void **st)
{
    (void)st;
    static const Step m[] = {
        { false, "220 x\r\n" }, { true, "EHLO h\r\n" }, { false, "250-x\r\n250 STARTTLS\r\n" },
        { true, "STARTTLS\r\n" }, { false, "220 go ahead\r\n" },
        { true, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n" },
        { false, "\x16\x03\x03 more\r\n" },
    };
    SmtpState *s = run(m, sizeof(m) / sizeof(m[0]), 2);
    assert_true(smtp_tls_upgrade(s));
    assert_int_equal(smtp_tx_count(s), 1);
    SmtpTx *tx = smtp_tx_get(s, 0);
    assert_true(smtp_tx_done(tx, true));
    assert_int_equal(smtp_tx_event_count(tx), 0);
    smtp_state_free(s);

    static const Step r[] = {
        { false, "220 x\r\n" }, { true, "STARTTLS\r\n" }, { false, "502 TLS not available\r\n" },
    };
    s = run(r, 3, 0);
    assert_false(smtp_tls_upgrade(s));
    assert_true(has_event(smtp_tx_get(s, 0), SMTP_EVENT_TLS_REJECTED));
    smtp_state_free(s);
}

static bool parse_str(SmtpState *s, bool ts, const char *t)
{
    return smtp_parse(s, ts, (const uint8_t *)t, (uint32_t)strlen(t), 0);
}

/* What the framework sees of STARTTLS (RFC 3207): the call carrying the
 * 220 returns false (the handover, not a parse error), later calls are
 * ignored; a refusal inside Suricata's reply-code set (501) keeps parsing,
 * one outside it (454) is INVALID_REPLY; pipelined commands after
 * STARTTLS are INVALID_PIPELINED_SEQUENCE; a refused handover is
 * FAILED_PROTOCOL_CHANGE. */
static void test_starttls_handover(void **st)
{
    (void)st;
    SmtpState *s = smtp_state_new();
    assert_true(parse_str(s, false, "220 x\r\n"));
    assert_true(parse_str(s, true, "EHLO h\r\nSTARTTLS\r\n"));
    assert_true(parse_str(s, false, "250 x\r\n"));
    assert_false(smtp_tls_upgrade(s));
    assert_false(parse_str(s, false, "220 go\r\n250 ignored\r\n"));
    assert_true(smtp_tls_upgrade(s));
    SmtpTx *tx = smtp_tx_get(s, 0);
    assert_true(smtp_tx_done(tx, true));
    assert_int_equal(smtp_tx_event_count(tx), 0);
    /* TLS bytes after the handover change nothing */
    assert_true(parse_str(s, true, "\x16\x03\x01 MAIL FROM:<x>\r\n"));
    assert_int_equal(smtp_tx_count(s), 1);
    assert_false(smtp_tx_get_mail_from(tx, &(const uint8_t *){ NULL }, &(uint32_t){ 0 }));
    smtp_tls_upgrade_refused(s);
    assert_true(has_event(tx, SMTP_EVENT_FAILED_PROTOCOL_CHANGE));
    smtp_state_free(s);

    s = smtp_state_new();
    assert_true(parse_str(s, false, "220 x\r\n"));
    assert_true(parse_str(s, true, "STARTTLS\r\n"));
    assert_true(parse_str(s, false, "501 5.5.4 no\r\n"));
    assert_false(smtp_tls_upgrade(s));
    assert_true(parse_str(s, true, "MAIL FROM:<a@b>\r\n"));
    assert_true(parse_str(s, false, "250 ok\r\n"));
    tx = smtp_tx_get(s, 0);
    assert_true(has_event(tx, SMTP_EVENT_TLS_REJECTED));
    const uint8_t *p;
    uint32_t n;
    assert_true(smtp_tx_get_mail_from(tx, &p, &n));
    assert_int_equal(n, 5);
    smtp_state_free(s);

    s = smtp_state_new();
    assert_true(parse_str(s, false, "220 x\r\n"));
    assert_true(parse_str(s, true, "STARTTLS\r\n"));
    assert_false(parse_str(s, false, "454 4.7.0 TLS not available\r\n"));
    assert_false(smtp_tls_upgrade(s));
    assert_true(has_event(smtp_tx_get(s, 0), SMTP_EVENT_INVALID_REPLY));
    smtp_state_free(s);

    /* a command pipelined after STARTTLS, then the 220 */
    s = smtp_state_new();
    assert_true(parse_str(s, false, "220 x\r\n"));
    assert_true(parse_str(s, true, "STARTTLS\r\nMAIL FROM:<a@b>\r\n"));
    assert_true(has_event(smtp_tx_get(s, 0), SMTP_EVENT_INVALID_PIPELINED_SEQUENCE));
    assert_false(parse_str(s, false, "220 go\r\n"));
    assert_true(smtp_tls_upgrade(s));
    smtp_state_free(s);
}

static void test_bdat(void **st)
{
    (void)st;
    static const Step m[] = {
        { false, "220 x\r\n" }, { true, "EHLO h\r\n" }, { false, "250 CHUNKING\r\n" },
        { true, "MAIL FROM:<a@b>\r\n" }, { false, "250 ok\r\n" },
        { true, "RCPT TO:<c@d>\r\n" }, { false, "250 ok\r\n" },
        { true, "BDAT 21\r\nFrom: me@x\r\nTo: y@z\r\n" }, { false, "250 ok\r\n" },
        { true, "BDAT 16 LAST\r\n\r\nhttp://u.v/w\r\n" }, { false, "250 ok\r\n" },
        { true, "MAIL FROM:<next@b>\r\n" }, { false, "250 ok\r\n" },
    };
    for (uint32_t chunk = 1; chunk < 30; chunk++) {
        SmtpState *s = run(m, sizeof(m) / sizeof(m[0]), chunk);
        assert_int_equal(smtp_tx_count(s), 2);
        char *e = eve(smtp_tx_get(s, 0), NULL);
        assert_string_equal(e, "{\"smtp\":{\"helo\":\"h\",\"mail_from\":\"<a@b>\",\"rcpt_to\":[\"<c@d>\"]},"
                               "\"email\":{\"status\":\"PARSE_DONE\",\"from\":\"me@x\",\"to\":[\"y@z\"],"
                               "\"url\":[\"u.v/w\"]}}");
        free(e);
        smtp_state_free(s);
    }
}

static void test_qp_and_rfc2231(void **st)
{
    (void)st;
    static const Step m[] = {
        { false, "220 x\r\n" }, { true, "HELO h\r\n" }, { false, "250 ok\r\n" },
        { true, "DATA\r\n" }, { false, "354 go\r\n" },
        { true, "Content-Type: multipart/mixed; boundary=b1\r\n\r\n"
                "--b1\r\nContent-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n"
                "--b2\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                "<a href=3D\"http://q.p/x=\r\ny\">link</a> =ZZ\r\n"
                "--b2--\r\n"
                "--b1\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n"
                "Content-Disposition: attachment;\r\n filename*0*=utf-8''na%20me;\r\n filename*1=\".txt\"\r\n\r\n"
                "caf=C3=A9=\r\n!\r\n"
                "--b1--\r\n.\r\n" },
    };
    SmtpState *s = run(m, sizeof(m) / sizeof(m[0]), 5);
    SmtpTx *tx = smtp_tx_get(s, 0);
    const uint8_t *p;
    uint32_t n;
    check_buf(smtp_tx_get_file_name(tx, 0, &p, &n), &p, &n, "na me.txt");
    /* the line break before the closing boundary belongs to the boundary */
    check_buf(smtp_tx_get_file_data(tx, 0, &p, &n), &p, &n, "caf\xc3\xa9!");
    check_buf(smtp_tx_get_url(tx, 0, &p, &n), &p, &n, "q.p/xy"); /* soft break joined */
    assert_true(has_event(tx, SMTP_EVENT_MIME_INVALID_QP));
    smtp_state_free(s);
}

/* One session per event: the steps and the event expected on tx 0. */
static void expect_event(const Step *m, size_t n, int ev)
{
    for (uint32_t chunk = 1; chunk <= 4; chunk += 3) {
        SmtpState *s = run(m, n, chunk);
        SmtpTx *tx = smtp_tx_get(s, 0);
        assert_non_null(tx);
        if (!has_event(tx, ev))
            fail_msg("event %s missing", smtp_event_name(ev));
        smtp_state_free(s);
    }
}

#define DATA_STEPS(body)                                                           \
    { false, "220 x\r\n" }, { true, "HELO h\r\n" }, { false, "250 ok\r\n" },      \
    { true, "DATA\r\n" }, { false, "354 go\r\n" }, { true, body "\r\n.\r\n" }

static void test_events(void **st)
{
    (void)st;
    char longcmd[700], longreply[700];
    memset(longcmd, 'A', sizeof(longcmd));
    memcpy(longcmd, "HELO ", 5);
    memcpy(longcmd + sizeof(longcmd) - 3, "\r\n", 3);
    memset(longreply, 'b', sizeof(longreply));
    memcpy(longreply, "250 ", 4);
    memcpy(longreply + sizeof(longreply) - 3, "\r\n", 3);
    {
        Step m[] = { { true, "HELO h\r\n" }, { false, "250 ok\r\n" } };
        expect_event(m, 2, SMTP_EVENT_NO_SERVER_WELCOME_MESSAGE);
    }
    {
        Step m[] = { { false, "220 x\r\n" }, { true, "HELO h\r\n" }, { false, "299 what\r\n" } };
        expect_event(m, 3, SMTP_EVENT_INVALID_REPLY);
    }
    {
        Step m[] = { { false, "220 x\r\n" }, { true, "HELO h\r\n" }, { false, "2\r\n" } };
        expect_event(m, 3, SMTP_EVENT_INVALID_REPLY);
    }
    {
        Step m[] = { { false, "220 x\r\n" }, { true, longcmd } };
        expect_event(m, 2, SMTP_EVENT_MAX_COMMAND_LINE_LEN_EXCEEDED);
    }
    {
        Step m[] = { { false, "220 x\r\n" }, { true, "HELO h\r\n" }, { false, longreply } };
        expect_event(m, 3, SMTP_EVENT_MAX_REPLY_LINE_LEN_EXCEEDED);
    }
    {
        Step m[] = { { false, "220 x\r\n" }, { true, "HELO h\r\nSTARTTLS\r\nNOOP\r\n" } };
        expect_event(m, 2, SMTP_EVENT_INVALID_PIPELINED_SEQUENCE);
    }
    {
        Step m[] = { { false, "220 x\r\n" }, { true, "HELO h\r\n" }, { false, "250 ok\r\n" },
                     { true, "DATA\r\n" }, { false, "554 no\r\n" } };
        expect_event(m, 5, SMTP_EVENT_DATA_COMMAND_REJECTED);
    }
    {
        Step m[] = { DATA_STEPS("Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; "
                                "filename=a\r\n\r\nSGV*sbG8=") };
        expect_event(m, 6, SMTP_EVENT_MIME_INVALID_BASE64);
    }
    {
        Step m[] = { DATA_STEPS("Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; "
                                "filename=a\r\n\r\n"
                                "SGVsbG8gSGVsbG8gSGVsbG8gSGVsbG8gSGVsbG8gSGVsbG8gSGVsbG8gSGVsbG8gSGVsbG8gSGVsbG8g") };
        expect_event(m, 6, SMTP_EVENT_MIME_LONG_ENC_LINE);
    }
    {
        /* a base64 text part: the URL spans two encoded lines */
        Step m[] = { DATA_STEPS("Subject: x\r\nbogus header line\r\nContent-Type: text/plain\r\n"
                                "Content-Transfer-Encoding: base64\r\n\r\n"
                                "Z28gaHR0cDovL2NvZGFz\r\naG9wLmR1Y2tkbnMub3JnLyBub3c=") };
        SmtpState *s = run(m, 6, 1);
        SmtpTx *tx = smtp_tx_get(s, 0);
        const uint8_t *p;
        uint32_t n;
        check_buf(smtp_tx_get_url(tx, 0, &p, &n), &p, &n, "codashop.duckdns.org/");
        check_buf(smtp_tx_get_header(tx, "subject", &p, &n), &p, &n, "x");
        assert_int_equal(smtp_tx_event_count(tx), 0);
        smtp_state_free(s);
    }
    static char big[3000 + 64];
    {
        strcpy(big, "Subject: ");
        memset(big + 9, 'v', 2100);
        strcpy(big + 9 + 2100, "\r\n\r\nx");
        Step m[] = { DATA_STEPS("") };
        m[5].data = big;
        /* the body of DATA_STEPS is replaced: add the terminator */
        strcat(big, "\r\n.\r\n");
        expect_event(m, 6, SMTP_EVENT_MIME_LONG_HEADER_VALUE);
    }
    {
        memset(big, 'n', 80);
        strcpy(big + 80, ": v\r\n\r\nx\r\n.\r\n");
        Step m[] = { DATA_STEPS("") };
        m[5].data = big;
        expect_event(m, 6, SMTP_EVENT_MIME_LONG_HEADER_NAME);
    }
    {
        strcpy(big, "Subject: x\r\n\r\n");
        memset(big + 14, 'l', 1200);
        strcpy(big + 14 + 1200, "\r\n.\r\n");
        Step m[] = { DATA_STEPS("") };
        m[5].data = big;
        expect_event(m, 6, SMTP_EVENT_MIME_LONG_LINE);
    }
    {
        strcpy(big, "Content-Type: multipart/mixed; boundary=");
        size_t o = strlen(big);
        memset(big + o, 'B', 300);
        strcpy(big + o + 300, "\r\n\r\nx\r\n.\r\n");
        Step m[] = { DATA_STEPS("") };
        m[5].data = big;
        expect_event(m, 6, SMTP_EVENT_MIME_LONG_BOUNDARY);
    }
    {
        strcpy(big, "Content-Disposition: attachment; filename=\"");
        size_t o = strlen(big);
        for (int i = 0; i < 22; i++)
            memcpy(big + o + (size_t)i * 12, "12characters", 12);
        strcpy(big + o + 22 * 12, ".exe\"\r\n\r\nx\r\n.\r\n");
        Step m[] = { DATA_STEPS("") };
        m[5].data = big;
        expect_event(m, 6, SMTP_EVENT_MIME_LONG_FILENAME);
        SmtpState *s = run(m, 6, 0);
        const uint8_t *p;
        uint32_t n;
        assert_true(smtp_tx_get_file_name(smtp_tx_get(s, 0), 0, &p, &n));
        assert_int_equal(n, 255);
        smtp_state_free(s);
    }
}

static void test_event_names(void **st)
{
    (void)st;
    for (int i = 0; i < SMTP_EVENT_MAX; i++) {
        const char *n = smtp_event_name(i);
        assert_non_null(n);
        assert_int_equal(smtp_event_by_name(n), i);
    }
    assert_int_equal(smtp_event_by_name("mime_long_filename"), SMTP_EVENT_MIME_LONG_FILENAME);
    assert_string_equal(smtp_event_name(SMTP_EVENT_NO_SERVER_WELCOME_MESSAGE), "NO_SERVER_WELCOME_MESSAGE");
    assert_null(smtp_event_name(SMTP_EVENT_MAX));
    assert_int_equal(smtp_event_by_name("nope"), -1);
}

static void test_gap_and_malformed(void **st)
{
    (void)st;
    uint64_t base = smtp_memuse();
    SmtpState *s = smtp_state_new();
    smtp_parse(s, false, (const uint8_t *)"220 x\r\n", 7, 0);
    smtp_parse(s, true, (const uint8_t *)"HELO aa", 7, 0);
    smtp_gap(s, true, 100);
    smtp_parse(s, true, (const uint8_t *)"tail\r\nHELO bb\r\n", 15, 0);
    const uint8_t *p;
    uint32_t n;
    check_buf(smtp_tx_get_helo(smtp_tx_get(s, 0), &p, &n), &p, &n, "bb");
    /* garbage in both directions never crashes */
    uint8_t junk[4096];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof(junk); i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (uint8_t)(x >> 16);
        if (junk[i] % 17 == 0)
            junk[i] = '\n';
    }
    smtp_parse(s, true, junk, sizeof(junk), 0);
    smtp_parse(s, false, junk, sizeof(junk), 0);
    smtp_parse(s, true, NULL, 0, 0);
    smtp_end(s, true);
    smtp_end(s, false);
    for (uint64_t id = 0; id < smtp_tx_count(s); id++) {
        SmtpTx *tx = smtp_tx_get(s, id);
        if (tx) {
            char *e = eve(tx, NULL);
            free(e);
        }
    }
    smtp_state_free(s);
    assert_int_equal(smtp_memuse(), base);
}

static void test_memcap(void **st)
{
    (void)st;
    uint64_t hits = smtp_memcap_hits();
    smtp_config_set_memcap(smtp_memuse() + 64);
    SmtpState *s = run(SESSION, NSTEPS, 7);
    assert_true(smtp_memcap_hits() > hits);
    smtp_state_free(s);
    smtp_config_set_memcap(0);
}

static void test_md5(void **st)
{
    (void)st;
    SmtpMimeConfig c;
    smtp_config_defaults(&c);
    c.body_md5 = true;
    smtp_config_set_mime(&c);
    static const Step m[] = {
        { false, "220 x\r\n" }, { true, "HELO h\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n" },
        { false, "250 a\r\n250 b\r\n250 c\r\n354 go\r\n" },
        { true, "Subject: hello\r\n\r\nline one\r\n..dot\r\nline two\n" },
    };
    SmtpState *s = run(m, 4, 5);
    SmtpTx *tx = smtp_tx_get(s, 0);
    uint8_t d[16];
    /* the headers are complete once the body started; the digest only
     * once the message ended */
    assert_true(smtp_tx_headers_done(tx));
    assert_false(smtp_tx_done(tx, true));
    assert_false(smtp_tx_get_body_md5(tx, d));
    smtp_parse(s, true, (const uint8_t *)".\r\n", 3, 0);
    assert_true(smtp_tx_get_body_md5(tx, d));
    SmtpLogConfig lc = { .md5_subject = true, .md5_body = true };
    char *e = eve(tx, &lc);
    /* MD5 of "hello", and of the raw body lines with their own delimiters */
    assert_non_null(strstr(e, "\"subject_md5\":\"5d41402abc4b2a76b9719d911017c592\""));
    assert_non_null(strstr(e, "\"body_md5\":\"c2766d85c12446da3961782be0f46565\""));
    free(e);
    SmtpLogConfig plain = { 0 };
    e = eve(tx, &plain);
    assert_null(strstr(e, "md5"));
    free(e);
    smtp_state_free(s);
    smtp_config_defaults(&c);
    smtp_config_set_mime(&c);
}

static void test_long_line_and_eof(void **st)
{
    (void)st;
    SmtpState *s = smtp_state_new();
    smtp_parse(s, false, (const uint8_t *)"220 x\r\n", 7, 0);
    char line[5010];
    memcpy(line, "EHLO ", 5);
    memset(line + 5, 'a', 5000);
    memcpy(line + 5005, "\r\n", 2);
    smtp_parse(s, true, (const uint8_t *)line, 5007, 0);
    SmtpTx *tx = smtp_tx_get(s, 0);
    assert_non_null(tx);
    const uint8_t *p;
    uint32_t n;
    assert_true(smtp_tx_get_helo(tx, &p, &n));
    assert_int_equal(n, 4096 - 5); /* cut at 4096 bytes, command included */
    assert_true(has_event(tx, SMTP_EVENT_TRUNCATED_LINE));
    assert_true(has_event(tx, SMTP_EVENT_MAX_COMMAND_LINE_LEN_EXCEEDED));
    /* a line of exactly 4096 bytes before its LF keeps its CR */
    SmtpState *s2 = smtp_state_new();
    smtp_parse(s2, false, (const uint8_t *)"220 x\r\n", 7, 0);
    memset(line + 5, 'b', 4090);
    memcpy(line + 4095, "\r\n", 2);
    smtp_parse(s2, true, (const uint8_t *)line, 4097, 0);
    assert_true(smtp_tx_get_helo(smtp_tx_get(s2, 0), &p, &n));
    assert_int_equal(n, 4091);
    assert_int_equal(p[n - 1], '\r');
    smtp_state_free(s2);
    /* the session's only transaction completes when both sides ended */
    assert_false(smtp_tx_done(tx, true));
    smtp_end(s, true);
    assert_false(smtp_tx_done(tx, true));
    smtp_end(s, false);
    assert_true(smtp_tx_done(tx, true));
    smtp_state_free(s);
}

static void test_detect_greeting(void **st)
{
    (void)st;
    AppLayerConfig c;
    app_layer_config_defaults(&c);
    bool rev;
    const uint8_t *g = (const uint8_t *)"220 mx ESMTP\r\n";
    /* server to client: sp is the client's port, dp the server's */
    assert_int_equal(app_detect(&c, 6, false, 40000, 25, g, 14, &rev), 6);
    assert_int_equal(app_detect(&c, 6, false, 40000, 465, g, 14, &rev), 6);
    assert_int_equal(app_detect(&c, 6, false, 40000, 587, (const uint8_t *)"220-mx\r\n", 8, &rev), 6);
    assert_int_equal(app_detect(&c, 6, false, 40000, 587, (const uint8_t *)"22", 2, &rev), APP_PROTO_UNKNOWN);
    /* elsewhere (FTP's 220) the greeting waits for the client */
    assert_int_equal(app_detect(&c, 6, false, 40000, 21, g, 14, &rev), APP_PROTO_UNKNOWN);
    assert_int_equal(app_detect(&c, 6, false, 40000, 25, (const uint8_t *)"554 no\r\n", 8, &rev), APP_DETECT_NONE);
    c.proto[6].tcp_enabled = false;
    assert_int_equal(app_detect(&c, 6, false, 40000, 25, g, 14, &rev), APP_PROTO_UNKNOWN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_every_chunking),
        cmocka_unit_test(test_buffers_and_extended),
        cmocka_unit_test(test_url_config),
        cmocka_unit_test(test_rset_new_tx),
        cmocka_unit_test(test_starttls),
        cmocka_unit_test(test_starttls_handover),
        cmocka_unit_test(test_bdat),
        cmocka_unit_test(test_qp_and_rfc2231),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_event_names),
        cmocka_unit_test(test_gap_and_malformed),
        cmocka_unit_test(test_memcap),
        cmocka_unit_test(test_md5),
        cmocka_unit_test(test_long_line_and_eof),
        cmocka_unit_test(test_detect_greeting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
