/*
 * Per-flow HTTP state and the transaction list: creation in request order,
 * lookup by id, pairing of responses with the oldest request still waiting
 * for one (RFC 9112 §9.3.2 pipelining), release of transactions the
 * framework is finished with, and configuration defaults.
 */
#include <stdlib.h>
#include <string.h>

#include "app/http/http-private.h"

void http_config_default(HttpConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->request_body_limit = 100 * 1024;
    cfg->response_body_limit = 100 * 1024;
    cfg->field_limit = 18000;
    cfg->headers_limit = 1024;
    cfg->compression_bomb_limit = 1024 * 1024;
    cfg->decompression_layer_limit = 2;
    cfg->lzma_memlimit = 1024 * 1024;
    /* libhtp's built-in values; suricata.yaml ships 40 KiB / 16 KiB for
     * responses, which the default configuration sets */
    cfg->request_inspect_min_size = 32768;
    cfg->request_inspect_window = 4096;
    cfg->response_inspect_min_size = 32768;
    cfg->response_inspect_window = 4096;
    cfg->path_backslash_separators = true; /* libhtp's IDS personality */
    cfg->path_u_decode = true;
    cfg->path_compress_separators = true;
    cfg->max_tx = 512;
    cfg->uri_include_all = false;
    cfg->memcap = 0;
}

HttpState *http_state_new(const HttpConfig *cfg)
{
    HttpState *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    if (cfg)
        s->cfg = *cfg;
    else
        http_config_default(&s->cfg);
    http_mem_set_cap(s->cfg.memcap);
    return s;
}

static void tx_free(HttpTx *tx)
{
    HttpBytes *all[] = { &tx->request_line, &tx->method, &tx->uri_raw, &tx->protocol, &tx->uri_norm,
        &tx->hostname, &tx->host_raw, &tx->body[0], &tx->body[1], &tx->response_line,
        &tx->res_protocol, &tx->status, &tx->status_msg };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        hb_free(all[i]);
    http_headers_free(&tx->h[0]);
    http_headers_free(&tx->h[1]);
    http_files_free(tx);
    http_mem_free(tx, sizeof(*tx));
}

static void dir_free(HttpDir *d)
{
    hb_free(&d->line);
    hb_free(&d->pending);
    hb_free(&d->held);
    http_decoder_free(d->dec);
    d->dec = NULL;
}

void http_state_free(HttpState *s)
{
    if (s == NULL)
        return;
    dir_free(&s->dir[0]);
    dir_free(&s->dir[1]);
    HttpTx *tx = s->head;
    while (tx) {
        HttpTx *n = tx->next;
        tx_free(tx);
        tx = n;
    }
    free(s);
}

HttpTx *http_tx_new(HttpState *s)
{
    if (s->cfg.max_tx && s->live >= s->cfg.max_tx)
        return NULL;
    HttpTx *tx = http_mem_alloc(sizeof(*tx));
    if (tx == NULL)
        return NULL;
    tx->id = s->next_id++;
    tx->now = s->now;
    tx->port = -1;
    tx->cfg = &s->cfg; /* inspection windows (http-inspect.c) */
    tx->files[0].id_seq = tx->files[1].id_seq = &s->file_id_seq; /* files: per-flow file ids */
    if (s->tail)
        s->tail->next = tx;
    else
        s->head = tx;
    s->tail = tx;
    s->live++;
    return tx;
}

/* The oldest transaction whose response has not started. */
HttpTx *http_tx_next_for_response(HttpState *s)
{
    for (HttpTx *tx = s->head; tx; tx = tx->next)
        if (tx->progress[1] == HTTP_PROGRESS_NONE)
            return tx;
    return NULL;
}

uint64_t http_tx_count(const HttpState *s) { return s->next_id; }
uint64_t http_messages_completed(const HttpState *s, bool to_server) { return s->dir[to_server ? 0 : 1].completed; }

HttpTx *http_tx_get(HttpState *s, uint64_t id)
{
    for (HttpTx *tx = s->head; tx; tx = tx->next)
        if (tx->id == id)
            return tx;
    return NULL;
}

uint64_t http_tx_id(const HttpTx *tx) { return tx->id; }
int http_tx_progress(const HttpTx *tx, bool to_server) { return tx->progress[to_server ? 0 : 1]; }
bool http_tx_done(const HttpTx *tx, bool to_server)
{
    return tx->progress[to_server ? 0 : 1] == HTTP_PROGRESS_COMPLETE;
}

void http_tx_release(HttpState *s, uint64_t upto_id)
{
    HttpTx **pp = &s->head;
    HttpTx *prev = NULL;
    while (*pp) {
        HttpTx *tx = *pp;
        if (tx->id < upto_id) {
            *pp = tx->next;
            for (int i = 0; i < 2; i++)
                if (s->dir[i].tx == tx)
                    s->dir[i].tx = NULL;
            tx_free(tx);
            s->live--;
        } else {
            prev = tx;
            pp = &tx->next;
        }
    }
    s->tail = prev;
}

bool http_state_tunnel(const HttpState *s) { return s->tunnel; }

/* Suricata's HTPSetEvent without a transaction: the newest one. */
void http_state_tunnel_refused(HttpState *s)
{
    if (s && s->tail)
        http_tx_event_set(s->tail, HTTP_EV_FAILED_PROTOCOL_CHANGE);
}
const char *http_state_upgrade(const HttpState *s) { return s->upgrade[0] ? s->upgrade : NULL; }

uint32_t http_state_unparsed(const HttpState *s, bool to_server) { return s->dir[to_server ? 0 : 1].unparsed; }

const HttpTx *http_state_newest_tx(const HttpState *s) { return s->tail; }

bool http_tx_request_method(const HttpTx *tx, const uint8_t **data, uint32_t *len)
{
    if (!tx->method.set)
        return false;
    *data = tx->method.p ? tx->method.p : (const uint8_t *)"";
    *len = tx->method.len;
    return true;
}

bool http_tx_request_uri_raw(const HttpTx *tx, const uint8_t **data, uint32_t *len)
{
    if (!tx->uri_raw.set)
        return false;
    *data = tx->uri_raw.p ? tx->uri_raw.p : (const uint8_t *)"";
    *len = tx->uri_raw.len;
    return true;
}

bool http_tx_request_field(const HttpTx *tx, uint32_t idx, const uint8_t **name, uint32_t *name_len,
                           const uint8_t **value, uint32_t *value_len)
{
    if (idx >= tx->h[0].n)
        return false;
    const HttpHeader *h = &tx->h[0].v[idx];
    *name = h->name.p ? h->name.p : (const uint8_t *)"";
    *name_len = h->name.len;
    *value = h->value.p ? h->value.p : (const uint8_t *)"";
    *value_len = h->value.len;
    return true;
}
