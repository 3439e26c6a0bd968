/*
 * byte_test, byte_jump, byte_extract, byte_math: option parsing (accepted
 * forms and Suricata's rejections) and evaluation, including relative
 * offsets, string numbers, bitmasks and byte_extract -> byte_test chains.
 */
#include <stdlib.h>

#include "detect/byte-ops.h"
#include "payload_test.h"

static char err[256];

/* Variables "len"=0, "other"=1 for the parsers. */
static int lookup(void *user, const char *name)
{
    (void)user;
    if (strcmp(name, "len") == 0)
        return 0;
    if (strcmp(name, "other") == 0)
        return 1;
    return -1;
}

static void test_byte_test_parse_ok(void **state)
{
    (void)state;
    ByteTest *bt = byte_test_parse("4, =, 1234, 2, relative, little", lookup, NULL, err, sizeof(err));
    assert_non_null(bt);
    assert_int_equal(bt->rd.nbytes.num, 4);
    assert_int_equal(bt->op, BYTE_OP_EQ);
    assert_false(bt->negate);
    assert_int_equal(bt->value.num, 1234);
    assert_int_equal(bt->offset.num, 2);
    assert_true(bt->relative);
    assert_int_equal(bt->rd.endian, BYTE_ENDIAN_LITTLE);
    byte_test_free(bt);

    bt = byte_test_parse("1,!=,0x48,0, bitmask 0xf8", lookup, NULL, err, sizeof(err));
    assert_non_null(bt);
    assert_true(bt->negate);
    assert_int_equal(bt->op, BYTE_OP_EQ);
    assert_int_equal(bt->value.num, 0x48);
    assert_true(bt->rd.bitmask_set);
    assert_int_equal(bt->rd.bitmask_shift, 3);
    byte_test_free(bt);

    bt = byte_test_parse("3,<=,100,0,string,dec", lookup, NULL, err, sizeof(err));
    assert_non_null(bt);
    assert_int_equal(bt->op, BYTE_OP_LE);
    assert_int_equal(bt->rd.base, 10);
    byte_test_free(bt);

    bt = byte_test_parse("len,>=,other,-2,relative", lookup, NULL, err, sizeof(err));
    assert_non_null(bt);
    assert_true(bt->rd.nbytes.is_var);
    assert_true(bt->value.is_var);
    assert_int_equal(bt->value.var, 1);
    assert_int_equal(bt->offset.num, -2);
    byte_test_free(bt);

    bt = byte_test_parse("2,!,5,0", lookup, NULL, err, sizeof(err)); /* bare ! means != */
    assert_non_null(bt);
    assert_true(bt->negate);
    assert_int_equal(bt->op, BYTE_OP_EQ);
    byte_test_free(bt);

    bt = byte_test_parse("4,string,0,0,string", lookup, NULL, err, sizeof(err));
    assert_null(bt);
}

static void test_byte_test_parse_errors(void **state)
{
    (void)state;
    assert_null(byte_test_parse("9,=,1,0", lookup, NULL, err, sizeof(err)));
    assert_non_null(strstr(err, "8 bytes"));
    assert_null(byte_test_parse("24,=,1,0,string,dec", lookup, NULL, err, sizeof(err)));
    assert_non_null(strstr(err, "23"));
    assert_null(byte_test_parse("2,=,1,0,hex", lookup, NULL, err, sizeof(err)));
    assert_non_null(strstr(err, "string"));
    assert_null(byte_test_parse("2,=~,1,0", lookup, NULL, err, sizeof(err)));
    assert_non_null(strstr(err, "operator"));
    assert_null(byte_test_parse("2,=,1", lookup, NULL, err, sizeof(err)));
    assert_null(byte_test_parse("2,=,1,0,sideways", lookup, NULL, err, sizeof(err)));
    assert_non_null(strstr(err, "sideways"));
    assert_null(byte_test_parse("no_var,=,0x01,5,bitmask 0xFF", lookup, NULL, err, sizeof(err)));
    assert_string_equal(err, "Unknown byte_extract var seen in byte_test - no_var");
    assert_null(byte_test_parse("2,=,1,0,dce,string", lookup, NULL, err, sizeof(err)));
    assert_null(byte_test_parse("2,=,1,0,big,little", lookup, NULL, err, sizeof(err)));
    assert_null(byte_test_parse("0,=,1,0", lookup, NULL, err, sizeof(err)));
}

