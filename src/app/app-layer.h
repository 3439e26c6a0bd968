/*
 * The application-layer framework: which protocol a flow speaks, the
 * protocol parser's per-flow state, feeding it reassembled TCP data and UDP
 * payloads, and logging its transactions to EVE.
 *
 * Each protocol is described by an AppParserDef (an ops table over the
 * parser's own state/transaction types, registered in app-registry.c).
 * Detection follows Suricata: port-independent patterns on the first bytes
 * of each direction for http, tls, ssh, smtp and ftp, and probing parsers
 * on the configured `app-layer.protocols.<p>.detection-ports` (dns, pop3,
 * dhcp, and ntp known by name only; see app-detect.c). A flow
 * whose detection gives up gets app_proto "failed". Once known, the parser
 * sees every byte in order; after each call the framework logs the
 * transactions that completed (event_type <proto>, when the eve-log `types`
 * list has it, after an `anomaly` record per parser event), counts them in
 * app_layer.tx.<proto>, and releases them. What is left is logged when the
 * flow ends.
 */
#ifndef ODLAR_APP_APP_LAYER_H
#define ODLAR_APP_APP_LAYER_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/conf.h"
#include "decode/packet.h"
#include "detect/app-proto.h"
#include "engine/counters.h"
#include "flow/flow.h"
#include "output/eve.h"
#include "util/json.h"
#include "util/time.h"

/* Highest AppProto id the framework handles (ids index its tables). */
#define APP_PROTO_MAX 64

/* AppParserDef.tx_dirs bits */
#define APP_TX_DIR_TOSERVER 1u
#define APP_TX_DIR_TOCLIENT 2u

/* One protocol parser. `state`/`tx` pointers are the parser's own types;
 * integrators write small wrappers (see app-registry.c). NULL callbacks
 * are skipped. */
