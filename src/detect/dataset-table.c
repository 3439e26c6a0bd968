/*
 * The dataset hash table (see dataset-table.h): lookup3 hashing, buckets
 * with Suricata's ordering rules, and the memcap accounting.
 */
#include "detect/dataset-table.h"

#include <stdlib.h>
#include <string.h>

#include "util/bytes.h"

/* Suricata's THashHashRow (a lock and two pointers, cache-line aligned)
 * and THashData header on x86_64, as its memuse counts them. */
#define ROW_BYTES 64u
#define ENTRY_HEADER_BYTES 80u

/* ---- lookup3 (Bob Jenkins, May 2006, public domain) ---- */

static inline uint32_t rot32(uint32_t x, unsigned k) { return (x << k) | (x >> (32 - k)); }

#define L3_MIX(a, b, c) \
    do { \
        a -= c; a ^= rot32(c, 4); c += b; \
        b -= a; b ^= rot32(a, 6); a += c; \
        c -= b; c ^= rot32(b, 8); b += a; \
        a -= c; a ^= rot32(c, 16); c += b; \
        b -= a; b ^= rot32(a, 19); a += c; \
        c -= b; c ^= rot32(b, 4); b += a; \
    } while (0)

#define L3_FINAL(a, b, c) \
    do { \
        c ^= b; c -= rot32(b, 14); \
        a ^= c; a -= rot32(c, 11); \
        b ^= a; b -= rot32(a, 25); \
        c ^= b; c -= rot32(b, 16); \
        a ^= c; a -= rot32(c, 4); \
        b ^= a; b -= rot32(a, 14); \
        c ^= b; c -= rot32(b, 24); \
    } while (0)

/* The last 0..12 bytes, little endian, into a (bytes 0-3), b, c. */
static void l3_tail(const uint8_t *k, size_t n, uint32_t *a, uint32_t *b, uint32_t *c)
{
    uint32_t w[3] = { 0, 0, 0 };
    for (size_t i = 0; i < n; i++)
        w[i / 4] |= (uint32_t)k[i] << (8 * (i % 4));
    *a += w[0];
    *b += w[1];
    *c += w[2];
}

uint32_t lookup3_hashlittle(const uint8_t *k, size_t len, uint32_t seed)
{
    uint32_t a, b, c;
    a = b = c = 0xdeadbeefu + (uint32_t)len + seed;
    while (len > 12) {
        a += rd_le32(k);
        b += rd_le32(k + 4);
        c += rd_le32(k + 8);
        L3_MIX(a, b, c);
        len -= 12;
        k += 12;
    }
    if (len == 0)
        return c;
    l3_tail(k, len, &a, &b, &c);
    L3_FINAL(a, b, c);
    return c;
}

uint32_t lookup3_hashword(const uint8_t *k, size_t nwords, uint32_t seed)
{
    uint32_t a, b, c;
    a = b = c = 0xdeadbeefu + ((uint32_t)nwords << 2) + seed;
    while (nwords > 3) {
        a += rd_le32(k);
        b += rd_le32(k + 4);
        c += rd_le32(k + 8);
        L3_MIX(a, b, c);
        nwords -= 3;
        k += 12;
    }
    switch (nwords) {
    case 3: c += rd_le32(k + 8); /* fall through */
    case 2: b += rd_le32(k + 4); /* fall through */
    case 1:
        a += rd_le32(k);
        L3_FINAL(a, b, c);
        break;
    default: break;
    }
    return c;
}

/* ---- table ---- */

bool dataset_table_init(DatasetTable *t, uint32_t hashsize, uint64_t memcap, bool hash_words, uint32_t record_size,
                        bool count_key_len)
{
    memset(t, 0, sizeof(*t));
    if (hashsize == 0)
        hashsize = 1;
    t->rows = calloc(hashsize, sizeof(*t->rows));
    if (!t->rows)
        return false;
    t->hashsize = hashsize;
    t->memcap = memcap;
    t->hash_words = hash_words;
    t->record_size = record_size;
    t->count_key_len = count_key_len;
    /* Suricata preallocates DATASET_TABLE_PREALLOC entries up front */
    t->memuse = (uint64_t)hashsize * ROW_BYTES + (uint64_t)DATASET_TABLE_PREALLOC * (ENTRY_HEADER_BYTES + record_size);
    return true;
}

