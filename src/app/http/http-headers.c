/*
 * Header fields (RFC 9110 §5, RFC 9112 §5): splitting "name: value" lines,
 * flagging what libhtp flags (missing colon, whitespace before the colon,
 * non-token names, too many headers), and keeping one table entry per
 * name where repeated fields are joined with ", " (RFC 9110 §5.3), except
 * Content-Length whose repetitions are compared instead. Response lines
 * get libhtp-rs's leniency: NUL bytes dropped, VT/FF trimmed like spaces.
 */
#include <ctype.h>
#include <string.h>

#include "app/http/http-private.h"

bool http_ci_eq(const uint8_t *a, uint32_t alen, const char *b)
{
    size_t bl = strlen(b);
    if (alen != bl)
        return false;
    for (uint32_t i = 0; i < alen; i++)
        if (tolower(a[i]) != tolower((unsigned char)b[i]))
            return false;
    return true;
}

bool http_ci_contains(const uint8_t *a, uint32_t alen, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl == 0)
        return true;
    for (uint32_t i = 0; i + nl <= alen; i++)
        if (http_ci_eq(a + i, (uint32_t)nl, needle))
            return true;
    return false;
}

int64_t http_parse_cl(const uint8_t *v, uint32_t n)
{
    uint32_t i = 0;
    while (i < n && http_is_lws(v[i]))
        i++;
    if (i == n)
        return -1;
    int64_t val = 0;
    uint32_t digits = 0;
    for (; i < n && v[i] >= '0' && v[i] <= '9'; i++, digits++) {
        if (val > (INT64_MAX - 9) / 10)
            return -1;
        val = val * 10 + (v[i] - '0');
    }
    while (i < n && http_is_lws(v[i]))
        i++;
    if (digits == 0 || i != n)
        return -1;
    return val;
}

const HttpHeader *http_headers_find(const HttpHeaders *h, const char *name)
{
    for (uint32_t i = 0; i < h->n; i++)
        if (http_ci_eq(h->v[i].name.p, h->v[i].name.len, name))
            return &h->v[i];
    return NULL;
}

void http_headers_free(HttpHeaders *h)
{
    for (uint32_t i = 0; i < h->n; i++) {
        hb_free(&h->v[i].name);
        hb_free(&h->v[i].value);
    }
    http_mem_free(h->v, (size_t)h->cap * sizeof(HttpHeader));
    http_mem_free(h->multi_off, h->multi_off ? ((size_t)h->multi_n + 1) * sizeof(uint32_t) : 0);
    hb_free(&h->raw);
    hb_free(&h->norm);
    hb_free(&h->names);
    hb_free(&h->multi);
    hb_free(&h->start);
    memset(h, 0, sizeof(*h));
}

