/*
 * The hash table behind one dataset: a fixed number of buckets (the set's
 * `hashsize`), each a doubly linked list, and a memory budget (`memcap`).
 *
 * It keeps Suricata's THash layout so that a saved set lists its values in
 * the same order as Suricata's: a value goes to bucket
 * hash(seed, value) % hashsize, where the hash is Bob Jenkins' lookup3
 * (hashlittle over the bytes for strings, hashword over 32-bit words for
 * md5, sha256 and addresses) and the seed is 0 (Suricata's --no-random);
 * a new value is appended at the bucket's tail, a value found again moves
 * to the bucket's head, and a save walks the buckets in order. Memory is
 * counted as Suricata 8 counts it on x86_64: one 64-byte row per bucket,
 * DATASET_TABLE_PREALLOC preallocated entries (THashData header and the
 * type's record), each entry beyond those, and every string's bytes; a
 * value that would take the use past the memcap is refused.
 *
 * The table has no lock of its own: Dataset (dataset.h) wraps it in one.
 */
#ifndef ODLAR_DETECT_DATASET_TABLE_H
#define ODLAR_DETECT_DATASET_TABLE_H

#define DATASET_TABLE_PREALLOC 1000u

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bob Jenkins' lookup3, as public domain code defines it. */
uint32_t lookup3_hashlittle(const uint8_t *data, size_t len, uint32_t seed);
uint32_t lookup3_hashword(const uint8_t *words, size_t nwords, uint32_t seed);

typedef struct DatasetEntry {
    struct DatasetEntry *next, *prev;
    uint16_t rep; /* datarep value */
    char *json; /* datajson context (compact JSON text), or NULL */
    uint32_t len;
    uint8_t key[];
} DatasetEntry;

typedef struct DatasetRow {
    DatasetEntry *head, *tail;
} DatasetRow;

typedef struct DatasetTable {
    DatasetRow *rows;
    uint32_t hashsize;
    bool hash_words; /* hashword over 32-bit words (fixed-size types) */
    uint32_t record_size; /* Suricata's per-type record size, for memuse */
    bool count_key_len; /* strings: their length counts toward memuse */
    uint64_t memcap;
    uint64_t memuse;
    uint32_t count;
} DatasetTable;

/* Returns false when out of memory. */
bool dataset_table_init(DatasetTable *t, uint32_t hashsize, uint64_t memcap, bool hash_words, uint32_t record_size,
                        bool count_key_len);
void dataset_table_free(DatasetTable *t);

/* Adds `key`: 1 when added (*out the new entry), 0 when present (*out the
 * existing one, moved to its bucket's head), -1 when the memcap does not
 * allow it or memory runs out. `json` (may be NULL) is copied. */
int dataset_table_add(DatasetTable *t, const uint8_t *key, uint32_t len, uint16_t rep, const char *json,
                      DatasetEntry **out);
/* The entry of `key` (moved to its bucket's head), or NULL. */
DatasetEntry *dataset_table_lookup(DatasetTable *t, const uint8_t *key, uint32_t len);
/* 1 when `key` was removed, 0 when absent. */
int dataset_table_remove(DatasetTable *t, const uint8_t *key, uint32_t len);
/* Calls fn for every entry, bucket by bucket, head to tail. */
void dataset_table_walk(const DatasetTable *t, void (*fn)(const DatasetEntry *e, void *user), void *user);

#endif
