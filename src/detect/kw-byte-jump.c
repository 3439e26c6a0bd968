/*
 * byte_jump: reads a number from the buffer (as byte_test does) and moves
 * the cursor by it -- times a multiplier, plus a post offset, from the
 * start of the buffer with from_beginning or from its end with from_end --
 * so that relative keywords after it look there. Parsing and evaluation
 * are in byte-ops.c.
 */
#include "detect/byte-ops.h"
#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/rule-parse.h"

static uint16_t kw_byte_jump;

static bool setup_byte_jump(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256] = "";
    ByteVarScope scope = { rp, s };
    ByteJump *bj = byte_jump_parse(value, byte_var_scope_lookup, &scope, err, sizeof(err));
    if (!bj)
        return rule_error(rp, "%s", err);
    return byte_kw_append(rp, s, kw_byte_jump, bj->relative, bj, byte_jump_free);
}

static InspectResult inspect_byte_jump(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                       const void *ctx)
{
    return byte_jump_eval(ctx, cur);
}

static bool rel_byte_jump(const void *ctx)
{
    return ((const ByteJump *)ctx)->relative;
}

void byte_register_jump(void)
{
    kw_byte_jump = keyword_register(&(const KeywordDef){
            .name = "byte_jump",
            .help = "read a number from the buffer and move the cursor by it",
            .setup = setup_byte_jump,
            .inspect = inspect_byte_jump,
            .is_relative = rel_byte_jump,
            .free = byte_jump_free,
    });
}
