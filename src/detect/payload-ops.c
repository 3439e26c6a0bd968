/*
 * isdataat, bsize, dsize and base64_decode: parsing and evaluation (see
 * payload-ops.h), plus the base64 decoder used by base64_decode and the
 * from_base64 transform. The decoded bytes of base64_decode live in a
 * thread-local scratch buffer: each detection thread owns its own, reused
 * from packet to packet, released by payload_thread_cleanup().
 */
#include "detect/payload-ops.h"
#include "util/err-buf.h"
#include "util/base64.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trim_copy(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return strndup(s, n);
}

/* ---- isdataat ---- */

DetectIsdataat *isdataat_parse(const char *str, ByteVarLookup lookup, void *user, char *err, size_t errsz)
{
    if (str == NULL) {
        od_fail(err, errsz, "isdataat needs a value: isdataat:[!]<bytes>[,relative]");
        return NULL;
    }
    DetectIsdataat *id = calloc(1, sizeof(*id));
    char *copy = strdup(str);
    if (id == NULL || copy == NULL)
        goto error;
    int field = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save), field++) {
        char *t = tok;
        while (isspace((unsigned char)*t))
            t++;
        char *e = t + strlen(t);
        while (e > t && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (field == 0) {
            if (*t == '!') {
                id->negate = true;
                t++;
                while (isspace((unsigned char)*t))
                    t++;
            }
            if (isdigit((unsigned char)*t)) {
                char *end;
                errno = 0;
                unsigned long v = strtoul(t, &end, 10);
                if (*end != '\0' || errno || v > 65535) {
                    od_fail(err, errsz, "isdataat: invalid number of bytes \"%s\" (expected 0..65535)", t);
                    goto error;
                }
                id->dataat.num = (int64_t)v;
            } else {
                int idx = lookup && *t ? lookup(user, t) : -1;
                if (idx < 0) {
                    od_fail(err, errsz, "isdataat: unknown byte_ keyword var \"%s\" (expected a number or a "
                                     "byte_extract/byte_math variable)", t);
                    goto error;
                }
                id->dataat.is_var = true;
                id->dataat.var = (uint8_t)idx;
            }
        } else if (strcmp(t, "relative") == 0) {
            id->relative = true;
        } else if (strcmp(t, "rawbytes") == 0) {
            id->rawbytes = true;
        } else {
            od_fail(err, errsz, "isdataat: unknown option \"%s\" (expected relative or rawbytes)", t);
            goto error;
        }
    }
    if (field == 0) {
        od_fail(err, errsz, "isdataat needs a value: isdataat:[!]<bytes>[,relative]");
        goto error;
    }
    free(copy);
    return id;
error:
    free(copy);
    free(id);
    return NULL;
}

InspectResult isdataat_eval(const DetectIsdataat *id, InspectCursor *cur)
{
    cur->retryable = false;
    uint64_t n = id->dataat.is_var ? cur->vars[id->dataat.var] : (uint64_t)id->dataat.num;
    if (id->relative) {
        bool data = (uint64_t)cur->offset + n <= cur->len;
        if (data)
            return id->negate ? INSPECT_NO_MATCH : INSPECT_MATCH;
        return id->negate ? INSPECT_MATCH : INSPECT_NO_MATCH_DISCONTINUE;
    }
    bool data = n < cur->len;
    if (data)
        return id->negate ? INSPECT_NO_MATCH_DISCONTINUE : INSPECT_MATCH;
    return id->negate ? INSPECT_MATCH : INSPECT_NO_MATCH_DISCONTINUE;
}

/* ---- bsize / dsize ---- */

static DetectUint *uint_kw_parse(const char *kw, const char *str, uint64_t max, char *err, size_t errsz)
{
    DetectUint *u = calloc(1, sizeof(*u));
    if (u == NULL)
        return NULL;
    if (str == NULL || !detect_uint_parse(str, max, u)) {
        od_fail(err, errsz, "%s: invalid value \"%s\" (%s)", kw, str ? str : "", detect_uint_syntax_help());
        free(u);
        return NULL;
    }
    return u;
}

DetectUint *bsize_parse(const char *str, char *err, size_t errsz)
{
    return uint_kw_parse("bsize", str, DETECT_UINT_MAX_U64, err, errsz);
}

DetectUint *dsize_parse(const char *str, char *err, size_t errsz)
{
    return uint_kw_parse("dsize", str, DETECT_UINT_MAX_U16, err, errsz);
}

bool payload_uint_max(const DetectUint *u, uint64_t *max)
{
    switch (u->mode) {
    case DETECT_UINT_EQ:
    case DETECT_UINT_LT:
    case DETECT_UINT_LTE:
        *max = u->arg1;
        return true;
    case DETECT_UINT_RANGE:
        *max = u->arg2;
        return true;
    default:
        return false;
    }
}

/* ---- base64 ---- */

