/*
 * The `events` keyword family: the helpers its keywords share and its
 * registration. The keywords live in their own files: decode-event
 * (kw-decode-event.c), stream-event (kw-stream-event.c), engine-event
 * (kw-engine-event.c) -- packet keywords on the decoder and stream
 * anomalies a packet carries (names from decode/events.def, case
 * insensitive as Suricata) -- app-layer-event (kw-app-event-keyword.c),
 * app-layer-protocol (kw-app-layer-protocol.c) and app-layer-state
 * (kw-app-layer-state.c, a TLS transaction keyword).
 */
#include "detect/kw-events.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "detect/kw-header.h"

bool event_value_trimmed(const char *value, char *buf, size_t size)
{
    const char *p = value ? value : "";
    while (isspace((unsigned char)*p))
        p++;
    size_t n = strlen(p);
    while (n > 0 && isspace((unsigned char)p[n - 1]))
        n--;
    if (n == 0 || n >= size)
        return false;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return true;
}

EventCtx *event_ctx_new(DecodeEvent ev)
{
    EventCtx *c = calloc(1, sizeof(*c));
    if (c)
        c->event = (uint16_t)ev;
    return c;
}

bool event_match(const Packet *p, const EventCtx *c)
{
    return packet_has_event(p, (DecodeEvent)c->event);
}

bool event_keyword_match(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    return event_match(p, ctx);
}

uint32_t event_ctx_hash(const void *c)
{
    return hdr_hash_bytes(c, sizeof(EventCtx), 1);
}

bool event_ctx_equal(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(EventCtx)) == 0;
}

void keywords_register_events(void)
{
    events_register_decode_event();
    events_register_stream_event();
    events_register_engine_event();
    events_register_app_layer_event();
    events_register_app_layer_protocol();
    events_register_app_layer_state();
}
