/*
 * The rule buffers of an HTTP/2 transaction, as Suricata 8's
 * rust/src/http2/detect.rs builds them from the decoded header fields of
 * one side (the to-server side for request buffers):
 *
 *   http.uri, http.uri.raw   the first :path
 *   http.method              the first :method
 *   http.stat_code           the first :status (to client)
 *   http.host.raw            every :authority, joined with ", "
 *   http.host                the same, lower-cased, cut at the first ':'
 *   http.user_agent          every user-agent, joined with ", "
 *   http.cookie              every cookie (to server) or set-cookie (to
 *                            client), joined with ", "
 *   http.header              "name: value\r\n" for each field but the
 *                            cookies, the value trimmed of spaces and tabs
 *   http.header.raw          "name: value\r\n" for each field
 *   http.header_names        "\r\n", each name and "\r\n", then "\r\n"
 *   http.request_header /    one instance per field: "name: value" with
 *   http.response_header     every ':' of name and value doubled
 *   http.protocol            "HTTP/2"
 *   http.request_line        ":method :path HTTP/2"
 *   http.response_line       "HTTP/2 :status" and CRLF
 *   http.stat_msg            empty (HTTP/2 has no reason phrase)
 *   http.server, .location,  the fields of that name (server, location,
 *   .referer, .accept, ...   referer, accept, accept-encoding,
 *                            accept-language, connection, content-type,
 *                            content-length) joined with ", "
 *
 * Built buffers are kept on the transaction until its header list grows
 * (a CONTINUATION frame), so a pointer handed out stays valid while the
 * detection run that asked for it lasts.
 */
#include "app/http2/http2-internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool http2_tx_ready(const Http2Tx *tx, bool to_server)
{
    /* Suricata's inspect engines: request buffers from HTTP2StateDataClient
     * on, response ones from HTTP2StateDataServer on */
    return tx->state >= (to_server ? HTTP2_TX_DATA_CLIENT : HTTP2_TX_DATA_SERVER);
}

bool http2_field_named(const Http2Header *h, const char *name)
{
    size_t n = strlen(name);
    return h->kind == HTTP2_HEADER_FIELD && h->name_len == n && memcmp(h->name, name, n) == 0;
}

const Http2Header *http2_side_field(const Http2Side *side, const char *name)
{
    for (uint32_t i = 0; i < side->header_count; i++)
        if (http2_field_named(&side->headers[i], name))
            return &side->headers[i];
    return NULL;
}

/* A growing byte string; `failed` once an allocation failed. */
typedef struct Http2Str {
    uint8_t *p;
    uint32_t len, cap;
    bool failed;
} Http2Str;

static void str_add(Http2Str *s, const void *d, size_t n)
{
    if (s->failed || n == 0)
        return;
    if (n > UINT32_MAX - s->len) {
        s->failed = true;
        return;
    }
    if (s->cap - s->len < n) {
        uint64_t cap = s->cap ? s->cap : 64;
        while (cap - s->len < n)
            cap *= 2;
        uint8_t *np = cap <= UINT32_MAX ? realloc(s->p, (size_t)cap) : NULL;
        if (!np) {
            s->failed = true;
            return;
        }
        s->p = np;
        s->cap = (uint32_t)cap;
    }
    memcpy(s->p + s->len, d, n);
    s->len += (uint32_t)n;
}

/* Every value of `name` joined with ", "; false when there is none. */
static bool join_values(const Http2Side *side, const char *name, Http2Str *out)
{
    bool any = false;
    for (uint32_t i = 0; i < side->header_count; i++) {
        const Http2Header *h = &side->headers[i];
        if (!http2_field_named(h, name))
            continue;
        if (any)
            str_add(out, ", ", 2);
        str_add(out, h->value, h->value_len);
        any = true;
    }
    return any;
}

static bool is_cookie(const Http2Header *h, bool to_server)
{
    const char *name = to_server ? "cookie" : "set-cookie";
    size_t n = strlen(name);
    return h->name_len == n && strncasecmp((const char *)h->name, name, n) == 0;
}

