/*
 * app-layer-state (TLS): compares a direction's handshake progress. A
 * transaction keyword on the internal buffer "app-layer-state#tls"
 * (both directions, the transaction itself, inspectable at any time): the
 * progress of the packet's direction is compared with the state's number,
 * once per transaction and direction, as the transaction engine runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tls/tls.h"
#include "detect/app-proto.h"
#include "detect/buffer-registry.h"
#include "detect/inspect.h"
#include "detect/kw-events.h"
#include "detect/rule-parse.h"

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
    if (!event_value_trimmed(value, buf, sizeof(buf))) {
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


void events_register_app_layer_state(void)
{
    const AppProtoInfo *tls = app_proto_by_name("tls");
    if (tls) {
        BufferDef b = { ALSTATE_BUFFER, tls->id, BUF_DIR_BOTH, false, alstate_get, alstate_ready };
        buffer_register(&b);
    }
    keyword_register(&(const KeywordDef){
            .name = "app-layer-state",
            .help = "match the TLS handshake progress: [<|>]<state>, e.g. client_hello_done",
            .setup = setup_alstate,
    });
    keyword_register(&(const KeywordDef){
            .name = ALSTATE_KEYWORD,
            .help = "internal: app-layer-state on a TLS transaction",
            .inspect = alstate_inspect,
            .free = free,
    });
}
