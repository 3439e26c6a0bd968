/*
 * TCP session lifecycle: creation under the stream memcap, state changes
 * (which also drive the flow's new/established/closed state used for
 * timeouts and EVE `flow.state`), release, and the read-only views the
 * outputs use (state name, EVE `tcp` summary).
 *
 * Memory: every session and every queued SYN/SYN-ACK is charged to the
 * thread's `memuse` against `stream.memcap` (tcp.memuse); a session that
 * does not fit is not created and counted in tcp.ssn_memcap_drop.
 */
#include <stdlib.h>
#include <string.h>

#include "stream/stream-private.h"
#include "flow/flow-macs.h"

bool stream_mem_reserve(StreamThread *st, uint64_t size)
{
    uint64_t cap = st->cfg->memcap;
    if (cap != 0 && st->memuse + size > cap)
        return false;
    st->memuse += size;
    if (st->ctr)
        st->ctr->v[CTR_TCP_MEMUSE] = st->memuse;
    return true;
}

void stream_mem_release(StreamThread *st, uint64_t size)
{
    st->memuse = size > st->memuse ? 0 : st->memuse - size;
    if (st->ctr)
        st->ctr->v[CTR_TCP_MEMUSE] = st->memuse;
}

TcpSession *stream_session_new(StreamThread *st, Flow *f, const Packet *p)
{
    if (!stream_mem_reserve(st, sizeof(TcpSession))) {
        if (st->ctr)
            ctr_inc(st->ctr, CTR_TCP_SSN_MEMCAP_DROP);
        return NULL;
    }
    TcpSession *ssn = calloc(1, sizeof(*ssn));
    if (!ssn) {
        stream_mem_release(st, sizeof(TcpSession));
        if (st->ctr)
            ctr_inc(st->ctr, CTR_TCP_SSN_MEMCAP_DROP);
        return NULL;
    }
    ssn->state = TCP_NONE;
    ssn->reassembly_depth = st->cfg->reassembly_depth;
    if (st->cfg->inline_mode) {
        ssn->inline_chunk[0] = (uint16_t)(st->cfg->toserver_chunk_size ? st->cfg->toserver_chunk_size : 1);
        ssn->inline_chunk[1] = (uint16_t)(st->cfg->toclient_chunk_size ? st->cfg->toclient_chunk_size : 1);
    }
    ssn->tcp_packet_flags = p->tcp.flags;
    if (p->to_server)
        ssn->client.tcp_flags = p->tcp.flags;
    else
        ssn->server.tcp_flags = p->tcp.flags;
    ssn->client.max_regions = ssn->server.max_regions = 1;
    f->tcp = (struct TcpSession *)ssn;
    if (st->ctr) {
        ctr_inc(st->ctr, CTR_TCP_SESSIONS);
        ctr_inc(st->ctr, CTR_TCP_ACTIVE_SESSIONS);
    }
    return ssn;
}

void stream_session_set_state(Flow *f, TcpSession *ssn, uint8_t state)
{
    if (state == ssn->state)
        return;
    ssn->pstate = ssn->state;
    ssn->state = state;
    if (f->state == FLOW_STATE_LOCAL_BYPASSED)
        return; /* hdrkw: a bypassed flow keeps its state (the bypass keyword) */
    switch (state) {
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT1:
    case TCP_FIN_WAIT2:
    case TCP_CLOSING:
    case TCP_CLOSE_WAIT:
        f->state = FLOW_STATE_ESTABLISHED;
        break;
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
    case TCP_CLOSED:
        f->state = FLOW_STATE_CLOSED;
        break;
    default:
        break;
    }
}

void stream_session_close_rst(Flow *f, TcpSession *ssn)
{
    ssn->flags |= SSN_CLOSED_BY_RST;
    stream_session_set_state(f, ssn, TCP_CLOSED);
}

/* Suricata's FlowSwap + PacketSwap for a session picked up from a SYN/ACK:
 * the sender of the SYN/ACK becomes the server. Suricata leaves the flow
 * header alone and flags it reversed for output; here the header itself
 * is swapped (the flow table matches either direction), so every consumer
 * sees the corrected direction. Only valid before any data was stored. */
void stream_flow_swap(Flow *f, Packet *p)
{
    Address a = f->src;
    f->src = f->dst;
    f->dst = a;
    uint16_t port = f->sp;
    f->sp = f->dp;
    f->dp = port;
    uint64_t n = f->pkts_toserver;
    f->pkts_toserver = f->pkts_toclient;
    f->pkts_toclient = n;
    n = f->bytes_toserver;
    f->bytes_toserver = f->bytes_toclient;
    f->bytes_toclient = n;
    uint8_t fl = f->tcp_flags_ts;
    f->tcp_flags_ts = f->tcp_flags_tc;
    f->tcp_flags_tc = fl;
    f->seen_toclient = f->pkts_toclient > 0;
    flow_macs_swap(f);
    p->to_server = !p->to_server;
    /* the session's streams follow (Suricata's TcpStreamFlowSwap) */
    TcpSession *ssn = (TcpSession *)f->tcp;
    if (ssn) {
        TcpStream tmp = ssn->client;
        ssn->client = ssn->server;
        ssn->server = tmp;
    }
}

bool stream_tcp_midstream_reversible(const Flow *f)
{
    const TcpSession *ssn = (const TcpSession *)f->tcp;
    return ssn && (ssn->flags & (SSN_MIDSTREAM | SSN_MIDSTREAM_SYNACK)) == SSN_MIDSTREAM;
}

