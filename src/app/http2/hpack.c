/*
 * HPACK header-block decoding (RFC 7541; contract in hpack.h).
 *
 * A block is a sequence of representations, told apart by the high bits of
 * their first byte (section 6): an indexed field (1xxxxxxx), a literal with
 * incremental indexing (01xxxxxx), a dynamic table size update (001xxxxx),
 * a literal never indexed (0001xxxx) or without indexing (0000xxxx).
 * Indexes address the static table (1..61, Appendix A) and then the dynamic
 * table, newest entry first. Integers have an N-bit prefix and 7-bit
 * continuation bytes (section 5.1); strings are a length and raw or
 * Huffman-coded bytes (section 5.2, code of Appendix B). Every read of the
 * block goes through the bounds-checked helpers of util/bytes.h.
 *
 * Raw strings are handed out in place; Huffman-decoded ones go to one of
 * two scratch buffers of the decoder (one for names, one for values), grown
 * on demand up to HPACK_MAX_STRING_LEN. Each field is handed to the
 * callback before a literal with incremental indexing enters the table, so
 * a name taken from an entry that the insertion evicts (section 4.4) is
 * still valid during the call; the new entry is copied before any eviction
 * for the same reason.
 *
 * The dynamic table is a ring of entries, oldest first, each with its name
 * and value in one allocation. Its size is the sum of name + value + 32
 * over the entries (section 4.1); inserting evicts from the oldest until
 * the new entry fits, and an entry larger than the maximum empties the
 * table (section 4.4). As every entry counts at least 32 bytes, the ring
 * never holds more than max_size / 32 entries.
 *
 * The Huffman code is canonical: the codes of one length are consecutive
 * numbers, in symbol order, and the first code of a length is the code
 * after the last one of the previous length, shifted left by one bit. The
 * decoder therefore only needs the number of codes of every length and the
 * symbols in code order; it walks the bits one at a time, keeping the first
 * code of the current length and the index of its symbol.
 */
#include "app/http2/hpack.h"

#include <stdlib.h>
#include <string.h>

/* At most this many continuation bytes after a full prefix: 5 * 7 bits
 * cover any 32-bit value (section 5.1). */
#define HPACK_INT_MAX_CONTINUATION 5u
#define HUFFMAN_SYMBOLS 257
#define HUFFMAN_EOS 256
#define HUFFMAN_MAX_CODE_LEN 30
#define HUFFMAN_MIN_CODE_LEN 5
#define SCRATCH_MIN_CAP 256u

static const uint8_t EMPTY_STRING[1] = { 0 };

/* ---- static table (Appendix A) ---- */

typedef struct StaticEntry {
    const char *name;
    const char *value;
} StaticEntry;

static const StaticEntry static_table[HPACK_STATIC_TABLE_LEN] = {
    { ":authority", "" },
    { ":method", "GET" },
    { ":method", "POST" },
    { ":path", "/" },
    { ":path", "/index.html" },
    { ":scheme", "http" },
    { ":scheme", "https" },
    { ":status", "200" },
    { ":status", "204" },
    { ":status", "206" },
    { ":status", "304" },
    { ":status", "400" },
    { ":status", "404" },
    { ":status", "500" },
    { "accept-charset", "" },
    { "accept-encoding", "gzip, deflate" },
    { "accept-language", "" },
    { "accept-ranges", "" },
    { "accept", "" },
    { "access-control-allow-origin", "" },
    { "age", "" },
    { "allow", "" },
    { "authorization", "" },
    { "cache-control", "" },
    { "content-disposition", "" },
    { "content-encoding", "" },
    { "content-language", "" },
    { "content-length", "" },
    { "content-location", "" },
    { "content-range", "" },
    { "content-type", "" },
    { "cookie", "" },
    { "date", "" },
    { "etag", "" },
    { "expect", "" },
    { "expires", "" },
    { "from", "" },
    { "host", "" },
    { "if-match", "" },
    { "if-modified-since", "" },
    { "if-none-match", "" },
    { "if-range", "" },
    { "if-unmodified-since", "" },
    { "last-modified", "" },
    { "link", "" },
    { "location", "" },
    { "max-forwards", "" },
    { "proxy-authenticate", "" },
    { "proxy-authorization", "" },
    { "range", "" },
    { "referer", "" },
    { "refresh", "" },
    { "retry-after", "" },
    { "server", "" },
    { "set-cookie", "" },
    { "strict-transport-security", "" },
    { "transfer-encoding", "" },
    { "user-agent", "" },
    { "vary", "" },
    { "via", "" },
    { "www-authenticate", "" },
};

