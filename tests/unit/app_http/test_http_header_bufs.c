/*
 * Unit tests of the HTTP header buffers http.accept_enc, http.accept_lang,
 * http.connection, http.location and http.response_header: the bytes each
 * holds as Suricata builds it (the header's value, duplicates joined by
 * ", "; for http.response_header one "Name: value" instance per response
 * header, without CRLF), then a rule using the buffer parsed for real and
 * run through the detection registry's getter and inspect_buffer on
 * transactions the HTTP parser built from wire bytes: one rule that
 * matches and one that does not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "detect/buffer-registry.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"
#include "http_test_util.h"

static const char *REQ = "GET /a HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip, deflate\r\n"
                         "Accept-Language: en-US,fr;q=0.5\r\nConnection: keep-alive\r\n"
                         "Accept-Encoding: br\r\n\r\n";
static const char *RES = "HTTP/1.1 302 Found\r\nLocation: http://evil.example/next\r\n"
                         "Connection: close\r\nServer: odl\r\nContent-Length: 0\r\n\r\n";

static HttpState *exchange(void)
{
    HttpConfig c;
    http_config_default(&c);
    HttpState *s = http_state_new(&c);
    assert_non_null(s);
    feeds(s, true, REQ, 1);
    feeds(s, false, RES, 1);
    assert_int_equal(http_tx_count(s), 1);
    assert_true(http_tx_done(http_tx_get(s, 0), false));
    return s;
}

static Signature *parse(const char *text)
{
    keywords_init();
    static Conf *c;
    if (!c)
        c = conf_new_empty();
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, c, "t.rules", 1);
    Signature *s = rule_parse(&rp, text);
    if (!s)
        fail_msg("%s: %s", text, rp.has_error ? rp.error : "");
    return s;
}

/* True when the rule's keywords on buffer `buf` match one instance of it
 * in transaction tx, direction ts, as the detection engine fetches it. */
static bool rule_matches(const char *rule, const char *buf, const HttpTx *tx, bool ts)
{
    Signature *s = parse(rule);
    int id = buffer_lookup(buf);
    assert_true(id >= 0);
    uint16_t list_id = buffer_list_id(id);
    const BufferDef *b = buffer_by_list(list_id);
    assert_non_null(b);
    assert_true(b->ready(tx, ts));
    const SigMatchList *list = sig_list(s, list_id);
    assert_non_null(list);
    bool matched = false;
    const uint8_t *d;
    uint32_t n;
    for (uint32_t i = 0; !matched && b->get(tx, ts, i, &d, &n); i++)
        matched = inspect_buffer(NULL, s, list, d, n, INSPECT_BUF_APP, NULL);
    signature_free(s);
    return matched;
}

static void test_accept_enc(void **st)
{
    (void)st;
    HttpState *s = exchange();
    HttpTx *tx = http_tx_get(s, 0);
    assert_true(buf_eq(tx, HTTP_BUF_ACCEPT_ENC, true, "gzip, deflate, br"));
    assert_true(rule_matches("alert http any any -> any any (http.accept_enc; content:\"deflate, br\"; sid:1;)",
                             "http.accept_enc", tx, true));
    assert_false(rule_matches("alert http any any -> any any (http.accept_enc; content:\"compress\"; sid:2;)",
                              "http.accept_enc", tx, true));
    /* the value only: no header name in the buffer */
    assert_false(rule_matches("alert http any any -> any any (http.accept_enc; content:\"Accept\"; sid:3;)",
                              "http.accept_enc", tx, true));
    http_state_free(s);
}

static void test_accept_lang(void **st)
{
    (void)st;
    HttpState *s = exchange();
    HttpTx *tx = http_tx_get(s, 0);
    assert_true(buf_eq(tx, HTTP_BUF_ACCEPT_LANG, true, "en-US,fr;q=0.5"));
    assert_true(rule_matches("alert http any any -> any any (http.accept_lang; content:\"en-US,fr\"; startswith; "
                             "sid:4;)",
                             "http.accept_lang", tx, true));
    assert_false(rule_matches("alert http any any -> any any (http.accept_lang; content:\"de\"; sid:5;)",
                              "http.accept_lang", tx, true));
    http_state_free(s);
}

static void test_connection(void **st)
{
    (void)st;
    HttpState *s = exchange();
    HttpTx *tx = http_tx_get(s, 0);
    /* the request's header to the server, the response's to the client */
    assert_true(buf_eq(tx, HTTP_BUF_CONNECTION, true, "keep-alive"));
    assert_true(buf_eq(tx, HTTP_BUF_CONNECTION, false, "close"));
    assert_true(rule_matches("alert http any any -> any any (http.connection; content:\"keep-alive\"; bsize:10; "
                             "sid:6;)",
                             "http.connection", tx, true));
    assert_false(rule_matches("alert http any any -> any any (http.connection; content:\"close\"; sid:7;)",
                              "http.connection", tx, true));
    assert_true(rule_matches("alert http any any -> any any (http.connection; content:\"close\"; sid:8;)",
                             "http.connection", tx, false));
    http_state_free(s);
}

static void test_location(void **st)
{
    (void)st;
    HttpState *s = exchange();
    HttpTx *tx = http_tx_get(s, 0);
    assert_true(buf_eq(tx, HTTP_BUF_LOCATION, false, "http://evil.example/next"));
    assert_true(rule_matches("alert http any any -> any any (http.location; content:\"evil.example\"; sid:9;)",
                             "http.location", tx, false));
    assert_false(rule_matches("alert http any any -> any any (http.location; content:\"good.example\"; sid:10;)",
                              "http.location", tx, false));
    http_state_free(s);

    /* no Location header: the buffer is absent */
    HttpConfig c;
    http_config_default(&c);
    s = http_state_new(&c);
    feeds(s, true, "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 0);
    feeds(s, false, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0);
    assert_true(buf_eq(http_tx_get(s, 0), HTTP_BUF_LOCATION, false, NULL));
    http_state_free(s);
}

static void test_response_header(void **st)
{
    (void)st;
    HttpState *s = exchange();
    HttpTx *tx = http_tx_get(s, 0);
    static const char *const want[] = { "Location: http://evil.example/next", "Connection: close", "Server: odl",
                                        "Content-Length: 0" };
    const uint8_t *d;
    uint32_t n;
    for (uint32_t i = 0; i < 4; i++) {
        assert_true(http_tx_header_at(tx, false, i, &d, &n));
        assert_int_equal(n, strlen(want[i]));
        assert_memory_equal(d, want[i], n);
    }
    assert_false(http_tx_header_at(tx, false, 4, &d, &n));
    /* one instance per header: a match inside one header, anchored */
    assert_true(rule_matches("alert http any any -> any any (http.response_header; content:\"Server: odl\"; "
                             "startswith; endswith; sid:11;)",
                             "http.response_header", tx, false));
    /* nothing spans two headers (there is no CRLF in an instance) */
    assert_false(rule_matches("alert http any any -> any any (http.response_header; content:\"close|0d 0a|Server\"; "
                              "sid:12;)",
                              "http.response_header", tx, false));
    assert_false(rule_matches("alert http any any -> any any (http.response_header; content:\"Set-Cookie\"; "
                              "sid:13;)",
                              "http.response_header", tx, false));
    http_state_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_enc),      cmocka_unit_test(test_accept_lang),
        cmocka_unit_test(test_connection),      cmocka_unit_test(test_location),
        cmocka_unit_test(test_response_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
