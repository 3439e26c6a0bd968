/*
 * Helpers of the meta keyword family (kw-meta.c) that the rule parser needs.
 */
#ifndef ODLAR_DETECT_KW_META_H
#define ODLAR_DETECT_KW_META_H

#include <stdbool.h>

#include "detect/rule-parse.h"

/* The Suricata version Odlar answers to `requires: version ...`. */
#define ODLAR_REQUIRES_VERSION_MAJOR 8
#define ODLAR_REQUIRES_VERSION_MINOR 0
#define ODLAR_REQUIRES_VERSION_PATCH 6

/* Evaluates a `requires:` value ("feature X, version >= 7.0.3 < 9").
 * Returns false with rule_error on a malformed value; else sets *met. */
bool meta_requires_check(RuleParseCtx *rp, const char *value, bool *met);

#endif
