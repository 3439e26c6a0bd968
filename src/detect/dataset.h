/*
 * Datasets: named sets of strings, md5/sha256 hashes or IP addresses that
 * rules test and change with the `dataset` and `datarep` keywords, as in
 * Suricata 8 (https://docs.suricata.io/en/latest/rules/datasets.html).
 *
 * All rules naming a set share one Dataset, kept in a process-wide
 * registry: the first rule creates it (and loads its `load`/`state` file),
 * later rules must agree on its type. A set is read and changed by every
 * worker thread, so each set has a mutex around its table.
 *
 * Files hold one value a line: strings in base64, hashes in hex, addresses
 * in text form; a datarep set's lines end in `,<reputation>`. A datajson
 * set reads a JSON document (`format json`, an array of objects, or the
 * array at `array_key`) or one object a line (`format ndjson`), takes each
 * object's `value_key` member as the value and keeps the object as the
 * context an alert carries. Sets with a `save` or `state` file are written
 * there by dataset_registry_save_all() at shutdown.
 */
#ifndef ODLAR_DETECT_DATASET_H
#define ODLAR_DETECT_DATASET_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/dataset-table.h"

#define DATASET_NAME_MAX 64
#define DATASET_DEFAULT_HASHSIZE 4096u
#define DATASET_DEFAULT_MEMCAP (16u * 1024u * 1024u)

typedef enum DatasetType {
    DATASET_TYPE_NONE = 0,
    DATASET_TYPE_STRING,
    DATASET_TYPE_MD5,
    DATASET_TYPE_SHA256,
    DATASET_TYPE_IPV4,
    DATASET_TYPE_IPV6, /* also `ip`: IPv4 addresses are stored in the first 4 bytes */
} DatasetType;

typedef enum DatasetFormat { DATASET_FORMAT_CSV = 0, DATASET_FORMAT_JSON, DATASET_FORMAT_NDJSON } DatasetFormat;

/* What a rule asks for; paths already resolved (see kw-dataset.c). */
typedef struct DatasetSpec {
    const char *name;
    DatasetType type;
    const char *load; /* file to read at creation, or NULL */
    const char *save; /* file to write at shutdown, or NULL */
    uint64_t memcap; /* 0: default (unlimited while loading a file) */
    uint32_t hashsize; /* 0: default */
    bool rep; /* datarep: lines carry a reputation */
    DatasetFormat format;
    const char *value_key; /* datajson */
    const char *array_key;
    bool remove_key;
} DatasetSpec;

typedef struct Dataset {
    char name[DATASET_NAME_MAX];
    DatasetType type;
    char *load;
    char *save;
    bool rep;
    bool json;
    pthread_mutex_t lock;
    DatasetTable table;
    struct Dataset *next;
} Dataset;

/* The set called spec->name: the existing one (its type must match), or a
 * new one, loaded from spec->load. NULL with the reason in err. */
Dataset *dataset_get(const DatasetSpec *spec, char *err, size_t errlen);
/* The existing set called `name`, or NULL (a rule may name a set without
 * its type once another rule defined it). */
Dataset *dataset_find(const char *name);
DatasetType dataset_type_parse(const char *s);
const char *dataset_type_name(DatasetType t);

/* Converts a value as written in a file (base64 string, hex hash, address
 * text; `raw_string`: a datajson string, taken as is) into the set's key
 * bytes. False when it is not a valid value of the type. */
bool dataset_value_parse(DatasetType type, const char *text, size_t text_len, bool raw_string, uint8_t *out,
                         uint32_t *out_len, size_t out_cap);

/* Operations on inspected bytes (a buffer, or a 4/16-byte address). */
/* 1 added, 0 already present, -1 not added (memcap, wrong length). */
int dataset_add(Dataset *set, const uint8_t *data, uint32_t len);
/* true when present; *rep and *json (a copy to free, may be NULL) filled. */
bool dataset_lookup(Dataset *set, const uint8_t *data, uint32_t len, uint16_t *rep, char **json);
/* 1 removed, 0 absent. */
int dataset_remove(Dataset *set, const uint8_t *data, uint32_t len);

/* True the first time it is called since the registry was created or
 * freed: the caller then declares the sets of the `datasets:` config. */
bool dataset_registry_claim_config(void);
/* Writes every set with a save file (at shutdown). */
void dataset_registry_save_all(void);
/* Frees every set (tests, shutdown). */
void dataset_registry_free_all(void);
/* Number of sets (tests). */
unsigned dataset_registry_count(void);

#endif
