/*
 * SMTP per-flow state: configuration (MIME options, memcap), memory
 * accounting, line assembly per direction (RFC 5321 section 2.3.8: lines
 * end at CRLF; a bare LF is accepted and a CR before it dropped; command
 * and reply lines beyond 510 bytes (section 4.5.3.1.4) are cut, message
 * lines are kept up to 4096 bytes, longer DATA lines are handed on in
 * 4096-byte pieces), the raw byte count of BDAT chunks
 * (RFC 3030), the transaction list and its release, events (Suricata's
 * SMTP decoder event names) and the rule-buffer getters.
 *
 * frames: each command line and reply line (line break included) is an
 * smtp.command_line / smtp.response_line frame, a DATA message (from its
 * first line through the end-of-data line) one smtp.data frame, tied to
 * the current transaction (app/frames.h).
 */
#include "app/smtp/smtp-internal.h"
#include "app/frame-types.h" /* frames */
#include "app/frames.h" /* frames */

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>


static _Atomic uint64_t g_memcap = 0;
static _Atomic uint64_t g_memuse = 0;
static _Atomic uint64_t g_hits = 0;
static SmtpMimeConfig g_cfg;
static _Atomic int g_cfg_set = 0;

void smtp_config_defaults(SmtpMimeConfig *c)
{
    memset(c, 0, sizeof(*c));
    c->decode_mime = true;
    c->decode_base64 = true;
    c->decode_quoted_printable = true;
    c->extract_urls = true;
    c->log_url_scheme = false;
    c->header_value_depth = 2000;
    c->nschemes = 1;
    memcpy(c->schemes[0], "http", 5);
    c->file_depth = 1u << 20;
}

void smtp_config_set_mime(const SmtpMimeConfig *c)
{
    g_cfg = *c;
    if (g_cfg.decode_mime)
        g_cfg.raw_extraction = false; /* Suricata allows one of the two */
    if (g_cfg.nschemes > SMTP_MAX_SCHEMES)
        g_cfg.nschemes = SMTP_MAX_SCHEMES;
    for (uint32_t i = 0; i < SMTP_MAX_SCHEMES; i++)
        g_cfg.schemes[i][sizeof(g_cfg.schemes[i]) - 1] = 0;
    atomic_store(&g_cfg_set, 1);
}

void smtp_config_set_memcap(uint64_t bytes) { atomic_store(&g_memcap, bytes); }
uint64_t smtp_memuse(void) { return atomic_load(&g_memuse); }
uint64_t smtp_memcap_hits(void) { return atomic_load(&g_hits); }

void *smtp_alloc(size_t n)
{
    uint64_t cap = atomic_load(&g_memcap);
    if (cap && atomic_load(&g_memuse) + n > cap) {
        atomic_fetch_add(&g_hits, 1);
        return NULL;
    }
    void *p = calloc(1, n);
    if (p)
        atomic_fetch_add(&g_memuse, n);
    return p;
}

void smtp_free(void *p, size_t n)
{
    if (p)
        atomic_fetch_sub(&g_memuse, n);
    free(p);
}

/* Grows an array of `elem`-sized items to hold `need`; zeroes new space. */
bool smtp_grow(void **p, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    uint32_t ncap = *cap ? *cap : 4;
    while (ncap < need)
        ncap *= 2;
    uint8_t *n = smtp_alloc((size_t)ncap * elem);
    if (!n)
        return false;
    if (*p)
        memcpy(n, *p, (size_t)*cap * elem);
    smtp_free(*p, (size_t)*cap * elem);
    *p = n;
    *cap = ncap;
    return true;
}

bool sbuf_append(SmtpBuf *b, const uint8_t *p, uint32_t n)
{
    if (n == 0)
        return true;
    void *v = b->p;
    if (!smtp_grow(&v, &b->cap, b->len + n, 1))
        return false;
    b->p = v;
    memcpy(b->p + b->len, p, n);
    b->len += n;
    return true;
}

bool sbuf_set(SmtpBuf *b, const uint8_t *p, uint32_t n)
{
    b->len = 0;
    return sbuf_append(b, p, n);
}

void sbuf_free(SmtpBuf *b)
{
    smtp_free(b->p, b->cap);
    b->p = NULL;
    b->len = b->cap = 0;
}

bool smtp_ieq(const uint8_t *a, const char *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint8_t c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32);
        if (c != (uint8_t)b[i])
            return false;
    }
    return true;
}

