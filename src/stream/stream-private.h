/*
 * Internal state of the TCP stream stage, shared by the files of src/stream/.
 *
 * A TcpSession holds the TCP state (Suricata's state numbering, so "state >=
 * TCP_ESTABLISHED" comparisons read as in Suricata), session flags and two
 * TcpStreams: `client` carries the bytes the client sends (to server),
 * `server` the bytes the server sends. Each stream keeps its sequence
 * bookkeeping (isn, next_seq, last_ack acknowledged by the peer, next_win,
 * window and scale, timestamps) and its reassembly state.
 *
 * Reassembly works on 64-bit stream offsets so that 32-bit sequence
 * wrap-around never matters past the conversion: offset 0 is the byte at
 * isn+1, and `seq_to_off` maps any sequence number near `base_seq` to its
 * offset. Two sorted lists per stream:
 *   - segments: where each accepted packet's data lies (offset, length),
 *     used to detect overlaps and to apply the overlap policy per segment;
 *   - blocks: the stream content itself as non-overlapping runs of bytes.
 * Everything before `base_off` has been handed on and freed; `app_off` is
 * how far the sink has been fed.
 */
#ifndef ODLAR_STREAM_STREAM_PRIVATE_H
#define ODLAR_STREAM_STREAM_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "stream/stream.h"
#include "stream/stream-seq.h"

/* TCP states, numbered as Suricata's enum TcpState. */
typedef enum TcpState {
    TCP_NONE = 0,
    TCP_SYN_SENT = 2,
    TCP_SYN_RECV = 3,
    TCP_ESTABLISHED = 4,
    TCP_FIN_WAIT1 = 5,
    TCP_FIN_WAIT2 = 6,
    TCP_TIME_WAIT = 7,
    TCP_LAST_ACK = 8,
    TCP_CLOSE_WAIT = 9,
    TCP_CLOSING = 10,
    TCP_CLOSED = 11,
} TcpState;

/* Session flags (TcpSession.flags) */
#define SSN_MIDSTREAM (1u << 0)
#define SSN_MIDSTREAM_ESTABLISHED (1u << 1)
#define SSN_MIDSTREAM_SYNACK (1u << 2)
#define SSN_TIMESTAMP (1u << 3) /* both sides use timestamps */
#define SSN_SERVER_WSCALE (1u << 4) /* the SYN offered window scaling */
#define SSN_CLOSED_BY_RST (1u << 5)
#define SSN_4WHS (1u << 6)
#define SSN_DETECTION_EVASION_ATTEMPT (1u << 7)
#define SSN_ASYNC (1u << 8)
#define SSN_SACKOK (1u << 9)
#define SSN_CLIENT_SACKOK (1u << 10)
#define SSN_3WHS_CONFIRMED (1u << 11)
#define SSN_TCP_FAST_OPEN (1u << 12)
#define SSN_TFO_DATA_IGNORED (1u << 13)
#define SSN_ZWP_TS (1u << 14) /* zero window probe seen to server */
#define SSN_ZWP_TC (1u << 15)

/* Stream flags (TcpStream.flags) */
#define STF_TIMESTAMP (1u << 0) /* the SYN of this side had a timestamp */
#define STF_ZERO_TIMESTAMP (1u << 1)
#define STF_RST_RECV (1u << 2)
#define STF_KEEPALIVE (1u << 3)
#define STF_DEPTH_REACHED (1u << 4)
#define STF_NOREASSEMBLY (1u << 5)
#define STF_HAS_GAP (1u << 6)
#define STF_END_SENT (1u << 7)
#define STF_HAS_DATA (1u << 8) /* something was ever inserted */
#define STF_TRIGGER_RAW (1u << 9) /* the app-layer asked for raw inspection now */

#define TCP_WSCALE_MAX 14
#define PAWS_24DAYS 2073600u

/* The headers (link layer to TCP options) and time of the packet that
 * brought a segment, kept when StreamThread.keep_segment_headers is set
 * (stream-segment-dump.c). */
typedef struct TcpSegHeader {
    OdTime ts;
    uint32_t len;
    uint8_t bytes[];
} TcpSegHeader;

