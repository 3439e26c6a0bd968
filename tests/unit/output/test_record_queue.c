/*
 * Unit tests of the ordered output records: several workers' queues come
 * out by packet, then phase, then flow_id, with ties kept in queue and
 * insertion order, and every record reaches the file it was meant for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output/record-queue.h"

/* Writes the queues through temporary files and returns what each got. */
static void write_queues(RecordQueue *const *qs, int n, char *eve_out, char *fast_out, size_t size)
{
    FILE *eve = tmpfile(), *fast = tmpfile();
    assert_non_null(eve);
    assert_non_null(fast);
    assert_true(record_queues_write(qs, n, eve, fast));
    FILE *files[2] = { eve, fast };
    char *outs[2] = { eve_out, fast_out };
    for (int i = 0; i < 2; i++) {
        rewind(files[i]);
        size_t got = fread(outs[i], 1, size - 1, files[i]);
        outs[i][got] = '\0';
        fclose(files[i]);
    }
}

static void add_tb(RecordQueue *q, uint64_t seq, RecordPhase phase, uint64_t sub, uint64_t tiebreak,
                   const char *text)
{
    record_queue_set_key(q, seq, phase, sub, tiebreak);
    record_queue_add(q, RECORD_TARGET_EVE, text, strlen(text));
}

static void add(RecordQueue *q, uint64_t seq, RecordPhase phase, uint64_t sub, const char *text)
{
    record_queue_set_key(q, seq, phase, sub, 0);
    record_queue_add(q, RECORD_TARGET_EVE, text, strlen(text));
}

static void test_merges_by_packet_then_phase_then_flow_id(void **state)
{
    (void)state;
    RecordQueue a, b;
    record_queue_init(&a);
    record_queue_init(&b);
    /* worker a: its packet 1, then timeouts before packet 3 in deadline
     * order (flow 9 before flow 4), then its packet 3 */
    add(&a, 1, RECORD_PHASE_PACKET, 0, "a1 ");
    add(&a, 3, RECORD_PHASE_TIMEOUT, 9, "a3t9 ");
    add(&a, 3, RECORD_PHASE_TIMEOUT, 4, "a3t4 ");
    add(&a, 3, RECORD_PHASE_PACKET, 0, "a3 ");
    /* worker b: packet 2, a timeout before packet 3 with flow 5, shutdown */
    add(&b, 2, RECORD_PHASE_PACKET, 0, "b2 ");
    add(&b, 3, RECORD_PHASE_TIMEOUT, 5, "b3t5 ");
    add(&b, UINT64_MAX, RECORD_PHASE_SHUTDOWN, 1, "bs1 ");
    add(&a, UINT64_MAX, RECORD_PHASE_SHUTDOWN, 7, "as7 ");
    add(&a, UINT64_MAX, RECORD_PHASE_SHUTDOWN, 0, "as0 ");
    RecordQueue *qs[2] = { &a, &b };
    char eve[512], fast[512];
    write_queues(qs, 2, eve, fast, sizeof(eve));
    assert_string_equal(eve, "a1 b2 a3t4 b3t5 a3t9 a3 as0 bs1 as7 ");
    assert_string_equal(fast, "");
    /* written queues are empty */
    assert_int_equal(a.count, 0);
    assert_int_equal(b.len, 0);
    record_queue_free(&a);
    record_queue_free(&b);
}

static void test_equal_keys_keep_insertion_then_queue_order(void **state)
{
    (void)state;
    RecordQueue a, b;
    record_queue_init(&a);
    record_queue_init(&b);
    /* one flow's several records at one key (alert, then flow) */
    add(&b, 5, RECORD_PHASE_TIMEOUT, 3, "b-first ");
    add(&b, 5, RECORD_PHASE_TIMEOUT, 3, "b-second ");
    add(&a, 5, RECORD_PHASE_TIMEOUT, 3, "a-only ");
    for (int i = 0; i < 50; i++) {
        char t[16];
        snprintf(t, sizeof(t), "%02d,", i);
        add(&a, 6, RECORD_PHASE_PACKET, 0, t);
    }
    RecordQueue *qs[2] = { &a, &b };
    char eve[1024], fast[64];
    write_queues(qs, 2, eve, fast, sizeof(eve));
    const char *want_head = "a-only b-first b-second 00,01,02,";
    assert_memory_equal(eve, want_head, strlen(want_head));
    assert_non_null(strstr(eve, "48,49,"));
    record_queue_free(&a);
    record_queue_free(&b);
}

/* Two flows with one flow_id ending together on different workers: their
 * creation order decides, not which worker had them. */
static void test_shared_flow_id_ordered_by_creation(void **state)
{
    (void)state;
    RecordQueue a, b;
    record_queue_init(&a);
    record_queue_init(&b);
    add_tb(&a, 9, RECORD_PHASE_TIMEOUT, 77, 500, "later ");
    add_tb(&b, 9, RECORD_PHASE_TIMEOUT, 77, 300, "earlier ");
    add_tb(&b, 9, RECORD_PHASE_TIMEOUT, 77, 300, "earlier-2 ");
    RecordQueue *qs[2] = { &a, &b };
    char eve[256], fast[64];
    write_queues(qs, 2, eve, fast, sizeof(eve));
    assert_string_equal(eve, "earlier earlier-2 later ");
    record_queue_free(&a);
    record_queue_free(&b);
}

