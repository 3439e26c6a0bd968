/*
 * Transaction inspection for application-layer buffers (see detect-app.h).
 * The transactions come from the flow's parser through the framework's
 * generic accessors (AppParserDef tx_count/tx_get/tx_done), the buffers
 * through the registry's getters (buffer-registry.h), and each buffer list
 * runs through the content inspection engine (inspect.h) after its
 * transforms; streaming buffers (HTTP bodies) in the run's window, which
 * detect_app_after has the parser move on. The per-flow progress lives in
 * DetectFlow.app. A buffer the transaction lacks satisfies a list that
 * starts with `absent` (hdrkw); packet buffers (ipv4.hdr...) and side
 * lists are not transaction lists.
 */
#include "detect/detect-app.h"

#include <stdlib.h>
#include <string.h>

#include "app/app-layer.h"
#include "app/file.h" /* files: per-file alerts */
#include "app/dns/dns.h" /* config rules: a DNS response is logged as its request */
#include "detect/app-proto.h"
#include "detect/buffer-registry.h"
#include "detect/detect.h"
#include "detect/file-protocols.h" /* files: protocol-less file rules */
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/kw-hdrkw.h" /* hdrkw: absent */
#include "detect/kw-filestore.h" /* files: filestore post-match */

static DetectAppFlow *app_flow(Flow *f, bool create)
{
    DetectFlow *df = f->detect;
    if (!df)
        return NULL;
    if (!df->app && create)
        df->app = calloc(1, sizeof(DetectAppFlow));
    return df->app;
}

DetectAppFlow *detect_app_flow(Flow *f)
{
    return f ? app_flow(f, true) : NULL;
}

void detect_app_flow_free(DetectAppFlow *af)
{
    if (!af)
        return;
    free(af->matched);
    free(af->list_matched);
    free(af->pf[0].nums);
    free(af->pf[1].nums);
    free(af);
}

bool detect_app_tx_range(Flow *f, int dir, void **state, const AppParserDef **def, uint64_t *lo, uint64_t *hi)
{
    if (!f || !f->app_proto)
        return false;
    *state = app_layer_state(f, f->app_proto);
    *def = app_layer_parser(f->app_proto);
    DetectAppFlow *af = app_flow(f, true);
    if (!*state || !*def || !(*def)->tx_count || !(*def)->tx_get || !af)
        return false;
    *lo = af->done[dir];
    *hi = (*def)->tx_count(*state);
    return *hi > *lo;
}

bool detect_app_sig(const Signature *s)
{
    if (!s->app_proto)
        return false;
    for (uint16_t i = 0; i < s->list_count; i++)
        if (s->lists[i].count && buffer_is_app_list(s->lists[i].list_id)) /* hdrkw: not packet/side lists */
            return true;
    return false;
}

static DetectAppMatch *find_matched(DetectAppFlow *af, uint64_t tx, uint32_t sig, int dir)
{
    for (uint32_t i = 0; i < af->count; i++)
        if (af->matched[i].tx_id == tx && af->matched[i].sig == sig && af->matched[i].dir == dir)
            return &af->matched[i];
    return NULL;
}

/* Files: a rule with a file buffer alerts once per file of a transaction,
 * as Suricata does: the count of the direction's files when it matched
 * (0 for other rules, which alert once per transaction). */
static uint32_t sig_file_count(const Signature *s, const AppParserDef *def, void *tx, int dir, uint16_t flow_proto)
{
    if (!def->tx_files)
        return 0;
    for (uint16_t i = 0; i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        if (l->count && l->list_id >= SIG_LIST_BUFFER_BASE &&
            is_file_buffer(file_rule_buffer(s, l->list_id, flow_proto))) {
            const struct AppFileContainer *c = def->tx_files(tx, dir == 0);
            return c ? c->count : 0;
        }
    }
    return 0;
}

static void add_matched(DetectAppFlow *af, uint64_t tx, uint32_t sig, int dir, uint32_t files)
{
    if (af->count == af->cap) {
        uint32_t ncap = af->cap ? af->cap * 2 : 8;
        DetectAppMatch *n = realloc(af->matched, ncap * sizeof(*n));
        if (!n)
            return;
        af->matched = n;
        af->cap = ncap;
    }
    af->matched[af->count++] = (DetectAppMatch){ tx, sig, (uint8_t)dir, files };
}

