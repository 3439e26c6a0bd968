/*
 * The HTTP/2 parser's transaction layout and frame reader, shared by its
 * files: http2-frame.c reads frames, http2-state.c turns them into
 * transactions, http2-log.c writes those as EVE.
 */
#ifndef ODLAR_APP_HTTP2_INTERNAL_H
#define ODLAR_APP_HTTP2_INTERNAL_H

#include "app/http2/http2.h"

#include "app/file.h"

#include <stddef.h>

/* Frame types and flags (RFC 9113 sections 6 and 4.1). */
enum {
    HTTP2_FRAME_DATA = 0,
    HTTP2_FRAME_HEADERS = 1,
    HTTP2_FRAME_PRIORITY = 2,
    HTTP2_FRAME_RST_STREAM = 3,
    HTTP2_FRAME_SETTINGS = 4,
    HTTP2_FRAME_PUSH_PROMISE = 5,
    HTTP2_FRAME_PING = 6,
    HTTP2_FRAME_GOAWAY = 7,
    HTTP2_FRAME_WINDOW_UPDATE = 8,
    HTTP2_FRAME_CONTINUATION = 9,
};
#define HTTP2_FLAG_END_STREAM 0x01u
#define HTTP2_FLAG_END_HEADERS 0x04u
#define HTTP2_FLAG_PADDED 0x08u
#define HTTP2_FLAG_PRIORITY 0x20u

#define HTTP2_FRAME_HEADER_LEN 9u
/* The default SETTINGS_MAX_FRAME_SIZE (RFC 9113 section 6.5.2). */
#define HTTP2_DEFAULT_MAX_FRAME_SIZE 16384u
/* Suricata's bounds on a frame held whole: a longer one is read from its
 * first HTTP2_MIN_FRAME_KEPT bytes and the rest skipped. */
#define HTTP2_MAX_FRAME_KEPT 65536u
#define HTTP2_MIN_FRAME_KEPT 256u

typedef struct Http2FrameHeader {
    uint32_t length; /* 24 bits */
    uint8_t type, flags;
    bool reserved; /* the stream id's top bit */
    uint32_t stream_id; /* 31 bits */
} Http2FrameHeader;

/* The 9-byte frame header at the start of `data`; false when shorter. */
bool http2_frame_header_read(const uint8_t *data, size_t len, Http2FrameHeader *h);

/* SETTINGS parameters Suricata knows (RFC 9113 section 6.5.2, RFC 8441,
 * RFC 9218); a frame's list ends at the first other one, as Suricata's. */
typedef struct Http2Setting {
    uint16_t id;
    uint32_t value;
} Http2Setting;
/* The name Suricata logs for a known setting id ("SETTINGSHEADERTABLESIZE"),
 * NULL for others. */
const char *http2_setting_name(uint16_t id);
/* The name Suricata logs for an error code ("NOERROR"), NULL for codes
 * RFC 9113 section 7 does not define. */
const char *http2_error_name(uint32_t code);

/* A HEADERS or PUSH_PROMISE payload split into its parts (RFC 9113
 * sections 6.2 and 6.6): the optional pad length and priority, the
 * promised stream, and the header block fragment (the padding is left in
 * it, as Suricata decodes it). False when the payload is too short for
 * the parts its flags announce. */
typedef struct Http2HeadersPayload {
    bool has_priority;
    uint8_t weight;
    uint32_t promised_stream;
    const uint8_t *block;
    size_t block_len;
} Http2HeadersPayload;
bool http2_headers_payload_read(const uint8_t *data, size_t len, uint8_t type, uint8_t flags,
                                Http2HeadersPayload *out);

/* One entry of a decoded header block as Suricata logs it. */
typedef enum Http2HeaderKind {
    HTTP2_HEADER_FIELD, /* name and value */
    HTTP2_HEADER_SIZE_UPDATE, /* a dynamic table size update: size */
    HTTP2_HEADER_ERROR, /* an undecodable entry: error names it */
} Http2HeaderKind;

typedef struct Http2Header {
    Http2HeaderKind kind;
    uint8_t *name, *value; /* FIELD: copies */
    uint32_t name_len, value_len;
    uint64_t size; /* SIZE_UPDATE */
    const char *error; /* ERROR: Suricata's status name */
} Http2Header;

#define HTTP2_SIDE_VALUES 16u

