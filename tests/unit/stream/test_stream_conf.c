/*
 * Unit tests of stream_config_read: the `stream:` section of a
 * suricata.yaml-style configuration over the defaults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "stream/stream.h"

static bool load(const char *yaml, StreamConfig *cfg, bool ips, char *err, size_t errlen)
{
    Conf *c = conf_new_empty();
    char lerr[256];
    assert_true(conf_load_string(c, yaml, "test", lerr, sizeof(lerr)));
    stream_config_defaults(cfg);
    cfg->inline_mode = ips;
    bool ok = stream_config_read(c, cfg, err, errlen);
    conf_free(c);
    return ok;
}

static void test_defaults(void **state)
{
    (void)state;
    StreamConfig cfg;
    stream_config_defaults(&cfg);
    assert_int_equal(cfg.memcap, 64ull << 20);
    assert_int_equal(cfg.reassembly_memcap, 256ull << 20);
    assert_int_equal(cfg.reassembly_depth, 1 << 20);
    assert_false(cfg.midstream);
    assert_false(cfg.async_oneside);
    assert_true(cfg.checksum_validation);
    assert_int_equal(cfg.max_synack_queued, 5);
    assert_int_equal(cfg.max_syn_queued, 10);
    assert_true(cfg.liberal_timestamps);
    assert_int_equal(cfg.default_os_policy, STREAM_OS_BSD);
    assert_int_equal(cfg.midstream_policy, STREAM_EP_IGNORE);
}

static void test_read_values(void **state)
{
    (void)state;
    StreamConfig cfg;
    char err[256] = "";
    const char *yaml = "%YAML 1.1\n---\nstream:\n  memcap: 32mb\n  midstream: true\n  async-oneside: yes\n"
                       "  checksum-validation: no\n  max-synack-queued: 300\n  max-syn-queued: 3\n"
                       "  liberal-timestamps: false\n"
                       "  reassembly:\n    memcap: 1gb\n    depth: 50\n    check-overlap-different-data: true\n"
                       "    toserver-chunk-size: 1000\n    urgent:\n      policy: oob\n      oob-limit-policy: gap\n";
    assert_true(load(yaml, &cfg, false, err, sizeof(err)));
    assert_int_equal(cfg.memcap, 32ull << 20);
    assert_true(cfg.midstream);
    assert_true(cfg.async_oneside);
    assert_false(cfg.checksum_validation);
    assert_int_equal(cfg.max_synack_queued, 5); /* out of range: default */
    assert_int_equal(cfg.max_syn_queued, 3);
    assert_false(cfg.liberal_timestamps);
    assert_int_equal(cfg.reassembly_memcap, 1ull << 30);
    assert_int_equal(cfg.reassembly_depth, 50);
    assert_true(cfg.check_overlap_different_data);
    assert_int_equal(cfg.toserver_chunk_size, 1000);
    assert_int_equal(cfg.urgent_policy, STREAM_URGENT_OOB);
    assert_int_equal(cfg.urgent_oob_limit_policy, STREAM_URGENT_GAP);
}

static void test_bad_values(void **state)
{
    (void)state;
    StreamConfig cfg;
    char err[256] = "";
    assert_false(load("%YAML 1.1\n---\nstream:\n  reassembly:\n    urgent:\n      policy: sideways\n", &cfg, false,
            err, sizeof(err)));
    assert_non_null(strstr(err, "stream.reassembly.urgent.policy"));
    /* oob is no limit policy */
    assert_false(load("%YAML 1.1\n---\nstream:\n  reassembly:\n    urgent:\n      oob-limit-policy: oob\n", &cfg,
            false, err, sizeof(err)));
    assert_false(load("%YAML 1.1\n---\nstream:\n  midstream-policy: maybe\n", &cfg, false, err, sizeof(err)));
    assert_non_null(strstr(err, "midstream-policy"));
    /* with midstream on only ignore and pass-flow make sense */
    assert_false(load("%YAML 1.1\n---\nstream:\n  midstream: true\n  midstream-policy: drop-flow\n", &cfg, true,
            err, sizeof(err)));
}

static void test_exception_policies(void **state)
{
    (void)state;
    StreamConfig cfg;
    char err[256] = "";
    /* IPS, nothing set: auto means drop-flow */
    assert_true(load("%YAML 1.1\n---\nstream:\n  memcap: 1mb\n", &cfg, true, err, sizeof(err)));
    assert_int_equal(cfg.midstream_policy, STREAM_EP_DROP_FLOW);
    assert_int_equal(cfg.ssn_memcap_policy, STREAM_EP_DROP_FLOW);
    assert_int_equal(cfg.reassembly_memcap_policy, STREAM_EP_DROP_FLOW);
    /* IDS: auto is ignore, drop falls back to ignore, pass-flow stays */
    assert_true(load("%YAML 1.1\n---\nexception-policy: drop-flow\nstream:\n  midstream-policy: pass-flow\n", &cfg,
            false, err, sizeof(err)));
    assert_int_equal(cfg.midstream_policy, STREAM_EP_PASS_FLOW);
    assert_int_equal(cfg.ssn_memcap_policy, STREAM_EP_IGNORE);
    /* IPS with midstream on: auto leaves midstream alone, an explicit
     * master switch value still applies (Suricata 8, exception-policy-
     * master-switch-02) */
    assert_true(load("%YAML 1.1\n---\nstream:\n  midstream: true\n", &cfg, true, err, sizeof(err)));
    assert_int_equal(cfg.midstream_policy, STREAM_EP_IGNORE);
    assert_int_equal(cfg.reassembly_memcap_policy, STREAM_EP_DROP_FLOW);
    assert_true(load("%YAML 1.1\n---\nexception-policy: drop-flow\nstream:\n  midstream: true\n", &cfg, true, err,
            sizeof(err)));
    assert_int_equal(cfg.midstream_policy, STREAM_EP_DROP_FLOW);
    /* the midstream key itself only takes ignore or pass-flow then */
    assert_false(load("%YAML 1.1\n---\nstream:\n  midstream: true\n  midstream-policy: drop-flow\n", &cfg, true,
            err, sizeof(err)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_read_values),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_exception_policies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
