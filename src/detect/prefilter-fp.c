/*
 * Fast pattern selection (see prefilter.h), after Suricata 8's rules for the
 * payload list: an explicit fast_pattern wins; otherwise negated contents
 * are ignored and, among the others, the longest content is chosen, a tie
 * going to the higher pattern strength (byte diversity: 3 for a new letter,
 * 4 for a new printable byte or 0x00/0x01/0xff, 6 for any other new byte, 1
 * for a repeated byte), then to the first in the rule. Length and strength
 * are those of the whole content; a fast_pattern:offset,length chop only
 * changes the bytes given to the matcher (content_fast_pattern). Suricata
 * falls back to a negated content when a rule has nothing else, but such a
 * pattern cannot exclude the rule (its absence is what matches), so here a
 * negated choice means "no usable pattern": the rule is always a candidate.
 * Packet header buffers, base64_data (decoded during inspection) and
 * buffers under `absent` (hdrkw) give no fast pattern: the first two are not
 * scanned by a matcher, the last may match when missing.
 */
#include <ctype.h>
#include <string.h>

#include "detect/prefilter.h"
#include "detect/buffer-registry.h" /* hdrkw: packet buffers */
#include "detect/kw-hdrkw.h" /* hdrkw: absent */
#include "detect/kw-payload.h" /* base64_data: not scanned by a matcher */

uint32_t prefilter_pattern_strength(const uint8_t *pat, uint32_t len)
{
    uint8_t seen[256];
    memset(seen, 0, sizeof(seen));
    uint32_t score = 0;
    for (uint32_t i = 0; i < len; i++) {
        uint8_t c = pat[i];
        if (seen[c]) {
            score++;
            continue;
        }
        seen[c] = 1;
        if (isalpha(c))
            score += 3;
        else if (isprint(c) || c == 0x00 || c == 0x01 || c == 0xff)
            score += 4;
        else
            score += 6;
    }
    return score;
}

/* Does content cd beat the best so far (longest, then strongest; a tie
 * keeps the earlier one)? Updates *best_strength when it does. */
static bool beats(const DetectContent *cd, const SigMatch *best, uint32_t *best_strength)
{
    const DetectContent *b = best ? best->ctx : NULL;
    if (b && cd->len < b->len)
        return false;
    uint32_t strength = prefilter_pattern_strength(cd->data, cd->len);
    if (b && cd->len == b->len && strength <= *best_strength)
        return false;
    *best_strength = strength;
    return true;
}

const DetectContent *prefilter_choose_fast_pattern(Signature *s)
{
    s->fast_pattern = NULL;
    s->fast_pattern_list = SIG_LIST_PMATCH;
    const SigMatchList *l = sig_list(s, SIG_LIST_PMATCH);
    if (!l)
        return NULL;
    const uint16_t kw = content_keyword_id();
    const SigMatch *best = NULL;
    uint32_t best_strength = 0;
    for (uint16_t i = 0; i < l->count; i++) {
        const SigMatch *sm = &l->items[i];
        if (sm->kw != kw)
            continue;
        const DetectContent *cd = sm->ctx;
        if (cd->flags & CONTENT_FAST_PATTERN) {
            if (cd->flags & CONTENT_NEGATED)
                return NULL;
            s->fast_pattern = sm;
            return cd;
        }
        if (!(cd->flags & CONTENT_NEGATED) && beats(cd, best, &best_strength))
            best = sm;
    }
    /* a later explicit fast_pattern was handled above; none was found */
    s->fast_pattern = best;
    return best ? best->ctx : NULL;
}

/* Is sm a content usable as a fast pattern; *explicit when marked. */
static bool usable_content(const SigMatch *sm, uint16_t kw, bool *explicit_fp)
{
    if (sm->kw != kw)
        return false;
    const DetectContent *cd = sm->ctx;
    *explicit_fp = (cd->flags & CONTENT_FAST_PATTERN) != 0;
    return !(cd->flags & CONTENT_NEGATED);
}

const DetectContent *prefilter_choose_app_fast_pattern(Signature *s)
{
    const uint16_t kw = content_keyword_id();
    /* an explicit fast_pattern, on whichever list, wins */
    for (uint16_t li = 0; li < s->list_count; li++) {
        const SigMatchList *l = &s->lists[li];
        if ((l->list_id != SIG_LIST_PMATCH && l->list_id < SIG_LIST_BUFFER_BASE) ||
            l->list_id == SIG_LIST_BASE64_DATA || buffer_is_packet_list(l->list_id) ||
            absent_list_matches_missing(l)) /* hdrkw: packet buffers, absent */
            continue;
        for (uint16_t i = 0; i < l->count; i++) {
            bool explicit_fp = false;
            bool usable = usable_content(&l->items[i], kw, &explicit_fp);
            if (!explicit_fp)
                continue;
            if (l->list_id == SIG_LIST_PMATCH || !usable)
                return prefilter_choose_fast_pattern(s);
            s->fast_pattern = &l->items[i];
            s->fast_pattern_list = l->list_id;
            return s->fast_pattern->ctx;
        }
    }
    const SigMatch *best = NULL;
    uint16_t best_list = 0;
    uint32_t best_strength = 0;
    for (uint16_t li = 0; li < s->list_count; li++) {
        const SigMatchList *l = &s->lists[li];
        if (l->list_id < SIG_LIST_BUFFER_BASE || l->list_id == SIG_LIST_BASE64_DATA ||
            buffer_is_packet_list(l->list_id) || absent_list_matches_missing(l)) /* hdrkw: a missing buffer can match */
            continue;
        for (uint16_t i = 0; i < l->count; i++) {
            bool explicit_fp;
            if (!usable_content(&l->items[i], kw, &explicit_fp))
                continue;
            if (beats(l->items[i].ctx, best, &best_strength)) {
                best = &l->items[i];
                best_list = l->list_id;
            }
        }
    }
    if (!best)
        return prefilter_choose_fast_pattern(s);
    s->fast_pattern = best;
    s->fast_pattern_list = best_list;
    return best->ctx;
}
