/*
 * The per-flow app-layer record (Flow.app), shared by the framework's files
 * (app-layer.c feeds it, app-output.c logs from it). Nothing outside
 * src/app touches it.
 */
#ifndef ODLAR_APP_APP_INTERNAL_H
#define ODLAR_APP_APP_INTERNAL_H

#include "app/app-layer.h"

/* Bytes kept per direction while detection is undecided. */
#define APP_DETECT_BUF_MAX 65536
/* Detection gives up on a direction after this many bytes. */
#define APP_DETECT_GIVE_UP 4096
/* EVE app_proto id of "failed" (detect/app-proto.c). */
#define APP_PROTO_FAILED 35
/* EVE app_proto id of "tls": what STARTTLS / STLS hand the flow over to. */
#define APP_PROTO_TLS 4

typedef struct AppFlow {
    const AppParserDef *def; /* NULL until a parser is attached */
    void *state;
    uint8_t *buf[2]; /* TCP data seen while detecting, 0 = to server */
    uint32_t len[2];
    bool none[2]; /* detection found nothing in this direction */
    bool tried[2]; /* UDP: detection ran on this direction */
    bool parse_failed[2];
    uint64_t log_next; /* first transaction not yet logged */
    uint64_t files_next; /* files: first logged transaction whose files may still wait (app-output.c) */
    AppProto orig_proto; /* protocol before a proto_change (0: none) */
    /* wire: what the previous protocol handed over (AppParserDef.
     * change_handoff) until the next parser is attached */
    void *handoff;
    void (*handoff_free)(void *handoff);
    /* a proto_change is waiting for detection to decide the new protocol
     * (Suricata's FLOW_CHANGE_PROTO); a further change asked meanwhile is
     * refused */
    bool changing;
    AppProto expect_proto; /* what that change expects (0: any) */
    int8_t first_dir; /* direction whose data came first (0/1; -1 none yet) */
    uint32_t gen; /* bumped whenever the parser state may have changed */
    bool output_pending; /* transactions to log once the packet was inspected */
    /* files: closed files of a direction wait to be logged on a packet of
     * that direction (app-output.c): bit 0 to server, bit 1 to client */
    uint8_t files_waiting;
    bool dropped; /* IPS dropped the flow: nothing more is logged at its end */
    /* midstream: detection found the other side's protocol pattern, the
     * flow is to be reversed after this packet's stream stage; until then
     * directions handed in are flipped (app_layer_take_reverse) */
    bool reverse_pending;
    struct AppFrames *frames; /* frames: the parser's frames (TCP, when frames are on) */
    /* detection per direction (0 = to server): finished, and the number
     * of the direction's packet (Flow.pkts_toserver / pkts_toclient) that
     * carries the "detection done" mark */
    bool dir_done[2];
    uint64_t pd_pkt[2];
} AppFlow;

/* wire: the HTTP/1 request a 101 upgraded (AppParserDef.change_handoff of
 * HTTP), which HTTP/2 carries on as its stream 1 (Suricata's
 * HTTP2MimicHttp1Request). Copies; app_upgrade_request_free frees it. */
typedef struct AppUpgradeField {
    uint8_t *name, *value;
    uint32_t name_len, value_len;
} AppUpgradeField;
typedef struct AppUpgradeRequest {
    uint8_t *method, *uri; /* uri NULL: the request line had none */
    uint32_t method_len, uri_len;
    AppUpgradeField *headers;
    uint32_t header_count;
} AppUpgradeRequest;
void app_upgrade_request_free(void *req);

/* Integrated protocols (app-<proto>.c): their parser tables, and their
 * settings read from the configuration by app_layer_config_read. */
extern const AppParserDef app_http_def, app_tls_def, app_ssh_def, app_ftp_def;
void app_http_configure(Conf *conf);
void app_tls_configure(Conf *conf);
void app_ssh_configure(Conf *conf);
void app_ftp_configure(Conf *conf);
/* SMTP (app-smtp.c). */
extern const AppParserDef app_smtp_def;
void app_smtp_configure(Conf *conf);
/* Detected (app-detect.c), not parsed: SMB on TCP 139 and 445, Telnet on
 * TCP 23, IKE on UDP 500 by default. */
#define APP_PROTO_SMB APP_PROTO_SMB_ID /* detect/app-proto.h */
#define APP_PROTO_IKE 13
#define APP_PROTO_TELNET 32
/* DHCP (app-dhcp.c): UDP 67/68 by default. */
#define APP_PROTO_DHCP 15
extern const AppParserDef app_dhcp_def;
/* HTTP/2 (app-http2.c): the client's preface anywhere, the server's
 * SETTINGS frame on TCP 80 by default. */
#define APP_PROTO_HTTP2 2
extern const AppParserDef app_http2_def;
void app_http2_configure(Conf *conf);
/* POP3 (app-pop3.c). */
extern const AppParserDef app_pop3_def;
void app_pop3_configure(Conf *conf);
/* ftp-data (app-ftp.c): a new TCP flow matching a data channel an FTP
 * control flow announced gets the ftp-data parser; *state is its state. */
extern const AppParserDef app_ftp_data_def;
bool app_ftp_data_claim(const Flow *f, void **state);
/* app_layer.error.<proto>.gap (gap) or .parser counter; CTR_MAX if none */
CounterId app_layer_error_counter(AppProto proto, bool gap);

#endif
