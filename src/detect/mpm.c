/*
 * MPM front end: the pattern builder with Suricata-style deduplication, the
 * backend-neutral database tables, per-thread scratch and the scan entry
 * point that dispatches to a backend (see mpm.h for the design).
 *
 * The builder keeps each distinct (bytes, nocase) literal once, found through
 * an open-addressing hash table, and a list of (literal, id) pairs. Building
 * sorts and deduplicates the pairs, turns the caller's ids into dense indexes
 * (so sparse ids cost nothing) and hands the literal table to the backend.
 * Scratch holds the backend's own scratch plus per-id generation stamps that
 * make "each id once per scan" free of any per-scan clearing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "detect/mpm-int.h"

typedef struct BuildPat {
    uint8_t *bytes;
    uint32_t len;
    bool nocase;
} BuildPat;

typedef struct BuildPair {
    uint32_t pat, id;
} BuildPair;

struct MpmBuilder {
    BuildPat *pats;
    uint32_t pat_count, pat_cap;
    BuildPair *pairs;
    uint32_t pair_count, pair_cap;
    uint32_t *slots; /* literal index + 1; 0 = empty */
    uint32_t slot_cap; /* power of two */
    uint32_t accepted;
};

void mpm_set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Grows *arr (elements of `size` bytes) so that it holds at least need. */
static bool grow(void **arr, uint32_t *cap, uint32_t need, size_t size)
{
    if (need <= *cap)
        return true;
    uint64_t ncap = *cap ? (uint64_t)*cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    if (ncap > UINT32_MAX || ncap * size > SIZE_MAX / 2)
        return false;
    void *n = realloc(*arr, (size_t)ncap * size);
    if (!n)
        return false;
    *arr = n;
    *cap = (uint32_t)ncap;
    return true;
}

static uint32_t hash_lit(const uint8_t *p, uint32_t len, bool nocase)
{
    uint32_t h = 2166136261u ^ (nocase ? 0x9e3779b9u : 0);
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 16777619u;
    return h ^ len;
}

MpmBuilder *mpm_builder_new(void)
{
    MpmBuilder *b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    b->slot_cap = 64;
    b->slots = calloc(b->slot_cap, sizeof(uint32_t));
    if (!b->slots) {
        free(b);
        return NULL;
    }
    return b;
}

void mpm_builder_free(MpmBuilder *b)
{
    if (!b)
        return;
    for (uint32_t i = 0; i < b->pat_count; i++)
        free(b->pats[i].bytes);
    free(b->pats);
    free(b->pairs);
    free(b->slots);
    free(b);
}

uint32_t mpm_builder_count(const MpmBuilder *b)
{
    return b ? b->accepted : 0;
}

static bool rehash(MpmBuilder *b)
{
    uint32_t ncap = b->slot_cap * 2;
    uint32_t *n = calloc(ncap, sizeof(uint32_t));
    if (!n)
        return false;
    for (uint32_t i = 0; i < b->pat_count; i++) {
        const BuildPat *p = &b->pats[i];
        uint32_t j = hash_lit(p->bytes, p->len, p->nocase) & (ncap - 1);
        while (n[j])
            j = (j + 1) & (ncap - 1);
        n[j] = i + 1;
    }
    free(b->slots);
    b->slots = n;
    b->slot_cap = ncap;
    return true;
}

bool mpm_add(MpmBuilder *b, const uint8_t *pattern, uint32_t len, bool nocase, uint32_t id)
{
    if (!b || !pattern || len == 0)
        return false;
    uint8_t *lit = malloc(len);
    if (!lit)
        return false;
    for (uint32_t i = 0; i < len; i++)
        lit[i] = nocase ? mpm_fold(pattern[i]) : pattern[i];

    uint32_t j = hash_lit(lit, len, nocase) & (b->slot_cap - 1);
    uint32_t pat = UINT32_MAX;
    while (b->slots[j]) {
        const BuildPat *p = &b->pats[b->slots[j] - 1];
        if (p->len == len && p->nocase == nocase && memcmp(p->bytes, lit, len) == 0) {
            pat = b->slots[j] - 1;
            break;
        }
        j = (j + 1) & (b->slot_cap - 1);
    }
    if (!grow((void **)&b->pairs, &b->pair_cap, b->pair_count + 1, sizeof(BuildPair))) {
        free(lit);
        return false;
    }
    if (pat == UINT32_MAX) {
        if (b->pat_count >= UINT32_MAX / 4 ||
            !grow((void **)&b->pats, &b->pat_cap, b->pat_count + 1, sizeof(BuildPat))) {
            free(lit);
            return false;
        }
        pat = b->pat_count++;
        b->pats[pat] = (BuildPat){ .bytes = lit, .len = len, .nocase = nocase };
        b->slots[j] = pat + 1;
        lit = NULL;
        /* keep the load under one half; a failed rehash only slows lookups */
        if ((uint64_t)b->pat_count * 2 > b->slot_cap)
            (void)rehash(b);
    }
    free(lit);
    b->pairs[b->pair_count++] = (BuildPair){ .pat = pat, .id = id };
    b->accepted++;
    return true;
}

