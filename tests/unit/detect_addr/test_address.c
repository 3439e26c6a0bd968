/*
 * Unit tests for rule address parsing and matching (src/detect/address.c):
 * every accepted form, the resulting ranges, matching at range boundaries,
 * IPv4 versus IPv6, negation semantics as in Suricata 8, variables and each
 * error a rule writer can hit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "addr_test_util.h"

static const TestVar vars[] = {
    { "HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]" },
    { "EXTERNAL_NET", "!$HOME_NET" },
    { "HTTP_SERVERS", "$HOME_NET" },
    { "AIM_SERVERS", "$EXTERNAL_NET" },
    { "ANY_NET", "any" },
    { "V6_NET", "[2001:db8::/32, ::1]" },
    { "MIXED", "[10.0.0.0/8,!10.1.0.0/16,2001:db8::/32]" },
    { "LOOP_A", "[1.1.1.1,$LOOP_B]" },
    { "LOOP_B", "$LOOP_A" },
    { "SELF", "$SELF" },
    { "EMPTY", "" },
    { "BAD", "[1.2.3.4,1.2.3]" },
    { "UNDEF_INSIDE", "[$NOPE]" },
    { NULL, NULL },
};

static AddressSet *parse_ok(const char *text)
{
    char err[256];
    AddressSet *s = address_set_parse(text, test_var_lookup, (void *)vars, err, sizeof(err));
    if (s == NULL)
        fail_msg("'%s' rejected: %s", text, err);
    return s;
}

/* Parses text and compares the formatted ranges. */
static void expect_ranges(const char *text, const char *want)
{
    AddressSet *s = parse_ok(text);
    char buf[1024];
    assert_true(address_set_format(s, buf, sizeof(buf)));
    if (strcmp(buf, want) != 0)
        fail_msg("'%s' gave '%s', want '%s'", text, buf, want);
    address_set_free(s);
}

/* Expects a parse error whose message contains `want`. */
static void expect_error(const char *text, const char *want)
{
    char err[256] = "";
    AddressSet *s = address_set_parse(text, test_var_lookup, (void *)vars, err, sizeof(err));
    if (s != NULL) {
        address_set_free(s);
        fail_msg("'%s' accepted, expected error containing '%s'", text, want);
    }
    if (strstr(err, want) == NULL)
        fail_msg("'%s' error '%s' lacks '%s'", text, err, want);
}

static bool matches(const AddressSet *s, const char *ip)
{
    Address a = test_addr(ip);
    return address_set_match(s, &a);
}

