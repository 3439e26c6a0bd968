/*
 * The per-thread hand-over of sd_pattern results to the alert writer and
 * the output masking (see sd-alert.h). The store is a small array per
 * thread (one entry per sd_pattern signature that matched in the thread),
 * freed when the thread ends.
 */
#include "detect/sd-alert.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct SdAlertEntry {
    const Signature *s;
    SdAlertInfo info;
} SdAlertEntry;

typedef struct SdAlertStore {
    SdAlertEntry *entries;
    uint32_t count, cap;
} SdAlertStore;

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t store_key;
static _Thread_local SdAlertStore *tl_store;

static void store_destroy(void *p)
{
    SdAlertStore *st = p;
    if (!st)
        return;
    free(st->entries);
    free(st);
}

static void make_key(void) { pthread_key_create(&store_key, store_destroy); }

static SdAlertEntry *find(const Signature *s)
{
    for (uint32_t i = 0; tl_store && i < tl_store->count; i++)
        if (tl_store->entries[i].s == s)
            return &tl_store->entries[i];
    return NULL;
}

void sd_alert_record(const Signature *s, const SdAlertInfo *info)
{
    SdAlertEntry *e = find(s);
    if (!e) {
        if (!tl_store) {
            pthread_once(&key_once, make_key);
            tl_store = calloc(1, sizeof(*tl_store));
            if (!tl_store)
                return;
            pthread_setspecific(store_key, tl_store);
        }
        if (tl_store->count == tl_store->cap) {
            uint32_t ncap = tl_store->cap ? tl_store->cap * 2 : 8;
            SdAlertEntry *ne = realloc(tl_store->entries, ncap * sizeof(*ne));
            if (!ne)
                return;
            tl_store->entries = ne;
            tl_store->cap = ncap;
        }
        e = &tl_store->entries[tl_store->count++];
        e->s = s;
    }
    e->info = *info;
}

const SdAlertInfo *sd_alert_lookup(const Signature *s)
{
    const SdAlertEntry *e = find(s);
    return e ? &e->info : NULL;
}

typedef struct SpanList {
    uint32_t (*spans)[2];
    uint32_t count, cap;
} SpanList;

static bool collect_span(uint32_t from, uint32_t to, void *user)
{
    SpanList *l = user;
    if (l->count == l->cap) {
        uint32_t ncap = l->cap ? l->cap * 2 : 16;
        uint32_t(*ns)[2] = realloc(l->spans, ncap * sizeof(*ns));
        if (!ns)
            return false;
        l->spans = ns;
        l->cap = ncap;
    }
    l->spans[l->count][0] = from;
    l->spans[l->count][1] = to;
    l->count++;
    return true;
}

void sd_alert_mask_output(const SdAlertInfo *info, uint8_t *buf, uint32_t len)
{
    if (!buf || len == 0)
        return;
    if (info->custom_db) {
        /* spans are collected on the original bytes first, then hidden */
        SpanList l = { 0 };
        sd_candidates(info->custom_db, buf, len, collect_span, &l);
        for (uint32_t i = 0; i < l.count; i++)
            sd_mask_custom_in_place(buf, l.spans[i][0], l.spans[i][1]);
        free(l.spans);
    }
    sd_mask_builtin(buf, len);
}

/* Values of these EVE keys are timestamps and addresses Odlar writes
 * itself, never payload: not worth scanning on every record. */
static bool engine_written_key(const char *k, size_t n)
{
    static const char *const keys[] = { "timestamp", "start", "end", "src_ip", "dest_ip", "event_type",
                                        "proto", "app_proto", "pkt_src", "direction" };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strlen(keys[i]) == n && memcmp(keys[i], k, n) == 0)
            return true;
    return false;
}

void sd_alert_mask_json(const SdAlertInfo *info, char *text, size_t len)
{
    size_t i = 0;
    const char *key = NULL;
    size_t key_len = 0;
    while (i < len) {
        if (text[i] != '"') {
            i++;
            continue;
        }
        size_t start = ++i;
        uint32_t digits = 0;
        while (i < len && text[i] != '"') {
            digits += text[i] >= '0' && text[i] <= '9';
            i += (text[i] == '\\' && i + 1 < len) ? 2 : 1;
        }
        size_t end = i < len ? i : len;
        size_t after = end + 1;
        while (after < len && text[after] == ' ')
            after++;
        bool is_key = after < len && text[after] == ':';
        /* a key, an engine-written value, or a string with fewer digits
         * than the shortest number masked (an SSN's 9) cannot hold one --
         * except a custom pattern, which may match anything */
        bool skip = is_key || (key && engine_written_key(key, key_len)) || (!info && digits < 9) ||
                    (info && info->type != SD_TYPE_CUSTOM && digits < 9);
        if (!skip && end > start && end - start <= UINT32_MAX) {
            if (info)
                sd_alert_mask_output(info, (uint8_t *)text + start, (uint32_t)(end - start));
            else
                sd_mask_builtin((uint8_t *)text + start, (uint32_t)(end - start));
        }
        if (is_key) {
            key = text + start;
            key_len = end - start;
        } else {
            key = NULL;
        }
        i++; /* the closing quote */
    }
}

static atomic_int sd_patterns_loaded;

bool sd_pattern_in_use(void) { return atomic_load(&sd_patterns_loaded) > 0; }
void sd_pattern_use_changed(int delta) { atomic_fetch_add(&sd_patterns_loaded, delta); }

void sd_alert_json(JsonBuf *j, const SdAlertInfo *info)
{
    jb_open_object(j, "sd_pattern");
    jb_str(j, "type", sd_type_name(info->type));
    jb_uint(j, "count", info->count);
    jb_open_array(j, "matches");
    for (uint32_t i = 0; i < info->shown && i < SD_ALERT_SHOWN_MAX; i++)
        jb_str(j, NULL, info->matches[i]);
    jb_close_array(j);
    jb_close_object(j);
}
