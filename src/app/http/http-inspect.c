/*
 * Body inspection windows: which part of a growing HTTP body one detection
 * run hands to the rules, the way Suricata 8 does it.
 *
 * Rules do not wait for a body to end, nor do they re-read all of it each
 * time a packet adds to it. Each body keeps how far detection inspected it;
 * a run on a packet of the body's direction gets what is new since then,
 * preceded by part of what was already inspected so a pattern cut by a
 * packet boundary is still seen whole, and records the new end when it is
 * over (http_tx_inspected, called by detection after each run).
 *
 * Two trackers exist, as in Suricata:
 *  - http.request_body (app-layer-htp's HtpBody body_inspected): nothing
 *    until request-body-minimal-inspect-size bytes are kept, the body is
 *    complete, its limit is reached or the flow ends (http-body-inline:
 *    right away); then from offset 0 while what was inspected is at most
 *    the minimal size, and past that the new bytes with enough before them
 *    to make request-body-inspect-window bytes, or with a quarter window
 *    before them when they fill a window alone.
 *  - file.data and http.response_body, which share one list in Suricata
 *    (detect-file-data.c, File content_inspected): per file -- the
 *    response body, a POST/PUT body, each multipart part -- with the
 *    direction's minimal size and window; the first inspection starts at
 *    0, every later one uses the window rule above. Inline, a file below
 *    the minimal size is inspected whole again on each run. The limit
 *    test uses response-body-limit for requests too, as Suricata does.
 */
#include "app/http/http-private.h"

uint64_t http_body_window_start(uint64_t inspected, uint64_t kept, uint32_t min_size, uint32_t window)
{
    if (inspected <= min_size || kept < inspected)
        return 0;
    return http_file_window_start(inspected, kept, window);
}

uint64_t http_file_window_start(uint64_t inspected, uint64_t kept, uint32_t window)
{
    if (inspected == 0 || kept < inspected)
        return 0;
    uint64_t fresh = kept - inspected;
    uint64_t before = fresh < window ? window - fresh : window / 4;
    return inspected > before ? inspected - before : 0;
}

static void set_window(HttpWindow *w, const uint8_t *data, uint64_t kept, uint64_t start)
{
    w->data = data + start;
    w->len = (uint32_t)(kept - start);
    w->base = (uint32_t)start;
}

HttpWindowResult http_tx_body_window(const HttpTx *tx, bool to_server, bool eof, HttpWindow *w)
{
    if (!to_server) /* Suricata: http.response_body is file.data's list */
        return http_tx_file_window(tx, false, 0, eof, w);
    const HttpBytes *b = &tx->body[0];
    if (b->len == 0)
        return HTTP_WINDOW_NONE;
    const uint64_t kept = b->len;
    if (tx->body_inspected >= kept)
        return HTTP_WINDOW_WAIT; /* no new data */
    const HttpConfig *c = tx->cfg;
    if (!c->body_inline && !tx->body_full[0] && kept < c->request_inspect_min_size &&
        tx->progress[0] <= HTTP_PROGRESS_BODY && !eof)
        return HTTP_WINDOW_WAIT;
    set_window(w, b->p, kept,
               http_body_window_start(tx->body_inspected, kept, c->request_inspect_min_size,
                                      c->request_inspect_window));
    return HTTP_WINDOW_DATA;
}

static bool is_multipart_part(const HttpTx *tx, int dir)
{
    return dir == 0 && tx->file_mode[0] == HTTP_FILES_MULTIPART;
}

/* Whether file idx was closed: a multipart part its delimiter ended, a
 * body that ended or reached its limit. */
static bool file_closed(const HttpTx *tx, int dir, uint32_t idx)
{
    if (is_multipart_part(tx, dir)) {
        const AppFile *f = tx->files[0].head;
        for (uint32_t i = 0; f && i < idx; i++)
            f = f->next;
        return !f || f->state != APP_FILE_OPEN;
    }
    return tx->body_full[dir] || tx->progress[dir] > HTTP_PROGRESS_BODY;
}

static uint64_t file_inspected(const HttpTx *tx, int dir, uint32_t idx)
{
    if (is_multipart_part(tx, dir))
        return idx < tx->n_part_span ? tx->part_span[idx].inspected : 0;
    return tx->file_inspected[dir];
}

static void file_set_inspected(HttpTx *tx, int dir, uint32_t idx, uint64_t size)
{
    if (!is_multipart_part(tx, dir))
        tx->file_inspected[dir] = size;
    else if (idx < tx->n_part_span) /* a part lies within the 32-bit kept body */
        tx->part_span[idx].inspected = (uint32_t)size;
}

/* The file window and the size it was taken from (0 when none). */
static HttpWindowResult file_window(const HttpTx *tx, bool to_server, uint32_t idx, bool eof, HttpWindow *w,
                                    uint64_t *size_out)
{
    const int dir = to_server ? 0 : 1;
    const uint8_t *d;
    uint32_t size;
    *size_out = 0;
    if (!http_tx_file_data(tx, to_server, idx, &d, &size))
        return HTTP_WINDOW_NONE;
    const uint64_t inspected = file_inspected(tx, dir, idx);
    if (size == 0 || inspected >= size)
        return HTTP_WINDOW_WAIT;
    const HttpConfig *c = tx->cfg;
    const uint32_t min_size = to_server ? c->request_inspect_min_size : c->response_inspect_min_size;
    const uint32_t window = to_server ? c->request_inspect_window : c->response_inspect_window;
    const bool done = tx->progress[dir] > HTTP_PROGRESS_BODY;
    if (!c->body_inline && (c->response_body_limit == 0 || size < c->response_body_limit) && size < min_size &&
        !done && !eof)
        return HTTP_WINDOW_WAIT;
    const bool force = eof || file_closed(tx, dir, idx) || done || c->body_inline;
    if (inspected == 0 && !force && size < min_size)
        return HTTP_WINDOW_WAIT;
    set_window(w, d, size, http_file_window_start(inspected, size, window));
    *size_out = size;
    return HTTP_WINDOW_DATA;
}

HttpWindowResult http_tx_file_window(const HttpTx *tx, bool to_server, uint32_t idx, bool eof, HttpWindow *w)
{
    uint64_t size;
    return file_window(tx, to_server, idx, eof, w, &size);
}

void http_tx_inspected(HttpTx *tx, bool to_server, bool eof)
{
    const int dir = to_server ? 0 : 1;
    HttpWindow w;
    if (to_server && http_tx_body_window(tx, true, eof, &w) == HTTP_WINDOW_DATA)
        tx->body_inspected = tx->body[0].len;
    const HttpConfig *c = tx->cfg;
    const uint32_t min_size = to_server ? c->request_inspect_min_size : c->response_inspect_min_size;
    for (uint32_t idx = 0;; idx++) {
        uint64_t size;
        HttpWindowResult r = file_window(tx, to_server, idx, eof, &w, &size);
        if (r == HTTP_WINDOW_NONE)
            break;
        /* inline, a file below the minimal size is inspected whole again */
        if (r == HTTP_WINDOW_DATA && !(c->body_inline && size < min_size))
            file_set_inspected(tx, dir, idx, size);
        if (!is_multipart_part(tx, dir))
            break; /* one file per direction otherwise */
    }
}
