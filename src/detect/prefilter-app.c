/*
 * Building and running the application-layer prefilter (see
 * prefilter-app.h).
 *
 * Build: every signature whose fast pattern is in a buffer list is put in
 * the group of its application protocol, under the mpm list of that buffer
 * and transform chain (two chains are the same when they have the same
 * transforms with equal options, KeywordDef.equal). Each mpm list gets one
 * MPM database of its rules' patterns, the signature number as id; the
 * databases are queued on the caller's job list and compiled with the
 * others (mpm-cache.h). A protocol-less file rule (file-protocols.h) goes
 * into the group of every protocol whose buffers it can read, under that
 * protocol's buffer of the same name.
 *
 * Run: for the transactions detection has not finished on the flow
 * (detect_app_tx_range), each mpm list's buffer is fetched instance by
 * instance in each direction it exists in, transformed like the rules'
 * list and scanned; the callback stamps the signature (the prefilter's
 * generation, so a rule is listed once) when the packet's direction is one
 * the rule runs on. The sorted hits are kept in the flow's cache.
 */
#include "detect/prefilter-app.h"

#include <stdlib.h>
#include <string.h>

#include "app/app-layer.h"
#include "detect/buffer-registry.h"
#include "detect/content.h"
#include "detect/detect-app.h"
#include "detect/file-protocols.h" /* files: protocol-less file rules */
#include "detect/inspect.h"
#include "detect/mpm-cache.h"
#include "detect/keyword.h"
#include "detect/prefilter.h"
#include "util/log.h"

bool app_prefilter_wants(const Signature *s)
{
    return s->app_proto && s->app_proto < APP_PF_PROTO_MAX && s->fast_pattern &&
           s->fast_pattern_list >= SIG_LIST_BUFFER_BASE && detect_app_sig(s);
}

static bool same_transforms(const SigMatchList *a, const SigMatchList *b)
{
    if (a->transform_count != b->transform_count)
        return false;
    for (uint16_t i = 0; i < a->transform_count; i++) {
        const SigMatch *x = &a->transforms[i], *y = &b->transforms[i];
        if (x->kw != y->kw)
            return false;
        if (x->ctx == y->ctx)
            continue;
        if (!x->ctx || !y->ctx)
            return false;
        const KeywordDef *k = keyword_get(x->kw);
        if (!k || !k->equal || !k->equal(x->ctx, y->ctx))
            return false;
    }
    return true;
}

/* Builder under construction for one mpm list. */
typedef struct ListBuild {
    uint16_t list_id;
    const SigMatchList *tmpl;
    MpmBuilder *b;
    uint8_t scan_dirs[2]; /* AppPfList.scan_dirs */
} ListBuild;

typedef struct GroupBuild {
    ListBuild *lists;
    uint32_t count, cap;
} GroupBuild;

/* The builder of plain buffer list `plain` with l's transforms in g. */
static ListBuild *list_for(GroupBuild *g, const SigMatchList *l, uint16_t plain)
{
    for (uint32_t i = 0; i < g->count; i++)
        if (g->lists[i].list_id == plain && same_transforms(g->lists[i].tmpl, l))
            return &g->lists[i];
    if (g->count == g->cap) {
        uint32_t ncap = g->cap ? g->cap * 2 : 16;
        ListBuild *n = realloc(g->lists, ncap * sizeof(*n));
        if (!n)
            return NULL;
        g->lists = n;
        g->cap = ncap;
    }
    ListBuild *lb = &g->lists[g->count];
    lb->list_id = plain; /* every instance of the buffer with these transforms */
    lb->tmpl = l;
    lb->b = mpm_builder_new();
    lb->scan_dirs[0] = lb->scan_dirs[1] = 0;
    if (!lb->b)
        return NULL;
    g->count++;
    return lb;
}

/* The buffer sides signature s (running on `dirs`) inspects its fast
 * pattern's list l on, per packet direction, as tx_match does. A list
 * without a buffer is never scanned (scan_tx). */
static void add_scan_dirs(ListBuild *lb, const Signature *s, const SigMatchList *l, uint8_t dirs)
{
    const BufferDef *b = buffer_by_list(lb->list_id);
    if (!b)
        return;
    for (int d = 0; d < 2; d++) {
        const unsigned pdir = d == 0 ? BUF_DIR_TOSERVER : BUF_DIR_TOCLIENT;
        if (dirs & pdir)
            lb->scan_dirs[d] |= (uint8_t)detect_app_list_sides(s, l, b, pdir);
    }
}

static void free_builds(GroupBuild *gb)
{
    for (int p = 0; p < APP_PF_PROTO_MAX; p++) {
        for (uint32_t i = 0; i < gb[p].count; i++)
            mpm_builder_free(gb[p].lists[i].b);
        free(gb[p].lists);
    }
    free(gb);
}

