/*
 * Frame bookkeeping (see frames.h): per flow direction, the frames the
 * parser opened and the stream bytes they still need, the current parse
 * context parsers mark frames through, and the pruning of what detection
 * finished with.
 */
#include "app/frames.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_bool frames_on; /* set while rules load, read by the workers */

/* The parse call in progress on this thread (frames.h). */
static _Thread_local struct {
    AppFrames *fr;
    int dir;
    uint64_t base; /* stream offset of the first byte being parsed */
} cur;

void app_frames_enable(void) { atomic_store_explicit(&frames_on, true, memory_order_relaxed); }
bool app_frames_enabled(void) { return atomic_load_explicit(&frames_on, memory_order_relaxed); }

AppFrames *app_frames_new(uint16_t proto)
{
    AppFrames *fr = calloc(1, sizeof(*fr));
    if (fr) {
        fr->next_id = 1;
        fr->proto = proto;
    }
    return fr;
}

void app_frames_free(AppFrames *fr)
{
    if (!fr)
        return;
    if (cur.fr == fr)
        cur.fr = NULL;
    for (int d = 0; d < 2; d++) {
        free(fr->dir[d].frames);
        free(fr->dir[d].keep);
    }
    free(fr);
}

/* Drops kept bytes below stream offset `from`. */
static void keep_trim(AppFramesDir *d, uint64_t from)
{
    if (from <= d->keep_off)
        return;
    uint64_t drop = from - d->keep_off;
    if (drop >= d->keep_len) {
        d->keep_len = 0;
        d->keep_off = d->end;
        return;
    }
    memmove(d->keep, d->keep + drop, d->keep_len - (uint32_t)drop);
    d->keep_len -= (uint32_t)drop;
    d->keep_off = from;
}

static bool keep_append(AppFramesDir *d, const uint8_t *data, uint32_t len)
{
    if (len > APP_FRAMES_KEEP_MAX) {
        data += len - APP_FRAMES_KEEP_MAX;
        d->keep_len = 0;
        d->keep_off = d->end - APP_FRAMES_KEEP_MAX;
        len = APP_FRAMES_KEEP_MAX;
    }
    if ((uint64_t)d->keep_len + len > APP_FRAMES_KEEP_MAX)
        keep_trim(d, d->keep_off + ((uint64_t)d->keep_len + len - APP_FRAMES_KEEP_MAX));
    if (d->keep_len + len > d->keep_cap) {
        uint32_t ncap = d->keep_cap ? d->keep_cap : 4096;
        while (ncap < d->keep_len + len)
            ncap *= 2;
        uint8_t *nb = realloc(d->keep, ncap);
        if (!nb)
            return false;
        d->keep = nb;
        d->keep_cap = ncap;
    }
    if (len) /* data may be NULL with len 0 (a gap's empty chunk) */
        memcpy(d->keep + d->keep_len, data, len);
    d->keep_len += len;
    return true;
}

static AppFrame *frame_add(AppFramesDir *d, AppFrames *fr, bool to_server, uint8_t type, uint64_t off, int64_t len)
{
    if (d->count == d->cap) {
        uint32_t ncap = d->cap ? d->cap * 2 : 8;
        AppFrame *nf = realloc(d->frames, ncap * sizeof(*nf));
        if (!nf)
            return NULL;
        d->frames = nf;
        d->cap = ncap;
    }
    AppFrame *f = &d->frames[d->count++];
    *f = (AppFrame){ .id = fr->next_id++, .type = type, .to_server = to_server, .offset = off, .len = len,
                     .tx_id = -1 };
    return f;
}

/* Drops the frames detection is done with (kept until the next data of
 * the direction, so the alerts of the packet that inspected them can still
 * describe them) and the bytes no open frame needs. The stream frame stays
 * as the direction's marker and does not hold bytes. */
static void prune(AppFramesDir *d)
{
    uint32_t w = 0;
    uint64_t need = d->end > APP_FRAMES_TAIL ? d->end - APP_FRAMES_TAIL : 0;
    for (uint32_t i = 0; i < d->count; i++) {
        AppFrame *f = &d->frames[i];
        if (f->type != APP_FRAME_TYPE_STREAM) {
            if (f->inspected)
                continue;
            if (f->offset < need)
                need = f->offset;
        }
        d->frames[w++] = *f;
    }
    d->count = w;
    keep_trim(d, need);
}

