/*
 * File tracking (see file.h): file records in per-transaction containers,
 * size and gap accounting, incremental MD5/SHA-1/SHA-256 through OpenSSL's
 * EVP interface, the state machine OPEN -> CLOSED/TRUNCATED/ERROR, and the
 * memory cap on the tracker's allocations (atomic counters, so worker
 * threads may share them), and handing content to a file store when one
 * is installed (app_file_set_store): from the first byte with
 * force-filestore, or, for the filestore keyword, from the content kept
 * while detection had not decided (charged to the memory cap as well).
 */
#include "app/file.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

struct AppFileHashCtx {
    EVP_MD_CTX *md5, *sha1, *sha256;
};

static AppFileConfig g_cfg;
static const AppFileStoreOps *g_store;
static bool g_store_force;
static atomic_bool g_store_rules; /* set by rules as they are parsed, on several threads */

void app_file_set_store(const AppFileStoreOps *ops, bool force)
{
    g_store = ops;
    g_store_force = ops && force;
}

void app_file_set_store_rules(bool on)
{
    atomic_store(&g_store_rules, on);
}

bool app_file_store_by_rules(void)
{
    return g_store && atomic_load(&g_store_rules) && !g_store_force;
}
static _Atomic uint64_t g_memuse;
static _Atomic uint64_t g_memcap_hits;

void app_file_config_set(const AppFileConfig *cfg)
{
    g_cfg = *cfg;
}

const AppFileConfig *app_file_config(void)
{
    return &g_cfg;
}

void app_file_config_add_hashes(uint32_t hashes)
{
    g_cfg.hashes |= hashes & (APP_FILE_MD5 | APP_FILE_SHA1 | APP_FILE_SHA256);
}

uint64_t app_file_memuse(void)
{
    return atomic_load(&g_memuse);
}

uint64_t app_file_memcap_hits(void)
{
    return atomic_load(&g_memcap_hits);
}

/* Rough cost of one EVP context (OpenSSL keeps the state on the heap). */
#define HASH_CTX_COST 256u

static uint64_t file_cost(uint32_t name_len, uint32_t hashes)
{
    uint64_t n = sizeof(AppFile) + name_len;
    if (hashes)
        n += sizeof(struct AppFileHashCtx);
    for (uint32_t h = hashes; h; h &= h - 1)
        n += HASH_CTX_COST;
    return n;
}

static bool mem_reserve(uint64_t n)
{
    uint64_t cap = g_cfg.memcap;
    uint64_t cur = atomic_fetch_add(&g_memuse, n);
    if (cap && cur + n > cap) {
        atomic_fetch_sub(&g_memuse, n);
        atomic_fetch_add(&g_memcap_hits, 1);
        return false;
    }
    return true;
}

static EVP_MD_CTX *digest_start(const EVP_MD *md)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (c && EVP_DigestInit_ex(c, md, NULL) != 1) {
        EVP_MD_CTX_free(c);
        c = NULL;
    }
    return c;
}

static void hash_free(AppFile *f)
{
    if (!f->hash)
        return;
    EVP_MD_CTX_free(f->hash->md5);
    EVP_MD_CTX_free(f->hash->sha1);
    EVP_MD_CTX_free(f->hash->sha256);
    free(f->hash);
    f->hash = NULL;
}

AppFile *app_file_open(AppFileContainer *c, const uint8_t *name, uint32_t name_len)
{
    uint32_t hashes = g_cfg.hashes;
    uint64_t cost = file_cost(name_len, hashes);
    if (!mem_reserve(cost))
        return NULL;
    AppFile *f = calloc(1, sizeof(*f));
    uint8_t *nm = malloc(name_len ? name_len : 1);
    if (!f || !nm) {
        free(f);
        free(nm);
        atomic_fetch_sub(&g_memuse, cost);
        return NULL;
    }
    if (name_len)
        memcpy(nm, name, name_len);
    f->mem_cost = cost;
    f->name = nm;
    f->name_len = name_len;
    f->state = APP_FILE_OPEN;
    if (hashes) {
        f->hash = calloc(1, sizeof(*f->hash));
        if (f->hash) {
            if (hashes & APP_FILE_MD5)
                f->hash->md5 = digest_start(EVP_md5());
            if (hashes & APP_FILE_SHA1)
                f->hash->sha1 = digest_start(EVP_sha1());
            if (hashes & APP_FILE_SHA256)
                f->hash->sha256 = digest_start(EVP_sha256());
            f->hashes = (f->hash->md5 ? APP_FILE_MD5 : 0) | (f->hash->sha1 ? APP_FILE_SHA1 : 0) |
                        (f->hash->sha256 ? APP_FILE_SHA256 : 0);
        }
    }
    if (c->tail)
        c->tail->next = f;
    else
        c->head = f;
    c->tail = f;
    c->count++;
    f->id_seq = c->id_seq ? c->id_seq : &c->own_seq;
    if (g_store && (g_store_force || c->store_new)) {
        f->store_asked = c->store_new;
        f->store = g_store->open(f);
    }
    return f;
}

