/*
 * Building and running the MPM prefilter (see prefilter.h).
 *
 * Build: the 512 signature groups are first reduced to the distinct ones (a
 * hash of the signature list, then a full compare), so the ~250 protocols
 * that only see `ip` rules compile one database between them. For each
 * distinct group the fast patterns go into one MPM builder with the
 * signature number as id (and those of packet-only signatures into a second
 * one); signatures without a usable pattern go on the group's non-prefiltered list. If Hyperscan refuses a database,
 * the naive matcher is used for it (same answers, slower). One scratch is created for the first database and grown for the
 * others; workers clone it.
 *
 * Run: each scan callback stamps the signature for the buffer scanned and
 * appends it to `hits` the first time this run; the hits are sorted and
 * merged with the non-prefiltered list (and, on the packets where IP-only
 * rules run, with the group's IP-only list: ET Open's ~1200 reputation
 * rules would otherwise be walked on every packet) into `cand`.
 */
#include "detect/prefilter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detect/mpm-cache.h"
#include "detect/prefilter-app.h"
#include "detect/prefilter-iponly.h"
#include "util/log.h"

static uint64_t hash_nums(const uint32_t *nums, uint32_t count)
{
    uint64_t h = 1469598103934665603ull ^ count;
    for (uint32_t i = 0; i < count; i++)
        h = (h ^ nums[i]) * 1099511628211ull;
    return h;
}

/* Inspects the packet payload even when the packet's data went to the
 * stream (flow:no_stream, or depth/offset contents, see signature.h). */
static bool is_packet_only(const Signature *s)
{
    return (s->flags & (SIG_FLAG_NO_STREAM | SIG_FLAG_STREAM_AND_PACKET)) != 0;
}

/* Builders waiting to be compiled (all at once, mpm-cache.h), kept until
 * then. */
typedef struct PendingDbs {
    MpmJobs jobs;
    MpmBuilder **builders;
    uint32_t count, cap;
} PendingDbs;

/* Takes ownership of b and queues it for compilation into *out. */
static bool pending_add(PendingDbs *pd, MpmBuilder *b, MpmDb **out)
{
    if (pd->count == pd->cap) {
        uint32_t ncap = pd->cap ? pd->cap * 2 : 32;
        MpmBuilder **n = realloc(pd->builders, ncap * sizeof(*n));
        if (!n) {
            mpm_builder_free(b);
            return false;
        }
        pd->builders = n;
        pd->cap = ncap;
    }
    pd->builders[pd->count++] = b;
    return mpm_jobs_add(&pd->jobs, b, out);
}

static void pending_free(PendingDbs *pd)
{
    for (uint32_t i = 0; i < pd->count; i++)
        mpm_builder_free(pd->builders[i]);
    free(pd->builders);
    mpm_jobs_free(&pd->jobs);
}

/* Fills g from the signature list nums[0..count), queueing its databases
 * in pd. False on out of memory. */
static bool build_group(Prefilter *pf, PendingDbs *pd, PrefilterGroup *g, Signature *const *sigs,
                        const uint32_t *nums, uint32_t count)
{
    g->sig_count = count;
    g->nonpf = malloc((count ? count : 1) * sizeof(*g->nonpf));
    g->iponly = malloc((count ? count : 1) * sizeof(*g->iponly));
    MpmBuilder *all = mpm_builder_new(), *pkt = mpm_builder_new();
    bool ok = g->nonpf && g->iponly && all && pkt;
    for (uint32_t i = 0; ok && i < count; i++) {
        const Signature *s = sigs[nums[i]];
        if (pf->app && pf->app->in_app[s->num])
            continue; /* prefiltered on its application buffer */
        if (!pf->has_fp[s->num]) {
            if (s->flags & SIG_FLAG_IPONLY)
                g->iponly[g->iponly_count++] = s->num;
            else
                g->nonpf[g->nonpf_count++] = s->num;
            continue;
        }
        const uint8_t *pat;
        uint32_t len;
        const DetectContent *cd = s->fast_pattern->ctx;
        content_fast_pattern(cd, &pat, &len);
        bool nocase = (cd->flags & CONTENT_NOCASE) != 0;
        ok = mpm_add(all, pat, len, nocase, s->num) && (!is_packet_only(s) || mpm_add(pkt, pat, len, nocase, s->num));
    }
    if (ok && g->iponly_count)
        ok = (g->ipx = iponly_index_build(sigs, g->iponly, g->iponly_count)) != NULL;
    if (!ok) {
        mpm_builder_free(all);
        mpm_builder_free(pkt);
        return false;
    }
    bool queued = pending_add(pd, all, &g->db);
    return pending_add(pd, pkt, &g->db_pkt) && queued;
}

