/*
 * Parsing of the `tag` option and the bounded per-worker tagging state
 * (see tag.h): a chained hash table of keys -- a flow id for session tags,
 * an address for host tags -- each holding the tag entries of the rules
 * that tagged it. Entries count packets, bytes or seconds from the packet
 * after the one that matched, and disappear when used up or when their
 * flow ends.
 */
#include "detect/tag.h"
#include "util/err-buf.h"

#include <ctype.h>
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TAG_BUCKETS 4096u

/* Copies the next comma-separated field of *s, trimmed, into out. */
static bool next_field(const char **s, char *out, size_t outsz)
{
    const char *p = *s;
    if (!p)
        return false;
    while (isspace((unsigned char)*p))
        p++;
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    while (n && isspace((unsigned char)p[n - 1]))
        n--;
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, p, n);
    out[n] = '\0';
    *s = comma ? comma + 1 : NULL;
    return true;
}

bool tag_parse(const char *value, TagSpec *out, char *err, size_t errsz)
{
    char f[4][32];
    const char *p = value;
    int n = 0;
    if (!value)
        return od_fail(err, errsz, "tag: a value is required (session or host)");
    while (p && n < 4)
        next_field(&p, f[n++], sizeof(f[0]));
    if (p)
        return od_fail(err, errsz, "tag: too many fields in '%s' (expected type[, count, metric[, src|dst]])", value);
    memset(out, 0, sizeof(*out));
    if (strcasecmp(f[0], "session") == 0)
        out->type = TAG_TYPE_SESSION;
    else if (strcasecmp(f[0], "host") == 0)
        out->type = TAG_TYPE_HOST;
    else
        return od_fail(err, errsz, "tag: invalid type '%s' (expected session or host)", f[0]);
    out->count = TAG_DEFAULT_PACKETS;
    out->metric = TAG_METRIC_PACKETS;
    out->direction = TAG_DIR_DST;
    if (n == 1)
        return true;
    if (n == 2)
        return od_fail(err, errsz, "tag: a count needs a metric (packets, bytes or seconds) in '%s'", value);
    char *end;
    errno = 0;
    unsigned long long c = strtoull(f[1], &end, 10);
    if (!f[1][0] || *end || errno || f[1][0] == '-' || c > UINT32_MAX)
        return od_fail(err, errsz, "tag: invalid count '%s' (expected 0..%u)", f[1], UINT32_MAX);
    out->count = (uint32_t)c;
    if (strcasecmp(f[2], "packets") == 0) {
        out->metric = TAG_METRIC_PACKETS;
        if (out->count > TAG_DEFAULT_PACKETS)
            out->count = TAG_DEFAULT_PACKETS;
    } else if (strcasecmp(f[2], "bytes") == 0) {
        out->metric = TAG_METRIC_BYTES;
    } else if (strcasecmp(f[2], "seconds") == 0) {
        out->metric = TAG_METRIC_SECONDS;
    } else {
        return od_fail(err, errsz, "tag: invalid metric '%s' (expected packets, bytes or seconds)", f[2]);
    }
    if (n == 4) {
        if (strcasecmp(f[3], "src") == 0)
            out->direction = TAG_DIR_SRC;
        else if (strcasecmp(f[3], "dst") == 0)
            out->direction = TAG_DIR_DST;
        else
            return od_fail(err, errsz, "tag: invalid direction '%s' (expected src or dst)", f[3]);
        /* Suricata only warns when a session tag names a direction */
    }
    return true;
}

typedef struct TagEntry {
    uint32_t gid, sid;
    TagMetric metric;
    uint32_t count;
    uint32_t matches; /* times the rule re-armed this entry */
    uint64_t packets, bytes;
    OdTime first_ts;
    uint64_t added_seq; /* the packet that created or re-armed it is not tagged */
} TagEntry;

typedef struct TagKey {
    struct TagKey *next;
    bool is_host;
    uint64_t flow_id;
    Address host;
    uint32_t count, cap;
    TagEntry *entries; /* grows up to TAG_MAX_PER_KEY */
} TagKey;

struct TagTracker {
    TagKey *buckets[TAG_BUCKETS];
    uint32_t keys, max_keys, entries;
    uint64_t dropped;
    uint64_t seq; /* packets seen by tag_tracker_packet */
};

