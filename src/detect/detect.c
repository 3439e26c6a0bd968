/*
 * Per-packet detection (see detect.h).
 *
 * For a packet, the candidate signatures are those of its IP protocol and
 * direction group that survive the prefilter (prefilter.h: one
 * multi-pattern scan of the payload and of the stream window yields the
 * rules whose fast pattern occurs, merged with the rules that have none).
 * Each candidate is checked in signature order: the header
 * (addresses and ports, both ways for `<>`), the packet keywords
 * (SIG_LIST_MATCH, including flow), then the payload list. As in Suricata,
 * a TCP rule on a tracked session inspects the raw reassembled stream first
 * (the bytes of this packet's direction not inspected yet) and falls back to
 * the packet payload only when the packet's data was not added to the stream
 * or a content has depth/offset (or the rule uses stream_size) -- so one
 * piece of data alerts once. In IDS mode the stream is inspected only on a
 * packet the stream stage found it ready on (p->stream_raw_ready, see
 * stream/stream-raw-ready.c: a chunk of acknowledged data, an app-layer
 * trigger, depth reached, a closing session), then all of it as one buffer;
 * the flow-end pseudo packet inspects the rest. The payload part of an app-layer
 * rule, once matched in a flow direction, stays matched for the rule's
 * transaction inspection on later packets. Rules that need the packet (tcp-pkt,
 * flow:no_stream) only look at packets, flow:only_stream / tcp-stream only
 * at the stream. IP-only rules (no options that look inside the packet) run
 * on the first packet of each direction of a flow, as Suricata's IP-only
 * engine does. A matching pass rule ends inspection of the packet (and of
 * the flow for IP-only and stream matches); alerts go to a queue capped at
 * packet-alert-max that keeps the earliest signatures in engine order.
 * A flow a `bypass` rule bypassed is not inspected any more (hdrkw).
 *
 * verdict: signatures run in the engine's action order (`action-order`),
 * so precedence between pass, drop, reject and alert rules is the order in
 * which they apply. In IPS mode a drop or reject match drops the packet
 * (dt->drop, with the first such rule and the reason kept for EVE drop
 * records); an IP-only, stream or app-layer match (but not an app-layer
 * rule that only tests packet properties such as dsize) also sets the flow's
 * verdict, where the first pass or drop wins as in Suricata, and every later
 * packet of a dropped flow is dropped uninspected (reason "flow drop"). A
 * rate_filter past its rate replaces the rule's action with its new_action.
 */
#include "detect/detect.h"

#include <stdlib.h>
#include <string.h>

#include "detect/address.h"
#include "detect/content.h"
#include "detect/buffer-registry.h" /* hdrkw: packet buffers */
#include "detect/kw-hdrkw.h" /* hdrkw: bypass */
#include "detect/detect-app.h" /* buf: app-layer transaction inspection */
#include "detect/file-protocols.h" /* files: protocol-less file rules */
#include "detect/app-proto.h" /* a rule's protocol against the flow's */
#include "app/app-layer.h" /* frames: the flow's frames */
#include "app/frames.h" /* frames: marked inspected after each packet */
#include "detect/inline-raw.h"
#include "stream/stream.h"
#include "detect/inspect.h"
#include "detect/tx-guess.h"
#include "detect/keyword.h"
#include "detect/option-cache.h"
#include "detect/port.h"
#include "detect/rule-profile.h"
#include "detect/reload-flow.h"

static DetectFlow *detect_flow_get(Flow *f)
{
    if (!f->detect)
        f->detect = calloc(1, sizeof(DetectFlow));
    return f->detect;
}

/* The first `drop` bytes of the window went: holes move down with the
 * bytes after them, holes inside the dropped part go too. */
static void gaps_drop_front(DetectStreamDir *d, uint32_t drop)
{
    d->run_start = d->run_start > drop ? d->run_start - drop : 0;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < d->gap_count; i++) {
        if (d->gaps[i].pos < drop)
            continue;
        d->gaps[kept] = d->gaps[i];
        d->gaps[kept].pos -= drop;
        kept++;
    }
    d->gap_count = kept;
}

/* frames: after detection of a packet of direction to_server (or flow end),
 * the frames it inspected are marked; inline, open frames keep a sliding
 * window instead (frames.h). */
