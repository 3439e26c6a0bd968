/*
 * HTTP/2 parsing: stream bytes to frames to transactions (see http2.h),
 * as Suricata 8's rust/src/http2/http2.rs does it.
 *
 * Each direction keeps the bytes of its unfinished frame: a frame is
 * handled once whole, or, when its length is HTTP2_MAX_FRAME_KEPT or more,
 * once its first HTTP2_MIN_FRAME_KEPT bytes are in (long_frame_data) --
 * the rest of it is then skipped. The client's preface (RFC 9113 section
 * 3.4) is checked once; other bytes there raise invalid_client_magic and
 * are read as frames. A frame's payload is read first (its events go to
 * the newest transaction, as Suricata's set_event does), then it goes to
 * its transaction: a new one for each stream 0 frame, else the newest one
 * of its stream (a PUSH_PROMISE's is the promised stream's, a server's
 * CONTINUATION that of the PUSH_PROMISE it continues), created when the
 * stream has none. Stream states follow Suricata's (http2-internal.h):
 * END_STREAM half-closes a stream from its side and closes it once both
 * sides ended. Each frame's header block is decoded on its own with the
 * direction's HPACK decoder; the dynamic table bound is what the peer's
 * SETTINGS_HEADER_TABLE_SIZE or a size update in the block says, capped by
 * `max-table-size`. Past `max-streams` live transactions the oldest is
 * given up (too_many_streams). Transactions are kept in id order; ids are
 * never reused.
 */
#include "app/http2/http2-internal.h"

#include "app/http2/hpack.h"
#include "util/base64.h"
#include "util/bytes.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static uint32_t http2_max_streams = 4096; /* Suricata's HTTP2_MAX_STREAMS */
static uint32_t http2_max_table_size = 65536; /* Suricata's HTTP2_MAX_TABLESIZE */

/* Per transaction direction: header entries and settings kept. */
#define HTTP2_MAX_HEADERS 1024u
#define HTTP2_MAX_SETTINGS 256u

void http2_config_set_max_streams(uint32_t n) { http2_max_streams = n ? n : 1; }
void http2_config_set_max_table_size(uint32_t n) { http2_max_table_size = n; }

typedef struct Http2Dir {
    uint8_t *buf; /* bytes of the frame not yet handled */
    uint32_t len, cap;
    uint32_t skip; /* bytes of a long frame still to pass over */
    bool failed;
    HpackDecoder hpack;
} Http2Dir;

struct Http2State {
    Http2Tx **txs; /* live transactions, ids base_id .. base_id+count-1 */
    uint32_t file_id_seq; /* files: file-store ids of the flow's files */
    uint32_t count, cap;
    uint64_t base_id, next_id;
    Http2Dir dir[2]; /* 0 = to server */
    bool preface_checked;
};

static const char *const http2_event_names[HTTP2_EV_COUNT] = {
    "invalid_frame_header", "invalid_client_magic", "invalid_frame_data", "invalid_header",
    "invalid_frame_length", "extra_header_data", "long_frame_data", "stream_id_reuse",
    "invalid_http1_settings", "failed_decompression", "invalid_range", "header_integer_overflow",
    "too_many_streams", "authority_host_mismatch", "userinfo_in_uri", "reassembly_limit_reached",
};

const char *http2_event_name(int ev) { return ev >= 0 && ev < HTTP2_EV_COUNT ? http2_event_names[ev] : NULL; }

Http2State *http2_state_new(void)
{
    Http2State *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    for (int d = 0; d < 2; d++) {
        /* Suricata bounds the table by max-table-size alone, whatever the
         * peer's SETTINGS say, and is lenient (hpack.h) */
        hpack_decoder_init(&s->dir[d].hpack, HPACK_DEFAULT_TABLE_SIZE);
        hpack_decoder_set_settings_max(&s->dir[d].hpack, http2_max_table_size);
        hpack_decoder_set_lenient(&s->dir[d].hpack, true);
    }
    return s;
}

