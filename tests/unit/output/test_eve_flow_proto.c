/*
 * Unit tests of what the application layer adds to EVE flow and anomaly
 * records: app_proto_ts / app_proto_tc when a direction detected another
 * protocol than the flow's, app_proto_orig after a protocol change (and
 * app_proto_expected when it brought another protocol than expected), the
 * parser's transaction count tx_cnt, and a packet's protocol-detection
 * event as an applayer anomaly of layer proto_detect.
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
#include "detect/app-proto.h"
#include "output/eve.h"

static const char *const YAML = "%YAML 1.1\n---\noutputs:\n"
                                "  - eve-log:\n      enabled: yes\n      filename: eve.json\n"
                                "      types:\n        - flow\n        - anomaly\n";

/* The whole file as one string (the caller frees it). */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char buf[16384];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return strdup(buf);
}

static void test_flow_and_anomaly(void **state)
{
    (void)state;
    char dir[] = "/tmp/odlar-eve-flow-XXXXXX";
    assert_non_null(mkdtemp(dir));
    Conf *c = conf_new_empty();
    char err[256] = "";
    assert_true(conf_load_string(c, YAML, "test", err, sizeof(err)));
    EveConfig cfg;
    assert_true(eve_config_read(c, dir, &cfg, err, sizeof(err)));
    Eve eve;
    assert_true(eve_open(&eve, &cfg, err, sizeof(err)));
    JsonBuf j;
    jb_init(&j);

    const uint16_t http = app_proto_by_name("http")->id, ssh = app_proto_by_name("ssh")->id;
    const uint16_t tls = app_proto_by_name("tls")->id;
    Flow f;
    memset(&f, 0, sizeof(f));
    f.proto = 6;
    f.ip_version = 4;
    f.app_proto = f.app_proto_ts = http;
    f.app_proto_tc = ssh;
    f.app_tx_cnt = 2;
    eve_log_flow(&eve, &j, &f, f.last);
    /* the same directions, after an HTTP CONNECT turned into TLS */
    f.app_proto = f.app_proto_ts = f.app_proto_tc = tls;
    f.app_proto_orig = http;
    f.app_tx_cnt = 0;
    eve_log_flow(&eve, &j, &f, f.last);
    /* STARTTLS answered by HTTP: the protocol it expected is named */
    const uint16_t smtp = app_proto_by_name("smtp")->id;
    f.app_proto = f.app_proto_ts = f.app_proto_tc = http;
    f.app_proto_orig = smtp;
    f.app_proto_expect = tls;
    eve_log_flow(&eve, &j, &f, f.last);

    f.app_proto = http;
    Packet p;
    memset(&p, 0, sizeof(p));
    p.flow = &f;
    p.proto = 6;
    p.ip_version = 4;
    p.app_events = APP_PKT_EV_MISMATCH_PROTOCOL_BOTH_DIRECTIONS;
    eve_log_anomalies(&eve, &j, &p);
    eve_close(&eve);

    char path[512];
    snprintf(path, sizeof(path), "%s/eve.json", dir);
    char *out = slurp(path);
    char *second = strchr(out, '\n');
    assert_non_null(second);
    *second++ = '\0';
    assert_non_null(strstr(out, "\"app_proto\":\"http\",\"app_proto_tc\":\"ssh\",\"flow\""));
    assert_null(strstr(out, "app_proto_ts"));
    assert_non_null(strstr(out, "\"tx_cnt\":2"));
    assert_non_null(strstr(second, "\"app_proto\":\"tls\",\"app_proto_orig\":\"http\",\"flow\""));
    assert_null(strstr(second, "tx_cnt"));
    assert_non_null(strstr(second, "\"app_proto\":\"tls\",\"app_proto_orig\":\"http\",\"flow\""));
    assert_non_null(
        strstr(second, "\"app_proto\":\"http\",\"app_proto_orig\":\"smtp\",\"app_proto_expected\":\"tls\",\"flow\""));
    assert_non_null(strstr(second, "\"anomaly\":{\"app_proto\":\"http\",\"type\":\"applayer\","
                                   "\"event\":\"APPLAYER_MISMATCH_PROTOCOL_BOTH_DIRECTIONS\","
                                   "\"layer\":\"proto_detect\"}"));
    free(out);
    jb_free(&j);
    unlink(path);
    rmdir(dir);
    conf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flow_and_anomaly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
