/*
 * Unit tests of the HTTP/2 parser's framing and transactions
 * (src/app/http2/http2-state.c, http2-frame.c, http2-log.c): a session with
 * the preface, SETTINGS both ways (each a stream 0 transaction of its own,
 * the ACK none), a GET on stream 1 with its response and DATA, fed whole
 * and one byte at a time; stream state and completion; GOAWAY and
 * PRIORITY in the http2 object; a wrong preface; a frame longer than the
 * parser keeps (long_frame_data, the rest skipped, the next frame read);
 * wrong fixed lengths; the rule buffers (http2-buffers.c) and when they
 * are ready; an HTTP/1 request upgraded (h2c) carried on as stream 1; DATA
 * as files through gzip/deflate; max-streams; the server-side detection
 * probe; release.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/http2/http2-internal.h"

typedef struct Bytes {
    uint8_t b[200000];
    size_t n;
} Bytes;

static void put(Bytes *o, const void *d, size_t n)
{
    memcpy(o->b + o->n, d, n);
    o->n += n;
}

static void frame(Bytes *o, uint8_t type, uint8_t flags, uint32_t stream, const void *payload, uint32_t len)
{
    uint8_t h[9] = { (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len, type, flags,
                     (uint8_t)(stream >> 24), (uint8_t)(stream >> 16), (uint8_t)(stream >> 8), (uint8_t)stream };
    put(o, h, 9);
    if (len)
        put(o, payload, len);
}

/* SETTINGS parameters, 6 bytes each */
static const uint8_t CLIENT_SETTINGS[] = { 0, 3, 0, 0, 0, 100, 0, 4, 0, 0, 0xff, 0xff };
static const uint8_t SERVER_SETTINGS[] = { 0, 3, 0, 0, 0, 100 };
/* RFC 7541 C.3.1: :method GET, :scheme http, :path /, :authority www.example.com */
static const uint8_t REQUEST_BLOCK[] = { 0x82, 0x86, 0x84, 0x41, 0x0f, 'w', 'w', 'w', '.', 'e', 'x', 'a',
                                          'm', 'p', 'l', 'e', '.', 'c', 'o', 'm' };
/* :status 200, content-length: 5 (literal, indexed name 28) */
static const uint8_t RESPONSE_BLOCK[] = { 0x88, 0x0f, 0x0d, 0x01, '5' };

static void client_bytes(Bytes *o)
{
    o->n = 0;
    put(o, HTTP2_PREFACE, HTTP2_PREFACE_LEN);
    frame(o, HTTP2_FRAME_SETTINGS, 0, 0, CLIENT_SETTINGS, sizeof(CLIENT_SETTINGS));
    frame(o, HTTP2_FRAME_HEADERS, HTTP2_FLAG_END_HEADERS | HTTP2_FLAG_END_STREAM, 1, REQUEST_BLOCK,
          sizeof(REQUEST_BLOCK));
    frame(o, HTTP2_FRAME_SETTINGS, 0x1, 0, NULL, 0); /* ACK of the server's */
}

static void server_bytes(Bytes *o)
{
    o->n = 0;
    frame(o, HTTP2_FRAME_SETTINGS, 0, 0, SERVER_SETTINGS, sizeof(SERVER_SETTINGS));
    frame(o, HTTP2_FRAME_SETTINGS, 0x1, 0, NULL, 0);
    frame(o, HTTP2_FRAME_HEADERS, HTTP2_FLAG_END_HEADERS, 1, RESPONSE_BLOCK, sizeof(RESPONSE_BLOCK));
    frame(o, HTTP2_FRAME_DATA, HTTP2_FLAG_END_STREAM, 1, "hello", 5);
}

static void feed(Http2State *s, bool ts, const Bytes *o, size_t chunk)
{
    for (size_t off = 0; off < o->n; off += chunk) {
        size_t c = o->n - off < chunk ? o->n - off : chunk;
        assert_true(http2_parse(s, ts, o->b + off, (uint32_t)c));
    }
}

static char *log_of(Http2Tx *tx)
{
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    http2_log_tx(&j, tx);
    jb_close_object(&j);
    char *out = strndup(j.buf, j.len);
    jb_free(&j);
    return out;
}

