/*
 * HPACK header-block decoder (RFC 7541), the header compression of HTTP/2.
 *
 * Each direction of an HTTP/2 connection has its own HpackDecoder: the
 * sender's encoder and the receiver's decoder share a dynamic table
 * (section 2.3.2) that every header block may add to, so the blocks of one
 * direction must be decoded in order with the same decoder. A block is the
 * payload of a HEADERS or PUSH_PROMISE frame with its CONTINUATION frames
 * joined; hpack_decode_block() hands every header field of it to a
 * callback, in order. Decoded names and values are only valid during the
 * callback. Strings are bounded (HPACK_MAX_STRING_LEN for one name or
 * value, HPACK_MAX_HEADER_LIST_SIZE for the fields of one block) and the
 * dynamic table by its maximum size, so untrusted input cannot make the
 * decoder allocate without bound. After an error the decoder stays usable
 * and frees cleanly, though its table may no longer match the encoder's.
 */
#ifndef ODLAR_APP_HTTP2_HPACK_H
#define ODLAR_APP_HTTP2_HPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/bytes.h"

/* SETTINGS_HEADER_TABLE_SIZE before any SETTINGS (RFC 7540 section 6.5.2). */
#define HPACK_DEFAULT_TABLE_SIZE 4096u
/* Largest decoded name or value of one field. */
#define HPACK_MAX_STRING_LEN (64u * 1024u)
/* Largest decoded header list of one block, counted as RFC 7540 section
 * 6.5.2 counts SETTINGS_MAX_HEADER_LIST_SIZE: name + value + 32 per field. */
#define HPACK_MAX_HEADER_LIST_SIZE (64u * 1024u)
/* Per-entry overhead of the dynamic table size (RFC 7541 section 4.1). */
#define HPACK_ENTRY_OVERHEAD 32u
/* Entries of the static table (RFC 7541 Appendix A). */
#define HPACK_STATIC_TABLE_LEN 61u

typedef enum HpackResult {
    HPACK_OK = 0,
    HPACK_ERR_TRUNCATED,            /* the block ends inside a representation */
    HPACK_ERR_BAD_INTEGER,          /* an integer above UINT32_MAX or too many bytes */
    HPACK_ERR_BAD_INDEX,            /* index 0 or past the end of both tables */
    HPACK_ERR_BAD_HUFFMAN,          /* bad padding or EOS inside a Huffman string */
    HPACK_ERR_STRING_TOO_LONG,      /* a name or value above HPACK_MAX_STRING_LEN */
    HPACK_ERR_HEADER_LIST_TOO_LONG, /* the block's fields above HPACK_MAX_HEADER_LIST_SIZE */
    HPACK_ERR_TABLE_SIZE_TOO_LARGE, /* a size update above SETTINGS_HEADER_TABLE_SIZE */
    HPACK_ERR_TABLE_SIZE_UPDATE_NOT_AT_START, /* a size update after a field */
    HPACK_ERR_NO_MEMORY,
    HPACK_RESULT_COUNT
} HpackResult;

/* One decoded header field; the bytes are valid during the callback only. */
typedef struct HpackHeader {
    const uint8_t *name;
    size_t name_len;
    const uint8_t *value;
    size_t value_len;
    bool never_indexed; /* literal never indexed (RFC 7541 section 6.2.3) */
} HpackHeader;

typedef void (*HpackHeaderFn)(void *ctx, const HpackHeader *h);

/* Everything a block's decoding reports, for callers that log more than
 * the fields (the HTTP/2 parser logs size updates and undecodable entries
 * as Suricata does). Any callback may be NULL. */
typedef struct HpackCallbacks {
    HpackHeaderFn on_header;
    /* a dynamic table size update (section 6.3), with its value as sent */
    void (*on_size_update)(void *ctx, uint32_t size);
    /* lenient decoders: an entry skipped because its index (0, or past
     * both tables) names nothing; `index` as sent */
    void (*on_bad_index)(void *ctx, uint32_t index);
    void *ctx;
} HpackCallbacks;

