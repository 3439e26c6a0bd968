/*
 * Unit tests of the HPACK decoder (src/app/http2/hpack.c): every example of
 * RFC 7541 Appendix C -- the integers of C.1, the single fields of C.2, the
 * request sequences of C.3 (raw) and C.4 (Huffman) sharing one decoder
 * with the dynamic table checked after each request, and the responses of
 * C.5 and C.6 with a 256-byte table and evictions -- then integer edge
 * cases and overflow, the Huffman code against the table as printed in
 * Appendix B (every symbol), bad padding and EOS inside a string, bad
 * indexes, table size updates above the SETTINGS bound or after a field,
 * the eviction of the entry a new one takes its name from, every
 * truncation of the Appendix C blocks, the size caps of one string and
 * of one block's header list, and recovery after errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/http2/hpack.h"

/* RFC 7541 Appendix B as printed there: code and length of every symbol,
 * 256 being EOS. Used to encode, as an independent check of the decoder's
 * table (which lists the same code in code order). */
static const struct { uint32_t code; uint8_t len; } RFC_HUFFMAN[257] = {
    {0x1ff8, 13}, {0x7fffd8, 23}, {0xfffffe2, 28}, {0xfffffe3, 28}, {0xfffffe4, 28},
    {0xfffffe5, 28}, {0xfffffe6, 28}, {0xfffffe7, 28}, {0xfffffe8, 28}, {0xffffea, 24},
    {0x3ffffffc, 30}, {0xfffffe9, 28}, {0xfffffea, 28}, {0x3ffffffd, 30}, {0xfffffeb, 28},
    {0xfffffec, 28}, {0xfffffed, 28}, {0xfffffee, 28}, {0xfffffef, 28}, {0xffffff0, 28},
    {0xffffff1, 28}, {0xffffff2, 28}, {0x3ffffffe, 30}, {0xffffff3, 28}, {0xffffff4, 28},
    {0xffffff5, 28}, {0xffffff6, 28}, {0xffffff7, 28}, {0xffffff8, 28}, {0xffffff9, 28},
    {0xffffffa, 28}, {0xffffffb, 28}, {0x14, 6}, {0x3f8, 10}, {0x3f9, 10}, {0xffa, 12},
    {0x1ff9, 13}, {0x15, 6}, {0xf8, 8}, {0x7fa, 11}, {0x3fa, 10}, {0x3fb, 10}, {0xf9, 8},
    {0x7fb, 11}, {0xfa, 8}, {0x16, 6}, {0x17, 6}, {0x18, 6}, {0x0, 5}, {0x1, 5}, {0x2, 5},
    {0x19, 6}, {0x1a, 6}, {0x1b, 6}, {0x1c, 6}, {0x1d, 6}, {0x1e, 6}, {0x1f, 6}, {0x5c, 7},
    {0xfb, 8}, {0x7ffc, 15}, {0x20, 6}, {0xffb, 12}, {0x3fc, 10}, {0x1ffa, 13}, {0x21, 6},
    {0x5d, 7}, {0x5e, 7}, {0x5f, 7}, {0x60, 7}, {0x61, 7}, {0x62, 7}, {0x63, 7}, {0x64, 7},
    {0x65, 7}, {0x66, 7}, {0x67, 7}, {0x68, 7}, {0x69, 7}, {0x6a, 7}, {0x6b, 7}, {0x6c, 7},
    {0x6d, 7}, {0x6e, 7}, {0x6f, 7}, {0x70, 7}, {0x71, 7}, {0x72, 7}, {0xfc, 8}, {0x73, 7},
    {0xfd, 8}, {0x1ffb, 13}, {0x7fff0, 19}, {0x1ffc, 13}, {0x3ffc, 14}, {0x22, 6}, {0x7ffd, 15},
    {0x3, 5}, {0x23, 6}, {0x4, 5}, {0x24, 6}, {0x5, 5}, {0x25, 6}, {0x26, 6}, {0x27, 6}, {0x6, 5},
    {0x74, 7}, {0x75, 7}, {0x28, 6}, {0x29, 6}, {0x2a, 6}, {0x7, 5}, {0x2b, 6}, {0x76, 7},
    {0x2c, 6}, {0x8, 5}, {0x9, 5}, {0x2d, 6}, {0x77, 7}, {0x78, 7}, {0x79, 7}, {0x7a, 7}, {0x7b, 7},
    {0x7ffe, 15}, {0x7fc, 11}, {0x3ffd, 14}, {0x1ffd, 13}, {0xffffffc, 28}, {0xfffe6, 20},
    {0x3fffd2, 22}, {0xfffe7, 20}, {0xfffe8, 20}, {0x3fffd3, 22}, {0x3fffd4, 22}, {0x3fffd5, 22},
    {0x7fffd9, 23}, {0x3fffd6, 22}, {0x7fffda, 23}, {0x7fffdb, 23}, {0x7fffdc, 23}, {0x7fffdd, 23},
    {0x7fffde, 23}, {0xffffeb, 24}, {0x7fffdf, 23}, {0xffffec, 24}, {0xffffed, 24}, {0x3fffd7, 22},
    {0x7fffe0, 23}, {0xffffee, 24}, {0x7fffe1, 23}, {0x7fffe2, 23}, {0x7fffe3, 23}, {0x7fffe4, 23},
    {0x1fffdc, 21}, {0x3fffd8, 22}, {0x7fffe5, 23}, {0x3fffd9, 22}, {0x7fffe6, 23}, {0x7fffe7, 23},
    {0xffffef, 24}, {0x3fffda, 22}, {0x1fffdd, 21}, {0xfffe9, 20}, {0x3fffdb, 22}, {0x3fffdc, 22},
    {0x7fffe8, 23}, {0x7fffe9, 23}, {0x1fffde, 21}, {0x7fffea, 23}, {0x3fffdd, 22}, {0x3fffde, 22},
    {0xfffff0, 24}, {0x1fffdf, 21}, {0x3fffdf, 22}, {0x7fffeb, 23}, {0x7fffec, 23}, {0x1fffe0, 21},
    {0x1fffe1, 21}, {0x3fffe0, 22}, {0x1fffe2, 21}, {0x7fffed, 23}, {0x3fffe1, 22}, {0x7fffee, 23},
    {0x7fffef, 23}, {0xfffea, 20}, {0x3fffe2, 22}, {0x3fffe3, 22}, {0x3fffe4, 22}, {0x7ffff0, 23},
    {0x3fffe5, 22}, {0x3fffe6, 22}, {0x7ffff1, 23}, {0x3ffffe0, 26}, {0x3ffffe1, 26}, {0xfffeb, 20},
    {0x7fff1, 19}, {0x3fffe7, 22}, {0x7ffff2, 23}, {0x3fffe8, 22}, {0x1ffffec, 25}, {0x3ffffe2, 26},
    {0x3ffffe3, 26}, {0x3ffffe4, 26}, {0x7ffffde, 27}, {0x7ffffdf, 27}, {0x3ffffe5, 26},
    {0xfffff1, 24}, {0x1ffffed, 25}, {0x7fff2, 19}, {0x1fffe3, 21}, {0x3ffffe6, 26},
    {0x7ffffe0, 27}, {0x7ffffe1, 27}, {0x3ffffe7, 26}, {0x7ffffe2, 27}, {0xfffff2, 24},
    {0x1fffe4, 21}, {0x1fffe5, 21}, {0x3ffffe8, 26}, {0x3ffffe9, 26}, {0xffffffd, 28},
    {0x7ffffe3, 27}, {0x7ffffe4, 27}, {0x7ffffe5, 27}, {0xfffec, 20}, {0xfffff3, 24}, {0xfffed, 20},
    {0x1fffe6, 21}, {0x3fffe9, 22}, {0x1fffe7, 21}, {0x1fffe8, 21}, {0x7ffff3, 23}, {0x3fffea, 22},
    {0x3fffeb, 22}, {0x1ffffee, 25}, {0x1ffffef, 25}, {0xfffff4, 24}, {0xfffff5, 24},
    {0x3ffffea, 26}, {0x7ffff4, 23}, {0x3ffffeb, 26}, {0x7ffffe6, 27}, {0x3ffffec, 26},
    {0x3ffffed, 26}, {0x7ffffe7, 27}, {0x7ffffe8, 27}, {0x7ffffe9, 27}, {0x7ffffea, 27},
    {0x7ffffeb, 27}, {0xffffffe, 28}, {0x7ffffec, 27}, {0x7ffffed, 27}, {0x7ffffee, 27},
    {0x7ffffef, 27}, {0x7fffff0, 27}, {0x3ffffee, 26}, {0x3fffffff, 30},
};