Prefilter *prefilter_build(Signature *const *sigs, uint32_t n, const uint32_t *const *group_nums,
                           const uint32_t *group_counts, MpmCache *cache, unsigned threads, char *err, size_t errlen)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    PendingDbs pd;
    memset(&pd, 0, sizeof(pd));
    Prefilter *pf = calloc(1, sizeof(*pf));
    uint64_t *hashes = calloc(512, sizeof(*hashes));
    uint32_t *first = calloc(512, sizeof(*first)); /* distinct group -> its first [proto*2+dir] */
    if (!pf || !hashes || !first)
        goto oom;
    pf->sig_count = n;
    pf->has_fp = calloc(n ? n : 1, sizeof(*pf->has_fp));
    pf->groups = calloc(512, sizeof(*pf->groups));
    if (!pf->has_fp || !pf->groups)
        goto oom;
    for (uint32_t i = 0; i < n; i++) {
        const SigMatch *fp = sigs[i]->fast_pattern;
        if (fp && sigs[i]->fast_pattern_list == SIG_LIST_PMATCH) {
            const uint8_t *pat;
            uint32_t len;
            content_fast_pattern(fp->ctx, &pat, &len);
            pf->has_fp[i] = len > 0;
        }
        if (pf->has_fp[i])
            pf->fp_sigs++;
        else
            pf->nonpf_sigs++;
    }
    pf->app = app_prefilter_build(sigs, n, &pd.jobs);
    if (!pf->app)
        goto oom;
    pf->nonpf_sigs -= pf->app->app_sigs;
    for (uint32_t gi = 0; gi < 512; gi++) {
        const uint32_t *nums = group_nums[gi];
        uint32_t count = group_counts[gi];
        uint64_t h = hash_nums(nums, count);
        uint32_t d;
        for (d = 0; d < pf->group_count; d++) {
            uint32_t o = first[d];
            if (hashes[d] == h && group_counts[o] == count &&
                (count == 0 || memcmp(group_nums[o], nums, count * sizeof(*nums)) == 0))
                break;
        }
        if (d == pf->group_count) {
            if (!build_group(pf, &pd, &pf->groups[d], sigs, nums, count))
                goto oom;
            hashes[d] = h;
            first[d] = gi;
            pf->group_count++;
        }
        pf->map[gi / 2][gi % 2] = (uint16_t)d;
    }
    if (!mpm_jobs_run(&pd.jobs, cache, threads, &pf->scratch, &pf->db_count))
        goto oom;
    app_prefilter_built(pf->app);
    pending_free(&pd);
    free(hashes);
    free(first);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pf->build_seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    od_info("prefilter: %u rules with a payload fast pattern, %u with an app-layer one (%u buffer lists), %u "
            "without; %u distinct groups, %u databases (%s), %.3f s",
            pf->fp_sigs, pf->app->app_sigs, pf->app->list_count, pf->nonpf_sigs, pf->group_count, pf->db_count,
            mpm_hs_usable() ? "hyperscan" : "naive", pf->build_seconds);
    return pf;
oom:
    pending_free(&pd);
    free(hashes);
    free(first);
    prefilter_free(pf);
    if (err && errlen)
        snprintf(err, errlen, "out of memory building the prefilter");
    return NULL;
}

void prefilter_free(Prefilter *pf)
{
    if (!pf)
        return;
    if (pf->groups) {
        for (uint32_t i = 0; i < pf->group_count; i++) {
            mpm_db_free(pf->groups[i].db);
            mpm_db_free(pf->groups[i].db_pkt);
            free(pf->groups[i].nonpf);
            free(pf->groups[i].iponly);
            iponly_index_free(pf->groups[i].ipx);
        }
        /* a group that failed half-built is past group_count: free it too */
        if (pf->group_count < 512) {
            PrefilterGroup *g = &pf->groups[pf->group_count];
            mpm_db_free(g->db);
            mpm_db_free(g->db_pkt);
            free(g->nonpf);
            free(g->iponly);
            iponly_index_free(g->ipx);
        }
    }
    free(pf->groups);
    free(pf->has_fp);
    app_prefilter_free(pf->app);
    mpm_scratch_free(pf->scratch);
    free(pf);
}

bool prefilter_thread_init(PrefilterThread *pt, const Prefilter *pf)
{
    memset(pt, 0, sizeof(*pt));
    if (!pf)
        return true; /* engine not built: nothing to scan */
    uint32_t n = pf->sig_count ? pf->sig_count : 1;
    pt->stamp_pkt = calloc(n, sizeof(uint32_t));
    pt->stamp_stream = calloc(n, sizeof(uint32_t));
    pt->hits = malloc(n * sizeof(uint32_t));
    pt->cand = malloc(n * sizeof(uint32_t));
    pt->stamp_app = calloc(n, sizeof(uint32_t));
    pt->app_cand = malloc(n * sizeof(uint32_t));
    pt->merged = malloc(n * sizeof(uint32_t));
    pt->ipo = malloc(n * sizeof(uint32_t));
    pt->cap = n;
    if (pf->scratch)
        pt->scratch = mpm_scratch_clone(pf->scratch);
    if (!pt->stamp_pkt || !pt->stamp_stream || !pt->hits || !pt->cand || !pt->stamp_app || !pt->app_cand ||
        !pt->merged || !pt->ipo || (pf->scratch && !pt->scratch)) {
        prefilter_thread_free(pt);
        return false;
    }
    return true;
}

