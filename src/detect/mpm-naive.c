/*
 * Portable MPM backend: the fallback when Hyperscan cannot run on this CPU,
 * and the tests' oracle. Simple on purpose, but not quadratic in the number
 * of literals: literals are bucketed by their first two bytes after ASCII
 * case folding (65536 buckets; one-byte literals in a separate table keyed
 * by the exact byte, a nocase letter filed under both cases). Scanning looks
 * at each position's bucket and confirms every candidate with a full compare
 * (memcmp, or a folded compare for nocase). A literal found once is skipped
 * for the rest of the scan (the per-literal stamps in the scratch), matching
 * HS_FLAG_SINGLEMATCH. Buckets are compact (CSR) arrays of literal indexes.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/mpm-int.h"

#define TWO_KEYS 65536u

typedef struct NaiveImpl {
    uint32_t one_start[257]; /* by exact byte value */
    uint32_t *one;
    uint32_t *two_start; /* TWO_KEYS + 1 entries, by folded 2-byte key */
    uint32_t *two;
    size_t mem;
} NaiveImpl;

static void naive_free(void *impl)
{
    NaiveImpl *n = impl;
    if (!n)
        return;
    free(n->one);
    free(n->two_start);
    free(n->two);
    free(n);
}

static uint32_t key2(const uint8_t *p)
{
    return ((uint32_t)mpm_fold(p[0]) << 8) | mpm_fold(p[1]);
}

/* The one-byte table slots a one-byte literal is filed under (1 or 2). */
static uint32_t one_slots(const MpmPattern *p, uint32_t slots[2])
{
    uint8_t c = p->bytes[0];
    slots[0] = c;
    if (p->nocase && c >= 'a' && c <= 'z') {
        slots[1] = (uint32_t)(c - 32);
        return 2;
    }
    return 1;
}

static bool naive_build(MpmDb *db, char *err, size_t errlen)
{
    NaiveImpl *n = calloc(1, sizeof(*n));
    if (!n)
        goto oom;
    n->two_start = calloc(TWO_KEYS + 1, sizeof(uint32_t));
    if (!n->two_start)
        goto oom;
    uint32_t n1 = 0, n2 = 0;
    /* count */
    for (uint32_t i = 0; i < db->pat_count; i++) {
        const MpmPattern *p = &db->pats[i];
        if (p->len == 1) {
            uint32_t sl[2], k = one_slots(p, sl);
            for (uint32_t j = 0; j < k; j++)
                n->one_start[sl[j] + 1]++;
            n1 += k;
        } else {
            n->two_start[key2(p->bytes) + 1]++;
            n2++;
        }
    }
    for (uint32_t k = 0; k < 256; k++)
        n->one_start[k + 1] += n->one_start[k];
    for (uint32_t k = 0; k < TWO_KEYS; k++)
        n->two_start[k + 1] += n->two_start[k];
    n->one = malloc((n1 ? n1 : 1) * sizeof(uint32_t));
    n->two = malloc((n2 ? n2 : 1) * sizeof(uint32_t));
    uint32_t *fill1 = malloc(256 * sizeof(uint32_t));
    uint32_t *fill2 = malloc(TWO_KEYS * sizeof(uint32_t));
    if (!n->one || !n->two || !fill1 || !fill2) {
        free(fill1);
        free(fill2);
        goto oom;
    }
    memcpy(fill1, n->one_start, 256 * sizeof(uint32_t));
    memcpy(fill2, n->two_start, TWO_KEYS * sizeof(uint32_t));
    /* fill, in literal order so a bucket is sorted by index */
    for (uint32_t i = 0; i < db->pat_count; i++) {
        const MpmPattern *p = &db->pats[i];
        if (p->len == 1) {
            uint32_t sl[2], k = one_slots(p, sl);
            for (uint32_t j = 0; j < k; j++)
                n->one[fill1[sl[j]]++] = i;
        } else {
            n->two[fill2[key2(p->bytes)]++] = i;
        }
    }
    free(fill1);
    free(fill2);
    n->mem = sizeof(*n) + ((size_t)TWO_KEYS + 1 + n1 + n2) * sizeof(uint32_t);
    db->impl = n;
    return true;
oom:
    naive_free(n);
    mpm_set_err(err, errlen, "mpm-naive: out of memory");
    return false;
}

static size_t naive_memory(const void *impl)
{
    return ((const NaiveImpl *)impl)->mem;
}

static bool lit_at(const MpmPattern *p, const uint8_t *at)
{
    if (!p->nocase)
        return memcmp(p->bytes, at, p->len) == 0;
    for (uint32_t j = 0; j < p->len; j++)
        if (mpm_fold(at[j]) != p->bytes[j])
            return false;
    return true;
}

/* Reports literal i if not seen yet; returns nonzero to stop. */
static int hit(MpmScanState *st, uint32_t i)
{
    st->s->pat_seen[i] = st->s->gen;
    return mpm_report(st, i);
}

static void naive_scan(const MpmDb *db, MpmScanState *st, const uint8_t *buf, uint32_t len)
{
    const NaiveImpl *n = db->impl;
    const uint32_t gen = st->s->gen;
    const uint32_t *seen = st->s->pat_seen;
    for (uint32_t i = 0; i < len; i++) {
        for (uint32_t k = n->one_start[buf[i]]; k < n->one_start[buf[i] + 1]; k++) {
            uint32_t pi = n->one[k];
            if (seen[pi] != gen && hit(st, pi))
                return;
        }
        if (i + 1 >= len)
            break;
        uint32_t key = key2(buf + i);
        for (uint32_t k = n->two_start[key]; k < n->two_start[key + 1]; k++) {
            uint32_t pi = n->two[k];
            const MpmPattern *p = &db->pats[pi];
            if (seen[pi] == gen || p->len > len - i || !lit_at(p, buf + i))
                continue;
            if (hit(st, pi))
                return;
        }
    }
}

const MpmOps mpm_ops_naive = {
    .name = "naive",
    .kind = MPM_BACKEND_NAIVE,
    .build = naive_build,
    .free = naive_free,
    .memory = naive_memory,
    .scan = naive_scan,
};
