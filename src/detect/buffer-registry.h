/*
 * The registry of application-layer inspection buffers (http.uri,
 * dns.query, tls.sni, ...). Each buffer has a name, an id (its signature
 * list is SIG_LIST_BUFFER_BASE + id), the application protocol whose
 * transactions carry it, the direction(s) it belongs to, and a getter that
 * reads the idx-th instance of the buffer from a transaction (single
 * buffers only answer idx 0; multi-buffers such as dns.queries.rrname
 * answer 0, 1, ... until the getter returns false). An optional `ready`
 * callback says whether the transaction progressed far enough for the
 * buffer to be inspected (default: the parser's tx_done for that side).
 * A name may exist once per protocol (file.data for HTTP and for SMTP); a
 * sticky keyword resolves it with the rule's protocol.
 * Buffers register at start-up from the kw-buffers-*.c files and are
 * read-only afterwards. Packet buffers (ipv4.hdr, tcp.hdr, ...: hdrkw)
 * register here too, with a packet getter instead of a transaction one.
 */
#ifndef ODLAR_DETECT_BUFFER_REGISTRY_H
#define ODLAR_DETECT_BUFFER_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/app-proto.h"
#include "detect/signature.h"

#define BUF_DIR_TOSERVER 1u
#define BUF_DIR_TOCLIENT 2u
#define BUF_DIR_BOTH 3u

typedef bool (*BufferGetFn)(const void *tx, bool to_server, uint32_t idx, const uint8_t **data, uint32_t *len);
typedef bool (*BufferReadyFn)(const void *tx, bool to_server);
struct Packet;
/* hdrkw: packet buffers (ipv4.hdr, tcp.hdr, ...) are read from the packet */
typedef bool (*BufferPacketGetFn)(const struct Packet *p, const uint8_t **data, uint32_t *len);

/* Streaming buffers (HTTP bodies, file.data): what one detection run on
 * packets of the buffer's own direction inspects is a window of the whole,
 * starting `base` bytes into it; the parser moves the window on after each
 * run (AppParserDef.tx_inspected). */
typedef struct BufferWindow {
    const uint8_t *data;
    uint32_t len;
    uint32_t base;
} BufferWindow;
typedef enum BufferWindowResult {
    BUF_WINDOW_NONE = 0, /* no such instance */
    BUF_WINDOW_WAIT,     /* the instance exists, nothing to inspect in this run */
    BUF_WINDOW_DATA,     /* *w is this run's window */
} BufferWindowResult;
typedef BufferWindowResult (*BufferWindowFn)(const void *tx, bool to_server, uint32_t idx, bool flow_end,
                                             BufferWindow *w);

typedef struct BufferDef {
    const char *name; /* "http.uri" */
    AppProto proto;
    uint8_t dirs; /* BUF_DIR_* */
    bool multi;
    BufferGetFn get;
    BufferReadyFn ready; /* NULL: the parser's tx_done */
} BufferDef;

#define BUFFER_MAX 256

/* Shared BufferDef parts: a ready test that is always true (the buffer is
 * there from the transaction's first byte on), and a getter whose one
 * instance is the transaction itself with length 0 (for keywords that
 * read the transaction through their parser's API rather than bytes). */
bool buffer_ready_always(const void *tx, bool ts);
bool buffer_get_tx_itself(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l);

/* Registers a buffer (a (name, protocol) pair registered twice keeps the
 * first); returns its id, or -1 when the table is full. One name may be
 * registered for several protocols (file.data: HTTP and SMTP); each gets
 * its own id and list. */
int buffer_register(const BufferDef *def);
/* The id of the first buffer registered as `name` (any protocol), or -1. */
int buffer_lookup(const char *name);
/* The id of buffer `name` registered for `proto`, or -1. */
int buffer_lookup_proto(const char *name, AppProto proto);
/* The buffer a rule of protocol `proto` means by `name`: the one registered
 * for that protocol, else (also for APP_PROTO_UNKNOWN) the first one. */
int buffer_lookup_for(const char *name, AppProto proto);
/* The buffer of list `list_id`, or NULL when it is not a buffer list. */
const BufferDef *buffer_by_list(uint16_t list_id);
/* hdrkw: registers a packet buffer (ipv4.hdr, tcp.hdr, ...): no
 * transaction carries it (def->get is NULL); its list is inspected per
 * packet by the buffer's own keyword, reading it through `get`. */
int buffer_register_packet(const BufferDef *def, BufferPacketGetFn get);
/* frames: registers a frame buffer (frame:<proto>.<type>): no transaction
 * carries it (def->get is NULL); like a packet buffer its list is inspected
 * per packet by its own keyword (kw-frame.c), against the flow's frames. */
int buffer_register_frame(const BufferDef *def);
/* Registers a streaming buffer: `window` gives what a run on packets of
 * the buffer's own direction inspects, replacing get/ready there; get/ready
 * still serve a run of the other direction (a `=>` rule reading the request
 * body on a response packet). */
int buffer_register_streaming(const BufferDef *def, BufferWindowFn window);
/* The window function of a streaming buffer, NULL for the others. */
BufferWindowFn buffer_window_fn(const BufferDef *b);
/* hdrkw: true when `list_id` is the list of a packet buffer (frames: or of
 * a frame buffer). */
bool buffer_is_packet_list(uint16_t list_id);
/* hdrkw: true when `list_id` is the list of a registered application-layer
 * buffer, i.e. one read from transactions (not a packet buffer, nor a side
 * list such as base64_data's or prefilter's). */
bool buffer_is_app_list(uint16_t list_id);
static inline uint16_t buffer_list_id(int id)
{
    return (uint16_t)(SIG_LIST_BUFFER_BASE + id);
}

#endif
