/*
 * Unit tests of the FTP parser (src/app/ftp/): a session modelled on a
 * real capture whose Suricata EVE output is known (greeting, USER/PASS,
 * unknown commands, multi-line FEAT reply, PASV), every chunking, PORT /
 * EPRT / EPSV expectations, preliminary replies, long lines, gaps, events,
 * release and the memcap. PASV/EPSV records carry "mode": "passive", as
 * Suricata 8's alerts on EPSV transactions show (verify ftp-mode-02).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/ftp/ftp.h"

/* client/server exchanges in order: each step is one direction's bytes */
typedef struct Step {
    bool ts;
    const char *data;
} Step;

static const Step SESSION[] = {
    { false, "220 Chris Sanders FTP Server\r\n" },
    { true, "USER csanders\r\n" },
    { false, "331 Password required for csanders.\r\n" },
    { true, "PASS echo\r\n" },
    { false, "230 User csanders logged in.\r\n" },
    { true, "SYST\r\n" },
    { false, "215 UNIX Type: L8\r\n" },
    { true, "FEAT\r\n" },
    { false, "211-Extensions supported:\r\n CLNT\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n211 End.\r\n" },
    { true, "CWD /\r\n" },
    { false, "250 CWD command successful. \"/\" is current directory.\r\n" },
    { true, "PASV\r\n" },
    { false, "227 Entering Passive Mode (192,168,0,193,28,86)\r\n" },
    { true, "RETR Music.mp3\r\n" },
    { false, "150 Opening BINARY mode data connection\r\n226 Transfer complete.\r\n" },
};
#define NSTEPS (sizeof(SESSION) / sizeof(SESSION[0]))

static const char *EXPECTED[] = {
    "{\"ftp\":{\"completion_code\":[\"220\"],\"reply\":[\"Chris Sanders FTP Server\"],\"reply_received\":\"yes\",\"reply_truncated\":false}}",
    "{\"ftp\":{\"command\":\"USER\",\"command_data\":\"csanders\",\"command_truncated\":false,\"completion_code\":[\"331\"],\"reply\":[\"Password required for csanders.\"],\"reply_received\":\"yes\",\"reply_truncated\":false}}",
    "{\"ftp\":{\"command\":\"PASS\",\"command_data\":\"echo\",\"command_truncated\":false,\"completion_code\":[\"230\"],\"reply\":[\"User csanders logged in.\"],\"reply_received\":\"yes\",\"reply_truncated\":false}}",
    "{\"ftp\":{\"command\":\"SYST\",\"completion_code\":[\"215\"],\"reply\":[\"UNIX Type: L8\"],\"reply_received\":\"yes\",\"reply_truncated\":false}}",
    "{\"ftp\":{\"completion_code\":[\"211\",\"211\"],\"reply\":[\"Extensions supported:\",\" CLNT\",\" MDTM\",\" PASV\",\" REST STREAM\",\" SIZE\",\"End.\"],\"reply_received\":\"yes\",\"reply_truncated\":false}}",
    "{\"ftp\":{\"command\":\"CWD\",\"command_data\":\"/\",\"command_truncated\":false,\"completion_code\":[\"250\"],\"reply\":[\"CWD command successful. \\\"/\\\" is current directory.\"],\"reply_received\":\"yes\",\"reply_truncated\":false}}",
    "{\"ftp\":{\"command\":\"PASV\",\"completion_code\":[\"227\"],\"reply\":[\"Entering Passive Mode (192,168,0,193,28,86)\"],\"dynamic_port\":7254,\"mode\":\"passive\",\"reply_received\":\"yes\",\"reply_truncated\":false}}",
    "{\"ftp\":{\"command\":\"RETR\",\"command_data\":\"Music.mp3\",\"command_truncated\":false,\"completion_code\":[\"150\",\"226\"],\"reply\":[\"Opening BINARY mode data connection\",\"Transfer complete.\"],\"reply_received\":\"yes\",\"reply_truncated\":false}}",
};
#define NTX (sizeof(EXPECTED) / sizeof(EXPECTED[0]))