/* A received segment's place in the stream. */
typedef struct TcpSeg {
    struct TcpSeg *prev, *next;
    uint64_t off;
    uint32_t len;
    TcpSegHeader *hdr; /* NULL unless keep_segment_headers */
} TcpSeg;

/* A run of stream content; blocks never overlap nor touch. */
typedef struct TcpBlock {
    struct TcpBlock *prev, *next;
    uint64_t off;
    uint32_t len, cap;
    uint8_t *data;
} TcpBlock;

#define STREAM_SACK_MAX 8 /* ranges kept per stream; more are merged */

typedef struct TcpStream {
    uint32_t isn, next_seq, last_ack, next_win, window;
    uint8_t wscale;
    uint8_t tcp_flags;
    uint8_t os_policy; /* StreamOsPolicy, set lazily */
    uint32_t flags;
    uint32_t last_ts, last_pkt_ts;

    /* reassembly */
    uint32_t base_seq; /* sequence number of base_off */
    uint64_t base_off;
    uint64_t app_off; /* handed to the sink up to here */
    uint64_t raw_off; /* Suricata's raw (detection) progress, emulated for pruning */
    uint64_t raw_inspected; /* raw progress detection has inspected up to (IDS) */
    TcpSeg *seg_head, *seg_tail;
    TcpBlock *blk_head, *blk_tail;
    uint32_t segs, blocks;
    uint32_t max_regions;
    uint16_t urg_shift; /* out-of-band bytes removed so far (urgent oob) */

    /* SACK ranges acknowledged by the peer, [left, right) */
    uint32_t sack[STREAM_SACK_MAX][2];
    uint8_t sack_count;
} TcpStream;

/* A SYN or SYN/ACK remembered while the handshake is undecided. */
typedef struct TcpStateQueue {
    struct TcpStateQueue *next;
    uint8_t flags;
    uint8_t wscale;
    uint16_t win;
    uint32_t seq, ack, ts;
    uint32_t pkt_ts;
} TcpStateQueue;
#define SQ_FLAG_SACK 0x01
#define SQ_FLAG_WS 0x02
#define SQ_FLAG_TS 0x04

typedef struct TcpSession {
    uint8_t state, pstate;
    uint32_t flags;
    uint8_t tcp_packet_flags;
    uint32_t reassembly_depth;
    /* inline (IPS) mode: the chunk size of raw inspection, [0] to server,
     * [1] to client (stream-inline-raw.c); 0 in IDS mode */
    uint16_t inline_chunk[2];
    TcpStream client, server;
    TcpStateQueue *queue;
    uint8_t queue_len;
} TcpSession;

/* Which way the app-layer update goes for a packet (Suricata's
 * UPDATE_DIR_*): the opposing stream (its data acknowledged by this
 * packet), the packet's own stream, or both. */
typedef enum StreamUpdateDir { UPDATE_OPPOSING = 1, UPDATE_PACKET, UPDATE_BOTH } StreamUpdateDir;

/* ---- stream-session.c ---- */
TcpSession *stream_session_new(StreamThread *st, Flow *f, const Packet *p);
void stream_session_set_state(Flow *f, TcpSession *ssn, uint8_t state);
void stream_session_close_rst(Flow *f, TcpSession *ssn);
void stream_flow_swap(Flow *f, Packet *p);
void stream_queue_free(StreamThread *st, TcpSession *ssn);
bool stream_mem_reserve(StreamThread *st, uint64_t size);
void stream_mem_release(StreamThread *st, uint64_t size);
const char *stream_state_string(uint8_t state);

/* ---- stream-event.c ---- */
void stream_event(StreamThread *st, Packet *p, DecodeEvent ev);
void stream_exception(StreamThread *st, Flow *f, Packet *p, StreamExceptionTarget target,
        StreamExceptionPolicy policy);