TagTracker *tag_tracker_new(uint32_t max_keys)
{
    TagTracker *t = calloc(1, sizeof(*t));
    if (t)
        t->max_keys = max_keys ? max_keys : TAG_TRACKER_DEFAULT_KEYS;
    return t;
}

void tag_tracker_free(TagTracker *t)
{
    if (!t)
        return;
    for (uint32_t i = 0; i < TAG_BUCKETS; i++) {
        TagKey *k = t->buckets[i];
        while (k) {
            TagKey *next = k->next;
            free(k->entries);
            free(k);
            k = next;
        }
    }
    free(t);
}

static uint32_t flow_bucket(uint64_t flow_id)
{
    return (uint32_t)((flow_id * 0x9e3779b97f4a7c15ull) >> 52) % TAG_BUCKETS;
}

static uint32_t host_bucket(const Address *a)
{
    uint32_t h = 2166136261u ^ a->family;
    for (int i = 0; i < 16; i++)
        h = (h ^ a->addr[i]) * 16777619u;
    return h % TAG_BUCKETS;
}

static bool key_is(const TagKey *k, bool is_host, uint64_t flow_id, const Address *a)
{
    if (k->is_host != is_host)
        return false;
    if (!is_host)
        return k->flow_id == flow_id;
    return k->host.family == a->family && memcmp(k->host.addr, a->addr, sizeof(a->addr)) == 0;
}

/* The slot holding the key (or where a new key goes). */
static TagKey **find_slot(TagTracker *t, bool is_host, uint64_t flow_id, const Address *a)
{
    TagKey **slot = &t->buckets[is_host ? host_bucket(a) : flow_bucket(flow_id)];
    while (*slot && !key_is(*slot, is_host, flow_id, a))
        slot = &(*slot)->next;
    return slot;
}

static void remove_key(TagTracker *t, TagKey **slot)
{
    TagKey *k = *slot;
    *slot = k->next;
    t->entries -= k->count;
    t->keys--;
    free(k->entries);
    free(k);
}

static bool add_to_key(TagTracker *t, bool is_host, uint64_t flow_id, const Address *a, const TagSpec *spec,
                       uint32_t gid, uint32_t sid, OdTime ts)
{
    TagKey **slot = find_slot(t, is_host, flow_id, a);
    TagKey *k = *slot;
    if (!k) {
        if (t->keys >= t->max_keys || !(k = calloc(1, sizeof(*k)))) {
            t->dropped++;
            return false;
        }
        k->is_host = is_host;
        k->flow_id = flow_id;
        if (is_host)
            k->host = *a;
        *slot = k;
        t->keys++;
    }
    for (uint32_t i = 0; i < k->count; i++) {
        TagEntry *e = &k->entries[i];
        if (e->gid == gid && e->sid == sid) {
            /* the same rule again: start over, a bounded number of times */
            if (++e->matches < TAG_MATCH_LIMIT) {
                e->first_ts = ts;
                e->packets = e->bytes = 0;
                e->added_seq = t->seq;
            }
            return true;
        }
    }
    if (k->count >= TAG_MAX_PER_KEY) {
        t->dropped++;
        return false;
    }
    if (k->count == k->cap) {
        uint32_t cap = k->cap ? k->cap * 2 : 2;
        if (cap > TAG_MAX_PER_KEY)
            cap = TAG_MAX_PER_KEY;
        TagEntry *grown = realloc(k->entries, cap * sizeof(*grown));
        if (!grown) {
            t->dropped++;
            if (k->count == 0)
                remove_key(t, slot);
            return false;
        }
        k->entries = grown;
        k->cap = cap;
    }
    TagEntry *e = &k->entries[k->count++];
    memset(e, 0, sizeof(*e));
    e->gid = gid;
    e->sid = sid;
    e->metric = spec->metric;
    e->count = spec->count;
    e->first_ts = ts;
    e->added_seq = t->seq;
    t->entries++;
    return true;
}

