/*
 * The transforms family's keyword descriptors. A transform's setup parses
 * its options (transforms.c) and appends it to the transforms of the current
 * sticky buffer's list (SigMatchList.transforms, applied in rule order before
 * the list is inspected); after a content, to a new instance of the buffer
 * (rule_transform_list). As in Suricata, a transform needs a sticky buffer
 * before it, and a buffer takes at most TRANSFORMS_MAX transforms. A content
 * the transforms' output could never hold is refused at load, as Suricata
 * does (transforms_content_conflict).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/rule-parse.h"
#include "detect/transforms.h"

/* Keyword name -> id, filled at registration (setup finds its own id). */
#define XFORM_COUNT 14
static const char *xform_names[XFORM_COUNT];
static uint16_t xform_ids[XFORM_COUNT];
static int xform_count;

static bool add_transform(RuleParseCtx *rp, Signature *s, const char *name, void *ctx, void (*fr)(void *))
{
    int id = -1;
    for (int i = 0; i < xform_count; i++)
        if (strcmp(xform_names[i], name) == 0)
            id = xform_ids[i];
    SigMatchList *l = id >= 0 ? rule_transform_list(rp, s, name) : NULL;
    SigMatch *n = l ? realloc(l->transforms, (size_t)(l->transform_count + 1) * sizeof(SigMatch)) : NULL;
    if (!n) {
        if (fr)
            fr(ctx);
        if (id < 0)
            return rule_error(rp, "internal error adding transform '%s'", name);
        return rule_error(rp, "out of memory"); /* no-op when rule_transform_list set the error */
    }
    l->transforms = n;
    n[l->transform_count].kw = (uint16_t)id;
    n[l->transform_count].ctx = ctx;
    l->transform_count++;
    return true;
}

#define SIMPLE_SETUP(fn, kwname)                                                                                 \
    static bool fn(RuleParseCtx *rp, Signature *s, const char *value)                                           \
    {                                                                                                            \
        return add_transform(rp, s, kwname, NULL, NULL);                                                         \
    }

SIMPLE_SETUP(setup_to_lowercase, "to_lowercase")
SIMPLE_SETUP(setup_to_uppercase, "to_uppercase")
SIMPLE_SETUP(setup_strip_whitespace, "strip_whitespace")
SIMPLE_SETUP(setup_compress_whitespace, "compress_whitespace")
SIMPLE_SETUP(setup_dotprefix, "dotprefix")
SIMPLE_SETUP(setup_url_decode, "url_decode")
SIMPLE_SETUP(setup_to_md5, "to_md5")
SIMPLE_SETUP(setup_to_sha1, "to_sha1")
SIMPLE_SETUP(setup_to_sha256, "to_sha256")
SIMPLE_SETUP(setup_header_lowercase, "header_lowercase")
SIMPLE_SETUP(setup_strip_pseudo_headers, "strip_pseudo_headers")

static bool setup_xor(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256] = "";
    TransformXor *x = xform_xor_parse(value, err, sizeof(err));
    if (!x)
        return rule_error(rp, "%s", err);
    return add_transform(rp, s, "xor", x, xform_xor_free);
}

static bool setup_pcrexform(RuleParseCtx *rp, Signature *s, const char *value)
{
    size_t vl = strlen(value);
    if (vl < 2 || value[0] != '"' || value[vl - 1] != '"') /* Suricata's wording */
        return rule_error(rp, "invalid formatting to pcrexform keyword: the regex must be in double quotes");
    char *regex = strdup(value);
    if (!regex)
        return rule_error(rp, "out of memory");
    rule_strip_quotes(regex);
    char err[512] = "";
    TransformPcrexform *t = xform_pcrexform_parse(regex, err, sizeof(err));
    free(regex);
    if (!t)
        return rule_error(rp, "%s", err);
    return add_transform(rp, s, "pcrexform", t, xform_pcrexform_free);
}

static bool setup_from_base64(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256] = "";
    TransformFromBase64 *b = xform_from_base64_parse(value, err, sizeof(err));
    if (!b)
        return rule_error(rp, "%s", err);
    return add_transform(rp, s, "from_base64", b, xform_from_base64_free);
}

/* Could the transform's output ever hold this content? Suricata refuses a
 * content no output can contain: upper case after to_lowercase, lower case
 * after to_uppercase, whitespace after strip_whitespace, a whitespace run
 * after compress_whitespace. */
