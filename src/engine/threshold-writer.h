/*
 * Thresholds decided by the offline writer: the one place that sees every
 * worker's records in one order fixed by the capture.
 *
 * Thresholds counted per host or per rule (by_src, by_dst, by_rule; see
 * threshold_plan_spans_pairs) see matches of many address pairs, and the
 * pairs of one host are spread over the workers. Decided in each worker,
 * such a threshold would count only that worker's share, so the output would
 * depend on the number of workers. Instead, in an offline run, the worker
 * raises the match's alerts provisionally and queues, before them, a
 * control record carrying a ThresholdTicket (the plan, the rule, the
 * packet's addresses, flow and time); the alert records follow flagged
 * RECORD_FLAG_GATED. The writer answers each ticket on its one table, in
 * record order -- packet order, the same for one worker or many -- and the
 * gated records of a match that is not to alert are dropped.
 *
 * A flow whose only alerts were provisional leaves its "alerted" to the
 * writer too: before the flow record the worker queues a flow question
 * (flow_id and creation order); the writer, having answered every ticket of
 * the flow before, answers RECORD_ANSWER_ALERTED when one of them kept
 * alerts, and the flow record (flagged RECORD_FLAG_ALERTED_FILL) gets
 * "alerted":true. The writer also counts what it took back, for the stats
 * record: alerts dropped (taken off detect.alert) and matches suppressed
 * (added to detect.alerts_suppressed).
 */
#ifndef ODLAR_ENGINE_THRESHOLD_WRITER_H
#define ODLAR_ENGINE_THRESHOLD_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/threshold.h"
#include "output/record-queue.h"

typedef struct ThresholdWriter ThresholdWriter;

/* A writer with a table of `hash_size` buckets and `memcap` bytes
 * (threshold_state_new). NULL when memory runs out. */
ThresholdWriter *threshold_writer_new(uint32_t hash_size, uint64_t memcap);
void threshold_writer_free(ThresholdWriter *tw);

/* RecordControlFn: answers a ticket (RECORD_ANSWER_KEEP when the match
 * alerts) or a flow question (KEEP, plus ALERTED when a kept ticket of that
 * flow raised alerts). ctx is the ThresholdWriter. */
uint32_t threshold_writer_answer(void *ctx, const uint8_t *data, size_t len);

/* What the writer took back so far. */
uint64_t threshold_writer_alerts_dropped(const ThresholdWriter *tw);
uint64_t threshold_writer_suppressed(const ThresholdWriter *tw);

/* Worker side: queues a ticket's control record in q. */
void threshold_ticket_queue(RecordQueue *q, const ThresholdTicket *t);
/* Worker side: queues the question whether flow (flow_id, flow_seq)
 * alerted through a kept ticket (asked once, when the flow ends). */
void threshold_flow_question_queue(RecordQueue *q, uint64_t flow_id, uint64_t flow_seq);

#endif
