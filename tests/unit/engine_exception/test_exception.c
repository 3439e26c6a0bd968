/*
 * Unit tests of the exception policies: reading them from the configuration
 * (key, master switch, auto, IDS/IPS, midstream rules), which counters
 * exist, and what applying one does to the packet verdict, the flow and
 * the counters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "detect/detect.h"
#include "engine/exception-verdict.h"
#include "flow/exception-policy.h"

static ExceptionPolicy read_one(const char *yaml, ExceptionTarget t, bool ips, bool midstream_on, bool *ok)
{
    Conf *c = conf_new_empty();
    assert_non_null(c);
    char err[256] = "";
    if (yaml)
        assert_true(conf_load_string(c, yaml, "test", err, sizeof(err)));
    ExceptionPolicy p = EXC_POLICY_MAX;
    *ok = exception_policy_read(c, t, ips, midstream_on, &p, err, sizeof(err));
    conf_free(c);
    return p;
}

static void test_auto_depends_on_mode(void **state)
{
    (void)state;
    bool ok;
    assert_int_equal(read_one(NULL, EXC_TARGET_STREAM_MIDSTREAM, false, false, &ok), EXC_POLICY_IGNORE);
    assert_true(ok);
    assert_int_equal(read_one(NULL, EXC_TARGET_STREAM_MIDSTREAM, true, false, &ok), EXC_POLICY_DROP_FLOW);
    /* midstream on: auto is ignore for the midstream key only */
    assert_int_equal(read_one(NULL, EXC_TARGET_STREAM_MIDSTREAM, true, true, &ok), EXC_POLICY_IGNORE);
    assert_int_equal(read_one(NULL, EXC_TARGET_STREAM_MEMCAP, true, true, &ok), EXC_POLICY_DROP_FLOW);
    /* no flow to drop yet: per packet */
    assert_int_equal(read_one(NULL, EXC_TARGET_FLOW_MEMCAP, true, false, &ok), EXC_POLICY_DROP_PACKET);
    assert_int_equal(read_one(NULL, EXC_TARGET_DEFRAG_MEMCAP, true, false, &ok), EXC_POLICY_DROP_PACKET);
}

static void test_key_master_switch_and_ids(void **state)
{
    (void)state;
    bool ok;
    const char *master = "exception-policy: pass-flow\nstream:\n  memcap-policy: bypass\n";
    assert_int_equal(read_one(master, EXC_TARGET_STREAM_MEMCAP, false, false, &ok), EXC_POLICY_BYPASS);
    assert_int_equal(read_one(master, EXC_TARGET_APP_LAYER_ERROR, false, false, &ok), EXC_POLICY_PASS_FLOW);
    assert_int_equal(read_one(master, EXC_TARGET_FLOW_MEMCAP, false, false, &ok), EXC_POLICY_PASS_PACKET);
    /* drops only exist in IPS mode */
    const char *drop = "exception-policy: drop-flow\n";
    assert_int_equal(read_one(drop, EXC_TARGET_STREAM_MIDSTREAM, false, false, &ok), EXC_POLICY_IGNORE);
    assert_int_equal(read_one(drop, EXC_TARGET_STREAM_MIDSTREAM, true, false, &ok), EXC_POLICY_DROP_FLOW);
    /* an explicit master switch still reaches midstream when it is on */
    const char *bypass = "exception-policy: bypass\n";
    assert_int_equal(read_one(bypass, EXC_TARGET_STREAM_MIDSTREAM, true, true, &ok), EXC_POLICY_BYPASS);
    assert_true(ok);
}

static void test_invalid_values(void **state)
{
    (void)state;
    bool ok;
    read_one("exception-policy: sometimes\n", EXC_TARGET_STREAM_MEMCAP, true, false, &ok);
    assert_false(ok);
    /* the midstream key itself: only ignore or pass-flow with midstream on */
    read_one("stream:\n  midstream-policy: bypass\n", EXC_TARGET_STREAM_MIDSTREAM, true, true, &ok);
    assert_false(ok);
    assert_int_equal(read_one("stream:\n  midstream-policy: pass-flow\n", EXC_TARGET_STREAM_MIDSTREAM, true, true,
                             &ok),
            EXC_POLICY_PASS_FLOW);
    assert_true(ok);
}

static uint64_t bit(ExceptionTarget t, ExceptionPolicy p)
{
    return 1ull << (t * (EXC_POLICY_MAX - 1) + p - 1);
}

