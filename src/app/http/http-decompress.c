/*
 * Content-Encoding decoding of response bodies (RFC 9110 §8.4.1): gzip (its
 * member header parsed here, RFC 1952, then raw deflate) and deflate
 * (zlib-wrapped or raw, detected from the first two bytes) through zlib, and,
 * when `lzma_enabled`, lzma (the legacy .lzma "LZMA_Alone" stream libhtp-rs
 * decodes, through liblzma), up to `decompression_layer_limit` layers
 * applied last-listed first.
 * Output is counted even past the body limit so a compression bomb (more
 * than `compression_bomb_limit` bytes at a ratio above 2048, libhtp's
 * rule) is detected and decoding stops; a corrupt stream raises
 * GZIP_DECOMPRESSION_FAILED and, as libhtp's passthrough, the chunk that
 * failed and every later byte pass through as-is.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <lzma.h>
#include <zlib.h>

#include "app/http/http-private.h"
#include "util/bytes.h"

#define MAX_LAYERS 8
#define BOMB_RATIO 2048

enum { L_GZIP = 1, L_DEFLATE = 2, L_LZMA = 3 };

typedef struct Layer {
    int kind;
    z_stream z;
    lzma_stream xz; /* L_LZMA */
    uint8_t xz_head[13]; /* L_LZMA: the .lzma header, held until whole */
    uint32_t xz_nhead;
    bool init, failed, done;
    uint8_t head[2];
    uint32_t nhead;
    /* gzip member header read by hand (RFC 1952 §2.3): reserved flag bits
     * and the header CRC are not checked, as libhtp-rs */
    bool gz_header;
    uint8_t gz_stage, gz_flags;
    uint32_t gz_pos, gz_left;
} Layer;

enum { GZ_FIXED, GZ_XLEN, GZ_EXTRA, GZ_NAME, GZ_COMMENT, GZ_HCRC, GZ_DONE };

/* The stage after `st` given the header flags (FEXTRA 4, FNAME 8,
 * FCOMMENT 16, FHCRC 2). */
static uint8_t gz_next(uint8_t st, uint8_t flags, uint32_t *left)
{
    if (st < GZ_XLEN && (flags & 4)) {
        *left = 2;
        return GZ_XLEN;
    }
    if (st < GZ_NAME && (flags & 8))
        return GZ_NAME;
    if (st < GZ_COMMENT && (flags & 16))
        return GZ_COMMENT;
    if (st < GZ_HCRC && (flags & 2)) {
        *left = 2;
        return GZ_HCRC;
    }
    return GZ_DONE;
}

/* Consumes gzip header bytes from *p. Returns 1 when the header ended,
 * 0 when more bytes are needed, -1 when it is not a deflate member. */
static int gz_header_consume(Layer *l, const uint8_t **p, uint32_t *n)
{
    while (*n > 0 && l->gz_stage != GZ_DONE) {
        uint8_t c = **p;
        (*p)++;
        (*n)--;
        switch (l->gz_stage) {
        case GZ_FIXED: /* CM FLG MTIME(4) XFL OS after ID1 ID2 */
            if (l->gz_pos == 2 && c != 8)
                return -1;
            if (l->gz_pos == 3)
                l->gz_flags = c;
            if (++l->gz_pos == 10)
                l->gz_stage = gz_next(GZ_FIXED, l->gz_flags, &l->gz_left);
            break;
        case GZ_XLEN:
            l->gz_pos = l->gz_left == 2 ? c : l->gz_pos | ((uint32_t)c << 8);
            if (--l->gz_left == 0) {
                l->gz_left = l->gz_pos;
                l->gz_stage = l->gz_left ? GZ_EXTRA : gz_next(GZ_EXTRA, l->gz_flags, &l->gz_left);
            }
            break;
        case GZ_EXTRA:
            if (--l->gz_left == 0)
                l->gz_stage = gz_next(GZ_EXTRA, l->gz_flags, &l->gz_left);
            break;
        case GZ_NAME:
        case GZ_COMMENT:
            if (c == 0)
                l->gz_stage = gz_next(l->gz_stage, l->gz_flags, &l->gz_left);
            break;
        case GZ_HCRC:
            if (--l->gz_left == 0)
                l->gz_stage = GZ_DONE;
            break;
        default:
            break;
        }
    }
    return l->gz_stage == GZ_DONE ? 1 : 0;
}

