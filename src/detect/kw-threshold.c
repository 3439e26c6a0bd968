/*
 * The threshold family of rule keywords: `threshold` and `detection_filter`.
 *
 * Both parse their value into a ThresholdSpec (threshold-config.h) and put
 * it on the signature's SIG_LIST_SUPPRESS list; they never match or inspect
 * anything themselves. The engine builder turns those specs, together with
 * threshold.config, into the per-signature plan the detect loop consults
 * (threshold_plan_build / threshold_check). As in Suricata 8, a rule holds
 * at most one of them: a second `threshold`, a second `detection_filter`, or
 * one of each is an error.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/keyword-families.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/threshold-config.h"
#include "detect/threshold.h"

/* The spec already on the rule's SIG_LIST_SUPPRESS list, or NULL. */
static const ThresholdSpec *existing_spec(const Signature *s)
{
    for (uint16_t l = 0; s->lists && l < s->list_count; l++) {
        const SigMatchList *ml = &s->lists[l];
        if (ml->list_id == SIG_LIST_SUPPRESS && ml->count > 0)
            return ml->items[ml->count - 1].ctx;
    }
    return NULL;
}

static uint16_t kw_threshold_id, kw_detection_filter_id;

static bool threshold_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    const ThresholdSpec *prev = existing_spec(s);
    if (prev) {
        if (prev->type == THRESH_TYPE_DETECTION)
            return rule_error(rp, "\"detection_filter\" and \"threshold\" are not allowed in the same rule");
        return rule_error(rp, "multiple \"threshold\" options are not allowed in the same rule");
    }
    char err[512];
    ThresholdSpec *spec = threshold_parse_keyword(value, err, sizeof(err));
    if (!spec)
        return rule_error(rp, "%s", err);
    spec->line = rp->line;
    if (!rule_append(rp, s, SIG_LIST_SUPPRESS, kw_threshold_id, spec)) {
        threshold_spec_free(spec);
        return rule_error(rp, "out of memory");
    }
    return true;
}

static bool detection_filter_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    const ThresholdSpec *prev = existing_spec(s);
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

static void spec_free(void *ctx)
{
    threshold_spec_free(ctx);
}

/* Rule specs carry no addresses, so the numeric fields are the identity. */
static uint32_t spec_hash(const void *ctx)
{
    const ThresholdSpec *s = ctx;
    uint32_t h = 2166136261u;
    uint32_t f[6] = { (uint32_t)s->type, (uint32_t)s->track, s->count, s->seconds, s->multiplier, s->timeout };
    for (int i = 0; i < 6; i++)
        h = (h ^ f[i]) * 16777619u;
    return h;
}

static bool spec_equal(const void *a, const void *b)
{
    const ThresholdSpec *x = a, *y = b;
    return x->type == y->type && x->track == y->track && x->count == y->count && x->seconds == y->seconds &&
           x->multiplier == y->multiplier && x->timeout == y->timeout && x->new_action == y->new_action &&
           x->addrs == NULL && y->addrs == NULL;
}

void keywords_register_threshold(void)
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = "threshold";
    d.help = "control the rule's alert frequency";
    d.setup = threshold_setup;
    d.free = spec_free;
    d.hash = spec_hash;
    d.equal = spec_equal;
    kw_threshold_id = keyword_register(&d);

    memset(&d, 0, sizeof(d));
    d.name = "detection_filter";
    d.help = "alert on every match after a threshold has been reached";
    d.setup = detection_filter_setup;
    d.free = spec_free;
    d.hash = spec_hash;
    d.equal = spec_equal;
    kw_detection_filter_id = keyword_register(&d);
}