bool tag_tracker_add(TagTracker *t, const TagSpec *spec, uint32_t gid, uint32_t sid, bool has_flow, uint64_t flow_id,
                     const Address *src, const Address *dst, OdTime ts)
{
    if (!t || !spec)
        return false;
    if (spec->type == TAG_TYPE_SESSION) {
        if (!has_flow) {
            t->dropped++;
            return false;
        }
        return add_to_key(t, false, flow_id, NULL, spec, gid, sid, ts);
    }
    const Address *a = spec->direction == TAG_DIR_SRC ? src : dst;
    if (!a || a->family == 0) {
        t->dropped++;
        return false;
    }
    return add_to_key(t, true, 0, a, spec, gid, sid, ts);
}

/* Advances the entries of the key in *slot; true when one still covers the
 * packet. Removes used-up entries and an emptied key. */
static bool advance_key(TagTracker *t, TagKey **slot, OdTime ts, uint32_t pkt_len)
{
    TagKey *k = *slot;
    bool tagged = false;
    uint32_t i = 0;
    while (i < k->count) {
        TagEntry *e = &k->entries[i];
        if (e->added_seq == t->seq) { /* created by this very packet */
            i++;
            continue;
        }
        bool live;
        switch (e->metric) {
        case TAG_METRIC_PACKETS:
            live = ++e->packets <= e->count;
            break;
        case TAG_METRIC_BYTES:
            e->bytes += pkt_len;
            live = e->bytes <= e->count;
            break;
        default:
            live = ts - e->first_ts <= (OdTime)e->count * OD_USEC_PER_SEC;
            break;
        }
        if (live) {
            tagged = true;
            i++;
        } else {
            k->entries[i] = k->entries[--k->count];
            t->entries--;
        }
    }
    if (k->count == 0)
        remove_key(t, slot);
    return tagged;
}

bool tag_tracker_packet(TagTracker *t, bool has_flow, uint64_t flow_id, const Address *src, const Address *dst,
                        OdTime ts, uint32_t pkt_len)
{
    if (!t)
        return false;
    bool tagged = false;
    if (t->keys) {
        TagKey **slot;
        if (has_flow && *(slot = find_slot(t, false, flow_id, NULL)))
            tagged |= advance_key(t, slot, ts, pkt_len);
        if (src && src->family && *(slot = find_slot(t, true, 0, src)))
            tagged |= advance_key(t, slot, ts, pkt_len);
        bool same = src && dst && src->family == dst->family && memcmp(src->addr, dst->addr, 16) == 0;
        if (dst && dst->family && !same && *(slot = find_slot(t, true, 0, dst)))
            tagged |= advance_key(t, slot, ts, pkt_len);
    }
    t->seq++;
    return tagged;
}

void tag_tracker_flow_end(TagTracker *t, uint64_t flow_id)
{
    if (!t || !t->keys)
        return;
    TagKey **slot = find_slot(t, false, flow_id, NULL);
    if (*slot)
        remove_key(t, slot);
}

uint32_t tag_tracker_entries(const TagTracker *t)
{
    return t ? t->entries : 0;
}

uint64_t tag_tracker_dropped(const TagTracker *t)
{
    return t ? t->dropped : 0;
}

/* One tracker per thread, freed by the key's destructor when a worker
 * thread exits (a thread-local pointer alone would leak it then). */
static pthread_key_t tracker_key;
static pthread_once_t tracker_once = PTHREAD_ONCE_INIT;
static bool tracker_key_ok;

static void tracker_destroy(void *p)
{
    tag_tracker_free(p);
}

static void tracker_key_init(void)
{
    tracker_key_ok = pthread_key_create(&tracker_key, tracker_destroy) == 0;
}

TagTracker *tag_tracker_thread(void)
{
    pthread_once(&tracker_once, tracker_key_init);
    if (!tracker_key_ok)
        return NULL;
    TagTracker *t = pthread_getspecific(tracker_key);
    if (!t) {
        t = tag_tracker_new(TAG_TRACKER_DEFAULT_KEYS);
        if (t && pthread_setspecific(tracker_key, t) != 0) {
            tag_tracker_free(t);
            t = NULL;
        }
    }
    return t;
}

void tag_tracker_thread_free(void)
{
    pthread_once(&tracker_once, tracker_key_init);
    if (!tracker_key_ok)
        return;
    tag_tracker_free(pthread_getspecific(tracker_key));
    pthread_setspecific(tracker_key, NULL);
}