static void frames_after(Flow *f, bool to_server, bool flow_end)
{
    uint64_t delivered;
    uint32_t chunk;
    if (stream_tcp_inline_raw(f, to_server, &delivered, &chunk))
        app_frames_mark_inspected_inline(app_layer_frames(f), to_server, flow_end);
    else
        app_frames_mark_inspected(app_layer_frames(f), to_server, flow_end);
}

void detect_stream_data(Flow *f, bool to_server, const uint8_t *data, uint32_t len)
{
    DetectFlow *df = detect_flow_get(f);
    if (!df || len == 0)
        return;
    DetectStreamDir *d = &df->dir[to_server ? 0 : 1];
    /* drop what was inspected before growing; inline (IPS), keep up to a
     * chunk of it: later packets inspect it again (inline-raw.c) */
    uint64_t delivered;
    uint32_t chunk = 0;
    const uint32_t keep = stream_tcp_inline_raw(f, to_server, &delivered, &chunk)
                              ? (d->inspected < DETECT_INLINE_KEEP ? d->inspected : DETECT_INLINE_KEEP)
                              : 0;
    if (d->inspected > keep && d->len + len > d->cap) {
        const uint32_t drop = d->inspected - keep;
        memmove(d->buf, d->buf + drop, d->len - drop);
        gaps_drop_front(d, drop);
        d->len -= drop;
        d->inspected -= drop;
    }
    if (len > DETECT_STREAM_WINDOW_MAX) {
        df->stream_truncated += len - DETECT_STREAM_WINDOW_MAX;
        data += len - DETECT_STREAM_WINDOW_MAX;
        len = DETECT_STREAM_WINDOW_MAX;
    }
    if (d->len + len > DETECT_STREAM_WINDOW_MAX) {
        uint32_t drop = d->len + len - DETECT_STREAM_WINDOW_MAX;
        memmove(d->buf, d->buf + drop, d->len - drop);
        gaps_drop_front(d, drop);
        d->len -= drop;
        df->stream_truncated += drop;
    }
    if (d->len + len > d->cap) {
        uint32_t ncap = d->cap ? d->cap : 4096;
        while (ncap < d->len + len)
            ncap *= 2;
        uint8_t *nb = realloc(d->buf, ncap);
        if (!nb)
            return;
        d->buf = nb;
        d->cap = ncap;
    }
    memcpy(d->buf + d->len, data, len);
    d->len += len;
}

void detect_stream_gap(Flow *f, bool to_server, uint32_t len)
{
    DetectFlow *df = detect_flow_get(f);
    if (!df || len == 0)
        return;
    DetectStreamDir *d = &df->dir[to_server ? 0 : 1];
    /* remembered for alert payloads only: matching still sees the bytes on
     * both sides of the hole as one window */
    if (d->gap_count && d->gaps[d->gap_count - 1].pos == d->len)
        d->gaps[d->gap_count - 1].len += len;
    else if (d->gap_count < DETECT_STREAM_GAPS_MAX)
        d->gaps[d->gap_count++] = (DetectStreamGap){ .pos = d->len, .len = len };
    d->run_start = d->len;
}

void detect_flow_reverse(Flow *f)
{
    DetectFlow *df = f->detect;
    if (!df)
        return;
    DetectStreamDir d = df->dir[0];
    df->dir[0] = df->dir[1];
    df->dir[1] = d;
    bool b = df->iponly_done[0];
    df->iponly_done[0] = df->iponly_done[1];
    df->iponly_done[1] = b;
    b = df->drop_logged[0];
    df->drop_logged[0] = df->drop_logged[1];
    df->drop_logged[1] = b;
    uint32_t *sigs = df->app_payload[0].sigs;
    uint32_t count = df->app_payload[0].count, cap = df->app_payload[0].cap;
    df->app_payload[0] = df->app_payload[1];
    df->app_payload[1].sigs = sigs;
    df->app_payload[1].count = count;
    df->app_payload[1].cap = cap;
}

void detect_flow_free(Flow *f)
{
    DetectFlow *df = f->detect;
    if (!df)
        return;
    free(df->dir[0].buf);
    free(df->dir[1].buf);
    detect_app_flow_free(df->app); /* buf */
    free(df->app_payload[0].sigs);
    free(df->app_payload[1].sigs);
    free(df);
    f->detect = NULL;
}

