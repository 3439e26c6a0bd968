/*
 * FTP commands (RFC 959 section 4.1, RFC 2228 AUTH, RFC 2428 EPRT/EPSV):
 * Suricata's command table, matched case-insensitively at the start of the
 * line and followed by a space or the end of the line. Every client line
 * opens a transaction; PORT/EPRT arguments are kept (the reply decides
 * whether the port is used); RETR/STOR record the data-channel
 * expectation in force and raise file_before_port when there is none.
 */
#include "app/ftp/ftp-internal.h"

#include <strings.h>
#include <string.h>

static const char *const names[FTP_COMMAND_MAX] = {
    [FTP_COMMAND_UNKNOWN] = NULL,
    [FTP_COMMAND_PORT] = "PORT", [FTP_COMMAND_EPRT] = "EPRT",
    [FTP_COMMAND_AUTH_TLS] = "AUTH TLS", [FTP_COMMAND_PASV] = "PASV",
    [FTP_COMMAND_RETR] = "RETR", [FTP_COMMAND_EPSV] = "EPSV",
    [FTP_COMMAND_STOR] = "STOR", [FTP_COMMAND_ABOR] = "ABOR",
    [FTP_COMMAND_ACCT] = "ACCT", [FTP_COMMAND_ALLO] = "ALLO",
    [FTP_COMMAND_APPE] = "APPE", [FTP_COMMAND_CDUP] = "CDUP",
    [FTP_COMMAND_CHMOD] = "CHMOD", [FTP_COMMAND_CWD] = "CWD",
    [FTP_COMMAND_DELE] = "DELE", [FTP_COMMAND_HELP] = "HELP",
    [FTP_COMMAND_IDLE] = "IDLE", [FTP_COMMAND_LIST] = "LIST",
    [FTP_COMMAND_MAIL] = "MAIL", [FTP_COMMAND_MDTM] = "MDTM",
    [FTP_COMMAND_MKD] = "MKD", [FTP_COMMAND_MLFL] = "MLFL",
    [FTP_COMMAND_MODE] = "MODE", [FTP_COMMAND_MRCP] = "MRCP",
    [FTP_COMMAND_MRSQ] = "MRSQ", [FTP_COMMAND_MSAM] = "MSAM",
    [FTP_COMMAND_MSND] = "MSND", [FTP_COMMAND_MSOM] = "MSOM",
    [FTP_COMMAND_NLST] = "NLST", [FTP_COMMAND_NOOP] = "NOOP",
    [FTP_COMMAND_PASS] = "PASS", [FTP_COMMAND_PWD] = "PWD",
    [FTP_COMMAND_QUIT] = "QUIT", [FTP_COMMAND_REIN] = "REIN",
    [FTP_COMMAND_REST] = "REST", [FTP_COMMAND_RMD] = "RMD",
    [FTP_COMMAND_RNFR] = "RNFR", [FTP_COMMAND_RNTO] = "RNTO",
    [FTP_COMMAND_SITE] = "SITE", [FTP_COMMAND_SIZE] = "SIZE",
    [FTP_COMMAND_SMNT] = "SMNT", [FTP_COMMAND_STAT] = "STAT",
    [FTP_COMMAND_STOU] = "STOU", [FTP_COMMAND_STRU] = "STRU",
    [FTP_COMMAND_SYST] = "SYST", [FTP_COMMAND_TYPE] = "TYPE",
    [FTP_COMMAND_UMASK] = "UMASK", [FTP_COMMAND_USER] = "USER",
};

const char *ftp_command_name(FtpCommandCode c)
{
    return (c > FTP_COMMAND_UNKNOWN && c < FTP_COMMAND_MAX) ? names[c] : "UNKNOWN";
}

FtpCommandCode ftp_command_lookup(const uint8_t *line, uint32_t len, uint32_t *name_len)
{
    for (int c = FTP_COMMAND_UNKNOWN + 1; c < FTP_COMMAND_MAX; c++) {
        uint32_t n = (uint32_t)strlen(names[c]);
        if (len < n || strncasecmp((const char *)line, names[c], n) != 0)
            continue;
        if (len > n && line[n] != ' ')
            continue;
        *name_len = n;
        return (FtpCommandCode)c;
    }
    *name_len = 0;
    return FTP_COMMAND_UNKNOWN;
}

/* The oldest transaction still waiting for its reply, and how many do. */
static FtpTx *in_flight(FtpState *s, uint64_t *count)
{
    FtpTx *oldest = NULL;
    *count = 0;
    for (uint32_t i = 0; i < s->ntx; i++) {
        if (s->txs[i]->done)
            continue;
        if (!oldest)
            oldest = s->txs[i];
        (*count)++;
    }
    return oldest;
}

void ftp_handle_request(FtpState *s, const uint8_t *line, uint32_t len, bool truncated)
{
    uint64_t waiting;
    FtpTx *oldest = in_flight(s, &waiting);
    if (oldest && waiting >= s->max_tx) {
        ftp_tx_set_event(oldest, FTP_EVENT_TOO_MANY_TRANSACTIONS);
        s->failed = true;
        return;
    }
    FtpTx *tx = ftp_tx_new(s);
    if (!tx) {
        s->failed = true;
        return;
    }
    uint32_t nl;
    tx->cmd = ftp_command_lookup(line, len, &nl);
    tx->has_request = true;
    if (!ftp_dup(line, len, &tx->req)) {
        s->failed = true;
        return;
    }
    tx->req_len = len;
    tx->req_truncated = truncated;
    if (truncated)
        ftp_tx_set_event(tx, FTP_EVENT_REQUEST_COMMAND_TOO_LONG);
    if (tx->cmd == FTP_COMMAND_RETR || tx->cmd == FTP_COMMAND_STOR) {
        tx->is_data_cmd = true;
        tx->data_exp = s->expect;
        if (s->expect.port == 0)
            ftp_tx_set_event(tx, FTP_EVENT_FILE_BEFORE_PORT);
    }
}
