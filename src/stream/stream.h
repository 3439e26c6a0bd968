/*
 * TCP stream tracking and reassembly.
 *
 * For each TCP flow the stream stage keeps a TcpSession: the state machine of
 * RFC 9293 as an IDS sees it from the middle (3-way handshake, midstream
 * pickup when `stream.midstream` is on, FIN/RST teardown), the sequence space
 * of both directions with wrap-around, and the segments not yet delivered.
 * Segments are reassembled per direction with out-of-order, retransmitted
 * and overlapping data resolved by Suricata's default policy; data is handed
 * in order to a StreamSink with explicit gaps for bytes never seen, up to
 * `stream.reassembly.depth`. Anomalies are Suricata's `stream.*` events,
 * recorded on the packet that caused them.
 *
 * Extensions made by the stream stage (add-only, see src/stream/README.md):
 * more StreamConfig knobs (overlap check, timestamps, OS policy, urgent
 * data, exception policies), StreamSink.raw, StreamThread.exception,
 * .packet_invalid and .packet_urgent_drop, the
 * session/flag fields of TcpFlowSummary, stream_config_read() and
 * stream_tcp_packet_is_reuse().
 */
#ifndef ODLAR_STREAM_STREAM_H
#define ODLAR_STREAM_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"
#include "engine/counters.h"
#include "flow/flow.h"

/* Target-based overlap/RST/timestamp policies (`host-os-policy`), with
 * Suricata's names. The default is bsd. */
typedef enum StreamOsPolicy {
    STREAM_OS_NONE = 0, /* not set yet */
    STREAM_OS_BSD,
    STREAM_OS_BSD_RIGHT, /* treated as bsd */
    STREAM_OS_OLD_LINUX,
    STREAM_OS_LINUX,
    STREAM_OS_OLD_SOLARIS, /* treated as solaris */
    STREAM_OS_SOLARIS,
    STREAM_OS_HPUX10,
    STREAM_OS_HPUX11,
    STREAM_OS_IRIX,
    STREAM_OS_MACOS,
    STREAM_OS_WINDOWS,
    STREAM_OS_VISTA,
    STREAM_OS_WINDOWS2K3,
    STREAM_OS_FIRST,
    STREAM_OS_LAST,
} StreamOsPolicy;

/* One host-os-policy entry: the policy of receivers in addr/prefix. */
typedef struct StreamHostOs {
    uint8_t family; /* 4 or 6 */
    uint8_t prefix; /* bits */
    uint8_t policy; /* StreamOsPolicy */
    uint8_t addr[16];
} StreamHostOs;
#define STREAM_MAX_HOST_OS 64

/* stream.reassembly.urgent.policy / oob-limit-policy */
typedef enum StreamUrgentPolicy {
    STREAM_URGENT_INLINE = 0, /* urgent byte stays in the stream (default) */
    STREAM_URGENT_OOB, /* the byte the urgent pointer names is removed */
    STREAM_URGENT_DROP, /* packet data is not reassembled (IPS drops it) */
    STREAM_URGENT_GAP, /* packet data becomes a gap */
} StreamUrgentPolicy;

/* Exception policies (stream.midstream-policy, stream.memcap-policy,
 * stream.reassembly.memcap-policy); "ignore" is STREAM_EP_IGNORE, which is
 * also the value when nothing is configured. */
typedef enum StreamExceptionPolicy {
    STREAM_EP_IGNORE = 0,
    STREAM_EP_PASS_PACKET,
    STREAM_EP_PASS_FLOW,
    STREAM_EP_BYPASS,
    STREAM_EP_DROP_PACKET,
    STREAM_EP_DROP_FLOW,
    STREAM_EP_REJECT,
} StreamExceptionPolicy;

/* Where an exception policy applies (EVE flow.exception_policy target). */
typedef enum StreamExceptionTarget {
    STREAM_EXC_MIDSTREAM = 0, /* "stream_midstream" */
    STREAM_EXC_SSN_MEMCAP, /* "stream_memcap" */
    STREAM_EXC_REASSEMBLY_MEMCAP, /* "stream_reassembly_memcap" */
} StreamExceptionTarget;

