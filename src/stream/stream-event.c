/*
 * Raising a stream anomaly: Suricata's StreamTcpSetEvent. The event goes on
 * the packet (for EVE `anomaly` records and `stream-event:` rules) and into
 * the per-thread event counters (`stream.<name>` in stats). Anomalies found
 * while flushing a flow that is ending have no packet; they are only
 * counted.
 *
 * Exception policies (Suricata's ExceptionPolicyApply) are reported the
 * same way: handed to the thread's callback, if any.
 */
#include "stream/stream-private.h"

void stream_event(StreamThread *st, Packet *p, DecodeEvent ev)
{
    if (p)
        packet_add_event(p, ev);
    if (st->ctr)
        st->ctr->events[ev]++;
}

void stream_exception(StreamThread *st, Flow *f, Packet *p, StreamExceptionTarget target,
        StreamExceptionPolicy policy)
{
    if (st->exception)
        st->exception(st->exception_ctx, f, p, target, policy);
}
