/*
 * Application-layer protocol names as rules write them (`alert http ...`,
 * app-layer-protocol:tls) and whether Odlar implements each one yet.
 *
 * Values are stable small numbers (AppProto): 0 is "unknown/none". The
 * table is read-only. A rule naming a protocol whose `implemented` is false
 * fails to load with "protocol 'http' is not supported yet"; the app-layer
 * engineers flip the flag (one line in app-proto.c) when a parser lands.
 */
#ifndef ODLAR_DETECT_APP_PROTO_H
#define ODLAR_DETECT_APP_PROTO_H

#include <stdbool.h>
#include <stdint.h>

typedef uint16_t AppProto;
#define APP_PROTO_UNKNOWN 0

typedef struct AppProtoInfo {
    const char *name; /* as in rules and EVE app_proto */
    AppProto id;
    uint8_t ipproto; /* 6 tcp, 17 udp, 0 both */
    bool implemented;
} AppProtoInfo;

#define APP_PROTO_HTTP_ID 1
#define APP_PROTO_HTTP2_ID 2
#define APP_PROTO_SMB_ID 9
#define APP_PROTO_DCERPC_ID 10

/* Whether a rule for protocol `sig` applies to a flow of protocol `flow`:
 * the same protocol, or, as in Suricata's AppProtoEquals, a `dcerpc` rule
 * on an SMB flow (DCE/RPC is carried over SMB named pipes) and an `http`
 * rule on an HTTP/2 flow (`http` is HTTP/1 or HTTP/2; such a rule's buffer
 * lists are read from the HTTP/2 transactions, detect/file-protocols.h). */
static inline bool app_proto_sig_matches(AppProto sig, AppProto flow)
{
    return sig == flow || (sig == APP_PROTO_DCERPC_ID && flow == APP_PROTO_SMB_ID) ||
           (sig == APP_PROTO_HTTP_ID && flow == APP_PROTO_HTTP2_ID);
}

/* The protocol named `name` (rule spelling, including aliases such as
 * "http1"), or NULL. */
const AppProtoInfo *app_proto_by_name(const char *name);
/* The protocol with id `id`, or NULL. */
const AppProtoInfo *app_proto_by_id(AppProto id);
/* EVE name of `id`; NULL for unknown. */
const char *app_proto_name(AppProto id);

#endif
