/*
 * Unit tests of classification.config, reference.config, the threshold and
 * detection_filter keyword values, threshold.config, the per-signature plan
 * and the thresholding runtime. Expected outcomes follow Suricata 8's
 * documented semantics and the suricata-verify threshold cases (e.g.
 * detection_filter by_flow over one flow of 8 echo requests: count 1 -> 7
 * alerts, count 2 -> 6, count 4 -> 4, count 7 -> 1, count 8 -> 0).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "detect/address.h"
#include "detect/class-config.h"
#include "detect/reference-config.h"
#include "detect/threshold-config.h"
#include "detect/threshold.h"
#include "flow/flow.h"

static const ThresholdAddrOps addr_ops = { address_set_parse, address_set_match, address_set_free };

static Address ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    Address x;
    memset(&x, 0, sizeof(x));
    x.family = 4;
    x.addr[0] = a;
    x.addr[1] = b;
    x.addr[2] = c;
    x.addr[3] = d;
    return x;
}

static void mkpkt(Packet *p, Address src, Address dst, double secs, Flow *f)
{
    memset(p, 0, sizeof(*p));
    p->ip_version = 4;
    p->src_addr = src;
    p->dst_addr = dst;
    p->ts = (OdTime)(secs * 1e6);
    p->flow = f;
}

/* Runs `n` matches one second apart (starting at t0) and records the
 * verdicts in out. */
static void run_seq(ThresholdState *st, const ThresholdSpec *sp, int n, double t0, double step, ThresholdVerdict *out)
{
    Flow f;
    memset(&f, 0, sizeof(f));
    f.flow_id = 42;
    for (int i = 0; i < n; i++) {
        Packet p;
        mkpkt(&p, ip4(10, 0, 0, 1), ip4(10, 0, 0, 2), t0 + step * i, &f);
        out[i] = threshold_apply(st, sp, 1, 100, &p, NULL);
    }
}

static int count_alerts(const ThresholdVerdict *v, int n)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += v[i] == THRESH_ALERT;
    return c;
}

static ThresholdSpec *kw(const char *v)
{
    char err[256];
    ThresholdSpec *s = threshold_parse_keyword(v, err, sizeof(err));
    if (!s)
        fail_msg("threshold '%s': %s", v, err);
    return s;
}

static ThresholdSpec *df(const char *v)
{
    char err[256];
    ThresholdSpec *s = detection_filter_parse(v, err, sizeof(err));
    if (!s)
        fail_msg("detection_filter '%s': %s", v, err);
    return s;
}

/* ---- classification.config ---------------------------------------------- */

static void test_class_config_parse(void **state)
{
    (void)state;
    const char *text = "# comment\n"
                       "   # indented comment\n"
                       "\n"
                       "config classification: not-suspicious,Not Suspicious Traffic,3\n"
                       "config classification:Web-Attack, Web Application Attack , 1 \r\n"
                       "config classification: bad line without priority\n"
                       "config classification: 9bad,Starts with digit,2\n"
                       "config classification: comma-desc,A, B and C,2\n"
                       "config classification: not-suspicious,Duplicate,1\n"
                       "config classification: prio-bad,Desc,abc\n";
    char err[512];
    ClassConfig *cc = class_config_load_string(text, "test.config", err, sizeof(err));
    assert_non_null(cc);
    assert_int_equal(class_config_count(cc), 3);
    assert_int_equal(class_config_errors(cc), 3);
    assert_non_null(strstr(err, "test.config:6"));
    const ClassType *ct = class_config_lookup(cc, "NOT-Suspicious");
    assert_non_null(ct);
    assert_string_equal(ct->name, "not-suspicious");
    assert_string_equal(ct->desc, "Not Suspicious Traffic");
    assert_int_equal(ct->priority, 3);
    ct = class_config_lookup(cc, "web-attack");
    assert_non_null(ct);
    assert_string_equal(ct->desc, "Web Application Attack "); /* Suricata keeps the blank before the comma */
    assert_int_equal(ct->priority, 1);
    ct = class_config_lookup(cc, "comma-desc");
    assert_non_null(ct);
    assert_string_equal(ct->desc, "A, B and C");
    assert_null(class_config_lookup(cc, "9bad"));
    assert_null(class_config_lookup(cc, "prio-bad"));
    class_config_free(cc);
}

static void test_class_config_files(void **state)
{
    (void)state;
    char err[512];
    ClassConfig *cc = class_config_load("/nonexistent/classification.config", err, sizeof(err));
    assert_non_null(cc);
    assert_true(class_config_missing(cc));
    assert_int_equal(class_config_count(cc), 0);
    assert_non_null(strstr(err, "could not open"));
    class_config_free(cc);

    FILE *f = fopen("/work/shared/verify/etc/classification.config", "r");
    if (f) {
        fclose(f);
        cc = class_config_load("/work/shared/verify/etc/classification.config", err, sizeof(err));
        assert_int_equal(class_config_errors(cc), 0);
        assert_int_equal(class_config_count(cc), 34);
        const ClassType *ct = class_config_lookup(cc, "attempted-admin");
        assert_non_null(ct);
        assert_string_equal(ct->desc, "Attempted Administrator Privilege Gain");
        assert_int_equal(ct->priority, 1);
        ct = class_config_lookup(cc, "trojan-activity");
        assert_non_null(ct);
        assert_string_equal(ct->desc, "A Network Trojan was detected");
        class_config_free(cc);
    }
    Conf *c = conf_new_defaults();
    assert_non_null(strstr(class_config_path(c), "classification.config"));
    conf_set_value(c, "classification-file", "/x/y.config", "<test>");
    assert_string_equal(class_config_path(c), "/x/y.config");
    conf_free(c);
}

