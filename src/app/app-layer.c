/*
 * Feeding the app layer: per-flow detection state, attaching a parser once
 * the protocol is known, handing it TCP stream data (with gaps and the end
 * of each direction) or UDP datagrams, and the flow counters
 * (app_layer.flow.<proto>, failed_tcp/failed_udp). While a TCP direction is
 * undecided its bytes are kept so the parser sees the stream from its first
 * byte once detection succeeds. A UDP flow gets one detection attempt per
 * direction; a TCP flow fails when both directions found nothing.
 *
 * As in Suricata, each TCP direction is detected on its own (Flow
 * app_proto_ts / app_proto_tc): the first direction decided gives the
 * flow's protocol and parser, and its data goes to the parser (the other
 * direction's first, when that one sent first). The other direction is
 * then detected on its own data: another protocol there raises
 * APPLAYER_MISMATCH_PROTOCOL_BOTH_DIRECTIONS on the packet and the data is
 * still parsed as the flow's protocol; a direction whose detection gives up
 * takes the other direction's protocol with
 * APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION; a direction still undecided
 * when the other one is decided (a server greeting before the client's
 * command) is detected once more and otherwise takes the flow's protocol.
 *
 * A parser that hands the flow on (proto_change: HTTP CONNECT or 101,
 * SMTP STARTTLS, POP3 STLS) is logged and dropped, and detection starts
 * again on what follows -- from the first byte the old parser left
 * (change_unparsed: what follows a 101 in the same segment); the flow
 * keeps its old protocol as app_proto_orig, and the next parser may take
 * over what the old one handed on (change_handoff / adopt: HTTP/1's
 * upgraded request for HTTP/2). Until detection decides, that change is in progress
 * (Suricata's FLOW_CHANGE_PROTO): a data chunk it leaves undecided, or a
 * protocol other than the one the parser expected (TLS after STARTTLS),
 * raises APPLAYER_UNEXPECTED_PROTOCOL (and APPLAYER_NO_TLS_AFTER_STARTTLS),
 * and a parser found on that data which itself asks for a change in the
 * same data (HTTP 101 after STARTTLS) is refused: it raises its
 * FAILED_PROTOCOL_CHANGE event and stops. A flow whose new protocol was
 * never decided keeps the old one.
 */
#include "app/app-internal.h"
#include "app/file.h" /* files: open files cut short by the reassembly depth */
#include "app/frames.h" /* frames: the parser marks frames while parsing TCP data */
#include "output/eve-fileinfo.h" /* files: whether fileinfo records are on */
#include "stream/stream.h" /* midstream: sessions detection may reverse */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static AppFlow *app_flow(Flow *f)
{
    if (!f->app) {
        AppFlow *a = calloc(1, sizeof(AppFlow));
        if (a)
            a->first_dir = -1;
        f->app = a;
    }
    return f->app;
}

void *app_layer_state(const Flow *f, AppProto proto)
{
    const AppFlow *a = f->app;
    if (!a || !a->def || a->def->proto != proto)
        return NULL;
    return a->state;
}

struct AppFrames *app_layer_frames(const Flow *f)
{
    const AppFlow *a = f ? f->app : NULL;
    return a ? a->frames : NULL;
}

AppProto app_layer_orig_proto(const Flow *f)
{
    const AppFlow *a = f->app;
    return a && a->orig_proto != f->app_proto ? a->orig_proto : 0;
}

AppProto app_layer_expected_proto(const Flow *f)
{
    const AppFlow *a = f->app;
    return a && a->expect_proto != f->app_proto ? a->expect_proto : 0;
}

static void free_bufs(AppFlow *a)
{
    for (int d = 0; d < 2; d++) {
        free(a->buf[d]);
        a->buf[d] = NULL;
        a->len[d] = 0;
    }
}

uint32_t app_layer_generation(const Flow *f)
{
    const AppFlow *a = f ? f->app : NULL;
    return a ? a->gen : 0;
}

/* wire: frees what a previous protocol handed over and nobody took. */
static void drop_handoff(AppFlow *a)
{
    if (a->handoff && a->handoff_free)
        a->handoff_free(a->handoff);
    a->handoff = NULL;
    a->handoff_free = NULL;
}

void app_layer_flow_free(Flow *f)
{
    AppFlow *a = f->app;
    if (!a)
        return;
    if (a->def && a->state && a->def->state_free)
        a->def->state_free(a->state);
    drop_handoff(a);
    free_bufs(a);
    app_frames_free(a->frames);
    free(a);
    f->app = NULL;
}

