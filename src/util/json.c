/*
 * Implementation of the EVE JSON writer: a growable buffer with comma
 * bookkeeping and Suricata-compatible string escaping.
 */
#include "util/json.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jb_init(JsonBuf *j)
{
    j->buf = NULL;
    j->len = j->cap = 0;
    j->need_comma = false;
}

void jb_free(JsonBuf *j)
{
    free(j->buf);
    jb_init(j);
}

void jb_reset(JsonBuf *j)
{
    j->len = 0;
    j->need_comma = false;
    if (j->buf)
        j->buf[0] = '\0';
}

static void jb_reserve(JsonBuf *j, size_t extra)
{
    if (j->len + extra + 1 <= j->cap)
        return;
    size_t cap = j->cap ? j->cap : 256;
    while (cap < j->len + extra + 1)
        cap *= 2;
    char *nb = realloc(j->buf, cap);
    if (!nb) {
        fprintf(stderr, "odlar: out of memory in JSON writer\n");
        abort();
    }
    j->buf = nb;
    j->cap = cap;
}

void jb_append(JsonBuf *j, const char *s, size_t n)
{
    jb_reserve(j, n);
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void jb_putc(JsonBuf *j, char c) { jb_append(j, &c, 1); }

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t utf8_seq_len(const uint8_t *p, size_t avail)
{
    uint8_t c = p[0];
    size_t n;
    uint32_t cp;
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) { n = 2; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { n = 3; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 4; cp = c & 0x07; }
    else return 0;
    if (avail < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return n;
}

bool jb_utf8_valid(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len(p + i, len - i);
        if (!n)
            return false;
        i += n;
    }
    return true;
}

/* Whether none of the 8 bytes at p needs escaping: none is below 0x20,
 * none is 0x7f or above, none is '"' or '\\'. Tested a word at a time
 * (the has-zero-byte test: (x - 0x01..) & ~x & 0x80.. is non-zero exactly
 * when some byte of x is 0); a byte-by-byte loop was the largest single
 * cost of a run without rules (17% of its instructions on the 20 MB
 * slice, callgrind). */
static bool plain8(const uint8_t *p)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t x;
    memcpy(&x, p, 8);
    uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    uint64_t bad = (x - ones * 0x20) /* below 0x20 (or 0x80 and up) borrows or keeps the high bit */
                   | (x + ones * 0x01) /* 0x7f becomes 0x80 */
                   | x /* 0x80 and up */
                   | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash);
    return (bad & highs) == 0;
}

/* Writes `s` as a JSON string. Runs of bytes that need no escaping are
 * copied in one go; the buffer is grown once for the worst case. */
static void jb_escaped(JsonBuf *j, const uint8_t *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    jb_reserve(j, len * 6 + 2);
    char *out = j->buf + j->len;
    *out++ = '"';
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        while (run + 8 <= len && plain8(s + run))
            run += 8;
        if (run < len && len - run < 8) { /* a short tail (most keys): padded with 'a' */
            uint8_t tail[8];
            memset(tail, 'a', sizeof(tail));
            memcpy(tail, s + run, len - run);
            if (plain8(tail))
                run = len;
        }
        while (run < len && s[run] >= 0x20 && s[run] < 0x7f && s[run] != '"' && s[run] != '\\')
            run++;
        if (run > i) {
            memcpy(out, s + i, run - i);
            out += run - i;
            i = run;
            continue;
        }
        uint8_t c = s[i];
        const char *esc = NULL;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default: break;
        }
        if (esc) {
            *out++ = esc[0];
            *out++ = esc[1];
            i++;
            continue;
        }
        size_t n = c >= 0x80 ? utf8_seq_len(s + i, len - i) : 0;
        if (n == 0) {
            /* control character, DEL, or a byte that is not valid UTF-8 */
            memcpy(out, "\\u00", 4);
            out[4] = hex[c >> 4];
            out[5] = hex[c & 0xf];
            out += 6;
            i++;
        } else {
            memcpy(out, s + i, n);
            out += n;
            i += n;
        }
    }
    *out++ = '"';
    j->len = (size_t)(out - j->buf);
    j->buf[j->len] = '\0';
}

static void jb_key(JsonBuf *j, const char *key)
{
    if (j->need_comma)
        jb_putc(j, ',');
    j->need_comma = true;
    if (key) {
        jb_escaped(j, (const uint8_t *)key, strlen(key));
        jb_putc(j, ':');
    }
}

void jb_open_object(JsonBuf *j, const char *key)
{
    jb_key(j, key);
    jb_putc(j, '{');
    j->need_comma = false;
}

void jb_close_object(JsonBuf *j)
{
    jb_putc(j, '}');
    j->need_comma = true;
}

void jb_open_array(JsonBuf *j, const char *key)
{
    jb_key(j, key);
    jb_putc(j, '[');
    j->need_comma = false;
}

void jb_close_array(JsonBuf *j)
{
    jb_putc(j, ']');
    j->need_comma = true;
}

void jb_str(JsonBuf *j, const char *key, const char *value)
{
    jb_strn(j, key, (const uint8_t *)value, strlen(value));
}

void jb_strn(JsonBuf *j, const char *key, const uint8_t *value, size_t len)
{
    jb_key(j, key);
    jb_escaped(j, value, len);
}

void jb_uint(JsonBuf *j, const char *key, uint64_t value)
{
    char num[24];
    char *p = num + sizeof(num);
    do {
        *--p = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    jb_key(j, key);
    jb_append(j, p, (size_t)(num + sizeof(num) - p));
}

void jb_int(JsonBuf *j, const char *key, int64_t value)
{
    char num[24];
    int n = snprintf(num, sizeof(num), "%" PRId64, value);
    jb_key(j, key);
    jb_append(j, num, (size_t)n);
}

void jb_bool(JsonBuf *j, const char *key, bool value)
{
    jb_key(j, key);
    if (value)
        jb_append(j, "true", 4);
    else
        jb_append(j, "false", 5);
}

void jb_null(JsonBuf *j, const char *key)
{
    jb_key(j, key);
    jb_append(j, "null", 4);
}

void jb_double(JsonBuf *j, const char *key, double value)
{
    char num[40];
    int n = snprintf(num, sizeof(num), "%.6g", value);
    jb_key(j, key);
    jb_append(j, num, (size_t)n);
}

void jb_raw(JsonBuf *j, const char *key, const char *json, size_t len)
{
    jb_key(j, key);
    jb_append(j, json, len);
}