static void test_targets_and_null_files(void **state)
{
    (void)state;
    RecordQueue q;
    record_queue_init(&q);
    record_queue_set_key(&q, 1, RECORD_PHASE_PACKET, 0, 0);
    record_queue_add(&q, RECORD_TARGET_FAST, "alert line\n", 11);
    record_queue_add(&q, RECORD_TARGET_EVE, "{}\n", 3);
    RecordQueue *qs[1] = { &q };
    char eve[64], fast[64];
    write_queues(qs, 1, eve, fast, sizeof(eve));
    assert_string_equal(eve, "{}\n");
    assert_string_equal(fast, "alert line\n");
    /* a disabled output (NULL file) drops its records */
    record_queue_add(&q, RECORD_TARGET_FAST, "dropped\n", 8);
    FILE *e = tmpfile();
    assert_true(record_queues_write(qs, 1, e, NULL));
    assert_int_equal(ftell(e), 0);
    fclose(e);
    record_queue_free(&q);
}

static void test_large_records_grow_the_buffer(void **state)
{
    (void)state;
    RecordQueue q;
    record_queue_init(&q);
    size_t big = 300000;
    char *text = malloc(big);
    assert_non_null(text);
    memset(text, 'x', big);
    record_queue_set_key(&q, 2, RECORD_PHASE_PACKET, 0, 0);
    record_queue_add(&q, RECORD_TARGET_EVE, text, big);
    record_queue_set_key(&q, 1, RECORD_PHASE_PACKET, 0, 0);
    record_queue_add(&q, RECORD_TARGET_EVE, "first", 5);
    assert_false(q.out_of_memory);
    FILE *e = tmpfile();
    RecordQueue *qs[1] = { &q };
    assert_true(record_queues_write(qs, 1, e, NULL));
    assert_int_equal(ftell(e), (long)(big + 5));
    rewind(e);
    char head[6] = "";
    assert_int_equal(fread(head, 1, 5, e), 5);
    assert_string_equal(head, "first");
    fclose(e);
    free(text);
    record_queue_free(&q);
}

/* The oracle's view of one record: its key, queue and place in the queue. */
typedef struct Expected {
    uint64_t seq, sub, tiebreak;
    uint32_t phase;
    int queue, index;
} Expected;

static int expected_cmp(const void *va, const void *vb)
{
    const Expected *a = va, *b = vb;
    const uint64_t ka[] = { a->seq, a->phase, a->sub, a->tiebreak, (uint64_t)a->queue, (uint64_t)a->index };
    const uint64_t kb[] = { b->seq, b->phase, b->sub, b->tiebreak, (uint64_t)b->queue, (uint64_t)b->index };
    for (size_t i = 0; i < sizeof(ka) / sizeof(ka[0]); i++) {
        if (ka[i] != kb[i])
            return ka[i] < kb[i] ? -1 : 1;
    }
    return 0;
}

/* Random queues, in key order or not, come out in the oracle's order,
 * equal keys included. */
static void test_random_queues_match_the_total_order(void **state)
{
    (void)state;
    enum { QUEUES = 3, PER_QUEUE = 120, TRIALS = 200 };
    static Expected exp[QUEUES * PER_QUEUE];
    static char eve[QUEUES * PER_QUEUE * 16], want[QUEUES * PER_QUEUE * 16], fast[QUEUES * PER_QUEUE * 16];
    srand(7);
    for (int trial = 0; trial < TRIALS; trial++) {
        RecordQueue q[QUEUES];
        RecordQueue *qs[QUEUES];
        size_t m = 0;
        for (int i = 0; i < QUEUES; i++) {
            record_queue_init(&q[i]);
            qs[i] = &q[i];
            bool ascending = trial % 2 == 0 || i != trial % 3; /* odd trials: one queue out of order */
            int count = rand() % PER_QUEUE;
            uint64_t seq = 0;
            for (int j = 0; j < count; j++) {
                Expected e = { .queue = i, .index = j };
                seq = ascending ? seq + (uint64_t)(rand() % 3) : (uint64_t)(rand() % 40);
                e.seq = seq;
                e.phase = ascending ? RECORD_PHASE_PACKET : (uint32_t)(rand() % 3);
                e.sub = ascending ? 0 : (uint64_t)(rand() % 4);
                e.tiebreak = ascending ? 0 : (uint64_t)(rand() % 2);
                char text[16];
                snprintf(text, sizeof(text), "%d.%d ", i, j);
                add_tb(&q[i], e.seq, (RecordPhase)e.phase, e.sub, e.tiebreak, text);
                exp[m++] = e;
            }
        }
        qsort(exp, m, sizeof(exp[0]), expected_cmp);
        size_t used = 0;
        want[0] = '\0';
        for (size_t r = 0; r < m; r++)
            used += (size_t)snprintf(want + used, sizeof(want) - used, "%d.%d ", exp[r].queue, exp[r].index);
        write_queues(qs, QUEUES, eve, fast, sizeof(eve));
        assert_string_equal(eve, want);
        for (int i = 0; i < QUEUES; i++)
            record_queue_free(&q[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merges_by_packet_then_phase_then_flow_id),
        cmocka_unit_test(test_equal_keys_keep_insertion_then_queue_order),
        cmocka_unit_test(test_shared_flow_id_ordered_by_creation),
        cmocka_unit_test(test_targets_and_null_files),
        cmocka_unit_test(test_large_records_grow_the_buffer),
        cmocka_unit_test(test_random_queues_match_the_total_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