static void side_free(Http2Side *side)
{
    for (uint32_t i = 0; i < side->header_count; i++) {
        free(side->headers[i].name);
        free(side->headers[i].value);
    }
    free(side->headers);
    free(side->settings);
}

static void tx_free(Http2Tx *tx)
{
    if (!tx)
        return;
    side_free(&tx->side[0]);
    side_free(&tx->side[1]);
    http2_tx_buffers_free(tx);
    http2_files_free(tx);
    free(tx);
}

void http2_state_free(Http2State *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->count; i++)
        tx_free(s->txs[i]);
    free(s->txs);
    for (int d = 0; d < 2; d++) {
        free(s->dir[d].buf);
        hpack_decoder_free(&s->dir[d].hpack);
    }
    free(s);
}

uint64_t http2_tx_count(const Http2State *s) { return s->next_id; }

Http2Tx *http2_tx_get(Http2State *s, uint64_t id)
{
    if (id < s->base_id || id - s->base_id >= s->count)
        return NULL;
    return s->txs[id - s->base_id];
}

bool http2_tx_done(const Http2Tx *tx) { return tx->state >= HTTP2_TX_CLOSED; }
uint32_t http2_tx_stream_id(const Http2Tx *tx) { return tx->stream_id; }

void http2_tx_release(Http2State *s, uint64_t upto_id)
{
    uint32_t n = 0;
    while (n < s->count && s->base_id + n < upto_id) {
        tx_free(s->txs[n]);
        n++;
    }
    if (!n)
        return;
    memmove(s->txs, s->txs + n, (s->count - n) * sizeof(*s->txs));
    s->count -= n;
    s->base_id += n;
}

int http2_tx_event_count(const Http2Tx *tx) { return __builtin_popcount(tx->events); }

int http2_tx_event_get(const Http2Tx *tx, int i)
{
    for (int ev = 0; ev < HTTP2_EV_COUNT; ev++)
        if ((tx->events >> ev) & 1u && i-- == 0)
            return ev;
    return -1;
}

/* Suricata's set_event: on the newest transaction, lost when there is none. */
void http2_set_event(Http2State *s, Http2Event ev)
{
    if (s->count)
        s->txs[s->count - 1]->events |= 1u << ev;
}

static Http2Tx *tx_new(Http2State *s, uint32_t stream_id, Http2TxState state)
{
    if (s->count == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 8;
        Http2Tx **n = realloc(s->txs, cap * sizeof(*n));
        if (!n)
            return NULL;
        s->txs = n;
        s->cap = cap;
    }
    Http2Tx *tx = calloc(1, sizeof(*tx));
    if (!tx)
        return NULL;
    tx->id = s->next_id;
    tx->stream_id = stream_id;
    tx->state = state;
    s->txs[s->count++] = tx;
    s->next_id++;
    return tx;
}

/* The newest transaction of stream `sid`, NULL when it has none. */
static Http2Tx *tx_of_stream(Http2State *s, uint32_t sid)
{
    for (uint32_t i = s->count; i-- > 0;)
        if (s->txs[i]->stream_id == sid)
            return s->txs[i];
    return NULL;
}

/* The stream a server's CONTINUATION belongs to: the promised one while
 * a PUSH_PROMISE on stream `sid` waits for its END_HEADERS. */
static uint32_t continued_stream(Http2State *s, uint32_t sid)
{
    Http2Tx *tx = tx_of_stream(s, sid);
    return tx && tx->child_stream_id ? tx->child_stream_id : sid;
}

/* Past max-streams live transactions the oldest one not given up yet is
 * given up (too_many_streams), as Suricata does for streams. Stream 0
 * transactions count too: they are logged as they come but released only
 * once every older one is (app-output.c), so a long stream and the
 * connection's WINDOW_UPDATEs beside it could otherwise pile up without
 * bound. */
