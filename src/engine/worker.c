/*
 * One worker's packet path (contract in worker.h).
 *
 * For every packet it owns: decode it; if it belongs to a conversation, find
 * its flow; TCP packets go through stream tracking and reassembly, UDP
 * through the application layer; detection runs and alerts and anomalies are
 * logged; packets derived from it (tunnel payloads, reassembled datagrams)
 * follow the same path right before it. Flows that end are flushed and
 * logged through `worker_flow_ended`. With pcap-log in a conditional mode
 * the wire packet is queued for it after detection when it qualifies
 * (worker_pcap_log_check).
 *
 * Output order: records of the packet's own path carry (seq, PACKET); flows
 * ended by time before a packet carry (seq, TIMEOUT, flow_id) and flows
 * ended at the end of the input (UINT64_MAX, SHUTDOWN, flow_id), so several
 * flows ending at one position come out by flow_id whichever worker had
 * them (record-queue.h); flows sharing a flow_id by their creation order,
 * numbered from the position of the packet that created them.
 */
#include "engine/worker.h"

#include <stdlib.h>
#include <string.h>

#include "detect/flow-vars.h"
#include "detect/kw-flowvars.h"
#include "detect/kw-payload.h"
#include "detect/tag.h"
#include "engine/threshold-writer.h"
#include "output/eve-drop.h"
#include "output/tcp-data-log.h"
#include "util/log.h"

/* Room in the flow numbering for the flows one wire packet and the packets
 * derived from it may create. */
#define WORKER_FLOWS_PER_PACKET 256u

static void sink_data(void *ctx, Flow *f, bool to_server, const uint8_t *data, uint32_t len)
{
    Worker *w = ctx;
    if (w->detect_on)
        detect_stream_data(f, to_server, data, len);
    if (w->ec->tcp_data_log)
        tcp_data_log_chunk(w->out, f, to_server, data, len);
    app_layer_tcp_data(&w->app, f, to_server, data, len);
}
static void sink_raw(void *ctx, Flow *f, bool to_server, uint32_t gap_before, const uint8_t *data, uint32_t len)
{
    Worker *w = ctx;
    if (!w->detect_on)
        return;
    if (gap_before)
        detect_stream_gap(f, to_server, gap_before);
    detect_stream_data(f, to_server, data, len);
}
static void sink_gap(void *ctx, Flow *f, bool to_server, uint32_t len)
{
    Worker *w = ctx;
    if (w->detect_on)
        detect_stream_gap(f, to_server, len);
    app_layer_tcp_gap(&w->app, f, to_server, len);
}
static void sink_end(void *ctx, Flow *f, bool to_server)
{
    Worker *w = ctx;
    app_layer_tcp_end(&w->app, f, to_server);
}

/* Per-protocol flow totals for the run summary (flow.end.* counters are the
 * flow table's). */
static void count_flow_end(Worker *w, const Flow *f)
{
    RunSummary *s = &w->part;
    s->flows++;
    switch (f->proto) {
    case 6: s->flows_tcp++; break;
    case 17: s->flows_udp++; break;
    case 1: case 58: s->flows_icmp++; break;
    default: s->flows_other++; break;
    }
}

/* Queues ticket `id` (1-based) for the writer, with the number of the
 * packet's alerts it covers, unless already queued (`sent`). */
static void worker_queue_ticket(Worker *w, uint32_t id, bool *sent)
{
    if (sent[id - 1])
        return;
    sent[id - 1] = true;
    ThresholdTicket *t = &w->det.tickets[id - 1];
    t->alerts = 0;
    for (uint32_t i = 0; i < w->det.alert_count; i++)
        t->alerts += w->det.alerts[i].ticket == id;
    threshold_ticket_queue(w->out, t);
}

/* Writes the alerts detection queued for p (EVE alert records, fast.log).
 * A provisional alert's records follow its ticket, gated by the writer's
 * answer; tickets without alerts (noalert rules, alerts past the queue's
 * cap) are queued last, for the writer to count them too. */