/* What the entry number `index` (0-based) of `len` bytes adds: its
 * string bytes, and its record once the preallocated ones are used up. */
static uint64_t entry_cost(const DatasetTable *t, uint32_t index, uint32_t len)
{
    uint64_t c = t->count_key_len ? len : 0;
    if (index >= DATASET_TABLE_PREALLOC)
        c += ENTRY_HEADER_BYTES + t->record_size;
    return c;
}

void dataset_table_free(DatasetTable *t)
{
    for (uint32_t i = 0; t->rows && i < t->hashsize; i++) {
        DatasetEntry *e = t->rows[i].head;
        while (e) {
            DatasetEntry *n = e->next;
            free(e->json);
            free(e);
            e = n;
        }
    }
    free(t->rows);
    memset(t, 0, sizeof(*t));
}

static DatasetRow *row_of(const DatasetTable *t, const uint8_t *key, uint32_t len)
{
    uint32_t h = t->hash_words ? lookup3_hashword(key, len / 4, 0) : lookup3_hashlittle(key, len, 0);
    return &t->rows[h % t->hashsize];
}

static void unlink_entry(DatasetRow *r, DatasetEntry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        r->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        r->tail = e->prev;
    e->next = e->prev = NULL;
}

static DatasetEntry *find(DatasetRow *r, const uint8_t *key, uint32_t len)
{
    for (DatasetEntry *e = r->head; e; e = e->next) {
        if (e->len == len && memcmp(e->key, key, len) == 0) {
            if (e != r->head) { /* Suricata rewards active data */
                unlink_entry(r, e);
                e->next = r->head;
                r->head->prev = e;
                r->head = e;
            }
            return e;
        }
    }
    return NULL;
}

int dataset_table_add(DatasetTable *t, const uint8_t *key, uint32_t len, uint16_t rep, const char *json,
                      DatasetEntry **out)
{
    DatasetRow *r = row_of(t, key, len);
    DatasetEntry *e = find(r, key, len);
    if (e) {
        if (out)
            *out = e;
        return 0;
    }
    const uint64_t cost = entry_cost(t, t->count, len);
    if (t->memcap && t->memuse + cost > t->memcap)
        return -1;
    e = calloc(1, sizeof(*e) + len);
    if (!e)
        return -1;
    if (json && !(e->json = strdup(json))) {
        free(e);
        return -1;
    }
    e->len = len;
    e->rep = rep;
    if (len)
        memcpy(e->key, key, len);
    e->prev = r->tail;
    if (r->tail)
        r->tail->next = e;
    else
        r->head = e;
    r->tail = e;
    t->memuse += cost;
    t->count++;
    if (out)
        *out = e;
    return 1;
}

DatasetEntry *dataset_table_lookup(DatasetTable *t, const uint8_t *key, uint32_t len)
{
    return find(row_of(t, key, len), key, len);
}

int dataset_table_remove(DatasetTable *t, const uint8_t *key, uint32_t len)
{
    DatasetRow *r = row_of(t, key, len);
    DatasetEntry *e = find(r, key, len);
    if (!e)
        return 0;
    unlink_entry(r, e);
    t->count--;
    t->memuse -= entry_cost(t, t->count, len);
    free(e->json);
    free(e);
    return 1;
}

void dataset_table_walk(const DatasetTable *t, void (*fn)(const DatasetEntry *e, void *user), void *user)
{
    for (uint32_t i = 0; i < t->hashsize; i++)
        for (const DatasetEntry *e = t->rows[i].head; e; e = e->next)
            fn(e, user);
}