/* ---- reference.config ---------------------------------------------------- */

static void test_reference_config(void **state)
{
    (void)state;
    const char *text = "# refs\n"
                       "config reference: bugtraq   http://www.securityfocus.com/bid/\n"
                       "config reference: arachNIDS\thttp://www.whitehats.com/info/IDS\n"
                       "config reference:url http://\n"
                       "config reference: nourl\n"
                       "configreference: x http://x/\n"
                       "config reference: bugtraq http://dup/\n";
    char err[512];
    ReferenceConfig *rc = reference_config_load_string(text, "ref.config", err, sizeof(err));
    assert_non_null(rc);
    assert_int_equal(reference_config_count(rc), 3);
    assert_int_equal(reference_config_errors(rc), 2);
    assert_non_null(strstr(err, "ref.config:5"));
    assert_string_equal(reference_config_lookup(rc, "BUGTRAQ"), "http://www.securityfocus.com/bid/");
    assert_string_equal(reference_config_lookup(rc, "arachnids"), "http://www.whitehats.com/info/IDS");
    assert_string_equal(reference_config_lookup(rc, "url"), "http://");
    assert_null(reference_config_lookup(rc, "cve"));
    reference_config_free(rc);

    rc = reference_config_load("/nonexistent/reference.config", err, sizeof(err));
    assert_true(reference_config_missing(rc));
    reference_config_free(rc);
    FILE *f = fopen("/work/shared/verify/etc/reference.config", "r");
    if (f) {
        fclose(f);
        rc = reference_config_load("/work/shared/verify/etc/reference.config", err, sizeof(err));
        assert_int_equal(reference_config_errors(rc), 0);
        assert_int_equal(reference_config_count(rc), 19); /* secunia twice: first wins */
        assert_string_equal(reference_config_lookup(rc, "cve"), "http://cve.mitre.org/cgi-bin/cvename.cgi?name=");
        reference_config_free(rc);
    }
}

/* ---- keyword values -------------------------------------------------------- */

static void test_keyword_parse(void **state)
{
    (void)state;
    ThresholdSpec *s = kw("type limit, track by_dst, count 10, seconds 60");
    assert_int_equal(s->type, THRESH_TYPE_LIMIT);
    assert_int_equal(s->track, THRESH_TRACK_DST);
    assert_int_equal(s->count, 10);
    assert_int_equal(s->seconds, 60);
    threshold_spec_free(s);
    s = kw("track by_both,seconds 5,count 3,type both");
    assert_int_equal(s->type, THRESH_TYPE_BOTH);
    assert_int_equal(s->track, THRESH_TRACK_BOTH);
    threshold_spec_free(s);
    s = kw("type backoff, track by_flow, count 1, multiplier 10");
    assert_int_equal(s->type, THRESH_TYPE_BACKOFF);
    assert_int_equal(s->multiplier, 10);
    threshold_spec_free(s);

    const char *bad[] = {
        "type any, track by_dst, count 10, seconds 60",
        "type limit, track by_dst, count 10",
        "count 10, track by_dst, seconds 60, type both, count 10",
        "type limit, track by_either, count 1, seconds 1",
        "type limit, track by_src, count x, seconds 1",
        "type backoff, track by_src, count 1, multiplier 2",
        "type backoff, track by_flow, count 1, seconds 2",
        "type limit, track by_flow, count 1, multiplier 2",
        "type backoff, track by_flow, count 0, multiplier 2",
        "type limit track by_src, count 1, seconds 1",
        "type limit, track by_src, count 99999999999, seconds 1",
        "",
    };
    char err[256];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        s = threshold_parse_keyword(bad[i], err, sizeof(err));
        if (s)
            fail_msg("accepted '%s'", bad[i]);
        assert_true(strncmp(err, "threshold", 9) == 0);
    }

    s = df("track by_dst, count 10, seconds 60");
    assert_int_equal(s->type, THRESH_TYPE_DETECTION);
    assert_int_equal(s->count, 10);
    threshold_spec_free(s);
    s = df("seconds 3600, track by_flow, count 1");
    assert_int_equal(s->track, THRESH_TRACK_FLOW);
    threshold_spec_free(s);
    const char *dbad[] = { "track both,count 10,seconds 60", "count 10, track by_dst, seconds 0",
                           "count 0, track by_dst, seconds 10", "count 10, track by_dst, seconds 60, count 10",
                           "type limit, track by_dst, count 1, seconds 1", "track by_dst, count 1" };
    for (size_t i = 0; i < sizeof(dbad) / sizeof(dbad[0]); i++) {
        s = detection_filter_parse(dbad[i], err, sizeof(err));
        if (s)
            fail_msg("accepted '%s'", dbad[i]);
    }
}

