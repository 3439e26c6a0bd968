/*
 * Inspection buffers of a transaction, as Suricata's http.* sticky buffers
 * present them: the normalized header block ("Name: value\r\n" per field,
 * Cookie/Set-Cookie left out), header names ("\r\nName\r\n...\r\n\r\n"),
 * per-header "name: value" items for http.request_header and
 * http.response_header, http.start (line, headers, empty line), plus the
 * single-field buffers looked up in the header tables. The derived blocks
 * are built once, when a message's headers end. Also when a kept body is
 * complete (the windows of a growing one: http-inspect.c).
 */
#include <string.h>

#include "app/http/http-private.h"

static const uint8_t CRLF[2] = { '\r', '\n' };

void http_headers_derive(HttpTx *tx, int dir)
{
    HttpHeaders *h = &tx->h[dir];
    const char *skip = dir == 0 ? "cookie" : "set-cookie";
    h->norm.len = h->names.len = h->multi.len = h->start.len = 0;
    http_mem_free(h->multi_off, h->multi_off ? ((size_t)h->multi_n + 1) * sizeof(uint32_t) : 0);
    h->multi_off = http_mem_alloc(((size_t)h->n + 1) * sizeof(uint32_t));
    h->multi_n = h->multi_off ? h->n : 0;
    const HttpBytes *line = dir == 0 ? &tx->request_line : &tx->response_line;
    hb_append(&h->start, line->p, line->len);
    hb_append(&h->start, CRLF, 2);
    hb_append(&h->names, CRLF, 2);
    for (uint32_t i = 0; i < h->n; i++) {
        const HttpHeader *e = &h->v[i];
        if (!http_ci_eq(e->name.p, e->name.len, skip)) {
            hb_append(&h->norm, e->name.p, e->name.len);
            hb_append(&h->norm, (const uint8_t *)": ", 2);
            hb_append(&h->norm, e->value.p, e->value.len);
            hb_append(&h->norm, CRLF, 2);
        }
        hb_append(&h->names, e->name.p, e->name.len);
        hb_append(&h->names, CRLF, 2);
        hb_append(&h->start, e->name.p, e->name.len);
        hb_append(&h->start, (const uint8_t *)": ", 2);
        hb_append(&h->start, e->value.p, e->value.len);
        hb_append(&h->start, CRLF, 2);
        if (h->multi_off && i < h->multi_n) {
            h->multi_off[i] = h->multi.len;
            hb_append(&h->multi, e->name.p, e->name.len);
            hb_append(&h->multi, (const uint8_t *)": ", 2);
            hb_append(&h->multi, e->value.p, e->value.len);
        }
    }
    if (h->multi_off)
        h->multi_off[h->multi_n] = h->multi.len;
    hb_append(&h->names, CRLF, 2);
    hb_append(&h->start, CRLF, 2);
}

static bool out(const HttpBytes *b, const uint8_t **d, uint32_t *l)
{
    if (!b->set)
        return false;
    *d = b->p ? b->p : (const uint8_t *)"";
    *l = b->len;
    return true;
}

static bool hdr(const HttpTx *tx, int dir, const char *name, const uint8_t **d, uint32_t *l)
{
    const HttpHeader *h = http_headers_find(&tx->h[dir], name);
    if (h == NULL)
        return false;
    *d = h->value.p ? h->value.p : (const uint8_t *)"";
    *l = h->value.len;
    return true;
}

bool http_tx_header_value(const HttpTx *tx, bool to_server, const char *name, const uint8_t **d, uint32_t *l)
{
    return hdr(tx, to_server ? 0 : 1, name, d, l);
}

bool http_tx_buffer(const HttpTx *tx, HttpBuffer b, bool to_server, const uint8_t **d, uint32_t *l)
{
    int dir = to_server ? 0 : 1;
    bool hdrs_done = tx->progress[dir] >= HTTP_PROGRESS_HEADERS;
    switch (b) {
    case HTTP_BUF_URI: return out(&tx->uri_norm, d, l);
    case HTTP_BUF_URI_RAW: return out(&tx->uri_raw, d, l);
    case HTTP_BUF_METHOD: return out(&tx->method, d, l);
    case HTTP_BUF_PROTOCOL: return out(to_server ? &tx->protocol : &tx->res_protocol, d, l);
    case HTTP_BUF_REQUEST_LINE: return out(&tx->request_line, d, l);
    case HTTP_BUF_RESPONSE_LINE: return out(&tx->response_line, d, l);
    case HTTP_BUF_HEADER: return hdrs_done && tx->h[dir].norm.len && out(&tx->h[dir].norm, d, l);
    case HTTP_BUF_HEADER_RAW: return hdrs_done && out(&tx->h[dir].raw, d, l);
    case HTTP_BUF_HEADER_NAMES: return hdrs_done && out(&tx->h[dir].names, d, l);
    case HTTP_BUF_START: return hdrs_done && out(&tx->h[dir].start, d, l);
    case HTTP_BUF_HOST: return out(&tx->hostname, d, l);
    case HTTP_BUF_HOST_RAW: return out(&tx->host_raw, d, l);
    case HTTP_BUF_USER_AGENT: return hdr(tx, 0, "user-agent", d, l);
    case HTTP_BUF_COOKIE: return hdr(tx, dir, to_server ? "cookie" : "set-cookie", d, l);
    case HTTP_BUF_REFERER: return hdr(tx, 0, "referer", d, l);
    case HTTP_BUF_ACCEPT: return hdr(tx, 0, "accept", d, l);
    case HTTP_BUF_ACCEPT_ENC: return hdr(tx, 0, "accept-encoding", d, l);
    case HTTP_BUF_ACCEPT_LANG: return hdr(tx, 0, "accept-language", d, l);
    case HTTP_BUF_CONNECTION: return hdr(tx, dir, "connection", d, l);
    case HTTP_BUF_CONTENT_TYPE: return hdr(tx, dir, "content-type", d, l);
    case HTTP_BUF_CONTENT_LEN: return hdr(tx, dir, "content-length", d, l);
    case HTTP_BUF_LOCATION: return hdr(tx, 1, "location", d, l);
    case HTTP_BUF_SERVER: return hdr(tx, 1, "server", d, l);
    case HTTP_BUF_BODY: return tx->body[dir].len > 0 && out(&tx->body[dir], d, l);
    case HTTP_BUF_STAT_CODE: return out(&tx->status, d, l);
    case HTTP_BUF_STAT_MSG: return out(&tx->status_msg, d, l);
    }
    return false;
}

bool http_tx_header_at(const HttpTx *tx, bool to_server, uint32_t idx, const uint8_t **d, uint32_t *l)
{
    const HttpHeaders *h = &tx->h[to_server ? 0 : 1];
    if (h->multi_off == NULL || idx >= h->multi_n)
        return false;
    *d = h->multi.p + h->multi_off[idx];
    *l = h->multi_off[idx + 1] - h->multi_off[idx];
    return true;
}

int64_t http_tx_uri_len(const HttpTx *tx, bool raw)
{
    const HttpBytes *b = raw ? &tx->uri_raw : &tx->uri_norm;
    return b->set ? (int64_t)b->len : -1;
}

int http_tx_status(const HttpTx *tx) { return tx->status_num > 0 ? tx->status_num : 0; }
uint64_t http_tx_body_len(const HttpTx *tx, bool to_server) { return tx->body_len[to_server ? 0 : 1]; }
bool http_tx_body_complete(const HttpTx *tx, bool to_server)
{
    int dir = to_server ? 0 : 1;
    return tx->body_full[dir] || tx->progress[dir] == HTTP_PROGRESS_COMPLETE;
}