void app_frames_feed_begin(AppFrames *fr, bool to_server, const uint8_t *data, uint32_t len)
{
    cur.fr = NULL;
    if (!fr)
        return;
    AppFramesDir *d = &fr->dir[to_server ? 0 : 1];
    if (d->end == 0 && d->count == 0)
        frame_add(d, fr, to_server, APP_FRAME_TYPE_STREAM, 0, -1);
    prune(d);
    uint64_t base = d->end;
    if (d->keep_len == 0)
        d->keep_off = base;
    d->end += len;
    if (!keep_append(d, data, len)) { /* no memory: what is kept stays consistent */
        d->keep_len = 0;
        d->keep_off = d->end;
    }
    cur.fr = fr;
    cur.dir = to_server ? 0 : 1;
    cur.base = base;
}

void app_frames_feed_end(void) { cur.fr = NULL; }

void app_frames_gap(AppFrames *fr, bool to_server, uint32_t len)
{
    if (!fr)
        return;
    AppFramesDir *d = &fr->dir[to_server ? 0 : 1];
    d->end += len;
    d->keep_len = 0; /* bytes on both sides of a hole are never one piece */
    d->keep_off = d->end;
}

void app_frames_end(AppFrames *fr, bool to_server)
{
    if (fr)
        fr->dir[to_server ? 0 : 1].ended = true;
}

static AppFrame *cur_frame(int64_t id)
{
    if (!cur.fr || id < 0)
        return NULL;
    AppFramesDir *d = &cur.fr->dir[cur.dir];
    for (uint32_t i = d->count; i > 0; i--)
        if (d->frames[i - 1].id == id)
            return &d->frames[i - 1];
    return NULL;
}

int64_t app_frame_open(uint8_t type, int64_t rel, int64_t len)
{
    if (!cur.fr || (rel < 0 && (uint64_t)-rel > cur.base))
        return -1;
    AppFramesDir *d = &cur.fr->dir[cur.dir];
    AppFrame *f = frame_add(d, cur.fr, cur.dir == 0, type, (uint64_t)((int64_t)cur.base + rel), len < 0 ? -1 : len);
    return f ? f->id : -1;
}

void app_frame_set_len(int64_t id, int64_t len)
{
    AppFrame *f = cur_frame(id);
    if (f && len >= 0)
        f->len = len;
}

void app_frame_set_end(int64_t id, int64_t rel)
{
    AppFrame *f = cur_frame(id);
    int64_t end = (int64_t)cur.base + rel;
    if (f && end >= (int64_t)f->offset)
        f->len = end - (int64_t)f->offset;
}

void app_frame_set_tx(int64_t id, uint64_t tx_id)
{
    AppFrame *f = cur_frame(id);
    if (f)
        f->tx_id = (int64_t)tx_id;
}

AppFrame *app_frames_get(AppFrames *fr, bool to_server, uint32_t i)
{
    AppFramesDir *d = fr ? &fr->dir[to_server ? 0 : 1] : NULL;
    return d && i < d->count ? &d->frames[i] : NULL;
}

const AppFrame *app_frames_find(const AppFrames *fr, int64_t id)
{
    if (!fr)
        return NULL;
    for (int dir = 0; dir < 2; dir++)
        for (uint32_t i = 0; i < fr->dir[dir].count; i++)
            if (fr->dir[dir].frames[i].id == id)
                return &fr->dir[dir].frames[i];
    return NULL;
}

bool app_frame_complete(const AppFrames *fr, const AppFrame *frm)
{
    const AppFramesDir *d = &fr->dir[frm->to_server ? 0 : 1];
    return frm->len >= 0 && frm->offset + (uint64_t)frm->len <= d->end;
}

bool app_frame_ready(const AppFrames *fr, const AppFrame *frm, bool flow_end)
{
    if (frm->inspected)
        return false;
    return app_frame_complete(fr, frm) || flow_end || fr->dir[frm->to_server ? 0 : 1].ended;
}