void stream_tcp_reverse(Flow *f, Packet *p)
{
    flow_swap(f);
    if (p)
        p->to_server = !p->to_server;
    TcpSession *ssn = (TcpSession *)f->tcp;
    if (ssn) {
        TcpStream tmp = ssn->client;
        ssn->client = ssn->server;
        ssn->server = tmp;
    }
}

void stream_queue_free(StreamThread *st, TcpSession *ssn)
{
    TcpStateQueue *q = ssn->queue;
    while (q) {
        TcpStateQueue *next = q->next;
        free(q);
        stream_mem_release(st, sizeof(TcpStateQueue));
        q = next;
    }
    ssn->queue = NULL;
    ssn->queue_len = 0;
}

void stream_tcp_free(StreamThread *st, Flow *f)
{
    TcpSession *ssn = (TcpSession *)f->tcp;
    if (!ssn)
        return;
    stream_free_data(st, &ssn->client);
    stream_free_data(st, &ssn->server);
    stream_queue_free(st, ssn);
    free(ssn);
    stream_mem_release(st, sizeof(TcpSession));
    if (st->ctr && st->ctr->v[CTR_TCP_ACTIVE_SESSIONS] > 0)
        ctr_sub(st->ctr, CTR_TCP_ACTIVE_SESSIONS, 1);
    f->tcp = NULL;
}

const char *stream_state_string(uint8_t state)
{
    switch (state) {
    case TCP_NONE: return "none";
    case TCP_SYN_SENT: return "syn_sent";
    case TCP_SYN_RECV: return "syn_recv";
    case TCP_ESTABLISHED: return "established";
    case TCP_FIN_WAIT1: return "fin_wait1";
    case TCP_FIN_WAIT2: return "fin_wait2";
    case TCP_TIME_WAIT: return "time_wait";
    case TCP_LAST_ACK: return "last_ack";
    case TCP_CLOSE_WAIT: return "close_wait";
    case TCP_CLOSING: return "closing";
    case TCP_CLOSED: return "closed";
    default: return NULL;
    }
}

const char *stream_tcp_state_name(const Flow *f)
{
    const TcpSession *ssn = (const TcpSession *)f->tcp;
    return ssn ? stream_state_string(ssn->state) : NULL;
}

void stream_tcp_summary(const Flow *f, TcpFlowSummary *out)
{
    memset(out, 0, sizeof(*out));
    const TcpSession *ssn = (const TcpSession *)f->tcp;
    if (!ssn)
        return;
    uint8_t fl = ssn->tcp_packet_flags;
    out->has_session = true;
    out->flags = fl;
    out->flags_ts = ssn->client.tcp_flags;
    out->flags_tc = ssn->server.tcp_flags;
    out->syn = fl & TH_SYN;
    out->fin = fl & TH_FIN;
    out->rst = fl & TH_RST;
    out->psh = fl & TH_PUSH;
    out->ack = fl & TH_ACK;
    out->urg = fl & TH_URG;
    out->ecn = fl & TH_ECN;
    out->cwr = fl & TH_CWR;
    out->state = stream_state_string(ssn->state);
    out->ts_max_regions = ssn->client.max_regions;
    out->tc_max_regions = ssn->server.max_regions;
    out->ts_gap = ssn->client.flags & STF_HAS_GAP;
    out->tc_gap = ssn->server.flags & STF_HAS_GAP;
}

void stream_tcp_set_depth(Flow *f, uint32_t depth)
{
    TcpSession *ssn = (TcpSession *)f->tcp;
    if (ssn && (depth == 0 || depth > ssn->reassembly_depth))
        ssn->reassembly_depth = depth;
}

bool stream_tcp_depth_reached(const Flow *f)
{
    const TcpSession *ssn = (const TcpSession *)f->tcp;
    return ssn && ((ssn->client.flags | ssn->server.flags) & STF_DEPTH_REACHED);
}

#define DETECT_HOLD_MIN 100000u

static uint32_t detect_limit(uint32_t window, uint32_t depth)
{
    uint32_t allowed = window < depth ? window : depth;
    return allowed > DETECT_HOLD_MIN ? allowed : DETECT_HOLD_MIN;
}

bool stream_tcp_detect_state(const Flow *f, uint64_t avail[2], uint32_t limit[2])
{
    const TcpSession *ssn = (const TcpSession *)f->tcp;
    if (!ssn || ssn->state < TCP_ESTABLISHED)
        return false;
    avail[0] = stream_right_edge(&ssn->client);
    avail[1] = stream_right_edge(&ssn->server);
    /* Suricata's pairing: the client's data against server.window, the
     * server's against client.window */
    limit[0] = detect_limit(ssn->server.window, ssn->reassembly_depth);
    limit[1] = detect_limit(ssn->client.window, ssn->reassembly_depth);
    return true;
}

bool stream_tcp_depth_reached_dir(const Flow *f, bool to_server)
{
    const TcpSession *ssn = (const TcpSession *)f->tcp;
    return ssn && ((to_server ? ssn->client.flags : ssn->server.flags) & STF_DEPTH_REACHED);
}

void stream_tcp_disable_reassembly(StreamThread *st, Flow *f, bool to_server)
{
    TcpSession *ssn = (TcpSession *)f->tcp;
    if (!ssn)
        return;
    TcpStream *s = to_server ? &ssn->client : &ssn->server;
    s->flags |= STF_NOREASSEMBLY;
    stream_free_data(st, s);
}