static void assert_log_has(Http2Tx *tx, const char *want)
{
    char *got = log_of(tx);
    if (!strstr(got, want))
        fail_msg("%s\nnot in\n%s", want, got);
    free(got);
}

static void session(size_t chunk)
{
    static Bytes c, srv;
    client_bytes(&c);
    server_bytes(&srv);
    Http2State *s = http2_state_new();
    assert_non_null(s);
    feed(s, true, &c, chunk);
    feed(s, false, &srv, chunk);
    /* client SETTINGS, stream 1, server SETTINGS; no ACK transactions */
    assert_int_equal(http2_tx_count(s), 3);
    Http2Tx *set_c = http2_tx_get(s, 0), *get = http2_tx_get(s, 1), *set_s = http2_tx_get(s, 2);
    assert_true(http2_tx_done(set_c));
    assert_true(http2_tx_done(set_s));
    assert_int_equal(http2_tx_stream_id(set_c), 0);
    assert_log_has(set_c, "\"http2\":{\"stream_id\":0,\"request\":{\"settings\":[{\"settings_id\":"
                          "\"SETTINGSMAXCONCURRENTSTREAMS\",\"settings_value\":100},{\"settings_id\":"
                          "\"SETTINGSINITIALWINDOWSIZE\",\"settings_value\":65535}]},\"response\":{}}");
    assert_log_has(set_s, "\"response\":{\"settings\":[{\"settings_id\":\"SETTINGSMAXCONCURRENTSTREAMS\"");
    assert_int_equal(http2_tx_stream_id(get), 1);
    assert_true(http2_tx_done(get));
    assert_log_has(get, "\"version\":\"2\",\"request_headers\":[{\"name\":\":method\",\"value\":\"GET\"},"
                        "{\"name\":\":scheme\",\"value\":\"http\"},{\"name\":\":path\",\"value\":\"/\"},"
                        "{\"name\":\":authority\",\"value\":\"www.example.com\"}]");
    assert_log_has(get, "\"response_headers\":[{\"name\":\":status\",\"value\":\"200\"},"
                        "{\"name\":\"content-length\",\"value\":\"5\"}]");
    assert_log_has(get, "\"url\":\"/\",\"http_method\":\"GET\",\"status\":200,\"length\":5");
    assert_int_equal(http2_tx_event_count(get), 0);
    http2_tx_release(s, 2);
    assert_null(http2_tx_get(s, 1));
    assert_non_null(http2_tx_get(s, 2));
    http2_state_free(s);
}

static void test_session_whole(void **state)
{
    (void)state;
    session(1u << 20);
}

static void test_session_bytewise(void **state)
{
    (void)state;
    session(1);
}

static void test_stream_states(void **state)
{
    (void)state;
    static Bytes o;
    Http2State *s = http2_state_new();
    o.n = 0;
    put(&o, HTTP2_PREFACE, HTTP2_PREFACE_LEN);
    frame(&o, HTTP2_FRAME_HEADERS, HTTP2_FLAG_END_HEADERS, 3, REQUEST_BLOCK, sizeof(REQUEST_BLOCK));
    feed(s, true, &o, 7);
    Http2Tx *tx = http2_tx_get(s, 0);
    assert_int_equal(tx->state, HTTP2_TX_OPEN);
    o.n = 0;
    frame(&o, HTTP2_FRAME_DATA, 0, 3, "ab", 2);
    feed(s, true, &o, 64);
    assert_int_equal(tx->state, HTTP2_TX_DATA_CLIENT);
    o.n = 0;
    frame(&o, HTTP2_FRAME_DATA, HTTP2_FLAG_END_STREAM, 3, "c", 1);
    feed(s, true, &o, 64);
    assert_int_equal(tx->state, HTTP2_TX_HALF_CLOSED_CLIENT);
    assert_false(http2_tx_done(tx));
    o.n = 0;
    static const uint8_t prio[5] = { 0, 0, 0, 0, 41 };
    frame(&o, HTTP2_FRAME_PRIORITY, 0, 3, prio, 5);
    frame(&o, HTTP2_FRAME_PRIORITY, 0, 3, prio, 5);
    frame(&o, HTTP2_FRAME_HEADERS, HTTP2_FLAG_END_HEADERS | HTTP2_FLAG_END_STREAM, 3, RESPONSE_BLOCK,
          sizeof(RESPONSE_BLOCK));
    static const uint8_t goaway[8] = { 0, 0, 0, 3, 0, 0, 0, 2 };
    frame(&o, HTTP2_FRAME_GOAWAY, 0, 0, goaway, 8);
    feed(s, false, &o, 64);
    assert_true(http2_tx_done(tx));
    assert_log_has(tx, "\"response\":{\"priority\":41,\"has_multiple\":\"priority\"}");
    assert_int_equal(http2_tx_count(s), 2);
    assert_log_has(http2_tx_get(s, 1), "\"response\":{\"error_code\":\"INTERNALERROR\"}");
    /* another HEADERS on the closed stream */
    o.n = 0;
    frame(&o, HTTP2_FRAME_HEADERS, HTTP2_FLAG_END_HEADERS, 3, REQUEST_BLOCK, sizeof(REQUEST_BLOCK));
    feed(s, true, &o, 64);
    assert_int_equal(http2_tx_event_count(http2_tx_get(s, 1)), 1);
    assert_string_equal(http2_event_name(http2_tx_event_get(http2_tx_get(s, 1), 0)), "stream_id_reuse");
    http2_state_free(s);
}

