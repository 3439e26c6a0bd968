/*
 * POP3 parser (RFC 1939; CAPA of RFC 2449; STLS of RFC 2595; AUTH of
 * RFC 5034), emulating Suricata 8's rust/src/pop3.
 *
 * Client lines are commands ("KEYWORD [SP arg]* CRLF"); each creates one
 * transaction. Server replies ("+OK ..." / "-ERR ...", or a "+ " SASL
 * challenge) go to the oldest transaction still waiting for one, or to a
 * new command-less transaction (the greeting). A +OK reply to CAPA, TOP,
 * RETR, or LIST/UIDL without argument is multi-line: its lines up to the
 * "." line are the response data (RETR's message is not kept). After a
 * +OK to AUTH (or a "+ " challenge to it) the next client line is a
 * "<SASL DATA>" transaction. A +OK to STLS ends the parser: the flow
 * changes to TLS (pop3_tls_upgrade). The module is a pure library driven
 * by the app-layer framework (src/app/app-pop3.c).
 */
#ifndef ODLAR_APP_POP3_H
#define ODLAR_APP_POP3_H

#include <stdbool.h>
#include <stdint.h>

#include "util/json.h"

typedef struct Pop3State Pop3State;
typedef struct Pop3Tx Pop3Tx;

/* Transaction events, in Suricata's order (app-layer-event:pop3.<name>). */
typedef enum Pop3Event {
    POP3_EV_TOO_MANY_TRANSACTIONS = 0,
    POP3_EV_REQUEST_TOO_LONG,
    POP3_EV_INCORRECT_ARGUMENT_COUNT,
    POP3_EV_UNKNOWN_COMMAND,
    POP3_EV_RESPONSE_TOO_LONG,
    POP3_EV_COUNT
} Pop3Event;

Pop3State *pop3_state_new(void);
void pop3_state_free(Pop3State *s);
/* Feeds stream bytes of one direction; false once the direction gave up
 * (a reply that is not POP3, or the flow changed to TLS). */
bool pop3_parse(Pop3State *s, bool to_server, const uint8_t *data, uint32_t len);
/* Missing bytes: the partial line is dropped and parsing resumes at the
 * next line. */
void pop3_gap(Pop3State *s, bool to_server);
/* true once the server accepted STLS: the rest of the flow is TLS. */
bool pop3_tls_upgrade(const Pop3State *s);

uint64_t pop3_tx_count(const Pop3State *s);
Pop3Tx *pop3_tx_get(Pop3State *s, uint64_t id);
bool pop3_tx_done(const Pop3Tx *tx, bool to_server);
void pop3_tx_release(Pop3State *s, uint64_t upto_id);
int pop3_tx_event_count(const Pop3Tx *tx);
int pop3_tx_event_get(const Pop3Tx *tx, int i);
const char *pop3_event_name(int ev);
/* Command keyword as logged (NULL for a greeting transaction). */
const char *pop3_tx_command(const Pop3Tx *tx);

/* Writes `"pop3": {...}` with Suricata 8's field names. */
void pop3_log_tx(JsonBuf *j, const Pop3Tx *tx);

/* The settings Suricata reads: app-layer.protocols.pop3.max-tx. */
void pop3_config_set_max_tx(uint32_t max_tx);

#endif