struct HttpDecoder {
    Layer layers[MAX_LAYERS];
    uint32_t n;
    uint64_t in_total, out_total;
    uint64_t bomb_limit;
    uint64_t lzma_memlimit;
    bool bomb;
    HttpBytes *out;
    uint32_t limit;
    int dir; /* whose files get the output */
};

HttpDecoder *http_decoder_new(const HttpConfig *cfg, HttpTx *tx, int dir, const uint8_t *ce, uint32_t ce_len)
{
    int kinds[MAX_LAYERS];
    uint32_t n = 0, total = 0;
    uint32_t i = 0;
    while (i < ce_len) {
        /* codings are separated by ',' (and, leniently, ';' or spaces) */
        while (i < ce_len && (http_is_lws(ce[i]) || ce[i] == ',' || ce[i] == ';'))
            i++;
        uint32_t t0 = i;
        while (i < ce_len && ce[i] != ',' && ce[i] != ';' && !http_is_lws(ce[i]))
            i++;
        if (i == t0)
            break;
        const uint8_t *t = ce + t0;
        uint32_t tl = i - t0;
        int k = 0;
        if (http_ci_eq(t, tl, "gzip") || http_ci_eq(t, tl, "x-gzip"))
            k = L_GZIP;
        else if (http_ci_eq(t, tl, "deflate") || http_ci_eq(t, tl, "x-deflate"))
            k = L_DEFLATE;
        else if (http_ci_eq(t, tl, "identity") || http_ci_eq(t, tl, "none"))
            continue;
        else if (cfg->lzma_enabled && http_ci_eq(t, tl, "lzma"))
            k = L_LZMA;
        else {
            http_tx_event_set(tx, HTTP_EV_ABNORMAL_CE_HEADER);
            continue;
        }
        total++;
        uint32_t lim = cfg->decompression_layer_limit ? cfg->decompression_layer_limit : MAX_LAYERS;
        if (lim > MAX_LAYERS)
            lim = MAX_LAYERS;
        if (n >= lim)
            continue;
        kinds[n++] = k;
    }
    uint32_t lim = cfg->decompression_layer_limit ? cfg->decompression_layer_limit : MAX_LAYERS;
    if (total > lim)
        http_tx_event_set(tx, HTTP_EV_TOO_MANY_ENCODING_LAYERS);
    if (n == 0)
        return NULL;
    HttpDecoder *d = http_mem_alloc(sizeof(*d));
    if (d == NULL)
        return NULL;
    /* the last listed coding was applied last: decode it first */
    for (uint32_t k = 0; k < n; k++)
        d->layers[k].kind = kinds[n - 1 - k];
    d->n = n;
    d->dir = dir;
    d->bomb_limit = cfg->compression_bomb_limit;
    d->lzma_memlimit = cfg->lzma_memlimit;
    return d;
}

void http_decoder_free(HttpDecoder *d)
{
    if (d == NULL)
        return;
    for (uint32_t i = 0; i < d->n; i++) {
        if (!d->layers[i].init)
            continue;
        if (d->layers[i].kind == L_LZMA)
            lzma_end(&d->layers[i].xz);
        else
            inflateEnd(&d->layers[i].z);
    }
    http_mem_free(d, sizeof(*d));
}

static void emit(HttpDecoder *d, HttpTx *tx, uint32_t li, const uint8_t *p, uint32_t n);