static void limit_streams(Http2State *s)
{
    if (s->count <= http2_max_streams)
        return;
    for (uint32_t i = 0; i < s->count; i++) {
        if (s->txs[i]->state != HTTP2_TX_TODROP && s->txs[i]->state != HTTP2_TX_GLOBAL &&
            s->txs[i]->state != HTTP2_TX_CLOSED) {
            s->txs[i]->events |= 1u << HTTP2_EV_TOO_MANY_STREAMS;
            s->txs[i]->state = HTTP2_TX_TODROP;
            return;
        }
    }
}

static Http2Tx *find_or_create_tx(Http2State *s, const Http2FrameHeader *h, uint32_t promised, bool to_server)
{
    if (h->stream_id == 0) {
        limit_streams(s);
        return tx_new(s, 0, HTTP2_TX_GLOBAL);
    }
    uint32_t sid = h->stream_id;
    if (h->type == HTTP2_FRAME_PUSH_PROMISE)
        sid = promised; /* the promised stream's transaction, as Suricata's */
    else if (h->type == HTTP2_FRAME_CONTINUATION && !to_server)
        sid = continued_stream(s, h->stream_id);
    Http2Tx *tx = tx_of_stream(s, sid);
    if (tx) {
        /* frames a closed stream may still get for a short while (RFC
         * 9113 section 5.1) */
        if (tx->state == HTTP2_TX_CLOSED && h->type != HTTP2_FRAME_RST_STREAM &&
            h->type != HTTP2_FRAME_WINDOW_UPDATE && h->type != HTTP2_FRAME_PRIORITY)
            http2_set_event(s, HTTP2_EV_STREAM_ID_REUSE);
        return tx;
    }
    limit_streams(s);
    return tx_new(s, sid, HTTP2_TX_OPEN);
}

/* Suricata's handle_frame: push promises and the stream's state. */
static void advance_stream(Http2Tx *tx, const Http2FrameHeader *h, uint32_t promised, bool to_server)
{
    switch (h->type) {
    case HTTP2_FRAME_PUSH_PROMISE:
        if (!to_server) {
            if (!(h->flags & HTTP2_FLAG_END_HEADERS))
                tx->child_stream_id = promised;
            tx->state = HTTP2_TX_RESERVED;
        }
        break;
    case HTTP2_FRAME_CONTINUATION:
        if (!to_server && (h->flags & HTTP2_FLAG_END_HEADERS))
            tx->child_stream_id = 0;
        break;
    case HTTP2_FRAME_HEADERS:
        if (!to_server)
            tx->child_stream_id = 0;
        break;
    case HTTP2_FRAME_RST_STREAM:
        tx->child_stream_id = 0;
        break;
    }
    if (h->type != HTTP2_FRAME_HEADERS && h->type != HTTP2_FRAME_DATA)
        return;
    if (h->flags & HTTP2_FLAG_END_STREAM) {
        switch (tx->state) {
        case HTTP2_TX_HALF_CLOSED_CLIENT:
        case HTTP2_TX_DATA_SERVER:
            if (!to_server)
                tx->state = HTTP2_TX_CLOSED;
            break;
        case HTTP2_TX_HALF_CLOSED_SERVER:
            if (to_server)
                tx->state = HTTP2_TX_CLOSED;
            break;
        case HTTP2_TX_CLOSED:
        case HTTP2_TX_GLOBAL:
        case HTTP2_TX_TODROP:
            break;
        default:
            tx->state = to_server ? HTTP2_TX_HALF_CLOSED_CLIENT : HTTP2_TX_HALF_CLOSED_SERVER;
        }
    } else if (h->type == HTTP2_FRAME_DATA) {
        Http2TxState data = to_server ? HTTP2_TX_DATA_CLIENT : HTTP2_TX_DATA_SERVER;
        if (tx->state < data)
            tx->state = data;
    }
}

/* --- a frame's payload, read before its transaction is known --- */

typedef struct Http2FrameData {
    bool handled; /* parsed: what follows is set for its type */
    const uint8_t *settings; /* SETTINGS: the parameters, read by side_record */
    size_t settings_len;
    uint32_t error_code;
    uint8_t weight;
    bool has_weight;
    uint32_t window; /* WINDOW_UPDATE's increment */
    Http2HeadersPayload hp;
} Http2FrameData;

