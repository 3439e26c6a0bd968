/*
 * App-layer framework tests of protocol changes (src/app/app-layer.c): an
 * SMTP session on port 25 whose STARTTLS is answered 220 is handed over to
 * detection and becomes TLS on the client's ClientHello (app_proto tls,
 * app_proto_orig smtp), also when EHLO and STARTTLS were pipelined; a
 * STARTTLS refused (501: TLS_REJECTED; 454, outside Suricata's reply-code
 * set: INVALID_REPLY) keeps the flow SMTP;
 * an HTTP 101 switch found right after STARTTLS is refused
 * (http FAILED_PROTOCOL_CHANGE) while APPLAYER_UNEXPECTED_PROTOCOL and
 * APPLAYER_NO_TLS_AFTER_STARTTLS go on the packet and the flow record keeps
 * app_proto_expected tls; a change nothing was found after keeps the old
 * protocol. Each step is fed as the stream stage does, one direction's
 * data per call with the packet that carried it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/app-layer.h"
#include "app/http/http.h"
#include "app/smtp/smtp.h"

enum { HTTP = 1, TLS = 4, SMTP = 6 };

/* A TLS 1.2 ClientHello (RFC 5246 section 7.4.1.2) with one cipher suite,
 * no extensions: record 5 bytes + handshake 4 + body 41. */
static const uint8_t client_hello[] = {
    0x16, 0x03, 0x01, 0x00, 0x2d, 0x01, 0x00, 0x00, 0x29, 0x03, 0x03,
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
    0x00, 0x00, 0x02, 0x00, 0x2f, 0x01, 0x00,
};

typedef struct Session {
    AppLayerConfig cfg;
    AppLayerThread at;
    Flow f;
    Packet p;
} Session;

static void session_start(Session *s)
{
    memset(s, 0, sizeof(*s));
    app_layer_config_defaults(&s->cfg);
    app_layer_thread_init(&s->at, &s->cfg, NULL, NULL);
    s->f.proto = 6;
    s->f.sp = 40000;
    s->f.dp = 25;
    s->p.flow = &s->f;
}

static void session_end(Session *s)
{
    app_layer_flow_end(&s->at, &s->f);
    app_layer_thread_free(&s->at);
}

/* One direction's data, with the packet of that direction carrying it. */
static void bytes(Session *s, bool to_server, const void *d, size_t n)
{
    s->p.app_events = 0;
    s->p.to_server = to_server;
    if (to_server)
        s->f.pkts_toserver++;
    else
        s->f.pkts_toclient++;
    s->at.pkt = &s->p;
    app_layer_tcp_data(&s->at, &s->f, to_server, d, (uint32_t)n);
    s->at.pkt = NULL;
}

static void text(Session *s, bool to_server, const char *t) { bytes(s, to_server, t, strlen(t)); }

/* greeting, EHLO and its reply advertising STARTTLS, the STARTTLS command */
static void smtp_until_starttls(Session *s)
{
    text(s, false, "220 mx.example.org ESMTP\r\n");
    assert_int_equal(s->f.app_proto, SMTP);
    text(s, true, "EHLO client.example.org\r\n");
    text(s, false, "250-mx.example.org\r\n250 STARTTLS\r\n");
    text(s, true, "STARTTLS\r\n");
    assert_int_equal(s->f.app_proto, SMTP);
}

static void test_starttls_becomes_tls(void **st)
{
    (void)st;
    Session s;
    session_start(&s);
    smtp_until_starttls(&s);
    text(&s, false, "220 2.0.0 Ready to start TLS\r\n");
    assert_int_equal(app_layer_orig_proto(&s.f), SMTP);
    assert_int_equal(s.p.app_events, 0);
    bytes(&s, true, client_hello, sizeof(client_hello));
    assert_int_equal(s.f.app_proto, TLS);
    assert_int_equal(s.f.app_proto_ts, TLS);
    assert_int_equal(s.p.app_events, 0); /* the expected protocol */
    assert_non_null(app_layer_state(&s.f, TLS));
    assert_null(app_layer_state(&s.f, SMTP));
    session_end(&s);
    assert_int_equal(s.f.app_proto, TLS);
    assert_int_equal(s.f.app_proto_orig, SMTP);
    assert_int_equal(s.f.app_proto_expect, 0);
}

static bool smtp_has_event(SmtpState *smtp, int ev)
{
    for (uint64_t id = 0; id < smtp_tx_count(smtp); id++) {
        const SmtpTx *tx = smtp_tx_get(smtp, id);
        for (int e = 0; tx && e < smtp_tx_event_count(tx); e++)
            if (smtp_tx_event_get(tx, e) == ev)
                return true;
    }
    return false;
}

