/*
 * Loading rule files into a DetectEngine: which files (-S, -s, the
 * configuration's default-rule-path and rule-files), reading them (comments,
 * blank lines, rules continued with a trailing backslash), reporting each
 * failed rule with its file and line, and the summary line Suricata prints.
 */
#ifndef ODLAR_DETECT_RULE_LOAD_H
#define ODLAR_DETECT_RULE_LOAD_H

#include <stdbool.h>

#include "conf/conf.h"
#include "detect/detect-engine.h"

typedef struct RuleLoadOptions {
    const char *exclusive; /* -S: only this file */
    const char *const *extra; /* -s files */
    int extra_count;
} RuleLoadOptions;

typedef struct RuleLoadStats {
    int files; /* rule files processed */
    int loaded, failed, skipped;
    int missing_files; /* files that could not be opened */
} RuleLoadStats;

/* Loads one file; every rule goes through rule_parse() and, when it
 * parses, into de. Returns false when the file cannot be opened. */
bool rules_load_file(DetectEngine *de, Conf *conf, const char *path, RuleLoadStats *st);

/* Loads one rule from a string (tests); file/line name it in errors. */
bool rules_load_string(DetectEngine *de, Conf *conf, const char *text, const char *name, RuleLoadStats *st);

/* reload: a function told of every rule that fails to load (file, line,
 * why, the rule's text), for the control socket's ruleset-failed-rules.
 * Set per thread (NULL: none); the loads of the calling thread use it. */
typedef void (*RuleFailedFn)(void *ctx, const char *file, int line, const char *why, const char *rule);
void rules_set_failure_hook(RuleFailedFn fn, void *ctx);

/* Loads every file the options and configuration name, then prints the
 * summary. Does not build the engine. */
void rules_load_all(DetectEngine *de, Conf *conf, const RuleLoadOptions *o, RuleLoadStats *st);

#endif