typedef struct StreamConfig {
    uint64_t memcap; /* stream.memcap, default 64mb */
    uint64_t reassembly_memcap; /* stream.reassembly.memcap, default 256mb */
    uint32_t reassembly_depth; /* stream.reassembly.depth, default 1mb; 0 = unlimited */
    bool midstream; /* stream.midstream, default false */
    bool async_oneside; /* stream.async-oneside, default false */
    bool checksum_validation; /* stream.checksum-validation (and -k) */
    uint32_t max_synack_queued; /* stream.max-synack-queued, default 5 */
    uint32_t max_syn_queued; /* stream.max-syn-queued, default 10 */
    bool inline_mode; /* stream.inline / IPS */
    uint32_t toserver_chunk_size, toclient_chunk_size; /* default 2560 */

    /* --- added by the stream stage --- */
    /* stream.reassembly.check-overlap-different-data; Suricata also turns it
     * on in inline mode and when a rule uses
     * stream-event:reassembly_overlap_different_data. Off: overlaps are
     * counted in tcp.overlap but not compared. */
    bool check_overlap_different_data;
    bool liberal_timestamps; /* stream.liberal-timestamps, default true */
    StreamOsPolicy default_os_policy; /* host-os-policy default: bsd */
    /* host-os-policy entries (stream-host-os.c), consulted when
     * os_policy_lookup is NULL */
    StreamHostOs host_os[STREAM_MAX_HOST_OS];
    uint32_t host_os_count;
    /* host-os-policy lookup by address; NULL = the host_os entries */
    StreamOsPolicy (*os_policy_lookup)(void *ctx, const Address *addr);
    void *os_policy_ctx;
    StreamUrgentPolicy urgent_policy; /* default inline */
    StreamUrgentPolicy urgent_oob_limit_policy; /* default inline (never oob) */
    /* Exception policies. A midstream pickup only happens with ignore or
     * pass-flow (Suricata refuses other midstream policies when midstream
     * is on). What a policy does to the flow is the caller's business, see
     * StreamThread.exception. */
    StreamExceptionPolicy midstream_policy;
    StreamExceptionPolicy ssn_memcap_policy;
    StreamExceptionPolicy reassembly_memcap_policy;
    /* stream.drop-invalid, default true: in IPS mode packets the stream
     * rejects are dropped (StreamThread.packet_invalid) */
    bool drop_invalid;
    /* stream.bypass, default false: a session whose both directions reached
     * the reassembly depth is bypassed (stream_tcp_depth_reached) */
    bool bypass;
} StreamConfig;

void stream_config_defaults(StreamConfig *cfg);

struct Conf;
/* Reads the `stream.*` keys (and the `exception-policy` master switch) of
 * the configuration tree over `cfg`, which should hold the defaults with
 * cfg->inline_mode already telling whether the engine runs as IPS
 * ("stream.inline: auto"). Returns false and a message naming the key when
 * a value is unusable. Implemented in stream-conf.c. */
bool stream_config_read(struct Conf *conf, StreamConfig *cfg, char *err, size_t errlen);
/* Reads `host-os-policy` into cfg->host_os (called by stream_config_read);
 * false with a message on an unparsable address. (stream-host-os.c) */
bool stream_host_os_read(struct Conf *conf, StreamConfig *cfg, char *err, size_t errlen);
/* The policy of the most specific host-os-policy entry covering
 * `receiver`, or STREAM_OS_NONE when none does. */
StreamOsPolicy stream_host_os_policy(const StreamConfig *cfg, const Address *receiver);

/* Where reassembled data goes (the application layer, or a test).
 *
 * Per direction the callbacks see the stream in order: `data` for bytes,
 * `gap` for bytes never seen (the receiver acknowledged them, or the flow
 * ended), then at most one `end` (EOF, reassembly depth reached, or flow
 * end); nothing follows `end`. Any callback may be NULL. */
