/*
 * Unit tests of the IPS verdict: signature order by `action-order`, what a
 * drop, reject or pass rule does to the packet and to its flow (first pass
 * or drop on the flow wins; later packets of a dropped flow are dropped
 * with reason "flow drop"), rate_filter new_action replacing a rule's
 * action, the EVE `verdict` object, and the EVE `drop` record written for a
 * decoded TCP packet (field names, order and values).
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

#include "conf/conf.h"
#include "decode/decode.h"
#include "detect/detect-engine.h"
#include "detect/detect.h"
#include "detect/keyword.h"
#include "detect/rule-load.h"
#include "flow/flow.h"
#include "output/eve-alert.h"
#include "output/eve-drop.h"
#include "output/eve.h"
#include "../engine-helper.h"

static Conf *conf_of(const char *yaml)
{
    Conf *c = conf_new_empty();
    char err[256];
    assert_true(conf_load_string(c, yaml, "test", err, sizeof(err)));
    return c;
}

static DetectEngine *engine(Conf *conf, const char *rules, bool ips)
{
    return engine_from_rules_with(conf, ips, rules);
}

/* A UDP packet 10.0.0.1:1234 -> 192.0.0.0:53 carrying `payload`. */
static Packet *udp_packet(const char *payload, Flow *f)
{
    Packet *p = packet_new();
    assert_non_null(p);
    packet_set_data(p, (const uint8_t *)payload, (uint32_t)strlen(payload));
    p->ip_version = 4;
    p->proto = 17;
    p->src_addr.family = p->dst_addr.family = 4;
    p->src_addr.addr[0] = 10;
    p->dst_addr.addr[0] = 192;
    p->sp = 1234;
    p->dp = 53;
    p->payload_off = 0;
    p->payload_len = (uint32_t)strlen(payload);
    p->to_server = true;
    p->flow = f;
    return p;
}

static void sids_of(const DetectThread *dt, char *out, size_t len)
{
    size_t off = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < dt->alert_count && off < len; i++)
        off += (size_t)snprintf(out + off, len - off, "%s%u", i ? "," : "", dt->alerts[i].s->sid);
}

static const char *const three_rules = "alert udp any any -> any any (content:\"x\"; sid:1;)\n"
                                       "pass udp any any -> any any (content:\"x\"; sid:2;)\n"
                                       "drop udp any any -> any any (content:\"x\"; sid:3;)\n";

/* Default order: pass first, so the pass rule hides the others. */
static void test_default_order(void **state)
{
    (void)state;
    DetectEngine *de = engine(NULL, three_rules, true);
    assert_int_equal(de->sigs[0]->sid, 2);
    assert_int_equal(de->sigs[1]->sid, 3);
    assert_int_equal(de->sigs[2]->sid, 1);
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Packet *p = udp_packet("x", NULL);
    detect_packet(&dt, p);
    assert_int_equal(dt.alert_count, 0);
    assert_true(dt.pass);
    assert_false(dt.drop);
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);
}

/* action-order drop, alert, reject, pass: the drop and the alert rule both
 * alert, the pass rule comes last and passes nothing already decided. */
/* `alert;` on a pass rule: the packet is passed and the pass rule's own
 * alert is raised (the rules after it still stay silent). */
static void test_pass_with_alert(void **state)
{
    (void)state;
    DetectEngine *de = engine(NULL,
                              "alert udp any any -> any any (content:\"x\"; sid:1;)\n"
                              "pass udp any any -> any any (content:\"x\"; alert; sid:2;)\n",
                              true);
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Packet *p = udp_packet("x", NULL);
    detect_packet(&dt, p);
    char got[64];
    sids_of(&dt, got, sizeof(got));
    assert_string_equal(got, "2");
    assert_true(dt.pass);
    assert_string_equal(detect_action_name(de, dt.alerts[0].s), "allowed");
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);
}

