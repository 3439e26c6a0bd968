/*
 * POP3 integration: the AppParserDef wrappers around src/app/pop3. One
 * transaction per command with its reply (the greeting is a reply-only
 * transaction); the `pop3` record is written in flow direction with the
 * transaction id once the reply is complete (or at flow end). A +OK to
 * STLS hands the flow on (proto_change): detection runs again on what
 * follows, expecting TLS, as Suricata's TLS upgrade request. Setting:
 * `app-layer.protocols.pop3.max-tx`.
 */
#include "app/app-internal.h"

#include "app/pop3/pop3.h"

#include <stdlib.h>

static void *w_new(bool tcp)
{
    (void)tcp;
    return pop3_state_new();
}
static void w_free(void *s) { pop3_state_free(s); }
static bool w_parse(void *s, bool ts, const uint8_t *d, uint32_t n, OdTime t)
{
    (void)t;
    return pop3_parse(s, ts, d, n);
}
static void w_gap(void *s, bool ts, uint32_t n)
{
    (void)n;
    pop3_gap(s, ts);
}
static uint64_t w_tx_count(const void *s) { return pop3_tx_count(s); }
static void *w_tx_get(void *s, uint64_t id) { return pop3_tx_get(s, id); }
static bool w_tx_done(const void *tx, bool ts) { return pop3_tx_done(tx, ts); }
static void w_tx_release(void *s, uint64_t upto) { pop3_tx_release(s, upto); }
static int w_ev_count(const void *tx) { return pop3_tx_event_count(tx); }
static int w_ev_get(const void *tx, int i) { return pop3_tx_event_get(tx, i); }
static bool w_proto_change(const void *s) { return pop3_tls_upgrade(s); }

static bool w_log_tx(JsonBuf *j, const void *tx, const void *cfg, uint32_t part)
{
    (void)cfg;
    if (part)
        return false;
    pop3_log_tx(j, tx);
    return true;
}

const AppParserDef app_pop3_def = {
    .proto = 27,
    .name = "pop3",
    .state_new = w_new,
    .state_free = w_free,
    .parse = w_parse,
    .gap = w_gap,
    .tx_count = w_tx_count,
    .tx_get = w_tx_get,
    .tx_done = w_tx_done,
    .tx_release = w_tx_release,
    .tx_event_count = w_ev_count,
    .tx_event_get = w_ev_get,
    .event_name = pop3_event_name,
    .log_tx = w_log_tx,
    .proto_change = w_proto_change,
    .change_expect = APP_PROTO_TLS,
};

void app_pop3_configure(Conf *conf)
{
    const char *v = NULL;
    if (conf && conf_get_str(conf, "app-layer.protocols.pop3.max-tx", &v) && v) {
        char *end = NULL;
        unsigned long n = strtoul(v, &end, 10);
        if (end && !*end && n > 0 && n <= UINT32_MAX)
            pop3_config_set_max_tx((uint32_t)n);
    }
}
