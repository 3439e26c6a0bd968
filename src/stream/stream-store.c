/*
 * Storage of one direction's reassembly state: the segment list and the
 * content blocks (see stream-private.h), charged to the thread's
 * reassembly memory (`tcp.reassembly_memuse`, capped by
 * `stream.reassembly.memcap`).
 *
 * Segments are kept sorted by (offset, length) -- the order of Suricata's
 * segment tree -- in a doubly linked list searched from the tail, where
 * in-order data lands. Blocks are sorted, never overlap and never touch:
 * a write that reaches or overlaps existing blocks merges them into one.
 * Block buffers grow by doubling so an in-order stream costs amortised
 * O(1) per byte.
 *
 * `max_regions` mimics Suricata's streaming-buffer regions for EVE: data
 * separated by a hole of at least 256 KiB counts as another region.
 */
#include <stdlib.h>
#include <string.h>

#include "stream/stream-private.h"
#include "stream/stream-store.h"

#define REGION_GAP (256u * 1024u)
/* A segment record is charged without its header pointer, which is charged
 * with the header when one is kept (stream-segment-dump.c): memory use and
 * memcap behave the same whether pcap-log keeps headers or not. */
#define SEG_CHARGE (sizeof(TcpSeg) - sizeof(TcpSegHeader *))

bool store_reserve(StreamThread *st, uint64_t size)
{
    uint64_t cap = st->cfg->reassembly_memcap;
    if (cap != 0 && st->reassembly_memuse + size > cap)
        return false;
    st->reassembly_memuse += size;
    if (st->ctr)
        st->ctr->v[CTR_TCP_REASSEMBLY_MEMUSE] = st->reassembly_memuse;
    return true;
}

void store_release(StreamThread *st, uint64_t size)
{
    st->reassembly_memuse = size > st->reassembly_memuse ? 0 : st->reassembly_memuse - size;
    if (st->ctr)
        st->ctr->v[CTR_TCP_REASSEMBLY_MEMUSE] = st->reassembly_memuse;
}

/* ---- segments ---- */

static int seg_cmp(uint64_t off, uint32_t len, const TcpSeg *s)
{
    if (off != s->off)
        return off < s->off ? -1 : 1;
    if (len != s->len)
        return len < s->len ? -1 : 1;
    return 0;
}

int store_seg_insert(StreamThread *st, TcpStream *stream, uint64_t off, uint32_t len, TcpSeg **out,
        TcpSeg **dup)
{
    *out = NULL;
    *dup = NULL;
    /* find the last segment that sorts before (off, len) */
    TcpSeg *after = stream->seg_tail;
    while (after) {
        int c = seg_cmp(off, len, after);
        if (c == 0) {
            *dup = after;
            return 2;
        }
        if (c > 0)
            break;
        after = after->prev;
    }
    if (!store_reserve(st, SEG_CHARGE))
        return -1;
    TcpSeg *s = calloc(1, sizeof(*s));
    if (!s) {
        store_release(st, SEG_CHARGE);
        return -1;
    }
    s->off = off;
    s->len = len;
    s->prev = after;
    s->next = after ? after->next : stream->seg_head;
    if (s->next)
        s->next->prev = s;
    else
        stream->seg_tail = s;
    if (after)
        after->next = s;
    else
        stream->seg_head = s;
    stream->segs++;
    *out = s;
    return 0;
}

void store_seg_remove(StreamThread *st, TcpStream *stream, TcpSeg *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        stream->seg_head = s->next;
    if (s->next)
        s->next->prev = s->prev;
    else
        stream->seg_tail = s->prev;
    if (s->hdr)
        stream_seg_free_header(st, s);
    free(s);
    stream->segs--;
    store_release(st, SEG_CHARGE);
}

/* ---- blocks ---- */

static void blk_unlink(TcpStream *stream, TcpBlock *b)
{
    if (b->prev)
        b->prev->next = b->next;
    else
        stream->blk_head = b->next;
    if (b->next)
        b->next->prev = b->prev;
    else
        stream->blk_tail = b->prev;
    stream->blocks--;
}

static void blk_free(StreamThread *st, TcpStream *stream, TcpBlock *b)
{
    blk_unlink(stream, b);
    store_release(st, (uint64_t)b->cap + sizeof(TcpBlock));
    free(b->data);
    free(b);
}

/* Makes b hold at least `need` bytes. */
static bool blk_grow(StreamThread *st, TcpBlock *b, uint32_t need)
{
    if (need <= b->cap)
        return true;
    uint32_t want = b->cap ? b->cap : 256;
    while (want < need)
        want = want > UINT32_MAX / 2 ? need : want * 2;
    if (!store_reserve(st, want - b->cap)) {
        want = need; /* try exactly what is needed */
        if (!store_reserve(st, want - b->cap))
            return false;
    }
    uint8_t *d = realloc(b->data, want);
    if (!d) {
        store_release(st, want - b->cap);
        return false;
    }
    b->data = d;
    b->cap = want;
    return true;
}

static void update_regions(TcpStream *stream)
{
    uint32_t regions = stream->blk_head ? 1 : 0;
    for (TcpBlock *b = stream->blk_head; b && b->next; b = b->next)
        if (b->next->off - (b->off + b->len) >= REGION_GAP)
            regions++;
    if (regions > stream->max_regions)
        stream->max_regions = regions;
}

