/*
 * Content inspection: evaluating a signature's buffer keywords against one
 * buffer (packet payload, reassembled stream, or an application buffer such
 * as http.uri), the way Suricata's DetectEngineContentInspection does.
 *
 * The engine walks a SigMatchList in order with an InspectCursor. Each buffer
 * keyword's `inspect` looks at cur->buf from where it is allowed to (absolute
 * offset/depth, or relative to cur->offset, the end of the previous match),
 * and on a match moves cur->offset to where the next relative keyword starts.
 * When a later keyword fails, the engine backtracks: if the keyword after the
 * current one is relative and the current one can match again further on
 * (cur->retryable, from cur->next_retry), it is re-run from there. A recursion
 * budget (detect.inspection-recursion-limit, 3000) bounds the work.
 *
 * Contract for a buffer keyword's inspect():
 *  - read cur->buf[0..cur->len) only;
 *  - search no earlier than cur->retry_from (0 on the first try) in addition
 *    to its own offset/distance rules;
 *  - on MATCH: set cur->offset to the end of the match (for byte_jump: the
 *    jump target; for isdataat/byte_test: leave it unchanged), set
 *    cur->retryable and cur->next_retry (first position a retry may use,
 *    normally match start + 1) when another occurrence could exist;
 *  - may store byte_extract/byte_math values in cur->vars[].
 */
#ifndef ODLAR_DETECT_INSPECT_H
#define ODLAR_DETECT_INSPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/keyword.h"
#include "detect/signature.h"

#define INSPECT_MAX_VARS 16 /* byte_extract / byte_math variables per signature */

/* A buffer to inspect; `owned` buffers hold transformed data. */
typedef struct InspectBuffer {
    const uint8_t *data;
    uint32_t len;
    uint8_t *owned;
    uint32_t owned_cap;
} InspectBuffer;

typedef enum InspectBufferKind {
    INSPECT_BUF_PACKET = 0, /* packet payload */
    INSPECT_BUF_STREAM, /* reassembled stream data */
    INSPECT_BUF_APP, /* an application-layer buffer */
} InspectBufferKind;

typedef struct InspectCursor {
    const uint8_t *buf;
    uint32_t len;
    InspectBufferKind kind;
    uint32_t offset; /* end of the previous match */
    uint32_t retry_from;
    uint32_t next_retry;
    bool retryable;
    uint64_t vars[INSPECT_MAX_VARS];
    uint32_t recursion_left;
    const Packet *p;
    bool to_server;
    /* offset of buf[0] in a larger buffer whose start lies before it (an
     * inline frame window, kw-frame.c): a content's depth counts from that
     * start, as with Suricata's stream_start_offset; 0 otherwise */
    uint32_t window_base;
} InspectCursor;

struct DetectThread;

/* Runs `list` against `buf`. True when every keyword matched. */
bool inspect_buffer(struct DetectThread *dt, const Signature *s, const SigMatchList *list, const uint8_t *buf,
                    uint32_t len, InspectBufferKind kind, const Packet *p);

/* inspect_buffer on a window that starts `window_base` bytes into the
 * buffer the rule's absolute limits refer to (see InspectCursor). */
bool inspect_buffer_window(struct DetectThread *dt, const Signature *s, const SigMatchList *list, const uint8_t *buf,
                           uint32_t len, InspectBufferKind kind, const Packet *p, uint32_t window_base);

/* Grows b->owned to at least n bytes; returns false when out of memory. */
bool inspect_buffer_reserve(InspectBuffer *b, uint32_t n);

#endif
