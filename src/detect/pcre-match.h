/*
 * The pcre keyword's parsed form and its matching, independent of the rule
 * parser: `pcre:[!]"/regex/flags"[, pkt:name|flow:name ...]` compiled with
 * PCRE2 (JIT when available), matched under Suricata's match limits
 * (pcre.match-limit 3500, pcre.match-limit-recursion 1500, both lifted by the
 * `O` flag).
 *
 * Threading: a compiled DetectPcre is read-only after parsing and shared by
 * every detection thread. The mutable per-match state (pcre2 match data,
 * match context, JIT stack) lives in a thread-local PcreScratch created on
 * first use by each thread; a thread calls pcre_thread_cleanup() before it
 * exits to release it (DetectThread teardown is the natural place).
 *
 * Legacy buffer flags (U I P Q H D M C S Y V W Z) do not change how the regex
 * matches: they name the buffer the keyword belongs to. The parser records
 * that buffer's Suricata 8 name in DetectPcre.buffer so the rule parser can
 * route the keyword to that buffer's list.
 */
#ifndef ODLAR_DETECT_PCRE_MATCH_H
#define ODLAR_DETECT_PCRE_MATCH_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/inspect.h"

#define PCRE_DEFAULT_MATCH_LIMIT 3500
#define PCRE_DEFAULT_MATCH_LIMIT_RECURSION 1500
#define PCRE_MAX_CAPTURES 8

typedef enum PcreCaptureKind {
    PCRE_CAPTURE_PKT = 0, /* pkt var: lives for the packet, logged with it */
    PCRE_CAPTURE_FLOW, /* flow var */
    PCRE_CAPTURE_ALERT, /* alert var (logged in the alert) */
} PcreCaptureKind;

/* A capture stored in a variable: group number `group` of the match goes to
 * variable `name` of kind `kind`. */
typedef struct PcreCapture {
    char *name;
    uint8_t kind; /* PcreCaptureKind */
    uint16_t group;
} PcreCapture;

typedef struct DetectPcre {
    pcre2_code *code;
    char *pattern; /* as written between the slashes */
    char flags[32]; /* the modifier letters as written, for logging/compare */
    uint32_t compile_opts;
    bool negate; /* `!` */
    bool relative; /* R */
    bool rawbytes; /* B (deprecated, no effect) */
    bool no_limits; /* O */
    bool jit; /* JIT compilation succeeded (valid once jit_done) */
    /* JIT compiling is deferred to the first match (most of a large rule
     * set's regexes never run): 0 not yet, 1 done; see pcre_inspect */
    _Atomic int jit_done;
    char buffer_flag; /* U/I/P/... letter, 0 when none */
    const char *buffer; /* Suricata 8 buffer name selected by buffer_flag, or NULL */
    uint8_t capture_count;
    PcreCapture captures[PCRE_MAX_CAPTURES];
} DetectPcre;

/* Parses and compiles a pcre keyword value. The value may be given with or
 * without the surrounding double quotes (escapes as written in the rule). On
 * error returns NULL with a message in err. */
DetectPcre *pcre_parse(const char *value, char *err, size_t errsz);
void pcre_free(void *p);

/* Matches against cur->buf per the inspect.h contract: the subject starts at
 * cur->offset when relative (so `^` anchors there), else at 0; the search
 * starts no earlier than cur->retry_from. On a (non-negated) match sets
 * cur->offset to the match end and cur->next_retry to match start + 1. A
 * negated pcre matches when the regex does not; a match-limit or other PCRE2
 * error is a no-match either way, as in Suricata. When `ovector` is non-NULL
 * and the regex matched, the offsets (relative to cur->buf) of up to
 * `ovpairs` groups are copied there for capture handling. */
InspectResult pcre_inspect(const DetectPcre *pd, InspectCursor *cur, uint32_t *ovector, uint32_t ovpairs);

/* The Suricata 8 buffer name a legacy pcre modifier letter selects, or NULL
 * when `c` is not one of U I P Q H D M C S Y V W Z. */
const char *pcre_buffer_for_flag(char c);

/* Sets the default match limits used for regexes without `O` (from
 * pcre.match-limit / pcre.match-limit-recursion); call before threads start. */
void pcre_set_default_limits(uint32_t match_limit, uint32_t recursion_limit);

/* Releases this thread's PCRE2 scratch (no-op when it has none). */
void pcre_thread_cleanup(void);

#endif
