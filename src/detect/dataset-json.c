/*
 * The datajson JSON reader (see dataset-json.h): a recursive-descent parser
 * over a ByteReader following RFC 8259's grammar (objects, arrays, strings
 * with \uXXXX escapes and surrogate pairs turned into UTF-8, numbers kept
 * as written, true/false/null), the dotted-path helpers and the writer.
 */
#include "detect/dataset-json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/bytes.h"

typedef struct JsonReader {
    ByteReader r;
    char *err;
    size_t errlen;
    bool failed;
} JsonReader;

static void *fail(JsonReader *jr, const char *what)
{
    if (!jr->failed)
        snprintf(jr->err, jr->errlen, "invalid JSON at offset %zu: %s", jr->r.pos, what);
    jr->failed = true;
    return NULL;
}

static void skip_ws(JsonReader *jr)
{
    uint8_t c;
    while (br_has(&jr->r, 1)) {
        c = rd_u8(br_cursor(&jr->r));
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        br_skip(&jr->r, 1);
    }
}

static bool peek(JsonReader *jr, uint8_t *c)
{
    if (!br_has(&jr->r, 1))
        return false;
    *c = rd_u8(br_cursor(&jr->r));
    return true;
}

static bool literal(JsonReader *jr, const char *word)
{
    size_t n = strlen(word);
    const uint8_t *p;
    if (!br_has(&jr->r, n) || memcmp(br_cursor(&jr->r), word, n) != 0)
        return false;
    return br_bytes(&jr->r, n, &p);
}

typedef struct StrOut {
    char *buf;
    size_t len, cap;
} StrOut;

static bool out_put(StrOut *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 32;
        while (cap < o->len + n + 1)
            cap *= 2;
        char *b = realloc(o->buf, cap);
        if (!b)
            return false;
        o->buf = b;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
    return true;
}

static bool put_utf8(StrOut *o, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return out_put(o, b, n);
}

static bool hex4(JsonReader *jr, uint32_t *v)
{
    const uint8_t *p;
    if (!br_bytes(&jr->r, 4, &p))
        return false;
    *v = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t c = p[i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return false;
        *v = (*v << 4) | d;
    }
    return true;
}

