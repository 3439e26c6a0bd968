/*
 * Logging a flow's transactions: in id order, every transaction complete
 * in both directions (or all of them when the flow ends) is counted in
 * app_layer.tx.<proto>, gets one EVE `anomaly` record per parser event
 * (Suricata 8's applayer anomaly: app_proto, type "applayer", event, layer
 * "proto_parser", tx_id in the header) and its protocol record(s) when the
 * eve-log `types` list enables the protocol (and no `config` rule took the
 * transaction out of logging), then one `fileinfo` record per
 * file it carried (output/eve-fileinfo.c, `files` type); then it is
 * released. The record header comes from the packet being processed, or at
 * flow end from a pseudo packet built from the flow.
 *
 * Files are logged when they close, not when their transaction ends, as
 * Suricata 8's file logger (a sub-logger of its transaction logger, run
 * for every transaction that has files, finished or not) does: a closed
 * file is logged, once, on a packet of its own direction after detection
 * inspected that packet (or when the flow ends). So a multipart upload's
 * first file, closed while the request goes on, is logged (and its store
 * record written) before a later file of the same request is inspected;
 * a request's file whose data a server packet's ACK let through waits for
 * the next client packet (AppFlow.files_waiting makes that packet log even
 * when it parsed nothing), and its transaction is kept until then.
 */
#include "app/app-internal.h"

#include <string.h>

#include "app/file.h"
#include "output/eve-fileinfo.h"

static void pseudo_packet(Packet *p, const Flow *f)
{
    memset(p, 0, sizeof(*p));
    p->ip_version = f->ip_version;
    p->proto = f->proto;
    p->src_addr = f->src;
    p->dst_addr = f->dst;
    p->sp = f->sp;
    p->dp = f->dp;
    p->ts = f->last;
    p->src = PKT_SRC_FFR;
    p->flow = (Flow *)f;
    p->to_server = true;
    memcpy(p->vlan_id, f->vlan_id, sizeof(p->vlan_id));
    p->vlan_count = f->vlan_count;
}

static void log_anomalies(AppLayerThread *at, const AppParserDef *def, const void *tx, uint64_t id,
                          const Packet *p)
{
    Eve *eve = at->eve;
    if (!eve || !eve->file || !eve->cfg.anomaly || !eve->cfg.anomaly_applayer || !def->tx_event_count)
        return;
    int n = def->tx_event_count(tx);
    for (int i = 0; i < n; i++) {
        const char *name = def->event_name ? def->event_name(def->tx_event_get(tx, i)) : NULL;
        if (!name)
            continue;
        eve_open_packet_record(eve, &at->jb, p, "anomaly");
        jb_uint(&at->jb, "tx_id", id);
        jb_open_object(&at->jb, "anomaly");
        jb_str(&at->jb, "app_proto", def->name);
        jb_str(&at->jb, "type", "applayer");
        jb_str(&at->jb, "event", name);
        jb_str(&at->jb, "layer", "proto_parser");
        jb_close_object(&at->jb);
        eve_write_record(eve, &at->jb, true);
    }
}

static void log_tx(AppLayerThread *at, const AppParserDef *def, const void *tx, uint64_t id, const Packet *p)
{
    if (!at->log_on[def->proto])
        return;
    const void *cfg = at->log_cfg[def->proto];
    bool client_src = !(def->log_dir && def->log_dir(tx, cfg) == 2);
    for (uint32_t part = 0;; part++) {
        eve_open_record_dir(at->eve, &at->jb, p, def->event_type ? def->event_type : def->name, client_src);
        if (!def->no_header_tx_id)
            jb_uint(&at->jb, "tx_id", id);
        if (!def->log_tx(&at->jb, tx, cfg, part))
            break;
        eve_write_record(at->eve, &at->jb, true);
    }
}

/* files: one fileinfo record per closed, not yet logged file of the
 * transaction, those of the packet's direction only unless the flow ends;
 * files still open when the flow ends are cut short (TRUNCATED). Closed
 * files left for a packet of the other direction are noted in waiting[].
 * Content kept for the filestore keyword goes once detection is done with
 * the transaction (`decided`): until then a rule may still ask to store a
 * file already logged. Returns true when no file of it is left to log. */
static bool log_files(AppLayerThread *at, const AppParserDef *def, void *tx, uint64_t id, const Packet *p,
                      bool flush, bool decided, bool on, bool waiting[2])
{
    if (!def->tx_files)
        return true;
    bool all_logged = true;
    for (int dir = 0; dir < 2; dir++) {
        AppFileContainer *c = def->tx_files(tx, dir == 0);
        if (!c)
            continue;
        if (flush)
            app_file_close_all(c, APP_FILE_TRUNCATED);
        bool dir_now = flush || p->to_server == (dir == 0);
        for (AppFile *f = c->head; f && on; f = f->next) {
            if (f->logged) {
                if (decided)
                    app_file_drop_kept(f);
                continue;
            }
            if (f->state == APP_FILE_OPEN || !dir_now) {
                all_logged = false;
                waiting[dir] |= f->state != APP_FILE_OPEN;
                continue;
            }
            const char *proto_name = app_proto_name(def->proto); /* "ftp-data", where the event type is ftp_data */
            EveFileinfo fi = { .p = p, .to_server = dir == 0, .app_proto = proto_name ? proto_name : def->name,
                               .app_object = def->log_tx, .tx = tx, .app_cfg = at->log_cfg[def->proto],
                               .tx_id = id };
            eve_log_fileinfo(at->eve, &at->jb, &fi, f);
            f->logged = true;
            if (decided) /* files: no rule can ask any more */
                app_file_drop_kept(f);
        }
    }
    return all_logged;
}