static char *eve(const FtpTx *tx)
{
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    ftp_log_tx(&j, tx, NULL);
    jb_close_object(&j);
    char *s = strdup(j.buf);
    jb_free(&j);
    return s;
}

static void feed(FtpState *s, bool ts, const char *d, uint32_t chunk)
{
    uint32_t n = (uint32_t)strlen(d);
    for (uint32_t off = 0; off < n; off += chunk)
        ftp_parse(s, ts, (const uint8_t *)d + off, n - off < chunk ? n - off : chunk, 0);
}

static void check_session(FtpState *s)
{
    assert_int_equal(ftp_tx_count(s), NTX);
    for (uint64_t i = 0; i < NTX; i++) {
        FtpTx *tx = ftp_tx_get(s, i);
        assert_non_null(tx);
        assert_true(ftp_tx_done(tx, true));
        assert_true(ftp_tx_done(tx, false));
        char *e = eve(tx);
        assert_string_equal(e, EXPECTED[i]);
        free(e);
    }
    FtpExpect e = ftp_state_expect(s);
    assert_int_equal(e.port, 7254);
    assert_false(e.active);
    assert_true(e.has_addr);
    assert_int_equal(e.addr[0], 192);
    assert_int_equal(e.addr[3], 193);
    FtpTx *retr = ftp_tx_get(s, 7);
    FtpExpect de;
    const uint8_t *f;
    uint32_t fl;
    assert_true(ftp_tx_data_channel(retr, &de, &f, &fl));
    assert_int_equal(de.port, 7254);
    assert_int_equal(fl, 9);
    assert_memory_equal(f, "Music.mp3", 9);
    assert_int_equal(ftp_tx_event_count(retr), 0);
}

static void test_session_chunkings(void **st)
{
    (void)st;
    uint32_t chunks[] = { 1, 2, 3, 7, 100000 };
    for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
        FtpState *s = ftp_state_new();
        for (size_t i = 0; i < NSTEPS; i++)
            feed(s, SESSION[i].ts, SESSION[i].data, chunks[c]);
        check_session(s);
        ftp_state_free(s);
    }
}

static void test_pipelined_requests(void **st)
{
    (void)st;
    /* all client lines first, then all replies: same transactions */
    FtpState *s = ftp_state_new();
    for (size_t i = 0; i < NSTEPS; i++)
        if (SESSION[i].ts)
            feed(s, true, SESSION[i].data, 5);
    for (size_t i = 0; i < NSTEPS; i++)
        if (!SESSION[i].ts)
            feed(s, false, SESSION[i].data, 5);
    /* the greeting now attaches to USER and every reply shifts by one, so
     * the last reply opens a command-less transaction */
    assert_int_equal(ftp_tx_count(s), 8);
    FtpTx *tx = ftp_tx_get(s, 0);
    const uint8_t *p;
    uint32_t n;
    assert_true(ftp_tx_get_command(tx, &p, &n));
    assert_memory_equal(p, "USER", 4);
    assert_true(ftp_tx_get_completion_code(tx, 0, &p, &n));
    assert_memory_equal(p, "220", 3);
    ftp_state_free(s);
}

static void test_buffers(void **st)
{
    (void)st;
    FtpState *s = ftp_state_new();
    for (size_t i = 0; i < NSTEPS; i++)
        feed(s, SESSION[i].ts, SESSION[i].data, 1000);
    FtpTx *tx = ftp_tx_get(s, 4); /* FEAT */
    const uint8_t *p;
    uint32_t n;
    assert_false(ftp_tx_get_command(tx, &p, &n));
    assert_int_equal(ftp_tx_command_code(tx), FTP_COMMAND_UNKNOWN);
    assert_int_equal(ftp_tx_reply_count(tx), 7);
    assert_true(ftp_tx_get_reply(tx, 6, &p, &n));
    assert_int_equal(n, 4);
    assert_memory_equal(p, "End.", 4);
    assert_true(ftp_tx_get_completion_code(tx, 1, &p, &n));
    assert_false(ftp_tx_get_completion_code(tx, 2, &p, &n));
    assert_false(ftp_tx_get_reply(tx, 7, &p, &n));
    tx = ftp_tx_get(s, 1);
    assert_true(ftp_tx_get_command_data(tx, &p, &n));
    assert_int_equal(n, 8);
    assert_true(ftp_tx_reply_received(tx));
    assert_int_equal(ftp_tx_dynamic_port(ftp_tx_get(s, 6)), 7254);
    bool active;
    assert_false(ftp_tx_mode_active(ftp_tx_get(s, 6), &active));
    ftp_state_free(s);
}

