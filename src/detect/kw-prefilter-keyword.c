/*
 * prefilter: marks the keyword before it (a packet keyword such as
 * `ttl:1; prefilter;`, or the last buffer keyword) as the one the rule is
 * prefiltered on. The mark lives in a side list (SIG_LIST_PREFILTER)
 * holding no evaluable keyword; payload_sig_prefilter() reads it back.
 * content cannot be marked (fast_pattern is its way).
 */
#include <stdlib.h>

#include "detect/content.h"
#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/rule-parse.h"

/* Side list holding the prefilter mark (never inspected). */
#define SIG_LIST_PREFILTER SIG_LIST_PREFILTER_MARK

typedef struct PrefilterMark {
    uint16_t list;
    uint16_t index;
} PrefilterMark;

static uint16_t kw_prefilter;

static bool setup_prefilter(RuleParseCtx *rp, Signature *s, const char *value)
{
    if (sig_list(s, SIG_LIST_PREFILTER))
        return rule_error(rp, "prefilter already set for this rule");
    PrefilterMark *m = calloc(1, sizeof(*m));
    if (!m)
        return rule_error(rp, "out of memory");
    const SigMatchList *ml = sig_list(s, SIG_LIST_MATCH);
    if (ml && ml->count) {
        m->list = SIG_LIST_MATCH;
        m->index = (uint16_t)(ml->count - 1);
    } else if (rp->last_sm) {
        if (rp->last_sm->kw == content_keyword_id()) {
            free(m);
            return rule_error(rp, "prefilter cannot be used on a content keyword: use fast_pattern instead");
        }
        const SigMatchList *bl = sig_list(s, rp->last_sm_list);
        m->list = rp->last_sm_list;
        m->index = bl ? (uint16_t)(rp->last_sm - bl->items) : 0;
    } else {
        free(m);
        return rule_error(rp, "prefilter needs a keyword before it to mark (e.g. 'ttl:1; prefilter;')");
    }
    SigMatchList *pl = sig_list_get_or_add(s, SIG_LIST_PREFILTER);
    if (!pl) {
        free(m);
        return rule_error(rp, "out of memory");
    }
    /* a side list: appended directly so that it never becomes rp->last_sm */
    SigMatch *items = realloc(pl->items, sizeof(SigMatch));
    if (!items) {
        free(m);
        return rule_error(rp, "out of memory");
    }
    pl->items = items;
    pl->items[0].kw = kw_prefilter;
    pl->items[0].ctx = m;
    pl->count = pl->cap = 1;
    return true;
}

const SigMatch *payload_sig_prefilter(const Signature *s, uint16_t *list_out)
{
    const SigMatchList *pl = sig_list(s, SIG_LIST_PREFILTER);
    if (!pl || !pl->count)
        return NULL;
    const PrefilterMark *m = pl->items[0].ctx;
    const SigMatchList *l = sig_list(s, m->list);
    if (!l || m->index >= l->count)
        return NULL;
    if (list_out)
        *list_out = m->list;
    return &l->items[m->index];
}

void payload_register_prefilter(void)
{
    kw_prefilter = keyword_register(&(const KeywordDef){
            .name = "prefilter",
            .help = "use the previous keyword for prefiltering",
            .flags = KW_NOOPT,
            .setup = setup_prefilter,
            .free = free,
    });
}
