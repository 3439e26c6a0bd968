/*
 * Parsing and evaluation of byte_test, byte_jump, byte_extract and byte_math
 * (see byte-ops.h for the model). The option strings are comma separated:
 * the first few fields are positional (byte_test: bytes, operator, value,
 * offset; byte_jump: bytes, offset; byte_extract: bytes, offset, name), the
 * rest are flags or `name value` pairs in any order. byte_math is all
 * `name value` pairs. Numbers in rules are read like Suricata reads them
 * (strtoll/strtoull with base auto-detection: 0x.. hex, 0.. octal), but the
 * whole field must be a number. A field starting with a letter where a
 * number may be a variable is a variable name. byte_test (and byte_jump)
 * with "string" accept 0 bytes: the number then runs to the end of the
 * buffer, as Suricata reads a string number given no length.
 */
#include "detect/byte-ops.h"
#include "util/err-buf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BYTE_MAX_FIELDS 20

/* Upper bounds on `bytes` as Suricata sets them. */
#define BYTE_RAW_MAX 8
#define BYTE_TEST_STRING_MAX 23
#define BYTE_JUMP_STRING_MAX 20
#define BYTE_STR_MAX_OCT 23
#define BYTE_STR_MAX_DEC 20
#define BYTE_STR_MAX_HEX 14
#define BYTE_MATH_MAX 10
#define BYTE_OFFSET_LIMIT 65535

/* Splits a copy of `str` at commas into trimmed fields. Returns the count, or
 * -1 when there are too many. The fields point into *buf (caller frees). */
static int split_fields(const char *str, char **buf, char *fields[BYTE_MAX_FIELDS])
{
    *buf = strdup(str);
    if (*buf == NULL)
        return -1;
    int n = 0;
    char *p = *buf;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        while (isspace((unsigned char)*p))
            p++;
        char *e = p + strlen(p);
        while (e > p && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (n == BYTE_MAX_FIELDS)
            return -1;
        fields[n++] = p;
        if (!comma)
            break;
        p = comma + 1;
    }
    return n;
}

/* A whole-field signed number, base auto-detected. */
static bool parse_i64(const char *s, int64_t *out)
{
    if (*s == '\0' || isspace((unsigned char)*s))
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (errno != 0 || *end != '\0')
        return false;
    *out = v;
    return true;
}

/* A whole-field unsigned number (no sign), base auto-detected. */
static bool parse_u64(const char *s, uint64_t *out)
{
    if (!isdigit((unsigned char)*s))
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno != 0 || *end != '\0')
        return false;
    *out = v;
    return true;
}

static bool is_var_name(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
            return false;
    return true;
}

/* A number or a known variable; `what` names the field, `kw` the keyword
 * (for "Unknown byte_extract var seen in byte_test - x"). */
static bool parse_operand(const char *s, ByteVarLookup lookup, void *user, const char *kw, const char *what,
                          bool allow_negative, ByteOperand *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof(*out));
    if (is_var_name(s)) {
        int idx = lookup ? lookup(user, s) : -1;
        if (idx < 0 || idx >= INSPECT_MAX_VARS) {
            if (strcmp(kw, "byte_math") == 0)
                return od_fail(err, errsz, "unknown byte_ keyword var seen in byte_math - %s", s);
            return od_fail(err, errsz, "Unknown byte_extract var seen in %s - %s", kw, s);
        }
        out->is_var = true;
        out->var = (uint8_t)idx;
        return true;
    }
    if (allow_negative) {
        if (!parse_i64(s, &out->num))
            return od_fail(err, errsz, "%s: malformed %s \"%s\"", kw, what, s);
    } else {
        uint64_t v;
        if (!parse_u64(s, &v))
            return od_fail(err, errsz, "%s: malformed %s \"%s\"", kw, what, s);
        out->num = (int64_t)v;
    }
    return true;
}

