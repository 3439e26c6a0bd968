/*
 * Alert stream payloads with their holes written in (see eve-stream-gaps.h).
 * A hole is shown where the bytes after it start; one right at the
 * window's start (data picked up after a lost first segment) comes first,
 * one after the window's last byte is not shown, as nothing follows it.
 * eve_stream_stored writes the stream store's regions (stream.h,
 * stream_tcp_for_each_stored) the same way.
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

typedef struct StoredOut {
    uint8_t *buf;
    size_t len, cap;
    bool failed;
} StoredOut;

static bool stored_reserve(StoredOut *o, size_t more)
{
    if (o->failed || more > UINT32_MAX - o->len)
        return o->failed = true, false;
    if (o->len + more <= o->cap)
        return true;
    size_t cap = o->cap ? o->cap : 1024;
    while (cap < o->len + more)
        cap *= 2;
    uint8_t *b = realloc(o->buf, cap);
    if (b == NULL)
        return o->failed = true, false;
    o->buf = b;
    o->cap = cap;
    return true;
}

static void stored_region(void *ctx, uint64_t hole_before, const uint8_t *data, uint32_t len)
{
    StoredOut *o = ctx;
    if (hole_before && stored_reserve(o, GAP_TEXT_MAX))
        o->len += (size_t)snprintf((char *)o->buf + o->len, GAP_TEXT_MAX, "[%llu bytes missing]",
                                   (unsigned long long)hole_before);
    if (len && stored_reserve(o, len)) {
        memcpy(o->buf + o->len, data, len);
        o->len += len;
    }
}

uint8_t *eve_stream_stored(const Flow *f, bool to_server, uint32_t *len)
{
    StoredOut o = {0};
    if (stream_tcp_for_each_stored(f, to_server, stored_region, &o) == 0 || o.failed || o.len == 0) {
        free(o.buf);
        return NULL;
    }
    *len = (uint32_t)o.len;
    return o.buf;
}
