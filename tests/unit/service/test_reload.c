/*
 * Unit tests of rule reload: the reloader builds a new engine from the
 * rule file beside the one in use and hands it over once the (simulated)
 * worker reports the new generation; a broken rule file keeps the old
 * engine and says why; the configuration is read again (rule variables)
 * and an unreadable one fails the reload; ruleset figures and failed rules for the control
 * socket; signature numbers of a flow's transaction progress renumbered by
 * gid:sid onto the new engine; a worker's threshold counts carried onto
 * the new engine; and the control socket's answers to the
 * ruleset and error commands.
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
#include "detect/detect-app.h"
#include "detect/detect-engine.h"
#include "detect/detect.h"
#include "detect/reload-flow.h"
#include "engine/control-socket-json.h"
#include "engine/control-socket.h"
#include "engine/reload.h"

static char rules_path[64];

static void write_rules(const char *text)
{
    FILE *f = fopen(rules_path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char rule1[] = "alert udp any any -> any any (msg:\"one\"; content:\"aaa\"; sid:1;)\n";
static const char rule2[] = "alert udp any any -> any any (msg:\"two\"; content:\"bbb\"; sid:2;)\n";

/* A rule source reading rules_path, and the engine of its first load. */
static DetectEngine *first_engine(Conf *conf)
{
    RuleSource src = { .conf = conf, .exclusive = rules_path };
    reload_set_rule_source(&src, NULL);
    RuleLoadStats st;
    char why[256];
    Conf *again = NULL;
    DetectEngine *de = reload_build_engine(&st, NULL, NULL, &again, why, sizeof(why));
    assert_non_null(de);
    assert_null(again); /* no reload_conf: the same configuration */
    return de;
}

/* Asks for a reload and plays the one worker: takes each new generation. */
static bool reload_as_worker(RuleReloader *r, char *why, size_t whylen)
{
    uint64_t ticket;
    assert_true(reloader_request(r, &ticket, why, whylen));
    uint32_t before = reloader_generation(r);
    RulesetInfo info;
    for (int i = 0; i < 3000; i++) {
        uint32_t gen = reloader_generation(r);
        if (gen != before) {
            assert_non_null(reloader_current(r));
            reloader_worker_at(r, 0, gen);
        }
        reloader_info(r, &info);
        if (!info.busy)
            break;
        usleep(2000);
    }
    return reloader_wait(r, ticket, why, whylen);
}

static void test_reload_swaps_and_keeps_on_failure(void **state)
{
    (void)state;
    snprintf(rules_path, sizeof(rules_path), "/tmp/odlar-reload-test-%d.rules", (int)getpid());
    Conf *conf = conf_new_empty();
    write_rules(rule1);
    DetectEngine *de = first_engine(conf);
    assert_int_equal(de->sig_count, 1);
    RuleReloader *r = reloader_new(de, 1);
    reloader_start(r);
    assert_non_null(r);

    char why[512];
    write_rules(rule1);
    FILE *f = fopen(rules_path, "a");
    fputs(rule2, f);
    fclose(f);
    assert_true(reload_as_worker(r, why, sizeof(why)));
    assert_string_equal(why, "done");
    const DetectEngine *now = reloader_current(r);
    assert_int_equal(now->sig_count, 2);
    assert_int_equal(now->generation, 1);
    RulesetInfo info;
    reloader_info(r, &info);
    assert_int_equal(info.id, 1);
    assert_int_equal(info.loaded, 2);
    assert_int_equal(info.failed, 0);
    assert_int_equal(info.reloads_ok, 1);

    /* every rule broken: the reload fails, the engine stays */
    write_rules("alert udp any any -> any any (msg:\"bad\"; nosuchkeyword; sid:3;)\n");
    assert_false(reload_as_worker(r, why, sizeof(why)));
    assert_non_null(strstr(why, "failed to load"));
    assert_ptr_equal(reloader_current(r), now);
    reloader_info(r, &info);
    assert_int_equal(info.id, 1);
    assert_int_equal(info.reloads_failed, 1);
    JsonBuf j;
    jb_init(&j);
    reloader_failed_rules_json(r, &j, NULL);
    jb_append(&j, "", 1);
    assert_non_null(strstr(j.buf, "nosuchkeyword"));
    assert_non_null(strstr(j.buf, "\"line\":1"));
    jb_free(&j);

    /* a missing file fails too */
    unlink(rules_path);
    assert_false(reload_as_worker(r, why, sizeof(why)));
    assert_non_null(strstr(why, "could not be read"));
    assert_ptr_equal(reloader_current(r), now);
    reloader_free(r);
    conf_free(conf);
}