static bool header_match(const Signature *s, const Packet *p)
{
    if (!s->proto_any && !(s->proto[p->proto / 8] & (1u << (p->proto % 8))))
        return false;
    const bool ports = p->proto == 6 || p->proto == 17 || p->proto == 132;
    bool fwd = address_set_match(s->src, &p->src_addr) && address_set_match(s->dst, &p->dst_addr) &&
               (!ports || (port_set_match(s->sp, p->sp) && port_set_match(s->dp, p->dp)));
    if (fwd)
        return true;
    if (!(s->flags & SIG_FLAG_BIDIRECTIONAL))
        return false;
    return address_set_match(s->src, &p->dst_addr) && address_set_match(s->dst, &p->src_addr) &&
           (!ports || (port_set_match(s->sp, p->dp) && port_set_match(s->dp, p->sp)));
}

/* May s match on the packet payload (stream false) or the stream window?
 * False when its fast pattern did not occur there in this packet's scan. */
static bool prefilter_ok(const DetectThread *dt, const Signature *s, bool stream)
{
    return prefilter_hit(dt->de->prefilter, &dt->pf, s->num, stream);
}

/* Adds an alert keeping the queue sorted by num and capped. */
static void queue_alert(DetectThread *dt, const Signature *s, SigAction action, uint8_t flags, uint64_t tx_id,
                        int64_t frame_id)
{
    uint32_t cap = dt->alert_cap;
    if (dt->alert_count >= cap) {
        if (dt->ctr)
            ctr_inc(dt->ctr, CTR_DETECT_ALERT_QUEUE_OVERFLOW);
        /* keep the higher-priority (lower num) alerts */
        if (dt->alerts[cap - 1].s->num < s->num)
            return;
        dt->alert_count = cap - 1;
    }
    uint32_t i = dt->alert_count;
    while (i > 0 && dt->alerts[i - 1].s->num > s->num) {
        dt->alerts[i] = dt->alerts[i - 1];
        i--;
    }
    dt->alerts[i] = (DetectAlert){
        .s = s, .flags = flags, .tx_id = tx_id, .action = action, .frame_id = frame_id, .ticket = dt->current_ticket
    };
    dt->alert_count++;
}

static bool match_packet_keywords(DetectThread *dt, const Signature *s, const Packet *p)
{
    const SigMatchList *l = sig_list(s, SIG_LIST_MATCH);
    if (!l)
        return true;
    for (uint16_t i = 0; i < l->count; i++) {
        const SigMatch *sm = &l->items[i];
        if (sm->opt_id) { /* evaluated once per packet (option-cache.h) */
            int cached = option_cache_get(&dt->opt_cache, sm->opt_id);
            if (cached < 0) {
                const KeywordDef *d = keyword_get(sm->kw);
                cached = d->match_packet(dt, p, s, sm->ctx);
                option_cache_put(&dt->opt_cache, sm->opt_id, cached);
            }
            if (!cached)
                return false;
            continue;
        }
        const KeywordDef *d = keyword_get(sm->kw);
        if (d && d->match_packet && !d->match_packet(dt, p, s, sm->ctx))
            return false;
    }
    return true;
}

static void run_post_match(DetectThread *dt, const Signature *s, const Packet *p)
{
    const SigMatchList *l = sig_list(s, SIG_LIST_POSTMATCH);
    if (!l)
        return;
    for (uint16_t i = 0; i < l->count; i++) {
        const KeywordDef *d = keyword_get(l->items[i].kw);
        if (d && d->post_match)
            d->post_match(dt, p, s, l->items[i].ctx);
    }
}

/* True when s uses buffers but no application protocol to read them from. */
static bool needs_unavailable_buffer(const Signature *s)
{
    if (detect_app_sig(s)) /* buf: inspected on transactions */
        return false;
    for (uint16_t i = 0; i < s->list_count; i++)
        if (s->lists[i].count && buffer_is_app_list(s->lists[i].list_id)) /* hdrkw: not packet/side lists */
            return true;
    return false;
}

typedef struct PacketCtx {
    const uint8_t *payload;
    uint32_t payload_len;
    bool stream_rules; /* TCP on a tracked session: stream semantics */
    bool stream_added; /* the packet's data went to the stream */
    const uint8_t *sbuf;
    uint32_t slen;
    bool iponly_ok;
    bool flow_end; /* pseudo packet at flow end: stream only */
} PacketCtx;