bool detect_app_transform(const SigMatchList *l, const uint8_t **data, uint32_t *len, InspectBuffer *scratch)
{
    for (uint16_t t = 0; t < l->transform_count; t++) {
        const KeywordDef *k = keyword_get(l->transforms[t].kw);
        if (!k || !k->transform)
            continue;
        if (!k->transform(*data, *len, scratch, l->transforms[t].ctx))
            return false;
        *data = scratch->data;
        *len = scratch->len;
    }
    return true;
}

bool detect_app_inspect_one(struct DetectThread *dt, const Signature *s, const SigMatchList *l, const uint8_t *data,
                            uint32_t len, const Packet *p)
{
    return detect_app_inspect_window(dt, s, l, data, len, p, 0);
}

bool detect_app_inspect_window(struct DetectThread *dt, const Signature *s, const SigMatchList *l, const uint8_t *data,
                               uint32_t len, const Packet *p, uint32_t window_base)
{
    InspectBuffer scratch = { .owned = dt->app_xform_owned, .owned_cap = dt->app_xform_cap };
    bool ok = detect_app_transform(l, &data, &len, &scratch);
    dt->app_xform_owned = scratch.owned; /* the worker's scratch, freed with it */
    dt->app_xform_cap = scratch.owned_cap;
    if (!ok)
        return false;
    return inspect_buffer_window(dt, s, l, data ? data : (const uint8_t *)"", len, INSPECT_BUF_APP, p, window_base);
}

/* One instance of a buffer: the whole of it, or (windowed) this run's
 * window of a streaming buffer. Returns false when there is no such
 * instance; *have is false when it exists but has nothing to inspect. */
static bool buffer_instance(const BufferDef *b, void *tx, bool ts, uint32_t idx, bool flow_end, bool windowed,
                            BufferWindow *w, bool *have)
{
    *have = true;
    if (!windowed) {
        w->base = 0;
        return b->get(tx, ts, idx, &w->data, &w->len);
    }
    BufferWindowResult r = buffer_window_fn(b)(tx, ts, idx, flow_end, w);
    *have = r == BUF_WINDOW_DATA;
    return r != BUF_WINDOW_NONE;
}

static bool list_matched_before(const DetectAppFlow *af, uint64_t tx, uint32_t sig, uint16_t list, int dir)
{
    for (uint32_t i = 0; i < af->list_count; i++) {
        const DetectAppListMatch *m = &af->list_matched[i];
        if (m->tx_id == tx && m->sig == sig && m->list == list && m->dir == dir)
            return true;
    }
    return false;
}

static void add_list_matched(DetectAppFlow *af, uint64_t tx, uint32_t sig, uint16_t list, int dir)
{
    if (af->list_count == af->list_cap) {
        uint32_t ncap = af->list_cap ? af->list_cap * 2 : 8;
        DetectAppListMatch *n = realloc(af->list_matched, ncap * sizeof(*n));
        if (!n)
            return;
        af->list_matched = n;
        af->list_cap = ncap;
    }
    af->list_matched[af->list_count++] = (DetectAppListMatch){ tx, sig, list, (uint8_t)dir };
}

bool detect_app_buffer_ready(const BufferDef *b, const AppParserDef *def, void *tx, bool ts, bool flow_end)
{
    return flow_end || (b->ready ? b->ready(tx, ts) : (!def->tx_done || def->tx_done(tx, ts)));
}

/* Does list l match tx in direction ts? False too when it could not be
 * inspected yet. A streaming buffer of the run's own direction
 * (run_ts) is inspected through its window. */
