/*
 * HTTP/2 parser (RFC 9113 framing, RFC 7541 header compression), emulating
 * Suricata 8's rust/src/http2.
 *
 * The client's stream starts with the 24-byte connection preface; after
 * it both directions are a series of frames: a 9-byte header (length,
 * type, flags, stream id) and the payload. Each frame goes to one
 * transaction, as Suricata keeps them: a frame on stream 0 (SETTINGS,
 * PING, GOAWAY, WINDOW_UPDATE of the connection) is a transaction of its
 * own, complete at once; the frames of stream N share stream N's
 * transaction, which is complete once both sides ended the stream
 * (END_STREAM) or it was reset. Header blocks are decompressed with one
 * HPACK decoder per direction (hpack.h). Frames longer than
 * HTTP2_MAX_FRAME_KEPT are read only in part (long_frame_data); a
 * zero-length SETTINGS frame (an acknowledgement) makes no transaction.
 *
 * The module is a pure library driven by the app-layer framework
 * (src/app/app-http2.c); transactions may complete out of id order.
 */
#ifndef ODLAR_APP_HTTP2_H
#define ODLAR_APP_HTTP2_H

#include <stdbool.h>
#include <stdint.h>

#include "util/json.h"

typedef struct Http2State Http2State;
typedef struct Http2Tx Http2Tx;

/* Transaction events, in Suricata's order (app-layer-event:http2.<name>). */
typedef enum Http2Event {
    HTTP2_EV_INVALID_FRAME_HEADER = 0,
    HTTP2_EV_INVALID_CLIENT_MAGIC,
    HTTP2_EV_INVALID_FRAME_DATA,
    HTTP2_EV_INVALID_HEADER,
    HTTP2_EV_INVALID_FRAME_LENGTH,
    HTTP2_EV_EXTRA_HEADER_DATA,
    HTTP2_EV_LONG_FRAME_DATA,
    HTTP2_EV_STREAM_ID_REUSE,
    HTTP2_EV_INVALID_HTTP1_SETTINGS,
    HTTP2_EV_FAILED_DECOMPRESSION,
    HTTP2_EV_INVALID_RANGE,
    HTTP2_EV_HEADER_INTEGER_OVERFLOW,
    HTTP2_EV_TOO_MANY_STREAMS,
    HTTP2_EV_AUTHORITY_HOST_MISMATCH,
    HTTP2_EV_USERINFO_IN_URI,
    HTTP2_EV_REASSEMBLY_LIMIT_REACHED,
    HTTP2_EV_COUNT
} Http2Event;

/* Settings: `app-layer.protocols.http2.max-streams` (transactions kept
 * before the oldest are given up) and `max-table-size` (the largest HPACK
 * dynamic table kept). */
void http2_config_set_max_streams(uint32_t n);
void http2_config_set_max_table_size(uint32_t n);

Http2State *http2_state_new(void);
void http2_state_free(Http2State *s);
/* Feeds stream bytes of one direction; false once the direction gave up
 * (a frame header that cannot be one). */
bool http2_parse(Http2State *s, bool to_server, const uint8_t *data, uint32_t len);
/* Missing bytes: the direction cannot find its next frame any more. */
void http2_gap(Http2State *s, bool to_server);

/* An HTTP/1 request a 101 upgraded to HTTP/2 (RFC 7540 section 3.2),
 * carried on as stream 1 as Suricata's HTTP2MimicHttp1Request does: the
 * method and URI as :method and :path, each request header as a field
 * (Host as :authority), the HTTP2-Settings header decoded into a stream 0
 * transaction of the client's settings (invalid_http1_settings when it
 * cannot be); stream 1's client side is then done. */
void http2_state_mimic_request(Http2State *s, const uint8_t *method, uint32_t method_len, const uint8_t *uri,
                               uint32_t uri_len, bool has_uri);
void http2_state_mimic_header(Http2State *s, const uint8_t *name, uint32_t name_len, const uint8_t *value,
                              uint32_t value_len);

uint64_t http2_tx_count(const Http2State *s);
Http2Tx *http2_tx_get(Http2State *s, uint64_t id);
bool http2_tx_done(const Http2Tx *tx);
void http2_tx_release(Http2State *s, uint64_t upto_id);
int http2_tx_event_count(const Http2Tx *tx);
int http2_tx_event_get(const Http2Tx *tx, int i);
const char *http2_event_name(int ev);
uint32_t http2_tx_stream_id(const Http2Tx *tx);

/* Rule buffers of a transaction (http2-buffers.c has what each holds).
 * The bytes stay valid until the transaction's headers grow or it is
 * freed. */