/* ---- runtime ------------------------------------------------------------------ */

static void test_limit(void **state)
{
    (void)state;
    ThresholdState *st = threshold_state_new(64, THRESHOLD_DEFAULT_MEMCAP);
    ThresholdSpec *s = kw("type limit, track by_src, count 2, seconds 10");
    ThresholdVerdict v[6];
    /* t = 0,1,2,...: first two alert, rest silent within the window */
    run_seq(st, s, 4, 1000, 1, v);
    assert_int_equal(v[0], THRESH_ALERT);
    assert_int_equal(v[1], THRESH_ALERT);
    assert_int_equal(v[2], THRESH_SILENT);
    assert_int_equal(v[3], THRESH_SILENT);
    /* exactly at window end (1000 + 10) is still inside */
    run_seq(st, s, 1, 1010, 1, v);
    assert_int_equal(v[0], THRESH_SILENT);
    /* past the window: a new window starts */
    run_seq(st, s, 3, 1010.5, 1, v);
    assert_int_equal(v[0], THRESH_ALERT);
    assert_int_equal(v[1], THRESH_ALERT);
    assert_int_equal(v[2], THRESH_SILENT);
    threshold_spec_free(s);
    threshold_state_free(st);
}

static void test_threshold_type(void **state)
{
    (void)state;
    ThresholdState *st = threshold_state_new(64, THRESHOLD_DEFAULT_MEMCAP);
    ThresholdSpec *s = kw("type threshold, track by_src, count 3, seconds 60");
    ThresholdVerdict v[9];
    run_seq(st, s, 9, 0, 1, v);
    ThresholdVerdict want[9] = { THRESH_NONE, THRESH_NONE, THRESH_ALERT, THRESH_NONE, THRESH_NONE,
                                 THRESH_ALERT, THRESH_NONE, THRESH_NONE, THRESH_ALERT };
    assert_memory_equal(v, want, sizeof(want));
    /* window expiry resets the count */
    run_seq(st, s, 3, 100, 1, v);
    assert_int_equal(v[0], THRESH_NONE);
    assert_int_equal(v[1], THRESH_NONE);
    assert_int_equal(v[2], THRESH_ALERT);
    threshold_spec_free(s);
    /* count 1: every match */
    s = kw("type threshold, track by_src, count 1, seconds 60");
    run_seq(st, s, 3, 0, 1, v);
    assert_int_equal(count_alerts(v, 3), 3);
    threshold_spec_free(s);
    threshold_state_free(st);
}

static void test_both(void **state)
{
    (void)state;
    ThresholdState *st = threshold_state_new(64, THRESHOLD_DEFAULT_MEMCAP);
    ThresholdSpec *s = kw("type both, track by_flow, count 3, seconds 3600");
    ThresholdVerdict v[8];
    run_seq(st, s, 8, 0, 1, v);
    ThresholdVerdict want[8] = { THRESH_NONE, THRESH_NONE, THRESH_ALERT, THRESH_SILENT,
                                 THRESH_SILENT, THRESH_SILENT, THRESH_SILENT, THRESH_SILENT };
    assert_memory_equal(v, want, sizeof(want));
    threshold_spec_free(s);
    threshold_state_free(st);
}

static void test_detection_filter_flow(void **state)
{
    (void)state;
    /* the verify case detection_filter-rule-flow: 8 matches in one flow */
    const uint32_t counts[] = { 1, 2, 4, 7, 8 };
    const int want[] = { 7, 6, 4, 1, 0 };
    for (size_t i = 0; i < 5; i++) {
        ThresholdState *st = threshold_state_new(64, THRESHOLD_DEFAULT_MEMCAP);
        char buf[128];
        snprintf(buf, sizeof(buf), "track by_flow, count %u, seconds 3600", counts[i]);
        ThresholdSpec *s = df(buf);
        ThresholdVerdict v[8];
        run_seq(st, s, 8, 0, 0.5, v);
        assert_int_equal(count_alerts(v, 8), want[i]);
        for (int k = 0; k < 8; k++)
            assert_true(v[k] == THRESH_ALERT || v[k] == THRESH_NONE);
        threshold_spec_free(s);
        threshold_state_free(st);
    }
    /* no flow: nothing to track */
    ThresholdState *st = threshold_state_new(64, THRESHOLD_DEFAULT_MEMCAP);
    ThresholdSpec *s = df("track by_flow, count 1, seconds 10");
    Packet p;
    mkpkt(&p, ip4(1, 1, 1, 1), ip4(2, 2, 2, 2), 1, NULL);
    assert_int_equal(threshold_apply(st, s, 1, 1, &p, NULL), THRESH_NONE);
    threshold_spec_free(s);
    threshold_state_free(st);
}

