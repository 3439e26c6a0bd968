/*
 * When IDS-mode raw stream inspection happens (Suricata's
 * StreamReassembleRawHasDataReady and StreamTcpReassembleRawCheckLimit).
 *
 * Detection inspects a packet's own direction's reassembled ("raw") stream
 * only when that stream is ready: acknowledged but uninspected data has
 * reached the direction's chunk size (stream.reassembly.toserver-chunk-size /
 * toclient-chunk-size, 2560 by default), the app-layer triggered it at the
 * end of a message (HTTP request or response, TLS record, DNS-over-TCP
 * message, SMTP DATA), the reassembly depth was reached, the session is past
 * TIME_WAIT, or the packet is the flow-end pseudo packet. Then everything
 * from the raw progress up to the last ACK is inspected as one buffer. Odlar
 * uses the configured chunk sizes as they are: Suricata's
 * stream.reassembly.randomize-chunk-size is not applied, so runs are
 * deterministic. The raw progress itself is emulated in
 * stream-reassembly.c (stream_raw_progress), which asks stream_raw_ready().
 */
#include "stream/stream-private.h"

bool stream_raw_ready(uint64_t uninspected_acked, uint32_t chunk, unsigned flags)
{
    if (flags & (STREAM_RAW_DEPTH_REACHED | STREAM_RAW_TRIGGER | STREAM_RAW_CLOSED | STREAM_RAW_FLOW_END))
        return true;
    return uninspected_acked >= chunk;
}

void stream_tcp_trigger_raw(Flow *f, bool to_server)
{
    TcpSession *ssn = f ? (TcpSession *)f->tcp : NULL;
    if (!ssn)
        return;
    (to_server ? &ssn->client : &ssn->server)->flags |= STF_TRIGGER_RAW;
}

bool stream_tcp_raw_progress(const Flow *f, bool to_server, uint64_t *delivered, uint64_t *raw)
{
    const TcpSession *ssn = f ? (const TcpSession *)f->tcp : NULL;
    if (!ssn || ssn->inline_chunk[to_server ? 0 : 1] != 0)
        return false;
    const TcpStream *s = to_server ? &ssn->client : &ssn->server;
    if (s->flags & STF_NOREASSEMBLY)
        return false;
    *delivered = s->app_off;
    *raw = s->raw_inspected;
    return true;
}
