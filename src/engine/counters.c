/*
 * Names and merge rules of the stats counters declared in counters.def.
 */
#include "engine/counters.h"

static const struct {
    const char *name;
    CounterKind kind;
} counter_info[CTR_MAX] = {
#define COUNTER(id, n, k) [CTR_##id] = { n, CTR_KIND_##k },
#include "engine/counters.def"
#undef COUNTER
};

const char *counter_name(CounterId id) { return counter_info[id].name; }
CounterKind counter_kind(CounterId id) { return counter_info[id].kind; }

void counters_merge(Counters *dst, const Counters *src)
{
    for (int i = 0; i < CTR_MAX; i++) {
        if (counter_info[i].kind == CTR_KIND_MAX) {
            if (src->v[i] > dst->v[i])
                dst->v[i] = src->v[i];
        } else {
            dst->v[i] += src->v[i];
        }
    }
    for (int i = 0; i < DEV_MAX; i++)
        dst->events[i] += src->events[i];
}
