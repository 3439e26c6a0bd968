/*
 * The defrag table: trackers by key, their lifetime, caps and counters, and
 * defrag_insert, which ties input, insertion and reassembly together.
 *
 * Trackers live in a hash table of `defrag.hash-size` chained buckets and on
 * one list ordered for reuse: its front holds trackers that are done
 * (reassembled or abandoned, kept as Suricata keeps them until reused) and
 * ones never fed, then live trackers from least to most recently fed. A
 * tracker is keyed as Suricata keys it: address family, IPv4 protocol,
 * Identification, VLAN ids, and the two addresses in either direction.
 *
 * Lifetime (Suricata 8's defrag-hash.c / defrag-timeout.c):
 *  - each stored-or-not fragment pushes the tracker's timeout to its own
 *    time, in whole seconds, plus the host's timeout (defrag.timeout or
 *    defrag.host-config);
 *  - a lookup that meets a done or timed-out tracker for the same key
 *    frees it first (defrag.wrk.tracker_timeout) and starts a new one;
 *  - defrag_expire sweeps, once per second of packet time, done trackers
 *    (silently) and timed-out ones (defrag.mgr.tracker_timeout);
 *  - when `defrag.trackers` trackers exist or a new one would pass
 *    `defrag.memcap`, the front tracker is reused (tracker_soft_reuse if it
 *    was done, tracker_hard_reuse if it still held fragments); only when
 *    there is nothing to reuse is the fragment refused
 *    (defrag.max_trackers_reached).
 * Fragments count against `defrag.max-frags` (defrag.max_frags_reached)
 * and, unlike Suricata, their bytes count against the memcap too
 * (defrag.memcap_drop); a refused fragment gets the frag_ignored event.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "defrag/defrag-input.h"
#include "defrag/defrag-internal.h"
#include "util/log.h"

#define HASH_SIZE_MAX (1u << 24)

struct DefragTable {
    DefragConfig cfg;
    Counters *ctr;
    DefragTracker **buckets;
    uint32_t nbuckets;
    uint32_t seed;
    DefragTracker *lru_head, *lru_tail;
    uint32_t tracker_count;
    uint32_t frag_count;
    uint64_t memuse;
    bool uniform_timeout; /* no host-config timeouts: live trackers expire in list order */
    bool swept;
    OdTime next_sweep;
    bool closing; /* defrag_free: leave defrag.memuse at its last value for the final stats */
};

/* ---- memory accounting ------------------------------------------------- */

static void mem_add(DefragTable *t, uint64_t n)
{
    t->memuse += n;
    ctr_add(t->ctr, CTR_DEFRAG_MEMUSE, n);
}

static void mem_sub(DefragTable *t, uint64_t n)
{
    t->memuse -= n;
    if (!t->closing)
        ctr_sub(t->ctr, CTR_DEFRAG_MEMUSE, n);
}

static bool mem_fits(const DefragTable *t, uint64_t n) { return t->memuse + n <= t->cfg.memcap; }

static void raise_event(DefragTable *t, Packet *p, DecodeEvent ev)
{
    if (packet_add_event(p, ev))
        t->ctr->events[ev]++;
}

/* ---- fragments ---------------------------------------------------------- */

DefragFrag *defrag_table_frag_alloc(DefragTable *t, Packet *p, uint8_t af, uint32_t nbytes)
{
    DecodeEvent ignored = af == 4 ? DEV_IPV4_FRAG_IGNORED : DEV_IPV6_FRAG_IGNORED;
    if (t->frag_count >= t->cfg.max_frags) {
        ctr_inc(t->ctr, CTR_DEFRAG_MAX_FRAGS_REACHED);
        raise_event(t, p, ignored);
        return NULL;
    }
    uint64_t size = sizeof(DefragFrag) + (uint64_t)nbytes;
    DefragFrag *f = mem_fits(t, size) ? malloc((size_t)size) : NULL;
    if (!f) {
        ctr_inc(t->ctr, CTR_DEFRAG_MEMCAP_DROP);
        raise_event(t, p, ignored);
        return NULL;
    }
    memset(f, 0, sizeof(*f));
    f->bytes = (uint8_t *)(f + 1);
    t->frag_count++;
    mem_add(t, size);
    return f;
}

