/*
 * The opening handshake: Suricata's TCP_SYN_SENT and TCP_SYN_RECV states.
 *
 *   client                 server
 *     SYN  seq=x        -->            syn_sent
 *          <-- SYN/ACK seq=y ack=x+1   syn_recv
 *     ACK  seq=x+1 ack=y+1 -->         established
 *
 * Besides the textbook exchange this handles what real captures show:
 * retransmitted SYNs with different options (remembered in a queue of at
 * most stream.max-syn-queued, then `stream.3whs_syn_flood`), SYN/ACKs
 * resent with a different ISN (queued up to stream.max-synack-queued, then
 * `stream.3whs_synack_flood`; the final ACK picks the one it acknowledges),
 * the "split handshake"/4-way handshake where the server answers the SYN
 * with its own SYN, TCP Fast Open data, one-sided (async) sessions, a lost
 * final ACK, and RSTs. Every queued entry is charged to stream.memcap.
 */
#include <stdlib.h>
#include <string.h>

#include "stream/stream-private.h"

static void set_isn(TcpStream *s, uint32_t isn)
{
    s->isn = isn;
    s->base_seq = isn + 1;
}

static void queue_from_synack(const Packet *p, TcpStateQueue *q)
{
    memset(q, 0, sizeof(*q));
    q->seq = p->tcp.seq;
    q->win = p->tcp.window;
    q->seq = p->tcp.seq;
    q->ack = p->tcp.ack;
    q->pkt_ts = (uint32_t)OD_TIME_SEC(p->ts);
    if (p->tcp.has_sackok)
        q->flags |= SQ_FLAG_SACK;
    if (p->tcp.has_wscale) {
        q->flags |= SQ_FLAG_WS;
        q->wscale = p->tcp.wscale;
    }
    if (p->tcp.has_ts) {
        q->flags |= SQ_FLAG_TS;
        q->ts = p->tcp.ts_val;
    }
}

static bool queue_push(StreamThread *st, TcpSession *ssn, const TcpStateQueue *src)
{
    if (!stream_mem_reserve(st, sizeof(TcpStateQueue)))
        return false;
    TcpStateQueue *q = malloc(sizeof(*q));
    if (!q) {
        stream_mem_release(st, sizeof(TcpStateQueue));
        return false;
    }
    *q = *src;
    q->next = ssn->queue;
    ssn->queue = q;
    ssn->queue_len++;
    return true;
}

/* Remembers a SYN/ACK that differs from the one in the session.
 * Returns -1 when the queue is full (event) or memory is short. */
static int queue_synack(StreamThread *st, TcpSession *ssn, Packet *p)
{
    TcpStateQueue s;
    queue_from_synack(p, &s);
    for (TcpStateQueue *q = ssn->queue; q; q = q->next)
        if (q->flags == s.flags && q->wscale == s.wscale && q->win == s.win && q->seq == s.seq &&
                q->ack == s.ack && q->ts == s.ts)
            return 0;
    if (ssn->queue_len >= st->cfg->max_synack_queued) {
        stream_event(st, p, DEV_STREAM_3WHS_SYNACK_FLOOD);
        return -1;
    }
    return queue_push(st, ssn, &s) ? 0 : -1;
}

static TcpStateQueue *find_synack_by_ack(TcpSession *ssn, const Packet *p)
{
    uint32_t ack = p->tcp.seq, seq = p->tcp.ack - 1;
    for (TcpStateQueue *q = ssn->queue; q; q = q->next)
        if (q->seq == seq && q->ack == ack)
            return q;
    return NULL;
}

