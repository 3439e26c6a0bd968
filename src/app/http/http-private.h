/*
 * Internal layout of the HTTP parser: growable byte strings accounted
 * against the global memcap, header tables, transactions and the
 * per-direction parsing machine. Only files of src/app/http include this.
 */
#ifndef ODLAR_APP_HTTP_PRIVATE_H
#define ODLAR_APP_HTTP_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "app/file.h"
#include "app/http/http.h"

/* ---- byte strings (http-mem.c) ---- */
typedef struct HttpBytes {
    uint8_t *p;
    uint32_t len, cap;
    bool set; /* present even when empty */
} HttpBytes;

/* Appends; false (and memcap hit counted) when memory is refused. */
bool hb_append(HttpBytes *b, const uint8_t *d, uint32_t n);
bool hb_set(HttpBytes *b, const uint8_t *d, uint32_t n);
bool hb_append_str(HttpBytes *b, const char *s);
void hb_free(HttpBytes *b);
void *http_mem_alloc(size_t n);
void *http_mem_realloc(void *p, size_t old, size_t n);
void http_mem_free(void *p, size_t n);
void http_mem_set_cap(uint64_t cap);

/* ---- headers (http-headers.c) ---- */
typedef struct HttpHeader {
    HttpBytes name, value;
    bool repeated;
} HttpHeader;

typedef struct HttpHeaders {
    HttpHeader *v;
    uint32_t n, cap;
    uint32_t lines;   /* header lines seen, before joining */
    HttpBytes raw;    /* header block as received, incl. the final empty line */
    /* derived at end of headers (http-buffers.c) */
    HttpBytes norm, names, multi, start;
    uint32_t *multi_off; /* multi_n + 1 offsets into multi */
    uint32_t multi_n;
} HttpHeaders;

const HttpHeader *http_headers_find(const HttpHeaders *h, const char *name);
void http_headers_free(HttpHeaders *h);

/* ---- transactions ---- */
#define HTTP_TX_MAX_EVENTS 64

struct HttpTx {
    uint64_t id;
    struct HttpTx *next;
    int progress[2]; /* [0] request, [1] response */

    /* request */
    HttpBytes request_line, method, uri_raw, protocol, uri_norm;
    HttpBytes hostname, host_raw;
    int port; /* -1 when none */
    int req_proto; /* 9 = 0.9, 100 = 1.0, 101 = 1.1, -1 invalid */
    bool is_connect, is_head;
    HttpHeaders h[2];
    HttpBytes body[2]; /* kept bodies, dechunked and decoded */
    uint64_t body_len[2]; /* message body length on the wire: data, and chunked framing as libhtp counts it */
    bool body_full[2];
    /* inspection (http-inspect.c): the state's settings, and how far
     * detection inspected the request body (http.request_body) and the
     * single file of each direction (file.data, http.response_body) */
    const HttpConfig *cfg;
    uint64_t body_inspected;
    uint64_t file_inspected[2];

    /* response */
    HttpBytes response_line, res_protocol, status, status_msg;
    int status_num; /* -1 invalid, 0 none */
    int res_proto;
    bool seen_100;

    /* files (http-files.c), [0] request, [1] response */
    HttpBytes path; /* normalized URI path: the default file name */
    AppFileContainer files[2];
    uint8_t file_mode[2]; /* HTTP_FILES_* */
    int64_t now; /* packet time of the latest data (OdTime) */
    /* multipart: where each request file's content lies in body[0] */
    struct HttpSpan { uint32_t off, len, inspected; } *part_span; /* inspected: http-inspect.c */
    uint32_t n_part_span;
    /* range: the whole file a 206 response also feeds (http-range.c) */
    struct HttpRangeFile *range;
    uint64_t range_pos; /* offset in the whole file of the next body byte */

    uint8_t events[HTTP_TX_MAX_EVENTS];
    uint32_t n_events;
};

void http_tx_event_set(HttpTx *tx, HttpEvent ev);

/* ---- whole files from range responses (http-range.c) ---- */
typedef struct HttpRangeFile HttpRangeFile;
/* Joins (or starts) the whole file of `total` bytes for key (host and
 * path); NULL when none can be tracked. */
HttpRangeFile *http_range_join(const uint8_t *key, uint32_t key_len, uint64_t total, const uint8_t *name,
                               uint32_t name_len, int64_t now);
/* Body bytes found at offset pos of the whole file. */
void http_range_data(HttpRangeFile *r, uint64_t pos, const uint8_t *d, uint32_t n, int64_t now);
/* A response stops feeding r; when the whole file is complete it is closed
 * and moved to `to` (the response's file container), and returned. */
AppFile *http_range_leave(HttpRangeFile *r, AppFileContainer *to);

/* ---- decompression (http-decompress.c) ---- */
typedef struct HttpDecoder HttpDecoder;
/* Parses Content-Encoding of the body of direction dir (0 request, 1
 * response); NULL when identity. Events go to tx. */
HttpDecoder *http_decoder_new(const HttpConfig *cfg, HttpTx *tx, int dir, const uint8_t *ce, uint32_t ce_len);
/* Decodes in and appends to out (bounded by limit); events go to tx. */
void http_decoder_feed(HttpDecoder *d, HttpTx *tx, const uint8_t *in, uint32_t n, HttpBytes *out, uint32_t limit);
void http_decoder_free(HttpDecoder *d);

