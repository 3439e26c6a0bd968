/*
 * The EVE "http" object, field for field as Suricata 8's output-json-http.c
 * writes it: hostname, http_port (only when a port was given), url (the raw
 * request target), http_user_agent, xff, http_content_type (up to ';'),
 * content_range; with `extended` http_refer, http_method, protocol, status
 * (or status_string), redirect and length (response body bytes after
 * dechunking); then request_headers/response_headers arrays for
 * dump-all-headers or the `custom` header list (names cut to 255 bytes,
 * values to 2047).
 */
#include <string.h>

#include "app/http/http-private.h"

typedef struct CustomField {
    const char *config;
    const char *header;
    bool extended; /* already logged by extended mode */
} CustomField;

static const CustomField g_fields[] = {
    { "accept", "accept", false }, { "accept_charset", "accept-charset", false },
    { "accept_encoding", "accept-encoding", false }, { "accept_language", "accept-language", false },
    { "accept_datetime", "accept-datetime", false }, { "authorization", "authorization", false },
    { "cache_control", "cache-control", false }, { "cookie", "cookie", false }, { "from", "from", false },
    { "max_forwards", "max-forwards", false }, { "origin", "origin", false }, { "pragma", "pragma", false },
    { "proxy_authorization", "proxy-authorization", false }, { "range", "range", false }, { "te", "te", false },
    { "via", "via", false }, { "x_requested_with", "x-requested-with", false }, { "dnt", "dnt", false },
    { "x_forwarded_proto", "x-forwarded-proto", false }, { "x_authenticated_user", "x-authenticated-user", false },
    { "x_flash_version", "x-flash-version", false }, { "accept_range", "accept-range", false },
    { "age", "age", false }, { "allow", "allow", false }, { "connection", "connection", false },
    { "content_encoding", "content-encoding", false }, { "content_language", "content-language", false },
    { "content_length", "content-length", false }, { "content_location", "content-location", false },
    { "content_md5", "content-md5", false }, { "content_range", "content-range", false },
    { "content_type", "content-type", false }, { "date", "date", false }, { "etag", "etags", false },
    { "expires", "expires", false }, { "last_modified", "last-modified", false }, { "link", "link", false },
    { "location", "location", false }, { "proxy_authenticate", "proxy-authenticate", false },
    { "referer", "referer", true }, { "refresh", "refresh", false }, { "retry_after", "retry-after", false },
    { "server", "server", false }, { "set_cookie", "set-cookie", false }, { "trailer", "trailer", false },
    { "transfer_encoding", "transfer-encoding", false }, { "upgrade", "upgrade", false }, { "vary", "vary", false },
    { "warning", "warning", false }, { "www_authenticate", "www-authenticate", false },
    { "true_client_ip", "true-client-ip", false }, { "org_src_ip", "org-src-ip", false },
    { "x_bluecoat_via", "x-bluecoat-via", false },
};

void http_log_config_default(HttpLogConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->extended = true;
}

static void strn(JsonBuf *j, const char *key, const HttpBytes *b)
{
    jb_strn(j, key, b->p ? b->p : (const uint8_t *)"", b->len);
}

static bool hval(const HttpTx *tx, int dir, const char *name, const HttpHeader **out)
{
    *out = http_headers_find(&tx->h[dir], name);
    return *out != NULL;
}

/* Content-Range forms: bytes 0-99/1000, bytes STAR/1000, bytes 0-99/STAR (STAR is an asterisk). */
static bool parse_range(const uint8_t *p, uint32_t n, int64_t *start, int64_t *end, int64_t *size)
{
    uint32_t i = 0;
    *start = *end = *size = -1;
    while (i < n && http_is_lws(p[i]))
        i++;
    if (n - i < 5 || !http_ci_eq(p + i, 5, "bytes"))
        return false;
    i += 5;
    if (i < n && p[i] != ' ')
        return false;
    while (i < n && p[i] == ' ')
        i++;
    if (i < n && p[i] == '*') {
        i++;
    } else {
        int64_t a = 0, b = 0;
        uint32_t d = 0;
        for (; i < n && p[i] >= '0' && p[i] <= '9' && a < INT64_MAX / 10 - 9; i++, d++)
            a = a * 10 + (p[i] - '0');
        if (d == 0 || i >= n || p[i] != '-')
            return false;
        i++;
        d = 0;
        for (; i < n && p[i] >= '0' && p[i] <= '9' && b < INT64_MAX / 10 - 9; i++, d++)
            b = b * 10 + (p[i] - '0');
        if (d == 0)
            return false;
        *start = a;
        *end = b;
    }
    if (i >= n || p[i] != '/')
        return false;
    i++;
    if (i < n && p[i] == '*')
        return i + 1 == n;
    int64_t s = 0;
    uint32_t d = 0;
    for (; i < n && p[i] >= '0' && p[i] <= '9' && s < INT64_MAX / 10 - 9; i++, d++)
        s = s * 10 + (p[i] - '0');
    if (d == 0 || i != n)
        return false;
    *size = s;
    return true;
}

