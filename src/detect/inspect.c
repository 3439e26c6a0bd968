/*
 * The content inspection engine: runs a signature's buffer keywords, in
 * order, against one buffer, backtracking like Suricata's
 * DetectEngineContentInspection.
 *
 * Each keyword is tried from the cursor left by the previous one. When a
 * later keyword fails and the keyword after the current one is relative
 * (it depends on where the current one matched), the current keyword is
 * retried at its next occurrence (cursor.next_retry) with the cursor it
 * started from. A keyword returning INSPECT_NO_MATCH_DISCONTINUE ends the
 * whole inspection. Every keyword evaluation spends one unit of the
 * recursion budget (detect.inspection-recursion-limit); when it runs out the
 * inspection fails, as Suricata's does.
 */
#include "detect/inspect.h"

#include <stdlib.h>
#include <string.h>

#include "detect/detect-engine.h"

#define INSPECT_DEFAULT_RECURSION 3000

static bool next_is_relative(const SigMatchList *list, uint16_t idx)
{
    if (idx + 1u >= list->count)
        return false;
    const KeywordDef *d = keyword_get(list->items[idx + 1].kw);
    return d && d->is_relative && d->is_relative(list->items[idx + 1].ctx);
}

static InspectResult inspect_from(struct DetectThread *dt, const Signature *s, const SigMatchList *list,
                                  uint16_t idx, InspectCursor *cur)
{
    if (idx >= list->count)
        return INSPECT_MATCH;
    const SigMatch *sm = &list->items[idx];
    const KeywordDef *d = keyword_get(sm->kw);
    if (!d || !d->inspect)
        return inspect_from(dt, s, list, (uint16_t)(idx + 1), cur); /* no-op keyword on a buffer list */
    const uint32_t start_offset = cur->offset;
    uint32_t retry_from = 0;
    for (;;) {
        if (cur->recursion_left == 0)
            return INSPECT_NO_MATCH_DISCONTINUE;
        cur->recursion_left--;
        cur->offset = start_offset;
        cur->retry_from = retry_from;
        cur->retryable = false;
        InspectResult r = d->inspect(dt, cur, s, sm->ctx);
        if (r != INSPECT_MATCH)
            return r;
        const bool retryable = cur->retryable;
        const uint32_t next_retry = cur->next_retry;
        r = inspect_from(dt, s, list, (uint16_t)(idx + 1), cur);
        if (r == INSPECT_MATCH || r == INSPECT_NO_MATCH_DISCONTINUE)
            return r;
        if (!retryable || !next_is_relative(list, idx) || next_retry <= retry_from || next_retry >= cur->len)
            return INSPECT_NO_MATCH;
        retry_from = next_retry;
    }
}

bool inspect_buffer(struct DetectThread *dt, const Signature *s, const SigMatchList *list, const uint8_t *buf,
                    uint32_t len, InspectBufferKind kind, const Packet *p)
{
    return inspect_buffer_window(dt, s, list, buf, len, kind, p, 0);
}

bool inspect_buffer_window(struct DetectThread *dt, const Signature *s, const SigMatchList *list, const uint8_t *buf,
                           uint32_t len, InspectBufferKind kind, const Packet *p, uint32_t window_base)
{
    if (!list || list->count == 0)
        return true;
    InspectCursor cur;
    memset(&cur, 0, sizeof(cur));
    cur.buf = buf;
    cur.len = len;
    cur.kind = kind;
    cur.p = p;
    cur.to_server = p ? p->to_server : true;
    cur.window_base = window_base;
    cur.recursion_left = (dt && dt->de) ? dt->de->recursion_limit : INSPECT_DEFAULT_RECURSION;
    return inspect_from(dt, s, list, 0, &cur) == INSPECT_MATCH;
}

bool inspect_buffer_reserve(InspectBuffer *b, uint32_t n)
{
    if (b->owned_cap >= n)
        return true;
    uint32_t cap = b->owned_cap ? b->owned_cap : 256;
    while (cap < n) {
        if (cap > UINT32_MAX / 2)
            return false;
        cap *= 2;
    }
    uint8_t *nb = realloc(b->owned, cap);
    if (!nb)
        return false;
    b->owned = nb;
    b->owned_cap = cap;
    return true;
}
