/*
 * Packets of a flow without a TCP session (Suricata's TCP_NONE state).
 *
 *  - SYN: a new session in syn_sent; the client's ISN, timestamp, window
 *    scale and SACK-permitted offer are remembered. Data on a SYN is only
 *    reassembled with a TCP Fast Open cookie (RFC 7413).
 *  - SYN/ACK: with stream.midstream or stream.async-oneside, a session is
 *    picked up in syn_recv and the flow is reversed so the SYN/ACK's sender
 *    is the server.
 *  - ACK (and FIN with data): with stream.midstream, a session is picked up
 *    established (fin_wait1 for FIN); both window scales are assumed to be
 *    14 since the handshake that negotiated them was missed.
 *  - RST: `stream.rst_but_no_session`; FIN without midstream (or without
 *    data): `stream.fin_but_no_session`. No session either way.
 * Without midstream, other packets create nothing and raise nothing: the
 * flow stays "new" with no TCP session. Every FIN, SYN/ACK or ACK that
 * could start a session midstream goes through the midstream exception
 * policy (StreamThread.exception); a session that does not fit the memcap
 * through the memcap policy.
 */
#include "stream/stream-private.h"

static void set_isn(TcpStream *s, uint32_t isn)
{
    s->isn = isn;
    s->base_seq = isn + 1;
}

/* Timestamps of a midstream pickup from a packet sent by `snd` to `rcv`. */
static void pickup_timestamps(TcpSession *ssn, TcpStream *snd, TcpStream *rcv, const Packet *p)
{
    if (p->tcp.has_ts) {
        snd->last_ts = p->tcp.ts_val;
        rcv->last_ts = p->tcp.ts_ecr;
        ssn->flags |= SSN_TIMESTAMP;
        snd->last_pkt_ts = (uint32_t)OD_TIME_SEC(p->ts);
        if (rcv->last_ts == 0)
            rcv->flags |= STF_ZERO_TIMESTAMP;
        if (snd->last_ts == 0)
            snd->flags |= STF_ZERO_TIMESTAMP;
    } else {
        snd->last_ts = 0;
        rcv->last_ts = 0;
    }
}

/* Midstream pickup from a non-SYN packet: the packet's sender is taken as
 * the client (the first packet defines the flow's direction). */
static void pickup_from_ack(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p, bool fin)
{
    stream_session_set_state(f, ssn, fin ? TCP_FIN_WAIT1 : TCP_ESTABLISHED);
    ssn->flags = SSN_MIDSTREAM | SSN_MIDSTREAM_ESTABLISHED;
    if (st->cfg->async_oneside)
        ssn->flags |= SSN_ASYNC;
    ssn->client.wscale = TCP_WSCALE_MAX;
    ssn->server.wscale = TCP_WSCALE_MAX;

    uint32_t seq = p->tcp.seq, ack = p->tcp.ack;
    set_isn(&ssn->client, seq - 1);
    ssn->client.next_seq = seq + p->payload_len + (fin ? 1 : 0);
    ssn->client.window = (uint32_t)pkt_win(p) << ssn->client.wscale;
    ssn->client.last_ack = seq;
    ssn->client.next_win = ssn->client.last_ack + ssn->client.window;

    set_isn(&ssn->server, ack - 1);
    ssn->server.next_seq = ssn->server.isn + 1;
    ssn->server.last_ack = ack;
    ssn->server.next_win = ssn->server.last_ack;

    pickup_timestamps(ssn, &ssn->client, &ssn->server, p);
    stream_handle_segment(st, f, ssn, &ssn->client, p);
    ssn->flags |= SSN_SACKOK;
}

static TcpSession *new_session(StreamThread *st, Flow *f, Packet *p)
{
    TcpSession *ssn = stream_session_new(st, f, p);
    if (!ssn)
        stream_exception(st, f, p, STREAM_EXC_SSN_MEMCAP, st->cfg->ssn_memcap_policy);
    return ssn;
}

static TcpSession *midstream_session(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    if (ssn)
        return ssn;
    ssn = new_session(st, f, p);
    if (ssn && st->ctr)
        ctr_inc(st->ctr, CTR_TCP_MIDSTREAM_PICKUPS);
    return ssn;
}

/* The midstream exception policy is applied to every candidate packet;
 * only ignore and pass-flow let a pickup happen. */
