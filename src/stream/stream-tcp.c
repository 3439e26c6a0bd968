/*
 * Entry point of the stream stage: one TCP packet of a flow.
 *
 * Order of work, as in Suricata's StreamTcp/StreamTcpPacket:
 *   1. packets with a bad TCP checksum are counted (tcp.invalid_checksum)
 *      and ignored when stream.checksum-validation is on;
 *   2. the session records the TCP flags seen (EVE `tcp` object);
 *   3. `stream.pkt_broken_ack`: ACK number set without the ACK flag;
 *   4. no session yet: stream-state-none.c decides whether one starts;
 *   5. otherwise packets that need no state work are recognised first --
 *      keep-alives and their ACKs, zero window probe ACKs, window updates,
 *      bad window updates (`stream.pkt_bad_window_update`), outdated ACKs,
 *      spurious retransmissions of data already acknowledged
 *      (`stream.pkt_spurious_retransmission`) -- then the state handler runs;
 *   6. a regular packet from the sender of an accepted RST means the RST was
 *      probably injected (`stream.suspected_rst_inject`);
 *   7. the packet's own stream releases data both the app-layer and (the
 *      emulated) raw inspection are done with (stream_prune) -- or, with
 *      StreamThread.defer_release, the worker has it released after the
 *      packet's alerts are written (stream_tcp_release_sender).
 */
#include "stream/stream-private.h"

static bool is_keepalive(TcpSession *ssn, Packet *p)
{
    if (p->payload_len > 1 || (p->tcp.flags & (TH_SYN | TH_FIN | TH_RST)))
        return false;
    TcpStream *stream = stream_sender(ssn, p);
    TcpStream *ostream = stream_receiver(ssn, p);
    if (p->tcp.ack == ostream->last_ack && p->tcp.seq == stream->next_seq - 1) {
        stream->flags |= STF_KEEPALIVE;
        return true;
    }
    return false;
}

static bool is_keepalive_ack(TcpSession *ssn, Packet *p)
{
    if (p->payload_len > 0 || (p->tcp.flags & (TH_SYN | TH_FIN | TH_RST)) || p->tcp.window == 0)
        return false;
    TcpStream *stream = stream_sender(ssn, p);
    TcpStream *ostream = stream_receiver(ssn, p);
    uint32_t win = (uint32_t)p->tcp.window << ostream->wscale;
    if (win != ostream->window)
        return false;
    if ((ostream->flags & STF_KEEPALIVE) && p->tcp.ack == ostream->last_ack &&
            p->tcp.seq == stream->next_seq) {
        ostream->flags &= ~STF_KEEPALIVE;
        return true;
    }
    return false;
}

static bool is_plain_ack(const TcpSession *ssn, const Packet *p)
{
    return ssn->state >= TCP_ESTABLISHED && p->payload_len == 0 &&
           (p->tcp.flags & (TH_ACK | TH_SYN | TH_FIN | TH_RST)) == TH_ACK;
}

static bool is_zwp_ack(TcpSession *ssn, Packet *p)
{
    if (!is_plain_ack(ssn, p))
        return false;
    const TcpStream *snd = stream_sender(ssn, p);
    const TcpStream *rcv = stream_receiver(ssn, p);
    if (!(ssn->flags & (p->to_server ? SSN_ZWP_TC : SSN_ZWP_TS)))
        return false;
    uint32_t win = (uint32_t)p->tcp.window << snd->wscale;
    return win == 0 && win == rcv->window && p->tcp.seq == snd->next_seq && p->tcp.ack == rcv->last_ack;
}

static bool is_fin_shutdown_ack(TcpSession *ssn, Packet *p)
{
    if (!(ssn->state == TCP_TIME_WAIT || ssn->state == TCP_CLOSE_WAIT || ssn->state == TCP_LAST_ACK))
        return false;
    if (p->tcp.flags != TH_ACK || p->payload_len != 0)
        return false;
    const TcpStream *stream = stream_sender(ssn, p);
    const TcpStream *ostream = stream_receiver(ssn, p);
    return SEQ_EQ(stream->next_seq + 1, p->tcp.seq) && SEQ_EQ(p->tcp.ack, ostream->next_seq + 1);
}

static bool is_window_update(TcpSession *ssn, Packet *p)
{
    if (ssn->state < TCP_ESTABLISHED || p->payload_len > 0 || (p->tcp.flags & (TH_SYN | TH_FIN | TH_RST)) ||
            p->tcp.window == 0)
        return false;
    const TcpStream *stream = stream_sender(ssn, p);
    const TcpStream *ostream = stream_receiver(ssn, p);
    uint32_t win = (uint32_t)p->tcp.window << ostream->wscale;
    if (win == ostream->window)
        return false;
    return p->tcp.ack == ostream->last_ack && p->tcp.seq == stream->next_seq;
}

/* A packet after loss that shrinks the window more than it could: ignored
 * with `stream.pkt_bad_window_update` (Suricata bug 1238). */
static bool is_bad_window_update(StreamThread *st, TcpSession *ssn, Packet *p)
{
    if (ssn->state < TCP_ESTABLISHED || ssn->state == TCP_CLOSED || (p->tcp.flags & (TH_SYN | TH_FIN | TH_RST)))
        return false;
    const TcpStream *stream = stream_sender(ssn, p);
    const TcpStream *ostream = stream_receiver(ssn, p);
    uint32_t win = (uint32_t)p->tcp.window << ostream->wscale;
    if (win >= ostream->window)
        return false;
    uint32_t diff = ostream->window - win;
    if (diff > p->payload_len && SEQ_GT(p->tcp.ack, ostream->next_seq) && SEQ_GT(p->tcp.seq, stream->next_seq)) {
        uint32_t adiff = p->tcp.ack - ostream->last_ack;
        if ((win > 1024 && diff > adiff + 32) || (win <= 1024 && diff > adiff)) {
            stream_event(st, p, DEV_STREAM_PKT_BAD_WINDOW_UPDATE);
            return true;
        }
    }
    return false;
}