/* Evaluates the payload list; sets *stream_match. */
static bool match_payload(DetectThread *dt, const Signature *s, const Packet *p, const PacketCtx *pc,
                          bool *stream_match)
{
    const SigMatchList *l = sig_list(s, SIG_LIST_PMATCH);
    if (!l || l->count == 0)
        return true;
    const bool need_packet = (s->flags & SIG_FLAG_NO_STREAM) != 0;
    if (pc->stream_rules && !need_packet) {
        if (pc->slen && prefilter_ok(dt, s, true) &&
            inspect_buffer(dt, s, l, pc->sbuf, pc->slen, INSPECT_BUF_STREAM, p)) {
            *stream_match = true;
            return true;
        }
        if ((pc->stream_added && !(s->flags & SIG_FLAG_STREAM_AND_PACKET)) || pc->flow_end ||
            (s->flags & SIG_FLAG_ONLY_STREAM))
            return false;
    } else if (s->flags & SIG_FLAG_ONLY_STREAM) {
        return false;
    }
    if (pc->flow_end || pc->payload_len == 0)
        return false;
    if (!prefilter_ok(dt, s, false))
        return false;
    return inspect_buffer(dt, s, l, pc->payload, pc->payload_len, INSPECT_BUF_PACKET, p);
}

/* Whether the payload part of app-layer rule s already matched in direction
 * dir of the flow (see DetectFlow.app_payload). */
static bool app_payload_matched(const DetectFlow *df, int dir, uint32_t sig)
{
    for (uint32_t i = 0; df && i < df->app_payload[dir].count; i++)
        if (df->app_payload[dir].sigs[i] == sig)
            return true;
    return false;
}

static void app_payload_remember(DetectFlow *df, int dir, uint32_t sig)
{
    if (!df || app_payload_matched(df, dir, sig))
        return;
    if (df->app_payload[dir].count == df->app_payload[dir].cap) {
        uint32_t cap = df->app_payload[dir].cap ? df->app_payload[dir].cap * 2 : 4;
        uint32_t *n = realloc(df->app_payload[dir].sigs, cap * sizeof(*n));
        if (!n)
            return;
        df->app_payload[dir].sigs = n;
        df->app_payload[dir].cap = cap;
    }
    df->app_payload[dir].sigs[df->app_payload[dir].count++] = sig;
}

/* verdict: the action a rate_filter's new_action gives a rule (log and
 * alert alert, sdrop drops silently -- the caller handles the silence). */
static SigAction rate_filter_action(ThresholdAction a, SigAction rule_action)
{
    switch (a) {
    case THRESH_ACTION_ALERT:
    case THRESH_ACTION_LOG: return SIG_ACTION_ALERT;
    case THRESH_ACTION_DROP:
    case THRESH_ACTION_SDROP: return SIG_ACTION_DROP;
    case THRESH_ACTION_PASS: return SIG_ACTION_PASS;
    case THRESH_ACTION_REJECT: return SIG_ACTION_REJECT;
    default: return rule_action;
    }
}

/* verdict: an app-layer rule (`drop http ...`) without buffers or payload
 * whose match rests on packet properties (dsize, ttl, ...; `flow` aside)
 * decides for the packet only, not the flow (Suricata's bug 5578). */
static bool app_sig_on_packet_props(const Signature *s, bool app)
{
    if (app || sig_list(s, SIG_LIST_PMATCH))
        return false;
    const SigMatchList *l = sig_list(s, SIG_LIST_MATCH);
    if (!l || l->count == 0)
        return false;
    const int kw_flow = keyword_lookup("flow"); /* only reached for a matched rule */
    for (uint16_t i = 0; l && i < l->count; i++)
        if ((int)l->items[i].kw != kw_flow)
            return true;
    return false;
}

/* Queues s's alert(s): one per matching frame for a frame rule, one per
 * matching transaction for an app-layer rule, else one for the packet. */
