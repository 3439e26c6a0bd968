/*
 * app-layer-protocol: compares the application protocol detected for the
 * packet's flow, `[!]<proto>[,mode]`, in the packet's direction (the
 * default) or the mode's: final, original, to_server, to_client, either.
 * A rule with nothing else to match (Suricata's "PD-only" signature) is
 * checked only on the packet that finished protocol detection for its
 * direction. Its verdict thus depends on the rule, so its options are not
 * shared between rules (no KW_PACKET_OPTION).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app-layer.h"
#include "detect/app-proto.h"
#include "detect/kw-events.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"
#include "flow/flow.h"

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
    if (!event_value_trimmed(value, buf, sizeof(buf))) {
        snprintf(err, errlen, "app-layer-protocol needs a protocol name, e.g. app-layer-protocol:tls");
        return NULL;
    }
    AppLayerProtoCtx c = {0, false, ALPROTO_MODE_ANY};
    char *name = buf;
    char *comma = strchr(buf, ',');
    if (comma) {
        *comma = '\0';
        char mode[32];
        if (!event_value_trimmed(comma + 1, mode, sizeof(mode))) {
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
        /* the `prefilter` mark's side list (kw-prefilter-keyword.c) is no
         * keyword to match, as in Suricata's SignatureIsPDOnly */
        if (l->count == 0 || l->list_id == SIG_LIST_POSTMATCH || l->list_id == SIG_LIST_SUPPRESS ||
            l->list_id == SIG_LIST_PREFILTER_MARK)
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


static uint16_t kw_alproto;

static void *parse_alproto(const char *v, char *e, size_t n)
{
    return app_layer_protocol_parse(v, e, n);
}

static bool setup_alproto(RuleParseCtx *rp, Signature *s, const char *v)
{
    return hdr_setup_ctx(rp, s, kw_alproto, SIG_LIST_MATCH, parse_alproto, v);
}

static bool match_alproto(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    if (sig_is_proto_detect_only(s, kw_alproto) && !(p->flow && app_layer_proto_detect_done_on(p->flow, p)))
        return false;
    return app_layer_protocol_match(p, ctx);
}

static uint32_t hash_alproto(const void *c)
{
    return hdr_hash_bytes(c, sizeof(AppLayerProtoCtx), 3);
}

static bool equal_alproto(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(AppLayerProtoCtx)) == 0;
}

void events_register_app_layer_protocol(void)
{
    const AppProtoInfo *failed = app_proto_by_name("failed");
    g_failed_id = failed ? failed->id : 0;
    g_kw_flow_id = keyword_lookup("flow");
    kw_alproto = keyword_register(&(const KeywordDef){
            .name = "app-layer-protocol",
            .help = "match the flow's application protocol: [!]<proto>[,mode]",
            .setup = setup_alproto,
            .match_packet = match_alproto,
            .free = free,
            .hash = hash_alproto,
            .equal = equal_alproto,
    });
}