/* `word value` fields: true and *val set when field starts with `word`. */
static bool field_kv(const char *field, const char *word, const char **val)
{
    size_t n = strlen(word);
    if (strncmp(field, word, n) != 0 || !isspace((unsigned char)field[n]))
        return false;
    const char *v = field + n;
    while (isspace((unsigned char)*v))
        v++;
    *val = v;
    return true;
}

static bool parse_bitmask(const char *kw, const char *v, ByteReadSpec *rd, char *err, size_t errsz)
{
    uint64_t m;
    if (!parse_u64(v, &m) || m > UINT32_MAX)
        return od_fail(err, errsz, "%s: invalid bitmask value \"%s\" (expected a 32-bit number)", kw, v);
    rd->bitmask_set = true;
    rd->bitmask = m;
    rd->bitmask_shift = 0;
    if (m) {
        while (!(m & 1)) {
            m >>= 1;
            rd->bitmask_shift++;
        }
    }
    return true;
}

/* Shared flag handling: endianness, string/base, bitmask. Returns 1 when the
 * field was one of them, 0 when not, -1 on error. */
static int parse_read_flag(const char *kw, const char *f, ByteReadSpec *rd, bool *string, bool *endian_set,
                           char *err, size_t errsz)
{
    const char *v;
    if (strcmp(f, "big") == 0 || strcmp(f, "little") == 0 || strcmp(f, "dce") == 0) {
        if (*endian_set) {
            od_fail(err, errsz, "%s: endianness given more than once (\"%s\")", kw, f);
            return -1;
        }
        *endian_set = true;
        rd->endian = f[0] == 'b' ? BYTE_ENDIAN_BIG : f[0] == 'l' ? BYTE_ENDIAN_LITTLE : BYTE_ENDIAN_DCE;
        return 1;
    }
    if (strcmp(f, "string") == 0) {
        *string = true;
        return 1;
    }
    if (strcmp(f, "hex") == 0 || strcmp(f, "dec") == 0 || strcmp(f, "oct") == 0) {
        if (rd->base) {
            od_fail(err, errsz, "%s: number type given more than once (\"%s\")", kw, f);
            return -1;
        }
        rd->base = f[0] == 'h' ? 16 : f[0] == 'd' ? 10 : 8;
        return 1;
    }
    if (field_kv(f, "bitmask", &v))
        return parse_bitmask(kw, v, rd, err, errsz) ? 1 : -1;
    return 0;
}

/* Final string/base/endianness consistency, nbytes limits. */
static bool check_read_spec(const char *kw, ByteReadSpec *rd, bool string, bool endian_set, uint32_t str_max,
                            bool zero_ok, char *err, size_t errsz)
{
    if (!string && rd->base)
        return od_fail(err, errsz, "%s: a number type (hex/dec/oct) needs \"string\"", kw);
    if (string && !rd->base)
        rd->base = 10;
    if (rd->endian == BYTE_ENDIAN_DCE && endian_set && string)
        return od_fail(err, errsz, "%s: \"dce\" cannot be combined with \"string\"", kw);
    if (string && endian_set && rd->endian != BYTE_ENDIAN_DCE)
        return od_fail(err, errsz, "%s: \"big\"/\"little\" make no sense with \"string\"", kw);
    if (rd->nbytes.is_var)
        return true;
    int64_t n = rd->nbytes.num;
    if (n < (zero_ok ? 0 : 1))
        return od_fail(err, errsz, "%s: invalid number of bytes %lld", kw, (long long)n);
    if (string && n > (int64_t)str_max)
        return od_fail(err, errsz, "%s: cannot read more than %u bytes with \"string\"", kw, str_max);
    if (!string && n > BYTE_RAW_MAX)
        return od_fail(err, errsz, "%s: cannot read more than %d bytes without \"string\"", kw, BYTE_RAW_MAX);
    return true;
}

