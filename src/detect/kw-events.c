/*
 * Event keywords. decode-event / stream-event / engine-event match packets
 * that carry a decoder or stream anomaly (names from decode/events.def, case
 * insensitive as Suricata). app-layer-event checks its protocol part against
 * the application protocols rules may name; for the protocols Odlar parses
 * it becomes a transaction keyword (kw-app-event.c), for the others (and
 * the applayer_* events) it never matches yet. app-layer-protocol compares
 * the flow's detected protocol (Flow.app_proto). All are packet keywords on
 * SIG_LIST_MATCH.
 */
#include "detect/kw-events.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect/app-proto.h"
#include "detect/keyword.h"
#include "detect/kw-app-event.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"
#include "flow/flow.h"

/* Copies value without surrounding spaces into buf; false when too long/empty. */
static bool trimmed(const char *value, char *buf, size_t size)
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

static EventCtx *new_event(DecodeEvent ev)
{
    EventCtx *c = calloc(1, sizeof(*c));
    if (c)
        c->event = (uint16_t)ev;
    return c;
}

EventCtx *event_parse_decode(const char *value, char *err, size_t errlen)
{
    char name[128];
    if (!trimmed(value, name, sizeof(name))) {
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
    return new_event(ev);
}

EventCtx *event_parse_stream(const char *value, char *err, size_t errlen)
{
    char name[128];
    if (!trimmed(value, name, sizeof(name))) {
        snprintf(err, errlen, "stream-event needs an event name, e.g. stream-event:pkt_invalid_ack");
        return NULL;
    }
    DecodeEvent ev = decode_event_lookup_stream(name);
    if (ev == DEV_MAX) {
        snprintf(err, errlen, "unknown stream-event '%s'", name);
        return NULL;
    }
    return new_event(ev);
}

EventCtx *event_parse_engine(const char *value, char *err, size_t errlen)
{
    char name[128];
    if (!trimmed(value, name, sizeof(name))) {
        snprintf(err, errlen, "engine-event needs an event name, e.g. engine-event:decoder.ipv4.trunc_pkt");
        return NULL;
    }
    DecodeEvent ev = decode_event_lookup(name);
    if (ev == DEV_MAX) {
        snprintf(err, errlen, "unknown engine-event '%s'", name);
        return NULL;
    }
    return new_event(ev);
}

bool event_match(const Packet *p, const EventCtx *c)
{
    return packet_has_event(p, (DecodeEvent)c->event);
}

AppLayerEventCtx *app_layer_event_parse(const char *value, char *err, size_t errlen)
{
    char name[128];
    if (!trimmed(value, name, sizeof(name))) {
        snprintf(err, errlen, "app-layer-event needs <protocol>.<event>, e.g. app-layer-event:http.request_header_invalid");
        return NULL;
    }
    AppLayerEventCtx *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    char *dot = strchr(name, '.');
    if (dot == NULL) {
        if (strncmp(name, "applayer_", 9) != 0 || strlen(name) >= sizeof(c->name)) {
            snprintf(err, errlen,
                    "app-layer-event '%s' must be written <protocol>.<event> (or be an applayer_* "
                    "event)",
                    name);
            free(c);
            return NULL;
        }
        strcpy(c->name, name);
        return c;
    }
    *dot = '\0';
    const AppProtoInfo *ap = app_proto_by_name(name);
    if (ap == NULL || dot[1] == '\0' || strlen(dot + 1) >= sizeof(c->name)) {
        if (ap == NULL)
            snprintf(err, errlen, "app-layer-event: unknown application protocol '%s'", name);
        else
            snprintf(err, errlen, "app-layer-event: invalid event name after '%s.'", name);
        free(c);
        return NULL;
    }
    c->app_proto = ap->id;
    strcpy(c->name, dot + 1);
    return c;
}

AppLayerProtoCtx *app_layer_protocol_parse(const char *value, char *err, size_t errlen)
{
    static const struct {
        const char *s;
        uint8_t mode;
    } modes[] = {
        {"final", ALPROTO_MODE_FINAL}, {"original", ALPROTO_MODE_ORIGINAL},
        {"either", ALPROTO_MODE_EITHER}, {"to_server", ALPROTO_MODE_TOSERVER},
        {"to_client", ALPROTO_MODE_TOCLIENT}, {"direction", ALPROTO_MODE_DIRECTION},
    };
    char buf[128];
    if (!trimmed(value, buf, sizeof(buf))) {
        snprintf(err, errlen, "app-layer-protocol needs a protocol name, e.g. app-layer-protocol:tls");
        return NULL;
    }
    AppLayerProtoCtx c = {0, false, ALPROTO_MODE_ANY};
    char *name = buf;
    char *comma = strchr(buf, ',');
    if (comma) {
        *comma = '\0';
        char mode[32];
        if (!trimmed(comma + 1, mode, sizeof(mode))) {
            snprintf(err, errlen, "app-layer-protocol: missing mode after ','");
            return NULL;
        }
        bool found = false;
        for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
            if (strcmp(mode, modes[i].s) == 0) {
                c.mode = modes[i].mode;
                found = true;
            }
        if (!found) {
            snprintf(err, errlen,
                    "app-layer-protocol: unknown mode '%s' (final, original, either, to_server, "
                    "to_client, direction)",
                    mode);
            return NULL;
        }
    }
    if (*name == '!') {
        c.negated = true;
        name++;
    }
    while (isspace((unsigned char)*name))
        name++;
    size_t n = strlen(name);
    while (n > 0 && isspace((unsigned char)name[n - 1]))
        name[--n] = '\0';
    const AppProtoInfo *ap = app_proto_by_name(name);
    if (ap == NULL) {
        snprintf(err, errlen, "app-layer-protocol: unknown protocol '%s'", name);
        return NULL;
    }
    c.app_proto = ap->id;
    AppLayerProtoCtx *r = calloc(1, sizeof(*r));
    if (r)
        *r = c;
    return r;
}

bool app_layer_protocol_match(const Packet *p, const AppLayerProtoCtx *c)
{
    const Flow *f = p->flow;
    if (f == NULL || f->app_proto == APP_PROTO_UNKNOWN)
        return false;
    /* "http" and "http1" share an id, so comparing ids covers aliases */
    return (f->app_proto == c->app_proto) != c->negated;
}

/* ---- registration ---- */

static uint16_t kw_decode, kw_stream, kw_engine, kw_alevent, kw_alproto;

static void *parse_decode(const char *v, char *e, size_t n) { return event_parse_decode(v, e, n); }
static void *parse_stream(const char *v, char *e, size_t n) { return event_parse_stream(v, e, n); }
static void *parse_engine(const char *v, char *e, size_t n) { return event_parse_engine(v, e, n); }
static void *parse_alevent(const char *v, char *e, size_t n) { return app_layer_event_parse(v, e, n); }
static void *parse_alproto(const char *v, char *e, size_t n) { return app_layer_protocol_parse(v, e, n); }

static bool setup_decode(RuleParseCtx *rp, Signature *s, const char *v)
{
    return hdr_setup_ctx(rp, s, kw_decode, SIG_LIST_MATCH, parse_decode, v);
}
static bool setup_stream(RuleParseCtx *rp, Signature *s, const char *v)
{
    return hdr_setup_ctx(rp, s, kw_stream, SIG_LIST_MATCH, parse_stream, v);
}
static bool setup_engine(RuleParseCtx *rp, Signature *s, const char *v)
{
    return hdr_setup_ctx(rp, s, kw_engine, SIG_LIST_MATCH, parse_engine, v);
}
static bool setup_alevent(RuleParseCtx *rp, Signature *s, const char *v)
{
    char err[256] = "";
    AppLayerEventCtx *c = app_layer_event_parse(v, err, sizeof(err));
    if (c && app_event_handles(c->app_proto)) {
        bool ok = app_event_setup(rp, s, c->app_proto, c->name);
        free(c);
        return ok;
    }
    free(c);
    return hdr_setup_ctx(rp, s, kw_alevent, SIG_LIST_MATCH, parse_alevent, v);
}
static bool setup_alproto(RuleParseCtx *rp, Signature *s, const char *v)
{
    return hdr_setup_ctx(rp, s, kw_alproto, SIG_LIST_MATCH, parse_alproto, v);
}

static bool match_event(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    return event_match(p, ctx);
}
static bool match_alevent(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    return false; /* no application-layer events yet */
}
static bool match_alproto(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    return app_layer_protocol_match(p, ctx);
}

static uint32_t hash_event(const void *c) { return hdr_hash_bytes(c, sizeof(EventCtx), 1); }
static bool equal_event(const void *a, const void *b) { return memcmp(a, b, sizeof(EventCtx)) == 0; }
static uint32_t hash_alevent(const void *c) { return hdr_hash_bytes(c, sizeof(AppLayerEventCtx), 2); }
static bool equal_alevent(const void *a, const void *b) { return memcmp(a, b, sizeof(AppLayerEventCtx)) == 0; }
static uint32_t hash_alproto(const void *c) { return hdr_hash_bytes(c, sizeof(AppLayerProtoCtx), 3); }
static bool equal_alproto(const void *a, const void *b) { return memcmp(a, b, sizeof(AppLayerProtoCtx)) == 0; }

static uint16_t reg(const char *name, const char *help, bool (*setup)(RuleParseCtx *, Signature *, const char *),
        bool (*match)(struct DetectThread *, const Packet *, const Signature *, const void *),
        uint32_t (*hash)(const void *), bool (*equal)(const void *, const void *))
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = name;
    d.help = help;
    d.setup = setup;
    d.match_packet = match;
    d.free = free;
    d.hash = hash;
    d.equal = equal;
    return keyword_register(&d);
}

void keywords_register_events(void)
{
    kw_decode = reg("decode-event", "match a decoder anomaly, e.g. ipv4.trunc_pkt", setup_decode, match_event,
            hash_event, equal_event);
    kw_stream = reg("stream-event", "match a TCP stream anomaly, e.g. pkt_invalid_ack", setup_stream,
            match_event, hash_event, equal_event);
    kw_engine = reg("engine-event", "match a decoder./stream. anomaly by its full name", setup_engine,
            match_event, hash_event, equal_event);
    kw_alevent = reg("app-layer-event", "match an application-layer event <proto>.<event>", setup_alevent,
            match_alevent, hash_alevent, equal_alevent);
    kw_alproto = reg("app-layer-protocol", "match the flow's application protocol: [!]<proto>[,mode]",
            setup_alproto, match_alproto, hash_alproto, equal_alproto);
}