/* ---- Huffman code (Appendix B) ---- */

/* Number of codes of every length in bits. */
static const uint8_t huffman_codes_per_length[HUFFMAN_MAX_CODE_LEN + 1] = {
    0, 0, 0, 0, 0, 10, 26, 32, 6, 0, 5, 3, 2, 6, 2, 3, 0, 0, 0, 3, 8, 13, 26, 29, 12, 4, 15, 19, 29, 0, 4,
};

/* The symbols of Appendix B sorted by code (by length, then by symbol);
 * 256 is EOS, the 30-bit all-ones code. */
static const uint16_t huffman_symbols_in_code_order[HUFFMAN_SYMBOLS] = {
    /*  5 bits */ 48, 49, 50, 97, 99, 101, 105, 111, 115, 116,
    /*  6 bits */ 32, 37, 45, 46, 47, 51, 52, 53, 54, 55, 56, 57, 61, 65, 95, 98, 100, 102, 103,
                  104, 108, 109, 110, 112, 114, 117,
    /*  7 bits */ 58, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84,
                  85, 86, 87, 89, 106, 107, 113, 118, 119, 120, 121, 122,
    /*  8 bits */ 38, 42, 44, 59, 88, 90,
    /* 10 bits */ 33, 34, 40, 41, 63,
    /* 11 bits */ 39, 43, 124,
    /* 12 bits */ 35, 62,
    /* 13 bits */ 0, 36, 64, 91, 93, 126,
    /* 14 bits */ 94, 125,
    /* 15 bits */ 60, 96, 123,
    /* 19 bits */ 92, 195, 208,
    /* 20 bits */ 128, 130, 131, 162, 184, 194, 224, 226,
    /* 21 bits */ 153, 161, 167, 172, 176, 177, 179, 209, 216, 217, 227, 229, 230,
    /* 22 bits */ 129, 132, 133, 134, 136, 146, 154, 156, 160, 163, 164, 169, 170, 173, 178, 181,
                  185, 186, 187, 189, 190, 196, 198, 228, 232, 233,
    /* 23 bits */ 1, 135, 137, 138, 139, 140, 141, 143, 147, 149, 150, 151, 152, 155, 157, 158, 165,
                  166, 168, 174, 175, 180, 182, 183, 188, 191, 197, 231, 239,
    /* 24 bits */ 9, 142, 144, 145, 148, 159, 171, 206, 215, 225, 236, 237,
    /* 25 bits */ 199, 207, 234, 235,
    /* 26 bits */ 192, 193, 200, 201, 202, 205, 210, 213, 218, 219, 238, 240, 242, 243, 255,
    /* 27 bits */ 203, 204, 211, 212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250, 251,
                  252, 253, 254,
    /* 28 bits */ 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27,
                  28, 29, 30, 31, 127, 220, 249,
    /* 30 bits */ 10, 13, 22, 256,
};

/* A partly read Huffman code: `bits` bits read so far make `code`; the
 * codes of that length start at `first`, whose symbol is at `index`. */
typedef struct HuffmanCursor {
    uint32_t code, first;
    unsigned index, bits;
} HuffmanCursor;

#define HUFFMAN_NEED_MORE (-1)
#define HUFFMAN_INVALID (-2)

static void huffman_cursor_reset(HuffmanCursor *c)
{
    memset(c, 0, sizeof(*c));
}

/* Adds one bit; returns the symbol it completes, or HUFFMAN_NEED_MORE. */
static int huffman_cursor_push_bit(HuffmanCursor *c, unsigned bit)
{
    if (c->bits >= HUFFMAN_MAX_CODE_LEN)
        return HUFFMAN_INVALID; /* cannot happen: the code is complete */
    c->code = (c->code << 1) | bit;
    c->bits++;
    uint32_t count = huffman_codes_per_length[c->bits];
    if (c->code - c->first < count) {
        int sym = huffman_symbols_in_code_order[c->index + (c->code - c->first)];
        huffman_cursor_reset(c);
        return sym;
    }
    c->index += count;
    c->first = (c->first + count) << 1;
    return HUFFMAN_NEED_MORE;
}

