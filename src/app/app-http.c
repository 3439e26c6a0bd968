/*
 * HTTP/1.x integration: the AppParserDef wrappers around src/app/http and
 * its configuration. The parser settings come from
 * `app-layer.protocols.http` (memcap) and its `libhtp.default-config` and
 * `libhtp.server-config` (read by app-http-config.c; a flow whose server
 * address a server-config entry covers gets that entry's settings), over
 * Suricata 8's defaults (100 KiB body limits). The eve-log `http` options are `extended`
 * (default no, as Suricata; the default configuration says yes), `custom`
 * (extra header fields by their Suricata names) and `dump-all-headers`
 * (request, response or both). Records are written in flow direction
 * with the transaction id in the header, one per transaction; parser events become applayer anomalies under Suricata's
 * upper-case event names. Each transaction's files (http_tx_files) are
 * logged as EVE fileinfo records by the framework; the file-tracking
 * settings are read here too (app_file_configure). A CONNECT tunnel (2xx)
 * hands the flow back to
 * protocol detection (proto_change), so TLS or plain HTTP inside it is
 * parsed afresh; a switch the framework refuses (HTTP found right after
 * another protocol's change) is FAILED_PROTOCOL_CHANGE.
 */
#include "app/app-internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/app-http-config.h"
#include "app/file.h"
#include "app/http/http.h"
#include "util/log.h"

static HttpConfig http_cfg;
static bool http_cfg_set;

static void *w_new(bool tcp)
{
    (void)tcp;
    if (!http_cfg_set) {
        http_config_default(&http_cfg);
        http_cfg_set = true;
    }
    return http_state_new(&http_cfg);
}
/* the server-config entry of the flow's server (its destination), if any */
static void *w_new_flow(const Flow *f)
{
    const HttpConfig *c = app_http_server_config(&f->dst);
    return c ? http_state_new(c) : w_new(true);
}
static void w_free(void *s) { http_state_free(s); }
static bool w_proto_change(const void *s) { return http_state_tunnel(s); }
static uint32_t w_change_unparsed(const void *s, bool ts) { return http_state_unparsed(s, ts); }

static uint8_t *copy_bytes(const uint8_t *d, uint32_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    if (c && n)
        memcpy(c, d, n);
    return c;
}

void app_upgrade_request_free(void *p)
{
    AppUpgradeRequest *r = p;
    if (!r)
        return;
    for (uint32_t i = 0; i < r->header_count; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->headers);
    free(r->method);
    free(r->uri);
    free(r);
}

/* wire: after a 101, the request it answered, for HTTP/2 to carry on
 * (AppParserDef.change_handoff); NULL for a CONNECT tunnel, or without a
 * request (a session picked up at the response). */
static void *w_change_handoff(const void *s)
{
    const HttpTx *tx = http_state_upgrade(s) ? http_state_newest_tx(s) : NULL;
    const uint8_t *d;
    uint32_t n;
    if (!tx || !http_tx_request_method(tx, &d, &n))
        return NULL;
    AppUpgradeRequest *r = calloc(1, sizeof(*r));
    if (!r || !(r->method = copy_bytes(d, n)))
        goto oom;
    r->method_len = n;
    if (http_tx_request_uri_raw(tx, &d, &n)) {
        if (!(r->uri = copy_bytes(d, n)))
            goto oom;
        r->uri_len = n;
    }
    const uint8_t *name, *value;
    uint32_t nl, vl, count = 0;
    while (http_tx_request_field(tx, count, &name, &nl, &value, &vl))
        count++;
    if (count && !(r->headers = calloc(count, sizeof(*r->headers))))
        goto oom;
    for (uint32_t i = 0; i < count && http_tx_request_field(tx, i, &name, &nl, &value, &vl); i++) {
        AppUpgradeField *h = &r->headers[r->header_count++];
        h->name = copy_bytes(name, nl);
        h->value = copy_bytes(value, vl);
        h->name_len = nl;
        h->value_len = vl;
        if (!h->name || !h->value)
            goto oom;
    }
    return r;
oom:
    app_upgrade_request_free(r);
    return NULL;
}
static void w_proto_change_refused(void *s) { http_state_tunnel_refused(s); }
static bool w_parse(void *s, bool ts, const uint8_t *d, uint32_t n, OdTime t) { return http_parse(s, ts, d, n, t); }
static void w_gap(void *s, bool ts, uint32_t n) { http_gap(s, ts, n); }
static void w_end(void *s, bool ts) { http_end(s, ts); }
static uint64_t w_raw_triggers(const void *s, bool ts) { return http_messages_completed(s, ts); }
static uint64_t w_tx_count(const void *s) { return http_tx_count(s); }
static void *w_tx_get(void *s, uint64_t id) { return http_tx_get(s, id); }
static bool w_tx_done(const void *tx, bool ts) { return http_tx_done(tx, ts); }
static void w_tx_release(void *s, uint64_t upto) { http_tx_release(s, upto); }
static void w_tx_inspected(void *tx, bool ts, bool eof) { http_tx_inspected(tx, ts, eof); }
static int w_ev_count(const void *tx) { return (int)http_tx_event_count(tx); }
static int w_ev_get(const void *tx, int i) { return (int)http_tx_event(tx, (uint32_t)i); }
static struct AppFileContainer *w_tx_files(void *tx, bool ts) { return http_tx_files(tx, ts); }

