/*
 * AF_PACKET capture with TPACKET_V3 rings (Linux packet(7),
 * Documentation/networking/packet_mmap.rst).
 *
 * Each source is one packet socket bound to one interface, with a receive
 * ring of `blocks` blocks mapped into our memory: the kernel fills a block
 * with packets, marks it TP_STATUS_USER once it is full or `block-timeout`
 * has passed, and we hand its packets out one by one and give the block back
 * (TP_STATUS_KERNEL). Sockets of several worker threads join one fanout
 * group (PACKET_FANOUT with the cluster id): with cluster_flow the kernel
 * sends both directions of a flow to the same socket, so every flow stays
 * on one worker with no reader thread in between.
 *
 * The ring's headers are written by the kernel, but their offsets and
 * lengths are still checked against the block before any byte is copied
 * (afpacket-block.c walks a block).
 * VLAN tags the kernel took off (TP_STATUS_VLAN_VALID) are put back into the
 * copied frame so the decoder sees the packet as it was on the wire.
 *
 * Copy mode (`copy-mode: ips|tap`, `copy-iface`): Odlar is the bridge
 * between two interfaces. Each source then owns a second ring socket, on
 * copy-iface in that interface's fanout group (the `peer`), reads both
 * in turn, and once the worker is done with a packet sends it out of the
 * other interface (live_capture_verdict) unless it was dropped in ips
 * mode; tap mode sends everything. What we send shows up as outgoing on
 * that interface's other capture sockets, so copy mode skips outgoing
 * packets (PACKET_IGNORE_OUTGOING where the kernel has it, and by
 * direction). A bpf-filter applies to both sockets, and what it leaves
 * out is not forwarded either.
 * Reject replies (live_capture_inject) go out on the interface the packet
 * came in on (towards its source) or on copy-iface (towards its
 * destination), with the packet's Ethernet addresses turned around or kept.
 * The hosts on either side should compute their own checksums (no TX
 * checksum offload, as Suricata's documentation asks for inline AF_PACKET):
 * frames are forwarded byte for byte.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <net/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture/afpacket-block.h"
#include "capture/live-source.h"

#define AFP_FRAME_SIZE 2048u /* per-packet estimate used to size the ring */

typedef struct AfPacketSource {
    LiveSource ls;
    int fd;
    int datalink;
    bool loopback; /* ARPHRD_LOOPBACK: each packet shows up twice */
    uint8_t *ring;
    size_t ring_len;
    uint32_t block_size, blocks;
    uint32_t cur_block; /* block being read or waited for */
    bool in_block; /* cur_block is ours (TP_STATUS_USER) and being walked */
    AfpBlockCursor cursor;
    uint8_t *frame; /* scratch for re-inserting a VLAN tag */
    char name[64]; /* this socket's interface */
    int ifindex;
    /* copy mode: the socket on copy-iface (same thread index, so the same
     * flows: cluster_flow's hash is symmetric), owned by this source */
    struct AfPacketSource *peer;
    LiveCopyMode copy_mode;
    bool skip_outgoing;
    bool took_peer; /* the last packet came from the peer */
    struct AfPacketSource *current; /* side the last packet came in on */
    uint64_t send_errors;
} AfPacketSource;

static struct tpacket_block_desc *block_at(AfPacketSource *a, uint32_t i)
{
    return (struct tpacket_block_desc *)(void *)(a->ring + (size_t)i * a->block_size);
}

static void block_release(AfPacketSource *a)
{
    struct tpacket_block_desc *bd = block_at(a, a->cur_block);
    __atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
    a->cur_block = (a->cur_block + 1) % a->blocks;
    a->in_block = false;
}

/* Starts reading cur_block when the kernel has handed it over. */
static bool block_take(AfPacketSource *a)
{
    struct tpacket_block_desc *bd = block_at(a, a->cur_block);
    uint32_t status = __atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE);
    if (!(status & TP_STATUS_USER))
        return false;
    a->in_block = afp_block_begin((const uint8_t *)bd, a->block_size, &a->cursor);
    if (!a->in_block)
        block_release(a);
    return a->in_block;
}

