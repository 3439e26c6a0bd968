/*
 * When a file is logged (src/app/app-output.c): as Suricata 8's file
 * logger does, a file gets its EVE `fileinfo` record once it is closed, on
 * a packet of its own direction that went through detection, even while
 * its transaction is still in progress -- not when the transaction ends.
 * The tests drive the real app layer, parsers, EVE writer and file store:
 *
 * - an HTTP multipart upload whose first file the server's ACK let through
 *   (the data is parsed on a server packet) is logged on the next client
 *   packet, which carries no data of its own; the second file, still open,
 *   waits; at the end each file has exactly one record, with its tx_id;
 * - once that first file is logged and stored, an alert on the request
 *   lists only the second file (HTTP prunes closed+logged+stored files);
 * - an SMTP attachment closed by the next MIME boundary is logged on that
 *   client packet, before the message's end-of-data;
 * - with filestore rules loaded, a file logged while its request goes on
 *   keeps its content until detection is done with the request, so a rule
 *   asking for it later still stores all of it;
 * - with the `files` type off nothing waits and nothing is logged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/app-layer.h"
#include "app/file.h"
#include "output/eve-fileinfo.h"
#include "output/eve.h"
#include "output/filestore.h"

typedef struct Session {
    char dir[64];
    char eve_path[128];
    Conf *conf;
    EveConfig eve_cfg;
    Eve eve;
    AppLayerConfig cfg;
    AppLayerThread at;
    Flow f;
    Packet p;
} Session;

/* The file store: off, storing every file (force-filestore), or storing
 * the files filestore rules ask for. */
typedef enum StoreMode { STORE_OFF, STORE_ALL, STORE_BY_RULES } StoreMode;

static void session_start(Session *s, uint16_t dp, const char *types, StoreMode store)
{
    memset(s, 0, sizeof(*s));
    snprintf(s->dir, sizeof(s->dir), "/tmp/odlar-file-timing-XXXXXX");
    assert_non_null(mkdtemp(s->dir));
    snprintf(s->eve_path, sizeof(s->eve_path), "%s/eve.json", s->dir);
    char yaml[1024];
    snprintf(yaml, sizeof(yaml),
             "%%YAML 1.1\n---\noutputs:\n"
             "  - eve-log:\n      enabled: yes\n      filename: eve.json\n      types:\n%s"
             "  - file-store:\n      version: 2\n      enabled: %s\n      dir: %s/filestore\n"
             "      force-filestore: %s\n",
             types, store != STORE_OFF ? "yes" : "no", s->dir, store == STORE_ALL ? "yes" : "no");
    char err[256] = "";
    s->conf = conf_new_empty();
    assert_true(conf_load_string(s->conf, yaml, "test", err, sizeof(err)));
    assert_true(eve_config_read(s->conf, s->dir, &s->eve_cfg, err, sizeof(err)));
    assert_true(eve_open(&s->eve, &s->eve_cfg, err, sizeof(err)));
    filestore_configure(s->conf);
    app_file_set_store_rules(store == STORE_BY_RULES);
    AppFileConfig fc = { .hashes = APP_FILE_SHA256 }; /* the store names files by it */
    app_file_config_set(&fc);
    app_layer_config_defaults(&s->cfg);
    app_layer_thread_init(&s->at, &s->cfg, NULL, &s->eve);
    s->f.proto = 6;
    s->f.sp = 40000;
    s->f.dp = dp;
    s->p.flow = &s->f;
}

static void session_end(Session *s)
{
    app_layer_thread_free(&s->at);
    eve_close(&s->eve);
    app_file_set_store(NULL, false);
    app_file_set_store_rules(false);
    AppFileConfig none = { 0 };
    app_file_config_set(&none);
    conf_free(s->conf);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
    assert_int_equal(system(cmd), 0);
}

/* One packet of the given direction: the stream stage hands the app layer
 * the data (of either direction) this packet lets through, then, after
 * detection, the worker runs the transaction loggers. */
static void packet(Session *s, bool pkt_to_server, bool data_to_server, const char *data)
{
    s->p.to_server = pkt_to_server;
    if (pkt_to_server)
        s->f.pkts_toserver++;
    else
        s->f.pkts_toclient++;
    s->at.pkt = &s->p;
    if (data)
        app_layer_tcp_data(&s->at, &s->f, data_to_server, (const uint8_t *)data, (uint32_t)strlen(data));
    s->at.pkt = NULL;
    app_layer_output_pending(&s->at, &s->p);
}

