/*
 * The thresholding runtime: a worker's table of counting entries and the
 * per-type decision rules described in threshold.h. An entry is created by
 * the first match of its key ("setup"), later matches update it ("check and
 * update"). Entries tracked by host or rule whose window has run out are
 * treated as gone -- the next match sets them up afresh -- which is what
 * Suricata's periodic expiry of its threshold hash produces; entries tracked
 * by flow keep their state for the flow's life (Suricata keeps them in the
 * flow), so their windows restart through the update rules.
 */
#include "detect/threshold.h"

#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"

typedef struct ThreshEntry {
    struct ThreshEntry *hnext;
    struct ThreshEntry *lru_prev, *lru_next; /* head = most recently used */
    uint32_t hash;
    /* key */
    uint32_t gid, sid;
    uint8_t track;
    uint64_t flow_id;
    Address a1, a2;
    /* state */
    uint32_t seconds; /* window of the spec that created it, for expiry */
    uint32_t timeout;
    OdTime tv1; /* start of the current window */
    OdTime tv_timeout; /* rate_filter: when the new action started */
    bool rate_active;
    uint32_t current_count;
    uint32_t next_value; /* backoff */
} ThreshEntry;

struct ThresholdState {
    ThreshEntry **buckets;
    uint32_t mask;
    uint64_t max_entries;
    ThreshEntry *lru_head, *lru_tail;
    ThresholdStats stats;
};

void threshold_spec_free(ThresholdSpec *spec)
{
    if (!spec)
        return;
    if (spec->addrs && spec->addr_free)
        spec->addr_free(spec->addrs);
    free(spec);
}

const char *threshold_type_name(ThresholdType t)
{
    switch (t) {
    case THRESH_TYPE_LIMIT: return "limit";
    case THRESH_TYPE_THRESHOLD: return "threshold";
    case THRESH_TYPE_BOTH: return "both";
    case THRESH_TYPE_BACKOFF: return "backoff";
    case THRESH_TYPE_DETECTION: return "detection_filter";
    case THRESH_TYPE_RATE: return "rate_filter";
    case THRESH_TYPE_SUPPRESS: return "suppress";
    }
    return "?";
}

const char *threshold_track_name(ThresholdTrack t)
{
    switch (t) {
    case THRESH_TRACK_SRC: return "by_src";
    case THRESH_TRACK_DST: return "by_dst";
    case THRESH_TRACK_BOTH: return "by_both";
    case THRESH_TRACK_RULE: return "by_rule";
    case THRESH_TRACK_FLOW: return "by_flow";
    case THRESH_TRACK_EITHER: return "by_either";
    }
    return "?";
}

const char *threshold_action_name(ThresholdAction a)
{
    switch (a) {
    case THRESH_ACTION_NONE: return "none";
    case THRESH_ACTION_ALERT: return "alert";
    case THRESH_ACTION_DROP: return "drop";
    case THRESH_ACTION_PASS: return "pass";
    case THRESH_ACTION_LOG: return "log";
    case THRESH_ACTION_SDROP: return "sdrop";
    case THRESH_ACTION_REJECT: return "reject";
    }
    return "?";
}

ThresholdState *threshold_state_new(uint32_t hash_size, uint64_t memcap)
{
    uint32_t n = 16;
    while (n < hash_size && n < (1u << 30))
        n <<= 1;
    ThresholdState *st = calloc(1, sizeof(*st));
    if (!st)
        return NULL;
    st->buckets = calloc(n, sizeof(*st->buckets));
    if (!st->buckets) {
        free(st);
        return NULL;
    }
    st->mask = n - 1;
    uint64_t bucket_bytes = (uint64_t)n * sizeof(*st->buckets);
    st->stats.memuse = bucket_bytes;
    st->max_entries = memcap > bucket_bytes ? (memcap - bucket_bytes) / sizeof(ThreshEntry) : 0;
    if (st->max_entries == 0)
        st->max_entries = 1;
    return st;
}

void threshold_state_free(ThresholdState *st)
{
    if (!st)
        return;
    ThreshEntry *e = st->lru_head;
    while (e) {
        ThreshEntry *next = e->lru_next;
        free(e);
        e = next;
    }
    free(st->buckets);
    free(st);
}

