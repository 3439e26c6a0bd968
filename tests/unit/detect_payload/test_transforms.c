/*
 * Transforms: the output of each transform on sample buffers, option
 * parsing for xor, pcrexform and from_base64, and chaining through one
 * scratch buffer (input aliasing the output).
 */
#include <stdlib.h>

#include "detect/transforms.h"
#include "payload_test.h"

static char err[512];

typedef bool (*XformFn)(const uint8_t *, uint32_t, InspectBuffer *, const void *);

static void check(XformFn fn, const void *ctx, const char *in, const char *want, uint32_t want_len)
{
    InspectBuffer b;
    memset(&b, 0, sizeof(b));
    assert_true(fn((const uint8_t *)in, (uint32_t)strlen(in), &b, ctx));
    if (b.len != want_len || memcmp(b.data, want, want_len) != 0)
        fail_msg("transform of \"%s\": got \"%.*s\" (%u bytes)", in, (int)b.len, b.data, b.len);
    xform_buffer_free(&b);
}

#define CHECK(fn, ctx, in, want) check(fn, ctx, in, want, (uint32_t)strlen(want))

static void test_simple_transforms(void **state)
{
    (void)state;
    CHECK(xform_to_lowercase, NULL, "HeLLo World!", "hello world!");
    CHECK(xform_to_uppercase, NULL, "HeLLo World!", "HELLO WORLD!");
    CHECK(xform_strip_whitespace, NULL, " a b\t\r\nc \v\f", "abc");
    CHECK(xform_compress_whitespace, NULL, "a  b\t\t c\r\n", "a b\tc\r");
    CHECK(xform_compress_whitespace, NULL, "", "");
    CHECK(xform_dotprefix, NULL, "example.com", ".example.com");
    CHECK(xform_dotprefix, NULL, "", ".");
    CHECK(xform_url_decode, NULL, "a%20b+c%2Fd%zz%4", "a b c/d%zz%4");
    CHECK(xform_url_decode, NULL, "%41", "A");
    CHECK(xform_header_lowercase, NULL, "Host: Example\r\nUser-Agent: X:Y\r\n",
          "host: Example\r\nuser-agent: X:Y\r\n");
    CHECK(xform_strip_pseudo_headers, NULL, ":method: GET\r\nhost: a\r\n:path: /\r\naccept: */*\r\n",
          "host: a\r\naccept: */*\r\n");
}

static void test_hashes(void **state)
{
    (void)state;
    /* md5("abc"), sha1("abc"), sha256("abc") */
    check(xform_to_md5, NULL, "abc",
          "\x90\x01\x50\x98\x3c\xd2\x4f\xb0\xd6\x96\x3f\x7d\x28\xe1\x7f\x72", 16);
    check(xform_to_sha1, NULL, "abc",
          "\xa9\x99\x3e\x36\x47\x06\x81\x6a\xba\x3e\x25\x71\x78\x50\xc2\x6c\x9c\xd0\xd8\x9d", 20);
    check(xform_to_sha256, NULL, "abc",
          "\xba\x78\x16\xbf\x8f\x01\xcf\xea\x41\x41\x40\xde\x5d\xae\x22\x23\xb0\x03\x61\xa3\x96\x17\x7a\x9c\xb4\x10"
          "\xff\x61\xf2\x00\x15\xad",
          32);
    /* md5 of the empty buffer */
    check(xform_to_md5, NULL, "", "\xd4\x1d\x8c\xd9\x8f\x00\xb2\x04\xe9\x80\x09\x98\xec\xf8\x42\x7e", 16);
}

static void test_xor(void **state)
{
    (void)state;
    TransformXor *x = xform_xor_parse("0d0ac8ff", err, sizeof(err));
    assert_non_null(x);
    assert_int_equal(x->key_len, 4);
    uint8_t in[6] = { 'a', 'b', 'c', 'd', 'e', 'f' };
    uint8_t want[6] = { 'a' ^ 0x0d, 'b' ^ 0x0a, 'c' ^ 0xc8, 'd' ^ 0xff, 'e' ^ 0x0d, 'f' ^ 0x0a };
    InspectBuffer b;
    memset(&b, 0, sizeof(b));
    assert_true(xform_xor(in, 6, &b, x));
    assert_memory_equal(b.data, want, 6);
    xform_buffer_free(&b);
    xform_xor_free(x);
    assert_null(xform_xor_parse("0d0", err, sizeof(err)));
    assert_null(xform_xor_parse("zz", err, sizeof(err)));
    assert_null(xform_xor_parse("", err, sizeof(err)));
}