static bool is_token(uint8_t c)
{
    if (c <= 32 || c >= 127)
        return false;
    return strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

static void add_header(HttpState *s, HttpTx *tx, int dir, const uint8_t *name, uint32_t nlen,
                       const uint8_t *val, uint32_t vlen)
{
    HttpHeaders *h = &tx->h[dir];
    for (uint32_t i = 0; i < h->n; i++) {
        HttpHeader *e = &h->v[i];
        if (nlen != e->name.len)
            continue;
        bool same = true;
        for (uint32_t k = 0; k < nlen; k++)
            if (tolower(name[k]) != tolower(e->name.p[k])) {
                same = false;
                break;
            }
        if (!same)
            continue;
        if (!e->repeated)
            http_tx_event_set(tx, dir == 0 ? HTTP_EV_REQUEST_HEADER_REPETITION : HTTP_EV_RESPONSE_HEADER_REPETITION);
        e->repeated = true;
        if (http_ci_eq(name, nlen, "content-length")) {
            int64_t a = http_parse_cl(e->value.p, e->value.len);
            int64_t b = http_parse_cl(val, vlen);
            if (a < 0 || b < 0 || a != b)
                http_tx_event_set(tx, dir == 0 ? HTTP_EV_DUPLICATE_CONTENT_LENGTH_FIELD_IN_REQUEST
                                               : HTTP_EV_DUPLICATE_CONTENT_LENGTH_FIELD_IN_RESPONSE);
            return;
        }
        hb_append(&e->value, (const uint8_t *)", ", 2);
        hb_append(&e->value, val, vlen);
        return;
    }
    if (s->cfg.headers_limit && h->n >= s->cfg.headers_limit) {
        http_tx_event_set(tx, dir == 0 ? HTTP_EV_REQUEST_TOO_MANY_HEADERS : HTTP_EV_RESPONSE_TOO_MANY_HEADERS);
        return;
    }
    if (h->n == h->cap) {
        uint32_t nc = h->cap ? h->cap * 2 : 16;
        HttpHeader *v = http_mem_realloc(h->v, (size_t)h->cap * sizeof(HttpHeader), (size_t)nc * sizeof(HttpHeader));
        if (v == NULL)
            return;
        memset(v + h->cap, 0, (size_t)(nc - h->cap) * sizeof(HttpHeader));
        h->v = v;
        h->cap = nc;
    }
    HttpHeader *e = &h->v[h->n++];
    hb_set(&e->name, name, nlen);
    hb_set(&e->value, val, vlen);
}

static bool is_vt_ff(uint8_t c)
{
    return c == 0x0b || c == 0x0c;
}

static void header_line(HttpState *s, HttpTx *tx, int dir, const uint8_t *line, uint32_t len);

void http_header_line(HttpState *s, HttpTx *tx, int dir, const uint8_t *line, uint32_t len)
{
    /* as libhtp-rs reads responses, NUL bytes inside a header line are
     * dropped ("Content-Encoding\0:gz\0ip" is gzip) */
    if (dir == 1 && len && memchr(line, 0, len)) {
        uint8_t *copy = http_mem_alloc(len);
        if (copy) {
            uint32_t n = 0;
            for (uint32_t i = 0; i < len; i++)
                if (line[i] != 0)
                    copy[n++] = line[i];
            header_line(s, tx, dir, copy, n);
            http_mem_free(copy, len);
            return;
        }
    }
    header_line(s, tx, dir, line, len);
}

static void header_line(HttpState *s, HttpTx *tx, int dir, const uint8_t *line, uint32_t len)
{
    HttpHeaders *h = &tx->h[dir];
    h->lines++;
    const uint8_t *colon = memchr(line, ':', len);
    const uint8_t *name = line, *val;
    uint32_t nlen, vlen;
    if (colon == NULL) {
        http_tx_event_set(tx, dir == 0 ? HTTP_EV_REQUEST_FIELD_MISSING_COLON : HTTP_EV_RESPONSE_FIELD_MISSING_COLON);
        nlen = 0;
        val = line;
        vlen = len;
    } else {
        nlen = (uint32_t)(colon - line);
        val = colon + 1;
        vlen = len - nlen - 1;
        bool invalid = false;
        /* leading whitespace of a first line, LWS before the colon */
        while (nlen > 0 && http_is_lws(name[0])) {
            name++;
            nlen--;
            invalid = true;
        }
        while (nlen > 0 && (http_is_lws(name[nlen - 1]) || (dir == 1 && is_vt_ff(name[nlen - 1])))) {
            nlen--;
            invalid = true;
        }
        if (nlen == 0)
            invalid = true;
        for (uint32_t i = 0; i < nlen; i++)
            if (!is_token(name[i]))
                invalid = true;
        if (invalid)
            http_tx_event_set(tx, dir == 0 ? HTTP_EV_REQUEST_HEADER_INVALID : HTTP_EV_RESPONSE_HEADER_INVALID);
    }
    /* responses: VT and FF count as whitespace around the value too */
    bool vf = dir == 1;
    while (vlen > 0 && (http_is_lws(val[0]) || val[0] == '\r' || (vf && is_vt_ff(val[0])))) {
        val++;
        vlen--;
    }
    while (vlen > 0 && (http_is_lws(val[vlen - 1]) || val[vlen - 1] == '\r' || (vf && is_vt_ff(val[vlen - 1]))))
        vlen--;
    add_header(s, tx, dir, name, nlen, val, vlen);
}
