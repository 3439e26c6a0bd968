/*
 * Unit tests of reading the runmode and worker count: the default (single),
 * autofp (one worker per CPU times detect-thread-ratio), single, the
 * cpu-affinity worker-cpu-set in Suricata 8's and the older list form, and
 * the errors for a bad runmode or ratio.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "engine/engine.h"

static bool read_yaml(const char *yaml, ThreadingConfig *tc, char *err, size_t errlen)
{
    Conf *c = conf_new_defaults();
    assert_non_null(c);
    if (yaml) {
        char lerr[256];
        assert_true(conf_load_string(c, yaml, "<test>", lerr, sizeof(lerr)));
    }
    bool ok = threading_config_read(c, tc, err, errlen);
    conf_free(c);
    return ok;
}

static uint32_t cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (uint32_t)n : 1;
}

static void test_default_is_single_autofp_one_worker_per_cpu(void **state)
{
    (void)state;
    ThreadingConfig tc;
    char err[256];
    assert_true(read_yaml(NULL, &tc, err, sizeof(err)));
    assert_string_equal(tc.runmode, "single");
    assert_true(tc.single);
    assert_int_equal(tc.workers, 1);
    assert_true(read_yaml("runmode: autofp\n", &tc, err, sizeof(err)));
    assert_string_equal(tc.runmode, "autofp");
    assert_false(tc.single);
    uint32_t want = cpus() > ENGINE_MAX_WORKERS ? ENGINE_MAX_WORKERS : cpus();
    assert_int_equal(tc.workers, want);
}

static void test_single_and_ratio(void **state)
{
    (void)state;
    ThreadingConfig tc;
    char err[256];
    assert_true(read_yaml("runmode: single\n", &tc, err, sizeof(err)));
    assert_true(tc.single);
    assert_int_equal(tc.workers, 1);
    assert_true(read_yaml("runmode: workers\nthreading:\n  detect-thread-ratio: 3\n", &tc, err, sizeof(err)));
    assert_false(tc.single);
    uint32_t want = cpus() * 3 > ENGINE_MAX_WORKERS ? ENGINE_MAX_WORKERS : cpus() * 3;
    assert_int_equal(tc.workers, want);
    /* a tiny ratio still leaves one worker */
    assert_true(read_yaml("runmode: autofp\nthreading:\n  detect-thread-ratio: 0.01\n", &tc, err, sizeof(err)));
    assert_int_equal(tc.workers, 1);
}

static void test_worker_cpu_set(void **state)
{
    (void)state;
    ThreadingConfig tc;
    char err[256];
    /* Suricata 8's mapping form */
    assert_true(read_yaml("runmode: autofp\nthreading:\n  set-cpu-affinity: yes\n  cpu-affinity:\n    worker-cpu-set:\n"
                          "      cpu: [ 0 ]\n      threads: 5\n",
                          &tc, err, sizeof(err)));
    assert_int_equal(tc.workers, 5);
    /* the list form with a cpu list and no threads: one per CPU named */
    assert_true(read_yaml("runmode: autofp\nthreading:\n  set-cpu-affinity: yes\n  cpu-affinity:\n"
                          "    - management-cpu-set:\n        cpu: [ 0 ]\n"
                          "    - worker-cpu-set:\n        cpu: [ 1, \"4-6\" ]\n",
                          &tc, err, sizeof(err)));
    assert_int_equal(tc.workers, 4);
    /* ... and the CPUs the workers are pinned to, in list order, exclusive */
    assert_int_equal(tc.cpu_count, 4);
    assert_int_equal(tc.cpus[0], 1);
    assert_int_equal(tc.cpus[1], 4);
    assert_int_equal(tc.cpus[3], 6);
    assert_true(tc.cpu_exclusive);
    /* no cpu list: threads decide the count, all online CPUs are the set;
     * balanced mode */
    assert_true(read_yaml("runmode: workers\nthreading:\n  set-cpu-affinity: yes\n  cpu-affinity:\n"
                          "    worker-cpu-set:\n      threads: 2\n      mode: balanced\n",
                          &tc, err, sizeof(err)));
    assert_int_equal(tc.workers, 2);
    assert_int_equal(tc.cpu_count, cpus() > THREADING_MAX_CPUS ? THREADING_MAX_CPUS : cpus());
    assert_false(tc.cpu_exclusive);
    /* a bad entry names no CPU; "all" names every online one */
    assert_true(read_yaml("runmode: workers\nthreading:\n  set-cpu-affinity: yes\n  cpu-affinity:\n"
                          "    worker-cpu-set:\n      cpu: [ \"x\", \"3-1\", \"all\" ]\n",
                          &tc, err, sizeof(err)));
    assert_int_equal(tc.cpu_count, cpus() > THREADING_MAX_CPUS ? THREADING_MAX_CPUS : cpus());
    /* affinity off: the set is ignored */
    assert_true(read_yaml("runmode: autofp\nthreading:\n  set-cpu-affinity: no\n  cpu-affinity:\n    worker-cpu-set:\n"
                          "      threads: 5\n",
                          &tc, err, sizeof(err)));
    assert_int_equal(tc.workers, cpus() > ENGINE_MAX_WORKERS ? ENGINE_MAX_WORKERS : cpus());
    assert_int_equal(tc.cpu_count, 0); /* not pinned */
    /* single: one worker, pinned to the set's first CPU when affinity is on */
    assert_true(read_yaml("runmode: single\nthreading:\n  set-cpu-affinity: yes\n  cpu-affinity:\n    worker-cpu-set:\n"
                          "      cpu: [ 1, 0 ]\n      threads: 5\n",
                          &tc, err, sizeof(err)));
    assert_true(tc.single);
    assert_int_equal(tc.workers, 1);
    assert_int_equal(tc.cpu_count, 2);
    assert_int_equal(tc.cpus[0], 1);
    assert_true(read_yaml("runmode: single\nthreading:\n  cpu-affinity:\n    worker-cpu-set:\n      cpu: [ 1 ]\n",
                          &tc, err, sizeof(err)));
    assert_int_equal(tc.cpu_count, 0); /* affinity off: not pinned */
    /* capped */
    assert_true(read_yaml("runmode: autofp\nthreading:\n  set-cpu-affinity: yes\n  cpu-affinity:\n    worker-cpu-set:\n"
                          "      threads: 100000\n",
                          &tc, err, sizeof(err)));
    assert_int_equal(tc.workers, ENGINE_MAX_WORKERS);
}

static void test_errors(void **state)
{
    (void)state;
    ThreadingConfig tc;
    char err[256] = "";
    assert_false(read_yaml("runmode: fast\n", &tc, err, sizeof(err)));
    assert_non_null(strstr(err, "fast"));
    assert_false(read_yaml("runmode: autofp\nthreading:\n  detect-thread-ratio: lots\n", &tc, err, sizeof(err)));
    assert_non_null(strstr(err, "detect-thread-ratio"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_is_single_autofp_one_worker_per_cpu),
        cmocka_unit_test(test_single_and_ratio),
        cmocka_unit_test(test_worker_cpu_set),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