void app_layer_thread_init(AppLayerThread *at, const AppLayerConfig *cfg, Counters *ctr, Eve *eve)
{
    memset(at, 0, sizeof(*at));
    at->cfg = cfg;
    at->ctr = ctr;
    at->eve = eve;
    jb_init(&at->jb);
    app_layer_register_builtin();
    at->log_files = eve_fileinfo_enabled(eve);
    for (AppProto id = 1; id < APP_PROTO_MAX; id++) {
        const AppParserDef *def = app_layer_parser(id);
        ConfNode *opts = NULL;
        if (!def || !def->log_tx || !eve || !eve->file ||
            !eve_type_enabled(&eve->cfg, def->conf_name ? def->conf_name : def->name, &opts))
            continue;
        at->log_on[id] = true;
        at->log_cfg[id] = def->log_config ? def->log_config(opts) : NULL;
    }
}

void app_layer_thread_free(AppLayerThread *at)
{
    for (AppProto id = 1; id < APP_PROTO_MAX; id++) {
        const AppParserDef *def = app_layer_parser(id);
        if (at->log_cfg[id] && def && def->log_config_free)
            def->log_config_free(at->log_cfg[id]);
        at->log_cfg[id] = NULL;
    }
    jb_free(&at->jb);
}

static void set_proto(AppLayerThread *at, Flow *f, AppProto proto)
{
    bool was_known = f->app_proto != APP_PROTO_UNKNOWN && f->app_proto != APP_PROTO_FAILED;
    f->app_proto = proto;
    if (was_known)
        return;
    CounterId c = app_layer_flow_counter(proto, f->proto);
    if (c != CTR_MAX && at->ctr)
        ctr_inc(at->ctr, c);
}

static void set_failed(AppLayerThread *at, Flow *f)
{
    if (f->app_proto != APP_PROTO_UNKNOWN)
        return;
    const AppFlow *a = f->app;
    if (a && a->orig_proto) { /* a tunnel nothing was detected in */
        f->app_proto = a->orig_proto;
        return;
    }
    f->app_proto = APP_PROTO_FAILED;
    CounterId c = app_layer_flow_counter(APP_PROTO_FAILED, f->proto);
    if (c != CTR_MAX && at->ctr)
        ctr_inc(at->ctr, c);
}

/* Starts the parser for proto if there is one and parsing is on. */
static bool attach(AppLayerThread *at, Flow *f, AppFlow *a, AppProto proto)
{
    const AppParserDef *def = app_layer_parser(proto);
    const AppProtoConf *pc = &at->cfg->proto[proto];
    if (!def || !(f->proto == 6 ? pc->tcp_parse : pc->udp_parse) || !def->state_new)
        return false;
    a->state = def->state_new_flow ? def->state_new_flow(f) : def->state_new(f->proto == 6);
    if (!a->state)
        return false;
    a->def = def;
    if (a->handoff && def->adopt) /* wire: after a change, what the old protocol left */
        def->adopt(a->state, a->orig_proto, a->handoff);
    drop_handoff(a);
    return true;
}

/* wire: the parser handed the flow on (proto_change): log and drop its
 * state, and detect again on what follows. */
static void restart_detection(AppLayerThread *at, Flow *f, AppFlow *a)
{
    a->gen++;
    drop_handoff(a);
    if (a->def->change_handoff) { /* before logging releases the transactions */
        a->handoff = a->def->change_handoff(a->state);
        a->handoff_free = a->def->handoff_free;
    }
    app_output_flow(at, f, true);
    AppProto expect = a->def->change_expect;
    if (a->def->state_free)
        a->def->state_free(a->state);
    a->def = NULL;
    a->state = NULL;
    app_frames_free(a->frames); /* frames: the new protocol marks its own */
    a->frames = NULL;
    a->log_next = a->files_next = 0;
    a->files_waiting = 0;
    for (int d = 0; d < 2; d++)
        a->parse_failed[d] = a->none[d] = a->tried[d] = a->dir_done[d] = false;
    f->app_proto_ts = f->app_proto_tc = APP_PROTO_UNKNOWN;
    a->orig_proto = f->app_proto;
    a->expect_proto = expect;
    a->changing = true;
    a->first_dir = -1;
    f->app_proto = APP_PROTO_UNKNOWN;
}

