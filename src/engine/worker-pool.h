/*
 * Rounds and the worker threads that run them (offline runs).
 *
 * The capture is cut into rounds: round n is packets n*R+1 .. (n+1)*R in
 * capture order (R = the round size; only the last round is shorter). Every
 * worker runs every round, in order, by calling the pool's round function:
 * each worker reads the round's packets itself and handles the ones it owns
 * (worker-feed.h), writing its records into the round's queue for it. The
 * calling thread waits for each round in order, writes its records (of all
 * workers, in key order) and gives the slot back. A fixed ring of round
 * slots bounds memory: a worker starts round n only once round n - nslots
 * was written, so workers run ahead of each other and of the writer by at
 * most the ring's length.
 *
 * Stopping early (a signal) must not split the workers: every worker has to
 * end at the same round. worker_pool_request_stop picks the first round no
 * worker has started yet; every worker ends its input there.
 *
 * `threaded` false runs the one worker inline in the caller's thread, inside
 * worker_pool_wait (the `single` runmode); the rounds, keys and output
 * order are the same.
 */
#ifndef ODLAR_ENGINE_WORKER_POOL_H
#define ODLAR_ENGINE_WORKER_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/worker.h"

/* Record bytes the finished, unwritten rounds may hold before a worker
 * that is ahead of the others waits: the slot count bounds rounds, this
 * bounds memory when records are large (all EVE types on busy HTTP). */
#define WORKER_POOL_HELD_BYTES ((size_t)64 << 20)

/* A worker's queue of a round: each worker writes its own on every packet,
 * so no two share a cache line (util/cache-line.h). */
typedef struct RoundQueue {
    _Alignas(OD_CACHE_PAIR) RecordQueue q;
} RoundQueue;

typedef struct Round {
    /* set by worker 0 (the others agree): the round is the last one, after
     * which every worker ended its flows */
    bool shutdown;
    RoundQueue *out; /* one queue per worker */
} Round;

bool round_init(Round *r, uint32_t workers);
void round_free(Round *r, uint32_t workers);

/* Worker k's part of round `round_no` in `r`; `stop` asks it to end the
 * input there without reading. Returns true when the round is the last. */
typedef bool (*RoundFn)(void *ctx, uint32_t k, Round *r, uint64_t round_no, bool stop);

typedef struct WorkerPool WorkerPool;

/* Starts `count` workers over the ring `slots[0..nslots)`, each running
 * `fn(ctx, k, ...)` for every round: one thread each when `threaded` (else
 * count must be 1 and rounds run inside worker_pool_wait). Returns NULL
 * when threads cannot be started. */
WorkerPool *worker_pool_start(uint32_t count, Round *slots, uint32_t nslots, bool threaded, RoundFn fn,
                              void *ctx);
/* Waits until every worker has finished round `round_no` (rounds are waited
 * for in order: 0, 1, 2, ...). While waiting, `should_stop()` is polled
 * (when not NULL); once it says yes, worker_pool_request_stop is called. */
void worker_pool_wait(WorkerPool *wp, uint64_t round_no, bool (*should_stop)(void));
/* Round `round_no` was written: its slot may be reused. */
void worker_pool_release(WorkerPool *wp, uint64_t round_no);
/* Every worker ends its input at the first round none of them started. */
void worker_pool_request_stop(WorkerPool *wp);
/* Joins the threads (after the last round was released) and frees the pool. */
/* The most record bytes finished rounds held before the writer wrote them
 * (for -v). 0 for a single run. */
size_t worker_pool_held_max(WorkerPool *wp);

/* Seconds worker k spent blocked on a full ring (its next slot not yet
 * written out), for -v. 0 for a single run. */
double worker_pool_ring_wait_seconds(WorkerPool *wp, uint32_t k);

void worker_pool_stop(WorkerPool *wp);

#endif