const ThresholdStats *threshold_state_stats(const ThresholdState *st)
{
    return &st->stats;
}

static uint32_t fnv(uint32_t h, const void *data, size_t len)
{
    const uint8_t *b = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static int addr_cmp(const Address *a, const Address *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->addr, b->addr, sizeof(a->addr));
}

void threshold_subject_of(ThresholdSubject *subj, const Packet *p)
{
    subj->src = p->src_addr;
    subj->dst = p->dst_addr;
    subj->has_flow = p->flow != NULL;
    subj->flow_id = p->flow ? p->flow->flow_id : 0;
    subj->ts = p->ts;
}

/* Builds the lookup key for (gid, sid, track) on subject p. False when the
 * subject lacks what the tracking mode needs. */
static bool make_key(ThreshEntry *k, uint32_t gid, uint32_t sid, ThresholdTrack track, const ThresholdSubject *p)
{
    memset(k, 0, sizeof(*k));
    k->gid = gid;
    k->sid = sid;
    k->track = (uint8_t)track;
    switch (track) {
    case THRESH_TRACK_SRC:
        if (!p->src.family)
            return false;
        k->a1 = p->src;
        break;
    case THRESH_TRACK_DST:
        if (!p->dst.family)
            return false;
        k->a1 = p->dst;
        break;
    case THRESH_TRACK_BOTH:
        if (!p->src.family || !p->dst.family)
            return false;
        /* an unordered pair: both directions share the entry */
        if (addr_cmp(&p->src, &p->dst) <= 0) {
            k->a1 = p->src;
            k->a2 = p->dst;
        } else {
            k->a1 = p->dst;
            k->a2 = p->src;
        }
        break;
    case THRESH_TRACK_RULE:
        break;
    case THRESH_TRACK_FLOW:
        if (!p->has_flow)
            return false;
        k->flow_id = p->flow_id;
        break;
    case THRESH_TRACK_EITHER:
        return false;
    }
    uint32_t h = 2166136261u;
    h = fnv(h, &k->gid, sizeof(k->gid));
    h = fnv(h, &k->sid, sizeof(k->sid));
    h = fnv(h, &k->track, sizeof(k->track));
    h = fnv(h, &k->flow_id, sizeof(k->flow_id));
    h = fnv(h, &k->a1, sizeof(k->a1));
    h = fnv(h, &k->a2, sizeof(k->a2));
    k->hash = h;
    return true;
}

static bool key_equal(const ThreshEntry *a, const ThreshEntry *b)
{
    return a->hash == b->hash && a->gid == b->gid && a->sid == b->sid && a->track == b->track &&
           a->flow_id == b->flow_id && addr_cmp(&a->a1, &b->a1) == 0 && addr_cmp(&a->a2, &b->a2) == 0;
}

static void lru_unlink(ThresholdState *st, ThreshEntry *e)
{
    if (e->lru_prev)
        e->lru_prev->lru_next = e->lru_next;
    else
        st->lru_head = e->lru_next;
    if (e->lru_next)
        e->lru_next->lru_prev = e->lru_prev;
    else
        st->lru_tail = e->lru_prev;
    e->lru_prev = e->lru_next = NULL;
}

static void lru_push_front(ThresholdState *st, ThreshEntry *e)
{
    e->lru_prev = NULL;
    e->lru_next = st->lru_head;
    if (st->lru_head)
        st->lru_head->lru_prev = e;
    st->lru_head = e;
    if (!st->lru_tail)
        st->lru_tail = e;
}

static void entry_remove(ThresholdState *st, ThreshEntry *e)
{
    ThreshEntry **pp = &st->buckets[e->hash & st->mask];
    while (*pp && *pp != e)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = e->hnext;
    lru_unlink(st, e);
    free(e);
    st->stats.entries--;
    st->stats.memuse -= sizeof(ThreshEntry);
}

static ThreshEntry *entry_find(ThresholdState *st, const ThreshEntry *key)
{
    for (ThreshEntry *e = st->buckets[key->hash & st->mask]; e; e = e->hnext)
        if (key_equal(e, key))
            return e;
    return NULL;
}