/* wire: the parser asked for a change while the previous one is still in
 * progress (see the top comment): it raises its event and is fed no more. */
static void refuse_change(AppFlow *a)
{
    if (a->def->proto_change_refused)
        a->def->proto_change_refused(a->state);
    a->parse_failed[0] = a->parse_failed[1] = true;
}

/* Data of the packet being processed: its transactions are logged after
 * detection (app_layer_output_pending); anything else (flow end, data
 * pushed without a packet) right away. */
static void output_now_or_after_packet(AppLayerThread *at, Flow *f, AppFlow *a)
{
    if (at->pkt && at->pkt->flow == f)
        a->output_pending = true;
    else
        app_output_flow(at, f, false);
}

/* After detection: the packet's own data, or closed files of its direction
 * waiting for a packet of that direction (AppFlow.files_waiting). */
void app_layer_output_pending(AppLayerThread *at, Packet *p)
{
    Flow *f = p->flow;
    AppFlow *a = f ? f->app : NULL;
    if (!a || !(a->output_pending || a->files_waiting)) /* the common case: nothing to do */
        return;
    if (!a->output_pending && !(a->files_waiting & (p->to_server ? 1u : 2u)))
        return;
    a->output_pending = false;
    Packet *saved = at->pkt;
    at->pkt = p;
    app_output_flow(at, f, false);
    at->pkt = saved;
}

static void feed(AppLayerThread *at, Flow *f, AppFlow *a, bool to_server, const uint8_t *d, uint32_t len,
                 OdTime ts)
{
    int dir = to_server ? 0 : 1;
    if (!a->def || a->parse_failed[dir] || !len)
        return;
    a->gen++;
    if (f->proto == 6 && app_frames_enabled()) { /* frames: the offsets of what the parser sees */
        if (!a->frames)
            a->frames = app_frames_new(a->def->proto);
        app_frames_feed_begin(a->frames, to_server, d, len);
    }
    const bool tcp_triggers = f->proto == 6 && a->def->raw_triggers; /* raw stream */
    const uint64_t triggers = tcp_triggers ? a->def->raw_triggers(a->state, to_server) : 0;
    bool parsed = !a->def->parse || a->def->parse(a->state, to_server, d, len, ts);
    app_frames_feed_end();
    if (tcp_triggers && a->def->raw_triggers(a->state, to_server) != triggers)
        stream_tcp_trigger_raw(f, to_server);
    if (!parsed && a->def->proto_change && a->def->proto_change(a->state)) {
        if (!a->changing) {
            uint32_t rest = a->def->change_unparsed ? a->def->change_unparsed(a->state, to_server) : 0;
            restart_detection(at, f, a);
            if (rest && rest <= len && f->proto == 6) /* the next protocol's first bytes */
                app_layer_tcp_data(at, f, a->reverse_pending ? !to_server : to_server, d + (len - rest), rest);
            return;
        }
        refuse_change(a);
    } else if (!parsed) {
        a->parse_failed[dir] = true;
        /* wire: app_layer.error.<proto>.parser (not for HTTP, whose parser
         * also stops on tunnels and protocol switches) */
        CounterId c = f->proto == 17 ? (a->def->proto == 3 ? CTR_APP_ERR_DNS_UDP_PARSER : CTR_MAX)
                                     : app_layer_error_counter(a->def->proto, false);
        if (c != CTR_MAX && at->ctr)
            ctr_inc(at->ctr, c);
        if (c != CTR_MAX && at->pkt && at->parser_error)
            at->parser_error(at->parser_error_ctx, f);
    }
    if (a->def && a->def->after_parse)
        a->def->after_parse(a->state, f);
    output_now_or_after_packet(at, f, a);
}

static OdTime now_of(const AppLayerThread *at, const Flow *f)
{
    return at->pkt ? at->pkt->ts : f->last;
}

static bool keep(AppFlow *a, int dir, const uint8_t *data, uint32_t len)
{
    if (a->len[dir] + (uint64_t)len > APP_DETECT_BUF_MAX)
        return false;
    uint8_t *nb = realloc(a->buf[dir], a->len[dir] + len);
    if (!nb)
        return false;
    memcpy(nb + a->len[dir], data, len);
    a->buf[dir] = nb;
    a->len[dir] += len;
    return true;
}