static void add_trimmed(Http2Str *out, const uint8_t *v, uint32_t n)
{
    uint32_t a = 0, b = n;
    while (a < b && (v[a] == ' ' || v[a] == '\t'))
        a++;
    while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
        b--;
    str_add(out, v + a, b - a);
}

/* Builds buffer `which` of one side into `out`; false when the side has
 * nothing for it. */
static bool build(const Http2Side *side, Http2Buf which, bool to_server, Http2Str *out)
{
    switch (which) {
    case HTTP2_BUF_HOST: {
        if (!join_values(side, ":authority", out))
            return false;
        uint32_t cut = 0;
        while (cut < out->len && out->p[cut] != ':')
            cut++;
        out->len = cut;
        for (uint32_t i = 0; i < out->len; i++)
            if (out->p[i] >= 'A' && out->p[i] <= 'Z')
                out->p[i] = (uint8_t)(out->p[i] | 0x20);
        return true;
    }
    case HTTP2_BUF_HOST_RAW: return join_values(side, ":authority", out);
    case HTTP2_BUF_USER_AGENT: return join_values(side, "user-agent", out);
    case HTTP2_BUF_COOKIE: return join_values(side, to_server ? "cookie" : "set-cookie", out);
    case HTTP2_BUF_HEADER:
    case HTTP2_BUF_HEADER_RAW:
        for (uint32_t i = 0; i < side->header_count; i++) {
            const Http2Header *h = &side->headers[i];
            if (h->kind != HTTP2_HEADER_FIELD || (which == HTTP2_BUF_HEADER && is_cookie(h, to_server)))
                continue;
            str_add(out, h->name, h->name_len);
            str_add(out, ": ", 2);
            if (which == HTTP2_BUF_HEADER)
                add_trimmed(out, h->value, h->value_len);
            else
                str_add(out, h->value, h->value_len);
            str_add(out, "\r\n", 2);
        }
        return out->len > 0;
    case HTTP2_BUF_HEADER_NAMES:
        str_add(out, "\r\n", 2);
        for (uint32_t i = 0; i < side->header_count; i++) {
            const Http2Header *h = &side->headers[i];
            if (h->kind != HTTP2_HEADER_FIELD)
                continue;
            str_add(out, h->name, h->name_len);
            str_add(out, "\r\n", 2);
        }
        if (out->len <= 2)
            return false;
        str_add(out, "\r\n", 2);
        return true;
    case HTTP2_BUF_PROTOCOL:
        str_add(out, "HTTP/2", 6);
        return true;
    case HTTP2_BUF_STAT_MSG:
        return true; /* present and empty */
    case HTTP2_BUF_REQUEST_LINE: {
        const Http2Header *m = http2_side_field(side, ":method"), *p = http2_side_field(side, ":path");
        if (!m && !p)
            return false;
        if (m)
            str_add(out, m->value, m->value_len);
        str_add(out, " ", 1);
        if (p)
            str_add(out, p->value, p->value_len);
        str_add(out, " HTTP/2", 7);
        return true;
    }
    case HTTP2_BUF_RESPONSE_LINE: {
        const Http2Header *st = http2_side_field(side, ":status");
        if (!st)
            return false;
        str_add(out, "HTTP/2 ", 7);
        str_add(out, st->value, st->value_len);
        str_add(out, "\r\n", 2);
        return true;
    }
    default: {
        static const char *const names[HTTP2_BUF_COUNT] = {
            [HTTP2_BUF_SERVER] = "server",
            [HTTP2_BUF_LOCATION] = "location",
            [HTTP2_BUF_REFERER] = "referer",
            [HTTP2_BUF_ACCEPT] = "accept",
            [HTTP2_BUF_ACCEPT_ENC] = "accept-encoding",
            [HTTP2_BUF_ACCEPT_LANG] = "accept-language",
            [HTTP2_BUF_CONNECTION] = "connection",
            [HTTP2_BUF_CONTENT_TYPE] = "content-type",
            [HTTP2_BUF_CONTENT_LEN] = "content-length",
        };
        return (unsigned)which < HTTP2_BUF_COUNT && names[which] && join_values(side, names[which], out);
    }
    }
}