/* ---- helpers ---- */

#define MAX_FIELDS 4096

typedef struct Field {
    char *name;
    char *value;
    bool never_indexed;
} Field;

typedef struct Collector {
    Field fields[MAX_FIELDS];
    size_t count;
} Collector;

static char *dup_bytes(const uint8_t *p, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    if (n)
        memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static void collect(void *ctx, const HpackHeader *h)
{
    Collector *c = ctx;
    if (c->count == MAX_FIELDS)
        return;
    Field *f = &c->fields[c->count++];
    f->name = dup_bytes(h->name, h->name_len);
    f->value = dup_bytes(h->value, h->value_len);
    f->never_indexed = h->never_indexed;
}

static void collector_reset(Collector *c)
{
    for (size_t i = 0; i < c->count; i++) {
        free(c->fields[i].name);
        free(c->fields[i].value);
    }
    c->count = 0;
}

static Collector *collector_new(void)
{
    Collector *c = calloc(1, sizeof(*c));
    assert_non_null(c);
    return c;
}

static void collector_free(Collector *c)
{
    collector_reset(c);
    free(c);
}

static size_t from_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex) / 2;
    assert_true(n <= cap);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

typedef struct Pair {
    const char *name;
    const char *value;
} Pair;

static void assert_fields(const Collector *c, const Pair *want, size_t n)
{
    assert_int_equal(c->count, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(c->fields[i].name, want[i].name);
        assert_string_equal(c->fields[i].value, want[i].value);
    }
}

/* Dynamic table contents, newest first, and its size. */
static void assert_table(const HpackDecoder *d, const Pair *want, size_t n, uint32_t size)
{
    assert_int_equal(hpack_table_count(d), n);
    assert_int_equal(hpack_table_size(d), size);
    for (size_t i = 0; i < n; i++) {
        HpackHeader e;
        assert_true(hpack_table_entry(d, (uint32_t)i + 1, &e));
        assert_int_equal(e.name_len, strlen(want[i].name));
        assert_memory_equal(e.name, want[i].name, e.name_len);
        assert_int_equal(e.value_len, strlen(want[i].value));
        if (e.value_len)
            assert_memory_equal(e.value, want[i].value, e.value_len);
    }
    HpackHeader past;
    assert_false(hpack_table_entry(d, (uint32_t)n + 1, &past));
    assert_false(hpack_table_entry(d, 0, &past));
}

static HpackResult decode_hex(HpackDecoder *d, const char *hex, Collector *c)
{
    uint8_t buf[512];
    size_t n = from_hex(hex, buf, sizeof(buf));
    return hpack_decode_block(d, buf, n, c ? collect : NULL, c);
}

