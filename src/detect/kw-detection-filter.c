/*
 * detection_filter: alerts on every match once a rule has matched `count`
 * times within `seconds` for the tracked address (by_src, by_dst, by_rule,
 * by_flow): `detection_filter:track by_src, count 5, seconds 60;`. It parses
 * into a ThresholdSpec on SIG_LIST_SUPPRESS like threshold
 * (kw-threshold.c), and a rule holds at most one of the two.
 */
#include "detect/keyword.h"
#include "detect/kw-threshold.h"
#include "detect/rule-parse.h"
#include "detect/threshold-config.h"

static uint16_t kw_detection_filter_id;

static bool detection_filter_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    const ThresholdSpec *prev = threshold_spec_of_rule(s);
    if (prev) {
        if (prev->type != THRESH_TYPE_DETECTION)
            return rule_error(rp, "\"detection_filter\" and \"threshold\" are not allowed in the same rule");
        return rule_error(rp, "at most one \"detection_filter\" is allowed per rule");
    }
    char err[512];
    ThresholdSpec *spec = detection_filter_parse(value, err, sizeof(err));
    if (!spec)
        return rule_error(rp, "%s", err);
    spec->line = rp->line;
    if (!rule_append(rp, s, SIG_LIST_SUPPRESS, kw_detection_filter_id, spec)) {
        threshold_spec_free(spec);
        return rule_error(rp, "out of memory");
    }
    return true;
}

void threshold_register_detection_filter(void)
{
    kw_detection_filter_id = keyword_register(&(const KeywordDef){
            .name = "detection_filter",
            .help = "alert on every match after a threshold has been reached",
            .setup = detection_filter_setup,
            .free = threshold_kw_spec_free,
            .hash = threshold_kw_spec_hash,
            .equal = threshold_kw_spec_equal,
    });
}