static void test_byte_test_eval(void **state)
{
    (void)state;
    static const uint8_t data[] = { 0x48, 0x54, 0x54, 0x50, 0x01, 0x02 };
    struct {
        const char *opt;
        InspectResult want;
    } cases[] = {
        /* from Suricata's detect-bytetest-01 */
        { "1,=,0x9,0, bitmask 0xf8", INSPECT_MATCH },
        { "1,>,0x8,0, bitmask 0xf8", INSPECT_MATCH },
        { "1,<,0xa,0, bitmask 0xf8", INSPECT_MATCH },
        { "1,!=,0x48,0, bitmask 0xf8", INSPECT_MATCH },
        { "2,=,0x90a,0, bitmask 0xf8f8", INSPECT_MATCH },
        { "2,=,0x0102,4", INSPECT_MATCH },
        { "2,=,0x0201,4,little", INSPECT_MATCH },
        { "2,=,0x0102,5", INSPECT_NO_MATCH }, /* past the end */
        { "1,&,0x40,0", INSPECT_MATCH },
        { "1,&,0x01,0", INSPECT_NO_MATCH },
        { "1,^,0x48,0", INSPECT_NO_MATCH },
        { "1,>=,0x48,0", INSPECT_MATCH },
        { "1,<=,0x47,0", INSPECT_NO_MATCH },
        { "1,=,0x48,-1", INSPECT_NO_MATCH }, /* before the buffer */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ByteTest *bt = byte_test_parse(cases[i].opt, lookup, NULL, err, sizeof(err));
        assert_non_null(bt);
        InspectCursor c = test_cursor_bin(data, sizeof(data));
        InspectResult r = byte_test_eval(bt, &c);
        if (r != cases[i].want)
            fail_msg("byte_test:%s gave %d, want %d", cases[i].opt, r, cases[i].want);
        assert_int_equal(c.offset, 0);
        byte_test_free(bt);
    }
}

static void test_byte_test_relative_string(void **state)
{
    (void)state;
    ByteTest *bt = byte_test_parse("1,=,1,6,relative,string,dec", lookup, NULL, err, sizeof(err));
    assert_non_null(bt);
    InspectCursor c = test_cursor("AllWorkAndNoPlay....x1");
    c.offset = 15; /* after "AllWorkAndNoPla" */
    assert_int_equal(byte_test_eval(bt, &c), INSPECT_MATCH);
    c.offset = 16;
    assert_int_equal(byte_test_eval(bt, &c), INSPECT_NO_MATCH);
    byte_test_free(bt);

    /* text without digits does not match; leading digits count */
    bt = byte_test_parse("4,=,12,0,string,dec", lookup, NULL, err, sizeof(err));
    c = test_cursor("12ab");
    assert_int_equal(byte_test_eval(bt, &c), INSPECT_MATCH);
    c = test_cursor("abcd");
    assert_int_equal(byte_test_eval(bt, &c), INSPECT_NO_MATCH);
    byte_test_free(bt);

    bt = byte_test_parse("3,=,0xfff,0,string,hex", lookup, NULL, err, sizeof(err));
    c = test_cursor("fff");
    assert_int_equal(byte_test_eval(bt, &c), INSPECT_MATCH);
    byte_test_free(bt);
    bt = byte_test_parse("3,=,0777,0,string,oct", lookup, NULL, err, sizeof(err));
    c = test_cursor("777");
    assert_int_equal(byte_test_eval(bt, &c), INSPECT_MATCH);
    byte_test_free(bt);
}