static void worker_log_alerts(Worker *w, const Packet *p)
{
    const uint32_t tickets = w->out ? w->det.ticket_count : 0;
    bool sent_small[64];
    bool *sent = tickets <= 64 ? sent_small : calloc(tickets, sizeof(*sent));
    if (!sent) { /* out of memory: the provisional alerts stand */
        od_error("out of memory queueing threshold tickets; %u matches alert unthresholded", tickets);
        w->det.ticket_count = 0;
        worker_log_alerts(w, p);
        return;
    }
    if (tickets <= 64)
        memset(sent_small, 0, sizeof(sent_small));
    for (uint32_t i = 0; i < w->det.alert_count; i++) {
        const DetectAlert *a = &w->det.alerts[i];
        const Signature *s = a->s;
        const bool gated = a->ticket && tickets;
        if (gated) {
            worker_queue_ticket(w, a->ticket, sent);
            w->out->add_flags = RECORD_FLAG_GATED;
        }
        eve_log_alert(&w->eve, &w->jb, &w->alert_cfg, &w->det, p, a);
        /* verdict: a rate_filter may have changed the rule's action */
        const bool drop = a->action != SIG_ACTION_ALERT && a->action != SIG_ACTION_PASS;
        FastLogAlert fa = {
            .gid = s->gid, .sid = s->sid, .rev = s->rev, .msg = s->msg ? s->msg : "",
            .classification = s->class_desc, .priority = s->priority,
            .action_prefix = drop ? (w->det.de->ips ? "[Drop] " : "[wDrop] ") : "",
        };
        fast_log_alert(&w->fast, p, &fa);
        if (gated)
            w->out->add_flags = 0;
    }
    for (uint32_t id = 1; id <= tickets; id++)
        worker_queue_ticket(w, id, sent);
    if (sent != sent_small)
        free(sent);
}

/* Flow end: stream data no packet inspected yet is inspected as on
 * Suricata's flow-end pseudo packets, one per direction: the client's
 * remaining stream data goes to the app layer and is inspected, then the
 * server's, so what the server's data raises is seen by the to-client
 * pseudo packet only; each pseudo packet then gets its protocol-detection
 * anomalies and the transactions it completed logged, as a packet does
 * (its header on the records that follow the packet's direction). */
static void worker_detect_flow_end(Worker *w, Flow *f)
{
    for (int d = 0; d < 2; d++) {
        bool to_server = d == 0;
        Packet p;
        memset(&p, 0, sizeof(p));
        p.ip_version = f->ip_version;
        p.proto = f->proto;
        p.src_addr = to_server ? f->src : f->dst;
        p.dst_addr = to_server ? f->dst : f->src;
        p.sp = to_server ? f->sp : f->dp;
        p.dp = to_server ? f->dp : f->sp;
        p.ts = f->last;
        p.src = PKT_SRC_FFR;
        p.flow = f;
        p.to_server = to_server;
        /* TCP: the handshake completed at some point (the flow left "new") */
        p.flow_established = f->proto == 6 ? f->state != FLOW_STATE_NEW : f->seen_toclient && f->seen_toserver;
        memcpy(p.vlan_id, f->vlan_id, sizeof(p.vlan_id));
        p.vlan_count = f->vlan_count;
        if (f->tcp) {
            /* no app-layer error policy at flow end (nothing left to drop) */
            void (*parser_error)(void *, Flow *) = w->app.parser_error;
            w->app.parser_error = NULL;
            w->app.pkt = &p;
            stream_tcp_flow_end_dir(&w->st, f, to_server);
            w->app.pkt = NULL;
            w->app.parser_error = parser_error;
        }
        if (detect_flow_end(&w->det, f, to_server, &p) || w->det.ticket_count)
            worker_log_alerts(w, &p);
        if (p.app_events)
            eve_log_anomalies(&w->eve, &w->jb, &p);
        app_layer_output_pending(&w->app, &p);
    }
}

/* pcap-log conditional modes: a stored segment of the session, written
 * before the flow's first alerting packet. */
typedef struct SegmentDump {
    RecordQueue *out;
    int datalink;
} SegmentDump;

static void dump_segment(void *ctx, OdTime ts, const uint8_t *hdr, uint32_t hdr_len, const uint8_t *data,
                         uint32_t len)
{
    const SegmentDump *d = ctx;
    pcap_log_queue_segment(d->out, ts, d->datalink, hdr, hdr_len, data, len);
}

/* pcap-log conditional modes, after detection: whether p gets its wire
 * packet written (`flow_alerted` is whether its flow alerted before p), and
 * at a TCP flow's first alert the segments its session still stores
 * (Suricata's PcapLogCondition and PcapLogDumpSegments). */