/* ---- per-direction detection (see the top comment) ---- */

static const char *const pkt_event_names[APP_PKT_EV_COUNT] = {
    "APPLAYER_MISMATCH_PROTOCOL_BOTH_DIRECTIONS",
    "APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION",
    "APPLAYER_UNEXPECTED_PROTOCOL",
    "APPLAYER_NO_TLS_AFTER_STARTTLS",
    "APPLAYER_PROTO_DETECTION_SKIPPED",
};

const char *app_pkt_event_name(int i)
{
    return i >= 0 && i < APP_PKT_EV_COUNT ? pkt_event_names[i] : NULL;
}

int app_pkt_event_bit(const char *name)
{
    for (int i = 0; i < APP_PKT_EV_COUNT; i++)
        if (strcasecmp(name, pkt_event_names[i]) == 0)
            return 1 << i;
    if (strcasecmp(name, "applayer_wrong_direction_first_data") == 0)
        return 0;
    return -1;
}

static void raise_pkt_event(AppLayerThread *at, const Flow *f, uint8_t bit)
{
    if (at->pkt && at->pkt->flow == f)
        at->pkt->app_events |= bit;
}

/* A data chunk went to detection while a protocol change is in progress:
 * the protocol the flow has now (the old one while undecided, as Suricata
 * reverts to it) is checked against the expected one, and a decided
 * protocol ends the change. */
static void change_progress(AppLayerThread *at, Flow *f, AppFlow *a)
{
    bool decided = f->app_proto != APP_PROTO_UNKNOWN;
    AppProto now = decided ? f->app_proto : a->orig_proto;
    if (a->expect_proto && now != a->expect_proto) {
        raise_pkt_event(at, f, APP_PKT_EV_UNEXPECTED_PROTOCOL);
        if (a->expect_proto == APP_PROTO_TLS)
            raise_pkt_event(at, f, APP_PKT_EV_NO_TLS_AFTER_STARTTLS);
    }
    if (decided)
        a->changing = false;
}

static uint64_t dir_pkts(const Flow *f, int dir)
{
    return dir == 0 ? f->pkts_toserver : f->pkts_toclient;
}

static AppProto dir_proto(const Flow *f, int dir)
{
    return dir == 0 ? f->app_proto_ts : f->app_proto_tc;
}

/* Detection of `dir` is over with `proto`; the packet that carries the
 * mark is this one when it goes that way, else the next one that does. */
static void mark_detect_done(AppLayerThread *at, Flow *f, AppFlow *a, int dir, AppProto proto)
{
    a->dir_done[dir] = true;
    if (dir == 0)
        f->app_proto_ts = proto;
    else
        f->app_proto_tc = proto;
    const Packet *p = at->pkt;
    bool this_packet = p && p->flow == f && p->to_server == (dir == 0);
    a->pd_pkt[dir] = dir_pkts(f, dir) + (this_packet ? 0 : 1);
}

bool app_layer_proto_detect_done_on(const Flow *f, const Packet *p)
{
    const AppFlow *a = f ? f->app : NULL;
    int dir = p->to_server ? 0 : 1;
    return a && a->dir_done[dir] && a->pd_pkt[dir] == dir_pkts(f, dir);
}

static void free_buf(AppFlow *a, int dir)
{
    free(a->buf[dir]);
    a->buf[dir] = NULL;
    a->len[dir] = 0;
}

/* Hands what `dir` kept while detecting to the flow's parser. */
static void feed_kept(AppLayerThread *at, Flow *f, AppFlow *a, int dir)
{
    uint8_t *b = a->buf[dir];
    uint32_t n = a->len[dir];
    a->buf[dir] = NULL;
    a->len[dir] = 0;
    if (b && a->def)
        feed(at, f, a, dir == 0, b, n, now_of(at, f));
    free(b);
}

static void direction_detected(AppLayerThread *at, Flow *f, AppFlow *a, int dir, AppProto proto);

/* Detection of `dir` gave up: it takes the other direction's protocol when
 * that one is known; the flow fails when neither found anything. */
static void direction_gave_up(AppLayerThread *at, Flow *f, AppFlow *a, int dir)
{
    int other = 1 - dir;
    if (a->dir_done[other]) {
        raise_pkt_event(at, f, APP_PKT_EV_DETECT_PROTOCOL_ONLY_ONE_DIRECTION);
        mark_detect_done(at, f, a, dir, dir_proto(f, other));
        feed_kept(at, f, a, dir);
        return;
    }
    if (a->none[other] && f->app_proto == APP_PROTO_UNKNOWN) {
        set_failed(at, f);
        free_bufs(a);
    }
}

