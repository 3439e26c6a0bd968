/*
 * TLS flow state and its single transaction: allocation, release, limits,
 * per-direction progress, the event list and small list helpers. Suricata
 * models a TLS session as one transaction that lives as long as the flow;
 * its progress per direction only moves forward (hello, certificate,
 * handshake done once ChangeCipherSpec or encrypted data is seen, finished
 * at end of stream).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "app/tls/tls-int.h"

static TlsLimits g_limits = { 256u * 1024u, 16u, 64u };
static const TlsLimits k_default_limits = { 256u * 1024u, 16u, 64u };
static _Atomic uint64_t g_memcap_hits;

void tls_set_limits(const TlsLimits *l) { g_limits = l ? *l : k_default_limits; }
void tls_get_limits(TlsLimits *l) { *l = g_limits; }
const TlsLimits *tls_limits(void) { return &g_limits; }

void tls_count_memcap(TlsState *st)
{
    st->memcap_hits++;
    atomic_fetch_add(&g_memcap_hits, 1);
}
uint64_t tls_state_memcap_hits(const TlsState *st) { return st->memcap_hits; }
uint64_t tls_memcap_hits_total(void) { return atomic_load(&g_memcap_hits); }

TlsState *tls_state_new(void)
{
    return calloc(1, sizeof(TlsState));
}

bool tls_strlist_add(TlsStrList *l, const uint8_t *s, uint32_t len)
{
    char **nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
    if (!nv)
        return false;
    l->v = nv;
    uint32_t *nl = realloc(l->len, (l->n + 1) * sizeof(*nl));
    if (!nl)
        return false;
    l->len = nl;
    char *c = tls_strndup(s, len);
    if (!c)
        return false;
    l->v[l->n] = c;
    l->len[l->n] = len;
    l->n++;
    return true;
}

void tls_strlist_free(TlsStrList *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    free(l->len);
    memset(l, 0, sizeof(*l));
}

char *tls_strndup(const uint8_t *s, uint32_t len)
{
    char *c = malloc((size_t)len + 1);
    if (!c)
        return NULL;
    if (len)
        memcpy(c, s, len);
    c[len] = '\0';
    return c;
}

static void free_chain(TlsSide *s)
{
    for (uint32_t i = 0; i < s->ncerts; i++)
        free(s->cert_der[i]);
    free(s->cert_der);
    free(s->cert_len);
    s->cert_der = NULL;
    s->cert_len = NULL;
    s->ncerts = 0;
}

void tls_side_free(TlsSide *s)
{
    free(s->sni);
    tls_strlist_free(&s->alpns);
    free(s->ja3_str);
    free_chain(s);
    free(s->subject);
    free(s->issuer);
    free(s->serial);
    free(s->fingerprint);
    tls_strlist_free(&s->sans);
}

void tls_state_free(TlsState *st)
{
    if (!st)
        return;
    for (int d = 0; d < 2; d++)
        free(st->dir[d].buf);
    tls_side_free(&st->tx.client);
    tls_side_free(&st->tx.server);
    free(st);
}

void tls_set_event(TlsTx *tx, int ev)
{
    if (tx->nevents < TLS_MAX_EVENTS)
        tx->events[tx->nevents++] = (uint8_t)ev;
}

void tls_set_progress(TlsTx *tx, bool to_server, int p)
{
    if (p > tx->progress[to_server])
        tx->progress[to_server] = p;
}

uint64_t tls_tx_count(const TlsState *st) { return st->started ? 1 : 0; }

TlsTx *tls_tx_get(TlsState *st, uint64_t id)
{
    return (id == 0 && st->started) ? &st->tx : NULL;
}

int tls_tx_progress(const TlsTx *tx, bool to_server) { return tx->progress[to_server]; }

bool tls_tx_complete(const TlsTx *tx, bool to_server)
{
    return tx->progress[to_server] >= TLS_PROGRESS_HANDSHAKE_DONE;
}

void tls_tx_release(TlsState *st, uint64_t id)
{
    if (id != 0)
        return;
    st->released = true;
    free_chain(&st->tx.client);
    free_chain(&st->tx.server);
}

uint32_t tls_tx_event_count(const TlsTx *tx) { return tx->nevents; }
int tls_tx_event_get(const TlsTx *tx, uint32_t i) { return i < tx->nevents ? tx->events[i] : -1; }
bool tls_tx_has_event(const TlsTx *tx, int ev)
{
    for (uint32_t i = 0; i < tx->nevents; i++)
        if (tx->events[i] == ev)
            return true;
    return false;
}

uint16_t tls_tx_version(const TlsTx *tx, bool to_server)
{
    return to_server ? tx->client.version : tx->server.version;
}
uint32_t tls_tx_ssl_state(const TlsTx *tx) { return tx->seen; }
bool tls_tx_session_resumed(const TlsTx *tx) { return tx->resumed; }

bool tls_tx_cert_validity(const TlsTx *tx, bool to_server, int64_t *nb, int64_t *na)
{
    const TlsSide *s = to_server ? &tx->client : &tx->server;
    if (!s->cert_done)
        return false;
    *nb = s->not_before;
    *na = s->not_after;
    return true;
}
