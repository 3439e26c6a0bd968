/*
 * The control socket's request parser (contract in control-socket-json.h):
 * a small recursive-descent reader of RFC 8259 JSON over a ByteReader.
 * Strings are decoded with their escapes (RFC 8259 section 7; \uXXXX is
 * written as UTF-8, surrogate pairs combined) into bounded buffers; a
 * string longer than its buffer is an error rather than cut silently.
 */
#include "engine/control-socket-json.h"

#include <stdio.h>
#include <string.h>

#include "util/bytes.h"

typedef struct JsonCtx {
    ByteReader r;
    bool incomplete;
    char *err;
    size_t errlen;
} JsonCtx;

static bool fail(JsonCtx *c, const char *why)
{
    if (!c->incomplete && c->err && c->errlen && !c->err[0])
        snprintf(c->err, c->errlen, "%s at byte %zu", why, c->r.pos);
    return false;
}

/* The next byte without taking it; false (incomplete) at the end. */
static bool peek(JsonCtx *c, uint8_t *b)
{
    if (!br_has(&c->r, 1)) {
        c->incomplete = true;
        return false;
    }
    *b = rd_u8(br_cursor(&c->r));
    return true;
}

static bool take(JsonCtx *c, uint8_t *b)
{
    if (!br_u8(&c->r, b)) {
        c->incomplete = true;
        return false;
    }
    return true;
}

static void skip_ws(JsonCtx *c)
{
    uint8_t b;
    while (br_has(&c->r, 1) && ((b = rd_u8(br_cursor(&c->r))) == ' ' || b == '\t' || b == '\n' || b == '\r'))
        br_skip(&c->r, 1);
}

static bool expect_literal(JsonCtx *c, const char *lit)
{
    for (const char *p = lit; *p; p++) {
        uint8_t b;
        if (!take(c, &b))
            return false;
        if (b != (uint8_t)*p)
            return fail(c, "invalid literal");
    }
    return true;
}

static int hex_value(uint8_t b)
{
    if (b >= '0' && b <= '9')
        return b - '0';
    if (b >= 'a' && b <= 'f')
        return b - 'a' + 10;
    if (b >= 'A' && b <= 'F')
        return b - 'A' + 10;
    return -1;
}

static bool read_hex4(JsonCtx *c, uint32_t *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t b;
        if (!take(c, &b))
            return false;
        int h = hex_value(b);
        if (h < 0)
            return fail(c, "invalid \\u escape");
        *v = (*v << 4) | (uint32_t)h;
    }
    return true;
}

/* Appends one byte to out (NULL: discard); false when out is full. */
static bool put(char *out, size_t cap, size_t *n, uint8_t b)
{
    if (!out)
        return true;
    if (*n + 1 >= cap)
        return false;
    out[(*n)++] = (char)b;
    out[*n] = '\0';
    return true;
}

static bool put_utf8(JsonCtx *c, char *out, size_t cap, size_t *n, uint32_t cp)
{
    uint8_t u[4];
    int k;
    if (cp < 0x80) {
        u[0] = (uint8_t)cp;
        k = 1;
    } else if (cp < 0x800) {
        u[0] = (uint8_t)(0xc0 | (cp >> 6));
        u[1] = (uint8_t)(0x80 | (cp & 0x3f));
        k = 2;
    } else if (cp < 0x10000) {
        u[0] = (uint8_t)(0xe0 | (cp >> 12));
        u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (uint8_t)(0x80 | (cp & 0x3f));
        k = 3;
    } else {
        u[0] = (uint8_t)(0xf0 | (cp >> 18));
        u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (uint8_t)(0x80 | (cp & 0x3f));
        k = 4;
    }
    for (int i = 0; i < k; i++)
        if (!put(out, cap, n, u[i]))
            return fail(c, "string too long");
    return true;
}

/* A string (the opening quote already taken) into out[cap] (NULL: skip). */
static bool read_string(JsonCtx *c, char *out, size_t cap)
{
    size_t n = 0;
    if (out && cap)
        out[0] = '\0';
    for (;;) {
        uint8_t b;
        if (!take(c, &b))
            return false;
        if (b == '"')
            return true;
        if (b < 0x20)
            return fail(c, "control character in string");
        if (b != '\\') {
            if (!put(out, cap, &n, b))
                return fail(c, "string too long");
            continue;
        }
        if (!take(c, &b))
            return false;
        uint8_t lit = 0;
        switch (b) {
        case '"': lit = '"'; break;
        case '\\': lit = '\\'; break;
        case '/': lit = '/'; break;
        case 'b': lit = '\b'; break;
        case 'f': lit = '\f'; break;
        case 'n': lit = '\n'; break;
        case 'r': lit = '\r'; break;
        case 't': lit = '\t'; break;
        case 'u': {
            uint32_t cp;
            if (!read_hex4(c, &cp))
                return false;
            if (cp >= 0xd800 && cp < 0xdc00) { /* high surrogate: a low one must follow */
                uint32_t lo;
                if (!expect_literal(c, "\\u") || !read_hex4(c, &lo))
                    return false;
                if (lo < 0xdc00 || lo > 0xdfff)
                    return fail(c, "invalid surrogate pair");
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                return fail(c, "lone low surrogate");
            }
            if (!put_utf8(c, out, cap, &n, cp))
                return false;
            continue;
        }
        default: return fail(c, "invalid escape");
        }
        if (!put(out, cap, &n, lit))
            return fail(c, "string too long");
    }
}