typedef struct AppParserDef {
    AppProto proto; /* from detect/app-proto.h */
    const char *name; /* EVE event_type, conf and counter name ("dns") */
    void *(*state_new)(bool tcp);
    /* optional, used instead of state_new: settings chosen per flow (HTTP's
     * server-config by server address) */
    void *(*state_new_flow)(const Flow *f);
    void (*state_free)(void *state);
    /* false: the parser gave up on this direction (no more data is sent) */
    bool (*parse)(void *state, bool to_server, const uint8_t *data, uint32_t len, OdTime ts);
    void (*gap)(void *state, bool to_server, uint32_t len);
    void (*end)(void *state, bool to_server);
    uint64_t (*tx_count)(const void *state); /* ids 0 .. count-1 exist or existed */
    void *(*tx_get)(void *state, uint64_t id); /* NULL once released */
    bool (*tx_done)(const void *tx, bool to_server);
    void (*tx_release)(void *state, uint64_t upto_id); /* frees ids < upto_id */
    /* optional: detection finished a run over the transaction on a packet
     * of that direction (flow_end: the flow's last); streaming buffers
     * record their window as inspected (BufferDef.window). */
    void (*tx_inspected)(void *tx, bool to_server, bool flow_end);
    /* Suricata's one-way transactions (tx_data for_direction): the
     * directions a transaction belongs to (APP_TX_DIR_* bits); the other
     * side's detection skips it (APP_LAYER_TX_SKIP_INSPECT_TS/TC) and one
     * side's inspection frees it (APP_LAYER_PARSER_OPT_UNIDIR_TXS). NULL:
     * every transaction belongs to both. */
    uint8_t (*tx_dirs)(const void *tx);
    int (*tx_event_count)(const void *tx);
    int (*tx_event_get)(const void *tx, int i);
    const char *(*event_name)(int ev);
    /* EVE: options of the eve-log `types` entry (NULL when it has none) to
     * a logger configuration; freed with log_config_free. */
    void *(*log_config)(ConfNode *opts);
    void (*log_config_free)(void *cfg);
    /* Writes record `part` (0, 1, ...; most protocols have only part 0) of
     * the transaction: `"<name>": {...}` into the open record. Returns
     * false, writing nothing, when there is no such part. */
    bool (*log_tx)(JsonBuf *j, const void *tx, const void *cfg, uint32_t part);
    /* Record addresses: 1 = client to server, 2 = server to client (a
     * one-direction transaction), 0/NULL = client to server (Suricata's
     * LOG_DIR_FLOW). */
    int (*log_dir)(const void *tx, const void *cfg);
    /* true: no "tx_id" in the record header (the object carries it). */
    bool no_header_tx_id;
    /* wire: true once the parser stopped because the flow changed protocol
     * (HTTP CONNECT tunnel or 101, SMTP STARTTLS, POP3 STLS), asked when
     * parse returns false: the framework logs what is left, drops the
     * state and runs detection again on the following data, as Suricata
     * does (transaction ids restart at 0). NULL: never. */
    bool (*proto_change)(const void *state);
    /* wire: the protocol a change this parser asks for must bring (TLS
     * after STARTTLS/STLS, Suricata's alproto_expect); another one found
     * raises APPLAYER_UNEXPECTED_PROTOCOL (and APPLAYER_NO_TLS_AFTER_STARTTLS
     * when TLS was expected). 0: any protocol. */
    AppProto change_expect;
    /* wire: the parser asked for a change while the flow's previous change
     * was still being decided (it was detected on the data that followed
     * that change): the framework refuses it, as Suricata's
     * AppLayerRequestProtocolChange does, and calls this so the parser
     * raises its FAILED_PROTOCOL_CHANGE event; the parser is not fed any
     * more. NULL: no event. */
    void (*proto_change_refused)(void *state);
    /* wire: bytes at the end of the last parse call of that direction that
     * came after the change (the parser stopped before them): they go to
     * the next protocol's detection, as Suricata's incomplete result after
     * a protocol change (the SETTINGS frame behind an HTTP/1 101 response
     * in the same segment). NULL: none. */
    uint32_t (*change_unparsed)(const void *state, bool to_server);
    /* wire: what the next protocol may take over from this one after a
     * change (HTTP/1's upgraded request, which HTTP/2 carries on as stream
     * 1); owned by the framework, freed with handoff_free. NULL: nothing. */
    void *(*change_handoff)(const void *state);
    void (*handoff_free)(void *handoff);
    /* wire: takes over a previous protocol's handoff (see change_handoff),
     * right after the state was made for a flow that changed from `from`. */
    void (*adopt)(void *state, AppProto from, const void *handoff);
    /* wire: called after each parse with the flow (FTP registers the data
     * channels it announced). NULL: none. */
    void (*after_parse)(void *state, const Flow *f);
    /* wire: eve-log `types` entry enabling the records when it differs from
     * `name` (ftp_data records are enabled by "ftp"). NULL: name. */
    const char *conf_name;
    /* EVE event_type of the transaction records when it differs from
     * `name` (HTTP/2's are "http" records). NULL: name. */
    const char *event_type;
    /* Transactions complete out of id order (HTTP/2's streams): each is
     * logged once complete, the earlier ones still open or not, as
     * Suricata's per-transaction logged flags allow; tx_logged/
     * tx_set_logged keep that flag. NULL: in id order, stopping at the
     * first incomplete one. */
    bool (*tx_logged)(const void *tx);
    void (*tx_set_logged)(void *tx);
    /* files: the file container of a transaction direction (app/file.h),
     * logged as EVE fileinfo records. NULL: the protocol carries no files. */
    struct AppFileContainer *(*tx_files)(void *tx, bool to_server);
    /* bypass: true once the protocol wants the rest of the flow bypassed
     * (encryption-handling: bypass, after the handshake). NULL: never. */
    bool (*bypass_ready)(const void *state);
    /* raw stream: messages of a direction parsed to their end so far (HTTP
     * requests/responses, TLS records, DNS messages); each new one asks for
     * raw stream inspection of that direction on its next packet
     * (Suricata's AppLayerParserTriggerRawStreamReassembly). NULL: never. */
    uint64_t (*raw_triggers)(const void *state, bool to_server);
} AppParserDef;

/* Registers a parser (replacing one with the same proto). */
void app_layer_register(const AppParserDef *def);
const AppParserDef *app_layer_parser(AppProto proto);
/* Registers the built-in parsers (app-registry.c); idempotent. */
void app_layer_register_builtin(void);

/* Per-protocol settings from `app-layer.protocols.<name>`. As Suricata,
 * detection and parsing are switched per protocol AND transport: the
 * protocol's own `enabled` applies to both, else `<name>.tcp.enabled` and
 * `<name>.udp.enabled` each to its transport, else on. */