void defrag_table_frag_free(DefragTable *t, DefragFrag *f)
{
    t->frag_count--;
    mem_sub(t, sizeof(DefragFrag) + (uint64_t)f->l2_len + f->hdr_len + f->data_len);
    free(f);
}

/* ---- keys --------------------------------------------------------------- */

static bool addr_eq(const Address *a, const Address *b)
{
    return a->family == b->family && memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

static bool key_match(const DefragKey *a, const DefragKey *b)
{
    if (a->af != b->af || a->proto != b->proto || a->id != b->id ||
        memcmp(a->vlan_id, b->vlan_id, sizeof(a->vlan_id)) != 0)
        return false;
    return (addr_eq(&a->src, &b->src) && addr_eq(&a->dst, &b->dst)) ||
           (addr_eq(&a->src, &b->dst) && addr_eq(&a->dst, &b->src));
}

static uint32_t mix(uint32_t h, uint32_t v)
{
    h ^= v;
    h *= 0x01000193u;
    return h;
}

/* Same value for both directions: the addresses are hashed in a fixed order. */
static uint32_t key_hash(const DefragTable *t, const DefragKey *k)
{
    const Address *lo = &k->src, *hi = &k->dst;
    if (memcmp(lo->addr, hi->addr, sizeof(lo->addr)) > 0) {
        lo = &k->dst;
        hi = &k->src;
    }
    uint32_t h = 0x811c9dc5u ^ t->seed;
    h = mix(h, k->af);
    h = mix(h, k->id);
    for (int i = 0; i < PACKET_MAX_VLANS; i++)
        h = mix(h, k->vlan_id[i]);
    for (int i = 0; i < 16; i++)
        h = mix(h, lo->addr[i]);
    for (int i = 0; i < 16; i++)
        h = mix(h, hi->addr[i]);
    /* final avalanche (MurmurHash3 fmix32) */
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

/* ---- the reuse list ------------------------------------------------------ */

static void lru_unlink(DefragTable *t, DefragTracker *tr)
{
    if (tr->lru_prev)
        tr->lru_prev->lru_next = tr->lru_next;
    else
        t->lru_head = tr->lru_next;
    if (tr->lru_next)
        tr->lru_next->lru_prev = tr->lru_prev;
    else
        t->lru_tail = tr->lru_prev;
    tr->lru_prev = tr->lru_next = NULL;
}

static void lru_push_front(DefragTable *t, DefragTracker *tr)
{
    tr->lru_prev = NULL;
    tr->lru_next = t->lru_head;
    if (t->lru_head)
        t->lru_head->lru_prev = tr;
    else
        t->lru_tail = tr;
    t->lru_head = tr;
}

static void lru_push_back(DefragTable *t, DefragTracker *tr)
{
    tr->lru_next = NULL;
    tr->lru_prev = t->lru_tail;
    if (t->lru_tail)
        t->lru_tail->lru_next = tr;
    else
        t->lru_head = tr;
    t->lru_tail = tr;
}

/* ---- trackers ----------------------------------------------------------- */

static void hash_unlink(DefragTable *t, DefragTracker *tr)
{
    DefragTracker **pp = &t->buckets[tr->hash % t->nbuckets];
    while (*pp && *pp != tr)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = tr->hnext;
    tr->hnext = NULL;
}

/* Frees a tracker that is already out of its hash chain. */
static void tracker_free(DefragTable *t, DefragTracker *tr)
{
    lru_unlink(t, tr);
    defrag_tracker_clear(t, tr);
    t->tracker_count--;
    mem_sub(t, sizeof(DefragTracker));
    free(tr);
}

static bool tracker_timed_out(const DefragTracker *tr, OdTime now) { return tr->removed || tr->timeout <= now; }

static void count_timeout(DefragTable *t, CounterId which)
{
    ctr_inc(t->ctr, which);
    ctr_inc(t->ctr, CTR_DEFRAG_TRACKER_TIMEOUT);
}

/* Frees the front tracker to make room; false when there is none. */
static bool evict_one(DefragTable *t)
{
    DefragTracker *victim = t->lru_head;
    if (!victim)
        return false;
    ctr_inc(t->ctr, victim->removed ? CTR_DEFRAG_TRACKER_SOFT_REUSE : CTR_DEFRAG_TRACKER_HARD_REUSE);
    hash_unlink(t, victim);
    tracker_free(t, victim);
    return true;
}

/* Returns the live tracker for key, creating it when needed; NULL (counted)
 * when no tracker can be had. */
static DefragTracker *tracker_get(DefragTable *t, const DefragKey *key, OdTime now)
{
    uint32_t h = key_hash(t, key);
    DefragTracker **pp = &t->buckets[h % t->nbuckets];
    while (*pp) {
        DefragTracker *tr = *pp;
        if (key_match(&tr->key, key)) {
            if (!tracker_timed_out(tr, now))
                return tr;
            /* done or stale tracker of this datagram: free it, start anew */
            *pp = tr->hnext;
            tr->hnext = NULL;
            count_timeout(t, CTR_DEFRAG_WRK_TRACKER_TIMEOUT);
            tracker_free(t, tr);
            continue;
        }
        pp = &tr->hnext;
    }

    bool memcap_hit = false;
    while (t->tracker_count >= t->cfg.trackers || !mem_fits(t, sizeof(DefragTracker))) {
        if (!mem_fits(t, sizeof(DefragTracker)))
            memcap_hit = true;
        if (!evict_one(t))
            break;
    }
    DefragTracker *tr = NULL;
    if (t->tracker_count < t->cfg.trackers && mem_fits(t, sizeof(DefragTracker)))
        tr = calloc(1, sizeof(*tr));
    if (!tr) {
        ctr_inc(t->ctr, CTR_DEFRAG_MAX_TRACKERS_REACHED);
        ctr_inc(t->ctr, CTR_DEFRAG_MAX_FRAG_HITS);
        if (memcap_hit)
            ctr_inc(t->ctr, CTR_DEFRAG_MEMCAP_DROP);
        return NULL;
    }
    tr->key = *key;
    tr->hash = h;
    tr->policy = defrag_config_policy_for(&t->cfg, &key->dst);
    tr->host_timeout = defrag_config_timeout_for(&t->cfg, &key->dst);
    tr->timeout = 0;
    tr->hnext = t->buckets[h % t->nbuckets];
    t->buckets[h % t->nbuckets] = tr;
    lru_push_front(t, tr);
    t->tracker_count++;
    mem_add(t, sizeof(DefragTracker));
    return tr;
}

/* Marks a tracker done: its fragments go, the tracker waits at the front
 * of the list for reuse or the next sweep. */
static void tracker_finish(DefragTable *t, DefragTracker *tr)
{
    defrag_tracker_clear(t, tr);
    tr->removed = true;
    lru_unlink(t, tr);
    lru_push_front(t, tr);
}

/* ---- public API ---------------------------------------------------------- */

DefragTable *defrag_new(const DefragConfig *cfg, Counters *ctr)
{
    if (!cfg || !ctr || cfg->hash_size == 0 || cfg->hash_size > HASH_SIZE_MAX)
        return NULL;
    uint64_t hash_bytes = (uint64_t)cfg->hash_size * sizeof(DefragTracker *);
    if (hash_bytes > cfg->memcap) {
        od_error("defrag.memcap (%llu bytes) is smaller than the defrag hash (%llu bytes): "
                 "raise defrag.memcap or lower defrag.hash-size",
                 (unsigned long long)cfg->memcap, (unsigned long long)hash_bytes);
        return NULL;
    }
    DefragTable *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->cfg = *cfg;
    t->ctr = ctr;
    t->nbuckets = cfg->hash_size;
    t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
    if (!t->buckets) {
        free(t);
        return NULL;
    }
    if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) != (ssize_t)sizeof(t->seed))
        t->seed = (uint32_t)(uintptr_t)t;
    t->uniform_timeout = true;
    for (unsigned i = 0; i < cfg->host_rule_count; i++)
        if (cfg->host_rules[i].timeout != 0)
            t->uniform_timeout = false;
    mem_add(t, hash_bytes);
    return t;
}

