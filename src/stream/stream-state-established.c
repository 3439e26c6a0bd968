/*
 * The established state (Suricata's TCP_ESTABLISHED) and the first FIN.
 *
 * A data or ACK packet is accepted when its ACK is valid
 * (`stream.est_invalid_ack`), it is not entirely before what the receiver
 * already acknowledged (`stream.est_pkt_before_last_ack`, relaxed for
 * async/midstream sessions and for data the receiver acknowledged without
 * us seeing it), and it ends inside the receiver's window
 * (`stream.est_packet_out_of_window`, not checked for midstream/async
 * sessions). Accepted packets move next_seq, last_ack, windows and SACK, and
 * their payload goes to reassembly. Keep-alives and zero-window probes are
 * recognised. Repeated SYNs and SYN/ACKs are flagged (`stream.est_syn_*`,
 * `stream.est_synack_*`).
 *
 * A FIN (here or in syn_recv) must be inside the window
 * (`stream.fin_out_of_window`) with a valid ACK (`stream.fin_invalid_ack`);
 * from the client it moves the session to close_wait, from the server to
 * fin_wait1.
 */
#include "stream/stream-private.h"

/* Data or ACK from `snd` to `rcv`. `zwp_flag_other` is the zero window probe
 * flag of the opposite direction, `zwp_flag_mine` this direction's. */
static int est_packet(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    TcpStream *snd = stream_sender(ssn, p);
    TcpStream *rcv = stream_receiver(ssn, p);
    const uint32_t zwp_other = p->to_server ? SSN_ZWP_TC : SSN_ZWP_TS;
    const uint32_t zwp_mine = p->to_server ? SSN_ZWP_TS : SSN_ZWP_TC;
    uint32_t seq = p->tcp.seq;
    uint32_t end = seq + p->payload_len;

    if (pkt_has(p, TH_ACK)) {
        if ((ssn->flags & zwp_other) && p->tcp.ack == rcv->next_seq + 1) {
            /* acknowledges the one byte of the peer's zero window probe */
            stream_event(st, p, DEV_STREAM_EST_ACK_ZWP_DATA);
        } else if (stream_validate_ack(st, ssn, rcv, p) == -1) {
            stream_event(st, p, DEV_STREAM_EST_INVALID_ACK);
            return -1;
        }
    }

    /* the server's window was unknown for a session picked up midstream */
    if (!p->to_server && (ssn->flags & SSN_MIDSTREAM) && (ssn->flags & SSN_MIDSTREAM_ESTABLISHED)) {
        ssn->server.window = (uint32_t)pkt_win(p) << ssn->server.wscale;
        ssn->server.next_win = ssn->server.last_ack + ssn->server.window;
        ssn->flags &= ~SSN_MIDSTREAM_ESTABLISHED;
    }

    if ((p->payload_len == 0 || p->payload_len == 1) && seq == snd->next_seq - 1) {
        /* keep-alive */
    } else if (!SEQ_GEQ(end, snd->last_ack)) {
        if (ssn->flags & SSN_ASYNC) {
            /* nobody updates last_ack of a one-sided stream */
            if (p->to_server)
                stream_update_last_ack(snd, seq);
            else
                snd->last_ack = seq;
        } else if (p->to_server && SEQ_EQ(snd->next_seq, seq) && st->cfg->async_oneside &&
                (ssn->flags & SSN_MIDSTREAM)) {
            stream_update_last_ack(snd, seq);
            ssn->flags |= SSN_ASYNC;
        } else if (p->to_server && SEQ_EQ(snd->last_ack, snd->isn + 1) && st->cfg->async_oneside &&
                (ssn->flags & SSN_MIDSTREAM)) {
            stream_update_last_ack(snd, seq);
            ssn->flags |= SSN_ASYNC;
        } else if (SEQ_GT(snd->last_ack, snd->next_seq) && SEQ_GT(end, snd->next_seq)) {
            /* the receiver acknowledged data we never saw; take this part */
        } else {
            stream_event(st, p, DEV_STREAM_EST_PKT_BEFORE_LAST_ACK);
            return -1;
        }
    }

    bool zwp = false;
    if (p->payload_len == 1 && seq == snd->next_seq && snd->window == 0) {
        zwp = true;
        ssn->flags |= zwp_mine;
        stream_handle_segment(st, f, ssn, snd, p);
    } else if (SEQ_GEQ(end, snd->next_seq)) {
        stream_update_next_seq(ssn, snd, end);
    }

    if (zwp)
        return 0;
    if (SEQ_LEQ(end, snd->next_win) || (ssn->flags & (SSN_MIDSTREAM | SSN_ASYNC))) {
        rcv->window = (uint32_t)pkt_win(p) << rcv->wscale;
        if (pkt_has(p, TH_ACK)) {
            stream_update_last_ack(rcv, p->tcp.ack);
            if (!(ssn->flags & SSN_ASYNC) && SEQ_GT(rcv->last_ack, rcv->next_seq) && st->ctr)
                ctr_inc(st->ctr, CTR_TCP_ACK_UNSEEN_DATA);
        }
        if (ssn->flags & SSN_TIMESTAMP)
            (void)stream_handle_timestamp(st, ssn, p);
        stream_sack_update(rcv, p);
        stream_update_next_win(rcv, rcv->last_ack + rcv->window);
        stream_handle_segment(st, f, ssn, snd, p);
        return 0;
    }
    stream_event(st, p, DEV_STREAM_EST_PACKET_OUT_OF_WINDOW);
    return -1;
}

