/*
 * Whether the process frees its long-lived memory before it ends.
 *
 * An offline run ends with the detection engine (ET Open: about 100 MB in
 * some hundred thousand pieces) and the configuration tree still allocated.
 * Freeing them piece by piece takes about 0.1 s of a run that is over,
 * and the kernel takes the whole address space back at once when the
 * process exits; so a normal build leaves them for the exit (a one-off
 * `-r` of a small capture with ET Open ends that much sooner). A build with
 * AddressSanitizer frees everything, so that its leak check at exit still
 * shows that every allocation has an owner that frees it.
 */
#ifndef ODLAR_UTIL_EXIT_TEARDOWN_H
#define ODLAR_UTIL_EXIT_TEARDOWN_H

#include <stdbool.h>

#if defined(__SANITIZE_ADDRESS__)
#define ODLAR_LEAK_CHECKED_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ODLAR_LEAK_CHECKED_BUILD 1
#endif
#endif

/* True when memory still held at the end must be freed before exiting. */
static inline bool exit_teardown_frees(void)
{
#ifdef ODLAR_LEAK_CHECKED_BUILD
    return true;
#else
    return false;
#endif
}

#endif
