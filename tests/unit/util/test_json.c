/*
 * JSON string escaping (util/json.h) against a byte-by-byte reference.
 *
 * jb_escaped copies runs of bytes that need no escaping eight at a time
 * (a word-at-a-time test); these tests feed it every byte value at every
 * position of a word and random strings of several mixes, and compare the
 * output with an escaper that looks at one byte at a time, as RFC 8259 7
 * and the old implementation do: '"' and '\\' and the control characters
 * escaped, valid UTF-8 copied, any other byte as \u00XX.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/json.h"

/* Length of the valid UTF-8 sequence at p, or 0: the length its lead byte
 * announces (RFC 3629 4), if jb_utf8_valid accepts that many bytes (the
 * validity check is not what these tests are about). */
static size_t ref_utf8(const uint8_t *p, size_t avail)
{
    size_t n = p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3 : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
    return n && n <= avail && jb_utf8_valid(p, n) ? n : 0;
}

/* `"s"` escaped one byte at a time into out (NUL-terminated). */
static void ref_escape(const uint8_t *s, size_t len, char *out)
{
    char *o = out;
    *o++ = '"';
    for (size_t i = 0; i < len;) {
        uint8_t c = s[i];
        if (c == '"' || c == '\\') { *o++ = '\\'; *o++ = (char)c; i++; continue; }
        if (c == '\n') { memcpy(o, "\\n", 2); o += 2; i++; continue; }
        if (c == '\r') { memcpy(o, "\\r", 2); o += 2; i++; continue; }
        if (c == '\t') { memcpy(o, "\\t", 2); o += 2; i++; continue; }
        if (c == '\b') { memcpy(o, "\\b", 2); o += 2; i++; continue; }
        if (c == '\f') { memcpy(o, "\\f", 2); o += 2; i++; continue; }
        if (c >= 0x20 && c < 0x7f) { *o++ = (char)c; i++; continue; }
        size_t n = c >= 0x80 ? ref_utf8(s + i, len - i) : 0;
        if (n) { memcpy(o, s + i, n); o += n; i += n; continue; }
        o += sprintf(o, "\\u00%02x", c);
        i++;
    }
    *o++ = '"';
    *o = '\0';
}

static void check(const uint8_t *s, size_t len)
{
    static char want[6 * 4096 + 8];
    assert_true(len <= 4096);
    ref_escape(s, len, want);
    JsonBuf j;
    jb_init(&j);
    jb_strn(&j, NULL, s, len);
    assert_string_equal(j.buf, want);
    jb_free(&j);
}

/* Every byte value at every position of a 24-byte run of 'a's, so each
 * lane of the word test sees each value, at three alignments. */
static void test_every_byte_in_every_lane(void **state)
{
    (void)state;
    uint8_t buf[32];
    for (int align = 0; align < 3; align++)
        for (int pos = 0; pos < 24; pos++)
            for (int v = 0; v < 256; v++) {
                memset(buf, 'a', sizeof(buf));
                buf[align + pos] = (uint8_t)v;
                check(buf + align, 24);
            }
}

/* Pairs of neighbouring bytes, for the borrows and carries between lanes:
 * every value next to every value at the border of two lanes. */
static void test_neighbour_pairs(void **state)
{
    (void)state;
    uint8_t buf[16];
    for (int a = 0; a < 256; a++)
        for (int b = 0; b < 256; b++) {
            memset(buf, 'x', sizeof(buf));
            buf[3] = (uint8_t)a;
            buf[4] = (uint8_t)b;
            check(buf, 16);
        }
}

/* Random strings: all bytes, printable text with a few specials, and valid
 * and broken UTF-8, lengths 0 to 200. */
static void test_random_strings(void **state)
{
    (void)state;
    uint32_t seed = 42;
    uint8_t buf[256];
    for (int round = 0; round < 20000; round++) {
        size_t len = (size_t)(round % 201);
        int mix = round % 3;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            uint8_t r = (uint8_t)(seed >> 16);
            if (mix == 0)
                buf[i] = r;
            else if (mix == 1)
                buf[i] = (r % 50 == 0) ? (uint8_t)"\"\\\n\x01\x7f"[r % 5] : (uint8_t)(0x20 + r % 0x5f);
            else
                buf[i] = (r % 7 == 0) ? (uint8_t)(0x80 | (r & 0x7f)) : (r % 11 == 0) ? 0xc3 : (uint8_t)(0x20 + r % 0x5f);
        }
        check(buf, len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte_in_every_lane),
        cmocka_unit_test(test_neighbour_pairs),
        cmocka_unit_test(test_random_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
