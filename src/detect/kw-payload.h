/*
 * The payload keyword families' glue towards the rule parser and the detect
 * core: pcre, byte_*, isdataat, bsize, dsize, base64_decode/base64_data,
 * prefilter and the transforms. The parsing and evaluation proper live in
 * pcre-match.c, byte-ops.c, payload-ops.c and transforms.c.
 *
 * Seams for the core:
 *  - byte_extract/byte_math variables: byte_var_index() resolves a name to
 *    its InspectCursor.vars[] slot (for content offset/depth/distance/within
 *    written as a variable name). Variables are numbered per signature, in
 *    rule order, across all lists; the core carries vars[] across the lists
 *    of one signature evaluation. A keyword on a sticky buffer may only name
 *    a variable extracted on that buffer (byte_var_index_for; Suricata 8
 *    confines them), payload keywords may name any.
 *  - base64_data: its keywords go to list SIG_LIST_BASE64_DATA; that list is
 *    inspected by base64_decode itself (through inspect_buffer) on the bytes
 *    it decoded, so the core must not inspect it on its own.
 *  - per-thread scratch: pcre match data and the base64 decode buffer are
 *    thread-local; call payload_keywords_thread_cleanup() at thread exit.
 *  - payload_validate_signature(): Suricata's "content length exceeds
 *    dsize/bsize" rule checks; call it once all options are parsed.
 *  - prefilter: payload_sig_prefilter() tells which SigMatch the rule marked
 *    with `prefilter;`, if any.
 */
#ifndef ODLAR_DETECT_KW_PAYLOAD_H
#define ODLAR_DETECT_KW_PAYLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/rule-parse.h"
#include "detect/signature.h"

/* True when s's payload list holds a content anchored by depth or offset,
 * or s uses stream_size: such a TCP rule inspects every packet's payload as
 * well as the raw stream, as Suricata does (SIG_FLAG_REQUIRE_PACKET). */
bool payload_inspects_packets_too(const Signature *s);

/* True when s uses dsize or (tcp.)flags: packet properties that make a TCP
 * rule inspect packet payloads only, never the stream (Suricata's
 * SIG_FLAG_REQUIRE_PACKET without REQUIRE_STREAM). */
bool payload_requires_packet(const Signature *s);

/* The decoded-data list of base64_data (outside the buffer-id range). */
#define SIG_LIST_BASE64_DATA ((uint16_t)0xFFF0)

/* The vars[] index of byte_extract/byte_math variable `name` in s, or -1. */
int byte_var_index(const Signature *s, const char *name);
/* The same for a keyword being parsed: on a sticky buffer only the
 * variables defined on that buffer are visible (Suricata 8 confines a
 * variable to its list). */
int byte_var_index_for(const RuleParseCtx *rp, const Signature *s, const char *name);
/* How many variables s defines so far. */
int byte_var_count(const Signature *s);

/* The list a (possibly relative) payload keyword goes to, as Suricata picks
 * it: the current sticky buffer, else for a relative keyword the list of the
 * previous content, pcre, byte_* or isdataat, else the payload. *prev (may be
 * NULL) receives that previous keyword. */
uint16_t payload_kw_list(RuleParseCtx *rp, Signature *s, bool relative, SigMatch **prev);

/* The name of a transform on list l whose output can never contain
 * `content` (to_lowercase and an upper-case letter...), or NULL. */
const char *transforms_content_conflict(const SigMatchList *l, const uint8_t *content, uint32_t len);

/* Post-parse checks (dsize/bsize against the contents' length). */
bool payload_validate_signature(RuleParseCtx *rp, Signature *s);

/* The SigMatch marked by `prefilter;` and its list, or NULL. */
const SigMatch *payload_sig_prefilter(const Signature *s, uint16_t *list_out);

void payload_keywords_thread_cleanup(void);

/* Keyword ids of bsize, dsize and base64_decode (set at registration). */
uint16_t bsize_keyword_id(void);
uint16_t dsize_keyword_id(void);
uint16_t base64_decode_keyword_id(void);

/* The ids of the keywords that define variables (set at registration). */
uint16_t byte_extract_keyword_id(void);
uint16_t byte_math_keyword_id(void);

/* The variable lookup the byte_* and isdataat parsers call: user is a
 * ByteVarScope (the rule being parsed). */
typedef struct ByteVarScope {
    const RuleParseCtx *rp;
    const Signature *s;
} ByteVarScope;
int byte_var_scope_lookup(void *user, const char *name);
/* Appends a byte_* keyword to the list payload_kw_list() picks; on failure
 * frees ctx with fr (the parse error is set). */
bool byte_kw_append(RuleParseCtx *rp, Signature *s, uint16_t kw, bool relative, void *ctx, void (*fr)(void *));
/* A new variable `name` for keyword kw: false (with the rule error) when
 * it exists or the table is full, else its index in *idx. */
bool byte_var_new_ok(RuleParseCtx *rp, Signature *s, const char *kw, const char *name, int *idx);

/* Each byte keyword's registration (in its own file), and the family's. */
void byte_register_test(void);
void byte_register_jump(void);
void byte_register_extract(void);
void byte_register_math(void);
void keywords_register_byte(void);

/* Each keyword's registration (in its own file), and the family's. */
void payload_register_isdataat(void);
void payload_register_bsize(void);
void payload_register_dsize(void);
void payload_register_base64_decode(void);
void payload_register_base64_data(void);
void payload_register_prefilter(void);
void keywords_register_payload(void);

#endif
