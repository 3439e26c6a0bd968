/*
 * One worker's view of which worker owns each packet of an offline run.
 *
 * worker_select() hashes a frame's IP address pair (worker-select.h). Every
 * worker reads every packet and asks its WorkerBalance for the owner: the
 * answer comes from the worker's own table of the pairs it has met, and
 * for a pair it meets for the first time from the run's shared table
 * (pair-owners.h), which gives the pair to whichever worker claims it
 * first -- the one furthest ahead, i.e. the one with the least work left.
 * Everything that must stay on one worker still does: a pair keeps its
 * worker for the whole run, and two pairs whose hashes collide share one.
 * Frames without an IP pair (hash 0) go to worker 0.
 *
 * Taking the hash modulo the worker count instead leaves the split to
 * chance (a capture with a few dozen heavy pairs lands 55/45 or worse on
 * two workers); a split decided from bytes and packets alone still left one
 * of two workers idle at the end of a run, because what a packet costs
 * depends on its traffic and on the CPU the host gives the worker.
 *
 * The view also sums the work handed to each worker (bytes plus a fixed
 * cost per packet), which -v reports as each worker's share.
 */
#ifndef ODLAR_ENGINE_WORKER_BALANCE_H
#define ODLAR_ENGINE_WORKER_BALANCE_H

#include <stdint.h>

#include "engine/pair-owners.h"

typedef struct WorkerBalance WorkerBalance;

/* Worker `self`'s view (of `workers`) over the run's shared table `owners`
 * (not owned). NULL when out of memory. */
WorkerBalance *worker_balance_new(uint32_t workers, PairOwners *owners, uint32_t self);
void worker_balance_free(WorkerBalance *wb); /* NULL is fine */

/* The worker for a frame whose pair hash is `hash` (worker_select_hash)
 * and whose captured length is `len`. */
uint32_t worker_balance_pick(WorkerBalance *wb, uint32_t hash, uint32_t len);

/* Counts a frame of `len` bytes whose owner `k` came from elsewhere
 * (round-owners.h) into the sums below. */
void worker_balance_account(WorkerBalance *wb, uint32_t k, uint32_t len);

/* Work handed to worker k so far (bytes + per-packet cost), for -v. */
uint64_t worker_balance_load(const WorkerBalance *wb, uint32_t k);
/* Pairs this worker has met. */
uint32_t worker_balance_pairs(const WorkerBalance *wb);

#endif
