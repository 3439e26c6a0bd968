/*
 * X-Forwarded-For address selection for EVE alerts (output/eve-xff.h): the
 * reverse deployment takes the last address, the forward one the first;
 * ports are removed; what is not an address, or a value shorter than 7 or
 * longer than 255 bytes, gives none. Also the configuration defaults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "output/eve-xff.h"

static bool pick(const char *v, bool reverse, char out[EVE_XFF_IP_MAX])
{
    return eve_xff_parse((const uint8_t *)v, strlen(v), reverse, out);
}

static void test_xff_parse(void **st)
{
    (void)st;
    char ip[EVE_XFF_IP_MAX];
    assert_true(pick("10.2.2.2, 10.3.3.3", true, ip));
    assert_string_equal(ip, "10.3.3.3");
    assert_true(pick("10.2.2.2, 10.3.3.3", false, ip));
    assert_string_equal(ip, "10.2.2.2");
    assert_true(pick("10.1.1.1:8080", false, ip));
    assert_string_equal(ip, "10.1.1.1");
    assert_true(pick("a, [2001:db8::1]:443", true, ip));
    assert_string_equal(ip, "2001:db8::1");
    assert_true(pick("2001:db8::2", true, ip));
    assert_string_equal(ip, "2001:db8::2");
    assert_false(pick("unknown, proxy", true, ip));
    assert_false(pick("1.2.3", true, ip)); /* shorter than 7 bytes */
    char long_value[300];
    memset(long_value, '1', sizeof(long_value) - 1);
    long_value[sizeof(long_value) - 1] = '\0';
    assert_false(pick(long_value, true, ip));
}

static void test_xff_config_default(void **st)
{
    (void)st;
    EveXffConfig c;
    eve_xff_config_read(NULL, &c);
    assert_false(c.enabled);
    assert_string_equal(c.header, "X-Forwarded-For");
    assert_false(eve_xff_ip(&c, NULL, false, 0, (char[EVE_XFF_IP_MAX]){ 0 }));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xff_parse),
        cmocka_unit_test(test_xff_config_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