static void test_byte_jump(void **state)
{
    (void)state;
    ByteJump *bj = byte_jump_parse("2,0,relative,string,from_end,post_offset -26", lookup, NULL, err, sizeof(err));
    assert_non_null(bj);
    assert_true(bj->from_end);
    assert_int_equal(bj->post_offset, -26);
    byte_jump_free(bj);

    /* jump over a 2-byte big endian length */
    static const uint8_t d[] = { 0x00, 0x03, 'a', 'b', 'c', 'X', 'Y' };
    bj = byte_jump_parse("2,0", lookup, NULL, err, sizeof(err));
    InspectCursor c = test_cursor_bin(d, sizeof(d));
    assert_int_equal(byte_jump_eval(bj, &c), INSPECT_MATCH);
    assert_int_equal(c.offset, 5);
    byte_jump_free(bj);

    /* multiplier, align, relative */
    bj = byte_jump_parse("1,1,relative,multiplier 2,align", lookup, NULL, err, sizeof(err));
    static const uint8_t d2[] = { 'Q', 0x00, 0x01, 0, 0, 0, 0, 0, 0 };
    c = test_cursor_bin(d2, sizeof(d2));
    c.offset = 1;
    assert_int_equal(byte_jump_eval(bj, &c), INSPECT_MATCH);
    /* start 2, +1 byte read, +align(1*2 -> 4) */
    assert_int_equal(c.offset, 7);
    byte_jump_free(bj);

    /* from_beginning */
    bj = byte_jump_parse("1,0,from_beginning", lookup, NULL, err, sizeof(err));
    static const uint8_t d3[] = { 3, 9, 9, 9 };
    c = test_cursor_bin(d3, sizeof(d3));
    assert_int_equal(byte_jump_eval(bj, &c), INSPECT_MATCH);
    assert_int_equal(c.offset, 3);
    byte_jump_free(bj);

    /* past the end fails, to the very end is allowed */
    bj = byte_jump_parse("1,0", lookup, NULL, err, sizeof(err));
    static const uint8_t d4[] = { 3, 9, 9, 9 };
    c = test_cursor_bin(d4, sizeof(d4));
    assert_int_equal(byte_jump_eval(bj, &c), INSPECT_MATCH);
    assert_int_equal(c.offset, 4);
    static const uint8_t d5[] = { 4, 9, 9, 9 };
    c = test_cursor_bin(d5, sizeof(d5));
    assert_int_equal(byte_jump_eval(bj, &c), INSPECT_NO_MATCH);
    byte_jump_free(bj);

    /* a negative post_offset before the start clamps to the start
     * (detect-bytejump-05) */
    bj = byte_jump_parse("0,0,relative,post_offset -10", lookup, NULL, err, sizeof(err));
    assert_non_null(bj);
    c = test_cursor("0123456789ABCDEF");
    c.offset = 4;
    assert_int_equal(byte_jump_eval(bj, &c), INSPECT_MATCH);
    assert_int_equal(c.offset, 0);
    byte_jump_free(bj);

    /* string from_end (detect-bytejump-01) */
    bj = byte_jump_parse("2,0,relative,string,from_end,post_offset -8", lookup, NULL, err, sizeof(err));
    c = test_cursor("Question?00 0123456789");
    c.offset = 9;
    assert_int_equal(byte_jump_eval(bj, &c), INSPECT_MATCH);
    assert_int_equal(c.offset, c.len - 8);
    byte_jump_free(bj);

    assert_null(byte_jump_parse("9,0", lookup, NULL, err, sizeof(err)));
    assert_null(byte_jump_parse("2,0,from_beginning,from_end", lookup, NULL, err, sizeof(err)));
    assert_null(byte_jump_parse("no_var,0,relative", lookup, NULL, err, sizeof(err)));
    assert_string_equal(err, "Unknown byte_extract var seen in byte_jump - no_var");
    assert_null(byte_jump_parse("2", lookup, NULL, err, sizeof(err)));
    assert_null(byte_jump_parse("2,0,multiplier x", lookup, NULL, err, sizeof(err)));
}

static void test_byte_extract_chain(void **state)
{
    (void)state;
    ByteExtract *be = byte_extract_parse("1,4,rpkt_len,relative", 0, err, sizeof(err));
    assert_non_null(be);
    assert_string_equal(be->name, "rpkt_len");
    static const uint8_t d[] = { 0, 0, 0, 'x', 'x', 'x', 'x', 2, 'a', 'b', 'c' };
    InspectCursor c = test_cursor_bin(d, sizeof(d));
    c.offset = 3; /* after |00 00 00| */
    assert_int_equal(byte_extract_eval(be, &c), INSPECT_MATCH);
    assert_int_equal(c.vars[0], 2);
    assert_int_equal(c.offset, 8);
    /* byte_jump:rpkt_len,0,relative jumps over "ab" */
    ByteJump *bj = byte_jump_parse("len,0,relative", lookup, NULL, err, sizeof(err));
    assert_non_null(bj);
    /* nbytes from a variable: 2 bytes "ab" -> 0x6162, too far */
    assert_int_equal(byte_jump_eval(bj, &c), INSPECT_NO_MATCH);
    byte_jump_free(bj);
    /* byte_test with the variable as value */
    ByteTest *bt = byte_test_parse("1,=,len,7", lookup, NULL, err, sizeof(err));
    assert_int_equal(byte_test_eval(bt, &c), INSPECT_MATCH);
    byte_test_free(bt);
    byte_extract_free(be);

    /* multiplier, align, string */
    be = byte_extract_parse("2,0,n,string,dec,multiplier 3,align 4", 1, err, sizeof(err));
    assert_non_null(be);
    c = test_cursor("07zz");
    assert_int_equal(byte_extract_eval(be, &c), INSPECT_MATCH);
    assert_int_equal(c.vars[1], 24); /* 7*3 = 21 -> aligned 24 */
    byte_extract_free(be);

    assert_null(byte_extract_parse("9,0,x", 0, err, sizeof(err)));
    assert_null(byte_extract_parse("15,0,x,string,hex", 0, err, sizeof(err)));
    assert_non_null(be = byte_extract_parse("14,0,x,string,hex", 0, err, sizeof(err)));
    byte_extract_free(be);
    assert_null(byte_extract_parse("2,0,1x", 0, err, sizeof(err)));
    assert_null(byte_extract_parse("2,0,x,align 3", 0, err, sizeof(err)));
    assert_null(byte_extract_parse("2,0", 0, err, sizeof(err)));
    assert_null(byte_extract_parse("2,0,x,multiplier 0", 0, err, sizeof(err)));
    assert_null(byte_extract_parse("2,70000,x", 0, err, sizeof(err)));
}

