/*
 * Event keywords. decode-event / stream-event / engine-event match packets
 * that carry a decoder or stream anomaly (names from decode/events.def, case
 * insensitive as Suricata). app-layer-event checks its protocol part against
 * the application protocols rules may name; for the protocols Odlar parses
 * it becomes a transaction keyword (kw-app-event.c), for the others it
 * never matches yet; the applayer_* protocol-detection events are matched
 * on the packet that raised them. app-layer-protocol compares the protocol
 * detected in the packet's direction (or the mode's: final, original,
 * to_server, to_client, either). All are packet keywords on
 * SIG_LIST_MATCH, except app-layer-state (TLS handshake progress), a
 * transaction keyword (see its section).
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
#include "app/app-layer.h"
#include "app/tls/tls.h"
#include "detect/buffer-registry.h"
#include "detect/inspect.h"
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

/* Looked up at registration (the flow family registers before this one),
 * read while matching. */
static uint16_t g_failed_id;
static int g_kw_flow_id = -1;

static uint16_t app_proto_failed_id(void)
{
    return g_failed_id;
}

/* One protocol against the keyword: unknown (0) matches nothing, negated
 * or not. "http" and "http1" share an id, so comparing ids covers aliases. */
static bool alproto_is(uint16_t proto, const AppLayerProtoCtx *c)
{
    return proto != APP_PROTO_UNKNOWN && (proto == c->app_proto) != c->negated;
}

bool app_layer_protocol_match(const Packet *p, const AppLayerProtoCtx *c)
{
    const Flow *f = p->flow;
    if (f == NULL || f->app_proto == APP_PROTO_UNKNOWN)
        return false;
    /* a failed flow failed in both directions */
    bool failed = f->app_proto == app_proto_failed_id();
    uint16_t ts = failed ? f->app_proto : f->app_proto_ts;
    uint16_t tc = failed ? f->app_proto : f->app_proto_tc;
    switch (c->mode) {
    case ALPROTO_MODE_FINAL:
        return alproto_is(f->app_proto, c);
    case ALPROTO_MODE_ORIGINAL:
        return alproto_is(app_layer_orig_proto(f), c);
    case ALPROTO_MODE_TOSERVER:
        return alproto_is(ts, c);
    case ALPROTO_MODE_TOCLIENT:
        return alproto_is(tc, c);
    case ALPROTO_MODE_EITHER:
        return alproto_is(ts, c) || alproto_is(tc, c);
    default: /* direction, Suricata's default: the packet's own direction */
        return alproto_is(p->to_server ? ts : tc, c);
    }
}

/* Suricata's "PD-only" signature: nothing but app-layer-protocol (and a
 * flow direction) to match, and no application protocol of its own. It is
 * checked only on the packet that finished protocol detection for its
 * direction, so it alerts once per direction rather than on every packet. */