static void test_limit_by_flow_verify(void **state)
{
    (void)state;
    /* threshold-rule-flow: limit count 1 -> 1 alert, limit 2 -> 2, both 3 -> 1 */
    struct {
        const char *v;
        int alerts;
    } cases[] = { { "type limit, track by_flow, count 1, seconds 3600", 1 },
                  { "type limit, track by_flow, count 2, seconds 3600", 2 },
                  { "type both, track by_flow, count 3, seconds 3600", 1 } };
    for (size_t i = 0; i < 3; i++) {
        ThresholdState *st = threshold_state_new(64, THRESHOLD_DEFAULT_MEMCAP);
        ThresholdSpec *s = kw(cases[i].v);
        ThresholdVerdict v[8];
        run_seq(st, s, 8, 0, 1, v);
        assert_int_equal(count_alerts(v, 8), cases[i].alerts);
        threshold_spec_free(s);
        threshold_state_free(st);
    }
}

static void test_backoff(void **state)
{
    (void)state;
    struct {
        const char *v;
        int alert_at[8];
    } cases[] = {
        { "type backoff, track by_flow, count 1, multiplier 2", { 1, 2, 4, 8, 16, 32, 64, 0 } },
        { "type backoff, track by_flow, count 1, multiplier 10", { 1, 10, 100, 0 } },
        { "type backoff, track by_flow, count 5, multiplier 5", { 5, 25, 0 } },
        { "type backoff, track by_flow, count 3, multiplier 2", { 3, 6, 12, 24, 48, 96, 0 } },
    };
    for (size_t i = 0; i < 4; i++) {
        ThresholdState *st = threshold_state_new(64, THRESHOLD_DEFAULT_MEMCAP);
        ThresholdSpec *s = kw(cases[i].v);
        ThresholdVerdict v[100];
        run_seq(st, s, 100, 0, 100, v); /* time does not matter for backoff */
        int k = 0;
        for (int n = 1; n <= 100; n++) {
            bool want = cases[i].alert_at[k] == n;
            if (want)
                k++;
            if (want)
                assert_int_equal(v[n - 1], THRESH_ALERT);
            else if (n == 1)
                assert_int_equal(v[0], THRESH_NONE); /* count > 1: the first match is dropped */
            else
                assert_int_equal(v[n - 1], THRESH_SILENT);
        }
        threshold_spec_free(s);
        threshold_state_free(st);
    }
}

static void test_tracking(void **state)
{
    (void)state;
    ThresholdState *st = threshold_state_new(64, THRESHOLD_DEFAULT_MEMCAP);
    ThresholdSpec *s = kw("type limit, track by_src, count 1, seconds 60");
    Packet p;
    mkpkt(&p, ip4(1, 1, 1, 1), ip4(9, 9, 9, 9), 1, NULL);
    assert_int_equal(threshold_apply(st, s, 1, 5, &p, NULL), THRESH_ALERT);
    assert_int_equal(threshold_apply(st, s, 1, 5, &p, NULL), THRESH_SILENT);
    /* other source: own entry */
    mkpkt(&p, ip4(1, 1, 1, 2), ip4(9, 9, 9, 9), 2, NULL);
    assert_int_equal(threshold_apply(st, s, 1, 5, &p, NULL), THRESH_ALERT);
    /* other sid: own entry */
    assert_int_equal(threshold_apply(st, s, 1, 6, &p, NULL), THRESH_ALERT);
    threshold_spec_free(s);

    /* by_both: both directions share the entry */
    s = kw("type limit, track by_both, count 1, seconds 60");
    mkpkt(&p, ip4(1, 1, 1, 1), ip4(2, 2, 2, 2), 3, NULL);
    assert_int_equal(threshold_apply(st, s, 1, 7, &p, NULL), THRESH_ALERT);
    mkpkt(&p, ip4(2, 2, 2, 2), ip4(1, 1, 1, 1), 4, NULL);
    assert_int_equal(threshold_apply(st, s, 1, 7, &p, NULL), THRESH_SILENT);
    threshold_spec_free(s);

    /* by_rule: one entry whatever the addresses */
    s = kw("type limit, track by_rule, count 2, seconds 60");
    mkpkt(&p, ip4(1, 1, 1, 1), ip4(2, 2, 2, 2), 5, NULL);
    assert_int_equal(threshold_apply(st, s, 1, 8, &p, NULL), THRESH_ALERT);
    mkpkt(&p, ip4(3, 3, 3, 3), ip4(4, 4, 4, 4), 5, NULL);
    assert_int_equal(threshold_apply(st, s, 1, 8, &p, NULL), THRESH_ALERT);
    assert_int_equal(threshold_apply(st, s, 1, 8, &p, NULL), THRESH_SILENT);
    threshold_spec_free(s);

    /* by_dst */
    s = kw("type limit, track by_dst, count 1, seconds 60");
    mkpkt(&p, ip4(1, 1, 1, 1), ip4(2, 2, 2, 2), 5, NULL);
    assert_int_equal(threshold_apply(st, s, 1, 9, &p, NULL), THRESH_ALERT);
    mkpkt(&p, ip4(3, 3, 3, 3), ip4(2, 2, 2, 2), 5, NULL);
    assert_int_equal(threshold_apply(st, s, 1, 9, &p, NULL), THRESH_SILENT);
    threshold_spec_free(s);
    threshold_state_free(st);
}