static void worker_pcap_log_check(Worker *w, const Packet *p, bool flow_alerted)
{
    const bool alerted = w->detect_on && w->det.alert_count > 0;
    bool tagged = false;
    if (w->pcap_log_cond == PCAP_LOG_COND_TAG) {
        TagTracker *t = tag_tracker_thread();
        if (t)
            tagged = tag_tracker_packet(t, p->flow != NULL, p->flow ? p->flow->flow_id : 0, &p->src_addr,
                                        &p->dst_addr, p->ts, p->len);
    }
    if (!pcap_log_wants(w->pcap_log_cond, alerted, flow_alerted, tagged))
        return;
    w->pcap_log_hit = true;
    if (alerted && !flow_alerted && p->flow && p->proto == 6 && w->out) {
        /* the segments keep wire packets' headers (stream-segment-dump.c) */
        SegmentDump d = { .out = w->out, .datalink = w->root ? w->root->datalink : p->datalink };
        stream_tcp_for_each_segment(p->flow, dump_segment, &d);
    }
}

/* Called by the flow table for every flow that ends, before it is freed. */
static void worker_flow_ended(void *ctx, Flow *f)
{
    Worker *w = ctx;
    /* flows ending together (by time, at shutdown) come out by flow_id */
    if (w->out && w->phase != RECORD_PHASE_PACKET)
        record_queue_set_key(w->out, w->seq, w->phase, f->flow_id, f->seq_no);
    if (w->detect_on && f->detect && f->proto == 6)
        worker_detect_flow_end(w, f); /* ends the stream direction by direction */
    else if (f->proto == 6 && f->tcp)
        stream_tcp_flow_end(&w->st, f);
    if (w->detect_on && f->detect) {
        if (f->detect->drop)
            app_layer_flow_dropped(f); /* its open transactions are not logged */
        detect_flow_free(f);
    }
    app_layer_flow_end(&w->app, f);
    count_flow_end(w, f);
    if (w->pcap_log_cond == PCAP_LOG_COND_TAG && tag_tracker_thread())
        tag_tracker_flow_end(tag_tracker_thread(), f->flow_id);
    if (f->alert_pending && w->out) { /* the writer knows whether it alerted */
        threshold_flow_question_queue(w->out, f->flow_id, f->seq_no);
        if (!f->alerted)
            w->out->add_flags = RECORD_FLAG_ALERTED_FILL;
    }
    eve_log_flow(&w->eve, &w->jb, f, f->end_reason == FLOW_END_SHUTDOWN ? w->shutdown_ts : w->now);
    if (w->out)
        w->out->add_flags = 0;
    flow_vars_free(f); /* after the last record: they carry the flowbits */
    if (f->tcp)
        stream_tcp_free(&w->st, f);
}

/* StreamThread.exception: the stream stage hit an exception policy. */
static void stream_exception_hook(void *ctx, Flow *f, Packet *p, StreamExceptionTarget target,
        StreamExceptionPolicy policy)
{
    Worker *w = ctx;
    (void)p;
    static const ExceptionTarget targets[] = {
        [STREAM_EXC_MIDSTREAM] = EXC_TARGET_STREAM_MIDSTREAM,
        [STREAM_EXC_SSN_MEMCAP] = EXC_TARGET_STREAM_MEMCAP,
        [STREAM_EXC_REASSEMBLY_MEMCAP] = EXC_TARGET_STREAM_REASSEMBLY_MEMCAP,
    };
    exception_apply(&w->exc, &w->ctr, f, targets[target], (ExceptionPolicy)policy);
}

/* AppLayerThread.parser_error: app-layer.error-policy. */
static void app_error_hook(void *ctx, Flow *f)
{
    Worker *w = ctx;
    exception_apply(&w->exc, &w->ctr, f, EXC_TARGET_APP_LAYER_ERROR,
            w->ec->exceptions.policy[EXC_TARGET_APP_LAYER_ERROR]);
}

static bool tcp_reuse_hook(void *ctx, const Flow *f, const Packet *p, bool to_server)
{
    return stream_tcp_packet_is_reuse(ctx, f, p, to_server);
}