static bool midstream_allowed(StreamThread *st, Flow *f, Packet *p)
{
    StreamExceptionPolicy pol = st->cfg->midstream_policy;
    stream_exception(st, f, p, STREAM_EXC_MIDSTREAM, pol);
    return pol == STREAM_EP_IGNORE || pol == STREAM_EP_PASS_FLOW;
}

int stream_state_none(StreamThread *st, Flow *f, TcpSession *ssn, Packet *p)
{
    const StreamConfig *cfg = st->cfg;

    if (pkt_has(p, TH_RST)) {
        stream_event(st, p, DEV_STREAM_RST_BUT_NO_SESSION);
        return -1;
    }
    if (pkt_has(p, TH_FIN)) {
        bool allowed = midstream_allowed(st, f, p);
        if (!cfg->midstream || p->payload_len == 0 || !allowed) {
            stream_event(st, p, DEV_STREAM_FIN_BUT_NO_SESSION);
            return -1;
        }
        ssn = midstream_session(st, f, ssn, p);
        if (!ssn)
            return -1;
        pickup_from_ack(st, f, ssn, p, true);
        return 0;
    }
    if ((p->tcp.flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) {
        bool allowed = midstream_allowed(st, f, p);
        if ((!cfg->midstream && !cfg->async_oneside) || !allowed)
            return 0;
        ssn = midstream_session(st, f, ssn, p);
        if (!ssn)
            return -1;
        /* the SYN/ACK's sender is the server */
        stream_flow_swap(f, p);
        stream_session_set_state(f, ssn, TCP_SYN_RECV);
        ssn->flags |= SSN_MIDSTREAM | SSN_MIDSTREAM_SYNACK;
        if (cfg->async_oneside)
            ssn->flags |= SSN_ASYNC;

        uint32_t seq = p->tcp.seq, ack = p->tcp.ack;
        set_isn(&ssn->server, seq);
        ssn->server.next_seq = seq + 1;
        ssn->server.window = pkt_win(p);
        set_isn(&ssn->client, ack - 1);
        ssn->client.next_seq = ssn->client.isn + 1;
        ssn->client.last_ack = ack;
        ssn->server.last_ack = seq;
        ssn->server.next_win = ssn->server.last_ack + ssn->server.window;
        /* the SYN/ACK only carries a scale if the SYN offered one */
        if (p->tcp.has_wscale) {
            ssn->client.wscale = p->tcp.wscale;
            ssn->server.wscale = TCP_WSCALE_MAX;
        }
        pickup_timestamps(ssn, &ssn->server, &ssn->client, p);
        if (p->tcp.has_sackok)
            ssn->flags |= SSN_SACKOK;
        return 0;
    }
    if (pkt_has(p, TH_SYN)) {
        if (!ssn) {
            ssn = new_session(st, f, p);
            if (!ssn)
                return -1;
        }
        stream_session_set_state(f, ssn, TCP_SYN_SENT);
        if (cfg->async_oneside)
            ssn->flags |= SSN_ASYNC;
        set_isn(&ssn->client, p->tcp.seq);
        ssn->client.next_seq = p->tcp.seq + 1;
        if (p->tcp.has_ts) {
            ssn->client.last_ts = p->tcp.ts_val;
            if (ssn->client.last_ts == 0)
                ssn->client.flags |= STF_ZERO_TIMESTAMP;
            ssn->client.last_pkt_ts = (uint32_t)OD_TIME_SEC(p->ts);
            ssn->client.flags |= STF_TIMESTAMP;
        }
        ssn->server.window = pkt_win(p);
        if (p->tcp.has_wscale) {
            ssn->flags |= SSN_SERVER_WSCALE;
            ssn->server.wscale = p->tcp.wscale;
        }
        if (p->tcp.has_sackok)
            ssn->flags |= SSN_CLIENT_SACKOK;
        if (p->tcp.has_tfo) {
            ssn->flags |= SSN_TCP_FAST_OPEN;
            if (p->payload_len) {
                stream_update_next_seq(ssn, &ssn->client, ssn->client.next_seq + p->payload_len);
                stream_handle_segment(st, f, ssn, &ssn->client, p);
            }
        }
        return 0;
    }
    if (pkt_has(p, TH_ACK)) {
        bool allowed = midstream_allowed(st, f, p);
        if (!cfg->midstream || !allowed)
            return 0;
        ssn = midstream_session(st, f, ssn, p);
        if (!ssn)
            return -1;
        pickup_from_ack(st, f, ssn, p, false);
        return 0;
    }
    return 0;
}
