/*
 * EVE output for FTP as Suricata 8 writes it (output-json-ftp.c):
 *   "ftp": {"command", "command_data", "command_truncated",
 *           "completion_code": [...], "reply": [...], "dynamic_port",
 *           "mode" (PORT/EPRT: active, PASV/EPSV: passive), "reply_received": "yes"/"no",
 *           "reply_truncated"}
 * and the data channel's "ftp_data": {"filename", "command"}.
 */
#include "app/ftp/ftp-internal.h"

void ftp_log_tx(JsonBuf *j, const FtpTx *tx, const FtpLogConfig *cfg)
{
    (void)cfg;
    jb_open_object(j, "ftp");
    if (tx->cmd != FTP_COMMAND_UNKNOWN) {
        jb_str(j, "command", ftp_command_name(tx->cmd));
        const uint8_t *p;
        uint32_t n;
        if (ftp_tx_get_command_data(tx, &p, &n)) {
            jb_strn(j, "command_data", p, n);
            jb_bool(j, "command_truncated", tx->req_truncated);
        }
    }
    bool reply_truncated = false;
    bool open = false;
    for (uint32_t i = 0; i < tx->nreplies; i++) {
        if (tx->replies[i].truncated)
            reply_truncated = true;
        if (!tx->replies[i].has_code)
            continue;
        if (!open) {
            jb_open_array(j, "completion_code");
            open = true;
        }
        jb_strn(j, NULL, tx->replies[i].code, 3);
    }
    if (open)
        jb_close_array(j);
    open = false;
    for (uint32_t i = 0; i < tx->nreplies; i++) {
        if (tx->replies[i].text_len == 0)
            continue;
        if (!open) {
            jb_open_array(j, "reply");
            open = true;
        }
        jb_strn(j, NULL, tx->replies[i].text, tx->replies[i].text_len);
    }
    if (open)
        jb_close_array(j);
    if (tx->dyn_port)
        jb_uint(j, "dynamic_port", tx->dyn_port);
    if (tx->cmd == FTP_COMMAND_PORT || tx->cmd == FTP_COMMAND_EPRT)
        jb_str(j, "mode", tx->active ? "active" : "passive");
    else if (tx->cmd == FTP_COMMAND_PASV || tx->cmd == FTP_COMMAND_EPSV)
        jb_str(j, "mode", "passive");
    jb_str(j, "reply_received", tx->done ? "yes" : "no");
    jb_bool(j, "reply_truncated", reply_truncated);
    jb_close_object(j);
}

void ftp_data_log(JsonBuf *j, const uint8_t *file, uint32_t file_len, FtpCommandCode cmd)
{
    jb_open_object(j, "ftp_data");
    if (file)
        jb_strn(j, "filename", file, file_len);
    if (cmd == FTP_COMMAND_STOR)
        jb_str(j, "command", "STOR");
    else if (cmd == FTP_COMMAND_RETR)
        jb_str(j, "command", "RETR");
    jb_close_object(j);
}