/* A frame of a fixed length: invalid_frame_length when it is not that. */
static bool fixed_length(Http2State *s, size_t n, size_t want, bool at_least)
{
    if (at_least ? n >= want : n == want)
        return true;
    http2_set_event(s, HTTP2_EV_INVALID_FRAME_LENGTH);
    return false;
}

static void read_frame_data(Http2State *s, const Http2FrameHeader *h, const uint8_t *p, size_t n, bool complete,
                            Http2FrameData *fd)
{
    switch (h->type) {
    case HTTP2_FRAME_GOAWAY: /* last stream id, error code, debug data (section 6.8) */
        if (fixed_length(s, n, 8, true)) {
            fd->error_code = rd_be32(p + 4);
            fd->handled = true;
        }
        break;
    case HTTP2_FRAME_SETTINGS:
        fd->settings = p;
        fd->settings_len = n;
        fd->handled = true;
        break;
    case HTTP2_FRAME_RST_STREAM: /* error code (section 6.4) */
        if (fixed_length(s, n, 4, false)) {
            fd->error_code = rd_be32(p);
            fd->handled = true;
        }
        break;
    case HTTP2_FRAME_PRIORITY: /* E + stream dependency, weight (section 6.3) */
        if (fixed_length(s, n, 5, false)) {
            fd->weight = p[4];
            fd->has_weight = true;
            fd->handled = true;
        }
        break;
    case HTTP2_FRAME_WINDOW_UPDATE: /* R + window size increment (section 6.9) */
        if (fixed_length(s, n, 4, false)) {
            fd->window = rd_be32(p) & 0x7fffffffu;
            fd->handled = true;
        }
        break;
    case HTTP2_FRAME_HEADERS:
    case HTTP2_FRAME_PUSH_PROMISE:
    case HTTP2_FRAME_CONTINUATION:
        if (http2_headers_payload_read(p, n, h->type, h->flags, &fd->hp)) {
            fd->handled = true;
            fd->weight = fd->hp.weight;
            fd->has_weight = fd->hp.has_priority;
        } else if (complete) {
            http2_set_event(s, HTTP2_EV_INVALID_FRAME_DATA);
        }
        break;
    default: /* DATA, PING, unknown types: nothing kept */
        fd->handled = true;
        break;
    }
}

/* --- recording what the transaction logs --- */

static void side_add_header(Http2Side *side, Http2Header h)
{
    if (side->header_count == side->header_cap) {
        if (side->header_cap >= HTTP2_MAX_HEADERS)
            goto drop;
        uint32_t cap = side->header_cap ? side->header_cap * 2 : 16;
        Http2Header *n = realloc(side->headers, cap * sizeof(*n));
        if (!n)
            goto drop;
        side->headers = n;
        side->header_cap = cap;
    }
    side->headers[side->header_count++] = h;
    return;
drop:
    free(h.name);
    free(h.value);
}

typedef struct BlockCtx {
    Http2State *s;
    Http2Side *side;
} BlockCtx;

/* Appends a header field, name and value copied. */
static void side_add_field(Http2Side *side, const uint8_t *name, size_t name_len, const uint8_t *value,
                           size_t value_len)
{
    Http2Header h = { .kind = HTTP2_HEADER_FIELD, .name_len = (uint32_t)name_len, .value_len = (uint32_t)value_len };
    h.name = malloc(name_len ? name_len : 1);
    h.value = malloc(value_len ? value_len : 1);
    if (!h.name || !h.value) {
        free(h.name);
        free(h.value);
        return;
    }
    if (name_len)
        memcpy(h.name, name, name_len);
    if (value_len)
        memcpy(h.value, value, value_len);
    side_add_header(side, h);
}