/* Applies a SYN/ACK (from the packet, or a queued one when q != NULL). */
static void synack_update(Flow *f, TcpSession *ssn, const Packet *p, const TcpStateQueue *q)
{
    TcpStateQueue tmp;
    if (!q) {
        queue_from_synack(p, &tmp);
        q = &tmp;
    }
    if (ssn->state != TCP_SYN_RECV)
        stream_session_set_state(f, ssn, TCP_SYN_RECV);
    set_isn(&ssn->server, q->seq);
    ssn->server.next_seq = q->seq + 1;
    ssn->client.window = q->win;

    if ((q->flags & SQ_FLAG_TS) && (ssn->client.flags & STF_TIMESTAMP)) {
        ssn->server.last_ts = q->ts;
        ssn->flags |= SSN_TIMESTAMP;
        ssn->server.last_pkt_ts = q->pkt_ts;
        if (ssn->server.last_ts == 0)
            ssn->server.flags |= STF_ZERO_TIMESTAMP;
    } else {
        ssn->client.last_ts = 0;
        ssn->server.last_ts = 0;
        ssn->client.flags &= ~STF_ZERO_TIMESTAMP;
    }
    ssn->client.last_ack = q->ack;
    ssn->server.last_ack = ssn->server.isn + 1;

    if ((ssn->flags & SSN_SERVER_WSCALE) && (q->flags & SQ_FLAG_WS))
        ssn->client.wscale = q->wscale;
    else
        ssn->client.wscale = 0;

    if ((ssn->flags & SSN_CLIENT_SACKOK) && (q->flags & SQ_FLAG_SACK))
        ssn->flags |= SSN_SACKOK;
    else
        ssn->flags &= ~SSN_SACKOK;

    ssn->server.next_win = ssn->server.last_ack + ssn->server.window;
    ssn->client.next_win = ssn->client.last_ack + ssn->client.window;
    ssn->flags &= ~SSN_4WHS;
}

/* A server packet's echoed timestamp must be the client's SYN timestamp;
 * after a SYN without timestamps, a RST or FIN echoing one is invalid. A
 * SYN/ACK is taken whatever it echoes then (Suricata issue 4702, a server
 * echoing TSecr=1), and the session runs without timestamps. */
static bool syn_sent_ts_ok(const TcpSession *ssn, const Packet *p)
{
    if (p->to_server || !p->tcp.has_ts)
        return true;
    const TcpStream *rcv = &ssn->client;
    uint32_t echo = p->tcp.ts_ecr;
    if (rcv->flags & STF_TIMESTAMP)
        return !(rcv->last_ts != 0 && echo != 0 && echo != rcv->last_ts);
    bool synack = (p->tcp.flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK);
    return synack || !(rcv->last_ts == 0 && echo != 0);
}

/* The SYN the session currently holds, as a queue entry. */
static void queue_from_ssn_syn(const TcpSession *ssn, TcpStateQueue *q)
{
    memset(q, 0, sizeof(*q));
    q->seq = ssn->client.isn;
    q->win = (uint16_t)ssn->server.window;
    q->pkt_ts = ssn->client.last_pkt_ts;
    if (ssn->flags & SSN_CLIENT_SACKOK)
        q->flags |= SQ_FLAG_SACK;
    if (ssn->flags & SSN_SERVER_WSCALE) {
        q->flags |= SQ_FLAG_WS;
        q->wscale = ssn->server.wscale;
    }
    if (ssn->client.flags & STF_TIMESTAMP) {
        q->flags |= SQ_FLAG_TS;
        q->ts = ssn->client.last_ts;
    }
}

static void queue_from_pkt_syn(const Packet *p, TcpStateQueue *q)
{
    memset(q, 0, sizeof(*q));
    q->seq = p->tcp.seq;
    q->win = p->tcp.window;
    q->pkt_ts = (uint32_t)OD_TIME_SEC(p->ts);
    if (p->tcp.has_sackok)
        q->flags |= SQ_FLAG_SACK;
    if (p->tcp.has_wscale) {
        q->flags |= SQ_FLAG_WS;
        q->wscale = p->tcp.wscale;
    }
    if (p->tcp.has_ts) {
        q->flags |= SQ_FLAG_TS;
        q->ts = p->tcp.ts_val;
    }
}