/* Appends `v` with an n-bit prefix whose high bits are `flags` (section 5.1). */
static size_t put_integer(uint8_t *out, unsigned prefix_bits, uint8_t flags, uint32_t v)
{
    uint32_t max = (1u << prefix_bits) - 1;
    size_t n = 0;
    if (v < max) {
        out[n++] = (uint8_t)(flags | v);
        return n;
    }
    out[n++] = (uint8_t)(flags | max);
    v -= max;
    while (v >= 128) {
        out[n++] = (uint8_t)(0x80 | (v & 0x7f));
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

/* Huffman-encodes with the table of Appendix B; EOS-prefix padding. */
static size_t huffman_encode(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    uint64_t acc = 0;
    unsigned bits = 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        acc = (acc << RFC_HUFFMAN[in[i]].len) | RFC_HUFFMAN[in[i]].code;
        bits += RFC_HUFFMAN[in[i]].len;
        while (bits >= 8) {
            assert_true(n < cap);
            out[n++] = (uint8_t)(acc >> (bits - 8));
            bits -= 8;
        }
    }
    if (bits) {
        assert_true(n < cap);
        out[n++] = (uint8_t)((acc << (8 - bits)) | (0xffu >> bits));
    }
    return n;
}

/* ---- C.1 and integer edge cases ---- */

static uint32_t read_int(const uint8_t *p, size_t n, unsigned prefix, HpackResult want_rc, size_t want_used)
{
    ByteReader r = br_init(p, n);
    uint32_t v = 0;
    assert_int_equal(hpack_read_integer(&r, prefix, &v), want_rc);
    if (want_rc == HPACK_OK)
        assert_int_equal(r.pos, want_used);
    return v;
}

static void test_c1_integers(void **st)
{
    (void)st;
    static const uint8_t c11[] = { 0x0a }; /* C.1.1: 10, 5-bit prefix */
    assert_int_equal(read_int(c11, 1, 5, HPACK_OK, 1), 10);
    static const uint8_t c11_flags[] = { 0xea }; /* the bits above the prefix do not count */
    assert_int_equal(read_int(c11_flags, 1, 5, HPACK_OK, 1), 10);
    static const uint8_t c12[] = { 0x1f, 0x9a, 0x0a }; /* C.1.2: 1337, 5-bit prefix */
    assert_int_equal(read_int(c12, 3, 5, HPACK_OK, 3), 1337);
    static const uint8_t c13[] = { 0x2a }; /* C.1.3: 42 at an octet boundary */
    assert_int_equal(read_int(c13, 1, 8, HPACK_OK, 1), 42);
}

static void test_integer_edges(void **st)
{
    (void)st;
    uint8_t buf[16];
    /* the prefix maximum itself needs a zero continuation byte */
    for (unsigned prefix = 1; prefix <= 8; prefix++) {
        uint32_t max = (1u << prefix) - 1;
        size_t n = put_integer(buf, prefix, 0, max);
        assert_int_equal(n, 2);
        assert_int_equal(read_int(buf, n, prefix, HPACK_OK, 2), max);
        n = put_integer(buf, prefix, 0, max - 1);
        assert_int_equal(read_int(buf, n, prefix, HPACK_OK, 1), max - 1);
        n = put_integer(buf, prefix, 0, UINT32_MAX);
        assert_int_equal(read_int(buf, n, prefix, HPACK_OK, n), UINT32_MAX);
        /* every truncation of a multi-byte integer */
        for (size_t k = 0; k < n; k++)
            read_int(buf, k, prefix, HPACK_ERR_TRUNCATED, 0);
    }
    /* 2^32 with a 5-bit prefix: 31 + 0xffffffe1 */
    static const uint8_t over[] = { 0x1f, 0xe1, 0xff, 0xff, 0xff, 0x0f };
    read_int(over, sizeof(over), 5, HPACK_ERR_BAD_INTEGER, 0);
    /* UINT32_MAX with a 5-bit prefix: 31 + 0xffffffe0, fits in 5 continuation bytes */
    static const uint8_t max5[] = { 0x1f, 0xe0, 0xff, 0xff, 0xff, 0x0f };
    assert_int_equal(read_int(max5, sizeof(max5), 5, HPACK_OK, 6), UINT32_MAX);
    /* a huge fifth continuation byte */
    static const uint8_t huge[] = { 0x1f, 0x80, 0x80, 0x80, 0x80, 0x7f };
    read_int(huge, sizeof(huge), 5, HPACK_ERR_BAD_INTEGER, 0);
    /* more than 5 continuation bytes, even of zeros */
    static const uint8_t long_zero[] = { 0x1f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
    read_int(long_zero, sizeof(long_zero), 5, HPACK_ERR_BAD_INTEGER, 0);
    /* 5 continuation bytes with padding zeros are still fine */
    static const uint8_t padded[] = { 0x1f, 0x81, 0x80, 0x80, 0x80, 0x00 };
    assert_int_equal(read_int(padded, sizeof(padded), 5, HPACK_OK, 6), 32);
    /* an overlong index in a block */
    HpackDecoder d;
    hpack_decoder_init(&d, HPACK_DEFAULT_TABLE_SIZE);
    static const uint8_t name_idx_over[] = { 0x7f, 0xc1, 0xff, 0xff, 0xff, 0x0f }; /* 63 + 0xffffffc1 */
    assert_int_equal(hpack_decode_block(&d, name_idx_over, sizeof(name_idx_over), NULL, NULL), HPACK_ERR_BAD_INTEGER);
    static const uint8_t idx_over[] = { 0xff, 0x80, 0xff, 0xff, 0xff, 0x7f };
    assert_int_equal(hpack_decode_block(&d, idx_over, sizeof(idx_over), NULL, NULL), HPACK_ERR_BAD_INTEGER);
    hpack_decoder_free(&d);
}

/* ---- C.2 ---- */

static void test_c2_single_fields(void **st)
{
    (void)st;
    Collector *c = collector_new();
    HpackDecoder d;

    /* C.2.1: literal with indexing, new name */
    hpack_decoder_init(&d, HPACK_DEFAULT_TABLE_SIZE);
    assert_int_equal(decode_hex(&d, "400a637573746f6d2d6b65790d637573746f6d2d686561646572", c), HPACK_OK);
    static const Pair c21[] = { { "custom-key", "custom-header" } };
    assert_fields(c, c21, 1);
    assert_false(c->fields[0].never_indexed);
    assert_table(&d, c21, 1, 55);
    hpack_decoder_free(&d);
    collector_reset(c);

    /* C.2.2: literal without indexing, indexed name */
    hpack_decoder_init(&d, HPACK_DEFAULT_TABLE_SIZE);
    assert_int_equal(decode_hex(&d, "040c2f73616d706c652f70617468", c), HPACK_OK);
    static const Pair c22[] = { { ":path", "/sample/path" } };
    assert_fields(c, c22, 1);
    assert_false(c->fields[0].never_indexed);
    assert_table(&d, NULL, 0, 0);
    hpack_decoder_free(&d);
    collector_reset(c);

    /* C.2.3: literal never indexed, new name */
    hpack_decoder_init(&d, HPACK_DEFAULT_TABLE_SIZE);
    assert_int_equal(decode_hex(&d, "100870617373776f726406736563726574", c), HPACK_OK);
    static const Pair c23[] = { { "password", "secret" } };
    assert_fields(c, c23, 1);
    assert_true(c->fields[0].never_indexed);
    assert_table(&d, NULL, 0, 0);
    hpack_decoder_free(&d);
    collector_reset(c);

    /* C.2.4: indexed field */
    hpack_decoder_init(&d, HPACK_DEFAULT_TABLE_SIZE);
    assert_int_equal(decode_hex(&d, "82", c), HPACK_OK);
    static const Pair c24[] = { { ":method", "GET" } };
    assert_fields(c, c24, 1);
    assert_table(&d, NULL, 0, 0);
    hpack_decoder_free(&d);
    collector_free(c);
}

/* ---- C.3 to C.6: sequences sharing one decoder ---- */

typedef struct Step {
    const char *hex;
    Pair fields[8];
    size_t field_count;
    Pair table[8]; /* newest first */
    size_t table_count;
    uint32_t table_size;
} Step;

static const Step C3_REQUESTS[] = {
    { "828684410f7777772e6578616d706c652e636f6d",
      { { ":method", "GET" }, { ":scheme", "http" }, { ":path", "/" }, { ":authority", "www.example.com" } }, 4,
      { { ":authority", "www.example.com" } }, 1, 57 },
    { "828684be58086e6f2d6361636865",
      { { ":method", "GET" }, { ":scheme", "http" }, { ":path", "/" }, { ":authority", "www.example.com" },
        { "cache-control", "no-cache" } }, 5,
      { { "cache-control", "no-cache" }, { ":authority", "www.example.com" } }, 2, 110 },
    { "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565",
      { { ":method", "GET" }, { ":scheme", "https" }, { ":path", "/index.html" }, { ":authority", "www.example.com" },
        { "custom-key", "custom-value" } }, 5,
      { { "custom-key", "custom-value" }, { "cache-control", "no-cache" }, { ":authority", "www.example.com" } }, 3,
      164 },
};

static const Step C4_REQUESTS[] = {
    { "828684418cf1e3c2e5f23a6ba0ab90f4ff",
      { { ":method", "GET" }, { ":scheme", "http" }, { ":path", "/" }, { ":authority", "www.example.com" } }, 4,
      { { ":authority", "www.example.com" } }, 1, 57 },
    { "828684be5886a8eb10649cbf",
      { { ":method", "GET" }, { ":scheme", "http" }, { ":path", "/" }, { ":authority", "www.example.com" },
        { "cache-control", "no-cache" } }, 5,
      { { "cache-control", "no-cache" }, { ":authority", "www.example.com" } }, 2, 110 },
    { "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf",
      { { ":method", "GET" }, { ":scheme", "https" }, { ":path", "/index.html" }, { ":authority", "www.example.com" },
        { "custom-key", "custom-value" } }, 5,
      { { "custom-key", "custom-value" }, { "cache-control", "no-cache" }, { ":authority", "www.example.com" } }, 3,
      164 },
};

#define DATE1 "Mon, 21 Oct 2013 20:13:21 GMT"
#define DATE2 "Mon, 21 Oct 2013 20:13:22 GMT"
#define LOCATION "https://www.example.com"
#define COOKIE "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"

#define RESPONSE_STEPS(hex1, hex2, hex3)                                                                       \
    {                                                                                                          \
        { hex1,                                                                                                \
          { { ":status", "302" }, { "cache-control", "private" }, { "date", DATE1 }, { "location", LOCATION } }, 4, \
          { { "location", LOCATION }, { "date", DATE1 }, { "cache-control", "private" }, { ":status", "302" } }, 4, \
          222 },                                                                                               \
        { hex2,                                                                                                \
          { { ":status", "307" }, { "cache-control", "private" }, { "date", DATE1 }, { "location", LOCATION } }, 4, \
          { { ":status", "307" }, { "location", LOCATION }, { "date", DATE1 }, { "cache-control", "private" } }, 4, \
          222 },                                                                                               \
        { hex3,                                                                                                \
          { { ":status", "200" }, { "cache-control", "private" }, { "date", DATE2 }, { "location", LOCATION },   \
            { "content-encoding", "gzip" }, { "set-cookie", COOKIE } }, 6,                                      \
          { { "set-cookie", COOKIE }, { "content-encoding", "gzip" }, { "date", DATE2 } }, 3, 215 },           \
    }

static const Step C5_RESPONSES[] = RESPONSE_STEPS(
    "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470733a"
    "2f2f7777772e6578616d706c652e636f6d",
    "4803333037c1c0bf",
    "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d4153444a4b4851"
    "4b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e3d31");

static const Step C6_RESPONSES[] = RESPONSE_STEPS(
    "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3",
    "4883640effc1c0bf",
    "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af2708"
    "7f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007");

static void run_sequence(const Step *steps, size_t n, uint32_t table_size)
{
    Collector *c = collector_new();
    HpackDecoder d;
    hpack_decoder_init(&d, table_size);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(decode_hex(&d, steps[i].hex, c), HPACK_OK);
        assert_fields(c, steps[i].fields, steps[i].field_count);
        assert_table(&d, steps[i].table, steps[i].table_count, steps[i].table_size);
        collector_reset(c);
    }
    hpack_decoder_free(&d);
    collector_free(c);
}

static void test_c3_requests_raw(void **st)
{
    (void)st;
    run_sequence(C3_REQUESTS, 3, HPACK_DEFAULT_TABLE_SIZE);
}

static void test_c4_requests_huffman(void **st)
{
    (void)st;
    run_sequence(C4_REQUESTS, 3, HPACK_DEFAULT_TABLE_SIZE);
}

static void test_c5_responses_raw_evicting(void **st)
{
    (void)st;
    run_sequence(C5_RESPONSES, 3, 256);
}

static void test_c6_responses_huffman_evicting(void **st)
{
    (void)st;
    run_sequence(C6_RESPONSES, 3, 256);
}

/* Every strict prefix of every Appendix C block, decoded with the table the
 * block was written for: a prefix ending between two representations
 * decodes (and the rest, as a block of its own, gives the remaining fields
 * and the same table); any other ends in HPACK_ERR_TRUNCATED. */
static void check_truncations(const Step *steps, size_t n, uint32_t table_size)
{
    uint8_t block[512];
    Collector *c = collector_new();
    for (size_t s = 0; s < n; s++) {
        size_t len = from_hex(steps[s].hex, block, sizeof(block));
        size_t ok_prefixes = 0;
        for (size_t k = 0; k < len; k++) {
            HpackDecoder d;
            hpack_decoder_init(&d, table_size);
            for (size_t p = 0; p < s; p++)
                assert_int_equal(decode_hex(&d, steps[p].hex, NULL), HPACK_OK);
            /* a copy of the prefix alone, so ASan sees any read past it */
            uint8_t *prefix = malloc(k ? k : 1);
            assert_non_null(prefix);
            memcpy(prefix, block, k);
            HpackResult rc = hpack_decode_block(&d, prefix, k, collect, c);
            free(prefix);
            if (rc == HPACK_OK) {
                ok_prefixes++;
                assert_int_equal(hpack_decode_block(&d, block + k, len - k, collect, c), HPACK_OK);
                assert_fields(c, steps[s].fields, steps[s].field_count);
                assert_table(&d, steps[s].table, steps[s].table_count, steps[s].table_size);
            } else {
                assert_int_equal(rc, HPACK_ERR_TRUNCATED);
            }
            collector_reset(c);
            hpack_decoder_free(&d);
        }
        /* the empty prefix and one after every field but the last */
        assert_int_equal(ok_prefixes, steps[s].field_count);
    }
    collector_free(c);
}

static void test_truncated_blocks(void **st)
{
    (void)st;
    check_truncations(C3_REQUESTS, 3, HPACK_DEFAULT_TABLE_SIZE);
    check_truncations(C4_REQUESTS, 3, HPACK_DEFAULT_TABLE_SIZE);
    check_truncations(C5_RESPONSES, 3, 256);
    check_truncations(C6_RESPONSES, 3, 256);
}

/* ---- Huffman (section 5.2, Appendix B) ---- */

static HpackResult huffman_decode_bytes(const uint8_t *in, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    /* a copy of exactly len bytes, so ASan sees any read past it */
    uint8_t *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, in, len);
    HpackResult rc = hpack_huffman_decode(copy, len, out, cap, out_len);
    free(copy);
    return rc;
}

