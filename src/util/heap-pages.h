/*
 * Large pages for the main heap.
 *
 * Loading ET Open allocates about 100 MB in small pieces. On a machine
 * whose transparent huge pages are in "madvise" mode (Debian's default) each
 * new 4 KiB page of the heap costs a page fault, and in a virtual machine a
 * fault is expensive: 25,000 of them took about a third of the rule load.
 * heap_use_large_pages reserves room at the top of the main heap once,
 * marks it MADV_HUGEPAGE and gives it back to malloc (which keeps it), so
 * the heap then grows in 2 MiB pages: the same load takes about 2,500
 * faults. glibc's own `glibc.malloc.hugetlb=1` tunable does the same, but
 * only when set in the environment before the program starts.
 *
 * A thread other than the first gets an arena of its own from glibc, in
 * "heaps" of at most 64 MiB reserved with no access and opened up one
 * mprotect call at a time as it grows: the two workers of the 1 GB corpus
 * run made 7,500 such calls and 33,000 page faults more than one thread.
 * heap_thread_use_large_pages, called first in such a thread, opens most of
 * its first heap at once and marks it MADV_HUGEPAGE the same way.
 *
 * Nothing changes where huge pages are off or the calls fail; memory is
 * only backed when touched, so the peak RSS grows by at most a page.
 */
#ifndef ODLAR_UTIL_HEAP_PAGES_H
#define ODLAR_UTIL_HEAP_PAGES_H

#include <stddef.h>

/* Call once, early in main, before other threads start. `bytes` is how
 * much of the heap to prepare (the rest grows with ordinary pages). */
void heap_use_large_pages(size_t bytes);
/* Call first in a thread that allocates much (after heap_use_large_pages,
 * which lets the freed room stay with the thread's arena). */
void heap_thread_use_large_pages(void);

#endif