/* Queued SYN whose timestamp a SYN/ACK echoes. */
static const TcpStateQueue *find_syn(const TcpSession *ssn, const TcpStateQueue *s)
{
    for (const TcpStateQueue *q = ssn->queue; q; q = q->next)
        if ((s->flags & SQ_FLAG_TS) == (q->flags & SQ_FLAG_TS) && s->ts == q->ts)
            return q;
    return NULL;
}

/* Queued SYN with the same ISN and timestamp (a plain retransmission). */
static const TcpStateQueue *find_same_syn(const TcpSession *ssn, const TcpStateQueue *s)
{
    for (const TcpStateQueue *q = ssn->queue; q; q = q->next)
        if ((s->flags & SQ_FLAG_TS) == (q->flags & SQ_FLAG_TS) && s->ts == q->ts && s->seq == q->seq)
            return q;
    return NULL;
}

/* Queued SYN a SYN/ACK acknowledges (ack = its ISN + 1). */
static const TcpStateQueue *find_syn_acked(const TcpSession *ssn, uint32_t ack)
{
    for (const TcpStateQueue *q = ssn->queue; q; q = q->next)
        if (SEQ_EQ(q->seq + 1, ack))
            return q;
    return NULL;
}

/* A SYN resent with another ISN or other options: the session's SYN so far
 * is queued (each distinct one, up to stream.max-syn-queued, then
 * `3whs_syn_flood` for every further one) and the newest applies. */
static void store_syn(StreamThread *st, TcpSession *ssn, Packet *p)
{
    TcpStateQueue s;
    queue_from_ssn_syn(ssn, &s);
    if (ssn->queue && find_same_syn(ssn, &s))
        return;
    if (ssn->queue_len >= st->cfg->max_syn_queued) {
        stream_event(st, p, DEV_STREAM_3WHS_SYN_FLOOD);
        return;
    }
    (void)queue_push(st, ssn, &s);
}

static void apply_syn(TcpSession *ssn, const TcpStateQueue *q)
{
    if (!SEQ_EQ(q->seq, ssn->client.isn)) {
        set_isn(&ssn->client, q->seq);
        ssn->client.next_seq = q->seq + 1;
    }
    if (q->flags & SQ_FLAG_TS) {
        ssn->client.last_pkt_ts = q->pkt_ts;
        ssn->client.last_ts = q->ts;
        ssn->client.flags |= STF_TIMESTAMP;
    }
    if (q->flags & SQ_FLAG_WS) {
        ssn->flags |= SSN_SERVER_WSCALE;
        ssn->server.wscale = q->wscale;
    } else {
        ssn->flags &= ~SSN_SERVER_WSCALE;
        ssn->server.wscale = 0;
    }
    ssn->server.window = q->win;
    if (q->flags & SQ_FLAG_SACK)
        ssn->flags |= SSN_CLIENT_SACKOK;
    else
        ssn->flags &= ~SSN_CLIENT_SACKOK;
}

