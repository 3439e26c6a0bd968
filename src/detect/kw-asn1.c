/*
 * The `asn1` keyword: decodes BER objects from the inspected buffer and
 * matches when one of them shows the anomalies the options ask for
 * (bitstring_overflow, double_overflow, oversize_length N), starting at
 * absolute_offset N, at relative_offset N from the end of the previous
 * match, or at the buffer start (decoding and checks in asn1-ber.c). As in
 * Suricata it inspects the payload (never a sticky buffer) and does not
 * move the inspection cursor; `relative_offset` does not make the engine
 * retry earlier contents, since Suricata runs it once after them.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/asn1-ber.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"

static uint16_t kw_asn1;

static bool asn1_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256];
    Asn1Options o;
    if (!asn1_options_parse(value, &o, err, sizeof(err)))
        return rule_error(rp, "%s", err);
    Asn1Options *ctx = malloc(sizeof(*ctx));
    if (!ctx)
        return rule_error(rp, "out of memory");
    *ctx = o;
    if (!rule_append(rp, s, SIG_LIST_PMATCH, kw_asn1, ctx)) {
        free(ctx);
        return false;
    }
    return true;
}

static InspectResult asn1_inspect(struct DetectThread *dt, InspectCursor *cur, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    cur->retryable = false;
    return asn1_check(ctx, cur->buf, cur->len, cur->offset) ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

static uint32_t asn1_hash(const void *ctx)
{
    const Asn1Options *o = ctx;
    uint32_t h = (uint32_t)o->bitstring_overflow | ((uint32_t)o->double_overflow << 1) |
                 ((uint32_t)o->has_oversize << 2) | ((uint32_t)o->has_absolute << 3) | ((uint32_t)o->has_relative << 4);
    h = (h * 16777619u) ^ o->oversize_length;
    h = (h * 16777619u) ^ o->absolute_offset;
    return (h * 16777619u) ^ (uint32_t)o->relative_offset;
}

static bool asn1_equal(const void *a, const void *b)
{
    const Asn1Options *x = a, *y = b;
    return x->bitstring_overflow == y->bitstring_overflow && x->double_overflow == y->double_overflow &&
           x->has_oversize == y->has_oversize && x->oversize_length == y->oversize_length &&
           x->has_absolute == y->has_absolute && x->absolute_offset == y->absolute_offset &&
           x->has_relative == y->has_relative && x->relative_offset == y->relative_offset;
}

void keywords_register_asn1(void)
{
    static const KeywordDef def = {
        .name = "asn1",
        .help = "BER anomalies in the payload: bitstring_overflow, double_overflow, oversize_length N, "
                "absolute_offset N | relative_offset N",
        .setup = asn1_setup,
        .inspect = asn1_inspect,
        .free = free,
        .hash = asn1_hash,
        .equal = asn1_equal,
    };
    kw_asn1 = keyword_register(&def);
}