static void test_bad_preface_and_lengths(void **state)
{
    (void)state;
    static Bytes o;
    Http2State *s = http2_state_new();
    o.n = 0;
    frame(&o, HTTP2_FRAME_SETTINGS, 0, 0, SERVER_SETTINGS, sizeof(SERVER_SETTINGS));
    feed(s, false, &o, 64); /* a transaction for the event to land on */
    o.n = 0;
    put(&o, "GET / HTTP/1.1\r\nHost: abcdefgh\r\n", 32); /* 24+ bytes, not the preface */
    feed(s, true, &o, 64);
    Http2Tx *tx = http2_tx_get(s, 0);
    assert_int_equal(http2_tx_event_count(tx), 1);
    assert_string_equal(http2_event_name(http2_tx_event_get(tx, 0)), "invalid_client_magic");
    http2_state_free(s);

    s = http2_state_new();
    o.n = 0;
    frame(&o, HTTP2_FRAME_SETTINGS, 0, 0, SERVER_SETTINGS, sizeof(SERVER_SETTINGS));
    frame(&o, HTTP2_FRAME_WINDOW_UPDATE, 0, 0, "abc", 3);
    frame(&o, HTTP2_FRAME_RST_STREAM, 0, 5, "abcde", 5);
    feed(s, false, &o, 64);
    /* each event goes to the newest transaction when the frame is read */
    assert_string_equal(http2_event_name(http2_tx_event_get(http2_tx_get(s, 0), 0)), "invalid_frame_length");
    assert_string_equal(http2_event_name(http2_tx_event_get(http2_tx_get(s, 1), 0)), "invalid_frame_length");
    http2_state_free(s);
}

static void test_long_frame(void **state)
{
    (void)state;
    static Bytes o;
    static uint8_t big[70000];
    memset(big, 'x', sizeof(big));
    Http2State *s = http2_state_new();
    o.n = 0;
    put(&o, HTTP2_PREFACE, HTTP2_PREFACE_LEN);
    frame(&o, HTTP2_FRAME_HEADERS, HTTP2_FLAG_END_HEADERS, 1, REQUEST_BLOCK, sizeof(REQUEST_BLOCK));
    frame(&o, HTTP2_FRAME_DATA, 0, 1, big, sizeof(big));
    frame(&o, HTTP2_FRAME_DATA, HTTP2_FLAG_END_STREAM, 1, "z", 1);
    feed(s, true, &o, 1000);
    Http2Tx *tx = http2_tx_get(s, 0);
    assert_int_equal(http2_tx_count(s), 1);
    assert_string_equal(http2_event_name(http2_tx_event_get(tx, 0)), "long_frame_data");
    assert_int_equal(tx->state, HTTP2_TX_HALF_CLOSED_CLIENT); /* the frame after it was read */
    http2_state_free(s);
}

