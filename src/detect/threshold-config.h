/*
 * Parsing thresholds: the values of the `threshold` and `detection_filter`
 * rule keywords, the threshold.config file, and the per-signature plan that
 * combines them (see threshold.h for the runtime and the design).
 *
 * threshold.config (path from the `threshold-file` key) holds one entry per
 * line, `\` at the end of a line continuing it, `#` starting a comment line:
 *
 *   threshold    gen_id G, sig_id S, type limit|threshold|both,
 *                track by_src|by_dst|by_both|by_rule|by_flow, count N, seconds T
 *   event_filter (the same as threshold)
 *   suppress     gen_id G, sig_id S[, track by_src|by_dst|by_either, ip LIST]
 *   rate_filter  gen_id G, sig_id S, track by_src|by_dst|by_both|by_rule|by_flow,
 *                count N, seconds T, new_action alert|drop|pass|log|sdrop|reject,
 *                timeout T
 *
 * in that order of fields, as Suricata 8 demands. LIST is an address, a
 * CIDR block, a bracketed list or a `$VAR` from vars.address-groups.
 * `gen_id 0, sig_id 0` applies to every rule, `sig_id 0` to every rule of
 * the generator; `gen_id 0` with a non-zero sig_id is refused. A line that
 * does not parse is reported with file and line and skipped (Suricata
 * fails only under -T); a missing file is a warning.
 */
#ifndef ODLAR_DETECT_THRESHOLD_CONFIG_H
#define ODLAR_DETECT_THRESHOLD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "detect/address.h"
#include "detect/signature.h"
#include "detect/threshold.h"

/* Most entries one threshold.config may hold; further lines are reported. */
#define THRESHOLD_CONFIG_MAX_ENTRIES 65536

/* Parses the value of `threshold:` (type, track, count and seconds -- or
 * multiplier for type backoff, which needs track by_flow -- each exactly
 * once, any order). Returns a new spec, or NULL with the reason in err. */
ThresholdSpec *threshold_parse_keyword(const char *value, char *err, size_t errlen);

/* Parses the value of `detection_filter:` (track, count, seconds, each once;
 * count and seconds must not be 0). NULL with the reason in err. */
ThresholdSpec *detection_filter_parse(const char *value, char *err, size_t errlen);

/* How suppress entries parse and match their `ip` list: pass
 * { address_set_parse, address_set_match, address_set_free } (address.h).
 * With no ops (NULL), suppress entries with an ip list are refused. */
typedef struct ThresholdAddrOps {
    AddressSet *(*parse)(const char *text, AddressVarLookup vars, void *vars_ctx, char *err, size_t errlen);
    ThresholdAddrMatch match;
    ThresholdAddrFree free;
} ThresholdAddrOps;

typedef enum ThresholdEntryKind {
    THRESH_ENTRY_THRESHOLD = 0,
    THRESH_ENTRY_EVENT_FILTER,
    THRESH_ENTRY_SUPPRESS,
    THRESH_ENTRY_RATE_FILTER,
} ThresholdEntryKind;

typedef struct ThresholdConfigEntry {
    ThresholdEntryKind kind;
    uint32_t gid, sid;
    ThresholdSpec *spec; /* NULL for a suppress without track/ip */
    int line;
} ThresholdConfigEntry;

typedef struct ThresholdConfig ThresholdConfig;

/* Loads `path`. `conf` resolves `$VAR`s (vars.address-groups; may be NULL).
 * Always returns a config (NULL only when memory runs out); problems are
 * logged naming "<path>:<line>", counted, the first written into err. */
ThresholdConfig *threshold_config_load(const char *path, Conf *conf, const ThresholdAddrOps *ops, char *err,
                                       size_t errlen);
/* The same from text; `name` stands for the file in messages. */
ThresholdConfig *threshold_config_load_string(const char *text, const char *name, Conf *conf,
                                              const ThresholdAddrOps *ops, char *err, size_t errlen);
/* Path from `threshold-file`, else <sysconfdir>/threshold.config. */
const char *threshold_config_path(Conf *c);

size_t threshold_config_count(const ThresholdConfig *tc);
const ThresholdConfigEntry *threshold_config_entry(const ThresholdConfig *tc, size_t i);
unsigned threshold_config_errors(const ThresholdConfig *tc);
bool threshold_config_missing(const ThresholdConfig *tc);
void threshold_config_free(ThresholdConfig *tc);

/* The plans of all signatures of an engine. */
typedef struct ThresholdPlan ThresholdPlan;

/* Builds the plan of sigs[0..n-1] from each rule's own threshold /
 * detection_filter (the ThresholdSpecs on its SIG_LIST_SUPPRESS list) and the
 * config entries (cfg may be NULL), in file order: suppressions collect;
 * an entry naming (gen_id, sig_id) exactly replaces the signature's last
 * threshold (its own, or an earlier entry's); wildcard entries skip
 * signatures that already have one. Exact entries naming no loaded rule are
 * warned about. The plan borrows the specs: free it before the signatures
 * and the config. NULL when memory runs out. */
ThresholdPlan *threshold_plan_build(const ThresholdConfig *cfg, Signature *const *sigs, uint32_t n);
/* The plan of sigs[i] given to threshold_plan_build, or NULL when that
 * signature is not thresholded at all. */
const ThresholdSigPlan *threshold_plan_get(const ThresholdPlan *plan, uint32_t i);
void threshold_plan_free(ThresholdPlan *plan);

#endif
