/*
 * TLS integration: the AppParserDef wrappers around src/app/tls. One
 * transaction per flow, complete once both sides finished the handshake
 * (or at flow end). The eve-log `tls` options are `extended` (Suricata's
 * extended field set), `custom` (a list of field names replacing the
 * preset) and `session-resumption` (log resumed sessions that carry no
 * certificate; default yes). JA3/JA3S and JA4 are printed when the field
 * set asks for them (extended does) and
 * `app-layer.protocols.tls.ja3-fingerprints` / `ja4-fingerprints` is yes
 * (Suricata's default "auto" computes them only for rules that use them;
 * the detection engine would have to say so). As in
 * Suricata the record is written only when tls_tx_loggable() says so, in
 * flow direction and without a tx_id.
 */
#include "app/app-internal.h"

#include <stdlib.h>
#include <string.h>

#include "app/tls/tls.h"

static bool tls_ja3_on, tls_ja4_on, tls_ja3_off, tls_ja4_off;

static void *w_new(bool tcp)
{
    (void)tcp;
    return tls_state_new();
}
static void w_free(void *s) { tls_state_free(s); }
static bool w_parse(void *s, bool ts, const uint8_t *d, uint32_t n, OdTime t) { return tls_parse(s, ts, d, n, t); }
static void w_gap(void *s, bool ts, uint32_t n) { tls_gap(s, ts, n); }
static void w_end(void *s, bool ts) { tls_end(s, ts); }
static uint64_t w_raw_triggers(const void *s, bool ts) { return tls_records(s, ts); }
static uint64_t w_tx_count(const void *s) { return tls_tx_count(s); }
static void *w_tx_get(void *s, uint64_t id) { return tls_tx_get(s, id); }
static bool w_tx_done(const void *tx, bool ts) { return tls_tx_complete(tx, ts); }
static void w_tx_release(void *s, uint64_t upto)
{
    for (uint64_t i = 0; i < upto && i < tls_tx_count(s); i++)
        tls_tx_release(s, i);
}
static int w_ev_count(const void *tx) { return (int)tls_tx_event_count(tx); }
static int w_ev_get(const void *tx, int i) { return tls_tx_event_get(tx, (uint32_t)i); }

static void *w_log_config(ConfNode *opts)
{
    TlsLogConfig *c = malloc(sizeof(*c));
    if (!c)
        return NULL;
    tls_log_config_default(c);
    if (!opts)
        return c;
    const char *v = NULL;
    bool b;
    if (conf_node_get_str(opts, "extended", &v) && conf_parse_bool(v, &b) && b)
        c->fields = TLS_LOG_EXTENDED;
    if (conf_node_get_str(opts, "session-resumption", &v) && conf_parse_bool(v, &b))
        c->session_resumption = b;
    ConfNode *custom = conf_node_child(opts, "custom");
    if (custom && custom->first_child) {
        c->fields = 0;
        for (ConfNode *n = custom->first_child; n; n = n->next)
            if (n->value)
                c->fields |= tls_log_field_by_name(n->value);
    }
    return c;
}

static void w_log_config_free(void *c) { free(c); }

static bool w_log_tx(JsonBuf *j, const void *tx, const void *cfg, uint32_t part)
{
    TlsLogConfig c;
    if (cfg)
        c = *(const TlsLogConfig *)cfg;
    else
        tls_log_config_default(&c);
    c.ja3 = tls_ja3_on;
    c.ja4 = tls_ja4_on;
    if (part || !tls_tx_loggable(tx, &c))
        return false;
    tls_log_tx(j, tx, &c);
    return true;
}

const AppParserDef app_tls_def = {
    .proto = 4,
    .name = "tls",
    .state_new = w_new,
    .state_free = w_free,
    .parse = w_parse,
    .gap = w_gap,
    .end = w_end,
    .tx_count = w_tx_count,
    .tx_get = w_tx_get,
    .tx_done = w_tx_done,
    .tx_release = w_tx_release,
    .tx_event_count = w_ev_count,
    .tx_event_get = w_ev_get,
    .event_name = tls_event_name,
    .log_config = w_log_config,
    .log_config_free = w_log_config_free,
    .log_tx = w_log_tx,
    .no_header_tx_id = true,
    .raw_triggers = w_raw_triggers,
};

/* on only when explicitly yes: Suricata's default "auto" computes the
 * fingerprints only for rules that use them */
static bool yes_opt(ConfNode *n, const char *key)
{
    const char *v = NULL;
    bool b = false;
    return n && conf_node_get_str(n, key, &v) && conf_parse_bool(v, &b) && b;
}

static bool no_opt(ConfNode *n, const char *key)
{
    const char *v = NULL;
    bool b = true;
    return n && conf_node_get_str(n, key, &v) && conf_parse_bool(v, &b) && !b;
}

void app_tls_configure(Conf *conf)
{
    ConfNode *t = conf ? conf_node(conf, "app-layer.protocols.tls") : NULL;
    tls_ja3_on = yes_opt(t, "ja3-fingerprints");
    tls_ja4_on = yes_opt(t, "ja4-fingerprints");
    tls_ja3_off = no_opt(t, "ja3-fingerprints");
    tls_ja4_off = no_opt(t, "ja4-fingerprints");
}

void app_tls_enable_fingerprints(bool ja3, bool ja4)
{
    if (ja3 && !tls_ja3_off)
        tls_ja3_on = true;
    if (ja4 && !tls_ja4_off)
        tls_ja4_on = true;
}
