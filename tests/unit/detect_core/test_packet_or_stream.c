/*
 * Unit tests of how a TCP payload rule chooses between the packet payload
 * and the reassembled stream, as Suricata's rule setup decides it: plain
 * contents inspect the stream; a content anchored with depth or offset also
 * inspects every packet; dsize and flags make the rule packet-only; flow:
 * only_stream and tcp-stream keep it on the stream.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

static uint32_t rule_flags(const char *text)
{
    static Conf *c;
    if (!c)
        c = conf_new_empty();
    keywords_init();
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, c, "t.rules", 1);
    Signature *s = rule_parse(&rp, text);
    if (!s)
        fail_msg("rule failed: %s: %s", rp.has_error ? rp.error : "", text);
    uint32_t flags = s->flags;
    signature_free(s);
    return flags;
}

#define PKT_OR_STREAM (SIG_FLAG_NO_STREAM | SIG_FLAG_ONLY_STREAM | SIG_FLAG_STREAM_AND_PACKET)

static void test_plain_content_is_stream(void **state)
{
    (void)state;
    assert_int_equal(rule_flags("alert tcp any any -> any any (content:\"abc\"; sid:1;)") & PKT_OR_STREAM, 0);
    assert_int_equal(rule_flags("alert tcp any any -> any any (content:\"a\"; content:\"b\"; distance:2; sid:1;)") &
                         PKT_OR_STREAM,
                     0);
}

static void test_depth_or_offset_adds_packets(void **state)
{
    (void)state;
    assert_int_equal(rule_flags("alert tcp any any -> any any (content:\"GET \"; depth:4; sid:1;)") & PKT_OR_STREAM,
                     SIG_FLAG_STREAM_AND_PACKET);
    assert_int_equal(rule_flags("alert tcp any any -> any any (content:\"x\"; content:\"y\"; offset:3; sid:1;)") &
                         PKT_OR_STREAM,
                     SIG_FLAG_STREAM_AND_PACKET);
    /* only_stream stays on the stream */
    assert_int_equal(
        rule_flags("alert tcp any any -> any any (flow:only_stream; content:\"GET \"; depth:4; sid:1;)") & PKT_OR_STREAM,
        SIG_FLAG_ONLY_STREAM);
}

static void test_packet_properties_make_packet_only(void **state)
{
    (void)state;
    assert_int_equal(rule_flags("alert tcp any any -> any any (flags:S; content:\"GET\"; sid:1;)") & PKT_OR_STREAM,
                     SIG_FLAG_NO_STREAM);
    assert_int_equal(rule_flags("alert tcp any any -> any any (dsize:>3; content:\"GET\"; depth:3; sid:1;)") &
                         PKT_OR_STREAM,
                     SIG_FLAG_NO_STREAM);
    assert_int_equal(
        rule_flags("alert tcp-stream any any -> any any (flags:S; content:\"GET\"; sid:1;)") & PKT_OR_STREAM,
        SIG_FLAG_ONLY_STREAM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_content_is_stream),
        cmocka_unit_test(test_depth_or_offset_adds_packets),
        cmocka_unit_test(test_packet_properties_make_packet_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
