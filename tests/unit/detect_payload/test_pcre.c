/*
 * pcre: value parsing (negation, quotes, modifiers, legacy buffer letters,
 * capture variables, Suricata's rejections) and matching per the inspect.h
 * contract (relative subject, retry positions, negation, match limits).
 */
#include <stdio.h>
#include <stdlib.h>

#include "detect/pcre-match.h"
#include "payload_test.h"

static char err[512];

static void test_pcre_parse_flags(void **state)
{
    (void)state;
    DetectPcre *pd = pcre_parse("\"/fo+/ismxAEG\"", err, sizeof(err));
    assert_non_null(pd);
    assert_string_equal(pd->pattern, "fo+");
    uint32_t want = PCRE2_CASELESS | PCRE2_DOTALL | PCRE2_MULTILINE | PCRE2_EXTENDED | PCRE2_ANCHORED |
                    PCRE2_DOLLAR_ENDONLY | PCRE2_UNGREEDY;
    assert_int_equal(pd->compile_opts, want);
    assert_false(pd->negate);
    assert_null(pd->buffer);
    pcre_free(pd);

    pd = pcre_parse("!\"/a\\/b/RO\"", err, sizeof(err));
    assert_non_null(pd);
    assert_true(pd->negate);
    assert_true(pd->relative);
    assert_true(pd->no_limits);
    assert_string_equal(pd->pattern, "a\\/b");
    pcre_free(pd);

    /* unquoted, as a parser that strips quotes would pass it */
    pd = pcre_parse("/x/i", err, sizeof(err));
    assert_non_null(pd);
    assert_true(pd->compile_opts & PCRE2_CASELESS);
    pcre_free(pd);

    /* slashes inside: the last one closes */
    pd = pcre_parse("\"/GET \\/a\\/b/\"", err, sizeof(err));
    assert_non_null(pd);
    pcre_free(pd);

    pd = pcre_parse("\"/x/B\"", err, sizeof(err));
    assert_non_null(pd);
    assert_true(pd->rawbytes);
    pcre_free(pd);
}

static void test_pcre_buffer_flags(void **state)
{
    (void)state;
    static const struct {
        char flag;
        const char *buf;
    } map[] = {
        { 'U', "http.uri" },        { 'I', "http.uri.raw" },    { 'P', "http.client_body" },
        { 'Q', "file.data" },       { 'H', "http.header" },     { 'D', "http.header.raw" },
        { 'M', "http.method" },     { 'C', "http.cookie" },     { 'S', "http.stat_code" },
        { 'Y', "http.stat_msg" },   { 'V', "http.user_agent" }, { 'W', "http.host" },
        { 'Z', "http.host.raw" },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        char v[32];
        snprintf(v, sizeof(v), "\"/abc/%ci\"", map[i].flag);
        DetectPcre *pd = pcre_parse(v, err, sizeof(err));
        assert_non_null(pd);
        assert_string_equal(pd->buffer, map[i].buf);
        assert_int_equal(pd->buffer_flag, map[i].flag);
        pcre_free(pd);
    }
    assert_null(pcre_parse("\"/x/UH\"", err, sizeof(err)));
    assert_non_null(strstr(err, "one buffer"));
    assert_null(pcre_parse("\"/x/UB\"", err, sizeof(err)));
    assert_null(pcre_parse("\"/x/BU\"", err, sizeof(err)));
    /* the host buffer is lower case */
    assert_null(pcre_parse("\"/Host/W\"", err, sizeof(err)));
    DetectPcre *pd = pcre_parse("\"/Host/Wi\"", err, sizeof(err));
    assert_non_null(pd);
    pcre_free(pd);
    pd = pcre_parse("\"/\\Shost/W\"", err, sizeof(err));
    assert_non_null(pd);
    pcre_free(pd);
}

static void test_pcre_parse_errors(void **state)
{
    (void)state;
    assert_null(pcre_parse("\"/x/k\"", err, sizeof(err)));
    assert_non_null(strstr(err, "'k'"));
    assert_null(pcre_parse("\"/(unclosed/\"", err, sizeof(err)));
    assert_non_null(strstr(err, "invalid regex"));
    assert_null(pcre_parse("\"x\"", err, sizeof(err)));
    assert_null(pcre_parse("\"/x\"", err, sizeof(err)));
    assert_null(pcre_parse("\"/x/", err, sizeof(err)));
    assert_null(pcre_parse("", err, sizeof(err)));
    assert_null(pcre_parse(NULL, err, sizeof(err)));
    assert_null(pcre_parse("\"/x/\" junk", err, sizeof(err)));
}

