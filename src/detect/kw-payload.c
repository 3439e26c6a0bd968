/*
 * The payload family: its registration (each keyword has its own file:
 * kw-isdataat.c, kw-bsize.c, kw-dsize.c, kw-base64-decode.c,
 * kw-base64-data.c, kw-prefilter-keyword.c) and the rule-level checks that
 * look at several of its keywords at once: the post-parse dsize/bsize
 * checks (contents that cannot fit), whether a rule's payload part is
 * inspected on packets as well as the stream, and the per-thread cleanup.
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
        if (ml->items[i].kw != dsize_keyword_id())
            continue;
        uint64_t max, need = required_len(sig_list(s, SIG_LIST_PMATCH), true);
        if (payload_uint_max(ml->items[i].ctx, &max) && need > max)
            return rule_error(rp, "signature can't match as required content length %llu exceeds dsize value %llu",
                              (unsigned long long)need, (unsigned long long)max);
    }
    for (uint16_t li = 0; li < s->list_count; li++) {
        const SigMatchList *l = &s->lists[li];
        for (uint16_t i = 0; i < l->count; i++) {
            if (l->items[i].kw != bsize_keyword_id())
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
        if (ml->items[i].kw == dsize_keyword_id() || (int)ml->items[i].kw == kw_flags)
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
    payload_register_isdataat();
    payload_register_bsize();
    payload_register_dsize();
    payload_register_base64_decode();
    payload_register_base64_data();
    payload_register_prefilter();
}
