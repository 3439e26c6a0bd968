/*
 * Unit tests of the header-field memo (detect/header-memo.h) and the set
 * copies it hands out: a copy matches exactly what the original matches and
 * owns its memory; a text is found again only under its own kind; the memo
 * grows past its first table and stops keeping at HEADER_MEMO_MAX, nor
 * keeps a text longer than HEADER_MEMO_TEXT_MAX; and a
 * rule parsed with a memo reports a bad field every time it appears.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr_test_util.h"
#include "conf/conf.h"
#include "detect/header-memo.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

static const TestVar vars[] = {
    { "HOME_NET", "[10.0.0.0/8,192.168.0.0/16,2001:db8::/32]" },
    { "EXTERNAL_NET", "!$HOME_NET" },
    { NULL, NULL },
};

static void assert_same_ranges(const AddressSet *a, const AddressSet *b)
{
    char fa[512], fb[512];
    assert_true(address_set_format(a, fa, sizeof(fa)));
    assert_true(address_set_format(b, fb, sizeof(fb)));
    assert_string_equal(fa, fb);
    assert_int_equal(address_set_is_any(a), address_set_is_any(b));
}

static void test_copies_match_as_the_original(void **state)
{
    (void)state;
    char err[256];
    const char *texts[] = { "$EXTERNAL_NET", "$HOME_NET", "any", "1.2.3.4" };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        AddressSet *a = address_set_parse(texts[i], test_var_lookup, (void *)vars, err, sizeof(err));
        assert_non_null(a);
        AddressSet *c = address_set_clone(a);
        assert_non_null(c);
        assert_same_ranges(a, c);
        const char *probes[] = { "10.1.2.3", "8.8.8.8", "2001:db8::1", "2001:db9::1", "1.2.3.4" };
        for (size_t k = 0; k < sizeof(probes) / sizeof(probes[0]); k++) {
            Address x = test_addr(probes[k]);
            assert_int_equal(address_set_match(a, &x), address_set_match(c, &x));
        }
        address_set_free(a); /* the copy lives on: its memory is its own */
        Address x = test_addr("10.1.2.3");
        (void)address_set_match(c, &x);
        address_set_free(c);
    }
    PortSet *p = port_set_parse("[80,443,8000:8100,!8080]", NULL, NULL, err, sizeof(err));
    assert_non_null(p);
    PortSet *pc = port_set_clone(p);
    assert_non_null(pc);
    port_set_free(p);
    for (uint32_t port = 0; port < 65536; port += 7)
        assert_int_equal(port_set_match(pc, (uint16_t)port),
                         port == 80 || port == 443 || (port >= 8000 && port <= 8100 && port != 8080));
    port_set_free(pc);
}

static void test_memo_finds_texts_of_their_own_kind(void **state)
{
    (void)state;
    char err[256];
    HeaderMemo *m = header_memo_new();
    assert_non_null(m);
    assert_null(header_memo_address(m, "$HOME_NET"));
    AddressSet *home = address_set_parse("$HOME_NET", test_var_lookup, (void *)vars, err, sizeof(err));
    assert_non_null(home);
    header_memo_keep_address(m, "$HOME_NET", home);
    AddressSet *again = header_memo_address(m, "$HOME_NET");
    assert_non_null(again);
    assert_true(again != home);
    assert_same_ranges(home, again);
    address_set_free(again);
    address_set_free(home); /* the memo keeps its own copy */
    again = header_memo_address(m, "$HOME_NET");
    assert_non_null(again);
    address_set_free(again);
    /* the same text as a port field is another entry */
    assert_null(header_memo_port(m, "$HOME_NET"));
    assert_null(header_memo_address(m, "$HOME_NE"));
    header_memo_free(m);
    header_memo_address(NULL, "any"); /* no memo: nothing found */
}

static void test_memo_grows_then_stops_at_its_cap(void **state)
{
    (void)state;
    char err[256], text[32];
    HeaderMemo *m = header_memo_new();
    assert_non_null(m);
    PortSet *p = port_set_parse("80", NULL, NULL, err, sizeof(err));
    assert_non_null(p);
    for (unsigned i = 0; i < HEADER_MEMO_MAX + 10; i++) {
        snprintf(text, sizeof(text), "[%u,80]", i);
        header_memo_keep_port(m, text, p);
    }
    for (unsigned i = 0; i < HEADER_MEMO_MAX + 10; i++) {
        snprintf(text, sizeof(text), "[%u,80]", i);
        PortSet *got = header_memo_port(m, text);
        if (i < HEADER_MEMO_MAX) {
            assert_non_null(got);
            assert_true(port_set_match(got, 80));
            port_set_free(got);
        } else {
            assert_null(got); /* past the cap: not kept */
        }
    }
    port_set_free(p);
    header_memo_free(m);
    /* a text longer than HEADER_MEMO_TEXT_MAX is not kept */
    m = header_memo_new();
    AddressSet *any = address_set_parse("any", NULL, NULL, err, sizeof(err));
    assert_non_null(any);
    char long_text[HEADER_MEMO_TEXT_MAX + 2];
    memset(long_text, 'a', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    header_memo_keep_address(m, long_text, any);
    assert_null(header_memo_address(m, long_text));
    long_text[HEADER_MEMO_TEXT_MAX] = '\0'; /* at the limit: kept */
    header_memo_keep_address(m, long_text, any);
    AddressSet *got = header_memo_address(m, long_text);
    assert_non_null(got);
    assert_true(address_set_is_any(got));
    address_set_free(got);
    address_set_free(any);
    header_memo_free(m);
}

static Signature *parse_with(RuleParseCtx *rp, Conf *c, HeaderMemo *m, const char *text)
{
    rule_parse_ctx_init(rp, NULL, c, "t.rules", 1);
    rp->memo = m;
    return rule_parse(rp, text);
}

static void test_rules_share_fields_and_report_bad_ones_each_time(void **state)
{
    (void)state;
    keywords_init();
    Conf *c = conf_new_empty();
    assert_non_null(c);
    HeaderMemo *m = header_memo_new();
    RuleParseCtx rp;
    Signature *a = parse_with(&rp, c, m, "alert tcp [1.2.3.0/24,!1.2.3.4] any -> any [80,443] (sid:1;)");
    Signature *b = parse_with(&rp, c, m, "alert tcp [1.2.3.0/24,!1.2.3.4] any -> any [80,443] (sid:2;)");
    assert_non_null(a);
    assert_non_null(b);
    assert_true(a->src != b->src && a->dp != b->dp); /* each rule owns its sets */
    assert_same_ranges(a->src, b->src);
    Address in = test_addr("1.2.3.5"), out = test_addr("1.2.3.4");
    assert_true(address_set_match(b->src, &in));
    assert_false(address_set_match(b->src, &out));
    assert_true(port_set_match(b->dp, 443));
    assert_false(port_set_match(b->dp, 444));
    signature_free(a);
    signature_free(b);
    for (int i = 0; i < 2; i++) {
        assert_null(parse_with(&rp, c, m, "alert tcp 1.2.3 any -> any any (sid:3;)"));
        assert_true(rp.has_error);
        assert_non_null(strstr(rp.error, "source address"));
    }
    header_memo_free(m);
    conf_free(c);
}

int run_header_memo_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copies_match_as_the_original),
        cmocka_unit_test(test_memo_finds_texts_of_their_own_kind),
        cmocka_unit_test(test_memo_grows_then_stops_at_its_cap),
        cmocka_unit_test(test_rules_share_fields_and_report_bad_ones_each_time),
    };
    return cmocka_run_group_tests_name("header-memo", tests, NULL, NULL);
}
