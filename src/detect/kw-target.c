/*
 * target: which side of the alert is the target, src_ip or dest_ip; EVE
 * then gives alert.source and alert.target.
 */
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-meta.h"
#include "detect/rule-parse.h"

static bool target_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    if (strcmp(v, "src_ip") == 0)
        s->flags |= SIG_FLAG_TARGET_SRC;
    else if (strcmp(v, "dest_ip") == 0)
        s->flags |= SIG_FLAG_TARGET_DST;
    else
        return rule_error(rp, "invalid target '%s' (expected src_ip or dest_ip)", v);
    return true;
}

void meta_register_target(void)
{
    keyword_register(&(const KeywordDef){
            .name = "target",
            .help = "which side is the target: src_ip or dest_ip",
            .setup = target_setup,
    });
}