static void on_field(void *ctx, const HpackHeader *f)
{
    BlockCtx *b = ctx;
    side_add_field(b->side, f->name, f->name_len, f->value, f->value_len);
}

static void on_size_update(void *ctx, uint32_t size)
{
    BlockCtx *b = ctx;
    side_add_header(b->side, (Http2Header){ .kind = HTTP2_HEADER_SIZE_UPDATE, .size = size });
}

/* Suricata logs an entry whose index names nothing and goes on. */
static void on_bad_index(void *ctx, uint32_t index)
{
    BlockCtx *b = ctx;
    side_add_header(b->side, (Http2Header){ .kind = HTTP2_HEADER_ERROR,
                                            .error = index ? "HTTP2HeaderDecodeNotIndexed" : "HTTP2HeaderDecodeIndex0" });
    http2_set_event(b->s, HTTP2_EV_INVALID_HEADER);
}

static void side_drop_headers_from(Http2Side *side, uint32_t from)
{
    while (side->header_count > from) {
        Http2Header *h = &side->headers[--side->header_count];
        free(h->name);
        free(h->value);
    }
}

/* One frame's header block fragment, decoded on its own with the
 * direction's decoder, as Suricata does. False when the fragment ends
 * inside an entry: Suricata then drops the frame's headers
 * (invalid_frame_data when the frame was whole). */
static bool decode_block(Http2State *s, bool to_server, Http2Side *side, const uint8_t *block, size_t len)
{
    BlockCtx b = { .s = s, .side = side };
    HpackCallbacks cb = { .on_header = on_field, .on_size_update = on_size_update, .on_bad_index = on_bad_index,
                          .ctx = &b };
    uint32_t before = side->header_count;
    HpackResult r = hpack_decode_block_cb(&s->dir[to_server ? 0 : 1].hpack, block, len, &cb);
    switch (r) {
    case HPACK_OK:
        return true;
    case HPACK_ERR_TRUNCATED:
        side_drop_headers_from(side, before);
        return false;
    case HPACK_ERR_BAD_INTEGER: /* Suricata keeps what came before it */
        side_add_header(side, (Http2Header){ .kind = HTTP2_HEADER_ERROR, .error = "HTTP2HeaderDecodeIntegerOverflow" });
        http2_set_event(s, HTTP2_EV_HEADER_INTEGER_OVERFLOW);
        return true;
    default: /* bad Huffman code, limits, memory */
        side_add_header(side, (Http2Header){ .kind = HTTP2_HEADER_ERROR, .error = "HTTP2HeaderDecodeError" });
        http2_set_event(s, HTTP2_EV_INVALID_HEADER);
        return true;
    }
}

/* SETTINGS: 6-byte parameters (RFC 9113 section 6.5.1) up to the first
 * unknown one or an incomplete one, as Suricata's many0, appended to the
 * side's (at most HTTP2_MAX_SETTINGS). */
static void side_add_settings(Http2Side *side, const uint8_t *p, size_t n)
{
    ByteReader r = br_init(p, n);
    uint16_t id;
    uint32_t value;
    while (br_has(&r, 6) && br_be16(&r, &id) && http2_setting_name(id) && br_be32(&r, &value)) {
        if (side->setting_count == side->setting_cap) {
            if (side->setting_cap >= HTTP2_MAX_SETTINGS)
                break;
            uint32_t cap = side->setting_cap ? side->setting_cap * 2 : 8;
            Http2Setting *ns = realloc(side->settings, cap * sizeof(*ns));
            if (!ns)
                break;
            side->settings = ns;
            side->setting_cap = cap;
        }
        side->settings[side->setting_count++] = (Http2Setting){ .id = id, .value = value };
    }
    side->has_settings = true;
}

/* Appends v to a side's list of at most HTTP2_SIDE_VALUES. */
static void side_value(uint32_t *list, uint8_t *count, uint32_t v)
{
    if (*count < HTTP2_SIDE_VALUES)
        list[(*count)++] = v;
}