static void assert_buffer(Http2Tx *tx, Http2Buf which, bool ts, const char *want)
{
    const uint8_t *d = NULL;
    uint32_t n = 0;
    assert_true(http2_tx_buffer(tx, which, ts, &d, &n));
    if (n != strlen(want) || memcmp(d, want, n) != 0)
        fail_msg("buffer %d: got '%.*s', want '%s'", (int)which, (int)n, (const char *)d, want);
}

static void test_rule_buffers(void **state)
{
    (void)state;
    static Bytes o;
    /* :method GET, :path /a:b, :authority Www.Example.com:8080 (literal
     * incremental, indexed name 1), cookie: x=1 (indexed name 32),
     * user-agent: ua (indexed name 58), cookie: y=2 */
    static const uint8_t block[] = { 0x82, 0x44, 0x04, '/', 'a', ':', 'b', 0x41, 20, 'W', 'w', 'w', '.', 'E',
                                     'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm', ':', '8', '0', '8',
                                     '0', 0x60, 3, 'x', '=', '1', 0x7a, 2, 'u', 'a', 0x60, 3, 'y', '=', '2' };
    Http2State *s = http2_state_new();
    o.n = 0;
    put(&o, HTTP2_PREFACE, HTTP2_PREFACE_LEN);
    frame(&o, HTTP2_FRAME_HEADERS, HTTP2_FLAG_END_HEADERS, 1, block, sizeof(block));
    feed(s, true, &o, 64);
    Http2Tx *tx = http2_tx_get(s, 0);
    /* a request without END_STREAM and no DATA yet is not ready */
    assert_false(http2_tx_ready(tx, true));
    o.n = 0;
    frame(&o, HTTP2_FRAME_DATA, HTTP2_FLAG_END_STREAM, 1, "q", 1);
    feed(s, true, &o, 64);
    assert_true(http2_tx_ready(tx, true));
    assert_false(http2_tx_ready(tx, false));
    assert_buffer(tx, HTTP2_BUF_URI, true, "/a:b");
    assert_int_equal(http2_tx_path_len(tx), 4);
    assert_buffer(tx, HTTP2_BUF_METHOD, true, "GET");
    assert_buffer(tx, HTTP2_BUF_HOST_RAW, true, "Www.Example.com:8080");
    assert_buffer(tx, HTTP2_BUF_HOST, true, "www.example.com");
    assert_buffer(tx, HTTP2_BUF_USER_AGENT, true, "ua");
    assert_buffer(tx, HTTP2_BUF_COOKIE, true, "x=1, y=2");
    assert_buffer(tx, HTTP2_BUF_HEADER_NAMES, true,
                  "\r\n:method\r\n:path\r\n:authority\r\ncookie\r\nuser-agent\r\ncookie\r\n\r\n");
    assert_buffer(tx, HTTP2_BUF_HEADER, true,
                  ":method: GET\r\n:path: /a:b\r\n:authority: Www.Example.com:8080\r\nuser-agent: ua\r\n");
    const uint8_t *d;
    uint32_t n;
    assert_true(http2_tx_header_at(tx, true, 1, &d, &n));
    assert_memory_equal(d, "::path: /a::b", n);
    assert_int_equal(n, 13);
    assert_false(http2_tx_header_at(tx, true, 6, &d, &n));
    assert_false(http2_tx_buffer(tx, HTTP2_BUF_STAT_CODE, false, &d, &n));
    o.n = 0;
    frame(&o, HTTP2_FRAME_HEADERS, HTTP2_FLAG_END_HEADERS | HTTP2_FLAG_END_STREAM, 1, RESPONSE_BLOCK,
          sizeof(RESPONSE_BLOCK));
    feed(s, false, &o, 64);
    assert_true(http2_tx_ready(tx, false));
    assert_buffer(tx, HTTP2_BUF_STAT_CODE, false, "200");
    assert_buffer(tx, HTTP2_BUF_HEADER_NAMES, false, "\r\n:status\r\ncontent-length\r\n\r\n");
    http2_state_free(s);
}

/* An HTTP/1 request upgraded by a 101 (h2c): stream 1 carries it on, the
 * HTTP2-Settings header becomes a stream 0 transaction of the client. */
