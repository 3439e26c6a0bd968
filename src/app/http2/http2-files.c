/*
 * HTTP/2 DATA as files (app/file.h), as Suricata 8's rust/src/http2
 * (files.rs, decompression.rs) tracks them: each side of a stream has one
 * file, opened by the side's first DATA frame and named after the
 * request's :path, fed the DATA payloads in order and closed by
 * END_STREAM; a file still open when the flow ends is cut short by the
 * framework (TRUNCATED).
 *
 * When the side's headers carry a Content-Encoding of gzip (RFC 1952) or
 * deflate, the payloads are inflated with zlib first (deflate as Suricata's
 * flate2 DeflateDecoder: raw, RFC 1951); any other encoding passes through
 * as-is. A stream zlib cannot decode raises failed_decompression once and
 * the side's later bytes pass through undecoded. Output per DATA frame is
 * bounded (HTTP2_INFLATE_MAX_RATIO times the input, at most
 * HTTP2_INFLATE_MAX_OUT), so a compression bomb costs a bounded amount.
 */
#include "app/http2/http2-internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#define HTTP2_INFLATE_CHUNK 16384u
#define HTTP2_INFLATE_MAX_RATIO 2048u
#define HTTP2_INFLATE_MAX_OUT (16u * 1024u * 1024u)

struct Http2Inflate {
    z_stream z;
    bool failed;
};

/* The side's Content-Encoding as Suricata's http2_encoding_fromvec reads
 * it: the last content-encoding field seen decides. */
static Http2Encoding side_encoding(const Http2Side *side)
{
    Http2Encoding e = HTTP2_ENC_NONE;
    for (uint32_t i = 0; i < side->header_count; i++) {
        const Http2Header *h = &side->headers[i];
        if (!http2_field_named(h, "content-encoding"))
            continue;
        if (h->value_len == 4 && strncasecmp((const char *)h->value, "gzip", 4) == 0)
            e = HTTP2_ENC_GZIP;
        else if (h->value_len == 7 && strncasecmp((const char *)h->value, "deflate", 7) == 0)
            e = HTTP2_ENC_DEFLATE;
        else
            e = HTTP2_ENC_NONE;
    }
    return e;
}

static Http2Inflate *inflate_new(Http2Encoding e)
{
    Http2Inflate *in = calloc(1, sizeof(*in));
    if (!in)
        return NULL;
    /* gzip: 16 + window bits (zlib's gzip wrapper); deflate: raw */
    if (inflateInit2(&in->z, e == HTTP2_ENC_GZIP ? 16 + MAX_WBITS : -MAX_WBITS) != Z_OK) {
        free(in);
        return NULL;
    }
    return in;
}

void http2_inflate_free(Http2Inflate *in)
{
    if (!in)
        return;
    inflateEnd(&in->z);
    free(in);
}

/* Inflates `n` bytes into the file; false when the stream cannot be
 * decoded (nothing of this frame was added then). */
static bool inflate_into(Http2Inflate *in, const uint8_t *d, uint32_t n, AppFile *f)
{
    uint8_t out[HTTP2_INFLATE_CHUNK];
    uint64_t budget = (uint64_t)n * HTTP2_INFLATE_MAX_RATIO;
    if (budget > HTTP2_INFLATE_MAX_OUT)
        budget = HTTP2_INFLATE_MAX_OUT;
    in->z.next_in = (Bytef *)d;
    in->z.avail_in = n;
    while (in->z.avail_in > 0 && budget > 0) {
        in->z.next_out = out;
        in->z.avail_out = sizeof(out);
        int r = inflate(&in->z, Z_NO_FLUSH);
        uint32_t got = (uint32_t)(sizeof(out) - in->z.avail_out);
        if (got) {
            app_file_append(f, out, got);
            budget = got < budget ? budget - got : 0;
        }
        if (r == Z_STREAM_END)
            break;
        if (r != Z_OK && r != Z_BUF_ERROR)
            return false;
        if (r == Z_BUF_ERROR && got == 0)
            break; /* needs more input */
    }
    return true;
}

void http2_files_data(Http2State *s, Http2Tx *tx, bool to_server, const uint8_t *d, uint32_t n, bool end_stream,
                      uint32_t *id_seq)
{
    int dir = to_server ? 0 : 1;
    AppFileContainer *c = &tx->files[dir];
    c->id_seq = id_seq;
    AppFile *f = app_file_current(c);
    if (!f || f->state != APP_FILE_OPEN) {
        if (tx->file_done[dir])
            return; /* one file per side */
        const Http2Header *path = http2_side_field(&tx->side[0], ":path");
        f = app_file_open(c, path ? path->value : (const uint8_t *)"", path ? path->value_len : 0);
        tx->file_done[dir] = true;
        if (!f)
            return;
        f->tx_id = tx->id;
        Http2Encoding e = side_encoding(&tx->side[dir]);
        if (e != HTTP2_ENC_NONE)
            tx->inflate[dir] = inflate_new(e);
    }
    Http2Inflate *in = tx->inflate[dir];
    if (n && in && !in->failed) {
        if (!inflate_into(in, d, n, f)) { /* this frame is lost, later ones pass through */
            in->failed = true;
            http2_set_event(s, HTTP2_EV_FAILED_DECOMPRESSION);
        }
    } else if (n) {
        app_file_append(f, d, n);
    }
    if (end_stream)
        app_file_close(f, APP_FILE_CLOSED);
}

void http2_files_free(Http2Tx *tx)
{
    for (int d = 0; d < 2; d++) {
        app_file_container_free(&tx->files[d]);
        http2_inflate_free(tx->inflate[d]);
        tx->inflate[d] = NULL;
    }
}

struct AppFileContainer *http2_tx_files(Http2Tx *tx, bool to_server) { return &tx->files[to_server ? 0 : 1]; }