bool http2_tx_buffer(Http2Tx *tx, Http2Buf which, bool to_server, const uint8_t **data, uint32_t *len)
{
    const Http2Side *side = &tx->side[to_server ? 0 : 1];
    const char *single = which == HTTP2_BUF_URI      ? ":path"
                         : which == HTTP2_BUF_METHOD ? ":method"
                         : which == HTTP2_BUF_STAT_CODE ? ":status"
                                                        : NULL;
    if (single) { /* a field's own bytes: nothing to build */
        const Http2Header *h = http2_side_field(side, single);
        if (!h)
            return false;
        *data = h->value;
        *len = h->value_len;
        return true;
    }
    if ((unsigned)which >= HTTP2_BUF_COUNT)
        return false;
    if (!tx->cache && !(tx->cache = calloc(2, sizeof(*tx->cache))))
        return false;
    Http2BufCache *c = &tx->cache[to_server ? 0 : 1][which];
    if (!c->built || c->built_count != side->header_count) {
        Http2Str s = { .p = c->data, .cap = c->cap };
        bool have = build(side, which, to_server, &s);
        c->data = s.p;
        c->cap = s.cap;
        c->len = s.len;
        c->have = have && !s.failed;
        c->built = true;
        c->built_count = side->header_count;
    }
    if (!c->have)
        return false;
    *data = c->data ? c->data : (const uint8_t *)"";
    *len = c->len;
    return true;
}

bool http2_tx_header_at(Http2Tx *tx, bool to_server, uint32_t idx, const uint8_t **data, uint32_t *len)
{
    const Http2Side *side = &tx->side[to_server ? 0 : 1];
    uint32_t seen = 0;
    for (uint32_t i = 0; i < side->header_count; i++) {
        const Http2Header *h = &side->headers[i];
        if (h->kind != HTTP2_HEADER_FIELD || seen++ != idx)
            continue;
        Http2BufCache *c = &tx->one_header[to_server ? 0 : 1];
        Http2Str s = { .p = c->data, .cap = c->cap };
        for (uint32_t k = 0; k < h->name_len; k++) /* Suricata doubles ':' */
            str_add(&s, h->name[k] == ':' ? (const uint8_t *)"::" : &h->name[k], h->name[k] == ':' ? 2 : 1);
        str_add(&s, ": ", 2);
        for (uint32_t k = 0; k < h->value_len; k++)
            str_add(&s, h->value[k] == ':' ? (const uint8_t *)"::" : &h->value[k], h->value[k] == ':' ? 2 : 1);
        c->data = s.p;
        c->cap = s.cap;
        if (s.failed)
            return false;
        *data = s.p;
        *len = s.len;
        return true;
    }
    return false;
}

int64_t http2_tx_path_len(const Http2Tx *tx)
{
    const Http2Header *h = http2_side_field(&tx->side[0], ":path");
    return h ? (int64_t)h->value_len : -1;
}

void http2_tx_buffers_free(Http2Tx *tx)
{
    for (int d = 0; d < 2; d++) {
        for (int b = 0; tx->cache && b < HTTP2_BUF_COUNT; b++)
            free(tx->cache[d][b].data);
        free(tx->one_header[d].data);
    }
    free(tx->cache);
    tx->cache = NULL;
}

/* --- the http2.* keywords --- */

bool http2_tx_has_frame_type(const Http2Tx *tx, bool to_server, uint8_t type)
{
    return (tx->side[to_server ? 0 : 1].frame_types >> (type < 31 ? type : 31)) & 1u;
}

