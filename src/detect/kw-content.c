/*
 * The `content` keyword and its modifiers: nocase, depth, offset, distance,
 * within, startswith, endswith, fast_pattern and rawbytes.
 *
 * content:"..." (or content:!"..." negated) holds bytes written with |hex|
 * blocks and \ escapes; the modifiers that follow it change where and how it
 * matches. Validation follows Suricata 8: a modifier needs a previous
 * content, absolute (depth/offset) and relative (distance/within) limits do
 * not mix on one content, a limit is not given twice, depth and within may
 * not be shorter than the content, and fast_pattern goes on one content
 * only. A negated content may carry startswith or endswith, as in Suricata
 * 8 (since 6.0.11): content:!"x"; endswith; means "the buffer does not end
 * with x", and startswith "does not start with x". Matching implements the
 * inspect() contract of inspect.h, with the window arithmetic of Suricata's
 * DetectEngineContentInspection: relative contents start at the end of the
 * previous match plus distance and end at within bytes from there; absolute
 * ones search [offset, offset + depth). Each of the four limits may name a
 * byte_extract/byte_math variable defined earlier in the rule
 * (within:len;), read when inspecting.
 */
#include "detect/content.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword-families.h"
#include "detect/kw-payload.h"
#include "detect/rule-parse.h"

static uint16_t kw_content;

uint16_t content_keyword_id(void) { return kw_content; }

static uint8_t fold(uint8_t c) { return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c; }

/* What scanning for byte b (of a folded needle) costs, lower is better: a
 * letter needs two scans (both cases) and letters are the commonest bytes
 * of text protocols, the commoner the dearer ("etaoin..." order); then the
 * punctuation, digits and separators of HTTP, DNS and the like; any other
 * byte is rare. */
static unsigned anchor_cost(uint8_t b)
{
    static const char by_frequency[] = "etaoinshrdlcumwfgypbvkjxqz";
    if (b >= 'a' && b <= 'z')
        return 40u + 25u - (unsigned)(strchr(by_frequency, b) - by_frequency);
    if ((b >= '0' && b <= '9') || strchr(" /.-=:&_,;\"'?()\r\n", b) || b == 0 || b == 0xff)
        return 20u;
    return 10u;
}

uint32_t content_nocase_anchor(const uint8_t *needle_lower, uint32_t len)
{
    uint32_t best = 0;
    unsigned best_cost = ~0u;
    for (uint32_t i = 0; i < len; i++) {
        unsigned c = anchor_cost(needle_lower[i]);
        if (c < best_cost) {
            best_cost = c;
            best = i;
        }
    }
    return best;
}

int64_t content_search_anchored(const uint8_t *hay, uint32_t hay_len, const uint8_t *needle, uint32_t needle_len,
                                bool nocase, uint32_t anchor)
{
    if (needle_len == 0 || needle_len > hay_len)
        return needle_len == 0 ? 0 : -1;
    if (!nocase) {
        const uint8_t *f = memmem(hay, hay_len, needle, needle_len);
        return f ? (int64_t)(f - hay) : -1;
    }
    /* The needle is folded already. Jump with memchr between occurrences of
     * its anchor byte (in either case when it is a letter) and compare the
     * whole needle folded around each. The anchor is the needle's rarest
     * byte (content_nocase_anchor): anchoring on the first byte made a
     * third of ET Open's content time memchr calls on common letters. */
    if (anchor >= needle_len)
        anchor = 0;
    const uint8_t lo = needle[anchor], up = (lo >= 'a' && lo <= 'z') ? (uint8_t)(lo - 32) : lo;
    const uint8_t *end = hay + (hay_len - needle_len) + 1; /* one past the last start */
    const uint8_t *p = hay; /* the next start to look at */
    const uint8_t *next_lo = NULL, *next_up = NULL; /* the next anchors, as starts */
    while (p < end) {
        if (!next_lo || next_lo < p) {
            const uint8_t *q = memchr(p + anchor, lo, (size_t)(end - p));
            next_lo = q ? q - anchor : end;
        }
        if (up != lo && (!next_up || next_up < p)) {
            const uint8_t *q = memchr(p + anchor, up, (size_t)(end - p));
            next_up = q ? q - anchor : end;
        }
        const uint8_t *c = (up != lo && next_up < next_lo) ? next_up : next_lo;
        if (c >= end)
            return -1;
        uint32_t j = 0;
        while (j < needle_len && fold(c[j]) == needle[j])
            j++;
        if (j == needle_len)
            return (int64_t)(c - hay);
        p = c + 1;
    }
    return -1;
}

