/*
 * Unit tests for reading the defrag settings: defaults, the `defrag:`
 * section, `host-os-policy` and `defrag.host-config` address tables, and
 * the values Suricata refuses to start with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "defrag/defrag.h"

static bool read_yaml(const char *yaml, DefragConfig *cfg, char *err, size_t errlen)
{
    Conf *c = conf_new_empty();
    assert_non_null(c);
    char lerr[256];
    assert_true(conf_load_string(c, yaml, "test", lerr, sizeof(lerr)));
    defrag_config_defaults(cfg);
    bool ok = defrag_config_read(c, cfg, err, errlen);
    conf_free(c);
    return ok;
}

static Address a4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
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

static Address a6_last(uint8_t last)
{
    Address x;
    memset(&x, 0, sizeof(x));
    x.family = 6;
    x.addr[15] = last;
    return x;
}

static void test_empty_keeps_defaults(void **state)
{
    (void)state;
    DefragConfig cfg, def;
    char err[256];
    assert_true(read_yaml("other: 1\n", &cfg, err, sizeof(err)));
    defrag_config_defaults(&def);
    assert_int_equal(cfg.memcap, def.memcap);
    assert_int_equal(cfg.hash_size, def.hash_size);
    assert_int_equal(cfg.trackers, def.trackers);
    assert_int_equal(cfg.max_frags, def.max_frags);
    assert_int_equal(cfg.timeout, def.timeout);
    assert_int_equal(cfg.host_rule_count, 0);
    Address any = a4(1, 2, 3, 4);
    assert_int_equal(defrag_config_policy_for(&cfg, &any), DEFRAG_POLICY_BSD);
    assert_int_equal(defrag_config_timeout_for(&cfg, &any), OD_TIME_FROM_SEC(60));
}

static void test_defrag_section(void **state)
{
    (void)state;
    DefragConfig cfg;
    char err[256];
    assert_true(read_yaml("defrag:\n"
                          "  memcap: 1mb\n"
                          "  hash-size: 1024\n"
                          "  trackers: 100\n"
                          "  max-frags: 200\n"
                          "  prealloc: no\n"
                          "  timeout: 30\n",
                          &cfg, err, sizeof(err)));
    assert_int_equal(cfg.memcap, 1024 * 1024);
    assert_int_equal(cfg.hash_size, 1024);
    assert_int_equal(cfg.trackers, 100);
    assert_int_equal(cfg.max_frags, 200);
    assert_false(cfg.prealloc);
    assert_int_equal(cfg.timeout, OD_TIME_FROM_SEC(30));
}

/* Zero counts and a null prealloc keep the defaults (conf-null-defrag). */
static void test_zero_and_null_keep_defaults(void **state)
{
    (void)state;
    DefragConfig cfg;
    char err[256];
    assert_true(read_yaml("defrag:\n"
                          "  trackers: 0\n"
                          "  max-frags: 0\n"
                          "  hash-size: 0\n"
                          "  prealloc: ~\n"
                          "  memcap:\n",
                          &cfg, err, sizeof(err)));
    assert_int_equal(cfg.trackers, 65535);
    assert_int_equal(cfg.max_frags, 65535);
    assert_int_equal(cfg.hash_size, 65536);
    assert_true(cfg.prealloc);
    assert_int_equal(cfg.memcap, 32 * 1024 * 1024);
}

static void test_bad_values_refused(void **state)
{
    (void)state;
    DefragConfig cfg;
    char err[256];
    assert_false(read_yaml("defrag:\n  timeout: 0\n", &cfg, err, sizeof(err)));
    assert_non_null(strstr(err, "defrag.timeout"));
    assert_false(read_yaml("defrag:\n  timeout: 86401\n", &cfg, err, sizeof(err)));
    assert_true(read_yaml("defrag:\n  timeout: 86400\n", &cfg, err, sizeof(err)));
    assert_false(read_yaml("defrag:\n  memcap: lots\n", &cfg, err, sizeof(err)));
    assert_non_null(strstr(err, "defrag.memcap"));
    assert_false(read_yaml("host-os-policy:\n  linux: [10.0.0.0/33]\n", &cfg, err, sizeof(err)));
    assert_non_null(strstr(err, "host-os-policy.linux"));
    assert_false(read_yaml("host-os-policy:\n  linux: [not-an-address]\n", &cfg, err, sizeof(err)));
    assert_false(read_yaml("host-os-policy:\n  linux: [10.0.0.0/255.0.255.0]\n", &cfg, err, sizeof(err)));
    assert_false(read_yaml("defrag:\n  host-config:\n    - dmz:\n        timeout: 0\n        address: [1.1.1.1]\n",
                           &cfg, err, sizeof(err)));
}

