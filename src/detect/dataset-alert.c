/*
 * The per-thread hand-over of datajson contexts to the alert writer (see
 * dataset-alert.h): a small list per thread of (signature, packet, key,
 * JSON) records, freed when the thread ends.
 */
#include "detect/dataset-alert.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct ContextRecord {
    uint32_t sig_num;
    const Packet *p;
    uint64_t pcap_cnt;
    char *key;
    char *json;
} ContextRecord;

typedef struct ContextStore {
    ContextRecord *recs;
    size_t count, cap;
} ContextStore;

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t store_key;
static _Thread_local ContextStore *tl_store;

static void store_clear(ContextStore *st)
{
    for (size_t i = 0; i < st->count; i++) {
        free(st->recs[i].key);
        free(st->recs[i].json);
    }
    st->count = 0;
}

static void store_destroy(void *v)
{
    ContextStore *st = v;
    if (!st)
        return;
    store_clear(st);
    free(st->recs);
    free(st);
}

static void make_key(void) { pthread_key_create(&store_key, store_destroy); }

static ContextStore *store_get(void)
{
    if (!tl_store) {
        pthread_once(&key_once, make_key);
        tl_store = calloc(1, sizeof(*tl_store));
        if (tl_store)
            pthread_setspecific(store_key, tl_store);
    }
    return tl_store;
}

static bool same_packet(const ContextRecord *r, const Packet *p) { return r->p == p && r->pcap_cnt == p->pcap_cnt; }

void dataset_alert_record(const Signature *s, const Packet *p, const char *key, const char *json)
{
    ContextStore *st = store_get();
    if (!st || !p)
        return;
    /* drop records of other packets: they can no longer be written */
    size_t w = 0;
    for (size_t i = 0; i < st->count; i++) {
        ContextRecord *r = &st->recs[i];
        bool stale = !same_packet(r, p) || (r->sig_num == s->num && strcmp(r->key, key) == 0);
        if (stale) {
            free(r->key);
            free(r->json);
        } else {
            st->recs[w++] = *r;
        }
    }
    st->count = w;
    if (st->count == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 8;
        ContextRecord *recs = realloc(st->recs, cap * sizeof(*recs));
        if (!recs)
            return;
        st->recs = recs;
        st->cap = cap;
    }
    ContextRecord r = { .sig_num = s->num, .p = p, .pcap_cnt = p->pcap_cnt, .key = strdup(key),
                        .json = strdup(json) };
    if (!r.key || !r.json) {
        free(r.key);
        free(r.json);
        return;
    }
    st->recs[st->count++] = r;
}

void dataset_alert_json(JsonBuf *j, const Signature *s, const Packet *p)
{
    ContextStore *st = tl_store;
    if (!st || !p)
        return;
    bool open = false;
    for (size_t i = 0; i < st->count; i++) {
        const ContextRecord *r = &st->recs[i];
        if (r->sig_num != s->num || !same_packet(r, p))
            continue;
        if (!open) {
            jb_open_object(j, "context");
            open = true;
        }
        jb_raw(j, r->key, r->json, strlen(r->json));
    }
    if (open)
        jb_close_object(j);
}

void dataset_alert_reset(void)
{
    if (tl_store)
        store_clear(tl_store);
}
