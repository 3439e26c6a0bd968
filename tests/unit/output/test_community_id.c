/*
 * Community ID v1 (output/community-id.h) against published values: the
 * Community ID specification's examples for TCP and ICMP (as shown in its
 * README and in Zeek's and Suricata's documentation), both directions of a
 * flow giving one ID, the seed changing it, and IPv6 against the ID
 * Suricata logs for a flow of the suite's community-id-ipv6 capture.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "output/community-id.h"

static Address v4(const char *s)
{
    Address a = { .family = 4 };
    assert_int_equal(inet_pton(AF_INET, s, a.addr), 1);
    return a;
}

static Address v6(const char *s)
{
    Address a = { .family = 6 };
    assert_int_equal(inet_pton(AF_INET6, s, a.addr), 1);
    return a;
}

static void test_tcp_both_directions(void **state)
{
    (void)state;
    char id[COMMUNITY_ID_LEN + 1], back[COMMUNITY_ID_LEN + 1];
    Address a = v4("128.232.110.120"), b = v4("66.35.250.204");
    assert_true(community_id(0, &a, &b, 6, 34855, 80, id));
    assert_string_equal(id, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
    assert_true(community_id(0, &b, &a, 6, 80, 34855, back));
    assert_string_equal(id, back);
    assert_true(community_id(1, &a, &b, 6, 34855, 80, back));
    assert_string_not_equal(id, back);
}

static void test_icmp(void **state)
{
    (void)state;
    char id[COMMUNITY_ID_LEN + 1], reply[COMMUNITY_ID_LEN + 1];
    Address a = v4("192.168.0.89"), b = v4("192.168.0.1");
    assert_true(community_id(0, &a, &b, 1, 8, 0, id)); /* echo request */
    assert_string_equal(id, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
    assert_true(community_id(0, &b, &a, 1, 0, 0, reply)); /* its reply */
    assert_string_equal(id, reply);
}

static void test_ipv6_and_mixed(void **state)
{
    (void)state;
    char id[COMMUNITY_ID_LEN + 1], back[COMMUNITY_ID_LEN + 1];
    /* the TLS flow of the suite's community-id-ipv6 capture, seed 7, and
     * the ID Suricata logs for it */
    Address a = v6("2600:1f13:f8:d400:3a6:303c:e011:18eb"), b = v6("2607:f8b0:400a:800::200e");
    assert_true(community_id(7, &a, &b, 6, 60202, 443, id));
    assert_string_equal(id, "1:ptJhMvufAbB5nLDNW77cB800wFM=");
    assert_true(community_id(7, &b, &a, 6, 443, 60202, back));
    assert_string_equal(id, back);
    Address v = v4("10.0.0.1");
    assert_false(community_id(0, &v, &b, 6, 1, 2, id)); /* families differ */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp_both_directions),
        cmocka_unit_test(test_icmp),
        cmocka_unit_test(test_ipv6_and_mixed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
