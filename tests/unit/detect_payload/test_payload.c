/*
 * isdataat, bsize, dsize, base64_decode: parsing and evaluation, with the
 * absolute/relative isdataat boundaries of Suricata's issue 8031 test.
 */
#include <stdlib.h>

#include "detect/payload-ops.h"
#include "payload_test.h"

static char err[256];

static int lookup(void *user, const char *name)
{
    (void)user;
    return strcmp(name, "sz") == 0 ? 3 : -1;
}

static InspectResult isdataat_on(const char *opt, uint32_t len, uint32_t offset)
{
    static uint8_t buf[64];
    DetectIsdataat *id = isdataat_parse(opt, lookup, NULL, err, sizeof(err));
    assert_non_null(id);
    InspectCursor c = test_cursor_bin(buf, len);
    c.offset = offset;
    InspectResult r = isdataat_eval(id, &c);
    assert_int_equal(c.offset, offset);
    free(id);
    return r;
}

static void test_isdataat(void **state)
{
    (void)state;
    /* a 32-byte payload (issue-8031-01-isdataat) */
    assert_int_equal(isdataat_on("31", 32, 0), INSPECT_MATCH);
    assert_int_not_equal(isdataat_on("32", 32, 0), INSPECT_MATCH);
    assert_int_not_equal(isdataat_on("33", 32, 0), INSPECT_MATCH);
    assert_int_equal(isdataat_on("31,relative", 32, 0), INSPECT_MATCH);
    assert_int_equal(isdataat_on("32,relative", 32, 0), INSPECT_MATCH);
    assert_int_not_equal(isdataat_on("33,relative", 32, 0), INSPECT_MATCH);
    assert_int_equal(isdataat_on("30,relative", 32, 1), INSPECT_MATCH);
    assert_int_equal(isdataat_on("31,relative", 32, 1), INSPECT_MATCH);
    assert_int_not_equal(isdataat_on("32,relative", 32, 1), INSPECT_MATCH);
    /* negation */
    assert_int_equal(isdataat_on("!1,relative", 10, 10), INSPECT_MATCH);
    assert_int_equal(isdataat_on("!1,relative", 10, 9), INSPECT_NO_MATCH);
    assert_int_equal(isdataat_on("! 20", 10, 0), INSPECT_MATCH);
    assert_int_equal(isdataat_on("!5", 10, 0), INSPECT_NO_MATCH_DISCONTINUE);
    assert_int_equal(isdataat_on("4, relative, rawbytes", 10, 0), INSPECT_MATCH);

    /* variable */
    DetectIsdataat *id = isdataat_parse("sz,relative", lookup, NULL, err, sizeof(err));
    assert_non_null(id);
    assert_true(id->dataat.is_var);
    uint8_t b[8] = { 0 };
    InspectCursor c = test_cursor_bin(b, 8);
    c.vars[3] = 8;
    assert_int_equal(isdataat_eval(id, &c), INSPECT_MATCH);
    c.vars[3] = 9;
    assert_int_not_equal(isdataat_eval(id, &c), INSPECT_MATCH);
    free(id);

    assert_null(isdataat_parse("x", lookup, NULL, err, sizeof(err)));
    assert_null(isdataat_parse("5,sideways", lookup, NULL, err, sizeof(err)));
    assert_null(isdataat_parse("70000", lookup, NULL, err, sizeof(err)));
    assert_null(isdataat_parse("", lookup, NULL, err, sizeof(err)));
    assert_null(isdataat_parse("-1", lookup, NULL, err, sizeof(err)));
}

static void test_bsize_dsize(void **state)
{
    (void)state;
    struct {
        const char *v;
        uint64_t len;
        bool want;
    } cases[] = {
        { "10", 10, true },     { "10", 11, false },   { "<10", 9, true },    { "<10", 10, false },
        { "<=20", 20, true },   { ">=8", 8, true },    { ">8", 8, false },    { "8<>20", 9, true },
        { "8<>20", 8, false },  { "8<>20", 20, false }, { "!9", 9, false },   { "!9", 10, true },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        DetectUint *u = bsize_parse(cases[i].v, err, sizeof(err));
        assert_non_null(u);
        if (detect_uint_match(u, cases[i].len) != cases[i].want)
            fail_msg("bsize:%s on %llu", cases[i].v, (unsigned long long)cases[i].len);
        free(u);
    }
    DetectUint *u = dsize_parse("65535", err, sizeof(err));
    assert_non_null(u);
    uint64_t max;
    assert_true(payload_uint_max(u, &max));
    assert_int_equal(max, 65535);
    free(u);
    assert_null(dsize_parse("65536", err, sizeof(err)));
    assert_null(dsize_parse("abc", err, sizeof(err)));
    assert_non_null(strstr(err, "dsize"));
    u = dsize_parse("5<>10", err, sizeof(err));
    assert_true(payload_uint_max(u, &max));
    assert_int_equal(max, 10);
    free(u);
    u = dsize_parse(">5", err, sizeof(err));
    assert_false(payload_uint_max(u, &max));
    free(u);
}