/* One entry of the dynamic table: name and value in one allocation. */
typedef struct HpackEntry {
    uint8_t *bytes; /* name_len bytes of name, then value_len bytes of value */
    uint32_t name_len, value_len;
} HpackEntry;

/* A growable buffer for Huffman-decoded strings, at most HPACK_MAX_STRING_LEN. */
typedef struct HpackScratch {
    uint8_t *buf;
    size_t cap;
} HpackScratch;

typedef struct HpackDecoder {
    /* dynamic table: a ring of `count` entries from the oldest at `oldest` */
    HpackEntry *ring;
    uint32_t ring_cap, oldest, count;
    uint32_t size;          /* sum of name + value + 32 over the entries */
    uint32_t max_size;      /* the current maximum, set by size updates */
    uint32_t settings_max;  /* SETTINGS_HEADER_TABLE_SIZE: bound of max_size */
    bool lenient;           /* hpack_decoder_set_lenient */
    HpackScratch name_buf, value_buf;
} HpackDecoder;

/* A decoder with an empty table whose maximum size and its bound are
 * max_table_size (HPACK_DEFAULT_TABLE_SIZE unless SETTINGS said otherwise). */
void hpack_decoder_init(HpackDecoder *d, uint32_t max_table_size);
void hpack_decoder_free(HpackDecoder *d);
/* The decoding peer's SETTINGS_HEADER_TABLE_SIZE: later size updates may
 * not exceed it. The table keeps its current maximum until the encoder
 * signals a new one with a size update (RFC 7541 section 4.2). */
void hpack_decoder_set_settings_max(HpackDecoder *d, uint32_t settings_header_table_size);

/* Decodes one complete header block, calling on_header (may be NULL) for
 * every field in order; the callback must not use the decoder. Stops at
 * the first error, after the fields before it were handed out. */
HpackResult hpack_decode_block(HpackDecoder *d, const uint8_t *block, size_t len, HpackHeaderFn on_header,
                               void *ctx);
/* The same with every callback of `cb`. */
HpackResult hpack_decode_block_cb(HpackDecoder *d, const uint8_t *block, size_t len, const HpackCallbacks *cb);
/* Suricata's leniency (rust/src/http2/parser.rs), to decode what it
 * decodes: a size update may come anywhere in a block, one above the
 * settings bound takes the bound, and an entry whose index names nothing
 * is skipped (HpackCallbacks.on_bad_index; a literal's value is still
 * read) instead of ending the block. */
void hpack_decoder_set_lenient(HpackDecoder *d, bool lenient);
/* A short stable name of a result ("ok", "hpack_bad_index", ...). */
const char *hpack_result_name(HpackResult r);

/* The dynamic table, for logging and tests. */
uint32_t hpack_table_size(const HpackDecoder *d);
uint32_t hpack_table_max_size(const HpackDecoder *d);
uint32_t hpack_table_count(const HpackDecoder *d);
/* Entry `index` of the dynamic table, 1 being the newest (the entry the
 * encoder addresses as HPACK_STATIC_TABLE_LEN + index); false past the end. */
bool hpack_table_entry(const HpackDecoder *d, uint32_t index, HpackHeader *out);

/* Building blocks, exposed for the tests. */
/* An integer with a prefix_bits-bit prefix (RFC 7541 section 5.1) whose
 * first byte is the next of r; the bits above the prefix are ignored. */
HpackResult hpack_read_integer(ByteReader *r, unsigned prefix_bits, uint32_t *value);
/* Huffman-decodes in (RFC 7541 section 5.2, Appendix B) into out (at most
 * out_cap bytes; HPACK_ERR_STRING_TOO_LONG beyond), its length in *out_len. */
HpackResult hpack_huffman_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                                 size_t *out_len);

#endif
