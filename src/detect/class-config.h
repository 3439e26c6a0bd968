/*
 * classification.config: the table of classtypes rules may name.
 *
 * Each useful line reads `config classification: shortname,description,priority`;
 * blank lines and lines whose first non-blank character is `#` are skipped.
 * As in Suricata 8, the short name must start with a letter and may hold
 * letters, digits, `-` and `_`; it is stored in lower case and looked up
 * without regard to case (the `classtype` keyword lowercases too). The
 * description is everything between the first comma and the last comma
 * before the priority. A line that does not fit is reported with the file
 * and line number and skipped; a short name defined twice keeps its first
 * definition. A file that cannot be opened is a warning, not a failure:
 * the engine goes on with an empty table (rules naming a classtype then fail
 * to load, as in Suricata). The path comes from the `classification-file`
 * configuration key.
 */
#ifndef ODLAR_DETECT_CLASS_CONFIG_H
#define ODLAR_DETECT_CLASS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

/* Most classtypes one table holds; further lines are reported and skipped. */
#define CLASS_CONFIG_MAX_ENTRIES 4096

typedef struct ClassType {
    char *name; /* lower case */
    char *desc; /* as written (EVE alert.category) */
    int priority;
    uint16_t id; /* 1-based order of definition */
} ClassType;

typedef struct ClassConfig ClassConfig;

/* An empty table; NULL only when memory runs out. */
ClassConfig *class_config_new(void);

/* Loads `path`. Always returns a table (NULL only when memory runs out):
 * a missing file yields an empty table. Every problem is logged (od_warn for
 * the missing file, od_error for a bad line, naming "<path>:<line>") and
 * counted; the first one is also written into err (may be NULL). */
ClassConfig *class_config_load(const char *path, char *err, size_t errlen);

/* The same from text already in memory; `name` stands for the file name in
 * messages. */
ClassConfig *class_config_load_string(const char *text, const char *name, char *err, size_t errlen);

/* Path from the `classification-file` key of c, else the built-in default. */
const char *class_config_path(Conf *c);

/* The classtype named `name` (any case), or NULL. */
const ClassType *class_config_lookup(const ClassConfig *cc, const char *name);

size_t class_config_count(const ClassConfig *cc);
/* Bad lines seen (plus one when the file could not be opened). */
unsigned class_config_errors(const ClassConfig *cc);
/* True when the file could not be opened. */
bool class_config_missing(const ClassConfig *cc);

void class_config_free(ClassConfig *cc);

#endif
