/*
 * Unit tests of the writer-side threshold decisions: tickets queued by
 * several workers are answered on one table in record (packet) order, the
 * gated alert records of a suppressed match are dropped, the counts taken
 * back are kept, and a flow record whose alerts were all provisional gets
 * "alerted":true only when one of its tickets kept alerts. Counted per
 * worker instead, the first test would alert on another packet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/threshold-config.h"
#include "detect/threshold.h"
#include "engine/threshold-writer.h"
#include "output/record-queue.h"

static Address ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    Address x;
    memset(&x, 0, sizeof(x));
    x.family = 4;
    x.addr[0] = a;
    x.addr[1] = b;
    x.addr[2] = c;
    x.addr[3] = d;
    return x;
}

/* A plan of one rule keyword threshold (e.g. "type both, track by_src, ..."). */
typedef struct OnePlan {
    ThresholdSpec *spec;
    const ThresholdSpec *list[1];
    ThresholdSigPlan plan;
} OnePlan;

static void one_plan(OnePlan *op, const char *value)
{
    char err[256];
    memset(op, 0, sizeof(*op));
    op->spec = threshold_parse_keyword(value, err, sizeof(err));
    if (!op->spec)
        fail_msg("threshold '%s': %s", value, err);
    op->list[0] = op->spec;
    op->plan.thresholds = op->list;
    op->plan.threshold_count = 1;
}

/* One match as a worker queues it: the ticket, then its gated alert line. */
static void queue_match(RecordQueue *q, const ThresholdSigPlan *plan, uint64_t seq, Address src, Address dst,
                        uint64_t flow_id, const char *line)
{
    record_queue_set_key(q, seq, RECORD_PHASE_PACKET, 0, 0);
    ThresholdTicket t;
    memset(&t, 0, sizeof(t));
    t.plan = plan;
    t.gid = 1;
    t.sid = 2002910;
    t.alerts = 1;
    t.subj.src = src;
    t.subj.dst = dst;
    t.subj.has_flow = true;
    t.subj.flow_id = flow_id;
    t.subj.ts = (OdTime)seq * 1000000;
    t.flow_seq = flow_id;
    threshold_ticket_queue(q, &t);
    q->add_flags = RECORD_FLAG_GATED;
    record_queue_add(q, RECORD_TARGET_EVE, line, strlen(line));
    q->add_flags = 0;
}

static void write_all(RecordQueue *const *qs, int n, ThresholdWriter *tw, char *buf, size_t size)
{
    FILE *eve = tmpfile();
    assert_non_null(eve);
    RecordOutputs out;
    memset(&out, 0, sizeof(out));
    out.files[RECORD_TARGET_EVE] = eve;
    out.control = tw ? threshold_writer_answer : NULL;
    out.control_ctx = tw;
    assert_true(record_queues_write_outputs(qs, n, &out));
    rewind(eve);
    size_t got = fread(buf, 1, size - 1, eve);
    buf[got] = '\0';
    fclose(eve);
}

