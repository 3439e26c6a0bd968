/*
 * Responses (RFC 9112 §4): the status line, pairing with the oldest request
 * waiting for an answer (a response without one gets a transaction of its
 * own and UNABLE_TO_MATCH_RESPONSE_TO_REQUEST), interim 1xx responses
 * (RFC 9110 §15.2: 100 Continue keeps the transaction waiting for the final
 * status), 101 Switching Protocols and CONNECT 2xx, after which the bytes
 * are no longer HTTP (RFC 9110 §9.3.6, §7.8).
 */
#include <string.h>

#include "app/http/http-private.h"

void http_connect_release(HttpState *s, bool tunnel);

static int parse_proto(const uint8_t *p, uint32_t n)
{
    if (n == 8 && http_ci_eq(p, 5, "http/") && p[5] >= '0' && p[5] <= '9' && p[6] == '.' &&
        p[7] >= '0' && p[7] <= '9')
        return (p[5] - '0') * 100 + (p[7] - '0');
    return -1;
}

/* libhtp-rs's treat_response_line_as_body: after whitespace and NULs the
 * line does not start with "http" (case-insensitive). */
bool http_response_line_is_body(const uint8_t *line, uint32_t len)
{
    uint32_t i = 0;
    while (i < len && (line[i] == 0 || line[i] == ' ' || (line[i] >= '\t' && line[i] <= '\r')))
        i++;
    return !(len - i >= 4 && http_ci_eq(line + i, 4, "http"));
}

void http_response_line(HttpState *s, HttpDir *d, const uint8_t *line, uint32_t len)
{
    HttpTx *tx = d->tx; /* set when continuing after 100 Continue */
    /* as libhtp-rs: a junk line followed, in the same data, by a line
     * starting with 'H' is skipped (e.g. "SIP/2.0 200 ok" then the real
     * status line), and so is a junk line of at most 2 bytes followed by
     * more than one byte */
    if (http_response_line_is_body(line, len) && (d->peek == 'H' || d->peek == 'h' || (len <= 2 && d->rest > 1)))
        return;
    if (tx == NULL) {
        tx = http_tx_next_for_response(s);
        if (tx == NULL) {
            tx = http_tx_new(s);
            if (tx == NULL) {
                d->st = D_STOPPED;
                return;
            }
            http_tx_event_set(tx, HTTP_EV_UNABLE_TO_MATCH_RESPONSE_TO_REQUEST);
            hb_set(&tx->uri_raw, (const uint8_t *)"/libhtp::request_uri_not_seen", 29);
            hb_set(&tx->uri_norm, tx->uri_raw.p, tx->uri_raw.len);
            tx->progress[0] = HTTP_PROGRESS_COMPLETE;
        }
        d->tx = tx;
    }
    tx->progress[1] = HTTP_PROGRESS_LINE;
    hb_set(&tx->response_line, line, len);
    tx->status.len = 0;
    tx->status.set = false;
    tx->status_msg.len = 0;
    tx->status_msg.set = false;

    uint32_t i = 0;
    while (i < len && (http_is_lws(line[i]) || line[i] == 0)) /* libhtp-rs skips NULs too */
        i++;
    uint32_t p0 = i;
    while (i < len && !http_is_lws(line[i]))
        i++;
    hb_set(&tx->res_protocol, line + p0, i - p0);
    tx->res_proto = parse_proto(line + p0, i - p0);
    while (i < len && http_is_lws(line[i]))
        i++;
    uint32_t s0 = i;
    while (i < len && !http_is_lws(line[i]))
        i++;
    if (i > s0)
        hb_set(&tx->status, line + s0, i - s0);
    while (i < len && http_is_lws(line[i]))
        i++;
    if (i < len)
        hb_set(&tx->status_msg, line + i, len - i);
    else
        tx->status_msg.set = false;

    int code = -1;
    if (i > s0 && tx->status.len == 3) {
        code = 0;
        for (uint32_t k = 0; k < 3; k++) {
            uint8_t c = tx->status.p[k];
            if (c < '0' || c > '9') {
                code = -1;
                break;
            }
            code = code * 10 + (c - '0');
        }
        if (code < 100)
            code = -1;
    }
    tx->status_num = code;
    if (tx->res_proto < 0 && http_response_line_is_body(line, len)) {
        /* not a status line: the line is body, and so are the lines
         * after it that are not status lines either (http-parse.c). As
         * libhtp-rs (response_line_complete clears the line, protocol,
         * status and message before it looks), the transaction has no
         * response line, protocol, status or message: after a gap, bytes
         * like "AAAA...HTTP/1.0 200 OK" give no http.stat_msg "OK" */
        http_tx_event_set(tx, HTTP_EV_RESPONSE_INVALID_PROTOCOL);
        tx->status_num = 0;
        tx->status.len = 0;
        tx->status.set = false;
        tx->status_msg.len = 0;
        tx->status_msg.set = false;
        tx->res_protocol.len = 0;
        tx->res_protocol.set = false;
        tx->response_line.len = 0;
        tx->response_line.set = false;
        tx->progress[1] = HTTP_PROGRESS_BODY;
        d->st = D_BODY_LINES;
        return;
    }
    if (tx->res_proto < 0)
        http_tx_event_set(tx, HTTP_EV_RESPONSE_INVALID_PROTOCOL);
    if (code < 0)
        http_tx_event_set(tx, HTTP_EV_RESPONSE_INVALID_STATUS);
    d->st = D_HEADERS;
}

void http_response_headers_done(HttpState *s, HttpDir *d)
{
    HttpTx *tx = d->tx;
    if (tx == NULL) {
        d->st = D_STOPPED;
        return;
    }
    tx->progress[1] = HTTP_PROGRESS_HEADERS;
    if (tx->status_num == 100) {
        if (tx->seen_100)
            http_tx_event_set(tx, HTTP_EV_100_CONTINUE_ALREADY_SEEN);
        tx->seen_100 = true;
        http_headers_free(&tx->h[1]);
        tx->progress[1] = HTTP_PROGRESS_LINE;
        d->st = D_LINE;
        return;
    }
    http_headers_derive(tx, 1);
    if (tx->status_num == 101) {
        const HttpHeader *up = http_headers_find(&tx->h[1], "upgrade");
        if (up && up->value.len) {
            size_t n = up->value.len < sizeof(s->upgrade) - 1 ? up->value.len : sizeof(s->upgrade) - 1;
            memcpy(s->upgrade, up->value.p, n);
            s->upgrade[n] = '\0';
        }
        tx->progress[1] = HTTP_PROGRESS_COMPLETE;
        s->tunnel = true;
        s->dir[0].st = D_STOPPED;
        d->st = D_STOPPED;
        d->tx = NULL;
        return;
    }
    if (tx->is_connect && tx->status_num >= 200 && tx->status_num < 300) {
        tx->progress[1] = HTTP_PROGRESS_COMPLETE;
        s->tunnel = true;
        d->st = D_STOPPED;
        d->tx = NULL;
        http_connect_release(s, true);
        return;
    }
    http_body_start(s, d, 1);
}

void http_response_complete(HttpState *s, HttpDir *d)
{
    HttpTx *tx = d->tx;
    d->has_pending = false;
    d->pending.len = 0;
    http_decoder_free(d->dec);
    d->dec = NULL;
    d->tx = NULL;
    if (d->st != D_STOPPED)
        d->st = D_LINE;
    if (tx) {
        d->completed++;
        tx->progress[1] = HTTP_PROGRESS_COMPLETE;
        tx->body_full[1] = true;
        http_files_end(tx, 1, false);
        if (tx->is_connect)
            http_connect_release(s, false);
    }
}