static int syn_sent_synack_toclient(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (!(p->tcp.has_tfo || (ssn->flags & SSN_TCP_FAST_OPEN))) {
        if (!SEQ_EQ(p->tcp.ack, ssn->client.isn + 1)) {
            /* the answer to an earlier SYN of the queue */
            const TcpStateQueue *q = ssn->queue ? find_syn_acked(ssn, p->tcp.ack) : NULL;
            if (!q) {
                stream_event(st, p, DEV_STREAM_3WHS_SYNACK_WITH_WRONG_ACK);
                return -1;
            }
            apply_syn(ssn, q);
        }
    } else {
        if (SEQ_EQ(p->tcp.ack, ssn->client.next_seq)) {
            /* TFO data acknowledged */
        } else if (SEQ_EQ(p->tcp.ack, ssn->client.isn + 1)) {
            /* the server ignored the SYN's data: it will come again */
            ssn->client.next_seq = ssn->client.isn;
            stream_event(st, p, DEV_STREAM_3WHS_SYNACK_TFO_DATA_IGNORED);
            ssn->flags |= SSN_TFO_DATA_IGNORED;
        } else {
            stream_event(st, p, DEV_STREAM_3WHS_SYNACK_WITH_WRONG_ACK);
            return -1;
        }
        ssn->flags |= SSN_TCP_FAST_OPEN;
        stream_session_set_state(f, ssn, TCP_ESTABLISHED);
    }

    /* a SYN/ACK with timestamps answering a SYN that offered none is
     * taken (timestamps are then not used on the session, bug 4702); other
     * packets keep the check below */
    bool ts_ok = syn_sent_ts_ok(ssn, p) || (!(ssn->client.flags & STF_TIMESTAMP) && !ssn->queue);
    if (!ts_ok) {
        if (!ssn->queue) {
            stream_event(st, p, DEV_STREAM_PKT_INVALID_TIMESTAMP);
            return -1;
        }
        TcpStateQueue search;
        memset(&search, 0, sizeof(search));
        if (p->tcp.has_ts) {
            search.flags |= SQ_FLAG_TS;
            search.ts = p->tcp.ts_ecr;
        }
        const TcpStateQueue *q = find_syn(ssn, &search);
        if (!q) {
            stream_event(st, p, DEV_STREAM_PKT_INVALID_TIMESTAMP);
            return -1;
        }
        apply_syn(ssn, q);
    }
    stream_queue_free(st, ssn);
    synack_update(f, ssn, p, NULL);
    return 0;
}

/* SYN/ACK from the client: only valid in a 4-way handshake, where the
 * server sent its own SYN and the client answers it. */
static int syn_sent_synack_toserver(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (!(ssn->flags & SSN_4WHS)) {
        stream_event(st, p, DEV_STREAM_3WHS_SYNACK_IN_WRONG_DIRECTION);
        return -1;
    }
    if (!SEQ_EQ(p->tcp.ack, ssn->server.isn + 1)) {
        stream_event(st, p, DEV_STREAM_4WHS_SYNACK_WITH_WRONG_ACK);
        return -1;
    }
    if (!SEQ_EQ(p->tcp.seq, ssn->client.isn)) {
        stream_event(st, p, DEV_STREAM_4WHS_SYNACK_WITH_WRONG_SYN);
        return -1;
    }
    stream_session_set_state(f, ssn, TCP_SYN_RECV);
    set_isn(&ssn->client, p->tcp.seq);
    ssn->client.next_seq = p->tcp.seq + 1;
    ssn->server.window = pkt_win(p);
    if (p->tcp.has_ts && (ssn->server.flags & STF_TIMESTAMP)) {
        ssn->client.last_ts = p->tcp.ts_val;
        ssn->flags |= SSN_TIMESTAMP;
        ssn->client.last_pkt_ts = (uint32_t)OD_TIME_SEC(p->ts);
        if (ssn->client.last_ts == 0)
            ssn->client.flags |= STF_ZERO_TIMESTAMP;
    } else {
        ssn->server.last_ts = 0;
        ssn->client.last_ts = 0;
        ssn->server.flags &= ~STF_ZERO_TIMESTAMP;
    }
    ssn->server.last_ack = p->tcp.ack;
    ssn->client.last_ack = ssn->client.isn + 1;
    if ((ssn->flags & SSN_SERVER_WSCALE) && p->tcp.has_wscale)
        ssn->server.wscale = p->tcp.wscale;
    else
        ssn->server.wscale = 0;
    if ((ssn->flags & SSN_CLIENT_SACKOK) && p->tcp.has_sackok)
        ssn->flags |= SSN_SACKOK;
    ssn->client.next_win = ssn->client.last_ack + ssn->client.window;
    ssn->server.next_win = ssn->server.last_ack + ssn->server.window;
    return 0;
}

