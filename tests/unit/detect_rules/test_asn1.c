/*
 * The asn1 keyword: option parsing (Suricata's forms, with or without
 * commas; conflicting and malformed options), the BER checks on the
 * examples of Suricata's own tests (X.690 Annex A record, bit strings with
 * too many unused bits, decimal REALs longer than 256 octets), offsets,
 * nesting, indefinite lengths, truncated data and the frame limit, and the
 * keyword inside an ET Open rule.
 */
#include <stdlib.h>

#include "detect/asn1-ber.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"
#include "rules_test.h"

static char err[256];

static Asn1Options opts(const char *s)
{
    Asn1Options o;
    if (!asn1_options_parse(s, &o, err, sizeof(err)))
        fail_msg("rejected '%s': %s", s, err);
    return o;
}

static void test_asn1_parse(void **state)
{
    (void)state;
    Asn1Options o = opts("double_overflow, bitstring_overflow, relative_offset 0, oversize_length 1024");
    assert_true(o.double_overflow);
    assert_true(o.bitstring_overflow);
    assert_true(o.has_relative);
    assert_int_equal(o.relative_offset, 0);
    assert_true(o.has_oversize);
    assert_int_equal(o.oversize_length, 1024);
    o = opts("oversize_length 132 absolute_offset 0");
    assert_true(o.has_absolute);
    assert_int_equal(o.oversize_length, 132);
    o = opts("relative_offset -10, bitstring_overflow");
    assert_int_equal(o.relative_offset, -10);

    Asn1Options bad;
    assert_false(asn1_options_parse("", &bad, err, sizeof(err)));
    assert_false(asn1_options_parse("absolute_offset 1, relative_offset 2", &bad, err, sizeof(err)));
    assert_non_null(strstr(err, "together"));
    assert_false(asn1_options_parse("oversize_length", &bad, err, sizeof(err)));
    assert_false(asn1_options_parse("oversize_length x", &bad, err, sizeof(err)));
    assert_false(asn1_options_parse("absolute_offset 70000", &bad, err, sizeof(err)));
    assert_false(asn1_options_parse("int_overflow", &bad, err, sizeof(err)));
    assert_false(asn1_options_parse("oversize_length 1, oversize_length 2", &bad, err, sizeof(err)));
}

/* X.690 Annex A.3 (a personnel record), as in Suricata's tests */
static const uint8_t A3[] = "\x60\x81\x85\x61\x10\x1A\x04John\x1A\x01P\x1A\x05Smith\xA0\x0A\x1A\x08" "Director"
                            "\x42\x01\x33\xA1\x0A\x43\x08" "19710917"
                            "\xA2\x12\x61\x10\x1A\x04Mary\x1A\x01T\x1A\x05Smith\xA3\x42\x31\x1F\x61\x11\x1A\x05Ralph"
                            "\x1A\x01T\x1A\x05Smith\xA0\x0A\x43\x08" "19571111"
                            "\x31\x1F\x61\x11\x1A\x05Susan\x1A\x01" "B\x1A\x05Jones\xA0\x0A\x43\x08" "19590717";