static void test_huffman_every_symbol(void **st)
{
    (void)st;
    uint8_t enc[64], dec[64];
    for (unsigned sym = 0; sym < 256; sym++) {
        /* alone, and between two symbols of other lengths */
        const uint8_t alone[1] = { (uint8_t)sym };
        const uint8_t framed[3] = { 'a', (uint8_t)sym, 0xfe };
        const uint8_t *inputs[2] = { alone, framed };
        const size_t lens[2] = { 1, 3 };
        for (int i = 0; i < 2; i++) {
            size_t n = huffman_encode(inputs[i], lens[i], enc, sizeof(enc));
            size_t out_len = 0;
            assert_int_equal(huffman_decode_bytes(enc, n, dec, sizeof(dec), &out_len), HPACK_OK);
            assert_int_equal(out_len, lens[i]);
            assert_memory_equal(dec, inputs[i], lens[i]);
        }
    }
    /* all 256 symbols in one string */
    uint8_t all[256], all_enc[1024], all_dec[256];
    for (unsigned i = 0; i < 256; i++)
        all[i] = (uint8_t)(255 - i);
    size_t n = huffman_encode(all, sizeof(all), all_enc, sizeof(all_enc));
    size_t out_len = 0;
    assert_int_equal(huffman_decode_bytes(all_enc, n, all_dec, sizeof(all_dec), &out_len), HPACK_OK);
    assert_int_equal(out_len, 256);
    assert_memory_equal(all_dec, all, 256);
    /* an output buffer one byte short */
    assert_int_equal(huffman_decode_bytes(all_enc, n, all_dec, 255, &out_len), HPACK_ERR_STRING_TOO_LONG);
    /* the empty string */
    assert_int_equal(huffman_decode_bytes(all_enc, 0, all_dec, 0, &out_len), HPACK_OK);
    assert_int_equal(out_len, 0);
}

