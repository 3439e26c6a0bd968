/*
 * The buffer transforms' implementations (see transforms.h). Each function
 * computes its output size bound, obtains a destination through out_begin()
 * (which copes with `in` living in the same scratch as the output) and
 * publishes the result with out_end(). Semantics follow Suricata 8:
 * compress_whitespace keeps the first whitespace character of each run,
 * url_decode turns '+' into a space and decodes valid %XX only, pcrexform
 * outputs the regex's first capture group (the buffer is left as it was when
 * the regex does not match), from_base64 leaves the buffer unchanged when
 * nothing decodes, the hashes output raw digests.
 */
#include "detect/transforms.h"
#include "util/err-buf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

typedef struct OutCtx {
    InspectBuffer *out;
    uint8_t *dst;
    uint32_t cap;
    bool fresh; /* dst is a new allocation to install in out_end */
} OutCtx;

static bool out_begin(OutCtx *o, InspectBuffer *out, const uint8_t *in, uint32_t need)
{
    if (need == 0)
        need = 1;
    bool alias = out->owned && in && in >= out->owned && in < out->owned + out->owned_cap;
    o->out = out;
    o->fresh = false;
    if (!alias && out->owned_cap >= need) {
        o->dst = out->owned;
        o->cap = out->owned_cap;
        return true;
    }
    o->dst = malloc(need);
    if (o->dst == NULL)
        return false;
    o->cap = need;
    if (alias) {
        o->fresh = true;
    } else {
        free(out->owned);
        out->owned = o->dst;
        out->owned_cap = need;
    }
    return true;
}

static void out_end(OutCtx *o, uint32_t len)
{
    if (o->fresh) {
        free(o->out->owned);
        o->out->owned = o->dst;
        o->out->owned_cap = o->cap;
    }
    o->out->data = o->out->owned;
    o->out->len = len;
}

static bool copy_through(const uint8_t *in, uint32_t in_len, InspectBuffer *out)
{
    OutCtx o;
    if (!out_begin(&o, out, in, in_len))
        return false;
    if (in_len)
        memmove(o.dst, in, in_len);
    out_end(&o, in_len);
    return true;
}

void xform_buffer_free(InspectBuffer *b)
{
    free(b->owned);
    memset(b, 0, sizeof(*b));
}

/* Suricata's whitespace set (C isspace in the C locale). */
static bool ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool xform_to_lowercase(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    OutCtx o;
    if (!out_begin(&o, out, in, in_len))
        return false;
    for (uint32_t i = 0; i < in_len; i++)
        o.dst[i] = (uint8_t)tolower(in[i]);
    out_end(&o, in_len);
    return true;
}

bool xform_to_uppercase(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    OutCtx o;
    if (!out_begin(&o, out, in, in_len))
        return false;
    for (uint32_t i = 0; i < in_len; i++)
        o.dst[i] = (uint8_t)toupper(in[i]);
    out_end(&o, in_len);
    return true;
}

bool xform_strip_whitespace(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    OutCtx o;
    if (!out_begin(&o, out, in, in_len))
        return false;
    uint32_t n = 0;
    for (uint32_t i = 0; i < in_len; i++)
        if (!ws(in[i]))
            o.dst[n++] = in[i];
    out_end(&o, n);
    return true;
}

bool xform_compress_whitespace(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    OutCtx o;
    if (!out_begin(&o, out, in, in_len))
        return false;
    uint32_t n = 0;
    for (uint32_t i = 0; i < in_len; i++)
        if (!ws(in[i]) || i == 0 || !ws(in[i - 1]))
            o.dst[n++] = in[i];
    out_end(&o, n);
    return true;
}

bool xform_dotprefix(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    if (in_len == UINT32_MAX)
        return false;
    OutCtx o;
    if (!out_begin(&o, out, in, in_len + 1))
        return false;
    if (in_len)
        memmove(o.dst + 1, in, in_len);
    o.dst[0] = '.';
    out_end(&o, in_len + 1);
    return true;
}

