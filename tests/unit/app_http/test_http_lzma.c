/*
 * Content-Encoding: lzma (the .lzma "LZMA_Alone" format) with lzma-enabled,
 * including a header announcing a dictionary far above lzma-memlimit (as
 * the http-evader captures send), ignored when lzma is off; and the
 * deformed response line end "\n\r\r\n" that libhtp-rs reads as one line
 * end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <lzma.h>

#include "http_test_util.h"

static HttpState *lzma_state(bool enabled)
{
    HttpConfig c;
    http_config_default(&c);
    c.lzma_enabled = enabled;
    HttpState *s = http_state_new(&c);
    assert_non_null(s);
    return s;
}

/* body in .lzma form; the header's dictionary size set to `dict` */
static size_t lzma_alone(const char *body, uint8_t *out, size_t cap, uint32_t dict)
{
    lzma_options_lzma opt;
    assert_false(lzma_lzma_preset(&opt, 1));
    lzma_stream z = LZMA_STREAM_INIT;
    assert_int_equal(lzma_alone_encoder(&z, &opt), LZMA_OK);
    z.next_in = (const uint8_t *)body;
    z.avail_in = strlen(body);
    z.next_out = out;
    z.avail_out = cap;
    assert_int_equal(lzma_code(&z, LZMA_FINISH), LZMA_STREAM_END);
    size_t n = cap - z.avail_out;
    lzma_end(&z);
    for (int k = 0; k < 4; k++)
        out[1 + k] = (uint8_t)(dict >> (8 * k));
    return n;
}

static void test_lzma_body(void **st)
{
    (void)st;
    const char *body = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    const uint32_t dicts[] = { 1u << 16, 8u << 20, 0xffffffffu };
    for (unsigned d = 0; d < 3; d++) {
        for (unsigned chunk = 0; chunk < 4; chunk++) {
            uint8_t z[512];
            size_t zl = lzma_alone(body, z, sizeof(z), dicts[d]);
            char hdr[128];
            snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\nContent-Encoding: lzma\r\nContent-Length: %zu\r\n\r\n", zl);
            HttpState *s = lzma_state(true);
            feeds(s, true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", chunk);
            feeds(s, false, hdr, chunk);
            feed(s, false, z, zl, chunk);
            HttpTx *tx = http_tx_get(s, 0);
            assert_true(http_tx_done(tx, false));
            assert_true(buf_eq(tx, HTTP_BUF_BODY, false, body));
            assert_false(http_tx_has_event(tx, HTTP_EV_GZIP_DECOMPRESSION_FAILED));
            http_state_free(s);
        }
    }
    /* off by default: the body is kept as sent */
    uint8_t z[512];
    size_t zl = lzma_alone(body, z, sizeof(z), 1u << 16);
    char hdr[128];
    snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\nContent-Encoding: lzma\r\nContent-Length: %zu\r\n\r\n", zl);
    HttpState *s = lzma_state(false);
    feeds(s, true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    feeds(s, false, hdr, 0);
    feed(s, false, z, zl, 0);
    const uint8_t *p = NULL;
    uint32_t n = 0;
    assert_true(http_tx_buffer(http_tx_get(s, 0), HTTP_BUF_BODY, false, &p, &n));
    assert_int_equal(n, zl);
    assert_memory_equal(p, z, zl);
    http_state_free(s);
}

static void test_deformed_eol(void **st)
{
    (void)st;
    HttpState *s = lzma_state(false);
    feeds(s, true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    feeds(s, false, "HTTP/1.1 200 ok\r\nX: y\r\nContent-length: 5\n\r\r\n\r\nhello", 0);
    HttpTx *tx = http_tx_get(s, 0);
    assert_true(http_tx_done(tx, false));
    assert_true(buf_eq(tx, HTTP_BUF_BODY, false, "hello"));
    assert_int_equal(http_tx_count(s), 1);
    http_state_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lzma_body),
        cmocka_unit_test(test_deformed_eol),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