static void test_port_eprt_epsv(void **st)
{
    (void)st;
    FtpState *s = ftp_state_new();
    feed(s, true, "port 10,0,0,1,4,1\r\n", 100);
    FtpTx *tx = ftp_tx_get(s, 0);
    assert_false(ftp_tx_done(tx, false));
    feed(s, false, "200 PORT command successful.\r\n", 100);
    assert_int_equal(ftp_tx_dynamic_port(tx), 1025);
    bool active = false;
    assert_true(ftp_tx_mode_active(tx, &active));
    assert_true(active);
    FtpExpect e = ftp_state_expect(s);
    assert_int_equal(e.port, 1025);
    assert_true(e.active);
    assert_int_equal(e.addr_len, 4);
    assert_int_equal(e.addr[0], 10);
    char *j = eve(tx);
    assert_string_equal(j, "{\"ftp\":{\"command\":\"PORT\",\"command_data\":\"10,0,0,1,4,1\",\"command_truncated\":false,"
                           "\"completion_code\":[\"200\"],\"reply\":[\"PORT command successful.\"],"
                           "\"dynamic_port\":1025,\"mode\":\"active\",\"reply_received\":\"yes\",\"reply_truncated\":false}}");
    free(j);

    feed(s, true, "EPRT |2|::1|6275|\r\n", 3);
    feed(s, false, "200 ok\r\n", 3);
    e = ftp_state_expect(s);
    assert_int_equal(e.port, 6275);
    assert_int_equal(e.addr_len, 16);
    assert_int_equal(e.addr[15], 1);

    feed(s, true, "EPSV\r\n", 100);
    feed(s, false, "229 Entering Extended Passive Mode (|||6446|)\r\n", 100);
    e = ftp_state_expect(s);
    assert_int_equal(e.port, 6446);
    assert_false(e.active);
    assert_false(e.has_addr);

    /* bad PORT argument: the reply completes the tx without being kept */
    feed(s, true, "PORT 1,2,3\r\n", 100);
    feed(s, false, "501 bad\r\n", 100);
    tx = ftp_tx_get(s, 3);
    assert_true(ftp_tx_done(tx, false));
    assert_int_equal(ftp_tx_reply_count(tx), 0);
    assert_int_equal(ftp_tx_dynamic_port(tx), 0);
    assert_int_equal(ftp_state_expect(s).port, 6446);

    /* PASV without parentheses, and a 227 with garbage */
    feed(s, true, "PASV\r\n", 100);
    feed(s, false, "227 Entering Passive Mode 1,2,3,4,0,21\r\n", 100);
    assert_int_equal(ftp_state_expect(s).port, 21);
    feed(s, true, "PASV\r\n", 100);
    feed(s, false, "227 Entering Passive Mode (1,2,3,400,0,21)\r\n", 100);
    assert_int_equal(ftp_tx_dynamic_port(ftp_tx_get(s, 5)), 0);
    ftp_state_free(s);
}

static void test_auth_tls(void **st)
{
    (void)st;
    FtpState *s = ftp_state_new();
    feed(s, true, "AUTH TLS\r\n", 100);
    assert_false(ftp_tls_upgrade(s));
    feed(s, false, "234 Proceed\r\n", 100);
    assert_true(ftp_tls_upgrade(s));
    const uint8_t *p;
    uint32_t n;
    assert_true(ftp_tx_get_command(ftp_tx_get(s, 0), &p, &n));
    assert_int_equal(n, 8);
    ftp_state_free(s);
}