typedef struct StreamSink {
    void (*data)(void *ctx, Flow *f, bool to_server, const uint8_t *data, uint32_t len);
    void (*gap)(void *ctx, Flow *f, bool to_server, uint32_t len);
    void (*end)(void *ctx, Flow *f, bool to_server);
    void *ctx;
    /* Added: when the flow ends, the bytes Suricata never hands to its
     * app-layer but its raw stream inspection still sees: those behind a
     * hole nobody acknowledged, and unacknowledged bytes of a session that
     * closed normally (not by RST). `gap_before` is the size of the hole in
     * front of `data` (0 when contiguous). NULL: such bytes are dropped.
     * Comes before `end`. */
    void (*raw)(void *ctx, Flow *f, bool to_server, uint32_t gap_before, const uint8_t *data,
            uint32_t len);
} StreamSink;

typedef struct StreamThread {
    const StreamConfig *cfg;
    Counters *ctr;
    StreamSink sink;
    uint64_t memuse, reassembly_memuse;
    /* Added: called where Suricata calls ExceptionPolicyApply -- for every
     * packet that would start a session midstream (FIN, SYN/ACK or ACK
     * without a session, whether or not midstream is on), when a session
     * does not fit stream.memcap, and when segment data does not fit
     * stream.reassembly.memcap -- with the configured policy. The caller
     * records it on the flow (EVE flow.exception_policy), counts it
     * (exception_policy.tcp.*) and applies pass/drop/bypass. NULL: ignored. */
    void (*exception)(void *ctx, Flow *f, Packet *p, StreamExceptionTarget target,
            StreamExceptionPolicy policy);
    void *exception_ctx;
    /* Added: set by stream_tcp_packet when the packet is one Suricata's
     * StreamTcpPacket rejects (its state handler fails, or a bad checksum);
     * an IPS drops it ("stream error", stream.drop-invalid). */
    bool packet_invalid;
    /* Added: keep with every new segment its packet's headers and time, for
     * pcap-log's conditional modes (stream_tcp_for_each_segment; Suricata
     * keeps them once pcap-log enables TCP session dumping). */
    bool keep_segment_headers;
    /* Added: set by stream_tcp_packet for a packet with URG an IPS drops
     * under stream.reassembly.urgent.policy drop ("stream urgent"). */
    bool packet_urgent_drop;
    /* Added: the caller releases the packet's stream itself after
     * detection and alert output (stream_tcp_release_sender), as
     * Suricata's FlowWorker prunes after them: an IDS raw-stream alert
     * shows the data still stored (stream_tcp_for_each_stored). */
    bool defer_release;
} StreamThread;

/* Processes one TCP packet of flow `f` (p->flow == f, p->to_server set):
 * updates the session, reassembles, delivers in-order data to the sink and
 * records stream events on p. Sets f->state (new/established/closed).
 * A midstream pickup from a SYN/ACK reverses the flow (as Suricata's
 * FlowSwap does): f's addresses, ports and per-direction counters are
 * swapped and p->to_server is flipped. */
void stream_tcp_packet(StreamThread *st, Flow *f, Packet *p);

/* True for a session picked up midstream from a packet other than a
 * SYN/ACK: the one kind whose direction protocol detection may still
 * reverse (Suricata's TCPProtoDetect with STREAMTCP_FLAG_MIDSTREAM). */
bool stream_tcp_midstream_reversible(const Flow *f);
/* Reverses such a session once detection found the server speaking first
 * (Suricata's FlowSwap + PacketSwap): the flow's sides (flow_swap), the
 * session's two streams and p's direction (when p is not NULL) change
 * places. Call between packets' stream stages, not from a stream sink. */
void stream_tcp_reverse(Flow *f, Packet *p);

/* The flow is ending: deliver what is still queued (with gaps) and end both
 * directions. */