bool app_frames_pending(const AppFrames *fr, bool to_server)
{
    const AppFramesDir *d = fr ? &fr->dir[to_server ? 0 : 1] : NULL;
    for (uint32_t i = 0; d && i < d->count; i++)
        if (app_frame_ready(fr, &d->frames[i], true))
            return true;
    return false;
}

bool app_frame_data(const AppFrames *fr, const AppFrame *frm, const uint8_t **data, uint32_t *len)
{
    const AppFramesDir *d = &fr->dir[frm->to_server ? 0 : 1];
    uint64_t start = frm->offset > d->keep_off ? frm->offset : d->keep_off;
    uint64_t stop = d->keep_off + d->keep_len;
    if (frm->len >= 0 && frm->offset + (uint64_t)frm->len < stop)
        stop = frm->offset + (uint64_t)frm->len;
    if (start >= stop || !d->keep) {
        *data = NULL;
        *len = 0;
        return false;
    }
    *data = d->keep + (start - d->keep_off);
    *len = (uint32_t)(stop - start);
    return true;
}

void app_frames_mark_inspected(AppFrames *fr, bool to_server, bool flow_end)
{
    if (!fr)
        return;
    AppFramesDir *d = &fr->dir[to_server ? 0 : 1];
    for (uint32_t i = 0; i < d->count; i++)
        if (app_frame_ready(fr, &d->frames[i], flow_end))
            d->frames[i].inspected = true;
}

/* Inline: the kept bytes of frm from stream offset `from` up to its end
 * (or the last byte that arrived). */
static bool kept_from(const AppFramesDir *d, const AppFrame *frm, uint64_t from, const uint8_t **data, uint32_t *len)
{
    uint64_t start = from > d->keep_off ? from : d->keep_off;
    uint64_t stop = d->keep_off + d->keep_len;
    if (frm->len >= 0 && frm->offset + (uint64_t)frm->len < stop)
        stop = frm->offset + (uint64_t)frm->len;
    if (start >= stop || !d->keep)
        return false;
    *data = d->keep + (start - d->keep_off);
    *len = (uint32_t)(stop - start);
    return true;
}

/* Inline: the frame is due on this inspection (see frames.h). */
static bool inline_due(const AppFrames *fr, const AppFrame *frm, bool flow_end)
{
    const AppFramesDir *d = &fr->dir[frm->to_server ? 0 : 1];
    if (frm->inspected || (!flow_end && d->end <= d->inline_seen))
        return false;
    return frm->len < 0 || frm->inline_progress < (uint64_t)frm->len;
}

bool app_frame_inline_window(const AppFrames *fr, const AppFrame *frm, bool flow_end, const uint8_t **data,
                             uint32_t *len, uint32_t *window_base)
{
    *data = NULL;
    *len = 0;
    *window_base = 0;
    if (!inline_due(fr, frm, flow_end))
        return false;
    const AppFramesDir *d = &fr->dir[frm->to_server ? 0 : 1];
    if (!kept_from(d, frm, frm->offset + frm->inline_progress, data, len))
        return false;
    const uint64_t base = (uint64_t)(*data - d->keep) + d->keep_off - frm->offset;
    *window_base = base > UINT32_MAX ? UINT32_MAX : (uint32_t)base;
    return true;
}

void app_frames_mark_inspected_inline(AppFrames *fr, bool to_server, bool flow_end)
{
    if (!fr)
        return;
    AppFramesDir *d = &fr->dir[to_server ? 0 : 1];
    for (uint32_t i = 0; i < d->count; i++) {
        AppFrame *f = &d->frames[i];
        if (!inline_due(fr, f, flow_end))
            continue;
        if (app_frame_complete(fr, f)) {
            f->inline_progress = (uint64_t)f->len;
            f->inspected = true;
            continue;
        }
        const uint8_t *data;
        uint32_t len, base;
        if (!app_frame_inline_window(fr, f, flow_end, &data, &len, &base))
            continue;
        uint64_t done = (uint64_t)base + len; /* bytes from the frame's start inspected */
        done = done > APP_FRAMES_INLINE_WINDOW ? done - APP_FRAMES_INLINE_WINDOW : 0;
        if (done > f->inline_progress)
            f->inline_progress = done;
    }
    d->inline_seen = d->end;
}