SmtpState *smtp_state_new(void)
{
    SmtpState *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    if (atomic_load(&g_cfg_set))
        s->cfg = g_cfg;
    else
        smtp_config_defaults(&s->cfg);
    return s;
}

static void tx_free(SmtpTx *tx)
{
    sbuf_free(&tx->helo);
    sbuf_free(&tx->mail_from);
    for (uint32_t i = 0; i < tx->nrcpt; i++)
        sbuf_free(&tx->rcpt[i]);
    smtp_free(tx->rcpt, (size_t)tx->caprcpt * sizeof(SmtpBuf));
    smtp_mime_free(&tx->mime);
    smtp_free(tx, sizeof(*tx));
}

void smtp_state_free(SmtpState *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->ntx; i++)
        tx_free(s->txs[i]);
    smtp_free(s->txs, (size_t)s->captx * sizeof(SmtpTx *));
    sbuf_free(&s->helo);
    for (int d = 0; d < 3; d++)
        smtp_free(s->line[d].buf, s->line[d].cap);
    free(s);
}

SmtpTx *smtp_tx_new(SmtpState *s)
{
    void *v = s->txs;
    if (!smtp_grow(&v, &s->captx, s->ntx + 1, sizeof(SmtpTx *)))
        return NULL;
    s->txs = v;
    SmtpTx *tx = smtp_alloc(sizeof(*tx));
    if (!tx)
        return NULL;
    tx->id = s->next_id++;
    smtp_mime_init(&tx->mime);
    if (s->has_helo && sbuf_set(&tx->helo, s->helo.p, s->helo.len))
        tx->has_helo = true;
    s->txs[s->ntx++] = tx;
    s->curr = tx;
    return tx;
}

static bool line_add(SmtpLineBuf *lb, const uint8_t *p, uint32_t n, uint32_t max)
{
    if (lb->len + n > max) {
        lb->truncated = true;
        n = max - lb->len;
    }
    if (n == 0)
        return true;
    void *v = lb->buf;
    if (!smtp_grow(&v, &lb->cap, lb->len + n, 1))
        return false;
    lb->buf = v;
    memcpy(lb->buf + lb->len, p, n);
    lb->len += n;
    return true;
}

/* The BDAT chunk's bytes: message lines for the MIME decoder. */
static void bdat_body(SmtpState *s, const uint8_t *data, uint32_t len)
{
    SmtpLineBuf *lb = &s->line[2];
    while (len > 0) {
        const uint8_t *nl = memchr(data, '\n', len);
        uint32_t n = nl ? (uint32_t)(nl - data) : len;
        if (!line_add(lb, data, n, SMTP_DATA_LINE_CAP + 1)) {
            s->failed = true;
            return;
        }
        if (!nl)
            return;
        data += n + 1;
        len -= n + 1;
        uint32_t ll = lb->len;
        if (ll > 0 && lb->buf[ll - 1] == '\r' && !lb->truncated)
            ll--;
        uint32_t delim = ll < lb->len ? 2 : 1;
        if (ll > SMTP_DATA_LINE_CAP)
            ll = SMTP_DATA_LINE_CAP;
        if (s->curr && s->curr->has_mime) {
            const uint8_t *l = lb->buf ? lb->buf : (const uint8_t *)"";
            smtp_mime_md5_line(s->curr, &s->cfg, l, ll, delim);
            smtp_mime_line(s->curr, &s->cfg, l, ll);
        }
        lb->len = 0;
        lb->truncated = false;
    }
}

static void bdat_flush(SmtpState *s)
{
    SmtpLineBuf *lb = &s->line[2];
    if (lb->len > 0 && s->curr && s->curr->has_mime) {
        uint32_t ll = lb->len > SMTP_DATA_LINE_CAP ? SMTP_DATA_LINE_CAP : lb->len;
        smtp_mime_md5_line(s->curr, &s->cfg, lb->buf, ll, 0);
        smtp_mime_line(s->curr, &s->cfg, lb->buf, ll);
    }
    lb->len = 0;
    lb->truncated = false;
}

/* frames: a line of direction d starts `rel` bytes into the parse call:
 * in DATA mode it is part of the message (one smtp.data frame from its
 * first line to the end-of-data line), otherwise it opens a command or
 * response line frame (smtp.command_line / smtp.response_line). */
