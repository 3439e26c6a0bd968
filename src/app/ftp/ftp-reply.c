/*
 * FTP replies (RFC 959 section 4.2). A line "ddd text" or "ddd-text" has a
 * completion code; other lines (inside multi-line replies) are text only.
 * Lines go to the oldest transaction still waiting (a new command-less one
 * when none waits, e.g. the 220 greeting). The transaction completes at a
 * line that is not a 1xx preliminary reply and not inside a multi-line
 * reply ("ddd-" ... until "ddd " with the same code). Replies to PORT/EPRT
 * confirm the announced port (active mode); "227 " to PASV and "229 " to
 * EPSV announce it (passive mode); "234 " to AUTH TLS requests the TLS
 * upgrade.
 */
#include "app/ftp/ftp-internal.h"

#include <string.h>

static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

static FtpTx *oldest_open(FtpState *s)
{
    for (uint32_t i = 0; i < s->ntx; i++)
        if (!s->txs[i]->done)
            return s->txs[i];
    return NULL;
}

static bool add_line(FtpTx *tx, const uint8_t *line, uint32_t len, bool truncated)
{
    if (tx->nreplies == tx->capreplies) {
        uint32_t ncap = tx->capreplies ? tx->capreplies * 2 : 4;
        FtpReplyLine *n = ftp_realloc(tx->replies, tx->capreplies * sizeof(FtpReplyLine),
                                      ncap * sizeof(FtpReplyLine));
        if (!n)
            return false;
        tx->replies = n;
        tx->capreplies = ncap;
    }
    FtpReplyLine *r = &tx->replies[tx->nreplies];
    memset(r, 0, sizeof(*r));
    const uint8_t *text = line;
    uint32_t tl = len;
    if (len >= 3 && is_digit(line[0]) && is_digit(line[1]) && is_digit(line[2]) &&
        (len == 3 || line[3] == ' ' || line[3] == '-')) {
        memcpy(r->code, line, 3);
        r->has_code = true;
        text = len > 3 ? line + 4 : line + 3;
        tl = len > 3 ? len - 4 : 0;
    }
    if (!ftp_dup(text, tl, &r->text))
        return false;
    r->text_len = tl;
    r->truncated = truncated;
    tx->nreplies++;
    return true;
}

void ftp_handle_reply(FtpState *s, const uint8_t *line, uint32_t len, bool truncated)
{
    FtpTx *tx = oldest_open(s);
    if (!tx)
        tx = ftp_tx_new(s);
    if (!tx) {
        s->failed = true;
        return;
    }
    if (truncated)
        ftp_tx_set_event(tx, FTP_EVENT_RESPONSE_COMMAND_TOO_LONG);
    bool skip_line = false;
    if (!tx->in_multiline) {
        FtpExpect e = { 0 };
        uint16_t port = 0;
        uint32_t nl = (uint32_t)strlen(ftp_command_name(tx->cmd)) + 1;
        const uint8_t *arg = tx->req_len > nl ? tx->req + nl : (const uint8_t *)"";
        uint32_t al = tx->req_len > nl ? tx->req_len - nl : 0;
        switch (tx->cmd) {
        case FTP_COMMAND_AUTH_TLS:
            if (len >= 4 && memcmp(line, "234 ", 4) == 0)
                s->tls_upgrade = true;
            break;
        case FTP_COMMAND_PORT:
        case FTP_COMMAND_EPRT:
            port = tx->cmd == FTP_COMMAND_PORT ? ftp_parse_port_arg(arg, al, &e)
                                               : ftp_parse_eprt_arg(arg, al, &e);
            if (port == 0) {
                skip_line = true; /* Suricata: straight to completion */
                break;
            }
            e.port = port;
            e.active = true;
            s->expect = e;
            tx->dyn_port = port;
            tx->active = true;
            break;
        case FTP_COMMAND_PASV:
            if (len >= 4 && memcmp(line, "227 ", 4) == 0 &&
                (port = ftp_parse_pasv_reply(line, len, &e)) != 0) {
                e.port = port;
                s->expect = e;
                tx->dyn_port = port;
            }
            break;
        case FTP_COMMAND_EPSV:
            if (len >= 4 && memcmp(line, "229 ", 4) == 0 &&
                (port = ftp_parse_epsv_reply(line, len)) != 0) {
                e.port = port;
                s->expect = e;
                tx->dyn_port = port;
            }
            break;
        default:
            break;
        }
    }
    if (skip_line) {
        tx->done = true;
        return;
    }
    if (len > 0 && !add_line(tx, line, len, truncated)) {
        s->failed = true;
        return;
    }
    bool coded = len >= 3 && is_digit(line[0]) && is_digit(line[1]) && is_digit(line[2]) &&
                 (len == 3 || line[3] == ' ' || line[3] == '-');
    if (tx->in_multiline) {
        if (coded && memcmp(line, tx->ml_code, 3) == 0 && (len == 3 || line[3] == ' '))
            tx->in_multiline = false;
        else
            return;
    } else if (coded && len > 3 && line[3] == '-') {
        tx->in_multiline = true;
        memcpy(tx->ml_code, line, 3);
        return;
    }
    if (len >= 1 && line[0] == '1')
        return; /* preliminary reply */
    tx->done = true;
}