int stream_state_syn_sent(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    bool synack = (p->tcp.flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK);
    if (synack && !p->to_server)
        return syn_sent_synack_toclient(st, f, ssn, p);
    if (synack)
        return syn_sent_synack_toserver(st, f, ssn, p);

    if (!syn_sent_ts_ok(ssn, p)) {
        stream_event(st, p, DEV_STREAM_PKT_INVALID_TIMESTAMP);
        return -1;
    }

    if (pkt_has(p, TH_RST)) {
        if (!stream_validate_rst(st, ssn, p))
            return -1;
        if (p->to_server) {
            /* the client aborts its own SYN */
            if (SEQ_EQ(p->tcp.seq, ssn->client.isn) && p->tcp.window == 0 &&
                    SEQ_EQ(p->tcp.ack, ssn->client.isn + 1)) {
                ssn->server.flags |= STF_RST_RECV;
                stream_session_close_rst(f, ssn);
                stream_queue_free(st, ssn);
            }
        } else {
            ssn->client.flags |= STF_RST_RECV;
            stream_session_close_rst(f, ssn);
            stream_queue_free(st, ssn);
        }
    } else if (pkt_has(p, TH_FIN)) {
        /* nothing to do, as in Suricata */
    } else if (pkt_has(p, TH_SYN)) {
        if (!p->to_server) {
            /* the server sends its own SYN: 4-way ("split") handshake */
            ssn->flags |= SSN_4WHS;
            set_isn(&ssn->server, p->tcp.seq);
            ssn->server.next_seq = p->tcp.seq + 1;
            if (p->tcp.has_ts) {
                ssn->server.last_ts = p->tcp.ts_val;
                if (ssn->server.last_ts == 0)
                    ssn->server.flags |= STF_ZERO_TIMESTAMP;
                ssn->server.last_pkt_ts = (uint32_t)OD_TIME_SEC(p->ts);
                ssn->server.flags |= STF_TIMESTAMP;
            }
            ssn->server.window = pkt_win(p);
            if (p->tcp.has_wscale) {
                ssn->flags |= SSN_SERVER_WSCALE;
                ssn->server.wscale = p->tcp.wscale;
            } else {
                ssn->flags &= ~SSN_SERVER_WSCALE;
                ssn->server.wscale = 0;
            }
            if (p->tcp.has_sackok)
                ssn->flags |= SSN_CLIENT_SACKOK;
            else
                ssn->flags &= ~SSN_CLIENT_SACKOK;
        } else {
            /* SYN retransmission: remember the previous options, use the
             * newest */
            TcpStateQueue syn_pkt, syn_ssn;
            queue_from_pkt_syn(p, &syn_pkt);
            queue_from_ssn_syn(ssn, &syn_ssn);
            if (memcmp(&syn_pkt, &syn_ssn, sizeof(syn_pkt)) != 0)
                store_syn(st, ssn, p);
            apply_syn(ssn, &syn_pkt);
        }
    } else if (pkt_has(p, TH_ACK)) {
        /* an ACK from the SYN's sender instead of a SYN/ACK: one-sided */
        if (!st->cfg->async_oneside)
            return 0;
        if (!SEQ_EQ(p->tcp.seq, ssn->client.next_seq)) {
            stream_event(st, p, DEV_STREAM_3WHS_ASYNC_WRONG_SEQ);
            return -1;
        }
        ssn->flags |= SSN_ASYNC;
        stream_session_set_state(f, ssn, TCP_ESTABLISHED);
        stream_queue_free(st, ssn);
        ssn->client.window = pkt_win(p);
        ssn->client.last_ack = p->tcp.seq;
        ssn->client.next_win = ssn->client.last_ack + ssn->client.window;
        set_isn(&ssn->server, p->tcp.ack - 1);
        ssn->server.next_seq = ssn->server.isn + 1;
        ssn->server.last_ack = ssn->server.next_seq;
        ssn->server.next_win = ssn->server.last_ack;
        if (ssn->flags & SSN_SERVER_WSCALE)
            ssn->client.wscale = TCP_WSCALE_MAX;
        if (p->tcp.has_ts && (ssn->client.flags & STF_TIMESTAMP)) {
            ssn->flags |= SSN_TIMESTAMP;
            ssn->client.flags &= ~STF_TIMESTAMP;
            ssn->client.last_pkt_ts = (uint32_t)OD_TIME_SEC(p->ts);
        } else {
            ssn->client.last_ts = 0;
            ssn->client.flags &= ~STF_ZERO_TIMESTAMP;
        }
        if (ssn->flags & SSN_CLIENT_SACKOK)
            ssn->flags |= SSN_SACKOK;
        stream_handle_segment(st, f, ssn, &ssn->client, p);
    }
    return 0;
}

