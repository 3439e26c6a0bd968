/*
 * Building and running the MPM prefilter (see prefilter.h).
 *
 * Build: the signature lists -- the 512 (protocol, direction) groups, then
 * the TCP and UDP port groups (port-groups.h) -- are first reduced to the
 * distinct ones (a hash of the signature list, then a full compare), so
 * the ~250 protocols that only see `ip` rules share one group. Each
 * distinct group's payload-pattern signatures give one database of their
 * fast patterns with the signature number as id (and those of packet-only
 * signatures a second one); databases are deduplicated by that signature
 * list too (a pool), so groups that differ only in app-layer or
 * non-prefiltered rules share them. A port group uses the databases of
 * its whole (protocol, direction) list and a bitset of its own
 * signatures: its scans drop the other port groups' hits, which keeps the
 * number of compiled databases that of the ungrouped engine. Signatures
 * without a usable pattern go on the group's non-prefiltered list; IP-only
 * indexes are shared by the groups with the same IP-only list. If Hyperscan refuses a database,
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
#include "util/time.h"

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

/* The IP-only index of the list nums[0..count): the one built for an
 * equal list earlier (most groups hold the same IP-only rules, and the
 * index is the costly part of a group), else a new one kept in the pool. */
static struct IpOnlyIndex *shared_iponly_index(Prefilter *pf, Signature *const *sigs, const uint32_t *nums,
                                               uint32_t count)
{
    for (uint32_t i = 0; i < pf->ipx_count; i++)
        if (pf->ipx_pool[i].count == count && memcmp(pf->ipx_pool[i].nums, nums, count * sizeof(*nums)) == 0)
            return pf->ipx_pool[i].ipx;
    if (pf->ipx_count == pf->ipx_cap) {
        uint32_t ncap = pf->ipx_cap ? pf->ipx_cap * 2 : 8;
        PrefilterIpOnlyShared *n = realloc(pf->ipx_pool, ncap * sizeof(*n));
        if (!n)
            return NULL;
        pf->ipx_pool = n;
        pf->ipx_cap = ncap;
    }
    struct IpOnlyIndex *ipx = iponly_index_build(sigs, nums, count);
    if (ipx)
        pf->ipx_pool[pf->ipx_count++] = (PrefilterIpOnlyShared){ nums, count, ipx };
    return ipx;
}

#define NO_DB UINT32_MAX

/* The database of the patterns of signatures nums[0..count) (each has a
 * payload fast pattern): the pool's entry for an equal list, else a new
 * one queued in pd. Port groups that differ only in rules without a
 * payload pattern (app-layer, IP-only...) share their databases this way.
 * Returns its pool index (NO_DB for an empty list), or NO_DB - 1 on out of
 * memory. */
static uint32_t pattern_db(Prefilter *pf, PendingDbs *pd, Signature *const *sigs, const uint32_t *nums,
                           uint32_t count)
{
    if (count == 0)
        return NO_DB;
    uint64_t h = hash_nums(nums, count);
    for (uint32_t i = 0; i < pf->db_pool_count; i++) {
        const PrefilterDb *d = &pf->db_pool[i];
        if (d->hash == h && d->count == count && memcmp(d->nums, nums, count * sizeof(*nums)) == 0)
            return i;
    }
    if (pf->db_pool_count == pf->db_pool_cap)
        return NO_DB - 1; /* cannot happen: sized for every list */
    PrefilterDb *d = &pf->db_pool[pf->db_pool_count];
    d->nums = malloc(count * sizeof(*nums));
    MpmBuilder *b = mpm_builder_new();
    bool ok = d->nums && b;
    for (uint32_t i = 0; ok && i < count; i++) {
        const uint8_t *pat;
        uint32_t len;
        const DetectContent *cd = sigs[nums[i]]->fast_pattern->ctx;
        content_fast_pattern(cd, &pat, &len);
        ok = mpm_add(b, pat, len, (cd->flags & CONTENT_NOCASE) != 0, nums[i]);
    }
    if (!ok) {
        free(d->nums);
        d->nums = NULL;
        mpm_builder_free(b);
        return NO_DB - 1;
    }
    memcpy(d->nums, nums, count * sizeof(*nums));
    d->count = count;
    d->hash = h;
    pf->db_pool_count++;
    return pending_add(pd, b, &d->db) ? pf->db_pool_count - 1 : NO_DB - 1;
}