void stream_tcp_flow_end(StreamThread *st, Flow *f);
/* The same for one direction (the client's stream when to_server): the
 * flow-end pseudo packet of that direction carries its remaining data, as
 * Suricata's flow-timeout packets update their own direction. */
void stream_tcp_flow_end_dir(StreamThread *st, Flow *f, bool to_server);

/* Releases the session of a flow that is being freed. */
void stream_tcp_free(StreamThread *st, Flow *f);

/* True when `p`, a TCP packet about to be looked up into existing flow `f`,
 * starts a new session on the same tuple (Suricata's TCP session reuse): a
 * SYN (or, with midstream/async-oneside, a SYN/ACK) while the old session is
 * closed enough. The flow stage should then end `f` and start a new flow
 * (flow.tcp_reuse). `to_server` is p's direction relative to `f`. */
bool stream_tcp_packet_is_reuse(const StreamConfig *cfg, const Flow *f, const Packet *p,
        bool to_server);

/* Sets the session's reassembly depth as Suricata's
 * TcpSessionSetReassemblyDepth does (a filestore match sets
 * file-store.stream-depth): takes `depth` when larger than the current one
 * -- which also replaces an unlimited (0) one -- or when 0 (unlimited). No
 * effect without a session. */
void stream_tcp_set_depth(Flow *f, uint32_t depth);

/* Added for protocol detection's bail-out (app-layer.c, Suricata's
 * TCPProtoDetectCheckBailConditions): false while the session is not yet
 * established. Else, per direction ([0] the client's data, [1] the
 * server's): avail, the bytes the stream holds from its start, acknowledged
 * or not (Suricata's StreamDataAvailableForProtoDetect while detection has
 * consumed nothing); limit, how much undecided data it may hold -- 100,000
 * bytes, or more when the session's window (the other side's stream's, as
 * Suricata pairs them) and its reassembly depth both allow more. */
bool stream_tcp_detect_state(const Flow *f, uint64_t avail[2], uint32_t limit[2]);

/* Added: true when a direction of the session reached
 * stream.reassembly.depth (with stream.bypass the engine then bypasses the
 * flow, as Suricata's StreamTcpPacket does). False without a session. */
bool stream_tcp_depth_reached(const Flow *f);
/* files: true when direction to_server (client to server) or the other of
 * the session reached its reassembly depth. False without a session. */
bool stream_tcp_depth_reached_dir(const Flow *f, bool to_server);

/* Added for pcap-log's conditional modes (stream-segment-dump.c): calls
 * `fn` for every segment still stored in the session that kept its
 * packet's headers -- both directions, each in stream order, merged by
 * packet time (Suricata's StreamSegmentForSession with
 * STREAM_DUMP_HEADERS) -- with that packet's time and headers and the
 * segment's stored bytes. Returns the segments passed; 0 without a
 * session. */
typedef void (*StreamSegmentFn)(void *ctx, OdTime ts, const uint8_t *hdr, uint32_t hdr_len, const uint8_t *data,
                                uint32_t len);
uint32_t stream_tcp_for_each_segment(const Flow *f, StreamSegmentFn fn, void *ctx);

/* With StreamThread.defer_release: releases what packet p's own stream
 * (of flow f) is done with, once its alerts are written. */
void stream_tcp_release_sender(StreamThread *st, Flow *f, const Packet *p);

/* Added for the payload of IDS raw-stream alerts (stream-log-data.c):
 * calls `fn` for every stored region of direction to_server (client to
 * server) or the other, in stream order from the left edge of what is not
 * yet released, with the bytes missing before it, until `fn` returns
 * false. Returns the bytes passed; 0 without a session or stored data. */
typedef bool (*StreamStoredFn)(void *ctx, uint64_t hole_before, const uint8_t *data, uint32_t len);
uint64_t stream_tcp_for_each_stored(const Flow *f, bool to_server, StreamStoredFn fn, void *ctx);

/* The app-layer is done with one direction (e.g. encrypted data after a TLS
 * or SSH handshake): stop reassembling it and free what is stored. */
