/*
 * Shared helpers for the MPM unit tests: a deterministic PRNG, a recorded
 * pattern set that can be fed to a builder, the brute-force reference
 * matcher (independent of both backends: every literal tried at every
 * position), and a scan wrapper that collects the reported ids, checks each
 * is reported only once, and returns them sorted.
 */
#ifndef ODLAR_TEST_MPM_UTIL_H
#define ODLAR_TEST_MPM_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>

#include "detect/mpm.h"

typedef struct TRng {
    uint64_t s;
} TRng;

static inline uint32_t trng(TRng *r)
{
    r->s = r->s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(r->s >> 33);
}

static inline uint32_t trng_below(TRng *r, uint32_t n)
{
    return n ? trng(r) % n : 0;
}

typedef struct TPat {
    uint8_t *bytes;
    uint32_t len;
    bool nocase;
    uint32_t id;
} TPat;

typedef struct TSet {
    TPat *p;
    uint32_t n, cap;
} TSet;

static inline void tset_add(TSet *s, const uint8_t *b, uint32_t len, bool nocase, uint32_t id)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->p = realloc(s->p, s->cap * sizeof(TPat));
        assert_non_null(s->p);
    }
    TPat *t = &s->p[s->n++];
    t->bytes = malloc(len ? len : 1);
    assert_non_null(t->bytes);
    memcpy(t->bytes, b, len);
    t->len = len;
    t->nocase = nocase;
    t->id = id;
}

static inline void tset_free(TSet *s)
{
    for (uint32_t i = 0; i < s->n; i++)
        free(s->p[i].bytes);
    free(s->p);
    memset(s, 0, sizeof(*s));
}

static inline MpmBuilder *tset_builder(const TSet *s)
{
    MpmBuilder *b = mpm_builder_new();
    assert_non_null(b);
    for (uint32_t i = 0; i < s->n; i++)
        assert_true(mpm_add(b, s->p[i].bytes, s->p[i].len, s->p[i].nocase, s->p[i].id));
    return b;
}

static inline uint8_t tfold(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

static inline int tcmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorted distinct ids of every pattern occurring in buf; returns the count. */
static inline uint32_t tref_scan(const TSet *s, const uint8_t *buf, uint32_t len, uint32_t *out)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->n; i++) {
        const TPat *p = &s->p[i];
        bool found = false;
        for (uint32_t at = 0; !found && p->len <= len && at + p->len <= len; at++) {
            uint32_t k = 0;
            while (k < p->len && (p->nocase ? tfold(buf[at + k]) == tfold(p->bytes[k])
                                           : buf[at + k] == p->bytes[k]))
                k++;
            found = k == p->len;
        }
        if (found)
            out[n++] = p->id;
    }
    qsort(out, n, sizeof(uint32_t), tcmp_u32);
    uint32_t u = 0;
    for (uint32_t i = 0; i < n; i++)
        if (u == 0 || out[i] != out[u - 1])
            out[u++] = out[i];
    return u;
}

typedef struct TCollect {
    uint32_t *ids;
    uint32_t n, cap;
    uint32_t stop_after; /* 0 = never stop */
} TCollect;

static inline int tcollect_cb(uint32_t id, void *ctx)
{
    TCollect *c = ctx;
    assert_true(c->n < c->cap);
    c->ids[c->n++] = id;
    return c->stop_after && c->n >= c->stop_after;
}

/* Scans and returns the sorted ids in out (room for `cap`); fails the test
 * when an id is reported twice or the return value disagrees. */
static inline uint32_t tscan(const MpmDb *db, MpmScratch *s, const uint8_t *buf, uint32_t len,
    uint32_t *out, uint32_t cap)
{
    TCollect c = { .ids = out, .n = 0, .cap = cap };
    uint32_t r = mpm_scan(db, s, buf, len, tcollect_cb, &c);
    assert_int_equal(r, c.n);
    qsort(out, c.n, sizeof(uint32_t), tcmp_u32);
    for (uint32_t i = 1; i < c.n; i++)
        assert_true(out[i] != out[i - 1]);
    return c.n;
}

int run_mpm_tests(void);
int run_mpm_serial_tests(void);
int run_mpm_cache_tests(void);

#endif
