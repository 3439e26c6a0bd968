/*
 * The shared pair-to-owner table (contract in pair-owners.h): one
 * PairTable (pair-table.h) under one mutex.
 */
#include "engine/pair-owners.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "engine/pair-table.h"

struct PairOwners {
    pthread_mutex_t lock;
    uint32_t workers;
    PairTable table;
    bool frozen; /* full, or growing failed: no pair is added any more */
};

PairOwners *pair_owners_new(uint32_t workers)
{
    PairOwners *po = calloc(1, sizeof(*po));
    if (!po)
        return NULL;
    po->workers = workers ? workers : 1;
    if (!pair_table_init(&po->table)) {
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
    pair_table_free(&po->table);
    free(po);
}

uint32_t pair_owners_claim(PairOwners *po, uint32_t hash, uint32_t claimant)
{
    pthread_mutex_lock(&po->lock);
    uint32_t k;
    if (!pair_table_get(&po->table, hash, &k)) {
        k = claimant < po->workers ? claimant : 0;
        if (po->frozen || !pair_table_add(&po->table, hash, k, BALANCE_MAX_PAIRS)) {
            /* nothing enters the table any more: the pair goes by hash in
             * every worker, now and later */
            po->frozen = true;
            k = hash % po->workers;
        }
    }
    pthread_mutex_unlock(&po->lock);
    return k;
}

uint32_t pair_owners_count(PairOwners *po)
{
    pthread_mutex_lock(&po->lock);
    uint32_t n = po->table.used;
    pthread_mutex_unlock(&po->lock);
    return n;
}