static void queue_sig_alerts(DetectThread *dt, Flow *f, int dir, const Signature *s, SigAction action,
                             bool app, bool stream_match, const uint64_t *txs, uint32_t ntx)
{
    if (s->flags & SIG_FLAG_FRAME) { /* frames: the frame keyword's hits (kw-frame.c) */
        for (uint32_t i = 0; i < dt->frame_hits.count; i++) {
            const int64_t tx = dt->frame_hits.tx[i];
            queue_alert(dt, s, action, DETECT_ALERT_FRAME | (tx >= 0 ? DETECT_ALERT_TX : 0), tx >= 0 ? (uint64_t)tx : 0,
                        dt->frame_hits.ids[i]);
        }
        return;
    }
    for (uint32_t t = 0; t < ntx; t++) /* buf */
        queue_alert(dt, s, action, DETECT_ALERT_TX | (stream_match ? DETECT_ALERT_STREAM : 0), txs[t], -1);
    if (!app) {
        /* the transaction of the packet: for a UDP rule of the flow's
         * protocol the direction's current one, else with
         * detect.guess-applayer-tx a guess (tx-guess.h) */
        uint64_t tx = 0;
        uint8_t flags = stream_match ? DETECT_ALERT_STREAM : 0;
        const bool udp_app = s->app_proto && f && f->proto == 17;
        DetectAppFlow *af = (udp_app || dt->de->guess_applayer_tx) ? detect_app_flow(f) : NULL;
        if (af && detect_guess_tx(&af->guess, f, dir, !udp_app, &tx) &&
            detect_guess_count(&af->guess, tx, dt->de->stream_tx_log_limit))
            flags |= DETECT_ALERT_TX | (f->proto != 17 ? DETECT_ALERT_TX_GUESSED : 0);
        queue_alert(dt, s, action, flags, tx, -1);
    }
}

/* A match of s whose thresholds span address pairs: offline, a ticket for
 * the writer (its 1-based id; 0 when out of memory: decide here). */
static uint32_t add_ticket(DetectThread *dt, const ThresholdSigPlan *plan, const Signature *s, const Packet *p)
{
    if (dt->ticket_count == dt->ticket_cap) {
        uint32_t cap = dt->ticket_cap ? dt->ticket_cap * 2 : 8;
        ThresholdTicket *n = realloc(dt->tickets, cap * sizeof(*n));
        if (!n)
            return 0;
        dt->tickets = n;
        dt->ticket_cap = cap;
    }
    ThresholdTicket *t = &dt->tickets[dt->ticket_count++];
    memset(t, 0, sizeof(*t));
    t->plan = plan;
    t->gid = s->gid;
    t->sid = s->sid;
    t->flow_seq = p->flow ? p->flow->seq_no : 0;
    threshold_subject_of(&t->subj, p);
    return dt->ticket_count;
}

/* The thresholds of a matched signature. Plans counted per host or per
 * rule are decided on the threads' shared table (live, rate_filters
 * included) or by the writer (offline: *ticket set, the verdict
 * provisionally THRESH_ALERT) when the verdict changes nothing but the
 * alert records: not for rate_filters, pass rules, nor drop and reject
 * rules in IPS mode, which keep their worker's table. */
static ThresholdVerdict check_thresholds(DetectThread *dt, const ThresholdSigPlan *plan, const Signature *s,
                                         const Packet *p, ThresholdResult *tres, uint32_t *ticket)
{
    if (dt->thresh_shared && threshold_plan_counts_hosts(plan)) { /* live */
        pthread_mutex_lock(dt->thresh_shared_lock);
        ThresholdVerdict v = threshold_check(dt->thresh_shared, plan, s->gid, s->sid, p, tres);
        pthread_mutex_unlock(dt->thresh_shared_lock);
        return v;
    }
    if (!dt->defer_spanning || !threshold_plan_spans_pairs(plan))
        return threshold_check(dt->thresh, plan, s->gid, s->sid, p, tres);
    const bool verdict_free = s->action == SIG_ACTION_ALERT || (!dt->de->ips && s->action == SIG_ACTION_DROP);
    if (!verdict_free)
        return threshold_check(dt->thresh, plan, s->gid, s->sid, p, tres);
    ThresholdVerdict v = threshold_check_suppressions(plan, p, tres);
    if (v != THRESH_ALERT || plan->noalert || (p->ip_version != 4 && p->ip_version != 6))
        return v;
    *ticket = add_ticket(dt, plan, s, p);
    if (*ticket == 0)
        return threshold_check(dt->thresh, plan, s->gid, s->sid, p, tres);
    return THRESH_ALERT;
}

