/*
 * The run's one table of which worker owns each IP address pair (offline
 * runs with several workers, worker-feed.h).
 *
 * Every worker reads every packet and must know, for each, whether it is
 * its own, without waiting for the others. A pair's owner is the worker
 * that meets the pair first. In an offline run that is the worker furthest
 * ahead in the capture -- the one keeping up best -- so new pairs flow to
 * whichever worker has the least work left: one slowed down by a few heavy
 * pairs, by traffic that costs more than its bytes suggest, or by a virtual
 * CPU the host gives less time, gets fewer. Both workers then finish the
 * capture together; a split decided from bytes and packet counts alone left
 * one of two workers idle for the last 0.12-0.27 s of a 6 s ET Open run of
 * the benchmark corpus.
 *
 * The first claim of a pair enters it under a mutex; every later claim of
 * it, by any worker, gets that owner back. A worker asks here only about
 * pairs it has not met before (its WorkerBalance remembers the answers),
 * about 17,000 times on the 1 GB corpus. Entries are never removed, so a
 * pair keeps its worker for the run (two pairs whose hashes collide share
 * one). Past BALANCE_MAX_PAIRS pairs, or when the table cannot grow, a new
 * pair goes by plain hash, which every worker computes alike.
 *
 * Which worker gets a pair thus depends on timing, and two runs can split
 * differently; the output does not depend on the split (records are merged
 * by packet, engine.h), except where state is kept per worker (README,
 * "Runmodes").
 */
#ifndef ODLAR_ENGINE_PAIR_OWNERS_H
#define ODLAR_ENGINE_PAIR_OWNERS_H

#include <stdint.h>

#define BALANCE_MAX_PAIRS (1u << 21)

typedef struct PairOwners PairOwners;

/* NULL when out of memory; workers >= 1. */
PairOwners *pair_owners_new(uint32_t workers);
void pair_owners_free(PairOwners *po); /* NULL is fine */

/* The owner of the pair with hash `hash` (not 0): its owner when some
 * worker claimed it before, else `claimant`, which now owns it (or, once
 * the table is full, hash % workers). Safe from any thread. */
uint32_t pair_owners_claim(PairOwners *po, uint32_t hash, uint32_t claimant);

/* Pairs in the table. */
uint32_t pair_owners_count(PairOwners *po);

#endif
