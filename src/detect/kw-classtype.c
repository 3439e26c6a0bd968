/*
 * classtype: the rule's classification, looked up (in any case) in the
 * engine's classification table (class-config.h) when it has one; the
 * alert shows its description, and its priority applies unless the rule
 * gives a priority keyword, whichever comes first. Once per rule.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "detect/class-config.h"
#include "detect/detect-engine.h"
#include "detect/keyword.h"
#include "detect/kw-meta.h"
#include "detect/rule-parse.h"

static bool priority_given(const Signature *s) { return s->priority != 0; }

static bool classtype_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    if (s->classtype)
        return rule_error(rp, "classtype given twice");
    if (!*v)
        return rule_error(rp, "classtype needs a name");
    char *name = strdup(v);
    if (!name)
        return rule_error(rp, "out of memory");
    for (char *c = name; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    const ClassConfig *cc = rp->de ? detect_engine_classes(rp->de) : NULL;
    if (cc) {
        const ClassType *ct = class_config_lookup(cc, name);
        if (!ct) {
            rule_error(rp, "unknown classtype '%s' (not in the classification file)", v);
            free(name);
            return false;
        }
        s->class_desc = strdup(ct->desc);
        /* Suricata: an explicit priority keyword takes precedence whichever
         * comes first; the classtype sets it only when none was given. */
        if (!priority_given(s))
            s->priority = ct->priority;
    }
    s->classtype = name;
    return true;
}

void meta_register_classtype(void)
{
    keyword_register(&(const KeywordDef){
            .name = "classtype",
            .help = "classification (classification.config)",
            .setup = classtype_setup,
    });
}
