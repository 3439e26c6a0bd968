/*
 * sd_pattern's Hyperscan candidate databases and per-thread scratch (see
 * sd-candidates.h). Databases live in a small registry keyed by type and
 * regular expression (rules are loaded on one thread, scans run on many:
 * the registry is locked, scans only read a database). A generation number
 * bumped on every new database tells a thread when its scratch must be
 * grown for the new ones.
 */
#include "detect/sd-candidates.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Loose shapes of the built-in types: anything a valid number contains. */
static const char *const builtin_shapes[SD_TYPE_BUILTIN_COUNT] = {
    "[0-9](?:[ \\-]?[0-9]){12}", /* credit_card: 13 digits, single separators */
    "[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11}", /* iban: the shortest IBAN is 15 */
    "[0-9]{3}-[0-9]{2}-[0-9]{4}", /* us_social */
    "[0-9]{9}", /* us_social_nodashes */
};
/* Digits a shape needs (0: no gate, sd_digit_dense_from): a card 13 within
 * 25 bytes (13 digits, 12 single separators), an SSN 9 within 11. An IBAN
 * may be mostly letters, so it has none. */
static const uint32_t builtin_digits_needed[SD_TYPE_BUILTIN_COUNT] = { 13, 0, 9, 9 };

/* How far before the end of a built-in candidate a valid number may start
 * (a grouped IBAN is at most 42 characters; card runs are followed back by
 * the finder itself). */
#define SD_BUILTIN_LOOKBACK 64

