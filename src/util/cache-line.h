/*
 * Keeping each thread's data on cache lines of its own.
 *
 * Two threads writing different variables that share a 64-byte cache line
 * make the line travel between their cores at every write ("false
 * sharing"): the program runs the same instructions, each slower. The
 * per-worker structures the offline and live runs keep in arrays (a
 * worker's state, its capture feed, its record queue of a round) are hot
 * on every packet, so an array of them must not let the end of one and the
 * start of the next share a line. OD_CACHE_PAIR is two lines because the
 * x86 spatial prefetcher fetches lines in aligned pairs: a neighbour one
 * line away still costs transfers.
 *
 * A type made `_Alignas(OD_CACHE_PAIR)` (on its first member) has a size
 * that is a multiple of it; od_calloc_apart allocates arrays of such types
 * at that alignment (calloc's 16 bytes would break it). Free with free().
 */
#ifndef ODLAR_UTIL_CACHE_LINE_H
#define ODLAR_UTIL_CACHE_LINE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define OD_CACHE_PAIR 128

/* n zeroed elements of `size` bytes at OD_CACHE_PAIR alignment, or NULL. */
static inline void *od_calloc_apart(size_t n, size_t size)
{
    if (n == 0 || size > (SIZE_MAX - OD_CACHE_PAIR) / n)
        return NULL;
    size_t bytes = (n * size + OD_CACHE_PAIR - 1) / OD_CACHE_PAIR * OD_CACHE_PAIR;
    void *p = aligned_alloc(OD_CACHE_PAIR, bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}

#endif