/* ---- per direction machine ---- */
enum {
    D_LINE = 0,      /* request line / status line */
    D_HEADERS,
    D_BODY_LEN,
    D_BODY_CLOSE,
    D_CHUNK_LEN,
    D_CHUNK_DATA,
    D_CHUNK_CRLF,
    D_TRAILERS,
    D_CONNECT_WAIT,  /* request side after CONNECT, until the response */
    D_STOPPED,
    D_REQ_FINALIZE,  /* request without (more) body: lines of the same data
                      * that are not a request are still its body */
    D_BODY_LINES,    /* response without status line: each further line is
                      * read as a status line again, else it is body */
};

typedef struct HttpDir {
    int st;
    HttpBytes line;      /* current line without LF */
    bool line_long;      /* field limit hit on this line */
    HttpBytes pending;   /* header line waiting for possible folding */
    bool has_pending;
    uint64_t left;       /* body / chunk bytes left */
    HttpTx *tx;          /* transaction this direction is filling */
    HttpDecoder *dec;
    HttpBytes held;      /* request bytes held during D_CONNECT_WAIT */
    bool last_bare_lf;   /* the previous line ended with LF alone */
    int64_t frame;       /* frames: the open request/response frame (0: none) */
    bool frame_has_tx;   /* frames: the frame's message got its transaction */
    int peek;            /* byte after the line being processed in the same
                          * data, -1 when the data ended with it */
    uint32_t rest;       /* bytes after that line in the same data */
    uint8_t piece_eol;   /* a piece of a response line split at CRs ended
                          * with: 0 the LF, 1 a CR, 2 a CR and the LF */
    int after_peek;      /* body lines of such a line's tail: the byte and */
    uint32_t after_rest; /* the byte count that follow the whole line */
    uint64_t completed;  /* messages completed (raw stream inspection triggers) */
    uint32_t unparsed;   /* bytes of the last parse call left when it stopped */
} HttpDir;

struct HttpState {
    HttpConfig cfg;
    HttpTx *head, *tail;
    uint64_t next_id;     /* id of the next transaction created */
    uint64_t live;        /* transactions in the list */
    HttpDir dir[2];
    bool tunnel;
    char upgrade[32];
    int64_t now; /* packet time of the data being parsed (OdTime) */
    uint32_t file_id_seq; /* files: file-store ids of the flow's files */
    /* frames: the data of the parse call in progress and its direction
     * (NULL outside http_parse, e.g. when held CONNECT bytes are replayed) */
    const uint8_t *frame_base;
    int frame_dir;
};

/* http-state.c */
HttpTx *http_tx_new(HttpState *s);
HttpTx *http_tx_next_for_response(HttpState *s);

/* http-request.c / http-response.c: one complete line each */
void http_request_line(HttpState *s, HttpDir *d, const uint8_t *line, uint32_t len);
void http_response_line(HttpState *s, HttpDir *d, const uint8_t *line, uint32_t len);
/* libhtp-rs's treat_response_line_as_body: not starting with "http". */
bool http_response_line_is_body(const uint8_t *line, uint32_t len);
void http_request_headers_done(HttpState *s, HttpDir *d);
void http_response_headers_done(HttpState *s, HttpDir *d);
void http_request_complete(HttpState *s, HttpDir *d);
void http_response_complete(HttpState *s, HttpDir *d);

/* http-frames.c: called by the parse loop before and after each step at
 * input position p: opens the http1.request / http1.response frame where a
 * message starts, and sets its length when the message completed. */
void http_frame_before(HttpState *s, HttpDir *d, int dir, const uint8_t *p);
void http_frame_after(HttpState *s, HttpDir *d, const uint8_t *p);

/* http-headers.c: one unfolded header line of direction dir */
void http_header_line(HttpState *s, HttpTx *tx, int dir, const uint8_t *line, uint32_t len);

/* http-body.c */
void http_body_data(HttpState *s, HttpDir *d, int dir, const uint8_t *data, uint32_t n);
bool http_chunk_len_line(HttpState *s, HttpDir *d, int dir, const uint8_t *line, uint32_t len);
/* Chooses the framing of the message whose headers just ended. */
void http_body_start(HttpState *s, HttpDir *d, int dir);

/* http-files.c: file tracking of message bodies */
enum { HTTP_FILES_UNDECIDED = 0, HTTP_FILES_SINGLE, HTTP_FILES_MULTIPART, HTTP_FILES_NONE };
/* Body bytes after dechunking (and, for responses, decoding). */
void http_files_data(HttpTx *tx, int dir, const uint8_t *data, uint32_t n);
void http_files_gap(HttpTx *tx, int dir, uint64_t n);
/* The message of direction dir ended (complete, or cut when truncated). */
void http_files_end(HttpTx *tx, int dir, bool truncated);
void http_files_free(HttpTx *tx);

/* http-uri.c */
void http_uri_process(HttpState *s, HttpTx *tx);
void http_host_process(HttpState *s, HttpTx *tx);

/* http-buffers.c */
void http_headers_derive(HttpTx *tx, int dir);

/* helpers (http-headers.c) */
bool http_ci_eq(const uint8_t *a, uint32_t alen, const char *b);
bool http_ci_contains(const uint8_t *a, uint32_t alen, const char *needle);
/* Content-Length: digits with optional LWS around; -1 when invalid. */
int64_t http_parse_cl(const uint8_t *v, uint32_t n);
static inline bool http_is_lws(uint8_t c) { return c == ' ' || c == '\t'; }

#endif
