/*
 * Per-packet reassembly driver (Suricata's StreamTcpReassembleHandleSegment).
 *
 * For every packet a state handler accepts:
 *   1. In IDS mode the packet's ACK makes the *opposing* stream's data
 *      deliverable, so that stream is handed on first (an ACK'd byte is
 *      data the receiver really got). Accepted RSTs, FINs late in the
 *      teardown, closed sessions, one-sided sessions and inline (IPS) mode
 *      update the packet's own stream instead or as well.
 *   2. The payload is inserted into the sender's stream, cut to
 *      stream.reassembly.depth. Reaching the depth raises
 *      `stream.reassembly_depth_reached` and tcp.stream_depth_reached once
 *      per direction; what was acknowledged is delivered, the direction is
 *      ended and its data dropped (stream_prune).
 *   3. Urgent data follows stream.reassembly.urgent.policy: inline keeps
 *      the byte, oob removes the byte the urgent pointer names (RFC 6093
 *      3.1) -- at most 65535 per stream, then
 *      `stream.reassembly_urgent_oob_limit_reached` and the oob-limit-policy
 *      -- gap leaves the packet's data out, drop (IPS) as well.
 *
 * Data of a RST is never reassembled (Suricata 8).
 */
#include "stream/stream-private.h"
#include "stream/stream-store.h"

uint64_t stream_seq_to_off(const TcpStream *stream, uint32_t seq)
{
    int64_t off = (int64_t)stream->base_off + (int64_t)seq_diff(seq, stream->base_seq);
    return off < 0 ? 0 : (uint64_t)off;
}

uint64_t stream_acked_off(const TcpStream *stream)
{
    if (SEQ_GT(stream->last_ack, stream->base_seq))
        return stream->base_off + (uint32_t)(stream->last_ack - stream->base_seq);
    return stream->base_off;
}

uint64_t stream_right_edge(const TcpStream *stream)
{
    if (stream->blk_tail)
        return stream->blk_tail->off + stream->blk_tail->len;
    return stream->base_off;
}

void stream_free_data(StreamThread *st, TcpStream *stream)
{
    store_clear(st, stream);
}

/* How much of [seq, seq+size) fits the reassembly depth (Suricata's
 * StreamTcpReassembleCheckDepth); sets STF_DEPTH_REACHED. */
static uint32_t check_depth(TcpSession *ssn, TcpStream *stream, uint32_t seq, uint32_t size)
{
    uint32_t depth = ssn->reassembly_depth;
    if (depth == 0)
        return size;
    if (stream->flags & STF_DEPTH_REACHED)
        return 0;
    uint64_t seg_depth;
    if (SEQ_GT(stream->base_seq, seq)) {
        if (SEQ_LEQ(seq + size, stream->base_seq))
            return 0;
        seg_depth = stream->base_off + size - (uint32_t)(stream->base_seq - seq);
    } else {
        seg_depth = stream->base_off + (uint32_t)(seq + size - stream->base_seq);
    }
    if (seg_depth > depth) {
        stream->flags |= STF_DEPTH_REACHED;
        return 0;
    }
    if (SEQ_GEQ(seq, stream->isn) && SEQ_LT(seq, stream->isn + depth)) {
        if (SEQ_LEQ(seq + size, stream->isn + 1 + depth))
            return size;
        stream->flags |= STF_DEPTH_REACHED;
        uint32_t part = stream->isn + 1 + depth - seq;
        return part > size ? size : part;
    }
    return 0;
}

/* Inserts one piece, cut to the depth. */
static int insert_piece(StreamThread *st, TcpSession *ssn, TcpStream *stream, Packet *p, uint32_t seq,
        const uint8_t *data, uint32_t len)
{
    if (len == 0)
        return 0;
    uint32_t size = check_depth(ssn, stream, seq, len);
    if (stream->flags & STF_DEPTH_REACHED) {
        if (st->ctr)
            ctr_inc(st->ctr, CTR_TCP_STREAM_DEPTH_REACHED);
        stream_event(st, p, DEV_STREAM_REASSEMBLY_DEPTH_REACHED);
    }
    if (size == 0)
        return 0;
    int r = stream_insert(st, ssn, stream, p, seq, data, size);
    if (r >= 0)
        p->stream_add = true;
    return r;
}