static void test_huffman_bad_padding_and_eos(void **st)
{
    (void)st;
    uint8_t out[16];
    size_t out_len;
    /* 'a' is 00011: padding 000 is not EOS's prefix */
    static const uint8_t zero_pad[] = { 0x18 };
    assert_int_equal(huffman_decode_bytes(zero_pad, 1, out, sizeof(out), &out_len), HPACK_ERR_BAD_HUFFMAN);
    /* padding 101: not all ones */
    static const uint8_t mixed_pad[] = { 0x1d };
    assert_int_equal(huffman_decode_bytes(mixed_pad, 1, out, sizeof(out), &out_len), HPACK_ERR_BAD_HUFFMAN);
    /* correct padding 111 */
    static const uint8_t good_pad[] = { 0x1f };
    assert_int_equal(huffman_decode_bytes(good_pad, 1, out, sizeof(out), &out_len), HPACK_OK);
    assert_int_equal(out_len, 1);
    assert_int_equal(out[0], 'a');
    /* 'a' then 11 one bits: padding longer than 7 bits */
    static const uint8_t long_pad[] = { 0x1f, 0xff };
    assert_int_equal(huffman_decode_bytes(long_pad, 2, out, sizeof(out), &out_len), HPACK_ERR_BAD_HUFFMAN);
    /* a whole byte of padding alone */
    static const uint8_t byte_pad[] = { 0xff };
    assert_int_equal(huffman_decode_bytes(byte_pad, 1, out, sizeof(out), &out_len), HPACK_ERR_BAD_HUFFMAN);
    /* EOS (30 ones) then 2 bits of padding */
    static const uint8_t eos[] = { 0xff, 0xff, 0xff, 0xff };
    assert_int_equal(huffman_decode_bytes(eos, 4, out, sizeof(out), &out_len), HPACK_ERR_BAD_HUFFMAN);
    /* 'a' (5 bits), EOS (30 bits), then 'a' and padding: EOS inside the string */
    /* bits: 00011 1111...(30) 00011 11 -> 42 bits; pad to 48 with ones */
    static const uint8_t eos_inside[] = { 0x1f, 0xff, 0xff, 0xff, 0xf8, 0xff };
    assert_int_equal(huffman_decode_bytes(eos_inside, sizeof(eos_inside), out, sizeof(out), &out_len),
                     HPACK_ERR_BAD_HUFFMAN);

    /* the same errors inside a block: a literal value of Huffman bytes */
    HpackDecoder d;
    hpack_decoder_init(&d, HPACK_DEFAULT_TABLE_SIZE);
    static const uint8_t block_bad_pad[] = { 0x04, 0x81, 0x18 };
    assert_int_equal(hpack_decode_block(&d, block_bad_pad, sizeof(block_bad_pad), NULL, NULL),
                     HPACK_ERR_BAD_HUFFMAN);
    static const uint8_t block_eos[] = { 0x04, 0x84, 0xff, 0xff, 0xff, 0xff };
    assert_int_equal(hpack_decode_block(&d, block_eos, sizeof(block_eos), NULL, NULL), HPACK_ERR_BAD_HUFFMAN);
    /* a Huffman name (section 6.2.1 with a new name) */
    static const uint8_t block_name[] = { 0x40, 0x81, 0x1f, 0x81, 0x1f };
    Collector *c = collector_new();
    assert_int_equal(hpack_decode_block(&d, block_name, sizeof(block_name), collect, c), HPACK_OK);
    static const Pair aa[] = { { "a", "a" } };
    assert_fields(c, aa, 1);
    assert_table(&d, aa, 1, 34);
    collector_free(c);
    hpack_decoder_free(&d);
}

