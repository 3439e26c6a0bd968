/*
 * Frames in the parser harnesses (fuzz_ssh.c, fuzz_smtp.c, fuzz_http.c):
 * each parse call runs inside a frame context (app/frames.h) as the
 * framework runs it, so the frames the parser marks are fuzzed too. After
 * each call every frame must lie within what was handed over and its kept
 * bytes within its range; ready frames are then marked inspected, as
 * detection does, so pruning runs along the way.
 */
#ifndef ODLAR_FUZZ_FRAMES_H
#define ODLAR_FUZZ_FRAMES_H

#include <stdlib.h>

#include "app/frames.h"

static inline void fuzz_frames_check(AppFrames *fr, bool to_server)
{
    const AppFramesDir *d = &fr->dir[to_server ? 0 : 1];
    AppFrame *f;
    for (uint32_t i = 0; (f = app_frames_get(fr, to_server, i)) != NULL; i++) {
        if (f->to_server != to_server || f->offset > d->end || f->id <= 0 || f->id >= fr->next_id)
            abort();
        const uint8_t *data = NULL;
        uint32_t n = 0;
        if (app_frame_data(fr, f, &data, &n)) {
            if (data < d->keep || data + n > d->keep + d->keep_len)
                abort();
            if (f->len >= 0 && n > (uint64_t)f->len)
                abort();
        }
    }
    app_frames_mark_inspected(fr, to_server, false);
}

#define FUZZ_FRAMES_PARSE(fr, ts, p, n, call)          \
    do {                                               \
        app_frames_feed_begin((fr), (ts), (p), (n));   \
        call;                                          \
        app_frames_feed_end();                         \
        fuzz_frames_check((fr), (ts));                 \
    } while (0)

#endif
