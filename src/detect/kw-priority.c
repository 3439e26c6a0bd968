/*
 * priority: the alert's priority (EVE alert.severity), 1 to 255,
 * optionally quoted; it wins over the classtype's priority.
 */
#include "detect/keyword.h"
#include "detect/kw-meta.h"
#include "detect/rule-parse.h"

/* The priority keyword wins over the classtype's priority, whichever comes
 * first in the rule. */
static bool priority_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    uint32_t x;
    if (!meta_parse_u32(v, &x) || x == 0 || x > 255)
        return rule_error(rp, "invalid priority '%s' (a number from 1 to 255)", v);
    s->priority = (int)x;
    return true;
}

void meta_register_priority(void)
{
    keyword_register(&(const KeywordDef){
            .name = "priority",
            .help = "alert priority 1-255",
            .flags = KW_QUOTES_OPTIONAL,
            .setup = priority_setup,
    });
}
