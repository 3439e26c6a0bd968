/*
 * Message body framing and collection (RFC 9112 §6, §7.1): which framing
 * applies once the headers are in (Transfer-Encoding chunked, then
 * Content-Length, else none for requests and read-until-close for
 * responses; HEAD, 1xx, 204 and 304 responses have no body), chunk-size
 * lines (as libhtp-rs: leading control characters skipped, anything after
 * the hex digits ignored, a ';' there marking an extension), and storing
 * body bytes (also handed to the file tracker, http-files.c) up to the
 * configured limits. Request and response bodies go through the
 * Content-Encoding decoder.
 */
#include <string.h>

#include "app/http/http-private.h"

static void keep(HttpBytes *b, bool *full, const uint8_t *d, uint32_t n, uint32_t limit)
{
    if (*full)
        return;
    uint32_t take = n;
    if (limit && b->len + (uint64_t)n >= limit) {
        take = limit - b->len;
        *full = true;
    }
    if (!hb_append(b, d, take))
        *full = true;
}

void http_body_data(HttpState *s, HttpDir *d, int dir, const uint8_t *data, uint32_t n)
{
    HttpTx *tx = d->tx;
    if (tx == NULL || n == 0)
        return;
    tx->body_len[dir] += n;
    if (tx->progress[dir] < HTTP_PROGRESS_BODY)
        tx->progress[dir] = HTTP_PROGRESS_BODY;
    if (dir == 0 && d->dec) {
        /* request bodies are decompressed too, as Suricata configures libhtp */
        http_decoder_feed(d->dec, tx, data, n, &tx->body[0], s->cfg.request_body_limit);
        if (s->cfg.request_body_limit && tx->body[0].len >= s->cfg.request_body_limit)
            tx->body_full[0] = true;
    } else if (dir == 0) {
        keep(&tx->body[0], &tx->body_full[0], data, n, s->cfg.request_body_limit);
        http_files_data(tx, 0, data, n);
    } else if (d->dec) {
        /* the decoder hands its output to the file tracker */
        /* always decoded so a bomb is seen past the body limit */
        http_decoder_feed(d->dec, tx, data, n, &tx->body[1], s->cfg.response_body_limit);
        if (s->cfg.response_body_limit && tx->body[1].len >= s->cfg.response_body_limit)
            tx->body_full[1] = true;
    } else {
        keep(&tx->body[1], &tx->body_full[1], data, n, s->cfg.response_body_limit);
        http_files_data(tx, 1, data, n);
    }
}

static void no_body(HttpState *s, HttpDir *d, int dir)
{
    if (dir == 0 && !d->tx->is_connect)
        d->st = D_REQ_FINALIZE; /* http-parse.c completes it */
    else if (dir == 0)
        http_request_complete(s, d);
    else
        http_response_complete(s, d);
}

void http_body_start(HttpState *s, HttpDir *d, int dir)
{
    HttpTx *tx = d->tx;
    const HttpHeaders *h = &tx->h[dir];
    if (dir == 1) {
        int st = tx->status_num;
        bool framed = http_headers_find(h, "transfer-encoding") || http_headers_find(h, "content-length");
        /* as libhtp: 1xx, 204 and 304 have no body unless the headers frame
         * one ("browsers interpret content sent by the server as such") */
        if (tx->is_head || st == 100 || st == 101 ||
            (((st > 101 && st < 200) || st == 204 || st == 304) && !framed)) {
            no_body(s, d, dir);
            return;
        }
    }
    const HttpHeader *ce = http_headers_find(h, "content-encoding");
    if (ce && ce->value.len) {
        http_decoder_free(d->dec);
        d->dec = http_decoder_new(&s->cfg, tx, dir, ce->value.p, ce->value.len);
    }
    const HttpHeader *te = http_headers_find(h, "transfer-encoding");
    if (te) {
        if (http_ci_contains(te->value.p, te->value.len, "chunked")) {
            if (!http_ci_eq(te->value.p, te->value.len, "chunked"))
                http_tx_event_set(tx, dir == 0 ? HTTP_EV_INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST
                                               : HTTP_EV_RESPONSE_ABNORMAL_TRANSFER_ENCODING);
            if (dir == 1 && tx->res_proto >= 0 && tx->res_proto < 101)
                http_tx_event_set(tx, HTTP_EV_RESPONSE_CHUNKED_OLD_PROTO);
            d->st = D_CHUNK_LEN;
            tx->progress[dir] = HTTP_PROGRESS_BODY;
            return;
        }
        http_tx_event_set(tx, dir == 0 ? HTTP_EV_INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST
                                       : HTTP_EV_INVALID_TRANSFER_ENCODING_VALUE_IN_RESPONSE);
    }
    const HttpHeader *cl = http_headers_find(h, "content-length");
    if (cl) {
        int64_t v = http_parse_cl(cl->value.p, cl->value.len);
        if (v < 0) {
            http_tx_event_set(tx, dir == 0 ? HTTP_EV_INVALID_CONTENT_LENGTH_FIELD_IN_REQUEST
                                           : HTTP_EV_INVALID_CONTENT_LENGTH_FIELD_IN_RESPONSE);
        } else if (v == 0) {
            no_body(s, d, dir);
            return;
        } else {
            d->left = (uint64_t)v;
            d->st = D_BODY_LEN;
            tx->progress[dir] = HTTP_PROGRESS_BODY;
            return;
        }
    }
    if (dir == 0) {
        no_body(s, d, dir);
        return;
    }
    d->st = D_BODY_CLOSE;
    tx->progress[dir] = HTTP_PROGRESS_BODY;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool http_chunk_len_line(HttpState *s, HttpDir *d, int dir, const uint8_t *line, uint32_t len)
{
    HttpTx *tx = d->tx;
    uint32_t i = 0;
    /* libhtp-rs skips leading whitespace and control characters */
    while (i < len && (http_is_lws(line[i]) || line[i] == '\r' || line[i] == '\n' || line[i] == 0x0b ||
                       line[i] == 0x0c))
        i++;
    if (i == len)
        return true; /* tolerated empty line between chunks */
    uint64_t v = 0;
    uint32_t digits = 0;
    bool overflow = false;
    for (; i < len; i++, digits++) {
        int h = hexval(line[i]);
        if (h < 0)
            break;
        if (v > (UINT64_MAX >> 5))
            overflow = true;
        v = (v << 4) | (uint64_t)h;
    }
    /* as libhtp-rs, whatever follows the digits is ignored; a ';' in it
     * marks an extension */
    bool ext = memchr(line + i, ';', len - i) != NULL;
    if (digits == 0 || overflow || v > INT32_MAX) {
        if (tx)
            http_tx_event_set(tx, dir == 0 ? HTTP_EV_INVALID_REQUEST_CHUNK_LEN : HTTP_EV_INVALID_RESPONSE_CHUNK_LEN);
        if (dir == 0) {
            d->st = D_STOPPED;
        } else {
            d->st = D_BODY_CLOSE;
        }
        return false;
    }
    if (ext && dir == 0 && tx)
        http_tx_event_set(tx, HTTP_EV_REQUEST_CHUNK_EXTENSION);
    if (v == 0) {
        if (tx)
            tx->progress[dir] = HTTP_PROGRESS_TRAILER;
        d->st = D_TRAILERS;
        return true;
    }
    d->left = v;
    d->st = D_CHUNK_DATA;
    return true;
}