int64_t base64_decode_buf(const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t out_cap, Base64Mode mode)
{
    uint32_t o = 0;
    uint32_t acc = 0;
    int n = 0;
    for (uint32_t i = 0; i < in_len; i++) {
        if (in[i] == '=')
            break;
        int v = base64_value(in[i]);
        if (v < 0) {
            if (mode == BASE64_MODE_RFC2045)
                continue;
            if (mode == BASE64_MODE_STRICT)
                return -1;
            break;
        }
        acc = (acc << 6) | (uint32_t)v;
        if (++n == 4) {
            if (o + 3 > out_cap)
                return o;
            out[o++] = (uint8_t)(acc >> 16);
            out[o++] = (uint8_t)(acc >> 8);
            out[o++] = (uint8_t)acc;
            acc = 0;
            n = 0;
        }
    }
    if (mode == BASE64_MODE_STRICT) {
        /* strict: only '=' padding may follow, and the groups must be whole */
        uint32_t i = 0, pad = 0, chars = 0;
        for (; i < in_len && in[i] != '='; i++)
            chars++;
        for (; i < in_len; i++) {
            if (in[i] != '=')
                return -1;
            pad++;
        }
        if (((chars + pad) % 4) != 0 || pad > 2)
            return -1;
    }
    if (n == 2 && o + 1 <= out_cap) {
        out[o++] = (uint8_t)(acc >> 4);
    } else if (n == 3 && o + 2 <= out_cap) {
        out[o++] = (uint8_t)(acc >> 10);
        out[o++] = (uint8_t)(acc >> 2);
    }
    return o;
}

/* ---- base64_decode ---- */

static bool parse_u32_field(const char *kw, const char *name, const char *v, uint32_t *out, char *err, size_t errsz)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)*v))
        return od_fail(err, errsz, "%s: invalid %s \"%s\"", kw, name, v);
    unsigned long long n = strtoull(v, &end, 10);
    if (*end != '\0' || errno || n > UINT32_MAX)
        return od_fail(err, errsz, "%s: invalid %s \"%s\"", kw, name, v);
    *out = (uint32_t)n;
    return true;
}

DetectBase64Decode *base64_decode_parse(const char *str, char *err, size_t errsz)
{
    DetectBase64Decode *bd = calloc(1, sizeof(*bd));
    if (bd == NULL)
        return NULL;
    if (str == NULL || *str == '\0')
        return bd;
    bool have_bytes = false, have_offset = false;
    const char *p = str;
    while (*p) {
        size_t n = strcspn(p, ",");
        char *f = trim_copy(p, n);
        if (f == NULL)
            goto error;
        bool ok = true;
        if (*f == '\0') {
            ok = od_fail(err, errsz, "base64_decode: empty option in \"%s\"", str);
        } else if (strcmp(f, "relative") == 0) {
            bd->relative = true;
        } else if (strncmp(f, "bytes", 5) == 0 && (f[5] == ' ' || f[5] == '\t')) {
            const char *v = f + 5;
            while (isspace((unsigned char)*v))
                v++;
            ok = !have_bytes && parse_u32_field("base64_decode", "bytes", v, &bd->bytes, err, errsz);
            if (ok && bd->bytes == 0)
                ok = od_fail(err, errsz, "base64_decode: bytes must be greater than 0");
            have_bytes = true;
        } else if (strncmp(f, "offset", 6) == 0 && (f[6] == ' ' || f[6] == '\t')) {
            const char *v = f + 6;
            while (isspace((unsigned char)*v))
                v++;
            ok = !have_offset && parse_u32_field("base64_decode", "offset", v, &bd->offset, err, errsz);
            have_offset = true;
        } else {
            ok = od_fail(err, errsz, "base64_decode: unknown option \"%s\" (expected bytes <n>, offset <n>, relative)",
                      f);
        }
        free(f);
        if (!ok)
            goto error;
        p += n;
        if (*p == ',')
            p++;
    }
    return bd;
error:
    if (err && errsz && err[0] == '\0')
        od_fail(err, errsz, "base64_decode: invalid options \"%s\"", str);
    free(bd);
    return NULL;
}

static _Thread_local struct {
    uint8_t *data;
    uint32_t len, cap;
} b64_scratch;

const uint8_t *base64_decoded(uint32_t *len)
{
    *len = b64_scratch.len;
    return b64_scratch.data;
}

void payload_thread_cleanup(void)
{
    free(b64_scratch.data);
    memset(&b64_scratch, 0, sizeof(b64_scratch));
}

InspectResult base64_decode_eval(const DetectBase64Decode *bd, InspectCursor *cur)
{
    cur->retryable = false;
    b64_scratch.len = 0;
    uint32_t start = bd->relative ? cur->offset : 0;
    if (start > cur->len)
        return INSPECT_NO_MATCH;
    uint32_t avail = cur->len - start;
    if (bd->offset) {
        if (bd->offset >= avail)
            return INSPECT_NO_MATCH;
        start += bd->offset;
        avail -= bd->offset;
    }
    if (bd->bytes && avail > bd->bytes)
        avail = bd->bytes;
    if (avail > BASE64_DECODE_MAX)
        avail = BASE64_DECODE_MAX;
    if (avail == 0)
        return INSPECT_NO_MATCH;
    uint32_t need = avail / 4 * 3 + 3;
    if (b64_scratch.cap < need) {
        uint8_t *n = realloc(b64_scratch.data, need);
        if (n == NULL)
            return INSPECT_NO_MATCH;
        b64_scratch.data = n;
        b64_scratch.cap = need;
    }
    int64_t got = base64_decode_buf(cur->buf + start, avail, b64_scratch.data, b64_scratch.cap, BASE64_MODE_RFC4648);
    if (got <= 0)
        return INSPECT_NO_MATCH;
    b64_scratch.len = (uint32_t)got;
    return INSPECT_MATCH;
}
