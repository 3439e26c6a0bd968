/*
 * base64_data: a sticky buffer for the bytes the rule's base64_decode
 * (kw-base64-decode.c) decoded: the keywords after it go to the
 * SIG_LIST_BASE64_DATA list, which base64_decode inspects.
 */
#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/rule-parse.h"

static bool setup_base64_data(RuleParseCtx *rp, Signature *s, const char *value)
{
    uint16_t k = base64_decode_keyword_id();
    if (!rule_last_of(rp, s, &k, 1, NULL))
        return rule_error(rp, "base64_data must come after a base64_decode");
    rp->current_list = SIG_LIST_BASE64_DATA;
    return true;
}

void payload_register_base64_data(void)
{
    keyword_register(&(const KeywordDef){
            .name = "base64_data",
            .help = "inspect the data decoded by base64_decode",
            .flags = KW_NOOPT | KW_STICKY_BUFFER,
            .setup = setup_base64_data,
    });
}
