/*
 * A worker's pair-to-owner view (contract in worker-balance.h): its own
 * PairTable (pair-table.h) of the pairs it has met, filled from the shared
 * table (pair-owners.h) on first meeting. Once its own table holds
 * BALANCE_MAX_PAIRS pairs, or cannot grow, it asks the shared table about
 * every pair it does not hold (correct, only slower: a mutex per such
 * packet).
 */
#include "engine/worker-balance.h"

#include <stdbool.h>
#include <stdlib.h>

#include "engine/pair-table.h"

/* What a packet costs beyond its bytes in the -v shares: the fixed part of
 * decoding, flow lookup and detection, in bytes' worth. */
#define PACKET_COST 256u

struct WorkerBalance {
    uint32_t workers, self;
    PairOwners *owners;
    uint64_t *load;
    PairTable table;
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
    wb->load = calloc(wb->workers, sizeof(*wb->load));
    if (!wb->load || !pair_table_init(&wb->table)) {
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
    pair_table_free(&wb->table);
    free(wb);
}

void worker_balance_account(WorkerBalance *wb, uint32_t k, uint32_t len)
{
    if (k < wb->workers)
        wb->load[k] += (uint64_t)len + PACKET_COST;
}

uint32_t worker_balance_pick(WorkerBalance *wb, uint32_t hash, uint32_t len)
{
    uint32_t k = 0;
    if (hash != 0 && wb->workers > 1 && !pair_table_get(&wb->table, hash, &k)) {
        k = pair_owners_claim(wb->owners, hash, wb->self);
        if (!wb->full && !pair_table_add(&wb->table, hash, k, BALANCE_MAX_PAIRS))
            wb->full = true;
    }
    worker_balance_account(wb, k, len);
    return k;
}

uint64_t worker_balance_load(const WorkerBalance *wb, uint32_t k)
{
    return k < wb->workers ? wb->load[k] : 0;
}

uint32_t worker_balance_pairs(const WorkerBalance *wb)
{
    return wb->table.used;
}
