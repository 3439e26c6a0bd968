/*
 * The writer's threshold decisions (contract in threshold-writer.h).
 *
 * A control record is a ThresholdControl: a kind, then a ticket or a flow.
 * Both travel inside one process, so the ticket's plan pointer is carried
 * as it is. Flows with kept alerts wait in a small chained hash set until
 * their question comes (each flow ends once, so each entry is asked for
 * once and then removed); what is left at the end is freed with the writer.
 */
#include "engine/threshold-writer.h"

#include <stdlib.h>
#include <string.h>

enum { CONTROL_TICKET = 1, CONTROL_FLOW = 2 };

typedef struct ThresholdControl {
    uint32_t kind;
    ThresholdTicket ticket; /* CONTROL_TICKET; CONTROL_FLOW uses subj.flow_id and flow_seq */
} ThresholdControl;

typedef struct AlertedFlow {
    struct AlertedFlow *next;
    uint64_t flow_id, flow_seq;
} AlertedFlow;

#define ALERTED_BUCKETS 4096u

struct ThresholdWriter {
    ThresholdState *st;
    AlertedFlow *alerted[ALERTED_BUCKETS];
    uint64_t alerts_dropped;
    uint64_t suppressed;
};

ThresholdWriter *threshold_writer_new(uint32_t hash_size, uint64_t memcap)
{
    ThresholdWriter *tw = calloc(1, sizeof(*tw));
    if (!tw)
        return NULL;
    tw->st = threshold_state_new(hash_size, memcap);
    if (!tw->st) {
        free(tw);
        return NULL;
    }
    return tw;
}

void threshold_writer_free(ThresholdWriter *tw)
{
    if (!tw)
        return;
    for (uint32_t b = 0; b < ALERTED_BUCKETS; b++) {
        AlertedFlow *e = tw->alerted[b];
        while (e) {
            AlertedFlow *next = e->next;
            free(e);
            e = next;
        }
    }
    threshold_state_free(tw->st);
    free(tw);
}

uint64_t threshold_writer_alerts_dropped(const ThresholdWriter *tw)
{
    return tw->alerts_dropped;
}

uint64_t threshold_writer_suppressed(const ThresholdWriter *tw)
{
    return tw->suppressed;
}

static uint32_t flow_bucket(uint64_t flow_id, uint64_t flow_seq)
{
    uint64_t h = (flow_id ^ (flow_seq * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
    return (uint32_t)(h >> 32) & (ALERTED_BUCKETS - 1);
}

/* Remembers that the flow alerted (once). False when out of memory. */
static bool alerted_add(ThresholdWriter *tw, uint64_t flow_id, uint64_t flow_seq)
{
    AlertedFlow **head = &tw->alerted[flow_bucket(flow_id, flow_seq)];
    for (AlertedFlow *e = *head; e; e = e->next)
        if (e->flow_id == flow_id && e->flow_seq == flow_seq)
            return true;
    AlertedFlow *e = malloc(sizeof(*e));
    if (!e)
        return false;
    e->flow_id = flow_id;
    e->flow_seq = flow_seq;
    e->next = *head;
    *head = e;
    return true;
}

/* Whether the flow alerted; forgets it. */
static bool alerted_take(ThresholdWriter *tw, uint64_t flow_id, uint64_t flow_seq)
{
    for (AlertedFlow **pp = &tw->alerted[flow_bucket(flow_id, flow_seq)]; *pp; pp = &(*pp)->next) {
        AlertedFlow *e = *pp;
        if (e->flow_id == flow_id && e->flow_seq == flow_seq) {
            *pp = e->next;
            free(e);
            return true;
        }
    }
    return false;
}

static uint32_t answer_ticket(ThresholdWriter *tw, const ThresholdTicket *t)
{
    ThresholdVerdict v = threshold_check_thresholds(tw->st, t->plan, t->gid, t->sid, &t->subj, NULL);
    if (v != THRESH_ALERT) {
        tw->suppressed++;
        tw->alerts_dropped += t->alerts;
        return 0;
    }
    /* out of memory here, the flow record says "alerted":false (only
     * that; the alerts are written) */
    if (t->alerts && t->subj.has_flow)
        (void)alerted_add(tw, t->subj.flow_id, t->flow_seq);
    return RECORD_ANSWER_KEEP;
}

uint32_t threshold_writer_answer(void *ctx, const uint8_t *data, size_t len)
{
    ThresholdWriter *tw = ctx;
    ThresholdControl c;
    if (len != sizeof(c))
        return RECORD_ANSWER_KEEP; /* not ours */
    memcpy(&c, data, sizeof(c));
    if (c.kind == CONTROL_TICKET)
        return answer_ticket(tw, &c.ticket);
    if (c.kind == CONTROL_FLOW)
        return RECORD_ANSWER_KEEP |
               (alerted_take(tw, c.ticket.subj.flow_id, c.ticket.flow_seq) ? RECORD_ANSWER_ALERTED : 0);
    return RECORD_ANSWER_KEEP;
}

void threshold_ticket_queue(RecordQueue *q, const ThresholdTicket *t)
{
    ThresholdControl c;
    memset(&c, 0, sizeof(c));
    c.kind = CONTROL_TICKET;
    c.ticket = *t;
    const uint32_t flags = q->add_flags;
    q->add_flags = 0;
    record_queue_add(q, RECORD_TARGET_CONTROL, &c, sizeof(c));
    q->add_flags = flags;
}

void threshold_flow_question_queue(RecordQueue *q, uint64_t flow_id, uint64_t flow_seq)
{
    ThresholdControl c;
    memset(&c, 0, sizeof(c));
    c.kind = CONTROL_FLOW;
    c.ticket.subj.flow_id = flow_id;
    c.ticket.flow_seq = flow_seq;
    const uint32_t flags = q->add_flags;
    q->add_flags = 0;
    record_queue_add(q, RECORD_TARGET_CONTROL, &c, sizeof(c));
    q->add_flags = flags;
}