static void test_pcre_captures(void **state)
{
    (void)state;
    DetectPcre *pd = pcre_parse("\"/(?P<pkt_user>[a-z]+):(?P<flow_pass>\\d+)/\"", err, sizeof(err));
    assert_non_null(pd);
    assert_int_equal(pd->capture_count, 2);
    assert_string_equal(pd->captures[0].name, "user");
    assert_int_equal(pd->captures[0].kind, PCRE_CAPTURE_PKT);
    assert_int_equal(pd->captures[0].group, 1);
    assert_string_equal(pd->captures[1].name, "pass");
    assert_int_equal(pd->captures[1].kind, PCRE_CAPTURE_FLOW);
    InspectCursor c = test_cursor("login bob:1234 ok");
    uint32_t ov[6];
    assert_int_equal(pcre_inspect(pd, &c, ov, 3), INSPECT_MATCH);
    assert_int_equal(ov[2], 6);
    assert_int_equal(ov[3], 9);
    assert_int_equal(ov[4], 10);
    assert_int_equal(ov[5], 14);
    pcre_free(pd);

    pd = pcre_parse("\"/(a+)(b+)/\", pkt:first, flow:second", err, sizeof(err));
    assert_non_null(pd);
    assert_int_equal(pd->capture_count, 2);
    assert_string_equal(pd->captures[1].name, "second");
    assert_int_equal(pd->captures[1].group, 2);
    pcre_free(pd);

    /* the variable list inside the quotes (Suricata 8) */
    pd = pcre_parse("\"/^([a-z]+).*U\\/(\\d).*F\\/(.*)/i,alert:ua, flow:ubuntu, pkt:firefox\"", err, sizeof(err));
    assert_non_null(pd);
    assert_string_equal(pd->flags, "i");
    assert_int_equal(pd->capture_count, 3);
    assert_int_equal(pd->captures[0].kind, PCRE_CAPTURE_ALERT);
    assert_string_equal(pd->captures[2].name, "firefox");
    assert_int_equal(pd->captures[2].group, 3);
    pcre_free(pd);

    assert_null(pcre_parse("\"/(a)/\", bogus:x", err, sizeof(err)));
}

static void test_pcre_inspect(void **state)
{
    (void)state;
    DetectPcre *pd = pcre_parse("\"/b+/\"", err, sizeof(err));
    InspectCursor c = test_cursor("aabbbcbb");
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_MATCH);
    assert_int_equal(c.offset, 5);
    assert_int_equal(c.next_retry, 3);
    assert_true(c.retryable);
    /* retry from next_retry finds the overlapping later match */
    c.retry_from = c.next_retry;
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_MATCH);
    assert_int_equal(c.next_retry, 4);
    c.retry_from = 6;
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_MATCH);
    assert_int_equal(c.offset, 8);
    c.retry_from = 9;
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_NO_MATCH);
    pcre_free(pd);

    /* relative: ^ anchors at the cursor */
    pd = pcre_parse("\"/^cd/R\"", err, sizeof(err));
    c = test_cursor("abcdcd");
    c.offset = 2;
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_MATCH);
    assert_int_equal(c.offset, 4);
    c.offset = 3;
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_NO_MATCH);
    pcre_free(pd);

    /* negation */
    pd = pcre_parse("!\"/xyz/\"", err, sizeof(err));
    c = test_cursor("abc");
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_MATCH);
    assert_false(c.retryable);
    c = test_cursor("abxyz");
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_NO_MATCH);
    pcre_free(pd);

    /* caseless, empty buffer */
    pd = pcre_parse("\"/HELLO/i\"", err, sizeof(err));
    c = test_cursor("say hello");
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_MATCH);
    c = test_cursor("");
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_NO_MATCH);
    pcre_free(pd);

    /* binary data with NULs */
    pd = pcre_parse("\"/\\x00\\x01[\\x02-\\x03]/\"", err, sizeof(err));
    static const uint8_t bin[] = { 9, 0, 1, 3, 4 };
    c = test_cursor_bin(bin, sizeof(bin));
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_MATCH);
    assert_int_equal(c.offset, 4);
    pcre_free(pd);
}

static void test_pcre_match_limit(void **state)
{
    (void)state;
    /* catastrophic backtracking: the default limit stops it (no match),
     * the O flag lifts the limit and the regex runs to its (failing) end */
    char subject[40];
    memset(subject, 'a', 30);
    subject[30] = '!';
    subject[31] = '\0';
    DetectPcre *pd = pcre_parse("\"/^(a+)+$/\"", err, sizeof(err));
    assert_non_null(pd);
    InspectCursor c = test_cursor(subject);
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_NO_MATCH);
    pcre_free(pd);
    /* a negated regex that hits the limit is not a match either */
    pd = pcre_parse("!\"/^(a+)+$/\"", err, sizeof(err));
    c = test_cursor(subject);
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_NO_MATCH);
    pcre_free(pd);
    /* a regex within limits still matches */
    pd = pcre_parse("\"/a{30}!/\"", err, sizeof(err));
    c = test_cursor(subject);
    assert_int_equal(pcre_inspect(pd, &c, NULL, 0), INSPECT_MATCH);
    pcre_free(pd);
    pcre_thread_cleanup();
}

int run_pcre_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pcre_parse_flags), cmocka_unit_test(test_pcre_buffer_flags),
        cmocka_unit_test(test_pcre_parse_errors), cmocka_unit_test(test_pcre_captures),
        cmocka_unit_test(test_pcre_inspect),      cmocka_unit_test(test_pcre_match_limit),
    };
    return cmocka_run_group_tests_name("pcre", tests, NULL, NULL);
}
