/*
 * BER decoding for the asn1 keyword (see asn1-ber.h). Each object is its
 * identifier octets (X.690 8.1.2: class, primitive/constructed bit, tag
 * number, with the multi-octet form for tag numbers above 30), its length
 * octets (8.1.3: short form, long form of up to 4 octets, or 0x80 for the
 * indefinite form of a constructed encoding, closed by two zero octets,
 * 8.1.5) and its contents; constructed contents are a series of objects.
 * All reads go through a ByteReader. As Suricata decodes every top-level
 * object before checking any, a first pass only decodes (counting the
 * objects, giving up past ASN1_MAX_FRAMES) and a second pass checks the
 * objects that decoded, nested ones included.
 */
#include "detect/asn1-ber.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/bytes.h"
#include "util/err-buf.h"

#define BER_TAG_BITSTRING 3u
#define BER_TAG_REAL 9u
#define BER_CLASS_UNIVERSAL 0u

/* One token of the option string: words and numbers split by commas or
 * blanks. Returns false at the end. */
static bool next_token(const char **s, char *out, size_t outsz)
{
    const char *p = *s;
    while (*p == ',' || isspace((unsigned char)*p))
        p++;
    if (!*p)
        return false;
    size_t n = 0;
    while (p[n] && p[n] != ',' && !isspace((unsigned char)p[n]))
        n++;
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, p, n);
    out[n] = '\0';
    while (p[n] && p[n] != ',' && !isspace((unsigned char)p[n]))
        n++;
    *s = p + n;
    return true;
}

static bool parse_number(const char *kw, const char *tok, long long lo, long long hi, long long *out, char *err,
                         size_t errsz)
{
    char *end;
    errno = 0;
    long long v = strtoll(tok, &end, 10);
    if (!*tok || *end || errno || v < lo || v > hi)
        return od_fail(err, errsz, "asn1: invalid value '%s' for %s (expected %lld..%lld)", tok, kw, lo, hi);
    *out = v;
    return true;
}

bool asn1_options_parse(const char *value, Asn1Options *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof(*out));
    if (!value)
        return od_fail(err, errsz, "asn1: options are required");
    const char *p = value;
    char tok[64];
    bool any = false;
    while (next_token(&p, tok, sizeof(tok))) {
        any = true;
        long long v;
        if (strcmp(tok, "bitstring_overflow") == 0) {
            out->bitstring_overflow = true;
            continue;
        }
        if (strcmp(tok, "double_overflow") == 0) {
            out->double_overflow = true;
            continue;
        }
        bool oversize = strcmp(tok, "oversize_length") == 0, absolute = strcmp(tok, "absolute_offset") == 0,
             relative = strcmp(tok, "relative_offset") == 0;
        if (!oversize && !absolute && !relative)
            return od_fail(err, errsz, "asn1: unknown option '%s' (expected bitstring_overflow, double_overflow, "
                                    "oversize_length N, absolute_offset N or relative_offset N)", tok);
        char kw[64];
        memcpy(kw, tok, sizeof(kw));
        if (!next_token(&p, tok, sizeof(tok)))
            return od_fail(err, errsz, "asn1: %s needs a value", kw);
        if ((oversize && out->has_oversize) || (absolute && out->has_absolute) || (relative && out->has_relative))
            return od_fail(err, errsz, "asn1: %s given twice", kw);
        if (oversize) {
            if (!parse_number(kw, tok, 0, UINT32_MAX, &v, err, errsz))
                return false;
            out->has_oversize = true;
            out->oversize_length = (uint32_t)v;
        } else if (absolute) {
            if (!parse_number(kw, tok, 0, UINT16_MAX, &v, err, errsz))
                return false;
            out->has_absolute = true;
            out->absolute_offset = (uint16_t)v;
        } else {
            if (!parse_number(kw, tok, -UINT16_MAX, UINT16_MAX, &v, err, errsz))
                return false;
            out->has_relative = true;
            out->relative_offset = (int32_t)v;
        }
    }
    if (!any)
        return od_fail(err, errsz, "asn1: options are required");
    if (out->has_absolute && out->has_relative)
        return od_fail(err, errsz, "asn1: absolute_offset and relative_offset can't be used together");
    return true;
}

