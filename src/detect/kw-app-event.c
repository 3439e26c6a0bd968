/*
 * app-layer-event for the protocols Odlar parses (http, http2, dns, tls,
 * ssh, smtp, ftp, dhcp, pop3): `app-layer-event:dns.z_flag_set` matches a transaction whose
 * parser raised that event (names compared case-insensitively, as the
 * parsers' event_name() spell them in EVE anomaly records). kw-events.c
 * parses the keyword and hands such rules here; other protocols and the
 * protocol-independent applayer_* events stay packet keywords there.
 *
 * Like kw-buffers-txkw.c it sits on internal buffers, one per protocol
 * ("app-layer-event#dns", ...), whose getter hands the transaction itself
 * to inspect(), so the event is checked once per transaction and
 * direction by the transaction engine. DNS keeps one transaction per
 * message: its events are checked in the message's own direction only.
 */
#include "detect/kw-app-event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/app-layer.h"
#include "app/dns/dns.h"
#include "detect/inspect.h"
#include "detect/kw-buffers.h"

#define APP_EVENT_KEYWORD "app-layer-event#tx"

typedef struct AppEventTx {
    AppProto proto;
    char name[64];
} AppEventTx;

static const struct {
    AppProto proto;
    const char *buffer;
} event_protos[] = {
    { 1, "app-layer-event#http" }, { 3, "app-layer-event#dns" }, { 4, "app-layer-event#tls" },
    { 5, "app-layer-event#ssh" },  { 6, "app-layer-event#smtp" }, { 7, "app-layer-event#ftp" },
    { 2, "app-layer-event#http2" }, { 15, "app-layer-event#dhcp" }, { 27, "app-layer-event#pop3" },
};
#define N_EVENT_PROTOS (sizeof(event_protos) / sizeof(event_protos[0]))

static bool g_dns_tx(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    if (i || dns_tx_is_request(tx) != ts)
        return false;
    *d = tx;
    *l = 0;
    return true;
}

static InspectResult app_event_inspect(struct DetectThread *dt, struct InspectCursor *cur, const Signature *s,
                                       const void *ctx)
{
    (void)dt;
    (void)s;
    const AppEventTx *k = ctx;
    const AppParserDef *def = app_layer_parser(k->proto);
    if (!def || !def->tx_event_count || !def->tx_event_get || !def->event_name)
        return INSPECT_NO_MATCH;
    const void *tx = cur->buf;
    int n = def->tx_event_count(tx);
    for (int i = 0; i < n; i++) {
        const char *name = def->event_name(def->tx_event_get(tx, i));
        if (name && strcasecmp(name, k->name) == 0)
            return INSPECT_MATCH;
    }
    return INSPECT_NO_MATCH;
}

bool app_event_handles(AppProto proto)
{
    for (size_t i = 0; i < N_EVENT_PROTOS; i++)
        if (event_protos[i].proto == proto)
            return true;
    return false;
}

bool app_event_setup(RuleParseCtx *rp, Signature *s, AppProto proto, const char *event)
{
    const char *buf = NULL;
    for (size_t i = 0; i < N_EVENT_PROTOS; i++)
        if (event_protos[i].proto == proto)
            buf = event_protos[i].buffer;
    int id = buf ? buffer_lookup(buf) : -1;
    int kid = keyword_lookup(APP_EVENT_KEYWORD);
    if (id < 0 || kid < 0)
        return rule_error(rp, "internal error: app-layer-event is not registered for this protocol");
    AppEventTx *k = calloc(1, sizeof(*k));
    if (!k)
        return rule_error(rp, "out of memory");
    k->proto = proto;
    if (!event || !*event || strlen(event) >= sizeof(k->name)) {
        free(k);
        return rule_error(rp, "app-layer-event: invalid event name");
    }
    snprintf(k->name, sizeof(k->name), "%s", event);
    if (!buffer_set_proto(rp, s, proto, "app-layer-event") ||
        !rule_append(rp, s, buffer_list_id(id), (uint16_t)kid, k)) {
        free(k);
        return false;
    }
    return true;
}

void keywords_register_app_events(void)
{
    for (size_t i = 0; i < N_EVENT_PROTOS; i++) {
        BufferDef b = { event_protos[i].buffer, event_protos[i].proto, BUF_DIR_BOTH, false,
                        event_protos[i].proto == 3 ? g_dns_tx : buffer_get_tx_itself, buffer_ready_always };
        buffer_register(&b);
    }
    const KeywordDef kw = { .name = APP_EVENT_KEYWORD,
                            .help = "internal: app-layer-event on a parsed protocol's transaction",
                            .inspect = app_event_inspect,
                            .free = free };
    keyword_register(&kw);
}
