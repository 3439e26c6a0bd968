/*
 * Unit tests of HTTP file tracking (src/app/http/http-files.c and
 * http-multipart.c): response files named by Content-Disposition or the
 * normalized path, dechunked and decompressed content with its digest in
 * any chunking, POST/PUT request files, multipart/form-data parts (opened
 * and fed as the body streams in), gaps and
 * streams cut inside a body, the Content-Disposition / boundary
 * parameter parsers, whole files rebuilt from 206 range responses of
 * several flows (out of order, overlapping), and lines sent past a
 * Content-Length response body (libhtp-rs's unexpected response body).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/file.h"
#include "http_test_util.h"

static HttpState *new_state(void)
{
    AppFileConfig fc = { .hashes = APP_FILE_MD5 | APP_FILE_SHA256 };
    app_file_config_set(&fc);
    HttpConfig c;
    http_config_default(&c);
    c.response_body_limit = 4; /* files are not bound by the body limit */
    HttpState *s = http_state_new(&c);
    assert_non_null(s);
    return s;
}

static const AppFile *file_at(HttpState *s, uint64_t tx_id, bool ts, uint32_t idx)
{
    HttpTx *tx = http_tx_get(s, tx_id);
    assert_non_null(tx);
    const AppFile *f = http_tx_files(tx, ts)->head;
    for (uint32_t i = 0; f && i < idx; i++)
        f = f->next;
    return f;
}

static void assert_name(const AppFile *f, const char *want)
{
    assert_non_null(f);
    assert_int_equal(f->name_len, strlen(want));
    assert_memory_equal(f->name, want, f->name_len);
}

static void assert_md5(const AppFile *f, const char *want)
{
    char s[33];
    for (int i = 0; i < 16; i++)
        sprintf(s + 2 * i, "%02x", f->md5[i]);
    assert_string_equal(s, want);
}

/* md5("hello world, hello files") */
#define BODY "hello world, hello files"
#define BODY_MD5 "9c4c18beb2d0e1481d4fbb522067e059"

static void test_response_disposition_chunked_gzip(void **st)
{
    (void)st;
    for (unsigned chunk = 0; chunk < 4; chunk++) {
        HttpState *s = new_state();
        feeds(s, true, "GET /dl/x.bin?q=1 HTTP/1.1\r\nHost: h\r\n\r\n", chunk);
        uint8_t z[256];
        size_t zl = gz(BODY, strlen(BODY), z, sizeof(z), 31);
        char res[1024];
        int n = snprintf(res, sizeof(res),
                         "HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=\"eicar.txt\"\r\n"
                         "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n%zx\r\n",
                         zl);
        memcpy(res + n, z, zl);
        n += (int)zl;
        memcpy(res + n, "\r\n0\r\n\r\n", 7);
        n += 7;
        feed(s, false, (const uint8_t *)res, (size_t)n, chunk);
        const AppFile *f = file_at(s, 0, false, 0);
        assert_name(f, "eicar.txt");
        assert_int_equal(f->state, APP_FILE_CLOSED);
        assert_int_equal(f->size, strlen(BODY));
        assert_false(f->gaps);
        assert_md5(f, BODY_MD5);
        assert_null(file_at(s, 0, true, 0)); /* GET: no request file */
        http_state_free(s);
    }
}

static void test_response_name_from_path_and_md5(void **st)
{
    (void)st;
    HttpState *s = new_state();
    feeds(s, true, "GET /a/../b%41.txt?x=1 HTTP/1.1\r\nHost: h\r\n\r\n", 0);
    feeds(s, false, "HTTP/1.1 200 OK\r\nContent-Length: 24\r\n\r\n" BODY, 0);
    const AppFile *f = file_at(s, 0, false, 0);
    assert_name(f, "/bA.txt");
    assert_int_equal(f->state, APP_FILE_CLOSED);
    assert_true(app_file_hash_ready(f, APP_FILE_MD5));
    assert_md5(f, BODY_MD5);
    http_state_free(s);
}

static void test_put_and_post_files(void **st)
{
    (void)st;
    HttpState *s = new_state();
    feeds(s, true,
          "PUT /up/new.txt HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
          "POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
          "Content-Length: 3\r\n\r\na=b",
          1);
    const AppFile *f = file_at(s, 0, true, 0);
    assert_name(f, "/up/new.txt");
    assert_int_equal(f->size, 3);
    assert_int_equal(f->state, APP_FILE_CLOSED);
    f = file_at(s, 1, true, 0);
    assert_name(f, "/form");
    assert_int_equal(f->size, 3);
    http_state_free(s);
}

