/*
 * byte_math: reads a number from the buffer, applies + - * / << >> with
 * an rvalue (a number or a variable) and stores the result in a named rule
 * variable, like byte_extract. On a sticky buffer, `relative` needs a
 * content or pcre before it, as in Suricata. Parsing and evaluation are
 * in byte-ops.c.
 */
#include "detect/byte-ops.h"
#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/rule-parse.h"

static uint16_t kw_byte_math;

uint16_t byte_math_keyword_id(void)
{
    return kw_byte_math;
}

static bool setup_byte_math(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256] = "";
    ByteVarScope scope = { rp, s };
    ByteMath *bm = byte_math_parse(value, 0, byte_var_scope_lookup, &scope, err, sizeof(err));
    if (!bm)
        return rule_error(rp, "%s", err);
    int idx;
    if (!byte_var_new_ok(rp, s, "byte_math", bm->name, &idx)) {
        byte_math_free(bm);
        return false;
    }
    bm->var = (uint8_t)idx;
    if (bm->relative && rp->current_list != SIG_LIST_PMATCH) {
        /* with a sticky buffer Suricata wants a content/pcre before it */
        uint16_t kws[2];
        int n = 0;
        int c = keyword_lookup("content"), p = keyword_lookup("pcre");
        if (c >= 0)
            kws[n++] = (uint16_t)c;
        if (p >= 0)
            kws[n++] = (uint16_t)p;
        if (!rule_last_of(rp, s, kws, n, NULL)) {
            byte_math_free(bm);
            return rule_error(rp, "byte_math: relative specified without previous pattern match");
        }
    }
    return byte_kw_append(rp, s, kw_byte_math, bm->relative, bm, byte_math_free);
}

static InspectResult inspect_byte_math(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                       const void *ctx)
{
    return byte_math_eval(ctx, cur);
}

static bool rel_byte_math(const void *ctx)
{
    return ((const ByteMath *)ctx)->relative;
}

void byte_register_math(void)
{
    kw_byte_math = keyword_register(&(const KeywordDef){
            .name = "byte_math",
            .help = "read a number, do arithmetic on it, store the result in a rule variable",
            .setup = setup_byte_math,
            .inspect = inspect_byte_math,
            .is_relative = rel_byte_math,
            .free = byte_math_free,
    });
}
