/*
 * One worker's packet path and the offline run loop.
 *
 * For every packet read: decode it; if it belongs to a conversation, find its
 * flow; TCP packets go through stream tracking and reassembly; anomalies are
 * logged; packets derived from it (tunnel payloads, reassembled datagrams)
 * follow the same path right after it. Flows that end are flushed and logged
 * through `worker_flow_ended`. At the end of the input every remaining flow is
 * ended with reason "shutdown" and the final stats record is written.
 */
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app-layer.h"
#include "capture/capture.h"
#include "detect/flow-vars.h"
#include "detect/kw-flowvars.h"
#include "detect/kw-payload.h"
#include "detect/detect.h"
#include "output/eve-alert.h"
#include "util/log.h"

typedef struct Worker {
    const EngineConfig *ec;
    Counters ctr;
    DecodeThread dt;
    DefragTable *defrag;
    FlowTable *flows;
    StreamThread st;
    Eve *eve;
    FastLog *fast;
    JsonBuf jb;
    OdTime now; /* time of the packet being processed */
    RunSummary *summary;
    /* detection (when ec->detect is set) */
    bool detect_on;
    DetectThread det;
    EveAlertConfig alert_cfg;
    /* application layer */
    AppLayerConfig app_cfg;
    AppLayerThread app;
} Worker;

static void sink_data(void *ctx, Flow *f, bool to_server, const uint8_t *data, uint32_t len)
{
    Worker *w = ctx;
    if (w->detect_on)
        detect_stream_data(f, to_server, data, len);
    app_layer_tcp_data(&w->app, f, to_server, data, len);
}
static void sink_raw(void *ctx, Flow *f, bool to_server, uint32_t gap_before, const uint8_t *data, uint32_t len)
{
    Worker *w = ctx;
    if (!w->detect_on)
        return;
    if (gap_before)
        detect_stream_gap(f, to_server);
    detect_stream_data(f, to_server, data, len);
}
static void sink_gap(void *ctx, Flow *f, bool to_server, uint32_t len)
{
    Worker *w = ctx;
    if (w->detect_on)
        detect_stream_gap(f, to_server);
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
    RunSummary *s = w->summary;
    s->flows++;
    switch (f->proto) {
    case 6: s->flows_tcp++; break;
    case 17: s->flows_udp++; break;
    case 1: case 58: s->flows_icmp++; break;
    default: s->flows_other++; break;
    }
}

/* Writes the alerts detection queued for p (EVE alert records, fast.log). */
static void worker_log_alerts(Worker *w, const Packet *p)
{
    for (uint32_t i = 0; i < w->det.alert_count; i++) {
        const DetectAlert *a = &w->det.alerts[i];
        const Signature *s = a->s;
        eve_log_alert(w->eve, &w->jb, &w->alert_cfg, w->ec->detect, p, a, w->det.stream_buf, w->det.stream_len);
        const bool drop = s->action != SIG_ACTION_ALERT && s->action != SIG_ACTION_PASS;
        FastLogAlert fa = {
            .gid = s->gid, .sid = s->sid, .rev = s->rev, .msg = s->msg ? s->msg : "",
            .classification = s->class_desc, .priority = s->priority,
            .action_prefix = drop ? (w->ec->detect->ips ? "[Drop] " : "[wDrop] ") : "",
        };
        fast_log_alert(w->fast, p, &fa);
    }
}

/* Flow end: stream data no packet inspected yet is inspected as on
 * Suricata's flow-end pseudo packets, one per direction. */
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
        p.flow_established = f->seen_toclient && f->seen_toserver;
        memcpy(p.vlan_id, f->vlan_id, sizeof(p.vlan_id));
        p.vlan_count = f->vlan_count;
        if (detect_flow_end(&w->det, f, to_server, &p))
            worker_log_alerts(w, &p);
    }
}

/* Called by the flow table for every flow that ends, before it is freed. */
static void worker_flow_ended(void *ctx, Flow *f)
{
    Worker *w = ctx;
    if (f->proto == 6 && f->tcp)
        stream_tcp_flow_end(&w->st, f);
    if (w->detect_on && f->detect) {
        if (f->proto == 6)
            worker_detect_flow_end(w, f);
        detect_flow_free(f);
    }
    flow_vars_free(f);
    app_layer_flow_end(&w->app, f);
    count_flow_end(w, f);
    eve_log_flow(w->eve, &w->jb, f, f->end_reason == FLOW_END_SHUTDOWN ? w->summary->last_ts : w->now);
    if (f->tcp)
        stream_tcp_free(&w->st, f);
}

static bool tcp_reuse_hook(void *ctx, const Flow *f, const Packet *p, bool to_server)
{
    return stream_tcp_packet_is_reuse(ctx, f, p, to_server);
}

