/*
 * Rounds of packets and the worker threads that run them.
 *
 * The reader cuts the capture into rounds: up to a fixed number of packets
 * in capture order, each tagged with the worker that owns it (by
 * worker_select). Every worker runs every round in order: it is shown the
 * position and time of each packet of the round and handles the ones it owns
 * (worker.h), writing its records into the round's queue for it. A fixed
 * ring of round slots bounds memory: the reader refills a slot only after
 * every worker finished it and its records were written, so workers can run
 * ahead of each other by at most the ring's length.
 *
 * `threaded` false runs the one worker inline in the caller's thread (the
 * `single` runmode); the rounds, keys and output order are the same.
 */
#ifndef ODLAR_ENGINE_WORKER_POOL_H
#define ODLAR_ENGINE_WORKER_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/worker.h"

typedef struct RoundEntry {
    Packet *p;
    OdTime ts; /* copy of p->ts: workers other than the owner read only this */
    const char *pcap_file;
    uint32_t worker;
} RoundEntry;

typedef struct Round {
    RoundEntry *entries;
    Packet **packets; /* `capacity` packets owned by the round, reused */
    uint32_t count, capacity;
    uint64_t first_seq; /* global sequence number of entries[0] */
    /* the last round: after its packets, every worker ends its flows */
    bool shutdown;
    OdTime last_ts;
    const char *last_file;
    RecordQueue *out; /* one queue per worker */
} Round;

bool round_init(Round *r, uint32_t capacity, uint32_t workers);
void round_free(Round *r, uint32_t workers);

typedef struct WorkerPool WorkerPool;

/* Starts `count` workers over the ring `slots[0..nslots)`: one thread each
 * when `threaded` (else count must be 1 and rounds run inside submit).
 * Returns NULL when threads cannot be started. */
WorkerPool *worker_pool_start(Worker *workers, uint32_t count, Round *slots, uint32_t nslots, bool threaded);
/* Hands slot `slot`, filled with round number `round_no` (0, 1, 2, ... in
 * order, slot = round_no % nslots), to every worker. */
void worker_pool_submit(WorkerPool *wp, uint32_t slot, uint64_t round_no);
/* Waits until every worker has finished the round in `slot`. */
void worker_pool_wait(WorkerPool *wp, uint32_t slot);
/* Joins the threads (after a shutdown round was finished) and frees the pool. */
void worker_pool_stop(WorkerPool *wp);

#endif