static void test_file_before_port(void **st)
{
    (void)st;
    FtpState *s = ftp_state_new();
    feed(s, true, "STOR x.bin\n", 100);
    FtpTx *tx = ftp_tx_get(s, 0);
    assert_int_equal(ftp_tx_event_count(tx), 1);
    assert_int_equal(ftp_tx_event_get(tx, 0), FTP_EVENT_FILE_BEFORE_PORT);
    ftp_state_free(s);
}

static void test_long_lines(void **st)
{
    (void)st;
    ftp_config_set_max_line_len(16);
    FtpState *s = ftp_state_new();
    ftp_config_set_max_line_len(0);
    feed(s, true, "USER abcdefghijklmnopqrstuvwxyz\r\nNOOP\r\n", 1);
    FtpTx *tx = ftp_tx_get(s, 0);
    assert_int_equal(ftp_tx_event_get(tx, 0), FTP_EVENT_REQUEST_COMMAND_TOO_LONG);
    const uint8_t *p;
    uint32_t n;
    assert_true(ftp_tx_get_command_data(tx, &p, &n));
    assert_int_equal(n, 11);
    feed(s, false, "200 0123456789abcdefghij\r\n200 ok\r\n", 4);
    assert_int_equal(ftp_tx_event_get(tx, 1), FTP_EVENT_RESPONSE_COMMAND_TOO_LONG);
    char *j = eve(tx);
    assert_non_null(strstr(j, "\"command_truncated\":true"));
    assert_non_null(strstr(j, "\"reply_truncated\":true"));
    free(j);
    /* the next line is parsed normally */
    tx = ftp_tx_get(s, 1);
    assert_int_equal(ftp_tx_command_code(tx), FTP_COMMAND_NOOP);
    assert_int_equal(ftp_tx_event_count(tx), 0);
    assert_true(ftp_tx_done(tx, false));
    ftp_state_free(s);
}

static void test_preliminary_and_incomplete(void **st)
{
    (void)st;
    FtpState *s = ftp_state_new();
    feed(s, true, "LIST\r\n", 100);
    feed(s, false, "150 Here comes the listing\r\n", 100);
    FtpTx *tx = ftp_tx_get(s, 0);
    assert_false(ftp_tx_done(tx, false));
    char *j = eve(tx);
    assert_non_null(strstr(j, "\"reply_received\":\"no\""));
    free(j);
    feed(s, false, "226 Directory send OK.\r\n", 100);
    assert_true(ftp_tx_done(tx, false));
    /* partial line is not processed until its LF */
    feed(s, true, "QUI", 100);
    assert_int_equal(ftp_tx_count(s), 1);
    feed(s, true, "T\n", 100);
    assert_int_equal(ftp_tx_command_code(ftp_tx_get(s, 1)), FTP_COMMAND_QUIT);
    ftp_end(s, true);
    ftp_state_free(s);
}

static void test_gap(void **st)
{
    (void)st;
    FtpState *s = ftp_state_new();
    feed(s, true, "USER a", 100);
    ftp_gap(s, true, 10);
    feed(s, true, "bc\r\nPWD\r\n", 100);
    assert_int_equal(ftp_tx_count(s), 1);
    assert_int_equal(ftp_tx_command_code(ftp_tx_get(s, 0)), FTP_COMMAND_PWD);
    ftp_state_free(s);
}

static void test_release(void **st)
{
    (void)st;
    uint64_t base = ftp_memuse();
    FtpState *s = ftp_state_new();
    for (int i = 0; i < 50; i++) {
        feed(s, true, "NOOP\r\n", 100);
        feed(s, false, "200 ok\r\n", 100);
    }
    assert_int_equal(ftp_tx_count(s), 50);
    ftp_tx_release(s, 40);
    assert_null(ftp_tx_get(s, 39));
    assert_non_null(ftp_tx_get(s, 40));
    assert_non_null(ftp_tx_get(s, 49));
    assert_int_equal(ftp_tx_id(ftp_tx_get(s, 45)), 45);
    ftp_state_free(s);
    assert_int_equal(ftp_memuse(), base);
}

