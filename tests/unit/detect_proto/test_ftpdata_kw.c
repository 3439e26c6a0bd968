/*
 * Unit tests of the ftpdata_command keyword (detect/kw-ftpdata.c): its
 * syntax (stor or retr, lowercase, blanks allowed around; anything else a
 * parse error; the rule becomes an ftp-data rule and cannot be another
 * protocol's), and its match on real ftp-data transactions: a control
 * flow parsed by the FTP parser announces a RETR or STOR, a data flow
 * claims it (app-ftp.c), and the keyword matches that flow's command in
 * the direction Suricata does (STOR to_server, RETR to_client).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/app-internal.h"
#include "conf/conf.h"
#include "detect/app-proto.h"
#include "detect/buffer-registry.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

#include "../rule-parse-helper.h"

static Signature *parse(const char *text, char *err, size_t errlen)
{
    return parse_rule(text, err, errlen);
}

/* Runs the rule's ftpdata_command on data-flow transaction tx in
 * direction ts (the buffer's getter, then the keyword's inspect()). */
static bool matches(const char *rule, const void *tx, bool ts)
{
    char err[1024] = "";
    Signature *s = parse(rule, err, sizeof(err));
    if (!s)
        fail_msg("%s: %s", rule, err);
    int id = buffer_lookup("ftpdata_command#tx");
    assert_true(id >= 0);
    const BufferDef *b = buffer_by_list(buffer_list_id(id));
    assert_non_null(b);
    assert_true(b->ready(tx, ts));
    const uint8_t *d = NULL;
    uint32_t n = 0;
    assert_true(b->get(tx, ts, 0, &d, &n));
    bool found = false, matched = false;
    for (uint16_t i = 0; i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        if (l->list_id != buffer_list_id(id) || l->count == 0)
            continue;
        found = true;
        InspectCursor cur;
        memset(&cur, 0, sizeof(cur));
        cur.buf = d;
        cur.len = n;
        cur.to_server = ts;
        matched = keyword_get(l->items[0].kw)->inspect(NULL, &cur, s, l->items[0].ctx) == INSPECT_MATCH;
    }
    assert_true(found);
    signature_free(s);
    return matched;
}

static Flow make_flow(uint8_t src_last, uint16_t sp, uint8_t dst_last, uint16_t dp)
{
    Flow f;
    memset(&f, 0, sizeof(f));
    f.proto = 6;
    f.src.family = f.dst.family = 4;
    f.src.addr[0] = f.dst.addr[0] = 10;
    f.src.addr[3] = src_last;
    f.dst.addr[3] = dst_last;
    f.sp = sp;
    f.dp = dp;
    return f;
}

static void feed(void *ctl, const Flow *f, bool ts, const char *text)
{
    assert_true(app_ftp_def.parse(ctl, ts, (const uint8_t *)text, (uint32_t)strlen(text), 0));
    app_ftp_def.after_parse(ctl, f);
}

/* A data flow claimed after `cmd` (e.g. "RETR a.txt") in passive mode. */
static void *data_flow_after(void *ctl, uint8_t host, uint16_t port, const char *cmd)
{
    Flow c = make_flow(host, 40000, (uint8_t)(host + 1), 21);
    char pasv[96], line[96];
    snprintf(pasv, sizeof(pasv), "227 Entering Passive Mode (10,0,0,%u,%u,%u)\r\n", host + 1, port >> 8, port & 255);
    snprintf(line, sizeof(line), "%s\r\n", cmd);
    feed(ctl, &c, true, "PASV\r\n");
    feed(ctl, &c, false, pasv);
    feed(ctl, &c, true, line);
    feed(ctl, &c, false, "150 Opening data connection\r\n");
    Flow d = make_flow(host, 40001, (uint8_t)(host + 1), port);
    void *state = NULL;
    assert_true(app_ftp_data_claim(&d, &state));
    assert_non_null(state);
    feed(ctl, &c, false, "226 Transfer complete\r\n");
    return state;
}

static void test_syntax(void **st)
{
    (void)st;
    char err[1024];
    const char *good[] = {
        "alert ftp-data any any -> any any (ftpdata_command:stor; sid:1;)",
        "alert ftp-data any any -> any any (ftpdata_command:retr; sid:1;)",
        "alert ftp-data any any -> any any (ftpdata_command: retr ; sid:1;)",
        "alert tcp any any -> any any (ftpdata_command:stor; sid:1;)",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        Signature *s = parse(good[i], err, sizeof(err));
        if (!s)
            fail_msg("%s: %s", good[i], err);
        assert_string_equal(app_proto_name(s->app_proto), "ftp-data");
        signature_free(s);
    }
    const char *bad[] = {
        "alert ftp-data any any -> any any (ftpdata_command:xxx; sid:1;)",
        "alert ftp-data any any -> any any (ftpdata_command:STOR; sid:1;)",
        "alert ftp-data any any -> any any (ftpdata_command:stor retr; sid:1;)",
        "alert ftp-data any any -> any any (ftpdata_command:list; sid:1;)",
        "alert ftp-data any any -> any any (ftpdata_command; sid:1;)",
        "alert http any any -> any any (ftpdata_command:stor; sid:1;)",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = 0;
        Signature *s = parse(bad[i], err, sizeof(err));
        if (s)
            fail_msg("accepted: %s", bad[i]);
        assert_true(err[0] != 0);
    }
    parse("alert ftp-data any any -> any any (ftpdata_command:xxx; sid:1;)", err, sizeof(err));
    assert_non_null(strstr(err, "ftpdata_command"));
}

static void test_match_by_command_and_direction(void **st)
{
    (void)st;
    void *ctl = app_ftp_def.state_new(true);
    void *retr = data_flow_after(ctl, 11, 5001, "RETR index.html");
    void *stor = data_flow_after(ctl, 21, 5002, "STOR up.bin");
    const void *retr_tx = app_ftp_data_def.tx_get(retr, 0), *stor_tx = app_ftp_data_def.tx_get(stor, 0);
    const char *r_retr = "alert ftp-data any any -> any any (ftpdata_command:retr; sid:1;)";
    const char *r_stor = "alert ftp-data any any -> any any (ftpdata_command:stor; sid:2;)";

    /* RETR: to_client only */
    assert_true(matches(r_retr, retr_tx, false));
    assert_false(matches(r_retr, retr_tx, true));
    assert_false(matches(r_stor, retr_tx, false));
    assert_false(matches(r_stor, retr_tx, true));
    /* STOR: to_server only */
    assert_true(matches(r_stor, stor_tx, true));
    assert_false(matches(r_stor, stor_tx, false));
    assert_false(matches(r_retr, stor_tx, true));
    assert_false(matches(r_retr, stor_tx, false));

    app_ftp_data_def.state_free(retr);
    app_ftp_data_def.state_free(stor);
    app_ftp_def.state_free(ctl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_match_by_command_and_direction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
