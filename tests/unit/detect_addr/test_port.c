/*
 * Unit tests for rule port parsing and matching (src/detect/port.c): every
 * accepted form, matching at range boundaries, Suricata 8's flattening of
 * negated lists, variables and each error a rule writer can hit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "addr_test_util.h"

static const TestVar pvars[] = {
    { "HTTP_PORTS", "80" },
    { "SHELLCODE_PORTS", "!80" },
    { "ORACLE_PORTS", "1521" },
    { "SSH_PORTS", "22" },
    { "FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]" },
    { "SIP_PORTS", "[5060, 5061]" },
    { "WEB", "[80,443,8000:8080]" },
    { "ALL", "any" },
    { "LOOP", "[1,$LOOP2]" },
    { "LOOP2", "$LOOP" },
    { "EMPTY", "" },
    { "BIG", "70000" },
    { NULL, NULL },
};

static PortSet *pparse_ok(const char *text)
{
    char err[256];
    PortSet *s = port_set_parse(text, test_var_lookup, (void *)pvars, err, sizeof(err));
    if (s == NULL)
        fail_msg("'%s' rejected: %s", text, err);
    return s;
}

static void expect_ports(const char *text, const char *want)
{
    PortSet *s = pparse_ok(text);
    char buf[512];
    assert_true(port_set_format(s, buf, sizeof(buf)));
    if (strcmp(buf, want) != 0)
        fail_msg("'%s' gave '%s', want '%s'", text, buf, want);
    port_set_free(s);
}

static void expect_perror(const char *text, const char *want)
{
    char err[256] = "";
    PortSet *s = port_set_parse(text, test_var_lookup, (void *)pvars, err, sizeof(err));
    if (s != NULL) {
        port_set_free(s);
        fail_msg("'%s' accepted, expected error containing '%s'", text, want);
    }
    if (strstr(err, want) == NULL)
        fail_msg("'%s' error '%s' lacks '%s'", text, err, want);
}

static void test_port_any(void **state)
{
    (void)state;
    PortSet *s = pparse_ok("any");
    assert_true(port_set_is_any(s));
    assert_true(port_set_match(s, 0));
    assert_true(port_set_match(s, 65535));
    port_set_free(s);
    expect_ports("Any", "0:65535");
    s = pparse_ok("0:65535");
    assert_true(port_set_is_any(s));
    port_set_free(s);
    s = pparse_ok("1:65535");
    assert_false(port_set_is_any(s));
    assert_false(port_set_match(s, 0));
    port_set_free(s);
    assert_false(port_set_is_any(NULL));
    assert_false(port_set_match(NULL, 80));
}

static void test_port_single_and_ranges(void **state)
{
    (void)state;
    PortSet *s = pparse_ok("80");
    assert_false(port_set_is_any(s));
    assert_true(port_set_match(s, 80));
    assert_false(port_set_match(s, 79));
    assert_false(port_set_match(s, 81));
    port_set_free(s);
    expect_ports("0", "0");
    expect_ports("65535", "65535");
    expect_ports("1024:65535", "1024:65535");
    expect_ports("1024:", "1024:65535");
    expect_ports(":1023", "0:1023");
    expect_ports("80:80", "80");
    s = pparse_ok("1024:2048");
    assert_false(port_set_match(s, 1023));
    assert_true(port_set_match(s, 1024));
    assert_true(port_set_match(s, 2048));
    assert_false(port_set_match(s, 2049));
    port_set_free(s);
    s = pparse_ok(":1023");
    assert_true(port_set_match(s, 0));
    assert_true(port_set_match(s, 1023));
    assert_false(port_set_match(s, 1024));
    port_set_free(s);
}

static void test_port_lists(void **state)
{
    (void)state;
    expect_ports("[80,443]", "80,443");
    expect_ports("[443, 80]", "80,443");
    expect_ports("[ 80 , 443 ]", "80,443");
    expect_ports("80,443", "80,443");
    expect_ports("[80,[443,[8080]]]", "80,443,8080");
    expect_ports("[80:90,85:100]", "80:100");
    expect_ports("[80:89,90:100]", "80:100");
    expect_ports("[80,81,82]", "80:82");
    expect_ports("[80,]", "80");
    PortSet *s = pparse_ok("[80,443,8000:8080,1]");
    assert_int_equal(port_set_count(s), 4);
    uint16_t lo, hi;
    assert_true(port_set_range(s, 3, &lo, &hi));
    assert_int_equal(lo, 8000);
    assert_int_equal(hi, 8080);
    assert_false(port_set_range(s, 4, &lo, &hi));
    assert_true(port_set_match(s, 1));
    assert_false(port_set_match(s, 2));
    assert_true(port_set_match(s, 443));
    assert_false(port_set_match(s, 444));
    assert_true(port_set_match(s, 8000));
    assert_false(port_set_match(s, 7999));
    assert_false(port_set_match(s, 8081));
    port_set_free(s);
}

static void test_port_negation(void **state)
{
    (void)state;
    expect_ports("!80", "0:79,81:65535");
    expect_ports("!0", "1:65535");
    expect_ports("!65535", "0:65534");
    expect_ports("!80:81", "0:79,82:65535");
    expect_ports("!21:902", "0:20,903:65535");
    expect_ports("![80,443]", "0:79,81:442,444:65535");
    expect_ports("![0:100,1000:3000]", "101:999,3001:65535");
    expect_ports("![0:100,1000:65535]", "101:999");
    expect_ports("[1:100,!50]", "1:49,51:100");
    expect_ports("[!50,1:100]", "1:49,51:100");
    expect_ports("[!80,!443]", "0:79,81:442,444:65535");
    expect_ports("[any,!80]", "0:79,81:65535");
    expect_ports("[1:100,!200]", "1:100"); /* negation outside the positives: no-op */
    /* Suricata's flattening: inside a negated list, a '!' element is positive
     * only when it is the last element (here 500 becomes positive, so the
     * list means just port 500) */
    expect_ports("![!50,1:100]", "0,101:65535");
    expect_ports("![1:100,!500]", "500");
    expect_perror("![1:100,!$HTTP_PORTS]", "no ports left");
    /* ... and, as in Suricata, the '!50' (positive) here is then cut out by
     * the negated 1:100, leaving nothing */
    expect_perror("![1:100,!50]", "no ports left");
    PortSet *s = pparse_ok("[1:100,!50]");
    assert_true(port_set_match(s, 49));
    assert_false(port_set_match(s, 50));
    assert_true(port_set_match(s, 51));
    assert_false(port_set_match(s, 0));
    port_set_free(s);
}