static bool list_match_dir(struct DetectThread *dt, const Signature *s, const SigMatchList *l, const BufferDef *b,
                           const AppParserDef *def, void *tx, bool ts, bool flow_end, const Packet *p,
                           uint32_t first_file, bool run_ts)
{
    const bool windowed = ts == run_ts && buffer_window_fn(b);
    if (!windowed && !detect_app_buffer_ready(b, def, tx, ts, flow_end))
        return false;
    bool any = false; /* files: a filestore list goes on to the other files */
    const uint32_t first = is_file_buffer(b) ? first_file : 0; /* files: only the newer ones */
    for (uint32_t idx = first;; idx++) {
        BufferWindow w = { NULL, 0, 0 };
        bool have;
        if (!buffer_instance(b, tx, ts, idx, flow_end, windowed, &w, &have))
            return any || (idx == 0 && first == 0 && absent_list_matches_missing(l)); /* hdrkw: `absent` */
        if (have && detect_app_inspect_window(dt, s, l, w.data, w.len, p, w.base)) {
            if (!filestore_collect(l, w.data))
                return true;
            any = true;
        }
        if (!b->multi || idx > 100000)
            return any;
    }
}

/* As Suricata decides at rule load: the signature's direction is what all
 * its buffers share (to server, to client, or both); a signature mixing a
 * request and a response buffer (as every `=>` rule does) runs to client.
 * Files: a protocol-less file rule takes the directions of the flow
 * protocol's buffers (flow_proto). */
static unsigned sig_buffer_dirs(const Signature *s, uint16_t flow_proto)
{
    unsigned sdir = BUF_DIR_BOTH;
    for (uint16_t i = 0; i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        const BufferDef *b =
            l->list_id >= SIG_LIST_BUFFER_BASE && l->count ? file_rule_buffer(s, l->list_id, flow_proto) : NULL;
        if (b && !buffer_is_packet_list(l->list_id)) /* hdrkw: packet buffers have no direction */
            sdir &= l->dir ? l->dir : b->dirs;
    }
    return sdir == 0 ? BUF_DIR_TOCLIENT : sdir;
}

uint8_t detect_app_sig_dirs(const Signature *s)
{
    unsigned d = sig_buffer_dirs(s, s->app_proto); /* BUF_DIR_TOSERVER is bit 0, TOCLIENT bit 1 */
    if (s->flags & SIG_FLAG_TOSERVER)
        d &= BUF_DIR_TOSERVER;
    if (s->flags & SIG_FLAG_TOCLIENT)
        d &= BUF_DIR_TOCLIENT;
    return (uint8_t)d;
}

unsigned detect_app_list_sides(const Signature *s, const SigMatchList *l, const BufferDef *b, unsigned pdir)
{
    unsigned dirs = l->dir ? l->dir : b->dirs; /* `=>` rules pin a buffer to one side */
    if (s->flags & SIG_FLAG_TOSERVER)
        dirs &= BUF_DIR_TOSERVER;
    if (s->flags & SIG_FLAG_TOCLIENT)
        dirs &= BUF_DIR_TOCLIENT;
    return (dirs & pdir) ? pdir : dirs;
}

/* The signature is evaluated on packets of its direction only
 * (sig_buffer_dirs); a list is then inspected in the packet's direction
 * when its buffer belongs there, else in its own direction (what the other
 * side already built). */
static bool tx_match(struct DetectThread *dt, const Signature *s, const AppParserDef *def, void *tx, bool flow_end,
                     const Packet *p, int dir, uint16_t flow_proto, uint32_t first_file, DetectAppFlow *af,
                     uint64_t tx_id)
{
    const unsigned pdir = dir == 0 ? BUF_DIR_TOSERVER : BUF_DIR_TOCLIENT;
    if (!(sig_buffer_dirs(s, flow_proto) & pdir))
        return false;
    uint16_t streamed[8]; /* streaming lists that matched in this run */
    uint32_t nstreamed = 0;
    for (uint16_t i = 0; i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        if (!l->count || !buffer_is_app_list(l->list_id)) /* hdrkw: packet buffers, side lists */
            continue;
        const BufferDef *b = file_rule_buffer(s, l->list_id, flow_proto); /* files: the flow protocol's */
        if (!b || !b->get)
            return false;
        const unsigned dirs = detect_app_list_sides(s, l, b, pdir);
        /* a streaming list (a body window) that matched in an earlier run */
        const bool streaming = dirs == pdir && buffer_window_fn(b);
        if (streaming && af->list_count && list_matched_before(af, tx_id, s->num, i, dir))
            continue;
        bool ok = false;
        if (dirs & BUF_DIR_TOSERVER)
            ok = list_match_dir(dt, s, l, b, def, tx, true, flow_end, p, first_file, dir == 0);
        if (!ok && (dirs & BUF_DIR_TOCLIENT))
            ok = list_match_dir(dt, s, l, b, def, tx, false, flow_end, p, first_file, dir == 0);
        if (!ok) { /* the rule waits: its body matches so far stay matched */
            for (uint32_t k = 0; k < nstreamed; k++)
                add_list_matched(af, tx_id, s->num, streamed[k], dir);
            return false;
        }
        if (streaming && nstreamed < sizeof(streamed) / sizeof(streamed[0]))
            streamed[nstreamed++] = i;
    }
    return true;
}