static ThresholdSpec rate_spec(uint32_t count, uint32_t seconds, ThresholdAction a, uint32_t timeout)
{
    ThresholdSpec s;
    memset(&s, 0, sizeof(s));
    s.type = THRESH_TYPE_RATE;
    s.track = THRESH_TRACK_SRC;
    s.count = count;
    s.seconds = seconds;
    s.new_action = a;
    s.timeout = timeout;
    return s;
}

static void test_rate_filter(void **state)
{
    (void)state;
    ThresholdState *st = threshold_state_new(64, THRESHOLD_DEFAULT_MEMCAP);
    ThresholdSpec s = rate_spec(1, 60, THRESH_ACTION_DROP, 5);
    ThresholdResult r;
    Packet p;
    mkpkt(&p, ip4(1, 1, 1, 1), ip4(2, 2, 2, 2), 100, NULL);
    /* first match: plain alert */
    assert_int_equal(threshold_apply(st, &s, 1, 1, &p, &r), THRESH_ALERT);
    assert_false(r.action_modified);
    /* second: more than count -> drop from now on */
    p.ts = OD_TIME_FROM_SEC(101);
    assert_int_equal(threshold_apply(st, &s, 1, 1, &p, &r), THRESH_ALERT);
    assert_true(r.action_modified);
    assert_int_equal(r.new_action, THRESH_ACTION_DROP);
    p.ts = OD_TIME_FROM_SEC(106); /* 5 s after the start: still inside timeout */
    threshold_apply(st, &s, 1, 1, &p, &r);
    assert_true(r.action_modified);
    p.ts = OD_TIME_FROM_SEC(107); /* timeout over: back to the rule's action */
    threshold_apply(st, &s, 1, 1, &p, &r);
    assert_false(r.action_modified);

    /* log / sdrop change nothing */
    ThresholdSpec s2 = rate_spec(0, 60, THRESH_ACTION_SDROP, 5);
    p.ts = OD_TIME_FROM_SEC(200);
    threshold_apply(st, &s2, 1, 2, &p, &r);
    threshold_apply(st, &s2, 1, 2, &p, &r);
    assert_false(r.action_modified);
    threshold_state_free(st);
}

static void test_memcap_eviction(void **state)
{
    (void)state;
    /* a memcap that holds only the buckets: one entry at a time */
    ThresholdState *st = threshold_state_new(16, 16 * sizeof(void *));
    ThresholdSpec *s = kw("type limit, track by_src, count 1, seconds 60");
    Packet p;
    for (int i = 0; i < 10; i++) {
        mkpkt(&p, ip4(10, 0, 0, (uint8_t)i), ip4(2, 2, 2, 2), 1, NULL);
        assert_int_equal(threshold_apply(st, s, 1, 1, &p, NULL), THRESH_ALERT);
    }
    const ThresholdStats *stats = threshold_state_stats(st);
    assert_int_equal(stats->entries, 1);
    assert_int_equal(stats->evicted, 9);
    assert_int_equal(stats->created, 10);
    threshold_spec_free(s);
    threshold_state_free(st);

    /* expiry housekeeping */
    st = threshold_state_new(64, THRESHOLD_DEFAULT_MEMCAP);
    s = kw("type limit, track by_src, count 1, seconds 10");
    mkpkt(&p, ip4(10, 0, 0, 1), ip4(2, 2, 2, 2), 1, NULL);
    threshold_apply(st, s, 1, 1, &p, NULL);
    assert_int_equal(threshold_state_expire(st, OD_TIME_FROM_SEC(11)), 0);
    assert_int_equal(threshold_state_expire(st, OD_TIME_FROM_SEC(12)), 1);
    assert_int_equal(threshold_state_stats(st)->entries, 0);
    threshold_spec_free(s);
    threshold_state_free(st);
}

/* ---- threshold.config and plans ------------------------------------------------ */

