/*
 * Large pages for the main heap (see heap-pages.h).
 *
 * malloc extends the main heap with brk; a block bigger than the mmap
 * threshold would be mapped on its own instead, so the threshold is raised
 * above the reservation first, and the trim threshold too, so that freeing
 * the block leaves the room in the heap rather than returning it. The
 * advice is a property of the address range, kept as malloc hands the room
 * out again in small pieces.
 */
#include "util/heap-pages.h"

#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE (2u * 1024u * 1024u)
/* Most of a glibc arena heap (64 MiB on 64-bit hosts, its header and the
 * arena's own bookkeeping inside it). */
#define THREAD_ARENA_BYTES (56u * 1024u * 1024u)

/* Takes `bytes` from the calling thread's arena, marks the whole 2 MiB
 * pages inside for huge pages and gives the room back. */
static void prepare(size_t bytes)
{
#ifdef MADV_HUGEPAGE
    uint8_t *block = malloc(bytes);
    if (block == NULL)
        return;
    uintptr_t start = ((uintptr_t)block + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t end = ((uintptr_t)block + bytes) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (end > start)
        (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
    free(block);
#else
    (void)bytes;
#endif
}

static bool thresholds_raised;

void heap_use_large_pages(size_t bytes)
{
    if (bytes < 2 * HUGE_PAGE)
        return;
    if (!mallopt(M_MMAP_THRESHOLD, (int)(bytes * 2)) || !mallopt(M_TRIM_THRESHOLD, (int)(bytes * 2)))
        return;
    thresholds_raised = true;
    prepare(bytes);
}

void heap_thread_use_large_pages(void)
{
    /* without the raised thresholds the block would be mapped on its own
     * and handed back to the system when freed */
    if (thresholds_raised)
        prepare(THREAD_ARENA_BYTES);
}
