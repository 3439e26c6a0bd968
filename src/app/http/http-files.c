/*
 * Files carried by HTTP messages, as Suricata 8 tracks them: a response
 * body is one file, opened with its first byte (or hole), named by the
 * Content-Disposition `filename` parameter (RFC 6266) or else the
 * normalized URI path, fed the dechunked and decoded bytes, and closed when
 * the message ends. A POST or PUT request body is one file named by the
 * path, except a multipart/form-data POST (RFC 7578): there each part whose
 * Content-Disposition has a filename is a file of its own, opened when its
 * part headers are complete and fed from the kept request body as it grows
 * (as libhtp's multipart parser streams parts). Content-Range (RFC 9110 §14.4)
 * of a 206 response gives the file's start and end, and, with the
 * complete length known, the response also feeds the whole file rebuilt
 * from all the ranges of that host and path (http-range.c).
 */
#include <stdlib.h>
#include <string.h>

#include "app/http/http-private.h"

struct AppFileContainer *http_tx_files(HttpTx *tx, bool to_server)
{
    return &tx->files[to_server ? 0 : 1];
}

const struct AppFileContainer *http_tx_files_const(const HttpTx *tx, bool to_server)
{
    return &tx->files[to_server ? 0 : 1];
}

static void decide_mode(HttpTx *tx, int dir)
{
    if (tx->file_mode[dir] != HTTP_FILES_UNDECIDED)
        return;
    if (dir == 1) {
        tx->file_mode[1] = HTTP_FILES_SINGLE;
        return;
    }
    const uint8_t *m = tx->method.p;
    uint32_t ml = tx->method.len;
    if (http_ci_eq(m, ml, "PUT")) {
        tx->file_mode[0] = HTTP_FILES_SINGLE;
    } else if (http_ci_eq(m, ml, "POST")) {
        const HttpHeader *ct = http_headers_find(&tx->h[0], "content-type");
        const uint8_t *b;
        uint32_t bl;
        if (ct && http_multipart_boundary(ct->value.p, ct->value.len, &b, &bl))
            tx->file_mode[0] = HTTP_FILES_MULTIPART;
        else
            tx->file_mode[0] = HTTP_FILES_SINGLE;
    } else {
        tx->file_mode[0] = HTTP_FILES_NONE;
    }
}

/* Content-Range: bytes START-END/SIZE (*total: SIZE, 0 when `*`) */
static bool content_range(const HttpTx *tx, uint64_t *start, uint64_t *end, uint64_t *total)
{
    const HttpHeader *h = http_headers_find(&tx->h[1], "content-range");
    if (!h)
        return false;
    const uint8_t *p = h->value.p;
    uint32_t n = h->value.len, i = 0;
    while (i < n && http_is_lws(p[i]))
        i++;
    if (n - i < 6 || !http_ci_eq(p + i, 5, "bytes"))
        return false;
    i += 5;
    while (i < n && (p[i] == ' ' || p[i] == '='))
        i++;
    uint64_t a = 0, b = 0;
    uint32_t d = 0;
    for (; i < n && p[i] >= '0' && p[i] <= '9' && d < 19; i++, d++)
        a = a * 10 + (uint64_t)(p[i] - '0');
    if (d == 0 || i >= n || p[i] != '-')
        return false;
    i++;
    d = 0;
    for (; i < n && p[i] >= '0' && p[i] <= '9' && d < 19; i++, d++)
        b = b * 10 + (uint64_t)(p[i] - '0');
    if (d == 0 || b < a)
        return false;
    *start = a;
    *end = b;
    *total = 0;
    while (i < n && http_is_lws(p[i]))
        i++;
    if (i < n && p[i] == '/') {
        uint64_t t = 0;
        d = 0;
        for (i++; i < n && p[i] >= '0' && p[i] <= '9' && d < 19; i++, d++)
            t = t * 10 + (uint64_t)(p[i] - '0');
        if (d > 0 && t > b)
            *total = t;
    }
    return true;
}