static int cmp_pair(const void *a, const void *b)
{
    const BuildPair *x = a, *y = b;
    if (x->pat != y->pat)
        return x->pat < y->pat ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

MpmDb *mpm_db_alloc(void)
{
    return calloc(1, sizeof(MpmDb));
}

void mpm_db_set_lengths(MpmDb *db)
{
    db->minlen = db->maxlen = 0;
    for (uint32_t i = 0; i < db->pat_count; i++) {
        uint32_t l = db->pats[i].len;
        if (i == 0 || l < db->minlen)
            db->minlen = l;
        if (l > db->maxlen)
            db->maxlen = l;
    }
}

bool mpm_db_compile(MpmDb *db, const MpmOps *ops, char *err, size_t errlen)
{
    db->ops = ops;
    mpm_db_set_lengths(db);
    if (db->pat_count == 0)
        return true; /* empty: no backend needed */
    return ops->build(db, err, errlen);
}

MpmDb *mpm_build_backend(const MpmBuilder *b, MpmBackend backend, char *err, size_t errlen)
{
    if (!b) {
        mpm_set_err(err, errlen, "mpm: no builder");
        return NULL;
    }
    const MpmOps *ops;
    if (backend == MPM_BACKEND_NAIVE || (backend == MPM_BACKEND_AUTO && !mpm_hs_usable()))
        ops = &mpm_ops_naive;
    else if (mpm_hs_usable())
        ops = &mpm_ops_hs;
    else {
        mpm_set_err(err, errlen, "mpm: Hyperscan cannot run on this CPU");
        return NULL;
    }

    MpmDb *db = mpm_db_alloc();
    BuildPair *pairs = NULL;
    if (!db)
        goto oom;
    uint32_t np = b->pair_count;
    if (np) {
        pairs = malloc(np * sizeof(*pairs));
        db->ids = malloc(np * sizeof(uint32_t));
        db->map = malloc(np * sizeof(uint32_t));
        db->pats = calloc(b->pat_count, sizeof(MpmPattern));
        if (!pairs || !db->ids || !db->map || !db->pats)
            goto oom;
        memcpy(pairs, b->pairs, np * sizeof(*pairs));
        qsort(pairs, np, sizeof(*pairs), cmp_pair);
        uint32_t n = 0;
        for (uint32_t i = 0; i < np; i++)
            if (n == 0 || pairs[i].pat != pairs[n - 1].pat || pairs[i].id != pairs[n - 1].id)
                pairs[n++] = pairs[i];
        np = n;
        for (uint32_t i = 0; i < np; i++)
            db->ids[i] = pairs[i].id;
        qsort(db->ids, np, sizeof(uint32_t), cmp_u32);
        n = 0;
        for (uint32_t i = 0; i < np; i++)
            if (n == 0 || db->ids[i] != db->ids[n - 1])
                db->ids[n++] = db->ids[i];
        db->id_count = n;
    }
    db->map_count = np;
    for (uint32_t i = 0; i < b->pat_count; i++) {
        MpmPattern *p = &db->pats[i];
        p->bytes = malloc(b->pats[i].len);
        if (!p->bytes)
            goto oom;
        db->pat_count = i + 1;
        memcpy(p->bytes, b->pats[i].bytes, b->pats[i].len);
        p->len = b->pats[i].len;
        p->nocase = b->pats[i].nocase;
    }
    for (uint32_t k = 0; k < np; k++) {
        MpmPattern *p = &db->pats[pairs[k].pat];
        if (p->map_count == 0)
            p->map_first = k;
        p->map_count++;
        const uint32_t *d = bsearch(&pairs[k].id, db->ids, db->id_count, sizeof(uint32_t), cmp_u32);
        db->map[k] = (uint32_t)(d - db->ids);
    }
    free(pairs);
    if (!mpm_db_compile(db, ops, err, errlen)) {
        mpm_db_free(db);
        return NULL;
    }
    return db;
oom:
    free(pairs);
    mpm_db_free(db);
    mpm_set_err(err, errlen, "mpm: out of memory");
    return NULL;
}

MpmDb *mpm_build(const MpmBuilder *b, char *err, size_t errlen)
{
    return mpm_build_backend(b, MPM_BACKEND_AUTO, err, errlen);
}

void mpm_db_free(MpmDb *db)
{
    if (!db)
        return;
    if (db->impl && db->ops)
        db->ops->free(db->impl);
    for (uint32_t i = 0; i < db->pat_count; i++)
        free(db->pats[i].bytes);
    free(db->pats);
    free(db->map);
    free(db->ids);
    free(db);
}

uint32_t mpm_db_pattern_count(const MpmDb *db)
{
    return db ? db->map_count : 0;
}

uint32_t mpm_db_unique_count(const MpmDb *db)
{
    return db ? db->pat_count : 0;
}

uint32_t mpm_db_id_count(const MpmDb *db)
{
    return db ? db->id_count : 0;
}

uint32_t mpm_db_minlen(const MpmDb *db)
{
    return db ? db->minlen : 0;
}

uint32_t mpm_db_maxlen(const MpmDb *db)
{
    return db ? db->maxlen : 0;
}

size_t mpm_db_memory(const MpmDb *db)
{
    if (!db)
        return 0;
    size_t m = sizeof(*db) + (size_t)db->pat_count * sizeof(MpmPattern) +
               ((size_t)db->map_count + db->id_count) * sizeof(uint32_t);
    for (uint32_t i = 0; i < db->pat_count; i++)
        m += db->pats[i].len;
    if (db->impl)
        m += db->ops->memory(db->impl);
    return m;
}

MpmBackend mpm_db_backend(const MpmDb *db)
{
    return db && db->ops ? db->ops->kind : MPM_BACKEND_NAIVE;
}

const char *mpm_db_backend_name(const MpmDb *db)
{
    return db && db->ops ? db->ops->name : "none";
}

/* Grows a stamp array to `need` entries, zeroing the new ones. */
static bool grow_stamps(uint32_t **arr, uint32_t *cap, uint32_t need)
{
    if (need <= *cap)
        return true;
    uint32_t *n = realloc(*arr, (size_t)need * sizeof(uint32_t));
    if (!n)
        return false;
    memset(n + *cap, 0, (size_t)(need - *cap) * sizeof(uint32_t));
    *arr = n;
    *cap = need;
    return true;
}

bool mpm_scratch_add_db(MpmScratch *s, const MpmDb *db)
{
    if (!s || !db)
        return false;
    if (!grow_stamps(&s->id_seen, &s->id_cap, db->id_count) ||
        !grow_stamps(&s->pat_seen, &s->pat_cap, db->pat_count))
        return false;
    if (db->impl && db->ops->scratch_grow)
        return db->ops->scratch_grow(s, db->impl);
    return true;
}

MpmScratch *mpm_scratch_new(const MpmDb *db)
{
    MpmScratch *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    if (db && !mpm_scratch_add_db(s, db)) {
        mpm_scratch_free(s);
        return NULL;
    }
    return s;
}

MpmScratch *mpm_scratch_clone(const MpmScratch *src)
{
    if (!src)
        return NULL;
    MpmScratch *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    if (!grow_stamps(&s->id_seen, &s->id_cap, src->id_cap) ||
        !grow_stamps(&s->pat_seen, &s->pat_cap, src->pat_cap) ||
        (src->hs && !mpm_ops_hs.scratch_clone(s, src))) {
        mpm_scratch_free(s);
        return NULL;
    }
    return s;
}

void mpm_scratch_free(MpmScratch *s)
{
    if (!s)
        return;
    if (s->hs)
        mpm_ops_hs.scratch_free(s);
    free(s->id_seen);
    free(s->pat_seen);
    free(s);
}

size_t mpm_scratch_memory(const MpmScratch *s)
{
    if (!s)
        return 0;
    size_t m = sizeof(*s) + ((size_t)s->id_cap + s->pat_cap) * sizeof(uint32_t);
    if (s->hs)
        m += mpm_ops_hs.scratch_memory(s);
    return m;
}

uint32_t mpm_scan(const MpmDb *db, MpmScratch *s, const uint8_t *buf, uint32_t len, MpmMatchFn cb,
    void *ctx)
{
    if (!db || !s || !buf || len < db->minlen || db->pat_count == 0)
        return 0;
    if (s->id_cap < db->id_count || s->pat_cap < db->pat_count)
        return 0; /* scratch not made for this db: a caller bug */
    if (++s->gen == 0) { /* stamps wrapped: forget them all */
        memset(s->id_seen, 0, (size_t)s->id_cap * sizeof(uint32_t));
        memset(s->pat_seen, 0, (size_t)s->pat_cap * sizeof(uint32_t));
        s->gen = 1;
    }
    MpmScanState st = { .db = db, .s = s, .cb = cb, .ctx = ctx, .reported = 0 };
    db->ops->scan(db, &st, buf, len);
    return st.reported;
}

/* --- digests, for the on-disk cache (mpm-cache.c) --- */

/* SHA-256 fed through a buffer: a pattern set is hashed a few bytes at a
 * time (each length, flag and id is 4 bytes), and EVP_DigestUpdate costs
 * about a hundred instructions a call whatever its size -- 62 million of
 * the 1.56 billion a warm ET Open load took. The bytes hashed, and so the
 * digests, are the same. */
typedef struct Digest {
    EVP_MD_CTX *md;
    size_t len;
    uint8_t buf[4096];
} Digest;

static bool digest_start(Digest *d)
{
    d->len = 0;
    d->md = EVP_MD_CTX_new();
    if (d->md && EVP_DigestInit_ex(d->md, EVP_sha256(), NULL) == 1)
        return true;
    EVP_MD_CTX_free(d->md);
    d->md = NULL;
    return false;
}

static void digest_flush(Digest *d)
{
    if (d->len)
        EVP_DigestUpdate(d->md, d->buf, d->len);
    d->len = 0;
}

static void digest_bytes(Digest *d, const uint8_t *bytes, size_t len)
{
    if (d->len + len > sizeof(d->buf))
        digest_flush(d);
    if (len > sizeof(d->buf)) {
        EVP_DigestUpdate(d->md, bytes, len);
        return;
    }
    memcpy(d->buf + d->len, bytes, len);
    d->len += len;
}

static void digest_u32(Digest *d, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    digest_bytes(d, b, 4);
}

static void digest_pattern(Digest *d, const uint8_t *bytes, uint32_t len, bool nocase, uint32_t nids)
{
    digest_u32(d, len);
    digest_u32(d, nocase ? 1 : 0);
    digest_bytes(d, bytes, len);
    digest_u32(d, nids);
}

static bool digest_finish(Digest *d, uint8_t out[MPM_DIGEST_LEN])
{
    unsigned n = 0;
    digest_flush(d);
    bool ok = EVP_DigestFinal_ex(d->md, out, &n) == 1 && n == MPM_DIGEST_LEN;
    EVP_MD_CTX_free(d->md);
    d->md = NULL;
    return ok;
}

bool mpm_builder_digest(const MpmBuilder *b, uint8_t out[MPM_DIGEST_LEN])
{
    Digest d;
    BuildPair *pairs = b->pair_count ? malloc(b->pair_count * sizeof(*pairs)) : NULL;
    if ((b->pair_count && !pairs) || !digest_start(&d)) {
        free(pairs);
        return false;
    }
    uint32_t np = 0;
    if (b->pair_count) {
        memcpy(pairs, b->pairs, b->pair_count * sizeof(*pairs));
        qsort(pairs, b->pair_count, sizeof(*pairs), cmp_pair);
        for (uint32_t i = 0; i < b->pair_count; i++)
            if (np == 0 || pairs[i].pat != pairs[np - 1].pat || pairs[i].id != pairs[np - 1].id)
                pairs[np++] = pairs[i];
    }
    digest_u32(&d, b->pat_count);
    uint32_t k = 0;
    for (uint32_t p = 0; p < b->pat_count; p++) {
        uint32_t first = k;
        while (k < np && pairs[k].pat == p)
            k++;
        digest_pattern(&d, b->pats[p].bytes, b->pats[p].len, b->pats[p].nocase, k - first);
        for (uint32_t i = first; i < k; i++)
            digest_u32(&d, pairs[i].id);
    }
    free(pairs);
    return digest_finish(&d, out);
}

bool mpm_db_digest(const MpmDb *db, uint8_t out[MPM_DIGEST_LEN])
{
    Digest d;
    if (!digest_start(&d))
        return false;
    digest_u32(&d, db->pat_count);
    for (uint32_t p = 0; p < db->pat_count; p++) {
        const MpmPattern *pt = &db->pats[p];
        digest_pattern(&d, pt->bytes, pt->len, pt->nocase, pt->map_count);
        for (uint32_t i = 0; i < pt->map_count; i++) {
            uint32_t dense = pt->map_first + i < db->map_count ? db->map[pt->map_first + i] : UINT32_MAX;
            digest_u32(&d, dense < db->id_count ? db->ids[dense] : UINT32_MAX);
        }
    }
    return digest_finish(&d, out);
}