static void side_record(Http2State *s, Http2Side *side, const Http2FrameHeader *h, const Http2FrameData *fd,
                        bool to_server, bool complete)
{
    side->frame_types |= 1u << (h->type < 31 ? h->type : 31); /* every frame, parsed or not */
    if (!fd->handled)
        return;
    switch (h->type) {
    case HTTP2_FRAME_WINDOW_UPDATE:
        side_value(side->windows, &side->window_count, fd->window);
        break;
    case HTTP2_FRAME_SETTINGS:
        side_add_settings(side, fd->settings, fd->settings_len);
        break;
    case HTTP2_FRAME_GOAWAY:
    case HTTP2_FRAME_RST_STREAM:
        side_value(side->error_codes, &side->error_count, fd->error_code);
        if (!side->has_error_code) {
            side->has_error_code = true;
            side->error_code = fd->error_code;
        } else if (!side->multiple) {
            side->multiple = "error_code";
        }
        break;
    case HTTP2_FRAME_HEADERS:
    case HTTP2_FRAME_PUSH_PROMISE:
    case HTTP2_FRAME_CONTINUATION:
        if (decode_block(s, to_server, side, fd->hp.block, fd->hp.block_len))
            side->has_headers = true;
        else if (complete)
            http2_set_event(s, HTTP2_EV_INVALID_FRAME_DATA);
        break;
    }
    if (fd->has_weight) {
        side_value(side->priorities, &side->priority_count, fd->weight);
        if (!side->has_priority) {
            side->has_priority = true;
            side->priority = fd->weight;
        } else if (!side->multiple) {
            side->multiple = "priority";
        }
    }
}

/* files: a DATA frame's data (RFC 9113 section 6.1: a pad length byte and
 * that much padding when PADDED; a frame read only in part has no
 * padding to remove yet). */
static void data_to_file(Http2State *s, Http2Tx *tx, const Http2FrameHeader *h, const uint8_t *p, size_t n,
                         bool complete, bool to_server)
{
    ByteReader r = br_init(p, n);
    size_t len = n;
    if (h->flags & HTTP2_FLAG_PADDED) {
        uint8_t pad;
        if (!br_u8(&r, &pad) || (complete && pad > br_remaining(&r))) {
            http2_set_event(s, HTTP2_EV_INVALID_FRAME_DATA);
            return;
        }
        len = br_remaining(&r) - (complete ? pad : 0);
    }
    const uint8_t *d = NULL;
    if (!br_bytes(&r, len, &d))
        return;
    http2_files_data(s, tx, to_server, d, (uint32_t)len, complete && (h->flags & HTTP2_FLAG_END_STREAM),
                     &s->file_id_seq);
}

/* Handles one frame whose first `n` payload bytes are at `p` (all of them
 * when `complete`). */
static void handle_frame(Http2State *s, bool to_server, const Http2FrameHeader *h, const uint8_t *p, size_t n,
                         bool complete)
{
    Http2FrameData fd = { 0 };
    read_frame_data(s, h, p, n, complete, &fd);
    Http2Tx *tx = find_or_create_tx(s, h, fd.hp.promised_stream, to_server);
    if (tx) {
        advance_stream(tx, h, fd.hp.promised_stream, to_server);
        side_record(s, &tx->side[to_server ? 0 : 1], h, &fd, to_server, complete);
        if (h->type == HTTP2_FRAME_DATA && h->stream_id != 0)
            data_to_file(s, tx, h, p, n, complete, to_server);
    }
}

/* --- an HTTP/1 request upgraded to HTTP/2 (h2c) --- */

/* Suricata's http2_tx_set_header: one field on stream 1, whose client
 * side is then done. */
