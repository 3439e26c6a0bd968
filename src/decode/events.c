/*
 * Names of the decoder and stream anomalies, and the look-ups rules and stats
 * need: one table built from events.def, indexed by DecodeEvent.
 *
 * Rule keywords name an event relative to its family (`decode-event:
 * ipv4.trunc_pkt`, `stream-event:pkt_invalid_ack`) and Suricata compares the
 * names without regard to case, so the look-ups do too. Stats names follow
 * how Suricata registers the counters (see events.h).
 */
#include "decode/events.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    bool stream;
} event_info[DEV_MAX] = {
#define DECODE_EVENT(id, n) [DEV_##id] = { n, false },
#define STREAM_EVENT(id, n) [DEV_STREAM_##id] = { n, true },
#include "decode/events.def"
#undef DECODE_EVENT
#undef STREAM_EVENT
};

const char *decode_event_name(DecodeEvent ev)
{
    if ((unsigned)ev >= DEV_MAX)
        return "unknown";
    return event_info[ev].name;
}

bool decode_event_is_stream(DecodeEvent ev)
{
    if ((unsigned)ev >= DEV_MAX)
        return false;
    return event_info[ev].stream;
}

/* Linear search over one family; the table is small and look-ups happen at
 * rule load only. */
static DecodeEvent lookup_family(const char *name, bool stream)
{
    for (int i = 0; i < DEV_MAX; i++) {
        if (event_info[i].stream == stream && strcasecmp(event_info[i].name, name) == 0)
            return (DecodeEvent)i;
    }
    return DEV_MAX;
}

DecodeEvent decode_event_lookup(const char *name)
{
    if (name == NULL)
        return DEV_MAX;
    if (strncasecmp(name, "decoder.", 8) == 0)
        return lookup_family(name + 8, false);
    if (strncasecmp(name, "stream.", 7) == 0)
        return lookup_family(name + 7, true);
    return lookup_family(name, false);
}

DecodeEvent decode_event_lookup_stream(const char *name)
{
    if (name == NULL)
        return DEV_MAX;
    if (strncasecmp(name, "stream.", 7) == 0)
        name += 7;
    /* Suricata's stream-event keyword maps these two spellings. */
    if (strcmp(name, "est_synack_resend_with_different_ack") == 0)
        name = "est_synack_resend_with_diff_ack";
    else if (strcmp(name, "3whs_synack_resend_with_different_ack") == 0)
        name = "3whs_synack_resend_with_diff_ack";
    return lookup_family(name, true);
}

bool decode_event_stats_is_stream(DecodeEvent ev)
{
    /* everything after the last decoder event before the stream block */
    return (unsigned)ev < DEV_MAX && ev > DEV_GENERIC_TOO_MANY_LAYERS;
}

const char *decode_event_stats_name(DecodeEvent ev, const char *decoder_prefix, char *buf, unsigned size)
{
    if ((unsigned)ev >= DEV_MAX || buf == NULL || size == 0)
        return NULL;
    if (ev == DEV_GENERIC_TOO_MANY_LAYERS)
        return NULL; /* it is the counter decoder.too_many_layers */
    int n;
    if (event_info[ev].stream)
        n = snprintf(buf, size, "stream.%s", event_info[ev].name);
    else if (decode_event_stats_is_stream(ev))
        n = snprintf(buf, size, "decoder.%s", event_info[ev].name);
    else
        n = snprintf(buf, size, "%s.%s", decoder_prefix ? decoder_prefix : "decoder.event", event_info[ev].name);
    if (n < 0 || (unsigned)n >= size)
        return NULL;
    return buf;
}