void stream_tcp_disable_reassembly(StreamThread *st, Flow *f, bool to_server);

/* EVE `tcp.state` name of the session ("established", "closed", ...), or NULL
 * when the flow has no session. */
const char *stream_tcp_state_name(const Flow *f);

/* Whether the session saw SYN / FIN / RST, for the EVE `tcp` object.
 * Suricata takes the flags from the session: a TCP flow without session
 * logs "tcp_flags":"00" (ts/tc too) and no flag booleans. */
typedef struct TcpFlowSummary {
    bool syn, fin, rst, psh, ack, urg, ecn, cwr;
    const char *state;
    uint32_t ts_max_regions, tc_max_regions;
    /* added */
    bool has_session;
    uint8_t flags, flags_ts, flags_tc; /* tcp_flags, tcp_flags_ts, tcp_flags_tc */
    bool ts_gap, tc_gap; /* a gap was delivered in that direction */
} TcpFlowSummary;
void stream_tcp_summary(const Flow *f, TcpFlowSummary *out);

/* Timeout class of the session for flow-timeouts: 0 new, 1 established,
 * 2 closed (also reflected in f->state). */

/* Added for the stream_size keyword (detect): the sequence space each side
 * of the session has used so far, next_seq - isn per direction, as
 * Suricata's stream_size computes it. False (outputs untouched) when the flow
 * has no TCP session. Implemented in stream-sizes.c. */
bool stream_tcp_seq_sizes(const Flow *f, uint32_t *client, uint32_t *server);

/* IDS raw stream inspection timing (stream-raw-ready.c), Suricata's
 * StreamTcpReassembleRawCheckLimit: is a direction's raw stream ready for
 * inspection on a packet of that direction? `uninspected_acked` is how many
 * acknowledged bytes lie past the raw progress, `chunk` the direction's
 * stream.reassembly.to{server,client}-chunk-size; the STREAM_RAW_* flags
 * say what else forces inspection now. */
#define STREAM_RAW_DEPTH_REACHED 0x01u /* no more data will be reassembled */
#define STREAM_RAW_TRIGGER 0x02u /* the app-layer asked for it (a message ended) */
#define STREAM_RAW_CLOSED 0x04u /* session state past TIME_WAIT */
#define STREAM_RAW_FLOW_END 0x08u /* the flow-end pseudo packet */
bool stream_raw_ready(uint64_t uninspected_acked, uint32_t chunk, unsigned flags);

/* The app-layer finished a message of direction `to_server` (Suricata's
 * AppLayerParserTriggerRawStreamReassembly): that direction's raw stream is
 * inspected on its next packet whatever the chunk size. No effect without a
 * TCP session. */
void stream_tcp_trigger_raw(Flow *f, bool to_server);

/* IDS mode: how far the sink was fed in direction `to_server` (*delivered)
 * and how far raw inspection has consumed it (*raw: the acknowledged
 * offset of the last packet found ready). False inline, or without a
 * session or reassembly for that direction. */
bool stream_tcp_raw_progress(const Flow *f, bool to_server, uint64_t *delivered, uint64_t *raw);

/* Added for inline (IPS) raw stream inspection (stream-inline-raw.c):
 * true when the flow's session runs inline and reassembles direction
 * `to_server`; then *delivered is how many bytes of that direction were
 * handed to the sink so far and *chunk its raw inspection chunk size. */
bool stream_tcp_inline_raw(const Flow *f, bool to_server, uint64_t *delivered, uint32_t *chunk);
/* Copies the stored bytes of the contiguous run holding [need_left,
 * need_right), clipped to [lo, hi) (lo <= need_left, need_right <= hi), into
 * `out` (room for hi - lo bytes); *start is the offset of out[0]. Returns the
 * count, 0 when part of [need_left, need_right) is not stored. */
uint32_t stream_tcp_copy_stored(const Flow *f, bool to_server, uint64_t need_left, uint64_t need_right, uint64_t lo,
                                uint64_t hi, uint8_t *out, uint64_t *start);

#endif
