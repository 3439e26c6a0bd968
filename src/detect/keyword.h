/*
 * Rule keywords: one descriptor per keyword, one small file per keyword (or
 * per tight family, e.g. the byte_* keywords).
 *
 * A KeywordDef says how the keyword is written (does it take a value?), how
 * its value is parsed into the signature (`setup`), and how it is evaluated.
 * There are three kinds of evaluation:
 *
 *  - packet keywords (`match_packet`): a yes/no on the packet (and its flow),
 *    e.g. ttl, flags, dsize, flowbits:isset; they live on SIG_LIST_MATCH;
 *  - buffer keywords (`inspect`): evaluated against a buffer at a cursor by
 *    the content inspection engine (inspect.c), e.g. content, pcre,
 *    byte_test, isdataat; they live on the list of the buffer they inspect;
 *  - post-match keywords (`post_match`): run when the whole signature
 *    matched, e.g. flowbits:set, flowint:+, tag.
 *
 * Sticky-buffer keywords (`http.uri;`, `file.data;`) and transforms
 * (`to_lowercase;`) have no evaluation of their own: their setup switches the
 * parser's current list or records a transform. Content modifiers (nocase,
 * depth, within, fast_pattern, http_uri...) modify the previous content.
 *
 * Every keyword with parsed data provides `free`, and `hash`/`equal` so the
 * engine builder can share identical options between rules.
 */
#ifndef ODLAR_DETECT_KEYWORD_H
#define ODLAR_DETECT_KEYWORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"
#include "detect/signature.h"

struct DetectThread;
struct RuleParseCtx;
struct InspectCursor;
struct InspectBuffer;

/* KeywordDef.flags */
#define KW_NOOPT (1u << 0) /* written without a value: `nocase;` */
#define KW_OPTIONAL_VALUE (1u << 1) /* value may be absent: `fast_pattern;` / `fast_pattern:only;` */
#define KW_STICKY_BUFFER (1u << 2) /* selects a buffer for what follows */
#define KW_CONTENT_MODIFIER (1u << 3) /* modifies the previous content (legacy style) */
#define KW_TRANSFORM (1u << 4)
#define KW_QUOTES_MANDATORY (1u << 5)
#define KW_QUOTES_OPTIONAL (1u << 6) /* surrounding quotes are stripped when present */
#define KW_DEPRECATED (1u << 7)
/* A packet keyword whose verdict depends only on the packet and its flow at
 * that moment (not on the signature, the thread or what earlier rules did
 * to the flow) and whose hash/equal cover all its parsed options: identical
 * options of different rules are evaluated once per packet (option-cache.h). */
#define KW_PACKET_OPTION (1u << 8)

/* Result of a buffer keyword's inspection. */
typedef enum InspectResult {
    INSPECT_NO_MATCH = 0,
    INSPECT_MATCH,
    /* no match, and no later occurrence can match either: the engine stops
     * retrying earlier keywords (Suricata's DETECT_ENGINE_CONTENT_NO_MATCH_DISCONTINUE) */
    INSPECT_NO_MATCH_DISCONTINUE,
} InspectResult;

typedef struct KeywordDef {
    const char *name;
    const char *alias; /* legacy name, e.g. "http_uri" for a modifier form; may be NULL */
    const char *help; /* one line for `odlar --list-keywords` */
    uint32_t flags;

    /* Parses `value` (NULL for KW_NOOPT keywords, already unquoted when
     * KW_QUOTES_*; escapes as written) into signature `s`. Returns false after
     * calling rule_error(rp, ...) with the reason. */
    bool (*setup)(struct RuleParseCtx *rp, Signature *s, const char *value);

    /* Packet keywords: true when the packet matches. */
    bool (*match_packet)(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx);

    /* Buffer keywords: evaluated by the inspection engine, see inspect.h. */
    InspectResult (*inspect)(struct DetectThread *dt, struct InspectCursor *cur, const Signature *s, const void *ctx);

    /* Post-match keywords. */
    void (*post_match)(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx);

    /* Transforms: rewrite `in` into `out` (a thread-local scratch buffer). */
    bool (*transform)(const uint8_t *in, uint32_t in_len, struct InspectBuffer *out, const void *ctx);

    /* Buffer keywords: true when this instance is relative to the previous
     * buffer keyword (distance/within, pcre /R, byte_* relative, isdataat
     * relative). The engine retries the previous keyword at its next
     * occurrence only when the keyword after it is relative, as Suricata. */
    bool (*is_relative)(const void *ctx);

    void (*free)(void *ctx);
    uint32_t (*hash)(const void *ctx);
    bool (*equal)(const void *a, const void *b);
} KeywordDef;

/* The keyword table. Keywords register at start-up (keyword-table.c calls
 * every <family>_register() function); ids are positions in the table. */
uint16_t keyword_register(const KeywordDef *def);
const KeywordDef *keyword_get(uint16_t id);
/* How many keywords are registered (ids run from 0 to this, exclusive). */
uint16_t keyword_count(void);
/* Finds by name or alias; returns -1 when unknown. */
int keyword_lookup(const char *name);
void keywords_init(void);

#endif