/* Queues (or finds) the two databases of the pattern signatures
 * fp[0..count): all of them, and the packet-only ones (pkt, scratch of
 * count entries). False on out of memory. */
static bool pattern_dbs(Prefilter *pf, PendingDbs *pd, Signature *const *sigs, const uint32_t *fp, uint32_t count,
                        uint32_t *pkt, uint32_t *db_idx, uint32_t *db_pkt_idx)
{
    uint32_t np = 0;
    for (uint32_t i = 0; i < count; i++)
        if (is_packet_only(sigs[fp[i]]))
            pkt[np++] = fp[i];
    *db_idx = pattern_db(pf, pd, sigs, fp, count);
    *db_pkt_idx = pattern_db(pf, pd, sigs, pkt, np);
    return *db_idx != NO_DB - 1 && *db_pkt_idx != NO_DB - 1;
}

/* The payload-pattern signatures of nums[0..count) into fp; returns how
 * many. */
static uint32_t pattern_sigs(const Prefilter *pf, const uint32_t *nums, uint32_t count, uint32_t *fp)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < count; i++)
        if (pf->has_fp[nums[i]] && !(pf->app && pf->app->in_app[nums[i]]))
            fp[n++] = nums[i];
    return n;
}

/* Fills g from the signature list nums[0..count), queueing its databases
 * in pd. A port group (parent non-NULL) scans the databases of its whole
 * (protocol, direction) list parent[0..parent_count) and keeps only the
 * hits of its own signatures (g->member): one database per direction
 * instead of one per port group keeps the cold start near the ungrouped
 * one, and the scan costs the same bytes either way. False on out of
 * memory. */
static bool build_group(Prefilter *pf, PendingDbs *pd, PrefilterGroup *g, Signature *const *sigs,
                        const uint32_t *nums, uint32_t count, const uint32_t *parent, uint32_t parent_count)
{
    g->sig_count = count;
    g->db_idx = g->db_pkt_idx = NO_DB;
    uint32_t cap = count > parent_count ? count : parent_count;
    g->nonpf = malloc((count ? count : 1) * sizeof(*g->nonpf));
    g->iponly = malloc((count ? count : 1) * sizeof(*g->iponly));
    uint32_t *fp = malloc((cap ? cap : 1) * sizeof(*fp)), *pkt = malloc((cap ? cap : 1) * sizeof(*pkt));
    bool ok = g->nonpf && g->iponly && fp && pkt;
    uint32_t nfp = 0;
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
        fp[nfp++] = s->num;
    }
    if (ok && parent) {
        uint32_t nparent = pattern_sigs(pf, parent, parent_count, pkt);
        if (nparent != nfp) { /* a strict subset: filter the parent's hits */
            g->member = calloc((pf->sig_count + 63) / 64 + 1, sizeof(uint64_t));
            ok = g->member != NULL;
            for (uint32_t i = 0; ok && i < nfp; i++)
                g->member[fp[i] / 64] |= 1ull << (fp[i] % 64);
            memcpy(fp, pkt, nparent * sizeof(*fp));
            nfp = nparent;
        }
    }
    if (ok) { /* sized for the whole list: keep what is used */
        uint32_t *t = realloc(g->nonpf, (g->nonpf_count ? g->nonpf_count : 1) * sizeof(*t));
        if (t)
            g->nonpf = t;
        t = realloc(g->iponly, (g->iponly_count ? g->iponly_count : 1) * sizeof(*t));
        if (t)
            g->iponly = t;
    }
    if (ok && g->iponly_count)
        ok = (g->ipx = shared_iponly_index(pf, sigs, g->iponly, g->iponly_count)) != NULL;
    ok = ok && pattern_dbs(pf, pd, sigs, fp, nfp, pkt, &g->db_idx, &g->db_pkt_idx);
    free(fp);
    free(pkt);
    return ok;
}

