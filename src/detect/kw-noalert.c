/*
 * noalert: the rule matches (its flowbits, flowint and other post-match
 * keywords run) without raising an alert.
 */
#include "detect/keyword.h"
#include "detect/kw-meta.h"
#include "detect/rule-parse.h"

static bool noalert_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    (void)rp;
    (void)v;
    s->flags |= SIG_FLAG_NOALERT;
    return true;
}

void meta_register_noalert(void)
{
    keyword_register(&(const KeywordDef){
            .name = "noalert",
            .help = "match without alerting",
            .flags = KW_NOOPT,
            .setup = noalert_setup,
    });
}
