/*
 * Live capture through libpcap (`--pcap=IFACE`, the `pcap:` section): the
 * portable fallback when AF_PACKET is not wanted. One handle, one thread;
 * libpcap's own read timeout bounds each wait, and its kernel counters
 * (pcap_stats: received, dropped) are turned into per-call increments.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "capture/live-source.h"

typedef struct PcapLiveSource {
    LiveSource ls;
    pcap_t *pcap;
    int fd; /* selectable descriptor, -1 when libpcap has none */
    int datalink;
    uint64_t last_recv, last_drop; /* pcap_stats values at the previous call */
} PcapLiveSource;

static int pcap_live_next_timeout(CaptureSource *cs, Packet *p, int timeout_ms)
{
    PcapLiveSource *s = (PcapLiveSource *)cs;
    for (int waited = 0;; waited = 1) {
        struct pcap_pkthdr *h = NULL;
        const u_char *data = NULL;
        int r = pcap_next_ex(s->pcap, &h, &data);
        if (r == 1) {
            packet_set_data(p, data, h->caplen);
            p->wire_len = h->len;
            p->datalink = s->datalink;
            p->ts = (OdTime)h->ts.tv_sec * OD_USEC_PER_SEC + h->ts.tv_usec;
            return 1;
        }
        if (r < 0) {
            capture_source_error(cs, "pcap %s: %s", s->ls.iface, pcap_geterr(s->pcap));
            return -1;
        }
        if (waited || s->fd < 0)
            return 0;
        struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
        if (poll(&pfd, 1, timeout_ms) < 0 && errno != EINTR) {
            capture_source_error(cs, "pcap %s: poll: %s", s->ls.iface, strerror(errno));
            return -1;
        }
    }
}

static bool pcap_live_kernel_stats(CaptureSource *cs, uint64_t *packets, uint64_t *drops)
{
    PcapLiveSource *s = (PcapLiveSource *)cs;
    struct pcap_stat st;
    if (pcap_stats(s->pcap, &st) != 0)
        return false;
    /* libpcap's counters are cumulative 32-bit values */
    uint64_t recv = st.ps_recv, drop = st.ps_drop;
    *packets = recv >= s->last_recv ? recv - s->last_recv : recv;
    *drops = drop >= s->last_drop ? drop - s->last_drop : drop;
    s->last_recv = recv;
    s->last_drop = drop;
    return true;
}

static bool pcap_live_set_filter(CaptureSource *cs, const char *bpf)
{
    PcapLiveSource *s = (PcapLiveSource *)cs;
    struct bpf_program prog;
    if (pcap_compile(s->pcap, &prog, bpf ? bpf : "", 1, PCAP_NETMASK_UNKNOWN) != 0) {
        capture_source_error(cs, "bad BPF filter '%s': %s", bpf ? bpf : "", pcap_geterr(s->pcap));
        return false;
    }
    bool ok = pcap_setfilter(s->pcap, &prog) == 0;
    if (!ok)
        capture_source_error(cs, "pcap %s: setting the BPF filter failed: %s", s->ls.iface, pcap_geterr(s->pcap));
    pcap_freecode(&prog);
    return ok;
}

static void pcap_live_close(CaptureSource *cs)
{
    PcapLiveSource *s = (PcapLiveSource *)cs;
    if (s->pcap)
        pcap_close(s->pcap);
    free(s);
}

static const CaptureOps pcap_live_ops = {
    .name = "pcap",
    .next = live_source_next_blocking,
    .set_filter = pcap_live_set_filter,
    .current_file = live_source_iface,
    .close = pcap_live_close,
};

static const LiveOps pcap_live_live_ops = { .next_timeout = pcap_live_next_timeout,
                                            .kernel_stats = pcap_live_kernel_stats };

CaptureSource *capture_open_pcap_live(const LiveOptions *opt, char *err, size_t errlen)
{
    PcapLiveSource *s = calloc(1, sizeof(*s));
    if (!s) {
        capture_copy_error(err, errlen, "out of memory");
        return NULL;
    }
    capture_source_init(&s->ls.base, &pcap_live_ops);
    s->ls.live = &pcap_live_live_ops;
    snprintf(s->ls.iface, sizeof(s->ls.iface), "%s", opt->iface);
    s->fd = -1;
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    s->pcap = pcap_create(opt->iface, ebuf);
    if (!s->pcap) {
        snprintf(err, errlen, "pcap %s: %s", opt->iface, ebuf);
        free(s);
        return NULL;
    }
    pcap_set_snaplen(s->pcap, (int)opt->snaplen);
    pcap_set_promisc(s->pcap, opt->promisc ? 1 : 0);
    pcap_set_timeout(s->pcap, (int)opt->block_timeout_ms);
    if (opt->buffer_size)
        pcap_set_buffer_size(s->pcap, (int)opt->buffer_size);
    int r = pcap_activate(s->pcap);
    if (r < 0) {
        snprintf(err, errlen, "pcap %s: %s%s", opt->iface, pcap_statustostr(r),
                 r == PCAP_ERROR_PERM_DENIED ? " (live capture needs root or CAP_NET_RAW)" : "");
        pcap_live_close(&s->ls.base);
        return NULL;
    }
    if (pcap_setnonblock(s->pcap, 1, ebuf) != 0) {
        snprintf(err, errlen, "pcap %s: %s", opt->iface, ebuf);
        pcap_live_close(&s->ls.base);
        return NULL;
    }
    s->fd = pcap_get_selectable_fd(s->pcap);
    s->datalink = pcap_datalink(s->pcap);
    if (opt->bpf_filter && !pcap_live_set_filter(&s->ls.base, opt->bpf_filter)) {
        capture_copy_error(err, errlen, s->ls.base.errbuf);
        pcap_live_close(&s->ls.base);
        return NULL;
    }
    return &s->ls.base;
}