static MpmDb *pool_db(const Prefilter *pf, uint32_t idx)
{
    return idx < pf->db_pool_count ? pf->db_pool[idx].db : NULL;
}

Prefilter *prefilter_build(Signature *const *sigs, uint32_t n, const uint32_t *const *group_nums,
                           const uint32_t *group_counts, uint32_t list_count, const PrefilterPortSplit split[2][2],
                           MpmCache *cache, unsigned threads, char *err, size_t errlen)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    PendingDbs pd;
    memset(&pd, 0, sizeof(pd));
    Prefilter *pf = calloc(1, sizeof(*pf));
    uint64_t *hashes = calloc(list_count, sizeof(*hashes));
    uint32_t *first = calloc(list_count, sizeof(*first)); /* distinct group -> its first list */
    uint16_t *list_group = calloc(list_count, sizeof(*list_group)); /* list -> distinct group */
    if (!pf || !hashes || !first || !list_group || list_count < 512 || list_count > 65535)
        goto oom;
    pf->sig_count = n;
    pf->has_fp = calloc(n ? n : 1, sizeof(*pf->has_fp));
    pf->groups = calloc(list_count, sizeof(*pf->groups));
    pf->group_cap = list_count;
    pf->db_pool_cap = 2 * list_count + 8; /* two per group and per split at most: entries never move */
    pf->db_pool = calloc(pf->db_pool_cap, sizeof(*pf->db_pool));
    if (!pf->has_fp || !pf->groups || !pf->db_pool)
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
    /* the split each list belongs to: its parent list */
    const PrefilterPortSplit **list_split = calloc(list_count, sizeof(*list_split));
    if (!list_split)
        goto oom;
    for (int slot = 0; split && slot < 2; slot++)
        for (int dir = 0; dir < 2; dir++) {
            const PrefilterPortSplit *ps = &split[slot][dir];
            for (uint32_t l = ps->first_list; ps->index && l < ps->first_list + ps->list_count && l < list_count; l++)
                list_split[l] = ps;
        }
    for (uint32_t gi = 0; gi < list_count; gi++) {
        const uint32_t *nums = group_nums[gi];
        uint32_t count = group_counts[gi];
        uint64_t h = hash_nums(nums, count);
        uint32_t d;
        for (d = 0; d < pf->group_count; d++) {
            uint32_t o = first[d];
            if (hashes[d] == h && group_counts[o] == count && list_split[o] == list_split[gi] &&
                (count == 0 || memcmp(group_nums[o], nums, count * sizeof(*nums)) == 0))
                break;
        }
        if (d == pf->group_count) {
            const PrefilterPortSplit *ps = list_split[gi];
            if (!build_group(pf, &pd, &pf->groups[d], sigs, nums, count, ps ? ps->parent : NULL,
                             ps ? ps->parent_count : 0)) {
                free(list_split);
                goto oom;
            }
            hashes[d] = h;
            first[d] = gi;
            pf->group_count++;
        }
        list_group[gi] = (uint16_t)d;
        if (gi < 512)
            pf->map[gi / 2][gi % 2] = (uint16_t)d;
    }
    free(list_split);
    for (int slot = 0; split && slot < 2; slot++)
        for (int dir = 0; dir < 2; dir++) {
            const PrefilterPortSplit *ps = &split[slot][dir];
            if (!ps->index)
                continue;
            uint16_t *pm = malloc(65536 * sizeof(*pm));
            if (!pm)
                goto oom;
            for (uint32_t port = 0; port < 65536; port++)
                pm[port] = list_group[ps->first_list + ps->index[port]];
            pf->port_map[slot][dir] = pm;
        }
    if (!mpm_jobs_run(&pd.jobs, cache, threads, &pf->scratch, &pf->db_count))
        goto oom;
    for (uint32_t i = 0; i < pf->group_count; i++) { /* the compiled databases, borrowed from the pool */
        pf->groups[i].db = pool_db(pf, pf->groups[i].db_idx);
        pf->groups[i].db_pkt = pool_db(pf, pf->groups[i].db_pkt_idx);
    }

    app_prefilter_built(pf->app);
    pending_free(&pd);
    free(hashes);
    free(first);
    free(list_group);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pf->build_seconds = od_seconds_between(t0, t1);
    od_info("prefilter: %u rules with a payload fast pattern, %u with an app-layer one (%u buffer lists), %u "
            "without; %u distinct groups, %u databases (%s), %.3f s",
            pf->fp_sigs, pf->app->app_sigs, pf->app->list_count, pf->nonpf_sigs, pf->group_count, pf->db_count,
            mpm_hs_usable() ? "hyperscan" : "naive", pf->build_seconds);
    return pf;
