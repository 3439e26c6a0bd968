/*
 * SSH integration: the AppParserDef wrappers around src/app/ssh. One
 * transaction per flow; `app-layer.protocols.ssh.hassh` turns the HASSH
 * fingerprints on (default off, as in Suricata 8). The `ssh` record is
 * written in flow direction with the transaction id, and only when a
 * banner was seen: as Suricata's log condition, once both banners are
 * done when HASSH is off, once both sides are done (NEWKEYS or the end of
 * the flow) when it is on (the record then carries the fingerprints).
 * frames: when rules use frames, the transaction is released only once both
 * sides finished, so frame alerts until NEWKEYS carry the ssh object.
 * `app-layer.protocols.ssh.encryption-handling: bypass` asks the engine to
 * bypass the flow once both sides sent NEWKEYS (bypass_ready); the other
 * values (track-only, the default, and full) keep tracking it.
 */
#include "app/app-internal.h"

#include "app/frames.h" /* frames: the transaction outlives its record while frames need it */
#include "app/ssh/ssh.h"

#include <string.h>

static void *w_new(bool tcp)
{
    (void)tcp;
    return ssh_state_new();
}
static void w_free(void *s) { ssh_state_free(s); }
static bool w_parse(void *s, bool ts, const uint8_t *d, uint32_t n, OdTime t) { return ssh_parse(s, ts, d, n, t); }
static void w_gap(void *s, bool ts, uint32_t n) { ssh_gap(s, ts, n); }
static void w_end(void *s, bool ts) { ssh_end(s, ts); }
static uint64_t w_tx_count(const void *s) { return ssh_tx_count(s); }
static void *w_tx_get(void *s, uint64_t id) { return ssh_tx_get(s, id); }
static bool w_tx_done(const void *tx, bool ts)
{
    if (ssh_tx_done(tx, ts))
        return true;
    return !ssh_config_hassh() && ssh_tx_progress(tx, true) >= SSH_STATE_BANNER_DONE &&
           ssh_tx_progress(tx, false) >= SSH_STATE_BANNER_DONE;
}
static bool encryption_bypass; /* encryption-handling: bypass */
static bool w_bypass_ready(const void *s) { return encryption_bypass && ssh_encrypted(s); }
static void w_tx_release(void *s, uint64_t upto)
{
    /* frames: with frame rules the transaction stays until both sides
     * finished (NEWKEYS), its completion in Suricata, so alerts on the
     * record frames up to there still describe it (released at flow end) */
    const SshTx *tx = ssh_tx_get(s, 0);
    if (app_frames_enabled() && tx && !(ssh_tx_done(tx, true) && ssh_tx_done(tx, false)))
        return;
    ssh_tx_release(s, upto);
}
static int w_ev_count(const void *tx) { return ssh_tx_event_count(tx); }
static int w_ev_get(const void *tx, int i) { return ssh_tx_event_get(tx, i); }

static bool w_log_tx(JsonBuf *j, const void *tx, const void *cfg, uint32_t part)
{
    (void)cfg;
    SshLogConfig c = { 0 };
    return part == 0 && ssh_log_tx(j, tx, &c);
}

const AppParserDef app_ssh_def = {
    .proto = 5,
    .name = "ssh",
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
    .event_name = ssh_event_name,
    .log_tx = w_log_tx,
    .bypass_ready = w_bypass_ready,
};

void app_ssh_configure(Conf *conf)
{
    const char *v = NULL;
    bool b = false;
    /* buf: a rule using an ssh.hassh* buffer already turned HASSH on */
    ssh_config_set_hassh(ssh_config_hassh() ||
                         (conf && conf_get_str(conf, "app-layer.protocols.ssh.hassh", &v) && conf_parse_bool(v, &b) && b));
    encryption_bypass = conf && conf_get_str(conf, "app-layer.protocols.ssh.encryption-handling", &v) && v &&
                        strcmp(v, "bypass") == 0;
    uint64_t sz;
    if (conf && conf_get_str(conf, "app-layer.protocols.ssh.memcap", &v) && conf_parse_size(v, &sz))
        ssh_config_set_memcap(sz);
}