static void test_starttls_refused_stays_smtp(void **st)
{
    (void)st;
    /* 501: TLS_REJECTED, the client goes on in plain text, still SMTP */
    Session s;
    session_start(&s);
    smtp_until_starttls(&s);
    text(&s, false, "501 5.5.4 Syntax error\r\n");
    assert_int_equal(app_layer_orig_proto(&s.f), 0);
    text(&s, true, "MAIL FROM:<a@example.org>\r\n");
    text(&s, false, "250 OK\r\n");
    assert_int_equal(s.f.app_proto, SMTP);
    SmtpState *smtp = app_layer_state(&s.f, SMTP);
    assert_non_null(smtp);
    assert_false(smtp_tls_upgrade(smtp));
    assert_true(smtp_has_event(smtp, SMTP_EVENT_TLS_REJECTED));
    const uint8_t *from;
    uint32_t from_len;
    assert_true(smtp_tx_get_mail_from(smtp_tx_get(smtp, smtp_tx_count(smtp) - 1), &from, &from_len));
    assert_int_equal(from_len, strlen("<a@example.org>"));
    session_end(&s);
    assert_int_equal(s.f.app_proto, SMTP);
    assert_int_equal(s.f.app_proto_orig, 0);
    assert_int_equal(s.f.app_proto_expect, 0);

    /* 454 (RFC 3207 "TLS not available") is not in Suricata's reply-code
     * set: INVALID_REPLY stops the parser, and the flow stays SMTP */
    session_start(&s);
    smtp_until_starttls(&s);
    text(&s, false, "454 4.7.0 TLS not available\r\n");
    assert_int_equal(app_layer_orig_proto(&s.f), 0);
    bytes(&s, true, client_hello, sizeof(client_hello));
    assert_int_equal(s.f.app_proto, SMTP);
    smtp = app_layer_state(&s.f, SMTP);
    assert_non_null(smtp);
    assert_false(smtp_tls_upgrade(smtp));
    assert_true(smtp_has_event(smtp, SMTP_EVENT_INVALID_REPLY));
    session_end(&s);
    assert_int_equal(s.f.app_proto, SMTP);
    assert_int_equal(s.f.app_proto_orig, 0);
}

/* Pipelined: EHLO and STARTTLS in one segment, both replies in one; the
 * first 220 answers EHLO, the second STARTTLS (as the fuzzed capture of
 * protocol-change-failed-event has it). */
static void test_pipelined_starttls(void **st)
{
    (void)st;
    Session s;
    session_start(&s);
    text(&s, false, "220 mx ESMTP\r\n");
    text(&s, true, "EHLO c\r\nSTARTTLS\r\n");
    text(&s, false, "220 hello\r\n");
    assert_int_equal(s.f.app_proto, SMTP); /* only EHLO answered so far */
    text(&s, false, "220 ready\r\n");
    assert_int_equal(app_layer_orig_proto(&s.f), SMTP);
    bytes(&s, true, client_hello, sizeof(client_hello));
    assert_int_equal(s.f.app_proto, TLS);
    session_end(&s);
    assert_int_equal(s.f.app_proto_orig, SMTP);
}

static void test_http_switch_after_starttls_refused(void **st)
{
    (void)st;
    Session s;
    session_start(&s);
    smtp_until_starttls(&s);
    text(&s, false, "220 go ahead\r\n");
    text(&s, false, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n");
    assert_int_equal(s.f.app_proto, HTTP);
    assert_int_equal(s.p.app_events, APP_PKT_EV_UNEXPECTED_PROTOCOL | APP_PKT_EV_NO_TLS_AFTER_STARTTLS);
    HttpState *http = app_layer_state(&s.f, HTTP);
    assert_non_null(http); /* the HTTP parser stays: its switch was refused */
    HttpTx *tx = http_tx_get(http, 0);
    assert_non_null(tx);
    bool failed = false;
    for (uint32_t e = 0; e < http_tx_event_count(tx); e++)
        failed |= http_tx_event(tx, e) == HTTP_EV_FAILED_PROTOCOL_CHANGE;
    assert_true(failed);
    /* the change is over: later data neither changes nor raises it */
    text(&s, true, "anything\r\n");
    assert_int_equal(s.p.app_events & (APP_PKT_EV_UNEXPECTED_PROTOCOL | APP_PKT_EV_NO_TLS_AFTER_STARTTLS), 0);
    assert_int_equal(s.f.app_proto, HTTP);
    session_end(&s);
    assert_int_equal(s.f.app_proto_orig, SMTP);
    assert_int_equal(s.f.app_proto_expect, TLS);
}

static void test_undecided_change_keeps_smtp(void **st)
{
    (void)st;
    Session s;
    session_start(&s);
    smtp_until_starttls(&s);
    text(&s, false, "220 go ahead\r\n");
    /* too little to decide on: Suricata counts the flow as still SMTP,
     * which is not the TLS it expected */
    bytes(&s, true, "\x16", 1);
    assert_int_equal(s.f.app_proto, APP_PROTO_UNKNOWN);
    assert_int_equal(s.p.app_events, APP_PKT_EV_UNEXPECTED_PROTOCOL | APP_PKT_EV_NO_TLS_AFTER_STARTTLS);
    session_end(&s);
    assert_int_equal(s.f.app_proto, SMTP);
    assert_int_equal(s.f.app_proto_orig, 0);
    assert_int_equal(s.f.app_proto_expect, TLS);
}

static void test_event_names(void **st)
{
    (void)st;
    assert_string_equal(app_pkt_event_name(2), "APPLAYER_UNEXPECTED_PROTOCOL");
    assert_string_equal(app_pkt_event_name(3), "APPLAYER_NO_TLS_AFTER_STARTTLS");
    assert_int_equal(app_pkt_event_bit("applayer_unexpected_protocol"), APP_PKT_EV_UNEXPECTED_PROTOCOL);
    assert_int_equal(app_pkt_event_bit("APPLAYER_NO_TLS_AFTER_STARTTLS"), APP_PKT_EV_NO_TLS_AFTER_STARTTLS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_starttls_becomes_tls),
        cmocka_unit_test(test_starttls_refused_stays_smtp),
        cmocka_unit_test(test_pipelined_starttls),
        cmocka_unit_test(test_http_switch_after_starttls_refused),
        cmocka_unit_test(test_undecided_change_keeps_smtp),
        cmocka_unit_test(test_event_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