static void test_counter_mask(void **state)
{
    (void)state;
    ExceptionPolicies ep;
    memset(&ep, 0, sizeof(ep));
    assert_int_equal(exception_counter_mask(&ep, true, false), 0);
    ep.policy[EXC_TARGET_STREAM_MIDSTREAM] = EXC_POLICY_DROP_FLOW;
    ep.policy[EXC_TARGET_FLOW_MEMCAP] = EXC_POLICY_DROP_PACKET;
    uint64_t m = exception_counter_mask(&ep, true, false);
    assert_true(m & bit(EXC_TARGET_STREAM_MIDSTREAM, EXC_POLICY_DROP_FLOW));
    assert_true(m & bit(EXC_TARGET_STREAM_MIDSTREAM, EXC_POLICY_PASS_PACKET));
    assert_true(m & bit(EXC_TARGET_FLOW_MEMCAP, EXC_POLICY_DROP_PACKET));
    assert_false(m & bit(EXC_TARGET_FLOW_MEMCAP, EXC_POLICY_DROP_FLOW));
    assert_false(m & bit(EXC_TARGET_STREAM_MEMCAP, EXC_POLICY_DROP_FLOW));
    /* IDS: no drop counters */
    m = exception_counter_mask(&ep, false, false);
    assert_false(m & bit(EXC_TARGET_STREAM_MIDSTREAM, EXC_POLICY_DROP_FLOW));
    assert_true(m & bit(EXC_TARGET_STREAM_MIDSTREAM, EXC_POLICY_BYPASS));
    assert_string_equal(exception_policy_name(EXC_POLICY_DROP_FLOW), "drop_flow");
    assert_string_equal(exception_target_name(EXC_TARGET_STREAM_MIDSTREAM), "stream_midstream");
}

static void test_apply(void **state)
{
    (void)state;
    Counters ctr;
    memset(&ctr, 0, sizeof(ctr));
    Flow f;
    memset(&f, 0, sizeof(f));
    ExceptionVerdict v;
    exception_verdict_reset(&v);

    /* ignore: only noted on the flow */
    exception_apply(&v, &ctr, &f, EXC_TARGET_STREAM_MIDSTREAM, EXC_POLICY_IGNORE);
    assert_false(v.skip_inspection);
    assert_int_equal(f.exceptions.fired, 1u << EXC_TARGET_STREAM_MIDSTREAM);
    assert_int_equal(f.exceptions.policy[EXC_TARGET_STREAM_MIDSTREAM], EXC_POLICY_IGNORE);
    assert_int_equal(f.action, FLOW_ACTION_NONE);

    /* drop-flow: flow and packet dropped, counted, reason the target's */
    exception_apply(&v, &ctr, &f, EXC_TARGET_STREAM_MIDSTREAM, EXC_POLICY_DROP_FLOW);
    assert_true(v.skip_inspection);
    assert_true(v.drop);
    assert_false(v.reject);
    assert_int_equal(v.drop_reason, DETECT_DROP_REASON_STREAM_MIDSTREAM);
    assert_string_equal(detect_drop_reason_name(v.drop_reason), "stream midstream");
    assert_int_equal(f.action, FLOW_ACTION_DROP);
    assert_int_equal(ctr.v[CTR_EXC_TCP_MIDSTREAM_DROP_FLOW], 1);
    assert_int_equal(exception_counter(EXC_TARGET_STREAM_MIDSTREAM, EXC_POLICY_DROP_FLOW),
            CTR_EXC_TCP_MIDSTREAM_DROP_FLOW);
    assert_non_null(f.detect);
    assert_true(f.detect->drop);
    detect_flow_free(&f);

    /* bypass: the flow is bypassed and passed, the packet not dropped */
    memset(&f, 0, sizeof(f));
    exception_verdict_reset(&v);
    exception_apply(&v, &ctr, &f, EXC_TARGET_STREAM_REASSEMBLY_MEMCAP, EXC_POLICY_BYPASS);
    assert_int_equal(f.state, FLOW_STATE_LOCAL_BYPASSED);
    assert_int_equal(f.action, FLOW_ACTION_PASS);
    assert_false(v.drop);
    assert_true(v.skip_inspection);
    assert_int_equal(ctr.v[CTR_EXC_TCP_REASSEMBLY_BYPASS], 1);
    detect_flow_free(&f);

    /* reject without a flow: the packet only */
    exception_verdict_reset(&v);
    exception_apply(&v, &ctr, NULL, EXC_TARGET_APP_LAYER_ERROR, EXC_POLICY_REJECT);
    assert_true(v.drop);
    assert_true(v.reject);
    assert_int_equal(v.drop_reason, DETECT_DROP_REASON_APPLAYER_ERROR);
    assert_int_equal(ctr.v[CTR_EXC_APP_LAYER_ERROR_REJECT], 1);
}

/* The stream stage's own drops: their EVE names and ips.drop_reason.*
 * counters (stream.drop-invalid, urgent policy drop). */
static void test_stream_drop_reasons(void **state)
{
    (void)state;
    assert_string_equal(detect_drop_reason_name(DETECT_DROP_REASON_STREAM_ERROR), "stream error");
    assert_int_equal(ips_drop_reason_counter(DETECT_DROP_REASON_STREAM_ERROR), CTR_IPS_DROP_REASON_STREAM_ERROR);
    assert_string_equal(detect_drop_reason_name(DETECT_DROP_REASON_STREAM_URGENT), "stream urgent");
    assert_int_equal(ips_drop_reason_counter(DETECT_DROP_REASON_STREAM_URGENT), CTR_IPS_DROP_REASON_STREAM_URGENT);
    assert_int_equal(ips_drop_reason_counter(DETECT_DROP_REASON_NONE), CTR_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auto_depends_on_mode),
        cmocka_unit_test(test_key_master_switch_and_ids),
        cmocka_unit_test(test_invalid_values),
        cmocka_unit_test(test_counter_mask),
        cmocka_unit_test(test_apply),
        cmocka_unit_test(test_stream_drop_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
