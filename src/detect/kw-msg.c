/*
 * msg: the alert's message, in mandatory quotes, with the rule language's
 * escapes undone (`\;` `\"` `\\`): `msg:"ET POLICY ...";`. Once per rule.
 */
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-meta.h"
#include "detect/rule-parse.h"

static bool msg_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    if (s->msg)
        return rule_error(rp, "msg given twice");
    s->msg = strdup(v);
    if (!s->msg)
        return rule_error(rp, "out of memory");
    rule_unescape(s->msg);
    return true;
}

void meta_register_msg(void)
{
    keyword_register(&(const KeywordDef){
            .name = "msg",
            .help = "the alert's message",
            .flags = KW_QUOTES_MANDATORY,
            .setup = msg_setup,
    });
}