/* ---- indexes (section 2.3.3) ---- */

static void test_bad_indexes(void **st)
{
    (void)st;
    HpackDecoder d;
    hpack_decoder_init(&d, HPACK_DEFAULT_TABLE_SIZE);
    Collector *c = collector_new();
    /* index 0 */
    static const uint8_t idx0[] = { 0x80 };
    assert_int_equal(hpack_decode_block(&d, idx0, 1, collect, c), HPACK_ERR_BAD_INDEX);
    /* the last static entry, and the first past it with an empty dynamic table */
    static const uint8_t idx61[] = { 0xbd };
    assert_int_equal(hpack_decode_block(&d, idx61, 1, collect, c), HPACK_OK);
    static const Pair www[] = { { "www-authenticate", "" } };
    assert_fields(c, www, 1);
    collector_reset(c);
    static const uint8_t idx62[] = { 0xbe };
    assert_int_equal(hpack_decode_block(&d, idx62, 1, collect, c), HPACK_ERR_BAD_INDEX);
    /* a literal whose name index is past the tables */
    static const uint8_t name62[] = { 0x7e, 0x01, 0x78 };
    assert_int_equal(hpack_decode_block(&d, name62, sizeof(name62), collect, c), HPACK_ERR_BAD_INDEX);
    static const uint8_t name_huge[] = { 0x0f, 0xf0, 0xff, 0xff, 0xff, 0x0f, 0x00 };
    assert_int_equal(hpack_decode_block(&d, name_huge, sizeof(name_huge), collect, c), HPACK_ERR_BAD_INDEX);
    assert_int_equal(c->count, 0);
    /* after one insertion, 62 is that entry and 63 is past it */
    static const uint8_t add[] = { 0x40, 0x01, 0x78, 0x01, 0x79 };
    assert_int_equal(hpack_decode_block(&d, add, sizeof(add), collect, c), HPACK_OK);
    assert_int_equal(hpack_decode_block(&d, idx62, 1, collect, c), HPACK_OK);
    static const Pair xy[] = { { "x", "y" }, { "x", "y" } };
    assert_fields(c, xy, 2);
    static const uint8_t idx63[] = { 0xbf };
    assert_int_equal(hpack_decode_block(&d, idx63, 1, collect, c), HPACK_ERR_BAD_INDEX);
    collector_free(c);
    hpack_decoder_free(&d);
}

/* ---- dynamic table size updates (sections 4.2, 6.3) ---- */

