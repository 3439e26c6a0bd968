/*
 * The generic calls of live sources (live.h): dispatch through the LiveOps
 * of a LiveSource, plus the bookkeeping capture.c does for offline reads
 * (packet and byte counters), except the running packet number: live
 * packets carry no pcap_cnt, as in Suricata.
 */
#include "capture/live-source.h"

int live_capture_next(CaptureSource *cs, Packet *p, int timeout_ms)
{
    LiveSource *ls = (LiveSource *)cs;
    int r = ls->live->next_timeout(cs, p, timeout_ms);
    if (r != 1)
        return r;
    p->src = PKT_SRC_WIRE;
    p->pcap_cnt = 0;
    cs->stats.packets++;
    cs->stats.bytes += p->len;
    return 1;
}

int live_source_next_blocking(CaptureSource *cs, Packet *p)
{
    LiveSource *ls = (LiveSource *)cs;
    for (;;) {
        int r = ls->live->next_timeout(cs, p, 1000);
        if (r != 0)
            return r;
    }
}

bool live_capture_kernel_stats(CaptureSource *cs, uint64_t *packets, uint64_t *drops)
{
    LiveSource *ls = (LiveSource *)cs;
    *packets = 0;
    *drops = 0;
    return ls->live->kernel_stats && ls->live->kernel_stats(cs, packets, drops);
}

const char *live_source_iface(const CaptureSource *cs) { return ((const LiveSource *)cs)->iface; }

const char *live_capture_iface(const CaptureSource *cs) { return live_source_iface(cs); }
