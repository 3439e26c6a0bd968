/*
 * The round ring of worker-pool.c under a writer that falls behind: workers
 * may run ahead by the ring's slots, but no further than
 * WORKER_POOL_HELD_BYTES of finished, unwritten records (plus the rounds in
 * progress), and the run still ends -- the worker the writer waits for is
 * never held back, so the bound cannot deadlock. Each worker queues a
 * quarter MiB per round; 512 slots of two workers could otherwise hold
 * 256 MiB.
 *
 * The second test holds one worker back while the other fills the bound:
 * the writer, waiting for a batch of rounds, must take the rounds that are
 * finished instead of waiting for ones the bound keeps from starting (a
 * deadlock seen on a loaded machine). SIGALRM ends a hung run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
    record_queue_set_key(&r->out[k].q, round_no * 2 + 1, RECORD_PHASE_PACKET, 0, 0);
    record_queue_add(&r->out[k].q, RECORD_TARGET_EVE, record, sizeof(record));
    bool last = round_no + 1 == ROUNDS;
    if (k == 0) /* as the engine does: worker 0 marks the round */
        r->shutdown = last;
    return last;
}

static void pause_ms(long ms)
{
    nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000L }, NULL);
}

/* Worker 1 stops in round 1 until worker 0 has filled the bound. */
static WorkerPool *_Atomic gated_pool;

static bool fill_round_gated(void *ctx, uint32_t k, Round *r, uint64_t round_no, bool stop)
{
    if (k == 1 && round_no == 1) {
        WorkerPool *wp;
        while (!(wp = gated_pool))
            pause_ms(1);
        while (worker_pool_held_max(wp) <= WORKER_POOL_HELD_BYTES)
            pause_ms(1);
    }
    return fill_round(ctx, k, r, round_no, stop);
}

/* Writes every round as the ring hands it over (a lagging writer first waits
 * for the workers to run ahead as far as the bound lets them) and returns
 * the most bytes the finished rounds held. */
static size_t run_pool(RoundFn fn, bool lagging_writer)
{
    Round *slots = calloc(SLOTS, sizeof(*slots));
    assert_non_null(slots);
    for (uint32_t s = 0; s < SLOTS; s++)
        assert_true(round_init(&slots[s], WORKERS));
    WorkerPool *wp = worker_pool_start(WORKERS, slots, SLOTS, true, fn, NULL);
    assert_non_null(wp);
    gated_pool = wp;
    alarm(25); /* a hang ends the test with SIGALRM, before meson's 30 s */
    for (int i = 0; lagging_writer && i < 20000 && worker_pool_held_max(wp) < WORKER_POOL_HELD_BYTES; i++)
        pause_ms(1);
    uint64_t written = 0;
    for (uint64_t n = 0; n < ROUNDS; n++) {
        worker_pool_wait(wp, n, NULL);
        Round *r = &slots[n % SLOTS];
        for (uint32_t k = 0; k < WORKERS; k++) {
            assert_true(record_queue_bytes(&r->out[k].q) >= RECORD_BYTES);
            record_queue_clear(&r->out[k].q);
        }
        written++;
        worker_pool_release(wp, n);
    }
    size_t held_max = worker_pool_held_max(wp);
    alarm(0);
    gated_pool = NULL;
    print_message("held at most %zu bytes\n", held_max);
    worker_pool_stop(wp);
    assert_int_equal(written, ROUNDS);
    for (uint32_t s = 0; s < SLOTS; s++)
        round_free(&slots[s], WORKERS);
    free(slots);
    return held_max;
}

static void test_held_bytes_bounded(void **state)
{
    (void)state;
    size_t held_max = run_pool(fill_round, true);
    /* over the bound by at most one round per worker (a worker checks
     * before it starts a round) and the header bytes */
    assert_true(held_max >= WORKER_POOL_HELD_BYTES);
    assert_true(held_max <= WORKER_POOL_HELD_BYTES + 2 * WORKERS * (RECORD_BYTES + 4096));
}

static void test_writer_batch_ends_at_bound(void **state)
{
    (void)state;
    size_t held_max = run_pool(fill_round_gated, false);
    assert_true(held_max > WORKER_POOL_HELD_BYTES);
    assert_true(held_max <= WORKER_POOL_HELD_BYTES + 2 * WORKERS * (RECORD_BYTES + 4096));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_held_bytes_bounded),
        cmocka_unit_test(test_writer_batch_ends_at_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
