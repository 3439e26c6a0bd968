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
#define KEY(name) { name, sizeof(name) - 1 }
    static const struct {
        const char *name;
        size_t len;
    } keys[] = { KEY("timestamp"), KEY("start"),   KEY("end"),       KEY("src_ip"),  KEY("dest_ip"),
                 KEY("event_type"), KEY("proto"), KEY("app_proto"), KEY("pkt_src"), KEY("direction") };
#undef KEY
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (keys[i].len == n && memcmp(keys[i].name, k, n) == 0)
            return true;
    return false;
}

/* Where the JSON string whose text starts at text[start] ends: at the next
 * quote not escaped by an odd run of backslashes, else at len. memchr finds
 * the quotes: every EVE record passes here while sd_pattern rules are
 * loaded, so this runs over all the output. */
static size_t string_end(const char *text, size_t start, size_t len)
{
    size_t i = start;
    while (i < len) {
        const char *q = memchr(text + i, '"', len - i);
        if (!q)
            break;
        const size_t at = (size_t)(q - text);
        size_t run = at;
        while (run > start && text[run - 1] == '\\')
            run--;
        if ((at - run) % 2 == 0)
            return at;
        i = at + 1; /* an escaped quote */
    }
    return len;
}

/* Digits among the 8 bytes of w, as one 0/1 per byte (SWAR: a byte is a
 * digit when its low 7 bits are >= '0' and <= '9' and its top bit is clear;
 * the top bits are cleared first so that no addition carries into the next
 * byte). */
static inline uint64_t digit_bytes(uint64_t w)
{
    const uint64_t high = 0x8080808080808080ull;
    const uint64_t low7 = w & ~high;
    const uint64_t ge_0 = (low7 + 0x5050505050505050ull) & high; /* 0x30 + 0x50 = 0x80 */
    const uint64_t gt_9 = (low7 + 0x4646464646464646ull) & high; /* 0x3a + 0x46 = 0x80 */
    return ((ge_0 & ~gt_9 & ~w) & high) >> 7;
}

/* Digits of a JSON string's text s[0..n), not counting the character after
 * a backslash (an escape's own). */
static uint32_t string_digits(const char *s, size_t n)
{
    uint32_t digits = 0;
    if (memchr(s, '\\', n)) {
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '\\')
                i++;
            else
                digits += (unsigned char)(s[i] - '0') < 10;
        }
        return digits;
    }
    /* the common case, no escape: eight bytes at a time, the per-byte
     * counts summed every 31 words (at most 248, so that the multiply
     * adding the eight bytes into the top one never carries) */
    size_t i = 0;
    while (n - i >= 8) {
        uint64_t acc = 0;
        for (uint32_t k = 0; k < 31 && n - i >= 8; k++, i += 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            acc += digit_bytes(w);
        }
        digits += (uint32_t)((acc * 0x0101010101010101ull) >> 56);
    }
    for (; i < n; i++)
        digits += (unsigned char)(s[i] - '0') < 10;
    return digits;
}

void sd_alert_mask_json(const SdAlertInfo *info, char *text, size_t len)
{
    size_t i = 0;
    const char *key = NULL;
    size_t key_len = 0;
    while (i < len) {
        while (i < len && text[i] != '"') /* between strings: a colon, a comma, a number */
            i++;
        if (i == len)
            break;
        const size_t start = i + 1;
        const size_t end = string_end(text, start, len);
        size_t after = end + 1;
        while (after < len && text[after] == ' ')
            after++;
        const bool is_key = after < len && text[after] == ':';
        /* a key, an engine-written value, or a string with fewer digits
         * than the shortest number masked (an SSN's 9) cannot hold one --
         * except a custom pattern, which may match anything */
        bool skip = is_key;
        if (!skip && !(info && info->type == SD_TYPE_CUSTOM))
            skip = string_digits(text + start, end - start) < 9;
        if (!skip && key)
            skip = engine_written_key(key, key_len);
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
        i = end + 1; /* past the closing quote */
    }
}

/* The record's event_type names one of the types whose values all come
 * from the engine (addresses, ports, counters, times, state and event
 * names; their "traffic" and "metadata" objects hold flowbit names and
 * flowint and entropy numbers, output/eve-metadata.c, while variables a
 * rule captured from traffic appear in alert records only): flow records
 * are most of an EVE log -- 80% of its bytes on a 20 MB slice of the
 * benchmark corpus with the default outputs -- and walking them was most
 * of what masking cost. The type is looked for near the start, where EVE
 * writes it. */
static bool engine_written_record(const char *text, size_t len)
{
    static const char tag[] = "\"event_type\":\"";
    const size_t head = len < 256 ? len : 256, tag_len = sizeof(tag) - 1;
    const char *at = NULL;
    for (const char *q = text; !at && (q = memchr(q, '"', head - (size_t)(q - text))) != NULL; q++)
        if ((size_t)(q - text) + tag_len <= len && memcmp(q, tag, tag_len) == 0)
            at = q;
    if (!at)
        return false;
    at += tag_len;
    const size_t left = (size_t)(text + len - at);
    static const char *const types[] = { "flow\"", "netflow\"", "stats\"", "anomaly\"" };
    bool engine_only = false;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]) && !engine_only; i++) {
        const size_t n = strlen(types[i]);
        engine_only = n <= left && memcmp(at, types[i], n) == 0;
    }
    return engine_only;
}

void sd_alert_mask_record(char *text, size_t len)
{
    if (!engine_written_record(text, len))
        sd_alert_mask_json(NULL, text, len);
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