/* Worker `index`'s share of `total` split over `count` workers; the
 * remainder goes to the first ones, so the shares add up to the total. */
static uint64_t share(uint64_t total, uint32_t index, uint32_t count)
{
    return total / count + (index < total % count ? 1 : 0);
}

bool worker_init(Worker *w, const EngineConfig *ec, const Eve *eve, const FastLog *fast,
                 const AppLayerConfig *app_cfg, const EveAlertConfig *alert_cfg, uint32_t index, uint32_t count)
{
    memset(w, 0, sizeof(*w));
    w->ec = ec;
    w->eve = *eve;
    w->fast = *fast;
    w->alert_cfg = *alert_cfg;
    w->phase = RECORD_PHASE_PACKET;
    jb_init(&w->jb);
    w->flow_cfg = ec->flow;
    if (count > 1) {
        w->flow_cfg.hash_size = (uint32_t)share(ec->flow.hash_size, index, count);
        if (w->flow_cfg.hash_size == 0)
            w->flow_cfg.hash_size = 1;
        w->flow_cfg.prealloc = (uint32_t)share(ec->flow.prealloc, index, count);
        w->flow_cfg.memcap = share(ec->flow.memcap, index, count);
    }
    w->defrag_cfg = ec->defrag;
    if (count > 1) {
        w->defrag_cfg.hash_size = (uint32_t)share(ec->defrag.hash_size, index, count);
        if (w->defrag_cfg.hash_size == 0)
            w->defrag_cfg.hash_size = 1;
        w->defrag_cfg.memcap = share(ec->defrag.memcap, index, count);
    }
    w->defrag = defrag_new(&w->defrag_cfg, &w->ctr);
    w->flows = flow_table_new(&w->flow_cfg, &w->ctr, worker_flow_ended, w);
    if (!w->defrag || !w->flows)
        return false;
    FlowHooks hooks = { .tcp_state_name = stream_tcp_state_name, .tcp_reuse = tcp_reuse_hook, .ctx = (void *)&ec->stream };
    flow_table_set_hooks(w->flows, &hooks);
    app_layer_config_defaults(&w->app_cfg);
    app_layer_thread_init(&w->app, &w->app_cfg, &w->ctr, &w->eve);
    w->app_ready = true;
    w->app_cfg = *app_cfg;
    w->app.parser_error = app_error_hook;
    w->app.parser_error_ctx = w;
    w->dt.cfg = &ec->decode;
    w->dt.ctr = &w->ctr;
    w->dt.defrag = w->defrag;
    w->st.cfg = &ec->stream;
    w->st.ctr = &w->ctr;
    w->st.sink = (StreamSink){ .data = sink_data, .gap = sink_gap, .end = sink_end, .raw = sink_raw, .ctx = w };
    w->st.exception = stream_exception_hook;
    w->st.exception_ctx = w;
    w->st.defer_release = true; /* stream_tcp_release_sender after the alerts */
    if (ec->detection_enabled && ec->detect) {
        if (!detect_thread_init(&w->det, ec->detect, &w->ctr))
            return false;
        w->detect_on = true;
    }
    return true;
}

bool worker_use_engine(Worker *w, const DetectEngine *de)
{
    if (!w->detect_on || !de || w->det.de == de)
        return true;
    if (detect_thread_switch(&w->det, de))
        return true;
    detect_thread_free(&w->det); /* the old engine is about to be freed */
    w->detect_on = false;
    return false;
}

void worker_set_output(Worker *w, RecordQueue *out)
{
    w->out = out;
    w->eve.queue = out;
    w->fast.queue = out;
}

void worker_advance_time(Worker *w, uint64_t seq, OdTime ts, const char *pcap_file)
{
    w->seq = seq;
    w->now = ts;
    w->eve.pcap_filename = pcap_file;
    w->phase = RECORD_PHASE_TIMEOUT;
    flow_table_timeout(w->flows, ts);
    defrag_expire(w->defrag, ts);
    w->phase = RECORD_PHASE_PACKET;
}

bool worker_time_due(const Worker *w, OdTime ts)
{
    return flow_table_timeout_due(w->flows, ts) || defrag_expire_due(w->defrag, ts);
}

/* A packet of a locally bypassed flow only counts (Suricata's FlowUpdate
 * returns "done" for it: no stream, detection or output). */
