/*
 * The gunzip transform (Suricata 8): replaces the sticky buffer with its
 * gzip decompression (RFC 1952 member, RFC 1951 deflate data), at most
 * `max-size` bytes of it (default 1024; `gunzip: max-size 8;`, or
 * `max-size=8`, units such as 1kb accepted as in uint values). Output past
 * the limit is cut off; data that is not gzip, or that fails before
 * yielding any byte, gives an empty buffer; an empty buffer stays empty.
 * Decompression of the untrusted buffer is zlib's inflate, bounded by the
 * output limit (fuzz/fuzz_gunzip.c exercises it).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/kw-hdrkw.h"
#include "detect/rule-parse.h"
#include "detect/transforms.h"

#define GUNZIP_DEFAULT_MAX 1024u
#define GUNZIP_LIMIT_MAX (16u * 1024u * 1024u)

typedef struct GunzipCtx {
    uint32_t max_size;
} GunzipCtx;

static uint16_t kw_gunzip;

uint32_t gunzip_decompress(const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t max)
{
    if (in == NULL || in_len == 0 || out == NULL || max == 0)
        return 0;
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) /* 16: gzip wrapper only */
        return 0;
    zs.next_in = (Bytef *)(uintptr_t)in; /* zlib's API is not const; it only reads */
    zs.avail_in = in_len;
    zs.next_out = out;
    zs.avail_out = max;
    while (zs.avail_out > 0) {
        int rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK)
            break; /* end of the member, an error, or no progress possible */
    }
    uint32_t produced = max - zs.avail_out;
    inflateEnd(&zs);
    return produced;
}

bool gunzip_parse_max(const char *value, uint32_t *max, char *err, size_t errlen)
{
    *max = GUNZIP_DEFAULT_MAX;
    if (value == NULL)
        return true;
    const char *p = value;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '\0')
        return true;
    if (strncmp(p, "max-size", 8) != 0 || !(isspace((unsigned char)p[8]) || p[8] == '=')) {
        snprintf(err, errlen, "gunzip: unknown option '%s' (only max-size <bytes>)", value);
        return false;
    }
    p += 8;
    while (isspace((unsigned char)*p) || *p == '=')
        p++;
    uint64_t v = 0;
    if (!detect_uint_parse_value(&p, GUNZIP_LIMIT_MAX, &v)) {
        snprintf(err, errlen, "gunzip: invalid max-size in '%s' (1 to %u bytes)", value, GUNZIP_LIMIT_MAX);
        return false;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '\0' || v == 0) {
        snprintf(err, errlen, "gunzip: invalid max-size in '%s' (1 to %u bytes)", value, GUNZIP_LIMIT_MAX);
        return false;
    }
    *max = (uint32_t)v;
    return true;
}

static bool gunzip_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    if (rp->current_list == SIG_LIST_PMATCH)
        return rule_error(rp, "transform 'gunzip' needs a sticky buffer before it (e.g. 'http.uri; gunzip;')");
    char err[256] = "";
    uint32_t max = 0;
    if (!gunzip_parse_max(value, &max, err, sizeof(err)))
        return rule_error(rp, "%s", err);
    SigMatchList *l = rule_transform_list(rp, s, "gunzip"); /* after a content: a new buffer instance */
    if (l == NULL)
        return false;
    GunzipCtx *c = calloc(1, sizeof(*c));
    SigMatch *n = c ? realloc(l->transforms, (size_t)(l->transform_count + 1) * sizeof(SigMatch)) : NULL;
    if (n == NULL) {
        free(c);
        return rule_error(rp, "out of memory");
    }
    c->max_size = max;
    l->transforms = n;
    n[l->transform_count].kw = kw_gunzip;
    n[l->transform_count].ctx = c;
    l->transform_count++;
    return true;
}

/* Decompresses into a new allocation (`in` may live in out->owned, the
 * previous transform's output), then installs it as the scratch. */
static bool gunzip_transform(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx)
{
    const GunzipCtx *c = ctx;
    if (in_len == 0) {
        out->data = in;
        out->len = 0;
        return true;
    }
    uint8_t *dst = malloc(c->max_size);
    if (dst == NULL)
        return false;
    uint32_t n = gunzip_decompress(in, in_len, dst, c->max_size);
    free(out->owned);
    out->owned = dst;
    out->owned_cap = c->max_size;
    out->data = dst;
    out->len = n;
    return true;
}

static uint32_t gunzip_hash(const void *ctx)
{
    return ((const GunzipCtx *)ctx)->max_size * 2654435761u;
}

static bool gunzip_equal(const void *a, const void *b)
{
    return ((const GunzipCtx *)a)->max_size == ((const GunzipCtx *)b)->max_size;
}

void hdrkw_register_gunzip(void)
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = "gunzip";
    d.help = "transform: gzip-decompress the buffer, at most max-size bytes (default 1024)";
    d.flags = KW_TRANSFORM | KW_OPTIONAL_VALUE;
    d.setup = gunzip_setup;
    d.transform = gunzip_transform;
    d.free = free;
    d.hash = gunzip_hash;
    d.equal = gunzip_equal;
    kw_gunzip = keyword_register(&d);
}
