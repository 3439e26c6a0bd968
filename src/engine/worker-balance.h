/*
 * Spreading the address pairs of an offline run over the workers by load.
 *
 * worker_select() hashes a frame's IP address pair (worker-select.h); taking
 * that hash modulo the worker count leaves the split to chance, and a
 * capture with a few dozen heavy address pairs lands 55/45 or worse on two
 * workers -- the busier one sets the pace. The balancer instead remembers,
 * for each pair hash it has seen, the worker it gave that pair, and gives a
 * new pair to the worker with the least work handed out so far (bytes plus
 * a fixed cost per packet). Everything that must stay on one worker still
 * does: a pair keeps its worker for the whole run (entries are never
 * evicted), and two pairs whose hashes collide simply share one.
 *
 * The choice depends only on the packets before it, so a run is as
 * reproducible as before (same input and worker count, same split), and the
 * output does not depend on the split at all (records are merged by
 * packet). The table grows up to BALANCE_MAX_PAIRS pairs; pairs first seen
 * after that go by plain hash, which is just as stable. Frames without an
 * IP pair (hash 0) go to worker 0.
 */
#ifndef ODLAR_ENGINE_WORKER_BALANCE_H
#define ODLAR_ENGINE_WORKER_BALANCE_H

#include <stddef.h>
#include <stdint.h>

#define BALANCE_MAX_PAIRS (1u << 21)

typedef struct WorkerBalance WorkerBalance;

/* NULL when out of memory; workers >= 1. */
WorkerBalance *worker_balance_new(uint32_t workers);
void worker_balance_free(WorkerBalance *wb); /* NULL is fine */

/* The worker for a frame whose pair hash is `hash` (worker_select_hash)
 * and whose captured length is `len`. */
uint32_t worker_balance_pick(WorkerBalance *wb, uint32_t hash, uint32_t len);

/* Work handed to worker k so far (bytes + per-packet cost), for -v. */
uint64_t worker_balance_load(const WorkerBalance *wb, uint32_t k);
/* Pairs in the table. */
uint32_t worker_balance_pairs(const WorkerBalance *wb);

#endif
