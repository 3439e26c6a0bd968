/*
 * Helpers shared by the HTTP parser tests: feeding a whole conversation in
 * a given chunking, a textual digest of every transaction (all buffers,
 * progress, events, EVE) to compare chunkings, and gzip/deflate encoders.
 */
#ifndef HTTP_TEST_UTIL_H
#define HTTP_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "app/http/http.h"

/* chunk: 0 = all at once, 1 = byte by byte, other = pseudo-random sizes */
static inline void feed(HttpState *s, bool ts, const uint8_t *d, size_t n, unsigned chunk)
{
    unsigned seed = chunk * 2654435761u + 1;
    size_t off = 0;
    while (off < n) {
        size_t k = n - off;
        if (chunk == 1)
            k = 1;
        else if (chunk > 1) {
            seed = seed * 1103515245u + 12345u;
            size_t r = 1 + (seed >> 16) % 13;
            if (r < k)
                k = r;
        }
        http_parse(s, ts, d + off, (uint32_t)k, 0);
        off += k;
    }
}

static inline void feeds(HttpState *s, bool ts, const char *str, unsigned chunk)
{
    feed(s, ts, (const uint8_t *)str, strlen(str), chunk);
}

static inline void dig_buf(JsonBuf *j, const char *name, const HttpTx *tx, HttpBuffer b, bool ts)
{
    const uint8_t *d;
    uint32_t l;
    if (http_tx_buffer(tx, b, ts, &d, &l))
        jb_strn(j, name, d, l);
}

/* Everything observable of every transaction, as one JSON string. */
static inline char *digest(HttpState *s)
{
    JsonBuf j;
    jb_init(&j);
    jb_open_array(&j, NULL);
    HttpLogConfig lc;
    http_log_config_default(&lc);
    lc.dump_request_headers = lc.dump_response_headers = true;
    for (uint64_t id = 0; id < http_tx_count(s); id++) {
        HttpTx *tx = http_tx_get(s, id);
        if (!tx)
            continue;
        jb_open_object(&j, NULL);
        jb_uint(&j, "id", id);
        jb_uint(&j, "p0", (uint64_t)http_tx_progress(tx, true));
        jb_uint(&j, "p1", (uint64_t)http_tx_progress(tx, false));
        for (int b = HTTP_BUF_URI; b <= HTTP_BUF_RESPONSE_LINE; b++) {
            char k[16];
            snprintf(k, sizeof(k), "b%d", b);
            dig_buf(&j, k, tx, (HttpBuffer)b, true);
            snprintf(k, sizeof(k), "c%d", b);
            dig_buf(&j, k, tx, (HttpBuffer)b, false);
        }
        jb_open_array(&j, "ev");
        for (uint32_t i = 0; i < http_tx_event_count(tx); i++)
            jb_str(&j, NULL, http_event_name(http_tx_event(tx, i)));
        jb_close_array(&j);
        http_log_tx(&j, tx, &lc);
        jb_close_object(&j);
    }
    jb_close_array(&j);
    jb_append(&j, "", 1);
    return j.buf;
}

static inline size_t gz(const void *in, size_t n, uint8_t *out, size_t cap, int wbits)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    deflateInit2(&z, 9, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    size_t r = cap - z.avail_out;
    deflateEnd(&z);
    return r;
}

static inline bool buf_eq(const HttpTx *tx, HttpBuffer b, bool ts, const char *want)
{
    const uint8_t *d;
    uint32_t l;
    if (!http_tx_buffer(tx, b, ts, &d, &l)) {
        if (want)
            fprintf(stderr, "buffer %d absent, want '%s'\n", b, want);
        return want == NULL;
    }
    if (want && l == strlen(want) && memcmp(d, want, l) == 0)
        return true;
    fprintf(stderr, "buffer %d = '%.*s', want '%s'\n", b, (int)l, d, want ? want : "(absent)");
    return false;
}

#endif
