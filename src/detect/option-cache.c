/*
 * Interning of packet options and the per-thread verdict stamps (see
 * option-cache.h for why and how).
 *
 * Interning runs once per engine build, over the cacheable options
 * collected in one pass over the rules: an open-addressing table keyed by
 * (keyword id, the keyword's hash of its parsed options) holds the first
 * SigMatch of each distinct option; a later option with the same keyword
 * and hash whose keyword `equal` says it is the same gets that option's
 * provisional id. A second pass keeps the ids of options that more than one
 * rule has, renumbered densely, and sets the others to 0. Options whose
 * keyword does not declare KW_PACKET_OPTION, or lacks
 * hash/equal/match_packet, keep id 0 and are evaluated every time.
 */
#include "detect/option-cache.h"

#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"

static bool cacheable(const KeywordDef *d)
{
    return d && (d->flags & KW_PACKET_OPTION) && d->match_packet && d->hash && d->equal;
}

static uint32_t slot_hash(uint16_t kw, uint32_t h)
{
    return (h ^ ((uint32_t)kw * 2654435761u)) * 2246822519u;
}

/* The cacheable SIG_LIST_MATCH options of sigs[0..n) (every option's id
 * reset to 0 on the way) into a new array; *count of them. NULL with
 * *count 0 when there are none or out of memory (*oom). */
static SigMatch **collect(Signature **sigs, uint32_t n, uint32_t *count, bool *oom)
{
    SigMatch **opts = NULL;
    uint32_t used = 0, cap = 0;
    *oom = false;
    for (uint32_t i = 0; i < n; i++) {
        SigMatchList *l = (SigMatchList *)sig_list(sigs[i], SIG_LIST_MATCH);
        for (uint16_t j = 0; l && j < l->count; j++) {
            SigMatch *sm = &l->items[j];
            sm->opt_id = 0;
            if (*oom || !cacheable(keyword_get(sm->kw)))
                continue;
            if (used == cap) {
                uint32_t ncap = cap ? cap * 2 : 1024;
                SigMatch **grown = realloc(opts, ncap * sizeof(*grown));
                if (!grown) {
                    *oom = true;
                    continue;
                }
                opts = grown;
                cap = ncap;
            }
            opts[used++] = sm;
        }
    }
    if (*oom) {
        free(opts);
        opts = NULL;
        used = 0;
    }
    *count = used;
    return opts;
}

/* Gives opts[0..count) provisional ids 1..distinct by (keyword, hash,
 * equal); false when out of memory. */
static bool intern(SigMatch **opts, uint32_t count, uint32_t *distinct)
{
    uint32_t cap = 16;
    while (cap < 2 * count)
        cap *= 2;
    /* slot: 1 + index into opts of the first option with that identity */
    uint32_t *slots = calloc(cap, sizeof(*slots)), *hashes = malloc(count * sizeof(*hashes));
    if (!slots || !hashes) {
        free(slots);
        free(hashes);
        return false;
    }
    uint32_t ids = 0;
    for (uint32_t i = 0; i < count; i++) {
        SigMatch *sm = opts[i];
        const KeywordDef *d = keyword_get(sm->kw);
        const uint32_t h = slot_hash(sm->kw, d->hash(sm->ctx));
        hashes[i] = h;
        for (uint32_t k = h & (cap - 1);; k = (k + 1) & (cap - 1)) {
            if (slots[k] == 0) {
                slots[k] = i + 1;
                sm->opt_id = ++ids;
                break;
            }
            const SigMatch *first = opts[slots[k] - 1];
            if (hashes[slots[k] - 1] == h && first->kw == sm->kw && d->equal(first->ctx, sm->ctx)) {
                sm->opt_id = first->opt_id;
                break;
            }
        }
    }
    free(slots);
    free(hashes);
    *distinct = ids;
    return true;
}

bool option_cache_assign(Signature **sigs, uint32_t n, OptionCacheStats *stats)
{
    OptionCacheStats st = { 0, 0, 0, 0 };
    bool oom;
    uint32_t count;
    SigMatch **opts = collect(sigs, n, &count, &oom);
    st.instances = count;
    uint32_t *uses = NULL;
    if (count && (!intern(opts, count, &st.distinct) || !(uses = calloc((size_t)st.distinct + 1, sizeof(*uses)))))
        oom = true;
    if (!oom) {
        /* keep the ids of options two or more rules share, renumbered */
        for (uint32_t i = 0; i < count; i++)
            uses[opts[i]->opt_id]++;
        for (uint32_t id = 1; id <= st.distinct; id++) {
            if (uses[id] >= 2) {
                st.shared_instances += uses[id];
                uses[id] = ++st.ids;
            } else {
                uses[id] = 0;
            }
        }
    }
    for (uint32_t i = 0; i < count; i++)
        opts[i]->opt_id = oom ? 0 : uses[opts[i]->opt_id];
    free(uses);
    free(opts);
    if (stats)
        *stats = st;
    return !oom;
}

bool option_cache_thread_init(OptionCacheThread *t, uint32_t ids)
{
    memset(t, 0, sizeof(*t));
    t->epoch = 1;
    if (ids == 0)
        return true;
    t->stamps = calloc((size_t)ids + 1, sizeof(*t->stamps));
    if (!t->stamps)
        return false;
    t->size = ids + 1;
    return true;
}

void option_cache_thread_free(OptionCacheThread *t)
{
    free(t->stamps);
    memset(t, 0, sizeof(*t));
}