/* Records of the EVE file containing all the needles. */
static int records_with(Session *s, const char *needle, const char *needle2)
{
    fflush(s->eve.file);
    FILE *fp = fopen(s->eve_path, "r");
    assert_non_null(fp);
    char line[8192];
    int n = 0;
    while (fgets(line, sizeof(line), fp))
        if (strstr(line, needle) && (!needle2 || strstr(line, needle2)))
            n++;
    fclose(fp);
    return n;
}

static const char upload_head[] =
    "POST /upload.cgi HTTP/1.1\r\nHost: www.server.lan\r\n"
    "Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 178\r\n\r\n"
    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"one.jpg\"\r\n\r\n"
    "file";
static const char upload_mid[] =
    "content\r\n--XyZ\r\nContent-Disposition: form-data; name=\"b\"; filename=\"two.jpg\"\r\n\r\n";
/* sha256("filecontent"), one.jpg's content */
#define SHA256_ONE "5ab24eb0866bafe7d8c0d07f03f09aef7a4caa991a9dc1edd96e64683b750fe2"
static const char upload_tail[] = "filecontent2\r\n--XyZ--\r\n";

/* The upload up to the point where one.jpg is closed (by data a server
 * packet let through) and two.jpg is open. */
static void upload_first_closed(Session *s)
{
    packet(s, false, true, upload_head); /* the server's ACK lets the head through */
    packet(s, false, true, upload_mid);
}