static bool worker_bypassed(Worker *w, const Flow *f, const Packet *p)
{
    if (!f || f->state != FLOW_STATE_LOCAL_BYPASSED)
        return false;
    ctr_inc(&w->ctr, CTR_FLOW_BYPASSED_LOCAL_PKTS);
    ctr_add(&w->ctr, CTR_FLOW_BYPASSED_LOCAL_BYTES, p->len);
    return true;
}

/* Everything after decoding: flow, stream, detection, outputs. */
static void worker_handle_decoded(Worker *w, Packet *p)
{
    exception_verdict_reset(&w->exc);
    if (w->defrag_memcap_hit && p == w->root) {
        /* the fragment did not fit defrag.memcap */
        w->defrag_memcap_hit = false;
        exception_apply(&w->exc, &w->ctr, NULL, EXC_TARGET_DEFRAG_MEMCAP,
                w->ec->exceptions.policy[EXC_TARGET_DEFRAG_MEMCAP]);
    }
    if (p->flow_ok) {
        Flow *f = flow_table_get(w->flows, p);
        if (!f && flow_table_last_status(w->flows) == FLOW_GET_MEMCAP)
            exception_apply(&w->exc, &w->ctr, NULL, EXC_TARGET_FLOW_MEMCAP,
                    w->ec->exceptions.policy[EXC_TARGET_FLOW_MEMCAP]);
        if (worker_bypassed(w, f, p))
            return;
        w->app.pkt = p;
        const bool ips = w->detect_on ? w->det.de->ips : w->ec->stream.inline_mode;
        if (f && f->action == FLOW_ACTION_DROP && ips) {
            /* verdict: a dropped flow's packets are dropped before the stream */
            if (exception_flow_dropped(f)) {
                w->exc.skip_inspection = w->exc.drop = true;
                w->exc.drop_reason = DETECT_DROP_REASON_EXCEPTION_FLOW_DROP;
            }
        } else if (f && p->proto == 6) {
            stream_tcp_packet(&w->st, f, p);
            if (app_layer_take_reverse(f)) { /* midstream: detection found the server first */
                stream_tcp_reverse(f, p);
                detect_flow_reverse(f);
            }
            /* stream.drop-invalid: an IPS drops what the stream rejects
             * (Suricata still runs header-only detection on it; here the
             * packet is not inspected) */
            if (w->st.packet_invalid && ips && w->ec->stream.drop_invalid && !w->exc.drop) {
                w->exc.skip_inspection = w->exc.drop = true;
                w->exc.drop_reason = DETECT_DROP_REASON_STREAM_ERROR;
            }
            /* stream.reassembly.urgent.policy drop: so is a packet with URG */
            if (w->st.packet_urgent_drop && ips && !w->exc.drop) {
                w->exc.skip_inspection = w->exc.drop = true;
                w->exc.drop_reason = DETECT_DROP_REASON_STREAM_URGENT;
            }
        } else if (f && p->proto == 17) {
            app_layer_udp(&w->app, p);
        }
        w->app.pkt = NULL;
    }
    const bool flow_alerted = p->flow && p->flow->alerted; /* before this packet */
    if (w->detect_on) {
        if (w->exc.skip_inspection) /* an exception policy decided the packet */
            detect_packet_skip(&w->det, w->exc.drop ? w->exc.drop_reason : DETECT_DROP_REASON_NONE);
        else
            detect_packet(&w->det, p);
        worker_log_alerts(w, p);
        eve_log_drop(&w->eve, &w->jb, &w->det, p); /* verdict: IPS drop records */
    }
    /* the packet's stream is released after its alerts show it */
    if (p->flow && p->proto == 6 && w->st.defer_release)
        stream_tcp_release_sender(&w->st, p->flow, p);
    if (w->pcap_log_cond != PCAP_LOG_COND_ALL)
        worker_pcap_log_check(w, p, flow_alerted);
    if (p->event_count || p->app_events)
        eve_log_anomalies(&w->eve, &w->jb, p);
    w->part.anomalies += p->event_count;
    app_layer_output_pending(&w->app, p); /* transaction loggers come last, as in Suricata */
    /* stream.bypass: a session past the reassembly depth (either way) is
     * bypassed from the next packet on */
    if (p->flow && p->proto == 6 && w->ec->stream.bypass && stream_tcp_depth_reached(p->flow))
        exception_bypass_flow(p->flow);
    /* encryption-handling: bypass, once the handshake is over */
    if (p->flow && app_layer_flow_bypass_ready(p->flow))
        exception_bypass_flow(p->flow);
}

