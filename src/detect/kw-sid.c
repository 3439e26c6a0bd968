/*
 * sid: the signature id, 1 to 4294967295, optionally quoted; once per
 * rule. With gid and rev it is the rule's identity (gid:sid:rev).
 */
#include "detect/keyword.h"
#include "detect/kw-meta.h"
#include "detect/rule-parse.h"

static bool sid_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    uint32_t x;
    if (s->sid)
        return rule_error(rp, "sid given twice");
    if (!meta_parse_u32(v, &x) || x == 0)
        return rule_error(rp, "invalid sid '%s' (a number from 1 to 4294967295)", v);
    s->sid = x;
    return true;
}

void meta_register_sid(void)
{
    keyword_register(&(const KeywordDef){
            .name = "sid",
            .help = "signature id",
            .flags = KW_QUOTES_OPTIONAL,
            .setup = sid_setup,
    });
}