static ThreshEntry *entry_create(ThresholdState *st, const ThreshEntry *key)
{
    if (st->stats.entries >= st->max_entries && st->lru_tail) {
        entry_remove(st, st->lru_tail);
        st->stats.evicted++;
    }
    ThreshEntry *e = malloc(sizeof(*e));
    if (!e) {
        st->stats.alloc_fail++;
        return NULL;
    }
    *e = *key;
    uint32_t b = e->hash & st->mask;
    e->hnext = st->buckets[b];
    st->buckets[b] = e;
    lru_push_front(st, e);
    st->stats.entries++;
    st->stats.created++;
    st->stats.memuse += sizeof(ThreshEntry);
    return e;
}

/* True when a host- or rule-tracked entry has outlived its window (and,
 * for a rate_filter, its new-action timeout). */
static bool entry_expired(const ThreshEntry *e, OdTime now)
{
    if (e->track == THRESH_TRACK_FLOW)
        return false;
    if (e->rate_active && OD_TIME_SEC(now) - OD_TIME_SEC(e->tv_timeout) <= (int64_t)e->timeout)
        return false;
    return now > e->tv1 + OD_TIME_FROM_SEC(e->seconds);
}

static uint32_t sat_mul(uint32_t a, uint32_t b)
{
    uint64_t r = (uint64_t)a * b;
    return r > UINT32_MAX ? UINT32_MAX : (uint32_t)r;
}

static void rate_set_action(const ThresholdSpec *td, ThresholdResult *res)
{
    switch (td->new_action) {
    case THRESH_ACTION_ALERT:
    case THRESH_ACTION_DROP:
    case THRESH_ACTION_REJECT:
    case THRESH_ACTION_PASS:
        res->action_modified = true;
        res->new_action = td->new_action;
        break;
    default: /* log, sdrop: Suricata leaves the rule's action */
        break;
    }
}

/* First match of a key: initialises the entry and decides. */
static ThresholdVerdict entry_setup(const ThresholdSpec *td, ThreshEntry *e, OdTime now)
{
    e->tv1 = now;
    e->current_count = 1;
    e->rate_active = false;
    e->seconds = td->seconds;
    e->timeout = td->timeout;
    switch (td->type) {
    case THRESH_TYPE_LIMIT:
    case THRESH_TYPE_RATE:
        return THRESH_ALERT;
    case THRESH_TYPE_THRESHOLD:
    case THRESH_TYPE_BOTH:
        return td->count == 1 ? THRESH_ALERT : THRESH_NONE;
    case THRESH_TYPE_BACKOFF:
        if (td->count == 1) {
            e->next_value = sat_mul(1, td->multiplier);
            return THRESH_ALERT;
        }
        e->next_value = td->count;
        return THRESH_NONE;
    case THRESH_TYPE_DETECTION:
    case THRESH_TYPE_SUPPRESS:
        return THRESH_NONE;
    }
    return THRESH_NONE;
}