static void mimic_field(Http2State *s, const char *name, const uint8_t *n, uint32_t nlen, const uint8_t *v,
                        uint32_t vlen)
{
    Http2FrameHeader h = { .type = HTTP2_FRAME_HEADERS, .stream_id = 1 };
    Http2Tx *tx = find_or_create_tx(s, &h, 0, true);
    if (!tx)
        return;
    if (name)
        side_add_field(&tx->side[0], (const uint8_t *)name, strlen(name), v, vlen);
    else
        side_add_field(&tx->side[0], n, nlen, v, vlen);
    tx->side[0].has_headers = true;
    tx->side[0].frame_types |= 1u << HTTP2_FRAME_HEADERS; /* Suricata pushes a HEADERS frame */
    tx->state = HTTP2_TX_HALF_CLOSED_CLIENT;
}

/* The HTTP2-Settings header (RFC 7540 section 3.2.1): SETTINGS
 * parameters in base64, decoded as Suricata does (whole groups of four of
 * the standard alphabet only), as a stream 0 transaction of the client. */
static void mimic_settings(Http2State *s, const uint8_t *v, uint32_t n)
{
    if (n % 4 != 0) {
        http2_set_event(s, HTTP2_EV_INVALID_HTTP1_SETTINGS);
        return;
    }
    uint8_t *dec = malloc(n ? n / 4 * 3 : 1);
    if (!dec)
        return;
    for (uint32_t i = 0; i < n / 4; i++) {
        int q[4];
        for (int k = 0; k < 4; k++)
            q[k] = base64_value(v[4 * i + (uint32_t)k]); /* '=' is no character here */
        if (q[0] < 0 || q[1] < 0 || q[2] < 0 || q[3] < 0) {
            http2_set_event(s, HTTP2_EV_INVALID_HTTP1_SETTINGS);
            free(dec);
            return;
        }
        dec[3 * i] = (uint8_t)(q[0] << 2 | q[1] >> 4);
        dec[3 * i + 1] = (uint8_t)(q[1] << 4 | q[2] >> 2);
        dec[3 * i + 2] = (uint8_t)(q[2] << 6 | q[3]);
    }
    uint32_t len = n / 4 * 3;
    if (len % 6 != 0)
        http2_set_event(s, HTTP2_EV_INVALID_HTTP1_SETTINGS);
    Http2FrameHeader h = { .type = HTTP2_FRAME_SETTINGS, .length = len };
    Http2FrameData fd = { .handled = true, .settings = dec, .settings_len = len };
    Http2Tx *tx = find_or_create_tx(s, &h, 0, true);
    if (tx)
        side_record(s, &tx->side[0], &h, &fd, true, true);
    free(dec);
}

void http2_state_mimic_request(Http2State *s, const uint8_t *method, uint32_t method_len, const uint8_t *uri,
                               uint32_t uri_len, bool has_uri)
{
    mimic_field(s, ":method", NULL, 0, method, method_len);
    if (has_uri)
        mimic_field(s, ":path", NULL, 0, uri, uri_len);
}

void http2_state_mimic_header(Http2State *s, const uint8_t *name, uint32_t name_len, const uint8_t *value,
                              uint32_t value_len)
{
    static const char settings[] = "HTTP2-Settings";
    if (name_len == sizeof(settings) - 1 && memcmp(name, settings, name_len) == 0)
        mimic_settings(s, value, value_len);
    else if (name_len == 4 && strncasecmp((const char *)name, "host", 4) == 0)
        mimic_field(s, ":authority", NULL, 0, value, value_len);
    else
        mimic_field(s, NULL, name, name_len, value, value_len);
}

/* --- stream bytes to frames --- */

static bool dir_append(Http2Dir *d, const uint8_t *data, uint32_t len)
{
    if (len == 0)
        return true;
    if (d->cap - d->len < len) {
        size_t cap = d->cap ? d->cap : 4096;
        while (cap - d->len < len)
            cap *= 2;
        uint8_t *n = realloc(d->buf, cap);
        if (!n)
            return false;
        d->buf = n;
        d->cap = (uint32_t)cap;
    }
    memcpy(d->buf + d->len, data, len);
    d->len += len;
    return true;
}

/* Handles the frames at the start of `buf` that are whole, or long enough
 * to be read in part; returns the bytes they took (the rest waits for
 * more). Any 9 bytes are a frame header, so framing itself never fails. */