typedef struct AppProtoConf {
    bool tcp_enabled, udp_enabled; /* detection on (enabled: yes / detection-only) */
    bool tcp_parse, udp_parse; /* parser on (enabled: yes) */
    uint16_t tcp_ports[16], udp_ports[16]; /* detection-ports; 0 ends the list */
    uint8_t tcp_port_count, udp_port_count;
} AppProtoConf;

typedef struct AppLayerConfig {
    AppProtoConf proto[APP_PROTO_MAX];
} AppLayerConfig;

/* Suricata's defaults: every protocol enabled, dns on port 53. */
void app_layer_config_defaults(AppLayerConfig *cfg);
/* Reads app-layer.protocols.* over the defaults. */
bool app_layer_config_read(Conf *conf, AppLayerConfig *cfg, char *err, size_t errlen);

/* Per worker. */
typedef struct AppLayerThread {
    const AppLayerConfig *cfg;
    Counters *ctr;
    Eve *eve;
    JsonBuf jb;
    /* per protocol: EVE logging on, and the logger's configuration */
    bool log_on[APP_PROTO_MAX];
    void *log_cfg[APP_PROTO_MAX];
    bool log_files; /* EVE fileinfo records (the `files` type) are on */
    /* the packet being processed (its header goes on records); NULL at
     * flow end, when a pseudo packet is made from the flow */
    Packet *pkt;
    /* exception policies: called when a parser fails (the errors counted
     * in app_layer.error.<proto>.parser) on the flow of the packet being
     * processed, where Suricata applies app-layer.error-policy. NULL: none. */
    void (*parser_error)(void *ctx, Flow *f);
    void *parser_error_ctx;
} AppLayerThread;

void app_layer_thread_init(AppLayerThread *at, const AppLayerConfig *cfg, Counters *ctr, Eve *eve);
void app_layer_thread_free(AppLayerThread *at);

/* TCP: the StreamSink callbacks' job. */
void app_layer_tcp_data(AppLayerThread *at, Flow *f, bool to_server, const uint8_t *data, uint32_t len);
/* midstream: true once (and then false) when protocol detection found that
 * a session picked up midstream runs the other way (the first data seen
 * was the server's); the caller then reverses the flow after the stream
 * stage (stream_tcp_reverse, detect_flow_reverse). */
bool app_layer_take_reverse(Flow *f);
void app_layer_tcp_gap(AppLayerThread *at, Flow *f, bool to_server, uint32_t len);
void app_layer_tcp_end(AppLayerThread *at, Flow *f, bool to_server);
/* UDP: one datagram of flow p->flow. May reverse the flow (flow_swap and
 * p->to_server flipped) when detection finds the first packet was the
 * server's, as Suricata does. */
void app_layer_udp(AppLayerThread *at, Packet *p);
/* After detection and the packet's own records: logs the transactions the
 * packet completed on its flow, and the files closed so far in the
 * packet's direction (also when the packet parsed nothing). Suricata runs transaction loggers after
 * detection and after the packet loggers (alert, drop, anomaly), so a
 * record shows the flowbits the packet's rules set and comes after the
 * packet's alerts. */
void app_layer_output_pending(AppLayerThread *at, Packet *p);
/* The flow ends: log what is left, free the state. */
void app_layer_flow_end(AppLayerThread *at, Flow *f);
/* A drop rule dropped the flow (IPS): as Suricata, which runs no
 * end-of-flow pass over a dropped flow, transactions still incomplete at
 * its end are not logged. Call before app_layer_flow_end. */
void app_layer_flow_dropped(Flow *f);
/* bypass: the flow's parser asks for the flow to be bypassed
 * (AppParserDef.bypass_ready). */
bool app_layer_flow_bypass_ready(const Flow *f);
/* Frees the per-flow state without logging (also safe on flows without). */
void app_layer_flow_free(Flow *f);
/* A number that changes whenever f's parser state may have changed (data
 * parsed, a gap, end of a direction, a protocol change): detection caches
 * what it derived from the transactions until it moves. */
uint32_t app_layer_generation(const Flow *f);