/* The payload of p into the sender's stream, urgent policy applied.
 * Returns -1 when memory was refused. */
static int handle_data(StreamThread *st, TcpSession *ssn, TcpStream *stream, Packet *p)
{
    if (stream->os_policy == STREAM_OS_NONE)
        stream_set_os_policy(st, stream, p);
    const uint8_t *data = packet_payload(p);
    uint32_t len = p->payload_len;
    uint32_t seq = p->tcp.seq;
    /* a TCP Fast Open SYN's data starts after the SYN's sequence number */
    if (p->tcp.has_tfo && p->tcp.flags == TH_SYN)
        seq += 1;

    StreamUrgentPolicy pol = st->cfg->urgent_policy;
    if (pkt_has(p, TH_URG) && p->tcp.urg_ptr > 0 && pol != STREAM_URGENT_INLINE) {
        if (pol == STREAM_URGENT_OOB) {
            uint32_t idx = p->tcp.urg_ptr - 1u;
            if (idx < len) {
                if (stream->urg_shift < UINT16_MAX) {
                    /* drop the out-of-band byte and close the hole */
                    stream->urg_shift++;
                    if (st->ctr)
                        ctr_inc(st->ctr, CTR_TCP_URGENT_OOB_DATA);
                    int r = insert_piece(st, ssn, stream, p, seq, data, idx);
                    stream->base_seq += 1;
                    r |= insert_piece(st, ssn, stream, p, seq + idx + 1, data + idx + 1, len - idx - 1);
                    return r;
                }
                stream_event(st, p, DEV_STREAM_REASSEMBLY_URGENT_OOB_LIMIT_REACHED);
                pol = st->cfg->urgent_oob_limit_policy;
                if (pol == STREAM_URGENT_OOB)
                    pol = STREAM_URGENT_INLINE;
            } else {
                pol = STREAM_URGENT_INLINE; /* the byte is in a later segment */
            }
        }
        if (pol == STREAM_URGENT_GAP || (pol == STREAM_URGENT_DROP && st->cfg->inline_mode))
            return 0;
    }
    return insert_piece(st, ssn, stream, p, seq, data, len);
}

void stream_handle_segment(StreamThread *st, Flow *f, TcpSession *ssn, TcpStream *stream, Packet *p)
{
    StreamUpdateDir dir = UPDATE_OPPOSING;
    if (st->cfg->inline_mode)
        dir = UPDATE_PACKET;
    else if (pkt_has(p, TH_RST))
        dir = UPDATE_PACKET;
    else if (pkt_has(p, TH_FIN) && ssn->state > TCP_TIME_WAIT)
        dir = pkt_has(p, TH_ACK) ? UPDATE_BOTH : UPDATE_PACKET;
    else if (ssn->state == TCP_CLOSED)
        dir = UPDATE_BOTH;
    else if (ssn->flags & SSN_ASYNC)
        dir = UPDATE_BOTH;

    if (dir == UPDATE_OPPOSING || dir == UPDATE_BOTH) {
        TcpStream *opposing = stream == &ssn->client ? &ssn->server : &ssn->client;
        stream_deliver(st, f, ssn, opposing, p, DELIVER_ACKED);
    }
    if (p->payload_len > 0 && !(stream->flags & STF_NOREASSEMBLY) && !pkt_has(p, TH_RST)) {
        if (handle_data(st, ssn, stream, p) < 0)
            stream_exception(st, f, p, STREAM_EXC_REASSEMBLY_MEMCAP, st->cfg->reassembly_memcap_policy);
    }

    DeliverMode mode = DELIVER_ACKED;
    if ((stream->flags & (STF_DEPTH_REACHED | STF_NOREASSEMBLY)) == STF_DEPTH_REACHED) {
        /* depth just reached: tell the app-layer now */
        dir = UPDATE_PACKET;
        mode = DELIVER_DEPTH;
    }
    if (dir == UPDATE_PACKET || dir == UPDATE_BOTH)
        stream_deliver(st, f, ssn, stream, p, mode);
}

