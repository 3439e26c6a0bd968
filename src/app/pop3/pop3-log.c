/*
 * The EVE `pop3` object of a transaction, with Suricata 8's field names:
 * "request": {"command", "args": [...]} when the client sent a command,
 * "response": {"success", "status" ("OK"/"ERR"), "header", "data": [...]}
 * once the server's reply is complete.
 */
#include "app/pop3/pop3-internal.h"

void pop3_log_tx(JsonBuf *j, const Pop3Tx *tx)
{
    jb_open_object(j, "pop3");
    if (tx->has_request) {
        jb_open_object(j, "request");
        jb_str(j, "command", tx->keyword);
        jb_open_array(j, "args");
        for (uint32_t i = 0; i < tx->arg_count; i++)
            jb_strn(j, NULL, tx->args[i].p, tx->args[i].n);
        jb_close_array(j);
        jb_close_object(j);
    }
    if (tx->has_response && tx->complete) {
        jb_open_object(j, "response");
        jb_bool(j, "success", tx->status == POP3_STATUS_OK);
        jb_str(j, "status", tx->status == POP3_STATUS_OK ? "OK" : "ERR");
        jb_strn(j, "header", tx->header.p, tx->header.n);
        jb_open_array(j, "data");
        for (uint32_t i = 0; i < tx->data_count; i++)
            jb_strn(j, NULL, tx->data[i].p, tx->data[i].n);
        jb_close_array(j);
        jb_close_object(j);
    }
    jb_close_object(j);
}