static void sink(HttpDecoder *d, HttpTx *tx, uint32_t li, const uint8_t *p, uint32_t n)
{
    if (li + 1 < d->n) {
        emit(d, tx, li + 1, p, n);
        return;
    }
    d->out_total += n;
    if (d->bomb_limit && d->out_total > d->bomb_limit && d->out_total / (d->in_total ? d->in_total : 1) > BOMB_RATIO) {
        d->bomb = true;
        http_tx_event_set(tx, HTTP_EV_COMPRESSION_BOMB);
        return;
    }
    http_files_data(tx, d->dir, p, n); /* files are not bound by the body limit */
    HttpBytes *b = d->out;
    if (d->limit && b->len >= d->limit)
        return;
    uint32_t take = n;
    if (d->limit && b->len + (uint64_t)n > d->limit)
        take = d->limit - b->len;
    hb_append(b, p, take);
}

static bool layer_init(Layer *l)
{
    int wbits;
    if (l->kind == L_GZIP) {
        wbits = 15 + 32; /* gzip or zlib header */
    } else {
        uint8_t b0 = l->head[0], b1 = l->head[1];
        bool zlib = (b0 & 0x0f) == 8 && (((unsigned)b0 << 8) | b1) % 31 == 0;
        wbits = zlib ? 15 : -15;
    }
    memset(&l->z, 0, sizeof(l->z));
    if (inflateInit2(&l->z, wbits) != Z_OK)
        return false;
    l->init = true;
    return true;
}

static void inflate_some(HttpDecoder *d, HttpTx *tx, uint32_t li, const uint8_t *p, uint32_t n)
{
    Layer *l = &d->layers[li];
    uint8_t out[8192];
    l->z.next_in = (Bytef *)(uintptr_t)p;
    l->z.avail_in = n;
    while (l->z.avail_in > 0 && !d->bomb && !l->failed && !l->done) {
        l->z.next_out = out;
        l->z.avail_out = sizeof(out);
        int rc = inflate(&l->z, Z_NO_FLUSH);
        uint32_t got = (uint32_t)(sizeof(out) - l->z.avail_out);
        if (got)
            sink(d, tx, li, out, got);
        if (rc == Z_STREAM_END) {
            l->done = true;
        } else if (rc != Z_OK && !(rc == Z_BUF_ERROR && got > 0)) {
            l->failed = true;
            http_tx_event_set(tx, HTTP_EV_GZIP_DECOMPRESSION_FAILED);
            /* as libhtp's passthrough: the whole chunk that failed goes on
             * unchanged, then everything after it */
            sink(d, tx, li, p, n);
            return;
        }
    }
}

/* An lzma layer: liblzma's decoder of the .lzma (LZMA_Alone) format
 * after its 13-byte header (properties, dictionary size, uncompressed size
 * or all ones for "until the end marker"). libhtp-rs grows its window only
 * as output comes, up to lzma-memlimit, so the dictionary size announced
 * in the header is capped at that limit here: liblzma would otherwise
 * refuse a large announced window at once. A failure passes the data on
 * like a failed inflate. */
#define LZMA_ALONE_HEADER 13
static void lzma_run(HttpDecoder *d, HttpTx *tx, uint32_t li, const uint8_t *p, uint32_t n)
{
    Layer *l = &d->layers[li];
    uint8_t out[8192];
    l->xz.next_in = p;
    l->xz.avail_in = n;
    while (l->xz.avail_in > 0 && !d->bomb && !l->failed && !l->done) {
        l->xz.next_out = out;
        l->xz.avail_out = sizeof(out);
        lzma_ret rc = lzma_code(&l->xz, LZMA_RUN);
        uint32_t got = (uint32_t)(sizeof(out) - l->xz.avail_out);
        if (got)
            sink(d, tx, li, out, got);
        if (rc == LZMA_STREAM_END) {
            l->done = true;
        } else if (rc != LZMA_OK && !(rc == LZMA_BUF_ERROR && got > 0)) {
            l->failed = true;
            http_tx_event_set(tx, HTTP_EV_GZIP_DECOMPRESSION_FAILED);
            sink(d, tx, li, p, n);
            return;
        }
    }
}

