/*
 * The load-aware pair-to-worker table (contract in worker-balance.h): open
 * addressing on the pair hash (never 0, so 0 marks a free slot), linear
 * probing, doubled when half full up to the pair cap.
 */
#include "engine/worker-balance.h"

#include <stdbool.h>
#include <stdlib.h>

/* What a packet costs beyond its bytes: the fixed part of decoding, flow
 * lookup and detection, in bytes' worth. */
#define PACKET_COST 256u

typedef struct Slot {
    uint32_t hash; /* 0: free */
    uint32_t worker;
} Slot;

struct WorkerBalance {
    uint32_t workers;
    uint64_t *load;
    Slot *slots;
    uint32_t cap; /* power of two */
    uint32_t used;
    bool frozen; /* full, or growing failed: no pair is added any more */
};

WorkerBalance *worker_balance_new(uint32_t workers)
{
    WorkerBalance *wb = calloc(1, sizeof(*wb));
    if (!wb)
        return NULL;
    wb->workers = workers ? workers : 1;
    wb->cap = 1u << 12;
    wb->load = calloc(wb->workers, sizeof(*wb->load));
    wb->slots = calloc(wb->cap, sizeof(*wb->slots));
    if (!wb->load || !wb->slots) {
        worker_balance_free(wb);
        return NULL;
    }
    return wb;
}

void worker_balance_free(WorkerBalance *wb)
{
    if (!wb)
        return;
    free(wb->load);
    free(wb->slots);
    free(wb);
}

static Slot *find(Slot *slots, uint32_t cap, uint32_t hash)
{
    uint32_t i = hash & (cap - 1);
    while (slots[i].hash && slots[i].hash != hash)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

/* Doubles the table; false (table unchanged) when out of memory. */
static bool grow(WorkerBalance *wb)
{
    uint32_t ncap = wb->cap * 2;
    Slot *n = calloc(ncap, sizeof(*n));
    if (!n)
        return false;
    for (uint32_t i = 0; i < wb->cap; i++)
        if (wb->slots[i].hash)
            *find(n, ncap, wb->slots[i].hash) = wb->slots[i];
    free(wb->slots);
    wb->slots = n;
    wb->cap = ncap;
    return true;
}

static uint32_t least_loaded(const WorkerBalance *wb)
{
    uint32_t best = 0;
    for (uint32_t k = 1; k < wb->workers; k++)
        if (wb->load[k] < wb->load[best])
            best = k;
    return best;
}

uint32_t worker_balance_pick(WorkerBalance *wb, uint32_t hash, uint32_t len)
{
    uint32_t k = 0;
    if (hash != 0 && wb->workers > 1) {
        Slot *s = find(wb->slots, wb->cap, hash);
        if (s->hash) {
            k = s->worker;
        } else {
            if (!wb->frozen && (wb->used >= BALANCE_MAX_PAIRS || ((wb->used + 1) * 2 > wb->cap && !grow(wb))))
                wb->frozen = true;
            if (wb->frozen) {
                /* a pair never seen before goes by hash; nothing enters the
                 * table any more, so it keeps that worker */
                k = hash % wb->workers;
            } else {
                k = least_loaded(wb);
                *find(wb->slots, wb->cap, hash) = (Slot){ .hash = hash, .worker = k };
                wb->used++;
            }
        }
    }
    wb->load[k] += (uint64_t)len + PACKET_COST;
    return k;
}

uint64_t worker_balance_load(const WorkerBalance *wb, uint32_t k)
{
    return k < wb->workers ? wb->load[k] : 0;
}

uint32_t worker_balance_pairs(const WorkerBalance *wb)
{
    return wb->used;
}