/* Section 5.2: the bits after the last symbol are padding, the most
 * significant bits of EOS (all ones), shorter than 8 bits. */
static bool huffman_padding_is_valid(const HuffmanCursor *c)
{
    return c->bits <= 7 && c->code == (1u << c->bits) - 1;
}

/* Appendix B, section 5.2. */
HpackResult hpack_huffman_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                                 size_t *out_len)
{
    ByteReader r = br_init(in, in_len);
    HuffmanCursor c;
    huffman_cursor_reset(&c);
    size_t n = 0;
    uint8_t byte;
    while (br_u8(&r, &byte)) {
        for (int shift = 7; shift >= 0; shift--) {
            int sym = huffman_cursor_push_bit(&c, (byte >> shift) & 1u);
            if (sym == HUFFMAN_NEED_MORE)
                continue;
            if (sym == HUFFMAN_INVALID || sym == HUFFMAN_EOS)
                return HPACK_ERR_BAD_HUFFMAN; /* EOS inside a string is an error */
            if (n == out_cap)
                return HPACK_ERR_STRING_TOO_LONG;
            out[n++] = (uint8_t)sym;
        }
    }
    if (!huffman_padding_is_valid(&c))
        return HPACK_ERR_BAD_HUFFMAN;
    *out_len = n;
    return HPACK_OK;
}

/* Every code is at least 5 bits long. */
static uint64_t huffman_max_decoded_len(uint32_t encoded_len)
{
    return (uint64_t)encoded_len * 8u / HUFFMAN_MIN_CODE_LEN;
}

/* ---- primitives (section 5) ---- */

/* Section 5.1. The reader is left anywhere on error. */
HpackResult hpack_read_integer(ByteReader *r, unsigned prefix_bits, uint32_t *value)
{
    if (prefix_bits < 1 || prefix_bits > 8)
        return HPACK_ERR_BAD_INTEGER;
    uint8_t b;
    if (!br_u8(r, &b))
        return HPACK_ERR_TRUNCATED;
    uint32_t prefix_max = (1u << prefix_bits) - 1;
    uint64_t v = b & prefix_max;
    if (v < prefix_max) {
        *value = (uint32_t)v;
        return HPACK_OK;
    }
    for (unsigned i = 0; i < HPACK_INT_MAX_CONTINUATION; i++) {
        if (!br_u8(r, &b))
            return HPACK_ERR_TRUNCATED;
        v += (uint64_t)(b & 0x7fu) << (7 * i);
        if (v > UINT32_MAX)
            return HPACK_ERR_BAD_INTEGER;
        if (!(b & 0x80u)) {
            *value = (uint32_t)v;
            return HPACK_OK;
        }
    }
    return HPACK_ERR_BAD_INTEGER;
}

/* The next byte of r without consuming it. */
static bool peek_u8(const ByteReader *r, uint8_t *v)
{
    ByteReader copy = *r;
    return br_u8(&copy, v);
}

/* Makes room for `need` bytes (at most HPACK_MAX_STRING_LEN); the old
 * contents are not kept. */
static bool scratch_reserve(HpackScratch *s, size_t need)
{
    if (s->cap >= need)
        return true;
    size_t cap = s->cap ? s->cap : SCRATCH_MIN_CAP;
    while (cap < need)
        cap *= 2;
    if (cap > HPACK_MAX_STRING_LEN)
        cap = HPACK_MAX_STRING_LEN;
    uint8_t *buf = malloc(cap);
    if (!buf)
        return false;
    free(s->buf);
    s->buf = buf;
    s->cap = cap;
    return true;
}

static void scratch_free(HpackScratch *s)
{
    free(s->buf);
    s->buf = NULL;
    s->cap = 0;
}

typedef struct HpackString {
    const uint8_t *bytes;
    size_t len;
} HpackString;

static HpackResult huffman_decode_to_scratch(const uint8_t *in, uint32_t in_len, HpackScratch *scratch,
                                             HpackString *out)
{
    uint64_t bound = huffman_max_decoded_len(in_len);
    size_t cap = bound < HPACK_MAX_STRING_LEN ? (size_t)bound : HPACK_MAX_STRING_LEN;
    if (cap == 0) {
        out->bytes = EMPTY_STRING;
        out->len = 0;
        return hpack_huffman_decode(in, in_len, NULL, 0, &out->len);
    }
    if (!scratch_reserve(scratch, cap))
        return HPACK_ERR_NO_MEMORY;
    out->bytes = scratch->buf;
    return hpack_huffman_decode(in, in_len, scratch->buf, cap, &out->len);
}