static int hexdig(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool xform_url_decode(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    OutCtx o;
    if (!out_begin(&o, out, in, in_len))
        return false;
    uint32_t n = 0;
    for (uint32_t i = 0; i < in_len; i++) {
        if (in[i] == '%' && i + 2 < in_len && hexdig(in[i + 1]) >= 0 && hexdig(in[i + 2]) >= 0) {
            o.dst[n++] = (uint8_t)(hexdig(in[i + 1]) << 4 | hexdig(in[i + 2]));
            i += 2;
        } else if (in[i] == '+') {
            o.dst[n++] = ' ';
        } else {
            o.dst[n++] = in[i];
        }
    }
    out_end(&o, n);
    return true;
}

TransformXor *xform_xor_parse(const char *str, char *err, size_t errsz)
{
    if (str == NULL || *str == '\0') {
        od_fail(err, errsz, "xor needs a hex key: xor:\"0d0ac8ff\"");
        return NULL;
    }
    size_t len = strlen(str);
    if (len % 2) {
        od_fail(err, errsz, "xor: the key \"%s\" must have an even number of hex digits", str);
        return NULL;
    }
    if (len / 2 > 255) {
        od_fail(err, errsz, "xor: the key is too long (at most 255 bytes)");
        return NULL;
    }
    TransformXor *x = calloc(1, sizeof(*x));
    if (x == NULL || (x->key = malloc(len / 2)) == NULL) {
        free(x);
        return NULL;
    }
    for (size_t i = 0; i < len; i += 2) {
        int h = hexdig((uint8_t)str[i]), l = hexdig((uint8_t)str[i + 1]);
        if (h < 0 || l < 0) {
            od_fail(err, errsz, "xor: the key \"%s\" is not hexadecimal", str);
            xform_xor_free(x);
            return NULL;
        }
        x->key[i / 2] = (uint8_t)(h << 4 | l);
    }
    x->key_len = (uint32_t)(len / 2);
    return x;
}

void xform_xor_free(void *p)
{
    TransformXor *x = p;
    if (x) {
        free(x->key);
        free(x);
    }
}

bool xform_xor(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    const TransformXor *x = ctx;
    OutCtx o;
    if (!out_begin(&o, out, in, in_len))
        return false;
    for (uint32_t i = 0; i < in_len; i++)
        o.dst[i] = in[i] ^ x->key[i % x->key_len];
    out_end(&o, in_len);
    return true;
}

static bool digest(const EVP_MD *md, const uint8_t *in, uint32_t in_len, InspectBuffer *out)
{
    uint8_t d[EVP_MAX_MD_SIZE];
    unsigned int dl = 0;
    static const uint8_t empty[1];
    if (!EVP_Digest(in_len ? in : empty, in_len, d, &dl, md, NULL))
        return false;
    OutCtx o;
    if (!out_begin(&o, out, in, dl))
        return false;
    memcpy(o.dst, d, dl);
    out_end(&o, dl);
    return true;
}

bool xform_to_md5(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    return digest(EVP_md5(), in, in_len, out);
}

bool xform_to_sha1(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    return digest(EVP_sha1(), in, in_len, out);
}

bool xform_to_sha256(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    return digest(EVP_sha256(), in, in_len, out);
}

TransformPcrexform *xform_pcrexform_parse(const char *str, char *err, size_t errsz)
{
    if (str == NULL || *str == '\0') {
        od_fail(err, errsz, "pcrexform needs a regex with a capture group: pcrexform:\"x=(.*)\"");
        return NULL;
    }
    size_t n = strlen(str);
    char *wrapped = malloc(n + 3);
    if (wrapped == NULL)
        return NULL;
    wrapped[0] = '/';
    memcpy(wrapped + 1, str, n);
    wrapped[n + 1] = '/';
    wrapped[n + 2] = '\0';
    char perr[256] = "";
    DetectPcre *re = pcre_parse(wrapped, perr, sizeof(perr));
    free(wrapped);
    if (re == NULL) {
        od_fail(err, errsz, "pcrexform: %s", strncmp(perr, "pcre: ", 6) == 0 ? perr + 6 : perr);
        return NULL;
    }
    uint32_t groups = 0;
    pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &groups);
    if (groups < 1) {
        od_fail(err, errsz, "pcrexform: the regex \"%s\" needs a capture group: its first group is the output", str);
        pcre_free(re);
        return NULL;
    }
    TransformPcrexform *t = calloc(1, sizeof(*t));
    if (t == NULL) {
        pcre_free(re);
        return NULL;
    }
    t->re = re;
    return t;
}

void xform_pcrexform_free(void *p)
{
    TransformPcrexform *t = p;
    if (t) {
        pcre_free(t->re);
        free(t);
    }
}

bool xform_pcrexform(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    const TransformPcrexform *t = ctx;
    InspectCursor cur;
    memset(&cur, 0, sizeof(cur));
    cur.buf = in;
    cur.len = in_len;
    uint32_t ov[4];
    if (pcre_inspect(t->re, &cur, ov, 2) != INSPECT_MATCH || ov[2] == UINT32_MAX)
        return copy_through(in, in_len, out);
    return copy_through(in + ov[2], ov[3] - ov[2], out);
}

