/*
 * gid: the generator id, a number, optionally quoted (1 when the rule
 * gives none).
 */
#include "detect/keyword.h"
#include "detect/kw-meta.h"
#include "detect/rule-parse.h"

static bool gid_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    uint32_t x;
    if (!meta_parse_u32(v, &x))
        return rule_error(rp, "invalid gid '%s' (a number)", v);
    s->gid = x;
    return true;
}

void meta_register_gid(void)
{
    keyword_register(&(const KeywordDef){
            .name = "gid",
            .help = "generator id",
            .flags = KW_QUOTES_OPTIONAL,
            .setup = gid_setup,
    });
}
