/*
 * Whole files rebuilt from HTTP range requests, as Suricata 8's URL range
 * container does: each 206 response whose Content-Range (RFC 9110 §14.4)
 * names the complete length (`bytes first-last/length`) also feeds a file
 * shared by every response for the same host and path, in this flow or in
 * others. Bytes at the file's current end are appended (hashed, stored);
 * bytes further on are kept until the hole before them is filled; bytes
 * already there are skipped. Once `length` bytes are in, the response that
 * ends next hands the whole file to its transaction (logged with it like
 * any other file). The partial responses stay files of their own.
 *
 * The table is per thread: flows of one address pair are handled by one
 * worker (see the README's Runmodes), so the result does not depend on the
 * number of workers; a client and server pair on another worker rebuilds
 * its own copy. Bounds: HTTP_RANGE_MAX_FILES files in progress and
 * HTTP_RANGE_MAX_BUFFERED bytes kept out of order per thread (a piece that
 * does not fit is dropped and its file cannot complete); a file nobody
 * writes to is forgotten HTTP_RANGE_TIMEOUT_USEC after its last data.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "app/http/http-private.h"

#define HTTP_RANGE_MAX_FILES 256u
#define HTTP_RANGE_MAX_BUFFERED (16u * 1024u * 1024u)
#define HTTP_RANGE_TIMEOUT_USEC (60ll * 1000000ll)

typedef struct RangePiece {
    uint64_t start;
    uint32_t len;
    struct RangePiece *next; /* sorted by start */
    uint8_t data[];
} RangePiece;

struct HttpRangeFile {
    struct HttpRangeFile *next;
    uint8_t *key;
    uint32_t key_len;
    uint64_t total;
    uint32_t writers; /* responses feeding it */
    bool handed;      /* the whole file went to a transaction */
    int64_t last_seen;
    AppFileContainer c; /* holds the whole file until it is handed */
    RangePiece *pieces;
};

typedef struct RangeTable {
    HttpRangeFile *head;
    uint32_t count;
    uint64_t buffered;
} RangeTable;

static pthread_key_t g_table_key;
static pthread_once_t g_table_once = PTHREAD_ONCE_INIT;
static _Thread_local RangeTable *t_table;

static void range_free(RangeTable *t, HttpRangeFile *r)
{
    RangePiece *p = r->pieces;
    while (p) {
        RangePiece *n = p->next;
        t->buffered -= p->len;
        free(p);
        p = n;
    }
    app_file_container_free(&r->c);
    free(r->key);
    free(r);
}

static void table_destroy(void *arg)
{
    RangeTable *t = arg;
    HttpRangeFile *r = t->head;
    while (r) {
        HttpRangeFile *n = r->next;
        range_free(t, r);
        r = n;
    }
    free(t);
}

static void table_key_init(void)
{
    pthread_key_create(&g_table_key, table_destroy);
}

static RangeTable *table_get(void)
{
    if (t_table)
        return t_table;
    pthread_once(&g_table_once, table_key_init);
    t_table = calloc(1, sizeof(*t_table));
    if (t_table)
        pthread_setspecific(g_table_key, t_table);
    return t_table;
}

/* Drops files nobody writes to that are handed or timed out (all: every
 * file nobody writes to). */
static void table_expire(RangeTable *t, int64_t now, bool all)
{
    HttpRangeFile **pp = &t->head;
    while (*pp) {
        HttpRangeFile *r = *pp;
        if (r->writers == 0 && (all || r->handed || now > r->last_seen + HTTP_RANGE_TIMEOUT_USEC)) {
            *pp = r->next;
            t->count--;
            range_free(t, r);
        } else {
            pp = &r->next;
        }
    }
}