int64_t content_search(const uint8_t *hay, uint32_t hay_len, const uint8_t *needle, uint32_t needle_len,
                       bool nocase)
{
    return content_search_anchored(hay, hay_len, needle, needle_len, nocase,
                                   nocase ? content_nocase_anchor(needle, needle_len) : 0);
}

void content_fast_pattern(const DetectContent *cd, const uint8_t **data, uint32_t *len)
{
    const uint8_t *base = (cd->flags & CONTENT_NOCASE) ? cd->lower : cd->data;
    if (cd->flags & CONTENT_FAST_PATTERN_CHOP) {
        *data = base + cd->fp_chop_offset;
        *len = cd->fp_chop_len;
    } else {
        *data = base;
        *len = cd->len;
    }
}

static void content_free(void *ctx)
{
    DetectContent *cd = ctx;
    if (!cd)
        return;
    free(cd->data);
    free(cd->lower);
    free(cd);
}

static bool content_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    const char *v = value;
    bool negated = false;
    while (isspace((unsigned char)*v))
        v++;
    if (*v == '!') {
        negated = true;
        v++;
        while (isspace((unsigned char)*v))
            v++;
    }
    char *str = strdup(v);
    if (!str)
        return rule_error(rp, "out of memory");
    size_t n = strlen(str);
    /* the closing quote is escaped only after an odd run of backslashes:
     * "a\\" is the two bytes a\ (ET Open sid 2050433) */
    size_t backslashes = 0;
    while (n >= 2 && backslashes < n - 2 && str[n - 2 - backslashes] == '\\')
        backslashes++;
    if (n >= 2 && str[0] == '"' && str[n - 1] == '"' && backslashes % 2 == 0) {
        str[n - 1] = '\0';
        memmove(str, str + 1, n - 1);
    } else if (n && (str[0] == '"' || str[n - 1] == '"')) {
        free(str);
        return rule_error(rp, "content %s has an unbalanced double quote", value);
    }
    DetectContent *cd = calloc(1, sizeof(*cd));
    if (!cd) {
        free(str);
        return rule_error(rp, "out of memory");
    }
    if (!rule_parse_content_string(rp, str, &cd->data, &cd->len)) {
        free(str);
        free(cd);
        return false;
    }
    free(str);
    cd->lower = malloc(cd->len);
    if (!cd->lower) {
        content_free(cd);
        return rule_error(rp, "out of memory");
    }
    for (uint32_t i = 0; i < cd->len; i++)
        cd->lower[i] = fold(cd->data[i]);
    cd->nocase_anchor = content_nocase_anchor(cd->lower, cd->len);
    if (negated)
        cd->flags |= CONTENT_NEGATED;
    const char *conflict = transforms_content_conflict(sig_list(s, rp->current_list), cd->data, cd->len);
    if (conflict) {
        rule_error(rp, "content string %s incompatible with %s transform", value, conflict);
        content_free(cd);
        return false;
    }
    if (!rule_append(rp, s, rp->current_list, kw_content, cd)) {
        content_free(cd);
        return false;
    }
    return true;
}

/* The content a modifier applies to, or NULL after an error naming `kw`. */
static DetectContent *prev_content(RuleParseCtx *rp, Signature *s, const char *kw, uint16_t *list)
{
    SigMatch *sm = rule_last_of(rp, s, &kw_content, 1, list);
    if (!sm) {
        rule_error(rp, "'%s' needs a preceding content option", kw);
        return NULL;
    }
    return sm->ctx;
}

/* A number for depth/offset/distance/within, or the name of a
 * byte_extract/byte_math variable defined earlier in the rule (*var is then
 * its vars[] index, else -1). */