static void lzma_some(HttpDecoder *d, HttpTx *tx, uint32_t li, const uint8_t *p, uint32_t n)
{
    Layer *l = &d->layers[li];
    if (!l->init) {
        while (l->xz_nhead < LZMA_ALONE_HEADER && n > 0) {
            l->xz_head[l->xz_nhead++] = *p++;
            n--;
        }
        if (l->xz_nhead < LZMA_ALONE_HEADER)
            return;
        uint64_t cap = d->lzma_memlimit ? d->lzma_memlimit : UINT32_MAX;
        ByteReader r = br_init(l->xz_head + 1, 4);
        uint32_t dict = 0;
        (void)br_le32(&r, &dict);
        if (dict > cap) {
            uint32_t c = (uint32_t)(cap > UINT32_MAX ? UINT32_MAX : cap);
            for (int k = 0; k < 4; k++)
                l->xz_head[1 + k] = (uint8_t)(c >> (8 * k));
        }
        lzma_stream init = LZMA_STREAM_INIT;
        l->xz = init;
        if (lzma_alone_decoder(&l->xz, UINT64_MAX) != LZMA_OK) {
            l->failed = true;
            http_tx_event_set(tx, HTTP_EV_GZIP_DECOMPRESSION_FAILED);
            sink(d, tx, li, l->xz_head, LZMA_ALONE_HEADER);
            if (n)
                sink(d, tx, li, p, n);
            return;
        }
        l->init = true;
        lzma_run(d, tx, li, l->xz_head, LZMA_ALONE_HEADER);
    }
    if (n)
        lzma_run(d, tx, li, p, n);
}

static void emit(HttpDecoder *d, HttpTx *tx, uint32_t li, const uint8_t *p, uint32_t n)
{
    Layer *l = &d->layers[li];
    if (d->bomb || l->done)
        return;
    if (l->failed) {
        sink(d, tx, li, p, n);
        return;
    }
    if (l->kind == L_LZMA) {
        lzma_some(d, tx, li, p, n);
        return;
    }
    if (!l->init) {
        /* gather two bytes to recognise the zlib header of deflate and the
         * magic of gzip */
        if (l->nhead < 2 && !l->gz_header) {
            while (l->nhead < 2 && n > 0) {
                l->head[l->nhead++] = *p++;
                n--;
            }
            if (l->nhead < 2)
                return;
            if (l->kind == L_GZIP && l->head[0] == 0x1f && l->head[1] == 0x8b) {
                l->gz_header = true;
                l->gz_pos = 2;
                l->nhead = 0;
            }
        }
        if (l->gz_header) {
            int r = gz_header_consume(l, &p, &n);
            if (r == 0)
                return;
            memset(&l->z, 0, sizeof(l->z));
            if (r < 0 || inflateInit2(&l->z, -15) != Z_OK) {
                l->failed = true;
                http_tx_event_set(tx, HTTP_EV_GZIP_DECOMPRESSION_FAILED);
                if (n)
                    sink(d, tx, li, p, n);
                return;
            }
            l->init = true;
            if (n)
                inflate_some(d, tx, li, p, n);
            return;
        }
        if (!layer_init(l)) {
            l->failed = true;
            return;
        }
        if (l->nhead) {
            /* the two bytes held for the header check lead this chunk */
            uint8_t *joined = http_mem_alloc((size_t)n + l->nhead);
            if (joined) {
                memcpy(joined, l->head, l->nhead);
                if (n)
                    memcpy(joined + l->nhead, p, n);
                inflate_some(d, tx, li, joined, n + l->nhead);
                http_mem_free(joined, (size_t)n + l->nhead);
                return;
            }
            uint8_t h[2] = { l->head[0], l->head[1] };
            inflate_some(d, tx, li, h, l->nhead);
        }
    }
    if (n)
        inflate_some(d, tx, li, p, n);
}

void http_decoder_feed(HttpDecoder *d, HttpTx *tx, const uint8_t *in, uint32_t n, HttpBytes *out, uint32_t limit)
{
    if (d == NULL || n == 0)
        return;
    d->out = out;
    d->limit = limit;
    d->in_total += n;
    out->set = true;
    emit(d, tx, 0, in, n);
}
