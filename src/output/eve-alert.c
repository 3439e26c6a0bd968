/*
 * EVE `alert` records (see eve-alert.h). Field order follows Suricata 8's
 * AlertJson: header, alert{...}, tunnel{...} (packets found inside another,
 * eve-tunnel.h), app_proto, direction, flow{...}, then frame (frames: an
 * alert on a frame), payload, payload_printable (a stream payload with its
 * holes written in as "[N bytes missing]"), stream, packet,
 * packet_info{linktype, linktype_name}. An IDS alert that matched in the
 * raw stream shows, as Suricata, all of the stream still stored for the
 * packet's direction (eve_stream_stored; the worker releases stored data
 * only after the alerts are written). A transaction alert over TCP shows
 * the stream of its packet's direction so far as its payload; the
 * `payload-length` option adds payload_length. A stream payload is kept
 * to its first payload-buffer-size - 1 bytes (4095 by default), as
 * Suricata 8 writes it into a buffer of that size and stops when full. Values the signature's pcre
 * captured go to alert.context (alert variables) and metadata.flowvars /
 * metadata.pktvars.
 *
 * sdp: alerts of sd_pattern rules carry `alert.sd_pattern` (type, count,
 * masked matches; see detect/sd-alert.h), and their payload,
 * payload_printable, packet and transaction object are written from copies
 * in which every valid card number, IBAN and SSN is masked.
 */
#include "output/eve-alert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app-layer.h" /* buf: transaction object of app-layer alerts */
#include "app/dns/dns.h"
#include "app/frame-types.h" /* frames: frame type names */
#include "app/frames.h" /* frames: the alert's frame object */
#include "app/tls/tls.h"
#include "detect/app-proto.h"
#include "detect/detect.h" /* the flow's stream windows: payload of transaction alerts */
#include "detect/pcre-match.h" /* pcre captures: variable kinds */
#include "detect/sd-alert.h" /* sdp: sd_pattern results and masking */
#include "detect/dataset-alert.h" /* dataset: datajson context */
#include "output/eve-fileinfo.h" /* files: the alert's files array */
#include "output/eve-stream-gaps.h"
#include "output/eve-tunnel.h"
#include "util/log.h"

static bool opt_bool(ConfNode *n, const char *key, bool dflt)
{
    bool v = dflt;
    if (n)
        conf_node_get_bool(n, key, &v);
    return v;
}

void eve_alert_config_read(Conf *conf, EveAlertConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->metadata = true;
    cfg->payload_buffer_size = EVE_ALERT_PAYLOAD_BUFFER_DEFAULT;
    eve_xff_config_read(NULL, &cfg->xff);
    ConfNode *eve = conf ? output_find(conf, "eve-log") : NULL;
    ConfNode *types = eve ? conf_node_child(eve, "types") : NULL;
    ConfNode *opts = NULL;
    for (ConfNode *t = types ? types->first_child : NULL; t; t = t->next) {
        if (t->value && strcmp(t->value, "alert") == 0) {
            opts = conf_node_child(t, "alert");
            break;
        }
    }
    if (!opts)
        return;
    cfg->payload = opt_bool(opts, "payload", false);
    cfg->payload_printable = opt_bool(opts, "payload-printable", false);
    cfg->payload_length = opt_bool(opts, "payload-length", false);
    cfg->packet = opt_bool(opts, "packet", false);
    cfg->metadata = opt_bool(opts, "metadata", true);
    cfg->tagged_packets = opt_bool(opts, "tagged-packets", false);
    cfg->verdict = opt_bool(opts, "verdict", false);
    eve_xff_config_read(conf_node_child(opts, "xff"), &cfg->xff);
    uint64_t size = 0;
    if (conf_node_get_size(opts, "payload-buffer-size", &size)) {
        if (size == 0 || size > UINT32_MAX) /* Suricata refuses to start */
            od_error("eve-log alert payload-buffer-size: %llu is not a valid size, using %u",
                     (unsigned long long)size, (unsigned)EVE_ALERT_PAYLOAD_BUFFER_DEFAULT);
        else
            cfg->payload_buffer_size = (uint32_t)size;
    }
}

static void jb_base64(JsonBuf *j, const char *key, const uint8_t *d, uint32_t n)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    JsonBuf tmp;
    jb_init(&tmp);
    for (uint32_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)d[i + 1] << 8;
        if (i + 2 < n)
            v |= d[i + 2];
        char out[4] = { tbl[(v >> 18) & 63], tbl[(v >> 12) & 63], i + 1 < n ? tbl[(v >> 6) & 63] : '=',
                        i + 2 < n ? tbl[v & 63] : '=' };
        jb_append(&tmp, out, 4);
    }
    jb_strn(j, key, (const uint8_t *)(tmp.buf ? tmp.buf : ""), tmp.len);
    jb_free(&tmp);
}

