/*
 * Handing reassembled data on to the StreamSink (Suricata's
 * ReassembleUpdateAppLayer).
 *
 * In IDS mode only acknowledged bytes are delivered: what the receiver's
 * ACK covers is what it really accepted, so overlaps and retransmissions
 * are settled by then. A hole is delivered as a gap
 * (`stream.reassembly_seq_gap`, tcp.reassembly_gap) once data exists after
 * it and the receiver acknowledged past its start -- it will never be
 * filled. In inline mode everything stored is delivered at once.
 *
 * When the flow ends the rest is delivered too: all stored bytes while the
 * session is not closed (or was closed by a RST), otherwise what was
 * acknowledged. Bytes behind a hole nobody acknowledged, or left
 * unacknowledged by a normal close, are not app-layer data in Suricata;
 * they go to the sink's optional `raw` callback. Then
 * each direction is ended once (also when the session reached closing or
 * closed and nothing is left -- unless a RST its sender may still undo
 * closed it -- or when the depth was reached).
 */
#include "stream/stream-private.h"
#include "stream/stream-store.h"

void stream_end_direction(StreamThread *st, Flow *f, TcpSession *ssn, TcpStream *stream)
{
    if (stream->flags & STF_END_SENT)
        return;
    stream->flags |= STF_END_SENT;
    if (st->sink.end)
        st->sink.end(st->sink.ctx, f, stream_is_client(ssn, stream));
}

/* Suricata's CheckGap: the hole at app_off is real when the receiver
 * acknowledged beyond its start (not counting a FIN's sequence number). */
static bool gap_acknowledged(const TcpSession *ssn, const TcpStream *stream)
{
    uint64_t acked = stream_acked_off(stream);
    uint64_t fin = ssn->state >= TCP_FIN_WAIT1 ? 1 : 0;
    return acked >= fin && acked - fin > stream->app_off;
}

/* Flow end: what the app-layer does not get (behind an unacknowledged
 * hole, or unacknowledged after a normal close), for raw inspection. */
static void deliver_raw_rest(StreamThread *st, Flow *f, TcpSession *ssn, TcpStream *stream)
{
    bool to_server = stream_is_client(ssn, stream);
    uint64_t pos = stream->app_off;
    for (const TcpBlock *b = store_block_at_or_after(stream, pos); b; b = b->next) {
        uint64_t start = b->off > pos ? b->off : pos;
        uint32_t gap = (uint32_t)(start - pos);
        uint32_t len = (uint32_t)(b->off + b->len - start);
        if (st->sink.raw)
            st->sink.raw(st->sink.ctx, f, to_server, gap, b->data + (start - b->off), len);
        pos = b->off + b->len;
    }
    stream->app_off = pos;
}

/* closed by a RST its sender may still ignore (one signed with TCP MD5 /
 * TCP-AO, see stream_validate_rst): the directions are not ended yet, so
 * data its sender goes on sending (`stream.suspected_rst_inject`) is still
 * parsed, as Suricata does; flow end closes them anyway. */
static bool rst_may_be_undone(const TcpSession *ssn)
{
    return (ssn->flags & SSN_CLOSED_BY_RST) && ((ssn->client.flags | ssn->server.flags) & STF_RST_RECV);
}

void stream_deliver(StreamThread *st, Flow *f, TcpSession *ssn, TcpStream *stream, Packet *p,
        DeliverMode mode)
{
    if (stream->flags & (STF_NOREASSEMBLY | STF_END_SENT))
        return;
    bool to_server = stream_is_client(ssn, stream);
    bool all = st->cfg->inline_mode ||
               (mode == DELIVER_FLOW_END && (ssn->state < TCP_CLOSED || (ssn->flags & SSN_CLOSED_BY_RST)));
    uint64_t usable = all ? UINT64_MAX : stream_acked_off(stream);

    for (;;) {
        const TcpBlock *b = store_block_at_or_after(stream, stream->app_off);
        if (!b || usable <= stream->app_off)
            break;
        uint64_t room = usable - stream->app_off;
        if (b->off <= stream->app_off) {
            uint64_t avail = b->off + b->len - stream->app_off;
            uint32_t n = (uint32_t)(avail < room ? avail : room);
            const uint8_t *data = b->data + (stream->app_off - b->off);
            stream->app_off += n;
            if (st->sink.data)
                st->sink.data(st->sink.ctx, f, to_server, data, n);
            if (n < avail || mode == DELIVER_DEPTH)
                break;
            continue;
        }
        uint64_t hole = b->off - stream->app_off;
        uint32_t glen = (uint32_t)(hole < room ? hole : room);
        if (!gap_acknowledged(ssn, stream))
            break;
        stream->app_off += glen;
        stream->flags |= STF_HAS_GAP;
        if (st->ctr)
            ctr_inc(st->ctr, CTR_TCP_REASSEMBLY_GAP);
        stream_event(st, p, DEV_STREAM_REASSEMBLY_SEQ_GAP);
        if (st->sink.gap)
            st->sink.gap(st->sink.ctx, f, to_server, glen);
        if (glen < hole)
            break;
    }

    if (mode == DELIVER_FLOW_END) {
        deliver_raw_rest(st, f, ssn, stream);
        stream_end_direction(st, f, ssn, stream);
    } else if (mode == DELIVER_DEPTH) {
        stream_end_direction(st, f, ssn, stream);
    } else if (ssn->state >= TCP_CLOSING && stream->app_off >= stream_right_edge(stream) &&
               !rst_may_be_undone(ssn)) {
        stream_end_direction(st, f, ssn, stream);
    }
}

void stream_tcp_flow_end_dir(StreamThread *st, Flow *f, bool to_server)
{
    TcpSession *ssn = (TcpSession *)f->tcp;
    if (!ssn)
        return;
    TcpStream *s = to_server ? &ssn->client : &ssn->server;
    if (!(s->flags & (STF_NOREASSEMBLY | STF_END_SENT)))
        stream_deliver(st, f, ssn, s, NULL, DELIVER_FLOW_END);
    stream_end_direction(st, f, ssn, s);
    s->raw_off = s->app_off;
    s->raw_inspected = s->app_off;
    stream_prune(st, ssn, s);
}

void stream_tcp_flow_end(StreamThread *st, Flow *f)
{
    stream_tcp_flow_end_dir(st, f, true);
    stream_tcp_flow_end_dir(st, f, false);
}