/* `dir` is still open while the other direction was just decided as
 * `proto`: detect it once more on what it kept (see the top comment). */
static void settle_other(AppLayerThread *at, Flow *f, AppFlow *a, int dir, AppProto proto)
{
    if (a->dir_done[dir] || a->len[dir] == 0)
        return;
    if (a->none[dir]) {
        direction_gave_up(at, f, a, dir);
        return;
    }
    bool reverse;
    AppProto p = app_detect(at->cfg, 6, dir == 0, f->sp, f->dp, a->buf[dir], a->len[dir], &reverse);
    if (p == APP_DETECT_NONE) {
        a->none[dir] = true;
        direction_gave_up(at, f, a, dir);
    } else if (p != APP_PROTO_UNKNOWN) {
        direction_detected(at, f, a, dir, p);
    } else {
        mark_detect_done(at, f, a, dir, proto);
        feed_kept(at, f, a, dir);
    }
}

static void direction_detected(AppLayerThread *at, Flow *f, AppFlow *a, int dir, AppProto proto)
{
    int other = 1 - dir;
    AppProto other_proto = a->dir_done[other] ? dir_proto(f, other) : APP_PROTO_UNKNOWN;
    mark_detect_done(at, f, a, dir, proto);
    if (other_proto != APP_PROTO_UNKNOWN) {
        /* the flow's protocol and parser stay those of the other side */
        if (other_proto != proto)
            raise_pkt_event(at, f, APP_PKT_EV_MISMATCH_PROTOCOL_BOTH_DIRECTIONS);
        feed_kept(at, f, a, dir);
        return;
    }
    set_proto(at, f, proto);
    if (!attach(at, f, a, proto)) {
        free_buf(a, dir);
        settle_other(at, f, a, other, proto);
        return;
    }
    /* the direction that sent first is parsed first (Suricata's
     * data_first_seen_dir), e.g. an FTP/SMTP server greeting */
    if (a->first_dir == other)
        settle_other(at, f, a, other, proto);
    feed_kept(at, f, a, dir);
    settle_other(at, f, a, other, proto);
}

/* midstream: a session picked up midstream (not from a SYN/ACK) whose
 * first direction is found to be the server's is reversed, as Suricata's
 * TCPProtoDetect does: here by flipping what the app-layer keeps per
 * direction now and the flow itself after the stream stage. Only while the
 * other direction has sent nothing and neither is decided. */
static bool reversal_allowed(const Flow *f, const AppFlow *a, int dir)
{
    return a->len[1 - dir] == 0 && !a->dir_done[0] && !a->dir_done[1] && stream_tcp_midstream_reversible(f);
}

static void reverse_directions(AppFlow *a)
{
    uint8_t *b = a->buf[0];
    a->buf[0] = a->buf[1];
    a->buf[1] = b;
    uint32_t l = a->len[0];
    a->len[0] = a->len[1];
    a->len[1] = l;
    bool n = a->none[0];
    a->none[0] = a->none[1];
    a->none[1] = n;
    if (a->first_dir >= 0)
        a->first_dir = (int8_t)(1 - a->first_dir);
    a->reverse_pending = true;
}

/* this direction's data matched none of its own patterns but one of the
 * other side's (an HTTP reply sent to the "server") */
static AppProto detect_reversed(AppLayerThread *at, Flow *f, AppFlow *a, int dir)
{
    if (!reversal_allowed(f, a, dir))
        return APP_PROTO_UNKNOWN;
    bool reverse;
    AppProto p = app_detect(at->cfg, 6, dir != 0, f->sp, f->dp, a->buf[dir], a->len[dir], &reverse);
    if (p == APP_PROTO_UNKNOWN || p == APP_DETECT_NONE || reverse)
        return APP_PROTO_UNKNOWN;
    reverse_directions(a);
    return p;
}

bool app_layer_take_reverse(Flow *f)
{
    AppFlow *a = f->app;
    if (!a || !a->reverse_pending)
        return false;
    a->reverse_pending = false;
    return true;
}