AppPrefilter *app_prefilter_build(Signature *const *sigs, uint32_t n, MpmJobs *jobs)
{
    AppPrefilter *ap = calloc(1, sizeof(*ap));
    GroupBuild *gb = calloc(APP_PF_PROTO_MAX, sizeof(*gb));
    if (!ap || !gb)
        goto oom;
    ap->sig_count = n;
    ap->in_app = calloc(n ? n : 1, sizeof(*ap->in_app));
    ap->dirs = calloc(n ? n : 1, sizeof(*ap->dirs));
    if (!ap->in_app || !ap->dirs)
        goto oom;
    for (uint32_t i = 0; i < n; i++) {
        const Signature *s = sigs[i];
        if (!app_prefilter_wants(s))
            continue;
        const SigMatchList *l = sig_list(s, s->fast_pattern_list);
        const uint8_t *pat;
        uint32_t len;
        content_fast_pattern(s->fast_pattern->ctx, &pat, &len);
        if (!l || len == 0)
            continue;
        bool nocase = (((const DetectContent *)s->fast_pattern->ctx)->flags & CONTENT_NOCASE) != 0;
        const uint8_t dirs = detect_app_sig_dirs(s);
        for (uint16_t p = 1; p < APP_PF_PROTO_MAX; p++) {
            if (p != s->app_proto && !(file_rule_reads_mapped(s, p) && file_rule_applies(s, p)))
                continue;
            ListBuild *lb = list_for(&gb[p], l, file_rule_list_for_proto(l->list_id, p));
            if (!lb || !mpm_add(lb->b, pat, len, nocase, s->num))
                goto oom;
            add_scan_dirs(lb, s, l, dirs);
        }
        ap->in_app[i] = true;
        ap->dirs[i] = dirs;
        ap->app_sigs++;
    }
    for (int p = 0; p < APP_PF_PROTO_MAX; p++) {
        if (!gb[p].count)
            continue;
        AppPfGroup *g = &ap->groups[p];
        g->lists = calloc(gb[p].count, sizeof(*g->lists));
        if (!g->lists)
            goto oom;
        for (uint32_t i = 0; i < gb[p].count; i++) {
            AppPfList *al = &g->lists[g->count];
            al->list_id = gb[p].lists[i].list_id;
            al->tmpl = gb[p].lists[i].tmpl;
            memcpy(al->scan_dirs, gb[p].lists[i].scan_dirs, sizeof(al->scan_dirs));
            al->pending = gb[p].lists[i].b; /* now owned by al */
            gb[p].lists[i].b = NULL;
            g->count++;
            ap->list_count++;
            if (!mpm_jobs_add(jobs, al->pending, &al->db))
                goto oom;
        }
    }
    free_builds(gb);
    return ap;
oom:
    if (gb)
        free_builds(gb);
    app_prefilter_free(ap);
    return NULL;
}

void app_prefilter_built(AppPrefilter *ap)
{
    for (int p = 0; ap && p < APP_PF_PROTO_MAX; p++)
        for (uint32_t i = 0; i < ap->groups[p].count; i++) {
            mpm_builder_free(ap->groups[p].lists[i].pending);
            ap->groups[p].lists[i].pending = NULL;
        }
}

void app_prefilter_free(AppPrefilter *ap)
{
    if (!ap)
        return;
    app_prefilter_built(ap);
    for (int p = 0; p < APP_PF_PROTO_MAX; p++) {
        for (uint32_t i = 0; i < ap->groups[p].count; i++)
            mpm_db_free(ap->groups[p].lists[i].db);
        free(ap->groups[p].lists);
    }
    free(ap->in_app);
    free(ap->dirs);
    free(ap);
}

typedef struct AppScanCtx {
    const AppPrefilter *ap;
    PrefilterThread *pt;
    const AppParserDef *def;
    uint8_t dirbit;
    bool flow_end;
} AppScanCtx;