static void jb_printable(JsonBuf *j, const char *key, const uint8_t *d, uint32_t n)
{
    JsonBuf tmp;
    jb_init(&tmp);
    for (uint32_t i = 0; i < n; i++) {
        char c = (d[i] >= 0x20 && d[i] < 0x7f) || d[i] == '\n' || d[i] == '\r' || d[i] == '\t' ? (char)d[i] : '.';
        jb_append(&tmp, &c, 1);
    }
    jb_strn(j, key, (const uint8_t *)(tmp.buf ? tmp.buf : ""), tmp.len);
    jb_free(&tmp);
}

static bool has_ports(uint8_t proto) { return proto == 6 || proto == 17 || proto == 132; }

static void source_target(JsonBuf *j, const Packet *p, const Signature *s)
{
    char a[64], b[64];
    address_format(&p->src_addr, a, sizeof(a));
    address_format(&p->dst_addr, b, sizeof(b));
    /* target dest_ip: the packet's destination is the target */
    bool dst_is_target = (s->flags & SIG_FLAG_TARGET_DST) != 0;
    const char *src_ip = dst_is_target ? a : b, *tgt_ip = dst_is_target ? b : a;
    uint16_t src_port = dst_is_target ? p->sp : p->dp, tgt_port = dst_is_target ? p->dp : p->sp;
    jb_open_object(j, "source");
    jb_str(j, "ip", src_ip);
    if (has_ports(p->proto))
        jb_uint(j, "port", src_port);
    jb_close_object(j);
    jb_open_object(j, "target");
    jb_str(j, "ip", tgt_ip);
    if (has_ports(p->proto))
        jb_uint(j, "port", tgt_port);
    jb_close_object(j);
}

static void metadata(JsonBuf *j, const Signature *s)
{
    if (!s->meta_count)
        return;
    jb_open_object(j, "metadata");
    for (uint16_t i = 0; i < s->meta_count; i++) {
        bool seen = false;
        for (uint16_t k = 0; k < i && !seen; k++)
            seen = strcmp(s->meta[k].key, s->meta[i].key) == 0;
        if (seen)
            continue;
        jb_open_array(j, s->meta[i].key);
        for (uint16_t k = i; k < s->meta_count; k++)
            if (strcmp(s->meta[k].key, s->meta[i].key) == 0)
                jb_str(j, NULL, s->meta[k].value);
        jb_close_array(j);
    }
    jb_close_object(j);
}

static void flow_object(JsonBuf *j, const Packet *p)
{
    const Flow *f = p->flow;
    char tbuf[64], a[64], b[64];
    jb_open_object(j, "flow");
    jb_uint(j, "pkts_toserver", f->pkts_toserver);
    jb_uint(j, "pkts_toclient", f->pkts_toclient);
    jb_uint(j, "bytes_toserver", f->bytes_toserver);
    jb_uint(j, "bytes_toclient", f->bytes_toclient);
    jb_str(j, "start", od_time_format(f->start, tbuf, sizeof(tbuf)));
    address_format(&p->src_addr, a, sizeof(a));
    address_format(&p->dst_addr, b, sizeof(b));
    bool tc = !p->to_server;
    jb_str(j, "src_ip", tc ? b : a);
    jb_str(j, "dest_ip", tc ? a : b);
    if (has_ports(p->proto) && (p->sp || p->dp)) {
        jb_uint(j, "src_port", tc ? p->dp : p->sp);
        jb_uint(j, "dest_port", tc ? p->sp : p->dp);
    }
    jb_close_object(j);
}

/* buf: `"http": {...}` (dns, tls, ssh, smtp with email, ftp, ftp_data) of the alert's
 * transaction: the protocol's transaction record with the logger's default settings. */
