/*
 * FTP per-flow state: configuration (memcap, max line length), memory
 * accounting, line assembly per direction (lines end at LF, an optional CR
 * before it is dropped; lines longer than max-line-length are truncated
 * and the rest skipped), the transaction list and its release, events
 * (Suricata's FtpEvent names) and the rule-buffer getters.
 */
#include "app/ftp/ftp-internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static _Atomic uint64_t g_memcap = 0;
static _Atomic uint64_t g_memuse = 0;
static _Atomic uint64_t g_hits = 0;
static _Atomic uint32_t g_max_line = FTP_DEFAULT_MAX_LINE_LEN;

void ftp_config_set_memcap(uint64_t bytes) { atomic_store(&g_memcap, bytes); }
static _Atomic uint64_t g_max_tx = FTP_DEFAULT_MAX_TX;
void ftp_config_set_max_tx(uint64_t n) { atomic_store(&g_max_tx, n ? n : FTP_DEFAULT_MAX_TX); }
void ftp_config_set_max_line_len(uint32_t len) { atomic_store(&g_max_line, len ? len : FTP_DEFAULT_MAX_LINE_LEN); }
uint64_t ftp_memuse(void) { return atomic_load(&g_memuse); }
uint64_t ftp_memcap_hits(void) { return atomic_load(&g_hits); }

static bool charge(size_t n)
{
    uint64_t cap = atomic_load(&g_memcap);
    if (cap && atomic_load(&g_memuse) + n > cap) {
        atomic_fetch_add(&g_hits, 1);
        return false;
    }
    atomic_fetch_add(&g_memuse, n);
    return true;
}

void *ftp_alloc(size_t n)
{
    if (!charge(n))
        return NULL;
    void *p = calloc(1, n);
    if (!p)
        atomic_fetch_sub(&g_memuse, n);
    return p;
}

/* Outside the memcap accounting (freed with plain free): Suricata charges
 * only transactions and their request/reply data to
 * app-layer.protocols.ftp.memcap, not its line assembly or tx list. */
static void *realloc_uncapped(void *p, size_t old, size_t n)
{
    (void)old;
    return realloc(p, n);
}

void *ftp_realloc(void *p, size_t old, size_t n)
{
    if (n > old && !charge(n - old))
        return NULL;
    void *q = realloc(p, n);
    if (!q) {
        if (n > old)
            atomic_fetch_sub(&g_memuse, n - old);
        return NULL;
    }
    if (n < old)
        atomic_fetch_sub(&g_memuse, old - n);
    return q;
}

void ftp_free(void *p, size_t n)
{
    if (p)
        atomic_fetch_sub(&g_memuse, n);
    free(p);
}

bool ftp_dup(const uint8_t *p, uint32_t n, uint8_t **out)
{
    *out = ftp_alloc(n ? n : 1);
    if (!*out)
        return false;
    if (n)
        memcpy(*out, p, n);
    return true;
}

FtpState *ftp_state_new(void)
{
    FtpState *s = calloc(1, sizeof(*s));
    if (s) {
        s->max_line_len = atomic_load(&g_max_line);
        s->max_tx = atomic_load(&g_max_tx);
    }
    return s;
}

static void tx_free(FtpTx *tx)
{
    ftp_free(tx->req, tx->req_len ? tx->req_len : 1);
    for (uint32_t i = 0; i < tx->nreplies; i++)
        ftp_free(tx->replies[i].text, tx->replies[i].text_len ? tx->replies[i].text_len : 1);
    ftp_free(tx->replies, tx->capreplies * sizeof(FtpReplyLine));
    ftp_free(tx, sizeof(*tx));
}

void ftp_state_free(FtpState *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->ntx; i++)
        tx_free(s->txs[i]);
    free(s->txs);
    for (int d = 0; d < 2; d++)
        free(s->line[d].buf);
    free(s);
}