static void test_byte_math(void **state)
{
    (void)state;
    ByteMath *bm = byte_math_parse("bytes 4, offset 2, oper +, rvalue 10, result bar", 2, lookup, NULL, err,
                                   sizeof(err));
    assert_non_null(bm);
    assert_int_equal(bm->rd.nbytes.num, 4);
    assert_int_equal(bm->offset, 2);
    assert_int_equal(bm->oper, BYTE_MATH_ADD);
    assert_int_equal(bm->rvalue.num, 10);
    assert_string_equal(bm->name, "bar");
    static const uint8_t d[] = { 9, 9, 0, 0, 1, 0, 7 };
    InspectCursor c = test_cursor_bin(d, sizeof(d));
    assert_int_equal(byte_math_eval(bm, &c), INSPECT_MATCH);
    assert_int_equal(c.vars[2], 256 + 10);
    assert_int_equal(c.offset, 6);
    byte_math_free(bm);

    /* detect-bytemath-01: 1 byte << 2 */
    bm = byte_math_parse("bytes 1, offset 1, oper <<, rvalue 2, result r", 0, lookup, NULL, err, sizeof(err));
    static const uint8_t ip[] = { 0x45, 0x22 };
    c = test_cursor_bin(ip, sizeof(ip));
    assert_int_equal(byte_math_eval(bm, &c), INSPECT_MATCH);
    assert_int_equal(c.vars[0], 0x88);
    byte_math_free(bm);

    /* variable operands, division by zero */
    bm = byte_math_parse("bytes len, offset 0, oper /, rvalue other, result q, endian little", 3, lookup, NULL, err,
                         sizeof(err));
    assert_non_null(bm);
    static const uint8_t d2[] = { 100, 0 };
    c = test_cursor_bin(d2, sizeof(d2));
    c.vars[0] = 2;
    c.vars[1] = 5;
    assert_int_equal(byte_math_eval(bm, &c), INSPECT_MATCH);
    assert_int_equal(c.vars[3], 20);
    c.vars[1] = 0;
    assert_int_equal(byte_math_eval(bm, &c), INSPECT_NO_MATCH);
    byte_math_free(bm);

    /* bitmask applies to the result */
    bm = byte_math_parse("bytes 1, offset 0, oper *, rvalue 2, result m, bitmask 0xf0", 0, lookup, NULL, err,
                         sizeof(err));
    static const uint8_t d3[] = { 0x18 };
    c = test_cursor_bin(d3, sizeof(d3));
    assert_int_equal(byte_math_eval(bm, &c), INSPECT_MATCH);
    assert_int_equal(c.vars[0], 0x3); /* 0x30 & 0xf0 >> 4 */
    byte_math_free(bm);

    assert_null(byte_math_parse("bytes 257, offset 2, oper +, rvalue 39, result bar", 0, lookup, NULL, err,
                                sizeof(err)));
    assert_null(byte_math_parse("bytes 11, offset 2, oper +, rvalue 39, result bar", 0, lookup, NULL, err,
                                sizeof(err)));
    assert_null(byte_math_parse("bytes 4, offset 70000, oper +, rvalue 39, result bar", 0, lookup, NULL, err,
                                sizeof(err)));
    assert_null(byte_math_parse("bytes 4, offset 16, oper &, rvalue 39, result bar", 0, lookup, NULL, err,
                                sizeof(err)));
    assert_null(byte_math_parse("bytes 4, offset 16, oper +, result bar", 0, lookup, NULL, err, sizeof(err)));
    assert_null(byte_math_parse("bytes no_var, offset 1, oper +, rvalue 102, result r", 0, lookup, NULL, err,
                                sizeof(err)));
    assert_string_equal(err, "unknown byte_ keyword var seen in byte_math - no_var");
    assert_null(byte_math_parse("bytes 4, offset 1, oper +, rvalue 1, result r, endian dce, string dec", 0, lookup,
                                NULL, err, sizeof(err)));
}

int run_byte_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_byte_test_parse_ok), cmocka_unit_test(test_byte_test_parse_errors),
        cmocka_unit_test(test_byte_test_eval),     cmocka_unit_test(test_byte_test_relative_string),
        cmocka_unit_test(test_byte_jump),          cmocka_unit_test(test_byte_extract_chain),
        cmocka_unit_test(test_byte_math),
    };
    return cmocka_run_group_tests_name("byte", tests, NULL, NULL);
}
