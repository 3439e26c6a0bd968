/*
 * Alert stream payloads with their holes written in (see eve-stream-gaps.h).
 * A hole is shown where the bytes after it start; one right at the
 * window's start (data picked up after a lost first segment) comes first,
 * one after the window's last byte is not shown, as nothing follows it.
 */
#include "output/eve-stream-gaps.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
