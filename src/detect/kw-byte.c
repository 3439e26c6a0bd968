/*
 * The byte family's registration (each keyword has its own file:
 * kw-byte-test.c, kw-byte-jump.c, kw-byte-extract.c, kw-byte-math.c) and
 * the helpers the payload families share: the per-signature
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
            if (sm->kw == byte_extract_keyword_id()) {
                n = ((const ByteExtract *)sm->ctx)->name;
                var = ((const ByteExtract *)sm->ctx)->var;
            } else if (sm->kw == byte_math_keyword_id()) {
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

int byte_var_scope_lookup(void *user, const char *name)
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

bool byte_kw_append(RuleParseCtx *rp, Signature *s, uint16_t kw, bool relative, void *ctx, void (*fr)(void *))
{
    uint16_t list = payload_kw_list(rp, s, relative, NULL);
    if (!rule_append(rp, s, list, kw, ctx)) {
        fr(ctx);
        return false;
    }
    return true;
}

bool byte_var_new_ok(RuleParseCtx *rp, Signature *s, const char *kw, const char *name, int *idx)
{
    if (byte_var_index(s, name) >= 0)
        return rule_error(rp, "%s: variable \"%s\" is already defined in this rule", kw, name);
    *idx = byte_var_count(s);
    if (*idx >= INSPECT_MAX_VARS)
        return rule_error(rp, "%s: too many byte_extract/byte_math variables in one rule (max %d)", kw,
                          INSPECT_MAX_VARS);
    return true;
}

void keywords_register_byte(void)
{
    byte_register_test();
    byte_register_jump();
    byte_register_extract();
    byte_register_math();
    registered = true;
}