/* Section 5.2: H flag, 7-bit prefix length, then the octets. Raw strings
 * point into the block, Huffman-decoded ones into `scratch`. */
static HpackResult read_string(ByteReader *r, HpackScratch *scratch, HpackString *out)
{
    uint8_t first;
    if (!peek_u8(r, &first))
        return HPACK_ERR_TRUNCATED;
    bool huffman = (first & 0x80u) != 0;
    uint32_t len;
    HpackResult rc = hpack_read_integer(r, 7, &len);
    if (rc != HPACK_OK)
        return rc;
    if (!huffman && len > HPACK_MAX_STRING_LEN)
        return HPACK_ERR_STRING_TOO_LONG;
    const uint8_t *p;
    if (!br_bytes(r, len, &p))
        return HPACK_ERR_TRUNCATED;
    if (huffman)
        return huffman_decode_to_scratch(p, len, scratch, out);
    out->bytes = len ? p : EMPTY_STRING;
    out->len = len;
    return HPACK_OK;
}

/* ---- dynamic table (sections 2.3.2, 4) ---- */

static uint32_t entry_size(uint64_t name_len, uint64_t value_len)
{
    uint64_t size = name_len + value_len + HPACK_ENTRY_OVERHEAD;
    return size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
}

/* Dynamic entry `index`, 1 being the newest; NULL past the end. */
static const HpackEntry *table_entry_at(const HpackDecoder *d, uint32_t index)
{
    if (index == 0 || index > d->count)
        return NULL;
    return &d->ring[(d->oldest + d->count - index) % d->ring_cap];
}

static void table_evict_oldest(HpackDecoder *d)
{
    HpackEntry *e = &d->ring[d->oldest];
    d->size -= entry_size(e->name_len, e->value_len);
    free(e->bytes);
    memset(e, 0, sizeof(*e));
    d->oldest = (d->oldest + 1) % d->ring_cap;
    d->count--;
}

/* Section 4.3: evicts from the oldest until the size is at most `limit`. */
static void table_evict_to(HpackDecoder *d, uint32_t limit)
{
    while (d->count > 0 && d->size > limit)
        table_evict_oldest(d);
}

/* Grows the ring when it is full, moving the entries to its start. */
static bool table_make_room(HpackDecoder *d)
{
    if (d->count < d->ring_cap)
        return true;
    uint32_t cap = d->ring_cap ? d->ring_cap * 2 : 8;
    HpackEntry *ring = calloc(cap, sizeof(*ring));
    if (!ring)
        return false;
    for (uint32_t i = 0; i < d->count; i++)
        ring[i] = d->ring[(d->oldest + i) % d->ring_cap];
    free(d->ring);
    d->ring = ring;
    d->ring_cap = cap;
    d->oldest = 0;
    return true;
}

/* Section 4.4. The copy is made before evicting, as the name may be that
 * of an entry the insertion evicts. */
static HpackResult table_insert(HpackDecoder *d, const HpackString *name, const HpackString *value)
{
    uint32_t size = entry_size(name->len, value->len);
    if (size > d->max_size) {
        table_evict_to(d, 0);
        return HPACK_OK;
    }
    uint8_t *bytes = malloc(name->len + value->len + 1);
    if (!bytes)
        return HPACK_ERR_NO_MEMORY;
    memcpy(bytes, name->bytes, name->len);
    memcpy(bytes + name->len, value->bytes, value->len);
    table_evict_to(d, d->max_size - size);
    if (!table_make_room(d)) {
        free(bytes);
        return HPACK_ERR_NO_MEMORY;
    }
    HpackEntry *e = &d->ring[(d->oldest + d->count) % d->ring_cap];
    e->bytes = bytes;
    e->name_len = (uint32_t)name->len;
    e->value_len = (uint32_t)value->len;
    d->count++;
    d->size += size;
    return HPACK_OK;
}

