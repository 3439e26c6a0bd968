/*
 * Connection teardown: Suricata's fin_wait1, fin_wait2, closing, close_wait,
 * last_ack, time_wait and closed states.
 *
 *   server closes first:  FIN(s->c) fin_wait1, ACK(c->s) fin_wait2,
 *                         FIN(c->s) time_wait, ACK(s->c) closed
 *   client closes first:  FIN(c->s) close_wait, FIN(s->c) last_ack,
 *                         ACK(c->s) closed
 *   simultaneous FINs:    fin_wait1 -> closing -> time_wait -> closed
 *
 * In each state a RST that passes validation closes the session; a SYN is
 * `stream.shutdown_syn_resend`; FINs and ACKs are checked for sequence
 * (`*_wrong_seq`, `*_out_of_window`) and ACK validity (`*_invalid_ack`), and
 * retransmissions are recognised (`stream.pkt_retransmission`) so they do
 * not move the state. Accepted packets still carry data to reassembly.
 *
 * In closed, packets are ignored unless the RST that closed the session came
 * from the other side and this side keeps sending: then the previous state's
 * handler runs (the RST may have been injected, see
 * `stream.suspected_rst_inject` in stream-tcp.c).
 */
#include "stream/stream-private.h"

/* RST handling common to every state after the handshake: close and take
 * the RST's SEQ as acknowledged. */
int stream_handle_rst_common(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (!stream_validate_rst(st, ssn, p))
        return -1;
    TcpStream *snd = stream_sender(ssn, p);
    TcpStream *rcv = stream_receiver(ssn, p);
    stream_session_close_rst(f, ssn);
    if (pkt_has(p, TH_ACK) && stream_validate_ack(st, ssn, rcv, p) == 0)
        stream_update_last_ack(rcv, p->tcp.ack);
    stream_update_last_ack(snd, p->tcp.seq);
    if (ssn->flags & SSN_TIMESTAMP)
        (void)stream_handle_timestamp(st, ssn, p);
    stream_handle_segment(st, f, ssn, snd, p);
    return 0;
}

static bool ts_reject(StreamThread *st, TcpSession *ssn, Packet *p)
{
    return (ssn->flags & SSN_TIMESTAMP) && !stream_validate_timestamp(st, ssn, p);
}

static void handle_ts(StreamThread *st, TcpSession *ssn, Packet *p)
{
    if (ssn->flags & SSN_TIMESTAMP)
        (void)stream_handle_timestamp(st, ssn, p);
}

/* The receiver acknowledged beyond what we saw: catch up. `minus1` for the
 * states where next_seq already counts our FIN. */
static void catch_up_next_seq(TcpStream *rcv, uint32_t ack, bool minus1)
{
    if (SEQ_LT(minus1 ? rcv->next_seq - 1 : rcv->next_seq, ack))
        rcv->next_seq = ack;
}

/* ---- fin_wait1 ---- */

static int fin_wait1_fin(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p, bool with_ack)
{
    TcpStream *snd = stream_sender(ssn, p);
    TcpStream *rcv = stream_receiver(ssn, p);
    uint32_t seq = p->tcp.seq;
    bool retrans = false;

    if (stream_pkt_is_retransmission(st, snd, p)) {
        retrans = true;
    } else if (with_ack && !p->to_server && SEQ_EQ(snd->next_seq - 1, seq) &&
            SEQ_EQ(rcv->last_ack, p->tcp.ack)) {
        retrans = true;
    } else if (SEQ_LT(seq, snd->next_seq - 1) || SEQ_GT(seq, snd->last_ack + snd->window)) {
        stream_event(st, p, DEV_STREAM_FIN1_FIN_WRONG_SEQ);
        return -1;
    }
    if (stream_validate_ack(st, ssn, rcv, p) == -1) {
        stream_event(st, p, DEV_STREAM_FIN1_INVALID_ACK);
        return -1;
    }
    uint8_t next = with_ack ? TCP_TIME_WAIT : TCP_CLOSING;
    if (with_ack && !p->to_server) {
        /* server FIN/ACK: Suricata updates its bookkeeping only when it
         * is not a retransmission */
        handle_ts(st, ssn, p);
        if (!retrans) {
            stream_session_set_state(f, ssn, next);
            rcv->window = (uint32_t)pkt_win(p) << rcv->wscale;
            catch_up_next_seq(rcv, p->tcp.ack, true);
            if (SEQ_EQ(snd->next_seq - 1, seq))
                stream_update_next_seq(ssn, snd, seq + p->payload_len);
            stream_update_last_ack(rcv, p->tcp.ack);
        }
        stream_handle_segment(st, f, ssn, snd, p);
        return 0;
    }
    if (!retrans) {
        stream_session_set_state(f, ssn, next);
        rcv->window = (uint32_t)pkt_win(p) << rcv->wscale;
    }
    handle_ts(st, ssn, p);
    catch_up_next_seq(rcv, p->tcp.ack, true);
    if (with_ack) {
        /* client FIN/ACK */
        if (SEQ_EQ(snd->next_seq, seq))
            stream_update_next_seq(ssn, snd, seq + p->payload_len);
        stream_update_last_ack(rcv, p->tcp.ack);
    } else {
        if (SEQ_EQ(snd->next_seq - 1, seq))
            stream_update_next_seq(ssn, snd, seq + p->payload_len);
        if (pkt_has(p, TH_ACK))
            stream_update_last_ack(rcv, p->tcp.ack);
    }
    stream_handle_segment(st, f, ssn, snd, p);
    return 0;
}