oom:
    pending_free(&pd);
    free(hashes);
    free(first);
    free(list_group);
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
            free(pf->groups[i].member);
            free(pf->groups[i].nonpf);
            free(pf->groups[i].iponly);
        }
        /* a group that failed half-built is past group_count: free it too */
        if (pf->group_count < pf->group_cap) {
            PrefilterGroup *g = &pf->groups[pf->group_count];
            free(g->member);
            free(g->nonpf);
            free(g->iponly);
        }
    }
    free(pf->groups);
    for (uint32_t i = 0; i < pf->ipx_count; i++)
        iponly_index_free(pf->ipx_pool[i].ipx);
    for (uint32_t i = 0; pf->db_pool && i < pf->db_pool_count; i++) {
        mpm_db_free(pf->db_pool[i].db);
        free(pf->db_pool[i].nums);
    }
    free(pf->db_pool);
    free(pf->ipx_pool);
    for (int slot = 0; slot < 2; slot++)
        for (int dir = 0; dir < 2; dir++)
            free(pf->port_map[slot][dir]);
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
    const uint64_t *member; /* a port group's signatures (NULL: all) */
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

/* on_match for a port group: the hits of other port groups' signatures
 * (their port sets do not hold this port) are dropped. */
static int on_member_match(uint32_t num, void *ctx)
{
    const ScanCtx *sc = ctx;
    if (!(sc->member[num / 64] & (1ull << (num % 64))))
        return 0;
    return on_match(num, ctx);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

uint32_t prefilter_run(const Prefilter *pf, PrefilterThread *pt, uint8_t proto, int dir, uint16_t port,
                       const uint8_t *pkt, uint32_t pkt_len, const uint8_t *stream, uint32_t stream_len,
                       bool tcp_session, bool iponly)
{
    const PrefilterGroup *g = prefilter_group_for(pf, proto, dir, port);
    if (++pt->gen == 0) { /* stamps wrapped: forget them */
        memset(pt->stamp_pkt, 0, pf->sig_count * sizeof(uint32_t));
        memset(pt->stamp_stream, 0, pf->sig_count * sizeof(uint32_t));
        memset(pt->stamp_app, 0, pf->sig_count * sizeof(uint32_t));
        pt->gen = 1;
    }
    pt->hit_count = 0;
    if (pt->scratch) {
        if (stream_len && g->db) {
            ScanCtx sc = { pt, pt->stamp_stream, g->member };
            mpm_scan(g->db, pt->scratch, stream, stream_len, g->member ? on_member_match : on_match, &sc);
        }
        const MpmDb *pdb = tcp_session ? g->db_pkt : g->db;
        if (pkt_len && pdb) {
            ScanCtx sc = { pt, pt->stamp_pkt, g->member };
            mpm_scan(pdb, pt->scratch, pkt, pkt_len, g->member ? on_member_match : on_match, &sc);
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
