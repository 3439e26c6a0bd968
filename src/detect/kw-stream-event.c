/*
 * stream-event: packets on which the TCP stream stage raised an anomaly,
 * named as Suricata names them (with its aliases):
 * `stream-event:3whs_ack_in_wrong_dir`, `stream-event:pkt_invalid_ack`.
 */
#include <stdio.h>
#include <stdlib.h>

#include "detect/kw-events.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"

EventCtx *event_parse_stream(const char *value, char *err, size_t errlen)
{
    char name[128];
    if (!event_value_trimmed(value, name, sizeof(name))) {
        snprintf(err, errlen, "stream-event needs an event name, e.g. stream-event:pkt_invalid_ack");
        return NULL;
    }
    DecodeEvent ev = decode_event_lookup_stream(name);
    if (ev == DEV_MAX) {
        snprintf(err, errlen, "unknown stream-event '%s'", name);
        return NULL;
    }
    return event_ctx_new(ev);
}

static uint16_t stream_kw_id;

static void *parse_stream(const char *value, char *err, size_t errlen)
{
    return event_parse_stream(value, err, errlen);
}

static bool setup_stream(RuleParseCtx *rp, Signature *s, const char *value)
{
    return hdr_setup_ctx(rp, s, stream_kw_id, SIG_LIST_MATCH, parse_stream, value);
}

void events_register_stream_event(void)
{
    stream_kw_id = keyword_register(&(const KeywordDef){
            .name = "stream-event",
            .help = "match a TCP stream anomaly, e.g. pkt_invalid_ack",
            .flags = KW_PACKET_OPTION,
            .setup = setup_stream,
            .match_packet = event_keyword_match,
            .free = free,
            .hash = event_ctx_hash,
            .equal = event_ctx_equal,
    });
}