static int on_app_match(uint32_t num, void *ctx)
{
    AppScanCtx *sc = ctx;
    PrefilterThread *pt = sc->pt;
    if (pt->stamp_app[num] == pt->gen || !(sc->ap->dirs[num] & sc->dirbit))
        return 0;
    pt->stamp_app[num] = pt->gen;
    pt->app_cand[pt->app_count++] = num;
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Scans every instance of list al's buffer of tx on the sides its
 * signatures read on this packet (AppPfList.scan_dirs); a streaming buffer
 * of the packet's direction only in this run's window, any other buffer
 * once it is complete. */
static void scan_tx(const AppPfList *al, PrefilterThread *pt, void *tx, AppScanCtx *sc)
{
    /* only the sides the list's signatures inspect on this packet: a
     * response body is not scanned again, whole, for each ACK of a
     * download, when no signature that runs on the ACK reads it */
    const uint8_t scan = al->scan_dirs[sc->dirbit == 1 ? 0 : 1];
    if (!scan)
        return;
    /* the worker's transform scratch lives in its PrefilterThread */
    InspectBuffer scratch = { .owned = pt->xform_owned, .owned_cap = pt->xform_cap };
    const BufferDef *b = buffer_by_list(al->list_id);
    if (!b || !b->get)
        return;
    for (int d = 0; d < 2; d++) {
        if (!(b->dirs & scan & (d == 0 ? BUF_DIR_TOSERVER : BUF_DIR_TOCLIENT)))
            continue;
        const BufferWindowFn window = sc->dirbit == (d == 0 ? 1 : 2) ? buffer_window_fn(b) : NULL;
        /* a buffer inspected whole is inspected once complete (tx_match):
         * scanning it before, packet after packet, finds nothing a rule
         * could match yet */
        if (!window && !detect_app_buffer_ready(b, sc->def, tx, d == 0, sc->flow_end))
            continue;
        for (uint32_t idx = 0; idx <= 100000; idx++) {
            const uint8_t *data = NULL;
            uint32_t len = 0;
            if (window) {
                BufferWindow w = { NULL, 0, 0 };
                BufferWindowResult r = window(tx, d == 0, idx, sc->flow_end, &w);
                if (r == BUF_WINDOW_NONE)
                    break;
                data = r == BUF_WINDOW_DATA ? w.data : NULL;
                len = r == BUF_WINDOW_DATA ? w.len : 0;
            } else if (!b->get(tx, d == 0, idx, &data, &len)) {
                break;
            }
            if (data && detect_app_transform(al->tmpl, &data, &len, &scratch) && len)
                mpm_scan(al->db, pt->scratch, data, len, on_app_match, sc);
            if (!b->multi)
                break;
        }
    }
    pt->xform_owned = scratch.owned;
    pt->xform_cap = scratch.owned_cap;
}

/* Signatures with a body list that matched a transaction in an earlier run
 * (DetectAppListMatch) stay candidates on the direction's packets, as
 * Suricata re-inspects the signatures kept in a transaction's detect
 * state; merged into the sorted candidates. */
static uint32_t add_state_sigs(const AppPrefilter *ap, PrefilterThread *pt, const DetectAppFlow *af, int dir)
{
    const uint32_t before = pt->app_count;
    for (uint32_t i = 0; i < af->list_count; i++) {
        const uint32_t num = af->list_matched[i].sig;
        if (af->list_matched[i].dir != dir || num >= ap->sig_count || !ap->in_app[num])
            continue;
        bool have = false;
        for (uint32_t k = 0; k < pt->app_count && !have; k++)
            have = pt->app_cand[k] == num;
        if (!have)
            pt->app_cand[pt->app_count++] = num;
    }
    if (pt->app_count > before)
        qsort(pt->app_cand, pt->app_count, sizeof(uint32_t), cmp_u32);
    return pt->app_count;
}

uint32_t app_prefilter_run(const AppPrefilter *ap, PrefilterThread *pt, Flow *f, int dir, bool flow_end)
{
    pt->app_count = 0;
    if (!ap || !f || !f->app_proto || f->app_proto >= APP_PF_PROTO_MAX || !pt->scratch)
        return 0;
    const AppPfGroup *g = &ap->groups[f->app_proto];
    if (!g->count)
        return 0;
    void *state;
    const AppParserDef *def;
    uint64_t lo, hi;
    if (!detect_app_tx_range(f, dir, &state, &def, &lo, &hi))
        return 0;
    DetectAppFlow *af = detect_app_flow(f);
    if (!af)
        return 0;
    DetectAppPfCache *c = &af->pf[dir];
    const uint32_t gen = app_layer_generation(f);
    if (c->valid && c->gen == gen && c->state == state && c->lo == lo && c->hi == hi && c->flow_end == flow_end) {
        if (c->count)
            memcpy(pt->app_cand, c->nums, c->count * sizeof(uint32_t));
        pt->app_count = c->count;
        return af->list_count ? add_state_sigs(ap, pt, af, dir) : c->count;
    }
    AppScanCtx sc = { ap, pt, def, (uint8_t)(dir == 0 ? 1 : 2), flow_end };
    for (uint64_t id = lo; id < hi; id++) {
        void *tx = def->tx_get(state, id);
        if (!tx)
            continue;
        for (uint32_t i = 0; i < g->count; i++)
            scan_tx(&g->lists[i], pt, tx, &sc);
    }
    if (pt->app_count > 1)
        qsort(pt->app_cand, pt->app_count, sizeof(uint32_t), cmp_u32);
    if (c->cap < pt->app_count) {
        uint32_t *n = realloc(c->nums, pt->app_count * sizeof(uint32_t));
        if (!n) {
            c->valid = false;
            return af->list_count ? add_state_sigs(ap, pt, af, dir) : pt->app_count;
        }
        c->nums = n;
        c->cap = pt->app_count;
    }
    if (pt->app_count)
        memcpy(c->nums, pt->app_cand, pt->app_count * sizeof(uint32_t));
    c->count = pt->app_count;
    c->valid = true;
    c->flow_end = flow_end;
    c->gen = gen;
    c->state = state;
    c->lo = lo;
    c->hi = hi;
    return af->list_count ? add_state_sigs(ap, pt, af, dir) : pt->app_count;
}
