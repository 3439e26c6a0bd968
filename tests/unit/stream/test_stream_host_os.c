/*
 * Unit tests of host-os-policy for TCP reassembly (stream-host-os.c): the
 * section read into StreamConfig, the most specific entry winning, IPv4
 * netmasks and IPv6 prefixes, unknown OS names ignored, bad addresses
 * refused.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "stream/stream.h"

static bool load(const char *yaml, StreamConfig *cfg, char *err, size_t errlen)
{
    Conf *c = conf_new_empty();
    char lerr[256];
    assert_true(conf_load_string(c, yaml, "test", lerr, sizeof(lerr)));
    stream_config_defaults(cfg);
    bool ok = stream_config_read(c, cfg, err, errlen);
    conf_free(c);
    return ok;
}

static StreamOsPolicy policy_of(const StreamConfig *cfg, const char *text)
{
    Address a;
    memset(&a, 0, sizeof(a));
    a.family = strchr(text, ':') ? 6 : 4;
    assert_int_equal(inet_pton(a.family == 6 ? AF_INET6 : AF_INET, text, a.addr), 1);
    return stream_host_os_policy(cfg, &a);
}

static void test_most_specific_wins(void **state)
{
    (void)state;
    StreamConfig cfg;
    char err[256] = "";
    const char *yaml = "%YAML 1.1\n---\nhost-os-policy:\n"
                       "  windows: [0.0.0.0/0]\n"
                       "  bsd: []\n"
                       "  old-linux: [2.2.2.2, 10.0.0.0/255.0.0.0]\n"
                       "  linux: [10.1.0.0/16]\n"
                       "  solaris: \"2001:db8::/32\"\n"
                       "  beos: [3.3.3.3]\n";
    assert_true(load(yaml, &cfg, err, sizeof(err)));
    assert_int_equal(cfg.host_os_count, 5);
    assert_int_equal(policy_of(&cfg, "2.2.2.2"), STREAM_OS_OLD_LINUX);
    assert_int_equal(policy_of(&cfg, "2.2.2.3"), STREAM_OS_WINDOWS);
    assert_int_equal(policy_of(&cfg, "10.9.9.9"), STREAM_OS_OLD_LINUX);
    assert_int_equal(policy_of(&cfg, "10.1.2.3"), STREAM_OS_LINUX);
    assert_int_equal(policy_of(&cfg, "3.3.3.3"), STREAM_OS_WINDOWS); /* beos: unknown, ignored */
    assert_int_equal(policy_of(&cfg, "2001:db8::1"), STREAM_OS_SOLARIS);
    assert_int_equal(policy_of(&cfg, "2001:db9::1"), STREAM_OS_NONE); /* 0.0.0.0/0 is IPv4 only */
}

static void test_none_and_absent(void **state)
{
    (void)state;
    StreamConfig cfg;
    char err[256] = "";
    assert_true(load("%YAML 1.1\n---\nstream:\n  memcap: 1mb\n", &cfg, err, sizeof(err)));
    assert_int_equal(cfg.host_os_count, 0);
    assert_int_equal(policy_of(&cfg, "1.2.3.4"), STREAM_OS_NONE);
    assert_true(load("%YAML 1.1\n---\nhost-os-policy:\n  none: [1.2.3.4]\n", &cfg, err, sizeof(err)));
    assert_int_equal(cfg.host_os_count, 0);
}

static void test_bad_addresses(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "%YAML 1.1\n---\nhost-os-policy:\n  linux: [1.2.3]\n",
        "%YAML 1.1\n---\nhost-os-policy:\n  linux: [1.2.3.4/33]\n",
        "%YAML 1.1\n---\nhost-os-policy:\n  linux: [1.2.3.4/255.0.255.0]\n",
        "%YAML 1.1\n---\nhost-os-policy:\n  linux: [\"::1/129\"]\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        StreamConfig cfg;
        char err[256] = "";
        assert_false(load(bad[i], &cfg, err, sizeof(err)));
        assert_non_null(strstr(err, "host-os-policy.linux"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_most_specific_wins),
        cmocka_unit_test(test_none_and_absent),
        cmocka_unit_test(test_bad_addresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
