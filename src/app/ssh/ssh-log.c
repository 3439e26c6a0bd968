/*
 * EVE output of an SSH transaction, as Suricata 8's rust/src/ssh/logger.rs:
 *
 *   "ssh": {"client": {"proto_version": ..., "software_version": ...,
 *                      "hassh": {"hash": ..., "string": ...}},
 *           "server": {...}}
 *
 * A side appears only when its protocol version is known; software_version
 * only when non-empty; hassh only when computed (HASSH enabled).
 */
#include "app/ssh/ssh-internal.h"

static void log_side(JsonBuf *j, const char *key, const SshHdr *h)
{
    if (h->protover.len == 0)
        return;
    jb_open_object(j, key);
    jb_strn(j, "proto_version", h->protover.data, h->protover.len);
    if (h->swver.len > 0)
        jb_strn(j, "software_version", h->swver.data, h->swver.len);
    if (h->hassh.len > 0 || h->hassh_string.len > 0) {
        jb_open_object(j, "hassh");
        if (h->hassh.len > 0)
            jb_strn(j, "hash", h->hassh.data, h->hassh.len);
        if (h->hassh_string.len > 0)
            jb_strn(j, "string", h->hassh_string.data, h->hassh_string.len);
        jb_close_object(j);
    }
    jb_close_object(j);
}

bool ssh_log_tx(JsonBuf *j, const SshTx *tx, const SshLogConfig *cfg)
{
    (void)cfg;
    if (!tx || (tx->cli.protover.len == 0 && tx->srv.protover.len == 0))
        return false;
    jb_open_object(j, "ssh");
    log_side(j, "client", &tx->cli);
    log_side(j, "server", &tx->srv);
    jb_close_object(j);
    return true;
}