static bool parse_offset32(const char *kw, const char *s, int32_t *out, char *err, size_t errsz)
{
    int64_t v;
    if (!parse_i64(s, &v) || v < -BYTE_OFFSET_LIMIT || v > BYTE_OFFSET_LIMIT)
        return od_fail(err, errsz, "%s: invalid offset \"%s\" (expected -65535..65535)", kw, s);
    *out = (int32_t)v;
    return true;
}

ByteTest *byte_test_parse(const char *str, ByteVarLookup lookup, void *user, char *err, size_t errsz)
{
    char *buf = NULL, *f[BYTE_MAX_FIELDS];
    ByteTest *bt = calloc(1, sizeof(*bt));
    int n = str ? split_fields(str, &buf, f) : -1;
    bool string = false, endian_set = false;
    if (bt == NULL)
        goto error;
    if (n < 4) {
        od_fail(err, errsz,
             "byte_test needs at least \"bytes, [!]operator, value, offset\" (got \"%s\")", str ? str : "");
        goto error;
    }
    if (!parse_operand(f[0], lookup, user, "byte_test", "number of bytes", false, &bt->rd.nbytes, err, errsz))
        goto error;
    const char *op = f[1];
    if (*op == '!') {
        bt->negate = true;
        op++;
        while (isspace((unsigned char)*op))
            op++;
    }
    if (strcmp(op, "=") == 0 || (bt->negate && *op == '\0'))
        bt->op = BYTE_OP_EQ;
    else if (strcmp(op, "<") == 0)
        bt->op = BYTE_OP_LT;
    else if (strcmp(op, ">") == 0)
        bt->op = BYTE_OP_GT;
    else if (strcmp(op, "<=") == 0)
        bt->op = BYTE_OP_LE;
    else if (strcmp(op, ">=") == 0)
        bt->op = BYTE_OP_GE;
    else if (strcmp(op, "&") == 0)
        bt->op = BYTE_OP_AND;
    else if (strcmp(op, "^") == 0)
        bt->op = BYTE_OP_XOR;
    else {
        od_fail(err, errsz, "byte_test: invalid operator \"%s\" (expected =, <, >, <=, >=, &, ^, optionally after !)",
             f[1]);
        goto error;
    }
    if (!parse_operand(f[2], lookup, user, "byte_test", "value", false, &bt->value, err, errsz))
        goto error;
    if (!parse_operand(f[3], lookup, user, "byte_test", "offset", true, &bt->offset, err, errsz))
        goto error;
    for (int i = 4; i < n; i++) {
        if (strcmp(f[i], "relative") == 0) {
            bt->relative = true;
            continue;
        }
        int r = parse_read_flag("byte_test", f[i], &bt->rd, &string, &endian_set, err, errsz);
        if (r < 0)
            goto error;
        if (r == 0) {
            od_fail(err, errsz, "byte_test: unknown option \"%s\"", f[i]);
            goto error;
        }
    }
    /* bytes 0 is accepted with "string" only: the number is read up to the
     * end of the buffer (ET Open: http.content_len; byte_test:0,>,4000,0,string,dec) */
    if (!check_read_spec("byte_test", &bt->rd, string, endian_set, BYTE_TEST_STRING_MAX, string, err, errsz))
        goto error;
    free(buf);
    return bt;
error:
    free(buf);
    free(bt);
    return NULL;
}