/* The parser's state and transaction accessors for detection: the state
 * of f when its protocol is `proto`, else NULL. */
void *app_layer_state(const Flow *f, AppProto proto);
/* frames: the frames of f (app/frames.h), NULL when it has none. */
struct AppFrames *app_layer_frames(const Flow *f);
/* wire: the protocol a flow had before a protocol change (HTTP CONNECT
 * tunnel re-detected as TLS), 0 if none; valid until app_layer_flow_end,
 * which copies it to Flow.app_proto_orig for the flow record. */
AppProto app_layer_orig_proto(const Flow *f);
/* wire: the protocol the flow's protocol change expected (TLS after
 * STARTTLS) when the flow has another one, else 0; copied to
 * Flow.app_proto_expect (EVE app_proto_expected) by app_layer_flow_end. */
AppProto app_layer_expected_proto(const Flow *f);
/* wire: rules using ja3/ja3s or ja4 keywords turn the fingerprints on in
 * the tls records (Suricata's "auto"); call after app_layer_config_read. An
 * explicit `ja3-fingerprints: no` / `ja4-fingerprints: no` wins. */
void app_tls_enable_fingerprints(bool ja3, bool ja4);
/* buf: detection registers the first transaction id of a flow it still
 * needs (UINT64_MAX: none); transactions from there on are not released. */
void app_layer_set_tx_hold(uint64_t (*hold)(const Flow *f));
/* Detection registers whether a transaction may be logged (a `config`
 * rule can take it out of logging); NULL or true: logged. */
void app_layer_set_tx_loggable(bool (*loggable)(const Flow *f, uint64_t tx_id));

/* Protocol-detection events raised on the packet being processed
 * (Packet.app_events bits), Suricata's packet app-layer events: logged as
 * EVE anomaly records (type applayer, layer proto_detect) and matched by
 * app-layer-event:applayer_<name>. */
#define APP_PKT_EV_MISMATCH_PROTOCOL_BOTH_DIRECTIONS 0x01
#define APP_PKT_EV_DETECT_PROTOCOL_ONLY_ONE_DIRECTION 0x02
#define APP_PKT_EV_UNEXPECTED_PROTOCOL 0x04
#define APP_PKT_EV_NO_TLS_AFTER_STARTTLS 0x08
#define APP_PKT_EV_PROTO_DETECTION_SKIPPED 0x10
#define APP_PKT_EV_COUNT 5
/* The EVE name of event bit number i (0 ..), e.g.
 * "APPLAYER_MISMATCH_PROTOCOL_BOTH_DIRECTIONS"; NULL past the last. */
const char *app_pkt_event_name(int i);
/* The bit of `applayer_<name>` (any case); 0 for the protocol-detection
 * events Odlar does not raise (applayer_wrong_direction_first_data,
 * applayer_proto_detection_skipped), -1 for an unknown name. */
int app_pkt_event_bit(const char *name);
/* Whether p is the packet on which protocol detection finished for p's
 * direction (Suricata's PKT_PROTO_DETECT_TS_DONE / _TC_DONE: the packet
 * that completed it, or when detection of that direction was completed by
 * a packet of the other direction, the next packet of the direction). */
bool app_layer_proto_detect_done_on(const Flow *f, const Packet *p);

/* Protocol detection (app-detect.c): `data` is the start of a direction.
 * Returns the protocol, APP_PROTO_UNKNOWN when more data may decide, or
 * APP_DETECT_NONE when no protocol can match. *reverse is set when the
 * data was a server's (e.g. a DNS response sent "to server"). */
#define APP_DETECT_NONE 0xffff
AppProto app_detect(const AppLayerConfig *cfg, uint8_t ipproto, bool to_server, uint16_t sp, uint16_t dp,
                    const uint8_t *data, uint32_t len, bool *reverse);

/* Counter ids for a protocol on a transport (app_layer.flow.* / .tx.*);
 * CTR_MAX when there is none. */
CounterId app_layer_flow_counter(AppProto proto, uint8_t ipproto);
CounterId app_layer_tx_counter(AppProto proto, uint8_t ipproto);

/* app-output.c: logging the transactions of a flow that are complete
 * (all when `flush`), then releasing them. */
struct AppFlow;
void app_output_flow(AppLayerThread *at, Flow *f, bool flush);

#endif
