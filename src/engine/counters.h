/*
 * Per-thread statistics counters.
 *
 * Every worker owns a `Counters` block and bumps it without locks; the stats
 * writer merges the blocks of all threads when it writes a stats event. The
 * names and merge rules come from counters.def; decoder and stream anomaly
 * counters are kept beside them, indexed by DecodeEvent.
 */
#ifndef ODLAR_ENGINE_COUNTERS_H
#define ODLAR_ENGINE_COUNTERS_H

#include <stdint.h>

#include "decode/events.h"

typedef enum CounterId {
#define COUNTER(id, name, kind) CTR_##id,
#include "engine/counters.def"
#undef COUNTER
    CTR_MAX
} CounterId;

typedef enum CounterKind { CTR_KIND_SUM, CTR_KIND_MAX, CTR_KIND_AVG } CounterKind;

typedef struct Counters {
    uint64_t v[CTR_MAX];
    uint64_t events[DEV_MAX];
} Counters;

static inline void ctr_inc(Counters *c, CounterId id) { c->v[id]++; }
static inline void ctr_add(Counters *c, CounterId id, uint64_t n) { c->v[id] += n; }
static inline void ctr_sub(Counters *c, CounterId id, uint64_t n) { c->v[id] -= n; }
static inline void ctr_max(Counters *c, CounterId id, uint64_t n)
{
    if (n > c->v[id])
        c->v[id] = n;
}

const char *counter_name(CounterId id);
CounterKind counter_kind(CounterId id);
/* Adds `src` into `dst` following each counter's kind. */
void counters_merge(Counters *dst, const Counters *src);

#endif