static void frame_line_start(SmtpState *s, int d, int64_t rel)
{
    if (d == 1 && s->data_mode) {
        if (s->frame_data <= 0)
            s->frame_data = app_frame_open(SMTP_FRAME_DATA, rel, -1);
        return;
    }
    s->frame_line[d] = app_frame_open(d == 1 ? SMTP_FRAME_COMMAND_LINE : SMTP_FRAME_RESPONSE_LINE, rel, -1);
}

/* frames: the line (with its line break) ended `rel` bytes into the parse
 * call, after the parser handled it. */
static void frame_line_end(SmtpState *s, int d, int64_t rel)
{
    if (s->frame_line[d] > 0) {
        app_frame_set_end(s->frame_line[d], rel);
        if (s->curr)
            app_frame_set_tx(s->frame_line[d], s->curr->id);
        s->frame_line[d] = 0;
    }
    if (d == 1 && s->frame_data > 0) {
        if (s->curr)
            app_frame_set_tx(s->frame_data, s->curr->id);
        if (!s->data_mode) { /* the end-of-data line ended the message */
            app_frame_set_end(s->frame_data, rel);
            s->frame_data = 0;
        }
    }
}

uint64_t smtp_messages_ended(const SmtpState *s, bool to_server)
{
    return to_server ? s->data_ends : 0;
}

bool smtp_parse(SmtpState *s, bool to_server, const uint8_t *data, uint32_t len, OdTime ts)
{
    (void)ts;
    if (!s)
        return false;
    if (s->failed || s->tls)
        return true; /* stopped earlier (that call reported it): data is ignored */
    if (!data)
        len = 0;
    int d = to_server ? 1 : 0;
    SmtpLineBuf *lb = &s->line[d];
    const uint32_t total = len; /* frames: offsets from the first byte */
    while (len > 0 && !s->failed && !s->tls) {
        if (to_server && s->bdat_mode) {
            uint32_t n = s->bdat_left < len ? (uint32_t)s->bdat_left : len;
            bdat_body(s, data, n);
            s->bdat_left -= n;
            data += n;
            len -= n;
            if (s->bdat_left == 0) {
                s->bdat_mode = false;
                if (s->bdat_last) {
                    bdat_flush(s);
                    smtp_data_end(s);
                }
            }
            continue;
        }
        const uint8_t *nl = memchr(data, '\n', len);
        uint32_t n = nl ? (uint32_t)(nl - data) : len;
        if (!s->skip[d] && !s->line_started[d]) { /* frames */
            s->line_started[d] = true;
            frame_line_start(s, d, (int64_t)(total - len));
        }
        if (s->skip[d]) {
            if (!nl)
                break;
            s->skip[d] = false; /* the tail of a line cut by a gap */
            data += n + 1;
            len -= n + 1;
            continue;
        }
        if (to_server && s->data_mode && lb->len + n > SMTP_DATA_LINE_CAP) {
            /* a message line longer than the buffer: decode it in pieces */
            uint32_t take = SMTP_DATA_LINE_CAP - lb->len;
            if (!line_add(lb, data, take, SMTP_DATA_LINE_CAP)) {
                s->failed = true;
                return false;
            }
            data += take;
            len -= take;
            smtp_data_piece(s, lb->buf, lb->len);
            lb->len = 0;
            lb->truncated = false;
            continue;
        }
        if (!line_add(lb, data, n, SMTP_DATA_LINE_CAP + 1)) {
            s->failed = true;
            return false;
        }
        if (!nl)
            break;
        data += n + 1;
        len -= n + 1;
        /* A line of SMTP_DATA_LINE_CAP bytes or more (LF excluded) is cut
         * there with its CR kept, as Suricata's line buffer does. */
        uint32_t ll = lb->len;
        bool trunc = lb->truncated || ll >= SMTP_DATA_LINE_CAP;
        if (trunc)
            ll = ll < SMTP_DATA_LINE_CAP ? ll : SMTP_DATA_LINE_CAP;
        else if (ll > 0 && lb->buf[ll - 1] == '\r')
            ll--;
        const uint8_t *line = lb->buf ? lb->buf : (const uint8_t *)"";
        s->delim_len = (trunc || ll < lb->len) ? 2 : 1;
        if (to_server)
            smtp_handle_request(s, line, ll, trunc);
        else
            smtp_handle_reply(s, line, ll, trunc);
        s->line_started[d] = false; /* frames */
        frame_line_end(s, d, (int64_t)(total - len));
        lb->len = 0;
        lb->truncated = false;
    }
    /* false after 220 to STARTTLS too: the framework asks smtp_tls_upgrade
     * and hands the flow over to protocol detection */
    return !s->failed && !s->tls;
}