/* Section 2.3.3: 1..61 is the static table, then the dynamic table. */
static bool lookup_index(const HpackDecoder *d, uint32_t index, HpackString *name, HpackString *value)
{
    if (index == 0)
        return false;
    if (index <= HPACK_STATIC_TABLE_LEN) {
        const StaticEntry *s = &static_table[index - 1];
        name->bytes = (const uint8_t *)s->name;
        name->len = strlen(s->name);
        value->bytes = (const uint8_t *)s->value;
        value->len = strlen(s->value);
        return true;
    }
    const HpackEntry *e = table_entry_at(d, index - HPACK_STATIC_TABLE_LEN);
    if (!e)
        return false;
    name->bytes = e->bytes;
    name->len = e->name_len;
    value->bytes = e->bytes + e->name_len;
    value->len = e->value_len;
    return true;
}

/* ---- representations (section 6) ---- */

typedef struct BlockState {
    const HpackCallbacks *cb;
    bool field_seen;    /* a field came: no more size updates */
    uint64_t list_size; /* name + value + 32 over the fields so far */
} BlockState;

typedef enum LiteralKind {
    LITERAL_INCREMENTAL, /* section 6.2.1 */
    LITERAL_WITHOUT_INDEXING, /* section 6.2.2 */
    LITERAL_NEVER_INDEXED, /* section 6.2.3 */
} LiteralKind;

static HpackResult emit_field(BlockState *b, const HpackString *name, const HpackString *value,
                              bool never_indexed)
{
    b->field_seen = true;
    b->list_size += (uint64_t)name->len + value->len + HPACK_ENTRY_OVERHEAD;
    if (b->list_size > HPACK_MAX_HEADER_LIST_SIZE)
        return HPACK_ERR_HEADER_LIST_TOO_LONG;
    if (b->cb->on_header) {
        HpackHeader h = { name->bytes, name->len, value->bytes, value->len, never_indexed };
        b->cb->on_header(b->cb->ctx, &h);
    }
    return HPACK_OK;
}

/* An index that names nothing: the block's end, or, lenient, the entry's. */
static HpackResult bad_index(const HpackDecoder *d, const BlockState *b, uint32_t index)
{
    if (!d->lenient)
        return HPACK_ERR_BAD_INDEX;
    if (b->cb->on_bad_index)
        b->cb->on_bad_index(b->cb->ctx, index);
    return HPACK_OK;
}

/* Section 6.1. */
static HpackResult decode_indexed_field(HpackDecoder *d, ByteReader *r, BlockState *b)
{
    uint32_t index;
    HpackResult rc = hpack_read_integer(r, 7, &index);
    if (rc != HPACK_OK)
        return rc;
    HpackString name, value;
    if (!lookup_index(d, index, &name, &value))
        return bad_index(d, b, index);
    return emit_field(b, &name, &value, false);
}

static unsigned literal_prefix_bits(LiteralKind kind)
{
    return kind == LITERAL_INCREMENTAL ? 6 : 4;
}

/* Section 6.2: an index of the name (0: a new name follows as a string),
 * then the value. */
static HpackResult decode_literal_field(HpackDecoder *d, ByteReader *r, LiteralKind kind, BlockState *b)
{
    uint32_t name_index;
    HpackResult rc = hpack_read_integer(r, literal_prefix_bits(kind), &name_index);
    if (rc != HPACK_OK)
        return rc;
    HpackString name, value;
    bool named = true;
    if (name_index == 0)
        rc = read_string(r, &d->name_buf, &name);
    else if (!lookup_index(d, name_index, &name, &value))
        named = false;
    if (rc == HPACK_OK && !named && !d->lenient)
        rc = HPACK_ERR_BAD_INDEX;
    if (rc != HPACK_OK)
        return rc;
    rc = read_string(r, &d->value_buf, &value);
    if (rc != HPACK_OK)
        return rc;
    if (!named)
        return bad_index(d, b, name_index);
    rc = emit_field(b, &name, &value, kind == LITERAL_NEVER_INDEXED);
    if (rc != HPACK_OK || kind != LITERAL_INCREMENTAL)
        return rc;
    return table_insert(d, &name, &value);
}

/* Section 6.3 (and 4.2): only before the first field of a block, and at
 * most the SETTINGS_HEADER_TABLE_SIZE bound. */
static HpackResult decode_table_size_update(HpackDecoder *d, ByteReader *r, const BlockState *b)
{
    if (b->field_seen && !d->lenient)
        return HPACK_ERR_TABLE_SIZE_UPDATE_NOT_AT_START;
    uint32_t new_max;
    HpackResult rc = hpack_read_integer(r, 5, &new_max);
    if (rc != HPACK_OK)
        return rc;
    if (b->cb->on_size_update)
        b->cb->on_size_update(b->cb->ctx, new_max);
    if (new_max > d->settings_max) {
        if (!d->lenient)
            return HPACK_ERR_TABLE_SIZE_TOO_LARGE;
        new_max = d->settings_max;
    }
    d->max_size = new_max;
    table_evict_to(d, new_max);
    return HPACK_OK;
}