static void test_config_parse(void **state)
{
    (void)state;
    Conf *c = conf_new_empty();
    conf_set_value(c, "vars.address-groups.SUPPRESS", "[10.0.0.0/8,20.0.0.0/16,145.0.0.0/8]", "<test>");
    const char *text =
        "# thresholds\n"
        "threshold gen_id 1, sig_id 1000001, type both, track by_flow, count 5, seconds 60\n"
        "event_filter gen_id 1, sig_id 2, type limit, track by_src, \\\n"
        "   count 1, seconds 10\n"
        "suppress gen_id 1, sig_id 3\n"
        "suppress gen_id 1, sig_id 4, track by_either, ip $SUPPRESS\n"
        "suppress gen_id 1, sig_id 5, track by_src, ip 145.254.160.0/24\n"
        "rate_filter gen_id 1, sig_id 6, track by_rule, count 1, seconds 60, new_action pass, timeout 1000\n"
        "threshold gen_id 0, sig_id 7, type limit, track by_src, count 1, seconds 1\n"
        "threshold gen_id 1, sig_id 8, type backoff, track by_flow, count 1, seconds 1\n"
        "rate_filter gen_id 1, sig_id 9, track by_src, count 1, seconds 60, new_action bogus, timeout 1\n"
        "suppress gen_id 1, sig_id 10, track by_rule, ip 1.2.3.4\n"
        "suppress gen_id 1, sig_id 11, track by_src, ip $UNDEFINED\n"
        "threshold gen_id 1, sig_id 12, type limit, track by_src, count 1, seconds 1 extra\n";
    char err[512];
    ThresholdConfig *tc = threshold_config_load_string(text, "threshold.config", c, &addr_ops, err, sizeof(err));
    assert_non_null(tc);
    assert_int_equal(threshold_config_count(tc), 6);
    assert_int_equal(threshold_config_errors(tc), 6);
    assert_non_null(strstr(err, "threshold.config:9"));
    const ThresholdConfigEntry *e = threshold_config_entry(tc, 0);
    assert_int_equal(e->kind, THRESH_ENTRY_THRESHOLD);
    assert_int_equal(e->sid, 1000001);
    assert_int_equal(e->spec->type, THRESH_TYPE_BOTH);
    assert_int_equal(e->spec->track, THRESH_TRACK_FLOW);
    assert_int_equal(e->spec->count, 5);
    e = threshold_config_entry(tc, 1);
    assert_int_equal(e->kind, THRESH_ENTRY_EVENT_FILTER);
    assert_int_equal(e->line, 3);
    assert_int_equal(e->spec->seconds, 10);
    e = threshold_config_entry(tc, 2);
    assert_int_equal(e->kind, THRESH_ENTRY_SUPPRESS);
    assert_null(e->spec);
    e = threshold_config_entry(tc, 3);
    assert_int_equal(e->spec->track, THRESH_TRACK_EITHER);
    e = threshold_config_entry(tc, 5);
    assert_int_equal(e->kind, THRESH_ENTRY_RATE_FILTER);
    assert_int_equal(e->spec->new_action, THRESH_ACTION_PASS);
    assert_int_equal(e->spec->timeout, 1000);
    assert_int_equal(e->spec->track, THRESH_TRACK_RULE);

    /* suppress by ip at runtime */
    ThresholdState *st = threshold_state_new(64, THRESHOLD_DEFAULT_MEMCAP);
    Packet p;
    mkpkt(&p, ip4(192, 168, 1, 1), ip4(145, 254, 160, 237), 1, NULL);
    assert_int_equal(threshold_apply(st, threshold_config_entry(tc, 3)->spec, 1, 4, &p, NULL), THRESH_SILENT);
    assert_int_equal(threshold_apply(st, threshold_config_entry(tc, 4)->spec, 1, 5, &p, NULL), THRESH_ALERT);
    mkpkt(&p, ip4(145, 254, 160, 237), ip4(192, 168, 1, 1), 1, NULL);
    assert_int_equal(threshold_apply(st, threshold_config_entry(tc, 4)->spec, 1, 5, &p, NULL), THRESH_SILENT);
    mkpkt(&p, ip4(192, 168, 1, 1), ip4(192, 168, 1, 2), 1, NULL);
    assert_int_equal(threshold_apply(st, threshold_config_entry(tc, 3)->spec, 1, 4, &p, NULL), THRESH_ALERT);
    threshold_state_free(st);
    threshold_config_free(tc);

    tc = threshold_config_load("/nonexistent/threshold.config", c, &addr_ops, err, sizeof(err));
    assert_true(threshold_config_missing(tc));
    threshold_config_free(tc);
    assert_non_null(strstr(threshold_config_path(c), "threshold.config"));
    conf_set_value(c, "threshold-file", "/t/th.config", "<test>");
    assert_string_equal(threshold_config_path(c), "/t/th.config");
    conf_free(c);
}

typedef struct TestSig {
    Signature s;
    SigMatchList list;
    SigMatch sm;
} TestSig;

static void mksig(TestSig *t, uint32_t gid, uint32_t sid, ThresholdSpec *own)
{
    memset(t, 0, sizeof(*t));
    t->s.gid = gid;
    t->s.sid = sid;
    if (own) {
        t->sm.ctx = own;
        t->list.list_id = SIG_LIST_SUPPRESS;
        t->list.count = t->list.cap = 1;
        t->list.items = &t->sm;
        t->s.lists = &t->list;
        t->s.list_count = 1;
    }
}