bool http2_tx_value_at(const Http2Tx *tx, bool to_server, Http2Value which, uint32_t idx, uint64_t *value)
{
    const Http2Side *side = &tx->side[to_server ? 0 : 1];
    switch (which) {
    case HTTP2_VAL_ERROR_CODE:
        if (idx >= side->error_count)
            return false;
        *value = side->error_codes[idx];
        return true;
    case HTTP2_VAL_PRIORITY:
        if (idx >= side->priority_count)
            return false;
        *value = side->priorities[idx];
        return true;
    case HTTP2_VAL_WINDOW:
        if (idx >= side->window_count)
            return false;
        *value = side->windows[idx];
        return true;
    case HTTP2_VAL_SIZE_UPDATE:
        for (uint32_t i = 0, seen = 0; i < side->header_count; i++) {
            if (side->headers[i].kind == HTTP2_HEADER_SIZE_UPDATE && seen++ == idx) {
                *value = side->headers[i].size;
                return true;
            }
        }
        return false;
    }
    return false;
}

bool http2_tx_setting_at(const Http2Tx *tx, bool to_server, uint32_t idx, uint16_t *id, uint32_t *value)
{
    const Http2Side *side = &tx->side[to_server ? 0 : 1];
    if (idx >= side->setting_count)
        return false;
    *id = side->settings[idx].id;
    *value = side->settings[idx].value;
    return true;
}

bool http2_tx_header_name_at(const Http2Tx *tx, bool to_server, uint32_t idx, const uint8_t **data, uint32_t *len)
{
    const Http2Side *side = &tx->side[to_server ? 0 : 1];
    for (uint32_t i = 0, seen = 0; i < side->header_count; i++) {
        const Http2Header *h = &side->headers[i];
        if (h->kind == HTTP2_HEADER_FIELD && seen++ == idx) {
            *data = h->name ? h->name : (const uint8_t *)"";
            *len = h->name_len;
            return true;
        }
    }
    return false;
}

/* A decimal number up to max, or -1. */
static int64_t small_number(const char *s, int64_t max)
{
    if (!*s)
        return -1;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || (v = v * 10 + (*s - '0')) > max)
            return -1;
    }
    return v;
}

int http2_frame_type_by_name(const char *name)
{
    static const char *const names[] = { "DATA",     "HEADERS", "PRIORITY", "RSTSTREAM",    "SETTINGS",
                                         "PUSHPROMISE", "PING",  "GOAWAY",   "WINDOWUPDATE", "CONTINUATION" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcasecmp(name, names[i]) == 0)
            return (int)i;
    return (int)small_number(name, 255);
}

int64_t http2_error_code_by_name(const char *name)
{
    static const char *const names[] = { /* RFC 9113 section 7 */
        "NO_ERROR",       "PROTOCOL_ERROR", "INTERNAL_ERROR",     "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
        "STREAM_CLOSED",  "FRAME_SIZE_ERROR", "REFUSED_STREAM",   "CANCEL",             "COMPRESSION_ERROR",
        "CONNECT_ERROR",  "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcasecmp(name, names[i]) == 0)
            return (int64_t)i;
    return small_number(name, UINT32_MAX);
}

int http2_setting_id_by_name(const char *name)
{
    static const struct {
        const char *name;
        int id;
    } names[] = { /* RFC 9113 section 6.5.2, RFC 8441, RFC 9218 */
        { "SETTINGS_HEADER_TABLE_SIZE", 1 },      { "SETTINGS_ENABLE_PUSH", 2 },
        { "SETTINGS_MAX_CONCURRENT_STREAMS", 3 }, { "SETTINGS_INITIAL_WINDOW_SIZE", 4 },
        { "SETTINGS_MAX_FRAME_SIZE", 5 },         { "SETTINGS_MAX_HEADER_LIST_SIZE", 6 },
        { "SETTINGS_ENABLE_CONNECT_PROTOCOL", 8 }, { "SETTINGS_NO_RFC7540_PRIORITIES", 9 },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcasecmp(name, names[i].name) == 0)
            return names[i].id;
    return -1;
}