ByteJump *byte_jump_parse(const char *str, ByteVarLookup lookup, void *user, char *err, size_t errsz)
{
    char *buf = NULL, *f[BYTE_MAX_FIELDS];
    ByteJump *bj = calloc(1, sizeof(*bj));
    int n = str ? split_fields(str, &buf, f) : -1;
    bool string = false, endian_set = false;
    const char *v;
    if (bj == NULL)
        goto error;
    bj->multiplier = 1;
    if (n < 2) {
        od_fail(err, errsz, "byte_jump needs at least \"bytes, offset\" (got \"%s\")", str ? str : "");
        goto error;
    }
    if (!parse_operand(f[0], lookup, user, "byte_jump", "number of bytes", false, &bj->rd.nbytes, err, errsz))
        goto error;
    if (!parse_operand(f[1], lookup, user, "byte_jump", "offset", true, &bj->offset, err, errsz))
        goto error;
    for (int i = 2; i < n; i++) {
        if (strcmp(f[i], "relative") == 0)
            bj->relative = true;
        else if (strcmp(f[i], "align") == 0)
            bj->align = true;
        else if (strcmp(f[i], "from_beginning") == 0)
            bj->from_beginning = true;
        else if (strcmp(f[i], "from_end") == 0)
            bj->from_end = true;
        else if (field_kv(f[i], "multiplier", &v)) {
            uint64_t m;
            if (!parse_u64(v, &m) || m == 0 || m > UINT32_MAX) {
                od_fail(err, errsz, "byte_jump: invalid multiplier \"%s\"", v);
                goto error;
            }
            bj->multiplier = (uint32_t)m;
        } else if (field_kv(f[i], "post_offset", &v)) {
            int64_t po;
            if (!parse_i64(v, &po) || po < INT32_MIN || po > INT32_MAX) {
                od_fail(err, errsz, "byte_jump: invalid post_offset \"%s\"", v);
                goto error;
            }
            bj->post_offset = (int32_t)po;
        } else {
            int r = parse_read_flag("byte_jump", f[i], &bj->rd, &string, &endian_set, err, errsz);
            if (r < 0)
                goto error;
            if (r == 0) {
                od_fail(err, errsz, "byte_jump: unknown option \"%s\"", f[i]);
                goto error;
            }
        }
    }
    if (bj->from_beginning && bj->from_end) {
        od_fail(err, errsz, "byte_jump: \"from_beginning\" and \"from_end\" cannot be used together");
        goto error;
    }
    if (!check_read_spec("byte_jump", &bj->rd, string, endian_set, BYTE_JUMP_STRING_MAX, true, err, errsz))
        goto error;
    free(buf);
    return bj;
error:
    free(buf);
    free(bj);
    return NULL;
}

static uint32_t string_max_for_base(uint8_t base)
{
    return base == 8 ? BYTE_STR_MAX_OCT : base == 16 ? BYTE_STR_MAX_HEX : BYTE_STR_MAX_DEC;
}

ByteExtract *byte_extract_parse(const char *str, uint8_t new_var, char *err, size_t errsz)
{
    char *buf = NULL, *f[BYTE_MAX_FIELDS];
    ByteExtract *be = calloc(1, sizeof(*be));
    int n = str ? split_fields(str, &buf, f) : -1;
    bool string = false, endian_set = false, mult_set = false;
    const char *v;
    if (be == NULL)
        goto error;
    be->multiplier = 1;
    be->var = new_var;
    if (n < 3) {
        od_fail(err, errsz, "byte_extract needs at least \"bytes, offset, name\" (got \"%s\")", str ? str : "");
        goto error;
    }
    int64_t nb;
    if (!parse_i64(f[0], &nb)) {
        od_fail(err, errsz, "byte_extract: malformed number of bytes \"%s\"", f[0]);
        goto error;
    }
    be->rd.nbytes.num = nb;
    if (!parse_offset32("byte_extract", f[1], &be->offset, err, errsz))
        goto error;
    if (!is_var_name(f[2])) {
        od_fail(err, errsz, "byte_extract: invalid variable name \"%s\" (must start with a letter)", f[2]);
        goto error;
    }
    be->name = strdup(f[2]);
    if (be->name == NULL)
        goto error;
    for (int i = 3; i < n; i++) {
        if (strcmp(f[i], "relative") == 0)
            be->relative = true;
        else if (field_kv(f[i], "multiplier", &v)) {
            uint64_t m;
            if (mult_set || !parse_u64(v, &m) || m < 1 || m > 65535) {
                od_fail(err, errsz, "byte_extract: invalid multiplier \"%s\" (expected 1..65535, once)", v);
                goto error;
            }
            mult_set = true;
            be->multiplier = (uint32_t)m;
        } else if (field_kv(f[i], "align", &v)) {
            if (be->align || (strcmp(v, "2") != 0 && strcmp(v, "4") != 0)) {
                od_fail(err, errsz, "byte_extract: invalid align \"%s\" (expected 2 or 4, once)", v);
                goto error;
            }
            be->align = (uint8_t)(v[0] - '0');
        } else {
            int r = parse_read_flag("byte_extract", f[i], &be->rd, &string, &endian_set, err, errsz);
            if (r < 0)
                goto error;
            if (r == 0) {
                od_fail(err, errsz, "byte_extract: unknown option \"%s\"", f[i]);
                goto error;
            }
        }
    }
    uint8_t base = be->rd.base ? be->rd.base : 10;
    if (!check_read_spec("byte_extract", &be->rd, string, endian_set, string_max_for_base(base), false, err,
                         errsz))
        goto error;
    free(buf);
    return be;
error:
    free(buf);
    byte_extract_free(be);
    return NULL;
}