static void test_asn1_checks(void **state)
{
    (void)state;
    uint32_t a3_len = sizeof(A3) - 1;
    assert_int_equal(a3_len, 136);
    Asn1Options o = opts("oversize_length 132 absolute_offset 0");
    assert_true(asn1_check(&o, A3, a3_len, 0));
    o = opts("oversize_length 133 absolute_offset 0");
    assert_false(asn1_check(&o, A3, a3_len, 0));
    /* no object of the record is longer than its 133-octet outer one */
    o = opts("oversize_length 140, absolute_offset 0");
    assert_false(asn1_check(&o, A3, a3_len, 0));
    /* truncated: the outer object does not decode, nothing is checked */
    o = opts("oversize_length 30, absolute_offset 0");
    assert_false(asn1_check(&o, A3, a3_len - 1, 0));

    static const uint8_t bs_bad[] = { 0x03, 0x01, 0xFF }, bs_ok[] = { 0x03, 0x01, 0x07 };
    o = opts("bitstring_overflow, absolute_offset 0");
    assert_true(asn1_check(&o, bs_bad, 3, 0));
    assert_false(asn1_check(&o, bs_ok, 3, 0));
    /* inside a SEQUENCE, after a content match at offset 2 */
    static const uint8_t nested3[] = { 'h', 'i', 0x30, 0x06, 0x02, 0x01, 0x00, 0x03, 0x01, 0x20 };
    o = opts("bitstring_overflow, relative_offset 0");
    assert_true(asn1_check(&o, nested3, sizeof(nested3), 2));
    assert_false(asn1_check(&o, nested3, sizeof(nested3), 0)); /* "hi" is no BER */
    o = opts("bitstring_overflow, relative_offset -2");
    assert_false(asn1_check(&o, nested3, sizeof(nested3), 0)); /* before the buffer */
    assert_true(asn1_check(&o, nested3, sizeof(nested3), 4));

    uint8_t real[261];
    memset(real, 0x05, sizeof(real));
    real[0] = 0x09;
    real[1] = 0x82;
    real[2] = 0x01;
    real[3] = 0x01; /* 257 octets */
    o = opts("double_overflow, absolute_offset 0");
    assert_true(asn1_check(&o, real, sizeof(real), 0));
    real[3] = 0x00; /* 256 octets */
    assert_false(asn1_check(&o, real, 260, 0));
    real[3] = 0x01;
    real[4] = 0x80; /* binary encoding */
    assert_false(asn1_check(&o, real, sizeof(real), 0));

    /* indefinite length SEQUENCE holding an oversize OCTET STRING */
    static const uint8_t indef[] = { 0x30, 0x80, 0x04, 0x03, 'a', 'b', 'c', 0x00, 0x00 };
    o = opts("oversize_length 2");
    assert_true(asn1_check(&o, indef, sizeof(indef), 0));
    o = opts("oversize_length 3");
    assert_false(asn1_check(&o, indef, sizeof(indef), 0));
    static const uint8_t prim_indef[] = { 0x04, 0x80, 0x00, 0x00 };
    o = opts("oversize_length 0");
    assert_false(asn1_check(&o, prim_indef, sizeof(prim_indef), 0));

    /* more than 30 top-level objects: the decode is abandoned */
    uint8_t many[2 * 31 + 3];
    for (int i = 0; i < 31; i++) {
        many[2 * i] = 0x05; /* NULL */
        many[2 * i + 1] = 0x00;
    }
    many[62] = 0x03;
    many[63] = 0x01;
    many[64] = 0xFF;
    o = opts("bitstring_overflow");
    assert_false(asn1_check(&o, many, sizeof(many), 0));
    assert_false(asn1_check(&o, many + 2, sizeof(many) - 2, 0)); /* 31 objects */
    assert_true(asn1_check(&o, many + 4, sizeof(many) - 4, 0)); /* 30 objects: checked */
}

static void test_asn1_rule(void **state)
{
    (void)state;
    keywords_init();
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, NULL, NULL, 1);
    Signature *s = rule_parse(&rp, "alert tcp any any -> any 445 (flow:established,to_server; content:\"|00|\"; "
                                   "depth:1; content:!\"NTLMSSP\"; within:7; distance:1; asn1:double_overflow, "
                                   "bitstring_overflow, relative_offset 0, oversize_length 1024; sid:2102383;)");
    if (!s)
        fail_msg("rejected: %s", rp.error);
    const SigMatchList *l = sig_list(s, SIG_LIST_PMATCH);
    assert_non_null(l);
    assert_int_equal(l->count, 3);
    static const uint8_t pkt[] = { 0x00, 0x03, 0x01, 0xFF };
    assert_true(inspect_buffer(NULL, s, l, pkt, sizeof(pkt), INSPECT_BUF_PACKET, NULL));
    static const uint8_t ok[] = { 0x00, 0x03, 0x01, 0x01 };
    assert_false(inspect_buffer(NULL, s, l, ok, sizeof(ok), INSPECT_BUF_PACKET, NULL));
    signature_free(s);
    rule_parse_ctx_init(&rp, NULL, NULL, NULL, 1);
    assert_null(rule_parse(&rp, "alert tcp any any -> any any (asn1:nothing; sid:1;)"));
}

int run_asn1_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asn1_parse),
        cmocka_unit_test(test_asn1_checks),
        cmocka_unit_test(test_asn1_rule),
    };
    return cmocka_run_group_tests_name("asn1", tests, NULL, NULL);
}