static void test_host_os_policy(void **state)
{
    (void)state;
    DefragConfig cfg;
    char err[256];
    assert_true(read_yaml("host-os-policy:\n"
                          "  windows: [0.0.0.0/0]\n"
                          "  bsd: []\n"
                          "  linux: [10.0.0.0/8, \"2001:db8::/32\"]\n"
                          "  solaris: [10.1.0.0/255.255.0.0]\n"
                          "  macos: 10.1.2.3\n"
                          "  hpux10: [\"::1\"]\n"
                          "  beos: [1.2.3.4]\n",
                          &cfg, err, sizeof(err)));
    Address x = a4(192, 168, 1, 1);
    assert_int_equal(defrag_config_policy_for(&cfg, &x), DEFRAG_POLICY_WINDOWS);
    x = a4(10, 9, 9, 9);
    assert_int_equal(defrag_config_policy_for(&cfg, &x), DEFRAG_POLICY_LINUX);
    x = a4(10, 1, 9, 9);
    assert_int_equal(defrag_config_policy_for(&cfg, &x), DEFRAG_POLICY_SOLARIS);
    x = a4(10, 1, 2, 3);
    assert_int_equal(defrag_config_policy_for(&cfg, &x), DEFRAG_POLICY_FIRST); /* macos */
    x = a6_last(1);
    assert_int_equal(defrag_config_policy_for(&cfg, &x), DEFRAG_POLICY_BSD); /* hpux10 */
    x = a6_last(2);
    assert_int_equal(defrag_config_policy_for(&cfg, &x), DEFRAG_POLICY_BSD); /* no rule: default */
    memset(x.addr, 0, 16);
    x.addr[0] = 0x20;
    x.addr[1] = 0x01;
    x.addr[2] = 0x0d;
    x.addr[3] = 0xb8;
    x.addr[15] = 7;
    assert_int_equal(defrag_config_policy_for(&cfg, &x), DEFRAG_POLICY_LINUX);
    /* policy rules say nothing about timeouts */
    assert_int_equal(defrag_config_timeout_for(&cfg, &x), OD_TIME_FROM_SEC(60));
}

static void test_host_config_timeouts(void **state)
{
    (void)state;
    DefragConfig cfg;
    char err[256];
    assert_true(read_yaml("defrag:\n"
                          "  timeout: 40\n"
                          "  host-config:\n"
                          "    - dmz:\n"
                          "        timeout: 30\n"
                          "        address: [192.168.1.0/24, \"1.1.1.1\", \"::1\"]\n"
                          "    - lan:\n"
                          "        timeout: 45\n"
                          "        address:\n"
                          "          - 192.168.0.0/16\n"
                          "    - notimeout:\n"
                          "        address: [172.16.0.0/12]\n",
                          &cfg, err, sizeof(err)));
    Address x = a4(192, 168, 1, 5);
    assert_int_equal(defrag_config_timeout_for(&cfg, &x), OD_TIME_FROM_SEC(30));
    x = a4(192, 168, 7, 5);
    assert_int_equal(defrag_config_timeout_for(&cfg, &x), OD_TIME_FROM_SEC(45));
    x = a4(1, 1, 1, 1);
    assert_int_equal(defrag_config_timeout_for(&cfg, &x), OD_TIME_FROM_SEC(30));
    x = a4(172, 20, 0, 1);
    assert_int_equal(defrag_config_timeout_for(&cfg, &x), OD_TIME_FROM_SEC(40));
    x = a4(8, 8, 8, 8);
    assert_int_equal(defrag_config_timeout_for(&cfg, &x), OD_TIME_FROM_SEC(40));
    x = a6_last(1);
    assert_int_equal(defrag_config_timeout_for(&cfg, &x), OD_TIME_FROM_SEC(30));
    /* timeout rules say nothing about policy */
    assert_int_equal(defrag_config_policy_for(&cfg, &x), DEFRAG_POLICY_BSD);
}

/* The rule table has a cap: the excess is ignored, not an error. */
static void test_rule_cap(void **state)
{
    (void)state;
    char yaml[64 * 1024];
    size_t n = (size_t)snprintf(yaml, sizeof(yaml), "host-os-policy:\n  linux:\n");
    for (int i = 0; i < DEFRAG_MAX_HOST_RULES + 10; i++)
        n += (size_t)snprintf(yaml + n, sizeof(yaml) - n, "    - 10.%d.%d.0/24\n", i / 256, i % 256);
    DefragConfig cfg;
    char err[256];
    assert_true(read_yaml(yaml, &cfg, err, sizeof(err)));
    assert_int_equal(cfg.host_rule_count, DEFRAG_MAX_HOST_RULES);
}

/* The built-in defaults (Suricata's suricata.yaml) make IPv4 windows. */
static void test_builtin_defaults(void **state)
{
    (void)state;
    Conf *c = conf_new_defaults();
    assert_non_null(c);
    DefragConfig cfg;
    defrag_config_defaults(&cfg);
    char err[256];
    assert_true(defrag_config_read(c, &cfg, err, sizeof(err)));
    assert_int_equal(cfg.memcap, 32 * 1024 * 1024);
    assert_int_equal(cfg.trackers, 65535);
    Address x = a4(8, 8, 8, 8);
    assert_int_equal(defrag_config_policy_for(&cfg, &x), DEFRAG_POLICY_WINDOWS);
    x = a6_last(1);
    assert_int_equal(defrag_config_policy_for(&cfg, &x), DEFRAG_POLICY_BSD);
    conf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_keeps_defaults),
        cmocka_unit_test(test_defrag_section),
        cmocka_unit_test(test_zero_and_null_keep_defaults),
        cmocka_unit_test(test_bad_values_refused),
        cmocka_unit_test(test_host_os_policy),
        cmocka_unit_test(test_host_config_timeouts),
        cmocka_unit_test(test_rule_cap),
        cmocka_unit_test(test_builtin_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
