/*
 * Buffer transforms (to_lowercase, dotprefix, xor, to_sha256, pcrexform,
 * from_base64...): each rewrites a sticky buffer before its keywords inspect
 * it. This header gives their options' parsed form and the transform
 * functions themselves, with the KeywordDef.transform signature, free of any
 * tie to the rule parser (kw-transforms.c registers them).
 *
 * Output contract: the result goes to out->owned (grown as needed, owned by
 * the caller's scratch) and out->data/out->len point at it. `in` may point
 * into out->owned (chained transforms reusing one scratch): the functions
 * handle that. A transform that has nothing to do leaves a copy of the input.
 */
#ifndef ODLAR_DETECT_TRANSFORMS_H
#define ODLAR_DETECT_TRANSFORMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/inspect.h"
#include "detect/payload-ops.h"
#include "detect/pcre-match.h"

#define TRANSFORMS_MAX 16 /* per buffer, as Suricata's DETECT_TRANSFORMS_MAX */

typedef struct TransformXor {
    uint8_t *key;
    uint32_t key_len;
} TransformXor;

typedef struct TransformFromBase64 {
    uint32_t bytes; /* 0 = all */
    uint32_t offset;
    uint8_t mode; /* Base64Mode */
} TransformFromBase64;

typedef struct TransformPcrexform {
    DetectPcre *re; /* compiled; group 1 is the output */
} TransformPcrexform;

/* Option parsers (NULL + message on error). */
TransformXor *xform_xor_parse(const char *str, char *err, size_t errsz);
TransformFromBase64 *xform_from_base64_parse(const char *str, char *err, size_t errsz);
TransformPcrexform *xform_pcrexform_parse(const char *str, char *err, size_t errsz);
void xform_xor_free(void *p);
void xform_from_base64_free(void *p);
void xform_pcrexform_free(void *p);

/* The transforms (ctx: the parsed options, NULL for option-less ones). */
bool xform_to_lowercase(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);
bool xform_to_uppercase(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);
bool xform_strip_whitespace(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);
bool xform_compress_whitespace(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);
bool xform_dotprefix(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);
bool xform_url_decode(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);
bool xform_xor(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);
bool xform_to_md5(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);
bool xform_to_sha1(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);
bool xform_to_sha256(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);
bool xform_pcrexform(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);
bool xform_from_base64(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);
bool xform_header_lowercase(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);
bool xform_strip_pseudo_headers(const uint8_t *in, uint32_t in_len, InspectBuffer *out, const void *ctx);

/* Frees out->owned (for callers' scratch teardown and tests). */
void xform_buffer_free(InspectBuffer *b);

#endif
