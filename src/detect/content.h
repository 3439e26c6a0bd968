/*
 * The parsed form of a `content` option and its modifiers, shared with the
 * engine builder (fast pattern choice, prefilter) and other keyword families
 * that need to look at "the previous content" (e.g. legacy http_* modifiers,
 * the multi-pattern matcher). A limit written as a byte_extract/byte_math
 * variable (distance:len;) has its CONTENT_*_VAR flag and index; its
 * numeric field is then 0 and only known during inspection.
 */
#ifndef ODLAR_DETECT_CONTENT_H
#define ODLAR_DETECT_CONTENT_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/inspect.h"

/* DetectContent.flags */
#define CONTENT_NOCASE (1u << 0)
#define CONTENT_NEGATED (1u << 1)
#define CONTENT_DEPTH (1u << 2)
#define CONTENT_OFFSET (1u << 3)
#define CONTENT_DISTANCE (1u << 4)
#define CONTENT_WITHIN (1u << 5)
#define CONTENT_FAST_PATTERN (1u << 6)
#define CONTENT_FAST_PATTERN_ONLY (1u << 7)
#define CONTENT_FAST_PATTERN_CHOP (1u << 8)
#define CONTENT_RAWBYTES (1u << 9)
#define CONTENT_STARTSWITH (1u << 10)
#define CONTENT_ENDSWITH (1u << 11)
/* the limit is a byte_extract/byte_math variable (its vars[] index is in
 * *_var), read at inspection time; set together with the limit's flag */
#define CONTENT_OFFSET_VAR (1u << 12)
#define CONTENT_DEPTH_VAR (1u << 13)
#define CONTENT_DISTANCE_VAR (1u << 14)
#define CONTENT_WITHIN_VAR (1u << 15)

typedef struct DetectContent {
    uint8_t *data; /* the bytes, as decoded from the rule */
    uint8_t *lower; /* lower-case copy, for nocase searching */
    uint32_t len;
    uint32_t flags;
    uint32_t offset, depth; /* absolute: depth counts from offset */
    int32_t distance; /* relative: may be negative */
    uint32_t within;
    uint16_t fp_chop_offset, fp_chop_len; /* fast_pattern:offset,length */
    uint8_t offset_var, depth_var, distance_var, within_var; /* with CONTENT_*_VAR */
    uint32_t nocase_anchor; /* where in `lower` a nocase search anchors (content_nocase_anchor) */
} DetectContent;

/* Keyword id of `content` (valid after keywords_init). */
uint16_t content_keyword_id(void);

/* Finds needle in hay (nocase: needle_lower is already lower-case and hay
 * is folded while comparing). Returns the position or -1. */
int64_t content_search(const uint8_t *hay, uint32_t hay_len, const uint8_t *needle, uint32_t needle_len,
                       bool nocase);
/* The same with the anchor of a nocase search given (what
 * content_nocase_anchor returned for this needle; any index is correct,
 * the rarest byte is fastest). */
int64_t content_search_anchored(const uint8_t *hay, uint32_t hay_len, const uint8_t *needle, uint32_t needle_len,
                                bool nocase, uint32_t anchor);
/* The index of the byte of a folded needle that is cheapest to scan for. */
uint32_t content_nocase_anchor(const uint8_t *needle_lower, uint32_t len);

/* The bytes of `cd` used as its fast pattern (honours chop). */
void content_fast_pattern(const DetectContent *cd, const uint8_t **data, uint32_t *len);

#endif
