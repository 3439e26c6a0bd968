/*
 * Unit tests of detect.guess-applayer-tx (src/detect/tx-guess.c) on real
 * parser states: DNS over TCP, whose messages are one-way transactions
 * (a request after which the response arrives is still guessed on the
 * request side, as in Suricata's task-7018 cases), and HTTP, whose
 * pipelined requests are two-way transactions (two live ones: no guess);
 * and the per-transaction count of attributed alerts
 * (detect.stream-tx-log-limit).
 * Transactions are held (detect_app_init's hold) so the parser keeps them
 * as detection would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app-layer.h"
#include "app/dns/dns.h"
#include "detect/detect-app.h"
#include "detect/detect.h"
#include "detect/tx-guess.h"

/* A DNS query for "x.io" A with message id `id`, TCP-framed (RFC 1035
 * 4.2.2: a two-byte length first); a response when `response`. */
static size_t dns_tcp_message(uint8_t *out, uint16_t id, bool response)
{
    static const uint8_t question[] = { 1, 'x', 2, 'i', 'o', 0, 0x00, 0x01, 0x00, 0x01 };
    uint8_t *m = out + 2;
    size_t n = 0;
    m[n++] = (uint8_t)(id >> 8);
    m[n++] = (uint8_t)id;
    m[n++] = response ? 0x81 : 0x01;
    m[n++] = response ? 0x80 : 0x00;
    const uint8_t counts[8] = { 0, 1, 0, 0, 0, 0, 0, 0 }; /* one question, no records */
    memcpy(m + n, counts, sizeof(counts));
    n += sizeof(counts);
    memcpy(m + n, question, sizeof(question));
    n += sizeof(question);
    out[0] = (uint8_t)(n >> 8);
    out[1] = (uint8_t)n;
    return n + 2;
}

typedef struct Fixture {
    AppLayerConfig cfg;
    AppLayerThread at;
    Flow f;
    Packet p;
} Fixture;

static void fixture_init(Fixture *x, uint16_t dport)
{
    detect_app_init(); /* the release hold: a flow without detection keeps its transactions */
    app_layer_config_defaults(&x->cfg);
    app_layer_thread_init(&x->at, &x->cfg, NULL, NULL);
    memset(&x->f, 0, sizeof(x->f));
    x->f.proto = 6;
    x->f.sp = 40000;
    x->f.dp = dport;
    memset(&x->p, 0, sizeof(x->p));
    x->p.flow = &x->f;
}

static void feed(Fixture *x, bool to_server, const uint8_t *data, size_t len)
{
    x->p.to_server = !to_server; /* taken in by the other side's ACK */
    x->at.pkt = &x->p;
    app_layer_tcp_data(&x->at, &x->f, to_server, data, (uint32_t)len);
    x->at.pkt = NULL;
}

static void fixture_free(Fixture *x)
{
    app_layer_flow_end(&x->at, &x->f);
    app_layer_thread_free(&x->at);
}

static void test_dns_one_way_transactions(void **st)
{
    (void)st;
    Fixture x;
    fixture_init(&x, 53);
    DetectTxGuess g;
    memset(&g, 0, sizeof(g));
    uint8_t msg[64];
    uint64_t tx = 99;

    /* nothing parsed yet: no guess */
    assert_false(detect_guess_tx(&g, &x.f, 0, true, &tx));

    /* the request (tx 0), taken in on a packet to the client */
    feed(&x, true, msg, dns_tcp_message(msg, 1, false));
    assert_int_equal(x.f.app_proto, 3);
    assert_true(detect_guess_tx(&g, &x.f, 0, true, &tx));
    assert_int_equal(tx, 0);
    detect_guess_after(&g, &x.f, 1, false);
    assert_int_equal(g.inspect_id[1], 1);
    assert_int_equal(g.min_id, 0); /* the request side has not inspected it */

    /* the response (tx 1): on the request side tx 0 is still the one, as
     * what follows it is a to-client-only transaction */
    feed(&x, false, msg, dns_tcp_message(msg, 1, true));
    assert_true(detect_guess_tx(&g, &x.f, 0, true, &tx));
    assert_int_equal(tx, 0);
    assert_true(detect_guess_tx(&g, &x.f, 1, true, &tx));
    assert_int_equal(tx, 1);
    detect_guess_after(&g, &x.f, 0, false);
    assert_int_equal(g.inspect_id[0], 2);
    assert_int_equal(g.min_id, 1); /* tx 0 inspected by its side; tx 1 not yet */

    /* the next request (tx 2): on the response side tx 1 is still the one */
    feed(&x, true, msg, dns_tcp_message(msg, 2, false));
    assert_true(detect_guess_tx(&g, &x.f, 1, true, &tx));
    assert_int_equal(tx, 1);
    assert_true(detect_guess_tx(&g, &x.f, 0, true, &tx));
    assert_int_equal(tx, 2);

    /* once the response side inspected tx 1, it has moved on past tx 2,
     * the last one */
    detect_guess_after(&g, &x.f, 1, false);
    assert_int_equal(g.min_id, 2); /* tx 2 waits for the request side */
    assert_int_equal(g.inspect_id[1], 3);
    assert_false(detect_guess_tx(&g, &x.f, 1, true, &tx)); /* past the last one */

    /* a response and a request queued on the response side: the request
     * after the response is to-server only, so the response is guessed;
     * two responses are not */
    feed(&x, false, msg, dns_tcp_message(msg, 2, true)); /* tx 3 */
    feed(&x, true, msg, dns_tcp_message(msg, 3, false)); /* tx 4 */
    assert_true(detect_guess_tx(&g, &x.f, 1, true, &tx));
    assert_int_equal(tx, 3);
    feed(&x, false, msg, dns_tcp_message(msg, 3, true)); /* tx 5 */
    assert_false(detect_guess_tx(&g, &x.f, 1, true, &tx));
    /* a UDP rule of the protocol takes the direction's current one anyway */
    assert_true(detect_guess_tx(&g, &x.f, 1, false, &tx));
    assert_int_equal(tx, 3);
    g.inspect_id[1] = 6; /* past the last one: none */
    assert_false(detect_guess_tx(&g, &x.f, 1, false, &tx));
    fixture_free(&x);
}