static void test_pcrexform(void **state)
{
    (void)state;
    TransformPcrexform *t = xform_pcrexform_parse("[a-zA-Z]+\\s+(.*)\\s+HTTP", err, sizeof(err));
    assert_non_null(t);
    CHECK(xform_pcrexform, t, "GET /index.html HTTP/1.1", "/index.html");
    /* no match: the buffer stays as it was */
    CHECK(xform_pcrexform, t, "nothing", "nothing");
    xform_pcrexform_free(t);
    assert_null(xform_pcrexform_parse("abc", err, sizeof(err)));
    assert_non_null(strstr(err, "capture"));
    assert_null(xform_pcrexform_parse("(abc", err, sizeof(err)));
}

static void test_from_base64(void **state)
{
    (void)state;
    TransformFromBase64 *b = xform_from_base64_parse("offset 6", err, sizeof(err));
    assert_non_null(b);
    CHECK(xform_from_base64, b, "/?arg=dGhpc2lzYXRlc3QK", "thisisatest\n");
    xform_from_base64_free(b);
    b = xform_from_base64_parse("bytes 6, offset 6", err, sizeof(err));
    CHECK(xform_from_base64, b, "/?arg=dGhpc2lzYXRlc3QK", "this");
    xform_from_base64_free(b);
    b = xform_from_base64_parse("offset 6, mode rfc2045", err, sizeof(err));
    CHECK(xform_from_base64, b, "/?arg=Zm 9v Ym Fy", "foobar");
    xform_from_base64_free(b);
    b = xform_from_base64_parse("offset 6, mode strict", err, sizeof(err));
    CHECK(xform_from_base64, b, "/?arg=Zm 9v Ym Fy", "/?arg=Zm 9v Ym Fy");
    xform_from_base64_free(b);
    b = xform_from_base64_parse(NULL, err, sizeof(err));
    assert_non_null(b);
    assert_int_equal(b->mode, BASE64_MODE_RFC4648);
    CHECK(xform_from_base64, b, "Zm9vYmFy", "foobar");
    xform_from_base64_free(b);
    assert_null(xform_from_base64_parse("mode rfc9999", err, sizeof(err)));
    assert_null(xform_from_base64_parse("bytes 0", err, sizeof(err)));
    assert_null(xform_from_base64_parse("offset x", err, sizeof(err)));
    assert_null(xform_from_base64_parse("colour blue", err, sizeof(err)));
}

static void test_chain_aliasing(void **state)
{
    (void)state;
    /* the output of one transform fed to the next through one scratch */
    InspectBuffer b;
    memset(&b, 0, sizeof(b));
    const char *in = "  Example   COM ";
    assert_true(xform_compress_whitespace((const uint8_t *)in, (uint32_t)strlen(in), &b, NULL));
    assert_true(xform_to_lowercase(b.data, b.len, &b, NULL));
    assert_true(xform_strip_whitespace(b.data, b.len, &b, NULL));
    assert_true(xform_dotprefix(b.data, b.len, &b, NULL));
    assert_int_equal(b.len, 11);
    assert_memory_equal(b.data, ".examplecom", 11);
    assert_true(xform_to_sha256(b.data, b.len, &b, NULL));
    assert_int_equal(b.len, 32);
    xform_buffer_free(&b);
}

int run_transform_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_transforms), cmocka_unit_test(test_hashes),
        cmocka_unit_test(test_xor),               cmocka_unit_test(test_pcrexform),
        cmocka_unit_test(test_from_base64),       cmocka_unit_test(test_chain_aliasing),
    };
    int r = cmocka_run_group_tests_name("transforms", tests, NULL, NULL);
    pcre_thread_cleanup();
    return r;
}