static void test_mimic_http1(void **state)
{
    (void)state;
    Http2State *s = http2_state_new();
    http2_state_mimic_request(s, (const uint8_t *)"GET", 3, (const uint8_t *)"/robots.txt", 11, true);
    http2_state_mimic_header(s, (const uint8_t *)"Host", 4, (const uint8_t *)"nghttp2.org", 11);
    /* SETTINGS_MAX_CONCURRENT_STREAMS 100, SETTINGS_ENABLE_PUSH 0 */
    http2_state_mimic_header(s, (const uint8_t *)"HTTP2-Settings", 14, (const uint8_t *)"AAMAAABkAAIAAAAA", 16);
    http2_state_mimic_header(s, (const uint8_t *)"User-Agent", 10, (const uint8_t *)"curl", 4);
    assert_int_equal(http2_tx_count(s), 2);
    Http2Tx *get = http2_tx_get(s, 0), *set = http2_tx_get(s, 1);
    assert_int_equal(http2_tx_stream_id(get), 1);
    assert_int_equal(get->state, HTTP2_TX_HALF_CLOSED_CLIENT);
    assert_log_has(get, "\"request_headers\":[{\"name\":\":method\",\"value\":\"GET\"},{\"name\":\":path\","
                        "\"value\":\"/robots.txt\"},{\"name\":\":authority\",\"value\":\"nghttp2.org\"},"
                        "{\"name\":\"User-Agent\",\"value\":\"curl\"}]");
    assert_log_has(set, "\"request\":{\"settings\":[{\"settings_id\":\"SETTINGSMAXCONCURRENTSTREAMS\","
                        "\"settings_value\":100},{\"settings_id\":\"SETTINGSENABLEPUSH\",\"settings_value\":0}]}");
    /* base64url or padding is not what Suricata decodes */
    http2_state_mimic_header(s, (const uint8_t *)"HTTP2-Settings", 14, (const uint8_t *)"AAMAAABk_A==", 12);
    assert_string_equal(http2_event_name(http2_tx_event_get(http2_tx_get(s, 1), 0)), "invalid_http1_settings");
    /* the server's response goes on stream 1 */
    static Bytes o;
    o.n = 0;
    frame(&o, HTTP2_FRAME_HEADERS, HTTP2_FLAG_END_HEADERS | HTTP2_FLAG_END_STREAM, 1, RESPONSE_BLOCK,
          sizeof(RESPONSE_BLOCK));
    feed(s, false, &o, 64);
    assert_true(http2_tx_done(get));
    http2_state_free(s);
}

/* files: a response's DATA as one file, inflated per its Content-Encoding */
static uint64_t response_file_size(const char *encoding, const uint8_t *body, uint32_t len, uint32_t split,
                                   int *events)
{
    static Bytes o;
    Http2State *s = http2_state_new();
    o.n = 0;
    put(&o, HTTP2_PREFACE, HTTP2_PREFACE_LEN);
    frame(&o, HTTP2_FRAME_HEADERS, HTTP2_FLAG_END_HEADERS | HTTP2_FLAG_END_STREAM, 1, REQUEST_BLOCK,
          sizeof(REQUEST_BLOCK));
    feed(s, true, &o, 64);
    /* :status 200, content-encoding (static index 26) as given */
    uint8_t block[32] = { 0x88, 0x0f, 0x0b, (uint8_t)strlen(encoding) };
    memcpy(block + 4, encoding, strlen(encoding));
    o.n = 0;
    frame(&o, HTTP2_FRAME_HEADERS, HTTP2_FLAG_END_HEADERS, 1, block, 4 + (uint32_t)strlen(encoding));
    frame(&o, HTTP2_FRAME_DATA, 0, 1, body, split);
    frame(&o, HTTP2_FRAME_DATA, HTTP2_FLAG_END_STREAM, 1, body + split, len - split);
    feed(s, false, &o, 7);
    Http2Tx *tx = http2_tx_get(s, 0);
    const AppFileContainer *c = http2_tx_files(tx, false);
    assert_non_null(c->head);
    assert_int_equal(c->head->state, APP_FILE_CLOSED);
    assert_memory_equal(c->head->name, "/", 1);
    uint64_t size = c->head->size;
    *events = http2_tx_event_count(tx);
    assert_null(http2_tx_files(tx, true)->head); /* a GET without a body */
    http2_state_free(s);
    return size;
}

