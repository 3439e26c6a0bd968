/*
 * The owner of every packet of recent rounds, worked out once (offline runs
 * with several workers, worker-feed.h).
 *
 * Every worker reads every packet, and for each one must know which worker
 * owns it: the pair hash over the frame's headers and a table lookup
 * (worker-select.h, worker-balance.h), about 190 instructions a packet --
 * for every packet, in every worker. The first worker to finish a round
 * publishes the owners it found, one byte a packet; a worker that starts
 * the round after that takes them from here and only reads the packets it
 * owns or whose time it must walk. Publishing helps the worker that is
 * behind, which is the one that sets the pace.
 *
 * The answers are the same whoever works them out (a pair's owner is fixed
 * by its first claim, pair-owners.h), so a worker that finds the round not
 * published yet just works them out itself, as before. Round r lives in
 * slot r mod `rounds`; `rounds` must be at least the worker pool's ring
 * (worker-pool.h), which keeps every worker within that many rounds of
 * each other, so a slot is never written while a worker still reads it.
 * A slot's state word says which round it holds and whether it is being
 * written; the answers are written before the word says "published"
 * (release) and read after a worker sees it (acquire).
 */
#ifndef ODLAR_ENGINE_ROUND_OWNERS_H
#define ODLAR_ENGINE_ROUND_OWNERS_H

#include <stdint.h>

typedef struct RoundOwners RoundOwners;

/* Room for `rounds` rounds of up to `packets` packets. NULL when out of
 * memory. */
RoundOwners *round_owners_new(uint32_t rounds, uint32_t packets);
void round_owners_free(RoundOwners *ro); /* NULL is fine */

/* The owners of the `count` packets of round `round_no` when some worker
 * published them (count must be what that worker read), else NULL. */
const uint8_t *round_owners_get(RoundOwners *ro, uint64_t round_no, uint32_t count);

/* Publishes the owners of round `round_no` (`count` packets), unless some
 * worker already did or is doing it. */
void round_owners_publish(RoundOwners *ro, uint64_t round_no, const uint8_t *owners, uint32_t count);

#endif