ByteMath *byte_math_parse(const char *str, uint8_t new_var, ByteVarLookup lookup, void *user, char *err,
                          size_t errsz)
{
    char *buf = NULL, *f[BYTE_MAX_FIELDS];
    ByteMath *bm = calloc(1, sizeof(*bm));
    int n = str ? split_fields(str, &buf, f) : -1;
    bool string = false, endian_set = false;
    bool have_bytes = false, have_offset = false, have_oper = false, have_rvalue = false;
    const char *v;
    if (bm == NULL)
        goto error;
    bm->var = new_var;
    if (n < 1) {
        od_fail(err, errsz, "byte_math: missing options");
        goto error;
    }
    for (int i = 0; i < n; i++) {
        if (strcmp(f[i], "relative") == 0) {
            bm->relative = true;
        } else if (field_kv(f[i], "bytes", &v)) {
            if (have_bytes) {
                od_fail(err, errsz, "byte_math: \"bytes\" given more than once");
                goto error;
            }
            have_bytes = true;
            if (!parse_operand(v, lookup, user, "byte_math", "bytes", false, &bm->rd.nbytes, err, errsz))
                goto error;
            if (!bm->rd.nbytes.is_var && (bm->rd.nbytes.num < 1 || bm->rd.nbytes.num > BYTE_MATH_MAX)) {
                od_fail(err, errsz, "byte_math: invalid bytes value \"%s\" (expected 1..10)", v);
                goto error;
            }
        } else if (field_kv(f[i], "offset", &v)) {
            if (have_offset) {
                od_fail(err, errsz, "byte_math: \"offset\" given more than once");
                goto error;
            }
            have_offset = true;
            if (!parse_offset32("byte_math", v, &bm->offset, err, errsz))
                goto error;
        } else if (field_kv(f[i], "oper", &v)) {
            static const char *const ops[] = { "+", "-", "*", "/", "<<", ">>" };
            int k;
            for (k = 0; k < 6; k++)
                if (strcmp(v, ops[k]) == 0)
                    break;
            if (k == 6 || have_oper) {
                od_fail(err, errsz, "byte_math: invalid oper \"%s\" (expected +, -, *, /, << or >>)", v);
                goto error;
            }
            have_oper = true;
            bm->oper = (uint8_t)k;
        } else if (field_kv(f[i], "rvalue", &v)) {
            if (have_rvalue) {
                od_fail(err, errsz, "byte_math: \"rvalue\" given more than once");
                goto error;
            }
            have_rvalue = true;
            if (!parse_operand(v, lookup, user, "byte_math", "rvalue", false, &bm->rvalue, err, errsz))
                goto error;
            if (!bm->rvalue.is_var && (uint64_t)bm->rvalue.num > UINT32_MAX) {
                od_fail(err, errsz, "byte_math: rvalue \"%s\" out of range (max 4294967295)", v);
                goto error;
            }
        } else if (field_kv(f[i], "result", &v)) {
            if (bm->name || !is_var_name(v)) {
                od_fail(err, errsz, "byte_math: invalid result name \"%s\" (must start with a letter, once)", v);
                goto error;
            }
            bm->name = strdup(v);
            if (bm->name == NULL)
                goto error;
        } else if (field_kv(f[i], "endian", &v)) {
            if (endian_set || (strcmp(v, "big") != 0 && strcmp(v, "little") != 0 && strcmp(v, "dce") != 0)) {
                od_fail(err, errsz, "byte_math: invalid endian \"%s\" (expected big, little or dce, once)", v);
                goto error;
            }
            endian_set = true;
            bm->rd.endian = v[0] == 'b' ? BYTE_ENDIAN_BIG : v[0] == 'l' ? BYTE_ENDIAN_LITTLE : BYTE_ENDIAN_DCE;
        } else if (field_kv(f[i], "string", &v)) {
            if (string || (strcmp(v, "hex") != 0 && strcmp(v, "dec") != 0 && strcmp(v, "oct") != 0)) {
                od_fail(err, errsz, "byte_math: invalid string type \"%s\" (expected hex, dec or oct, once)", v);
                goto error;
            }
            string = true;
            bm->rd.base = v[0] == 'h' ? 16 : v[0] == 'd' ? 10 : 8;
        } else if (field_kv(f[i], "bitmask", &v)) {
            if (!parse_bitmask("byte_math", v, &bm->rd, err, errsz))
                goto error;
        } else {
            od_fail(err, errsz, "byte_math: unknown option \"%s\"", f[i]);
            goto error;
        }
    }
    if (!have_bytes || !have_offset || !have_oper || !have_rvalue || !bm->name) {
        od_fail(err, errsz, "byte_math: \"bytes\", \"offset\", \"oper\", \"rvalue\" and \"result\" are required");
        goto error;
    }
    if (bm->rd.endian == BYTE_ENDIAN_DCE && string) {
        od_fail(err, errsz, "byte_math: \"endian dce\" cannot be combined with \"string\"");
        goto error;
    }
    if (string && !bm->rd.nbytes.is_var && bm->rd.nbytes.num > (int64_t)string_max_for_base(bm->rd.base)) {
        od_fail(err, errsz, "byte_math: too many bytes for string type (max %u)", string_max_for_base(bm->rd.base));
        goto error;
    }
    free(buf);
    return bm;
error:
    free(buf);
    byte_math_free(bm);
    return NULL;
}

