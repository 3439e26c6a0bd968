/*
 * HTTP/1.x application-layer parser (public interface).
 *
 * A pure library in the style of libhtp's IDS personality as Suricata 8
 * configures it: one `HttpState` per flow, fed the reassembled bytes of each
 * direction in any chunking (RFC 9112 message syntax, RFC 9110 semantics).
 * Requests and responses are paired into transactions (`HttpTx`) in order,
 * so pipelined requests each get their own transaction and responses are
 * matched to them first-in first-out. Each transaction records its progress
 * per direction, the anomalies seen (Suricata's HTTP app-layer event names),
 * the inspection buffers the rule keywords read (http.uri, http.header, ...)
 * and the fields the EVE `http` record prints. Bodies are kept up to the
 * configured limits, dechunked and gzip/deflate-decompressed (with bomb
 * limits) in both directions. Message bodies are also
 * tracked as files (app/file.h) for EVE fileinfo and the file keywords.
 *
 * The framework drives the parser through http_parse/http_gap/http_end and
 * frees transactions it has logged and inspected with http_tx_release.
 */
#ifndef ODLAR_APP_HTTP_H
#define ODLAR_APP_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "util/json.h"
#include "util/time.h"

typedef struct HttpConfig {
    uint32_t request_body_limit;   /* bytes of request body kept (0 = unlimited) */
    uint32_t response_body_limit;  /* bytes of decompressed response body kept */
    uint32_t field_limit;          /* longest header/request line before *_FIELD_TOO_LONG */
    uint32_t headers_limit;        /* headers per message before *_TOO_MANY_HEADERS */
    uint64_t compression_bomb_limit; /* decompressed bytes per body before COMPRESSION_BOMB */
    uint32_t decompression_layer_limit; /* content-encoding layers (TOO_MANY_ENCODING_LAYERS) */
    bool lzma_enabled; /* decode Content-Encoding: lzma (libhtp lzma-enabled, default off) */
    uint64_t lzma_memlimit; /* liblzma decoder memory limit (lzma-memlimit, 1 MiB) */
    /* request-/response-body-minimal-inspect-size and -inspect-window: a
     * growing body is inspected from the minimal size on, each detection
     * run from the last inspected offset minus (part of) the window
     * (http-inspect.c, http_tx_body_window / http_tx_file_window) */
    uint32_t request_inspect_min_size, request_inspect_window;
    uint32_t response_inspect_min_size, response_inspect_window;
    bool double_decode_path;  /* percent-decode the normalized path again (default no) */
    bool double_decode_query; /* percent-decode the query again (default no) */
    bool body_inline;         /* http-body-inline: inspect bodies as data arrives (no minimal size wait) */
    /* URI normalization switches a libhtp personality sets (IDS: all on) */
    bool path_backslash_separators; /* '\' is a path separator */
    bool path_u_decode;             /* %uHHHH is decoded */
    bool path_compress_separators;  /* "//" becomes "/" */
    uint32_t max_tx;               /* live transactions per flow */
    bool uri_include_all;          /* http.uri includes scheme://host:port */
    uint64_t memcap;               /* global cap of parser memory (0 = none) */
} HttpConfig;

/* Suricata 8 defaults (suricata.yaml libhtp.default-config). */
void http_config_default(HttpConfig *cfg);

/* Progress levels, as libhtp's request/response progress. */
enum {
    HTTP_PROGRESS_NONE = 0,
    HTTP_PROGRESS_LINE = 1,
    HTTP_PROGRESS_HEADERS = 2,
    HTTP_PROGRESS_BODY = 3,
    HTTP_PROGRESS_TRAILER = 4,
    HTTP_PROGRESS_COMPLETE = 5,
};

