/*
 * Unit tests of the pair-to-worker views (worker-balance.h) over the run's
 * shared owner table (pair-owners.h): a pair belongs to the worker that
 * claims it first and keeps it whatever comes later, every worker's view
 * agrees on every pair, frames without a pair go to worker 0, two threads
 * reading the same packet sequence at their own pace agree packet by packet,
 * and past the table's cap new pairs go by hash.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "engine/worker-balance.h"

static void test_first_claim_wins_and_sticks(void **state)
{
    (void)state;
    PairOwners *po = pair_owners_new(2);
    WorkerBalance *w0 = worker_balance_new(2, po, 0), *w1 = worker_balance_new(2, po, 1);
    assert_non_null(po);
    assert_non_null(w0);
    assert_non_null(w1);
    assert_int_equal(worker_balance_pick(w0, 11, 1000), 0); /* worker 0 met pair 11 first */
    assert_int_equal(worker_balance_pick(w1, 22, 100), 1);  /* worker 1 met pair 22 first */
    assert_int_equal(worker_balance_pick(w1, 11, 1000), 0); /* and learns 11 is 0's */
    assert_int_equal(worker_balance_pick(w0, 22, 100), 1);
    for (int i = 0; i < 100; i++) { /* a pair never moves, however loaded its worker */
        assert_int_equal(worker_balance_pick(w0, 11, 1500), 0);
        assert_int_equal(worker_balance_pick(w1, 11, 1500), 0);
    }
    assert_int_equal(worker_balance_pick(w1, 0, 60000), 0); /* no IP pair */
    assert_int_equal(worker_balance_pairs(w0), 2);
    assert_int_equal(pair_owners_count(po), 2);
    /* each view sums the work of the packets it read, by owner */
    assert_int_equal(worker_balance_load(w0, 0), 1000 + 100 * 1500 + 101 * 256);
    assert_int_equal(worker_balance_load(w0, 1), 100 + 256);
    assert_int_equal(worker_balance_load(w1, 0), 1000 + 100 * 1500 + 60000 + 102 * 256);
    worker_balance_free(w0);
    worker_balance_free(w1);
    worker_balance_free(NULL);
    pair_owners_free(po);
    pair_owners_free(NULL);
}

/* A thread of the race below: reads the shared packet sequence with its
 * own view, at its own pace, and notes the owner of every packet. */
typedef struct Reader {
    PairOwners *po;
    uint32_t self, workers;
    const uint32_t *hashes;
    uint32_t count;
    uint8_t *owner;
    uint32_t own;
} Reader;

static void *read_all(void *arg)
{
    Reader *r = arg;
    WorkerBalance *wb = worker_balance_new(r->workers, r->po, r->self);
    uint64_t st = r->self + 1;
    for (uint32_t i = 0; i < r->count; i++) {
        r->owner[i] = (uint8_t)worker_balance_pick(wb, r->hashes[i], 100);
        r->own += r->owner[i] == r->self;
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        for (volatile uint32_t spin = (uint32_t)(st >> 58); spin; spin--) /* uneven pace */
            ;
    }
    worker_balance_free(wb);
    return NULL;
}

static void test_threads_agree(void **state)
{
    (void)state;
    enum { COUNT = 300000, WORKERS = 3 };
    uint32_t *hashes = malloc(COUNT * sizeof(*hashes));
    assert_non_null(hashes);
    uint64_t st = 7;
    for (uint32_t i = 0; i < COUNT; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t pair = (uint32_t)(st >> 33) % 20000; /* 20,000 pairs, met many times */
        hashes[i] = pair ? pair * 2654435761u | 1u : 0;
    }
    PairOwners *po = pair_owners_new(WORKERS);
    Reader r[WORKERS];
    pthread_t t[WORKERS];
    for (uint32_t k = 0; k < WORKERS; k++) {
        r[k] = (Reader){ .po = po, .self = k, .workers = WORKERS, .hashes = hashes, .count = COUNT,
                         .owner = malloc(COUNT) };
        assert_non_null(r[k].owner);
        assert_int_equal(pthread_create(&t[k], NULL, read_all, &r[k]), 0);
    }
    for (uint32_t k = 0; k < WORKERS; k++)
        pthread_join(t[k], NULL);
    uint32_t owned = 0;
    for (uint32_t k = 1; k < WORKERS; k++)
        assert_memory_equal(r[0].owner, r[k].owner, COUNT); /* same owner for every packet */
    for (uint32_t k = 0; k < WORKERS; k++) {
        owned += r[k].own;
        free(r[k].owner);
    }
    assert_int_equal(owned, COUNT); /* every packet has exactly one owner */
    assert_int_equal(pair_owners_count(po), 19999);
    pair_owners_free(po);
    free(hashes);
}

static void test_cap(void **state)
{
    (void)state;
    PairOwners *po = pair_owners_new(3);
    WorkerBalance *w2 = worker_balance_new(3, po, 2), *w1 = worker_balance_new(3, po, 1);
    for (uint32_t h = 1; h <= BALANCE_MAX_PAIRS; h++)
        assert_int_equal(worker_balance_pick(w2, h * 2654435761u | 1u, 100), 2);
    assert_int_equal(pair_owners_count(po), BALANCE_MAX_PAIRS);
    assert_int_equal(worker_balance_pairs(w2), BALANCE_MAX_PAIRS);
    /* a new pair now goes by hash, in every view, and keeps that worker */
    uint32_t h = 0xfffffffeu;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(worker_balance_pick(w2, h, 1000), h % 3);
        assert_int_equal(worker_balance_pick(w1, h, 1000), h % 3);
    }
    /* a pair claimed before the cap keeps its claimant */
    assert_int_equal(worker_balance_pick(w1, 5 * 2654435761u | 1u, 100), 2);
    assert_int_equal(pair_owners_count(po), BALANCE_MAX_PAIRS);
    worker_balance_free(w1);
    worker_balance_free(w2);
    pair_owners_free(po);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_claim_wins_and_sticks),
        cmocka_unit_test(test_threads_agree),
        cmocka_unit_test(test_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