static bool worker_init(Worker *w, const EngineConfig *ec, Eve *eve, FastLog *fast, RunSummary *summary)
{
    memset(w, 0, sizeof(*w));
    w->ec = ec;
    w->eve = eve;
    w->fast = fast;
    w->summary = summary;
    jb_init(&w->jb);
    w->defrag = defrag_new(&ec->defrag, &w->ctr);
    w->flows = flow_table_new(&ec->flow, &w->ctr, worker_flow_ended, w);
    if (!w->defrag || !w->flows)
        return false;
    FlowHooks hooks = { .tcp_state_name = stream_tcp_state_name, .tcp_reuse = tcp_reuse_hook, .ctx = (void *)&ec->stream };
    flow_table_set_hooks(w->flows, &hooks);
    app_layer_config_defaults(&w->app_cfg);
    app_layer_thread_init(&w->app, &w->app_cfg, &w->ctr, eve);
    w->dt.cfg = &ec->decode;
    w->dt.ctr = &w->ctr;
    w->dt.defrag = w->defrag;
    w->st.cfg = &ec->stream;
    w->st.ctr = &w->ctr;
    w->st.sink = (StreamSink){ .data = sink_data, .gap = sink_gap, .end = sink_end, .raw = sink_raw, .ctx = w };
    if (ec->detection_enabled && ec->detect) {
        if (!detect_thread_init(&w->det, ec->detect, &w->ctr))
            return false;
        w->detect_on = true;
    }
    return true;
}

static void worker_finish(Worker *w)
{
    flow_table_shutdown(w->flows);
    flow_table_free(w->flows);
    app_layer_thread_free(&w->app);
    defrag_free(w->defrag);
    if (w->detect_on)
        detect_thread_free(&w->det);
    xbits_thread_cleanup();
    payload_keywords_thread_cleanup();
}

/* Everything after decoding: flow, stream, outputs. */
static void worker_handle_decoded(Worker *w, Packet *p)
{
    if (p->flow_ok) {
        Flow *f = flow_table_get(w->flows, p);
        w->app.pkt = p;
        if (f && p->proto == 6)
            stream_tcp_packet(&w->st, f, p);
        else if (f && p->proto == 17)
            app_layer_udp(&w->app, p);
        w->app.pkt = NULL;
    }
    if (w->detect_on) {
        detect_packet(&w->det, p);
        worker_log_alerts(w, p);
    }
    if (p->event_count)
        eve_log_anomalies(w->eve, &w->jb, p);
    w->summary->anomalies += p->event_count;
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

static void worker_process(Worker *w, Packet *p)
{
    w->now = p->ts;
    flow_table_timeout(w->flows, p->ts);
    defrag_expire(w->defrag, p->ts);
    decode_packet(&w->dt, p);
    if (w->dt.derived_count)
        worker_handle_derived(w);
    worker_handle_decoded(w, p);
}

int engine_run_offline(Conf *conf, const EngineConfig *ec, const char *input, RunSummary *summary)
{
    (void)conf;
    char err[512];
    memset(summary, 0, sizeof(*summary));
    time_t wall_start = time(NULL);

    CaptureSource *src = capture_open_offline(input, err, sizeof(err));
    if (!src) {
        od_error("%s", err);
        return 1;
    }
    if (ec->bpf_filter && !capture_set_filter(src, ec->bpf_filter, err, sizeof(err))) {
        od_error("%s", err);
        capture_close(src);
        return 1;
    }
    Eve eve;
    FastLog fast;
    if (!eve_open(&eve, &ec->eve, err, sizeof(err)) || !fast_log_open(&fast, conf, ec->log_dir, err, sizeof(err))) {
        od_error("%s", err);
        capture_close(src);
        return 1;
    }
    Worker w;
    bool init_ok = worker_init(&w, ec, &eve, &fast, summary);
    eve_alert_config_read(conf, &w.alert_cfg);
    if (init_ok && !app_layer_config_read(conf, &w.app_cfg, err, sizeof(err)))
        od_error("%s", err);
    if (!init_ok) {
        od_error("out of memory setting up the engine");
        return 1;
    }

    Packet *p = packet_new();
    int rc = 0;
    for (;;) {
        int r = capture_next(src, p);
        if (r == 0)
            break;
        if (r < 0) {
            od_error("%s", capture_error(src));
            rc = 1;
            break;
        }
        eve.pcap_filename = capture_current_file(src);
        if (summary->packets == 0)
            summary->first_ts = p->ts;
        if (p->ts > summary->last_ts)
            summary->last_ts = p->ts;
        summary->packets++;
        summary->bytes += p->wire_len;
        worker_process(&w, p);
    }
    packet_free(p);
    worker_finish(&w);
    summary->invalid = w.ctr.v[CTR_DECODER_INVALID];
    summary->files = capture_file_count(src);
    summary->alerts = w.ctr.v[CTR_DETECT_ALERT];

    uint64_t uptime = (uint64_t)(time(NULL) - wall_start);
    eve_log_stats(&eve, &w.jb, &w.ctr, &ec->stats, summary->last_ts, uptime);
    jb_free(&w.jb);
    capture_close(src);
    fast_log_close(&fast);
    eve_close(&eve);
    return rc;
}