static void test_base64(void **state)
{
    (void)state;
    uint8_t out[64];
    const char *in = "dGhpc2lzYXRlc3QK";
    int64_t n = base64_decode_buf((const uint8_t *)in, 16, out, sizeof(out), BASE64_MODE_RFC4648);
    assert_int_equal(n, 12);
    assert_memory_equal(out, "thisisatest\n", 12);
    /* partial group: 6 chars -> 4 bytes */
    n = base64_decode_buf((const uint8_t *)"dGhpc2", 6, out, sizeof(out), BASE64_MODE_RFC4648);
    assert_int_equal(n, 4);
    assert_memory_equal(out, "this", 4);
    /* RFC 2045 skips spaces, RFC 4648 stops, strict fails */
    const char *sp = "Zm 9v Ym Fy";
    n = base64_decode_buf((const uint8_t *)sp, 11, out, sizeof(out), BASE64_MODE_RFC2045);
    assert_int_equal(n, 6);
    assert_memory_equal(out, "foobar", 6);
    n = base64_decode_buf((const uint8_t *)sp, 11, out, sizeof(out), BASE64_MODE_RFC4648);
    assert_int_equal(n, 1);
    n = base64_decode_buf((const uint8_t *)sp, 11, out, sizeof(out), BASE64_MODE_STRICT);
    assert_int_equal(n, -1);
    /* padding ends decoding */
    n = base64_decode_buf((const uint8_t *)"Zm8=Zm8=", 8, out, sizeof(out), BASE64_MODE_RFC4648);
    assert_int_equal(n, 2);
    n = base64_decode_buf((const uint8_t *)"Zm8=", 4, out, sizeof(out), BASE64_MODE_STRICT);
    assert_int_equal(n, 2);
}

static void test_base64_decode_kw(void **state)
{
    (void)state;
    DetectBase64Decode *bd = base64_decode_parse("bytes 17, offset 1, relative", err, sizeof(err));
    assert_non_null(bd);
    assert_int_equal(bd->bytes, 17);
    assert_int_equal(bd->offset, 1);
    assert_true(bd->relative);
    InspectCursor c = test_cursor("/?arg=dGhpc2lzYXRlc3QK");
    c.offset = 5; /* after "/?arg" */
    assert_int_equal(base64_decode_eval(bd, &c), INSPECT_MATCH);
    uint32_t len;
    const uint8_t *d = base64_decoded(&len);
    assert_true(len >= 11);
    assert_memory_equal(d, "thisisatest", 11);
    assert_int_equal(c.offset, 5);
    free(bd);

    bd = base64_decode_parse(NULL, err, sizeof(err));
    assert_non_null(bd);
    c = test_cursor("!!!!");
    assert_int_equal(base64_decode_eval(bd, &c), INSPECT_NO_MATCH);
    free(bd);

    bd = base64_decode_parse("offset 10", err, sizeof(err));
    c = test_cursor("short");
    assert_int_equal(base64_decode_eval(bd, &c), INSPECT_NO_MATCH);
    free(bd);

    assert_null(base64_decode_parse("bytes 0", err, sizeof(err)));
    assert_null(base64_decode_parse("bytes x", err, sizeof(err)));
    assert_null(base64_decode_parse("sideways", err, sizeof(err)));
    assert_null(base64_decode_parse("bytes 1, bytes 2", err, sizeof(err)));
    payload_thread_cleanup();
}

int run_payload_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_isdataat),
        cmocka_unit_test(test_bsize_dsize),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_base64_decode_kw),
    };
    return cmocka_run_group_tests_name("payload", tests, NULL, NULL);
}