static void test_table_size_updates(void **st)
{
    (void)st;
    HpackDecoder d;
    hpack_decoder_init(&d, HPACK_DEFAULT_TABLE_SIZE);
    uint8_t block[32];
    size_t n;
    /* fill the table with C.3.1's entry */
    assert_int_equal(decode_hex(&d, "828684410f7777772e6578616d706c652e636f6d", NULL), HPACK_OK);
    assert_int_equal(hpack_table_size(&d), 57);
    /* 4097 > SETTINGS_HEADER_TABLE_SIZE 4096 */
    n = put_integer(block, 5, 0x20, 4097);
    assert_int_equal(hpack_decode_block(&d, block, n, NULL, NULL), HPACK_ERR_TABLE_SIZE_TOO_LARGE);
    assert_int_equal(hpack_table_max_size(&d), 4096);
    assert_int_equal(hpack_table_size(&d), 57);
    /* an update after a field */
    block[0] = 0x82;
    n = 1 + put_integer(block + 1, 5, 0x20, 100);
    assert_int_equal(hpack_decode_block(&d, block, n, NULL, NULL), HPACK_ERR_TABLE_SIZE_UPDATE_NOT_AT_START);
    assert_int_equal(hpack_table_max_size(&d), 4096);
    /* two updates at the start (section 4.2): to 0, evicting all, then 4096 */
    n = put_integer(block, 5, 0x20, 0);
    n += put_integer(block + n, 5, 0x20, 4096);
    block[n++] = 0x82;
    assert_int_equal(hpack_decode_block(&d, block, n, NULL, NULL), HPACK_OK);
    assert_int_equal(hpack_table_count(&d), 0);
    assert_int_equal(hpack_table_size(&d), 0);
    assert_int_equal(hpack_table_max_size(&d), 4096);
    /* an update that evicts the oldest only */
    assert_int_equal(decode_hex(&d, "828684410f7777772e6578616d706c652e636f6d", NULL), HPACK_OK);
    assert_int_equal(decode_hex(&d, "828684be58086e6f2d6361636865", NULL), HPACK_OK);
    assert_int_equal(hpack_table_size(&d), 110);
    n = put_integer(block, 5, 0x20, 60);
    assert_int_equal(hpack_decode_block(&d, block, n, NULL, NULL), HPACK_OK);
    static const Pair cc[] = { { "cache-control", "no-cache" } };
    assert_table(&d, cc, 1, 53);
    assert_int_equal(hpack_table_max_size(&d), 60);
    /* a smaller SETTINGS bound: 4096 is no longer allowed, 100 is */
    hpack_decoder_set_settings_max(&d, 100);
    n = put_integer(block, 5, 0x20, 4096);
    assert_int_equal(hpack_decode_block(&d, block, n, NULL, NULL), HPACK_ERR_TABLE_SIZE_TOO_LARGE);
    n = put_integer(block, 5, 0x20, 100);
    assert_int_equal(hpack_decode_block(&d, block, n, NULL, NULL), HPACK_OK);
    assert_int_equal(hpack_table_max_size(&d), 100);
    /* an update to UINT32_MAX and one past it */
    n = put_integer(block, 5, 0x20, UINT32_MAX);
    assert_int_equal(hpack_decode_block(&d, block, n, NULL, NULL), HPACK_ERR_TABLE_SIZE_TOO_LARGE);
    static const uint8_t over[] = { 0x3f, 0xe1, 0xff, 0xff, 0xff, 0x0f };
    assert_int_equal(hpack_decode_block(&d, over, sizeof(over), NULL, NULL), HPACK_ERR_BAD_INTEGER);
    hpack_decoder_free(&d);

    /* a table of size 0 keeps nothing */
    hpack_decoder_init(&d, 0);
    assert_int_equal(decode_hex(&d, "400a637573746f6d2d6b65790d637573746f6d2d686561646572", NULL), HPACK_OK);
    assert_int_equal(hpack_table_count(&d), 0);
    hpack_decoder_free(&d);
}

/* ---- insertion and eviction (section 4.4) ---- */

static void test_insert_evicts_entry_of_its_name(void **st)
{
    (void)st;
    /* 43-byte entries in a 64-byte table: each insertion evicts the last */
    HpackDecoder d;
    hpack_decoder_init(&d, 64);
    Collector *c = collector_new();
    assert_int_equal(decode_hex(&d, "400a637573746f6d2d6b65790176", c), HPACK_OK); /* custom-key: v */
    /* name from entry 62, the one evicted to make room */
    assert_int_equal(decode_hex(&d, "7e0177", c), HPACK_OK);
    static const Pair want[] = { { "custom-key", "v" }, { "custom-key", "w" } };
    assert_fields(c, want, 2);
    static const Pair table[] = { { "custom-key", "w" } };
    assert_table(&d, table, 1, 43);
    collector_reset(c);
    /* an entry larger than the table empties it and is not added */
    assert_int_equal(decode_hex(&d, "400a637573746f6d2d6b6579173031323334353637383930313233343536373839303132", c),
                     HPACK_OK);
    assert_int_equal(c->count, 1);
    assert_table(&d, NULL, 0, 0);
    /* an entry of exactly the table size fits alone */
    assert_int_equal(decode_hex(&d, "400a637573746f6d2d6b65791630313233343536373839303132333435363738393031", c),
                     HPACK_OK);
    assert_int_equal(hpack_table_size(&d), 64);
    assert_int_equal(hpack_table_count(&d), 1);
    collector_free(c);
    hpack_decoder_free(&d);

    /* many small entries: the ring grows and wraps */
    hpack_decoder_init(&d, 34 * 20);
    uint8_t block[5] = { 0x40, 0x01, 0, 0x01, 0 };
    for (unsigned i = 0; i < 200; i++) {
        block[2] = (uint8_t)('a' + i % 26);
        block[4] = (uint8_t)('0' + i % 10);
        assert_int_equal(hpack_decode_block(&d, block, sizeof(block), NULL, NULL), HPACK_OK);
        uint32_t want_count = i + 1 < 20 ? i + 1 : 20;
        assert_int_equal(hpack_table_count(&d), want_count);
        assert_int_equal(hpack_table_size(&d), want_count * 34);
        HpackHeader e;
        assert_true(hpack_table_entry(&d, 1, &e));
        assert_int_equal(e.name[0], block[2]);
        assert_int_equal(e.value[0], block[4]);
        if (i >= 19) {
            assert_true(hpack_table_entry(&d, 20, &e));
            assert_int_equal(e.name[0], 'a' + (i - 19) % 26);
        }
    }
    hpack_decoder_free(&d);
}

/* ---- size caps ---- */