static void test_http_file_logged_on_next_client_packet(void **st)
{
    (void)st;
    Session s;
    session_start(&s, 80, "        - files\n        - http\n", STORE_OFF);
    upload_first_closed(&s);
    assert_int_equal(records_with(&s, "\"fileinfo\"", NULL), 0); /* a server packet: not its direction */
    packet(&s, true, true, NULL); /* the client's next packet, no data of its own */
    assert_int_equal(records_with(&s, "\"fileinfo\"", NULL), 1);
    assert_int_equal(records_with(&s, "\"filename\":\"one.jpg\"", "\"state\":\"CLOSED\""), 1);
    assert_int_equal(records_with(&s, "\"filename\":\"one.jpg\"", "\"size\":11,\"tx_id\":0"), 1);
    assert_int_equal(records_with(&s, "\"event_type\":\"http\"", NULL), 0); /* the request goes on */
    packet(&s, true, true, NULL);
    assert_int_equal(records_with(&s, "\"fileinfo\"", NULL), 1); /* once only */
    packet(&s, false, true, upload_tail);
    packet(&s, false, false, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    packet(&s, true, true, NULL);
    app_layer_flow_end(&s.at, &s.f);
    assert_int_equal(records_with(&s, "\"event_type\":\"http\"", NULL), 1);
    assert_int_equal(records_with(&s, "\"fileinfo\"", NULL), 2);
    assert_int_equal(records_with(&s, "\"filename\":\"one.jpg\"", NULL), 1);
    assert_int_equal(records_with(&s, "\"filename\":\"two.jpg\"", "\"size\":12,\"tx_id\":0"), 1);
    session_end(&s);
}

/* An alert's `files`: one.jpg, closed, logged and stored, is gone from the
 * request; two.jpg, still open, is listed. */
static void test_http_alert_files_leave_out_logged_stored(void **st)
{
    (void)st;
    Session s;
    session_start(&s, 80, "        - files\n", STORE_ALL);
    upload_first_closed(&s);
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    eve_fileinfo_alert_files(&j, &s.f, 0, true);
    jb_close_object(&j);
    jb_append(&j, "", 1);
    assert_non_null(strstr(j.buf, "one.jpg")); /* stored, not logged yet */
    packet(&s, true, true, NULL);
    assert_int_equal(records_with(&s, "\"filename\":\"one.jpg\"", "\"stored\":true"), 1);
    jb_reset(&j);
    jb_open_object(&j, NULL);
    eve_fileinfo_alert_files(&j, &s.f, 0, true);
    jb_close_object(&j);
    jb_append(&j, "", 1);
    assert_null(strstr(j.buf, "one.jpg"));
    assert_non_null(strstr(j.buf, "two.jpg"));
    jb_free(&j);
    app_layer_flow_end(&s.at, &s.f);
    assert_int_equal(records_with(&s, "\"filename\":\"one.jpg\"", NULL), 1);
    session_end(&s);
}

static const char smtp_mail_head[] =
    "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
    "--b\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n\r\nfirst\r\n";

static void smtp_until_data(Session *s)
{
    packet(s, false, false, "220 mx.example.org ESMTP\r\n");
    packet(s, true, true, "EHLO client.example.org\r\n");
    packet(s, false, false, "250 mx.example.org\r\n");
    packet(s, true, true, "MAIL FROM:<a@example.org>\r\n");
    packet(s, false, false, "250 OK\r\n");
    packet(s, true, true, "RCPT TO:<b@example.org>\r\n");
    packet(s, false, false, "250 OK\r\n");
    packet(s, true, true, "DATA\r\n");
    packet(s, false, false, "354 go ahead\r\n");
}

static void test_smtp_attachment_logged_when_closed(void **st)
{
    (void)st;
    Session s;
    session_start(&s, 25, "        - files\n", STORE_OFF);
    smtp_until_data(&s);
    packet(&s, true, true, smtp_mail_head);
    assert_int_equal(records_with(&s, "\"fileinfo\"", NULL), 0); /* a.txt still open */
    packet(&s, true, true, "--b\r\nContent-Disposition: attachment; filename=\"b.txt\"\r\n\r\nsecond\r\n");
    assert_int_equal(records_with(&s, "\"fileinfo\"", NULL), 1); /* closed by the boundary: logged now */
    assert_int_equal(records_with(&s, "\"filename\":\"a.txt\"", "\"state\":\"CLOSED\""), 1);
    packet(&s, true, true, "--b--\r\n.\r\n");
    packet(&s, false, false, "250 queued\r\n");
    packet(&s, true, true, "QUIT\r\n");
    app_layer_flow_end(&s.at, &s.f);
    assert_int_equal(records_with(&s, "\"fileinfo\"", NULL), 2);
    assert_int_equal(records_with(&s, "\"filename\":\"a.txt\"", NULL), 1);
    assert_int_equal(records_with(&s, "\"filename\":\"b.txt\"", NULL), 1);
    session_end(&s);
}

/* A rule asks for one.jpg after its fileinfo record went out (stored
 * false): the content kept for rules is still there and stored whole. */
static void test_store_asked_after_logged_mid_tx(void **st)
{
    (void)st;
    Session s;
    session_start(&s, 80, "        - files\n", STORE_BY_RULES);
    upload_first_closed(&s);
    packet(&s, true, true, NULL);
    assert_int_equal(records_with(&s, "\"filename\":\"one.jpg\"", "\"stored\":false"), 1);
    void *state = app_layer_state(&s.f, s.f.app_proto);
    const AppParserDef *def = app_layer_parser(s.f.app_proto);
    AppFile *one = def->tx_files(def->tx_get(state, 0), true)->head;
    assert_true(one->logged);
    app_file_store(one);
    assert_true(one->stored);
    char path[256];
    snprintf(path, sizeof(path), "%s/filestore/%.2s/%s", s.dir, SHA256_ONE, SHA256_ONE);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char got[32] = { 0 };
    assert_int_equal(fread(got, 1, sizeof(got), fp), 11);
    fclose(fp);
    assert_string_equal(got, "filecontent");
    app_layer_flow_end(&s.at, &s.f);
    session_end(&s);
}

/* Without the `files` type no file record is written and no packet is
 * kept waiting for one. */
static void test_files_off_nothing_waits(void **st)
{
    (void)st;
    Session s;
    session_start(&s, 80, "        - http\n", STORE_OFF);
    upload_first_closed(&s);
    packet(&s, true, true, NULL);
    assert_int_equal(records_with(&s, "\"fileinfo\"", NULL), 0);
    app_layer_flow_end(&s.at, &s.f);
    assert_int_equal(records_with(&s, "\"fileinfo\"", NULL), 0);
    assert_int_equal(records_with(&s, "\"event_type\":\"http\"", NULL), 1);
    session_end(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_file_logged_on_next_client_packet),
        cmocka_unit_test(test_http_alert_files_leave_out_logged_stored),
        cmocka_unit_test(test_smtp_attachment_logged_when_closed),
        cmocka_unit_test(test_store_asked_after_logged_mid_tx),
        cmocka_unit_test(test_files_off_nothing_waits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