static bool sig_is_proto_detect_only(const Signature *s, uint16_t kw_alproto_id)
{
    const int kw_flow_id = g_kw_flow_id;
    const uint32_t flow_state = SIG_FLAG_ESTABLISHED | SIG_FLAG_NOT_ESTABLISHED | SIG_FLAG_STATELESS |
                                SIG_FLAG_ONLY_STREAM | SIG_FLAG_NO_STREAM;
    if (s->app_proto != 0)
        return false;
    for (uint16_t i = 0; i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        if (l->count == 0 || l->list_id == SIG_LIST_POSTMATCH || l->list_id == SIG_LIST_SUPPRESS)
            continue;
        if (l->list_id != SIG_LIST_MATCH)
            return false;
        for (uint16_t k = 0; k < l->count; k++) {
            uint16_t kw = l->items[k].kw;
            if (kw == kw_alproto_id)
                continue;
            if ((int)kw == kw_flow_id && !(s->flags & flow_state))
                continue;
            return false;
        }
    }
    return true;
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
/* The protocol-detection events (applayer_*) of the packet; events of
 * protocols Odlar does not parse never match. */
static bool match_alevent(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    const AppLayerEventCtx *c = ctx;
    if (c->app_proto != 0)
        return false;
    int bit = app_pkt_event_bit(c->name);
    return bit > 0 && (p->app_events & bit);
}
static bool match_alproto(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    if (sig_is_proto_detect_only(s, kw_alproto) && !(p->flow && app_layer_proto_detect_done_on(p->flow, p)))
        return false;
    return app_layer_protocol_match(p, ctx);
}

/* ---- app-layer-state (TLS): compares a direction's handshake progress ----
 * A transaction keyword on the internal buffer "app-layer-state#tls"
 * (both directions, the transaction itself, inspectable at any time): the
 * progress of the packet's direction is compared with the state's number,
 * once per transaction and direction, as the transaction engine runs it. */

#define ALSTATE_BUFFER "app-layer-state#tls"
#define ALSTATE_KEYWORD "app-layer-state#tx"

typedef struct AppLayerStateCtx {
    uint8_t op; /* 0 =, 1 <, 2 > */
    bool to_server; /* client_* states: the client's side */
    int value; /* progress value (tls.h TLS_PROGRESS_*), as Suricata numbers the states */
} AppLayerStateCtx;

static bool alstate_get(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    if (i)
        return false;
    *d = tx;
    *l = 0;
    return true;
}

static bool alstate_ready(const void *tx, bool ts)
{
    (void)tx;
    (void)ts;
    return true;
}

static InspectResult alstate_inspect(struct DetectThread *dt, struct InspectCursor *cur, const Signature *s,
                                     const void *ctx)
{
    (void)dt;
    (void)s;
    const AppLayerStateCtx *c = ctx;
    /* judged on a packet carrying data of its direction: a bare ACK does
     * not move that direction's handshake (so `<client_hello_done` does not
     * also fire on the server's first ACK, as in Suricata) */
    if (!cur->buf || !cur->p || cur->p->payload_len == 0)
        return INSPECT_NO_MATCH;
    int progress = tls_tx_progress((const TlsTx *)cur->buf, cur->to_server);
    bool ok = c->op == 1 ? progress < c->value : c->op == 2 ? progress > c->value : progress == c->value;
    return ok ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

/* Suricata's TLS state names per side; the index is the progress value. */
static const char *const tls_client_states[] = { "client_in_progress", "client_hello_done", "client_cert_done",
                                                 "client_handshake_done", "client_finished" };
static const char *const tls_server_states[] = { "server_in_progress", "server_hello", "server_cert_done",
                                                 "server_handshake_done", "server_finished" };

static void *parse_alstate(const char *value, char *err, size_t errlen)
{
    char buf[64];
    if (!trimmed(value, buf, sizeof(buf))) {
        snprintf(err, errlen, "app-layer-state: expected [<|>]<state>, e.g. client_hello_done");
        return NULL;
    }
    AppLayerStateCtx c = { 0 };
    const char *name = buf;
    if (*name == '<' || *name == '>') {
        c.op = *name == '<' ? 1 : 2;
        name++;
    }
    for (int side = 0; side < 2; side++) {
        const char *const *names = side ? tls_server_states : tls_client_states;
        for (int i = 0; i < 5; i++) {
            if (strcmp(name, names[i]) == 0) {
                AppLayerStateCtx *out = malloc(sizeof(*out));
                if (!out) {
                    snprintf(err, errlen, "out of memory");
                    return NULL;
                }
                c.to_server = side == 0;
                c.value = i;
                *out = c;
                return out;
            }
        }
    }
    snprintf(err, errlen, "app-layer-state: unknown state '%s' (TLS client_*/server_* states)", name);
    return NULL;
}

static bool setup_alstate(RuleParseCtx *rp, Signature *s, const char *v)
{
    const AppProtoInfo *tls = app_proto_by_name("tls");
    int id = buffer_lookup(ALSTATE_BUFFER);
    int kid = keyword_lookup(ALSTATE_KEYWORD);
    if (!tls || id < 0 || kid < 0)
        return rule_error(rp, "internal error: app-layer-state is not registered");
    if (s->app_proto != tls->id)
        return rule_error(rp, "app-layer-state needs a tls rule (Odlar knows the TLS states only)");
    char err[256] = "";
    AppLayerStateCtx *c = parse_alstate(v, err, sizeof(err));
    if (!c)
        return rule_error(rp, "%s", err);
    if (!rule_append(rp, s, buffer_list_id(id), (uint16_t)kid, c)) {
        free(c);
        return false;
    }
    return true;
}

static uint32_t hash_event(const void *c) { return hdr_hash_bytes(c, sizeof(EventCtx), 1); }
static bool equal_event(const void *a, const void *b) { return memcmp(a, b, sizeof(EventCtx)) == 0; }
static uint32_t hash_alevent(const void *c) { return hdr_hash_bytes(c, sizeof(AppLayerEventCtx), 2); }
static bool equal_alevent(const void *a, const void *b) { return memcmp(a, b, sizeof(AppLayerEventCtx)) == 0; }
static uint32_t hash_alproto(const void *c) { return hdr_hash_bytes(c, sizeof(AppLayerProtoCtx), 3); }
static bool equal_alproto(const void *a, const void *b) { return memcmp(a, b, sizeof(AppLayerProtoCtx)) == 0; }

static uint16_t reg(const char *name, const char *help, uint32_t flags, bool (*setup)(RuleParseCtx *, Signature *, const char *),
        bool (*match)(struct DetectThread *, const Packet *, const Signature *, const void *),
        uint32_t (*hash)(const void *), bool (*equal)(const void *, const void *))
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = name;
    d.help = help;
    d.flags = flags;
    d.setup = setup;
    d.match_packet = match;
    d.free = free;
    d.hash = hash;
    d.equal = equal;
    return keyword_register(&d);
}

void keywords_register_events(void)
{
    kw_decode = reg("decode-event", "match a decoder anomaly, e.g. ipv4.trunc_pkt", KW_PACKET_OPTION, setup_decode, match_event,
            hash_event, equal_event);
    kw_stream = reg("stream-event", "match a TCP stream anomaly, e.g. pkt_invalid_ack", KW_PACKET_OPTION, setup_stream,
            match_event, hash_event, equal_event);
    kw_engine = reg("engine-event", "match a decoder./stream. anomaly by its full name", KW_PACKET_OPTION, setup_engine,
            match_event, hash_event, equal_event);
    kw_alevent = reg("app-layer-event", "match an application-layer event <proto>.<event>", KW_PACKET_OPTION, setup_alevent,
            match_alevent, hash_alevent, equal_alevent);
    const AppProtoInfo *failed = app_proto_by_name("failed");
    g_failed_id = failed ? failed->id : 0;
    g_kw_flow_id = keyword_lookup("flow");
    kw_alproto = reg("app-layer-protocol", "match the flow's application protocol: [!]<proto>[,mode]",
            0 /* its verdict depends on the rule (sig_is_proto_detect_only) */,
            setup_alproto, match_alproto, hash_alproto, equal_alproto);
    const AppProtoInfo *tls = app_proto_by_name("tls");
    if (tls) {
        BufferDef b = { ALSTATE_BUFFER, tls->id, BUF_DIR_BOTH, false, alstate_get, alstate_ready };
        buffer_register(&b);
    }
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = "app-layer-state";
    d.help = "match the TLS handshake progress: [<|>]<state>, e.g. client_hello_done";
    d.setup = setup_alstate;
    keyword_register(&d);
    memset(&d, 0, sizeof(d));
    d.name = ALSTATE_KEYWORD;
    d.help = "internal: app-layer-state on a TLS transaction";
    d.inspect = alstate_inspect;
    d.free = free;
    keyword_register(&d);
}
