/*
 * Packet options evaluated once per packet (option-cache.c).
 *
 * Many rules repeat the same packet-level option: ET Open has thousands of
 * `flow:established,to_server`, and `dsize:0`, `flags:S` or `ttl:64` recur.
 * Their verdict depends only on the packet and its flow at that moment, so
 * the second rule with the same option can reuse the first one's answer.
 *
 * At engine build every SIG_LIST_MATCH option of a keyword flagged
 * KW_PACKET_OPTION (keyword.h) is interned by (keyword, hash, equal); the
 * options two or more rules share get a dense id >= 1, stored in their
 * SigMatch.opt_id (0: not cached). At run time
 * each detection thread keeps one stamp per id: the packet's epoch shifted
 * left once, plus the verdict in bit 0. A stamp whose epoch is the current
 * packet's is a valid cached verdict; starting a packet is one increment,
 * with no clearing (the array is cleared once every 2^31 packets, when the
 * epoch wraps).
 */
#ifndef ODLAR_DETECT_OPTION_CACHE_H
#define ODLAR_DETECT_OPTION_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/signature.h"

/* What interning found, for the -v summary and tests. */
typedef struct OptionCacheStats {
    uint32_t instances; /* cacheable option instances in the rules */
    uint32_t distinct; /* distinct options among them */
    uint32_t ids; /* distinct options that two or more rules share: the cached ones */
    uint32_t shared_instances; /* instances of those */
} OptionCacheStats;

/* Gives every cacheable packet option of sigs[0..n) that another rule
 * repeats its id (and every other SIG_LIST_MATCH option 0: an option only
 * one rule has is evaluated at most once per packet anyway, and caching it
 * would only add the stamp's cost). Returns false when out of memory (then
 * no option is cached: all ids are 0). */
bool option_cache_assign(Signature **sigs, uint32_t n, OptionCacheStats *stats);

/* A detection thread's verdicts of the current packet. */
typedef struct OptionCacheThread {
    uint32_t *stamps; /* indexed by id; ids + 1 entries */
    uint32_t size;
    uint32_t epoch; /* of the current packet, 1..2^31-1 */
} OptionCacheThread;

/* Allocates room for `ids` ids (zero ids: nothing to allocate). */
bool option_cache_thread_init(OptionCacheThread *t, uint32_t ids);
void option_cache_thread_free(OptionCacheThread *t);

/* A new packet: every cached verdict becomes stale. */
static inline void option_cache_new_packet(OptionCacheThread *t)
{
    if (++t->epoch >= (1u << 31)) {
        for (uint32_t i = 0; i < t->size; i++)
            t->stamps[i] = 0;
        t->epoch = 1;
    }
}

/* The verdict cached for `id` in this packet: 1 match, 0 no match, -1 none. */
static inline int option_cache_get(const OptionCacheThread *t, uint32_t id)
{
    uint32_t s = t->stamps[id];
    return (s >> 1) == t->epoch ? (int)(s & 1u) : -1;
}

static inline void option_cache_put(OptionCacheThread *t, uint32_t id, bool match)
{
    t->stamps[id] = (t->epoch << 1) | (match ? 1u : 0u);
}

#endif