static void test_any(void **state)
{
    (void)state;
    AddressSet *s = parse_ok("any");
    assert_true(address_set_is_any(s));
    assert_true(matches(s, "0.0.0.0"));
    assert_true(matches(s, "255.255.255.255"));
    assert_true(matches(s, "::"));
    assert_true(matches(s, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    Address none;
    memset(&none, 0, sizeof(none));
    assert_true(address_set_match(s, &none)); /* `any` needs no address */
    address_set_free(s);
    expect_ranges("ANY", "0.0.0.0-255.255.255.255,::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    expect_ranges("[0.0.0.0/0,::/0]", "0.0.0.0-255.255.255.255,::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    s = parse_ok("[0.0.0.0/0,::/0]");
    assert_true(address_set_is_any(s));
    address_set_free(s);
    s = parse_ok("0.0.0.0/0");
    assert_false(address_set_is_any(s));
    assert_false(matches(s, "::1"));
    address_set_free(s);
}

static void test_ipv4_single_and_boundaries(void **state)
{
    (void)state;
    AddressSet *s = parse_ok("1.2.3.4");
    assert_false(address_set_is_any(s));
    assert_true(matches(s, "1.2.3.4"));
    assert_false(matches(s, "1.2.3.3"));
    assert_false(matches(s, "1.2.3.5"));
    assert_false(matches(s, "::ffff:1.2.3.4")); /* IPv6 never matches an IPv4 set */
    Address none;
    memset(&none, 0, sizeof(none));
    assert_false(address_set_match(s, &none));
    address_set_free(s);
    expect_ranges("0.0.0.0", "0.0.0.0");
    expect_ranges("255.255.255.255", "255.255.255.255");
}

static void test_ipv4_cidr(void **state)
{
    (void)state;
    AddressSet *s = parse_ok("1.2.3.0/24");
    assert_true(matches(s, "1.2.3.0"));
    assert_true(matches(s, "1.2.3.255"));
    assert_false(matches(s, "1.2.2.255"));
    assert_false(matches(s, "1.2.4.0"));
    address_set_free(s);
    expect_ranges("1.2.3.4/24", "1.2.3.0-1.2.3.255"); /* host bits are masked off */
    expect_ranges("1.2.3.4/32", "1.2.3.4");
    expect_ranges("1.2.3.4/0", "0.0.0.0-255.255.255.255");
    expect_ranges("128.0.0.0/1", "128.0.0.0-255.255.255.255");
    expect_ranges("10.0.0.0/8", "10.0.0.0-10.255.255.255");
}

static void test_ipv4_netmask(void **state)
{
    (void)state;
    expect_ranges("1.2.3.0/255.255.255.0", "1.2.3.0-1.2.3.255");
    expect_ranges("1.2.3.4/255.255.0.0", "1.2.0.0-1.2.255.255");
    expect_ranges("1.2.3.4/255.255.255.255", "1.2.3.4");
    expect_ranges("1.2.3.4/0.0.0.0", "0.0.0.0-255.255.255.255");
    expect_error("1.2.3.0/255.0.255.0", "netmask is not usable");
    expect_error("1.2.3.0/255.255.255", "bad netmask");
}

static void test_ipv4_range(void **state)
{
    (void)state;
    AddressSet *s = parse_ok("1.2.3.4-1.2.3.10");
    assert_false(matches(s, "1.2.3.3"));
    assert_true(matches(s, "1.2.3.4"));
    assert_true(matches(s, "1.2.3.10"));
    assert_false(matches(s, "1.2.3.11"));
    address_set_free(s);
    expect_ranges("1.2.3.4-1.2.3.4", "1.2.3.4");
    expect_ranges("0.0.0.0-255.255.255.255", "0.0.0.0-255.255.255.255");
    expect_error("1.2.3.10-1.2.3.4", "start is greater than end");
    expect_error("1.2.3.4-1.2.3", "invalid address range");
}

static void test_ipv6_forms(void **state)
{
    (void)state;
    expect_ranges("::1", "::1");
    expect_ranges("::", "::");
    expect_ranges("2001:db8::/32", "2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
    expect_ranges("2001:DB8:0:0:0:0:0:1", "2001:db8::1");
    expect_ranges("2001:0db8:0000::0001", "2001:db8::1");
    expect_ranges("::ffff:1.2.3.4", "::ffff:1.2.3.4");
    expect_ranges("2001:db8::1/128", "2001:db8::1");
    expect_ranges("2001:db8::1/64", "2001:db8::-2001:db8::ffff:ffff:ffff:ffff");
    expect_ranges("2001:db8::/63", "2001:db8::-2001:db8:0:1:ffff:ffff:ffff:ffff");
    expect_ranges("2001:db8::/65", "2001:db8::-2001:db8::7fff:ffff:ffff:ffff");
    expect_ranges("::/0", "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    expect_ranges("2001:db8::1-2001:db8::10", "2001:db8::1-2001:db8::10");

    AddressSet *s = parse_ok("2001:db8::/32");
    assert_true(matches(s, "2001:db8::"));
    assert_true(matches(s, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
    assert_false(matches(s, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"));
    assert_false(matches(s, "2001:db9::"));
    assert_false(matches(s, "32.1.13.184")); /* same leading bytes, IPv4 */
    address_set_free(s);

    s = parse_ok("2001:db8::ffff:ffff:ffff:fffe-2001:db8::1:0:0:0:1");
    assert_true(matches(s, "2001:db8::ffff:ffff:ffff:ffff"));
    assert_true(matches(s, "2001:db8:0:1::"));
    assert_true(matches(s, "2001:db8:0:1::1"));
    assert_false(matches(s, "2001:db8:0:1::2"));
    assert_false(matches(s, "2001:db8::ffff:ffff:ffff:fffd"));
    address_set_free(s);

    expect_error("2001:db8::10-2001:db8::1", "start is greater than end");
    expect_error("2001:db8::/129", "prefix length");
    expect_error("2001:db8:::1", "invalid address");
    expect_error("1.2.3.4-::1", "mixes IPv4 and IPv6");
    expect_error("2001:db8::/", "prefix length");
}

static void test_lists(void **state)
{
    (void)state;
    expect_ranges("[1.2.3.4,5.6.7.8]", "1.2.3.4,5.6.7.8");
    expect_ranges("[5.6.7.8, 1.2.3.4]", "1.2.3.4,5.6.7.8");
    expect_ranges("[ 1.2.3.4 ,  5.6.7.8 ]", "1.2.3.4,5.6.7.8");
    expect_ranges("1.2.3.4,5.6.7.8", "1.2.3.4,5.6.7.8"); /* bare top-level list */
    expect_ranges("[1.2.3.4,[5.6.7.8,[9.9.9.9]]]", "1.2.3.4,5.6.7.8,9.9.9.9");
    expect_ranges("[1.2.3.0/24,1.2.3.7]", "1.2.3.0-1.2.3.255"); /* overlaps merge */
    expect_ranges("[1.2.3.0-1.2.3.9,1.2.3.10-1.2.3.20]", "1.2.3.0-1.2.3.20"); /* adjacency merges */
    expect_ranges("[::1,1.2.3.4]", "1.2.3.4,::1");
    expect_ranges("[1.2.3.4,]", "1.2.3.4"); /* trailing comma, as Suricata */

    AddressSet *s = parse_ok("[10.0.0.0/8,192.168.1.0/24,172.16.0.1-172.16.0.5,2001:db8::/32]");
    assert_int_equal(address_set_count(s, 4), 3);
    assert_int_equal(address_set_count(s, 6), 1);
    assert_true(matches(s, "10.255.255.255"));
    assert_false(matches(s, "11.0.0.0"));
    assert_false(matches(s, "9.255.255.255"));
    assert_true(matches(s, "172.16.0.5"));
    assert_false(matches(s, "172.16.0.6"));
    assert_false(matches(s, "172.16.0.0"));
    assert_true(matches(s, "192.168.1.128"));
    assert_false(matches(s, "192.168.2.0"));
    assert_true(matches(s, "2001:db8::42"));
    assert_false(matches(s, "2001:db9::42"));
    Address lo, hi;
    assert_true(address_set_range(s, 4, 1, &lo, &hi));
    assert_int_equal(lo.addr[0], 172);
    assert_int_equal(hi.addr[3], 5);
    assert_false(address_set_range(s, 4, 3, &lo, &hi));
    address_set_free(s);
}

static void test_negation(void **state)
{
    (void)state;
    /* a single negation means "everything of that family except" */
    expect_ranges("!1.2.3.4", "0.0.0.0-1.2.3.3,1.2.3.5-255.255.255.255");
    AddressSet *s = parse_ok("!1.2.3.4");
    assert_false(matches(s, "1.2.3.4"));
    assert_true(matches(s, "1.2.3.3"));
    assert_true(matches(s, "1.2.3.5"));
    assert_false(matches(s, "::1")); /* Suricata: no IPv6 in an IPv4-only negation */
    address_set_free(s);
    expect_ranges("!0.0.0.0", "0.0.0.1-255.255.255.255");
    expect_ranges("!255.255.255.255", "0.0.0.0-255.255.255.254");
    expect_ranges("!::", "::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    expect_ranges("![1.2.3.4,5.6.7.8]", "0.0.0.0-1.2.3.3,1.2.3.5-5.6.7.7,5.6.7.9-255.255.255.255");
    expect_ranges("[!1.2.3.4,!5.6.7.8]", "0.0.0.0-1.2.3.3,1.2.3.5-5.6.7.7,5.6.7.9-255.255.255.255");
    expect_ranges("[10.0.0.0/8,!10.1.1.1]", "10.0.0.0-10.1.1.0,10.1.1.2-10.255.255.255");
    expect_ranges("[!10.1.1.1,10.0.0.0/8]", "10.0.0.0-10.1.1.0,10.1.1.2-10.255.255.255");
    /* a negation outside the positives is a no-op */
    expect_ranges("[10.0.0.0/8,!11.0.0.1]", "10.0.0.0-10.255.255.255");
    /* negations apply across nested plain lists */
    expect_ranges("[1.1.1.1,[2.0.0.0/8,!1.1.1.1]]", "2.0.0.0-2.255.255.255");
    /* a negated list is resolved on its own first */
    expect_ranges("![10.0.0.0/8,!10.1.1.1]", "0.0.0.0-9.255.255.255,10.1.1.1,11.0.0.0-255.255.255.255");
    expect_ranges("[any,!1.2.3.4]", "0.0.0.0-1.2.3.3,1.2.3.5-255.255.255.255,::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    expect_ranges("[::/0,!::1]", "::,::2-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    expect_ranges("!!1.2.3.4", "0.0.0.0-1.2.3.3,1.2.3.5-255.255.255.255"); /* as Suricata: one '!' */
    expect_ranges("[1.2.3.4, !::/0]", "1.2.3.4"); /* IPv6 emptied but IPv4 left */
    expect_ranges("[1.2.3.0/24,!1.2.3.0/25,!1.2.3.128/25,::1]", "::1");
}

static void test_negation_errors(void **state)
{
    (void)state;
    expect_error("!any", "complete IP space negated");
    expect_error("!0.0.0.0/0", "complete IP space negated");
    expect_error("![0.0.0.0/1,128.0.0.0/1]", "complete IP space negated");
    expect_error("!$ANY_NET", "complete IP space negated");
    expect_error("[1.2.3.4,!1.2.3.4]", "no addresses left");
    expect_error("[1.2.3.0/24,!1.2.3.0/25,!1.2.3.128/25]", "no addresses left");
    expect_error("!::/0", "no addresses left");
    expect_error("[]", "no addresses left");
    expect_error("!", "negation without an address");
}

static void test_variables(void **state)
{
    (void)state;
    expect_ranges("$HOME_NET", "10.0.0.0-10.255.255.255,172.16.0.0-172.31.255.255,192.168.0.0-192.168.255.255");
    expect_ranges("$HTTP_SERVERS", "10.0.0.0-10.255.255.255,172.16.0.0-172.31.255.255,192.168.0.0-192.168.255.255");
    expect_ranges("$EXTERNAL_NET",
        "0.0.0.0-9.255.255.255,11.0.0.0-172.15.255.255,172.32.0.0-192.167.255.255,192.169.0.0-255.255.255.255");
    expect_ranges("!$EXTERNAL_NET", "10.0.0.0-10.255.255.255,172.16.0.0-172.31.255.255,192.168.0.0-192.168.255.255");
    expect_ranges("$AIM_SERVERS",
        "0.0.0.0-9.255.255.255,11.0.0.0-172.15.255.255,172.32.0.0-192.167.255.255,192.169.0.0-255.255.255.255");
    expect_ranges("!$HOME_NET",
        "0.0.0.0-9.255.255.255,11.0.0.0-172.15.255.255,172.32.0.0-192.167.255.255,192.169.0.0-255.255.255.255");
    expect_ranges("[$HOME_NET,!10.1.1.1]",
        "10.0.0.0-10.1.1.0,10.1.1.2-10.255.255.255,172.16.0.0-172.31.255.255,192.168.0.0-192.168.255.255");
    expect_ranges("[$HOME_NET,$HTTP_SERVERS]",
        "10.0.0.0-10.255.255.255,172.16.0.0-172.31.255.255,192.168.0.0-192.168.255.255");
    expect_ranges("[$EXTERNAL_NET,!255.255.255.255]",
        "0.0.0.0-9.255.255.255,11.0.0.0-172.15.255.255,172.32.0.0-192.167.255.255,192.169.0.0-255.255.255.254");
    expect_ranges("$V6_NET", "::1,2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
    expect_ranges("[$V6_NET,1.2.3.4]", "1.2.3.4,::1,2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
    expect_ranges("$MIXED", "10.0.0.0-10.0.255.255,10.2.0.0-10.255.255.255,2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
    expect_ranges("$ANY_NET", "0.0.0.0-255.255.255.255,::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");

    AddressSet *s = parse_ok("$EXTERNAL_NET");
    assert_true(matches(s, "8.8.8.8"));
    assert_false(matches(s, "10.0.0.1"));
    assert_false(matches(s, "172.31.255.255"));
    assert_true(matches(s, "172.32.0.0"));
    assert_false(matches(s, "2001:db8::1")); /* IPv4-only HOME_NET: EXTERNAL_NET has no IPv6 */
    address_set_free(s);
    s = parse_ok("$ANY_NET");
    assert_true(address_set_is_any(s));
    address_set_free(s);
}

static void test_variable_errors(void **state)
{
    (void)state;
    expect_error("$NOPE", "undefined variable $NOPE");
    expect_error("[1.2.3.4,$NOPE]", "undefined variable $NOPE");
    expect_error("$UNDEF_INSIDE", "undefined variable $NOPE");
    expect_error("$LOOP_A", "loop");
    expect_error("$SELF", "loop");
    expect_error("$EMPTY", "resolved to nothing");
    expect_error("$BAD", "invalid address '1.2.3'");
    expect_error("$", "invalid variable name");
    expect_error("$HOME NET", "invalid variable name");
    char err[128];
    assert_null(address_set_parse("$HOME_NET", NULL, NULL, err, sizeof(err)));
    assert_non_null(strstr(err, "undefined variable"));
}

static void test_syntax_errors(void **state)
{
    (void)state;
    expect_error("1.2.3", "invalid address '1.2.3'");
    expect_error("1.2.3.256", "invalid address");
    expect_error("1.2.3.4/33", "prefix length");
    expect_error("1.2.3.4/-1", "prefix length");
    expect_error("1.2.3.4/", "prefix length");
    expect_error("foo", "invalid address 'foo'");
    expect_error("", "empty address");
    expect_error("   ", "empty address");
    expect_error("[1.2.3.4", "properly closed");
    expect_error("1.2.3.4]", "properly opened");
    expect_error("[1.2.3.4]]", "properly opened");
    expect_error("[1.2.3.4]5.6.7.8", "unexpected text");
    expect_error("[1.2.3.4,,5.6.7.8]", "empty address");
    expect_error("1.2.3.4 5.6.7.8", "invalid address");
    expect_error("1.2!3.4", "invalid address");
    assert_null(address_set_parse(NULL, NULL, NULL, NULL, 0));
    assert_null(address_set_parse("1.2.3", NULL, NULL, NULL, 0)); /* no err buffer is fine */
}

static void test_recursion_limit(void **state)
{
    (void)state;
    char buf[512];
    size_t n = 0;
    for (int i = 0; i < 63; i++)
        buf[n++] = '[';
    memcpy(buf + n, "1.2.3.4", 7);
    n += 7;
    for (int i = 0; i < 63; i++)
        buf[n++] = ']';
    buf[n] = '\0';
    expect_ranges(buf, "1.2.3.4");
    n = 0;
    for (int i = 0; i < 100; i++)
        buf[n++] = '[';
    memcpy(buf + n, "1.2.3.4", 7);
    n += 7;
    for (int i = 0; i < 100; i++)
        buf[n++] = ']';
    buf[n] = '\0';
    expect_error(buf, "recursion limit");
}

static void test_large_list(void **state)
{
    (void)state;
    /* 2000 hosts; matching stays exact at every edge */
    size_t cap = 2000 * 20 + 8;
    char *txt = malloc(cap);
    assert_non_null(txt);
    size_t n = 0;
    txt[n++] = '[';
    for (int i = 0; i < 2000; i++)
        n += (size_t)snprintf(txt + n, cap - n, "%s10.%d.%d.1", i ? "," : "", i / 256, i % 256);
    txt[n++] = ']';
    txt[n] = '\0';
    AddressSet *s = parse_ok(txt);
    assert_int_equal(address_set_count(s, 4), 2000);
    char ip[32];
    for (int i = 0; i < 2000; i += 7) {
        snprintf(ip, sizeof(ip), "10.%d.%d.1", i / 256, i % 256);
        assert_true(matches(s, ip));
        snprintf(ip, sizeof(ip), "10.%d.%d.2", i / 256, i % 256);
        assert_false(matches(s, ip));
        snprintf(ip, sizeof(ip), "10.%d.%d.0", i / 256, i % 256);
        assert_false(matches(s, ip));
    }
    assert_false(matches(s, "9.0.0.1"));
    assert_false(matches(s, "11.0.0.1"));
    address_set_free(s);
    free(txt);
}

static void test_format_small_buffer(void **state)
{
    (void)state;
    AddressSet *s = parse_ok("[1.2.3.4,5.6.7.8]");
    char buf[10];
    assert_false(address_set_format(s, buf, sizeof(buf)));
    assert_true(strlen(buf) < sizeof(buf));
    address_set_free(s);
    address_set_free(NULL);
    assert_false(address_set_is_any(NULL));
}

int run_address_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_any),
        cmocka_unit_test(test_ipv4_single_and_boundaries),
        cmocka_unit_test(test_ipv4_cidr),
        cmocka_unit_test(test_ipv4_netmask),
        cmocka_unit_test(test_ipv4_range),
        cmocka_unit_test(test_ipv6_forms),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_negation),
        cmocka_unit_test(test_negation_errors),
        cmocka_unit_test(test_variables),
        cmocka_unit_test(test_variable_errors),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_recursion_limit),
        cmocka_unit_test(test_large_list),
        cmocka_unit_test(test_format_small_buffer),
    };
    return cmocka_run_group_tests_name("address", tests, NULL, NULL);
}
