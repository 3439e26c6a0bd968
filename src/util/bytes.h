/*
 * Bounds-checked reading of untrusted bytes.
 *
 * Every parser of wire data reads through these helpers, never by casting a
 * payload pointer to a struct. A `ByteReader` is a cursor over a buffer: each
 * `br_*` getter checks that enough bytes remain, stores the value through its
 * out parameter and returns true, or leaves the cursor alone and returns false.
 * Values are read in network byte order (big endian) unless the name says
 * `_le`. The `rd_*` functions read at a fixed offset of a buffer whose length
 * the caller has already checked.
 */
#ifndef ODLAR_UTIL_BYTES_H
#define ODLAR_UTIL_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct ByteReader {
    const uint8_t *data;
    size_t len;
    size_t pos;
} ByteReader;

static inline ByteReader br_init(const uint8_t *data, size_t len)
{
    ByteReader r = { data, len, 0 };
    return r;
}

static inline size_t br_remaining(const ByteReader *r) { return r->len - r->pos; }
static inline const uint8_t *br_cursor(const ByteReader *r) { return r->data + r->pos; }
static inline bool br_has(const ByteReader *r, size_t n) { return br_remaining(r) >= n; }

static inline bool br_skip(ByteReader *r, size_t n)
{
    if (!br_has(r, n))
        return false;
    r->pos += n;
    return true;
}

static inline uint8_t rd_u8(const uint8_t *p) { return p[0]; }
static inline uint16_t rd_be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t rd_be24(const uint8_t *p) { return ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2]; }
static inline uint32_t rd_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline uint64_t rd_be64(const uint8_t *p) { return ((uint64_t)rd_be32(p) << 32) | rd_be32(p + 4); }
static inline uint16_t rd_le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t rd_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline bool br_u8(ByteReader *r, uint8_t *v)
{
    if (!br_has(r, 1)) return false;
    *v = rd_u8(br_cursor(r)); r->pos += 1; return true;
}
static inline bool br_be16(ByteReader *r, uint16_t *v)
{
    if (!br_has(r, 2)) return false;
    *v = rd_be16(br_cursor(r)); r->pos += 2; return true;
}
static inline bool br_be24(ByteReader *r, uint32_t *v)
{
    if (!br_has(r, 3)) return false;
    *v = rd_be24(br_cursor(r)); r->pos += 3; return true;
}
static inline bool br_be32(ByteReader *r, uint32_t *v)
{
    if (!br_has(r, 4)) return false;
    *v = rd_be32(br_cursor(r)); r->pos += 4; return true;
}
static inline bool br_le16(ByteReader *r, uint16_t *v)
{
    if (!br_has(r, 2)) return false;
    *v = rd_le16(br_cursor(r)); r->pos += 2; return true;
}
static inline bool br_le32(ByteReader *r, uint32_t *v)
{
    if (!br_has(r, 4)) return false;
    *v = rd_le32(br_cursor(r)); r->pos += 4; return true;
}
/* An n-byte big-endian unsigned number (n at most 8), as the long form of
 * a DER length (X.690 8.1.3.5) or a variable-width integer field. */
static inline bool br_be_n(ByteReader *r, uint8_t n, uint64_t *v)
{
    if (n > 8 || !br_has(r, n)) return false;
    uint64_t x = 0;
    for (uint8_t i = 0; i < n; i++)
        x = (x << 8) | br_cursor(r)[i];
    r->pos += n; *v = x; return true;
}
/* Points *p at the next n bytes (no copy) and advances. */
static inline bool br_bytes(ByteReader *r, size_t n, const uint8_t **p)
{
    if (!br_has(r, n)) return false;
    *p = br_cursor(r); r->pos += n; return true;
}
static inline bool br_copy(ByteReader *r, void *dst, size_t n)
{
    if (!br_has(r, n)) return false;
    memcpy(dst, br_cursor(r), n); r->pos += n; return true;
}

#endif