static void test_action_order(void **state)
{
    (void)state;
    Conf *c = conf_of("action-order:\n  - drop\n  - alert\n  - reject\n  - pass\n");
    DetectEngine *de = engine(c, three_rules, true);
    assert_int_equal(de->sigs[0]->sid, 3);
    assert_int_equal(de->sigs[1]->sid, 1);
    assert_int_equal(de->sigs[2]->sid, 2);
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Packet *p = udp_packet("x", NULL);
    detect_packet(&dt, p);
    char got[64];
    sids_of(&dt, got, sizeof(got));
    assert_string_equal(got, "3,1");
    assert_true(dt.drop);
    assert_int_equal(dt.drop_reason, DETECT_DROP_REASON_RULES);
    assert_non_null(dt.drop_sig);
    assert_int_equal(dt.drop_sig->sid, 3);
    assert_string_equal(detect_alert_action_name(de, dt.alerts[0].action), "blocked");
    assert_string_equal(detect_alert_action_name(de, dt.alerts[1].action), "allowed");
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);
    conf_free(c);
}

/* An invalid action-order keeps the default. */
static void test_action_order_invalid(void **state)
{
    (void)state;
    Conf *c = conf_of("action-order:\n  - drop\n  - drop\n  - reject\n  - alert\n");
    DetectEngine *de = engine(c, three_rules, true);
    assert_int_equal(de->sigs[0]->sid, 2);
    detect_engine_free(de);
    conf_free(c);
}

/* An IP-only drop drops the flow: the next packet is dropped with reason
 * "flow drop" and not inspected. A content drop only drops its packet. */
static void test_flow_drop(void **state)
{
    (void)state;
    DetectEngine *de = engine(NULL,
                              "drop udp 10.0.0.0/8 any -> any any (sid:1;)\n"
                              "alert udp any any -> any any (content:\"y\"; sid:2;)\n",
                              true);
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Flow *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    Packet *p = udp_packet("y", f);
    detect_packet(&dt, p);
    char got[64];
    sids_of(&dt, got, sizeof(got));
    assert_string_equal(got, "1,2");
    assert_int_equal(dt.drop_reason, DETECT_DROP_REASON_RULES);
    assert_int_equal(f->action, FLOW_ACTION_DROP);
    packet_free(p);
    p = udp_packet("y", f);
    detect_packet(&dt, p);
    assert_int_equal(dt.alert_count, 0);
    assert_true(dt.drop);
    assert_null(dt.drop_sig);
    assert_int_equal(dt.drop_reason, DETECT_DROP_REASON_FLOW);
    assert_string_equal(detect_drop_reason_name(dt.drop_reason), "flow drop");
    packet_free(p);
    detect_flow_free(f);
    free(f);

    /* a content drop: the packet only */
    f = calloc(1, sizeof(*f));
    assert_non_null(f);
    DetectEngine *de2 = engine(NULL, "drop udp any any -> any any (content:\"z\"; sid:5;)\n", true);
    DetectThread dt2;
    assert_true(detect_thread_init(&dt2, de2, NULL));
    p = udp_packet("z", f);
    detect_packet(&dt2, p);
    assert_true(dt2.drop);
    assert_int_equal(f->action, FLOW_ACTION_NONE);
    packet_free(p);
    p = udp_packet("z", f);
    detect_packet(&dt2, p);
    assert_int_equal(dt2.alert_count, 1);
    assert_int_equal(dt2.drop_reason, DETECT_DROP_REASON_RULES);
    packet_free(p);
    detect_flow_free(f);
    free(f);
    detect_thread_free(&dt2);
    detect_engine_free(de2);
    detect_thread_free(&dt);
    detect_engine_free(de);
}

/* Without --simulate-ips a drop rule only alerts. */
static void test_ids_mode(void **state)
{
    (void)state;
    DetectEngine *de = engine(NULL, "drop udp any any -> any any (content:\"x\"; sid:3;)\n", false);
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Packet *p = udp_packet("x", NULL);
    detect_packet(&dt, p);
    assert_int_equal(dt.alert_count, 1);
    assert_false(dt.drop);
    assert_string_equal(detect_alert_action_name(de, dt.alerts[0].action), "allowed");
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);
}

