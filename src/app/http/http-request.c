/*
 * Requests (RFC 9112 §3): the request line split the tolerant libhtp way
 * (leading whitespace, several or non-SP delimiters and a missing protocol
 * are accepted but flagged; no protocol means HTTP/0.9, which has no
 * headers), the end of the request headers (host, URI normalization,
 * framing) and request completion, which hands a CONNECT request over to
 * waiting for the server's answer (RFC 9110 §9.3.6).
 */
#include <string.h>

#include "app/http/http-private.h"

void http_connect_release(HttpState *s, bool tunnel);

static int parse_proto(const uint8_t *p, uint32_t n)
{
    if (n == 0)
        return 9;
    if (n == 8 && http_ci_eq(p, 5, "http/") && p[5] >= '0' && p[5] <= '9' && p[6] == '.' &&
        p[7] >= '0' && p[7] <= '9') {
        int v = (p[5] - '0') * 100 + (p[7] - '0');
        if (v == 100 || v == 101)
            return v;
        if (v == 9)
            return 9;
        return v;
    }
    return -1;
}

void http_request_line(HttpState *s, HttpDir *d, const uint8_t *line, uint32_t len)
{
    HttpTx *tx = http_tx_new(s);
    if (tx == NULL) {
        d->st = D_STOPPED;
        return;
    }
    d->tx = tx;
    tx->progress[0] = HTTP_PROGRESS_LINE;
    hb_set(&tx->request_line, line, len);

    uint32_t i = 0;
    if (i < len && http_is_lws(line[i])) {
        http_tx_event_set(tx, HTTP_EV_REQUEST_LINE_LEADING_WHITESPACE);
        while (i < len && http_is_lws(line[i]))
            i++;
    }
    uint32_t m0 = i;
    while (i < len && !http_is_lws(line[i]))
        i++;
    hb_set(&tx->method, line + m0, i - m0);
    uint32_t d0 = i;
    bool nonsp = false;
    while (i < len && http_is_lws(line[i])) {
        if (line[i] != ' ')
            nonsp = true;
        i++;
    }
    if (i < len && (nonsp || i - d0 > 1))
        http_tx_event_set(tx, HTTP_EV_METHOD_DELIM_NON_COMPLIANT);
    uint32_t u0 = i;
    uint32_t p1 = len;
    while (p1 > u0 && http_is_lws(line[p1 - 1]))
        p1--;
    /* last whitespace-separated word: the protocol when it starts with
     * "HTTP", and then the URI may contain spaces (flagged) */
    uint32_t p0 = p1;
    while (p0 > u0 && !http_is_lws(line[p0 - 1]))
        p0--;
    uint32_t u1;
    if (p0 == u0) {
        u1 = p1; /* no protocol */
        p0 = p1;
    } else if (p1 - p0 >= 4 && http_ci_eq(line + p0, 4, "http")) {
        u1 = p0;
        while (u1 > u0 && http_is_lws(line[u1 - 1]))
            u1--;
        bool bad = p0 - u1 != 1 || line[u1] != ' ';
        for (uint32_t k = u0; k < u1; k++)
            if (http_is_lws(line[k]))
                bad = true;
        if (bad)
            http_tx_event_set(tx, HTTP_EV_URI_DELIM_NON_COMPLIANT);
    } else {
        u1 = u0;
        while (u1 < p1 && !http_is_lws(line[u1]))
            u1++;
        p0 = u1;
        while (p0 < p1 && http_is_lws(line[p0]))
            p0++;
    }
    if (u1 > u0)
        hb_set(&tx->uri_raw, line + u0, u1 - u0);
    if (p1 > p0)
        hb_set(&tx->protocol, line + p0, p1 - p0);
    tx->req_proto = parse_proto(line + p0, p1 - p0);
    if (u1 == u0)
        http_tx_event_set(tx, HTTP_EV_REQUEST_LINE_INVALID);
    if (tx->req_proto == -1)
        http_tx_event_set(tx, HTTP_EV_REQUEST_LINE_INVALID);
    tx->is_connect = http_ci_eq(tx->method.p, tx->method.len, "CONNECT");
    tx->is_head = http_ci_eq(tx->method.p, tx->method.len, "HEAD");
    http_uri_process(s, tx);

    if (p1 == p0) {
        /* HTTP/0.9: no headers, no body */
        if (u1 > u0)
            http_tx_event_set(tx, HTTP_EV_REQUEST_LINE_MISSING_PROTOCOL);
        tx->progress[0] = HTTP_PROGRESS_HEADERS;
        http_host_process(s, tx);
        http_headers_derive(tx, 0);
        http_request_complete(s, d);
        return;
    }
    d->st = D_HEADERS;
}

/* Authorization (RFC 9110 §11.6.2): as libhtp, the Basic, Digest and
 * Bearer schemes are known (case-insensitive prefix of the value after
 * leading whitespace); any other scheme is REQUEST_AUTH_UNRECOGNIZED. */
static void auth_check(HttpTx *tx)
{
    const HttpHeader *h = http_headers_find(&tx->h[0], "authorization");
    if (h == NULL)
        return;
    const uint8_t *v = h->value.p;
    uint32_t n = h->value.len;
    while (n > 0 && http_is_lws(v[0])) {
        v++;
        n--;
    }
    static const char *const known[] = { "basic", "digest", "bearer" };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        size_t k = strlen(known[i]);
        if (n >= k && http_ci_eq(v, (uint32_t)k, known[i]))
            return;
    }
    http_tx_event_set(tx, HTTP_EV_REQUEST_AUTH_UNRECOGNIZED);
}

void http_request_headers_done(HttpState *s, HttpDir *d)
{
    HttpTx *tx = d->tx;
    if (tx == NULL) {
        d->st = D_STOPPED;
        return;
    }
    tx->progress[0] = HTTP_PROGRESS_HEADERS;
    http_host_process(s, tx);
    auth_check(tx);
    http_headers_derive(tx, 0);
    http_body_start(s, d, 0);
}

void http_request_complete(HttpState *s, HttpDir *d)
{
    HttpTx *tx = d->tx;
    d->has_pending = false;
    d->pending.len = 0;
    http_decoder_free(d->dec);
    d->dec = NULL;
    if (tx) {
        d->completed++;
        tx->progress[0] = HTTP_PROGRESS_COMPLETE;
        tx->body_full[0] = true;
        http_files_end(tx, 0, false);
    }
    d->tx = NULL;
    if (tx && tx->is_connect && tx->progress[1] != HTTP_PROGRESS_COMPLETE) {
        d->st = D_CONNECT_WAIT;
        return;
    }
    if (tx && tx->is_connect && tx->status_num >= 200 && tx->status_num < 300) {
        d->st = D_STOPPED;
        return;
    }
    d->st = D_LINE;
}