typedef enum Http2Buf {
    HTTP2_BUF_URI, /* http.uri and http.uri.raw */
    HTTP2_BUF_METHOD,
    HTTP2_BUF_STAT_CODE,
    HTTP2_BUF_HOST,
    HTTP2_BUF_HOST_RAW,
    HTTP2_BUF_USER_AGENT,
    HTTP2_BUF_COOKIE,
    HTTP2_BUF_HEADER,
    HTTP2_BUF_HEADER_RAW,
    HTTP2_BUF_HEADER_NAMES,
    HTTP2_BUF_PROTOCOL, /* "HTTP/2" */
    HTTP2_BUF_REQUEST_LINE, /* ":method :path HTTP/2" */
    HTTP2_BUF_RESPONSE_LINE, /* "HTTP/2 :status\r\n" */
    HTTP2_BUF_STAT_MSG, /* empty: HTTP/2 has no reason phrase */
    HTTP2_BUF_SERVER, /* the fields of these names, joined with ", " */
    HTTP2_BUF_LOCATION,
    HTTP2_BUF_REFERER,
    HTTP2_BUF_ACCEPT,
    HTTP2_BUF_ACCEPT_ENC,
    HTTP2_BUF_ACCEPT_LANG,
    HTTP2_BUF_CONNECTION,
    HTTP2_BUF_CONTENT_TYPE,
    HTTP2_BUF_CONTENT_LEN,
    HTTP2_BUF_COUNT
} Http2Buf;
bool http2_tx_buffer(Http2Tx *tx, Http2Buf which, bool to_server, const uint8_t **data, uint32_t *len);
/* http.request_header / http.response_header: instance `idx` of a side. */
bool http2_tx_header_at(Http2Tx *tx, bool to_server, uint32_t idx, const uint8_t **data, uint32_t *len);
/* A side's buffers may be inspected (Suricata's progress for them). */
bool http2_tx_ready(const Http2Tx *tx, bool to_server);
/* urilen: the length of the first :path, -1 without one. */
int64_t http2_tx_path_len(const Http2Tx *tx);
/* The http2.* keywords (Suricata 8's rust/src/http2/detect.rs), per side:
 * whether a frame of `type` came; the idx-th error code (GOAWAY,
 * RST_STREAM), priority weight (PRIORITY, HEADERS), window increment
 * (WINDOW_UPDATE) or dynamic table size update; the idx-th SETTINGS
 * parameter; the idx-th header field's name (http2.header_name). */
typedef enum Http2Value {
    HTTP2_VAL_ERROR_CODE,
    HTTP2_VAL_PRIORITY,
    HTTP2_VAL_WINDOW,
    HTTP2_VAL_SIZE_UPDATE,
} Http2Value;
bool http2_tx_has_frame_type(const Http2Tx *tx, bool to_server, uint8_t type);
bool http2_tx_value_at(const Http2Tx *tx, bool to_server, Http2Value which, uint32_t idx, uint64_t *value);
bool http2_tx_setting_at(const Http2Tx *tx, bool to_server, uint32_t idx, uint16_t *id, uint32_t *value);
bool http2_tx_header_name_at(const Http2Tx *tx, bool to_server, uint32_t idx, const uint8_t **data, uint32_t *len);
/* Rule spellings, case-insensitive: frame types as Suricata names them
 * (DATA, HEADERS, ..., RSTSTREAM, PUSHPROMISE, GOAWAY, WINDOWUPDATE, or a
 * number 0-255), error codes (NO_ERROR ... HTTP_1_1_REQUIRED, or a
 * number), settings (SETTINGS_HEADER_TABLE_SIZE ...); -1 when unknown. */
int http2_frame_type_by_name(const char *name);
int64_t http2_error_code_by_name(const char *name);
int http2_setting_id_by_name(const char *name);

/* files: a side's DATA as a file (app/file.h), for EVE fileinfo. */
struct AppFileContainer *http2_tx_files(Http2Tx *tx, bool to_server);

/* Writes `"http": {...}` as Suricata 8 logs an HTTP/2 transaction: the
 * version, request and response headers, the common fields taken from
 * them, and the "http2" object (stream id, settings, error code,
 * priority). Returns false when the transaction had none of those (a
 * PING, a WINDOW_UPDATE): Suricata writes no record for it. */
bool http2_log_tx(JsonBuf *j, const Http2Tx *tx);

/* The connection preface a client sends first (RFC 9113 section 3.4). */
#define HTTP2_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define HTTP2_PREFACE_LEN 24u
/* Protocol detection on the server's first bytes (Suricata's probe):
 * 1 when they start with a SETTINGS frame header of at most the default
 * maximum frame size, 0 when they cannot, 2 when 9 bytes are not there
 * yet. */
int http2_probe_server(const uint8_t *data, uint32_t len);

#endif
