/*
 * The rule parser's context, as keyword setup functions see it.
 *
 * A keyword's setup gets the RuleParseCtx of the rule being parsed. Through
 * it, it reports errors (rule_error: the message is printed with the rule's
 * file and line), appends its SigMatch to the current list (the payload list,
 * or the buffer selected by the last sticky buffer keyword), finds the
 * previous content for modifiers, and resolves variables.
 */
#ifndef ODLAR_DETECT_RULE_PARSE_H
#define ODLAR_DETECT_RULE_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/conf.h"
#include "detect/signature.h"

struct DetectEngine;

typedef struct RuleParseCtx {
    struct DetectEngine *de; /* the engine being built (vars, classifications, references) */
    Conf *conf;
    const char *file;
    int line;
    char error[1024]; /* first error, set by rule_error */
    bool has_error;
    /* the list new buffer keywords go to: SIG_LIST_PMATCH or a buffer list */
    uint16_t current_list;
    /* the last buffer keyword appended (for modifiers), or NULL */
    SigMatch *last_sm;
    uint16_t last_sm_list;

    /* --- added by the detection core (rule-parse.c) --- */
    /* set by a keyword (requires:) when the rule must be skipped silently */
    bool skipped;
    /* parsed data of the buffer keywords in the order they were appended,
     * for rule_last_of (capped: RULE_PARSE_HISTORY_MAX) */
    const void *history[256];
    uint16_t history_count;
    /* header fields parsed earlier in this load (header-memo.h); NULL: none */
    struct HeaderMemo *memo;
} RuleParseCtx;
#define RULE_PARSE_HISTORY_MAX 256

/* Records the first error for this rule (later calls are ignored). Always
 * returns false, so setups can `return rule_error(rp, ...)`. */
bool rule_error(RuleParseCtx *rp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends a SigMatch to list `list_id` of s (creating the list); returns it. */
SigMatch *rule_append(RuleParseCtx *rp, Signature *s, uint16_t list_id, uint16_t kw, void *ctx);

/* The most recent SigMatch on any buffer list whose keyword is one of `kws`
 * (count n), or NULL. Used by modifiers to find "the previous content". */
SigMatch *rule_last_of(RuleParseCtx *rp, Signature *s, const uint16_t *kws, int n, uint16_t *list_out);

/* Moves SigMatch `sm` (found on list `from`) to the end of list `to`
 * (legacy modifiers such as http_uri); returns the moved SigMatch. */
SigMatch *rule_move(RuleParseCtx *rp, Signature *s, SigMatch *sm, uint16_t from, uint16_t to);

/* The list of buffer `plain` (a buffer list without instance) pinned to
 * direction `dir` (BUF_DIR_TOSERVER/TOCLIENT; 0: the plain list itself):
 * an existing instance with that direction and no transforms, else a new
 * one. Returns its id, or 0 after an error. */
uint16_t rule_list_instance(RuleParseCtx *rp, Signature *s, uint16_t plain, uint8_t dir);

/* The list a transform given now goes to: the current buffer list, or,
 * when that list already holds keywords, a new instance of the buffer
 * carrying the same transforms and direction (Suricata starts a new buffer
 * for a transform after a content). Makes it the current list. NULL after
 * an error (no sticky buffer, too many transforms, no memory). */
SigMatchList *rule_transform_list(RuleParseCtx *rp, Signature *s, const char *kw);

/* Resolves "$HOME_NET"-style variables from vars.address-groups /
 * vars.port-groups; NULL when undefined. */
const char *rule_var_address(RuleParseCtx *rp, const char *name);
const char *rule_var_port(RuleParseCtx *rp, const char *name);

/* Decodes a content-style string with |hex| parts and \\ escapes into bytes
 * (caller frees *out). */
bool rule_parse_content_string(RuleParseCtx *rp, const char *in, uint8_t **out, uint32_t *out_len);

/* --- added by the detection core --- */
/* Prepares a context for one rule of `file` at `line` (file may be NULL). */
void rule_parse_ctx_init(RuleParseCtx *rp, struct DetectEngine *de, Conf *conf, const char *file, int line);
/* Parses one complete rule (header and options). Returns the signature, or
 * NULL with rp->error set, or NULL with rp->skipped set when a requires:
 * condition is not met (Suricata skips such rules silently). */
Signature *rule_parse(RuleParseCtx *rp, const char *text);
/* Removes surrounding double quotes in place when both are present;
 * returns s. */
char *rule_strip_quotes(char *s);
/* Unescapes \" \; \\ and \: in place (msg, reference, metadata values). */
void rule_unescape(char *s);

#endif