static void test_flow_progress_renumbered(void **state)
{
    (void)state;
    snprintf(rules_path, sizeof(rules_path), "/tmp/odlar-reload-test-%d.rules", (int)getpid());
    Conf *conf = conf_new_empty();
    write_rules(rule1);
    FILE *f = fopen(rules_path, "a");
    fputs(rule2, f);
    fclose(f);
    DetectEngine *old = first_engine(conf);
    /* the new engine: sid 1 gone, sid 2 kept, sids 5 and 6 new and ordered first */
    write_rules("drop udp any any -> any any (msg:\"five\"; content:\"ccc\"; sid:5;)\n"
                "drop udp any any -> any any (msg:\"six\"; content:\"ddd\"; sid:6;)\n");
    f = fopen(rules_path, "a");
    fputs(rule2, f);
    fclose(f);
    RuleLoadStats st;
    char why[256];
    Conf *again = NULL;
    DetectEngine *de = reload_build_engine(&st, NULL, NULL, &again, why, sizeof(why));
    assert_non_null(de);
    assert_true(detect_engine_succeed(de, old));
    assert_int_equal(de->generation, old->generation + 1);

    uint32_t old1 = 0, old2 = 0, new2 = 0;
    for (uint32_t i = 0; i < old->sig_count; i++) {
        if (old->sigs[i]->sid == 1)
            old1 = i;
        if (old->sigs[i]->sid == 2)
            old2 = i;
    }
    for (uint32_t i = 0; i < de->sig_count; i++)
        if (de->sigs[i]->sid == 2)
            new2 = i;
    assert_int_not_equal(old2, new2); /* the drop rule sorts first: numbers moved */

    DetectFlow df;
    memset(&df, 0, sizeof(df));
    df.engine_gen = old->generation;
    df.app = calloc(1, sizeof(*df.app));
    df.app->matched = calloc(4, sizeof(DetectAppMatch));
    df.app->cap = 4;
    df.app->matched[df.app->count++] = (DetectAppMatch){ .tx_id = 7, .sig = old1, .dir = 0 };
    df.app->matched[df.app->count++] = (DetectAppMatch){ .tx_id = 7, .sig = old2, .dir = 0 };
    df.app->pf[0].valid = true;
    detect_flow_follow_engine(&df, de);
    assert_int_equal(df.engine_gen, de->generation);
    assert_false(df.app->pf[0].valid);
    assert_int_equal(df.app->count, 1);
    assert_int_equal(df.app->matched[0].sig, new2);
    assert_int_equal(df.app->matched[0].tx_id, 7);

    /* a flow two generations behind forgets its pairs */
    df.engine_gen = de->generation - 2;
    detect_flow_follow_engine(&df, de);
    assert_int_equal(df.app->count, 0);
    detect_app_flow_free(df.app);
    detect_engine_free(old);
    detect_engine_free(de);
    unlink(rules_path);
    conf_free(conf);
}

static void test_thread_switch_keeps_thresholds(void **state)
{
    (void)state;
    snprintf(rules_path, sizeof(rules_path), "/tmp/odlar-reload-test-%d.rules", (int)getpid());
    Conf *conf = conf_new_empty();
    write_rules("alert udp any any -> any any (msg:\"t\"; content:\"aaa\"; "
                "threshold:type limit, track by_src, count 1, seconds 60; sid:20;)\n");
    DetectEngine *a = first_engine(conf);
    DetectEngine *b = first_engine(conf);
    assert_true(detect_engine_succeed(b, a));
    DetectThread dt;
    assert_true(detect_thread_init(&dt, a, NULL));
    ThresholdState *counting = dt.thresh;
    assert_non_null(counting);
    assert_true(detect_thread_switch(&dt, b));
    assert_ptr_equal(dt.de, b);
    assert_ptr_equal(dt.thresh, counting); /* keyed by gid:sid: the counts go on */
    detect_thread_free(&dt);
    detect_engine_free(a);
    detect_engine_free(b);
    unlink(rules_path);
    conf_free(conf);
}

static const char *conf_text; /* what the "configuration file" holds now */

