/*
 * The generic calls of live sources (live.h): dispatch through the LiveOps
 * of a LiveSource, plus the bookkeeping capture.c does for offline reads
 * (packet and byte counters), except the running packet number: live
 * packets carry no pcap_cnt, as in Suricata. Also which source a capture
 * thread opens (NFQUEUE: one queue per thread) and the verdict calls of
 * inline sources.
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

bool live_capture_is_inline(const CaptureSource *cs) { return ((const LiveSource *)cs)->live->verdict != NULL; }

bool live_capture_verdict(CaptureSource *cs, const Packet *p, bool drop)
{
    LiveSource *ls = (LiveSource *)cs;
    return !ls->live->verdict || ls->live->verdict(cs, p, drop);
}

bool live_capture_inject(CaptureSource *cs, const Packet *p, const uint8_t *ip, size_t len, bool towards_source)
{
    LiveSource *ls = (LiveSource *)cs;
    return ls->live->inject && ls->live->inject(cs, p, ip, len, towards_source);
}

uint32_t live_thread_count(const LiveOptions *opt)
{
    if (opt->kind == LIVE_NFQ)
        return opt->nfq.queue_count;
    if (opt->kind == LIVE_PCAP)
        return 1;
    return opt->threads;
}

CaptureSource *live_capture_open(const LiveOptions *opt, uint32_t index, char *err, size_t errlen)
{
    switch (opt->kind) {
    case LIVE_NFQ: return capture_open_nfq(opt, index, err, errlen);
    case LIVE_PCAP: return capture_open_pcap_live(opt, err, errlen);
    case LIVE_AF_PACKET: break;
    }
    return capture_open_afpacket(opt, err, errlen);
}
