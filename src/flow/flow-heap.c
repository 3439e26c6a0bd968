/*
 * Binary min-heap of (key, flow) slots with back-pointers (Flow.heap_idx)
 * so any flow can be re-keyed or removed without a search. The array grows
 * by doubling; it never holds more flows than the table does.
 */
#include "flow/flow-heap.h"

#include <stdlib.h>

static inline void place(FlowHeap *h, uint32_t i, FlowHeapSlot s)
{
    h->slot[i] = s;
    s.flow->heap_idx = i;
}

static void sift_up(FlowHeap *h, uint32_t i)
{
    FlowHeapSlot s = h->slot[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (h->slot[parent].key <= s.key)
            break;
        place(h, i, h->slot[parent]);
        i = parent;
    }
    place(h, i, s);
}

static void sift_down(FlowHeap *h, uint32_t i)
{
    FlowHeapSlot s = h->slot[i];
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= h->len)
            break;
        if (child + 1 < h->len && h->slot[child + 1].key < h->slot[child].key)
            child++;
        if (s.key <= h->slot[child].key)
            break;
        place(h, i, h->slot[child]);
        i = child;
    }
    place(h, i, s);
}

bool flow_heap_push(FlowHeap *h, Flow *f, int64_t key)
{
    if (h->len == h->cap) {
        uint32_t cap = h->cap ? h->cap * 2 : 1024;
        FlowHeapSlot *slot = realloc(h->slot, (size_t)cap * sizeof(*slot));
        if (slot == NULL)
            return false;
        h->slot = slot;
        h->cap = cap;
    }
    FlowHeapSlot s = { key, f };
    place(h, h->len++, s);
    sift_up(h, f->heap_idx);
    return true;
}

void flow_heap_remove(FlowHeap *h, Flow *f)
{
    uint32_t i = f->heap_idx;
    FlowHeapSlot last = h->slot[--h->len];
    if (last.flow == f)
        return;
    place(h, i, last);
    sift_down(h, i);
    sift_up(h, last.flow->heap_idx);
}

void flow_heap_rekey(FlowHeap *h, Flow *f, int64_t key)
{
    FlowHeapSlot *s = &h->slot[f->heap_idx];
    int64_t old = s->key;
    s->key = key;
    if (key < old)
        sift_up(h, f->heap_idx);
    else if (key > old)
        sift_down(h, f->heap_idx);
}

void flow_heap_rebuild(FlowHeap *h)
{
    for (uint32_t i = h->len / 2; i-- > 0;)
        sift_down(h, i);
}

void flow_heap_free(FlowHeap *h)
{
    free(h->slot);
    h->slot = NULL;
    h->len = h->cap = 0;
}