/* detect.stream-tx-log-limit: a transaction gets at most `limit` alerts
 * attributed, counted per transaction. */
static void test_log_limit(void **st)
{
    (void)st;
    DetectTxGuess g;
    memset(&g, 0, sizeof(g));
    for (int i = 0; i < 4; i++)
        assert_true(detect_guess_count(&g, 7, 4));
    assert_false(detect_guess_count(&g, 7, 4));
    assert_true(detect_guess_count(&g, 8, 4)); /* another transaction counts on its own */
    assert_false(detect_guess_count(&g, 7, 4));
    assert_false(detect_guess_count(&g, 9, 0)); /* limit 0: never */
    /* more transactions than kept: the lowest one's count goes */
    for (uint64_t id = 10; id < 10 + DETECT_TX_GUESS_LOGGED_KEEP; id++)
        assert_true(detect_guess_count(&g, id, 1));
    assert_false(detect_guess_count(&g, 10 + DETECT_TX_GUESS_LOGGED_KEEP - 1, 1));
}

/* One-way transactions are freed once their own side has inspected them:
 * a flow that only ever sends queries keeps none of the old ones (Suricata's
 * APP_LAYER_PARSER_OPT_UNIDIR_TXS), where it kept all until the flow's end. */
static void test_dns_queries_only_released(void **st)
{
    (void)st;
    Fixture x;
    fixture_init(&x, 53);
    x.f.detect = calloc(1, sizeof(*x.f.detect));
    assert_non_null(x.f.detect);
    uint8_t msg[64];
    for (uint16_t i = 0; i < 50; i++) {
        feed(&x, true, msg, dns_tcp_message(msg, i, false));
        detect_app_after(&x.f, 0, false); /* detection ran on the request side only */
        app_layer_output_pending(&x.at, &x.p); /* then logging, which releases */
    }
    assert_int_equal(detect_app_hold(&x.f), 50);
    DnsState *dns = app_layer_state(&x.f, x.f.app_proto);
    assert_non_null(dns);
    assert_int_equal(dns_tx_count(dns), 50);
    assert_null(dns_tx_get(dns, 0));
    assert_null(dns_tx_get(dns, 49));
    detect_flow_free(&x.f);
    fixture_free(&x);
}

static void test_http_two_way_transactions(void **st)
{
    (void)st;
    Fixture x;
    fixture_init(&x, 80);
    DetectTxGuess g;
    memset(&g, 0, sizeof(g));
    uint64_t tx = 99;
    const char *one = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
    feed(&x, true, (const uint8_t *)one, strlen(one));
    assert_int_equal(x.f.app_proto, 1);
    assert_true(detect_guess_tx(&g, &x.f, 0, true, &tx));
    assert_int_equal(tx, 0);
    /* a second request before the response: two live two-way transactions */
    const char *two = "GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
    feed(&x, true, (const uint8_t *)two, strlen(two));
    assert_false(detect_guess_tx(&g, &x.f, 0, true, &tx));
    assert_false(detect_guess_tx(&g, &x.f, 1, true, &tx));
    /* the request side moves on past both requests: none left to guess;
     * the response side still waits at tx 0 */
    detect_guess_after(&g, &x.f, 0, false);
    assert_int_equal(g.inspect_id[0], 2);
    assert_int_equal(g.inspect_id[1], 0);
    assert_int_equal(g.min_id, 0); /* incomplete: no response yet */
    assert_false(detect_guess_tx(&g, &x.f, 0, true, &tx));
    fixture_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dns_one_way_transactions),
        cmocka_unit_test(test_dns_queries_only_released),
        cmocka_unit_test(test_http_two_way_transactions),
        cmocka_unit_test(test_log_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