/* A later match of a key: updates the entry and decides. */
static ThresholdVerdict entry_update(const ThresholdSpec *td, ThreshEntry *e, OdTime now, ThresholdResult *res)
{
    bool in_window = now <= e->tv1 + OD_TIME_FROM_SEC(td->seconds);
    ThresholdVerdict v = THRESH_NONE;
    if (e->current_count < UINT32_MAX && in_window && td->type != THRESH_TYPE_BACKOFF &&
        td->type != THRESH_TYPE_RATE)
        e->current_count++;
    switch (td->type) {
    case THRESH_TYPE_LIMIT:
        if (in_window) {
            v = e->current_count <= td->count ? THRESH_ALERT : THRESH_SILENT;
        } else {
            e->tv1 = now;
            e->current_count = 1;
            v = THRESH_ALERT;
        }
        break;
    case THRESH_TYPE_THRESHOLD:
        if (in_window) {
            if (e->current_count >= td->count) {
                v = THRESH_ALERT;
                e->current_count = 0;
            }
        } else {
            e->tv1 = now;
            e->current_count = 1;
        }
        break;
    case THRESH_TYPE_BOTH:
        if (in_window) {
            if (e->current_count == td->count)
                v = THRESH_ALERT;
            else if (e->current_count > td->count)
                v = THRESH_SILENT;
        } else {
            e->tv1 = now;
            e->current_count = 1;
            if (td->count == 1)
                v = THRESH_ALERT;
        }
        break;
    case THRESH_TYPE_DETECTION:
        if (in_window) {
            if (e->current_count > td->count)
                v = THRESH_ALERT;
        } else {
            e->tv1 = now;
            e->current_count = 1;
        }
        break;
    case THRESH_TYPE_BACKOFF:
        v = THRESH_SILENT;
        if (e->current_count < UINT32_MAX) {
            e->current_count++;
            if (e->current_count == e->next_value) {
                e->next_value = sat_mul(e->next_value, td->multiplier);
                v = THRESH_ALERT;
            }
        }
        break;
    case THRESH_TYPE_RATE:
        v = THRESH_ALERT;
        if (e->rate_active) {
            if (OD_TIME_SEC(now) - OD_TIME_SEC(e->tv_timeout) > (int64_t)td->timeout)
                e->rate_active = false;
            else
                rate_set_action(td, res);
        } else if (in_window) {
            if (e->current_count < UINT32_MAX)
                e->current_count++;
            if (e->current_count > td->count) {
                e->tv_timeout = now;
                e->rate_active = true;
                rate_set_action(td, res);
            }
        } else {
            e->tv1 = now;
            e->current_count = 1;
        }
        break;
    case THRESH_TYPE_SUPPRESS:
        break;
    }
    return v;
}

static ThresholdVerdict apply_suppress(const ThresholdSpec *td, const Packet *p)
{
    if (!td->addr_match || !td->addrs)
        return THRESH_ALERT;
    bool m = false;
    switch (td->track) {
    case THRESH_TRACK_SRC:
        m = td->addr_match(td->addrs, &p->src_addr);
        break;
    case THRESH_TRACK_DST:
        m = td->addr_match(td->addrs, &p->dst_addr);
        break;
    case THRESH_TRACK_EITHER:
        m = td->addr_match(td->addrs, &p->src_addr) || td->addr_match(td->addrs, &p->dst_addr);
        break;
    default:
        break;
    }
    return m ? THRESH_SILENT : THRESH_ALERT;
}

/* threshold_apply on a subject (suppress specs aside). */
static ThresholdVerdict apply_counting(ThresholdState *st, const ThresholdSpec *spec, uint32_t gid, uint32_t sid,
                                       const ThresholdSubject *subj, ThresholdResult *res)
{
    ThreshEntry key;
    if (!make_key(&key, gid, sid, spec->track, subj)) {
        res->verdict = THRESH_NONE;
        return THRESH_NONE;
    }
    OdTime now = subj->ts;
    ThreshEntry *e = entry_find(st, &key);
    if (e && entry_expired(e, now)) {
        entry_remove(st, e);
        e = NULL;
    }
    ThresholdVerdict v;
    if (!e) {
        e = entry_create(st, &key);
        if (!e) {
            res->verdict = THRESH_NONE;
            return THRESH_NONE;
        }
        v = entry_setup(spec, e, now);
    } else {
        lru_unlink(st, e);
        lru_push_front(st, e);
        v = entry_update(spec, e, now, res);
    }
    res->verdict = v;
    return v;
}

ThresholdVerdict threshold_apply(ThresholdState *st, const ThresholdSpec *spec, uint32_t gid, uint32_t sid,
                                 const Packet *p, ThresholdResult *res)
{
    ThresholdResult dummy;
    if (!res)
        res = &dummy;
    res->verdict = THRESH_ALERT;
    res->action_modified = false;
    res->new_action = THRESH_ACTION_NONE;
    if (!spec)
        return THRESH_ALERT;
    if (spec->type == THRESH_TYPE_SUPPRESS) {
        res->verdict = apply_suppress(spec, p);
        return res->verdict;
    }
    ThresholdSubject subj;
    threshold_subject_of(&subj, p);
    return apply_counting(st, spec, gid, sid, &subj, res);
}

