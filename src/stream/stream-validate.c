/*
 * Checks applied to packets of a tracked session, as Suricata's stream
 * engine applies them:
 *
 *  - ACK validation: an ACK must fall between the peer's last acknowledged
 *    byte (allowing up to one window back) and its next window edge
 *    (`stream.pkt_invalid_ack`).
 *  - RST validation per target OS policy (bsd and most others: RST SEQ must
 *    equal the next expected SEQ; linux/solaris: inside the window; hpux11:
 *    at or after it), after timestamp and ACK checks (`stream.rst_invalid_ack`,
 *    `stream.rst_with_data`). A RST signed with TCP MD5 or TCP-AO is taken
 *    but may be undone by its sender's next packet.
 *  - Timestamps, RFC 7323 PAWS: a TSval older than the last one seen from
 *    that sender (one less is tolerated with liberal timestamps or linux),
 *    or after 24 days of idle, is invalid (`stream.pkt_invalid_timestamp`);
 *    TSval 0 is invalid once the handshake used timestamps, except for the
 *    old-linux/windows/solaris policies.
 *  - Retransmission detection for the closing states
 *    (`stream.pkt_retransmission`).
 *
 * Plus the small updaters every state handler uses (last_ack, next_seq,
 * next_win).
 */
#include "stream/stream-private.h"

void stream_update_last_ack(TcpStream *stream, uint32_t ack)
{
    if (SEQ_GT(ack, stream->last_ack)) {
        stream->last_ack = ack;
        stream_sack_prune(stream);
    }
}

void stream_update_next_seq(TcpSession *ssn, TcpStream *stream, uint32_t seq)
{
    stream->next_seq = seq;
    /* one-sided sessions: nobody acknowledges, so what was sent counts as
     * acknowledged */
    if ((ssn->flags & SSN_ASYNC) && SEQ_GT(stream->next_seq, stream->last_ack))
        stream->last_ack = stream->next_seq;
}

void stream_update_next_win(TcpStream *stream, uint32_t win)
{
    uint32_t w = win + stream_sacked_size(stream);
    if (SEQ_GT(w, stream->next_win))
        stream->next_win = w;
}

void stream_set_os_policy(StreamThread *st, TcpStream *stream, const Packet *p)
{
    StreamOsPolicy pol = st->cfg->default_os_policy;
    StreamOsPolicy r = st->cfg->os_policy_lookup ? st->cfg->os_policy_lookup(st->cfg->os_policy_ctx, &p->dst_addr)
                                                 : stream_host_os_policy(st->cfg, &p->dst_addr);
    if (r != STREAM_OS_NONE)
        pol = r;
    if (pol == STREAM_OS_NONE)
        pol = STREAM_OS_BSD;
    if (pol == STREAM_OS_BSD_RIGHT)
        pol = STREAM_OS_BSD;
    else if (pol == STREAM_OS_OLD_SOLARIS)
        pol = STREAM_OS_SOLARIS;
    stream->os_policy = (uint8_t)pol;
}

int stream_validate_ack(StreamThread *st, TcpSession *ssn, TcpStream *stream, Packet *p)
{
    if (!pkt_has(p, TH_ACK))
        return 0;
    uint32_t ack = p->tcp.ack;
    if (SEQ_GT(ack, stream->last_ack) && SEQ_LEQ(ack, stream->next_win))
        return 0;
    if (SEQ_EQ(ack, stream->last_ack))
        return 0;
    if (SEQ_LT(ack, stream->last_ack)) {
        /* an old ACK: fine unless it is more than a window behind */
        if (stream->window != 0 && SEQ_LT(ack, stream->last_ack - stream->window))
            goto invalid;
        return 0;
    }
    if (ssn->flags & SSN_ASYNC)
        return 0;
    if (ssn->state > TCP_SYN_SENT && SEQ_GT(ack, stream->next_win))
        goto invalid;
    if (ssn->state == TCP_SYN_SENT && !p->to_server && pkt_has(p, TH_RST) &&
            SEQ_EQ(ack, stream->isn + 1))
        return 0;
invalid:
    stream_event(st, p, DEV_STREAM_PKT_INVALID_ACK);
    return -1;
}

bool stream_validate_rst(StreamThread *st, TcpSession *ssn, Packet *p)
{
    if ((ssn->flags & SSN_TIMESTAMP) && !stream_validate_timestamp(st, ssn, p))
        return false;
    if (p->payload_len)
        stream_event(st, p, DEV_STREAM_RST_WITH_DATA);

    TcpStream *rcv = stream_receiver(ssn, p);
    TcpStream *snd = stream_sender(ssn, p);
    if (rcv->os_policy == STREAM_OS_NONE)
        stream_set_os_policy(st, rcv, p);
    uint8_t pol = rcv->os_policy;

    /* RFC 2385 (TCP MD5) and RFC 5925 (TCP-AO) signatures use keys set out
     * of band, so whether the host accepts this RST is unknown: as Suricata,
     * it is taken, but the receiver is marked so that the sender going on
     * sending reopens the session as `stream.suspected_rst_inject`. */
    if (p->tcp.has_md5 || p->tcp.has_ao)
        rcv->flags |= STF_RST_RECV;

    if (pkt_has(p, TH_ACK) && p->tcp.ack != 0 && stream_validate_ack(st, ssn, rcv, p) == -1) {
        stream_event(st, p, DEV_STREAM_RST_INVALID_ACK);
        return false;
    }

    uint32_t seq = p->tcp.seq;
    if (ssn->flags & SSN_ASYNC)
        return SEQ_GEQ(seq, snd->next_seq);

    switch (pol) {
    case STREAM_OS_HPUX11:
        return SEQ_GEQ(seq, snd->next_seq);
    case STREAM_OS_OLD_LINUX:
    case STREAM_OS_LINUX:
    case STREAM_OS_SOLARIS:
        if (SEQ_GEQ(seq + p->payload_len, snd->last_ack))
            return SEQ_LT(seq, snd->next_seq + snd->window);
        return false;
    default:
        return SEQ_EQ(seq, snd->next_seq);
    }
}