void smtp_gap(SmtpState *s, bool to_server, uint32_t gap_len)
{
    int d = to_server ? 1 : 0;
    if (to_server && s->curr && (s->data_mode || s->bdat_mode))
        smtp_mime_gap(s->curr, gap_len);
    if (to_server && s->bdat_mode) {
        if (gap_len >= s->bdat_left) {
            s->bdat_left = 0;
            s->bdat_mode = false;
        } else {
            s->bdat_left -= gap_len;
        }
        return;
    }
    s->line[d].len = 0;
    s->line[d].truncated = false;
    s->skip[d] = true;
    s->line_started[d] = false; /* frames: the line's frame stays open-ended */
    s->frame_line[d] = 0;
}

/* Both directions ended: every transaction is complete (Suricata logs
 * and inspects them at end of stream), a message cut short keeps its MIME
 * status. */
void smtp_end(SmtpState *s, bool to_server)
{
    if (!s)
        return;
    SmtpLineBuf *lb = &s->line[1];
    if (to_server && s->data_mode && !s->failed && !s->tls && lb->len > 0 && lb->len <= SMTP_DATA_LINE_CAP) {
        /* the message's last bytes, their line never ended: decoded too */
        s->delim_len = 0;
        smtp_handle_request(s, lb->buf, lb->len, false);
        lb->len = 0;
    }
    s->eof[to_server ? 1 : 0] = true;
    if (!s->eof[0] || !s->eof[1])
        return;
    for (uint32_t i = 0; i < s->ntx; i++) {
        /* an attachment cut short by the end of the stream (or the
         * reassembly depth) is TRUNCATED */
        if (!s->txs[i]->done)
            smtp_mime_truncate(s->txs[i]);
        s->txs[i]->done = true;
    }
}

bool smtp_tls_upgrade(const SmtpState *s) { return s->tls; }

void smtp_tls_upgrade_refused(SmtpState *s)
{
    if (s)
        smtp_set_event(s, SMTP_EVENT_FAILED_PROTOCOL_CHANGE);
}

struct AppFileContainer *smtp_tx_files(SmtpTx *tx, bool to_server)
{
    return to_server ? &tx->mime.tracked : NULL;
}

const struct AppFile *smtp_tx_tracked_file(const SmtpTx *tx, uint32_t i)
{
    const AppFile *f = tx->mime.tracked.head;
    for (; f && i > 0; i--)
        f = f->next;
    return f;
}

uint64_t smtp_tx_count(const SmtpState *s) { return s->next_id; }

SmtpTx *smtp_tx_get(SmtpState *s, uint64_t id)
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

uint64_t smtp_tx_id(const SmtpTx *tx) { return tx->id; }

bool smtp_tx_headers_done(const SmtpTx *tx)
{
    if (tx->done)
        return true;
    if (!tx->has_mime)
        return false;
    const char *st = smtp_mime_status(&tx->mime);
    return strcmp(st, "HEADER_STARTED") != 0 && strcmp(st, "HEADER_READY") != 0;
}

bool smtp_tx_done(const SmtpTx *tx, bool to_server)
{
    (void)to_server;
    return tx->done;
}

void smtp_tx_release(SmtpState *s, uint64_t upto_id)
{
    uint32_t w = 0;
    for (uint32_t i = 0; i < s->ntx; i++) {
        if (s->txs[i]->id < upto_id) {
            if (s->curr == s->txs[i])
                s->curr = NULL;
            tx_free(s->txs[i]);
        } else {
            s->txs[w++] = s->txs[i];
        }
    }
    s->ntx = w;
}

void smtp_tx_set_event(SmtpTx *tx, int ev)
{
    for (int i = 0; i < tx->nevents; i++)
        if (tx->events[i] == ev)
            return;
    if (tx->nevents < SMTP_EVENT_MAX)
        tx->events[tx->nevents++] = (uint8_t)ev;
}

/* Events go to the current transaction; without one they are lost, as in
 * Suricata. */
