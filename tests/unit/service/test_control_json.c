/*
 * Unit tests of the control socket's request parser: the handshake and
 * command messages of Suricata's unix-command protocol, arguments, string
 * escapes, messages cut short (wait for more) against malformed ones, and
 * the limits (nesting depth, string length).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/control-socket-json.h"

static CtlParseResult parse(const char *text, CtlRequest *req, size_t *used)
{
    char err[256];
    return ctl_request_parse((const uint8_t *)text, strlen(text), req, used, err, sizeof(err));
}

static void test_handshake(void **state)
{
    (void)state;
    CtlRequest req;
    size_t used = 0;
    const char *msg = " {\"version\": \"0.2\"}\n{\"command\":\"uptime\"}";
    assert_int_equal(parse(msg, &req, &used), CTL_PARSE_OK);
    assert_true(req.has_version);
    assert_false(req.has_command);
    assert_string_equal(req.version, "0.2");
    assert_int_equal(used, strlen(" {\"version\": \"0.2\"}"));
    assert_int_equal(parse(msg + used, &req, &used), CTL_PARSE_OK);
    assert_string_equal(req.command, "uptime");
}

static void test_command_arguments(void **state)
{
    (void)state;
    CtlRequest req;
    size_t used;
    assert_int_equal(parse("{\"command\": \"iface-stat\", \"arguments\": {\"iface\": \"eth0\", \"n\": 12, "
                           "\"flag\": true, \"deep\": {\"a\": [1, 2, {\"b\": null}]}}, \"other\": [\"x\"]}",
                           &req, &used),
                     CTL_PARSE_OK);
    assert_string_equal(req.command, "iface-stat");
    assert_string_equal(ctl_request_arg(&req, "iface"), "eth0");
    assert_string_equal(ctl_request_arg(&req, "n"), "12");
    assert_null(ctl_request_arg(&req, "flag"));
    assert_null(ctl_request_arg(&req, "missing"));
}

static void test_escapes(void **state)
{
    (void)state;
    CtlRequest req;
    size_t used;
    assert_int_equal(parse("{\"command\":\"a\\\"b\\\\c\\u00e9\\ud83d\\ude00\\n\"}", &req, &used), CTL_PARSE_OK);
    assert_string_equal(req.command, "a\"b\\c\xc3\xa9\xf0\x9f\x98\x80\n");
    assert_int_equal(parse("{\"command\":\"\\ude00\"}", &req, &used), CTL_PARSE_INVALID);
    assert_int_equal(parse("{\"command\":\"\\x\"}", &req, &used), CTL_PARSE_INVALID);
}

static void test_incomplete_and_invalid(void **state)
{
    (void)state;
    CtlRequest req;
    size_t used;
    assert_int_equal(parse("", &req, &used), CTL_PARSE_INCOMPLETE);
    assert_int_equal(parse("{\"command\": \"vers", &req, &used), CTL_PARSE_INCOMPLETE);
    assert_int_equal(parse("{\"command\": \"version\"", &req, &used), CTL_PARSE_INCOMPLETE);
    assert_int_equal(parse("{\"n\": 12", &req, &used), CTL_PARSE_INCOMPLETE);
    assert_int_equal(parse("[1]", &req, &used), CTL_PARSE_INVALID);
    assert_int_equal(parse("{command: 1}", &req, &used), CTL_PARSE_INVALID);
    assert_int_equal(parse("{\"a\" 1}", &req, &used), CTL_PARSE_INVALID);
    assert_int_equal(parse("{\"a\": tru}", &req, &used), CTL_PARSE_INVALID);
    assert_int_equal(parse("{\"a\": 1 2}", &req, &used), CTL_PARSE_INVALID);
    assert_int_equal(parse("{\"a\": \"x\ny\"}", &req, &used), CTL_PARSE_INVALID);
}

static void test_limits(void **state)
{
    (void)state;
    CtlRequest req;
    size_t used;
    assert_int_equal(parse("{\"a\":[[[[[[[[[[1]]]]]]]]]]}", &req, &used), CTL_PARSE_INVALID);
    char big[400];
    memset(big, 'x', sizeof(big));
    char msg[512];
    snprintf(msg, sizeof(msg), "{\"command\":\"%.*s\"}", 100, big);
    assert_int_equal(parse(msg, &req, &used), CTL_PARSE_INVALID); /* longer than the command buffer */
    snprintf(msg, sizeof(msg), "{\"other\":\"%.*s\"}", 300, big);
    assert_int_equal(parse(msg, &req, &used), CTL_PARSE_OK); /* skipped members are not bounded */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake),
        cmocka_unit_test(test_command_arguments),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_incomplete_and_invalid),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