/* Runs signature s; returns true when it matched (alert queued or not). */
static bool run_signature(DetectThread *dt, const Signature *s, const Packet *p, const PacketCtx *pc, DetectFlow *df)
{
    if ((s->flags & SIG_FLAG_IPONLY) && !pc->iponly_ok)
        return false;
    /* an application-layer rule (`alert http ...`) only applies to flows
     * whose protocol is known to be that one, as in Suricata; checked first
     * because most of a rule set is such rules */
    if (s->app_proto && (!p->flow || !file_rule_applies(s, p->flow->app_proto))) /* files: any file protocol */
        return false;
    const bool app = detect_app_sig(s); /* buf */
    if (pc->flow_end && !sig_list(s, SIG_LIST_PMATCH) && !app && !(s->flags & SIG_FLAG_FRAME))
        return false;
    if (!header_match(s, p))
        return false;
    if (needs_unavailable_buffer(s))
        return false;
    dt->frame_hits.count = 0; /* frames: filled by the frame keyword */
    dt->frame_hits.flow_end = pc->flow_end;
    if (!match_packet_keywords(dt, s, p))
        return false;
    bool stream_match = false;
    if (!(app && pc->flow_end && !sig_list(s, SIG_LIST_PMATCH))) {
        bool payload_ok = match_payload(dt, s, p, pc, &stream_match);
        /* an app-layer rule's payload part may match on another packet
         * than its buffers: remember it for the flow direction */
        if (app && p->flow && sig_list(s, SIG_LIST_PMATCH)) {
            const int dir = p->to_server ? 0 : 1;
            if (payload_ok)
                app_payload_remember(df, dir, s->num);
            else
                payload_ok = app_payload_matched(df, dir, s->num);
        }
        if (!payload_ok)
            return false;
    }
    /* buf: app-layer buffers, one alert per matching transaction */
    uint64_t txs[DETECT_APP_MAX_TX];
    uint32_t ntx = app ? detect_app_match(dt, s, p, p->flow, (p->flow && !p->to_server) ? 1 : 0, pc->flow_end, txs,
                                          DETECT_APP_MAX_TX)
                       : 0;
    if (app && ntx == 0)
        return false;
    if (s->flags & SIG_FLAG_NOLOG_TX) /* config rule: these transactions are not logged */
        detect_app_nolog(p->flow, txs, ntx);
    run_post_match(dt, s, p);
    /* threshold / detection_filter / suppress / rate_filter (Suricata runs
     * post-match keywords whatever the verdict) */
    ThresholdVerdict verdict = THRESH_ALERT;
    ThresholdResult tres = { .verdict = THRESH_ALERT };
    const ThresholdSigPlan *plan = dt->thresh ? threshold_plan_get(dt->de->tplan, s->num) : NULL;
    uint32_t ticket = 0;
    if (plan)
        verdict = check_thresholds(dt, plan, s, p, &tres, &ticket);
    /* verdict: a rate_filter past its rate replaces the rule's action */
    SigAction action = s->action;
    if (verdict != THRESH_NONE && tres.action_modified) {
        action = rate_filter_action(tres.new_action, s->action);
        if (tres.new_action == THRESH_ACTION_SDROP)
            verdict = THRESH_SILENT;
    }
    if (verdict == THRESH_NONE) {
        if (dt->ctr)
            ctr_inc(dt->ctr, CTR_DETECT_ALERTS_SUPPRESSED);
        return false;
    }
    /* verdict: as Suricata's RuleActionToFlow, the first pass or drop that
     * applies to the flow wins; IP-only, stream and app-layer matches apply
     * to the flow, packet matches to the packet only; a pass after a drop of
     * the same packet passes neither (util-action-13) */
    const bool to_flow = stream_match || (s->app_proto && !app_sig_on_packet_props(s, app)) ||
                         (s->flags & SIG_FLAG_IPONLY);
    if (action == SIG_ACTION_PASS) {
        dt->pass = true;
        if (df && to_flow && !df->drop && !dt->drop) {
            df->pass = true;
            if (p->flow && p->flow->action == FLOW_ACTION_NONE)
                p->flow->action = FLOW_ACTION_PASS;
        }
        if ((s->flags & SIG_FLAG_ALERT) && !(s->flags & SIG_FLAG_NOALERT) && verdict != THRESH_SILENT)
            queue_sig_alerts(dt, p->flow, (p->flow && !p->to_server) ? 1 : 0, s, action, app, stream_match, txs, ntx);
        return true;
    }
    if (dt->de->ips && action != SIG_ACTION_ALERT) {
        dt->drop = true;
        if (!dt->drop_sig) {
            dt->drop_sig = s;
            dt->drop_action = action;
            dt->drop_reason = tres.action_modified ? DETECT_DROP_REASON_THRESHOLD : DETECT_DROP_REASON_RULES;
        }
        if (df && to_flow && !df->pass) {
            df->drop = true;
            if (p->flow && p->flow->action == FLOW_ACTION_NONE)
                p->flow->action = FLOW_ACTION_DROP;
        }
    }
    if (verdict == THRESH_SILENT) {
        if (dt->ctr)
            ctr_inc(dt->ctr, CTR_DETECT_ALERTS_SUPPRESSED);
    } else if (!(s->flags & SIG_FLAG_NOALERT)) {
        dt->current_ticket = ticket;
        queue_sig_alerts(dt, p->flow, (p->flow && !p->to_server) ? 1 : 0, s, action, app, stream_match, txs, ntx);
        dt->current_ticket = 0;
    }
    return true;
}

