/*
 * One test per HTTP app-layer event the parser raises: a minimal exchange
 * that triggers it, checked in one piece and byte by byte, plus the name
 * table (Suricata's lower-case names).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http_test_util.h"

typedef struct EvCase {
    const char *req, *res;
    HttpEvent ev;
    uint64_t tx;
} EvCase;

static const EvCase cases[] = {
    { "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", NULL, HTTP_EV_REQUEST_FIELD_MISSING_COLON, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 200 OK\r\nBad\r\nContent-Length: 0\r\n\r\n",
      HTTP_EV_RESPONSE_FIELD_MISSING_COLON, 0 },
    { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", NULL, HTTP_EV_INVALID_REQUEST_CHUNK_LEN, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n",
      HTTP_EV_INVALID_RESPONSE_CHUNK_LEN, 0 },
    { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", NULL,
      HTTP_EV_INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: foo\r\nContent-Length: 0\r\n\r\n",
      HTTP_EV_INVALID_TRANSFER_ENCODING_VALUE_IN_RESPONSE, 0 },
    { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", NULL, HTTP_EV_INVALID_CONTENT_LENGTH_FIELD_IN_REQUEST, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
      HTTP_EV_INVALID_CONTENT_LENGTH_FIELD_IN_RESPONSE, 0 },
    { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx", NULL,
      HTTP_EV_DUPLICATE_CONTENT_LENGTH_FIELD_IN_REQUEST, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 3\r\n\r\nx",
      HTTP_EV_DUPLICATE_CONTENT_LENGTH_FIELD_IN_RESPONSE, 0 },
    { "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
      HTTP_EV_100_CONTINUE_ALREADY_SEEN, 0 },
    { NULL, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", HTTP_EV_UNABLE_TO_MATCH_RESPONSE_TO_REQUEST, 0 },
    { "GET http://a:99999/ HTTP/1.1\r\nHost: a\r\n\r\n", NULL, HTTP_EV_INVALID_SERVER_PORT_IN_REQUEST, 0 },
    { "GET / HTTP/1.1\r\nHost: a:xx\r\n\r\n", NULL, HTTP_EV_INVALID_AUTHORITY_PORT, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\nBad Name: 1\r\n\r\n", NULL, HTTP_EV_REQUEST_HEADER_INVALID, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 200 OK\r\nX y: 1\r\nContent-Length: 0\r\n\r\n",
      HTTP_EV_RESPONSE_HEADER_INVALID, 0 },
    { "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", NULL, HTTP_EV_MISSING_HOST_HEADER, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", NULL, HTTP_EV_HOST_HEADER_AMBIGUOUS, 0 },
    { "GET / HTTP/1.1\r\n folded-first: x\r\nHost: a\r\n\r\n", NULL, HTTP_EV_INVALID_REQUEST_FIELD_FOLDING, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 200 OK\r\n x: y\r\nContent-Length: 0\r\n\r\n",
      HTTP_EV_INVALID_RESPONSE_FIELD_FOLDING, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
      HTTP_EV_RESPONSE_HEADER_REPETITION, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nA: 2\r\n\r\n", NULL, HTTP_EV_REQUEST_HEADER_REPETITION, 0 },
    { "GET /%2541 HTTP/1.1\r\nHost: a\r\n\r\n", NULL, HTTP_EV_DOUBLE_ENCODED_URI, 0 },
    { "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", NULL, HTTP_EV_URI_DELIM_NON_COMPLIANT, 0 },
    { "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", NULL, HTTP_EV_METHOD_DELIM_NON_COMPLIANT, 0 },
    { "  GET / HTTP/1.1\r\nHost: a\r\n\r\n", NULL, HTTP_EV_REQUEST_LINE_LEADING_WHITESPACE, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip,gzip,gzip\r\nContent-Length: 0\r\n\r\n",
      HTTP_EV_TOO_MANY_ENCODING_LAYERS, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 0\r\n\r\n",
      HTTP_EV_ABNORMAL_CE_HEADER, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, x\r\n\r\n0\r\n\r\n",
      HTTP_EV_RESPONSE_ABNORMAL_TRANSFER_ENCODING, 0 },
    { "GET / HTTP/1.0\r\nHost: a\r\n\r\n", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      HTTP_EV_RESPONSE_CHUNKED_OLD_PROTO, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.x 200 OK\r\nContent-Length: 0\r\n\r\n",
      HTTP_EV_RESPONSE_INVALID_PROTOCOL, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
      HTTP_EV_RESPONSE_INVALID_STATUS, 0 },
    { "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;a=b\r\nx\r\n0\r\n\r\n", NULL,
      HTTP_EV_REQUEST_CHUNK_EXTENSION, 0 },
    { "GET /\r\n", NULL, HTTP_EV_REQUEST_LINE_MISSING_PROTOCOL, 0 },
    { "GET / HTTP/1.1\r\nHost: _bad host\r\n\r\n", NULL, HTTP_EV_REQUEST_HEADER_HOST_INVALID, 0 },
    { "GET http://a..b/ HTTP/1.1\r\nHost: a..b\r\n\r\n", NULL, HTTP_EV_REQUEST_URI_HOST_INVALID, 0 },
    { "GET / HTTPX\r\nHost: a\r\n\r\n", NULL, HTTP_EV_REQUEST_LINE_INVALID, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Turbo xyz\r\n\r\n", NULL, HTTP_EV_REQUEST_AUTH_UNRECOGNIZED, 0 },
};

static void run_case(const EvCase *c, unsigned chunk)
{
    HttpConfig cfg;
    http_config_default(&cfg);
    HttpState *s = http_state_new(&cfg);
    if (c->req)
        feeds(s, true, c->req, chunk);
    if (c->res)
        feeds(s, false, c->res, chunk);
    HttpTx *tx = http_tx_get(s, c->tx);
    assert_non_null(tx);
    if (!http_tx_has_event(tx, c->ev))
        fail_msg("event %s missing for request '%s'", http_event_name(c->ev), c->req ? c->req : "");
    http_state_free(s);
}

static void test_events(void **st)
{
    (void)st;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run_case(&cases[i], 0);
        run_case(&cases[i], 1);
    }
}

static void test_field_too_long(void **st)
{
    (void)st;
    HttpConfig cfg;
    http_config_default(&cfg);
    cfg.field_limit = 64;
    HttpState *s = http_state_new(&cfg);
    char big[200];
    memset(big, 'b', sizeof(big));
    feeds(s, true, "GET / HTTP/1.1\r\nHost: a\r\nX: ", 0);
    feed(s, true, (const uint8_t *)big, sizeof(big), 7);
    feeds(s, true, "\r\n\r\n", 0);
    HttpTx *tx = http_tx_get(s, 0);
    assert_true(http_tx_has_event(tx, HTTP_EV_REQUEST_FIELD_TOO_LONG));
    assert_true(http_tx_done(tx, true));
    http_state_free(s);

    http_config_default(&cfg);
    cfg.headers_limit = 2;
    s = http_state_new(&cfg);
    feeds(s, true, "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", 0);
    assert_true(http_tx_has_event(http_tx_get(s, 0), HTTP_EV_REQUEST_TOO_MANY_HEADERS));
    http_state_free(s);
}

static void test_incomplete_line(void **st)
{
    (void)st;
    HttpState *s = http_state_new(NULL);
    feeds(s, true, "GET /x HTTP/1.1", 0);
    assert_int_equal(http_tx_count(s), 0);
    http_end(s, true);
    assert_int_equal(http_tx_count(s), 1);
    assert_true(http_tx_has_event(http_tx_get(s, 0), HTTP_EV_REQUEST_LINE_INCOMPLETE));
    http_state_free(s);
}

static void test_auth_known_schemes(void **st)
{
    (void)st;
    static const char *const reqs[] = {
        "GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Basic dTpw\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nAuthorization:  digest username=\"u\"\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nAuthorization: BEARER t\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
        HttpState *s = http_state_new(NULL);
        feeds(s, true, reqs[i], 0);
        assert_false(http_tx_has_event(http_tx_get(s, 0), HTTP_EV_REQUEST_AUTH_UNRECOGNIZED));
        http_state_free(s);
    }
}

/* libhtp-rs REQ_FINALIZE: a line following a body-less request in the same
 * data is its body unless it starts with a known method. */