void smtp_set_event(SmtpState *s, int ev)
{
    if (s->curr)
        smtp_tx_set_event(s->curr, ev);
}

int smtp_tx_event_count(const SmtpTx *tx) { return tx->nevents; }
int smtp_tx_event_get(const SmtpTx *tx, int i) { return (i >= 0 && i < tx->nevents) ? tx->events[i] : -1; }

static const char *const event_names[SMTP_EVENT_MAX] = {
    "INVALID_REPLY", "UNABLE_TO_MATCH_REPLY_WITH_REQUEST", "MAX_COMMAND_LINE_LEN_EXCEEDED",
    "MAX_REPLY_LINE_LEN_EXCEEDED", "INVALID_PIPELINED_SEQUENCE", "BDAT_CHUNK_LEN_EXCEEDED",
    "NO_SERVER_WELCOME_MESSAGE", "TLS_REJECTED", "DATA_COMMAND_REJECTED", "FAILED_PROTOCOL_CHANGE",
    "MIME_PARSE_FAILED", "MIME_MALFORMED_MSG", "MIME_INVALID_BASE64", "MIME_INVALID_QP",
    "MIME_LONG_LINE", "MIME_LONG_ENC_LINE", "MIME_LONG_HEADER_NAME", "MIME_LONG_HEADER_VALUE",
    "MIME_LONG_BOUNDARY", "MIME_LONG_FILENAME", "DUPLICATE_FIELDS", "UNPARSABLE_CONTENT",
    "TRUNCATED_LINE", "INVALID_BDAT",
};

const char *smtp_event_name(int ev) { return (ev >= 0 && ev < SMTP_EVENT_MAX) ? event_names[ev] : NULL; }

int smtp_event_by_name(const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < SMTP_EVENT_MAX; i++) {
        if (strlen(event_names[i]) != n)
            continue;
        size_t k = 0;
        for (; k < n; k++) {
            char c = name[k];
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 32);
            if (c != event_names[i][k])
                break;
        }
        if (k == n)
            return i;
    }
    return -1;
}

static bool out(const SmtpBuf *b, const uint8_t **p, uint32_t *len)
{
    *p = b->p ? b->p : (const uint8_t *)"";
    *len = b->len;
    return true;
}

bool smtp_tx_get_helo(const SmtpTx *tx, const uint8_t **p, uint32_t *len)
{
    return tx->has_helo && out(&tx->helo, p, len);
}

bool smtp_tx_get_mail_from(const SmtpTx *tx, const uint8_t **p, uint32_t *len)
{
    return tx->has_mail_from && out(&tx->mail_from, p, len);
}

bool smtp_tx_get_rcpt_to(const SmtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len)
{
    return i < tx->nrcpt && out(&tx->rcpt[i], p, len);
}

bool smtp_tx_get_header(const SmtpTx *tx, const char *name, const uint8_t **p, uint32_t *len)
{
    uint32_t n = (uint32_t)strlen(name);
    for (uint32_t i = 0; i < tx->mime.nheaders; i++) {
        const SmtpHeader *h = &tx->mime.headers[i];
        if (h->name.len == n && smtp_ieq(h->name.p, name, n))
            return out(&h->value, p, len);
    }
    return false;
}

bool smtp_tx_get_received(const SmtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len)
{
    for (uint32_t k = 0; k < tx->mime.nheaders; k++) {
        const SmtpHeader *h = &tx->mime.headers[k];
        if (h->name.len == 8 && smtp_ieq(h->name.p, "received", 8) && i-- == 0)
            return out(&h->value, p, len);
    }
    return false;
}

bool smtp_tx_get_url(const SmtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len)
{
    return i < tx->mime.nurls && out(&tx->mime.urls[i], p, len);
}

uint32_t smtp_tx_file_count(const SmtpTx *tx) { return tx->mime.nfiles; }

bool smtp_tx_get_file_name(const SmtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len)
{
    return i < tx->mime.nfiles && out(&tx->mime.files[i].name, p, len);
}

bool smtp_tx_get_file_data(const SmtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len)
{
    return i < tx->mime.nfiles && out(&tx->mime.files[i].data, p, len);
}

bool smtp_tx_file_closed(const SmtpTx *tx, uint32_t i, bool *truncated)
{
    if (i >= tx->mime.nfiles)
        return false;
    if (truncated)
        *truncated = tx->mime.files[i].truncated;
    return tx->mime.files[i].closed;
}
