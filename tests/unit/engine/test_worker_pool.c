/*
 * The round ring of worker-pool.c under a writer that falls behind: workers
 * may run ahead by the ring's slots, but no further than
 * WORKER_POOL_HELD_BYTES of finished, unwritten records (plus the rounds in
 * progress), and the run still ends -- the worker the writer waits for is
 * never held back, so the bound cannot deadlock. Each worker queues a
 * quarter MiB per round; 512 slots of two workers could otherwise hold
 * 256 MiB.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "engine/worker-pool.h"

#define SLOTS 512u
#define WORKERS 2u
#define ROUNDS 600u
#define RECORD_BYTES ((size_t)256 << 10)

static uint8_t record[RECORD_BYTES];

static bool fill_round(void *ctx, uint32_t k, Round *r, uint64_t round_no, bool stop)
{
    (void)ctx;
    (void)stop;
    record_queue_set_key(&r->out[k], round_no * 2 + 1, RECORD_PHASE_PACKET, 0, 0);
    record_queue_add(&r->out[k], RECORD_TARGET_EVE, record, sizeof(record));
    bool last = round_no + 1 == ROUNDS;
    r->shutdown = last;
    return last;
}

static void test_held_bytes_bounded(void **state)
{
    (void)state;
    Round *slots = calloc(SLOTS, sizeof(*slots));
    assert_non_null(slots);
    for (uint32_t s = 0; s < SLOTS; s++)
        assert_true(round_init(&slots[s], WORKERS));
    WorkerPool *wp = worker_pool_start(WORKERS, slots, SLOTS, true, fill_round, NULL);
    assert_non_null(wp);
    /* a writer that falls behind: it waits until the workers have run
     * ahead as far as the bound lets them (the 30 s limit only keeps a
     * broken bound from hanging the test) */
    for (int i = 0; i < 30000 && worker_pool_held_max(wp) < WORKER_POOL_HELD_BYTES; i++)
        nanosleep(&(struct timespec){ 0, 1000000L }, NULL);
    uint64_t written = 0;
    for (uint64_t n = 0; n < ROUNDS; n++) {
        worker_pool_wait(wp, n, NULL);
        Round *r = &slots[n % SLOTS];
        for (uint32_t k = 0; k < WORKERS; k++) {
            assert_true(record_queue_bytes(&r->out[k]) >= RECORD_BYTES);
            record_queue_clear(&r->out[k]);
        }
        written++;
        worker_pool_release(wp, n);
    }
    size_t held_max = worker_pool_held_max(wp);
    print_message("held at most %zu bytes\n", held_max);
    worker_pool_stop(wp);
    assert_int_equal(written, ROUNDS);
    /* over the bound by at most one round per worker (a worker checks
     * before it starts a round) and the header bytes */
    assert_true(held_max >= WORKER_POOL_HELD_BYTES);
    assert_true(held_max <= WORKER_POOL_HELD_BYTES + 2 * WORKERS * (RECORD_BYTES + 4096));
    for (uint32_t s = 0; s < SLOTS; s++)
        round_free(&slots[s], WORKERS);
    free(slots);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_held_bytes_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
