/*
 * EVE for HTTP/2 transactions, as Suricata 8's rust/src/http2/logger.rs
 * writes them: an `http` object with "version": "2", the request and
 * response header entries (a field as name and value, a dynamic table size
 * update as "table_size_update", an undecodable entry as "error"), the
 * common fields HTTP/1 records also have, taken from those headers
 * (:method, :path, host, user-agent, :status, content-length), and an
 * "http2" object with the stream id and, per side, the settings, the
 * first error code, the first priority weight and which of those came
 * more than once.
 */
#include "app/http2/http2-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool name_is(const Http2Header *h, const char *name)
{
    size_t n = strlen(name);
    return h->name_len == n && strncasecmp((const char *)h->name, name, n) == 0;
}

/* The common fields, the last header of each name winning, as Suricata's
 * map of them. */
typedef struct Http2Common {
    const Http2Header *method, *path, *host, *user_agent, *status, *length;
} Http2Common;

static void note_common(Http2Common *c, const Http2Header *h)
{
    if (name_is(h, ":method"))
        c->method = h;
    else if (name_is(h, ":path"))
        c->path = h;
    else if (name_is(h, ":status"))
        c->status = h;
    else if (name_is(h, "user-agent"))
        c->user_agent = h;
    else if (name_is(h, "host"))
        c->host = h;
    else if (name_is(h, "content-length"))
        c->length = h;
}

static void log_headers(JsonBuf *j, const char *key, const Http2Side *side, Http2Common *c)
{
    if (!side->has_headers)
        return;
    jb_open_array(j, key);
    for (uint32_t i = 0; i < side->header_count; i++) {
        const Http2Header *h = &side->headers[i];
        jb_open_object(j, NULL);
        switch (h->kind) {
        case HTTP2_HEADER_FIELD:
            jb_strn(j, "name", h->name, h->name_len);
            jb_strn(j, "value", h->value, h->value_len);
            note_common(c, h);
            break;
        case HTTP2_HEADER_SIZE_UPDATE:
            jb_uint(j, "table_size_update", h->size);
            break;
        case HTTP2_HEADER_ERROR:
            jb_str(j, "error", h->error);
            break;
        }
        jb_close_object(j);
    }
    jb_close_array(j);
}

/* A decimal header value as a number; false when it is not one. */
static bool header_number(const Http2Header *h, uint64_t *out)
{
    if (!h || h->name_len == 0 || h->value_len == 0 || h->value_len > 19)
        return false;
    uint64_t v = 0;
    for (uint32_t i = 0; i < h->value_len; i++) {
        if (h->value[i] < '0' || h->value[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(h->value[i] - '0');
    }
    *out = v;
    return true;
}

/* Returns whether the side had anything of its frames to log. */
static bool log_side_frames(JsonBuf *j, const char *key, const Http2Side *side)
{
    jb_open_object(j, key);
    if (side->has_settings && side->setting_count) {
        jb_open_array(j, "settings");
        for (uint32_t i = 0; i < side->setting_count; i++) {
            jb_open_object(j, NULL);
            jb_str(j, "settings_id", http2_setting_name(side->settings[i].id));
            jb_uint(j, "settings_value", side->settings[i].value);
            jb_close_object(j);
        }
        jb_close_array(j);
    }
    if (side->has_error_code) {
        const char *name = http2_error_name(side->error_code);
        char num[16];
        if (!name) {
            snprintf(num, sizeof(num), "%u", side->error_code);
            name = num;
        }
        jb_str(j, "error_code", name);
    }
    if (side->has_priority)
        jb_uint(j, "priority", side->priority);
    if (side->multiple)
        jb_str(j, "has_multiple", side->multiple);
    jb_close_object(j);
    return (side->has_settings && side->setting_count) || side->has_error_code || side->has_priority;
}

bool http2_log_tx(JsonBuf *j, const Http2Tx *tx)
{
    Http2Common c = { 0 };
    jb_open_object(j, "http");
    jb_str(j, "version", "2");
    log_headers(j, "request_headers", &tx->side[0], &c);
    log_headers(j, "response_headers", &tx->side[1], &c);
    if (c.host)
        jb_strn(j, "hostname", c.host->value, c.host->value_len);
    if (c.path)
        jb_strn(j, "url", c.path->value, c.path->value_len);
    if (c.user_agent)
        jb_strn(j, "http_user_agent", c.user_agent->value, c.user_agent->value_len);
    if (c.method)
        jb_strn(j, "http_method", c.method->value, c.method->value_len);
    uint64_t v;
    if (header_number(c.status, &v))
        jb_uint(j, "status", v);
    if (header_number(c.length, &v))
        jb_uint(j, "length", v);
    jb_open_object(j, "http2");
    jb_uint(j, "stream_id", tx->stream_id);
    bool frames = log_side_frames(j, "request", &tx->side[0]);
    frames |= log_side_frames(j, "response", &tx->side[1]);
    jb_close_object(j);
    jb_close_object(j);
    return frames || tx->side[0].has_headers || tx->side[1].has_headers;
}