uint32_t detect_app_match(struct DetectThread *dt, const Signature *s, const Packet *p, Flow *f, int dir,
                          bool flow_end, uint64_t *txs, uint32_t max)
{
    void *state;
    const AppParserDef *def;
    uint64_t lo, count;
    if (!f || !file_rule_applies(s, f->app_proto) || !detect_app_tx_range(f, dir, &state, &def, &lo, &count))
        return 0;
    DetectAppFlow *af = app_flow(f, false); /* made by detect_app_tx_range */
    uint32_t n = 0;
    for (uint64_t id = lo; id < count && n < max; id++) {
        void *tx = def->tx_get(state, id);
        if (!tx)
            continue;
        const DetectAppMatch *m = find_matched(af, id, s->num, dir);
        uint32_t files = m && m->files ? sig_file_count(s, def, tx, dir, f->app_proto) : 0;
        if (m && files <= m->files) /* files: a matched file rule waits for a newer file */
            continue;
        uint32_t first_file = m ? m->files : 0;
        filestore_reset(); /* files */
        if (!tx_match(dt, s, def, tx, flow_end, p, dir, f->app_proto, first_file, af, id))
            continue;
        if (!m)
            files = sig_file_count(s, def, tx, dir, f->app_proto);
        m = find_matched(af, id, s->num, dir);
        if (m)
            af->matched[m - af->matched].files = files;
        else
            add_matched(af, id, s->num, dir, files);
        uint8_t fs_flow = filestore_after_match(s, f, def, tx, id, dir); /* files: filestore keyword */
        if (fs_flow && !af->filestore_flow)
            af->filestore_from = id + 1;
        af->filestore_flow |= fs_flow;
        txs[n++] = id;
    }
    return n;
}

/* The other direction's progress moved past the one-way transactions of
 * direction dir that dir has done with (ids from..upto): they are none of
 * its business (Suricata skips their inspection there), so one side's
 * inspection frees them, as Suricata's APP_LAYER_PARSER_OPT_UNIDIR_TXS
 * does. Without it a flow that only ever sends DNS queries kept every
 * query until the flow ended. */
static uint64_t past_one_way(const AppParserDef *def, void *state, uint64_t from, uint64_t upto, int dir)
{
    const uint8_t other = dir ? APP_TX_DIR_TOSERVER : APP_TX_DIR_TOCLIENT;
    for (; from < upto; from++) {
        const void *tx = def->tx_get(state, from);
        if (tx && (def->tx_dirs(tx) & other))
            break;
    }
    return from;
}