static bool parse_num(RuleParseCtx *rp, Signature *s, const char *kw, const char *v, bool allow_negative,
                      int64_t *out, int *var)
{
    *var = -1;
    *out = 0;
    if (isalpha((unsigned char)*v) || *v == '_') {
        int idx = byte_var_index(s, v);
        if (idx < 0)
            return rule_error(rp, "%s: variable '%s' is not defined (byte_extract or byte_math must define it "
                                  "earlier in the rule)", kw, v);
        if (idx > UINT8_MAX)
            return rule_error(rp, "%s: too many variables", kw);
        *var = idx;
        return true;
    }
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (end == v || *end)
        return rule_error(rp, "%s: invalid value '%s' (expected a number)", kw, v);
    if (errno || x > 65535 || x < -65535)
        return rule_error(rp, "%s: value %s is out of range (-65535..65535)", kw, v);
    if (x < 0 && !allow_negative)
        return rule_error(rp, "%s: value %s may not be negative", kw, v);
    *out = x;
    return true;
}

#define RELATIVE_ABSOLUTE_MIX                                                                                        \
    "can't use a relative keyword like within/distance with an absolute keyword like depth/offset for the same " \
    "content"

static bool depth_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    DetectContent *cd = prev_content(rp, s, "depth", NULL);
    int64_t x;
    int var;
    if (!cd || !parse_num(rp, s, "depth", v, false, &x, &var))
        return false;
    if (cd->flags & CONTENT_DEPTH)
        return rule_error(rp, "can't use multiple depths for the same content");
    if (cd->flags & (CONTENT_DISTANCE | CONTENT_WITHIN))
        return rule_error(rp, RELATIVE_ABSOLUTE_MIX);
    if (cd->flags & CONTENT_STARTSWITH)
        return rule_error(rp, "can't use depth with startswith on the same content");
    if (var < 0 && (uint64_t)x < cd->len)
        return rule_error(rp, "depth:%lld is smaller than the content length %u; this can never match",
                          (long long)x, cd->len);
    cd->depth = (uint32_t)x;
    cd->flags |= CONTENT_DEPTH;
    if (var >= 0) {
        cd->flags |= CONTENT_DEPTH_VAR;
        cd->depth_var = (uint8_t)var;
    }
    return true;
}

static bool offset_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    DetectContent *cd = prev_content(rp, s, "offset", NULL);
    int64_t x;
    int var;
    if (!cd || !parse_num(rp, s, "offset", v, false, &x, &var))
        return false;
    if (cd->flags & CONTENT_OFFSET)
        return rule_error(rp, "can't use multiple offsets for the same content");
    if (cd->flags & (CONTENT_DISTANCE | CONTENT_WITHIN))
        return rule_error(rp, RELATIVE_ABSOLUTE_MIX);
    if (cd->flags & CONTENT_STARTSWITH)
        return rule_error(rp, "can't use offset with startswith on the same content");
    cd->offset = (uint32_t)x;
    cd->flags |= CONTENT_OFFSET;
    if (var >= 0) {
        cd->flags |= CONTENT_OFFSET_VAR;
        cd->offset_var = (uint8_t)var;
    }
    return true;
}

static bool distance_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    DetectContent *cd = prev_content(rp, s, "distance", NULL);
    int64_t x;
    int var;
    if (!cd || !parse_num(rp, s, "distance", v, true, &x, &var))
        return false;
    if (cd->flags & CONTENT_DISTANCE)
        return rule_error(rp, "can't use multiple distances for the same content");
    if (cd->flags & (CONTENT_DEPTH | CONTENT_OFFSET))
        return rule_error(rp, RELATIVE_ABSOLUTE_MIX);
    if (cd->flags & CONTENT_STARTSWITH)
        return rule_error(rp, "can't use distance with startswith on the same content");
    cd->distance = (int32_t)x;
    cd->flags |= CONTENT_DISTANCE;
    if (var >= 0) {
        cd->flags |= CONTENT_DISTANCE_VAR;
        cd->distance_var = (uint8_t)var;
    }
    return true;
}

