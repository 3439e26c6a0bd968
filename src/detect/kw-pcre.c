/*
 * The pcre keyword's descriptor and setup: parses the value (pcre-match.c),
 * then puts the keyword on the right list -- the buffer named by a legacy
 * modifier letter (/U -> http.uri, ...) by running that buffer's sticky
 * keyword (under a sticky buffer only when the letter names that same
 * buffer, as Suricata 8 requires), else the current sticky buffer, else
 * (for /R) the list of the previous pattern match, else the payload.
 * At inspection, the groups a pcre captures into alert, flow or packet
 * variables are kept in the detection thread for the signature's alert
 * record (alert.context, metadata.flowvars / metadata.pktvars).
 */
#include <stdio.h>
#include <string.h>

#include "detect/buffer-registry.h"
#include "detect/detect-engine.h" /* pcre captures: the thread keeps them */
#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/pcre-match.h"
#include "detect/rule-parse.h"

static uint16_t kw_pcre;

/* Suricata puts http.response_body on file.data's list, so /Q under
 * http.response_body names the buffer already active. */
static bool same_buffer_in_suricata(uint16_t sticky_list, uint16_t flag_list)
{
    const BufferDef *a = buffer_by_list(sticky_list), *b = buffer_by_list(flag_list);
    return a && b && a->proto == b->proto && strcmp(a->name, "http.response_body") == 0 &&
           strcmp(b->name, "file.data") == 0;
}

static bool setup_pcre(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[512] = "";
    DetectPcre *pd = pcre_parse(value, err, sizeof(err));
    if (!pd)
        return rule_error(rp, "%s", err);
    uint16_t list;
    if (pd->buffer) {
        int bk = keyword_lookup(pd->buffer);
        const KeywordDef *def = bk >= 0 ? keyword_get((uint16_t)bk) : NULL;
        if (!def || !(def->flags & KW_STICKY_BUFFER) || !def->setup) {
            pcre_free(pd);
            return rule_error(rp, "pcre: the /%c modifier needs buffer %s, which is not supported",
                              pd->buffer_flag, pd->buffer);
        }
        uint16_t saved = rp->current_list;
        const BufferDef *active = saved != SIG_LIST_PMATCH ? buffer_by_list(saved) : NULL;
        if (active && strcmp(active->name, pd->buffer) == 0) {
            list = saved; /* the letter names the active buffer: stay on its instance */
        } else {
            if (!def->setup(rp, s, NULL)) {
                pcre_free(pd);
                return false;
            }
            list = rp->current_list;
            rp->current_list = saved;
        }
        /* Suricata 8 accepts a modifier letter under a sticky buffer only
         * when it names that same buffer (http.uri; pcre:"/x/U";) */
        if (saved != SIG_LIST_PMATCH && saved != list && !same_buffer_in_suricata(saved, list)) {
            rule_error(rp,
                       "pcre: the /%c modifier selects %s, but a different sticky buffer is still active "
                       "(reset it with pkt_data or use the %s buffer)",
                       pd->buffer_flag, pd->buffer, pd->buffer);
            pcre_free(pd);
            return false;
        }
        if (saved != SIG_LIST_PMATCH)
            list = saved;
    } else {
        list = payload_kw_list(rp, s, pd->relative, NULL);
    }
    if (!rule_append(rp, s, list, kw_pcre, pd)) {
        pcre_free(pd);
        return false;
    }
    return true;
}

/* pcre captures: the groups of a match that go to variables are kept for
 * the signature's alert (the latest match of each variable wins). */
#define CAPTURE_PAIRS 32
static void keep_captures(DetectThread *dt, const Signature *s, const DetectPcre *pd, const InspectCursor *cur,
                          const uint32_t *ov)
{
    for (uint8_t i = 0; i < pd->capture_count; i++) {
        const PcreCapture *c = &pd->captures[i];
        if (c->group >= CAPTURE_PAIRS || ov[2 * c->group] == UINT32_MAX || ov[2 * c->group + 1] < ov[2 * c->group] ||
            ov[2 * c->group + 1] > cur->len)
            continue;
        DetectCapture *slot = NULL;
        for (uint32_t k = 0; k < dt->capture_count && !slot; k++)
            if (dt->captures[k].s == s && dt->captures[k].kind == c->kind && strcmp(dt->captures[k].name, c->name) == 0)
                slot = &dt->captures[k];
        if (!slot) {
            if (dt->capture_count >= DETECT_CAPTURES_MAX)
                continue;
            slot = &dt->captures[dt->capture_count++];
        }
        uint32_t n = ov[2 * c->group + 1] - ov[2 * c->group];
        if (n > DETECT_CAPTURE_VALUE_MAX)
            n = DETECT_CAPTURE_VALUE_MAX;
        slot->s = s;
        slot->kind = c->kind;
        slot->name = c->name;
        slot->len = (uint16_t)n;
        memcpy(slot->value, cur->buf + ov[2 * c->group], n);
    }
}

static InspectResult inspect_pcre(struct DetectThread *dt, InspectCursor *cur, const Signature *s, const void *ctx)
{
    const DetectPcre *pd = ctx;
    if (pd->capture_count == 0 || pd->negate || !dt)
        return pcre_inspect(pd, cur, NULL, 0);
    uint32_t ov[2 * CAPTURE_PAIRS];
    InspectResult r = pcre_inspect(pd, cur, ov, CAPTURE_PAIRS);
    if (r == INSPECT_MATCH)
        keep_captures(dt, s, pd, cur, ov);
    return r;
}

static bool rel_pcre(const void *ctx) { return ((const DetectPcre *)ctx)->relative; }

static uint32_t hash_pcre(const void *ctx)
{
    const DetectPcre *pd = ctx;
    uint32_t h = 2166136261u;
    for (const char *p = pd->pattern; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    for (const char *p = pd->flags; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    return h ^ (pd->negate ? 0x9e3779b9u : 0);
}

static bool equal_pcre(const void *a, const void *b)
{
    const DetectPcre *x = a, *y = b;
    return x->negate == y->negate && strcmp(x->pattern, y->pattern) == 0 && strcmp(x->flags, y->flags) == 0 &&
           x->capture_count == 0 && y->capture_count == 0;
}

void keywords_register_pcre(void)
{
    static const KeywordDef def = {
        .name = "pcre",
        .help = "match a Perl-compatible regular expression: pcre:\"/regex/flags\"",
        .setup = setup_pcre,
        .inspect = inspect_pcre,
        .is_relative = rel_pcre,
        .free = pcre_free,
        .hash = hash_pcre,
        .equal = equal_pcre,
    };
    kw_pcre = keyword_register(&def);
}
