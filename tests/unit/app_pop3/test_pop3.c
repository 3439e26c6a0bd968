/*
 * Unit tests of the POP3 parser (src/app/pop3/): a session with greeting,
 * USER/PASS, a failed login, multi-line LIST and CAPA replies, byte-stuffed
 * lines, RETR (message not kept), AUTH with SASL data, STLS upgrade, and
 * bad input: replies that are not POP3, over-long lines, unknown commands
 * and wrong argument counts, gaps, every chunking, release, and the EVE
 * object's field names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/pop3/pop3.h"

typedef struct Step {
    bool ts;
    const char *data;
} Step;

static const Step SESSION[] = {
    { false, "+OK POP3 server ready\r\n" },
    { true, "user alice\r\n" },
    { false, "+OK welcome\r\n" },
    { true, "PASS wrong\r\n" },
    { false, "-ERR the password incorrect\r\n" },
    { true, "PASS secret\r\n" },
    { false, "+OK\r\n" },
    { true, "LIST\r\n" },
    { false, "+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n" },
    { true, "CAPA\r\n" },
    { false, "+OK Capability list follows\r\nTOP\r\n..dotted\r\n.\r\n" },
    { true, "RETR 1\r\n" },
    { false, "+OK 120 octets\r\nSubject: hi\r\n\r\nbody\r\n.\r\n" },
    { true, "QUIT\r\n" },
    { false, "+OK bye\r\n" },
};
#define SESSION_TX 8

static void feed_session(Pop3State *s, uint32_t chunk)
{
    for (size_t i = 0; i < sizeof(SESSION) / sizeof(SESSION[0]); i++) {
        const uint8_t *d = (const uint8_t *)SESSION[i].data;
        uint32_t n = (uint32_t)strlen(SESSION[i].data);
        for (uint32_t off = 0; off < n; off += chunk) {
            uint32_t c = n - off < chunk ? n - off : chunk;
            assert_true(pop3_parse(s, SESSION[i].ts, d + off, c));
        }
    }
}

static char *log_of(Pop3Tx *tx)
{
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    pop3_log_tx(&j, tx);
    jb_close_object(&j);
    char *out = strndup(j.buf, j.len);
    jb_free(&j);
    return out;
}

static void assert_log(Pop3State *s, uint64_t id, const char *want)
{
    char *got = log_of(pop3_tx_get(s, id));
    assert_string_equal(got, want);
    free(got);
}

static void test_session_every_chunking(void **st)
{
    (void)st;
    for (uint32_t chunk = 1; chunk <= 64; chunk++) {
        Pop3State *s = pop3_state_new();
        feed_session(s, chunk);
        assert_int_equal(pop3_tx_count(s), SESSION_TX);
        for (uint64_t id = 0; id < SESSION_TX; id++) {
            assert_true(pop3_tx_done(pop3_tx_get(s, id), true));
            assert_true(pop3_tx_done(pop3_tx_get(s, id), false));
            assert_int_equal(pop3_tx_event_count(pop3_tx_get(s, id)), 0);
        }
        assert_log(s, 0,
                   "{\"pop3\":{\"response\":{\"success\":true,\"status\":\"OK\",\"header\":\"POP3 server "
                   "ready\",\"data\":[]}}}");
        assert_log(s, 1,
                   "{\"pop3\":{\"request\":{\"command\":\"USER\",\"args\":[\"alice\"]},\"response\":{\"success\":"
                   "true,\"status\":\"OK\",\"header\":\"welcome\",\"data\":[]}}}");
        assert_log(s, 2,
                   "{\"pop3\":{\"request\":{\"command\":\"PASS\",\"args\":[\"wrong\"]},\"response\":{\"success\":"
                   "false,\"status\":\"ERR\",\"header\":\"the password incorrect\",\"data\":[]}}}");
        assert_log(s, 4,
                   "{\"pop3\":{\"request\":{\"command\":\"LIST\",\"args\":[]},\"response\":{\"success\":true,"
                   "\"status\":\"OK\",\"header\":\"2 messages\",\"data\":[\"1 120\",\"2 200\"]}}}");
        assert_log(s, 5,
                   "{\"pop3\":{\"request\":{\"command\":\"CAPA\",\"args\":[]},\"response\":{\"success\":true,"
                   "\"status\":\"OK\",\"header\":\"Capability list follows\",\"data\":[\"TOP\",\".dotted\"]}}}");
        assert_log(s, 6,
                   "{\"pop3\":{\"request\":{\"command\":\"RETR\",\"args\":[\"1\"]},\"response\":{\"success\":true,"
                   "\"status\":\"OK\",\"header\":\"120 octets\",\"data\":[]}}}");
        assert_string_equal(pop3_tx_command(pop3_tx_get(s, 7)), "QUIT");
        assert_null(pop3_tx_command(pop3_tx_get(s, 0)));
        pop3_state_free(s);
    }
}

static void test_multiline_incomplete_not_logged(void **st)
{
    (void)st;
    Pop3State *s = pop3_state_new();
    assert_true(pop3_parse(s, true, (const uint8_t *)"LIST\r\n", 6));
    assert_true(pop3_parse(s, false, (const uint8_t *)"+OK 4 14971\r\n", 13));
    Pop3Tx *tx = pop3_tx_get(s, 0);
    assert_true(pop3_tx_done(tx, true));
    assert_false(pop3_tx_done(tx, false));
    assert_log(s, 0, "{\"pop3\":{\"request\":{\"command\":\"LIST\",\"args\":[]}}}");
    /* LIST with an argument is single-line; -ERR is never multi-line */
    Pop3State *s2 = pop3_state_new();
    assert_true(pop3_parse(s2, true, (const uint8_t *)"LIST 1\r\nRETR 9\r\n", 16));
    assert_true(pop3_parse(s2, false, (const uint8_t *)"+OK 1 120\r\n-ERR no such message\r\n", 34));
    assert_true(pop3_tx_done(pop3_tx_get(s2, 0), false));
    assert_true(pop3_tx_done(pop3_tx_get(s2, 1), false));
    pop3_state_free(s2);
    pop3_state_free(s);
}

