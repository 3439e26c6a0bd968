/*
 * SSH per-flow state: configuration (HASSH on/off, memcap), creation and
 * destruction, the per-direction dispatch of input between the banner and
 * the binary packet parser, the single transaction, its events (Suricata's
 * SSHEvent names) and the getters behind the ssh.* rule buffers.
 */
#include "app/ssh/ssh-internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_bool g_hassh = false;
static _Atomic uint64_t g_memcap = 0;
static _Atomic uint64_t g_memuse = 0;
static _Atomic uint64_t g_memcap_hits = 0;

void ssh_config_set_hassh(bool enabled) { atomic_store(&g_hassh, enabled); }
bool ssh_config_hassh(void) { return atomic_load(&g_hassh); }
void ssh_config_set_memcap(uint64_t bytes) { atomic_store(&g_memcap, bytes); }
uint64_t ssh_memuse(void) { return atomic_load(&g_memuse); }
uint64_t ssh_memcap_hits(void) { return atomic_load(&g_memcap_hits); }

bool ssh_buf_append(SshBuf *b, const uint8_t *p, uint32_t n)
{
    if (n == 0)
        return true;
    if ((uint64_t)b->len + n > UINT32_MAX / 2)
        return false;
    if (b->len + n > b->cap) {
        uint32_t ncap = b->cap ? b->cap : 64;
        while (ncap < b->len + n)
            ncap *= 2;
        uint64_t cap = atomic_load(&g_memcap);
        uint64_t grow = ncap - b->cap;
        if (cap && atomic_load(&g_memuse) + grow > cap) {
            atomic_fetch_add(&g_memcap_hits, 1);
            return false;
        }
        uint8_t *nd = realloc(b->data, ncap);
        if (!nd)
            return false;
        atomic_fetch_add(&g_memuse, grow);
        b->data = nd;
        b->cap = ncap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return true;
}

void ssh_buf_free(SshBuf *b)
{
    if (b->data)
        atomic_fetch_sub(&g_memuse, b->cap);
    free(b->data);
    memset(b, 0, sizeof(*b));
}

static void hdr_free(SshHdr *h)
{
    ssh_buf_free(&h->protover);
    ssh_buf_free(&h->swver);
    ssh_buf_free(&h->comments);
    ssh_buf_free(&h->hassh);
    ssh_buf_free(&h->hassh_string);
    ssh_buf_free(&h->pending);
}

SshState *ssh_state_new(void)
{
    SshState *s = calloc(1, sizeof(*s));
    if (s)
        s->hassh = ssh_config_hassh();
    return s;
}

void ssh_state_set_hassh(SshState *s, bool enabled) { s->hassh = enabled; }

void ssh_state_free(SshState *s)
{
    if (!s)
        return;
    hdr_free(&s->tx.cli);
    hdr_free(&s->tx.srv);
    free(s);
}

void ssh_set_event(SshState *s, int ev)
{
    SshTx *tx = &s->tx;
    for (int i = 0; i < tx->nevents; i++)
        if (tx->events[i] == ev)
            return;
    if (tx->nevents < SSH_EVENT_MAX)
        tx->events[tx->nevents++] = (uint8_t)ev;
}

bool ssh_parse(SshState *s, bool to_server, const uint8_t *data, uint32_t len, OdTime ts)
{
    (void)ts;
    if (!s)
        return false;
    SshHdr *h = to_server ? &s->tx.cli : &s->tx.srv;
    SshHdr *o = to_server ? &s->tx.srv : &s->tx.cli;
    const uint32_t total = len;
    while (len > 0 && !s->failed && !h->stopped) {
        if (h->flags < SSH_STATE_BANNER_DONE) {
            uint32_t used = ssh_banner_input(s, h, data, len);
            data += used;
            len -= used;
        } else {
            ssh_record_input(s, h, o, to_server, data, len, total - len);
            len = 0;
        }
    }
    return !s->failed;
}

void ssh_gap(SshState *s, bool to_server, uint32_t gap_len)
{
    (void)gap_len;
    SshHdr *h = to_server ? &s->tx.cli : &s->tx.srv;
    h->stopped = true;
    ssh_buf_free(&h->pending);
}

void ssh_end(SshState *s, bool to_server)
{
    SshHdr *h = to_server ? &s->tx.cli : &s->tx.srv;
    h->ended = true;
    h->stopped = true;
    ssh_buf_free(&h->pending);
}

bool ssh_failed(const SshState *s) { return s->failed; }

bool ssh_encrypted(const SshState *s)
{
    return s->tx.cli.flags == SSH_STATE_FINISHED && s->tx.srv.flags == SSH_STATE_FINISHED;
}

uint64_t ssh_tx_count(const SshState *s)
{
    (void)s;
    return 1;
}

SshTx *ssh_tx_get(SshState *s, uint64_t id)
{
    if (id != 0 || s->released)
        return NULL;
    return &s->tx;
}

int ssh_tx_progress(const SshTx *tx, bool to_server)
{
    return (to_server ? &tx->cli : &tx->srv)->flags;
}

bool ssh_tx_done(const SshTx *tx, bool to_server)
{
    const SshHdr *h = to_server ? &tx->cli : &tx->srv;
    return h->flags >= SSH_STATE_FINISHED || h->ended;
}

void ssh_tx_release(SshState *s, uint64_t upto_id)
{
    (void)upto_id; /* ids are < upto_id; the only tx has id 0 */
    if (upto_id >= 1)
        s->released = true;
}

int ssh_tx_event_count(const SshTx *tx) { return tx->nevents; }
int ssh_tx_event_get(const SshTx *tx, int i)
{
    return (i >= 0 && i < tx->nevents) ? tx->events[i] : -1;
}

static const char *const event_names[SSH_EVENT_MAX] = {
    "invalid_banner", "long_banner", "invalid_record", "long_kex_record",
};

const char *ssh_event_name(int ev)
{
    return (ev >= 0 && ev < SSH_EVENT_MAX) ? event_names[ev] : NULL;
}

int ssh_event_by_name(const char *name)
{
    for (int i = 0; i < SSH_EVENT_MAX; i++)
        if (strcmp(event_names[i], name) == 0)
            return i;
    return -1;
}

static bool get(const SshBuf *b, bool present, const uint8_t **p, uint32_t *len)
{
    if (!present)
        return false;
    *p = b->data ? b->data : (const uint8_t *)"";
    *len = b->len;
    return true;
}

#define SIDE(tx, ts) ((ts) ? &(tx)->cli : &(tx)->srv)

bool ssh_tx_get_protover(const SshTx *tx, bool ts, const uint8_t **p, uint32_t *len)
{
    return get(&SIDE(tx, ts)->protover, SIDE(tx, ts)->protover.len > 0, p, len);
}
bool ssh_tx_get_swver(const SshTx *tx, bool ts, const uint8_t **p, uint32_t *len)
{
    return get(&SIDE(tx, ts)->swver, SIDE(tx, ts)->swver.len > 0, p, len);
}
bool ssh_tx_get_comments(const SshTx *tx, bool ts, const uint8_t **p, uint32_t *len)
{
    return get(&SIDE(tx, ts)->comments, SIDE(tx, ts)->has_comments, p, len);
}
bool ssh_tx_get_hassh(const SshTx *tx, bool ts, const uint8_t **p, uint32_t *len)
{
    return get(&SIDE(tx, ts)->hassh, SIDE(tx, ts)->hassh.len > 0, p, len);
}
bool ssh_tx_get_hassh_string(const SshTx *tx, bool ts, const uint8_t **p, uint32_t *len)
{
    return get(&SIDE(tx, ts)->hassh_string, SIDE(tx, ts)->hassh_string.len > 0, p, len);
}