static Conf *conf_from_text(void *ctx)
{
    (void)ctx;
    Conf *c = conf_new_empty();
    char err[256];
    if (!conf_load_string(c, conf_text, "test.yaml", err, sizeof(err))) {
        conf_free(c);
        return NULL;
    }
    return c;
}

static void test_reload_reads_config_again(void **state)
{
    (void)state;
    snprintf(rules_path, sizeof(rules_path), "/tmp/odlar-reload-test-%d.rules", (int)getpid());
    write_rules("alert ip $LAB_NET any -> any any (msg:\"lab\"; sid:10;)\n");
    FILE *f = fopen(rules_path, "a");
    fputs(rule1, f);
    fclose(f);
    Conf *conf = conf_new_empty();
    DetectEngine *de = first_engine(conf); /* LAB_NET is not defined yet: that rule fails */
    assert_int_equal(de->sig_count, 1);
    RuleReloader *r = reloader_new(de, 1);
    reloader_start(r);
    RuleSource src = { .conf = conf, .exclusive = rules_path, .reload_conf = conf_from_text };
    reload_set_rule_source(&src, NULL);

    char why[512];
    conf_text = "vars:\n  address-groups:\n    LAB_NET: \"10.1.0.0/16\"\n";
    assert_true(reload_as_worker(r, why, sizeof(why)));
    assert_int_equal(reloader_current(r)->sig_count, 2);

    conf_text = "vars: [unclosed\n";
    assert_false(reload_as_worker(r, why, sizeof(why)));
    assert_string_equal(why, "the configuration could not be read");
    assert_int_equal(reloader_current(r)->sig_count, 2);
    reloader_free(r);
    unlink(rules_path);
    conf_free(conf);
}

static void dispatch(const ControlHandlers *h, const char *text, JsonBuf *j)
{
    CtlRequest req;
    size_t used;
    char err[128];
    assert_int_equal(ctl_request_parse((const uint8_t *)text, strlen(text), &req, &used, err, sizeof(err)),
                     CTL_PARSE_OK);
    jb_reset(j);
    control_socket_dispatch(h, &req, j);
    jb_append(j, "", 1);
}

static void test_dispatch(void **state)
{
    (void)state;
    snprintf(rules_path, sizeof(rules_path), "/tmp/odlar-reload-test-%d.rules", (int)getpid());
    Conf *conf = conf_new_empty();
    write_rules(rule1);
    RuleReloader *r = reloader_new(first_engine(conf), 1);
    ControlHandlers h = { .reloader = r, .running_mode = "workers", .capture_mode = "AF_PACKET_DEV" };
    JsonBuf j;
    jb_init(&j);
    dispatch(&h, "{\"command\":\"ruleset-stats\"}", &j);
    assert_string_equal(j.buf, "{\"return\":\"OK\",\"message\":[{\"id\":0,\"rules_loaded\":0,\"rules_failed\":0,"
                               "\"rules_skipped\":0}]}");
    dispatch(&h, "{\"command\":\"running-mode\"}", &j);
    assert_string_equal(j.buf, "{\"return\":\"OK\",\"message\":\"workers\"}");
    dispatch(&h, "{\"command\":\"iface-stat\"}", &j);
    assert_non_null(strstr(j.buf, "\"return\":\"NOK\""));
    dispatch(&h, "{\"command\":\"iface-stat\",\"arguments\":{\"iface\":\"eth9\"}}", &j);
    assert_string_equal(j.buf, "{\"return\":\"NOK\",\"message\":\"Interface not found\"}");
    dispatch(&h, "{\"command\":\"no-such-command\"}", &j);
    assert_string_equal(j.buf, "{\"return\":\"NOK\",\"message\":\"Unknown command\"}");
    dispatch(&h, "{\"command\":\"ruleset-reload-time\"}", &j);
    assert_non_null(strstr(j.buf, "\"last_reload\":\"20"));
    ControlHandlers off = { .reloader = NULL };
    dispatch(&off, "{\"command\":\"reload-rules\"}", &j);
    assert_string_equal(j.buf, "{\"return\":\"NOK\",\"message\":\"detection is disabled\"}");
    jb_free(&j);
    reloader_free(r);
    unlink(rules_path);
    conf_free(conf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reload_swaps_and_keeps_on_failure),
        cmocka_unit_test(test_flow_progress_renumbered),
        cmocka_unit_test(test_reload_reads_config_again),
        cmocka_unit_test(test_thread_switch_keeps_thresholds),
        cmocka_unit_test(test_dispatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
