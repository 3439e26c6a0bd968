/*
 * A table from IP address pair hash to worker: open addressing on the hash
 * (never 0, so 0 marks a free slot), linear probing, doubled when half full.
 * The run's shared owner table (pair-owners.h) and each worker's own view
 * of it (worker-balance.h) are both one of these; neither removes entries.
 * Not locked: pair-owners.c holds its mutex around every call.
 */
#ifndef ODLAR_ENGINE_PAIR_TABLE_H
#define ODLAR_ENGINE_PAIR_TABLE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct PairSlot {
    uint32_t hash; /* 0: free */
    uint32_t worker;
} PairSlot;

typedef struct PairTable {
    PairSlot *slots;
    uint32_t cap; /* power of two */
    uint32_t used;
} PairTable;

/* An empty table; false when out of memory. */
bool pair_table_init(PairTable *t);
void pair_table_free(PairTable *t);

/* True, with the worker in *worker, when `hash` (not 0) is in the table. */
bool pair_table_get(const PairTable *t, uint32_t hash, uint32_t *worker);

/* Adds `hash` (not 0, not in the table) with `worker`, unless the table
 * already holds `max` pairs or cannot grow: then false, table unchanged. */
bool pair_table_add(PairTable *t, uint32_t hash, uint32_t worker, uint32_t max);

#endif
