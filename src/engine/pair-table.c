/*
 * The pair hash -> worker table (contract in pair-table.h).
 */
#include "engine/pair-table.h"

#include <stdlib.h>

#define PAIR_TABLE_FIRST_CAP (1u << 12)

bool pair_table_init(PairTable *t)
{
    t->cap = PAIR_TABLE_FIRST_CAP;
    t->used = 0;
    t->slots = calloc(t->cap, sizeof(*t->slots));
    return t->slots != NULL;
}

void pair_table_free(PairTable *t)
{
    free(t->slots);
    t->slots = NULL;
    t->cap = t->used = 0;
}

static PairSlot *find(PairSlot *slots, uint32_t cap, uint32_t hash)
{
    uint32_t i = hash & (cap - 1);
    while (slots[i].hash && slots[i].hash != hash)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

bool pair_table_get(const PairTable *t, uint32_t hash, uint32_t *worker)
{
    const PairSlot *s = find(t->slots, t->cap, hash);
    if (!s->hash)
        return false;
    *worker = s->worker;
    return true;
}

/* Doubles the table; false (table unchanged) when out of memory. */
static bool grow(PairTable *t)
{
    uint32_t ncap = t->cap * 2;
    PairSlot *n = calloc(ncap, sizeof(*n));
    if (!n)
        return false;
    for (uint32_t i = 0; i < t->cap; i++)
        if (t->slots[i].hash)
            *find(n, ncap, t->slots[i].hash) = t->slots[i];
    free(t->slots);
    t->slots = n;
    t->cap = ncap;
    return true;
}

bool pair_table_add(PairTable *t, uint32_t hash, uint32_t worker, uint32_t max)
{
    if (t->used >= max || ((t->used + 1) * 2 > t->cap && !grow(t)))
        return false;
    *find(t->slots, t->cap, hash) = (PairSlot){ .hash = hash, .worker = worker };
    t->used++;
    return true;
}