static void test_port_variables(void **state)
{
    (void)state;
    expect_ports("$HTTP_PORTS", "80");
    expect_ports("!$HTTP_PORTS", "0:79,81:65535");
    expect_ports("$SHELLCODE_PORTS", "0:79,81:65535");
    expect_ports("!$SHELLCODE_PORTS", "80");
    expect_ports("$FILE_DATA_PORTS", "80,110,143");
    expect_ports("[$FILE_DATA_PORTS,$ORACLE_PORTS]", "80,110,143,1521");
    expect_ports("$SIP_PORTS", "5060:5061");
    expect_ports("![$WEB,22]", "0:21,23:79,81:442,444:7999,8081:65535");
    expect_ports("[$WEB,!443]", "80,8000:8080");
    expect_ports("[80,[!$HTTP_PORTS,$ORACLE_PORTS]]", "1521");
    PortSet *s = pparse_ok("$ALL");
    assert_true(port_set_is_any(s));
    port_set_free(s);
    expect_perror("$NOPE", "undefined variable $NOPE");
    expect_perror("[80,$NOPE]", "undefined variable $NOPE");
    expect_perror("$LOOP", "loop");
    expect_perror("$EMPTY", "resolved to nothing");
    expect_perror("$BIG", "0-65535");
    expect_perror("!$ALL", "complete port space is negated");
    expect_perror("$", "invalid variable name");
    char err[128];
    assert_null(port_set_parse("$HTTP_PORTS", NULL, NULL, err, sizeof(err)));
    assert_non_null(strstr(err, "undefined variable"));
}

static void test_port_errors(void **state)
{
    (void)state;
    expect_perror("65536", "0-65535");
    expect_perror("1024:65536", "0-65535");
    expect_perror("65536:65535", "0-65535");
    expect_perror("77777777777777777777777777777777777777777777", "invalid port");
    expect_perror("200:100", "start is greater than end");
    expect_perror("[]", "no ports left");
    expect_perror("[80,!80]", "no ports left");
    expect_perror("[80:90,!80:90]", "no ports left");
    expect_perror("!any", "complete port space is negated");
    expect_perror("!0:65535", "complete port space is negated");
    expect_perror("![0:100,101:65535]", "complete port space is negated");
    expect_perror("[80:!80]", "negated value in a port range");
    expect_perror("[[1:2,!3]]", "negated value in a port range"); /* as Suricata's scanner */
    expect_perror("", "empty port");
    expect_perror("http", "invalid port 'http'");
    expect_perror("-1", "invalid port");
    expect_perror("8 0", "invalid port");
    expect_perror("[80", "properly closed");
    expect_perror("80]", "properly opened");
    expect_perror("[80,,443]", "empty port");
    expect_perror("[80]443", "unexpected text");
    expect_perror("1:2:3", "invalid port");
    expect_perror("!", "negation without a port");
    assert_null(port_set_parse(NULL, NULL, NULL, NULL, 0));
    assert_null(port_set_parse("x", NULL, NULL, NULL, 0));

    char buf[80];
    size_t n = 0;
    for (int i = 0; i < 64; i++)
        buf[n++] = '[';
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, "1:65535");
    buf[n] = '\0';
    char deep[200];
    snprintf(deep, sizeof(deep), "%s", buf);
    for (int i = 0; i < 64; i++)
        strcat(deep, "]");
    expect_ports(deep, "1:65535"); /* 64 levels are fine, as in Suricata */
    char deeper[300];
    snprintf(deeper, sizeof(deeper), "[%s]", deep);
    expect_perror(deeper, "recursion limit");

    PortSet *s = pparse_ok("[1,3,5]");
    char small[4];
    assert_false(port_set_format(s, small, sizeof(small)));
    port_set_free(s);
}

int run_port_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_port_any),
        cmocka_unit_test(test_port_single_and_ranges),
        cmocka_unit_test(test_port_lists),
        cmocka_unit_test(test_port_negation),
        cmocka_unit_test(test_port_variables),
        cmocka_unit_test(test_port_errors),
    };
    return cmocka_run_group_tests_name("port", tests, NULL, NULL);
}