static void test_one_host_over_two_workers_counts_in_packet_order(void **state)
{
    (void)state;
    OnePlan op;
    one_plan(&op, "type both, track by_src, count 3, seconds 60");
    const Address scanner = ip4(26, 166, 234, 6);
    RecordQueue a, b;
    record_queue_init(&a);
    record_queue_init(&b);
    /* the scanner's pairs: worker a owns packets 1, 4, 5; worker b 2, 3 */
    queue_match(&a, &op.plan, 1, scanner, ip4(10, 0, 0, 1), 11, "p1\n");
    queue_match(&a, &op.plan, 4, scanner, ip4(10, 0, 0, 4), 14, "p4\n");
    queue_match(&a, &op.plan, 5, scanner, ip4(10, 0, 0, 5), 15, "p5\n");
    queue_match(&b, &op.plan, 2, scanner, ip4(10, 0, 0, 2), 12, "p2\n");
    queue_match(&b, &op.plan, 3, scanner, ip4(10, 0, 0, 3), 13, "p3\n");
    ThresholdWriter *tw = threshold_writer_new(64, 1 << 20);
    assert_non_null(tw);
    RecordQueue *qs[2] = { &a, &b };
    char out[256];
    write_all(qs, 2, tw, out, sizeof(out));
    /* `both`: the third match of the host in packet order, and only it
     * (per worker, worker a's third match -- packet 5 -- would alert) */
    assert_string_equal(out, "p3\n");
    assert_int_equal(threshold_writer_suppressed(tw), 4);
    assert_int_equal(threshold_writer_alerts_dropped(tw), 4);
    /* the flow of packet 3 alerted, that of packet 5 did not */
    record_queue_set_key(&a, 9, RECORD_PHASE_PACKET, 0, 0);
    threshold_flow_question_queue(&a, 13, 13);
    a.add_flags = RECORD_FLAG_ALERTED_FILL;
    record_queue_add(&a, RECORD_TARGET_EVE, "{\"flow\":{\"alerted\":false}}\n", 27);
    a.add_flags = 0;
    threshold_flow_question_queue(&a, 15, 15);
    a.add_flags = RECORD_FLAG_ALERTED_FILL;
    record_queue_add(&a, RECORD_TARGET_EVE, "{\"flow\":{\"alerted\":false}}\n", 27);
    a.add_flags = 0;
    write_all(qs, 2, tw, out, sizeof(out));
    assert_string_equal(out, "{\"flow\":{\"alerted\":true}}\n{\"flow\":{\"alerted\":false}}\n");
    /* asked once: the flow is forgotten */
    record_queue_set_key(&a, 10, RECORD_PHASE_PACKET, 0, 0);
    threshold_flow_question_queue(&a, 13, 13);
    a.add_flags = RECORD_FLAG_ALERTED_FILL;
    record_queue_add(&a, RECORD_TARGET_EVE, "\"alerted\":false\n", 16);
    a.add_flags = 0;
    write_all(qs, 2, tw, out, sizeof(out));
    assert_string_equal(out, "\"alerted\":false\n");
    threshold_writer_free(tw);
    record_queue_free(&a);
    record_queue_free(&b);
    threshold_spec_free(op.spec);
}

static void test_sources_count_apart_and_windows_restart(void **state)
{
    (void)state;
    OnePlan op;
    one_plan(&op, "type limit, track by_src, count 1, seconds 10");
    RecordQueue a;
    record_queue_init(&a);
    /* two sources, one match each at 1 and 2: both alert; the first again
     * at 5 (in its window: silent) and at 20 (a new window: alerts) */
    queue_match(&a, &op.plan, 1, ip4(1, 1, 1, 1), ip4(2, 2, 2, 2), 1, "s1-1\n");
    queue_match(&a, &op.plan, 2, ip4(1, 1, 1, 2), ip4(2, 2, 2, 2), 2, "s2-2\n");
    queue_match(&a, &op.plan, 5, ip4(1, 1, 1, 1), ip4(2, 2, 2, 3), 3, "s1-5\n");
    queue_match(&a, &op.plan, 20, ip4(1, 1, 1, 1), ip4(2, 2, 2, 4), 4, "s1-20\n");
    ThresholdWriter *tw = threshold_writer_new(64, 1 << 20);
    RecordQueue *qs[1] = { &a };
    char out[256];
    write_all(qs, 1, tw, out, sizeof(out));
    assert_string_equal(out, "s1-1\ns2-2\ns1-20\n");
    assert_int_equal(threshold_writer_suppressed(tw), 1);
    threshold_writer_free(tw);
    record_queue_free(&a);
    threshold_spec_free(op.spec);
}

static void test_without_a_writer_gated_records_pass(void **state)
{
    (void)state;
    OnePlan op;
    one_plan(&op, "type both, track by_src, count 3, seconds 60");
    RecordQueue a;
    record_queue_init(&a);
    queue_match(&a, &op.plan, 1, ip4(1, 1, 1, 1), ip4(2, 2, 2, 2), 1, "x\n");
    a.add_flags = RECORD_FLAG_ALERTED_FILL;
    record_queue_add(&a, RECORD_TARGET_EVE, "\"alerted\":false\n", 16);
    RecordQueue *qs[1] = { &a };
    char out[256];
    write_all(qs, 1, NULL, out, sizeof(out));
    /* no control callback: control records vanish, flagged ones stay as
     * they are (live runs never queue any) */
    assert_string_equal(out, "x\n\"alerted\":false\n");
    record_queue_free(&a);
    threshold_spec_free(op.spec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_host_over_two_workers_counts_in_packet_order),
        cmocka_unit_test(test_sources_count_apart_and_windows_restart),
        cmocka_unit_test(test_without_a_writer_gated_records_pass),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
