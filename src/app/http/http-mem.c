/*
 * Memory of the HTTP parser. Every allocation that grows with traffic
 * (lines, headers, bodies, transactions) goes through here so the global
 * `http.memuse` counter is exact and `memcap` can refuse growth; a refusal
 * is counted in `http.memcap` and the caller drops the data (Suricata's
 * HTPMalloc/HTPCheckMemcap behaviour).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "app/http/http-private.h"

static _Atomic uint64_t g_memuse;
static _Atomic uint64_t g_memcap_hits;
static _Atomic uint64_t g_memcap;

void http_mem_set_cap(uint64_t cap) { atomic_store(&g_memcap, cap); }
uint64_t http_memuse(void) { return atomic_load(&g_memuse); }
uint64_t http_memcap_hits(void) { return atomic_load(&g_memcap_hits); }

static bool mem_reserve(size_t n)
{
    uint64_t cap = atomic_load(&g_memcap);
    if (cap != 0 && atomic_load(&g_memuse) + n > cap) {
        atomic_fetch_add(&g_memcap_hits, 1);
        return false;
    }
    atomic_fetch_add(&g_memuse, n);
    return true;
}

void *http_mem_alloc(size_t n)
{
    if (!mem_reserve(n))
        return NULL;
    void *p = calloc(1, n);
    if (p == NULL)
        atomic_fetch_sub(&g_memuse, n);
    return p;
}

void *http_mem_realloc(void *p, size_t old, size_t n)
{
    if (n > old && !mem_reserve(n - old))
        return NULL;
    void *q = realloc(p, n);
    if (q == NULL) {
        if (n > old)
            atomic_fetch_sub(&g_memuse, n - old);
        return NULL;
    }
    if (n < old)
        atomic_fetch_sub(&g_memuse, old - n);
    return q;
}

void http_mem_free(void *p, size_t n)
{
    if (p == NULL)
        return;
    free(p);
    atomic_fetch_sub(&g_memuse, n);
}

bool hb_append(HttpBytes *b, const uint8_t *d, uint32_t n)
{
    b->set = true;
    if (n == 0)
        return true;
    if ((uint64_t)b->len + n > UINT32_MAX - 1)
        return false;
    if (b->len + n > b->cap) {
        uint64_t nc = b->cap ? (uint64_t)b->cap * 2 : 64;
        while (nc < (uint64_t)b->len + n)
            nc *= 2;
        if (nc > UINT32_MAX)
            nc = UINT32_MAX;
        uint8_t *q = http_mem_realloc(b->p, b->cap, (size_t)nc);
        if (q == NULL)
            return false;
        b->p = q;
        b->cap = (uint32_t)nc;
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
    return true;
}

bool hb_set(HttpBytes *b, const uint8_t *d, uint32_t n)
{
    b->len = 0;
    return hb_append(b, d, n);
}

bool hb_append_str(HttpBytes *b, const char *s)
{
    return hb_append(b, (const uint8_t *)s, (uint32_t)strlen(s));
}

void hb_free(HttpBytes *b)
{
    http_mem_free(b->p, b->cap);
    memset(b, 0, sizeof(*b));
}
