/*
 * Unit tests of reading the flow settings from the configuration tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "flow/flow-table.h"

static void test_builtin_conf_equals_defaults(void **state)
{
    (void)state;
    Conf *c = conf_new_defaults();
    assert_non_null(c);
    FlowConfig want, got;
    flow_config_defaults(&want);
    flow_config_defaults(&got);
    /* spoil what the tree holds, so it must be read back */
    FlowTimeouts junk = { 1, 1, 1, 1 };
    for (int i = FLOW_PROTO_DEFAULT; i <= FLOW_PROTO_ICMP; i++) {
        got.timeouts[i].new_timeout = got.timeouts[i].est_timeout = 1;
        got.emerg_timeouts[i].new_timeout = got.emerg_timeouts[i].est_timeout = 1;
    }
    got.timeouts[FLOW_PROTO_TCP] = got.emerg_timeouts[FLOW_PROTO_TCP] = junk;
    got.memcap = got.hash_size = got.prealloc = got.emergency_recovery = 1;
    got.vlan_use_for_tracking = false;
    got.recursion_use_for_tracking = false;
    char err[256] = "";
    assert_true(flow_config_read(c, &got, err, sizeof(err)));
    assert_memory_equal(&want, &got, sizeof(want));
    conf_free(c);
}

static void test_overrides(void **state)
{
    (void)state;
    Conf *c = conf_new_defaults();
    char err[256] = "";
    assert_true(conf_load_string(c,
                                 "flow:\n"
                                 "  memcap: 1mb\n"
                                 "  hash-size: 4096\n"
                                 "  prealloc: 100\n"
                                 "  emergency-recovery: 50\n"
                                 "flow-timeouts:\n"
                                 "  tcp:\n"
                                 "    established: 3600\n"
                                 "    emergency-closed: 2\n"
                                 "  udp:\n"
                                 "    new: 7\n"
                                 "vlan:\n"
                                 "  use-for-tracking: false\n"
                                 "decoder:\n"
                                 "  recursion-level:\n"
                                 "    use-for-tracking: false\n"
                                 "stream:\n"
                                 "  midstream: true\n",
                                 "test", err, sizeof(err)));
    FlowConfig cfg;
    flow_config_defaults(&cfg);
    assert_true(flow_config_read(c, &cfg, err, sizeof(err)));
    assert_int_equal(cfg.memcap, 1024 * 1024);
    assert_int_equal(cfg.hash_size, 4096);
    assert_int_equal(cfg.prealloc, 100);
    assert_int_equal(cfg.emergency_recovery, 50);
    assert_int_equal(cfg.timeouts[FLOW_PROTO_TCP].est_timeout, 3600);
    assert_int_equal(cfg.timeouts[FLOW_PROTO_TCP].new_timeout, 60);
    assert_int_equal(cfg.emerg_timeouts[FLOW_PROTO_TCP].closed_timeout, 2);
    assert_int_equal(cfg.timeouts[FLOW_PROTO_UDP].new_timeout, 7);
    assert_int_equal(cfg.timeouts[FLOW_PROTO_UDP].est_timeout, 300);
    assert_false(cfg.vlan_use_for_tracking);
    assert_false(cfg.recursion_use_for_tracking);
    assert_true(cfg.midstream);
    conf_free(c);
}

static void test_bad_values(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "flow:\n  hash-size: 0\n",
        "flow:\n  memcap: lots\n",
        "flow-timeouts:\n  tcp:\n    new: -1\n",
        "flow-timeouts:\n  udp:\n    established: soon\n",
        "vlan:\n  use-for-tracking: perhaps\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        Conf *c = conf_new_defaults();
        char err[256] = "";
        assert_true(conf_load_string(c, bad[i], "test", err, sizeof(err)));
        FlowConfig cfg;
        flow_config_defaults(&cfg);
        assert_false(flow_config_read(c, &cfg, err, sizeof(err)));
        assert_true(strlen(err) > 0);
        conf_free(c);
    }

    /* out-of-range emergency-recovery falls back to 30, as in Suricata */
    Conf *c = conf_new_defaults();
    char err[256] = "";
    assert_true(conf_load_string(c, "flow:\n  emergency-recovery: 150\n", "test", err, sizeof(err)));
    FlowConfig cfg;
    flow_config_defaults(&cfg);
    cfg.emergency_recovery = 77;
    assert_true(flow_config_read(c, &cfg, err, sizeof(err)));
    assert_int_equal(cfg.emergency_recovery, 30);
    conf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_conf_equals_defaults),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_bad_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