static void test_files(void **state)
{
    (void)state;
    static const uint8_t deflated[] = { 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0xc8, 0xc0, 0x24, 0x4b, 0x4a,
                                        0x0a, 0x8c, 0x14, 0xd2, 0x32, 0x73, 0x52, 0x8b, 0x15, 0x01 };
    static const uint8_t gzipped[] = { 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48,
                                       0xcd, 0xc9, 0xc9, 0x57, 0xc8, 0xc0, 0x24, 0x4b, 0x4a, 0x0a, 0x8c, 0x14,
                                       0xd2, 0x32, 0x73, 0x52, 0x8b, 0x15, 0x01, 0x75, 0x3e, 0x6b, 0xa2, 0x24,
                                       0x00, 0x00, 0x00 };
    int ev;
    assert_int_equal(response_file_size("deflate", deflated, sizeof(deflated), 5, &ev), 36);
    assert_int_equal(ev, 0);
    assert_int_equal(response_file_size("gzip", gzipped, sizeof(gzipped), 12, &ev), 36);
    assert_int_equal(ev, 0);
    assert_int_equal(response_file_size("br", deflated, sizeof(deflated), 3, &ev), sizeof(deflated));
    /* not gzip: the first frame is lost, the rest passes as it is */
    assert_int_equal(response_file_size("gzip", deflated, sizeof(deflated), 4, &ev), sizeof(deflated) - 4);
    assert_int_equal(ev, 1);
}

/* max-streams bounds the live transactions, stream 0 ones included: an
 * open stream behind a run of WINDOW_UPDATEs is given up. */
static void test_max_streams(void **state)
{
    (void)state;
    static Bytes o;
    http2_config_set_max_streams(4);
    Http2State *s = http2_state_new();
    o.n = 0;
    put(&o, HTTP2_PREFACE, HTTP2_PREFACE_LEN);
    frame(&o, HTTP2_FRAME_HEADERS, HTTP2_FLAG_END_HEADERS, 1, REQUEST_BLOCK, sizeof(REQUEST_BLOCK));
    for (int i = 0; i < 6; i++)
        frame(&o, HTTP2_FRAME_WINDOW_UPDATE, 0, 0, "\x00\x00\x10\x00", 4);
    feed(s, true, &o, 64);
    Http2Tx *tx = http2_tx_get(s, 0);
    assert_int_equal(tx->state, HTTP2_TX_TODROP);
    assert_string_equal(http2_event_name(http2_tx_event_get(tx, 0)), "too_many_streams");
    assert_true(http2_tx_done(tx));
    assert_int_equal(http2_tx_count(s), 7);
    http2_state_free(s);
    http2_config_set_max_streams(4096);
}

static void test_probe(void **state)
{
    (void)state;
    static Bytes o;
    o.n = 0;
    frame(&o, HTTP2_FRAME_SETTINGS, 0, 0, SERVER_SETTINGS, sizeof(SERVER_SETTINGS));
    assert_int_equal(http2_probe_server(o.b, (uint32_t)o.n), 1);
    assert_int_equal(http2_probe_server(o.b, 8), 2);
    assert_int_equal(http2_probe_server((const uint8_t *)"HTTP/1.1 200 OK\r\n", 17), 0);
    o.n = 0;
    frame(&o, HTTP2_FRAME_HEADERS, 0, 1, "a", 1);
    assert_int_equal(http2_probe_server(o.b, (uint32_t)o.n), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_whole),     cmocka_unit_test(test_session_bytewise),
        cmocka_unit_test(test_stream_states),     cmocka_unit_test(test_bad_preface_and_lengths),
        cmocka_unit_test(test_long_frame),        cmocka_unit_test(test_rule_buffers),
        cmocka_unit_test(test_mimic_http1),       cmocka_unit_test(test_files),
        cmocka_unit_test(test_max_streams),       cmocka_unit_test(test_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