/* buf: detection's transaction hold (see app_layer_set_tx_hold) */
static uint64_t (*tx_hold)(const Flow *f);
void app_layer_set_tx_hold(uint64_t (*hold)(const Flow *f))
{
    tx_hold = hold;
}

/* detection's logging filter (config rules, see app_layer_set_tx_loggable) */
static bool (*tx_loggable)(const Flow *f, uint64_t tx_id);
void app_layer_set_tx_loggable(bool (*loggable)(const Flow *f, uint64_t tx_id))
{
    tx_loggable = loggable;
}

/* A finished transaction: counted, its anomalies and its record. */
static void log_one(AppLayerThread *at, const AppParserDef *def, const Flow *f, const void *tx, uint64_t id,
                    const Packet *p)
{
    CounterId c = app_layer_tx_counter(def->proto, f->proto);
    if (c != CTR_MAX && at->ctr)
        ctr_inc(at->ctr, c);
    log_anomalies(at, def, tx, id, p);
    if (!tx_loggable || tx_loggable(f, id))
        log_tx(at, def, tx, id, p);
}

/* Transactions that complete out of id order (AppParserDef.tx_logged):
 * every complete one not logged yet is logged now, open ones before it or
 * not. Returns the first id not logged, from where the in-order loop goes
 * on (it logs nothing more unless `flush`). */
static uint64_t log_out_of_order(AppLayerThread *at, const AppParserDef *def, const Flow *f, const Packet *p,
                                 bool flush)
{
    AppFlow *a = f->app;
    uint64_t n = def->tx_count(a->state);
    uint64_t first_open = a->log_next;
    bool prefix = true;
    for (uint64_t id = a->log_next; id < n; id++) {
        void *tx = def->tx_get(a->state, id);
        bool logged = !tx || def->tx_logged(tx);
        if (!logged && (flush || (def->tx_done(tx, true) && def->tx_done(tx, false)))) {
            log_one(at, def, f, tx, id, p);
            def->tx_set_logged(tx);
            logged = true;
        }
        if (prefix && logged)
            first_open = id + 1;
        else
            prefix = false;
    }
    return first_open;
}

void app_output_flow(AppLayerThread *at, Flow *f, bool flush)
{
    AppFlow *a = f->app;
    if (!a || !a->def || !a->state || !a->def->tx_count || !a->def->tx_get)
        return;
    const AppParserDef *def = a->def;
    Packet pseudo;
    const Packet *p = at->pkt;
    if (!p || p->flow != f) {
        pseudo_packet(&pseudo, f);
        p = &pseudo;
    }
    uint64_t n = def->tx_count(a->state);
    uint64_t id = a->log_next;
    if (def->tx_logged)
        id = log_out_of_order(at, def, f, p, flush);
    for (; id < n; id++) {
        void *tx = def->tx_get(a->state, id);
        if (!tx)
            continue;
        if (!flush && def->tx_done && !(def->tx_done(tx, true) && def->tx_done(tx, false)))
            break;
        if (!flush && tx_hold && def->tx_files && app_file_store_by_rules() && id >= tx_hold(f))
            break; /* files: filestore rules decide before the files are logged */
        log_one(at, def, f, tx, id, p);
    }
    a->log_next = id;
    /* files: of the logged transactions, those not yet fully logged; then
     * the closed files of the transactions still in progress (on a packet
     * of the flow only: a pseudo packet has no direction of its own) */
    bool prefix = true;
    bool waiting[2] = { false, false };
    const bool files_on = def->tx_files && at->log_files;
    uint64_t files_upto = files_on && p != &pseudo ? n : id;
    for (uint64_t fid = a->files_next; fid < files_upto; fid++) {
        void *tx = def->tx_get(a->state, fid);
        bool done = !tx || log_files(at, def, tx, fid, p, flush, fid < id, files_on, waiting);
        if (done && prefix && fid < id)
            a->files_next = fid + 1;
        else
            prefix = false;
    }
    uint8_t still = p == &pseudo && !flush ? a->files_waiting : 0; /* a pseudo packet did not look at them all */
    a->files_waiting = still | (waiting[0] ? 1u : 0u) | (waiting[1] ? 2u : 0u);
    uint64_t upto = a->files_next < id ? a->files_next : id;
    if (tx_hold && !flush) { /* buf: keep what detection has not inspected */
        uint64_t h = tx_hold(f);
        upto = h < upto ? h : upto;
    }
    if (def->tx_release && upto)
        def->tx_release(a->state, upto);
}