/* ---- stream-validate.c ---- */
int stream_validate_ack(StreamThread *st, TcpSession *ssn, TcpStream *stream, Packet *p);
bool stream_validate_rst(StreamThread *st, TcpSession *ssn, Packet *p);
bool stream_validate_timestamp(StreamThread *st, TcpSession *ssn, Packet *p);
bool stream_handle_timestamp(StreamThread *st, TcpSession *ssn, Packet *p);
int stream_pkt_is_retransmission(StreamThread *st, TcpStream *stream, Packet *p);
void stream_set_os_policy(StreamThread *st, TcpStream *stream, const Packet *p);
void stream_update_last_ack(TcpStream *stream, uint32_t ack);
void stream_update_next_seq(TcpSession *ssn, TcpStream *stream, uint32_t seq);
void stream_update_next_win(TcpStream *stream, uint32_t win);

/* ---- stream-sack.c ---- */
void stream_sack_update(TcpStream *stream, const Packet *p);
void stream_sack_prune(TcpStream *stream);
uint32_t stream_sacked_size(const TcpStream *stream);
bool stream_sack_is_outdated(const TcpStream *stream, const Packet *p);

/* ---- state handlers: stream-state-*.c; 0 accepted, -1 rejected ---- */
int stream_state_none(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p);
int stream_state_syn_sent(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p);
int stream_state_syn_recv(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p);
int stream_state_established(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p);
int stream_handle_fin(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p);
int stream_state_fin_wait1(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p);
int stream_state_fin_wait2(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p);
int stream_state_closing(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p);
int stream_state_close_wait(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p);
int stream_state_last_ack(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p);
int stream_state_time_wait(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p);
int stream_state_dispatch(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p, uint8_t state);
/* RST handling common to the states after the handshake */
int stream_handle_rst_common(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p);

/* ---- stream-reassembly.c ---- */
/* Takes the packet's payload into the sender's stream and runs the
 * app-layer update (Suricata's StreamTcpReassembleHandleSegment). */
void stream_handle_segment(StreamThread *st, Flow *f, TcpSession *ssn, TcpStream *stream, Packet *p);
/* Inserts `len` bytes at sequence `seq`; returns 0, or -1 on memcap. */
int stream_insert(StreamThread *st, TcpSession *ssn, TcpStream *stream, Packet *p, uint32_t seq,
        const uint8_t *data, uint32_t len);
uint64_t stream_seq_to_off(const TcpStream *stream, uint32_t seq);
uint64_t stream_acked_off(const TcpStream *stream);
uint64_t stream_right_edge(const TcpStream *stream);
void stream_free_data(StreamThread *st, TcpStream *stream);
void stream_prune(StreamThread *st, TcpSession *ssn, TcpStream *stream);
void stream_raw_progress(StreamThread *st, TcpSession *ssn, TcpStream *stream, Packet *p);

/* ---- stream-segment-dump.c ---- */
/* Keeps p's headers and time with a segment just stored (when the thread
 * keeps them); charged to the reassembly memory, nothing kept past it. */
void stream_seg_keep_header(StreamThread *st, TcpSeg *seg, const Packet *p);
void stream_seg_free_header(StreamThread *st, TcpSeg *seg);

/* ---- stream-deliver.c ---- */
typedef enum DeliverMode { DELIVER_ACKED, DELIVER_DEPTH, DELIVER_FLOW_END } DeliverMode;
void stream_deliver(StreamThread *st, Flow *f, TcpSession *ssn, TcpStream *stream, Packet *p,
        DeliverMode mode);
void stream_end_direction(StreamThread *st, Flow *f, TcpSession *ssn, TcpStream *stream);

static inline bool pkt_has(const Packet *p, uint8_t fl) { return (p->tcp.flags & fl) != 0; }
static inline uint32_t pkt_win(const Packet *p) { return p->tcp.window; }

/* The sender's and receiver's stream of packet p. */
static inline TcpStream *stream_sender(TcpSession *ssn, const Packet *p)
{
    return p->to_server ? &ssn->client : &ssn->server;
}
static inline TcpStream *stream_receiver(TcpSession *ssn, const Packet *p)
{
    return p->to_server ? &ssn->server : &ssn->client;
}
static inline bool stream_is_client(const TcpSession *ssn, const TcpStream *s) { return s == &ssn->client; }

#endif