static int fin_wait1_ack(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    TcpStream *snd = stream_sender(ssn, p);
    TcpStream *rcv = stream_receiver(ssn, p);
    uint32_t seq = p->tcp.seq, end = seq + p->payload_len;
    bool retrans = stream_pkt_is_retransmission(st, snd, p) != 0;

    if (stream_validate_ack(st, ssn, rcv, p) == -1) {
        stream_event(st, p, DEV_STREAM_FIN1_INVALID_ACK);
        return -1;
    }
    bool in_window = SEQ_LEQ(end, snd->next_win) || (ssn->flags & (SSN_MIDSTREAM | SSN_ASYNC));
    if (p->to_server) {
        if (SEQ_LT(p->tcp.ack, rcv->next_seq)) {
            /* acknowledges older data, not the FIN */
        } else if (!retrans && SEQ_EQ(p->tcp.ack, rcv->next_seq)) {
            if (!in_window) {
                stream_event(st, p, DEV_STREAM_FIN1_ACK_WRONG_SEQ);
                return -1;
            }
            if (seq == snd->next_seq)
                stream_session_set_state(f, ssn, TCP_FIN_WAIT2);
            rcv->window = (uint32_t)pkt_win(p) << rcv->wscale;
        }
        handle_ts(st, ssn, p);
        catch_up_next_seq(rcv, p->tcp.ack, true);
        if (SEQ_EQ(snd->next_seq, seq))
            stream_update_next_seq(ssn, snd, end);
    } else {
        if (!retrans) {
            if (!in_window) {
                stream_event(st, p, DEV_STREAM_FIN1_ACK_WRONG_SEQ);
                return -1;
            }
            if (seq == snd->next_seq - 1)
                stream_session_set_state(f, ssn, TCP_FIN_WAIT2);
            rcv->window = (uint32_t)pkt_win(p) << rcv->wscale;
        }
        handle_ts(st, ssn, p);
        catch_up_next_seq(rcv, p->tcp.ack, true);
        if (SEQ_EQ(snd->next_seq - 1, seq))
            stream_update_next_seq(ssn, snd, end);
    }
    stream_update_last_ack(rcv, p->tcp.ack);
    stream_sack_update(rcv, p);
    stream_update_next_win(rcv, rcv->last_ack + rcv->window);
    stream_handle_segment(st, f, ssn, snd, p);
    return 0;
}

int stream_state_fin_wait1(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (pkt_has(p, TH_RST))
        return stream_handle_rst_common(st, f, ssn, p);
    if ((p->tcp.flags & (TH_FIN | TH_ACK)) == (TH_FIN | TH_ACK)) {
        if (ts_reject(st, ssn, p))
            return -1;
        return fin_wait1_fin(st, f, ssn, p, true);
    }
    if (pkt_has(p, TH_FIN)) {
        if (ts_reject(st, ssn, p))
            return -1;
        return fin_wait1_fin(st, f, ssn, p, false);
    }
    if (pkt_has(p, TH_SYN)) {
        stream_event(st, p, DEV_STREAM_SHUTDOWN_SYN_RESEND);
        return -1;
    }
    if (pkt_has(p, TH_ACK)) {
        if (ts_reject(st, ssn, p))
            return -1;
        return fin_wait1_ack(st, f, ssn, p);
    }
    return 0;
}

/* ---- fin_wait2 ---- */