static void test_auth_sasl_data(void **st)
{
    (void)st;
    Pop3State *s = pop3_state_new();
    assert_true(pop3_parse(s, true, (const uint8_t *)"AUTH PLAIN\r\n", 12));
    assert_true(pop3_parse(s, false, (const uint8_t *)"+ \r\n", 4));
    assert_true(pop3_parse(s, true, (const uint8_t *)"dGVzdAB0ZXN0AHRlc3Q=\r\n", 22));
    assert_true(pop3_parse(s, false, (const uint8_t *)"+OK logged in\r\n", 15));
    assert_int_equal(pop3_tx_count(s), 2);
    assert_string_equal(pop3_tx_command(pop3_tx_get(s, 1)), "<SASL DATA>");
    assert_true(pop3_tx_done(pop3_tx_get(s, 1), false));
    pop3_state_free(s);
}

static void test_stls_upgrade(void **st)
{
    (void)st;
    Pop3State *s = pop3_state_new();
    assert_true(pop3_parse(s, true, (const uint8_t *)"STLS\r\n", 6));
    assert_false(pop3_tls_upgrade(s));
    /* the TLS bytes after the +OK are not parsed as POP3 */
    assert_false(pop3_parse(s, false, (const uint8_t *)"+OK Begin TLS\r\n\x16\x03\x01", 18));
    assert_true(pop3_tls_upgrade(s));
    assert_int_equal(pop3_tx_count(s), 1);
    assert_false(pop3_parse(s, true, (const uint8_t *)"\x16\x03\x01\x00", 4));
    pop3_state_free(s);
    /* a refused STLS keeps POP3 */
    s = pop3_state_new();
    assert_true(pop3_parse(s, true, (const uint8_t *)"STLS\r\n", 6));
    assert_true(pop3_parse(s, false, (const uint8_t *)"-ERR no\r\n", 9));
    assert_false(pop3_tls_upgrade(s));
    pop3_state_free(s);
}

static void test_bad_replies_give_up(void **st)
{
    (void)st;
    const char *bad[] = { "HTTP/1.1 200 OK\r\n", "+OKAY\r\n", "-ERROR x\r\n", "\r\n", "\x16\x03\x01\x02\x05\n" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        Pop3State *s = pop3_state_new();
        assert_false(pop3_parse(s, false, (const uint8_t *)bad[i], (uint32_t)strlen(bad[i])));
        /* the direction stays given up */
        assert_false(pop3_parse(s, false, (const uint8_t *)"+OK\r\n", 5));
        /* the other direction is unaffected */
        assert_true(pop3_parse(s, true, (const uint8_t *)"NOOP\r\n", 6));
        pop3_state_free(s);
    }
}

