/*
 * What the live capture sources (afpacket.c, pcap-live.c) share beyond a
 * plain CaptureSource: a wait-with-timeout read, kernel counters and the
 * interface name. Each live source is a struct whose first member is a
 * `LiveSource` (whose first member is the CaptureSource), and live.c
 * dispatches live_capture_next / live_capture_kernel_stats through `live`.
 *
 * Only the live capture implementations include this header.
 */
#ifndef ODLAR_CAPTURE_LIVE_SOURCE_H
#define ODLAR_CAPTURE_LIVE_SOURCE_H

#include "capture/live.h"
#include "capture/source.h"

typedef struct LiveOps {
    /* 1 packet, 0 nothing within timeout_ms, -1 fatal (capture_source_error set) */
    int (*next_timeout)(CaptureSource *cs, Packet *p, int timeout_ms);
    bool (*kernel_stats)(CaptureSource *cs, uint64_t *packets, uint64_t *drops);
    /* inline sources only (NULL otherwise): see live_capture_verdict and
     * live_capture_inject in live.h */
    bool (*verdict)(CaptureSource *cs, const Packet *p, bool drop);
    bool (*inject)(CaptureSource *cs, const Packet *p, const uint8_t *ip, size_t len, bool towards_source);
} LiveOps;

typedef struct LiveSource {
    CaptureSource base;
    const LiveOps *live;
    char iface[64];
} LiveSource;

/* The CaptureOps `next` of a live source: waits until a packet comes. */
int live_source_next_blocking(CaptureSource *cs, Packet *p);

/* The CaptureOps `current_file` of a live source: the interface name. */
const char *live_source_iface(const CaptureSource *cs);

#endif
