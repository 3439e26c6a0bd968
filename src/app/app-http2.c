/*
 * HTTP/2 integration: the AppParserDef wrappers around src/app/http2.
 * Transactions are the stream 0 frames (one each) and the streams; they
 * complete out of id order and are logged as they complete, as Suricata's
 * per-transaction logged flags allow. Records are event_type "http" (the
 * eve-log `types` entry "http2" turns them on) in flow direction with the
 * transaction id. Settings: `app-layer.protocols.http2.max-streams` and
 * `max-table-size`.
 */
#include "app/app-internal.h"

#include "app/http2/http2-internal.h"

#include <stdlib.h>

static void *w_new(bool tcp)
{
    (void)tcp;
    return http2_state_new();
}
static void w_free(void *s) { http2_state_free(s); }
static bool w_parse(void *s, bool ts, const uint8_t *d, uint32_t n, OdTime t)
{
    (void)t;
    return http2_parse(s, ts, d, n);
}
static void w_gap(void *s, bool ts, uint32_t n)
{
    (void)n;
    http2_gap(s, ts);
}
static uint64_t w_tx_count(const void *s) { return http2_tx_count(s); }
static void *w_tx_get(void *s, uint64_t id) { return http2_tx_get(s, id); }
static bool w_tx_done(const void *tx, bool ts)
{
    (void)ts;
    return http2_tx_done(tx);
}
static void w_tx_release(void *s, uint64_t upto) { http2_tx_release(s, upto); }
static int w_ev_count(const void *tx) { return http2_tx_event_count(tx); }
static int w_ev_get(const void *tx, int i) { return http2_tx_event_get(tx, i); }
static bool w_tx_logged(const void *tx) { return ((const Http2Tx *)tx)->logged; }
static AppFileContainer *w_tx_files(void *tx, bool ts) { return http2_tx_files(tx, ts); }
static void w_tx_set_logged(void *tx) { ((Http2Tx *)tx)->logged = true; }

/* wire: the HTTP/1 request a 101 upgraded, carried on as stream 1 */
static void w_adopt(void *s, AppProto from, const void *handoff)
{
    const AppUpgradeRequest *r = handoff;
    if (from != 1 || !r)
        return;
    http2_state_mimic_request(s, r->method, r->method_len, r->uri, r->uri_len, r->uri != NULL);
    for (uint32_t i = 0; i < r->header_count; i++)
        http2_state_mimic_header(s, r->headers[i].name, r->headers[i].name_len, r->headers[i].value,
                                 r->headers[i].value_len);
}

static bool w_log_tx(JsonBuf *j, const void *tx, const void *cfg, uint32_t part)
{
    (void)cfg;
    /* a transaction given up for too many streams is not logged */
    if (part || ((const Http2Tx *)tx)->state == HTTP2_TX_TODROP)
        return false;
    return http2_log_tx(j, tx);
}

const AppParserDef app_http2_def = {
    .proto = APP_PROTO_HTTP2,
    .name = "http2",
    .event_type = "http",
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
    .event_name = http2_event_name,
    .log_tx = w_log_tx,
    .tx_logged = w_tx_logged,
    .tx_set_logged = w_tx_set_logged,
    .adopt = w_adopt,
    .tx_files = w_tx_files,
};

/* A positive integer setting; false (with *out unchanged) when absent or
 * not one. */
static bool read_count(Conf *conf, const char *key, uint32_t *out)
{
    const char *v = NULL;
    if (!conf || !conf_get_str(conf, key, &v) || !v)
        return false;
    char *end = NULL;
    unsigned long n = strtoul(v, &end, 10);
    if (!end || *end || end == v || n > UINT32_MAX)
        return false;
    *out = (uint32_t)n;
    return true;
}

void app_http2_configure(Conf *conf)
{
    uint32_t n;
    if (read_count(conf, "app-layer.protocols.http2.max-streams", &n))
        http2_config_set_max_streams(n);
    if (read_count(conf, "app-layer.protocols.http2.max-table-size", &n))
        http2_config_set_max_table_size(n);
}
