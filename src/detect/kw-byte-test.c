/*
 * byte_test: reads `bytes` bytes of the buffer at an offset (absolute or
 * relative to the previous match) as a number -- big or little endian,
 * or as decimal/hex/octal text -- and compares it with a value or a
 * byte_extract/byte_math variable: `byte_test:2,>,1000,0,relative`.
 * Parsing and evaluation are in byte-ops.c.
 */
#include "detect/byte-ops.h"
#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/rule-parse.h"

static uint16_t kw_byte_test;

static bool setup_byte_test(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256] = "";
    ByteVarScope scope = { rp, s };
    ByteTest *bt = byte_test_parse(value, byte_var_scope_lookup, &scope, err, sizeof(err));
    if (!bt)
        return rule_error(rp, "%s", err);
    return byte_kw_append(rp, s, kw_byte_test, bt->relative, bt, byte_test_free);
}

static InspectResult inspect_byte_test(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                       const void *ctx)
{
    return byte_test_eval(ctx, cur);
}

static bool rel_byte_test(const void *ctx)
{
    return ((const ByteTest *)ctx)->relative;
}

void byte_register_test(void)
{
    kw_byte_test = keyword_register(&(const KeywordDef){
            .name = "byte_test",
            .help = "compare bytes of the buffer, read as a number, with a value",
            .setup = setup_byte_test,
            .inspect = inspect_byte_test,
            .is_relative = rel_byte_test,
            .free = byte_test_free,
    });
}
