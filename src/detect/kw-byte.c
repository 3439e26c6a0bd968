/*
 * The byte family's keyword descriptors (byte_test, byte_jump, byte_extract,
 * byte_math) and the helpers the payload families share: the per-signature
 * variable table (found by scanning the signature's byte_extract/byte_math
 * SigMatches, so no extra state is kept) and the choice of list for relative
 * keywords. As in Suricata 8, a keyword on a sticky buffer sees only the
 * variables defined on that same buffer ("Unknown byte_extract var").
 * Parsing and evaluation are in byte-ops.c.
 */
#include <stdio.h>
#include <string.h>

#include "detect/byte-ops.h"
#include "detect/content.h"
#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/rule-parse.h"

static uint16_t kw_byte_test, kw_byte_jump, kw_byte_extract, kw_byte_math;
static bool registered;

/* With a name: that variable's vars[] index, or -1, looking only at list
 * `only` unless it is BYTE_VAR_ANY_LIST. Without (NULL): how many variables
 * s defines. */
#define BYTE_VAR_ANY_LIST UINT16_MAX
static int each_var(const Signature *s, const char *name, uint16_t only)
{
    int count = 0;
    if (!registered)
        return name ? -1 : 0;
    for (uint16_t i = 0; i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        bool visible = only == BYTE_VAR_ANY_LIST || l->list_id == only;
        for (uint16_t j = 0; j < l->count; j++) {
            const SigMatch *sm = &l->items[j];
            const char *n = NULL;
            uint8_t var = 0;
            if (sm->kw == kw_byte_extract) {
                n = ((const ByteExtract *)sm->ctx)->name;
                var = ((const ByteExtract *)sm->ctx)->var;
            } else if (sm->kw == kw_byte_math) {
                n = ((const ByteMath *)sm->ctx)->name;
                var = ((const ByteMath *)sm->ctx)->var;
            } else {
                continue;
            }
            count++;
            if (name && visible && strcmp(n, name) == 0)
                return var;
        }
    }
    return name ? -1 : count;
}

int byte_var_index(const Signature *s, const char *name) { return each_var(s, name, BYTE_VAR_ANY_LIST); }
int byte_var_count(const Signature *s) { return each_var(s, NULL, BYTE_VAR_ANY_LIST); }

int byte_var_index_for(const RuleParseCtx *rp, const Signature *s, const char *name)
{
    bool sticky = rp->current_list >= SIG_LIST_BUFFER_BASE && rp->current_list != SIG_LIST_BASE64_DATA;
    return each_var(s, name, sticky ? rp->current_list : BYTE_VAR_ANY_LIST);
}

/* The lookup the byte_* parsers call: user is a ByteVarScope. */
typedef struct ByteVarScope {
    const RuleParseCtx *rp;
    const Signature *s;
} ByteVarScope;

static int lookup_cb(void *user, const char *name)
{
    const ByteVarScope *sc = user;
    return byte_var_index_for(sc->rp, sc->s, name);
}

static int pattern_kws(uint16_t *kws)
{
    static const char *const names[] = { "content", "pcre", "byte_test", "byte_jump",
                                         "byte_extract", "byte_math", "isdataat" };
    int n = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        int id = keyword_lookup(names[i]);
        if (id >= 0)
            kws[n++] = (uint16_t)id;
    }
    return n;
}

uint16_t payload_kw_list(RuleParseCtx *rp, Signature *s, bool relative, SigMatch **prev)
{
    uint16_t kws[8];
    int n = pattern_kws(kws);
    uint16_t list = SIG_LIST_PMATCH;
    SigMatch *p = relative ? rule_last_of(rp, s, kws, n, &list) : NULL;
    if (prev)
        *prev = p;
    if (rp->current_list != SIG_LIST_PMATCH)
        return rp->current_list;
    return p ? list : SIG_LIST_PMATCH;
}

/* Appends to the right list; the parse error (if any) is already set. */
static bool append(RuleParseCtx *rp, Signature *s, uint16_t kw, bool relative, void *ctx, void (*fr)(void *))
{
    uint16_t list = payload_kw_list(rp, s, relative, NULL);
    if (!rule_append(rp, s, list, kw, ctx)) {
        fr(ctx);
        return false;
    }
    return true;
}

