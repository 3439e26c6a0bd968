/*
 * Splitting one (protocol, direction) signature group by port (see
 * port-groups.h), following Suricata 8's RulesGroupByPorts.
 *
 * 1. Every distinct port range named by some signature becomes a range
 *    entry holding those signatures, scored with the highest rule-level
 *    score among them, or PORT_SCORE_WHITELISTED_PORT when the range is
 *    exactly one whitelisted port (detect.grouping.tcp-whitelist /
 *    udp-whitelist). `any` is the range 0:65535.
 * 2. The ranges' edges cut the port space into elementary segments; each
 *    segment some range covers holds the union of the signatures of the
 *    ranges covering it and the highest of their scores (Suricata's
 *    interval tree, SCPortIntervalFindOverlappingRanges). A segment whose
 *    signature set equals that of the segment just below it is merged into
 *    that one (keeping the lower one's score). The sweep tracks, per
 *    signature, how many covering ranges are open, so "the set did not
 *    change at this edge" is known exactly without comparing lists.
 * 3. The segments are ordered by score (any score before none, higher
 *    first), then by signature count (larger first), ties keeping port
 *    order (Suricata's CreateGroupedPortList insertion with
 *    CreateGroupedPortListCmpCnt). The first max_groups become unique
 *    groups; the others are folded into one catch-all group that also
 *    answers for the ports no range covers (Suricata's "join" group
 *    0:65535, looked up last). Without a catch-all those ports get an
 *    empty group.
 *
 * The grouping only narrows which rules are candidates: a port's group
 * holds every rule whose key ranges contain the port, so the per-candidate
 * port check decides exactly as before.
 */
#include "detect/port-groups.h"

#include <stdlib.h>
#include <string.h>

typedef struct RangeEntry {
    uint16_t lo, hi;
    uint32_t num;
    int score;
} RangeEntry;

struct PortGroupBuilder {
    RangeEntry *e;
    uint32_t count, cap;
};

/* A distinct range: entries [first, first + n) of the sorted array. */
typedef struct Range {
    uint16_t lo, hi;
    uint32_t first, n;
    int score;
} Range;

typedef struct Segment {
    uint16_t lo, hi;
    uint32_t size; /* signatures */
    int score;
    uint32_t order; /* position in port order (tie-break) */
} Segment;

PortGroupBuilder *port_group_builder_new(void)
{
    return calloc(1, sizeof(PortGroupBuilder));
}

void port_group_builder_free(PortGroupBuilder *b)
{
    if (!b)
        return;
    free(b->e);
    free(b);
}

bool port_group_add(PortGroupBuilder *b, uint32_t num, uint16_t lo, uint16_t hi, int score)
{
    if (lo > hi)
        return true; /* empty: nothing to add */
    if (b->count == b->cap) {
        uint32_t ncap = b->cap ? b->cap * 2 : 64;
        RangeEntry *n = realloc(b->e, ncap * sizeof(*n));
        if (!n)
            return false;
        b->e = n;
        b->cap = ncap;
    }
    b->e[b->count++] = (RangeEntry){ lo, hi, num, score };
    return true;
}

void port_groups_free(PortGroups *g)
{
    if (!g)
        return;
    if (g->nums)
        for (uint32_t i = 0; i < g->count; i++)
            free(g->nums[i]);
    free(g->nums);
    free(g->sizes);
    free(g->lo);
    free(g->hi);
    free(g->index);
    free(g);
}