/* A pass applied to the same packet after a drop passes neither the packet
 * nor the flow (Suricata's util-action-13). */
static void test_pass_after_drop(void **state)
{
    (void)state;
    Conf *c = conf_of("action-order:\n  - drop\n  - pass\n  - reject\n  - alert\n");
    DetectEngine *de = engine(c,
                              "pass udp any any -> any any (sid:1;)\n"
                              "drop udp any any -> any any (content:\"x\"; sid:2;)\n",
                              true);
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Flow *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    Packet *p = udp_packet("x", f);
    detect_packet(&dt, p);
    assert_true(dt.drop);
    assert_int_equal(f->action, FLOW_ACTION_NONE);
    assert_false(((DetectFlow *)f->detect)->pass);
    packet_free(p);
    detect_flow_free(f);
    free(f);
    detect_thread_free(&dt);
    detect_engine_free(de);
    conf_free(c);
}

static char tmpdir[64];

/* rate_filter by_rule count 1: the first match keeps the rule's action,
 * the next ones get new_action (drop: reason "threshold detection_filter"). */
static void test_rate_filter_action(void **state)
{
    (void)state;
    char path[128], yaml[256];
    snprintf(path, sizeof(path), "%s/threshold.config", tmpdir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("rate_filter gen_id 1, sig_id 9, track by_rule, count 1, seconds 60, new_action drop, timeout 100\n", fp);
    fclose(fp);
    snprintf(yaml, sizeof(yaml), "threshold-file: %s\n", path);
    Conf *c = conf_of(yaml);
    DetectEngine *de = engine(c, "alert udp any any -> any any (content:\"x\"; sid:9;)\n", true);
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Packet *p = udp_packet("x", NULL);
    detect_packet(&dt, p);
    assert_int_equal(dt.alert_count, 1);
    assert_int_equal(dt.alerts[0].action, SIG_ACTION_ALERT);
    assert_false(dt.drop);
    packet_free(p);
    p = udp_packet("x", NULL);
    detect_packet(&dt, p);
    assert_int_equal(dt.alert_count, 1);
    assert_int_equal(dt.alerts[0].action, SIG_ACTION_DROP);
    assert_true(dt.drop);
    assert_int_equal(dt.drop_reason, DETECT_DROP_REASON_THRESHOLD);
    assert_string_equal(detect_drop_reason_name(dt.drop_reason), "threshold detection_filter");
    assert_string_equal(detect_alert_action_name(de, dt.alerts[0].action), "blocked");
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);
    conf_free(c);
    unlink(path);
}

static void expect_verdict(const DetectThread *dt, const Packet *p, const char *want)
{
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    eve_verdict_object(&j, dt, p);
    jb_close_object(&j);
    char got[256];
    snprintf(got, sizeof(got), "%.*s", (int)j.len, j.buf ? j.buf : "");
    jb_free(&j);
    if (strcmp(got, want) != 0)
        fail_msg("verdict %s, want %s", got, want);
}

