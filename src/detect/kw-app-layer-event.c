/*
 * app-layer-event: an application-layer event written <protocol>.<event>
 * (the protocol one rules may name, app-proto.h) or a protocol-detection
 * event applayer_*. For the protocols Odlar parses it becomes a
 * transaction keyword (kw-app-event.c); the applayer_* events are matched
 * on the packet that raised them; events of the other protocols never
 * match yet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app-layer.h"
#include "detect/app-proto.h"
#include "detect/kw-app-event.h"
#include "detect/kw-events.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"

AppLayerEventCtx *app_layer_event_parse(const char *value, char *err, size_t errlen)
{
    char name[128];
    if (!event_value_trimmed(value, name, sizeof(name))) {
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

static uint16_t app_layer_event_kw_id;

static void *parse_alevent(const char *v, char *e, size_t n)
{
    return app_layer_event_parse(v, e, n);
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
    return hdr_setup_ctx(rp, s, app_layer_event_kw_id, SIG_LIST_MATCH, parse_alevent, v);
}

/* The protocol-detection events (applayer_*) of the packet; events of
 * protocols Odlar does not parse never match. */
static bool match_alevent(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    const AppLayerEventCtx *c = ctx;
    if (c->app_proto != 0)
        return false;
    int bit = app_pkt_event_bit(c->name);
    return bit > 0 && (p->app_events & bit);
}

static uint32_t hash_alevent(const void *c)
{
    return hdr_hash_bytes(c, sizeof(AppLayerEventCtx), 2);
}

static bool equal_alevent(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(AppLayerEventCtx)) == 0;
}

void events_register_app_layer_event(void)
{
    app_layer_event_kw_id = keyword_register(&(const KeywordDef){
            .name = "app-layer-event",
            .help = "match an application-layer event <proto>.<event>",
            .flags = KW_PACKET_OPTION,
            .setup = setup_alevent,
            .match_packet = match_alevent,
            .free = free,
            .hash = hash_alevent,
            .equal = equal_alevent,
    });
}
