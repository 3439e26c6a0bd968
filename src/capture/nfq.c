/*
 * NFQUEUE: the inline source of a host that routes or filters with
 * iptables (`-j NFQUEUE --queue-num N`). The kernel holds each queued
 * packet until we give a verdict on it (nfnetlink_queue, through
 * libnetfilter_queue): accept -- or, in `repeat` mode, NF_REPEAT with the
 * repeat mark, in `route` mode NF_QUEUE to route-queue -- or drop.
 *
 * One source binds one queue and is read by one capture thread. A netlink
 * read may carry several packets: the library's callback copies each into
 * an arena beside the receive buffer and queues its id, and
 * live_capture_next hands them out one by one. The verdict on a packet is
 * given after the worker has run it through the whole packet path
 * (live_capture_verdict); accept verdicts may be sent together
 * (`batchcount`, NFQA verdict batch: every packet up to the given id), and
 * a pending batch always goes out before a drop and before we wait for
 * more packets, so nothing waits for a verdict while the link is quiet.
 *
 * `fail-open` sets NFQA_CFG_F_FAIL_OPEN: when the queue is full the kernel
 * accepts instead of dropping. When Odlar is not running at all, whether
 * traffic passes is iptables' choice (`--queue-bypass`).
 *
 * Packets arrive as bare IP packets (LINKTYPE_RAW). A BPF filter is applied
 * here, in user space: packets it does not match are accepted unseen.
 * Built without libnetfilter_queue, opening a queue fails with a message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture/live-source.h"
#include "odlar-build.h"

#if ODLAR_HAVE_NFQUEUE

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#define NFQ_RECV_BUF (256u * 1024u)
#define NFQ_COPY_RANGE 0xffffu
#define NFQ_MAX_PENDING 1024u
#define NFQ_SOCKET_BUF (8u * 1024u * 1024u)

typedef struct NfqPending {
    uint32_t id;
    uint32_t mark;
    uint32_t off, len; /* bytes in the arena */
    OdTime ts;
} NfqPending;

typedef struct NfqSource {
    LiveSource ls;
    struct nfq_handle *h;
    struct nfq_q_handle *qh;
    int fd;
    uint16_t queue;
    NfqOptions cfg;
    uint8_t *recvbuf;
    uint8_t *arena; /* packet bytes of the last read */
    uint32_t arena_used;
    NfqPending pending[NFQ_MAX_PENDING];
    uint32_t pend_next, pend_count;
    /* the packet handed out last, waiting for its verdict */
    bool current_valid;
    uint32_t current_id, current_mark;
    /* accept verdicts not sent yet: every packet up to batch_id */
    uint32_t batch_id, batch_count;
    bool has_filter;
    struct bpf_program filter;
    uint64_t received; /* packets the kernel queued to us, since the last stats read */
    uint64_t overruns; /* ENOBUFS: the kernel could not tell us of packets */
} NfqSource;

static OdTime wall_time(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (OdTime)tv.tv_sec * OD_USEC_PER_SEC + tv.tv_usec;
}

/* libnetfilter_queue calls this for each packet of a read. */
static int nfq_on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfad, void *data)
{
    (void)msg;
    NfqSource *n = data;
    struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfad);
    if (!ph)
        return 0;
    uint32_t id = ntohl(ph->packet_id);
    n->received++;
    unsigned char *payload = NULL;
    int len = nfq_get_payload(nfad, &payload);
    if (len < 0 || !payload || n->pend_count >= NFQ_MAX_PENDING ||
        (uint32_t)len > NFQ_RECV_BUF - n->arena_used) {
        /* nothing we can inspect (or no room): let it through */
        nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
        return 0;
    }
    NfqPending *pp = &n->pending[(n->pend_next + n->pend_count) % NFQ_MAX_PENDING];
    pp->id = id;
    pp->mark = nfq_get_nfmark(nfad);
    pp->off = n->arena_used;
    pp->len = (uint32_t)len;
    struct timeval tv;
    pp->ts = nfq_get_timestamp(nfad, &tv) == 0 && tv.tv_sec ? (OdTime)tv.tv_sec * OD_USEC_PER_SEC + tv.tv_usec
                                                              : wall_time();
    memcpy(n->arena + n->arena_used, payload, (size_t)len);
    n->arena_used += (uint32_t)len;
    n->pend_count++;
    return 0;
}

static bool nfq_flush_batch(NfqSource *n)
{
    if (n->batch_count == 0)
        return true;
    n->batch_count = 0;
    if (nfq_set_verdict_batch(n->qh, n->batch_id, NF_ACCEPT) < 0) {
        capture_source_error(&n->ls.base, "NFQUEUE %u: sending verdicts failed: %s", n->queue, strerror(errno));
        return false;
    }
    return true;
}

/* Waits for a read from the kernel and runs the callbacks: 1 packets
 * queued (or a read that brought none), 0 timeout, -1 fatal. */