/* Copies the next packet of cur_block into p: 1, 0 when the packet is left
 * out (the outgoing copy on a loopback, as libpcap leaves it out), -1 when
 * the block holds no more packets or a corrupt one (the walk ends). */
static int block_packet(AfPacketSource *a, Packet *p)
{
    const uint8_t *block = (const uint8_t *)block_at(a, a->cur_block);
    AfpFrame f;
    if (afp_block_next(block, a->block_size, &a->cursor, &f) != 1)
        return -1;
    if ((a->loopback || a->skip_outgoing) && f.outgoing)
        return 0;
    const uint8_t *data = f.data;
    uint32_t len = f.len, wire_len = f.wire_len;
    if (f.has_vlan && a->datalink == DLT_EN10MB && len >= 12) {
        /* the kernel moved the VLAN tag into the header: put it back after
         * the two MAC addresses */
        memcpy(a->frame, data, 12);
        a->frame[12] = (uint8_t)(f.vlan_tpid >> 8);
        a->frame[13] = (uint8_t)f.vlan_tpid;
        a->frame[14] = (uint8_t)(f.vlan_tci >> 8);
        a->frame[15] = (uint8_t)f.vlan_tci;
        memcpy(a->frame + 16, data + 12, len - 12);
        data = a->frame;
        len += 4;
        wire_len += 4;
    }
    packet_set_data(p, data, len);
    p->wire_len = wire_len;
    p->datalink = a->datalink;
    p->ts = f.ts;
    return 1;
}

/* The next packet the ring already holds: 1, or 0 when it holds none. */
static int ring_next(AfPacketSource *a, Packet *p)
{
    for (;;) {
        if (!a->in_block && !block_take(a))
            return 0;
        int got = block_packet(a, p);
        if (got < 0)
            block_release(a);
        if (got == 1)
            return 1;
    }
}

static int afp_next_timeout(CaptureSource *cs, Packet *p, int timeout_ms)
{
    AfPacketSource *a = (AfPacketSource *)cs;
    AfPacketSource *b = a->peer; /* copy mode: the copy-iface's ring */
    for (int waited = 0;; waited = 1) {
        /* copy mode: take turns, so a busy side cannot starve the other */
        AfPacketSource *first = b && a->took_peer ? a : b ? b : a;
        AfPacketSource *second = b ? (first == a ? b : a) : NULL;
        AfPacketSource *from = ring_next(first, p) ? first : second && ring_next(second, p) ? second : NULL;
        if (from) {
            a->took_peer = from != a;
            a->current = from;
            if (b) /* EVE's in_iface: the interface this packet came in on */
                memcpy(a->ls.iface, from->name, sizeof(a->ls.iface));
            return 1;
        }
        if (waited)
            return 0;
        struct pollfd pfd[2] = { { .fd = a->fd, .events = POLLIN | POLLERR },
                                 { .fd = b ? b->fd : -1, .events = POLLIN | POLLERR } };
        int n = poll(pfd, b ? 2 : 1, timeout_ms);
        if (n < 0 && errno != EINTR) {
            capture_source_error(cs, "%s: poll: %s", a->name, strerror(errno));
            return -1;
        }
        for (int i = 0; n > 0 && i < (b ? 2 : 1); i++) {
            if ((pfd[i].revents & (POLLERR | POLLNVAL)) && !(pfd[i].revents & POLLIN)) {
                capture_source_error(cs, "%s: the interface went away or failed", i ? b->name : a->name);
                return -1;
            }
        }
    }
}