typedef struct BerWalk {
    const Asn1Options *o; /* NULL: decode only */
    bool matched;
} BerWalk;

static bool check_object(BerWalk *w, uint8_t cls, bool constructed, uint32_t tag, uint64_t len,
                         const uint8_t *content, size_t content_len)
{
    const Asn1Options *o = w->o;
    if (!o)
        return false;
    if (o->has_oversize && (len > o->oversize_length || content_len > o->oversize_length))
        return true;
    if (cls != BER_CLASS_UNIVERSAL || constructed || len == 0 || content_len == 0)
        return false;
    if (o->bitstring_overflow && tag == BER_TAG_BITSTRING && (uint64_t)content[0] > len * 8)
        return true;
    if (o->double_overflow && tag == BER_TAG_REAL && (content[0] & 0xC0) == 0 && len > 256)
        return true;
    return false;
}

/* Decodes one object at r (and its children, `depth` levels allowed);
 * false when it does not decode. Sets w->matched on a check hit. */
static bool decode_object(BerWalk *w, ByteReader *r, uint32_t depth)
{
    if (depth == 0)
        return false;
    uint8_t id;
    if (!br_u8(r, &id))
        return false;
    uint8_t cls = id >> 6;
    bool constructed = (id & 0x20) != 0;
    uint32_t tag = id & 0x1f;
    if (tag == 0x1f) { /* high tag number form, base 128 (X.690 8.1.2.4) */
        tag = 0;
        uint8_t b;
        int n = 0;
        do {
            if (!br_u8(r, &b) || ++n > 4)
                return false;
            tag = (tag << 7) | (b & 0x7f);
        } while (b & 0x80);
    }
    uint8_t l0;
    if (!br_u8(r, &l0))
        return false;
    if (l0 == 0x80) { /* indefinite: constructed only, ends with 00 00 */
        if (!constructed)
            return false;
        for (;;) {
            if (br_has(r, 2) && rd_be16(br_cursor(r)) == 0) {
                br_skip(r, 2);
                break;
            }
            if (!decode_object(w, r, depth - 1))
                return false;
            if (w->matched)
                return true;
        }
        w->matched = check_object(w, cls, constructed, tag, 0, NULL, 0);
        return true;
    }
    uint64_t len = l0;
    if (l0 & 0x80) {
        uint8_t n = l0 & 0x7f;
        if (n > 4 || n == 0x7f || !br_be_n(r, n, &len))
            return false;
    }
    const uint8_t *content;
    if (len > br_remaining(r) || !br_bytes(r, (size_t)len, &content))
        return false;
    if (check_object(w, cls, constructed, tag, len, content, (size_t)len)) {
        w->matched = true;
        return true;
    }
    if (constructed) {
        ByteReader sub = br_init(content, (size_t)len);
        while (br_remaining(&sub)) {
            if (!decode_object(w, &sub, depth - 1))
                return false;
            if (w->matched)
                return true;
        }
    }
    return true;
}

bool asn1_check(const Asn1Options *o, const uint8_t *buf, uint32_t len, uint32_t cursor)
{
    if (!o || !buf || len == 0)
        return false;
    int64_t start = 0;
    if (o->has_absolute)
        start = o->absolute_offset;
    else if (o->has_relative)
        start = (int64_t)cursor + o->relative_offset;
    if (start < 0 || start > UINT16_MAX || start >= (int64_t)len)
        return false;
    /* first decode only, as Suricata decodes every object before checking
     * any: too many objects abandon the decode */
    ByteReader r = br_init(buf + start, len - (size_t)start);
    BerWalk w = { NULL, false };
    uint32_t frames = 0;
    while (br_remaining(&r)) {
        if (frames >= ASN1_MAX_FRAMES)
            return false;
        if (!decode_object(&w, &r, ASN1_MAX_FRAMES))
            break;
        frames++;
    }
    /* then check the objects that decoded */
    r = br_init(buf + start, len - (size_t)start);
    w.o = o;
    for (uint32_t i = 0; i < frames; i++) {
        if (!decode_object(&w, &r, ASN1_MAX_FRAMES))
            return false;
        if (w.matched)
            return true;
    }
    return false;
}
