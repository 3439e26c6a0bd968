/*
 * For unit tests that parse single rules: parse_rule() runs the rule
 * parser on one rule text with an empty configuration (no variables, no
 * engine), as `odlar -T` would for a rule file of one line, and copies the
 * parser's reason into err when the rule fails. Included by the tests that
 * only need that; tests with variables or an engine set up their own.
 */
#ifndef ODLAR_TESTS_UNIT_RULE_PARSE_HELPER_H
#define ODLAR_TESTS_UNIT_RULE_PARSE_HELPER_H

#include <stdio.h>

#include "conf/conf.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

static inline Signature *parse_rule(const char *text, char *err, size_t errlen)
{
    keywords_init();
    static Conf *c;
    if (!c)
        c = conf_new_empty();
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, c, "t.rules", 1);
    Signature *s = rule_parse(&rp, text);
    if (!s && err)
        snprintf(err, errlen, "%s", rp.has_error ? rp.error : "");
    return s;
}

#endif
