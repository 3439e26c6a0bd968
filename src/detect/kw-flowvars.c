/*
 * Registration of the `flowvars` family (flowbits, flowint, xbits): the
 * setup functions that parse, validate against the rule's other flowbits and
 * put conditions on SIG_LIST_MATCH and actions on SIG_LIST_POSTMATCH, and the
 * thin wrappers between the KeywordDef callbacks and the evaluators in
 * kw-flowbits.c, kw-flowint.c and kw-xbits.c.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-flowvars.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

static uint16_t kw_flowbits, kw_flowint, kw_xbits;

static uint32_t name_hash_mix(uint32_t h, const FlowVarName *n)
{
    return (h ^ (n && n->name ? n->hash : 0)) * 16777619u;
}

static bool name_eq(const FlowVarName *a, const FlowVarName *b)
{
    if (a->name == NULL || b->name == NULL)
        return a->name == b->name;
    return strcmp(a->name, b->name) == 0;
}

/* ---- flowbits ---- */

static bool flowbits_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[512] = "";
    bool noalert = false;
    FlowbitsCtx *c = flowbits_parse(value, &noalert, err, sizeof(err));
    if (c == NULL) {
        if (noalert) {
            s->flags |= SIG_FLAG_NOALERT;
            return true;
        }
        return rule_error(rp, "%s", err[0] ? err : "invalid flowbits");
    }
    bool cond = c->cmd == FLOWBITS_ISSET || c->cmd == FLOWBITS_ISNOTSET;
    if (cond) {
        for (uint16_t i = 0; i < s->list_count; i++) {
            const SigMatchList *l = &s->lists[i];
            if (l->list_id != SIG_LIST_MATCH)
                continue;
            for (uint16_t j = 0; j < l->count; j++)
                if (l->items[j].kw == kw_flowbits && flowbits_conflict(l->items[j].ctx, c)) {
                    flowbits_free(c);
                    return rule_error(rp,
                            "invalid flowbit command combination in the same signature: isset "
                            "and isnotset");
                }
        }
    }
    if (rule_append(rp, s, cond ? SIG_LIST_MATCH : SIG_LIST_POSTMATCH, kw_flowbits, c) == NULL) {
        flowbits_free(c);
        return rule_error(rp, "out of memory");
    }
    return true;
}

static bool flowbits_match_kw(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    return flowbits_match(p, ctx);
}

static void flowbits_post_kw(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    flowbits_post(p, ctx);
}

static uint32_t flowbits_hash(const void *ctx)
{
    const FlowbitsCtx *c = ctx;
    uint32_t h = 2166136261u ^ c->cmd;
    for (uint8_t i = 0; i < c->count; i++)
        h = name_hash_mix(h, &c->names[i]);
    return h;
}

static bool flowbits_equal(const void *a, const void *b)
{
    const FlowbitsCtx *x = a, *y = b;
    if (x->cmd != y->cmd || x->count != y->count)
        return false;
    for (uint8_t i = 0; i < x->count; i++)
        if (!name_eq(&x->names[i], &y->names[i]))
            return false;
    return true;
}

/* ---- flowint ---- */

static bool flowint_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[512] = "";
    FlowintCtx *c = flowint_parse(value, err, sizeof(err));
    if (c == NULL)
        return rule_error(rp, "%s", err[0] ? err : "invalid flowint");
    if (rule_append(rp, s, flowint_is_action(c) ? SIG_LIST_POSTMATCH : SIG_LIST_MATCH, kw_flowint, c) ==
            NULL) {
        flowint_free(c);
        return rule_error(rp, "out of memory");
    }
    return true;
}

static bool flowint_match_kw(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    return flowint_match(p, ctx);
}

static void flowint_post_kw(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    flowint_post(p, ctx);
}

static uint32_t flowint_hash(const void *ctx)
{
    const FlowintCtx *c = ctx;
    uint32_t h = name_hash_mix(2166136261u ^ c->op, &c->name);
    return c->target_is_var ? name_hash_mix(h, &c->target) : (h ^ c->value) * 16777619u;
}

static bool flowint_equal(const void *a, const void *b)
{
    const FlowintCtx *x = a, *y = b;
    return x->op == y->op && x->target_is_var == y->target_is_var && x->value == y->value &&
            name_eq(&x->name, &y->name) && name_eq(&x->target, &y->target);
}

/* ---- xbits ---- */

static bool xbits_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[512] = "";
    XbitsCtx *c = xbits_parse(value, err, sizeof(err));
    if (c == NULL)
        return rule_error(rp, "%s", err[0] ? err : "invalid xbits");
    bool cond = c->cmd == XBITS_ISSET || c->cmd == XBITS_ISNOTSET;
    if (rule_append(rp, s, cond ? SIG_LIST_MATCH : SIG_LIST_POSTMATCH, kw_xbits, c) == NULL) {
        xbits_free(c);
        return rule_error(rp, "out of memory");
    }
    return true;
}

/* xbits use the calling worker's store (per-thread, see kw-flowvars.h). */
static bool xbits_match_kw(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    return xbits_match_store(xbits_thread_store(), p, ctx);
}

static void xbits_post_kw(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    xbits_post_store(xbits_thread_store(), p, ctx);
}

static uint32_t xbits_hash(const void *ctx)
{
    const XbitsCtx *c = ctx;
    return name_hash_mix(2166136261u ^ c->cmd ^ ((uint32_t)c->track << 8) ^ (c->expire << 16), &c->name);
}

static bool xbits_equal(const void *a, const void *b)
{
    const XbitsCtx *x = a, *y = b;
    return x->cmd == y->cmd && x->track == y->track && x->expire == y->expire && name_eq(&x->name, &y->name);
}

void keywords_register_flowvars(void)
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = "flowbits";
    d.help = "operate on flow flags: set, unset, toggle, isset, isnotset (a|b), noalert";
    d.setup = flowbits_setup;
    d.match_packet = flowbits_match_kw;
    d.post_match = flowbits_post_kw;
    d.free = flowbits_free;
    d.hash = flowbits_hash;
    d.equal = flowbits_equal;
    kw_flowbits = keyword_register(&d);

    memset(&d, 0, sizeof(d));
    d.name = "flowint";
    d.help = "operate on a per-flow integer: <name>,<op>,<value|var>";
    d.setup = flowint_setup;
    d.match_packet = flowint_match_kw;
    d.post_match = flowint_post_kw;
    d.free = flowint_free;
    d.hash = flowint_hash;
    d.equal = flowint_equal;
    kw_flowint = keyword_register(&d);

    memset(&d, 0, sizeof(d));
    d.name = "xbits";
    d.help = "operate on host/ip-pair bits: <cmd>,<name>,track <ip_src|ip_dst|ip_pair>[,expire N]";
    d.setup = xbits_setup;
    d.match_packet = xbits_match_kw;
    d.post_match = xbits_post_kw;
    d.free = xbits_free;
    d.hash = xbits_hash;
    d.equal = xbits_equal;
    kw_xbits = keyword_register(&d);
}
