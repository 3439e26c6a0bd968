/*
 * DHCP integration: the AppParserDef wrappers around src/app/dhcp. Each
 * datagram on the DHCP ports (UDP 67 and 68, or
 * `app-layer.protocols.dhcp.detection-ports`) is one message and one
 * transaction of the direction it came in, complete at once, as Suricata's
 * one-way DHCP transactions. The `dhcp` record has no header tx_id and
 * the addresses of the packet that carried the message (Suricata logs it
 * with LOG_DIR_PACKET). eve-log option: `extended` (default no: only
 * DHCPACK messages are logged).
 */
#include "app/app-internal.h"

#include <stdlib.h>

#include "app/dhcp/dhcp.h"

static void *w_new(bool tcp)
{
    (void)tcp;
    return dhcp_state_new();
}
static void w_free(void *s) { dhcp_state_free(s); }
static bool w_parse(void *s, bool ts, const uint8_t *d, uint32_t n, OdTime t)
{
    (void)t;
    return dhcp_parse(s, ts, d, n);
}
static uint64_t w_tx_count(const void *s) { return dhcp_tx_count(s); }
static void *w_tx_get(void *s, uint64_t id) { return dhcp_tx_get(s, id); }
static bool w_tx_done(const void *tx, bool ts)
{
    (void)tx;
    (void)ts;
    return true;
}
static void w_tx_release(void *s, uint64_t upto) { dhcp_tx_release(s, upto); }
static uint8_t w_tx_dirs(const void *tx) { return dhcp_tx_to_server(tx) ? APP_TX_DIR_TOSERVER : APP_TX_DIR_TOCLIENT; }
static int w_ev_count(const void *tx) { return dhcp_tx_event_count(tx); }
static int w_ev_get(const void *tx, int i) { return dhcp_tx_event_get(tx, i); }

static void *w_log_config(ConfNode *opts)
{
    DhcpLogConfig *c = calloc(1, sizeof(*c));
    const char *v = NULL;
    bool b = false;
    if (c && opts && conf_node_get_str(opts, "extended", &v) && v && conf_parse_bool(v, &b))
        c->extended = b;
    return c;
}
static void w_log_config_free(void *c) { free(c); }

static bool w_log_tx(JsonBuf *j, const void *tx, const void *cfg, uint32_t part)
{
    if (part || !dhcp_log_wanted(tx, cfg))
        return false;
    dhcp_log_tx(j, tx, cfg);
    return true;
}

static int w_log_dir(const void *tx, const void *cfg)
{
    (void)cfg;
    return dhcp_tx_to_server(tx) ? 1 : 2;
}

const AppParserDef app_dhcp_def = {
    .proto = APP_PROTO_DHCP,
    .name = "dhcp",
    .state_new = w_new,
    .state_free = w_free,
    .parse = w_parse,
    .tx_count = w_tx_count,
    .tx_get = w_tx_get,
    .tx_done = w_tx_done,
    .tx_release = w_tx_release,
    .tx_dirs = w_tx_dirs,
    .tx_event_count = w_ev_count,
    .tx_event_get = w_ev_get,
    .event_name = dhcp_event_name,
    .log_config = w_log_config,
    .log_config_free = w_log_config_free,
    .log_tx = w_log_tx,
    .log_dir = w_log_dir,
    .no_header_tx_id = true,
};