static int cmp_entry(const void *a, const void *b)
{
    const RangeEntry *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    return x->num < y->num ? -1 : x->num > y->num;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Preference order of step 3: a before b when it has a score and b none,
 * a higher score, or the same score and more signatures; else port order. */
static int cmp_segment(const void *a, const void *b)
{
    const Segment *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static bool is_whitelisted(uint16_t port, const uint16_t *wl, uint32_t wl_count)
{
    for (uint32_t i = 0; i < wl_count; i++)
        if (wl[i] == port)
            return true;
    return false;
}

/* The distinct ranges of the sorted entries, scored (step 1). */
static Range *distinct_ranges(const RangeEntry *e, uint32_t count, const uint16_t *wl, uint32_t wl_count,
                              uint32_t *out_count)
{
    Range *r = malloc((count ? count : 1) * sizeof(*r));
    if (!r)
        return NULL;
    uint32_t n = 0;
    for (uint32_t i = 0; i < count;) {
        uint32_t j = i;
        int score = 0;
        while (j < count && e[j].lo == e[i].lo && e[j].hi == e[i].hi) {
            if (e[j].score > score)
                score = e[j].score;
            j++;
        }
        if (e[i].lo == e[i].hi && is_whitelisted(e[i].lo, wl, wl_count) && score < PORT_SCORE_WHITELISTED_PORT)
            score = PORT_SCORE_WHITELISTED_PORT;
        r[n++] = (Range){ e[i].lo, e[i].hi, i, j - i, score };
        i = j;
    }
    *out_count = n;
    return r;
}

/* Adds the signatures of range r to the open counts; returns how many
 * signatures became covered (delta +1) or uncovered (delta -1). */
static uint32_t open_close(const RangeEntry *e, const Range *r, uint32_t *open, int delta)
{
    uint32_t changed = 0;
    uint32_t last = UINT32_MAX;
    for (uint32_t k = r->first; k < r->first + r->n; k++) {
        uint32_t num = e[k].num;
        if (num == last)
            continue; /* the same signature twice on one range */
        last = num;
        if (delta > 0) {
            if (open[num]++ == 0)
                changed++;
        } else if (--open[num] == 0) {
            changed++;
        }
    }
    return changed;
}

/* The segments of step 2, in port order. */
static Segment *sweep_segments(const RangeEntry *e, const Range *r, uint32_t nr, uint32_t max_num,
                               uint32_t *out_count)
{
    uint32_t *open = calloc((size_t)max_num + 1, sizeof(*open));
    uint64_t *by_end = malloc((nr ? nr : 1) * sizeof(*by_end)); /* hi << 32 | range */
    uint32_t *edges = malloc((2 * (size_t)nr + 1) * sizeof(*edges));
    uint32_t *active = malloc((nr ? nr : 1) * sizeof(*active)); /* open ranges */
    Segment *seg = malloc((2 * (size_t)nr + 1) * sizeof(*seg));
    if (!open || !by_end || !edges || !active || !seg) {
        free(open);
        free(by_end);
        free(edges);
        free(active);
        free(seg);
        return NULL;
    }
    uint32_t ne = 0;
    for (uint32_t i = 0; i < nr; i++) {
        edges[ne++] = r[i].lo;
        edges[ne++] = (uint32_t)r[i].hi + 1;
    }
    qsort(edges, ne, sizeof(*edges), cmp_u32);
    uint32_t ue = 0;
    for (uint32_t i = 0; i < ne; i++)
        if (ue == 0 || edges[ue - 1] != edges[i])
            edges[ue++] = edges[i];
    /* ranges by end, for closing them in order */
    for (uint32_t i = 0; i < nr; i++)
        by_end[i] = (uint64_t)r[i].hi << 32 | i;
    qsort(by_end, nr, sizeof(*by_end), cmp_u64);
    uint32_t ns = 0, na = 0, next_open = 0, next_close = 0, covered = 0;
    for (uint32_t k = 0; k + 1 < ue; k++) {
        uint32_t at = edges[k];
        uint32_t changed = 0;
        /* open before closing: a signature on both sides of the edge
         * then never counts as changed */
        while (next_open < nr && r[next_open].lo == at) {
            uint32_t c = open_close(e, &r[next_open], open, +1);
            changed += c;
            covered += c;
            active[na++] = next_open++;
        }
        while (next_close < nr && (by_end[next_close] >> 32) + 1 == at) {
            uint32_t ri = (uint32_t)by_end[next_close++];
            uint32_t c = open_close(e, &r[ri], open, -1);
            changed += c;
            covered -= c;
            for (uint32_t a = 0; a < na; a++)
                if (active[a] == ri) {
                    active[a] = active[--na];
                    break;
                }
        }
        if (covered == 0)
            continue; /* no range covers these ports */
        uint16_t lo = (uint16_t)at, hi = (uint16_t)(edges[k + 1] - 1);
        if (changed == 0 && ns > 0 && (uint32_t)seg[ns - 1].hi + 1 == at) {
            seg[ns - 1].hi = hi; /* same signatures: one segment */
            continue;
        }
        int score = 0;
        for (uint32_t a = 0; a < na; a++)
            if (r[active[a]].score > score)
                score = r[active[a]].score;
        seg[ns] = (Segment){ lo, hi, covered, score, ns };
        ns++;
    }
    free(open);
    free(by_end);
    free(edges);
    free(active);
    *out_count = ns;
    return seg;
}

/* Ascending signatures of the ranges overlapping [lo, hi] for which
 * pick[range] is set (pick NULL: every overlapping one); `mark` is a
 * zeroed scratch of max_num + 1 bytes, zeroed again on return. The marks
 * are read back in signature order, which sorts without comparisons. */
static uint32_t *collect(const RangeEntry *e, const Range *r, uint32_t nr, const bool *pick, uint16_t lo,
                         uint16_t hi, uint8_t *mark, uint32_t max_num, uint32_t *out_size)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < nr; i++) {
        if (!(pick ? pick[i] : (r[i].lo <= hi && lo <= r[i].hi)))
            continue;
        for (uint32_t k = r[i].first; k < r[i].first + r[i].n; k++)
            if (!mark[e[k].num]) {
                mark[e[k].num] = 1;
                n++;
            }
    }
    uint32_t *nums = malloc((n ? n : 1) * sizeof(*nums));
    uint32_t k = 0;
    for (uint32_t num = 0; num <= max_num && k < n; num++)
        if (mark[num]) {
            mark[num] = 0;
            if (nums)
                nums[k] = num;
            k++;
        }
    *out_size = n;
    return nums;
}