/* Runs the prefilter of the packet's group, then the candidates in
 * signature order; a matching pass rule ends the packet. */
static void run_groups(DetectThread *dt, const Packet *p, const PacketCtx *pc, DetectFlow *df, int dir)
{
    const DetectEngine *de = dt->de;
    const uint8_t *pkt = pc->flow_end ? NULL : pc->payload;
    option_cache_new_packet(&dt->opt_cache); /* the last packet's option verdicts are stale */
    /* IP-only rules by address; `<>` and wide rules stay candidates always */
    prefilter_set_addresses(&dt->pf, &p->src_addr, &p->dst_addr);
    uint32_t n = prefilter_run(de->prefilter, &dt->pf, p->proto, dir, dir ? p->sp : p->dp, pkt,
                               pkt ? pc->payload_len : 0, pc->sbuf,
                               pc->slen, pc->stream_rules && pc->stream_added, pc->iponly_ok);
    if (p->flow && p->flow->app_proto)
        n = prefilter_run_app(de->prefilter, &dt->pf, p->flow, dir, pc->flow_end);
    const uint32_t *cand = dt->pf.cand;
    const uint16_t flow_app = p->flow ? p->flow->app_proto : 0;
    for (uint32_t i = 0; i < n; i++) {
        const uint16_t sig_app = de->sig_app_proto[cand[i]];
        if (sig_app && !app_proto_sig_matches(sig_app, flow_app))
            continue; /* another protocol's rule (run_signature checks it too) */
        const Signature *s = de->sigs[cand[i]];
        if (dt->prof) { /* --profile-rules */
            const uint64_t t0 = rule_profile_ticks();
            const bool matched = run_signature(dt, s, p, pc, df);
            rule_profile_add(dt->prof, s->num, rule_profile_ticks() - t0, matched);
            if (matched && dt->pass)
                break;
            continue;
        }
        if (run_signature(dt, s, p, pc, df) && dt->pass)
            break;
    }
}

static void reset_verdict(DetectThread *dt)
{
    dt->alert_count = 0;
    dt->ticket_count = 0;
    dt->capture_count = 0; /* pcre captures */
    dt->pass = false;
    dt->drop = false;
    dt->drop_reason = DETECT_DROP_REASON_NONE;
    dt->drop_sig = NULL;
    dt->stream_buf = NULL;
    dt->stream_len = 0;
    dt->stream_gaps = NULL;
    dt->stream_gap_count = dt->stream_gap_base = 0;
    dt->stream_ids = false;
}

/* The window the alerts of this packet may show as their stream payload. */
static void set_alert_stream(DetectThread *dt, const PacketCtx *pc, const DetectStreamDir *sd)
{
    dt->stream_buf = pc->sbuf;
    dt->stream_len = pc->slen;
    if (sd && pc->sbuf) {
        dt->stream_gaps = sd->gaps;
        dt->stream_gap_count = sd->gap_count;
        dt->stream_gap_base = sd->inspected;
        dt->stream_ids = true;
    }
}

/* A flow alerted when an alert of the packet is decided; a provisional one
 * (a ticket) leaves it to the writer (alert_pending). */
static void count_alerts(DetectThread *dt, Flow *f)
{
    if (dt->alert_count && f) {
        if (dt->ticket_count == 0) {
            f->alerted = true;
        } else {
            for (uint32_t i = 0; i < dt->alert_count; i++) {
                if (dt->alerts[i].ticket)
                    f->alert_pending = true;
                else
                    f->alerted = true;
            }
        }
    }
    if (dt->ctr)
        ctr_add(dt->ctr, CTR_DETECT_ALERT, dt->alert_count);
}