/* Section 6: the representation is told by the high bits of its first byte. */
static HpackResult decode_representation(HpackDecoder *d, ByteReader *r, BlockState *b)
{
    uint8_t first;
    if (!peek_u8(r, &first))
        return HPACK_ERR_TRUNCATED;
    if (first & 0x80u)
        return decode_indexed_field(d, r, b);
    if (first & 0x40u)
        return decode_literal_field(d, r, LITERAL_INCREMENTAL, b);
    if (first & 0x20u)
        return decode_table_size_update(d, r, b);
    if (first & 0x10u)
        return decode_literal_field(d, r, LITERAL_NEVER_INDEXED, b);
    return decode_literal_field(d, r, LITERAL_WITHOUT_INDEXING, b);
}

HpackResult hpack_decode_block(HpackDecoder *d, const uint8_t *block, size_t len, HpackHeaderFn on_header,
                               void *ctx)
{
    HpackCallbacks cb = { .on_header = on_header, .ctx = ctx };
    return hpack_decode_block_cb(d, block, len, &cb);
}

HpackResult hpack_decode_block_cb(HpackDecoder *d, const uint8_t *block, size_t len, const HpackCallbacks *cb)
{
    ByteReader r = br_init(block, len);
    BlockState b = { cb, false, 0 };
    while (br_remaining(&r) > 0) {
        HpackResult rc = decode_representation(d, &r, &b);
        if (rc != HPACK_OK)
            return rc;
    }
    return HPACK_OK;
}

/* ---- decoder ---- */

void hpack_decoder_init(HpackDecoder *d, uint32_t max_table_size)
{
    memset(d, 0, sizeof(*d));
    d->max_size = max_table_size;
    d->settings_max = max_table_size;
}

void hpack_decoder_free(HpackDecoder *d)
{
    table_evict_to(d, 0);
    free(d->ring);
    scratch_free(&d->name_buf);
    scratch_free(&d->value_buf);
    memset(d, 0, sizeof(*d));
}

void hpack_decoder_set_lenient(HpackDecoder *d, bool lenient) { d->lenient = lenient; }

void hpack_decoder_set_settings_max(HpackDecoder *d, uint32_t settings_header_table_size)
{
    d->settings_max = settings_header_table_size;
}

const char *hpack_result_name(HpackResult r)
{
    static const char *const names[HPACK_RESULT_COUNT] = {
        [HPACK_OK] = "ok",
        [HPACK_ERR_TRUNCATED] = "hpack_truncated",
        [HPACK_ERR_BAD_INTEGER] = "hpack_bad_integer",
        [HPACK_ERR_BAD_INDEX] = "hpack_bad_index",
        [HPACK_ERR_BAD_HUFFMAN] = "hpack_bad_huffman",
        [HPACK_ERR_STRING_TOO_LONG] = "hpack_string_too_long",
        [HPACK_ERR_HEADER_LIST_TOO_LONG] = "hpack_header_list_too_long",
        [HPACK_ERR_TABLE_SIZE_TOO_LARGE] = "hpack_table_size_too_large",
        [HPACK_ERR_TABLE_SIZE_UPDATE_NOT_AT_START] = "hpack_table_size_update_not_at_start",
        [HPACK_ERR_NO_MEMORY] = "hpack_out_of_memory",
    };
    if ((unsigned)r >= HPACK_RESULT_COUNT)
        return "hpack_unknown";
    return names[r];
}

uint32_t hpack_table_size(const HpackDecoder *d) { return d->size; }
uint32_t hpack_table_max_size(const HpackDecoder *d) { return d->max_size; }
uint32_t hpack_table_count(const HpackDecoder *d) { return d->count; }

bool hpack_table_entry(const HpackDecoder *d, uint32_t index, HpackHeader *out)
{
    const HpackEntry *e = table_entry_at(d, index);
    if (!e)
        return false;
    out->name = e->bytes;
    out->name_len = e->name_len;
    out->value = e->bytes + e->name_len;
    out->value_len = e->value_len;
    out->never_indexed = false;
    return true;
}
