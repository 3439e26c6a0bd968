/*
 * Live capture sources: AF_PACKET rings (afpacket.c) and libpcap on an
 * interface (pcap-live.c), and the settings they read from the `af-packet:`
 * and `pcap:` lists of a suricata.yaml.
 *
 * A live source is a `CaptureSource` (capture.h) like the offline one, so
 * capture_set_filter, capture_stats and capture_close work on it. Reading
 * differs in one way: a live link can be quiet, so `live_capture_next` waits
 * at most `timeout_ms` and returns 0 when nothing came, which lets the
 * caller notice a stop request and let flows time out by the wall clock.
 * Packets read this way carry no pcap_cnt (as in Suricata, live packets
 * have none). `capture_next` also works and blocks until a packet arrives.
 *
 * One source is used by one thread. With AF_PACKET, each worker thread opens
 * its own source with the same cluster id: the kernel's fanout spreads the
 * packets over them by flow hash.
 */
#ifndef ODLAR_CAPTURE_LIVE_H
#define ODLAR_CAPTURE_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"
#include "conf/conf.h"

typedef enum LiveKind { LIVE_AF_PACKET, LIVE_PCAP, LIVE_NFQ } LiveKind;

/* AF_PACKET `copy-mode`: none (passive), ips (forward to copy-iface what is
 * not dropped), tap (forward everything). */
typedef enum LiveCopyMode { LIVE_COPY_NONE, LIVE_COPY_IPS, LIVE_COPY_TAP } LiveCopyMode;

/* NFQUEUE `nfq.mode`: accept (verdict NF_ACCEPT), repeat (NF_REPEAT with
 * repeat-mark under repeat-mask), route (NF_QUEUE to route-queue). */
typedef enum NfqMode { NFQ_MODE_ACCEPT, NFQ_MODE_REPEAT, NFQ_MODE_ROUTE } NfqMode;

#define NFQ_MAX_QUEUES 16

typedef struct NfqOptions {
    uint16_t queues[NFQ_MAX_QUEUES]; /* -q N, one capture thread each */
    uint32_t queue_count;
    NfqMode mode;
    uint32_t repeat_mark, repeat_mask;
    uint16_t route_queue;
    bool fail_open; /* NFQA_CFG_F_FAIL_OPEN: the kernel accepts when the queue is full */
    uint32_t batchcount; /* accept verdicts sent together (1 = one each) */
    uint32_t queue_maxlen; /* kernel queue length, 0 = kernel default */
} NfqOptions;

/* Checksum handling a live section asks for (`checksum-checks`). */
typedef enum LiveChecksum { LIVE_CSUM_KERNEL, LIVE_CSUM_YES, LIVE_CSUM_NO, LIVE_CSUM_AUTO } LiveChecksum;

typedef struct LiveOptions {
    LiveKind kind;
    char iface[64];
    uint32_t threads; /* AF_PACKET: sockets (one per worker); pcap: always 1 */
    uint16_t cluster_id;
    int fanout_type; /* PACKET_FANOUT_* */
    bool fanout_defrag; /* PACKET_FANOUT_FLAG_DEFRAG (Suricata's `defrag: yes`) */
    uint32_t block_size; /* bytes per ring block (power of two pages) */
    uint32_t block_timeout_ms; /* kernel hands a block over after this */
    uint32_t ring_size; /* packets the ring should hold (frames), per socket */
    uint32_t buffer_size; /* SO_RCVBUF / pcap buffer in bytes, 0 = system default */
    bool promisc;
    uint32_t snaplen; /* pcap: bytes kept per packet */
    const char *bpf_filter; /* NULL = none; points into the configuration */
    LiveChecksum checksum;
    /* inline AF_PACKET: forward to copy_iface; `peer` holds copy_iface's own
     * options (its packets go back to this interface), see live_options_free */
    LiveCopyMode copy_mode;
    char copy_iface[64];
    struct LiveOptions *peer;
    NfqOptions nfq; /* kind LIVE_NFQ */
} LiveOptions;

