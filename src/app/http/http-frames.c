/*
 * HTTP/1 frames (app/frames.h), as Suricata 8 marks them: an
 * http1.request frame from the first byte of a request line through the
 * end of the request (headers and body), an http1.response frame likewise
 * for a response, each tied to its transaction. Leading CR/LF bytes before
 * a message are not part of it. A message that never completes (a body
 * read until close, a parse that stops) keeps an open-ended frame, which
 * detection inspects once the direction ends.
 */
#include "app/frame-types.h"
#include "app/frames.h"
#include "app/http/http-private.h"

void http_frame_before(HttpState *s, HttpDir *d, int dir, const uint8_t *p)
{
    if (!s->frame_base || s->frame_dir != dir || d->frame > 0 || d->st != D_LINE || d->line.len > 0)
        return;
    if (*p == '\r' || *p == '\n')
        return;
    d->frame = app_frame_open(dir == 0 ? HTTP_FRAME_REQUEST : HTTP_FRAME_RESPONSE, p - s->frame_base, -1);
    d->frame_has_tx = false;
    if (d->frame < 0)
        d->frame = 0;
}

void http_frame_after(HttpState *s, HttpDir *d, const uint8_t *p)
{
    if (!s->frame_base || d->frame <= 0)
        return;
    if (d->tx) {
        if (!d->frame_has_tx)
            app_frame_set_tx(d->frame, d->tx->id);
        d->frame_has_tx = true;
        return;
    }
    if (!d->frame_has_tx)
        return; /* the message's first line is still being read */
    app_frame_set_end(d->frame, p - s->frame_base);
    d->frame = 0;
    d->frame_has_tx = false;
}