/* Both directions undecided: give up on detection when one direction
 * holds too much undecided data, as Suricata's
 * TCPProtoDetectCheckBailConditions does, so that unbalanced sessions (an
 * FTP data channel, a large upload) do not hold it forever -- more than
 * twice its limit (stream_tcp_detect_state) in either direction, or more
 * than the limit in a direction detection gave up on while the other
 * sent nothing or is still waiting for more. The flow becomes "failed"
 * and the packet gets APPLAYER_PROTO_DETECTION_SKIPPED. */
static void check_bail(AppLayerThread *at, Flow *f, AppFlow *a)
{
    uint64_t avail[2];
    uint32_t limit[2];
    if (a->changing || f->app_proto != APP_PROTO_UNKNOWN || !stream_tcp_detect_state(f, avail, limit))
        return;
    const uint64_t ts = avail[0], tc = avail[1];
    const uint32_t ts_limit = limit[0], tc_limit = limit[1];
    /* a direction detection still waits on: it has data, not enough */
    const bool ts_waiting = !a->none[0] && a->len[0] > 0, tc_waiting = !a->none[1] && a->len[1] > 0;
    bool skip = tc > 2 * (uint64_t)tc_limit || ts > 2 * (uint64_t)ts_limit;
    skip = skip || (a->none[0] && ts > ts_limit && tc == 0) || (a->none[1] && tc > tc_limit && ts == 0);
    skip = skip || (a->none[1] && tc > tc_limit && ts_waiting) || (a->none[0] && ts > ts_limit && tc_waiting);
    if (!skip)
        return;
    raise_pkt_event(at, f, APP_PKT_EV_PROTO_DETECTION_SKIPPED);
    set_failed(at, f);
    free_bufs(a);
}

/* Data of a direction still being detected. */
static void detect_tcp_data(AppLayerThread *at, Flow *f, AppFlow *a, bool to_server, const uint8_t *data,
                            uint32_t len)
{
    int dir = to_server ? 0 : 1;
    void *fd_state = NULL;
    if (a->first_dir < 0 && !a->orig_proto && at->cfg->proto[8].tcp_parse && app_ftp_data_claim(f, &fd_state)) {
        /* an announced FTP data channel (Suricata's expectation) */
        set_proto(at, f, 8);
        a->def = &app_ftp_data_def;
        a->state = fd_state;
        mark_detect_done(at, f, a, 0, 8);
        mark_detect_done(at, f, a, 1, 8);
        feed(at, f, a, to_server, data, len, now_of(at, f));
        return;
    }
    if (a->first_dir < 0)
        a->first_dir = (int8_t)dir;
    if (!keep(a, dir, data, len)) {
        a->none[dir] = true;
    } else if (!a->none[dir]) {
        bool reverse;
        AppProto p = app_detect(at->cfg, 6, to_server, f->sp, f->dp, a->buf[dir], a->len[dir], &reverse);
        if (p != APP_PROTO_UNKNOWN && p != APP_DETECT_NONE && reverse && reversal_allowed(f, a, dir)) {
            /* the detector itself saw the other side's message (a DNS
             * response sent to the "server") */
            reverse_directions(a);
            to_server = !to_server;
            dir = 1 - dir;
        } else if (p == APP_PROTO_UNKNOWN || p == APP_DETECT_NONE) {
            AppProto r = detect_reversed(at, f, a, dir);
            if (r != APP_PROTO_UNKNOWN) {
                p = r;
                to_server = !to_server;
                dir = 1 - dir;
            }
        }
        if (p == APP_PROTO_UNKNOWN && a->len[dir] >= APP_DETECT_GIVE_UP)
            p = APP_DETECT_NONE;
        if (p == APP_DETECT_NONE) {
            a->none[dir] = true;
        } else if (p != APP_PROTO_UNKNOWN) {
            direction_detected(at, f, a, dir, p);
            return;
        }
    }
    if (a->none[dir])
        direction_gave_up(at, f, a, dir);
    check_bail(at, f, a);
}

void app_layer_tcp_data(AppLayerThread *at, Flow *f, bool to_server, const uint8_t *data, uint32_t len)
{
    AppFlow *a = app_flow(f);
    if (a && a->reverse_pending)
        to_server = !to_server;
    int dir = to_server ? 0 : 1;
    if (!a || !len)
        return;
    if (a->dir_done[dir]) {
        if (a->def)
            feed(at, f, a, to_server, data, len, now_of(at, f));
        return;
    }
    if (f->app_proto == APP_PROTO_FAILED)
        return;
    bool changing = a->changing;
    detect_tcp_data(at, f, a, to_server, data, len);
    if (changing && a->changing)
        change_progress(at, f, a);
}