static bool content_fits(const char *xform, const uint8_t *c, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        bool space = isspace(c[i]) != 0;
        if ((strcmp(xform, "to_lowercase") == 0 && isupper(c[i])) ||
            (strcmp(xform, "to_uppercase") == 0 && islower(c[i])) ||
            (strcmp(xform, "strip_whitespace") == 0 && space) ||
            (strcmp(xform, "compress_whitespace") == 0 && space && i + 1 < len && isspace(c[i + 1])))
            return false;
    }
    return true;
}

const char *transforms_content_conflict(const SigMatchList *l, const uint8_t *content, uint32_t len)
{
    for (uint16_t t = 0; l && t < l->transform_count; t++)
        for (int i = 0; i < xform_count; i++)
            if (xform_ids[i] == l->transforms[t].kw && !content_fits(xform_names[i], content, len))
                return xform_names[i];
    return NULL;
}

void keywords_register_transforms(void)
{
    static const KeywordDef defs[XFORM_COUNT] = {
        { .name = "to_lowercase", .help = "transform: lower-case the buffer", .flags = KW_NOOPT | KW_TRANSFORM,
          .setup = setup_to_lowercase, .transform = xform_to_lowercase },
        { .name = "to_uppercase", .help = "transform: upper-case the buffer", .flags = KW_NOOPT | KW_TRANSFORM,
          .setup = setup_to_uppercase, .transform = xform_to_uppercase },
        { .name = "strip_whitespace", .help = "transform: remove all whitespace",
          .flags = KW_NOOPT | KW_TRANSFORM, .setup = setup_strip_whitespace, .transform = xform_strip_whitespace },
        { .name = "compress_whitespace", .help = "transform: collapse whitespace runs to one character",
          .flags = KW_NOOPT | KW_TRANSFORM, .setup = setup_compress_whitespace,
          .transform = xform_compress_whitespace },
        { .name = "dotprefix", .help = "transform: prepend a '.'", .flags = KW_NOOPT | KW_TRANSFORM,
          .setup = setup_dotprefix, .transform = xform_dotprefix },
        { .name = "url_decode", .help = "transform: decode %XX escapes and '+'", .flags = KW_NOOPT | KW_TRANSFORM,
          .setup = setup_url_decode, .transform = xform_url_decode },
        { .name = "to_md5", .help = "transform: replace the buffer by its MD5 digest",
          .flags = KW_NOOPT | KW_TRANSFORM, .setup = setup_to_md5, .transform = xform_to_md5 },
        { .name = "to_sha1", .help = "transform: replace the buffer by its SHA-1 digest",
          .flags = KW_NOOPT | KW_TRANSFORM, .setup = setup_to_sha1, .transform = xform_to_sha1 },
        { .name = "to_sha256", .help = "transform: replace the buffer by its SHA-256 digest",
          .flags = KW_NOOPT | KW_TRANSFORM, .setup = setup_to_sha256, .transform = xform_to_sha256 },
        { .name = "header_lowercase", .help = "transform: lower-case header names",
          .flags = KW_NOOPT | KW_TRANSFORM, .setup = setup_header_lowercase, .transform = xform_header_lowercase },
        { .name = "strip_pseudo_headers", .help = "transform: remove HTTP/2 pseudo-header lines",
          .flags = KW_NOOPT | KW_TRANSFORM, .setup = setup_strip_pseudo_headers,
          .transform = xform_strip_pseudo_headers },
        { .name = "xor", .help = "transform: xor the buffer with a hex key: xor:\"0d0ac8ff\"",
          .flags = KW_TRANSFORM | KW_QUOTES_OPTIONAL, .setup = setup_xor, .transform = xform_xor,
          .free = xform_xor_free },
        { .name = "pcrexform", .help = "transform: keep the first capture group of a regex",
          .flags = KW_TRANSFORM, .setup = setup_pcrexform, .transform = xform_pcrexform,
          .free = xform_pcrexform_free },
        { .name = "from_base64", .help = "transform: base64-decode: from_base64[:bytes <n>, offset <n>, mode <m>]",
          .flags = KW_TRANSFORM | KW_OPTIONAL_VALUE, .setup = setup_from_base64, .transform = xform_from_base64,
          .free = xform_from_base64_free },
    };
    for (int i = 0; i < XFORM_COUNT; i++) {
        xform_names[i] = defs[i].name;
        xform_ids[i] = keyword_register(&defs[i]);
    }
    xform_count = XFORM_COUNT;
}