/* What one direction of a transaction carried, as the logger and the
 * http2.* keywords need it. */
typedef struct Http2Side {
    Http2Header *headers;
    uint32_t header_count, header_cap;
    bool has_headers; /* a HEADERS, PUSH_PROMISE or CONTINUATION frame came */
    Http2Setting *settings;
    uint32_t setting_count, setting_cap;
    bool has_settings; /* a SETTINGS frame with parameters came */
    bool has_error_code;
    uint32_t error_code; /* the first GOAWAY's or RST_STREAM's */
    bool has_priority;
    uint8_t priority; /* the first PRIORITY frame's or HEADERS priority's weight */
    const char *multiple; /* "error_code" or "priority": the first kind seen twice */
    /* for the http2.* keywords: every frame type seen (bit per type 0-31;
     * bit 31 stands for all higher types), and the first
     * HTTP2_SIDE_VALUES error codes, priority weights and window
     * increments in frame order */
    uint32_t frame_types;
    uint32_t error_codes[HTTP2_SIDE_VALUES], priorities[HTTP2_SIDE_VALUES], windows[HTTP2_SIDE_VALUES];
    uint8_t error_count, priority_count, window_count;
} Http2Side;

/* Suricata's transaction states (HTTP2TransactionState), in order. */
typedef enum Http2TxState {
    HTTP2_TX_IDLE = 0,
    HTTP2_TX_OPEN,
    HTTP2_TX_RESERVED,
    HTTP2_TX_DATA_CLIENT,
    HTTP2_TX_HALF_CLOSED_CLIENT,
    HTTP2_TX_DATA_SERVER,
    HTTP2_TX_HALF_CLOSED_SERVER,
    HTTP2_TX_CLOSED,
    HTTP2_TX_GLOBAL, /* a stream 0 frame: the connection's, complete at once */
    HTTP2_TX_TODROP, /* given up for too many streams */
} Http2TxState;

/* A rule buffer built from a side's headers (http2-buffers.c). */
typedef struct Http2BufCache {
    uint8_t *data;
    uint32_t len, cap;
    uint32_t built_count; /* the side's header_count when built */
    bool built, have;
} Http2BufCache;

/* A side's Content-Encoding, as Suricata decodes it (http2-files.c). */
typedef enum Http2Encoding { HTTP2_ENC_NONE, HTTP2_ENC_GZIP, HTTP2_ENC_DEFLATE } Http2Encoding;
typedef struct Http2Inflate Http2Inflate;

struct Http2Tx {
    uint64_t id;
    uint32_t stream_id;
    uint32_t child_stream_id; /* a PUSH_PROMISE's stream while its CONTINUATIONs come */
    Http2TxState state;
    Http2Side side[2]; /* 0: to server (request), 1: to client (response) */
    uint32_t events; /* bit per Http2Event */
    bool logged; /* the framework wrote its record (app-http2.c) */
    /* per side, allocated when a rule first asks for a built buffer (most
     * transactions, a connection's WINDOW_UPDATEs and PINGs, never do) */
    Http2BufCache (*cache)[HTTP2_BUF_COUNT];
    Http2BufCache one_header[2]; /* the last http.request/response_header instance */
    /* files: each side's DATA as one file (http2-files.c) */
    AppFileContainer files[2];
    Http2Inflate *inflate[2];
    bool file_done[2]; /* the side's file was opened (one per side) */
};

/* Suricata's set_event: on the newest transaction (http2-state.c). */
void http2_set_event(Http2State *s, Http2Event ev);
/* files: a DATA frame's data (padding removed) for the tx's side;
 * `id_seq` is the flow's file-store id counter. */
void http2_files_data(Http2State *s, Http2Tx *tx, bool to_server, const uint8_t *data, uint32_t len,
                      bool end_stream, uint32_t *id_seq);
void http2_files_free(Http2Tx *tx);
void http2_inflate_free(Http2Inflate *in);

/* Header fields by name, as Suricata looks them up (exact bytes: HTTP/2
 * names are lower case): is h the field `name`; a side's first one. */
bool http2_field_named(const Http2Header *h, const char *name);
const Http2Header *http2_side_field(const Http2Side *side, const char *name);

/* Frees the transaction's built rule buffers. */
void http2_tx_buffers_free(Http2Tx *tx);

#endif