void app_layer_tcp_gap(AppLayerThread *at, Flow *f, bool to_server, uint32_t len)
{
    AppFlow *a = f->app;
    if (!a)
        return;
    if (a->reverse_pending)
        to_server = !to_server;
    int dir = to_server ? 0 : 1;
    if (a->def && !a->dir_done[dir]) /* what came before the gap first */
        settle_other(at, f, a, dir, f->app_proto);
    if (a->def) {
        a->gen++;
        app_frames_gap(a->frames, to_server, len); /* frames */
        const uint64_t triggers = a->def->raw_triggers ? a->def->raw_triggers(a->state, to_server) : 0;
        if (a->def->gap)
            a->def->gap(a->state, to_server, len);
        /* raw stream: a gap can end a message (an HTTP body) too */
        if (a->def->raw_triggers && a->def->raw_triggers(a->state, to_server) != triggers)
            stream_tcp_trigger_raw(f, to_server);
        CounterId c = app_layer_error_counter(a->def->proto, true);
        if (c != CTR_MAX && at->ctr)
            ctr_inc(at->ctr, c);
        return;
    }
    if (a->dir_done[dir] || f->app_proto == APP_PROTO_FAILED)
        return;
    a->none[dir] = true;
    direction_gave_up(at, f, a, dir);
}

/* files: a direction that reached the reassembly depth ends with its open
 * files cut short -- Suricata's file logging marks them TRUNCATED once the
 * depth is reached: the parser still hands on what it holds, and its close
 * is a truncation (AppFile.depth_cut). */
static void mark_open_files_cut(const AppFlow *a, bool to_server)
{
    const AppParserDef *def = a->def;
    if (!def->tx_files || !def->tx_count || !def->tx_get || !a->state)
        return;
    uint64_t n = def->tx_count(a->state);
    for (uint64_t id = 0; id < n; id++) {
        void *tx = def->tx_get(a->state, id);
        AppFileContainer *c = tx ? def->tx_files(tx, to_server) : NULL;
        for (AppFile *file = c ? c->head : NULL; file; file = file->next)
            if (file->state == APP_FILE_OPEN)
                file->depth_cut = true;
    }
}

void app_layer_tcp_end(AppLayerThread *at, Flow *f, bool to_server)
{
    AppFlow *a = f->app;
    if (a && a->reverse_pending)
        to_server = !to_server;
    if (a && a->def && !a->dir_done[to_server ? 0 : 1]) /* what it kept while undecided */
        settle_other(at, f, a, to_server ? 0 : 1, f->app_proto);
    if (!a || !a->def)
        return;
    a->gen++;
    app_frames_end(a->frames, to_server); /* frames */
    if (stream_tcp_depth_reached_dir(f, to_server))
        mark_open_files_cut(a, to_server); /* files */
    if (a->def->end)
        a->def->end(a->state, to_server);
    output_now_or_after_packet(at, f, a);
}

void app_layer_udp(AppLayerThread *at, Packet *p)
{
    Flow *f = p->flow;
    if (!f || p->proto != 17)
        return;
    /* an empty datagram still takes its direction's one detection attempt
     * (and fails it), as Suricata's AppLayerHandleUdp runs detection on
     * every datagram of an undecided direction: a UDP scan's probes are
     * app_proto "failed"; a parser is only handed data */
    if (!p->payload_len && f->app_proto != APP_PROTO_UNKNOWN)
        return;
    AppFlow *a = app_flow(f);
    if (!a)
        return;
    const uint8_t *d = packet_payload(p);
    at->pkt = p;
    if (!a->def) {
        int dir = p->to_server ? 0 : 1;
        if (a->tried[dir] || (f->app_proto != APP_PROTO_UNKNOWN && f->app_proto != APP_PROTO_FAILED)) {
            at->pkt = NULL;
            return;
        }
        a->tried[dir] = true;
        bool reverse;
        AppProto proto = app_detect(at->cfg, 17, p->to_server, f->sp, f->dp, d, p->payload_len, &reverse);
        if (proto == APP_PROTO_UNKNOWN || proto == APP_DETECT_NONE) {
            set_failed(at, f);
            at->pkt = NULL;
            return;
        }
        if (reverse) {
            flow_swap(f);
            p->to_server = !p->to_server;
            bool t = a->tried[0];
            a->tried[0] = a->tried[1];
            a->tried[1] = t;
        }
        set_proto(at, f, proto);
        f->app_proto_ts = f->app_proto_tc = proto;
        int done_dir = p->to_server ? 0 : 1;
        a->dir_done[done_dir] = true;
        a->pd_pkt[done_dir] = dir_pkts(f, done_dir);
        if (!attach(at, f, a, proto)) {
            at->pkt = NULL;
            return;
        }
    }
    if (p->payload_len)
        feed(at, f, a, p->to_server, d, p->payload_len, p->ts);
    at->pkt = NULL;
}