PortGroups *port_groups_build(const PortGroupBuilder *b, uint32_t max_groups, const uint16_t *whitelist,
                              uint32_t wl_count)
{
    PortGroups *g = calloc(1, sizeof(*g));
    RangeEntry *e = malloc((b->count ? b->count : 1) * sizeof(*e));
    Range *r = NULL;
    Segment *seg = NULL;
    uint8_t *mark = NULL;
    bool *pick = NULL;
    if (!g || !e)
        goto fail;
    if (b->count) { /* b->e is NULL while nothing was added */
        memcpy(e, b->e, b->count * sizeof(*e));
        qsort(e, b->count, sizeof(*e), cmp_entry);
    }
    uint32_t max_num = 0;
    for (uint32_t i = 0; i < b->count; i++)
        if (e[i].num > max_num)
            max_num = e[i].num;
    uint32_t nr = 0, ns = 0;
    r = distinct_ranges(e, b->count, whitelist, wl_count, &nr);
    if (!r || !(seg = sweep_segments(e, r, nr, max_num, &ns)))
        goto fail;
    qsort(seg, ns, sizeof(*seg), cmp_segment);
    uint32_t unique = (max_groups == 0 || max_groups > ns) ? ns : max_groups;
    g->unique = unique;
    g->count = unique + 1; /* + the catch-all (possibly empty) */
    g->nums = calloc(g->count, sizeof(*g->nums));
    g->sizes = calloc(g->count, sizeof(*g->sizes));
    g->lo = malloc((unique ? unique : 1) * sizeof(*g->lo));
    g->hi = malloc((unique ? unique : 1) * sizeof(*g->hi));
    g->index = malloc(65536 * sizeof(*g->index));
    mark = calloc((size_t)max_num + 1, 1);
    pick = calloc(nr ? nr : 1, sizeof(*pick));
    if (!g->nums || !g->sizes || !g->lo || !g->hi || !g->index || !mark || !pick)
        goto fail;
    for (uint32_t p = 0; p < 65536; p++)
        g->index[p] = (uint16_t)unique;
    for (uint32_t i = 0; i < unique; i++) {
        g->lo[i] = seg[i].lo;
        g->hi[i] = seg[i].hi;
        if (!(g->nums[i] = collect(e, r, nr, NULL, seg[i].lo, seg[i].hi, mark, max_num, &g->sizes[i])))
            goto fail;
        for (uint32_t p = seg[i].lo; p <= seg[i].hi; p++)
            g->index[p] = (uint16_t)i;
    }
    /* the catch-all: every range overlapping a segment left out */
    for (uint32_t i = unique; i < ns; i++)
        for (uint32_t k = 0; k < nr; k++)
            if (r[k].lo <= seg[i].hi && seg[i].lo <= r[k].hi)
                pick[k] = true;
    if (!(g->nums[unique] = collect(e, r, nr, pick, 0, 65535, mark, max_num, &g->sizes[unique])))
        goto fail;
    free(e);
    free(r);
    free(seg);
    free(mark);
    free(pick);
    return g;
fail:
    free(e);
    free(r);
    free(seg);
    free(mark);
    free(pick);
    port_groups_free(g);
    return NULL;
}
