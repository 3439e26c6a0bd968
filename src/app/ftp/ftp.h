/*
 * FTP control channel parser (RFC 959; EPRT/EPSV from RFC 2428), emulating
 * Suricata 8's app-layer-ftp.c and rust/src/ftp.
 *
 * Client lines are commands ("CMD SP args CRLF"); each creates one
 * transaction. Server lines are replies ("ddd SP text" or, for multi-line
 * replies, "ddd-text" ... "ddd SP text"); they are attached to the oldest
 * transaction still waiting for its reply, or a new command-less
 * transaction (the 220 greeting). 1xx preliminary replies keep the
 * transaction open. PORT/EPRT (active) and PASV/EPSV replies (passive)
 * announce the data connection: the state keeps the expected port (and
 * address when given) so the framework can mark the data flow as ftp-data,
 * and RETR/STOR/... transactions carry the file name for the `ftp_data`
 * EVE record. The module is a pure library driven by the app-layer
 * framework.
 */
#ifndef ODLAR_APP_FTP_H
#define ODLAR_APP_FTP_H

#include <stdbool.h>
#include <stdint.h>

#include "util/json.h"
#include "util/time.h"

/* Suricata's FtpRequestCommand values that matter to callers. */
typedef enum FtpCommandCode {
    FTP_COMMAND_UNKNOWN = 0,
    FTP_COMMAND_PORT, FTP_COMMAND_EPRT, FTP_COMMAND_AUTH_TLS, FTP_COMMAND_PASV,
    FTP_COMMAND_RETR, FTP_COMMAND_EPSV, FTP_COMMAND_STOR,
    FTP_COMMAND_ABOR, FTP_COMMAND_ACCT, FTP_COMMAND_ALLO, FTP_COMMAND_APPE,
    FTP_COMMAND_CDUP, FTP_COMMAND_CHMOD, FTP_COMMAND_CWD, FTP_COMMAND_DELE,
    FTP_COMMAND_HELP, FTP_COMMAND_IDLE, FTP_COMMAND_LIST, FTP_COMMAND_MAIL,
    FTP_COMMAND_MDTM, FTP_COMMAND_MKD, FTP_COMMAND_MLFL, FTP_COMMAND_MODE,
    FTP_COMMAND_MRCP, FTP_COMMAND_MRSQ, FTP_COMMAND_MSAM, FTP_COMMAND_MSND,
    FTP_COMMAND_MSOM, FTP_COMMAND_NLST, FTP_COMMAND_NOOP, FTP_COMMAND_PASS,
    FTP_COMMAND_PWD, FTP_COMMAND_QUIT, FTP_COMMAND_REIN, FTP_COMMAND_REST,
    FTP_COMMAND_RMD, FTP_COMMAND_RNFR, FTP_COMMAND_RNTO, FTP_COMMAND_SITE,
    FTP_COMMAND_SIZE, FTP_COMMAND_SMNT, FTP_COMMAND_STAT, FTP_COMMAND_STOU,
    FTP_COMMAND_STRU, FTP_COMMAND_SYST, FTP_COMMAND_TYPE, FTP_COMMAND_UMASK,
    FTP_COMMAND_USER,
    FTP_COMMAND_MAX
} FtpCommandCode;

enum {
    FTP_EVENT_REQUEST_COMMAND_TOO_LONG = 0,
    FTP_EVENT_RESPONSE_COMMAND_TOO_LONG,
    FTP_EVENT_FILE_BEFORE_PORT,
    FTP_EVENT_TOO_MANY_TRANSACTIONS,
    FTP_EVENT_MAX
};

#define FTP_DEFAULT_MAX_LINE_LEN 4096
#define FTP_DEFAULT_MAX_TX 1024

typedef struct FtpState FtpState;
typedef struct FtpTx FtpTx;

typedef struct FtpLogConfig {
    int reserved;
} FtpLogConfig;