/* ---------------------------------------------------------------- */

static int syn_recv_rst(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (!stream_validate_rst(st, ssn, p))
        return -1;
    bool reset = true;
    /* linux and solaris ignore a RST after a right-SEQ-wrong-ACK packet */
    if (ssn->flags & SSN_DETECTION_EVASION_ATTEMPT) {
        uint8_t pol = p->to_server ? ssn->server.os_policy : ssn->client.os_policy;
        if (pol == STREAM_OS_LINUX || pol == STREAM_OS_OLD_LINUX || pol == STREAM_OS_SOLARIS)
            reset = false;
    }
    if (reset) {
        stream_session_close_rst(f, ssn);
        if (ssn->flags & SSN_TIMESTAMP)
            (void)stream_handle_timestamp(st, ssn, p);
    }
    return 0;
}

/* The final ACK of a 4-way handshake comes from the server. */
static int syn_recv_4whs_ack(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (!SEQ_EQ(p->tcp.seq, ssn->server.next_seq)) {
        stream_event(st, p, DEV_STREAM_4WHS_WRONG_SEQ);
        return -1;
    }
    if (stream_validate_ack(st, ssn, &ssn->client, p) == -1) {
        stream_event(st, p, DEV_STREAM_4WHS_INVALID_ACK);
        return -1;
    }
    if (ssn->flags & SSN_TIMESTAMP)
        (void)stream_handle_timestamp(st, ssn, p);
    stream_update_last_ack(&ssn->client, p->tcp.ack);
    stream_update_next_seq(ssn, &ssn->server, ssn->server.next_seq + p->payload_len);
    ssn->client.window = (uint32_t)pkt_win(p) << ssn->client.wscale;
    ssn->client.next_win = ssn->client.last_ack + ssn->client.window;
    stream_session_set_state(f, ssn, TCP_ESTABLISHED);
    stream_handle_segment(st, f, ssn, &ssn->server, p);
    return 0;
}

