/*
 * The timeout heap of a flow table: a binary min-heap of flows ordered by a
 * key, the first second at which the flow may have timed out. Keys live in
 * the heap array beside the flow pointers so reordering reads no flow; each
 * flow remembers its slot (Flow.heap_idx) so its key can change or it can
 * leave in O(log n). Internal to src/flow.
 */
#ifndef ODLAR_FLOW_FLOW_HEAP_H
#define ODLAR_FLOW_FLOW_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/flow.h"

typedef struct FlowHeapSlot {
    int64_t key;
    Flow *flow;
} FlowHeapSlot;

typedef struct FlowHeap {
    FlowHeapSlot *slot;
    uint32_t len, cap;
} FlowHeap;

/* Adds f with `key`. False when the heap could not grow. */
bool flow_heap_push(FlowHeap *h, Flow *f, int64_t key);
/* Removes f, which must be in the heap. */
void flow_heap_remove(FlowHeap *h, Flow *f);
/* Gives f (in the heap) a new key and restores the order. */
void flow_heap_rekey(FlowHeap *h, Flow *f, int64_t key);
/* Restores the order after keys were changed in place. */
void flow_heap_rebuild(FlowHeap *h);
static inline int64_t flow_heap_key(const FlowHeap *h, const Flow *f) { return h->slot[f->heap_idx].key; }
/* The flow with the smallest key (in *key), or NULL when empty. */
static inline Flow *flow_heap_top(const FlowHeap *h, int64_t *key)
{
    if (h->len == 0)
        return NULL;
    *key = h->slot[0].key;
    return h->slot[0].flow;
}
void flow_heap_free(FlowHeap *h);

#endif