struct SdDb {
    SdType type;
    char *regex; /* custom only */
    hs_database_t *hs; /* NULL without a usable Hyperscan (built-ins only) */
    unsigned refs;
    struct SdDb *next;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static SdDb *registry;
static atomic_uint registry_generation = 1;

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t scratch_key;
static _Thread_local hs_scratch_t *tl_scratch;
static _Thread_local unsigned tl_generation;

static void scratch_destroy(void *p) { hs_free_scratch(p); }
static void make_key(void) { pthread_key_create(&scratch_key, scratch_destroy); }

static bool hs_usable(void)
{
    static int usable = -1;
    if (usable < 0)
        usable = hs_valid_platform() == HS_SUCCESS;
    return usable == 1;
}

static bool same_key(const SdDb *db, SdType type, const char *regex)
{
    if (db->type != type)
        return false;
    return type != SD_TYPE_CUSTOM || strcmp(db->regex, regex) == 0;
}

static hs_database_t *compile(SdType type, const char *regex, char *err, size_t errlen)
{
    const char *expr = type == SD_TYPE_CUSTOM ? regex : builtin_shapes[type];
    unsigned flags = type == SD_TYPE_CUSTOM ? HS_FLAG_SOM_LEFTMOST : HS_FLAG_SINGLEMATCH;
    hs_database_t *hdb = NULL;
    hs_compile_error_t *cerr = NULL;
    if (hs_compile(expr, flags, HS_MODE_BLOCK, NULL, &hdb, &cerr) != HS_SUCCESS) {
        snprintf(err, errlen, "sd_pattern: cannot compile \"%s\": %s", expr,
                 cerr && cerr->message ? cerr->message : "unknown error");
        hs_free_compile_error(cerr);
        return NULL;
    }
    return hdb;
}

SdDb *sd_db_acquire(SdType type, const char *regex, char *err, size_t errlen)
{
    if ((unsigned)type > SD_TYPE_CUSTOM || (type == SD_TYPE_CUSTOM && (!regex || !*regex))) {
        snprintf(err, errlen, "sd_pattern: empty pattern");
        return NULL;
    }
    if (type == SD_TYPE_CUSTOM && !hs_usable()) {
        snprintf(err, errlen, "sd_pattern: custom patterns need Hyperscan, not usable on this CPU");
        return NULL;
    }
    pthread_mutex_lock(&registry_lock);
    SdDb *db = registry;
    while (db && !same_key(db, type, regex))
        db = db->next;
    if (db) {
        db->refs++;
        pthread_mutex_unlock(&registry_lock);
        return db;
    }
    db = calloc(1, sizeof(*db));
    if (db && type == SD_TYPE_CUSTOM && !(db->regex = strdup(regex))) {
        free(db);
        db = NULL;
    }
    if (!db) {
        pthread_mutex_unlock(&registry_lock);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    db->type = type;
    db->refs = 1;
    if (hs_usable() && !(db->hs = compile(type, regex, err, errlen))) {
        free(db->regex);
        free(db);
        pthread_mutex_unlock(&registry_lock);
        return NULL;
    }
    db->next = registry;
    registry = db;
    atomic_fetch_add(&registry_generation, 1);
    pthread_mutex_unlock(&registry_lock);
    return db;
}

void sd_db_release(SdDb *db)
{
    if (!db)
        return;
    pthread_mutex_lock(&registry_lock);
    if (--db->refs == 0) {
        for (SdDb **pp = &registry; *pp; pp = &(*pp)->next) {
            if (*pp == db) {
                *pp = db->next;
                break;
            }
        }
        hs_free_database(db->hs);
        free(db->regex);
        free(db);
    }
    pthread_mutex_unlock(&registry_lock);
}

SdType sd_db_type(const SdDb *db) { return db->type; }

/* Makes this thread's scratch fit every database of the registry. */
static bool scratch_ready(void)
{
    unsigned gen = atomic_load(&registry_generation);
    if (tl_scratch && tl_generation == gen)
        return true;
    pthread_once(&key_once, make_key);
    bool ok = true;
    pthread_mutex_lock(&registry_lock);
    for (SdDb *db = registry; db && ok; db = db->next)
        if (db->hs)
            ok = hs_alloc_scratch(db->hs, &tl_scratch) == HS_SUCCESS;
    pthread_mutex_unlock(&registry_lock);
    pthread_setspecific(scratch_key, tl_scratch);
    if (ok)
        tl_generation = gen;
    return ok && tl_scratch;
}

/* Digits among the 16 bytes at p. */
static inline uint32_t chunk_digits(const uint8_t *p)
{
#ifdef __SSE2__
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    /* x - '0' as unsigned is below 10 exactly for digits: min(x - '0', 9) == x - '0' */
    const __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    const __m128i is_digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
    /* one per digit, summed by the byte-difference sum against zero (a
     * popcount would be a library call on baseline x86-64) */
    const __m128i sums = _mm_sad_epu8(_mm_and_si128(is_digit, _mm_set1_epi8(1)), _mm_setzero_si128());
    return (uint32_t)(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
#else
    uint32_t n = 0;
    for (int i = 0; i < 16; i++)
        n += (uint8_t)(p[i] - '0') < 10;
    return n;
#endif
}

/* Digits in chunk k of buf (16 bytes from 16 * k; bytes past len count as
 * none). */
static uint32_t chunk_digits_at(const uint8_t *buf, uint32_t len, uint32_t k)
{
    const uint8_t *p = buf + 16 * k;
    if (16 * k + 16 <= len)
        return chunk_digits(p);
    uint8_t tail[16] = { 0 };
    memcpy(tail, p, len - 16 * k);
    return chunk_digits(tail);
}

uint32_t sd_digit_dense_from(const uint8_t *buf, uint32_t len, uint32_t need)
{
    /* c0, c1, c2: digits in chunks i, i+1, i+2; a window of up to 33 bytes
     * starting in chunk i lies in them */
    const uint32_t chunks = (len + 15) / 16;
    uint32_t c[3] = { 0, 0, 0 };
    for (uint32_t k = 0; k < 3 && k < chunks; k++)
        c[k] = chunk_digits_at(buf, len, k);
    for (uint32_t i = 0; i < chunks; i++) {
        if (c[0] + c[1] + c[2] >= need)
            return 16 * i;
        c[0] = c[1];
        c[1] = c[2];
        c[2] = i + 3 < chunks ? chunk_digits_at(buf, len, i + 3) : 0;
    }
    return len;
}

typedef struct ScanCtx {
    SdCandidateCb cb;
    void *user;
    bool custom;
    bool have_span, stopped;
    unsigned long long from, to;
    uint32_t base; /* built-ins: offset in the buffer where the scan began */
} ScanCtx;

static int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *c)
{
    (void)id;
    (void)flags;
    ScanCtx *sc = c;
    if (!sc->custom) {
        to += sc->base; /* the scan began at the first dense window */
        uint32_t start = to > SD_BUILTIN_LOOKBACK ? (uint32_t)(to - SD_BUILTIN_LOOKBACK) : 0;
        sc->cb(start, (uint32_t)to, sc->user);
        sc->stopped = true;
        return 1; /* the validators take it from here */
    }
    /* custom: merge overlapping matches into one span */
    if (sc->have_span && from < sc->to) {
        if (from < sc->from)
            sc->from = from;
        if (to > sc->to)
            sc->to = to;
        return 0;
    }
    if (sc->have_span && !sc->cb((uint32_t)sc->from, (uint32_t)sc->to, sc->user)) {
        sc->stopped = true;
        return 1;
    }
    sc->have_span = true;
    sc->from = from;
    sc->to = to;
    return 0;
}

bool sd_candidates(const SdDb *db, const uint8_t *buf, uint32_t len, SdCandidateCb cb, void *user)
{
    if (len == 0)
        return true;
    if (!db->hs) { /* no Hyperscan: the validators read everything */
        if (db->type != SD_TYPE_CUSTOM)
            cb(0, len, user);
        return true;
    }
    if (!scratch_ready())
        return false;
    ScanCtx sc = { .cb = cb, .user = user, .custom = db->type == SD_TYPE_CUSTOM };
    if (!sc.custom && builtin_digits_needed[db->type]) {
        /* most buffers (binary transfers, markup) have no stretch dense
         * enough in digits to hold a number: no scan at all; otherwise the
         * scan starts where the first such stretch does */
        sc.base = sd_digit_dense_from(buf, len, builtin_digits_needed[db->type]);
        if (sc.base >= len)
            return true;
    }
    hs_error_t rc = hs_scan(db->hs, (const char *)buf + sc.base, len - sc.base, 0, tl_scratch, on_match, &sc);
    if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED)
        return false;
    if (sc.custom && sc.have_span && !sc.stopped)
        cb((uint32_t)sc.from, (uint32_t)sc.to, user);
    return true;
}