FtpTx *ftp_tx_new(FtpState *s)
{
    if (s->ntx == s->captx) {
        uint32_t ncap = s->captx ? s->captx * 2 : 8;
        FtpTx **n = realloc_uncapped(s->txs, s->captx * sizeof(FtpTx *), ncap * sizeof(FtpTx *));
        if (!n)
            return NULL;
        s->txs = n;
        s->captx = ncap;
    }
    FtpTx *tx = ftp_alloc(sizeof(*tx));
    if (!tx)
        return NULL;
    tx->id = s->next_id++;
    s->txs[s->ntx++] = tx;
    return tx;
}

static bool line_add(FtpLineBuf *lb, const uint8_t *p, uint32_t n, uint32_t max)
{
    if (lb->len + n > max) {
        lb->truncated = true;
        n = max - lb->len;
    }
    if (n == 0)
        return true;
    if (lb->len + n > lb->cap) {
        uint32_t ncap = lb->cap ? lb->cap : 128;
        while (ncap < lb->len + n)
            ncap *= 2;
        uint8_t *b = realloc_uncapped(lb->buf, lb->cap, ncap);
        if (!b)
            return false;
        lb->buf = b;
        lb->cap = ncap;
    }
    memcpy(lb->buf + lb->len, p, n);
    lb->len += n;
    return true;
}

bool ftp_parse(FtpState *s, bool to_server, const uint8_t *data, uint32_t len, OdTime ts)
{
    (void)ts;
    if (!s || s->failed)
        return false;
    int d = to_server ? 1 : 0;
    FtpLineBuf *lb = &s->line[d];
    while (len > 0 && !s->failed) {
        const uint8_t *nl = memchr(data, '\n', len);
        uint32_t n = nl ? (uint32_t)(nl - data) : len;
        if (s->skip[d]) {
            if (!nl)
                break;
            s->skip[d] = false; /* the tail of a line cut by a gap */
            data += n + 1;
            len -= n + 1;
            continue;
        }
        if (!line_add(lb, data, n, s->max_line_len + 1)) {
            s->failed = true;
            return false;
        }
        if (!nl)
            break;
        data += n + 1;
        len -= n + 1;
        uint32_t ll = lb->len;
        bool trunc = lb->truncated;
        /* the CR of CRLF; a CR beyond the cap was never stored */
        if (!trunc && ll > 0 && lb->buf[ll - 1] == '\r')
            ll--;
        if (ll > s->max_line_len) {
            ll = s->max_line_len;
            trunc = true;
        }
        const uint8_t *line = lb->buf ? lb->buf : (const uint8_t *)"";
        if (to_server)
            ftp_handle_request(s, line, ll, trunc);
        else
            ftp_handle_reply(s, line, ll, trunc);
        lb->len = 0;
        lb->truncated = false;
    }
    return !s->failed;
}

void ftp_gap(FtpState *s, bool to_server, uint32_t gap_len)
{
    (void)gap_len;
    int d = to_server ? 1 : 0;
    s->line[d].len = 0;
    s->line[d].truncated = false;
    s->skip[d] = true;
}

void ftp_end(FtpState *s, bool to_server)
{
    (void)s;
    (void)to_server;
}

bool ftp_tls_upgrade(const FtpState *s) { return s->tls_upgrade; }
FtpExpect ftp_state_expect(const FtpState *s) { return s->expect; }

uint64_t ftp_tx_count(const FtpState *s) { return s->next_id; }

FtpTx *ftp_tx_get(FtpState *s, uint64_t id)
{
    /* ids are consecutive from the oldest kept unless a release left a hole:
     * try the place that assumes none first (a long flow keeps thousands) */
    if (s->ntx && id >= s->txs[0]->id && id - s->txs[0]->id < s->ntx && s->txs[id - s->txs[0]->id]->id == id)
        return s->txs[id - s->txs[0]->id];
    for (uint32_t i = 0; i < s->ntx; i++)
        if (s->txs[i]->id == id)
            return s->txs[i];
    return NULL;
}

uint64_t ftp_tx_id(const FtpTx *tx) { return tx->id; }

