/*
 * The payload family's keyword descriptors: isdataat, bsize, dsize,
 * base64_decode, base64_data and prefilter, with their setups (which list
 * each goes to, Suricata's rule-level errors) and the post-parse dsize/bsize
 * checks. base64_decode inspects the base64_data list itself, on the bytes it
 * just decoded, the way Suricata runs that list from inside the content
 * inspection; prefilter records which keyword it marks in a side list
 * (SIG_LIST_PREFILTER) holding no evaluable keyword.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/content.h"
#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/payload-ops.h"
#include "detect/pcre-match.h"
#include "detect/rule-parse.h"

/* Side list holding the prefilter mark (never inspected). */
#define SIG_LIST_PREFILTER ((uint16_t)0xFFF1)

typedef struct PrefilterMark {
    uint16_t list;
    uint16_t index;
} PrefilterMark;

static uint16_t kw_isdataat, kw_bsize, kw_dsize, kw_b64_decode, kw_b64_data, kw_prefilter;

typedef struct IsdataatScope {
    const RuleParseCtx *rp;
    const Signature *s;
} IsdataatScope;

static int lookup_cb(void *user, const char *name)
{
    const IsdataatScope *sc = user;
    return byte_var_index_for(sc->rp, sc->s, name);
}

/* ---- isdataat ---- */

static bool setup_isdataat(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256] = "";
    IsdataatScope scope = { rp, s };
    DetectIsdataat *id = isdataat_parse(value, lookup_cb, &scope, err, sizeof(err));
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

/* ---- bsize ---- */

static bool setup_bsize(RuleParseCtx *rp, Signature *s, const char *value)
{
    if (rp->current_list == SIG_LIST_PMATCH)
        return rule_error(rp, "bsize needs a sticky buffer before it (e.g. 'http.uri; bsize:<100;')");
    char err[256] = "";
    DetectUint *u = bsize_parse(value, err, sizeof(err));
    if (!u)
        return rule_error(rp, "%s", err);
    if (!rule_append(rp, s, rp->current_list, kw_bsize, u)) {
        free(u);
        return false;
    }
    return true;
}

static InspectResult inspect_bsize(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                   const void *ctx)
{
    cur->retryable = false;
    return detect_uint_match(ctx, cur->len) ? INSPECT_MATCH : INSPECT_NO_MATCH_DISCONTINUE;
}

/* ---- dsize ---- */

static bool setup_dsize(RuleParseCtx *rp, Signature *s, const char *value)
{
    const SigMatchList *l = sig_list(s, SIG_LIST_MATCH);
    for (uint16_t i = 0; l && i < l->count; i++)
        if (l->items[i].kw == kw_dsize)
            return rule_error(rp, "Can't use 2 or more dsizes in the same sig");
    char err[256] = "";
    DetectUint *u = dsize_parse(value, err, sizeof(err));
    if (!u)
        return rule_error(rp, "%s", err);
    if (!rule_append(rp, s, SIG_LIST_MATCH, kw_dsize, u)) {
        free(u);
        return false;
    }
    return true;
}

/* Suricata gives a rule whose dsize is !N, >N, >=N or N<>M the "requires a
 * payload" mask, so such a dsize never matches an empty packet even when the
 * value test alone would (dsize:!9 on a bare ACK). */
static bool dsize_requires_payload(const DetectUint *u)
{
    return u->mode == DETECT_UINT_NE || u->mode == DETECT_UINT_GT || u->mode == DETECT_UINT_GTE ||
           u->mode == DETECT_UINT_RANGE;
}

static bool match_dsize(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    if (p->payload_len == 0 && dsize_requires_payload(ctx))
        return false;
    return detect_uint_match(ctx, p->payload_len);
}

/* ---- base64_decode / base64_data ---- */

static bool setup_base64_decode(RuleParseCtx *rp, Signature *s, const char *value)
{
    if (rp->current_list == SIG_LIST_BASE64_DATA)
        return rule_error(rp, "base64_decode cannot be used after base64_data");
    char err[256] = "";
    DetectBase64Decode *bd = base64_decode_parse(value, err, sizeof(err));
    if (!bd)
        return rule_error(rp, "%s", err);
    uint16_t list = payload_kw_list(rp, s, bd->relative, NULL);
    if (!rule_append(rp, s, list, kw_b64_decode, bd)) {
        free(bd);
        return false;
    }
    return true;
}