HttpRangeFile *http_range_join(const uint8_t *key, uint32_t key_len, uint64_t total, const uint8_t *name,
                               uint32_t name_len, int64_t now)
{
    RangeTable *t = table_get();
    if (!t || total == 0)
        return NULL;
    table_expire(t, now, false);
    for (HttpRangeFile *r = t->head; r; r = r->next) {
        if (!r->handed && r->total == total && r->key_len == key_len && memcmp(r->key, key, key_len) == 0) {
            r->writers++;
            r->last_seen = now;
            return r;
        }
    }
    if (t->count >= HTTP_RANGE_MAX_FILES)
        return NULL;
    HttpRangeFile *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->key = malloc(key_len ? key_len : 1);
    if (!r->key || !app_file_open(&r->c, name, name_len)) {
        app_file_container_free(&r->c);
        free(r->key);
        free(r);
        return NULL;
    }
    if (key_len)
        memcpy(r->key, key, key_len);
    r->key_len = key_len;
    r->total = total;
    r->writers = 1;
    r->last_seen = now;
    r->c.head->last_time = now;
    r->next = t->head;
    t->head = r;
    t->count++;
    return r;
}

static uint64_t file_end(const HttpRangeFile *r)
{
    return r->c.head ? r->c.head->size : 0;
}

/* Appends what of [start, start+len) lies past the file's end. */
static void append_from(HttpRangeFile *r, uint64_t start, const uint8_t *d, uint64_t len)
{
    uint64_t end = file_end(r);
    if (start > end || start + len <= end || end >= r->total)
        return;
    uint64_t skip = end - start, n = len - skip;
    if (end + n > r->total)
        n = r->total - end;
    app_file_append(r->c.head, d + skip, (uint32_t)n);
}

/* Pieces the file's end has reached are appended and dropped. */
static void drain(RangeTable *t, HttpRangeFile *r)
{
    while (r->pieces && r->pieces->start <= file_end(r)) {
        RangePiece *p = r->pieces;
        r->pieces = p->next;
        append_from(r, p->start, p->data, p->len);
        t->buffered -= p->len;
        free(p);
    }
}

static void keep_piece(RangeTable *t, HttpRangeFile *r, uint64_t pos, const uint8_t *d, uint32_t n)
{
    if (t->buffered + n > HTTP_RANGE_MAX_BUFFERED)
        return; /* over the cap: the file will not complete */
    RangePiece *p = malloc(sizeof(*p) + n);
    if (!p)
        return;
    p->start = pos;
    p->len = n;
    memcpy(p->data, d, n);
    RangePiece **pp = &r->pieces;
    while (*pp && (*pp)->start <= pos)
        pp = &(*pp)->next;
    p->next = *pp;
    *pp = p;
    t->buffered += n;
}

void http_range_data(HttpRangeFile *r, uint64_t pos, const uint8_t *d, uint32_t n, int64_t now)
{
    RangeTable *t = t_table;
    if (!r || !t || r->handed || n == 0 || pos >= r->total)
        return;
    r->last_seen = now;
    if (r->c.head)
        r->c.head->last_time = now;
    if (pos > file_end(r)) {
        keep_piece(t, r, pos, d, n);
        return;
    }
    append_from(r, pos, d, n);
    drain(t, r);
}

AppFile *http_range_leave(HttpRangeFile *r, AppFileContainer *to)
{
    RangeTable *t = t_table;
    if (!r || !t)
        return NULL;
    AppFile *whole = NULL;
    if (!r->handed && to && r->c.head && file_end(r) >= r->total) {
        whole = r->c.head;
        whole->id_seq = to->id_seq ? to->id_seq : &to->own_seq; /* file ids of the receiving flow */
        app_file_close(whole, APP_FILE_CLOSED);
        r->c.head = r->c.tail = NULL;
        r->c.count = 0;
        whole->next = NULL;
        if (to->tail)
            to->tail->next = whole;
        else
            to->head = whole;
        to->tail = whole;
        to->count++;
        r->handed = true;
    }
    if (r->writers)
        r->writers--;
    return whole;
}

void http_range_reset(void)
{
    RangeTable *t = t_table;
    if (!t)
        return;
    table_expire(t, 0, true);
}
