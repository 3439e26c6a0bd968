/*
 * TCP session reuse (Suricata's TcpSessionPacketSsnReuse): a SYN on the
 * tuple of a flow whose session is done with, or never started, begins a
 * new conversation rather than belonging to the old one. A SYN that repeats
 * the session's ISN is a retransmission, not a new session. With midstream
 * or async-oneside, a SYN/ACK can start a session as well.
 */
#include "stream/stream-private.h"

static bool done_enough(const TcpSession *ssn)
{
    return ssn->state >= TCP_LAST_ACK || ssn->state == TCP_NONE;
}

bool stream_tcp_packet_is_reuse(const StreamConfig *cfg, const Flow *f, const Packet *p, bool to_server)
{
    if (p->proto != 6)
        return false;
    uint8_t fl = p->tcp.flags;
    if (fl & (TH_RST | TH_FIN))
        return false;
    const TcpSession *ssn = (const TcpSession *)f->tcp;
    if ((fl & (TH_SYN | TH_ACK)) == TH_SYN) {
        if (!ssn)
            return true;
        if (to_server) {
            if (ssn->flags & SSN_TFO_DATA_IGNORED)
                return true;
            if (SEQ_EQ(ssn->client.isn, p->tcp.seq))
                return false;
        }
        return done_enough(ssn);
    }
    if ((cfg->midstream || cfg->async_oneside) && (fl & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) {
        if (!to_server) {
            if (!ssn)
                return false;
            if (SEQ_EQ(ssn->server.isn, p->tcp.seq))
                return false;
            return done_enough(ssn);
        }
        return !ssn || done_enough(ssn);
    }
    return false;
}