/* --simulate-ips: the verdict on the packet just handled, as an inline
 * source would give it (ips.accepted / ips.blocked, ips.drop_reason.*). */
static void worker_count_verdict(Worker *w)
{
    const bool drop = w->detect_on ? w->det.drop : w->exc.drop;
    const uint8_t reason = w->detect_on ? w->det.drop_reason : w->exc.drop_reason;
    ctr_inc(&w->ctr, drop ? CTR_IPS_BLOCKED : CTR_IPS_ACCEPTED);
    CounterId c = drop ? ips_drop_reason_counter(reason) : CTR_MAX;
    if (c != CTR_MAX)
        ctr_inc(&w->ctr, c);
}

/* Runs the packets the decoder derived from the current one (tunnel
 * payloads, reassembled datagrams; already decoded, in Suricata's queue
 * order) through the rest of the path, then frees them. As in Suricata they
 * go before the packet that produced them continues past decoding. */
static void worker_handle_derived(Worker *w)
{
    int n = w->dt.derived_count;
    w->dt.derived_count = 0;
    for (int i = 0; i < n; i++) {
        Packet *d = w->dt.derived[i];
        worker_handle_decoded(w, d);
        packet_free(d);
    }
}

void worker_handle_packet(Worker *w, uint64_t seq, Packet *p)
{
    w->seq = seq;
    w->now = p->ts;
    w->phase = RECORD_PHASE_PACKET;
    if (w->out)
        record_queue_set_key(w->out, seq, RECORD_PHASE_PACKET, 0, 0);
    /* flows this packet (and what is derived from it) creates are numbered
     * from its position: the same in every runmode */
    flow_table_set_next_seq(w->flows, seq * WORKER_FLOWS_PER_PACKET);
    const uint64_t defrag_drops = w->ctr.v[CTR_DEFRAG_MEMCAP_DROP];
    decode_packet(&w->dt, p);
    w->root = p;
    w->defrag_memcap_hit = w->ctr.v[CTR_DEFRAG_MEMCAP_DROP] != defrag_drops;
    w->pcap_log_hit = false;
    if (w->dt.derived_count)
        worker_handle_derived(w);
    worker_handle_decoded(w, p);
    if (w->pcap_log_hit && w->out) { /* conditional pcap-log: the wire packet */
        PacketRef ref = { .data = p->buf, .caplen = p->len, .wire_len = p->wire_len, .datalink = p->datalink,
                          .ts = p->ts };
        pcap_log_queue_packet(w->out, &ref);
    }
    if (w->count_ips_verdicts)
        worker_count_verdict(w);
}

/* Releases the tables and per-flow state (not the counters). */
static void worker_release(Worker *w)
{
    if (w->flows)
        flow_table_free(w->flows);
    w->flows = NULL;
    if (w->app_ready)
        app_layer_thread_free(&w->app);
    w->app_ready = false;
    if (w->defrag)
        defrag_free(w->defrag);
    w->defrag = NULL;
    if (w->detect_on)
        detect_thread_free(&w->det);
    w->detect_on = false;
}

void worker_shutdown(Worker *w, OdTime last_ts, const char *pcap_file)
{
    w->seq = UINT64_MAX;
    w->shutdown_ts = last_ts;
    w->eve.pcap_filename = pcap_file;
    w->phase = RECORD_PHASE_SHUTDOWN;
    flow_table_shutdown(w->flows);
    w->phase = RECORD_PHASE_PACKET;
    worker_release(w);
    /* state the detection keywords keep per thread */
    xbits_thread_cleanup();
    payload_keywords_thread_cleanup();
}

void worker_free(Worker *w)
{
    worker_release(w);
    jb_free(&w->jb);
}

void worker_read_shared_config(Conf *conf, AppLayerConfig *app_cfg, EveAlertConfig *alert_cfg)
{
    char err[512];
    app_layer_config_defaults(app_cfg);
    if (!app_layer_config_read(conf, app_cfg, err, sizeof(err)))
        od_error("%s", err);
    eve_alert_config_read(conf, alert_cfg);
}