static int fin_wait2_fin(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    TcpStream *snd = stream_sender(ssn, p);
    TcpStream *rcv = stream_receiver(ssn, p);
    uint32_t seq = p->tcp.seq;
    bool retrans = false;

    if (SEQ_EQ(seq, snd->next_seq - 1) && SEQ_EQ(p->tcp.ack, rcv->last_ack)) {
        retrans = true; /* the FIN again: no event, as in Suricata */
    } else if (stream_pkt_is_retransmission(st, snd, p)) {
        retrans = true;
    } else if (SEQ_LT(seq, snd->next_seq) || SEQ_GT(seq, snd->last_ack + snd->window)) {
        stream_event(st, p, DEV_STREAM_FIN2_FIN_WRONG_SEQ);
        return -1;
    }
    if (stream_validate_ack(st, ssn, rcv, p) == -1) {
        stream_event(st, p, DEV_STREAM_FIN2_INVALID_ACK);
        return -1;
    }
    if (!retrans) {
        stream_session_set_state(f, ssn, TCP_TIME_WAIT);
        if (p->to_server && SEQ_EQ(snd->next_seq, seq))
            stream_update_next_seq(ssn, snd, snd->next_seq + p->payload_len);
        rcv->window = (uint32_t)pkt_win(p) << rcv->wscale;
    }
    handle_ts(st, ssn, p);
    catch_up_next_seq(rcv, p->tcp.ack, false);
    if (pkt_has(p, TH_ACK))
        stream_update_last_ack(rcv, p->tcp.ack);
    stream_handle_segment(st, f, ssn, snd, p);
    return 0;
}

static int fin_wait2_ack(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    TcpStream *snd = stream_sender(ssn, p);
    TcpStream *rcv = stream_receiver(ssn, p);
    uint32_t seq = p->tcp.seq, end = seq + p->payload_len;
    bool retrans = stream_pkt_is_retransmission(st, snd, p) != 0;

    if (stream_validate_ack(st, ssn, rcv, p) == -1) {
        stream_event(st, p, DEV_STREAM_FIN2_INVALID_ACK);
        return -1;
    }
    if (!retrans) {
        if (!(SEQ_LEQ(end, snd->next_win) || (ssn->flags & (SSN_MIDSTREAM | SSN_ASYNC)))) {
            stream_event(st, p, DEV_STREAM_FIN2_ACK_WRONG_SEQ);
            return -1;
        }
        rcv->window = (uint32_t)pkt_win(p) << rcv->wscale;
    }
    handle_ts(st, ssn, p);
    if (SEQ_EQ(snd->next_seq, seq))
        stream_update_next_seq(ssn, snd, snd->next_seq + p->payload_len);
    stream_update_last_ack(rcv, p->tcp.ack);
    stream_sack_update(rcv, p);
    stream_update_next_win(rcv, rcv->last_ack + rcv->window);
    stream_handle_segment(st, f, ssn, snd, p);
    return 0;
}

int stream_state_fin_wait2(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (pkt_has(p, TH_RST))
        return stream_handle_rst_common(st, f, ssn, p);
    if (pkt_has(p, TH_FIN)) {
        if (ts_reject(st, ssn, p))
            return -1;
        return fin_wait2_fin(st, f, ssn, p);
    }
    if (pkt_has(p, TH_SYN)) {
        stream_event(st, p, DEV_STREAM_SHUTDOWN_SYN_RESEND);
        return -1;
    }
    if (pkt_has(p, TH_ACK)) {
        if (ts_reject(st, ssn, p))
            return -1;
        return fin_wait2_ack(st, f, ssn, p);
    }
    return 0;
}

/* ---- closing ---- */

int stream_state_closing(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (pkt_has(p, TH_RST))
        return stream_handle_rst_common(st, f, ssn, p);
    if (pkt_has(p, TH_SYN)) {
        stream_event(st, p, DEV_STREAM_SHUTDOWN_SYN_RESEND);
        return -1;
    }
    if (!pkt_has(p, TH_ACK))
        return 0;
    if (ts_reject(st, ssn, p))
        return -1;
    TcpStream *snd = stream_sender(ssn, p);
    TcpStream *rcv = stream_receiver(ssn, p);
    bool retrans = stream_pkt_is_retransmission(st, snd, p) != 0;
    if (p->tcp.seq != snd->next_seq) {
        stream_event(st, p, DEV_STREAM_CLOSING_ACK_WRONG_SEQ);
        return -1;
    }
    if (stream_validate_ack(st, ssn, rcv, p) == -1) {
        stream_event(st, p, DEV_STREAM_CLOSING_INVALID_ACK);
        return -1;
    }
    if (!retrans) {
        stream_session_set_state(f, ssn, TCP_TIME_WAIT);
        /* Suricata stores this window on the client side either way */
        ssn->client.window = (uint32_t)pkt_win(p) << ssn->client.wscale;
    }
    handle_ts(st, ssn, p);
    catch_up_next_seq(rcv, p->tcp.ack, false);
    stream_update_last_ack(rcv, p->tcp.ack);
    stream_handle_segment(st, f, ssn, snd, p);
    return 0;
}

