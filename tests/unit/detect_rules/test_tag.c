/*
 * The tag keyword: option parsing with Suricata's defaults and limits, the
 * rule-level setup (post-match list, several tags per rule), and the
 * tagging state -- session and host entries, the packet that alerted not
 * tagged, packet/byte/second budgets, re-arming, flow end and the caps.
 */
#include <stdlib.h>

#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"
#include "detect/tag.h"
#include "rules_test.h"

static char err[256];

static void test_tag_parse(void **state)
{
    (void)state;
    TagSpec t;
    assert_true(tag_parse("session", &t, err, sizeof(err)));
    assert_int_equal(t.type, TAG_TYPE_SESSION);
    assert_int_equal(t.count, 256);
    assert_int_equal(t.metric, TAG_METRIC_PACKETS);
    assert_true(tag_parse("host", &t, err, sizeof(err)));
    assert_int_equal(t.type, TAG_TYPE_HOST);
    assert_int_equal(t.direction, TAG_DIR_DST);
    assert_true(tag_parse(" session , 123 , packets", &t, err, sizeof(err)));
    assert_int_equal(t.count, 123);
    assert_true(tag_parse("host, 200, bytes, src", &t, err, sizeof(err)));
    assert_int_equal(t.metric, TAG_METRIC_BYTES);
    assert_int_equal(t.direction, TAG_DIR_SRC);
    assert_int_equal(t.count, 200);
    assert_true(tag_parse("host,300,seconds,dst", &t, err, sizeof(err)));
    assert_int_equal(t.metric, TAG_METRIC_SECONDS);
    assert_int_equal(t.count, 300);
    /* packet counts are capped at 256 */
    assert_true(tag_parse("session,1000,packets", &t, err, sizeof(err)));
    assert_int_equal(t.count, 256);

    assert_false(tag_parse("flow", &t, err, sizeof(err)));
    assert_non_null(strstr(err, "type"));
    assert_false(tag_parse("session,10", &t, err, sizeof(err)));
    assert_false(tag_parse("session,10,frames", &t, err, sizeof(err)));
    assert_false(tag_parse("session,-1,packets", &t, err, sizeof(err)));
    assert_false(tag_parse("host,10,packets,both", &t, err, sizeof(err)));
    assert_false(tag_parse("host,10,packets,src,x", &t, err, sizeof(err)));
    assert_false(tag_parse("", &t, err, sizeof(err)));
}

static void test_tag_rule(void **state)
{
    (void)state;
    keywords_init();
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, NULL, NULL, 1);
    Signature *s = rule_parse(&rp, "alert dns any any -> any any (dns.query; content:\"mail\"; "
                                   "tag:host,100,packets,src; tag:session; sid:1;)");
    if (!s)
        fail_msg("rejected: %s", rp.error);
    const SigMatchList *l = sig_list(s, SIG_LIST_POSTMATCH);
    assert_non_null(l);
    assert_int_equal(l->count, 2);
    const TagSpec *a = l->items[0].ctx, *b = l->items[1].ctx;
    assert_int_equal(a->type, TAG_TYPE_HOST);
    assert_int_equal(a->direction, TAG_DIR_SRC);
    assert_int_equal(b->type, TAG_TYPE_SESSION);
    signature_free(s);

    /* ET Open form */
    s = rule_parse(&rp, "alert tcp any any -> any 445 (content:\"|FF|SMB\"; tag:session,5,packets; sid:2;)");
    assert_non_null(s);
    signature_free(s);

    rule_parse_ctx_init(&rp, NULL, NULL, NULL, 1);
    assert_null(rule_parse(&rp, "alert tcp any any -> any any (tag:sessions; sid:3;)"));
    assert_non_null(strstr(rp.error, "tag"));
}

static Address ip4(uint8_t last)
{
    Address a;
    memset(&a, 0, sizeof(a));
    a.family = 4;
    a.addr[0] = 10;
    a.addr[3] = last;
    return a;
}

