/*
 * Files on FTP data channels (app-ftp.c): a RETR or STOR announced on the
 * control flow is claimed by the data flow that matches it, and its bytes
 * become one file named by the command's argument, in the direction they
 * travel whichever side opened the data connection (passive RETR: to the
 * client; active STOR: from the client, which is the data flow's
 * responder, so also to_client of that flow). Bytes of the other direction
 * are not taken; the direction's end closes the file. LIST is not claimed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/app-internal.h"
#include "app/file.h"

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

static void *claim(const Flow *data_flow)
{
    void *state = NULL;
    assert_true(app_ftp_data_claim(data_flow, &state));
    assert_non_null(state);
    return state;
}

static void test_passive_retr_is_a_file_to_client(void **st)
{
    (void)st;
    Flow ctl = make_flow(1, 40000, 2, 21);
    void *c = app_ftp_def.state_new(true);
    feed(c, &ctl, true, "PASV\r\n");
    feed(c, &ctl, false, "227 Entering Passive Mode (10,0,0,2,4,1)\r\n");
    feed(c, &ctl, true, "RETR a.txt\r\n");
    feed(c, &ctl, false, "150 Opening data connection\r\n");

    Flow data = make_flow(1, 40001, 2, 1025); /* the client connects to port 1025 */
    void *d = claim(&data);
    assert_true(app_ftp_data_def.parse(d, true, (const uint8_t *)"junk", 4, 0)); /* not the transfer's side */
    assert_true(app_ftp_data_def.parse(d, false, (const uint8_t *)"hello ", 6, 0));
    assert_true(app_ftp_data_def.parse(d, false, (const uint8_t *)"world", 5, 0));
    AppFile *f = app_file_current(app_ftp_data_def.tx_files(app_ftp_data_def.tx_get(d, 0), false));
    assert_non_null(f);
    assert_int_equal(f->state, APP_FILE_OPEN);
    app_ftp_data_def.end(d, true); /* the other side's end leaves it open */
    assert_int_equal(f->state, APP_FILE_OPEN);
    app_ftp_data_def.end(d, false);
    assert_int_equal(f->state, APP_FILE_CLOSED);
    assert_int_equal(f->size, 11);
    assert_int_equal(f->name_len, 5);
    assert_memory_equal(f->name, "a.txt", 5);
    assert_null(app_ftp_data_def.tx_files(d, true)->head);
    /* data after the end is not added */
    assert_true(app_ftp_data_def.parse(d, false, (const uint8_t *)"more", 4, 0));
    assert_int_equal(f->size, 11);
    app_ftp_data_def.state_free(d);
    app_ftp_def.state_free(c);
}

static void test_active_stor_is_a_file_from_the_client(void **st)
{
    (void)st;
    Flow ctl = make_flow(3, 40100, 4, 21);
    void *c = app_ftp_def.state_new(true);
    feed(c, &ctl, true, "PORT 10,0,0,3,4,2\r\n");
    feed(c, &ctl, false, "200 PORT command successful\r\n");
    feed(c, &ctl, true, "STOR up.bin\r\n");
    feed(c, &ctl, false, "150 Ok to send data\r\n");

    Flow data = make_flow(4, 20, 3, 1026); /* the server connects from port 20 */
    void *d = claim(&data);
    assert_true(app_ftp_data_def.parse(d, true, (const uint8_t *)"x", 1, 0)); /* server side: not the file */
    assert_null(app_ftp_data_def.tx_files(d, true)->head);
    assert_true(app_ftp_data_def.parse(d, false, (const uint8_t *)"abc", 3, 0));
    app_ftp_data_def.end(d, false);
    const AppFile *f = app_ftp_data_def.tx_files(d, false)->head;
    assert_non_null(f);
    assert_int_equal(f->state, APP_FILE_CLOSED);
    assert_int_equal(f->size, 3);
    assert_memory_equal(f->name, "up.bin", 6);
    app_ftp_data_def.state_free(d);
    app_ftp_def.state_free(c);
}

/* LIST carries no file: as in Suricata, only RETR and STOR announce a data
 * channel, so no data flow is claimed for it */
static void test_list_has_no_file(void **st)
{
    (void)st;
    Flow ctl = make_flow(5, 40200, 6, 21);
    void *c = app_ftp_def.state_new(true);
    feed(c, &ctl, true, "PASV\r\n");
    feed(c, &ctl, false, "227 Entering Passive Mode (10,0,0,6,4,3)\r\n");
    feed(c, &ctl, true, "LIST /pub\r\n");
    feed(c, &ctl, false, "150 Here comes the listing\r\n");
    Flow data = make_flow(5, 40201, 6, 1027);
    void *state = NULL;
    assert_false(app_ftp_data_claim(&data, &state));
    assert_null(state);
    app_ftp_def.state_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passive_retr_is_a_file_to_client),
        cmocka_unit_test(test_active_stor_is_a_file_from_the_client),
        cmocka_unit_test(test_list_has_no_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
