/*
 * absent (Suricata 8): tests that a sticky buffer is missing from the
 * transaction. `http.referer; absent;` matches a request without a Referer
 * header; `absent: or_else;` matches when the buffer is missing *or* when
 * the keywords after it match the buffer that is there (`http.referer;
 * absent: or_else; content:!"x";`). The keyword must come first on its
 * buffer, right after the sticky buffer keyword; plain `absent` takes no
 * other keyword on that buffer.
 *
 * A missing buffer is one the transaction does not provide at all (its
 * getter yields no instance); the transaction inspection (detect-app.c)
 * asks absent_list_matches_missing() in that case. When the buffer is
 * present, plain `absent` fails and `or_else` lets inspection continue.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/kw-hdrkw.h"
#include "detect/rule-parse.h"

typedef struct AbsentCtx {
    bool or_else;
} AbsentCtx;

static uint16_t kw_absent;

bool absent_list_matches_missing(const SigMatchList *l)
{
    return l != NULL && l->count > 0 && l->items[0].kw == kw_absent && kw_absent != 0;
}

static bool absent_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    bool or_else = false;
    if (value != NULL) {
        const char *v = value;
        while (*v == ' ')
            v++;
        size_t n = strlen(v);
        while (n && v[n - 1] == ' ')
            n--;
        if (n == 7 && strncmp(v, "or_else", 7) == 0)
            or_else = true;
        else if (n != 0)
            return rule_error(rp, "absent: unknown option '%s' (only 'or_else')", value);
    }
    if (rp->current_list < SIG_LIST_BUFFER_BASE)
        return rule_error(rp, "absent needs a sticky buffer before it (e.g. 'http.referer; absent;')");
    const SigMatchList *l = sig_list(s, rp->current_list);
    if (l && l->count > 0)
        return rule_error(rp, "absent must come right after its sticky buffer, before any other keyword on it");
    AbsentCtx *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return rule_error(rp, "out of memory");
    c->or_else = or_else;
    if (rule_append(rp, s, rp->current_list, kw_absent, c) == NULL) {
        free(c);
        return rule_error(rp, "out of memory");
    }
    return true;
}

/* The buffer is there: plain absent fails, or_else hands over to what follows. */
static InspectResult absent_inspect(struct DetectThread *dt, InspectCursor *cur, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    cur->retryable = false;
    return ((const AbsentCtx *)ctx)->or_else ? INSPECT_MATCH : INSPECT_NO_MATCH_DISCONTINUE;
}

static uint32_t absent_hash(const void *ctx)
{
    return ((const AbsentCtx *)ctx)->or_else ? 0xab5e1u : 0xab5e0u;
}

static bool absent_equal(const void *a, const void *b)
{
    return ((const AbsentCtx *)a)->or_else == ((const AbsentCtx *)b)->or_else;
}

void hdrkw_register_absent(void)
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = "absent";
    d.help = "match when the sticky buffer is missing; 'absent: or_else;' also when what follows matches it";
    d.flags = KW_OPTIONAL_VALUE;
    d.setup = absent_setup;
    d.inspect = absent_inspect;
    d.free = free;
    d.hash = absent_hash;
    d.equal = absent_equal;
    kw_absent = keyword_register(&d);
}