static void result_reset(ThresholdResult *res)
{
    res->verdict = THRESH_ALERT;
    res->action_modified = false;
    res->new_action = THRESH_ACTION_NONE;
}

ThresholdVerdict threshold_check_suppressions(const ThresholdSigPlan *plan, const Packet *p, ThresholdResult *res)
{
    ThresholdResult dummy;
    if (!res)
        res = &dummy;
    result_reset(res);
    if (!plan)
        return THRESH_ALERT;
    if (plan->noalert) {
        res->verdict = THRESH_SILENT;
        return THRESH_SILENT;
    }
    if (p->ip_version != 4 && p->ip_version != 6)
        return THRESH_ALERT;
    for (uint16_t i = 0; i < plan->suppress_count; i++) {
        ThresholdVerdict v = apply_suppress(plan->suppress[i], p);
        if (v != THRESH_ALERT) {
            res->verdict = v;
            return v;
        }
    }
    return THRESH_ALERT;
}

ThresholdVerdict threshold_check_thresholds(ThresholdState *st, const ThresholdSigPlan *plan, uint32_t gid,
                                            uint32_t sid, const ThresholdSubject *subj, ThresholdResult *res)
{
    ThresholdResult dummy;
    if (!res)
        res = &dummy;
    result_reset(res);
    if (!plan)
        return THRESH_ALERT;
    bool modified = false;
    ThresholdAction action = THRESH_ACTION_NONE;
    for (uint16_t i = 0; i < plan->threshold_count; i++) {
        ThresholdResult one;
        result_reset(&one);
        ThresholdVerdict v = apply_counting(st, plan->thresholds[i], gid, sid, subj, &one);
        if (one.action_modified) {
            modified = true;
            action = one.new_action;
        }
        if (v != THRESH_ALERT) { /* that spec's own result, as it decided */
            *res = one;
            return v;
        }
    }
    res->verdict = THRESH_ALERT;
    res->action_modified = modified;
    res->new_action = action;
    return THRESH_ALERT;
}

ThresholdVerdict threshold_check(ThresholdState *st, const ThresholdSigPlan *plan, uint32_t gid, uint32_t sid,
                                 const Packet *p, ThresholdResult *res)
{
    ThresholdResult dummy;
    if (!res)
        res = &dummy;
    ThresholdVerdict v = threshold_check_suppressions(plan, p, res);
    if (v != THRESH_ALERT || !plan || plan->noalert || (p->ip_version != 4 && p->ip_version != 6))
        return v;
    if (plan->threshold_count == 0)
        return THRESH_ALERT;
    ThresholdSubject subj;
    threshold_subject_of(&subj, p);
    return threshold_check_thresholds(st, plan, gid, sid, &subj, res);
}

bool threshold_plan_counts_hosts(const ThresholdSigPlan *plan)
{
    for (uint16_t i = 0; plan && i < plan->threshold_count; i++) {
        const ThresholdTrack t = plan->thresholds[i]->track;
        if (t == THRESH_TRACK_SRC || t == THRESH_TRACK_DST || t == THRESH_TRACK_RULE)
            return true;
    }
    return false;
}

bool threshold_plan_spans_pairs(const ThresholdSigPlan *plan)
{
    bool spans = false;
    for (uint16_t i = 0; plan && i < plan->threshold_count; i++) {
        const ThresholdSpec *t = plan->thresholds[i];
        if (t->type == THRESH_TYPE_RATE)
            return false;
        if (t->track == THRESH_TRACK_SRC || t->track == THRESH_TRACK_DST || t->track == THRESH_TRACK_RULE)
            spans = true;
    }
    return spans;
}

uint32_t threshold_state_expire(ThresholdState *st, OdTime now)
{
    uint32_t n = 0;
    ThreshEntry *e = st->lru_tail;
    while (e) {
        ThreshEntry *prev = e->lru_prev;
        if (entry_expired(e, now)) {
            entry_remove(st, e);
            n++;
        }
        e = prev;
    }
    return n;
}