void detect_packet(DetectThread *dt, Packet *p)
{
    reset_verdict(dt);
    const DetectEngine *de = dt->de;
    if (!de || !de->built || de->sig_count == 0 || !p->ip_version)
        return;
    Flow *f = p->flow;
    DetectFlow *df = f ? detect_flow_get(f) : NULL;
    if (df && df->engine_gen != de->generation)
        detect_flow_follow_engine(df, de); /* reload */
    if (df && df->drop && de->ips) { /* verdict: every later packet of a dropped flow is dropped */
        dt->drop = true;
        dt->drop_reason = DETECT_DROP_REASON_FLOW;
    }
    if (df && (df->pass || df->drop))
        return;
    if (bypass_flow_is_bypassed(f)) /* hdrkw: a bypass rule matched earlier */
        return;
    const int dir = (f && !p->to_server) ? 1 : 0;
    PacketCtx pc;
    memset(&pc, 0, sizeof(pc));
    bool inline_raw = false; /* IPS: the window around the packet (inline-raw.c) */
    if (!p->tunnel_parent && p->payload_len) {
        pc.payload = packet_payload(p);
        pc.payload_len = p->payload_len;
    }
    if (p->proto == 6 && f && f->tcp) {
        pc.stream_rules = true;
        pc.stream_added = p->stream_add;
        if (df) {
            DetectStreamDir *sd = &df->dir[dir];
            uint64_t delivered, raw;
            if (detect_inline_raw_window(dt, sd, p, &pc.sbuf, &pc.slen)) {
                inline_raw = true;
            } else if (stream_tcp_raw_progress(f, dir == 0, &delivered, &raw) && !p->stream_raw_ready) {
                /* IDS, not ready (chunk not reached, no trigger): the
                 * stream waits for a later packet */
            } else if (sd->len > sd->inspected) {
                pc.sbuf = sd->buf + sd->inspected;
                pc.slen = sd->len - sd->inspected;
            }
        }
    }
    pc.iponly_ok = !df || !df->iponly_done[dir];
    set_alert_stream(dt, &pc, df && !inline_raw ? &df->dir[dir] : NULL);
    run_groups(dt, p, &pc, df, dir);
    if (df) {
        df->iponly_done[dir] = true;
        if (pc.sbuf || inline_raw || !pc.stream_rules)
            df->dir[dir].inspected = df->dir[dir].len;
        detect_app_after(f, dir, false); /* buf */
        frames_after(f, dir == 0, false); /* frames */
    }
    count_alerts(dt, f);
}

void detect_flow_set_verdict(Flow *f, bool drop)
{
    DetectFlow *df = detect_flow_get(f);
    if (!df || df->pass || df->drop)
        return;
    if (drop)
        df->drop = true;
    else
        df->pass = true;
}

void detect_packet_skip(DetectThread *dt, uint8_t drop_reason)
{
    reset_verdict(dt);
    if (drop_reason != DETECT_DROP_REASON_NONE && dt->de && dt->de->ips) {
        dt->drop = true;
        dt->drop_reason = drop_reason;
    }
}

bool detect_flow_end(DetectThread *dt, Flow *f, bool to_server, Packet *p)
{
    reset_verdict(dt);
    DetectFlow *df = f->detect;
    const DetectEngine *de = dt->de;
    if (!df || !de || !de->built || df->pass || df->drop)
        return false;
    if (df->engine_gen != de->generation)
        detect_flow_follow_engine(df, de); /* reload */
    const int dir = to_server ? 0 : 1;
    DetectStreamDir *sd = &df->dir[dir];
    const bool app_pending = detect_app_pending(f, dir) || app_frames_pending(app_layer_frames(f), to_server); /* buf, frames */
    uint64_t delivered;
    uint32_t chunk;
    if (stream_tcp_inline_raw(f, to_server, &delivered, &chunk)) /* inline: packets inspected the stream */
        sd->inspected = sd->len;
    if (sd->len <= sd->inspected && !app_pending)
        return false;
    PacketCtx pc;
    memset(&pc, 0, sizeof(pc));
    pc.stream_rules = true;
    pc.flow_end = true;
    if (sd->buf && sd->len > sd->inspected) { /* no window yet: only transactions to finish */
        pc.sbuf = sd->buf + sd->inspected;
        pc.slen = sd->len - sd->inspected;
    }
    set_alert_stream(dt, &pc, sd);
    run_groups(dt, p, &pc, df, dir);
    sd->inspected = sd->len;
    detect_app_after(f, dir, true); /* buf */
    frames_after(f, to_server, true); /* frames */
    count_alerts(dt, f);
    return true;
}