/* Emulates how far Suricata's raw stream inspection has consumed the
 * packet's own stream after detection ran on the packet
 * (StreamReassembleRaw + StreamReassembleRawUpdateProgress, IDS mode), and
 * tells detection whether it inspects that stream on p
 * (p->stream_raw_ready, see stream-raw-ready.c): acknowledged data is
 * inspected once a chunk (stream.reassembly.to{server,client}-chunk-size)
 * has built up past what was inspected (raw_inspected), the app-layer
 * triggered it, the depth was reached or the session is closing. For
 * releasing stored data (raw_off) the raw tracker also trails the
 * app-layer by one TCP window when it is not ready. Stored data is only
 * released behind both trackers, which decides how long retransmissions
 * still meet stored segments (tcp.overlap). */
void stream_raw_progress(StreamThread *st, TcpSession *ssn, TcpStream *stream, Packet *p)
{
    p->stream_raw_ready = false;
    if (stream->flags & STF_NOREASSEMBLY)
        return;
    if (st->cfg->inline_mode) {
        /* Suricata keeps unacknowledged data inline, to check overlaps
         * (GetLeftEdge): released once handed on and acknowledged */
        uint64_t acked = stream_acked_off(stream);
        uint64_t keep = acked < stream->app_off ? acked : stream->app_off;
        if (keep > stream->raw_off)
            stream->raw_off = keep;
        return;
    }
    /* before the SYN/ACK (a TCP Fast Open SYN's data) nothing was
     * acknowledged: last_ack is not set yet */
    uint64_t acked = ssn->state >= TCP_SYN_RECV ? stream_acked_off(stream) : stream->base_off;
    uint64_t right = stream_right_edge(stream);
    uint64_t to = acked < right ? acked : right;
    uint32_t chunk = p->to_server ? st->cfg->toserver_chunk_size : st->cfg->toclient_chunk_size;
    unsigned flags = ((stream->flags & STF_DEPTH_REACHED) ? STREAM_RAW_DEPTH_REACHED : 0) |
                     ((stream->flags & STF_TRIGGER_RAW) ? STREAM_RAW_TRIGGER : 0) |
                     (ssn->state > TCP_TIME_WAIT ? STREAM_RAW_CLOSED : 0);
    /* detection: nothing stored past the progress, nothing to inspect */
    bool ready = right > stream->raw_inspected &&
                 stream_raw_ready(acked > stream->raw_inspected ? acked - stream->raw_inspected : 0, chunk, flags);
    p->stream_raw_ready = ready;
    if (ready && to > stream->raw_inspected) {
        stream->raw_inspected = to;
        stream->flags &= ~STF_TRIGGER_RAW;
    }
    /* release */
    /* release: not on an app-layer trigger. Suricata prunes a packet's
     * stream only after detection and output (FlowWorker), so what a
     * trigger let this packet inspect is still there for its alert's
     * output (pcap-log's segment dump); here pruning comes before them. */
    bool release = right > stream->raw_off &&
                   stream_raw_ready(acked > stream->raw_off ? acked - stream->raw_off : 0, chunk,
                                    flags & ~(unsigned)STREAM_RAW_TRIGGER);
    if (release && acked > stream->raw_off) {
        stream->raw_off = to;
    } else if (!release && stream->app_off > stream->raw_off) {
        uint64_t win = stream->window;
        if (win > 0 && stream->app_off > win && stream->app_off - win > stream->raw_off)
            stream->raw_off = stream->app_off - win;
    }
}

void stream_prune(StreamThread *st, TcpSession *ssn, TcpStream *stream)
{
    if (stream->flags & STF_NOREASSEMBLY)
        return;
    if (stream->flags & STF_DEPTH_REACHED) {
        stream->flags |= STF_NOREASSEMBLY;
        store_clear(st, stream);
        return;
    }
    uint64_t left = stream->app_off < stream->raw_off ? stream->app_off : stream->raw_off;
    if (st->cfg->check_overlap_different_data && !st->cfg->inline_mode) {
        /* keep a window of delivered data to compare retransmissions with */
        uint32_t window = stream->window ? stream->window : 4096;
        left = window < left ? left - window : 0;
    }
    if (left <= stream->base_off)
        return;
    uint64_t slide = left - stream->base_off;
    store_trim(st, stream, left);
    stream->base_off = left;
    stream->base_seq += (uint32_t)slide;
    (void)ssn;
}