static void test_tag_session(void **state)
{
    (void)state;
    TagTracker *t = tag_tracker_new(16);
    Address c = ip4(1), sv = ip4(2);
    TagSpec spec;
    assert_true(tag_parse("session,3,packets", &spec, err, sizeof(err)));
    /* the alerting packet (flow 7) adds the tag and is not itself tagged */
    assert_true(tag_tracker_add(t, &spec, 1, 100, true, 7, &c, &sv, 0));
    assert_false(tag_tracker_packet(t, true, 7, &c, &sv, 0, 60));
    assert_true(tag_tracker_packet(t, true, 7, &sv, &c, 1, 60));
    assert_false(tag_tracker_packet(t, true, 8, &c, &sv, 1, 60)); /* another flow */
    assert_true(tag_tracker_packet(t, true, 7, &c, &sv, 2, 60));
    assert_true(tag_tracker_packet(t, true, 7, &c, &sv, 3, 60));
    assert_false(tag_tracker_packet(t, true, 7, &c, &sv, 4, 60)); /* 3 packets used up */
    assert_int_equal(tag_tracker_entries(t), 0);

    /* no flow: a session tag cannot be kept */
    assert_false(tag_tracker_add(t, &spec, 1, 100, false, 0, &c, &sv, 0));
    assert_int_equal(tag_tracker_dropped(t), 1);

    /* bytes */
    assert_true(tag_parse("session,100,bytes", &spec, err, sizeof(err)));
    assert_true(tag_tracker_add(t, &spec, 1, 101, true, 9, &c, &sv, 0));
    assert_false(tag_tracker_packet(t, true, 9, &c, &sv, 0, 40));
    assert_true(tag_tracker_packet(t, true, 9, &c, &sv, 0, 60));
    assert_true(tag_tracker_packet(t, true, 9, &c, &sv, 0, 40));
    assert_false(tag_tracker_packet(t, true, 9, &c, &sv, 0, 1));

    /* seconds, and the flow ending */
    assert_true(tag_parse("session,2,seconds", &spec, err, sizeof(err)));
    assert_true(tag_tracker_add(t, &spec, 1, 102, true, 10, &c, &sv, 5 * OD_USEC_PER_SEC));
    assert_false(tag_tracker_packet(t, true, 10, &c, &sv, 5 * OD_USEC_PER_SEC, 1));
    assert_true(tag_tracker_packet(t, true, 10, &c, &sv, 7 * OD_USEC_PER_SEC, 1));
    assert_false(tag_tracker_packet(t, true, 10, &c, &sv, 8 * OD_USEC_PER_SEC, 1));
    assert_true(tag_tracker_add(t, &spec, 1, 102, true, 11, &c, &sv, 0));
    assert_int_equal(tag_tracker_entries(t), 1);
    tag_tracker_flow_end(t, 11);
    assert_int_equal(tag_tracker_entries(t), 0);
    assert_false(tag_tracker_packet(t, true, 11, &c, &sv, 0, 1));
    tag_tracker_free(t);
}

static void test_tag_host_and_limits(void **state)
{
    (void)state;
    TagTracker *t = tag_tracker_new(2);
    Address a = ip4(1), b = ip4(2), other = ip4(3);
    TagSpec spec;
    assert_true(tag_parse("host,2,packets,src", &spec, err, sizeof(err)));
    assert_true(tag_tracker_add(t, &spec, 1, 200, true, 1, &a, &b, 0));
    assert_false(tag_tracker_packet(t, true, 1, &a, &b, 0, 1));
    /* any packet to or from host a, in any flow */
    assert_true(tag_tracker_packet(t, true, 5, &other, &a, 0, 1));
    assert_false(tag_tracker_packet(t, true, 6, &other, &b, 0, 1));
    assert_true(tag_tracker_packet(t, false, 0, &a, &other, 0, 1));
    assert_false(tag_tracker_packet(t, false, 0, &a, &other, 0, 1));

    /* the same rule re-arms its entry; the key cap drops new keys */
    assert_true(tag_parse("session", &spec, err, sizeof(err)));
    assert_true(tag_tracker_add(t, &spec, 1, 300, true, 1, &a, &b, 0));
    assert_true(tag_tracker_add(t, &spec, 1, 300, true, 1, &a, &b, 0));
    assert_int_equal(tag_tracker_entries(t), 1);
    assert_true(tag_tracker_add(t, &spec, 1, 300, true, 2, &a, &b, 0));
    assert_false(tag_tracker_add(t, &spec, 1, 300, true, 3, &a, &b, 0));
    assert_int_equal(tag_tracker_dropped(t), 1);
    /* at most TAG_MAX_PER_KEY rules on one flow */
    for (uint32_t sid = 1; sid < TAG_MAX_PER_KEY; sid++)
        assert_true(tag_tracker_add(t, &spec, 1, sid, true, 1, &a, &b, 0));
    assert_false(tag_tracker_add(t, &spec, 1, 999, true, 1, &a, &b, 0));
    tag_tracker_free(t);

    /* the thread tracker exists and is released */
    assert_non_null(tag_tracker_thread());
    tag_tracker_thread_free();
}

int run_tag_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tag_parse),
        cmocka_unit_test(test_tag_rule),
        cmocka_unit_test(test_tag_session),
        cmocka_unit_test(test_tag_host_and_limits),
    };
    return cmocka_run_group_tests_name("tag", tests, NULL, NULL);
}