int store_write(StreamThread *st, TcpStream *stream, uint64_t off, const uint8_t *data, uint32_t len)
{
    if (len == 0)
        return 0;
    uint64_t end = off + len;
    /* first block that ends at or after off (touching counts) */
    TcpBlock *first = stream->blk_tail;
    while (first && first->prev && first->prev->off + first->prev->len >= off)
        first = first->prev;
    if (first && first->off + first->len < off)
        first = NULL; /* everything ends before us */
    if (first && first->off > end)
        first = NULL; /* first candidate starts after us: no contact */
    if (!first) {
        /* a new block between its neighbours */
        TcpBlock *b = calloc(1, sizeof(*b));
        if (!b)
            return -1;
        if (!store_reserve(st, sizeof(TcpBlock))) {
            free(b);
            return -1;
        }
        b->off = off;
        if (!blk_grow(st, b, len)) {
            store_release(st, sizeof(TcpBlock));
            free(b);
            return -1;
        }
        memcpy(b->data, data, len);
        b->len = len;
        TcpBlock *after = stream->blk_tail;
        while (after && after->off > off)
            after = after->prev;
        b->prev = after;
        b->next = after ? after->next : stream->blk_head;
        if (b->next)
            b->next->prev = b;
        else
            stream->blk_tail = b;
        if (after)
            after->next = b;
        else
            stream->blk_head = b;
        stream->blocks++;
        update_regions(stream);
        return 0;
    }
    /* last block touched by [off, end] */
    TcpBlock *last = first;
    while (last->next && last->next->off <= end)
        last = last->next;
    uint64_t new_off = off < first->off ? off : first->off;
    uint64_t last_end = last->off + last->len;
    uint64_t new_end = end > last_end ? end : last_end;
    if (new_end - new_off > UINT32_MAX)
        return -1;
    uint32_t new_len = (uint32_t)(new_end - new_off);

    TcpBlock *stop = last->next; /* first block after the merge */
    if (new_off == first->off) {
        /* grow the first block in place, pull the others in */
        if (!blk_grow(st, first, new_len))
            return -1;
        for (TcpBlock *b = first->next; b && b != stop;) {
            TcpBlock *next = b->next;
            memcpy(first->data + (b->off - first->off), b->data, b->len);
            blk_free(st, stream, b);
            b = next;
        }
        memcpy(first->data + (off - first->off), data, len);
        first->len = new_len;
        return 0;
    }
    /* the write starts before the first block: build a new buffer */
    uint32_t cap = 256;
    while (cap < new_len)
        cap = cap > UINT32_MAX / 2 ? new_len : cap * 2;
    if (!store_reserve(st, cap))
        return -1;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        store_release(st, cap);
        return -1;
    }
    for (TcpBlock *b = first; b != stop; b = b->next)
        memcpy(buf + (b->off - new_off), b->data, b->len);
    memcpy(buf + (off - new_off), data, len);
    /* keep `first` as the merged block */
    for (TcpBlock *b = first->next; b && b != stop;) {
        TcpBlock *next = b->next;
        blk_free(st, stream, b);
        b = next;
    }
    store_release(st, first->cap);
    free(first->data);
    first->data = buf;
    first->cap = cap;
    first->off = new_off;
    first->len = new_len;
    return 0;
}

const TcpBlock *store_block_at_or_after(const TcpStream *stream, uint64_t off)
{
    for (const TcpBlock *b = stream->blk_head; b; b = b->next)
        if (b->off + b->len > off)
            return b;
    return NULL;
}

bool store_has_content(const TcpStream *stream, uint64_t off, uint64_t end)
{
    for (const TcpBlock *b = stream->blk_head; b; b = b->next) {
        if (b->off >= end)
            break;
        if (b->off + b->len > off)
            return true;
    }
    return false;
}

/* Copies into `out` the content of [off, off+len); returns false when part
 * of the range has no content. */
bool store_read_exact(const TcpStream *stream, uint64_t off, uint8_t *out, uint32_t len)
{
    uint64_t end = off + len;
    uint64_t pos = off;
    for (const TcpBlock *b = stream->blk_head; b && pos < end; b = b->next) {
        uint64_t bend = b->off + b->len;
        if (bend <= pos)
            continue;
        if (b->off > pos)
            return false;
        uint64_t n = (bend < end ? bend : end) - pos;
        memcpy(out + (pos - off), b->data + (pos - b->off), (size_t)n);
        pos += n;
    }
    return pos >= end;
}

void store_trim(StreamThread *st, TcpStream *stream, uint64_t left_edge)
{
    while (stream->seg_head && stream->seg_head->off + stream->seg_head->len <= left_edge)
        store_seg_remove(st, stream, stream->seg_head);
    /* segments sort by start, a later one may end earlier */
    for (TcpSeg *s = stream->seg_head; s && s->off < left_edge;) {
        TcpSeg *next = s->next;
        if (s->off + s->len <= left_edge)
            store_seg_remove(st, stream, s);
        s = next;
    }
    while (stream->blk_head) {
        TcpBlock *b = stream->blk_head;
        if (b->off >= left_edge)
            break;
        if (b->off + b->len <= left_edge) {
            blk_free(st, stream, b);
            continue;
        }
        uint32_t cut = (uint32_t)(left_edge - b->off);
        memmove(b->data, b->data + cut, b->len - cut);
        b->len -= cut;
        b->off = left_edge;
        break;
    }
}

void store_clear(StreamThread *st, TcpStream *stream)
{
    while (stream->seg_head)
        store_seg_remove(st, stream, stream->seg_head);
    while (stream->blk_head)
        blk_free(st, stream, stream->blk_head);
}