/* Events, in Suricata's table order. */
#define HTTP_EVENT_LIST(X) \
    X(UNKNOWN_ERROR) X(GZIP_DECOMPRESSION_FAILED) X(REQUEST_FIELD_MISSING_COLON) \
    X(RESPONSE_FIELD_MISSING_COLON) X(INVALID_REQUEST_CHUNK_LEN) X(INVALID_RESPONSE_CHUNK_LEN) \
    X(INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST) X(INVALID_TRANSFER_ENCODING_VALUE_IN_RESPONSE) \
    X(INVALID_CONTENT_LENGTH_FIELD_IN_REQUEST) X(INVALID_CONTENT_LENGTH_FIELD_IN_RESPONSE) \
    X(DUPLICATE_CONTENT_LENGTH_FIELD_IN_REQUEST) X(DUPLICATE_CONTENT_LENGTH_FIELD_IN_RESPONSE) \
    X(100_CONTINUE_ALREADY_SEEN) X(UNABLE_TO_MATCH_RESPONSE_TO_REQUEST) \
    X(INVALID_SERVER_PORT_IN_REQUEST) X(INVALID_AUTHORITY_PORT) X(REQUEST_HEADER_INVALID) \
    X(RESPONSE_HEADER_INVALID) X(MISSING_HOST_HEADER) X(HOST_HEADER_AMBIGUOUS) \
    X(INVALID_REQUEST_FIELD_FOLDING) X(INVALID_RESPONSE_FIELD_FOLDING) \
    X(REQUEST_FIELD_TOO_LONG) X(RESPONSE_FIELD_TOO_LONG) X(FILE_NAME_TOO_LONG) \
    X(REQUEST_LINE_INVALID) X(REQUEST_BODY_UNEXPECTED) X(REQUEST_SERVER_PORT_TCP_PORT_MISMATCH) \
    X(REQUEST_URI_HOST_INVALID) X(REQUEST_HEADER_HOST_INVALID) X(REQUEST_AUTH_UNRECOGNIZED) \
    X(REQUEST_HEADER_REPETITION) X(RESPONSE_HEADER_REPETITION) X(DOUBLE_ENCODED_URI) \
    X(URI_DELIM_NON_COMPLIANT) X(METHOD_DELIM_NON_COMPLIANT) X(REQUEST_LINE_LEADING_WHITESPACE) \
    X(TOO_MANY_ENCODING_LAYERS) X(REQUEST_TOO_MANY_LZMA_LAYERS) X(RESPONSE_TOO_MANY_LZMA_LAYERS) \
    X(ABNORMAL_CE_HEADER) X(RESPONSE_MULTIPART_BYTERANGES) X(RESPONSE_ABNORMAL_TRANSFER_ENCODING) \
    X(RESPONSE_CHUNKED_OLD_PROTO) X(RESPONSE_INVALID_PROTOCOL) X(RESPONSE_INVALID_STATUS) \
    X(REQUEST_LINE_INCOMPLETE) X(LZMA_MEMLIMIT_REACHED) X(COMPRESSION_BOMB) X(RANGE_INVALID) \
    X(REQUEST_CHUNK_EXTENSION) X(REQUEST_LINE_MISSING_PROTOCOL) X(REQUEST_TOO_MANY_HEADERS) \
    X(RESPONSE_TOO_MANY_HEADERS) X(TOO_MANY_WARNINGS) X(FAILED_PROTOCOL_CHANGE) \
    X(MULTIPART_GENERIC_ERROR) X(MULTIPART_NO_FILEDATA) X(MULTIPART_INVALID_HEADER)

#define HTTP_EV_ENUM(n) HTTP_EV_##n,
typedef enum HttpEvent { HTTP_EVENT_LIST(HTTP_EV_ENUM) HTTP_EV_MAX } HttpEvent;
#undef HTTP_EV_ENUM

/* Lower-case Suricata name ("request_field_missing_colon"), NULL if out of range. */
const char *http_event_name(int ev);
/* Event id from its name (case-insensitive), -1 if unknown. */
int http_event_by_name(const char *name);

typedef struct HttpState HttpState;
typedef struct HttpTx HttpTx;

HttpState *http_state_new(const HttpConfig *cfg);
void http_state_free(HttpState *s);
/* Forgets the calling thread's whole files from range responses that are
 * not complete (http-range.c), e.g. between independent test inputs. */
void http_range_reset(void);

/* Feeds bytes of one direction. Returns false once that direction stopped
 * being parsed (error, tunnel, protocol switch, memcap). */
bool http_parse(HttpState *s, bool to_server, const uint8_t *data, uint32_t len, OdTime ts);
void http_gap(HttpState *s, bool to_server, uint32_t len);
void http_end(HttpState *s, bool to_server);

/* True once a CONNECT tunnel (2xx) or 101 switch made parsing stop. */
bool http_state_tunnel(const HttpState *s);
/* Bytes at the end of the direction's last parse call that came after
 * parsing stopped (what follows a 101 response in the same data). */
uint32_t http_state_unparsed(const HttpState *s, bool to_server);
/* The newest transaction (the one a 101 answered), NULL when none. */
const HttpTx *http_state_newest_tx(const HttpState *s);
/* Its request: method, raw URI (false when absent) and request header idx
 * as name and value (false past the last). */