static bool custom_wants(const HttpLogConfig *cfg, const HttpHeader *h)
{
    for (uint32_t c = 0; c < cfg->n_custom; c++) {
        for (size_t f = 0; f < sizeof(g_fields) / sizeof(g_fields[0]); f++) {
            if (strcmp(cfg->custom[c], g_fields[f].config) != 0)
                continue;
            if (cfg->extended && g_fields[f].extended)
                continue;
            if (http_ci_eq(h->name.p, h->name.len, g_fields[f].header))
                return true;
        }
    }
    return false;
}

static void log_headers(JsonBuf *j, const HttpTx *tx, int dir, const HttpLogConfig *cfg)
{
    bool all = dir == 0 ? cfg->dump_request_headers : cfg->dump_response_headers;
    const HttpHeaders *hs = &tx->h[dir];
    bool open = false;
    for (uint32_t i = 0; i < hs->n; i++) {
        const HttpHeader *h = &hs->v[i];
        if (!all && !custom_wants(cfg, h))
            continue;
        if (!open) {
            jb_open_array(j, dir == 0 ? "request_headers" : "response_headers");
            open = true;
        }
        jb_open_object(j, NULL);
        /* C strings in Suricata: cut at the limit and at a NUL byte */
        uint32_t nl = h->name.len < 255 ? h->name.len : 255;
        const uint8_t *z = nl ? memchr(h->name.p, 0, nl) : NULL;
        if (z)
            nl = (uint32_t)(z - h->name.p);
        jb_strn(j, "name", h->name.p ? h->name.p : (const uint8_t *)"", nl);
        uint32_t vl = h->value.len < 2047 ? h->value.len : 2047;
        z = vl ? memchr(h->value.p, 0, vl) : NULL;
        if (z)
            vl = (uint32_t)(z - h->value.p);
        jb_strn(j, "value", h->value.p ? h->value.p : (const uint8_t *)"", vl);
        jb_close_object(j);
    }
    if (open)
        jb_close_array(j);
}

void http_log_tx(JsonBuf *j, const HttpTx *tx, const HttpLogConfig *cfg)
{
    const HttpHeader *h;
    jb_open_object(j, "http");
    if (tx->hostname.set)
        strn(j, "hostname", &tx->hostname);
    if (tx->port >= 0)
        jb_uint(j, "http_port", (uint64_t)tx->port);
    if (tx->uri_raw.set)
        strn(j, "url", &tx->uri_raw);
    if (hval(tx, 0, "user-agent", &h))
        strn(j, "http_user_agent", &h->value);
    if (hval(tx, 0, "x-forwarded-for", &h))
        strn(j, "xff", &h->value);
    if (hval(tx, 1, "content-type", &h)) {
        uint32_t n = 0;
        while (n < h->value.len && h->value.p[n] != ';' && h->value.p[n] != 0)
            n++;
        jb_strn(j, "http_content_type", h->value.p ? h->value.p : (const uint8_t *)"", n);
    }
    if (hval(tx, 1, "content-range", &h)) {
        jb_open_object(j, "content_range");
        strn(j, "raw", &h->value);
        int64_t a, b, c;
        if (parse_range(h->value.p, h->value.len, &a, &b, &c)) {
            if (a >= 0)
                jb_uint(j, "start", (uint64_t)a);
            if (b >= 0)
                jb_uint(j, "end", (uint64_t)b);
            if (c >= 0)
                jb_uint(j, "size", (uint64_t)c);
        }
        jb_close_object(j);
    }
    if (cfg->extended) {
        if (hval(tx, 0, "referer", &h))
            strn(j, "http_refer", &h->value);
        if (tx->method.set)
            strn(j, "http_method", &tx->method);
        if (tx->protocol.set)
            strn(j, "protocol", &tx->protocol);
        if (tx->status_num > 0)
            jb_uint(j, "status", (uint64_t)tx->status_num);
        else if (tx->status.set)
            strn(j, "status_string", &tx->status);
        if (hval(tx, 1, "location", &h))
            strn(j, "redirect", &h->value);
        jb_uint(j, "length", tx->body_len[1]);
    }
    if (cfg->dump_request_headers || cfg->n_custom)
        log_headers(j, tx, 0, cfg);
    if (cfg->dump_response_headers || cfg->n_custom)
        log_headers(j, tx, 1, cfg);
    jb_close_object(j);
}
