/*
 * rev: the signature's revision, a number, optionally quoted. A later
 * rule with the same gid:sid replaces an earlier one.
 */
#include "detect/keyword.h"
#include "detect/kw-meta.h"
#include "detect/rule-parse.h"

static bool rev_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    uint32_t x;
    if (!meta_parse_u32(v, &x))
        return rule_error(rp, "invalid rev '%s' (a number)", v);
    s->rev = x;
    return true;
}

void meta_register_rev(void)
{
    keyword_register(&(const KeywordDef){
            .name = "rev",
            .help = "signature revision",
            .flags = KW_QUOTES_OPTIONAL,
            .setup = rev_setup,
    });
}