void byte_test_free(void *p) { free(p); }
void byte_jump_free(void *p) { free(p); }

void byte_extract_free(void *p)
{
    ByteExtract *be = p;
    if (be) {
        free(be->name);
        free(be);
    }
}

void byte_math_free(void *p)
{
    ByteMath *bm = p;
    if (bm) {
        free(bm->name);
        free(bm);
    }
}

/* ---- evaluation ---- */

static int64_t operand_value(const ByteOperand *o, const InspectCursor *cur)
{
    return o->is_var ? (int64_t)cur->vars[o->var] : o->num;
}

bool byte_read_number(const ByteReadSpec *rd, uint32_t n, const uint8_t *buf, uint32_t len, int64_t pos,
                      uint64_t *val, uint32_t *used)
{
    if (pos < 0 || pos > (int64_t)len || (int64_t)n > (int64_t)len - pos)
        return false;
    const uint8_t *p = buf + pos;
    uint64_t v = 0;
    if (rd->base) {
        char tmp[32];
        /* n == 0 with "string": the number runs to the end of the buffer (as
         * Suricata's string extraction with no length reads up to the first
         * non-digit). A span longer than tmp can only be an overflow when
         * every copied byte is part of the number. */
        bool to_end = n == 0;
        if (to_end) {
            uint64_t rest = (uint64_t)len - (uint64_t)pos;
            n = rest < sizeof(tmp) - 1 ? (uint32_t)rest : (uint32_t)sizeof(tmp) - 1;
            if (n == 0)
                return false;
        }
        if (n >= sizeof(tmp))
            return false;
        memcpy(tmp, p, n);
        tmp[n] = '\0';
        char *end;
        errno = 0;
        v = strtoull(tmp, &end, rd->base);
        if (end == tmp || errno != 0)
            return false;
        if (to_end && (uint64_t)(end - tmp) == n && (uint64_t)len - (uint64_t)pos > n)
            return false; /* digits continue past what fits in 64 bits */
        *used = (uint32_t)(end - tmp);
    } else {
        if (n > 8)
            return false;
        for (uint32_t i = 0; i < n; i++) {
            if (rd->endian == BYTE_ENDIAN_LITTLE)
                v |= (uint64_t)p[i] << (8 * i);
            else
                v = (v << 8) | p[i];
        }
        *used = n;
    }
    if (rd->bitmask_set) {
        v &= rd->bitmask;
        if (v && rd->bitmask_shift)
            v >>= rd->bitmask_shift;
    }
    *val = v;
    return true;
}