/* A number (RFC 8259 section 6), its text into out[cap] (NULL: skip). */
static bool read_number(JsonCtx *c, char *out, size_t cap)
{
    size_t n = 0, digits = 0;
    uint8_t b;
    if (out && cap)
        out[0] = '\0';
    for (;;) {
        if (!peek(c, &b))
            return false; /* a number may continue: wait for more */
        bool part = (b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
        if (!part)
            break;
        digits += b >= '0' && b <= '9';
        br_skip(&c->r, 1);
        if (!put(out, cap, &n, b))
            return fail(c, "number too long");
    }
    return digits > 0 ? true : fail(c, "invalid number");
}

static bool skip_value(JsonCtx *c, int depth);

/* An object's members (the opening brace taken). At depth 0 the members
 * of the request are kept; `args` collects an "arguments" object's. */
static bool read_object(JsonCtx *c, int depth, CtlRequest *req, bool args)
{
    if (depth >= CTL_JSON_MAX_DEPTH)
        return fail(c, "nested too deeply");
    uint8_t b;
    skip_ws(c);
    if (!peek(c, &b))
        return false;
    if (b == '}') {
        br_skip(&c->r, 1);
        return true;
    }
    for (;;) {
        char key[64];
        skip_ws(c);
        if (!take(c, &b))
            return false;
        if (b != '"')
            return fail(c, "expected a member name");
        if (!read_string(c, key, sizeof(key)))
            return false;
        skip_ws(c);
        if (!take(c, &b))
            return false;
        if (b != ':')
            return fail(c, "expected ':'");
        skip_ws(c);
        if (!peek(c, &b))
            return false;
        char *dst = NULL;
        size_t dstcap = 0;
        if (req && !args && b == '"' && strcmp(key, "version") == 0) {
            dst = req->version, dstcap = sizeof(req->version);
            req->has_version = true;
        } else if (req && !args && b == '"' && strcmp(key, "command") == 0) {
            dst = req->command, dstcap = sizeof(req->command);
            req->has_command = true;
        } else if (req && args && req->arg_count < CTL_MAX_ARGS && (b == '"' || b == '-' || (b >= '0' && b <= '9'))) {
            CtlArg *a = &req->args[req->arg_count++];
            snprintf(a->key, sizeof(a->key), "%s", key);
            dst = a->value, dstcap = sizeof(a->value);
        }
        if (dst && b == '"') {
            br_skip(&c->r, 1);
            if (!read_string(c, dst, dstcap))
                return false;
        } else if (dst) {
            if (!read_number(c, dst, dstcap))
                return false;
        } else if (req && !args && b == '{' && strcmp(key, "arguments") == 0) {
            br_skip(&c->r, 1);
            if (!read_object(c, depth + 1, req, true))
                return false;
        } else if (!skip_value(c, depth + 1)) {
            return false;
        }
        skip_ws(c);
        if (!take(c, &b))
            return false;
        if (b == '}')
            return true;
        if (b != ',')
            return fail(c, "expected ',' or '}'");
    }
}

static bool skip_array(JsonCtx *c, int depth)
{
    if (depth >= CTL_JSON_MAX_DEPTH)
        return fail(c, "nested too deeply");
    uint8_t b;
    skip_ws(c);
    if (!peek(c, &b))
        return false;
    if (b == ']') {
        br_skip(&c->r, 1);
        return true;
    }
    for (;;) {
        if (!skip_value(c, depth + 1))
            return false;
        skip_ws(c);
        if (!take(c, &b))
            return false;
        if (b == ']')
            return true;
        if (b != ',')
            return fail(c, "expected ',' or ']'");
    }
}

static bool skip_value(JsonCtx *c, int depth)
{
    uint8_t b;
    skip_ws(c);
    if (!peek(c, &b))
        return false;
    switch (b) {
    case '"': br_skip(&c->r, 1); return read_string(c, NULL, 0);
    case '{': br_skip(&c->r, 1); return read_object(c, depth, NULL, false);
    case '[': br_skip(&c->r, 1); return skip_array(c, depth);
    case 't': return expect_literal(c, "true");
    case 'f': return expect_literal(c, "false");
    case 'n': return expect_literal(c, "null");
    default:
        if (b == '-' || (b >= '0' && b <= '9'))
            return read_number(c, NULL, 0);
        return fail(c, "unexpected character");
    }
}

CtlParseResult ctl_request_parse(const uint8_t *data, size_t len, CtlRequest *req, size_t *used, char *err,
                                 size_t errlen)
{
    memset(req, 0, sizeof(*req));
    if (err && errlen)
        err[0] = '\0';
    JsonCtx c = { br_init(data, len), false, err, errlen };
    skip_ws(&c);
    uint8_t b;
    if (!peek(&c, &b))
        return CTL_PARSE_INCOMPLETE;
    if (b != '{') {
        fail(&c, "a request must be a JSON object");
        return CTL_PARSE_INVALID;
    }
    br_skip(&c.r, 1);
    if (!read_object(&c, 0, req, false))
        return c.incomplete ? CTL_PARSE_INCOMPLETE : CTL_PARSE_INVALID;
    *used = c.r.pos;
    return CTL_PARSE_OK;
}

const char *ctl_request_arg(const CtlRequest *req, const char *key)
{
    for (uint32_t i = 0; i < req->arg_count; i++)
        if (strcmp(req->args[i].key, key) == 0)
            return req->args[i].value;
    return NULL;
}
