/*
 * Event keywords (family `events`): decode-event, stream-event, engine-event,
 * app-layer-event, app-layer-protocol and app-layer-state, one file each,
 * and the helpers they share (kw-events.c). Parsers and matchers are
 * exposed for unit tests.
 */
#ifndef ODLAR_DETECT_KW_EVENTS_H
#define ODLAR_DETECT_KW_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/events.h"
#include "decode/packet.h"

typedef struct EventCtx {
    uint16_t event; /* DecodeEvent */
} EventCtx;

/* `decode-event:ipv4.trunc_pkt` (decoder events only; a leading "decoder."
 * is accepted), `stream-event:3whs_ack_in_wrong_dir` (stream events, with
 * Suricata's aliases), `engine-event:<decoder.|stream.>name` (either). */
EventCtx *event_parse_decode(const char *value, char *err, size_t errlen);
EventCtx *event_parse_stream(const char *value, char *err, size_t errlen);
EventCtx *event_parse_engine(const char *value, char *err, size_t errlen);
/* true when the packet carries the event. */
bool event_match(const Packet *p, const EventCtx *c);

typedef struct AppLayerEventCtx {
    uint16_t app_proto; /* AppProto; 0 for the protocol-independent applayer_* events */
    char name[64]; /* the event name after "<proto>." (or the applayer_* name) */
} AppLayerEventCtx;

/* `app-layer-event:<proto>.<event>` or `app-layer-event:applayer_<event>`.
 * The protocol must be one Suricata knows (app-proto.h); the event name is
 * not validated yet. */
AppLayerEventCtx *app_layer_event_parse(const char *value, char *err, size_t errlen);

#define ALPROTO_MODE_ANY 0 /* no mode given: direction, Suricata's default */
#define ALPROTO_MODE_FINAL 1
#define ALPROTO_MODE_ORIGINAL 2
#define ALPROTO_MODE_EITHER 3
#define ALPROTO_MODE_TOSERVER 4
#define ALPROTO_MODE_TOCLIENT 5
#define ALPROTO_MODE_DIRECTION 6

typedef struct AppLayerProtoCtx {
    uint16_t app_proto; /* AppProto */
    bool negated;
    uint8_t mode; /* ALPROTO_MODE_* */
} AppLayerProtoCtx;

/* `app-layer-protocol:[!]<proto>[,final|original|either|to_server|to_client|direction]`. */
AppLayerProtoCtx *app_layer_protocol_parse(const char *value, char *err, size_t errlen);
/* False while the protocol the mode looks at is not known yet (as Suricata,
 * which only decides once protocol detection is done), else (proto ==
 * that protocol) XOR negated. */
bool app_layer_protocol_match(const Packet *p, const AppLayerProtoCtx *c);

/* Shared by the event keywords (kw-events.c): value without surrounding
 * spaces into buf (false when empty or too long), a new context for event
 * ev, the KeywordDef match/hash/equal of decode-, stream- and engine-event. */
bool event_value_trimmed(const char *value, char *buf, size_t size);
EventCtx *event_ctx_new(DecodeEvent ev);
struct DetectThread;
struct Signature;
bool event_keyword_match(struct DetectThread *dt, const Packet *p, const struct Signature *s, const void *ctx);
uint32_t event_ctx_hash(const void *c);
bool event_ctx_equal(const void *a, const void *b);

/* Each keyword's registration (in its own file), and the family's. */
void events_register_decode_event(void);
void events_register_stream_event(void);
void events_register_engine_event(void);
void events_register_app_layer_event(void);
void events_register_app_layer_protocol(void);
void events_register_app_layer_state(void);
void keywords_register_events(void);

#endif