static void eve_alert_tx_object(JsonBuf *j, Flow *f, uint64_t tx_id)
{
    if (f->app_proto < 1 || f->app_proto > 8) /* http, dns, tls, ssh, smtp, ftp, ftp-data */
        return;
    const AppParserDef *def = app_layer_parser(f->app_proto);
    void *state = app_layer_state(f, f->app_proto);
    if (!def || !state || !def->tx_get || !def->log_tx)
        return;
    void *tx = def->tx_get(state, tx_id);
    if (!tx)
        return;
    if (f->app_proto == 4) { /* Suricata logs the extended tls object in alerts */
        TlsLogConfig tc;
        tls_log_config_default(&tc);
        tc.fields = TLS_LOG_EXTENDED;
        tls_log_tx(j, tx, &tc);
        return;
    }
    if (f->app_proto == 3) {
        DnsLogConfig dc;
        dns_log_config_default(&dc);
        dns_log_tx(j, tx, &dc);
        return;
    }
    def->log_tx(j, tx, NULL, 0);
}

/* sdp: for an sd_pattern alert, a masked copy of d (malloc'ed: *owned is
 * set and the caller frees it); otherwise d itself. NULL when out of
 * memory: the field is then left out rather than written unmasked. */
static const uint8_t *sd_masked_copy(const SdAlertInfo *sd, const uint8_t *d, uint32_t n, uint8_t **owned)
{
    *owned = NULL;
    if (!sd || n == 0)
        return d;
    uint8_t *copy = malloc(n);
    if (!copy)
        return NULL;
    memcpy(copy, d, n);
    sd_alert_mask_output(sd, copy, n);
    *owned = copy;
    return copy;
}

/* verdict: the alert object's fields (the caller closes the object) */
static void alert_fields(JsonBuf *j, const DetectEngine *de, const Packet *p, const Signature *s, SigAction action,
                         bool with_metadata)
{
    jb_open_object(j, "alert");
    jb_str(j, "action", detect_alert_action_name(de, action));
    jb_uint(j, "gid", s->gid);
    jb_uint(j, "signature_id", s->sid);
    jb_uint(j, "rev", s->rev);
    jb_str(j, "signature", s->msg ? s->msg : "");
    jb_str(j, "category", s->class_desc ? s->class_desc : "");
    jb_uint(j, "severity", (uint64_t)s->priority);
    if (s->flags & (SIG_FLAG_TARGET_SRC | SIG_FLAG_TARGET_DST))
        source_target(j, p, s);
    if (with_metadata)
        metadata(j, s);
}

void eve_alert_object(JsonBuf *j, const DetectEngine *de, const Packet *p, const Signature *s, SigAction action,
                      bool with_metadata)
{
    alert_fields(j, de, p, s, action, with_metadata);
    jb_close_object(j);
}

static bool is_reject(SigAction a)
{
    return a == SIG_ACTION_REJECT || a == SIG_ACTION_REJECTSRC || a == SIG_ACTION_REJECTDST ||
           a == SIG_ACTION_REJECTBOTH;
}

void eve_verdict_object(JsonBuf *j, const DetectThread *dt, const Packet *p)
{
    bool reject = dt->drop_sig && is_reject(dt->drop_action);
    SigAction reject_action = dt->drop_action;
    for (uint32_t i = 0; !reject && i < dt->alert_count; i++)
        if (is_reject(dt->alerts[i].action)) {
            reject = true;
            reject_action = dt->alerts[i].action;
        }
    const bool ips = dt->de && dt->de->ips;
    jb_open_object(j, "verdict");
    if (reject) {
        jb_str(j, "action", ips ? "drop" : "alert");
        const char *target = reject_action == SIG_ACTION_REJECTDST    ? "to_server"
                             : reject_action == SIG_ACTION_REJECTBOTH ? "both"
                                                                      : "to_client";
        jb_str(j, "reject-target", target);
        jb_open_array(j, "reject");
        if (p->proto == 6)
            jb_str(j, NULL, "tcp-reset");
        else if (p->proto == 17 || p->proto == 1 || p->proto == 58)
            jb_str(j, NULL, "icmp-prohib");
        jb_close_array(j);
    } else if (dt->drop && ips) {
        jb_str(j, "action", "drop");
    } else if (dt->pass) {
        jb_str(j, "action", "pass");
    } else {
        jb_str(j, "action", "alert");
    }
    jb_close_object(j);
}

/* frames: the `frame` object of an alert on a frame (Suricata 8's frame
 * record fields): type, id, direction, stream_offset, length (of the bytes
 * so far when the length is not known), complete, the payload (at most
 * EVE_FRAME_PAYLOAD_MAX bytes) base64 and printable, tx_id when it has one. */
