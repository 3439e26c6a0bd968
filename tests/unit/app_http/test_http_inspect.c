/*
 * Unit tests of the body inspection windows (app/http/http-inspect.c):
 * the offset arithmetic of Suricata's request-body and file trackers, when
 * a growing body becomes inspectable (minimal inspect size, completion,
 * limit, flow end, http-body-inline), and which bytes each detection run
 * gets once the previous run was recorded (http_tx_inspected).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http_test_util.h"

static void test_window_arithmetic(void **st)
{
    (void)st;
    /* request body: from 0 while at most min_size was inspected */
    assert_int_equal(http_body_window_start(0, 40000, 32768, 4096), 0);
    assert_int_equal(http_body_window_start(32768, 40000, 32768, 4096), 0);
    /* then 1000 new bytes get 3096 before them (a 4096-byte window) */
    assert_int_equal(http_body_window_start(40000, 41000, 32768, 4096), 36904);
    /* new bytes filling a window get a quarter window before them */
    assert_int_equal(http_body_window_start(40000, 50000, 32768, 4096), 40000 - 1024);
    assert_int_equal(http_body_window_start(40000, 44096, 32768, 4096), 40000 - 1024);
    /* files: windowed from the first inspection on, never below 0 */
    assert_int_equal(http_file_window_start(0, 100, 4096), 0);
    assert_int_equal(http_file_window_start(100, 150, 4096), 0);
    assert_int_equal(http_file_window_start(40960, 45000, 16384), 40960 - (16384 - 4040));
    assert_int_equal(http_file_window_start(40960, 60960, 16384), 40960 - 4096);
}

static HttpConfig small_config(void)
{
    HttpConfig c;
    http_config_default(&c);
    c.request_inspect_min_size = 8;
    c.request_inspect_window = 4;
    c.response_inspect_min_size = 16;
    c.response_inspect_window = 8;
    return c;
}

static void assert_window(HttpWindowResult r, const HttpWindow *w, uint32_t base, const char *bytes)
{
    assert_int_equal(r, HTTP_WINDOW_DATA);
    assert_int_equal(w->base, base);
    assert_int_equal(w->len, strlen(bytes));
    assert_memory_equal(w->data, bytes, w->len);
}

/* http.request_body: nothing below the minimal size, then each run gets
 * the new bytes plus the overlap, and nothing when nothing is new. */
