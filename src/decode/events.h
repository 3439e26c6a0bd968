/*
 * Anomalies found while decoding packets or tracking TCP streams.
 *
 * The list lives in events.def as X-macro entries with Suricata's names, so
 * one line gives the enum value, the stats counter (`decoder.event.<name>`
 * or `stream.<name>` as in Suricata) and the EVE anomaly event name
 * (`decoder.<name>` / `stream.<name>`).
 */
#ifndef ODLAR_DECODE_EVENTS_H
#define ODLAR_DECODE_EVENTS_H

#include <stdbool.h>

typedef enum DecodeEvent {
#define DECODE_EVENT(id, name) DEV_##id,
#define STREAM_EVENT(id, name) DEV_STREAM_##id,
#include "decode/events.def"
#undef DECODE_EVENT
#undef STREAM_EVENT
    DEV_MAX
} DecodeEvent;

/* The event's name without the prefix, e.g. "ipv4.trunc_pkt". */
const char *decode_event_name(DecodeEvent ev);
/* true for stream (TCP tracking/reassembly) events, false for decoder events. */
bool decode_event_is_stream(DecodeEvent ev);
/* Finds an event by name as used in rules (`decode-event:ipv4.trunc_pkt`),
 * returns DEV_MAX when unknown. Case does not matter (as in Suricata). The
 * full names "decoder.ipv4.trunc_pkt" / "stream.pkt_invalid_ack" are
 * accepted too. */
DecodeEvent decode_event_lookup(const char *name);
/* Finds a stream event by the name a `stream-event:` keyword uses
 * ("3whs_ack_in_wrong_dir"), with Suricata's aliases
 * "3whs_synack_resend_with_different_ack" and
 * "est_synack_resend_with_different_ack"; DEV_MAX when unknown. */
DecodeEvent decode_event_lookup_stream(const char *name);

/* Stats naming, as Suricata 8 registers the event counters:
 *  - decoder events are "<prefix>.<name>" with prefix stats.decoder-events-prefix
 *    (default "decoder.event"), e.g. "decoder.event.ipv4.trunc_pkt";
 *  - too_many_layers keeps its own name "decoder.too_many_layers", which is the
 *    counters.def counter CTR_DECODER_TOO_MANY_LAYERS (decode_set_event bumps
 *    both), so this returns NULL for it: do not list it twice;
 *  - stream events are "stream.<name>";
 *  - the ARP events, which sit after the stream events in Suricata's table,
 *    are "decoder.arp.<...>" and are counted with the stream events.
 * Returns buf, or NULL when the event has no counter of its own. */
const char *decode_event_stats_name(DecodeEvent ev, const char *decoder_prefix, char *buf, unsigned size);
/* true when Suricata lists the event's counter only with stats.stream-events
 * (stream events and the ARP events after them), false when with
 * stats.decoder-events. */
bool decode_event_stats_is_stream(DecodeEvent ev);

#endif
