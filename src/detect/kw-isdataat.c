/*
 * isdataat: whether the buffer has data at a position, absolute or
 * relative to the previous match, the position possibly a byte variable:
 * `isdataat:4`, `isdataat:!1,relative`, `isdataat:len,relative`.
 * A buffer keyword (payload-ops.c parses and evaluates it).
 */
#include <stdlib.h>

#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/payload-ops.h"
#include "detect/rule-parse.h"

static uint16_t kw_isdataat;

static bool setup_isdataat(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256] = "";
    ByteVarScope scope = { rp, s };
    DetectIsdataat *id = isdataat_parse(value, byte_var_scope_lookup, &scope, err, sizeof(err));
    if (!id)
        return rule_error(rp, "%s", err);
    uint16_t list = payload_kw_list(rp, s, id->relative, NULL);
    if (!rule_append(rp, s, list, kw_isdataat, id)) {
        free(id);
        return false;
    }
    return true;
}

static InspectResult inspect_isdataat(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                      const void *ctx)
{
    return isdataat_eval(ctx, cur);
}

static bool rel_isdataat(const void *ctx) { return ((const DetectIsdataat *)ctx)->relative; }

void payload_register_isdataat(void)
{
    kw_isdataat = keyword_register(&(const KeywordDef){
            .name = "isdataat",
            .help = "check that the buffer has data at a position: isdataat:[!]<n>[,relative]",
            .setup = setup_isdataat,
            .inspect = inspect_isdataat,
            .is_relative = rel_isdataat,
            .free = free,
    });
}