static bool within_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    DetectContent *cd = prev_content(rp, s, "within", NULL);
    int64_t x;
    int var;
    if (!cd || !parse_num(rp, s, "within", v, false, &x, &var))
        return false;
    if (cd->flags & CONTENT_WITHIN)
        return rule_error(rp, "can't use multiple withins for the same content");
    if (cd->flags & (CONTENT_DEPTH | CONTENT_OFFSET))
        return rule_error(rp, RELATIVE_ABSOLUTE_MIX);
    if (cd->flags & CONTENT_STARTSWITH)
        return rule_error(rp, "can't use within with startswith on the same content");
    if (var < 0 && (uint64_t)x < cd->len)
        return rule_error(rp, "within:%lld is less than the content length %u; this can never match",
                          (long long)x, cd->len);
    cd->within = (uint32_t)x;
    cd->flags |= CONTENT_WITHIN;
    if (var >= 0) {
        cd->flags |= CONTENT_WITHIN_VAR;
        cd->within_var = (uint8_t)var;
    }
    return true;
}

static bool nocase_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    (void)v;
    DetectContent *cd = prev_content(rp, s, "nocase", NULL);
    if (!cd)
        return false;
    if (cd->flags & CONTENT_NOCASE)
        return rule_error(rp, "can't use multiple nocase modifiers with the same content");
    cd->flags |= CONTENT_NOCASE;
    return true;
}

static bool rawbytes_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    (void)v;
    uint16_t list;
    DetectContent *cd = prev_content(rp, s, "rawbytes", &list);
    if (!cd)
        return false;
    if (list != SIG_LIST_PMATCH)
        return rule_error(rp, "rawbytes can only be used on content inspecting the payload, not a sticky buffer");
    cd->flags |= CONTENT_RAWBYTES;
    return true;
}

static bool startswith_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    (void)v;
    DetectContent *cd = prev_content(rp, s, "startswith", NULL);
    if (!cd)
        return false;
    if (cd->flags & (CONTENT_DEPTH | CONTENT_OFFSET | CONTENT_DISTANCE | CONTENT_WITHIN))
        return rule_error(rp, "startswith can't be combined with depth, offset, distance or within");
    if (cd->flags & CONTENT_STARTSWITH)
        return rule_error(rp, "startswith given twice for the same content");
    cd->flags |= CONTENT_STARTSWITH;
    return true;
}

static bool endswith_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    (void)v;
    DetectContent *cd = prev_content(rp, s, "endswith", NULL);
    if (!cd)
        return false;
    /* Suricata 8 accepts a repeated endswith (ET Open sid 2020392) */
    cd->flags |= CONTENT_ENDSWITH;
    return true;
}

static bool any_fast_pattern(const Signature *s)
{
    for (uint16_t i = 0; i < s->list_count; i++) {
        for (uint16_t j = 0; j < s->lists[i].count; j++) {
            const SigMatch *sm = &s->lists[i].items[j];
            if (sm->kw == kw_content && (((const DetectContent *)sm->ctx)->flags & CONTENT_FAST_PATTERN))
                return true;
        }
    }
    return false;
}

static bool fast_pattern_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    DetectContent *cd = prev_content(rp, s, "fast_pattern", NULL);
    if (!cd)
        return false;
    if (any_fast_pattern(s))
        return rule_error(rp, "fast_pattern can be used on only one content in a rule");
    if (v && *v) {
        if (strcmp(v, "only") == 0) {
            if (cd->flags & CONTENT_NEGATED)
                return rule_error(rp, "fast_pattern:only can't be used on a negated content");
            if (cd->flags & (CONTENT_DISTANCE | CONTENT_WITHIN | CONTENT_DEPTH | CONTENT_OFFSET))
                return rule_error(rp, "fast_pattern:only can't be used with distance, within, depth or offset");
            cd->flags |= CONTENT_FAST_PATTERN_ONLY;
        } else {
            unsigned off, len;
            char extra;
            if (sscanf(v, "%u , %u %c", &off, &len, &extra) != 2)
                return rule_error(rp, "invalid fast_pattern value '%s' (expected 'only' or '<offset>,<length>')", v);
            if (len == 0 || (uint64_t)off + len > cd->len)
                return rule_error(rp, "fast_pattern:%u,%u: offset plus length exceeds the content length %u", off,
                                  len, cd->len);
            if (cd->flags & CONTENT_NEGATED)
                return rule_error(rp, "fast_pattern with offset/length can't be used on a negated content");
            cd->fp_chop_offset = (uint16_t)off;
            cd->fp_chop_len = (uint16_t)len;
            cd->flags |= CONTENT_FAST_PATTERN_CHOP;
        }
    } else if ((cd->flags & CONTENT_NEGATED) &&
               (cd->flags & (CONTENT_DISTANCE | CONTENT_WITHIN | CONTENT_DEPTH | CONTENT_OFFSET))) {
        return rule_error(rp, "fast_pattern can't be used on a negated content with distance, within, depth or "
                              "offset");
    }
    cd->flags |= CONTENT_FAST_PATTERN;
    return true;
}