static void test_verdict_object(void **state)
{
    (void)state;
    DetectEngine *de = engine(NULL,
                              "reject udp any any -> any any (content:\"r\"; sid:1;)\n"
                              "pass udp any any -> any any (content:\"p\"; sid:2;)\n"
                              "alert udp any any -> any any (content:\"a\"; sid:3;)\n"
                              "drop udp any any -> any any (content:\"d\"; sid:4;)\n",
                              true);
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    struct {
        const char *payload, *want;
    } cases[] = {
        { "r", "{\"verdict\":{\"action\":\"drop\",\"reject-target\":\"to_client\",\"reject\":[\"icmp-prohib\"]}}" },
        { "p", "{\"verdict\":{\"action\":\"pass\"}}" },
        { "a", "{\"verdict\":{\"action\":\"alert\"}}" },
        { "d", "{\"verdict\":{\"action\":\"drop\"}}" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        Packet *p = udp_packet(cases[i].payload, NULL);
        detect_packet(&dt, p);
        expect_verdict(&dt, p, cases[i].want);
        packet_free(p);
    }
    detect_thread_free(&dt);
    detect_engine_free(de);
}

/* IPv4 10.0.0.1:1234 -> 192.168.0.1:80, TCP PSH|ACK, reserved bits 2 */
static const uint8_t tcp_raw[] = {
    0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 10,   0,    0,    1,    192,
    168,  0,    1,    0x04, 0xd2, 0x00, 0x50, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x07, 0xd0, 0x52, 0x18,
    0x20, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* The drop record of a decoded TCP packet dropped by a rule. */
static void test_eve_drop_record(void **state)
{
    (void)state;
    DecodeConfig dcfg;
    decode_config_defaults(&dcfg);
    Counters ctr;
    memset(&ctr, 0, sizeof(ctr));
    DecodeThread dth = { .cfg = &dcfg, .ctr = &ctr };
    Packet *p = packet_new();
    assert_non_null(p);
    packet_set_data(p, tcp_raw, sizeof(tcp_raw));
    p->datalink = LINKTYPE_RAW;
    decode_packet(&dth, p);
    assert_int_equal(p->proto, 6);

    Conf *c = conf_of("outputs:\n  - eve-log:\n      enabled: yes\n      filename: eve.json\n      types:\n"
                      "        - drop:\n            alerts: yes\n            verdict: yes\n");
    EveConfig ecfg;
    char err[256];
    assert_true(eve_config_read(c, tmpdir, &ecfg, err, sizeof(err)));
    Eve eve;
    assert_true(eve_open(&eve, &ecfg, err, sizeof(err)));
    JsonBuf j;
    jb_init(&j);

    /* IDS mode: no drop record */
    DetectEngine *ids = engine(NULL, "drop tcp any any -> any 80 (flags:PA; sid:7;)\n", false);
    DetectThread dt;
    assert_true(detect_thread_init(&dt, ids, NULL));
    detect_packet(&dt, p);
    assert_int_equal(dt.alert_count, 1);
    eve_log_drop(&eve, &j, &dt, p);
    detect_thread_free(&dt);
    detect_engine_free(ids);

    DetectEngine *de = engine(NULL, "drop tcp any any -> any 80 (flags:PA; sid:7;)\n", true);
    assert_true(detect_thread_init(&dt, de, NULL));
    detect_packet(&dt, p);
    eve_log_drop(&eve, &j, &dt, p);
    eve_close(&eve);
    char path[128];
    snprintf(path, sizeof(path), "%s/eve.json", tmpdir);
    const char *out = read_all(path);
    /* exactly one record */
    const char *nl = strchr(out, '\n');
    assert_non_null(nl);
    assert_int_equal(nl[1], '\0');
    assert_non_null(strstr(out, "\"event_type\":\"drop\""));
    assert_non_null(strstr(out, "\"drop\":{\"len\":40,\"tos\":0,\"ttl\":64,\"ipid\":4660,\"tcpseq\":1000,"
                                "\"tcpack\":2000,\"tcpwin\":8192,\"syn\":false,\"ack\":true,\"psh\":true,"
                                "\"rst\":false,\"urg\":false,\"fin\":false,\"tcpres\":2,\"tcpurgp\":0,"
                                "\"reason\":\"rules\"},\"verdict\":{\"action\":\"drop\"},"
                                "\"alert\":{\"action\":\"blocked\",\"gid\":1,\"signature_id\":7,"));
    unlink(path);
    jb_free(&j);
    detect_thread_free(&dt);
    detect_engine_free(de);
    conf_free(c);
    packet_free(p);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/odlar-verdict-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_order),     cmocka_unit_test(test_action_order), cmocka_unit_test(test_pass_with_alert),
        cmocka_unit_test(test_action_order_invalid), cmocka_unit_test(test_flow_drop),
        cmocka_unit_test(test_ids_mode),          cmocka_unit_test(test_pass_after_drop),
        cmocka_unit_test(test_rate_filter_action), cmocka_unit_test(test_verdict_object),
        cmocka_unit_test(test_eve_drop_record),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