/*
 * Reads the options for `iface` (NULL: the first entry's interface) from the
 * `af-packet:` (kind LIVE_AF_PACKET) or `pcap:` list, Suricata 8 style: the
 * entry whose `interface` matches, with the `interface: default` entry's
 * values for keys the matching entry leaves out. Returns false with a message
 * on an unusable value or when no interface is named anywhere.
 */
bool live_options_read(Conf *conf, LiveKind kind, const char *iface, LiveOptions *opt, char *err, size_t errlen);

/* Releases what live_options_read allocated (the copy-iface peer). */
void live_options_free(LiveOptions *opt);

/* True when the AF_PACKET entry of `iface` (NULL: the first) asks for
 * `copy-mode: ips`, i.e. the engine runs inline. */
bool live_config_is_inline(Conf *conf, const char *iface);

/* Reads the `nfq:` section into opt->nfq (queues are set by the caller from
 * -q) and sets kind LIVE_NFQ; false with a message on a bad value. */
bool nfq_options_read(Conf *conf, LiveOptions *opt, char *err, size_t errlen);

/* How many capture threads `opt` runs: AF_PACKET `threads` (in copy mode
 * each thread reads socket k of both interfaces, whose symmetric
 * cluster_flow hash puts both directions of a flow on the same k; the
 * copy-iface's own `threads` is not used), one per NFQUEUE queue, one for
 * pcap. */
uint32_t live_thread_count(const LiveOptions *opt);

/* Opens the source of capture thread `index` (see live_thread_options). */
CaptureSource *live_capture_open(const LiveOptions *opt, uint32_t index, char *err, size_t errlen);

/* NFQUEUE: binds queue opt->nfq.queues[index] (libnetfilter_queue). */
CaptureSource *capture_open_nfq(const LiveOptions *opt, uint32_t index, char *err, size_t errlen);

/* Opens AF_PACKET socket `index` of opt->threads on opt->iface: TPACKET_V3
 * ring, bound to the interface, joined to fanout group opt->cluster_id
 * (copy mode: and one on opt->copy_iface, in opt->peer's group).
 * NULL with a message on failure (e.g. not root). */
CaptureSource *capture_open_afpacket(const LiveOptions *opt, char *err, size_t errlen);

/* Opens opt->iface with libpcap (pcap_create/pcap_activate). */
CaptureSource *capture_open_pcap_live(const LiveOptions *opt, char *err, size_t errlen);

/* Next packet within `timeout_ms`: 1 (p filled, pcap_cnt 0, src wire), 0 when
 * none came, -1 on a fatal error (capture_error says why). */
int live_capture_next(CaptureSource *cs, Packet *p, int timeout_ms);

/* Kernel counters since the previous call: packets the kernel saw for this
 * socket (including the dropped ones) and packets it dropped because the
 * ring or buffer was full. Returns false when the source cannot tell. */
bool live_capture_kernel_stats(CaptureSource *cs, uint64_t *packets, uint64_t *drops);

/* Inline sources: packets wait for a verdict (NFQUEUE) or are forwarded
 * (AF_PACKET copy-mode). */
bool live_capture_is_inline(const CaptureSource *cs);

/* The verdict on the packet live_capture_next returned last: accept
 * (NFQUEUE: accept / repeat / route as configured; AF_PACKET: send it on
 * copy-iface) or drop. False on an error (capture_error says why). */
bool live_capture_verdict(CaptureSource *cs, const Packet *p, bool drop);

/* Sends `ip` (an IP packet, `len` bytes) out on the link `p` came in on
 * (towards_source) or on the link it was going to, with Ethernet addresses
 * taken from `p`. False when the source cannot send (NFQUEUE: the caller
 * uses a raw socket) or the send failed. */
bool live_capture_inject(CaptureSource *cs, const Packet *p, const uint8_t *ip, size_t len, bool towards_source);

/* The interface name ("" when not live). */
const char *live_capture_iface(const CaptureSource *cs);

#endif