/* A string after its opening quote (RFC 8259 section 7). */
static char *read_string(JsonReader *jr, size_t *out_len)
{
    StrOut o = { 0 };
    if (!out_put(&o, "", 0))
        return fail(jr, "out of memory");
    for (;;) {
        uint8_t c;
        if (!br_u8(&jr->r, &c)) {
            free(o.buf);
            return fail(jr, "unterminated string");
        }
        if (c == '"')
            break;
        if (c < 0x20) {
            free(o.buf);
            return fail(jr, "control character in string");
        }
        if (c != '\\') {
            if (!out_put(&o, (const char *)&c, 1)) {
                free(o.buf);
                return fail(jr, "out of memory");
            }
            continue;
        }
        uint8_t e;
        if (!br_u8(&jr->r, &e)) {
            free(o.buf);
            return fail(jr, "unterminated escape");
        }
        const char *simple = NULL;
        switch (e) {
        case '"': simple = "\""; break;
        case '\\': simple = "\\"; break;
        case '/': simple = "/"; break;
        case 'b': simple = "\b"; break;
        case 'f': simple = "\f"; break;
        case 'n': simple = "\n"; break;
        case 'r': simple = "\r"; break;
        case 't': simple = "\t"; break;
        default: break;
        }
        bool ok;
        if (simple) {
            ok = out_put(&o, simple, 1);
        } else if (e == 'u') {
            uint32_t cp;
            ok = hex4(jr, &cp);
            if (ok && cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo;
                ok = literal(jr, "\\u") && hex4(jr, &lo) && lo >= 0xDC00 && lo <= 0xDFFF;
                if (ok)
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (ok && cp >= 0xDC00 && cp <= 0xDFFF) {
                ok = false;
            }
            ok = ok && put_utf8(&o, cp);
        } else {
            ok = false;
        }
        if (!ok) {
            free(o.buf);
            return fail(jr, "invalid escape in string");
        }
    }
    *out_len = o.len;
    return o.buf;
}

static JsonNode *read_value(JsonReader *jr, int depth);

static bool node_append(JsonNode *n, char *key, JsonNode *v)
{
    JsonNode **items = realloc(n->items, (n->count + 1) * sizeof(*items));
    if (!items)
        return false;
    n->items = items;
    if (n->kind == JSON_OBJECT) {
        char **keys = realloc(n->keys, (n->count + 1) * sizeof(*keys));
        if (!keys)
            return false;
        n->keys = keys;
        n->keys[n->count] = key;
    }
    n->items[n->count++] = v;
    return true;
}

static JsonNode *read_container(JsonReader *jr, JsonNode *n, int depth)
{
    const bool obj = n->kind == JSON_OBJECT;
    const uint8_t close = obj ? '}' : ']';
    uint8_t c;
    skip_ws(jr);
    if (peek(jr, &c) && c == close) {
        br_skip(&jr->r, 1);
        return n;
    }
    for (;;) {
        char *key = NULL;
        if (obj) {
            skip_ws(jr);
            size_t klen;
            if (!peek(jr, &c) || c != '"' || !br_skip(&jr->r, 1) || !(key = read_string(jr, &klen))) {
                json_node_free(n);
                return fail(jr, "expected an object key");
            }
            skip_ws(jr);
            if (!br_u8(&jr->r, &c) || c != ':') {
                free(key);
                json_node_free(n);
                return fail(jr, "expected ':'");
            }
        }
        JsonNode *v = read_value(jr, depth + 1);
        if (!v || !node_append(n, key, v)) {
            free(key);
            json_node_free(v);
            json_node_free(n);
            return fail(jr, "out of memory");
        }
        skip_ws(jr);
        if (!br_u8(&jr->r, &c)) {
            json_node_free(n);
            return fail(jr, "unterminated container");
        }
        if (c == close)
            return n;
        if (c != ',') {
            json_node_free(n);
            return fail(jr, "expected ',' or the end of the container");
        }
    }
}

static bool is_number_char(uint8_t c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

static JsonNode *read_number(JsonReader *jr, JsonNode *n)
{
    size_t start = jr->r.pos;
    uint8_t c;
    while (peek(jr, &c) && is_number_char(c))
        br_skip(&jr->r, 1);
    size_t len = jr->r.pos - start;
    /* RFC 8259 section 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    const uint8_t *s = jr->r.data + start;
    size_t i = 0;
    if (i < len && s[i] == '-')
        i++;
    if (i >= len || s[i] < '0' || s[i] > '9')
        goto bad;
    if (s[i] == '0')
        i++;
    else
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    if (i < len && s[i] == '.') {
        size_t d = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            goto bad;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t d = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            goto bad;
    }
    if (i != len)
        goto bad;
    n->text = malloc(len + 1);
    if (!n->text) {
        json_node_free(n);
        return fail(jr, "out of memory");
    }
    memcpy(n->text, s, len);
    n->text[len] = '\0';
    n->text_len = len;
    return n;
bad:
    json_node_free(n);
    return fail(jr, "invalid number");
}

static JsonNode *read_value(JsonReader *jr, int depth)
{
    if (depth > JSON_READ_MAX_DEPTH)
        return fail(jr, "nesting too deep");
    skip_ws(jr);
    uint8_t c;
    if (!peek(jr, &c))
        return fail(jr, "expected a value");
    JsonNode *n = calloc(1, sizeof(*n));
    if (!n)
        return fail(jr, "out of memory");
    if (c == '{' || c == '[') {
        br_skip(&jr->r, 1);
        n->kind = c == '{' ? JSON_OBJECT : JSON_ARRAY;
        return read_container(jr, n, depth);
    }
    if (c == '"') {
        br_skip(&jr->r, 1);
        n->kind = JSON_STRING;
        n->text = read_string(jr, &n->text_len);
        if (!n->text) {
            free(n);
            return NULL;
        }
        return n;
    }
    if (literal(jr, "true") || (c == 'f' && literal(jr, "false"))) {
        n->kind = JSON_BOOL;
        n->boolean = c == 't';
        return n;
    }
    if (literal(jr, "null"))
        return n;
    n->kind = JSON_NUMBER;
    return read_number(jr, n);
}

JsonNode *json_read(const uint8_t *data, size_t len, char *err, size_t errlen)
{
    JsonReader jr = { .r = br_init(data, len), .err = err, .errlen = errlen };
    JsonNode *n = read_value(&jr, 0);
    if (!n)
        return NULL;
    skip_ws(&jr);
    if (br_remaining(&jr.r)) {
        json_node_free(n);
        return fail(&jr, "unexpected data after the document");
    }
    return n;
}

void json_node_free(JsonNode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->count; i++) {
        json_node_free(n->items[i]);
        if (n->keys)
            free(n->keys[i]);
    }
    free(n->items);
    free(n->keys);
    free(n->text);
    free(n);
}

/* The member `name` (first `len` bytes) of object n, or -1. */
static long member_index(const JsonNode *n, const char *name, size_t len)
{
    if (!n || n->kind != JSON_OBJECT)
        return -1;
    for (size_t i = 0; i < n->count; i++)
        if (strlen(n->keys[i]) == len && memcmp(n->keys[i], name, len) == 0)
            return (long)i;
    return -1;
}

const JsonNode *json_node_path(const JsonNode *n, const char *path)
{
    while (n && *path) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        long i = member_index(n, path, len);
        if (i < 0)
            return NULL;
        n = n->items[i];
        path += len + (dot ? 1 : 0);
    }
    return n;
}

bool json_node_remove_path(JsonNode *n, const char *path)
{
    const char *dot;
    while ((dot = strchr(path, '.')) != NULL) {
        long i = member_index(n, path, (size_t)(dot - path));
        if (i < 0)
            return false;
        n = n->items[i];
        path = dot + 1;
    }
    long i = member_index(n, path, strlen(path));
    if (i < 0)
        return false;
    json_node_free(n->items[i]);
    free(n->keys[i]);
    memmove(&n->items[i], &n->items[i + 1], (n->count - (size_t)i - 1) * sizeof(*n->items));
    memmove(&n->keys[i], &n->keys[i + 1], (n->count - (size_t)i - 1) * sizeof(*n->keys));
    n->count--;
    return true;
}

void json_node_write(JsonBuf *j, const char *key, const JsonNode *n)
{
    switch (n->kind) {
    case JSON_NULL: jb_null(j, key); break;
    case JSON_BOOL: jb_bool(j, key, n->boolean); break;
    case JSON_NUMBER: jb_raw(j, key, n->text, n->text_len); break;
    case JSON_STRING: jb_strn(j, key, (const uint8_t *)n->text, n->text_len); break;
    case JSON_ARRAY:
        jb_open_array(j, key);
        for (size_t i = 0; i < n->count; i++)
            json_node_write(j, NULL, n->items[i]);
        jb_close_array(j);
        break;
    case JSON_OBJECT:
        jb_open_object(j, key);
        for (size_t i = 0; i < n->count; i++)
            json_node_write(j, n->keys[i], n->items[i]);
        jb_close_object(j);
        break;
    }
}