static int nfq_read(NfqSource *n, int timeout_ms)
{
    struct pollfd pfd = { .fd = n->fd, .events = POLLIN };
    int r = poll(&pfd, 1, timeout_ms);
    if (r < 0 && errno != EINTR) {
        capture_source_error(&n->ls.base, "NFQUEUE %u: poll: %s", n->queue, strerror(errno));
        return -1;
    }
    if (r <= 0)
        return 0;
    ssize_t got = recv(n->fd, n->recvbuf, NFQ_RECV_BUF, MSG_DONTWAIT);
    if (got < 0) {
        if (errno == ENOBUFS) {
            n->overruns++;
            return 1;
        }
        if (errno == EAGAIN || errno == EINTR)
            return 1;
        capture_source_error(&n->ls.base, "NFQUEUE %u: recv: %s", n->queue, strerror(errno));
        return -1;
    }
    n->arena_used = 0;
    n->pend_next = 0;
    nfq_handle_packet(n->h, (char *)n->recvbuf, (int)got);
    return 1;
}

static int nfq_next_timeout(CaptureSource *cs, Packet *p, int timeout_ms)
{
    NfqSource *n = (NfqSource *)cs;
    for (int waited = 0;;) {
        while (n->pend_count > 0) {
            NfqPending *pp = &n->pending[n->pend_next];
            n->pend_next = (n->pend_next + 1) % NFQ_MAX_PENDING;
            n->pend_count--;
            const uint8_t *bytes = n->arena + pp->off;
            if (n->has_filter) {
                struct pcap_pkthdr hdr = { .caplen = pp->len, .len = pp->len };
                if (!pcap_offline_filter(&n->filter, &hdr, bytes)) {
                    nfq_set_verdict(n->qh, pp->id, NF_ACCEPT, 0, NULL);
                    continue;
                }
            }
            packet_set_data(p, bytes, pp->len);
            p->wire_len = pp->len;
            p->datalink = 101; /* LINKTYPE_RAW */
            p->ts = pp->ts;
            n->current_valid = true;
            n->current_id = pp->id;
            n->current_mark = pp->mark;
            return 1;
        }
        if (waited)
            return 0;
        /* nothing may wait for a verdict while we sleep */
        if (!nfq_flush_batch(n))
            return -1;
        int r = nfq_read(n, timeout_ms);
        if (r < 0)
            return -1;
        if (r == 0)
            waited = 1;
    }
}

static bool nfq_source_verdict(CaptureSource *cs, const Packet *p, bool drop)
{
    (void)p;
    NfqSource *n = (NfqSource *)cs;
    if (!n->current_valid)
        return true;
    n->current_valid = false;
    uint32_t id = n->current_id;
    int r = 0;
    if (drop) {
        if (!nfq_flush_batch(n))
            return false;
        r = nfq_set_verdict(n->qh, id, NF_DROP, 0, NULL);
    } else if (n->cfg.mode == NFQ_MODE_REPEAT) {
        uint32_t mark = (n->current_mark & ~n->cfg.repeat_mask) | (n->cfg.repeat_mark & n->cfg.repeat_mask);
        r = nfq_set_verdict2(n->qh, id, NF_REPEAT, mark, 0, NULL);
    } else if (n->cfg.mode == NFQ_MODE_ROUTE) {
        r = nfq_set_verdict(n->qh, id, NF_QUEUE_NR((uint32_t)n->cfg.route_queue), 0, NULL);
    } else if (n->cfg.batchcount > 1) {
        n->batch_id = id;
        if (++n->batch_count >= n->cfg.batchcount)
            return nfq_flush_batch(n);
    } else {
        r = nfq_set_verdict(n->qh, id, NF_ACCEPT, 0, NULL);
    }
    if (r < 0) {
        capture_source_error(cs, "NFQUEUE %u: sending a verdict failed: %s", n->queue, strerror(errno));
        return false;
    }
    return true;
}

static bool nfq_kernel_stats(CaptureSource *cs, uint64_t *packets, uint64_t *drops)
{
    /* the kernel keeps no per-reader counters we can read and reset: count
     * what it queued to us, and the reads that overran (each lost at least
     * one packet's notice) */
    NfqSource *n = (NfqSource *)cs;
    *packets = n->received + n->overruns;
    *drops = n->overruns;
    n->received = n->overruns = 0;
    return true;
}

static bool nfq_set_filter(CaptureSource *cs, const char *bpf)
{
    NfqSource *n = (NfqSource *)cs;
    if (n->has_filter) {
        pcap_freecode(&n->filter);
        n->has_filter = false;
    }
    if (!bpf)
        return true;
    pcap_t *dead = pcap_open_dead(DLT_RAW, (int)NFQ_COPY_RANGE);
    if (!dead) {
        capture_source_error(cs, "cannot prepare BPF compilation");
        return false;
    }
    bool ok = pcap_compile(dead, &n->filter, bpf, 1, PCAP_NETMASK_UNKNOWN) == 0;
    if (!ok)
        capture_source_error(cs, "bad BPF filter '%s': %s", bpf, pcap_geterr(dead));
    n->has_filter = ok;
    pcap_close(dead);
    return ok;
}