bool http_tx_request_method(const HttpTx *tx, const uint8_t **data, uint32_t *len);
bool http_tx_request_uri_raw(const HttpTx *tx, const uint8_t **data, uint32_t *len);
bool http_tx_request_field(const HttpTx *tx, uint32_t idx, const uint8_t **name, uint32_t *name_len,
                           const uint8_t **value, uint32_t *value_len);
/* The framework refused that switch (the flow was itself still changing
 * protocol): FAILED_PROTOCOL_CHANGE on the newest transaction. */
void http_state_tunnel_refused(HttpState *s);
/* Upgrade target after a 101 ("h2c", "websocket"), or NULL. */
const char *http_state_upgrade(const HttpState *s);

/* Transactions: ids are 0-based and never reused; count = highest id + 1. */
uint64_t http_tx_count(const HttpState *s);
/* Requests (to_server) or responses completed so far: each completion asks
 * for raw stream inspection of its direction, as Suricata's request- and
 * response-complete callbacks do. */
uint64_t http_messages_completed(const HttpState *s, bool to_server);
HttpTx *http_tx_get(HttpState *s, uint64_t id);
uint64_t http_tx_id(const HttpTx *tx);
int http_tx_progress(const HttpTx *tx, bool to_server);
bool http_tx_done(const HttpTx *tx, bool to_server);
/* Frees every transaction with id < upto_id. */
void http_tx_release(HttpState *s, uint64_t upto_id);

/* Events of a transaction: count and the i-th id. */
uint32_t http_tx_event_count(const HttpTx *tx);
HttpEvent http_tx_event(const HttpTx *tx, uint32_t i);
bool http_tx_has_event(const HttpTx *tx, HttpEvent ev);

/* Inspection buffers. Direction-dependent ones (header, header_raw,
 * header_names, content_type, content_len, connection, start, body) use
 * to_server; the others ignore it. Returns false when absent. */
typedef enum HttpBuffer {
    HTTP_BUF_URI, HTTP_BUF_URI_RAW, HTTP_BUF_METHOD, HTTP_BUF_PROTOCOL,
    HTTP_BUF_REQUEST_LINE, HTTP_BUF_HEADER, HTTP_BUF_HEADER_RAW, HTTP_BUF_HEADER_NAMES,
    HTTP_BUF_HOST, HTTP_BUF_HOST_RAW, HTTP_BUF_USER_AGENT, HTTP_BUF_COOKIE,
    HTTP_BUF_REFERER, HTTP_BUF_ACCEPT, HTTP_BUF_ACCEPT_ENC, HTTP_BUF_ACCEPT_LANG,
    HTTP_BUF_CONNECTION, HTTP_BUF_CONTENT_TYPE, HTTP_BUF_CONTENT_LEN, HTTP_BUF_START,
    HTTP_BUF_LOCATION, HTTP_BUF_SERVER, HTTP_BUF_BODY, HTTP_BUF_STAT_CODE,
    HTTP_BUF_STAT_MSG, HTTP_BUF_RESPONSE_LINE,
} HttpBuffer;
bool http_tx_buffer(const HttpTx *tx, HttpBuffer b, bool to_server, const uint8_t **data, uint32_t *len);
/* http.request_header / http.response_header: "name: value" of header idx. */
bool http_tx_header_at(const HttpTx *tx, bool to_server, uint32_t idx, const uint8_t **data, uint32_t *len);
/* Value of a header by name (case-insensitive), duplicates joined by ", ". */
bool http_tx_header_value(const HttpTx *tx, bool to_server, const char *name, const uint8_t **data, uint32_t *len);
/* Length of the raw URI (urilen), -1 if none. */
int64_t http_tx_uri_len(const HttpTx *tx, bool raw);
int http_tx_status(const HttpTx *tx); /* 0 when none */
/* Message body lengths on the wire (before limits): the data, and a chunked
 * body's chunk-size and chunk-end lines as libhtp counts them -- EVE
 * "length" (libhtp's response_message_len). */
uint64_t http_tx_body_len(const HttpTx *tx, bool to_server);
/* True when the kept body is complete (message done or limit reached). */
bool http_tx_body_complete(const HttpTx *tx, bool to_server);

/* Body inspection windows (http-inspect.c), as Suricata 8 hands a growing
 * body to the rules: a detection run on packets of the body's direction
 * inspects `data` (len bytes), which starts `base` bytes into the body
 * (content depth counts from the body's start, bsize is base + len).
 * http.request_body follows Suricata's request-body tracker (HtpBody
 * body_inspected), file.data and http.response_body -- one list in
 * Suricata -- its per-file tracker (File content_inspected). */