/* The PAWS core shared by validate (read-only) and handle (updating).
 * Returns 1 valid, 0 invalid; *update_ts says whether to store ts. */
static int ts_check(StreamThread *st, TcpSession *ssn, Packet *p, bool update)
{
    TcpStream *snd = stream_sender(ssn, p);
    TcpStream *rcv = stream_receiver(ssn, p);
    if (rcv->os_policy == STREAM_OS_NONE)
        stream_set_os_policy(st, rcv, p);
    uint8_t pol = rcv->os_policy;
    uint32_t now = (uint32_t)OD_TIME_SEC(p->ts);

    if (!p->tcp.has_ts) {
        /* Solaris stops using timestamps once a segment comes without */
        if (update && pol == STREAM_OS_SOLARIS)
            ssn->flags &= ~SSN_TIMESTAMP;
        return 1;
    }
    uint32_t ts = p->tcp.ts_val;
    uint32_t last_ts = snd->last_ts;
    uint32_t last_pkt_ts = snd->last_pkt_ts;
    bool check = true;

    if (snd->flags & STF_ZERO_TIMESTAMP) {
        switch (pol) {
        case STREAM_OS_LINUX:
        case STREAM_OS_WINDOWS2K3:
            if (update)
                ssn->flags &= ~SSN_TIMESTAMP;
            check = false;
            break;
        case STREAM_OS_OLD_LINUX:
        case STREAM_OS_WINDOWS:
        case STREAM_OS_VISTA:
            if (update)
                snd->flags &= ~STF_ZERO_TIMESTAMP;
            if (SEQ_EQ(snd->next_seq, p->tcp.seq)) {
                if (update)
                    snd->last_ts = ts;
                else
                    last_ts = ts;
                check = false;
            }
            break;
        default:
            break;
        }
    }
    if (pol == STREAM_OS_HPUX11 && !SEQ_EQ(snd->next_seq, p->tcp.seq))
        check = false;

    if (ts == 0) {
        switch (pol) {
        case STREAM_OS_OLD_LINUX:
        case STREAM_OS_WINDOWS:
        case STREAM_OS_WINDOWS2K3:
        case STREAM_OS_VISTA:
        case STREAM_OS_SOLARIS:
            break;
        default:
            return 0;
        }
    }
    if (!check)
        return 1;

    int32_t result;
    if (pol == STREAM_OS_LINUX || st->cfg->liberal_timestamps)
        result = (int32_t)((ts - last_ts) + 1);
    else
        result = (int32_t)(ts - last_ts);

    if (last_pkt_ts == 0 && (ssn->flags & SSN_MIDSTREAM)) {
        last_pkt_ts = now;
        if (update)
            snd->last_pkt_ts = now;
    }
    bool ok = true;
    if (result < 0)
        ok = false;
    else if (snd->last_ts != 0 && now > last_pkt_ts + PAWS_24DAYS)
        ok = false;

    if (ok) {
        if (update) {
            if (SEQ_EQ(snd->next_seq, p->tcp.seq))
                snd->last_ts = ts;
            snd->last_pkt_ts = now;
        }
        return 1;
    }
    /* RFC 7323: an idle connection's stale timestamp is accepted for the
     * next expected segment */
    if (SEQ_EQ(snd->next_seq, p->tcp.seq) && now > last_pkt_ts + PAWS_24DAYS) {
        if (update) {
            snd->last_ts = ts;
            snd->last_pkt_ts = now;
        }
        return 1;
    }
    return 0;
}

bool stream_validate_timestamp(StreamThread *st, TcpSession *ssn, Packet *p)
{
    if (ts_check(st, ssn, p, false))
        return true;
    stream_event(st, p, DEV_STREAM_PKT_INVALID_TIMESTAMP);
    return false;
}

bool stream_handle_timestamp(StreamThread *st, TcpSession *ssn, Packet *p)
{
    if (ts_check(st, ssn, p, true))
        return true;
    stream_event(st, p, DEV_STREAM_PKT_INVALID_TIMESTAMP);
    return false;
}

int stream_pkt_is_retransmission(StreamThread *st, TcpStream *stream, Packet *p)
{
    if (p->payload_len == 0)
        return 0;
    uint32_t seq = p->tcp.seq, end = p->tcp.seq + p->payload_len;
    /* partly or fully acknowledged already */
    if ((SEQ_LT(seq, stream->last_ack) && SEQ_GT(end, stream->last_ack)) || SEQ_LEQ(end, stream->last_ack)) {
        stream_event(st, p, DEV_STREAM_PKT_RETRANSMISSION);
        return 1;
    }
    /* in flight */
    if (SEQ_LEQ(end, stream->next_seq)) {
        stream_event(st, p, DEV_STREAM_PKT_RETRANSMISSION);
        return 2;
    }
    return 0;
}
