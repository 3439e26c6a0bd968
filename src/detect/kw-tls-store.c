/*
 * tls.store: when the rule matches, the certificate chain of the side the
 * packet came from (the client's when it goes to the server, else the
 * server's) is written to disk by the TLS module (app/tls/tls-store.c),
 * once per side and transaction, as Suricata's tls-store output does. The
 * files go to the `tls-store` output's certs-log-dir ("certs" by default,
 * relative to default-log-dir), and only when that output is enabled;
 * files are numbered by a process-wide counter from 1.
 */
#include "detect/kw-tls-store.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app-layer.h"
#include "app/tls/tls.h"
#include "conf/conf.h"
#include "detect/kw-buffers.h"
#include "flow/flow.h"
#include "output/eve.h"

#define TLS_PROTO 4

typedef struct TlsStoreCtx {
    bool enabled;
    char dir[PATH_MAX];
} TlsStoreCtx;

static _Atomic uint32_t file_counter;
static int kw_id = -1;

/* The certificate folder from the `tls-store` output, or false when the
 * output is not enabled. */
static bool store_dir(Conf *conf, char *out, size_t size)
{
    ConfNode *n = conf ? output_find(conf, "tls-store") : NULL;
    bool enabled = false;
    if (!n || !conf_node_get_bool(n, "enabled", &enabled) || !enabled)
        return false;
    const char *dir = "certs", *base = ".";
    conf_node_get_str(n, "certs-log-dir", &dir);
    conf_get_str(conf, "default-log-dir", &base);
    int w = dir[0] == '/' ? snprintf(out, size, "%s", dir) : snprintf(out, size, "%s/%s", base, dir);
    return w > 0 && (size_t)w < size;
}

static bool setup_tls_store(RuleParseCtx *rp, Signature *s, const char *v)
{
    (void)v;
    if (!buffer_set_proto(rp, s, TLS_PROTO, "tls.store"))
        return false;
    TlsStoreCtx *c = calloc(1, sizeof(*c));
    if (!c)
        return rule_error(rp, "out of memory");
    c->enabled = store_dir(rp->conf, c->dir, sizeof(c->dir));
    if (!rule_append(rp, s, SIG_LIST_POSTMATCH, (uint16_t)kw_id, c)) {
        free(c);
        return false;
    }
    return true;
}

static void tls_store_post_match(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    const TlsStoreCtx *c = ctx;
    if (!c->enabled || !p->flow || p->flow->app_proto != TLS_PROTO)
        return;
    TlsState *st = app_layer_state(p->flow, TLS_PROTO);
    uint64_t n = st ? tls_tx_count(st) : 0;
    TlsTx *tx = n ? tls_tx_get(st, n - 1) : NULL;
    bool client_side = p->to_server;
    if (!tx || !tls_tx_mark_stored(tx, client_side))
        return;
    char src[64], dst[64];
    address_format(&p->src_addr, src, sizeof(src));
    address_format(&p->dst_addr, dst, sizeof(dst));
    TlsStoreMeta meta = { src, dst, p->proto, p->sp, p->dp };
    uint32_t id = atomic_fetch_add(&file_counter, 1) + 1;
    tls_store_write(tx, client_side, c->dir, p->ts, id, &meta);
}

void keywords_register_tls_store(void)
{
    const KeywordDef d = { .name = "tls.store",
                           .alias = "tls_store",
                           .help = "store the TLS certificate chain (tls-store output)",
                           .flags = KW_NOOPT,
                           .setup = setup_tls_store,
                           .post_match = tls_store_post_match,
                           .free = free };
    kw_id = keyword_register(&d);
}