static void test_multipart(void **st)
{
    (void)st;
    HttpState *s = new_state();
    const char *body = "--XyZ\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue\r\n"
                       "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"titi.txt\"\r\n"
                       "Content-Type: text/plain\r\n\r\nbateau\r\n"
                       "--XyZ\r\nContent-Disposition: form-data; name=\"g\"; filename=toto.txt\r\n\r\n"
                       "line1\r\nline2\r\n--XyZ--\r\n";
    char req[1024];
    snprintf(req, sizeof(req),
             "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n"
             "Content-Length: %zu\r\n\r\n%s",
             strlen(body), body);
    feeds(s, true, req, 3);
    const AppFile *f = file_at(s, 0, true, 0);
    assert_name(f, "titi.txt");
    assert_int_equal(f->size, 6);
    assert_int_equal(f->state, APP_FILE_CLOSED);
    f = file_at(s, 0, true, 1);
    assert_name(f, "toto.txt");
    assert_int_equal(f->size, 12);
    assert_null(file_at(s, 0, true, 2));
    http_state_free(s);
}

/* Multipart files stream: a part's file opens once its headers are in,
 * its data grows without the bytes that may start the delimiter, and it
 * closes at the delimiter while the request goes on. */
static void test_multipart_streaming(void **st)
{
    (void)st;
    HttpState *s = new_state();
    const char *body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"one.jpg\"\r\n\r\n"
                       "0123456789\r\n"
                       "--XyZ\r\nContent-Disposition: form-data; name=\"b\"; filename=\"two.jpg\"\r\n\r\n"
                       "abcdef\r\n--XyZ--\r\n";
    char req[1024];
    snprintf(req, sizeof(req),
             "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n"
             "Content-Length: %zu\r\n\r\n",
             strlen(body));
    feeds(s, true, req, 0);
    const char *b = body;
    /* part headers cut before their empty line: no file yet */
    feed(s, true, (const uint8_t *)b, 40, 0);
    assert_null(file_at(s, 0, true, 0));
    /* headers and "0123456789\r\n--X": the file holds what cannot be a delimiter */
    size_t first_end = strstr(b, "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"b\"") - b;
    feed(s, true, (const uint8_t *)b + 40, first_end + 5 - 40, 0);
    const AppFile *f = file_at(s, 0, true, 0);
    assert_name(f, "one.jpg");
    assert_int_equal(f->state, APP_FILE_OPEN);
    assert_int_equal(f->size, 10 + 5 - (3 + 4));
    /* rest of the delimiter and the second part's headers: file 1 closed, file 2 open */
    size_t second_data = strstr(b, "abcdef") - b;
    feed(s, true, (const uint8_t *)b + first_end + 5, second_data + 2 - (first_end + 5), 0);
    f = file_at(s, 0, true, 0);
    assert_int_equal(f->size, 10);
    assert_int_equal(f->state, APP_FILE_CLOSED);
    f = file_at(s, 0, true, 1);
    assert_name(f, "two.jpg");
    assert_int_equal(f->state, APP_FILE_OPEN);
    assert_int_equal(f->size, 0);
    feeds(s, true, b + second_data + 2, 0);
    f = file_at(s, 0, true, 1);
    assert_int_equal(f->size, 6);
    assert_int_equal(f->state, APP_FILE_CLOSED);
    assert_null(file_at(s, 0, true, 2));
    http_state_free(s);
}

static void test_gap_and_cut(void **st)
{
    (void)st;
    HttpState *s = new_state();
    feeds(s, true, "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n", 0);
    feeds(s, false, "HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\nabcd", 0);
    http_gap(s, false, 10);
    const AppFile *f = file_at(s, 0, false, 0);
    assert_int_equal(f->size, 14);
    assert_true(f->gaps);
    assert_int_equal(f->state, APP_FILE_TRUNCATED);
    feeds(s, false, "HTTP/1.1 200 OK\r\nContent-Length: 70\r\n\r\nonly a part", 0);
    http_end(s, false);
    f = file_at(s, 1, false, 0);
    assert_int_equal(f->size, 11);
    assert_false(f->gaps);
    assert_int_equal(f->state, APP_FILE_TRUNCATED);
    http_state_free(s);
}