/* An ACK-only packet that acknowledges less than what was already
 * acknowledged and tells nothing new. */
static bool is_outdated_ack(TcpSession *ssn, Packet *p)
{
    if (!is_plain_ack(ssn, p))
        return false;
    const TcpStream *snd = stream_sender(ssn, p);
    const TcpStream *rcv = stream_receiver(ssn, p);
    if (SEQ_EQ(p->tcp.seq, snd->next_seq) && SEQ_LT(p->tcp.ack, rcv->last_ack)) {
        if (!p->tcp.has_sack || p->tcp.sack_count == 0)
            return true;
        return stream_sack_is_outdated(rcv, p);
    }
    return false;
}

/* 0: no; 1: entirely before last_ack; 2: entirely before the reassembly
 * base as well (the packet is skipped). */
static int is_spurious_retransmission(const TcpSession *ssn, const Packet *p)
{
    if (p->payload_len == 0)
        return 0;
    const TcpStream *stream = p->to_server ? &ssn->client : &ssn->server;
    uint32_t end = p->tcp.seq + p->payload_len;
    if (!(stream->flags & STF_NOREASSEMBLY) && SEQ_LEQ(end, stream->base_seq))
        return 2;
    if (SEQ_LEQ(end, stream->last_ack))
        return 1;
    return 0;
}

static void check_post_rst(StreamThread *st, TcpSession *ssn, Packet *p)
{
    if (pkt_has(p, TH_RST))
        return;
    TcpStream *ostream = stream_receiver(ssn, p);
    if (ostream->flags & STF_RST_RECV) {
        ostream->flags &= ~STF_RST_RECV;
        ssn->flags &= ~SSN_CLOSED_BY_RST;
        stream_event(st, p, DEV_STREAM_SUSPECTED_RST_INJECT);
    }
}

static void track_flags(TcpSession *ssn, const Packet *p)
{
    ssn->tcp_packet_flags |= p->tcp.flags;
    if (p->to_server)
        ssn->client.tcp_flags |= p->tcp.flags;
    else
        ssn->server.tcp_flags |= p->tcp.flags;
    /* both sides seen: not one-sided after all */
    if ((ssn->flags & SSN_ASYNC) && ssn->client.tcp_flags != 0 && ssn->server.tcp_flags != 0)
        ssn->flags &= ~SSN_ASYNC;
}

static void process(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (is_keepalive(ssn, p))
        goto skip;
    if (is_keepalive_ack(ssn, p)) {
        stream_sender(ssn, p)->flags &= ~STF_KEEPALIVE;
        goto skip;
    }
    stream_sender(ssn, p)->flags &= ~STF_KEEPALIVE;

    bool zwp_ack = is_zwp_ack(ssn, p);
    ssn->flags &= ~(p->to_server ? SSN_ZWP_TC : SSN_ZWP_TS);
    if (zwp_ack)
        goto skip;

    if (!is_fin_shutdown_ack(ssn, p) && !is_window_update(ssn, p)) {
        if (is_bad_window_update(st, ssn, p))
            goto skip;
        if (is_outdated_ack(ssn, p))
            goto skip;
    }
    int spurious = is_spurious_retransmission(ssn, p);
    if (spurious > 0) {
        stream_event(st, p, DEV_STREAM_PKT_SPURIOUS_RETRANSMISSION);
        if (spurious == 2)
            goto skip;
    }
    if (stream_state_dispatch(st, f, ssn, p, ssn->state) < 0)
        st->packet_invalid = true;
skip:
    check_post_rst(st, ssn, p);
}

void stream_tcp_packet(StreamThread *st, Flow *f, Packet *p)
{
    if (!st || !f || !p)
        return;
    p->flow = f;
    st->packet_invalid = false;
    st->packet_urgent_drop = false;
    if (st->cfg->checksum_validation && p->l4_csum_bad) {
        if (st->ctr)
            ctr_inc(st->ctr, CTR_TCP_INVALID_CHECKSUM);
        st->packet_invalid = true;
        return;
    }
    TcpSession *ssn = (TcpSession *)f->tcp;
    if (ssn)
        track_flags(ssn, p);

    if (!pkt_has(p, TH_ACK) && p->tcp.ack != 0)
        stream_event(st, p, DEV_STREAM_PKT_BROKEN_ACK);

    /* IPS with urgent policy drop: the packet goes nowhere, the caller
     * drops it ("stream urgent") */
    if (pkt_has(p, TH_URG) && st->cfg->inline_mode && st->cfg->urgent_policy == STREAM_URGENT_DROP) {
        st->packet_urgent_drop = true;
        return;
    }

    if (!ssn || ssn->state == TCP_NONE) {
        if (stream_state_none(st, f, ssn, p) < 0)
            st->packet_invalid = true;
    } else {
        process(st, f, ssn, p);
    }

    /* after "detection": the packet's own stream gives up what both the
     * app-layer and raw inspection are done with */
    ssn = (TcpSession *)f->tcp;
    if (ssn) {
        TcpStream *s = stream_sender(ssn, p);
        stream_raw_progress(st, ssn, s, p);
        if (!st->defer_release)
            stream_prune(st, ssn, s);
    }
}

void stream_tcp_release_sender(StreamThread *st, Flow *f, const Packet *p)
{
    TcpSession *ssn = f ? (TcpSession *)f->tcp : NULL;
    if (st && ssn && p)
        stream_prune(st, ssn, stream_sender(ssn, p));
}
