/*
 * The frame types of each protocol (Suricata 8's names): what
 * `frame:<proto>.<type>` names in a rule and what EVE writes as
 * `frame.type`. Protocols are named as the frame keyword names them
 * (`http1` for HTTP/1, otherwise the app-layer name); every protocol also
 * has the `stream` frame (APP_FRAME_TYPE_STREAM).
 */
#ifndef ODLAR_APP_FRAME_TYPES_H
#define ODLAR_APP_FRAME_TYPES_H

#include <stdbool.h>
#include <stdint.h>

/* HTTP/1 (app proto 1) */
#define HTTP_FRAME_REQUEST 0
#define HTTP_FRAME_RESPONSE 1
/* SSH (5): a binary packet's 6-byte header, what follows it, the whole */
#define SSH_FRAME_RECORD_HDR 0
#define SSH_FRAME_RECORD_DATA 1
#define SSH_FRAME_RECORD_PDU 2
/* SMTP (6) */
#define SMTP_FRAME_COMMAND_LINE 0
#define SMTP_FRAME_DATA 1
#define SMTP_FRAME_RESPONSE_LINE 2

/* Resolves "<proto>.<type>" (or "<type>" when `rule_proto` is an app
 * protocol, 0 otherwise): the protocol id and type. False when unknown. */
bool frame_type_lookup(const char *name, uint16_t rule_proto, uint16_t *proto, uint8_t *type);
/* The name of type `type` of protocol `proto` ("command_line"), or NULL. */
const char *frame_type_name(uint16_t proto, uint8_t type);

#endif