static int syn_recv_ack(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (ssn->queue_len) {
        TcpStateQueue *q = find_synack_by_ack(ssn, p);
        if (q)
            synack_update(f, ssn, p, q);
    }
    if ((ssn->flags & SSN_TIMESTAMP) && !stream_validate_timestamp(st, ssn, p))
        return -1;
    if ((ssn->flags & SSN_4WHS) && !p->to_server)
        return syn_recv_4whs_ack(st, f, ssn, p);

    bool missed_3whs_ack = false;
    if (!p->to_server) {
        if (ssn->flags & (SSN_MIDSTREAM_SYNACK | SSN_TCP_FAST_OPEN)) {
            /* expected */
        } else {
            if (st->cfg->inline_mode) {
                if (p->payload_len > 0 && SEQ_EQ(p->tcp.ack, ssn->client.last_ack) &&
                        SEQ_EQ(p->tcp.seq, ssn->server.next_seq)) {
                    stream_event(st, p, DEV_STREAM_3WHS_ACK_DATA_INJECT);
                    return -1;
                }
                stream_event(st, p, DEV_STREAM_3WHS_ACK_IN_WRONG_DIR);
                return -1;
            }
            missed_3whs_ack = true;
        }
    }

    uint32_t seq = p->tcp.seq, ack = p->tcp.ack;
    bool ts = (ssn->flags & SSN_TIMESTAMP) != 0;
    if (SEQ_EQ(seq, ssn->client.next_seq) && SEQ_EQ(ack, ssn->server.next_seq)) {
        /* the expected final ACK (possibly with data) */
        if (ts)
            (void)stream_handle_timestamp(st, ssn, p);
        stream_update_last_ack(&ssn->server, ack);
        stream_update_next_seq(ssn, &ssn->client, ssn->client.next_seq + p->payload_len);
        ssn->server.window = (uint32_t)pkt_win(p) << ssn->server.wscale;
        ssn->server.next_win = ssn->server.last_ack + ssn->server.window;
        if (ssn->flags & SSN_MIDSTREAM) {
            ssn->client.window = (uint32_t)pkt_win(p) << ssn->client.wscale;
            ssn->client.next_win = ssn->client.last_ack + ssn->client.window;
            ssn->server.next_win = ssn->server.last_ack + ssn->server.window;
            if (!(ssn->flags & SSN_MIDSTREAM_SYNACK)) {
                ssn->server.wscale = TCP_WSCALE_MAX;
                ssn->client.wscale = TCP_WSCALE_MAX;
                ssn->flags |= SSN_SACKOK;
            }
        }
        stream_session_set_state(f, ssn, TCP_ESTABLISHED);
        stream_handle_segment(st, f, ssn, &ssn->client, p);
    } else if (st->cfg->async_oneside && SEQ_EQ(seq, ssn->server.next_seq)) {
        /* one-sided: the server side keeps talking */
        ssn->flags |= SSN_ASYNC;
        ssn->server.next_seq += p->payload_len;
        ssn->server.last_ack = seq;
        ssn->client.window = (uint32_t)pkt_win(p) << ssn->client.wscale;
        ssn->client.last_ack = ack;
        if (ts)
            (void)stream_handle_timestamp(st, ssn, p);
        if (ssn->flags & SSN_MIDSTREAM) {
            ssn->server.window = pkt_win(p);
            ssn->server.next_win = ssn->server.last_ack + ssn->server.window;
            ssn->server.wscale = TCP_WSCALE_MAX;
            ssn->client.wscale = TCP_WSCALE_MAX;
            ssn->flags |= SSN_SACKOK;
        }
        stream_session_set_state(f, ssn, TCP_ESTABLISHED);
        stream_handle_segment(st, f, ssn, &ssn->server, p);
    } else if (SEQ_EQ(seq, ssn->client.next_seq)) {
        /* right SEQ, wrong ACK: the server would RST, but linux and
         * solaris do not -- an evasion attempt */
        ssn->flags |= SSN_DETECTION_EVASION_ATTEMPT;
        stream_event(st, p, DEV_STREAM_3WHS_RIGHT_SEQ_WRONG_ACK_EVASION);
        return -1;
    } else if (!p->to_server && !st->cfg->inline_mode && SEQ_GT(seq, ssn->client.next_seq) &&
            SEQ_GT(ack, ssn->client.last_ack)) {
        /* more from the server after the SYN/ACK: packets were lost */
        if (ts)
            (void)stream_handle_timestamp(st, ssn, p);
        stream_update_last_ack(&ssn->client, ack);
        ssn->server.next_seq = seq + p->payload_len;
        ssn->client.window = (uint32_t)pkt_win(p) << ssn->client.wscale;
        ssn->client.next_win = ssn->client.last_ack + ssn->client.window;
        ssn->client.window = pkt_win(p);
        ssn->server.next_win = ssn->server.last_ack + ssn->server.window;
        stream_session_set_state(f, ssn, TCP_ESTABLISHED);
        stream_handle_segment(st, f, ssn, &ssn->server, p);
    } else if (SEQ_GT(seq, ssn->client.next_seq) && SEQ_LEQ(seq, ssn->client.next_win) &&
            SEQ_EQ(ack, ssn->server.next_seq)) {
        /* proper ACK, SEQ beyond next_seq but in window: data was lost */
        if (ts)
            (void)stream_handle_timestamp(st, ssn, p);
        ssn->client.next_seq = seq + p->payload_len;
        stream_update_last_ack(&ssn->server, ack);
        ssn->server.window = (uint32_t)pkt_win(p) << ssn->server.wscale;
        ssn->server.next_win = ssn->server.last_ack + ssn->server.window;
        if (ssn->flags & SSN_MIDSTREAM) {
            ssn->client.window = pkt_win(p);
            ssn->server.next_win = ssn->server.last_ack + ssn->server.window;
            ssn->server.wscale = TCP_WSCALE_MAX;
            ssn->client.wscale = TCP_WSCALE_MAX;
            ssn->flags |= SSN_SACKOK;
        }
        stream_session_set_state(f, ssn, TCP_ESTABLISHED);
        stream_handle_segment(st, f, ssn, &ssn->client, p);
    } else if ((missed_3whs_ack || (ssn->flags & SSN_TCP_FAST_OPEN)) &&
            SEQ_EQ(ack, ssn->client.last_ack) && SEQ_EQ(seq, ssn->server.next_seq)) {
        /* the server's first data, right after a final ACK we missed (or
         * after a TFO SYN/ACK) */
        stream_update_next_seq(ssn, &ssn->server, seq + p->payload_len);
        ssn->server.window = (uint32_t)pkt_win(p) << ssn->server.wscale;
        ssn->server.next_win = ssn->server.last_ack + ssn->server.window;
        stream_session_set_state(f, ssn, TCP_ESTABLISHED);
        stream_handle_segment(st, f, ssn, &ssn->server, p);
    } else {
        stream_event(st, p, DEV_STREAM_3WHS_WRONG_SEQ_WRONG_ACK);
        return -1;
    }
    return 0;
}