/* range: the whole file keyed by host and path */
static void join_range(HttpTx *tx, const AppFile *f, uint64_t total)
{
    uint32_t hl = tx->hostname.len, pl = tx->path.len;
    uint8_t *key = malloc((size_t)hl + pl + 1);
    if (!key)
        return;
    if (hl)
        memcpy(key, tx->hostname.p, hl);
    key[hl] = '/';
    if (pl)
        memcpy(key + hl + 1, tx->path.p, pl);
    tx->range = http_range_join(key, hl + 1 + pl, total, f->name, f->name_len, tx->now);
    tx->range_pos = f->range_start;
    free(key);
}

static AppFile *open_single(HttpTx *tx, int dir)
{
    AppFileContainer *c = &tx->files[dir];
    AppFile *f = app_file_current(c);
    if (f || c->count)
        return f; /* one file per message; a closed one stays closed */
    const uint8_t *name = tx->path.p;
    uint32_t name_len = tx->path.len;
    if (dir == 1) {
        const HttpHeader *cd = http_headers_find(&tx->h[1], "content-disposition");
        const uint8_t *fn;
        uint32_t fl;
        if (cd && http_disposition_filename(cd->value.p, cd->value.len, &fn, &fl)) {
            name = fn;
            name_len = fl;
        }
    }
    f = app_file_open(c, name ? name : (const uint8_t *)"", name_len);
    if (f) {
        f->tx_id = tx->id;
        f->last_time = tx->now;
    }
    uint64_t total = 0;
    if (f && dir == 1 && tx->status_num == 206 && content_range(tx, &f->range_start, &f->range_end, &total)) {
        f->has_range = true;
        if (total && !(f->range_start == 0 && f->range_end + 1 == total))
            join_range(tx, f, total); /* a range that is the whole file is just the file */
    }
    return f;
}

static void multipart_sync(HttpTx *tx, bool final);

void http_files_data(HttpTx *tx, int dir, const uint8_t *data, uint32_t n)
{
    if (!tx || n == 0)
        return;
    decide_mode(tx, dir);
    if (dir == 0 && tx->file_mode[0] == HTTP_FILES_MULTIPART) {
        multipart_sync(tx, false); /* the kept body already holds data */
        return;
    }
    if (tx->file_mode[dir] != HTTP_FILES_SINGLE)
        return;
    AppFile *f = open_single(tx, dir);
    if (f)
        f->last_time = tx->now;
    app_file_append(f, data, n);
    if (tx->range && dir == 1 && f) { /* range: also the whole file */
        http_range_data(tx->range, tx->range_pos, data, n, tx->now);
        tx->range_pos += n;
    }
}

void http_files_gap(HttpTx *tx, int dir, uint64_t n)
{
    if (!tx || n == 0)
        return;
    decide_mode(tx, dir);
    if (tx->file_mode[dir] == HTTP_FILES_SINGLE) {
        app_file_gap(open_single(tx, dir), n);
        if (dir == 1)
            tx->range_pos += n; /* range: other responses may fill the hole */
    } else if (tx->file_mode[dir] == HTTP_FILES_MULTIPART) {
        AppFile *f = app_file_current(&tx->files[dir]);
        app_file_gap(f, n);
    }
}

/* Streaming multipart: each pass over the kept request body opens the
 * files whose part headers are complete, appends what is new of their data
 * and closes those a delimiter ended, as libhtp's multipart parser does
 * while the body streams in. Until the request ends, the tail of an open
 * part that could be the start of a delimiter ("\r\n--" + boundary) is
 * held back; at the end (final) an unfinished part takes all of it and an
 * unfinished header block still opens its file. */
typedef struct PartSync {
    HttpTx *tx;
    uint32_t holdback;
    bool final;
    uint32_t index; /* file parts seen in this pass */
} PartSync;

static AppFile *nth_request_file(HttpTx *tx, uint32_t idx)
{
    AppFile *f = tx->files[0].head;
    for (uint32_t i = 0; f && i < idx; i++)
        f = f->next;
    return f;
}