TransformFromBase64 *xform_from_base64_parse(const char *str, char *err, size_t errsz)
{
    TransformFromBase64 *b = calloc(1, sizeof(*b));
    if (b == NULL)
        return NULL;
    b->mode = BASE64_MODE_RFC4648;
    if (str == NULL)
        return b;
    char *copy = strdup(str);
    if (copy == NULL) {
        free(b);
        return NULL;
    }
    bool ok = true, have_bytes = false, have_offset = false, have_mode = false;
    char *save = NULL;
    for (char *f = strtok_r(copy, ",", &save); f && ok; f = strtok_r(NULL, ",", &save)) {
        while (isspace((unsigned char)*f))
            f++;
        char *e = f + strlen(f);
        while (e > f && isspace((unsigned char)e[-1]))
            *--e = '\0';
        char *v = f + strcspn(f, " \t");
        if (*v) {
            *v++ = '\0';
            while (isspace((unsigned char)*v))
                v++;
        }
        if (*f == '\0')
            continue;
        if (strcmp(f, "bytes") == 0 || strcmp(f, "offset") == 0) {
            bool is_bytes = f[0] == 'b';
            char *end;
            errno = 0;
            unsigned long long n = isdigit((unsigned char)*v) ? strtoull(v, &end, 0) : 0;
            if (!isdigit((unsigned char)*v) || *end || errno || n > UINT16_MAX ||
                (is_bytes ? have_bytes : have_offset) || (is_bytes && n == 0)) {
                ok = od_fail(err, errsz, "from_base64: invalid %s \"%s\" (expected %s..65535, once)", f, v,
                          is_bytes ? "1" : "0");
                break;
            }
            if (is_bytes) {
                b->bytes = (uint32_t)n;
                have_bytes = true;
            } else {
                b->offset = (uint32_t)n;
                have_offset = true;
            }
        } else if (strcmp(f, "mode") == 0) {
            if (have_mode) {
                ok = od_fail(err, errsz, "from_base64: mode given more than once");
            } else if (strcasecmp(v, "rfc4648") == 0) {
                b->mode = BASE64_MODE_RFC4648;
            } else if (strcasecmp(v, "rfc2045") == 0) {
                b->mode = BASE64_MODE_RFC2045;
            } else if (strcasecmp(v, "strict") == 0) {
                b->mode = BASE64_MODE_STRICT;
            } else {
                ok = od_fail(err, errsz, "from_base64: invalid mode \"%s\" (expected rfc4648, rfc2045 or strict)", v);
            }
            have_mode = true;
        } else {
            ok = od_fail(err, errsz, "from_base64: unknown option \"%s\" (expected bytes, offset, mode)", f);
        }
    }
    free(copy);
    if (!ok) {
        free(b);
        return NULL;
    }
    return b;
}

void xform_from_base64_free(void *p) { free(p); }

bool xform_from_base64(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    const TransformFromBase64 *b = ctx;
    if (b->offset && b->offset >= in_len)
        return copy_through(in, in_len, out);
    const uint8_t *src = in + b->offset;
    uint32_t len = in_len - b->offset;
    if (b->bytes && b->bytes < len)
        len = b->bytes;
    uint32_t cap = len / 4 * 3 + 3;
    uint8_t *tmp = malloc(cap);
    if (tmp == NULL)
        return false;
    int64_t n = base64_decode_buf(src, len, tmp, cap, (Base64Mode)b->mode);
    bool ok = n > 0 ? copy_through(tmp, (uint32_t)n, out) : copy_through(in, in_len, out);
    free(tmp);
    return ok;
}

bool xform_header_lowercase(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    OutCtx o;
    if (!out_begin(&o, out, in, in_len))
        return false;
    bool in_name = true;
    for (uint32_t i = 0; i < in_len; i++) {
        uint8_t c = in[i];
        /* the name runs from the line start to the line's first ':' */
        o.dst[i] = in_name ? (uint8_t)tolower(c) : c;
        if (c == '\n')
            in_name = true;
        else if (c == ':')
            in_name = false;
    }
    out_end(&o, in_len);
    return true;
}

bool xform_strip_pseudo_headers(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    OutCtx o;
    if (!out_begin(&o, out, in, in_len))
        return false;
    uint32_t n = 0, i = 0;
    while (i < in_len) {
        uint32_t e = i;
        while (e < in_len && in[e] != '\n')
            e++;
        if (e < in_len)
            e++; /* keep the line end */
        if (in[i] != ':') {
            memmove(o.dst + n, in + i, e - i);
            n += e - i;
        }
        i = e;
    }
    out_end(&o, n);
    return true;
}