int stream_state_syn_recv(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (pkt_has(p, TH_RST))
        return syn_recv_rst(st, f, ssn, p);
    if (pkt_has(p, TH_FIN)) {
        if ((ssn->flags & SSN_TIMESTAMP) && !stream_validate_timestamp(st, ssn, p))
            return -1;
        return stream_handle_fin(st, f, ssn, p);
    }
    if ((p->tcp.flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) {
        if (p->to_server) {
            stream_event(st, p, DEV_STREAM_3WHS_SYNACK_TOSERVER_ON_SYN_RECV);
            return -1;
        }
        if (!SEQ_EQ(p->tcp.ack, ssn->client.last_ack)) {
            stream_event(st, p, DEV_STREAM_3WHS_SYNACK_RESEND_WITH_DIFF_ACK);
            return -1;
        }
        if (!SEQ_EQ(p->tcp.seq, ssn->server.isn)) {
            /* a SYN/ACK with another ISN: keep it, the ACK decides */
            if (queue_synack(st, ssn, p) == -1)
                return -1;
        }
        return 0;
    }
    if (pkt_has(p, TH_SYN)) {
        if (!p->to_server) {
            stream_event(st, p, DEV_STREAM_3WHS_SYN_TOCLIENT_ON_SYN_RECV);
            return -1;
        }
        if (!SEQ_EQ(p->tcp.seq, ssn->client.isn)) {
            stream_event(st, p, DEV_STREAM_3WHS_SYN_RESEND_DIFF_SEQ_ON_SYN_RECV);
            return -1;
        }
        return 0;
    }
    if (pkt_has(p, TH_ACK))
        return syn_recv_ack(st, f, ssn, p);
    return 0;
}