bool app_layer_flow_bypass_ready(const Flow *f)
{
    const AppFlow *a = f->app;
    return a && a->def && a->def->bypass_ready && a->state && a->def->bypass_ready(a->state);
}

void app_layer_flow_dropped(Flow *f)
{
    if (f->app)
        f->app->dropped = true;
}

void app_layer_flow_end(AppLayerThread *at, Flow *f)
{
    AppFlow *a = f->app;
    if (a && a->def && !a->dropped)
        app_output_flow(at, f, true);
    if (a && a->def && a->state && a->def->tx_count)
        f->app_tx_cnt = a->def->tx_count(a->state);
    if (a && a->changing && f->app_proto == APP_PROTO_UNKNOWN)
        f->app_proto = a->orig_proto; /* the change never decided anything */
    f->app_proto_orig = app_layer_orig_proto(f);
    f->app_proto_expect = app_layer_expected_proto(f);
    app_layer_flow_free(f);
}

CounterId app_layer_flow_counter(AppProto proto, uint8_t ipproto)
{
    bool tcp = ipproto == 6;
    switch (proto) {
    case 1: return CTR_APP_FLOW_HTTP;
    case 3: return tcp ? CTR_APP_FLOW_DNS_TCP : CTR_APP_FLOW_DNS_UDP;
    case 4: return CTR_APP_FLOW_TLS;
    case 5: return CTR_APP_FLOW_SSH;
    case 6: return CTR_APP_FLOW_SMTP;
    case 7: return CTR_APP_FLOW_FTP;
    case 8: return CTR_APP_FLOW_FTP_DATA;
    case APP_PROTO_DHCP: return CTR_APP_FLOW_DHCP;
    case APP_PROTO_HTTP2: return CTR_APP_FLOW_HTTP2;
    case APP_PROTO_FAILED: return tcp ? CTR_APP_FLOW_FAILED_TCP : CTR_APP_FLOW_FAILED_UDP;
    default: return CTR_MAX;
    }
}

CounterId app_layer_tx_counter(AppProto proto, uint8_t ipproto)
{
    bool tcp = ipproto == 6;
    switch (proto) {
    case 1: return CTR_APP_TX_HTTP;
    case 3: return tcp ? CTR_APP_TX_DNS_TCP : CTR_APP_TX_DNS_UDP;
    case 4: return CTR_MAX; /* Suricata counts no TLS transactions (the state is the tx) */
    case 5: return CTR_APP_TX_SSH;
    case 6: return CTR_APP_TX_SMTP;
    case 7: return CTR_APP_TX_FTP;
    case APP_PROTO_DHCP: return CTR_APP_TX_DHCP;
    case APP_PROTO_HTTP2: return CTR_APP_TX_HTTP2;
    default: return CTR_MAX;
    }
}

/* wire: app_layer.error.<proto>.gap / .parser for the integrated TCP
 * protocols (HTTP's parser errors are not told apart from its tunnels). */
CounterId app_layer_error_counter(AppProto proto, bool gap)
{
    switch (proto) {
    case 1: return gap ? CTR_APP_ERR_HTTP_GAP : CTR_MAX;
    case 4: return gap ? CTR_APP_ERR_TLS_GAP : CTR_APP_ERR_TLS_PARSER;
    case 5: return gap ? CTR_APP_ERR_SSH_GAP : CTR_APP_ERR_SSH_PARSER;
    case 6: return gap ? CTR_APP_ERR_SMTP_GAP : CTR_APP_ERR_SMTP_PARSER;
    case 7: return gap ? CTR_APP_ERR_FTP_GAP : CTR_APP_ERR_FTP_PARSER;
    default: return CTR_MAX;
    }
}