static bool afp_kernel_stats(CaptureSource *cs, uint64_t *packets, uint64_t *drops)
{
    AfPacketSource *a = (AfPacketSource *)cs;
    struct tpacket_stats_v3 st;
    socklen_t len = sizeof(st);
    memset(&st, 0, sizeof(st));
    /* the kernel resets the counters on each read */
    if (getsockopt(a->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) != 0)
        return false;
    *packets = st.tp_packets;
    *drops = st.tp_drops;
    uint64_t pp = 0, pd = 0;
    if (a->peer && afp_kernel_stats(&a->peer->ls.base, &pp, &pd)) {
        *packets += pp;
        *drops += pd;
    }
    return true;
}

/* Compiles `bpf` with libpcap for the socket's link type and attaches it. */
static bool afp_set_filter(CaptureSource *cs, const char *bpf)
{
    AfPacketSource *a = (AfPacketSource *)cs;
    if (!bpf) {
        int dummy = 0;
        setsockopt(a->fd, SOL_SOCKET, SO_DETACH_FILTER, &dummy, sizeof(dummy));
        if (a->peer)
            setsockopt(a->peer->fd, SOL_SOCKET, SO_DETACH_FILTER, &dummy, sizeof(dummy));
        return true;
    }
    pcap_t *dead = pcap_open_dead(a->datalink, (int)AFP_MAX_FRAME);
    if (!dead) {
        capture_source_error(cs, "cannot prepare BPF compilation");
        return false;
    }
    struct bpf_program prog;
    if (pcap_compile(dead, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        capture_source_error(cs, "bad BPF filter '%s': %s", bpf, pcap_geterr(dead));
        pcap_close(dead);
        return false;
    }
    struct sock_fprog fprog = { .len = (unsigned short)prog.bf_len, .filter = (struct sock_filter *)prog.bf_insns };
    bool ok = setsockopt(a->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog)) == 0 &&
              (!a->peer || setsockopt(a->peer->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog)) == 0);
    if (!ok)
        capture_source_error(cs, "%s: attaching the BPF filter failed: %s", a->ls.iface, strerror(errno));
    pcap_freecode(&prog);
    pcap_close(dead);
    return ok;
}

static void afp_close(CaptureSource *cs)
{
    AfPacketSource *a = (AfPacketSource *)cs;
    if (a->ring && a->ring != MAP_FAILED)
        munmap(a->ring, a->ring_len);
    if (a->fd >= 0)
        close(a->fd);
    if (a->peer)
        afp_close(&a->peer->ls.base);
    free(a->frame);
    free(a);
}

static const CaptureOps afp_ops = {
    .name = "af-packet",
    .next = live_source_next_blocking,
    .set_filter = afp_set_filter,
    .current_file = live_source_iface,
    .close = afp_close,
};

static const LiveOps afp_live_ops = { .next_timeout = afp_next_timeout, .kernel_stats = afp_kernel_stats };

/* Sends `len` bytes on the interface `ifindex` through `fd`. */
static bool afp_send(AfPacketSource *a, int fd, int ifindex, const uint8_t *frame, size_t len)
{
    struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = ETH_ALEN };
    if (sendto(fd, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)len)
        return true;
    /* say it once; the count is kept */
    if (a->send_errors++ == 0)
        capture_source_error(&a->ls.base, "%s: forwarding a %zu-byte frame failed: %s%s", a->ls.iface, len,
                             strerror(errno),
                             errno == EMSGSIZE ? " (turn off TSO/GSO/GRO offloads on the bridged links)" : "");
    return false;
}

/* The socket on the other interface than the one `from` is bound to. */
static AfPacketSource *other_side(AfPacketSource *a, AfPacketSource *from) { return from == a ? a->peer : a; }

static bool afp_verdict(CaptureSource *cs, const Packet *p, bool drop)
{
    AfPacketSource *a = (AfPacketSource *)cs;
    AfPacketSource *from = a->current ? a->current : a;
    if (drop && a->copy_mode == LIVE_COPY_IPS)
        return true;
    AfPacketSource *to = other_side(a, from);
    return afp_send(a, to->fd, to->ifindex, p->buf, p->len);
}

