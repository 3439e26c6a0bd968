/*
 * A worker's pair-to-owner view (contract in worker-balance.h): its own
 * open-addressing table of the pairs it has met (pair hash, never 0, so 0
 * marks a free slot; linear probing; doubled when half full), filled from
 * the shared table (pair-owners.h) on first meeting. Once its own table
 * holds BALANCE_MAX_PAIRS pairs, or cannot grow, it asks the shared table
 * about every pair it does not hold (correct, only slower: a mutex per such
 * packet).
 */
#include "engine/worker-balance.h"

#include <stdbool.h>
#include <stdlib.h>

/* What a packet costs beyond its bytes in the -v shares: the fixed part of
 * decoding, flow lookup and detection, in bytes' worth. */
#define PACKET_COST 256u

typedef struct Slot {
    uint32_t hash; /* 0: free */
    uint32_t worker;
} Slot;

struct WorkerBalance {
    uint32_t workers, self;
    PairOwners *owners;
    uint64_t *load;
    Slot *slots;
    uint32_t cap; /* power of two */
    uint32_t used;
    bool full; /* at the cap, or growing failed: nothing is added any more */
};

WorkerBalance *worker_balance_new(uint32_t workers, PairOwners *owners, uint32_t self)
{
    WorkerBalance *wb = calloc(1, sizeof(*wb));
    if (!wb)
        return NULL;
    wb->workers = workers ? workers : 1;
    wb->self = self;
    wb->owners = owners;
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

uint32_t worker_balance_pick(WorkerBalance *wb, uint32_t hash, uint32_t len)
{
    uint32_t k = 0;
    if (hash != 0 && wb->workers > 1) {
        Slot *s = find(wb->slots, wb->cap, hash);
        if (s->hash) {
            k = s->worker;
        } else {
            k = pair_owners_claim(wb->owners, hash, wb->self);
            if (!wb->full && (wb->used >= BALANCE_MAX_PAIRS || ((wb->used + 1) * 2 > wb->cap && !grow(wb))))
                wb->full = true;
            if (!wb->full) {
                *find(wb->slots, wb->cap, hash) = (Slot){ .hash = hash, .worker = k };
                wb->used++;
            }
        }
    }
    wb->load[k] += (uint64_t)len + PACKET_COST;
    return k;
}

void worker_balance_account(WorkerBalance *wb, uint32_t k, uint32_t len)
{
    if (k < wb->workers)
        wb->load[k] += (uint64_t)len + PACKET_COST;
}

uint64_t worker_balance_load(const WorkerBalance *wb, uint32_t k)
{
    return k < wb->workers ? wb->load[k] : 0;
}

uint32_t worker_balance_pairs(const WorkerBalance *wb)
{
    return wb->used;
}
