/*
 * Alert stream payloads with their holes written in (see eve-stream-gaps.h).
 * A hole is shown where the bytes after it start; one right at the
 * window's start (data picked up after a lost first segment) comes first,
 * one after the window's last byte is not shown, as nothing follows it.
 * eve_stream_stored writes the stream store's regions (stream.h,
 * stream_tcp_for_each_stored) the same way, up to the payload buffer's
 * size as Suricata 8 caps stream payloads (eve_stream_payload_limit).
 */
#include "output/eve-stream-gaps.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/stream.h"

/* "[4294967295 bytes missing]" and its terminator */
#define GAP_TEXT_MAX 32

static bool in_window(const DetectStreamGap *g, uint32_t len, uint32_t base)
{
    return g->pos >= base && g->pos - base < len;
}

uint8_t *eve_stream_with_gaps(const uint8_t *data, uint32_t *len, const DetectStreamGap *gaps, uint32_t gap_count,
                              uint32_t base)
{
    const uint32_t n = *len;
    uint32_t shown = 0;
    for (uint32_t i = 0; i < gap_count; i++)
        if (in_window(&gaps[i], n, base))
            shown++;
    if (shown == 0 || data == NULL)
        return NULL;
    uint8_t *out = malloc((size_t)n + (size_t)shown * GAP_TEXT_MAX);
    if (out == NULL)
        return NULL;
    size_t o = 0;
    uint32_t from = 0;
    for (uint32_t i = 0; i < gap_count; i++) {
        if (!in_window(&gaps[i], n, base))
            continue;
        uint32_t at = gaps[i].pos - base;
        if (at < from)
            continue; /* out of order: not shown */
        memcpy(out + o, data + from, at - from);
        o += at - from;
        o += (size_t)snprintf((char *)out + o, GAP_TEXT_MAX, "[%u bytes missing]", gaps[i].len);
        from = at;
    }
    memcpy(out + o, data + from, n - from);
    *len = (uint32_t)(o + n - from);
    return out;
}

/* The rendering of the stored regions, kept to its first `limit` bytes
 * as Suricata's fixed-size payload buffer keeps them. The buffer grows
 * with what is written, so a short stream costs little whatever the limit. */
typedef struct StoredOut {
    uint8_t *buf;
    size_t len, cap, limit;
    bool failed;
} StoredOut;

/* Appends up to the limit; false once the limit is reached (or memory
 * ran out): the walk stops there. */
static bool stored_put(StoredOut *o, const void *data, size_t n)
{
    if (o->failed || o->len >= o->limit)
        return false;
    if (n > o->limit - o->len)
        n = o->limit - o->len;
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 1024;
        while (cap < o->len + n)
            cap *= 2;
        if (cap > o->limit)
            cap = o->limit;
        uint8_t *b = realloc(o->buf, cap);
        if (b == NULL)
            return o->failed = true, false;
        o->buf = b;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, data, n);
    o->len += n;
    return o->len < o->limit;
}

static bool stored_region(void *ctx, uint64_t hole_before, const uint8_t *data, uint32_t len)
{
    StoredOut *o = ctx;
    if (hole_before) {
        char text[48]; /* "[18446744073709551615 bytes missing]" */
        int t = snprintf(text, sizeof(text), "[%llu bytes missing]", (unsigned long long)hole_before);
        if (t > 0 && !stored_put(o, text, (size_t)t < sizeof(text) ? (size_t)t : sizeof(text) - 1))
            return false;
    }
    return stored_put(o, data, len);
}

uint8_t *eve_stream_stored(const Flow *f, bool to_server, uint32_t limit, uint32_t *len)
{
    StoredOut o = { .limit = limit };
    if (limit == 0 || stream_tcp_for_each_stored(f, to_server, stored_region, &o) == 0 || o.failed ||
        o.len == 0) {
        free(o.buf);
        return NULL;
    }
    *len = (uint32_t)o.len;
    return o.buf;
}

uint32_t eve_stream_payload_limit(uint32_t payload_buffer_size)
{
    return payload_buffer_size ? payload_buffer_size - 1 : 0;
}