static bool afp_inject(CaptureSource *cs, const Packet *p, const uint8_t *ip, size_t len, bool towards_source)
{
    AfPacketSource *a = (AfPacketSource *)cs;
    AfPacketSource *from = a->current ? a->current : a;
    if (len == 0 || len > AFP_MAX_FRAME - ETH_HLEN)
        return false;
    size_t off = 0;
    if (a->datalink == DLT_EN10MB) {
        /* towards the source: from the destination's address to the source's */
        memcpy(a->frame, towards_source ? p->src_mac : p->dst_mac, ETH_ALEN);
        memcpy(a->frame + ETH_ALEN, towards_source ? p->dst_mac : p->src_mac, ETH_ALEN);
        uint16_t type = (ip[0] >> 4) == 6 ? ETH_P_IPV6 : ETH_P_IP;
        a->frame[12] = (uint8_t)(type >> 8);
        a->frame[13] = (uint8_t)type;
        off = ETH_HLEN;
    }
    memcpy(a->frame + off, ip, len);
    AfPacketSource *to = towards_source ? from : other_side(a, from);
    return afp_send(a, to->fd, to->ifindex, a->frame, off + len);
}

static const LiveOps afp_copy_live_ops = {
    .next_timeout = afp_next_timeout,
    .kernel_stats = afp_kernel_stats,
    .verdict = afp_verdict,
    .inject = afp_inject,
};

/* Copy mode: outgoing packets (what the other side's threads forward
 * here) are not captured again. */
static void afp_copy_setup(AfPacketSource *a, const LiveOptions *opt)
{
    a->copy_mode = opt->copy_mode;
    a->skip_outgoing = true;
#ifdef PACKET_IGNORE_OUTGOING
    int on = 1;
    setsockopt(a->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof(on));
#endif
}

/* Link type of the interface for the decoder. */
static int afp_datalink(int fd, const char *iface, bool *loopback)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    size_t n = strnlen(iface, sizeof(ifr.ifr_name) - 1);
    memcpy(ifr.ifr_name, iface, n);
    if (ioctl(fd, SIOCGIFHWADDR, &ifr) != 0)
        return DLT_EN10MB;
    *loopback = ifr.ifr_hwaddr.sa_family == ARPHRD_LOOPBACK;
    switch (ifr.ifr_hwaddr.sa_family) {
    case ARPHRD_ETHER:
    case ARPHRD_LOOPBACK: return DLT_EN10MB;
    case ARPHRD_PPP:
    case ARPHRD_NONE: return 101; /* LINKTYPE_RAW: bare IP packets */
    default: return DLT_EN10MB;
    }
}

static bool afp_fail(AfPacketSource *a, char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "af-packet %s: %s: %s%s", a->name, what, strerror(errno),
             errno == EPERM ? " (live capture needs root or CAP_NET_RAW)" : "");
    return false;
}

