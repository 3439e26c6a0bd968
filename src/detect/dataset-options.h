/*
 * The options the `dataset` and `datarep` keywords share, as Suricata 8
 * writes them after the command/name part: `type <t>`, `load <file>`,
 * `save <file>`, `state <file>`, `memcap <size>`, `hashsize <n>`,
 * `format csv|json|ndjson` (`jsonline` too), `value_key <path>`,
 * `array_key <path>`, `context_key <name>` (`enrichment_key` too) and
 * `remove_key`; and where their files are:
 *
 *  - `load`: an absolute path as given; a relative one next to the rules
 *    file when it exists there, else under `default-rule-path`;
 *  - `save` / `state`: under the data directory (`default-data-dir`, set by
 *    --data-dir; else the log directory). Absolute names need
 *    `datasets.rules.allow-absolute-filenames`, relative ones may not climb
 *    out with `..`, and `datasets.rules.allow-write: no` forbids both
 *    options. `state` loads the file when it exists and saves it back.
 *
 * Sets may also be declared in the `datasets:` config section
 * (`datasets: {<name>: {type, state|load|save, memcap, hashsize}}`, file
 * names relative to the data directory); they are created before the first
 * rule's set. A rule may name a set with no options at all once the config
 * or an earlier rule defined it. The memcap and hashsize defaults come from
 * `datasets.defaults`.
 */
#ifndef ODLAR_DETECT_DATASET_OPTIONS_H
#define ODLAR_DETECT_DATASET_OPTIONS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"
#include "detect/dataset.h"

#define DATASET_KEY_MAX 256

typedef struct DatasetOptions {
    char name[DATASET_NAME_MAX];
    DatasetType type;
    char load[PATH_MAX];
    char save[PATH_MAX];
    bool state;
    uint64_t memcap;
    uint32_t hashsize;
    DatasetFormat format;
    char value_key[DATASET_KEY_MAX];
    char array_key[DATASET_KEY_MAX];
    char context_key[DATASET_KEY_MAX];
    bool remove_key;
} DatasetOptions;

/* Parses the comma-separated options in `list` (modified) into o. */
bool dataset_options_parse(DatasetOptions *o, char *list, char *err, size_t errlen);
/* Checks the combination, resolves the file names (see above) and
 * returns the set they describe. NULL with the reason in err. */
Dataset *dataset_options_get_set(DatasetOptions *o, bool rep, Conf *conf, const char *rule_file, char *err,
                                 size_t errlen);
/* Splits "a, b ,c" at the first comma: returns the trimmed first item and
 * advances *rest past the comma (NULL when there is none). */
char *dataset_next_item(char **rest);
/* True when path climbs with a `..` component. */
bool dataset_path_has_traversal(const char *path);

#endif
