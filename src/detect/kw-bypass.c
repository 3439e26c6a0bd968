/*
 * bypass (Suricata 8): once a rule carrying `bypass;` matches, the packet's
 * flow is bypassed locally, as Suricata's capture-less (local) bypass does:
 * the flow enters FLOW_STATE_LOCAL_BYPASSED (EVE flow.state "bypassed",
 * with the bypassed timeout), and detection skips every later packet of
 * the flow (detect.c). The rest of the matching packet is still inspected,
 * and the rule alerts as usual. A packet without a flow is not affected.
 */
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-hdrkw.h"
#include "detect/rule-parse.h"
#include "flow/flow.h"

static uint16_t kw_bypass;

static bool bypass_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    (void)value;
    const SigMatchList *l = sig_list(s, SIG_LIST_POSTMATCH);
    for (uint16_t i = 0; l && i < l->count; i++)
        if (l->items[i].kw == kw_bypass)
            return rule_error(rp, "bypass given twice");
    if (rule_append(rp, s, SIG_LIST_POSTMATCH, kw_bypass, NULL) == NULL)
        return rule_error(rp, "out of memory");
    return true;
}

static void bypass_post(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    (void)ctx;
    if (p->flow != NULL)
        p->flow->state = FLOW_STATE_LOCAL_BYPASSED;
}

bool bypass_flow_is_bypassed(const Flow *f)
{
    return f != NULL && f->state == FLOW_STATE_LOCAL_BYPASSED;
}

void hdrkw_register_bypass(void)
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = "bypass";
    d.help = "bypass the flow once the rule matched: no detection on its later packets";
    d.flags = KW_NOOPT;
    d.setup = bypass_setup;
    d.post_match = bypass_post;
    kw_bypass = keyword_register(&d);
}