static bool afp_setup(AfPacketSource *a, const LiveOptions *opt, char *err, size_t errlen)
{
    a->fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (a->fd < 0)
        return afp_fail(a, err, errlen, "socket");
    unsigned ifindex = if_nametoindex(opt->iface);
    if (ifindex == 0)
        return afp_fail(a, err, errlen, "no such interface");
    a->ifindex = (int)ifindex;
    a->datalink = afp_datalink(a->fd, opt->iface, &a->loopback);
    int version = TPACKET_V3;
    if (setsockopt(a->fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)) != 0)
        return afp_fail(a, err, errlen, "TPACKET_V3");
    if (opt->buffer_size) {
        int size = (int)opt->buffer_size;
        setsockopt(a->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    }
    a->block_size = opt->block_size;
    uint64_t bytes = (uint64_t)opt->ring_size * AFP_FRAME_SIZE;
    a->blocks = (uint32_t)((bytes + a->block_size - 1) / a->block_size);
    if (a->blocks < 2)
        a->blocks = 2;
    struct tpacket_req3 req = {
        .tp_block_size = a->block_size,
        .tp_block_nr = a->blocks,
        .tp_frame_size = AFP_FRAME_SIZE,
        .tp_frame_nr = (a->block_size / AFP_FRAME_SIZE) * a->blocks,
        .tp_retire_blk_tov = opt->block_timeout_ms,
        .tp_feature_req_word = TP_FT_REQ_FILL_RXHASH,
    };
    if (setsockopt(a->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) != 0)
        return afp_fail(a, err, errlen, "setting up the ring (block-size, ring-size)");
    a->ring_len = (size_t)a->block_size * a->blocks;
    a->ring = mmap(NULL, a->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED, a->fd, 0);
    if (a->ring == MAP_FAILED) {
        a->ring = NULL;
        return afp_fail(a, err, errlen, "mapping the ring");
    }
    struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = (int)ifindex };
    if (bind(a->fd, (struct sockaddr *)&sll, sizeof(sll)) != 0)
        return afp_fail(a, err, errlen, "bind");
    if (opt->promisc) {
        struct packet_mreq mr = { .mr_ifindex = (int)ifindex, .mr_type = PACKET_MR_PROMISC };
        setsockopt(a->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr));
    }
    uint32_t fanout = opt->cluster_id | ((uint32_t)opt->fanout_type << 16);
    if (opt->fanout_defrag && opt->fanout_type == PACKET_FANOUT_HASH)
        fanout |= (uint32_t)PACKET_FANOUT_FLAG_DEFRAG << 16;
    if (setsockopt(a->fd, SOL_PACKET, PACKET_FANOUT, &fanout, sizeof(fanout)) != 0)
        return afp_fail(a, err, errlen, "joining the fanout group (cluster-id in use with other settings?)");
    if (opt->copy_mode != LIVE_COPY_NONE)
        afp_copy_setup(a, opt);
    return true;
}

/* One socket with its ring on opt->iface. */
static AfPacketSource *afp_open_one(const LiveOptions *opt, char *err, size_t errlen)
{
    AfPacketSource *a = calloc(1, sizeof(*a));
    if (!a) {
        capture_copy_error(err, errlen, "out of memory");
        return NULL;
    }
    capture_source_init(&a->ls.base, &afp_ops);
    a->ls.live = opt->copy_mode != LIVE_COPY_NONE ? &afp_copy_live_ops : &afp_live_ops;
    snprintf(a->ls.iface, sizeof(a->ls.iface), "%s", opt->iface);
    a->fd = -1;
    snprintf(a->name, sizeof(a->name), "%s", opt->iface);
    a->frame = malloc(AFP_MAX_FRAME + 4);
    if (!a->frame || !afp_setup(a, opt, err, errlen)) {
        if (!a->frame)
            capture_copy_error(err, errlen, "out of memory");
        afp_close(&a->ls.base);
        return NULL;
    }
    return a;
}

CaptureSource *capture_open_afpacket(const LiveOptions *opt, char *err, size_t errlen)
{
    AfPacketSource *a = afp_open_one(opt, err, errlen);
    if (!a)
        return NULL;
    if (opt->copy_mode != LIVE_COPY_NONE) {
        if (!opt->peer) {
            capture_copy_error(err, errlen, "af-packet copy mode without the copy-iface's settings");
            afp_close(&a->ls.base);
            return NULL;
        }
        a->peer = afp_open_one(opt->peer, err, errlen);
        if (!a->peer) {
            afp_close(&a->ls.base);
            return NULL;
        }
    }
    if (opt->bpf_filter && !afp_set_filter(&a->ls.base, opt->bpf_filter)) {
        capture_copy_error(err, errlen, a->ls.base.errbuf);
        afp_close(&a->ls.base);
        return NULL;
    }
    return &a->ls.base;
}