#define EVE_FRAME_PAYLOAD_MAX 4096u
static void frame_object(JsonBuf *j, const Packet *p, int64_t frame_id)
{
    const AppFrames *fr = app_layer_frames(p->flow);
    const AppFrame *frm = app_frames_find(fr, frame_id);
    if (!frm)
        return;
    const uint8_t *d = NULL;
    uint32_t n = 0;
    app_frame_data(fr, frm, &d, &n);
    const char *type = frame_type_name(fr->proto, frm->type);
    jb_open_object(j, "frame");
    jb_str(j, "type", type ? type : "unknown");
    jb_int(j, "id", frm->id);
    jb_str(j, "direction", frm->to_server ? "toserver" : "toclient");
    jb_uint(j, "stream_offset", frm->offset);
    jb_uint(j, "length", frm->len >= 0 ? (uint64_t)frm->len : n);
    jb_bool(j, "complete", app_frame_complete(fr, frm));
    if (n > EVE_FRAME_PAYLOAD_MAX)
        n = EVE_FRAME_PAYLOAD_MAX;
    jb_base64(j, "payload", d ? d : (const uint8_t *)"", n);
    jb_printable(j, "payload_printable", d ? d : (const uint8_t *)"", n);
    if (frm->tx_id >= 0)
        jb_uint(j, "tx_id", (uint64_t)frm->tx_id);
    jb_close_object(j);
}

/* pcre captures: the alert variables of signature s as alert.context */
static void captures_context(JsonBuf *j, const DetectThread *dt, const Signature *s)
{
    bool open = false;
    for (uint32_t i = 0; i < dt->capture_count; i++) {
        const DetectCapture *c = &dt->captures[i];
        if (c->s != s || c->kind != PCRE_CAPTURE_ALERT)
            continue;
        if (!open)
            jb_open_object(j, "context");
        open = true;
        jb_strn(j, c->name, c->value, c->len);
    }
    if (open)
        jb_close_object(j);
}

/* pcre captures: s's flow and packet variables as metadata.flowvars and
 * metadata.pktvars ([{name: value}, ...]), unless the record has a
 * metadata object already (flowbits) */
static void captures_metadata(JsonBuf *j, const DetectThread *dt, const Signature *s)
{
    static const struct {
        uint8_t kind;
        const char *key;
    } lists[] = { { PCRE_CAPTURE_FLOW, "flowvars" }, { PCRE_CAPTURE_PKT, "pktvars" } };
    bool any = false;
    for (uint32_t i = 0; i < dt->capture_count; i++)
        any |= dt->captures[i].s == s && dt->captures[i].kind != PCRE_CAPTURE_ALERT;
    if (!any || (j->buf && memmem(j->buf, j->len, "\"metadata\":", 11)))
        return;
    jb_open_object(j, "metadata");
    for (unsigned l = 0; l < 2; l++) {
        bool open = false;
        for (uint32_t i = 0; i < dt->capture_count; i++) {
            const DetectCapture *c = &dt->captures[i];
            if (c->s != s || c->kind != lists[l].kind)
                continue;
            if (!open)
                jb_open_array(j, lists[l].key);
            open = true;
            jb_open_object(j, NULL);
            jb_strn(j, c->name, c->value, c->len);
            jb_close_object(j);
        }
        if (open)
            jb_close_array(j);
    }
    jb_close_object(j);
}

