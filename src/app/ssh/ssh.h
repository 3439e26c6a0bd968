/*
 * SSH transport-layer parser (RFC 4253), emulating Suricata 8's rust/src/ssh.
 *
 * Each direction starts with an identification string ("banner",
 * RFC 4253 section 4.2: "SSH-protoversion-softwareversion SP comments CR LF")
 * followed by binary packets (section 6: uint32 packet_length, byte
 * padding_length, payload, padding). The parser records both banners, frames
 * the packets until SSH_MSG_NEWKEYS (after which everything is encrypted and
 * ignored) and, when HASSH is enabled, parses SSH_MSG_KEXINIT (section 7.1)
 * to compute the HASSH fingerprints. A flow has exactly one transaction.
 *
 * The module is a pure library: the app-layer framework feeds it reassembled
 * bytes with any chunking (`ssh_parse`), tells it about gaps and the end of
 * the flow, and asks for the transaction, its events, the rule buffers and
 * the EVE `ssh` object.
 */
#ifndef ODLAR_APP_SSH_H
#define ODLAR_APP_SSH_H

#include <stdbool.h>
#include <stdint.h>

#include "util/json.h"
#include "util/time.h"

/* Per-direction progress, same order as Suricata's SSHConnectionState. */
enum {
    SSH_STATE_IN_PROGRESS = 0,
    SSH_STATE_BANNER_WAIT_EOL = 1,
    SSH_STATE_BANNER_DONE = 2,
    SSH_STATE_FINISHED = 3,
};

/* App-layer events (Suricata's SSHEvent; names via ssh_event_name). */
enum {
    SSH_EVENT_INVALID_BANNER = 0,
    SSH_EVENT_LONG_BANNER,
    SSH_EVENT_INVALID_RECORD,
    SSH_EVENT_LONG_KEX_RECORD,
    SSH_EVENT_MAX
};

/* Banner lines are buffered up to this size while waiting for the EOL;
 * a line of SSH_MAX_BANNER_LEN bytes or more raises long_banner. */
#define SSH_MAX_BANNER_LEN 256
#define SSH_BANNER_BUFFER_MAX 8192
/* A KEXINIT larger than this is not reassembled (long_kex_record). */
#define SSH_MAX_REASSEMBLED_RECORD_LEN 65535
#define SSH_RECORD_HEADER_LEN 6
#define SSH_MSG_KEXINIT 20
#define SSH_MSG_NEWKEYS 21

typedef struct SshState SshState;
typedef struct SshTx SshTx;

typedef struct SshLogConfig {
    int reserved; /* Suricata 8 has no ssh logger options */
} SshLogConfig;

/* Global configuration (app-layer.protocols.ssh.hassh). Read at state
 * creation; default off, as in Suricata. */
void ssh_config_set_hassh(bool enabled);
bool ssh_config_hassh(void);
/* Memory cap over all SSH parser buffers (0 = unlimited). */
void ssh_config_set_memcap(uint64_t bytes);
uint64_t ssh_memuse(void);
uint64_t ssh_memcap_hits(void);

SshState *ssh_state_new(void);
void ssh_state_free(SshState *s);
/* Overrides the global HASSH setting for one flow (before any data). */
void ssh_state_set_hassh(SshState *s, bool enabled);

/* Returns false once the parser has given up on the flow (Suricata's
 * AppLayerResult::err): invalid banner, invalid record, memcap. */
bool ssh_parse(SshState *s, bool to_server, const uint8_t *data, uint32_t len, OdTime ts);
/* A hole in the stream: the direction stops being parsed. */
void ssh_gap(SshState *s, bool to_server, uint32_t gap_len);
/* End of the flow in a direction: the transaction counts as complete. */
void ssh_end(SshState *s, bool to_server);
/* True after the parser gave up (no further inspection is useful). */
bool ssh_failed(const SshState *s);
/* True once both sides sent NEWKEYS (the rest is encrypted). */
bool ssh_encrypted(const SshState *s);

uint64_t ssh_tx_count(const SshState *s);
SshTx *ssh_tx_get(SshState *s, uint64_t id);
int ssh_tx_progress(const SshTx *tx, bool to_server);
bool ssh_tx_done(const SshTx *tx, bool to_server);
void ssh_tx_release(SshState *s, uint64_t upto_id);

/* Events raised on the transaction, in order (each at most once). */
int ssh_tx_event_count(const SshTx *tx);
int ssh_tx_event_get(const SshTx *tx, int i);
const char *ssh_event_name(int ev);
/* Event id from its name, -1 if unknown. */
int ssh_event_by_name(const char *name);

/* Rule buffers: client side when to_server, server side otherwise.
 * Return false (leaving the outputs alone) when the value is absent. */
bool ssh_tx_get_protover(const SshTx *tx, bool to_server, const uint8_t **p, uint32_t *len);
bool ssh_tx_get_swver(const SshTx *tx, bool to_server, const uint8_t **p, uint32_t *len);
bool ssh_tx_get_comments(const SshTx *tx, bool to_server, const uint8_t **p, uint32_t *len);
bool ssh_tx_get_hassh(const SshTx *tx, bool to_server, const uint8_t **p, uint32_t *len);
bool ssh_tx_get_hassh_string(const SshTx *tx, bool to_server, const uint8_t **p, uint32_t *len);

/* Writes the "ssh" object (client and server sides) into the object the
 * caller has opened (the EVE record or an alert's app-layer metadata).
 * Returns false, writing nothing, when neither banner was seen, as Suricata
 * does. */
bool ssh_log_tx(JsonBuf *j, const SshTx *tx, const SshLogConfig *cfg);

#endif