/* The data connection announced by the last PORT/EPRT/PASV/EPSV. */
typedef struct FtpExpect {
    uint16_t port;      /* 0: none */
    bool active;        /* PORT/EPRT: server connects to the client */
    bool has_addr;      /* addr/addr_len hold the announced address */
    uint8_t addr[16];
    uint8_t addr_len;   /* 4 or 16 */
} FtpExpect;

/* app-layer.protocols.ftp.{memcap,max-line-length}; read at state creation. */
void ftp_config_set_memcap(uint64_t bytes);
void ftp_config_set_max_line_len(uint32_t len);
/* app-layer.protocols.ftp.max-tx: a command arriving while this many
 * transactions still wait for their reply raises too_many_transactions on
 * the oldest of them and stops the parser (Suricata 8.0.6). */
void ftp_config_set_max_tx(uint64_t n);
uint64_t ftp_memuse(void);
uint64_t ftp_memcap_hits(void);

FtpState *ftp_state_new(void);
void ftp_state_free(FtpState *s);
bool ftp_parse(FtpState *s, bool to_server, const uint8_t *data, uint32_t len, OdTime ts);
void ftp_gap(FtpState *s, bool to_server, uint32_t gap_len);
void ftp_end(FtpState *s, bool to_server);
/* AUTH TLS answered by 234: the framework should switch to TLS. */
bool ftp_tls_upgrade(const FtpState *s);
/* The current data-connection expectation (port 0 if none). */
FtpExpect ftp_state_expect(const FtpState *s);

uint64_t ftp_tx_count(const FtpState *s);   /* ids handed out so far */
FtpTx *ftp_tx_get(FtpState *s, uint64_t id); /* NULL if released/unknown */
uint64_t ftp_tx_id(const FtpTx *tx);
bool ftp_tx_done(const FtpTx *tx, bool to_server);
void ftp_tx_release(FtpState *s, uint64_t upto_id);

int ftp_tx_event_count(const FtpTx *tx);
int ftp_tx_event_get(const FtpTx *tx, int i);
const char *ftp_event_name(int ev);
int ftp_event_by_name(const char *name);

/* Rule buffers (false when absent). */
FtpCommandCode ftp_tx_command_code(const FtpTx *tx);
bool ftp_tx_get_command(const FtpTx *tx, const uint8_t **p, uint32_t *len);
bool ftp_tx_get_command_data(const FtpTx *tx, const uint8_t **p, uint32_t *len);
/* Multi-buffers: i-th completion code / i-th reply line. */
uint32_t ftp_tx_reply_count(const FtpTx *tx);
bool ftp_tx_get_completion_code(const FtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len);
bool ftp_tx_get_reply(const FtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len);
/* dynamic_port of the tx (0 if none), mode (true = active; only
 * meaningful for PORT/EPRT), reply received. */
uint16_t ftp_tx_dynamic_port(const FtpTx *tx);
bool ftp_tx_mode_active(const FtpTx *tx, bool *active);
bool ftp_tx_reply_received(const FtpTx *tx);

/* Data channel: for RETR/STOR/APPE/STOU/LIST/NLST transactions, the
 * command and file argument the data flow carries, plus the expectation
 * in force when the command was sent. */
bool ftp_tx_data_channel(const FtpTx *tx, FtpExpect *exp, const uint8_t **file, uint32_t *file_len);

/* `"ftp": {...}` as Suricata 8 writes it. */
void ftp_log_tx(JsonBuf *j, const FtpTx *tx, const FtpLogConfig *cfg);
/* `"ftp_data": {"filename": ..., "command": ...}` for a data flow. */
void ftp_data_log(JsonBuf *j, const uint8_t *file, uint32_t file_len, FtpCommandCode cmd);
/* The command (RETR, STOR, ...) that announced the ftp-data flow whose
 * transaction is tx; defined with the data flow's state in app/app-ftp.c
 * (rule keyword ftpdata_command). */
FtpCommandCode ftp_data_tx_command(const void *tx);
const char *ftp_command_name(FtpCommandCode c);

#endif