static void on_part(void *ctx, const HttpMultipartPart *part)
{
    PartSync *ps = ctx;
    HttpTx *tx = ps->tx;
    if (!part->has_filename || (part->headers_incomplete && !ps->final))
        return;
    uint32_t k = ps->index++;
    AppFile *f;
    if (k >= tx->n_part_span) {
        f = app_file_open(&tx->files[0], part->filename, part->filename_len);
        if (!f)
            return;
        f->tx_id = tx->id;
        struct HttpSpan *sp = http_mem_realloc(tx->part_span, sizeof(*sp) * tx->n_part_span,
                                               sizeof(*sp) * (tx->n_part_span + 1));
        if (!sp) {
            app_file_close(f, APP_FILE_TRUNCATED);
            return;
        }
        tx->part_span = sp;
        sp[tx->n_part_span].off = part->data ? (uint32_t)(part->data - tx->body[0].p) : 0;
        sp[tx->n_part_span].len = 0;
        sp[tx->n_part_span].inspected = 0;
        tx->n_part_span++;
    } else {
        f = nth_request_file(tx, k);
    }
    if (!f || f->state != APP_FILE_OPEN)
        return;
    struct HttpSpan *sp = &tx->part_span[k];
    uint32_t avail = part->data_len;
    if (!part->complete && !ps->final)
        avail = avail > ps->holdback ? avail - ps->holdback : 0;
    if (avail > sp->len) {
        app_file_append(f, part->data + sp->len, avail - sp->len);
        sp->len = avail;
    }
    f->last_time = tx->now;
    if (part->complete)
        app_file_close(f, APP_FILE_CLOSED);
    else if (ps->final)
        app_file_close(f, APP_FILE_TRUNCATED);
}

static void multipart_sync(HttpTx *tx, bool final)
{
    const HttpHeader *ct = http_headers_find(&tx->h[0], "content-type");
    const uint8_t *b;
    uint32_t bl;
    if (!ct || !http_multipart_boundary(ct->value.p, ct->value.len, &b, &bl) || !tx->body[0].len)
        return;
    PartSync ps = { .tx = tx, .holdback = bl + 4, .final = final };
    http_multipart_parse(b, bl, tx->body[0].p, tx->body[0].len, on_part, &ps);
}

void http_files_end(HttpTx *tx, int dir, bool truncated)
{
    if (!tx)
        return;
    if (dir == 0 && tx->file_mode[0] == HTTP_FILES_MULTIPART)
        multipart_sync(tx, true);
    app_file_close_all(&tx->files[dir], truncated ? APP_FILE_TRUNCATED : APP_FILE_CLOSED);
    if (dir == 1 && tx->range) { /* range: the whole file, when complete, joins this response */
        http_range_leave(tx->range, &tx->files[1]);
        tx->range = NULL;
    }
}

void http_files_free(HttpTx *tx)
{
    if (tx->range) {
        http_range_leave(tx->range, NULL);
        tx->range = NULL;
    }
    app_file_container_free(&tx->files[0]);
    app_file_container_free(&tx->files[1]);
    hb_free(&tx->path);
    http_mem_free(tx->part_span, sizeof(*tx->part_span) * tx->n_part_span);
    tx->part_span = NULL;
    tx->n_part_span = 0;
}

bool http_tx_file_data(const HttpTx *tx, bool to_server, uint32_t idx, const uint8_t **d, uint32_t *l)
{
    int dir = to_server ? 0 : 1;
    const HttpBytes *b = &tx->body[dir];
    if (dir == 0 && tx->file_mode[0] == HTTP_FILES_MULTIPART) {
        if (idx >= tx->n_part_span)
            return false;
        const struct HttpSpan *sp = &tx->part_span[idx];
        if ((uint64_t)sp->off + sp->len > b->len)
            return false;
        *d = b->p + sp->off;
        *l = sp->len;
        return true;
    }
    if (idx != 0 || b->len == 0)
        return false;
    if (dir == 0 && tx->file_mode[0] != HTTP_FILES_SINGLE)
        return false;
    *d = b->p;
    *l = b->len;
    return true;
}
