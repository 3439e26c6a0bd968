/*
 * engine-event: a decoder or stream anomaly by its full name, either
 * kind: `engine-event:decoder.ipv4.trunc_pkt`,
 * `engine-event:stream.pkt_invalid_ack`.
 */
#include <stdio.h>
#include <stdlib.h>

#include "detect/kw-events.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"

EventCtx *event_parse_engine(const char *value, char *err, size_t errlen)
{
    char name[128];
    if (!event_value_trimmed(value, name, sizeof(name))) {
        snprintf(err, errlen, "engine-event needs an event name, e.g. engine-event:decoder.ipv4.trunc_pkt");
        return NULL;
    }
    DecodeEvent ev = decode_event_lookup(name);
    if (ev == DEV_MAX) {
        snprintf(err, errlen, "unknown engine-event '%s'", name);
        return NULL;
    }
    return event_ctx_new(ev);
}

static uint16_t engine_kw_id;

static void *parse_engine(const char *value, char *err, size_t errlen)
{
    return event_parse_engine(value, err, errlen);
}

static bool setup_engine(RuleParseCtx *rp, Signature *s, const char *value)
{
    return hdr_setup_ctx(rp, s, engine_kw_id, SIG_LIST_MATCH, parse_engine, value);
}

void events_register_engine_event(void)
{
    engine_kw_id = keyword_register(&(const KeywordDef){
            .name = "engine-event",
            .help = "match a decoder./stream. anomaly by its full name",
            .flags = KW_PACKET_OPTION,
            .setup = setup_engine,
            .match_packet = event_keyword_match,
            .free = free,
            .hash = event_ctx_hash,
            .equal = event_ctx_equal,
    });
}