static void nfq_source_close(CaptureSource *cs)
{
    NfqSource *n = (NfqSource *)cs;
    if (n->qh) {
        /* the packets we hold go on rather than wait for a verdict */
        nfq_flush_batch(n);
        if (n->current_valid)
            nfq_set_verdict(n->qh, n->current_id, NF_ACCEPT, 0, NULL);
        while (n->pend_count > 0) {
            nfq_set_verdict(n->qh, n->pending[n->pend_next].id, NF_ACCEPT, 0, NULL);
            n->pend_next = (n->pend_next + 1) % NFQ_MAX_PENDING;
            n->pend_count--;
        }
        nfq_destroy_queue(n->qh);
    }
    if (n->h)
        nfq_close(n->h);
    if (n->has_filter)
        pcap_freecode(&n->filter);
    free(n->recvbuf);
    free(n->arena);
    free(n);
}

static const CaptureOps nfq_ops = {
    .name = "nfq",
    .next = live_source_next_blocking,
    .set_filter = nfq_set_filter,
    .current_file = live_source_iface,
    .close = nfq_source_close,
};

static const LiveOps nfq_live_ops = {
    .next_timeout = nfq_next_timeout,
    .kernel_stats = nfq_kernel_stats,
    .verdict = nfq_source_verdict,
};

static bool nfq_fail(NfqSource *n, char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "NFQUEUE %u: %s: %s%s", n->queue, what, strerror(errno),
             errno == EPERM ? " (NFQUEUE needs root or CAP_NET_ADMIN)" : "");
    return false;
}

static bool nfq_setup(NfqSource *n, char *err, size_t errlen)
{
    n->h = nfq_open();
    if (!n->h)
        return nfq_fail(n, err, errlen, "opening the netlink socket");
    n->qh = nfq_create_queue(n->h, n->queue, nfq_on_packet, n);
    if (!n->qh)
        return nfq_fail(n, err, errlen, "binding the queue (is another program reading it?)");
    if (nfq_set_mode(n->qh, NFQNL_COPY_PACKET, NFQ_COPY_RANGE) < 0)
        return nfq_fail(n, err, errlen, "asking for whole packets");
    if (n->cfg.queue_maxlen && nfq_set_queue_maxlen(n->qh, n->cfg.queue_maxlen) < 0)
        return nfq_fail(n, err, errlen, "setting the queue length");
    if (n->cfg.fail_open &&
        nfq_set_queue_flags(n->qh, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN) < 0)
        return nfq_fail(n, err, errlen, "fail-open (the kernel does not support it)");
    n->fd = nfq_fd(n->h);
    int size = (int)NFQ_SOCKET_BUF;
    setsockopt(n->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
    int on = 1;
    setsockopt(n->fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &on, sizeof(on));
    return true;
}

CaptureSource *capture_open_nfq(const LiveOptions *opt, uint32_t index, char *err, size_t errlen)
{
    if (index >= opt->nfq.queue_count) {
        capture_copy_error(err, errlen, "no such NFQUEUE thread");
        return NULL;
    }
    NfqSource *n = calloc(1, sizeof(*n));
    if (!n) {
        capture_copy_error(err, errlen, "out of memory");
        return NULL;
    }
    capture_source_init(&n->ls.base, &nfq_ops);
    n->ls.live = &nfq_live_ops;
    n->queue = opt->nfq.queues[index];
    n->cfg = opt->nfq;
    n->fd = -1;
    snprintf(n->ls.iface, sizeof(n->ls.iface), "NFQ#%u", n->queue);
    n->recvbuf = malloc(NFQ_RECV_BUF);
    n->arena = malloc(NFQ_RECV_BUF);
    if (!n->recvbuf || !n->arena) {
        capture_copy_error(err, errlen, "out of memory");
        nfq_source_close(&n->ls.base);
        return NULL;
    }
    if (!nfq_setup(n, err, errlen)) {
        nfq_source_close(&n->ls.base);
        return NULL;
    }
    if (opt->bpf_filter && !nfq_set_filter(&n->ls.base, opt->bpf_filter)) {
        capture_copy_error(err, errlen, n->ls.base.errbuf);
        nfq_source_close(&n->ls.base);
        return NULL;
    }
    return &n->ls.base;
}

#else /* built without libnetfilter_queue */

CaptureSource *capture_open_nfq(const LiveOptions *opt, uint32_t index, char *err, size_t errlen)
{
    (void)opt;
    (void)index;
    capture_copy_error(err, errlen,
                       "NFQUEUE: Odlar was built without NFQUEUE support (install libnetfilter-queue-dev and "
                       "libmnl-dev, then run meson setup again)");
    return NULL;
}

#endif