static void test_size_caps(void **st)
{
    (void)st;
    HpackDecoder d;
    hpack_decoder_init(&d, HPACK_DEFAULT_TABLE_SIZE);
    size_t big = HPACK_MAX_STRING_LEN + 16;
    uint8_t *block = malloc(big * 2);
    assert_non_null(block);
    size_t n;

    /* a raw value one byte over the cap: rejected from its length alone */
    n = 0;
    block[n++] = 0x00;
    block[n++] = 0x01;
    block[n++] = 'x';
    n += put_integer(block + n, 7, 0x00, HPACK_MAX_STRING_LEN + 1);
    assert_int_equal(hpack_decode_block(&d, block, n, NULL, NULL), HPACK_ERR_STRING_TOO_LONG);
    /* a raw name one byte over the cap */
    n = 0;
    block[n++] = 0x40;
    n += put_integer(block + n, 7, 0x00, HPACK_MAX_STRING_LEN + 1);
    assert_int_equal(hpack_decode_block(&d, block, n, NULL, NULL), HPACK_ERR_STRING_TOO_LONG);
    /* a value of exactly the cap is a string of allowed length, but with
     * its name and 32 it is over the header list cap */
    n = 0;
    block[n++] = 0x00;
    block[n++] = 0x01;
    block[n++] = 'x';
    n += put_integer(block + n, 7, 0x00, HPACK_MAX_STRING_LEN);
    memset(block + n, 'v', HPACK_MAX_STRING_LEN);
    n += HPACK_MAX_STRING_LEN;
    assert_int_equal(hpack_decode_block(&d, block, n, NULL, NULL), HPACK_ERR_HEADER_LIST_TOO_LONG);
    /* a Huffman value decoding to one byte over the cap: 'a' is 5 bits */
    uint8_t *plain = malloc(HPACK_MAX_STRING_LEN + 1);
    assert_non_null(plain);
    memset(plain, 'a', HPACK_MAX_STRING_LEN + 1);
    uint8_t *enc = malloc(HPACK_MAX_STRING_LEN);
    assert_non_null(enc);
    size_t enc_len = huffman_encode(plain, HPACK_MAX_STRING_LEN + 1, enc, HPACK_MAX_STRING_LEN);
    n = 0;
    block[n++] = 0x00;
    block[n++] = 0x01;
    block[n++] = 'x';
    n += put_integer(block + n, 7, 0x80, (uint32_t)enc_len);
    memcpy(block + n, enc, enc_len);
    n += enc_len;
    assert_int_equal(hpack_decode_block(&d, block, n, NULL, NULL), HPACK_ERR_STRING_TOO_LONG);
    /* a Huffman value of 40000 bytes is fine */
    enc_len = huffman_encode(plain, 40000, enc, HPACK_MAX_STRING_LEN);
    n = 0;
    block[n++] = 0x00;
    block[n++] = 0x01;
    block[n++] = 'x';
    n += put_integer(block + n, 7, 0x80, (uint32_t)enc_len);
    memcpy(block + n, enc, enc_len);
    n += enc_len;
    Collector *c = collector_new();
    assert_int_equal(hpack_decode_block(&d, block, n, collect, c), HPACK_OK);
    assert_int_equal(c->count, 1);
    assert_int_equal(strlen(c->fields[0].value), 40000);
    collector_reset(c);
    free(enc);
    free(plain);

    /* many small fields: ":method GET" counts 7 + 3 + 32 = 42 */
    size_t fields = HPACK_MAX_HEADER_LIST_SIZE / 42 + 1;
    memset(block, 0x82, fields);
    assert_int_equal(hpack_decode_block(&d, block, fields, collect, c), HPACK_ERR_HEADER_LIST_TOO_LONG);
    assert_int_equal(c->count, fields - 1);
    collector_reset(c);
    /* the cap is per block */
    assert_int_equal(hpack_decode_block(&d, block, fields - 1, collect, c), HPACK_OK);
    assert_int_equal(hpack_decode_block(&d, block, fields - 1, NULL, NULL), HPACK_OK);
    collector_free(c);
    free(block);
    hpack_decoder_free(&d);
}

/* ---- errors: names and recovery ---- */

static void test_result_names(void **st)
{
    (void)st;
    assert_string_equal(hpack_result_name(HPACK_OK), "ok");
    assert_string_equal(hpack_result_name(HPACK_ERR_BAD_INDEX), "hpack_bad_index");
    assert_string_equal(hpack_result_name(HPACK_ERR_BAD_HUFFMAN), "hpack_bad_huffman");
    for (int i = 0; i < HPACK_RESULT_COUNT; i++) {
        assert_non_null(hpack_result_name((HpackResult)i));
        for (int j = 0; j < i; j++)
            assert_string_not_equal(hpack_result_name((HpackResult)i), hpack_result_name((HpackResult)j));
    }
    assert_string_equal(hpack_result_name(HPACK_RESULT_COUNT), "hpack_unknown");
}

static void test_usable_after_errors(void **st)
{
    (void)st;
    HpackDecoder d;
    hpack_decoder_init(&d, HPACK_DEFAULT_TABLE_SIZE);
    Collector *c = collector_new();
    /* a field enters the table, then the block fails */
    assert_int_equal(decode_hex(&d, "400a637573746f6d2d6b65790d637573746f6d2d68656164657280", c), HPACK_ERR_BAD_INDEX);
    assert_int_equal(c->count, 1);
    assert_int_equal(hpack_table_count(&d), 1);
    collector_reset(c);
    /* a truncated Huffman string */
    assert_int_equal(decode_hex(&d, "418cf1e3c2e5f23a6ba0ab90f4", c), HPACK_ERR_TRUNCATED);
    /* later blocks still decode against the table as it is */
    assert_int_equal(decode_hex(&d, "be82", c), HPACK_OK);
    static const Pair want[] = { { "custom-key", "custom-header" }, { ":method", "GET" } };
    assert_fields(c, want, 2);
    collector_free(c);
    /* the empty block, a NULL callback, and freeing twice */
    assert_int_equal(hpack_decode_block(&d, NULL, 0, NULL, NULL), HPACK_OK);
    hpack_decoder_free(&d);
    hpack_decoder_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c1_integers),
        cmocka_unit_test(test_integer_edges),
        cmocka_unit_test(test_c2_single_fields),
        cmocka_unit_test(test_c3_requests_raw),
        cmocka_unit_test(test_c4_requests_huffman),
        cmocka_unit_test(test_c5_responses_raw_evicting),
        cmocka_unit_test(test_c6_responses_huffman_evicting),
        cmocka_unit_test(test_truncated_blocks),
        cmocka_unit_test(test_huffman_every_symbol),
        cmocka_unit_test(test_huffman_bad_padding_and_eos),
        cmocka_unit_test(test_bad_indexes),
        cmocka_unit_test(test_table_size_updates),
        cmocka_unit_test(test_insert_evicts_entry_of_its_name),
        cmocka_unit_test(test_size_caps),
        cmocka_unit_test(test_result_names),
        cmocka_unit_test(test_usable_after_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
