/*
 * Building and querying the IP-only index (see prefilter-iponly.h).
 *
 * Build, per side: every indexed rule contributes its IPv4 ranges
 * (address_set_range); the segment starts are all range starts and the
 * addresses just past each range end, sorted and deduplicated; two passes
 * over the ranges (count, then fill) give each segment its rule list.
 * Rules are taken in ascending order, so each segment's list is ascending.
 */
#include "detect/prefilter-iponly.h"

#include <stdlib.h>
#include <string.h>

#include "detect/address.h"

/* A side whose rule covers more than this many IPv4 addresses is not worth
 * indexing (it would be in most segments): the rule is always a candidate. */
#define IPONLY_WIDE (1ull << 28)

typedef struct Range {
    uint32_t lo, hi, num;
} Range;

static uint32_t v4_of(const Address *a)
{
    return ((uint32_t)a->addr[0] << 24) | ((uint32_t)a->addr[1] << 16) | ((uint32_t)a->addr[2] << 8) | a->addr[3];
}

/* Number of IPv4 addresses set covers (2^32 for any). */
static uint64_t coverage(const AddressSet *set)
{
    if (!set || address_set_is_any(set))
        return 1ull << 32;
    uint64_t c = 0;
    size_t n = address_set_count(set, 4);
    for (size_t i = 0; i < n; i++) {
        Address lo, hi;
        if (address_set_range(set, 4, i, &lo, &hi))
            c += (uint64_t)v4_of(&hi) - v4_of(&lo) + 1;
    }
    return c;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Index of the segment holding address x (starts ascending); nseg when
 * x is before the first start. */
static uint32_t seg_of(const uint32_t *starts, uint32_t nseg, uint32_t x)
{
    uint32_t lo = 0, hi = nseg;
    while (lo < hi) { /* first start > x */
        uint32_t mid = lo + (hi - lo) / 2;
        if (starts[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? nseg : lo - 1;
}

static bool build_side(IpOnlySide *s, const Range *r, uint32_t nr)
{
    memset(s, 0, sizeof(*s));
    if (nr == 0)
        return true;
    uint32_t *pts = malloc((size_t)nr * 2 * sizeof(uint32_t));
    if (!pts)
        return false;
    uint32_t np = 0;
    for (uint32_t i = 0; i < nr; i++) {
        pts[np++] = r[i].lo;
        if (r[i].hi != UINT32_MAX)
            pts[np++] = r[i].hi + 1;
    }
    qsort(pts, np, sizeof(uint32_t), cmp_u32);
    uint32_t n = 0;
    for (uint32_t i = 0; i < np; i++)
        if (n == 0 || pts[i] != pts[n - 1])
            pts[n++] = pts[i];
    s->starts = pts;
    s->nseg = n;
    s->first = calloc(n, sizeof(uint32_t));
    s->count = calloc(n, sizeof(uint32_t));
    if (!s->first || !s->count)
        return false;
    uint64_t total = 0;
    for (uint32_t i = 0; i < nr; i++) {
        uint32_t a = seg_of(s->starts, n, r[i].lo), b = seg_of(s->starts, n, r[i].hi);
        for (uint32_t k = a; k <= b; k++)
            s->count[k]++;
        total += (uint64_t)b - a + 1;
    }
    if (total > UINT32_MAX)
        return false;
    s->nums = malloc((total ? total : 1) * sizeof(uint32_t));
    if (!s->nums)
        return false;
    uint32_t off = 0;
    for (uint32_t k = 0; k < n; k++) {
        s->first[k] = off;
        off += s->count[k];
        s->count[k] = 0;
    }
    for (uint32_t i = 0; i < nr; i++) { /* ranges come in ascending rule order */
        uint32_t a = seg_of(s->starts, n, r[i].lo), b = seg_of(s->starts, n, r[i].hi);
        for (uint32_t k = a; k <= b; k++) {
            uint32_t *slot = &s->nums[s->first[k]];
            /* a rule's ranges are disjoint, but keep the list unique anyway */
            if (s->count[k] == 0 || slot[s->count[k] - 1] != r[i].num)
                slot[s->count[k]++] = r[i].num;
        }
    }
    return true;
}

static bool push_range(Range **r, uint32_t *n, uint32_t *cap, Range v)
{
    if (*n == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 256;
        Range *x = realloc(*r, ncap * sizeof(*x));
        if (!x)
            return false;
        *r = x;
        *cap = ncap;
    }
    (*r)[(*n)++] = v;
    return true;
}

IpOnlyIndex *iponly_index_build(Signature *const *sigs, const uint32_t *nums, uint32_t count)
{
    IpOnlyIndex *x = calloc(1, sizeof(*x));
    Range *r[2] = { NULL, NULL };
    uint32_t nr[2] = { 0, 0 }, cap[2] = { 0, 0 };
    if (!x)
        return NULL;
    x->rule_count = count;
    x->always = malloc((count ? count : 1) * sizeof(uint32_t));
    x->v6 = malloc((count ? count : 1) * sizeof(uint32_t));
    if (!x->always || !x->v6)
        goto oom;
    for (uint32_t i = 0; i < count; i++) {
        const Signature *s = sigs[nums[i]];
        uint64_t cs = coverage(s->src), cd = coverage(s->dst);
        if ((s->flags & SIG_FLAG_BIDIRECTIONAL) || (cs > IPONLY_WIDE && cd > IPONLY_WIDE)) {
            x->always[x->always_count++] = nums[i];
            continue;
        }
        int side = cs <= cd ? 0 : 1;
        const AddressSet *set = side == 0 ? s->src : s->dst;
        if (address_set_count(set, 6))
            x->v6[x->v6_count++] = nums[i];
        size_t n4 = address_set_count(set, 4);
        for (size_t k = 0; k < n4; k++) {
            Address lo, hi;
            if (address_set_range(set, 4, k, &lo, &hi) &&
                !push_range(&r[side], &nr[side], &cap[side], (Range){ v4_of(&lo), v4_of(&hi), nums[i] }))
                goto oom;
        }
    }
    if (!build_side(&x->side[0], r[0], nr[0]) || !build_side(&x->side[1], r[1], nr[1]))
        goto oom;
    free(r[0]);
    free(r[1]);
    return x;
oom:
    free(r[0]);
    free(r[1]);
    iponly_index_free(x);
    return NULL;
}

void iponly_index_free(IpOnlyIndex *x)
{
    if (!x)
        return;
    for (int i = 0; i < 2; i++) {
        free(x->side[i].starts);
        free(x->side[i].first);
        free(x->side[i].count);
        free(x->side[i].nums);
    }
    free(x->always);
    free(x->v6);
    free(x);
}

/* The ascending rule list of side s for address a (count in *n). */
static const uint32_t *side_lookup(const IpOnlySide *s, const Address *a, uint32_t *n)
{
    *n = 0;
    if (a->family != 4 || s->nseg == 0)
        return NULL;
    uint32_t k = seg_of(s->starts, s->nseg, v4_of(a));
    if (k == s->nseg)
        return NULL;
    *n = s->count[k];
    return &s->nums[s->first[k]];
}

uint32_t iponly_index_lookup(const IpOnlyIndex *x, const Address *src, const Address *dst, uint32_t *out)
{
    uint32_t na = 0, nb = 0, nc = x->always_count;
    const uint32_t *a, *b, *c = x->always;
    if (src->family == 6 || dst->family == 6) {
        a = x->v6;
        na = x->v6_count;
        b = NULL;
    } else {
        a = side_lookup(&x->side[0], src, &na);
        b = side_lookup(&x->side[1], dst, &nb);
    }
    /* merge three ascending lists; a rule is on one side only, but the
     * IPv6 list and a side may share nothing either: dedupe for safety */
    uint32_t i = 0, j = 0, l = 0, k = 0;
    while (i < na || j < nb || l < nc) {
        uint32_t va = i < na ? a[i] : UINT32_MAX, vb = j < nb ? b[j] : UINT32_MAX, vc = l < nc ? c[l] : UINT32_MAX;
        uint32_t v = va < vb ? va : vb;
        v = v < vc ? v : vc;
        i += va == v;
        j += vb == v;
        l += vc == v;
        out[k++] = v;
    }
    return k;
}
