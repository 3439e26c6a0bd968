/*
 * Unit tests of the load-aware pair-to-worker table (worker-balance.h): a
 * pair keeps its first worker whatever the load does afterwards, a new pair
 * goes to the least loaded worker, frames without a pair go to worker 0,
 * the same packet sequence always gives the same split, a skewed mix of
 * heavy and light pairs ends close to even where the plain hash does not,
 * and past the table's cap new pairs go by hash.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/worker-balance.h"

static void test_sticky_and_least_loaded(void **state)
{
    (void)state;
    WorkerBalance *wb = worker_balance_new(2);
    assert_non_null(wb);
    assert_int_equal(worker_balance_pick(wb, 11, 1000), 0); /* both empty: the first */
    assert_int_equal(worker_balance_pick(wb, 22, 100), 1);  /* worker 1 has less */
    assert_int_equal(worker_balance_pick(wb, 33, 100), 1);  /* still less (356 < 1256) */
    /* pair 11 stays on 0 however loaded 0 becomes */
    for (int i = 0; i < 100; i++)
        assert_int_equal(worker_balance_pick(wb, 11, 1500), 0);
    assert_int_equal(worker_balance_pick(wb, 22, 10), 1);
    assert_int_equal(worker_balance_pick(wb, 44, 10), 1);
    assert_int_equal(worker_balance_pick(wb, 0, 60000), 0); /* no IP pair */
    assert_int_equal(worker_balance_pairs(wb), 4);
    assert_true(worker_balance_load(wb, 0) > worker_balance_load(wb, 1));
    worker_balance_free(wb);
    worker_balance_free(NULL);
}

static uint32_t rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 33);
}

/* 40 heavy pairs (a few thousand packets each) among 4000 light ones, in a
 * random interleaving; returns the larger worker's share in percent. */
static double skewed_run(WorkerBalance *wb, uint32_t workers, uint32_t *trace, bool by_hash)
{
    uint64_t st = 42, load[4] = { 0 };
    for (uint32_t i = 0; i < 200000; i++) {
        uint32_t r = rnd(&st);
        uint32_t pair = (r % 10 < 7) ? 1 + (r >> 8) % 40 : 1000 + (r >> 8) % 4000;
        uint32_t hash = pair * 2654435761u | 1u;
        uint32_t len = 60 + (r >> 20) % 1400;
        uint32_t k = by_hash ? hash % workers : worker_balance_pick(wb, hash, len);
        load[k] += len + 256;
        if (trace)
            trace[i % 1024] = trace[i % 1024] * 31 + k;
    }
    uint64_t all = 0, max = 0;
    for (uint32_t k = 0; k < workers; k++) {
        all += load[k];
        max = load[k] > max ? load[k] : max;
    }
    return 100.0 * (double)max / (double)all;
}

static void test_balance_and_reproducible(void **state)
{
    (void)state;
    static uint32_t t1[1024], t2[1024];
    for (uint32_t workers = 2; workers <= 4; workers++) {
        WorkerBalance *a = worker_balance_new(workers), *b = worker_balance_new(workers);
        double share = skewed_run(a, workers, t1, false);
        skewed_run(b, workers, t2, false);
        assert_memory_equal(t1, t2, sizeof(t1)); /* same sequence, same split */
        double even = 100.0 / workers;
        assert_true(share < even * 1.03);
        worker_balance_free(a);
        worker_balance_free(b);
    }
    /* the plain hash on the same mix is well off even on two workers */
    assert_true(skewed_run(NULL, 2, NULL, true) > 53.0);
}

static void test_cap(void **state)
{
    (void)state;
    WorkerBalance *wb = worker_balance_new(3);
    for (uint32_t h = 1; h <= BALANCE_MAX_PAIRS; h++)
        worker_balance_pick(wb, h * 2654435761u | 1u, 100);
    assert_int_equal(worker_balance_pairs(wb), BALANCE_MAX_PAIRS);
    /* a new pair now goes by hash, and keeps that worker */
    uint32_t h = 0xfffffffeu;
    for (int i = 0; i < 5; i++)
        assert_int_equal(worker_balance_pick(wb, h, 1000), h % 3);
    assert_int_equal(worker_balance_pairs(wb), BALANCE_MAX_PAIRS);
    worker_balance_free(wb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sticky_and_least_loaded),
        cmocka_unit_test(test_balance_and_reproducible),
        cmocka_unit_test(test_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