void detect_app_after(Flow *f, int dir, bool flow_end)
{
    if (!f || !f->app_proto)
        return;
    void *state = app_layer_state(f, f->app_proto);
    const AppParserDef *def = app_layer_parser(f->app_proto);
    DetectAppFlow *af = app_flow(f, true);
    if (!state || !def || !def->tx_count || !def->tx_get || !af)
        return;
    detect_guess_after(&af->guess, f, dir, flow_end);
    uint64_t count = def->tx_count(state);
    uint64_t id = af->done[dir];
    if (af->filestore_flow) { /* files: filestore flow scope, on the transactions still in progress */
        uint64_t low = af->done[0] < af->done[1] ? af->done[0] : af->done[1];
        filestore_flow_apply(def, state, low > af->filestore_from ? low : af->filestore_from, count, af->filestore_flow);
    }
    if (def->tx_inspected) /* streaming buffers: this run's windows were inspected */
        for (uint64_t i = id; i < count; i++) {
            void *tx = def->tx_get(state, i);
            if (tx)
                def->tx_inspected(tx, dir == 0, flow_end);
        }
    for (; id < count; id++) {
        void *tx = def->tx_get(state, id);
        if (!tx || flow_end || !def->tx_done)
            continue;
        if (!(def->tx_done(tx, true) && def->tx_done(tx, false)))
            break;
    }
    af->done[dir] = id;
    if (def->tx_dirs)
        af->done[!dir] = past_one_way(def, state, af->done[!dir], id, dir);
    uint64_t low = af->done[0] < af->done[1] ? af->done[0] : af->done[1];
    uint32_t k = 0;
    for (uint32_t i = 0; i < af->count; i++)
        if (af->matched[i].tx_id >= low)
            af->matched[k++] = af->matched[i];
    af->count = k;
    k = 0;
    for (uint32_t i = 0; i < af->list_count; i++)
        if (af->list_matched[i].tx_id >= low)
            af->list_matched[k++] = af->list_matched[i];
    af->list_count = k;
}

bool detect_app_pending(const Flow *f, int dir)
{
    if (!f || !f->app_proto || !f->detect)
        return false;
    void *state = app_layer_state(f, f->app_proto);
    const AppParserDef *def = app_layer_parser(f->app_proto);
    if (!state || !def || !def->tx_count)
        return false;
    const DetectAppFlow *af = f->detect->app;
    uint64_t done = af ? af->done[dir] : 0;
    return def->tx_count(state) > done;
}

uint64_t detect_app_hold(const Flow *f)
{
    const DetectFlow *df = f ? f->detect : NULL;
    if (!df || !df->app) /* detection has not seen the flow's packet yet */
        return 0;
    if (df->pass || df->drop)
        return UINT64_MAX;
    return df->app->done[0] < df->app->done[1] ? df->app->done[0] : df->app->done[1];
}

/* DNS: the message id of transaction tx_id of f, or -1. As Suricata's DNS
 * parser does, the response transaction takes the logging configuration of
 * the request with the same id. */
static int32_t dns_message_id(const Flow *f, uint64_t tx_id)
{
    const AppProtoInfo *dns = app_proto_by_name("dns");
    if (!dns || f->app_proto != dns->id)
        return -1;
    DnsState *st = app_layer_state(f, f->app_proto);
    const DnsTx *tx = st ? dns_tx_get(st, tx_id) : NULL;
    const DnsMessage *m = tx ? dns_tx_message(tx) : NULL;
    return m ? (int32_t)m->id : -1;
}

void detect_app_nolog(Flow *f, const uint64_t *txs, uint32_t n)
{
    DetectAppFlow *af = f ? app_flow(f, true) : NULL;
    for (uint32_t i = 0; af && i < n; i++) {
        uint32_t slot = af->nolog_count++ % DETECT_APP_NOLOG_KEEP;
        af->nolog[slot] = txs[i];
        af->nolog_dns_id[slot] = dns_message_id(f, txs[i]);
    }
}

/* The app layer's logging filter: false for a transaction a config rule
 * took out of logging. */
static bool detect_app_tx_loggable(const Flow *f, uint64_t tx_id)
{
    const DetectFlow *df = f ? f->detect : NULL;
    const DetectAppFlow *af = df ? df->app : NULL;
    if (!af)
        return true;
    uint32_t kept = af->nolog_count < DETECT_APP_NOLOG_KEEP ? af->nolog_count : DETECT_APP_NOLOG_KEEP;
    if (kept == 0)
        return true;
    int32_t dns_id = dns_message_id(f, tx_id);
    for (uint32_t i = 0; i < kept; i++)
        if (af->nolog[i] == tx_id || (dns_id >= 0 && af->nolog_dns_id[i] == dns_id))
            return false;
    return true;
}

void detect_app_init(void)
{
    app_layer_set_tx_hold(detect_app_hold);
    app_layer_set_tx_loggable(detect_app_tx_loggable);
}