static void test_request_body_unexpected(void **st)
{
    (void)st;
    HttpState *s = http_state_new(NULL);
    feeds(s, true, "POST /a HTTP/1.1\r\nHost: a\r\n\r\nlogin=foo\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    assert_int_equal(http_tx_count(s), 2);
    HttpTx *tx = http_tx_get(s, 0);
    assert_true(http_tx_has_event(tx, HTTP_EV_REQUEST_BODY_UNEXPECTED));
    const uint8_t *d;
    uint32_t l;
    assert_true(http_tx_buffer(tx, HTTP_BUF_BODY, true, &d, &l));
    assert_int_equal(l, 11);
    assert_memory_equal(d, "login=foo\r\n", 11);
    assert_true(http_tx_done(tx, true));
    assert_false(http_tx_has_event(http_tx_get(s, 1), HTTP_EV_REQUEST_BODY_UNEXPECTED));
    http_state_free(s);

    /* data arriving later is the next request's line, as in libhtp-rs */
    s = http_state_new(NULL);
    feeds(s, true, "POST /a HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    assert_true(http_tx_done(http_tx_get(s, 0), true));
    feeds(s, true, "GET /b HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    assert_int_equal(http_tx_count(s), 2);
    assert_false(http_tx_has_event(http_tx_get(s, 0), HTTP_EV_REQUEST_BODY_UNEXPECTED));
    http_state_free(s);
}

/* A stream closing inside a header block ends the block. */
static void test_close_in_headers(void **st)
{
    (void)st;
    HttpState *s = http_state_new(NULL);
    feeds(s, true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    feeds(s, false, "HTTP/1.0 200 OK\r\nServer:ng1nx\r\n", 0);
    HttpTx *tx = http_tx_get(s, 0);
    assert_false(http_tx_done(tx, false));
    http_end(s, false);
    const uint8_t *d;
    uint32_t l;
    assert_true(http_tx_buffer(tx, HTTP_BUF_HEADER, false, &d, &l));
    assert_non_null(memmem(d, l, "ng1nx", 5));
    assert_true(http_tx_done(tx, false));
    http_state_free(s);
}

/* libhtp-rs: a junk response line followed in the same data by a line
 * starting with 'H' is skipped; NULs before "HTTP" are skipped too. */
static void test_response_junk_line(void **st)
{
    (void)st;
    static const char *const res[] = {
        "SIP/2.0 200 ok\r\nHTTP/1.1 200 ok\r\nContent-Length: 2\r\n\r\nab",
        " foobar\r\nHTTP/1.1 200 ok\r\nContent-Length: 2\r\n\r\nab",
    };
    for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
        HttpState *s = http_state_new(NULL);
        feeds(s, true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0);
        feeds(s, false, res[i], 0);
        HttpTx *tx = http_tx_get(s, 0);
        assert_true(http_tx_done(tx, false));
        const uint8_t *d;
        uint32_t l;
        assert_true(http_tx_buffer(tx, HTTP_BUF_STAT_CODE, false, &d, &l));
        assert_int_equal(l, 3);
        assert_memory_equal(d, "200", 3);
        assert_true(http_tx_buffer(tx, HTTP_BUF_BODY, false, &d, &l));
        assert_int_equal(l, 2);
        http_state_free(s);
    }
    HttpState *s = http_state_new(NULL);
    feeds(s, true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    feed(s, false, (const uint8_t *)"\0HTTP/1.1 200 ok\r\nContent-Length: 2\r\n\r\nab", 41, 0);
    const uint8_t *d;
    uint32_t l;
    assert_true(http_tx_buffer(http_tx_get(s, 0), HTTP_BUF_BODY, false, &d, &l));
    assert_int_equal(l, 2);
    assert_memory_equal(d, "ab", 2);
    http_state_free(s);
}

/* libhtp-rs: a response header line starting with NUL continues the
 * previous header (http-evader 307). */
static void test_response_nul_folding(void **st)
{
    (void)st;
    static const uint8_t res[] = "HTTP/1.1 200 ok\r\nTransfer-Encoding:\n\0chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n";
    HttpState *s = http_state_new(NULL);
    feeds(s, true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    feed(s, false, res, sizeof(res) - 1, 0);
    HttpTx *tx = http_tx_get(s, 0);
    assert_true(http_tx_done(tx, false));
    const uint8_t *d;
    uint32_t l;
    assert_true(http_tx_buffer(tx, HTTP_BUF_BODY, false, &d, &l));
    assert_int_equal(l, 2);
    assert_memory_equal(d, "ab", 2);
    http_state_free(s);
}

/* A blank line after a bare-LF header line, followed by an empty line in
 * the same data, folds; the empty line ends the block (http-evader 423). */
static void test_response_blank_then_empty(void **st)
{
    (void)st;
    HttpState *s = http_state_new(NULL);
    feeds(s, true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    feeds(s, false, "HTTP/1.1 200 ok\r\nContent-Length: 2\n \n\nab", 0);
    HttpTx *tx = http_tx_get(s, 0);
    assert_true(http_tx_done(tx, false));
    const uint8_t *d;
    uint32_t l;
    assert_true(http_tx_buffer(tx, HTTP_BUF_BODY, false, &d, &l));
    assert_int_equal(l, 2);
    assert_memory_equal(d, "ab", 2);
    http_state_free(s);
}

static void test_event_names(void **st)
{
    (void)st;
    assert_string_equal(http_event_name(HTTP_EV_REQUEST_FIELD_MISSING_COLON), "request_field_missing_colon");
    assert_string_equal(http_event_name(HTTP_EV_100_CONTINUE_ALREADY_SEEN), "100_continue_already_seen");
    assert_string_equal(http_event_name(HTTP_EV_COMPRESSION_BOMB), "compression_bomb");
    assert_null(http_event_name(HTTP_EV_MAX));
    assert_null(http_event_name(-1));
    assert_int_equal(http_event_by_name("invalid_request_chunk_len"), HTTP_EV_INVALID_REQUEST_CHUNK_LEN);
    assert_int_equal(http_event_by_name("non_existing_event"), -1);
    for (int i = 0; i < HTTP_EV_MAX; i++)
        assert_int_equal(http_event_by_name(http_event_name(i)), i);
}

int run_event_tests(void);
int run_event_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_field_too_long),
        cmocka_unit_test(test_incomplete_line),
        cmocka_unit_test(test_auth_known_schemes),
        cmocka_unit_test(test_request_body_unexpected),
        cmocka_unit_test(test_close_in_headers),
        cmocka_unit_test(test_response_junk_line),
        cmocka_unit_test(test_response_nul_folding),
        cmocka_unit_test(test_response_blank_then_empty),
        cmocka_unit_test(test_event_names),
    };
    return cmocka_run_group_tests_name("app_http_events", tests, NULL, NULL);
}