bool ftp_tx_done(const FtpTx *tx, bool to_server)
{
    return to_server ? true : tx->done;
}

void ftp_tx_release(FtpState *s, uint64_t upto_id)
{
    uint32_t w = 0;
    for (uint32_t i = 0; i < s->ntx; i++) {
        if (s->txs[i]->id < upto_id)
            tx_free(s->txs[i]);
        else
            s->txs[w++] = s->txs[i];
    }
    s->ntx = w;
}

void ftp_tx_set_event(FtpTx *tx, int ev)
{
    for (int i = 0; i < tx->nevents; i++)
        if (tx->events[i] == ev)
            return;
    if (tx->nevents < FTP_EVENT_MAX)
        tx->events[tx->nevents++] = (uint8_t)ev;
}

int ftp_tx_event_count(const FtpTx *tx) { return tx->nevents; }
int ftp_tx_event_get(const FtpTx *tx, int i) { return (i >= 0 && i < tx->nevents) ? tx->events[i] : -1; }

static const char *const event_names[FTP_EVENT_MAX] = {
    "request_command_too_long", "response_command_too_long", "file_before_port", "too_many_transactions",
};

const char *ftp_event_name(int ev) { return (ev >= 0 && ev < FTP_EVENT_MAX) ? event_names[ev] : NULL; }

int ftp_event_by_name(const char *name)
{
    for (int i = 0; i < FTP_EVENT_MAX; i++)
        if (strcmp(name, event_names[i]) == 0)
            return i;
    return -1;
}

FtpCommandCode ftp_tx_command_code(const FtpTx *tx) { return tx->cmd; }

bool ftp_tx_get_command(const FtpTx *tx, const uint8_t **p, uint32_t *len)
{
    if (tx->cmd == FTP_COMMAND_UNKNOWN)
        return false;
    const char *n = ftp_command_name(tx->cmd);
    *p = (const uint8_t *)n;
    *len = (uint32_t)strlen(n);
    return true;
}

bool ftp_tx_get_command_data(const FtpTx *tx, const uint8_t **p, uint32_t *len)
{
    if (tx->cmd == FTP_COMMAND_UNKNOWN)
        return false;
    uint32_t min = (uint32_t)strlen(ftp_command_name(tx->cmd)) + 1;
    if (tx->req_len <= min)
        return false;
    *p = tx->req + min;
    *len = tx->req_len - min;
    return true;
}

uint32_t ftp_tx_reply_count(const FtpTx *tx) { return tx->nreplies; }

bool ftp_tx_get_completion_code(const FtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len)
{
    /* i-th line that carries a code */
    for (uint32_t k = 0; k < tx->nreplies; k++) {
        if (!tx->replies[k].has_code)
            continue;
        if (i-- == 0) {
            *p = tx->replies[k].code;
            *len = 3;
            return true;
        }
    }
    return false;
}

bool ftp_tx_get_reply(const FtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len)
{
    for (uint32_t k = 0; k < tx->nreplies; k++) {
        if (tx->replies[k].text_len == 0)
            continue;
        if (i-- == 0) {
            *p = tx->replies[k].text;
            *len = tx->replies[k].text_len;
            return true;
        }
    }
    return false;
}

uint16_t ftp_tx_dynamic_port(const FtpTx *tx) { return tx->dyn_port; }

bool ftp_tx_mode_active(const FtpTx *tx, bool *active)
{
    if (tx->cmd != FTP_COMMAND_PORT && tx->cmd != FTP_COMMAND_EPRT)
        return false;
    *active = tx->active;
    return true;
}

bool ftp_tx_reply_received(const FtpTx *tx) { return tx->done; }

bool ftp_tx_data_channel(const FtpTx *tx, FtpExpect *exp, const uint8_t **file, uint32_t *file_len)
{
    if (!tx->is_data_cmd)
        return false;
    *exp = tx->data_exp;
    if (!ftp_tx_get_command_data(tx, file, file_len)) {
        *file = (const uint8_t *)"";
        *file_len = 0;
    }
    return true;
}