static InspectResult inspect_base64_decode(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                           const void *ctx)
{
    InspectResult r = base64_decode_eval(ctx, cur);
    if (r != INSPECT_MATCH)
        return r;
    const SigMatchList *l = sig_list(s, SIG_LIST_BASE64_DATA);
    if (!l || l->count == 0)
        return INSPECT_MATCH;
    uint32_t len;
    const uint8_t *data = base64_decoded(&len);
    return inspect_buffer(dt, s, l, data, len, INSPECT_BUF_APP, cur->p) ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

static bool rel_base64_decode(const void *ctx) { return ((const DetectBase64Decode *)ctx)->relative; }

static bool setup_base64_data(RuleParseCtx *rp, Signature *s, const char *value)
{
    uint16_t k = kw_b64_decode;
    if (!rule_last_of(rp, s, &k, 1, NULL))
        return rule_error(rp, "base64_data must come after a base64_decode");
    rp->current_list = SIG_LIST_BASE64_DATA;
    return true;
}

/* ---- prefilter ---- */

static bool setup_prefilter(RuleParseCtx *rp, Signature *s, const char *value)
{
    if (sig_list(s, SIG_LIST_PREFILTER))
        return rule_error(rp, "prefilter already set for this rule");
    PrefilterMark *m = calloc(1, sizeof(*m));
    if (!m)
        return rule_error(rp, "out of memory");
    const SigMatchList *ml = sig_list(s, SIG_LIST_MATCH);
    if (ml && ml->count) {
        m->list = SIG_LIST_MATCH;
        m->index = (uint16_t)(ml->count - 1);
    } else if (rp->last_sm) {
        if (rp->last_sm->kw == content_keyword_id()) {
            free(m);
            return rule_error(rp, "prefilter cannot be used on a content keyword: use fast_pattern instead");
        }
        const SigMatchList *bl = sig_list(s, rp->last_sm_list);
        m->list = rp->last_sm_list;
        m->index = bl ? (uint16_t)(rp->last_sm - bl->items) : 0;
    } else {
        free(m);
        return rule_error(rp, "prefilter needs a keyword before it to mark (e.g. 'ttl:1; prefilter;')");
    }
    SigMatchList *pl = sig_list_get_or_add(s, SIG_LIST_PREFILTER);
    if (!pl) {
        free(m);
        return rule_error(rp, "out of memory");
    }
    /* a side list: appended directly so that it never becomes rp->last_sm */
    SigMatch *items = realloc(pl->items, sizeof(SigMatch));
    if (!items) {
        free(m);
        return rule_error(rp, "out of memory");
    }
    pl->items = items;
    pl->items[0].kw = kw_prefilter;
    pl->items[0].ctx = m;
    pl->count = pl->cap = 1;
    return true;
}

const SigMatch *payload_sig_prefilter(const Signature *s, uint16_t *list_out)
{
    const SigMatchList *pl = sig_list(s, SIG_LIST_PREFILTER);
    if (!pl || !pl->count)
        return NULL;
    const PrefilterMark *m = pl->items[0].ctx;
    const SigMatchList *l = sig_list(s, m->list);
    if (!l || m->index >= l->count)
        return NULL;
    if (list_out)
        *list_out = m->list;
    return &l->items[m->index];
}

/* ---- post-parse checks ---- */

/* The smallest buffer length the list's contents need: chains of relative
 * contents add up, each absolute content starts a new chain. With
 * `count_offset`, an absolute content's offset counts too (dsize); for bsize
 * only when a depth bounds it. */
static uint64_t required_len(const SigMatchList *l, bool count_offset)
{
    uint64_t best = 0, chain = 0;
    uint16_t ck = content_keyword_id();
    for (uint16_t i = 0; l && i < l->count; i++) {
        if (l->items[i].kw != ck)
            continue;
        const DetectContent *cd = l->items[i].ctx;
        if (cd->flags & CONTENT_NEGATED)
            continue;
        if (cd->flags & (CONTENT_DISTANCE | CONTENT_WITHIN)) {
            chain += (cd->distance > 0 ? (uint64_t)cd->distance : 0) + cd->len;
        } else {
            bool off = (cd->flags & CONTENT_OFFSET) && (count_offset || (cd->flags & CONTENT_DEPTH));
            chain = (off ? cd->offset : 0) + (uint64_t)cd->len;
        }
        if (chain > best)
            best = chain;
    }
    return best;
}

bool payload_validate_signature(RuleParseCtx *rp, Signature *s)
{
    const SigMatchList *ml = sig_list(s, SIG_LIST_MATCH);
    for (uint16_t i = 0; ml && i < ml->count; i++) {
        if (ml->items[i].kw != kw_dsize)
            continue;
        uint64_t max, need = required_len(sig_list(s, SIG_LIST_PMATCH), true);
        if (payload_uint_max(ml->items[i].ctx, &max) && need > max)
            return rule_error(rp, "signature can't match as required content length %llu exceeds dsize value %llu",
                              (unsigned long long)need, (unsigned long long)max);
    }
    for (uint16_t li = 0; li < s->list_count; li++) {
        const SigMatchList *l = &s->lists[li];
        for (uint16_t i = 0; i < l->count; i++) {
            if (l->items[i].kw != kw_bsize)
                continue;
            const DetectUint *u = l->items[i].ctx;
            uint64_t max, need = required_len(l, false);
            if (!payload_uint_max(u, &max) || need <= max)
                continue;
            if (u->mode == DETECT_UINT_RANGE)
                return rule_error(rp, "signature can't match as required content length %llu exceeds bsize range: "
                                      "%llu-%llu", (unsigned long long)need, (unsigned long long)u->arg1,
                                  (unsigned long long)u->arg2);
            return rule_error(rp, "signature can't match as required content length %llu exceeds bsize value: %llu",
                              (unsigned long long)need, (unsigned long long)max);
        }
    }
    return true;
}

bool payload_inspects_packets_too(const Signature *s)
{
    const SigMatchList *pl = sig_list(s, SIG_LIST_PMATCH);
    if (!pl || pl->count == 0)
        return false;
    const uint16_t ck = content_keyword_id();
    for (uint16_t i = 0; i < pl->count; i++) {
        if (pl->items[i].kw != ck)
            continue;
        const DetectContent *cd = pl->items[i].ctx;
        if (cd->flags & (CONTENT_DEPTH | CONTENT_OFFSET | CONTENT_DEPTH_VAR | CONTENT_OFFSET_VAR))
            return true;
    }
    /* stream_size: packets are inspected too (Suricata's detect-parse) */
    const int kw_stream_size = keyword_lookup("stream_size");
    const SigMatchList *ml = sig_list(s, SIG_LIST_MATCH);
    for (uint16_t i = 0; ml && i < ml->count; i++)
        if ((int)ml->items[i].kw == kw_stream_size)
            return true;
    return false;
}

bool payload_requires_packet(const Signature *s)
{
    const int kw_flags = keyword_lookup("flags");
    const SigMatchList *ml = sig_list(s, SIG_LIST_MATCH);
    for (uint16_t i = 0; ml && i < ml->count; i++)
        if (ml->items[i].kw == kw_dsize || (int)ml->items[i].kw == kw_flags)
            return true;
    return false;
}

void payload_keywords_thread_cleanup(void)
{
    pcre_thread_cleanup();
    payload_thread_cleanup();
}

void keywords_register_payload(void)
{
    static const KeywordDef defs[] = {
        { .name = "isdataat",
          .help = "check that the buffer has data at a position: isdataat:[!]<n>[,relative]",
          .setup = setup_isdataat,
          .inspect = inspect_isdataat,
          .is_relative = rel_isdataat,
          .free = free },
        { .name = "bsize",
          .help = "match on the length of the sticky buffer: bsize:<n>, <n, >n, n<>m",
          .setup = setup_bsize,
          .inspect = inspect_bsize,
          .free = free },
        { .name = "dsize",
          .help = "match on the packet payload size: dsize:<n>, <n, >n, n<>m",
          .flags = KW_PACKET_OPTION,
          .setup = setup_dsize,
          .match_packet = match_dsize,
          .free = free,
          .hash = detect_uint_hash,
          .equal = detect_uint_equal },
        { .name = "base64_decode",
          .help = "decode base64 data of the buffer: base64_decode[:bytes <n>][, offset <n>][, relative]",
          .flags = KW_OPTIONAL_VALUE,
          .setup = setup_base64_decode,
          .inspect = inspect_base64_decode,
          .is_relative = rel_base64_decode,
          .free = free },
        { .name = "base64_data",
          .help = "inspect the data decoded by base64_decode",
          .flags = KW_NOOPT | KW_STICKY_BUFFER,
          .setup = setup_base64_data },
        { .name = "prefilter",
          .help = "use the previous keyword for prefiltering",
          .flags = KW_NOOPT,
          .setup = setup_prefilter,
          .free = free },
    };
    kw_isdataat = keyword_register(&defs[0]);
    kw_bsize = keyword_register(&defs[1]);
    kw_dsize = keyword_register(&defs[2]);
    kw_b64_decode = keyword_register(&defs[3]);
    kw_b64_data = keyword_register(&defs[4]);
    kw_prefilter = keyword_register(&defs[5]);
    (void)kw_b64_data;
}
