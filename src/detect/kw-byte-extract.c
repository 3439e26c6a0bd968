/*
 * byte_extract: reads a number from the buffer (as byte_test does) into a
 * named rule variable that later keywords of the same buffer may use as an
 * offset, a depth or a value: `byte_extract:2,0,len,relative;`. Each
 * variable gets an index in the rule's table (kw-byte.c). Parsing and
 * evaluation are in byte-ops.c.
 */
#include "detect/byte-ops.h"
#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/rule-parse.h"

static uint16_t kw_byte_extract;

uint16_t byte_extract_keyword_id(void)
{
    return kw_byte_extract;
}

static bool setup_byte_extract(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256] = "";
    ByteExtract *be = byte_extract_parse(value, 0, err, sizeof(err));
    if (!be)
        return rule_error(rp, "%s", err);
    int idx;
    if (!byte_var_new_ok(rp, s, "byte_extract", be->name, &idx)) {
        byte_extract_free(be);
        return false;
    }
    be->var = (uint8_t)idx;
    return byte_kw_append(rp, s, kw_byte_extract, be->relative, be, byte_extract_free);
}

static InspectResult inspect_byte_extract(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                          const void *ctx)
{
    return byte_extract_eval(ctx, cur);
}

static bool rel_byte_extract(const void *ctx)
{
    return ((const ByteExtract *)ctx)->relative;
}

void byte_register_extract(void)
{
    kw_byte_extract = keyword_register(&(const KeywordDef){
            .name = "byte_extract",
            .help = "read a number from the buffer into a rule variable",
            .setup = setup_byte_extract,
            .inspect = inspect_byte_extract,
            .is_relative = rel_byte_extract,
            .free = byte_extract_free,
    });
}