static void test_request_body_runs(void **st)
{
    (void)st;
    HttpConfig c = small_config();
    HttpState *s = http_state_new(&c);
    HttpWindow w;
    feeds(s, true, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 40\r\n\r\nABCDE", 0);
    HttpTx *tx = http_tx_get(s, 0);
    assert_int_equal(http_tx_body_window(tx, true, false, &w), HTTP_WINDOW_WAIT); /* 5 < 8 */
    assert_window(http_tx_body_window(tx, true, true, &w), &w, 0, "ABCDE"); /* flow end: whatever is kept */
    feeds(s, true, "FGH", 0);
    assert_window(http_tx_body_window(tx, true, false, &w), &w, 0, "ABCDEFGH");
    http_tx_inspected(tx, true, false);
    assert_int_equal(http_tx_body_window(tx, true, false, &w), HTTP_WINDOW_WAIT); /* no new data */
    http_tx_inspected(tx, false, false); /* a response run leaves the request body alone */
    feeds(s, true, "IJKL", 0);
    /* 8 inspected is not more than the minimal size: from 0 again */
    assert_window(http_tx_body_window(tx, true, false, &w), &w, 0, "ABCDEFGHIJKL");
    http_tx_inspected(tx, true, false);
    feeds(s, true, "MN", 0);
    assert_window(http_tx_body_window(tx, true, false, &w), &w, 10, "KLMN"); /* 2 new + 2 before */
    http_tx_inspected(tx, true, false);
    feeds(s, true, "OPQRSTUVWX", 0);
    assert_window(http_tx_body_window(tx, true, false, &w), &w, 13, "NOPQRSTUVWX"); /* 10 new + 4/4 */
    http_tx_inspected(tx, true, false);
    feeds(s, true, "0123456789abcdef", 0); /* complete (40 bytes) */
    assert_window(http_tx_body_window(tx, true, false, &w), &w, 23, "X0123456789abcdef");
    http_tx_inspected(tx, true, false);
    assert_int_equal(http_tx_body_window(tx, true, true, &w), HTTP_WINDOW_WAIT);
    http_state_free(s);

    /* a body that completes below the minimal size, one at its limit */
    c.request_body_limit = 6;
    s = http_state_new(&c);
    feeds(s, true, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", 0);
    feeds(s, true, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\n12345", 0);
    assert_window(http_tx_body_window(http_tx_get(s, 0), true, false, &w), &w, 0, "abc");
    tx = http_tx_get(s, 1);
    assert_int_equal(http_tx_body_window(tx, true, false, &w), HTTP_WINDOW_WAIT);
    feeds(s, true, "6", 0);
    assert_window(http_tx_body_window(tx, true, false, &w), &w, 0, "123456");
    http_state_free(s);

    /* http-body-inline: no wait for the minimal size */
    c = small_config();
    c.body_inline = true;
    s = http_state_new(&c);
    feeds(s, true, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 40\r\n\r\nAB", 0);
    tx = http_tx_get(s, 0);
    assert_window(http_tx_body_window(tx, true, false, &w), &w, 0, "AB");
    http_tx_inspected(tx, true, false);
    feeds(s, true, "C", 0);
    assert_window(http_tx_body_window(tx, true, false, &w), &w, 0, "ABC");
    http_state_free(s);
}

/* file.data and http.response_body: the response's file, windowed from its
 * first inspection on with the response sizes. */
static void test_response_file_runs(void **st)
{
    (void)st;
    HttpConfig c = small_config();
    HttpState *s = http_state_new(&c);
    HttpWindow w;
    feeds(s, true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    feeds(s, false, "HTTP/1.1 200 OK\r\nContent-Length: 60\r\n\r\n0123456789", 0);
    HttpTx *tx = http_tx_get(s, 0);
    assert_int_equal(http_tx_file_window(tx, false, 0, false, &w), HTTP_WINDOW_WAIT); /* 10 < 16 */
    assert_int_equal(http_tx_body_window(tx, false, false, &w), HTTP_WINDOW_WAIT);
    assert_int_equal(http_tx_file_window(tx, false, 1, false, &w), HTTP_WINDOW_NONE);
    feeds(s, false, "abcdef", 0);
    assert_window(http_tx_file_window(tx, false, 0, false, &w), &w, 0, "0123456789abcdef");
    assert_window(http_tx_body_window(tx, false, false, &w), &w, 0, "0123456789abcdef");
    http_tx_inspected(tx, false, false);
    assert_int_equal(http_tx_file_window(tx, false, 0, false, &w), HTTP_WINDOW_WAIT);
    feeds(s, false, "ghij", 0);
    assert_window(http_tx_file_window(tx, false, 0, false, &w), &w, 12, "cdefghij"); /* 4 new + 4 */
    http_tx_inspected(tx, false, false);
    feeds(s, false, "KLMNOPQRSTUVWXYZ", 0);
    assert_window(http_tx_file_window(tx, false, 0, false, &w), &w, 18, "ijKLMNOPQRSTUVWXYZ"); /* 16 + 8/4 */
    http_state_free(s);

    /* a small complete response is inspected whole at once; inline, a
     * file below the minimal size is inspected whole again each run */
    c.body_inline = true;
    s = http_state_new(&c);
    feeds(s, true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    feeds(s, false, "HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\nab", 0);
    tx = http_tx_get(s, 0);
    assert_window(http_tx_file_window(tx, false, 0, false, &w), &w, 0, "ab");
    http_tx_inspected(tx, false, false);
    feeds(s, false, "cd", 0);
    assert_window(http_tx_file_window(tx, false, 0, false, &w), &w, 0, "abcd");
    http_state_free(s);
}

/* Request files: a POST body's file uses the request sizes; multipart
 * parts are tracked one by one. */
static void test_request_file_runs(void **st)
{
    (void)st;
    HttpConfig c = small_config();
    HttpState *s = http_state_new(&c);
    HttpWindow w;
    feeds(s, true, "POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 20\r\n\r\n0123456", 0);
    HttpTx *tx = http_tx_get(s, 0);
    assert_int_equal(http_tx_file_window(tx, true, 0, false, &w), HTTP_WINDOW_WAIT);
    feeds(s, true, "7", 0);
    assert_window(http_tx_file_window(tx, true, 0, false, &w), &w, 0, "01234567");
    http_tx_inspected(tx, true, false);
    feeds(s, true, "89", 0);
    assert_window(http_tx_file_window(tx, true, 0, false, &w), &w, 6, "6789"); /* 2 new + 2 */
    http_state_free(s);

    s = http_state_new(&c);
    feeds(s, true,
          "POST /u HTTP/1.1\r\nHost: a\r\nContent-Type: multipart/form-data; boundary=XX\r\n"
          "Content-Length: 200\r\n\r\n--XX\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a.txt\"\r\n\r\n"
          "first-part-data\r\n--XX\r\nContent-Disposition: form-data; name=\"b\"; filename=\"b.txt\"\r\n\r\n"
          "second",
          0);
    tx = http_tx_get(s, 0);
    /* the first part is closed: inspected whatever its size */
    assert_window(http_tx_file_window(tx, true, 0, false, &w), &w, 0, "first-part-data");
    /* the open second part waits for the minimal size */
    assert_int_equal(http_tx_file_window(tx, true, 1, false, &w), HTTP_WINDOW_WAIT);
    http_tx_inspected(tx, true, false);
    assert_int_equal(http_tx_file_window(tx, true, 0, false, &w), HTTP_WINDOW_WAIT);
    assert_int_equal(http_tx_file_window(tx, true, 2, false, &w), HTTP_WINDOW_NONE);
    http_state_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_arithmetic),
        cmocka_unit_test(test_request_body_runs),
        cmocka_unit_test(test_response_file_runs),
        cmocka_unit_test(test_request_file_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
