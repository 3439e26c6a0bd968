/*
 * reference.config: the reference systems rules may cite.
 *
 * Each useful line reads `config reference: system url-prefix`; blank lines
 * and `#` comment lines are skipped. As in Suricata 8 the system name starts
 * with a letter and holds letters, digits, `-` and `_`; it is stored in lower
 * case and looked up without regard to case; the prefix is the rest of the
 * line. A bad line is reported with file and line and skipped; a system
 * defined twice keeps its first prefix; a file that cannot be opened is a
 * warning and leaves the table empty. The path comes from the
 * `reference-config-file` key.
 *
 * What the `reference` keyword does with a system missing from the table is
 * not decided here. In Suricata 8 it is not an error: the rule loads with a
 * warning (only --strict-rule-keywords=reference makes it one), and EVE's
 * optional alert.references then shows the value without a known prefix.
 * System names longer than REFERENCE_SYSTEM_NAME_MAX - 1 characters are
 * rejected by the keyword.
 */
#ifndef ODLAR_DETECT_REFERENCE_CONFIG_H
#define ODLAR_DETECT_REFERENCE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"

#define REFERENCE_SYSTEM_NAME_MAX 64
/* Most systems one table holds; further lines are reported and skipped. */
#define REFERENCE_CONFIG_MAX_ENTRIES 4096

typedef struct ReferenceConfig ReferenceConfig;

/* An empty table; NULL only when memory runs out. */
ReferenceConfig *reference_config_new(void);
/* Loads `path`; always returns a table (NULL only when memory runs out).
 * Problems are logged naming "<path>:<line>", counted, and the first one is
 * written into err (may be NULL). */
ReferenceConfig *reference_config_load(const char *path, char *err, size_t errlen);
/* The same from text; `name` stands for the file in messages. */
ReferenceConfig *reference_config_load_string(const char *text, const char *name, char *err, size_t errlen);
/* Path from `reference-config-file`, else the built-in default. */
const char *reference_config_path(Conf *c);

/* URL prefix of system `name` (any case), or NULL when unknown. */
const char *reference_config_lookup(const ReferenceConfig *rc, const char *name);

size_t reference_config_count(const ReferenceConfig *rc);
unsigned reference_config_errors(const ReferenceConfig *rc);
bool reference_config_missing(const ReferenceConfig *rc);
void reference_config_free(ReferenceConfig *rc);

#endif