static void test_plan(void **state)
{
    (void)state;
    ThresholdSpec *own1 = kw("type limit, track by_src, count 9, seconds 9");
    ThresholdSpec *own3 = df("track by_src, count 9, seconds 9");
    TestSig t[5];
    mksig(&t[0], 1, 1, own1);
    mksig(&t[1], 1, 2, NULL);
    mksig(&t[2], 1, 3, own3);
    mksig(&t[3], 2, 4, NULL);
    mksig(&t[4], 1, 5, NULL);
    Signature *sigs[5] = { &t[0].s, &t[1].s, &t[2].s, &t[3].s, &t[4].s };
    const char *text = "threshold gen_id 1, sig_id 1, type limit, track by_dst, count 1, seconds 1\n"
                       "threshold gen_id 0, sig_id 0, type threshold, track by_rule, count 2, seconds 2\n"
                       "suppress gen_id 1, sig_id 5\n"
                       "suppress gen_id 0, sig_id 0, track by_src, ip 1.2.3.4\n"
                       "rate_filter gen_id 2, sig_id 0, track by_rule, count 1, seconds 1, new_action drop, timeout 1\n"
                       "threshold gen_id 1, sig_id 99, type limit, track by_dst, count 1, seconds 1\n";
    char err[256];
    ThresholdConfig *tc = threshold_config_load_string(text, "t.config", NULL, &addr_ops, err, sizeof(err));
    assert_int_equal(threshold_config_errors(tc), 0);
    ThresholdPlan *plan = threshold_plan_build(tc, sigs, 5);
    assert_non_null(plan);
    /* sig 1: the exact entry replaced the rule's own limit */
    const ThresholdSigPlan *sp = threshold_plan_get(plan, 0);
    assert_int_equal(sp->threshold_count, 1);
    assert_ptr_equal(sp->thresholds[0], threshold_config_entry(tc, 0)->spec);
    assert_int_equal(sp->suppress_count, 1);
    /* sig 2: got the wildcard */
    sp = threshold_plan_get(plan, 1);
    assert_int_equal(sp->threshold_count, 1);
    assert_ptr_equal(sp->thresholds[0], threshold_config_entry(tc, 1)->spec);
    /* sig 3: kept its own detection_filter (wildcards skip it) */
    sp = threshold_plan_get(plan, 2);
    assert_int_equal(sp->threshold_count, 1);
    assert_ptr_equal(sp->thresholds[0], own3);
    /* sig 4 (gid 2): the wildcard threshold came first, so the gid-2 rate
     * filter was skipped */
    sp = threshold_plan_get(plan, 3);
    assert_int_equal(sp->threshold_count, 1);
    assert_ptr_equal(sp->thresholds[0], threshold_config_entry(tc, 1)->spec);
    /* sig 5: noalert */
    sp = threshold_plan_get(plan, 4);
    assert_true(sp->noalert);

    /* threshold_check: suppression first, then thresholds */
    ThresholdState *st = threshold_state_new(64, THRESHOLD_DEFAULT_MEMCAP);
    Packet p;
    mkpkt(&p, ip4(1, 2, 3, 4), ip4(5, 5, 5, 5), 1, NULL);
    assert_int_equal(threshold_check(st, threshold_plan_get(plan, 0), 1, 1, &p, NULL), THRESH_SILENT);
    mkpkt(&p, ip4(1, 1, 1, 1), ip4(5, 5, 5, 5), 1, NULL);
    assert_int_equal(threshold_check(st, threshold_plan_get(plan, 0), 1, 1, &p, NULL), THRESH_ALERT);
    assert_int_equal(threshold_check(st, threshold_plan_get(plan, 0), 1, 1, &p, NULL), THRESH_SILENT);
    assert_int_equal(threshold_check(st, threshold_plan_get(plan, 4), 1, 5, &p, NULL), THRESH_SILENT);
    /* non-IP packets are not thresholded */
    Packet q;
    memset(&q, 0, sizeof(q));
    assert_int_equal(threshold_check(st, threshold_plan_get(plan, 0), 1, 1, &q, NULL), THRESH_ALERT);
    assert_int_equal(threshold_check(st, NULL, 1, 1, &p, NULL), THRESH_ALERT);
    threshold_state_free(st);

    threshold_plan_free(plan);
    /* without config: only the rules' own */
    plan = threshold_plan_build(NULL, sigs, 5);
    assert_ptr_equal(threshold_plan_get(plan, 0)->thresholds[0], own1);
    assert_null(threshold_plan_get(plan, 1));
    threshold_plan_free(plan);
    threshold_config_free(tc);
    threshold_spec_free(own1);
    threshold_spec_free(own3);
}

static void test_plan_rate_check(void **state)
{
    (void)state;
    TestSig t;
    mksig(&t, 1, 1000001, NULL);
    Signature *sigs[1] = { &t.s };
    char err[256];
    ThresholdConfig *tc = threshold_config_load_string(
        "rate_filter gen_id 1, sig_id 1000001, track by_src, count 1, seconds 60, new_action drop, timeout 1000\n",
        "t", NULL, &addr_ops, err, sizeof(err));
    ThresholdPlan *plan = threshold_plan_build(tc, sigs, 1);
    ThresholdState *st = threshold_state_new(64, THRESHOLD_DEFAULT_MEMCAP);
    Packet p;
    ThresholdResult r;
    mkpkt(&p, ip4(1, 1, 1, 1), ip4(2, 2, 2, 2), 1, NULL);
    assert_int_equal(threshold_check(st, threshold_plan_get(plan, 0), 1, 1000001, &p, &r), THRESH_ALERT);
    assert_false(r.action_modified);
    assert_int_equal(threshold_check(st, threshold_plan_get(plan, 0), 1, 1000001, &p, &r), THRESH_ALERT);
    assert_true(r.action_modified);
    assert_int_equal(r.new_action, THRESH_ACTION_DROP);
    threshold_state_free(st);
    threshold_plan_free(plan);
    threshold_config_free(tc);
}