static void test_events(void **st)
{
    (void)st;
    Pop3State *s = pop3_state_new();
    assert_true(pop3_parse(s, true, (const uint8_t *)"XYZZY a\r\nUSER\r\nTOP 1\r\n", 22));
    char longcmd[300];
    memset(longcmd, 'a', sizeof(longcmd));
    memcpy(longcmd, "USER ", 5);
    memcpy(longcmd + 298, "\r\n", 2);
    assert_true(pop3_parse(s, true, (const uint8_t *)longcmd, sizeof(longcmd)));
    Pop3Tx *tx = pop3_tx_get(s, 0);
    assert_int_equal(pop3_tx_event_count(tx), 1);
    assert_string_equal(pop3_event_name(pop3_tx_event_get(tx, 0)), "unknown_command");
    assert_string_equal(pop3_tx_command(tx), "XYZZY");
    assert_string_equal(pop3_event_name(pop3_tx_event_get(pop3_tx_get(s, 1), 0)), "incorrect_argument_count");
    assert_string_equal(pop3_event_name(pop3_tx_event_get(pop3_tx_get(s, 2), 0)), "incorrect_argument_count");
    assert_string_equal(pop3_event_name(pop3_tx_event_get(pop3_tx_get(s, 3), 0)), "request_too_long");
    assert_int_equal(pop3_tx_event_get(pop3_tx_get(s, 3), 1), -1);
    assert_null(pop3_event_name(POP3_EV_COUNT));
    char longreply[600];
    memset(longreply, 'b', sizeof(longreply));
    memcpy(longreply, "+OK ", 4);
    memcpy(longreply + 598, "\r\n", 2);
    assert_true(pop3_parse(s, false, (const uint8_t *)longreply, sizeof(longreply)));
    assert_string_equal(pop3_event_name(pop3_tx_event_get(pop3_tx_get(s, 0), 1)), "response_too_long");
    pop3_state_free(s);
}

static void test_huge_line_and_gap(void **st)
{
    (void)st;
    Pop3State *s = pop3_state_new();
    /* a line longer than the buffer is dropped up to its end */
    uint8_t *big = malloc(20000);
    memset(big, 'x', 20000);
    assert_true(pop3_parse(s, true, big, 20000));
    assert_true(pop3_parse(s, true, (const uint8_t *)"yy\r\nNOOP\r\n", 10));
    assert_int_equal(pop3_tx_count(s), 1);
    assert_string_equal(pop3_tx_command(pop3_tx_get(s, 0)), "NOOP");
    /* after a gap the partial line is dropped, the next one parsed */
    assert_true(pop3_parse(s, true, (const uint8_t *)"RETR", 4));
    pop3_gap(s, true);
    assert_true(pop3_parse(s, true, (const uint8_t *)" 1\r\nQUIT\r\n", 10));
    assert_int_equal(pop3_tx_count(s), 2);
    assert_string_equal(pop3_tx_command(pop3_tx_get(s, 1)), "QUIT");
    free(big);
    pop3_state_free(s);
}

static void test_release_and_max_tx(void **st)
{
    (void)st;
    Pop3State *s = pop3_state_new();
    feed_session(s, 1000);
    pop3_tx_release(s, 3);
    assert_null(pop3_tx_get(s, 2));
    assert_non_null(pop3_tx_get(s, 3));
    assert_int_equal(pop3_tx_count(s), SESSION_TX);
    pop3_tx_release(s, 100);
    assert_null(pop3_tx_get(s, SESSION_TX - 1));
    pop3_state_free(s);

    pop3_config_set_max_tx(4);
    s = pop3_state_new();
    bool ok = true;
    for (int i = 0; i < 10 && ok; i++)
        ok = pop3_parse(s, true, (const uint8_t *)"NOOP\r\n", 6);
    assert_false(ok);
    assert_string_equal(pop3_event_name(pop3_tx_event_get(pop3_tx_get(s, 0), 0)), "too_many_transactions");
    assert_true(pop3_tx_done(pop3_tx_get(s, 0), false));
    pop3_config_set_max_tx(256);
    pop3_state_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_every_chunking), cmocka_unit_test(test_multiline_incomplete_not_logged),
        cmocka_unit_test(test_auth_sasl_data),         cmocka_unit_test(test_stls_upgrade),
        cmocka_unit_test(test_bad_replies_give_up),    cmocka_unit_test(test_events),
        cmocka_unit_test(test_huge_line_and_gap),      cmocka_unit_test(test_release_and_max_tx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
