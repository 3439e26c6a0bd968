/*
 * The shared pair-to-owner table (contract in pair-owners.h): open
 * addressing on the pair hash (never 0, so 0 marks a free slot), linear
 * probing, doubled when half full up to the pair cap, all under one mutex.
 */
#include "engine/pair-owners.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct Slot {
    uint32_t hash; /* 0: free */
    uint32_t worker;
} Slot;

struct PairOwners {
    pthread_mutex_t lock;
    uint32_t workers;
    Slot *slots;
    uint32_t cap; /* power of two */
    uint32_t used;
    bool frozen; /* full, or growing failed: no pair is added any more */
};

PairOwners *pair_owners_new(uint32_t workers)
{
    PairOwners *po = calloc(1, sizeof(*po));
    if (!po)
        return NULL;
    po->workers = workers ? workers : 1;
    po->cap = 1u << 12;
    po->slots = calloc(po->cap, sizeof(*po->slots));
    if (!po->slots) {
        free(po);
        return NULL;
    }
    pthread_mutex_init(&po->lock, NULL);
    return po;
}

void pair_owners_free(PairOwners *po)
{
    if (!po)
        return;
    pthread_mutex_destroy(&po->lock);
    free(po->slots);
    free(po);
}

static Slot *find(Slot *slots, uint32_t cap, uint32_t hash)
{
    uint32_t i = hash & (cap - 1);
    while (slots[i].hash && slots[i].hash != hash)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

/* Doubles the table; false (table unchanged) when out of memory. */
static bool grow(PairOwners *po)
{
    uint32_t ncap = po->cap * 2;
    Slot *n = calloc(ncap, sizeof(*n));
    if (!n)
        return false;
    for (uint32_t i = 0; i < po->cap; i++)
        if (po->slots[i].hash)
            *find(n, ncap, po->slots[i].hash) = po->slots[i];
    free(po->slots);
    po->slots = n;
    po->cap = ncap;
    return true;
}

uint32_t pair_owners_claim(PairOwners *po, uint32_t hash, uint32_t claimant)
{
    pthread_mutex_lock(&po->lock);
    Slot *s = find(po->slots, po->cap, hash);
    uint32_t k;
    if (s->hash) {
        k = s->worker;
    } else {
        if (!po->frozen && (po->used >= BALANCE_MAX_PAIRS || ((po->used + 1) * 2 > po->cap && !grow(po))))
            po->frozen = true;
        if (po->frozen) {
            /* nothing enters the table any more: the pair goes by hash in
             * every worker, now and later */
            k = hash % po->workers;
        } else {
            k = claimant < po->workers ? claimant : 0;
            *find(po->slots, po->cap, hash) = (Slot){ .hash = hash, .worker = k };
            po->used++;
        }
    }
    pthread_mutex_unlock(&po->lock);
    return k;
}

uint32_t pair_owners_count(PairOwners *po)
{
    pthread_mutex_lock(&po->lock);
    uint32_t n = po->used;
    pthread_mutex_unlock(&po->lock);
    return n;
}