static void test_disposition_and_boundary_parsers(void **st)
{
    (void)st;
    const uint8_t *n;
    uint32_t l;
    const char *cases[][2] = {
        { "attachment; filename=\"eicar.txt\"", "eicar.txt" },
        { "attachment;filename=a.exe", "a.exe" },
        { "attachment; FileName = b.pdf ; size=3", "b.pdf" },
        { "inline; name=x; filename=\"with;semi\"", "with;semi" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *v = cases[i][0];
        assert_true(http_disposition_filename((const uint8_t *)v, (uint32_t)strlen(v), &n, &l));
        assert_int_equal(l, strlen(cases[i][1]));
        assert_memory_equal(n, cases[i][1], l);
    }
    const char *none[] = { "attachment", "attachment; name=x", "filename=first-token-only", "attachment; filename=" };
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
        assert_false(http_disposition_filename((const uint8_t *)none[i], (uint32_t)strlen(none[i]), &n, &l));
    const char *ct = "multipart/form-data; charset=x; boundary=\"--abc\"";
    assert_true(http_multipart_boundary((const uint8_t *)ct, (uint32_t)strlen(ct), &n, &l));
    assert_int_equal(l, 5);
    assert_memory_equal(n, "--abc", 5);
    const char *notmp = "text/plain; boundary=x";
    assert_false(http_multipart_boundary((const uint8_t *)notmp, (uint32_t)strlen(notmp), &n, &l));
}

/* One flow: GET path, then a 206 with Content-Range first-last/24 carrying
 * BODY[first..last]. */
static HttpState *range_flow(const char *path, unsigned first, unsigned last)
{
    HttpState *s = new_state();
    char req[256], res[512];
    snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: h\r\nRange: bytes=%u-%u\r\n\r\n", path, first, last);
    feeds(s, true, req, 0);
    int n = snprintf(res, sizeof(res),
                     "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes %u-%u/24\r\nContent-Length: %u\r\n\r\n%.*s",
                     first, last, last - first + 1, (int)(last - first + 1), BODY + first);
    feed(s, false, (const uint8_t *)res, (size_t)n, 0);
    return s;
}

static void test_range_whole_file_across_flows(void **st)
{
    (void)st;
    uint64_t base = app_file_memuse();
    /* the end first, then the start: the whole file completes with the second */
    HttpState *a = range_flow("/range/a.bin", 12, 23);
    const AppFile *part = file_at(a, 0, false, 0);
    assert_true(part->has_range);
    assert_int_equal(part->size, 12);
    assert_null(part->next); /* not complete yet */
    HttpState *b = range_flow("/range/a.bin", 0, 11);
    const AppFile *whole = file_at(b, 0, false, 1);
    assert_non_null(whole);
    assert_name(whole, "/range/a.bin");
    assert_false(whole->has_range);
    assert_int_equal(whole->size, 24);
    assert_int_equal(whole->state, APP_FILE_CLOSED);
    assert_md5(whole, BODY_MD5);
    assert_int_equal(whole->tx_id, 0);
    http_state_free(a);
    http_state_free(b);
    /* overlapping ranges; another path is another file */
    HttpState *c = range_flow("/range/b.bin", 0, 15);
    HttpState *other = range_flow("/range/c.bin", 10, 23);
    assert_null(file_at(other, 0, false, 1));
    HttpState *d = range_flow("/range/b.bin", 10, 23);
    whole = file_at(d, 0, false, 1);
    assert_non_null(whole);
    assert_int_equal(whole->size, 24);
    assert_md5(whole, BODY_MD5);
    http_state_free(c);
    http_state_free(d);
    http_state_free(other);
    assert_true(app_file_memuse() > base); /* c.bin waits for its start */
    http_range_reset();
    assert_int_equal(app_file_memuse(), base);
}

static void test_response_body_overrun(void **st)
{
    (void)st;
    HttpState *s = new_state();
    feeds(s, true, "GET /1 HTTP/1.0\r\n\r\nGET /2 HTTP/1.0\r\n\r\nGET /3 HTTP/1.0\r\n\r\n", 0);
    /* a CRLF past Content-Length in the same data is body (libhtp-rs) */
    feeds(s, false, "HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\nHello People\r\n", 0);
    assert_int_equal(file_at(s, 0, false, 0)->size, 14);
    /* a status line after it is the next response */
    feeds(s, false, "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", 0);
    assert_int_equal(file_at(s, 1, false, 0)->size, 5);
    assert_int_equal(file_at(s, 2, false, 0)->size, 2);
    http_state_free(s);
    /* in data of its own, the CRLF is not body */
    s = new_state();
    feeds(s, true, "GET /1 HTTP/1.0\r\n\r\n", 0);
    feeds(s, false, "HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\nHello People", 0);
    feeds(s, false, "\r\n", 0);
    assert_int_equal(file_at(s, 0, false, 0)->size, 12);
    http_state_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_response_disposition_chunked_gzip),
        cmocka_unit_test(test_response_name_from_path_and_md5),
        cmocka_unit_test(test_put_and_post_files),
        cmocka_unit_test(test_multipart),
        cmocka_unit_test(test_multipart_streaming),
        cmocka_unit_test(test_gap_and_cut),
        cmocka_unit_test(test_disposition_and_boundary_parsers),
        cmocka_unit_test(test_range_whole_file_across_flows),
        cmocka_unit_test(test_response_body_overrun),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