static bool content_is_relative(const void *ctx)
{
    const DetectContent *cd = ctx;
    return (cd->flags & (CONTENT_DISTANCE | CONTENT_WITHIN)) != 0;
}

/* A variable's value as a buffer position or length (Suricata keeps them
 * as 32-bit values; larger ones are out of any buffer anyway). */
static int64_t var_value(const InspectCursor *cur, uint8_t var)
{
    uint64_t v = cur->vars[var % INSPECT_MAX_VARS];
    return v > UINT32_MAX ? (int64_t)UINT32_MAX : (int64_t)v;
}

static InspectResult content_inspect(struct DetectThread *dt, InspectCursor *cur, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    const DetectContent *cd = ctx;
    const bool relative = (cd->flags & (CONTENT_DISTANCE | CONTENT_WITHIN)) != 0;
    int64_t start, end;
    const int64_t blen = cur->len;
    const int64_t offset = (cd->flags & CONTENT_OFFSET_VAR) ? var_value(cur, cd->offset_var) : cd->offset;
    const int64_t depth = (cd->flags & CONTENT_DEPTH_VAR) ? var_value(cur, cd->depth_var) : cd->depth;
    const int64_t within = (cd->flags & CONTENT_WITHIN_VAR) ? var_value(cur, cd->within_var) : cd->within;
    if (relative) {
        int64_t prev = cur->offset;
        int64_t dist = 0;
        if (cd->flags & CONTENT_DISTANCE_VAR) /* a 32-bit value, negative when its top bit is set */
            dist = (int32_t)(uint32_t)cur->vars[cd->distance_var % INSPECT_MAX_VARS];
        else if (cd->flags & CONTENT_DISTANCE)
            dist = cd->distance;
        start = prev + dist;
        if (start < 0)
            start = 0;
        end = blen;
        if ((cd->flags & CONTENT_WITHIN) && end > prev + dist + within)
            end = prev + dist + within;
        /* in a window, a `within` with nothing matched before it is
         * shifted by the window's start as Suricata does it (its limit,
         * already capped at the window's length, against
         * stream_start_offset when the previous match offset is 0) */
        if ((cd->flags & CONTENT_WITHIN) && cur->window_base && prev == 0) {
            const int64_t base = cur->window_base;
            if (end <= base) { /* no match, negated or not */
                cur->retryable = false;
                return INSPECT_NO_MATCH;
            }
            if (end < base + blen)
                end -= base;
        }
    } else {
        /* in an inline frame window (buf[0] lies window_base bytes into
         * the frame) the depth limit counts from the frame's start, as
         * Suricata's stream_start_offset; the offset, as there, does not */
        const int64_t base = cur->window_base;
        int64_t abs_end = blen + base;
        if (cd->flags & CONTENT_STARTSWITH)
            abs_end = cd->len;
        else if (cd->flags & CONTENT_DEPTH)
            abs_end = offset + depth;
        start = (cd->flags & CONTENT_STARTSWITH) ? 0 : offset;
        end = abs_end - base;
        if (base && end <= 0) { /* the limit ends before the window: no match, negated or not */
            cur->retryable = false;
            return INSPECT_NO_MATCH_DISCONTINUE;
        }
    }
    if (end > blen)
        end = blen;
    if ((int64_t)cur->retry_from > start)
        start = cur->retry_from;
    if (cd->flags & CONTENT_ENDSWITH) {
        if (end != blen)
            end = -1; /* cannot end at the end of the buffer */
        else if (end - (int64_t)cd->len > start)
            start = end - cd->len;
    }
    int64_t pos = -1;
    if (end >= 0 && start < end && end - start >= (int64_t)cd->len) {
        const bool nocase = (cd->flags & CONTENT_NOCASE) != 0;
        pos = content_search_anchored(cur->buf + start, (uint32_t)(end - start), nocase ? cd->lower : cd->data,
                                      cd->len, nocase, cd->nocase_anchor);
        if (pos >= 0)
            pos += start;
    }
    cur->retryable = false;
    if (cd->flags & CONTENT_NEGATED) {
        if (pos < 0)
            return INSPECT_MATCH;
        return relative ? INSPECT_NO_MATCH : INSPECT_NO_MATCH_DISCONTINUE;
    }
    if (pos < 0)
        return relative ? INSPECT_NO_MATCH : INSPECT_NO_MATCH_DISCONTINUE;
    cur->offset = (uint32_t)(pos + cd->len);
    cur->retryable = !(cd->flags & (CONTENT_STARTSWITH | CONTENT_ENDSWITH));
    cur->next_retry = (uint32_t)(pos + 1);
    return INSPECT_MATCH;
}