static bool new_var_ok(RuleParseCtx *rp, Signature *s, const char *kw, const char *name, int *idx)
{
    if (byte_var_index(s, name) >= 0)
        return rule_error(rp, "%s: variable \"%s\" is already defined in this rule", kw, name);
    *idx = byte_var_count(s);
    if (*idx >= INSPECT_MAX_VARS)
        return rule_error(rp, "%s: too many byte_extract/byte_math variables in one rule (max %d)", kw,
                          INSPECT_MAX_VARS);
    return true;
}

static bool setup_byte_test(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256] = "";
    ByteVarScope scope = { rp, s };
    ByteTest *bt = byte_test_parse(value, lookup_cb, &scope, err, sizeof(err));
    if (!bt)
        return rule_error(rp, "%s", err);
    return append(rp, s, kw_byte_test, bt->relative, bt, byte_test_free);
}

static bool setup_byte_jump(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256] = "";
    ByteVarScope scope = { rp, s };
    ByteJump *bj = byte_jump_parse(value, lookup_cb, &scope, err, sizeof(err));
    if (!bj)
        return rule_error(rp, "%s", err);
    return append(rp, s, kw_byte_jump, bj->relative, bj, byte_jump_free);
}

static bool setup_byte_extract(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256] = "";
    ByteExtract *be = byte_extract_parse(value, 0, err, sizeof(err));
    if (!be)
        return rule_error(rp, "%s", err);
    int idx;
    if (!new_var_ok(rp, s, "byte_extract", be->name, &idx)) {
        byte_extract_free(be);
        return false;
    }
    be->var = (uint8_t)idx;
    return append(rp, s, kw_byte_extract, be->relative, be, byte_extract_free);
}

static bool setup_byte_math(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256] = "";
    ByteVarScope scope = { rp, s };
    ByteMath *bm = byte_math_parse(value, 0, lookup_cb, &scope, err, sizeof(err));
    if (!bm)
        return rule_error(rp, "%s", err);
    int idx;
    if (!new_var_ok(rp, s, "byte_math", bm->name, &idx)) {
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
    return append(rp, s, kw_byte_math, bm->relative, bm, byte_math_free);
}

static InspectResult inspect_byte_test(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                       const void *ctx)
{
    return byte_test_eval(ctx, cur);
}

static InspectResult inspect_byte_jump(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                       const void *ctx)
{
    return byte_jump_eval(ctx, cur);
}

static InspectResult inspect_byte_extract(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                          const void *ctx)
{
    return byte_extract_eval(ctx, cur);
}

static InspectResult inspect_byte_math(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                       const void *ctx)
{
    return byte_math_eval(ctx, cur);
}

static bool rel_byte_test(const void *ctx) { return ((const ByteTest *)ctx)->relative; }
static bool rel_byte_jump(const void *ctx) { return ((const ByteJump *)ctx)->relative; }
static bool rel_byte_extract(const void *ctx) { return ((const ByteExtract *)ctx)->relative; }
static bool rel_byte_math(const void *ctx) { return ((const ByteMath *)ctx)->relative; }

void keywords_register_byte(void)
{
    static const KeywordDef defs[] = {
        { .name = "byte_test",
          .help = "compare bytes of the buffer, read as a number, with a value",
          .setup = setup_byte_test,
          .inspect = inspect_byte_test,
          .is_relative = rel_byte_test,
          .free = byte_test_free },
        { .name = "byte_jump",
          .help = "read a number from the buffer and move the cursor by it",
          .setup = setup_byte_jump,
          .inspect = inspect_byte_jump,
          .is_relative = rel_byte_jump,
          .free = byte_jump_free },
        { .name = "byte_extract",
          .help = "read a number from the buffer into a rule variable",
          .setup = setup_byte_extract,
          .inspect = inspect_byte_extract,
          .is_relative = rel_byte_extract,
          .free = byte_extract_free },
        { .name = "byte_math",
          .help = "read a number, do arithmetic on it, store the result in a rule variable",
          .setup = setup_byte_math,
          .inspect = inspect_byte_math,
          .is_relative = rel_byte_math,
          .free = byte_math_free },
    };
    kw_byte_test = keyword_register(&defs[0]);
    kw_byte_jump = keyword_register(&defs[1]);
    kw_byte_extract = keyword_register(&defs[2]);
    kw_byte_math = keyword_register(&defs[3]);
    registered = true;
}