int stream_handle_fin(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    TcpStream *snd = stream_sender(ssn, p);
    TcpStream *rcv = stream_receiver(ssn, p);

    if (stream_validate_ack(st, ssn, rcv, p) == -1) {
        stream_event(st, p, DEV_STREAM_FIN_INVALID_ACK);
        return -1;
    }
    uint32_t end = p->tcp.seq + p->payload_len;
    if (!(SEQ_GEQ(p->tcp.seq, snd->last_ack) && SEQ_LEQ(end, snd->next_win))) {
        stream_event(st, p, DEV_STREAM_FIN_OUT_OF_WINDOW);
        return -1;
    }
    if (p->to_server) {
        if (pkt_has(p, TH_SYN)) {
            stream_event(st, p, DEV_STREAM_FIN_SYN);
            return -1;
        }
        stream_session_set_state(f, ssn, TCP_CLOSE_WAIT);
        snd->next_seq = end;
    } else {
        stream_session_set_state(f, ssn, TCP_FIN_WAIT1);
        snd->next_seq = end + 1;
    }
    rcv->window = (uint32_t)pkt_win(p) << rcv->wscale;
    if (ssn->flags & SSN_TIMESTAMP)
        (void)stream_handle_timestamp(st, ssn, p);
    /* the receiver acknowledged data we may have missed */
    if (SEQ_LT(rcv->next_seq, p->tcp.ack))
        rcv->next_seq = p->tcp.ack;
    if (pkt_has(p, TH_ACK))
        stream_update_last_ack(rcv, p->tcp.ack);
    stream_handle_segment(st, f, ssn, snd, p);
    return 0;
}

static int est_synack(StreamThread *st, TcpSession *ssn, Packet *p)
{
    if (p->to_server) {
        stream_event(st, p, DEV_STREAM_EST_SYNACK_TOSERVER);
        return -1;
    }
    if (!SEQ_EQ(p->tcp.ack, ssn->client.last_ack)) {
        stream_event(st, p, DEV_STREAM_EST_SYNACK_RESEND_WITH_DIFF_ACK);
        return -1;
    }
    if (!SEQ_EQ(p->tcp.seq, ssn->server.isn)) {
        stream_event(st, p, DEV_STREAM_EST_SYNACK_RESEND_WITH_DIFF_SEQ);
        return -1;
    }
    if (ssn->flags & SSN_3WHS_CONFIRMED) {
        stream_event(st, p, DEV_STREAM_EST_SYNACK_RESEND);
        return -1;
    }
    /* the server did not get the final ACK and resends its SYN/ACK */
    return 0;
}

static int est_syn(StreamThread *st, TcpSession *ssn, Packet *p)
{
    if (!p->to_server) {
        stream_event(st, p, DEV_STREAM_EST_SYN_TOCLIENT);
        return -1;
    }
    if (!SEQ_EQ(p->tcp.seq, ssn->client.isn)) {
        stream_event(st, p, DEV_STREAM_EST_SYN_RESEND_DIFF_SEQ);
        return -1;
    }
    stream_event(st, p, DEV_STREAM_EST_SYN_RESEND);
    return -1;
}

int stream_state_established(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (pkt_has(p, TH_RST)) {
        if (!stream_validate_rst(st, ssn, p))
            return -1;
        TcpStream *snd = stream_sender(ssn, p);
        TcpStream *rcv = stream_receiver(ssn, p);
        stream_session_close_rst(f, ssn);
        if (p->to_server) {
            rcv->next_seq = p->tcp.ack;
            snd->next_seq = p->tcp.seq + p->payload_len;
        } else {
            snd->next_seq = p->tcp.seq + p->payload_len + 1;
            rcv->next_seq = p->tcp.ack;
        }
        snd->window = (uint32_t)pkt_win(p) << snd->wscale;
        if (pkt_has(p, TH_ACK) && stream_validate_ack(st, ssn, rcv, p) == 0)
            stream_update_last_ack(rcv, p->tcp.ack);
        stream_update_last_ack(snd, p->tcp.seq);
        if (ssn->flags & SSN_TIMESTAMP)
            (void)stream_handle_timestamp(st, ssn, p);
        stream_handle_segment(st, f, ssn, snd, p);
        return 0;
    }
    if (pkt_has(p, TH_FIN)) {
        if ((ssn->flags & SSN_TIMESTAMP) && !stream_validate_timestamp(st, ssn, p))
            return -1;
        return stream_handle_fin(st, f, ssn, p);
    }
    if ((p->tcp.flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK))
        return est_synack(st, ssn, p);
    if (pkt_has(p, TH_SYN))
        return est_syn(st, ssn, p);
    if (pkt_has(p, TH_ACK)) {
        if ((ssn->flags & SSN_TIMESTAMP) && !stream_validate_timestamp(st, ssn, p))
            return -1;
        if (!p->to_server)
            ssn->flags |= SSN_3WHS_CONFIRMED;
        /* like Suricata, rejections inside do not fail the packet */
        (void)est_packet(st, f, ssn, p);
        return 0;
    }
    return 0;
}