typedef struct HttpWindow {
    const uint8_t *data;
    uint32_t len;
    uint32_t base;
} HttpWindow;
typedef enum HttpWindowResult {
    HTTP_WINDOW_NONE = 0, /* no such body or file */
    HTTP_WINDOW_WAIT,     /* it exists, but nothing to inspect in this run */
    HTTP_WINDOW_DATA,     /* *w is what this run inspects */
} HttpWindowResult;
/* http.request_body (to_server; a response asks the file tracker). eof:
 * the flow ends, what is kept is inspected whatever its size. */
HttpWindowResult http_tx_body_window(const HttpTx *tx, bool to_server, bool eof, HttpWindow *w);
/* file.data instance idx (see http_tx_file_data); idx 0 of the response
 * is http.response_body too. */
HttpWindowResult http_tx_file_window(const HttpTx *tx, bool to_server, uint32_t idx, bool eof, HttpWindow *w);
/* A detection run on packets of direction to_server is over: each body
 * and file of that direction that had a window records it as inspected,
 * so the next run starts from there (minus the overlap). */
void http_tx_inspected(HttpTx *tx, bool to_server, bool eof);
/* The window arithmetic, exposed for tests: where the next inspection
 * starts, given what was inspected, what is kept now, and the settings.
 * Request body: from 0 until more than min_size was inspected, then the
 * new data plus enough before it to make `window` bytes, or plus a
 * quarter window when the new data alone fills one. Files: the same from
 * the first inspection on. */
uint64_t http_body_window_start(uint64_t inspected, uint64_t kept, uint32_t min_size, uint32_t window);
uint64_t http_file_window_start(uint64_t inspected, uint64_t kept, uint32_t window);

/* Files (http-files.c): every response body is a file, named by the
 * Content-Disposition filename or else the normalized URI path; POST and PUT
 * request bodies are one file named by the path, except multipart/form-data
 * ones, where each part with a filename is a file. Index 0 = to server. */
struct AppFileContainer;
struct AppFileContainer *http_tx_files(HttpTx *tx, bool to_server);
const struct AppFileContainer *http_tx_files_const(const HttpTx *tx, bool to_server);
/* file.data: the content of file idx of the direction as kept (within the
 * body limits): the decoded response body, a POST/PUT body, or one
 * multipart part. */
bool http_tx_file_data(const HttpTx *tx, bool to_server, uint32_t idx, const uint8_t **d, uint32_t *l);

/* multipart/form-data and Content-Disposition (http-multipart.c). */
typedef struct HttpMultipartPart {
    const uint8_t *filename; /* Content-Disposition filename (has_filename) */
    uint32_t filename_len;
    bool has_filename;
    const uint8_t *content_type;
    uint32_t content_type_len;
    const uint8_t *data; /* part body, without the CRLF before the delimiter */
    uint32_t data_len;
    bool complete; /* a delimiter followed the data */
    bool headers_incomplete; /* the body ended inside the part headers */
} HttpMultipartPart;
typedef void (*HttpMultipartPartFn)(void *ctx, const HttpMultipartPart *part);
/* The filename parameter of a Content-Disposition value (quotes removed). */
bool http_disposition_filename(const uint8_t *v, uint32_t n, const uint8_t **name, uint32_t *name_len);
/* The boundary of a "multipart/form-data; boundary=..." Content-Type. */
bool http_multipart_boundary(const uint8_t *ct, uint32_t n, const uint8_t **b, uint32_t *blen);
/* Calls fn for each part of body, in order. */
void http_multipart_parse(const uint8_t *boundary, uint32_t blen, const uint8_t *body, uint32_t n,
                          HttpMultipartPartFn fn, void *ctx);

/* EVE */
#define HTTP_LOG_MAX_CUSTOM 64
typedef struct HttpLogConfig {
    bool extended;
    bool dump_request_headers;   /* dump-all-headers: request or both */
    bool dump_response_headers;  /* dump-all-headers: response or both */
    /* custom: Suricata config names ("accept", "set_cookie", ...) */
    uint32_t n_custom;
    const char *custom[HTTP_LOG_MAX_CUSTOM];
} HttpLogConfig;
void http_log_config_default(HttpLogConfig *cfg);
/* Writes "http": {...} into the open record. */
void http_log_tx(JsonBuf *j, const HttpTx *tx, const HttpLogConfig *cfg);

/* Global memory accounting ("http.memuse", "http.memcap" counters). */
uint64_t http_memuse(void);
uint64_t http_memcap_hits(void);

#endif