/* ---- deferred checks: the split halves and which plans span pairs ------- */

static void test_plan_spans_pairs(void **state)
{
    (void)state;
    ThresholdSpec *src = kw("type both, track by_src, count 5, seconds 60");
    ThresholdSpec *rule = kw("type limit, track by_rule, count 1, seconds 60");
    ThresholdSpec *flow = kw("type limit, track by_flow, count 1, seconds 60");
    ThresholdSpec *pair = kw("type limit, track by_both, count 1, seconds 60");
    ThresholdSpec rate = { .type = THRESH_TYPE_RATE, .track = THRESH_TRACK_SRC, .count = 1, .seconds = 1,
                           .new_action = THRESH_ACTION_DROP, .timeout = 5 };
    const ThresholdSpec *l1[] = { src }, *l2[] = { rule }, *l3[] = { flow }, *l4[] = { pair }, *l5[] = { flow, src },
                        *l6[] = { src, &rate };
    ThresholdSigPlan p = { 0 };
    p.threshold_count = 1;
    p.thresholds = l1;
    assert_true(threshold_plan_spans_pairs(&p));
    p.thresholds = l2;
    assert_true(threshold_plan_spans_pairs(&p));
    p.thresholds = l3; /* by_flow and by_both stay with the pair's worker */
    assert_false(threshold_plan_spans_pairs(&p));
    p.thresholds = l4;
    assert_false(threshold_plan_spans_pairs(&p));
    p.threshold_count = 2;
    p.thresholds = l5;
    assert_true(threshold_plan_spans_pairs(&p));
    p.thresholds = l6; /* a rate_filter changes the action: decided at once */
    assert_false(threshold_plan_spans_pairs(&p));
    assert_false(threshold_plan_spans_pairs(NULL));
    threshold_spec_free(src);
    threshold_spec_free(rule);
    threshold_spec_free(flow);
    threshold_spec_free(pair);
}

static void test_split_check_matches_whole_check(void **state)
{
    (void)state;
    ThresholdSpec *both = kw("type both, track by_src, count 2, seconds 60");
    ThresholdSpec *flow = df("track by_flow, count 1, seconds 600");
    const ThresholdSpec *list[] = { both, flow };
    ThresholdSigPlan plan = { 0 };
    plan.thresholds = list;
    plan.threshold_count = 2;
    ThresholdState *whole = threshold_state_new(64, 1 << 20), *split = threshold_state_new(64, 1 << 20);
    Flow f;
    memset(&f, 0, sizeof(f));
    f.flow_id = 7;
    int alerts = 0;
    for (int i = 0; i < 12; i++) {
        Packet p;
        mkpkt(&p, ip4(10, 0, 0, 1), ip4(10, 0, 1, (uint8_t)(i % 3)), 100 + i * 7, &f);
        ThresholdVerdict a = threshold_check(whole, &plan, 1, 5, &p, NULL);
        ThresholdVerdict b = threshold_check_suppressions(&plan, &p, NULL);
        assert_int_equal(b, THRESH_ALERT);
        ThresholdSubject subj;
        threshold_subject_of(&subj, &p);
        assert_true(subj.has_flow && subj.flow_id == 7 && subj.ts == p.ts);
        b = threshold_check_thresholds(split, &plan, 1, 5, &subj, NULL);
        assert_int_equal(a, b);
        alerts += a == THRESH_ALERT;
    }
    assert_true(alerts > 0 && alerts < 12);
    /* noalert and suppressions are the stateless half */
    plan.noalert = true;
    Packet p;
    mkpkt(&p, ip4(10, 0, 0, 1), ip4(10, 0, 1, 1), 500, &f);
    assert_int_equal(threshold_check_suppressions(&plan, &p, NULL), THRESH_SILENT);
    threshold_state_free(whole);
    threshold_state_free(split);
    threshold_spec_free(both);
    threshold_spec_free(flow);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class_config_parse),
        cmocka_unit_test(test_class_config_files),
        cmocka_unit_test(test_reference_config),
        cmocka_unit_test(test_keyword_parse),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_threshold_type),
        cmocka_unit_test(test_both),
        cmocka_unit_test(test_detection_filter_flow),
        cmocka_unit_test(test_limit_by_flow_verify),
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_tracking),
        cmocka_unit_test(test_rate_filter),
        cmocka_unit_test(test_memcap_eviction),
        cmocka_unit_test(test_config_parse),
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_plan_rate_check),
        cmocka_unit_test(test_plan_spans_pairs),
        cmocka_unit_test(test_split_check_matches_whole_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
