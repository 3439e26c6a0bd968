/*
 * alert (Suricata 8, written `alert;` in the options): a pass rule that
 * also raises its alert.
 */
#include "detect/keyword.h"
#include "detect/kw-meta.h"
#include "detect/rule-parse.h"

/* `alert;` (Suricata 8): a pass rule that also raises its alert. */
static bool alert_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    (void)rp;
    (void)v;
    s->flags |= SIG_FLAG_ALERT;
    return true;
}

void meta_register_alert(void)
{
    keyword_register(&(const KeywordDef){
            .name = "alert",
            .help = "a pass rule alerts as well",
            .flags = KW_NOOPT,
            .setup = alert_setup,
    });
}