/* filestore: keeps data while no rule has decided about the file. */
static void keep_content(AppFile *f, const uint8_t *data, uint32_t len)
{
    if (f->kept_overflow || f->store_asked || !app_file_store_by_rules())
        return;
    uint64_t need = f->kept_len + len;
    if (need > APP_FILE_KEEP_MAX) {
        app_file_drop_kept(f);
        f->kept_overflow = true;
        return;
    }
    if (need > f->kept_cap) {
        uint64_t ncap = f->kept_cap ? f->kept_cap : 4096;
        while (ncap < need)
            ncap *= 2;
        if (ncap > APP_FILE_KEEP_MAX)
            ncap = APP_FILE_KEEP_MAX;
        uint64_t grow = ncap - f->kept_cap;
        uint8_t *nb = NULL;
        if (mem_reserve(grow)) {
            nb = realloc(f->kept, ncap);
            if (!nb)
                atomic_fetch_sub(&g_memuse, grow);
        }
        if (!nb) {
            app_file_drop_kept(f);
            f->kept_overflow = true;
            return;
        }
        f->mem_cost += grow;
        f->kept = nb;
        f->kept_cap = ncap;
    }
    memcpy(f->kept + f->kept_len, data, len);
    f->kept_len += len;
}

void app_file_drop_kept(AppFile *f)
{
    if (!f || !f->kept_cap)
        return;
    free(f->kept);
    atomic_fetch_sub(&g_memuse, f->kept_cap);
    f->mem_cost -= f->kept_cap;
    f->kept = NULL;
    f->kept_len = f->kept_cap = 0;
}

AppFile *app_file_current(const AppFileContainer *c)
{
    return c->tail && c->tail->state == APP_FILE_OPEN ? c->tail : NULL;
}

void app_file_append(AppFile *f, const uint8_t *data, uint32_t len)
{
    if (!f || f->state != APP_FILE_OPEN || len == 0)
        return;
    f->size += len;
    if (f->store)
        g_store->write(f->store, data, len);
    else
        keep_content(f, data, len);
    if (!f->hash)
        return;
    if (f->hash->md5)
        EVP_DigestUpdate(f->hash->md5, data, len);
    if (f->hash->sha1)
        EVP_DigestUpdate(f->hash->sha1, data, len);
    if (f->hash->sha256)
        EVP_DigestUpdate(f->hash->sha256, data, len);
}

void app_file_gap(AppFile *f, uint64_t len)
{
    if (!f || f->state != APP_FILE_OPEN)
        return;
    f->size += len;
    f->gaps = true;
}

static void store_finish(AppFile *f)
{
    if (!f->store)
        return;
    void *h = f->store;
    f->store = NULL;
    if (g_store)
        g_store->finish(h, f);
    if (f->stored && f->file_id == 0) /* numbered per flow, in store order */
        f->file_id = f->id_seq ? ++*f->id_seq : 1;
}

void app_file_store(AppFile *f)
{
    if (!f || f->store_asked)
        return;
    f->store_asked = true;
    if (!g_store || f->store || f->stored)
        return;
    if (f->kept_overflow) {
        app_file_drop_kept(f);
        return;
    }
    f->store = g_store->open(f);
    if (f->store && f->kept_len)
        g_store->write(f->store, f->kept, (uint32_t)f->kept_len);
    app_file_drop_kept(f);
    if (f->state != APP_FILE_OPEN)
        store_finish(f);
}

void app_file_store_all(AppFileContainer *c, bool future)
{
    if (!c)
        return;
    for (AppFile *f = c->head; f; f = f->next)
        app_file_store(f);
    if (future)
        c->store_new = true;
}

static void digest_end(EVP_MD_CTX *c, uint8_t *out, uint32_t out_len)
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (c && EVP_DigestFinal_ex(c, md, &n) == 1 && n == out_len)
        memcpy(out, md, out_len);
}

void app_file_close(AppFile *f, AppFileState how)
{
    if (!f || f->state != APP_FILE_OPEN)
        return;
    if (how == APP_FILE_OPEN || how == APP_FILE_CLOSED)
        how = f->gaps || f->depth_cut ? APP_FILE_TRUNCATED : APP_FILE_CLOSED;
    f->state = how;
    if (f->hash) {
        digest_end(f->hash->md5, f->md5, sizeof(f->md5));
        digest_end(f->hash->sha1, f->sha1, sizeof(f->sha1));
        digest_end(f->hash->sha256, f->sha256, sizeof(f->sha256));
        hash_free(f);
    }
    store_finish(f);
}

void app_file_close_all(AppFileContainer *c, AppFileState how)
{
    for (AppFile *f = c->head; f; f = f->next)
        app_file_close(f, how);
}

void app_file_container_free(AppFileContainer *c)
{
    AppFile *f = c->head;
    while (f) {
        AppFile *n = f->next;
        store_finish(f);
        hash_free(f);
        free(f->kept);
        atomic_fetch_sub(&g_memuse, f->mem_cost);
        free(f->name);
        free(f);
        f = n;
    }
    memset(c, 0, sizeof(*c));
}

const char *app_file_state_name(AppFileState st)
{
    switch (st) {
    case APP_FILE_OPEN: return "OPEN";
    case APP_FILE_CLOSED: return "CLOSED";
    case APP_FILE_TRUNCATED: return "TRUNCATED";
    case APP_FILE_ERROR: return "ERROR";
    }
    return "UNKNOWN";
}

bool app_file_hash_ready(const AppFile *f, uint32_t h)
{
    if (f->state == APP_FILE_OPEN || !(f->hashes & h))
        return false;
    if (h == APP_FILE_SHA256)
        return true;
    return f->state == APP_FILE_CLOSED;
}