/* ---- close_wait: the client sent its FIN ---- */

int stream_state_close_wait(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (pkt_has(p, TH_RST))
        return stream_handle_rst_common(st, f, ssn, p);
    TcpStream *snd = stream_sender(ssn, p);
    TcpStream *rcv = stream_receiver(ssn, p);
    uint32_t seq = p->tcp.seq;

    if (pkt_has(p, TH_FIN)) {
        if (ts_reject(st, ssn, p))
            return -1;
        bool retrans = stream_pkt_is_retransmission(st, snd, p) != 0;
        if (!retrans && (SEQ_LT(seq, snd->next_seq) || SEQ_GT(seq, snd->last_ack + snd->window))) {
            stream_event(st, p, DEV_STREAM_CLOSEWAIT_FIN_OUT_OF_WINDOW);
            return -1;
        }
        if (stream_validate_ack(st, ssn, rcv, p) == -1) {
            stream_event(st, p, DEV_STREAM_CLOSEWAIT_INVALID_ACK);
            return -1;
        }
        /* only the server's FIN moves us to last_ack */
        if (!retrans) {
            if (!p->to_server)
                stream_session_set_state(f, ssn, TCP_LAST_ACK);
            rcv->window = (uint32_t)pkt_win(p) << rcv->wscale;
        }
        handle_ts(st, ssn, p);
        catch_up_next_seq(rcv, p->tcp.ack, false);
        if (pkt_has(p, TH_ACK))
            stream_update_last_ack(rcv, p->tcp.ack);
        stream_handle_segment(st, f, ssn, snd, p);
        return 0;
    }
    if (pkt_has(p, TH_SYN)) {
        stream_event(st, p, DEV_STREAM_SHUTDOWN_SYN_RESEND);
        return -1;
    }
    if (!pkt_has(p, TH_ACK))
        return 0;
    if (ts_reject(st, ssn, p))
        return -1;
    bool retrans = stream_pkt_is_retransmission(st, snd, p) != 0;
    if (p->payload_len > 0 && SEQ_LEQ(seq + p->payload_len, snd->last_ack)) {
        stream_event(st, p, DEV_STREAM_CLOSEWAIT_PKT_BEFORE_LAST_ACK);
        return -1;
    }
    if (SEQ_GT(seq, snd->last_ack + snd->window)) {
        stream_event(st, p, DEV_STREAM_CLOSEWAIT_ACK_OUT_OF_WINDOW);
        return -1;
    }
    if (stream_validate_ack(st, ssn, rcv, p) == -1) {
        stream_event(st, p, DEV_STREAM_CLOSEWAIT_INVALID_ACK);
        return -1;
    }
    if (!retrans)
        rcv->window = (uint32_t)pkt_win(p) << rcv->wscale;
    handle_ts(st, ssn, p);
    catch_up_next_seq(rcv, p->tcp.ack, false);
    if (SEQ_EQ(seq, snd->next_seq))
        stream_update_next_seq(ssn, snd, snd->next_seq + p->payload_len);
    stream_update_last_ack(rcv, p->tcp.ack);
    stream_handle_segment(st, f, ssn, snd, p);
    return 0;
}

/* ---- last_ack: both FINs sent, waiting for the client's last ACK ---- */