static uint32_t content_hash(const void *ctx)
{
    const DetectContent *cd = ctx;
    uint32_t h = 2166136261u ^ cd->flags;
    for (uint32_t i = 0; i < cd->len; i++)
        h = (h ^ cd->data[i]) * 16777619u;
    h ^= (uint32_t)cd->offset_var | ((uint32_t)cd->depth_var << 8) | ((uint32_t)cd->distance_var << 16) |
         ((uint32_t)cd->within_var << 24);
    return h ^ cd->offset ^ (cd->depth << 8) ^ ((uint32_t)cd->distance << 16) ^ (cd->within << 24);
}

static bool content_equal(const void *a, const void *b)
{
    const DetectContent *x = a, *y = b;
    return x->len == y->len && x->flags == y->flags && x->offset == y->offset && x->depth == y->depth &&
           x->distance == y->distance && x->within == y->within && x->fp_chop_offset == y->fp_chop_offset &&
           x->fp_chop_len == y->fp_chop_len && x->offset_var == y->offset_var && x->depth_var == y->depth_var &&
           x->distance_var == y->distance_var && x->within_var == y->within_var &&
           memcmp(x->data, y->data, x->len) == 0;
}

void keywords_register_content(void)
{
    const KeywordDef content = {
        .name = "content",
        .help = "match bytes in the payload or the current buffer",
        .setup = content_setup,
        .inspect = content_inspect,
        .is_relative = content_is_relative,
        .free = content_free,
        .hash = content_hash,
        .equal = content_equal,
    };
    kw_content = keyword_register(&content);
    static const KeywordDef mods[] = {
        { .name = "nocase", .help = "content: case-insensitive", .flags = KW_NOOPT | KW_CONTENT_MODIFIER,
          .setup = nocase_setup },
        { .name = "depth", .help = "content: search only this many bytes (from offset)",
          .flags = KW_CONTENT_MODIFIER, .setup = depth_setup },
        { .name = "offset", .help = "content: start searching at this byte", .flags = KW_CONTENT_MODIFIER,
          .setup = offset_setup },
        { .name = "distance", .help = "content: relative start after the previous match",
          .flags = KW_CONTENT_MODIFIER, .setup = distance_setup },
        { .name = "within", .help = "content: must occur within this many bytes of the previous match",
          .flags = KW_CONTENT_MODIFIER, .setup = within_setup },
        { .name = "startswith", .help = "content: at the start of the buffer",
          .flags = KW_NOOPT | KW_CONTENT_MODIFIER, .setup = startswith_setup },
        { .name = "endswith", .help = "content: at the end of the buffer", .flags = KW_NOOPT | KW_CONTENT_MODIFIER,
          .setup = endswith_setup },
        { .name = "fast_pattern", .help = "content: use as the prefilter pattern",
          .flags = KW_OPTIONAL_VALUE | KW_CONTENT_MODIFIER, .setup = fast_pattern_setup },
        { .name = "rawbytes", .help = "content: inspect raw bytes (no-op, as in Suricata)",
          .flags = KW_NOOPT | KW_CONTENT_MODIFIER, .setup = rawbytes_setup },
    };
    for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
        keyword_register(&mods[i]);
}
