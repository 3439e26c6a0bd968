/*
 * Output records held back so that several workers' output can be written
 * in one well-defined order.
 *
 * A worker does not write its EVE lines and fast.log lines straight to the
 * files: it appends each finished line to its own `RecordQueue`, tagged with
 * the queue's current ordering key. The key says where the line belongs in
 * the run: the global sequence number of the packet being handled (`seq`),
 * the phase within that packet (flows ending because time moved on come
 * before the packet's own events; flows ending at shutdown come after every
 * packet) and, in the timeout and shutdown phases, the flow_id of the flow
 * being ended, then (should two flows share a flow_id) its creation order. `record_queues_write` then writes the records of any number
 * of queues sorted by key; records with equal keys keep the order of their
 * queue index, then the order they were added in. One worker or several,
 * the same capture gives the same bytes.
 */
#ifndef ODLAR_OUTPUT_RECORD_QUEUE_H
#define ODLAR_OUTPUT_RECORD_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Phases within one packet's position, in output order. */
typedef enum RecordPhase {
    RECORD_PHASE_TIMEOUT = 0, /* flows ended by the passage of time before the packet */
    RECORD_PHASE_PACKET = 1, /* the packet's own events */
    RECORD_PHASE_SHUTDOWN = 2, /* flows ended at the end of the input (seq UINT64_MAX) */
} RecordPhase;

/* Which file a record goes to. */
typedef enum RecordTarget {
    RECORD_TARGET_EVE = 0,
    RECORD_TARGET_FAST = 1,
    RECORD_TARGET_TCP_DATA = 2, /* tcp-data.log (tcp-data-log.h) */
    RECORD_TARGET_EVE_MORE = 3, /* further eve-log outputs: RECORD_TARGET_EVE_MORE + k */
    /* pcap-log's conditional modes: packets to write (pcap-log.h), for a sink */
    RECORD_TARGET_PCAP_LOG = RECORD_TARGET_EVE_MORE + 3,
    /* not a file: a question for the writer (RecordOutputs.control) whose
     * answer gates the queue's next flagged records (below) */
    RECORD_TARGET_CONTROL,
    RECORD_TARGET_COUNT
} RecordTarget;
/* eve-log outputs beyond the first that records can be queued for */
#define RECORD_EVE_MORE_MAX 3

typedef struct RecordKey {
    uint64_t seq;
    uint64_t sub; /* flow_id in the timeout and shutdown phases, else 0 */
    uint64_t tiebreak; /* the flow's creation order there, else 0 */
    uint32_t phase;
} RecordKey;

/* Flags a record may carry (RecordQueue.add_flags when it was added). The
 * writer keeps, per queue, the answer to the queue's last control record
 * (RECORD_ANSWER_*; RECORD_ANSWER_KEEP before any): a GATED record is
 * written only when that answer has RECORD_ANSWER_KEEP; an ALERTED_FILL
 * record -- a flow record written with "alerted":false -- gets
 * "alerted":true when the answer has RECORD_ANSWER_ALERTED. Records of one
 * key and queue come out in the order they were added, so a control record
 * answers for the flagged records added after it. */
#define RECORD_FLAG_GATED 1u
#define RECORD_FLAG_ALERTED_FILL 2u
#define RECORD_ANSWER_KEEP 1u
#define RECORD_ANSWER_ALERTED 2u

typedef struct RecordQueue {
    uint8_t *buf; /* records: a RecordHeader (see record-queue.c) then the bytes */
    size_t len, cap;
    size_t count;
    RecordKey key; /* key of the records added next */
    uint32_t add_flags; /* RECORD_FLAG_* of the records added next */
    bool out_of_memory; /* a record was lost for lack of memory */
} RecordQueue;

/* Bytes the queued records take (headers included). */
static inline size_t record_queue_bytes(const RecordQueue *q)
{
    return q->len;
}

void record_queue_init(RecordQueue *q);
void record_queue_free(RecordQueue *q);
/* Drops every record and gives the memory back (record-queue.c says why). */
void record_queue_clear(RecordQueue *q);
void record_queue_set_key(RecordQueue *q, uint64_t seq, RecordPhase phase, uint64_t sub, uint64_t tiebreak);
/* Appends a copy of `len` bytes as one record under the current key. */
void record_queue_add(RecordQueue *q, RecordTarget target, const void *data, size_t len);

/* Writes the records of queues[0..n) in key order (ties: lower queue index
 * first, then order of adding) to `eve` or `fast` (a NULL file drops its
 * records), then clears the queues. Returns false when a write failed or a
 * queue had lost records; the other records are still written. */
bool record_queues_write(RecordQueue *const *queues, int n, FILE *eve, FILE *fast);
/* The same with a file per RecordTarget (NULL entries drop their records). */
bool record_queues_write_targets(RecordQueue *const *queues, int n, FILE *const files[RECORD_TARGET_COUNT]);

/* Where each target's records go: a file, or a function given each record's
 * bytes (false: it failed); neither drops them. */
typedef bool (*RecordSinkFn)(void *ctx, const uint8_t *data, size_t len);
/* Answers a control record (RECORD_ANSWER_* bits). Without one, control
 * records are dropped and every flagged record is written as it is. */
typedef uint32_t (*RecordControlFn)(void *ctx, const uint8_t *data, size_t len);
typedef struct RecordOutputs {
    FILE *files[RECORD_TARGET_COUNT];
    RecordSinkFn sinks[RECORD_TARGET_COUNT];
    void *sink_ctx[RECORD_TARGET_COUNT];
    RecordControlFn control;
    void *control_ctx;
} RecordOutputs;
bool record_queues_write_outputs(RecordQueue *const *queues, int n, const RecordOutputs *out);

#endif