/* Resolved nbytes, or -1 when a variable holds an unusable count. */
static int64_t resolve_nbytes(const ByteReadSpec *rd, const InspectCursor *cur)
{
    int64_t n = operand_value(&rd->nbytes, cur);
    if (rd->nbytes.is_var && (n < 0 || n > (rd->base ? 23 : 8)))
        return -1;
    return n;
}

/* Where reading starts: buffer start or the cursor, plus offset. */
static int64_t start_pos(bool relative, int64_t offset, const InspectCursor *cur)
{
    return (relative ? (int64_t)cur->offset : 0) + offset;
}

static void not_retryable(InspectCursor *cur)
{
    cur->retryable = false;
}

InspectResult byte_test_eval(const ByteTest *bt, InspectCursor *cur)
{
    not_retryable(cur);
    if (cur->len == 0)
        return INSPECT_NO_MATCH;
    int64_t n = resolve_nbytes(&bt->rd, cur);
    if (n < 0 || (n == 0 && !bt->rd.base))
        return INSPECT_NO_MATCH;
    int64_t pos = start_pos(bt->relative, operand_value(&bt->offset, cur), cur);
    if (bt->relative && pos >= (int64_t)cur->len)
        return INSPECT_NO_MATCH;
    uint64_t val;
    uint32_t used;
    if (!byte_read_number(&bt->rd, (uint32_t)n, cur->buf, cur->len, pos, &val, &used))
        return INSPECT_NO_MATCH;
    uint64_t ref = (uint64_t)operand_value(&bt->value, cur);
    bool m;
    switch (bt->op) {
    case BYTE_OP_EQ: m = val == ref; break;
    case BYTE_OP_LT: m = val < ref; break;
    case BYTE_OP_GT: m = val > ref; break;
    case BYTE_OP_LE: m = val <= ref; break;
    case BYTE_OP_GE: m = val >= ref; break;
    case BYTE_OP_AND: m = (val & ref) != 0; break;
    default: m = (val ^ ref) != 0; break;
    }
    return m != bt->negate ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

InspectResult byte_jump_eval(const ByteJump *bj, InspectCursor *cur)
{
    not_retryable(cur);
    if (cur->len == 0)
        return INSPECT_NO_MATCH;
    int64_t n = resolve_nbytes(&bj->rd, cur);
    if (n < 0)
        return INSPECT_NO_MATCH;
    int64_t pos = start_pos(bj->relative, operand_value(&bj->offset, cur), cur);
    if (bj->relative && pos >= (int64_t)cur->len)
        return INSPECT_NO_MATCH;
    uint64_t val = 0;
    uint32_t used = 0;
    if (!byte_read_number(&bj->rd, (uint32_t)n, cur->buf, cur->len, pos, &val, &used))
        return INSPECT_NO_MATCH;
    /* saturate instead of wrapping: a huge jump is out of the buffer anyway */
    if (val > (uint64_t)INT32_MAX)
        return INSPECT_NO_MATCH;
    int64_t jump = (int64_t)val * bj->multiplier;
    if (bj->align && (jump % 4) != 0)
        jump += 4 - (jump % 4);
    int64_t target;
    if (bj->from_beginning)
        target = jump;
    else if (bj->from_end)
        target = (int64_t)cur->len + jump;
    else
        target = pos + used + jump;
    target += bj->post_offset;
    if (target < 0)
        target = 0; /* Suricata clamps a jump before the buffer to its start */
    if (target > (int64_t)cur->len)
        return INSPECT_NO_MATCH;
    cur->offset = (uint32_t)target;
    return INSPECT_MATCH;
}

InspectResult byte_extract_eval(const ByteExtract *be, InspectCursor *cur)
{
    not_retryable(cur);
    if (cur->len == 0)
        return INSPECT_NO_MATCH;
    int64_t pos = start_pos(be->relative, be->offset, cur);
    if (be->relative && pos >= (int64_t)cur->len)
        return INSPECT_NO_MATCH;
    uint64_t val;
    uint32_t used;
    if (!byte_read_number(&be->rd, (uint32_t)be->rd.nbytes.num, cur->buf, cur->len, pos, &val, &used))
        return INSPECT_NO_MATCH;
    val *= be->multiplier;
    if (be->align && (val % be->align) != 0)
        val += be->align - (val % be->align);
    cur->vars[be->var] = val;
    cur->offset = (uint32_t)(pos + used);
    return INSPECT_MATCH;
}

InspectResult byte_math_eval(const ByteMath *bm, InspectCursor *cur)
{
    not_retryable(cur);
    if (cur->len == 0)
        return INSPECT_NO_MATCH;
    int64_t n = resolve_nbytes(&bm->rd, cur);
    if (n <= 0)
        return INSPECT_NO_MATCH;
    int64_t pos = start_pos(bm->relative, bm->offset, cur);
    if (bm->relative && pos >= (int64_t)cur->len)
        return INSPECT_NO_MATCH;
    uint64_t val;
    uint32_t used;
    if (!byte_read_number(&bm->rd, (uint32_t)n, cur->buf, cur->len, pos, &val, &used))
        return INSPECT_NO_MATCH;
    uint64_t rv = (uint64_t)operand_value(&bm->rvalue, cur);
    /* the bitmask applies to the result, not to the bytes read */
    if (bm->rd.bitmask_set) {
        ByteReadSpec raw = bm->rd;
        raw.bitmask_set = false;
        if (!byte_read_number(&raw, (uint32_t)n, cur->buf, cur->len, pos, &val, &used))
            return INSPECT_NO_MATCH;
    }
    switch (bm->oper) {
    case BYTE_MATH_ADD: val += rv; break;
    case BYTE_MATH_SUB: val -= rv; break;
    case BYTE_MATH_MUL: val *= rv; break;
    case BYTE_MATH_DIV:
        if (rv == 0)
            return INSPECT_NO_MATCH;
        val /= rv;
        break;
    case BYTE_MATH_SHL: val = rv >= 64 ? 0 : val << rv; break;
    default: val = rv >= 64 ? 0 : val >> rv; break;
    }
    if (bm->rd.bitmask_set) {
        val &= bm->rd.bitmask;
        if (val && bm->rd.bitmask_shift)
            val >>= bm->rd.bitmask_shift;
    }
    cur->vars[bm->var] = val;
    cur->offset = (uint32_t)(pos + used);
    return INSPECT_MATCH;
}