int stream_state_last_ack(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (pkt_has(p, TH_RST))
        return stream_handle_rst_common(st, f, ssn, p);
    if (pkt_has(p, TH_FIN))
        return 0;
    if (pkt_has(p, TH_SYN)) {
        stream_event(st, p, DEV_STREAM_SHUTDOWN_SYN_RESEND);
        return -1;
    }
    if (!pkt_has(p, TH_ACK))
        return 0;
    if (ts_reject(st, ssn, p))
        return -1;
    if (!p->to_server)
        return 0; /* Suricata only looks at the client's ACK here */
    TcpStream *snd = &ssn->client, *rcv = &ssn->server;
    uint32_t seq = p->tcp.seq;
    bool retrans = stream_pkt_is_retransmission(st, snd, p) != 0;
    if (stream_validate_ack(st, ssn, rcv, p) == -1) {
        stream_event(st, p, DEV_STREAM_LASTACK_INVALID_ACK);
        return -1;
    }
    if (!retrans) {
        if (SEQ_LT(seq, snd->next_seq)) {
            /* before next_seq: no state change */
        } else if (seq != snd->next_seq && seq != snd->next_seq + 1) {
            stream_event(st, p, DEV_STREAM_LASTACK_ACK_WRONG_SEQ);
            return -1;
        } else {
            stream_session_set_state(f, ssn, TCP_CLOSED);
        }
        rcv->window = (uint32_t)pkt_win(p) << rcv->wscale;
    }
    handle_ts(st, ssn, p);
    catch_up_next_seq(rcv, p->tcp.ack, false);
    stream_update_last_ack(rcv, p->tcp.ack);
    stream_handle_segment(st, f, ssn, snd, p);
    return 0;
}

/* ---- time_wait ---- */

int stream_state_time_wait(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (pkt_has(p, TH_RST))
        return stream_handle_rst_common(st, f, ssn, p);
    if (pkt_has(p, TH_FIN))
        return 0;
    if (pkt_has(p, TH_SYN)) {
        stream_event(st, p, DEV_STREAM_SHUTDOWN_SYN_RESEND);
        return -1;
    }
    if (!pkt_has(p, TH_ACK))
        return 0;
    if (ts_reject(st, ssn, p))
        return -1;
    TcpStream *snd = stream_sender(ssn, p);
    TcpStream *rcv = stream_receiver(ssn, p);
    uint32_t seq = p->tcp.seq;
    bool retrans = stream_pkt_is_retransmission(st, snd, p) != 0;
    if (!retrans) {
        if (p->to_server) {
            if (seq != snd->next_seq && seq != snd->next_seq + 1) {
                stream_event(st, p, DEV_STREAM_TIMEWAIT_ACK_WRONG_SEQ);
                return -1;
            }
        } else if (seq != snd->next_seq - 1 && seq != snd->next_seq) {
            if (p->payload_len > 0 && seq == snd->last_ack)
                return 0; /* a retransmission */
            stream_event(st, p, DEV_STREAM_TIMEWAIT_ACK_WRONG_SEQ);
            return -1;
        }
    }
    if (stream_validate_ack(st, ssn, rcv, p) == -1) {
        stream_event(st, p, DEV_STREAM_TIMEWAIT_INVALID_ACK);
        return -1;
    }
    if (!retrans) {
        stream_session_set_state(f, ssn, TCP_CLOSED);
        rcv->window = (uint32_t)pkt_win(p) << rcv->wscale;
    }
    handle_ts(st, ssn, p);
    catch_up_next_seq(rcv, p->tcp.ack, false);
    stream_update_last_ack(rcv, p->tcp.ack);
    stream_handle_segment(st, f, ssn, snd, p);
    return 0;
}

/* ---- closed ---- */

static int state_closed(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (pkt_has(p, TH_RST))
        return 0;
    TcpStream *stream = stream_sender(ssn, p);
    TcpStream *ostream = stream_receiver(ssn, p);
    /* the RST came from the other side and this side keeps going: process
     * the packet in the state before the RST */
    if (!(stream->flags & STF_RST_RECV) && (ostream->flags & STF_RST_RECV)) {
        if (stream_state_dispatch(st, f, ssn, p, ssn->pstate) < 0)
            return -1;
        if (ssn->state == TCP_CLOSED)
            ssn->state = ssn->pstate;
    }
    return 0;
}

int stream_state_dispatch(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p, uint8_t state)
{
    switch (state) {
    case TCP_SYN_SENT: return stream_state_syn_sent(st, f, ssn, p);
    case TCP_SYN_RECV: return stream_state_syn_recv(st, f, ssn, p);
    case TCP_ESTABLISHED: return stream_state_established(st, f, ssn, p);
    case TCP_FIN_WAIT1: return stream_state_fin_wait1(st, f, ssn, p);
    case TCP_FIN_WAIT2: return stream_state_fin_wait2(st, f, ssn, p);
    case TCP_CLOSING: return stream_state_closing(st, f, ssn, p);
    case TCP_CLOSE_WAIT: return stream_state_close_wait(st, f, ssn, p);
    case TCP_LAST_ACK: return stream_state_last_ack(st, f, ssn, p);
    case TCP_TIME_WAIT: return stream_state_time_wait(st, f, ssn, p);
    case TCP_CLOSED: return state_closed(st, f, ssn, p);
    default: return 0;
    }
}
