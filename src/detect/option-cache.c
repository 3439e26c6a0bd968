/*
 * Interning of packet options and the per-thread verdict stamps (see
 * option-cache.h for why and how).
 *
 * Interning runs once per engine build: an open-addressing table keyed by
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

typedef struct InternSlot {
    const SigMatch *first; /* NULL: empty */
    uint32_t hash;
} InternSlot;

static bool cacheable(const KeywordDef *d)
{
    return d && (d->flags & KW_PACKET_OPTION) && d->match_packet && d->hash && d->equal;
}

static uint32_t slot_hash(uint16_t kw, uint32_t h)
{
    return (h ^ ((uint32_t)kw * 2654435761u)) * 2246822519u;
}

/* Runs `stmt` with `sm` on every SIG_LIST_MATCH option with an id. */
#define for_each_cached(sigs, n, sm, stmt)                                                         \
    for (uint32_t s_ = 0; s_ < (n); s_++) {                                                       \
        SigMatchList *l_ = (SigMatchList *)sig_list((sigs)[s_], SIG_LIST_MATCH);                  \
        for (uint16_t j_ = 0; l_ && j_ < l_->count; j_++) {                                       \
            SigMatch *sm = &l_->items[j_];                                                        \
            if (sm->opt_id)                                                                       \
                stmt;                                                                             \
        }                                                                                         \
    }

static void clear_ids(Signature **sigs, uint32_t n)
{
    for_each_cached(sigs, n, sm, sm->opt_id = 0);
}

bool option_cache_assign(Signature **sigs, uint32_t n, OptionCacheStats *stats)
{
    OptionCacheStats st = { 0, 0, 0, 0 };
    uint32_t instances = 0;
    for (uint32_t i = 0; i < n; i++) {
        SigMatchList *l = (SigMatchList *)sig_list(sigs[i], SIG_LIST_MATCH);
        for (uint16_t j = 0; l && j < l->count; j++) {
            l->items[j].opt_id = 0;
            if (cacheable(keyword_get(l->items[j].kw)))
                instances++;
        }
    }
    uint32_t cap = 16;
    while (cap < 2 * instances)
        cap *= 2;
    InternSlot *slots = instances ? calloc(cap, sizeof(*slots)) : NULL;
    if (instances && !slots) {
        if (stats)
            *stats = st;
        return false;
    }
    for (uint32_t i = 0; i < n && instances; i++) {
        SigMatchList *l = (SigMatchList *)sig_list(sigs[i], SIG_LIST_MATCH);
        for (uint16_t j = 0; l && j < l->count; j++) {
            SigMatch *sm = &l->items[j];
            const KeywordDef *d = keyword_get(sm->kw);
            if (!cacheable(d))
                continue;
            st.instances++;
            const uint32_t h = slot_hash(sm->kw, d->hash(sm->ctx));
            uint32_t k = h & (cap - 1);
            for (;; k = (k + 1) & (cap - 1)) {
                const SigMatch *f = slots[k].first;
                if (!f) {
                    slots[k].first = sm;
                    slots[k].hash = h;
                    sm->opt_id = ++st.distinct;
                    break;
                }
                if (slots[k].hash == h && f->kw == sm->kw && d->equal(f->ctx, sm->ctx)) {
                    sm->opt_id = f->opt_id;
                    break;
                }
            }
        }
    }
    free(slots);
    /* keep the shared ones: count[provisional id] instances, then new ids */
    uint32_t *count = st.distinct ? calloc((size_t)st.distinct + 1, sizeof(*count)) : NULL;
    if (st.distinct && !count) {
        clear_ids(sigs, n);
        if (stats)
            *stats = (OptionCacheStats){ st.instances, st.distinct, 0, 0 };
        return false;
    }
    for_each_cached(sigs, n, sm, count[sm->opt_id]++);
    for (uint32_t id = 1; id <= st.distinct; id++) {
        if (count[id] >= 2) {
            st.shared_instances += count[id];
            count[id] = ++st.ids;
        } else {
            count[id] = 0;
        }
    }
    for_each_cached(sigs, n, sm, sm->opt_id = count[sm->opt_id]);
    free(count);
    if (stats)
        *stats = st;
    return true;
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