static void test_memcap(void **st)
{
    (void)st;
    uint64_t hits = ftp_memcap_hits();
    uint64_t base = ftp_memuse();
    ftp_config_set_memcap(base + 512);
    FtpState *s = ftp_state_new();
    bool ok = true;
    for (int i = 0; i < 100 && ok; i++)
        ok = ftp_parse(s, true, (const uint8_t *)"PORT 1,2,3,4,5,6\r\n", 18, 0);
    assert_false(ok);
    assert_true(ftp_memcap_hits() > hits);
    ftp_state_free(s);
    ftp_config_set_memcap(0);
    assert_int_equal(ftp_memuse(), base);
}

static void test_names_and_data_log(void **st)
{
    (void)st;
    assert_string_equal(ftp_event_name(FTP_EVENT_REQUEST_COMMAND_TOO_LONG), "request_command_too_long");
    assert_string_equal(ftp_event_name(FTP_EVENT_RESPONSE_COMMAND_TOO_LONG), "response_command_too_long");
    assert_string_equal(ftp_event_name(FTP_EVENT_FILE_BEFORE_PORT), "file_before_port");
    assert_null(ftp_event_name(FTP_EVENT_MAX));
    assert_int_equal(ftp_event_by_name("file_before_port"), FTP_EVENT_FILE_BEFORE_PORT);
    assert_int_equal(ftp_event_by_name("x"), -1);
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    ftp_data_log(&j, (const uint8_t *)"index.html", 10, FTP_COMMAND_RETR);
    jb_close_object(&j);
    assert_string_equal(j.buf, "{\"ftp_data\":{\"filename\":\"index.html\",\"command\":\"RETR\"}}");
    jb_free(&j);
}

/* A command while max-tx transactions wait for their reply: the event goes
 * on the oldest waiting one and the parser stops. */
static void test_max_tx(void **st)
{
    (void)st;
    ftp_config_set_max_tx(1);
    FtpState *s = ftp_state_new();
    const char *steps[][2] = { { "c", "220 hi\r\n" }, { "s", "USER u\r\n" }, { "c", "331 pw\r\n" },
                               { "s", "PWD\r\n" } };
    for (size_t i = 0; i < 4; i++)
        assert_true(ftp_parse(s, steps[i][0][0] == 's', (const uint8_t *)steps[i][1],
                              (uint32_t)strlen(steps[i][1]), 0));
    assert_int_equal(ftp_tx_event_count(ftp_tx_get(s, 2)), 0);
    assert_false(ftp_parse(s, true, (const uint8_t *)"PWD\r\n", 5, 0));
    assert_int_equal(ftp_tx_count(s), 3); /* no transaction for the refused command */
    FtpTx *pwd = ftp_tx_get(s, 2);
    assert_int_equal(ftp_tx_event_count(pwd), 1);
    assert_int_equal(ftp_tx_event_get(pwd, 0), FTP_EVENT_TOO_MANY_TRANSACTIONS);
    assert_string_equal(ftp_event_name(FTP_EVENT_TOO_MANY_TRANSACTIONS), "too_many_transactions");
    ftp_state_free(s);
    /* under the limit nothing happens */
    ftp_config_set_max_tx(0); /* back to the default */
    s = ftp_state_new();
    for (int i = 0; i < 5; i++)
        assert_true(ftp_parse(s, true, (const uint8_t *)"PWD\r\n", 5, 0));
    assert_int_equal(ftp_tx_count(s), 5);
    ftp_state_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_chunkings),
        cmocka_unit_test(test_pipelined_requests),
        cmocka_unit_test(test_buffers),
        cmocka_unit_test(test_port_eprt_epsv),
        cmocka_unit_test(test_auth_tls),
        cmocka_unit_test(test_file_before_port),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_preliminary_and_incomplete),
        cmocka_unit_test(test_gap),
        cmocka_unit_test(test_release),
        cmocka_unit_test(test_memcap),
        cmocka_unit_test(test_names_and_data_log),
        cmocka_unit_test(test_max_tx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
