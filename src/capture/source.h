/*
 * The contract between the generic capture calls and one kind of source.
 *
 * Every kind of source (offline pcap files today; AF_PACKET, NFQUEUE or live
 * pcap later) is a struct whose first member is a `CaptureSource` and a
 * constant table of `CaptureOps`, in the style of Redis's ae event-loop
 * back ends: the generic layer (capture.c) keeps what all sources share —
 * counters, the running packet number, the last error — and calls through
 * the table for the rest. A new source writes its own `capture_open_*`
 * constructor, fills the table and calls `capture_source_init`.
 *
 * Only capture implementations include this header.
 */
#ifndef ODLAR_CAPTURE_SOURCE_H
#define ODLAR_CAPTURE_SOURCE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "capture/capture.h"

#define CAPTURE_ERRBUF_SIZE 512

typedef struct CaptureOps {
    /* short name for logs, e.g. "pcap-file" */
    const char *name;
    /*
     * Fills `p` with the next packet's bytes, ts, wire_len and datalink
     * (not pcap_cnt, src or stats: the generic layer sets those).
     * Returns 1, 0 at end of input, -1 on a fatal error (message set with
     * capture_source_error). Updates files/truncated/... counters itself.
     */
    int (*next)(CaptureSource *cs, Packet *p);
    /*
     * Offline sources: the same as `next`, in place (capture.h, PacketRef;
     * not pcap_cnt). When set, `next` may be NULL: capture_next copies.
     */
    int (*next_ref)(CaptureSource *cs, PacketRef *ref);
    /* Offline sources: a quiet second reader of the same input (may be NULL). */
    CaptureSource *(*reopen)(const CaptureSource *cs, char *err, size_t errlen);
    /*
     * Installs `bpf` (NULL = none). Returns true, or false with the message
     * set with capture_source_error. May be NULL: the source has no filters.
     */
    bool (*set_filter)(CaptureSource *cs, const char *bpf);
    /* Name of the file or interface the last packet came from, never NULL. */
    const char *(*current_file)(const CaptureSource *cs);
    /* Releases everything the source holds, including `cs` itself. */
    void (*close)(CaptureSource *cs);
} CaptureOps;

struct CaptureSource {
    const CaptureOps *ops;
    CaptureStats stats;
    uint64_t pcap_cnt; /* number given to the last packet handed out */
    char errbuf[CAPTURE_ERRBUF_SIZE];
    bool quiet; /* a second reader (capture_reopen_quiet): no log lines */
};

/* Prepares the shared part of a freshly allocated source. */
void capture_source_init(CaptureSource *cs, const CaptureOps *ops);

/* Records a message for capture_error (printf style). */
void capture_source_error(CaptureSource *cs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Copies `msg` into err/errlen when err is not NULL; errlen 0 is allowed. */
void capture_copy_error(char *err, size_t errlen, const char *msg);

#endif
