/*
 * decode-event: packets on which the decoder raised an anomaly
 * (decode/events.def), named as Suricata names them, case insensitive,
 * with or without a leading "decoder.": `decode-event:ipv4.trunc_pkt`.
 * Stream events belong to stream-event and are rejected here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect/kw-events.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"

EventCtx *event_parse_decode(const char *value, char *err, size_t errlen)
{
    char name[128];
    if (!event_value_trimmed(value, name, sizeof(name))) {
        snprintf(err, errlen, "decode-event needs an event name, e.g. decode-event:ipv4.trunc_pkt");
        return NULL;
    }
    const char *n = name;
    if (strncasecmp(n, "stream.", 7) == 0)
        n = ""; /* stream events belong to stream-event */
    DecodeEvent ev = *n ? decode_event_lookup(n) : DEV_MAX;
    if (ev == DEV_MAX || decode_event_is_stream(ev)) {
        snprintf(err, errlen, "unknown decode-event '%s'", name);
        return NULL;
    }
    return event_ctx_new(ev);
}

static uint16_t decode_kw_id;

static void *parse_decode(const char *value, char *err, size_t errlen)
{
    return event_parse_decode(value, err, errlen);
}

static bool setup_decode(RuleParseCtx *rp, Signature *s, const char *value)
{
    return hdr_setup_ctx(rp, s, decode_kw_id, SIG_LIST_MATCH, parse_decode, value);
}

void events_register_decode_event(void)
{
    decode_kw_id = keyword_register(&(const KeywordDef){
            .name = "decode-event",
            .help = "match a decoder anomaly, e.g. ipv4.trunc_pkt",
            .flags = KW_PACKET_OPTION,
            .setup = setup_decode,
            .match_packet = event_keyword_match,
            .free = free,
            .hash = event_ctx_hash,
            .equal = event_ctx_equal,
    });
}