void defrag_free(DefragTable *t)
{
    if (!t)
        return;
    t->closing = true;
    while (t->lru_head) {
        DefragTracker *tr = t->lru_head;
        hash_unlink(t, tr);
        tracker_free(t, tr);
    }
    mem_sub(t, (uint64_t)t->nbuckets * sizeof(DefragTracker *));
    free(t->buckets);
    free(t);
}

Packet *defrag_insert(DefragTable *t, Packet *p)
{
    if (!t || !p)
        return NULL;
    DefragFragInfo fi;
    DefragKey key;
    if (!defrag_read_fragment(p, &fi, &key))
        return NULL;
    if (fi.offset == 0 && !fi.more_frags)
        return NULL; /* a whole datagram, not a fragment */
    if (fi.af == 6 && fi.more_frags && fi.data_len % 8 != 0) {
        /* RFC 8200: all but the last fragment are multiples of 8 bytes. The
         * decoder normally catches this and does not call us. */
        if (!packet_has_event(p, DEV_IPV6_FRAG_INVALID_LENGTH))
            raise_event(t, p, DEV_IPV6_FRAG_INVALID_LENGTH);
        return NULL;
    }
    ctr_inc(t->ctr, fi.af == 4 ? CTR_DEFRAG_IPV4_FRAGMENTS : CTR_DEFRAG_IPV6_FRAGMENTS);

    DefragTracker *tr = tracker_get(t, &key, p->ts);
    if (!tr)
        return NULL;

    /* RFC 791 / 8200: a datagram cannot pass 65535 bytes (IPv4 counting a
     * minimal header, IPv6 its payload). */
    if ((fi.af == 4 && 20 + fi.offset + fi.data_len > 65535) || (fi.af == 6 && fi.offset + fi.data_len > 65535)) {
        raise_event(t, p, fi.af == 4 ? DEV_IPV4_FRAG_PKT_TOO_LARGE : DEV_IPV6_FRAG_PKT_TOO_LARGE);
        return NULL;
    }

    tr->timeout = OD_TIME_FROM_SEC(OD_TIME_SEC(p->ts)) + tr->host_timeout;
    lru_unlink(t, tr);
    lru_push_back(t, tr);

    bool overlap = false;
    Packet *r = NULL;
    if (defrag_tracker_insert(t, tr, p, &fi, &overlap) && tr->seen_last) {
        DefragReasm rc = defrag_reassemble(tr, p, &r);
        if (rc == DEFRAG_REASM_DONE)
            ctr_inc(t->ctr, fi.af == 4 ? CTR_DEFRAG_IPV4_REASSEMBLED : CTR_DEFRAG_IPV6_REASSEMBLED);
        if (rc != DEFRAG_REASM_WAIT)
            tracker_finish(t, tr);
    }
    if (overlap)
        raise_event(t, p, fi.af == 4 ? DEV_IPV4_FRAG_OVERLAP : DEV_IPV6_FRAG_OVERLAP);
    return r;
}

bool defrag_expire_due(const DefragTable *t, OdTime now)
{
    return t && !(t->swept && now < t->next_sweep);
}

void defrag_expire(DefragTable *t, OdTime now)
{
    if (!defrag_expire_due(t, now))
        return;
    t->swept = true;
    t->next_sweep = now + OD_USEC_PER_SEC;
    DefragTracker *tr = t->lru_head;
    while (tr) {
        DefragTracker *next = tr->lru_next;
        if (tr->removed) {
            hash_unlink(t, tr);
            tracker_free(t, tr);
        } else if (tr->timeout <= now) {
            hash_unlink(t, tr);
            count_timeout(t, CTR_DEFRAG_MGR_TRACKER_TIMEOUT);
            tracker_free(t, tr);
        } else if (t->uniform_timeout) {
            break; /* the rest were fed later */
        }
        tr = next;
    }
}

uint32_t defrag_tracker_count(const DefragTable *t) { return t ? t->tracker_count : 0; }
uint32_t defrag_frag_count(const DefragTable *t) { return t ? t->frag_count : 0; }
uint64_t defrag_memuse(const DefragTable *t) { return t ? t->memuse : 0; }