void prefilter_thread_free(PrefilterThread *pt)
{
    mpm_scratch_free(pt->scratch);
    free(pt->stamp_pkt);
    free(pt->stamp_stream);
    free(pt->hits);
    free(pt->cand);
    free(pt->stamp_app);
    free(pt->app_cand);
    free(pt->merged);
    free(pt->ipo);
    free(pt->xform_owned);
    memset(pt, 0, sizeof(*pt));
}

typedef struct ScanCtx {
    PrefilterThread *pt;
    uint32_t *stamp; /* the buffer's stamps */
} ScanCtx;

static int on_match(uint32_t num, void *ctx)
{
    ScanCtx *sc = ctx;
    PrefilterThread *pt = sc->pt;
    const uint32_t gen = pt->gen;
    if (pt->stamp_pkt[num] != gen && pt->stamp_stream[num] != gen)
        pt->hits[pt->hit_count++] = num;
    sc->stamp[num] = gen;
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

uint32_t prefilter_run(const Prefilter *pf, PrefilterThread *pt, uint8_t proto, int dir, const uint8_t *pkt,
                       uint32_t pkt_len, const uint8_t *stream, uint32_t stream_len, bool tcp_session,
                       bool iponly)
{
    const PrefilterGroup *g = &pf->groups[pf->map[proto][dir ? 1 : 0]];
    if (++pt->gen == 0) { /* stamps wrapped: forget them */
        memset(pt->stamp_pkt, 0, pf->sig_count * sizeof(uint32_t));
        memset(pt->stamp_stream, 0, pf->sig_count * sizeof(uint32_t));
        memset(pt->stamp_app, 0, pf->sig_count * sizeof(uint32_t));
        pt->gen = 1;
    }
    pt->hit_count = 0;
    if (pt->scratch) {
        if (stream_len && g->db) {
            ScanCtx sc = { pt, pt->stamp_stream };
            mpm_scan(g->db, pt->scratch, stream, stream_len, on_match, &sc);
        }
        const MpmDb *pdb = tcp_session ? g->db_pkt : g->db;
        if (pkt_len && pdb) {
            ScanCtx sc = { pt, pt->stamp_pkt };
            mpm_scan(pdb, pt->scratch, pkt, pkt_len, on_match, &sc);
        }
    }
    if (pt->hit_count > 1)
        qsort(pt->hits, pt->hit_count, sizeof(uint32_t), cmp_u32);
    /* merge up to three ascending lists with no common element (a
     * signature is in exactly one of them) */
    const uint32_t *a = pt->hits, *b = g->nonpf, *c = g->iponly;
    uint32_t na = pt->hit_count, nb = g->nonpf_count, nc = iponly ? g->iponly_count : 0;
    if (nc && g->ipx && pt->src && pt->dst) { /* only the IP-only rules the addresses can match */
        nc = iponly_index_lookup(g->ipx, pt->src, pt->dst, pt->ipo);
        c = pt->ipo;
    }
    uint32_t i = 0, j = 0, l = 0, k = 0;
    while (i < na || j < nb || l < nc) {
        uint32_t va = i < na ? a[i] : UINT32_MAX, vb = j < nb ? b[j] : UINT32_MAX, vc = l < nc ? c[l] : UINT32_MAX;
        if (va < vb && va < vc) {
            pt->cand[k++] = va;
            i++;
        } else if (vb < vc) {
            pt->cand[k++] = vb;
            j++;
        } else {
            pt->cand[k++] = vc;
            l++;
        }
    }
    pt->cand_count = k;
    pt->runs++;
    pt->candidates += k;
    return k;
}

uint32_t prefilter_run_app(const Prefilter *pf, PrefilterThread *pt, struct Flow *f, int dir, bool flow_end)
{
    uint32_t na = app_prefilter_run(pf->app, pt, f, dir, flow_end);
    if (na == 0)
        return pt->cand_count;
    const uint32_t *a = pt->cand, *b = pt->app_cand;
    uint32_t n = pt->cand_count, i = 0, j = 0, k = 0;
    while (i < n || j < na) {
        if (j == na || (i < n && a[i] < b[j]))
            pt->merged[k++] = a[i++];
        else if (i == n || b[j] < a[i])
            pt->merged[k++] = b[j++];
        else { /* in both lists (cannot happen: a rule is in one kind of group) */
            pt->merged[k++] = a[i++];
            j++;
        }
    }
    uint32_t *t = pt->cand;
    pt->cand = pt->merged;
    pt->merged = t;
    pt->cand_count = k;
    pt->candidates += na;
    return k;
}
