/*
 * Helpers of the meta keyword family (kw-meta.c) that the rule parser needs.
 */
#ifndef ODLAR_DETECT_KW_META_H
#define ODLAR_DETECT_KW_META_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/rule-parse.h"

/* The Suricata version Odlar answers to `requires: version ...`. */
#define ODLAR_REQUIRES_VERSION_MAJOR 8
#define ODLAR_REQUIRES_VERSION_MINOR 0
#define ODLAR_REQUIRES_VERSION_PATCH 6

/* Evaluates a `requires:` value ("feature X, version >= 7.0.3 < 9").
 * Returns false with rule_error on a malformed value; else sets *met. */
bool meta_requires_check(RuleParseCtx *rp, const char *value, bool *met);

/* Parses a decimal u32 (no sign, no trailing garbage): sid, rev, gid,
 * priority. */
bool meta_parse_u32(const char *v, uint32_t *out);

/* Each keyword's registration (in its own file), and the family's. */
void meta_register_msg(void);
void meta_register_sid(void);
void meta_register_rev(void);
void meta_register_gid(void);
void meta_register_classtype(void);
void meta_register_priority(void);
void meta_register_reference(void);
void meta_register_metadata(void);
void meta_register_target(void);
void meta_register_requires(void);
void meta_register_noalert(void);
void meta_register_alert(void);
void meta_register_config(void);
void keywords_register_meta(void);

#endif
