/*
 * The threshold family of rule keywords: `threshold` (here) and
 * `detection_filter` (kw-detection-filter.c), and what they share: the
 * spec already on a rule, and the free/hash/equal of a rule's spec.
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
#include "detect/kw-threshold.h"
#include "detect/rule-parse.h"
#include "detect/threshold-config.h"
#include "detect/threshold.h"

const ThresholdSpec *threshold_spec_of_rule(const Signature *s)
{
    for (uint16_t l = 0; s->lists && l < s->list_count; l++) {
        const SigMatchList *ml = &s->lists[l];
        if (ml->list_id == SIG_LIST_SUPPRESS && ml->count > 0)
            return ml->items[ml->count - 1].ctx;
    }
    return NULL;
}

static uint16_t kw_threshold_id;

static bool threshold_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    const ThresholdSpec *prev = threshold_spec_of_rule(s);
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

void threshold_kw_spec_free(void *ctx)
{
    threshold_spec_free(ctx);
}

uint32_t threshold_kw_spec_hash(const void *ctx)
{
    const ThresholdSpec *s = ctx;
    uint32_t h = 2166136261u;
    uint32_t f[6] = { (uint32_t)s->type, (uint32_t)s->track, s->count, s->seconds, s->multiplier, s->timeout };
    for (int i = 0; i < 6; i++)
        h = (h ^ f[i]) * 16777619u;
    return h;
}

bool threshold_kw_spec_equal(const void *a, const void *b)
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
    d.free = threshold_kw_spec_free;
    d.hash = threshold_kw_spec_hash;
    d.equal = threshold_kw_spec_equal;
    kw_threshold_id = keyword_register(&d);
    threshold_register_detection_filter();
}