void eve_log_alert(Eve *eve, JsonBuf *j, const EveAlertConfig *cfg, const DetectThread *dt, const Packet *p,
                   const DetectAlert *a)
{
    if (!eve->file || !eve->cfg.alert)
        return;
    const DetectEngine *de = dt->de;
    const uint8_t *stream = dt->stream_buf;
    const uint32_t stream_len = dt->stream_len;
    const Signature *s = a->s;
    const SdAlertInfo *sd = sd_alert_lookup(s); /* sdp */
    char xff[EVE_XFF_IP_MAX];
    bool has_xff = p->flow && eve_xff_ip(&cfg->xff, p->flow, (a->flags & DETECT_ALERT_TX) != 0, a->tx_id, xff);
    bool xff_over = has_xff && cfg->xff.overwrite;
    eve_open_packet_record_ips(eve, j, p, "alert", xff_over && p->to_server ? xff : NULL,
                               xff_over && !p->to_server ? xff : NULL);
    if (a->flags & DETECT_ALERT_TX) /* buf: app-layer transaction */
        jb_uint(j, "tx_id", a->tx_id);
    if (a->flags & DETECT_ALERT_TX_GUESSED) /* detect.guess-applayer-tx */
        jb_bool(j, "tx_guessed", true);
    alert_fields(j, de, p, s, a->action, cfg->metadata);
    if (has_xff && !xff_over)
        jb_str(j, "xff", xff);
    if (sd) /* sdp */
        sd_alert_json(j, sd);
    dataset_alert_json(j, s, p); /* dataset: datajson `context` */
    captures_context(j, dt, s);
    jb_close_object(j);
    eve_alert_tunnel(j, p);
    if (p->flow && (a->flags & DETECT_ALERT_TX)) { /* buf: the transaction's app-layer object */
        const size_t tx_start = j->len;
        eve_alert_tx_object(j, p->flow, a->tx_id);
        if (sd && j->buf && j->len > tx_start) /* sdp: e.g. a card number in http.url */
            sd_alert_mask_json(sd, j->buf + tx_start, j->len - tx_start);
        if (cfg->metadata) /* files: the transaction's files, as Suricata's AlertAddFiles */
            eve_fileinfo_alert_files(j, p->flow, a->tx_id, p->to_server);
    }
    if (p->flow) {
        const char *ap = app_proto_name(p->flow->app_proto);
        if (ap)
            jb_str(j, "app_proto", ap);
        jb_str(j, "direction", p->to_server ? "to_server" : "to_client");
        if (cfg->metadata)
            flow_object(j, p);
    }
    captures_metadata(j, dt, s);
    if (p->flow && (a->flags & DETECT_ALERT_FRAME)) /* frames */
        frame_object(j, p, a->frame_id);
    if (cfg->payload || cfg->payload_printable || cfg->payload_length) {
        bool st = p->proto == 6 && (a->flags & DETECT_ALERT_STREAM) && stream;
        const uint8_t *d = st ? stream : packet_payload(p);
        uint32_t n = st ? stream_len : p->payload_len;
        /* a stream payload is kept to Suricata's payload buffer, its
         * start first: the first payload-buffer-size - 1 bytes */
        const uint32_t limit = eve_stream_payload_limit(cfg->payload_buffer_size);
        /* IDS raw stream: as Suricata, all the stream still stored for
         * the packet's direction, up to its not yet acknowledged bytes */
        uint8_t *gapped =
            st && dt->stream_ids && p->flow ? eve_stream_stored(p->flow, p->to_server, limit, &n) : NULL;
        if (st && !gapped)
            gapped = eve_stream_with_gaps(stream, &n, dt->stream_gaps, dt->stream_gap_count, dt->stream_gap_base);
        /* a transaction alert over TCP: as Suricata 8, the stream of the
         * packet's direction so far, holes written in */
        const DetectStreamDir *txs = !st && p->proto == 6 && (a->flags & DETECT_ALERT_TX) && p->flow &&
                                             p->flow->detect
                                         ? &p->flow->detect->dir[p->to_server ? 0 : 1]
                                         : NULL;
        if (txs && txs->len) {
            d = txs->buf;
            n = txs->len;
            gapped = eve_stream_with_gaps(txs->buf, &n, txs->gaps, txs->gap_count, 0);
        }
        if (gapped)
            d = gapped;
        uint8_t *masked = NULL;
        d = sd_masked_copy(sd, d, n, &masked); /* sdp */
        bool stream_payload = st || (txs && txs->len);
        if (stream_payload && n > limit)
            n = limit; /* payload, payload_printable and payload_length alike */
        if (stream_payload && n == 0) { /* nothing fits: the packet's payload, as Suricata */
            d = packet_payload(p);
            n = p->payload_len;
        }
        if (n && d) {
            if (cfg->payload)
                jb_base64(j, "payload", d, n);
            if (cfg->payload_printable)
                jb_printable(j, "payload_printable", d, n);
        }
        if (cfg->payload_length)
            jb_uint(j, "payload_length", d ? n : 0);
        if (cfg->payload || cfg->payload_printable)
            jb_uint(j, "stream", stream_payload ? 1 : 0);
        free(masked);
        free(gapped);
    }
    uint8_t *masked_pkt = NULL;
    const uint8_t *pkt = cfg->packet && p->len ? sd_masked_copy(sd, p->buf, p->len, &masked_pkt) : NULL; /* sdp */
    if (pkt) {
        jb_base64(j, "packet", pkt, p->len);
        jb_open_object(j, "packet_info");
        jb_uint(j, "linktype", (uint64_t)p->datalink);
        const char *linktype_name = packet_linktype_name(p->datalink);
        if (linktype_name)
            jb_str(j, "linktype_name", linktype_name);
        jb_close_object(j);
    }
    free(masked_pkt);
    if (cfg->verdict)
        eve_verdict_object(j, dt, p);
    eve_write_record(eve, j, true);
}
