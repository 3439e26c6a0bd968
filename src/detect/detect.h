/*
 * Per-packet detection: which signatures match a packet, with Suricata's
 * rules for the packet payload versus the reassembled TCP stream.
 *
 * The engine calls detect_stream_data()/detect_stream_gap() from its
 * StreamSink so the flow keeps a raw stream window per direction, then
 * detect_packet() after the stream stage for every packet (in IDS mode the
 * window is inspected only when the stream stage marked the packet
 * stream_raw_ready, as Suricata's raw reassembly chunks); the matches are
 * in dt->alerts (sorted by signature order, at most packet-alert-max). When a
 * flow ends, detect_flow_end() inspects stream data no packet inspected yet
 * (Suricata's flow-end pseudo packets) and detect_flow_free() releases the
 * flow's detection state.
 */
#ifndef ODLAR_DETECT_DETECT_H
#define ODLAR_DETECT_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"
#include "detect/detect-engine.h"
#include "flow/flow.h"

/* Most bytes of raw stream kept per flow direction for inspection. */
#define DETECT_STREAM_WINDOW_MAX (256u * 1024u)

#define DETECT_STREAM_GAPS_MAX 8

/* Inspected bytes kept before new ones in inline (IPS) mode, for the
 * windows of later packets (the largest chunk size). */
#define DETECT_INLINE_KEEP 65536u

typedef struct DetectStreamDir {
    uint8_t *buf;
    uint32_t len, cap;
    uint32_t inspected; /* bytes of buf already inspected */
    uint32_t run_start; /* bytes of buf from here on follow the last hole */
    /* holes between the bytes of buf (the first DETECT_STREAM_GAPS_MAX) */
    DetectStreamGap gaps[DETECT_STREAM_GAPS_MAX];
    uint32_t gap_count;
} DetectStreamDir;

typedef struct DetectFlow {
    DetectStreamDir dir[2]; /* 0: to server, 1: to client */
    bool iponly_done[2]; /* IP-only rules ran for this direction */
    bool pass; /* a pass rule passed the flow: no more inspection */
    bool drop; /* IPS: a drop rule dropped the flow */
    bool drop_logged[2]; /* verdict: EVE drop `flows: start` logged this direction */
    uint64_t stream_truncated; /* bytes dropped from the window by the cap */
    struct DetectAppFlow *app; /* buf: transaction inspection progress (detect-app.h) */
    /* app-layer rules whose payload part (content without a buffer) already
     * matched this direction's stream or packets: that part stays satisfied
     * for the transaction inspection of later packets, as Suricata's stream
     * inspection engine keeps its match in the transaction's detect state */
    struct {
        uint32_t *sigs; /* signature numbers */
        uint32_t count, cap;
    } app_payload[2];
    uint32_t engine_gen; /* reload: generation of the engine that last inspected the flow */
} DetectFlow;

/* Stream sink helpers: append reassembled bytes / note a gap of `len`
 * missing bytes before the next ones. */
void detect_stream_data(Flow *f, bool to_server, const uint8_t *data, uint32_t len);
void detect_stream_gap(Flow *f, bool to_server, uint32_t len);

/* Runs detection on p (after flow and stream). Fills dt->alerts. */
void detect_packet(DetectThread *dt, Packet *p);

/* At flow end: inspects the uninspected stream data of direction
 * `to_server` as if on pseudo packet `p` (filled in by the caller from the
 * flow). Fills dt->alerts; returns true when there was data. */
bool detect_flow_end(DetectThread *dt, Flow *f, bool to_server, Packet *p);

void detect_flow_free(Flow *f);
/* The flow was reversed (stream_tcp_reverse): its per-direction detection
 * state (raw stream windows, ...) changes places too. */
void detect_flow_reverse(Flow *f);

/* Exception policies (engine/exception-verdict.c). The engine passed
 * (pass-flow, bypass) or, with `drop`, dropped (drop-flow, reject) the
 * whole flow: its later packets are not inspected and, in IPS mode, those
 * of a dropped flow are dropped as "flow drop". */
void detect_flow_set_verdict(Flow *f, bool drop);
/* The engine decided packet p without inspection: no alerts, and with
 * `drop_reason` (a DETECT_DROP_REASON_*, NONE for a pass) a dropped packet
 * in IPS mode. Call instead of detect_packet(). */
void detect_packet_skip(DetectThread *dt, uint8_t drop_reason);

#endif