static uint32_t run_frames(Http2State *s, bool to_server, const uint8_t *buf, uint32_t len)
{
    Http2Dir *d = &s->dir[to_server ? 0 : 1];
    uint32_t pos = 0;
    while (len - pos >= HTTP2_FRAME_HEADER_LEN) {
        Http2FrameHeader h;
        http2_frame_header_read(buf + pos, len - pos, &h);
        uint32_t avail = len - pos - HTTP2_FRAME_HEADER_LEN;
        bool complete = avail >= h.length;
        if (!complete) {
            if (h.length < HTTP2_MAX_FRAME_KEPT || avail < HTTP2_MIN_FRAME_KEPT)
                break; /* wait for more */
            http2_set_event(s, HTTP2_EV_LONG_FRAME_DATA);
        }
        uint32_t take = complete ? h.length : avail;
        const uint8_t *payload = buf + pos + HTTP2_FRAME_HEADER_LEN;
        pos += HTTP2_FRAME_HEADER_LEN + take;
        if (!complete)
            d->skip = h.length - avail;
        if (!(h.length == 0 && h.type == HTTP2_FRAME_SETTINGS)) /* an ACK: no transaction */
            handle_frame(s, to_server, &h, payload, take, complete);
        if (!complete)
            break;
    }
    return pos;
}

/* The client's preface: checked once, consumed when it is there. */
static uint32_t check_preface(Http2State *s, const uint8_t *data, uint32_t len, bool *wait)
{
    Http2Dir *d = &s->dir[0];
    *wait = false;
    if (s->preface_checked)
        return 0;
    if (d->len + len < HTTP2_PREFACE_LEN) {
        *wait = true; /* kept in the buffer below */
        return 0;
    }
    s->preface_checked = true;
    uint8_t head[HTTP2_PREFACE_LEN];
    uint32_t from_buf = d->len < HTTP2_PREFACE_LEN ? d->len : HTTP2_PREFACE_LEN;
    if (from_buf)
        memcpy(head, d->buf, from_buf);
    memcpy(head + from_buf, data, HTTP2_PREFACE_LEN - from_buf);
    if (memcmp(head, HTTP2_PREFACE, HTTP2_PREFACE_LEN) != 0) {
        http2_set_event(s, HTTP2_EV_INVALID_CLIENT_MAGIC);
        return 0;
    }
    /* drop the preface: what was buffered of it, then the rest from data */
    if (from_buf) {
        memmove(d->buf, d->buf + from_buf, d->len - from_buf);
        d->len -= from_buf;
    }
    return HTTP2_PREFACE_LEN - from_buf;
}

bool http2_parse(Http2State *s, bool to_server, const uint8_t *data, uint32_t len)
{
    Http2Dir *d = &s->dir[to_server ? 0 : 1];
    if (d->failed)
        return false;
    if (to_server) {
        bool wait;
        uint32_t used = check_preface(s, data, len, &wait);
        data += used;
        len -= used;
        if (wait)
            return dir_append(d, data, len) || (d->failed = true, false);
    }
    if (d->skip) {
        uint32_t n = d->skip < len ? d->skip : len;
        d->skip -= n;
        data += n;
        len -= n;
    }
    if (d->len == 0) { /* the common case: frames straight from the data, the rest kept */
        uint32_t used = run_frames(s, to_server, data, len);
        data += used;
        len -= used;
    }
    if (!dir_append(d, data, len)) {
        d->failed = true;
        return false;
    }
    uint32_t used = d->len ? run_frames(s, to_server, d->buf, d->len) : 0;
    if (used) {
        memmove(d->buf, d->buf + used, d->len - used);
        d->len -= used;
    }
    return true;
}

void http2_gap(Http2State *s, bool to_server)
{
    /* the frame boundaries are lost: the direction is not parsed further */
    Http2Dir *d = &s->dir[to_server ? 0 : 1];
    d->failed = true;
    d->len = 0;
}
