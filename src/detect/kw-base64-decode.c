/*
 * base64_decode: decodes base64 data of the buffer (RFC 4648), from an
 * offset or relative to the previous match, at most `bytes` of it, and
 * inspects the base64_data list (kw-base64-data.c) on the decoded bytes
 * itself, the way Suricata runs that list from inside the content
 * inspection.
 */
#include <stdlib.h>

#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/payload-ops.h"
#include "detect/rule-parse.h"
#include "detect/inspect.h"

static uint16_t kw_b64_decode;

uint16_t base64_decode_keyword_id(void)
{
    return kw_b64_decode;
}

static bool setup_base64_decode(RuleParseCtx *rp, Signature *s, const char *value)
{
    if (rp->current_list == SIG_LIST_BASE64_DATA)
        return rule_error(rp, "base64_decode cannot be used after base64_data");
    char err[256] = "";
    DetectBase64Decode *bd = base64_decode_parse(value, err, sizeof(err));
    if (!bd)
        return rule_error(rp, "%s", err);
    uint16_t list = payload_kw_list(rp, s, bd->relative, NULL);
    if (!rule_append(rp, s, list, kw_b64_decode, bd)) {
        free(bd);
        return false;
    }
    return true;
}

static InspectResult inspect_base64_decode(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                           const void *ctx)
{
    InspectResult r = base64_decode_eval(ctx, cur);
    if (r != INSPECT_MATCH)
        return r;
    const SigMatchList *l = sig_list(s, SIG_LIST_BASE64_DATA);
    if (!l || l->count == 0)
        return INSPECT_MATCH;
    uint32_t len;
    const uint8_t *data = base64_decoded(&len);
    return inspect_buffer(dt, s, l, data, len, INSPECT_BUF_APP, cur->p) ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

static bool rel_base64_decode(const void *ctx) { return ((const DetectBase64Decode *)ctx)->relative; }

void payload_register_base64_decode(void)
{
    kw_b64_decode = keyword_register(&(const KeywordDef){
            .name = "base64_decode",
            .help = "decode base64 data of the buffer: base64_decode[:bytes <n>][, offset <n>][, relative]",
            .flags = KW_OPTIONAL_VALUE,
            .setup = setup_base64_decode,
            .inspect = inspect_base64_decode,
            .is_relative = rel_base64_decode,
            .free = free,
    });
}