/* Suricata's table names these in upper case. */
static const char *w_event_name(int ev)
{
    static char names[HTTP_EV_MAX][64];
    static bool done;
    if (ev < 0 || ev >= HTTP_EV_MAX)
        return NULL;
    if (!done) {
        for (int i = 0; i < HTTP_EV_MAX; i++) {
            const char *n = http_event_name(i);
            size_t k = 0;
            for (; n && n[k] && k + 1 < sizeof(names[i]); k++)
                names[i][k] = (char)toupper((unsigned char)n[k]);
            names[i][k] = 0;
        }
        done = true;
    }
    return names[ev][0] ? names[ev] : NULL;
}

typedef struct HttpLogWrap {
    HttpLogConfig c;
    char *custom[HTTP_LOG_MAX_CUSTOM];
} HttpLogWrap;

static void *w_log_config(ConfNode *opts)
{
    HttpLogWrap *w = calloc(1, sizeof(*w));
    if (!w)
        return NULL;
    http_log_config_default(&w->c);
    /* as Suricata's http logger: the extended fields only with
     * `extended: yes` (alerts' http objects always have them) */
    w->c.extended = false;
    if (!opts)
        return w;
    const char *v = NULL;
    bool b;
    if (conf_node_get_str(opts, "extended", &v) && conf_parse_bool(v, &b))
        w->c.extended = b;
    if (conf_node_get_str(opts, "dump-all-headers", &v)) {
        if (strcasecmp(v, "both") == 0 || strcasecmp(v, "all") == 0)
            w->c.dump_request_headers = w->c.dump_response_headers = true;
        else if (strcasecmp(v, "request") == 0)
            w->c.dump_request_headers = true;
        else if (strcasecmp(v, "response") == 0)
            w->c.dump_response_headers = true;
    }
    ConfNode *custom = conf_node_child(opts, "custom");
    if (custom) {
        for (ConfNode *n = custom->first_child; n && w->c.n_custom < HTTP_LOG_MAX_CUSTOM; n = n->next) {
            if (!n->value)
                continue;
            char *s = strdup(n->value);
            if (!s)
                break;
            w->custom[w->c.n_custom] = s;
            w->c.custom[w->c.n_custom++] = s;
        }
    }
    return w;
}

static void w_log_config_free(void *p)
{
    HttpLogWrap *w = p;
    if (!w)
        return;
    for (uint32_t i = 0; i < w->c.n_custom; i++)
        free(w->custom[i]);
    free(w);
}

static bool w_log_tx(JsonBuf *j, const void *tx, const void *cfg, uint32_t part)
{
    if (part)
        return false;
    HttpLogConfig def;
    const HttpLogConfig *c = cfg ? &((const HttpLogWrap *)cfg)->c : NULL;
    if (!c) {
        http_log_config_default(&def);
        c = &def;
    }
    http_log_tx(j, tx, c);
    return true;
}

const AppParserDef app_http_def = {
    .proto = 1,
    .name = "http",
    .state_new = w_new,
    .state_new_flow = w_new_flow,
    .state_free = w_free,
    .parse = w_parse,
    .gap = w_gap,
    .end = w_end,
    .tx_count = w_tx_count,
    .tx_get = w_tx_get,
    .tx_done = w_tx_done,
    .tx_release = w_tx_release,
    .tx_inspected = w_tx_inspected,
    .tx_event_count = w_ev_count,
    .tx_event_get = w_ev_get,
    .event_name = w_event_name,
    .log_config = w_log_config,
    .log_config_free = w_log_config_free,
    .log_tx = w_log_tx,
    .proto_change = w_proto_change,
    .proto_change_refused = w_proto_change_refused,
    .change_unparsed = w_change_unparsed,
    .change_handoff = w_change_handoff,
    .handoff_free = app_upgrade_request_free,
    .tx_files = w_tx_files,
    .raw_triggers = w_raw_triggers,
};

void app_http_configure(Conf *conf)
{
    http_config_default(&http_cfg);
    http_cfg_set = true;
    app_file_configure(conf); /* file tracking serves HTTP first */
    ConfNode *h = conf ? conf_node(conf, "app-layer.protocols.http") : NULL;
    HttpConfig builtin;
    http_config_default(&builtin);
    app_http_servers_configure(NULL, &builtin, false);
    if (!h)
        return;
    const char *v = NULL;
    uint64_t sz;
    if (conf_node_get_str(h, "memcap", &v) && conf_parse_size(v, &sz))
        http_cfg.memcap = sz;
    /* `http-body-inline: auto` follows the engine mode, which main.c has
     * written into stream.inline (yes when inline or --simulate-ips) */
    bool inline_mode = false;
    if (conf_get_str(conf, "stream.inline", &v) && v)
        (void)conf_parse_bool(v, &inline_mode);
    app_http_config_block(conf_node_lookup(h, "libhtp.default-config"), &http_cfg, inline_mode);
    /* as Suricata, each server-config entry starts from the built-in
     * defaults, not from default-config; memcap is global */
    builtin.memcap = http_cfg.memcap;
    app_http_servers_configure(conf_node_lookup(h, "libhtp.server-config"), &builtin, inline_mode);
}
