/*
 * The per-thread flow table (contract in flow-table.h).
 *
 * Layout: a bucket array of singly linked chains (Flow.hash_next) for
 * lookup; a doubly linked list of live flows in order of last activity
 * (Flow.lru_prev/next), whose front supplies eviction candidates in
 * emergency mode; a min-heap (flow-heap.c) of live flows keyed by the first
 * second at which each may have timed out; and a spare pool of recycled
 * flows, up to flow.prealloc of them.
 *
 * The heap key is only a lower bound of the second at which the flow times
 * out, so most packets need not touch the heap: a packet only moves the
 * deadline later -- unless the stream stage then moves f->state to one with
 * a shorter timeout. So after a packet the key must be at most "last second
 * + the shortest timeout of any state the protocol has + 1"; a packet lowers
 * the key only when it is above that (which happens after the flow was
 * examined, see below). When a key comes due, flow_table_timeout looks at
 * the flow's real state: either it has timed out, or its key becomes its
 * exact deadline, which stays valid until its next packet. An active flow
 * is thus examined about once per timeout period, and a packet costs O(1).
 * Emergency mode shortens timeouts, so entering it re-keys every flow.
 *
 * The activity list is ordered by the second of the last packet, which is
 * all eviction needs, so a flow moves to its end at most once per second.
 */
#include "flow/flow-table.h"

#include <stdlib.h>
#include <string.h>

#include "flow/flow-heap.h"
#include "flow/flow-key.h"
#include "flow/flow-macs.h"
#include "util/log.h"

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ICMPV6 58
#define PROTO_SCTP 132

/* LRU flows examined for a forced eviction (Suricata tries about 6 buckets). */
#define FLOW_EVICT_TRIES 8

struct FlowTable {
    FlowConfig cfg;
    Counters *ctr;
    FlowEndFn on_end;
    void *end_ctx;
    FlowHooks hooks;

    Flow **buckets;
    uint32_t nbuckets;

    Flow *spare; /* chained through hash_next */
    uint32_t spare_count;

    Flow *lru_head, *lru_tail; /* least recently active first */
    FlowHeap heap;

    uint64_t memuse;
    uint64_t active;
    uint64_t next_seq;
    bool emergency;
    FlowGetStatus status;
};

FlowProtoClass flow_proto_class(uint8_t proto)
{
    switch (proto) {
    case PROTO_TCP:
        return FLOW_PROTO_TCP;
    case PROTO_UDP:
        return FLOW_PROTO_UDP;
    case PROTO_ICMP:
        return FLOW_PROTO_ICMP;
    case PROTO_SCTP:
        return FLOW_PROTO_SCTP;
    default:
        return FLOW_PROTO_DEFAULT;
    }
}

/* ---- memory ---------------------------------------------------------- */

static void mem_add(FlowTable *ft, uint64_t n)
{
    ft->memuse += n;
    ctr_add(ft->ctr, CTR_FLOW_MEMUSE, n);
}

static void mem_sub(FlowTable *ft, uint64_t n)
{
    ft->memuse -= n;
    ctr_sub(ft->ctr, CTR_FLOW_MEMUSE, n);
}

static Flow *spare_take(FlowTable *ft)
{
    Flow *f = ft->spare;
    if (f) {
        ft->spare = f->hash_next;
        ft->spare_count--;
        f->hash_next = NULL;
    }
    return f;
}

/* Returns a flow's memory: to the spare pool while it holds fewer than
 * prealloc flows, else to the system. */
static void recycle(FlowTable *ft, Flow *f)
{
    flow_macs_free(f);
    memset(f, 0, sizeof(*f));
    if (ft->spare_count < ft->cfg.prealloc) {
        f->hash_next = ft->spare;
        ft->spare = f;
        ft->spare_count++;
    } else {
        free(f);
        mem_sub(ft, sizeof(Flow));
    }
}

/* ---- timeouts -------------------------------------------------------- */

static uint32_t state_timeout(const FlowTimeouts *t, FlowState s)
{
    switch (s) {
    case FLOW_STATE_NEW:
        return t->new_timeout;
    case FLOW_STATE_ESTABLISHED:
        return t->est_timeout;
    case FLOW_STATE_CLOSED:
        return t->closed_timeout;
    case FLOW_STATE_LOCAL_BYPASSED:
        return t->bypassed_timeout;
    }
    return t->new_timeout;
}

/* Shortest timeout f could have in any state it may reach before its next
 * packet (closed only for TCP; its current state in any case). */
static uint32_t min_timeout(const FlowTimeouts *t, const Flow *f)
{
    uint32_t m = state_timeout(t, f->state);
    uint32_t candidates[3] = { t->new_timeout, t->est_timeout, t->closed_timeout };
    unsigned n = f->proto == PROTO_TCP ? 3 : 2;
    for (unsigned i = 0; i < n; i++)
        if (candidates[i] < m)
            m = candidates[i];
    return m;
}

/* Suricata's test: timed out when the second of `now` is past the last
 * packet's second plus the timeout; in emergency mode also when it reaches
 * the last second plus the emergency timeout. */
static bool flow_expired(const FlowTable *ft, const Flow *f, OdTime now)
{
    FlowProtoClass c = flow_proto_class(f->proto);
    int64_t sec = OD_TIME_SEC(now), last = OD_TIME_SEC(f->last);
    if (sec > last + (int64_t)state_timeout(&ft->cfg.timeouts[c], f->state))
        return true;
    return ft->emergency && sec >= last + (int64_t)state_timeout(&ft->cfg.emerg_timeouts[c], f->state);
}

/* Suricata 8's test when a packet finds its flow (FlowIsTimedOut): timed
 * out when the packet's time, to the microsecond, has reached the last
 * packet's time plus the timeout of the flow's state (the emergency timeout
 * in emergency mode). Sharper than the sweep's whole seconds: a flow idle
 * for 30.8 s of a 30 s timeout ends here even within the same second. */
static bool flow_expired_for_packet(const FlowTable *ft, const Flow *f, OdTime pkt_ts)
{
    FlowProtoClass c = flow_proto_class(f->proto);
    const FlowTimeouts *t = ft->emergency ? &ft->cfg.emerg_timeouts[c] : &ft->cfg.timeouts[c];
    return pkt_ts >= f->last + OD_TIME_FROM_SEC(state_timeout(t, f->state));
}

/* First second at which flow_expired can be true: exactly for the flow's
 * current state, or a lower bound valid for any state it may enter. */
static int64_t deadline(const FlowTable *ft, const Flow *f, bool any_state)
{
    FlowProtoClass c = flow_proto_class(f->proto);
    int64_t last = OD_TIME_SEC(f->last);
    const FlowTimeouts *tn = &ft->cfg.timeouts[c], *te = &ft->cfg.emerg_timeouts[c];
    int64_t d = last + 1 + (any_state ? min_timeout(tn, f) : state_timeout(tn, f->state));
    if (ft->emergency) {
        int64_t de = last + (any_state ? min_timeout(te, f) : state_timeout(te, f->state));
        if (de < d)
            d = de;
    }
    return d;
}

/* ---- lists ----------------------------------------------------------- */

/* Maps a hash onto [0, nbuckets) by multiplication instead of division
 * (any bucket count works, no divide on the packet path). */
static uint32_t bucket_of(const FlowTable *ft, uint32_t hash)
{
    return (uint32_t)(((uint64_t)hash * ft->nbuckets) >> 32);
}

static void bucket_unlink(FlowTable *ft, Flow *f)
{
    Flow **pp = &ft->buckets[bucket_of(ft, f->hash)];
    while (*pp && *pp != f)
        pp = &(*pp)->hash_next;
    if (*pp)
        *pp = f->hash_next;
    f->hash_next = NULL;
}

static void lru_unlink(FlowTable *ft, Flow *f)
{
    if (f->lru_prev)
        f->lru_prev->lru_next = f->lru_next;
    else
        ft->lru_head = f->lru_next;
    if (f->lru_next)
        f->lru_next->lru_prev = f->lru_prev;
    else
        ft->lru_tail = f->lru_prev;
    f->lru_prev = f->lru_next = NULL;
}

static void lru_append(FlowTable *ft, Flow *f)
{
    f->lru_next = NULL;
    f->lru_prev = ft->lru_tail;
    if (ft->lru_tail)
        ft->lru_tail->lru_next = f;
    else
        ft->lru_head = f;
    ft->lru_tail = f;
}

/* ---- ending flows ---------------------------------------------------- */

static const struct {
    const char *name;
    CounterId ctr;
} tcp_state_counters[] = {
    { "none", CTR_FLOW_END_TCP_STATE_NONE },
    { "syn_sent", CTR_FLOW_END_TCP_STATE_SYN_SENT },
    { "syn_recv", CTR_FLOW_END_TCP_STATE_SYN_RECV },
    { "established", CTR_FLOW_END_TCP_STATE_ESTABLISHED },
    { "fin_wait1", CTR_FLOW_END_TCP_STATE_FIN_WAIT1 },
    { "fin_wait2", CTR_FLOW_END_TCP_STATE_FIN_WAIT2 },
    { "time_wait", CTR_FLOW_END_TCP_STATE_TIME_WAIT },
    { "last_ack", CTR_FLOW_END_TCP_STATE_LAST_ACK },
    { "close_wait", CTR_FLOW_END_TCP_STATE_CLOSE_WAIT },
    { "closing", CTR_FLOW_END_TCP_STATE_CLOSING },
    { "closed", CTR_FLOW_END_TCP_STATE_CLOSED },
};

static void count_end(FlowTable *ft, const Flow *f)
{
    static const CounterId state_ctr[] = {
        [FLOW_STATE_NEW] = CTR_FLOW_END_STATE_NEW,
        [FLOW_STATE_ESTABLISHED] = CTR_FLOW_END_STATE_ESTABLISHED,
        [FLOW_STATE_CLOSED] = CTR_FLOW_END_STATE_CLOSED,
        [FLOW_STATE_LOCAL_BYPASSED] = CTR_FLOW_END_STATE_LOCAL_BYPASSED,
    };
    if ((unsigned)f->state < sizeof(state_ctr) / sizeof(state_ctr[0]))
        ctr_inc(ft->ctr, state_ctr[f->state]);
    if (f->proto == PROTO_TCP && ft->hooks.tcp_state_name) {
        const char *name = ft->hooks.tcp_state_name(f);
        for (size_t i = 0; name && i < sizeof(tcp_state_counters) / sizeof(tcp_state_counters[0]); i++) {
            if (strcmp(name, tcp_state_counters[i].name) == 0) {
                ctr_inc(ft->ctr, tcp_state_counters[i].ctr);
                break;
            }
        }
    }
    ctr_sub(ft->ctr, CTR_FLOW_ACTIVE, 1);
}

/* Takes f out of the table, counts it and hands it to the owner; the
 * memory is left to the caller. */
static void end_unlinked(FlowTable *ft, Flow *f, FlowEndReason reason)
{
    bucket_unlink(ft, f);
    lru_unlink(ft, f);
    flow_heap_remove(&ft->heap, f);
    ft->active--;
    f->end_reason = reason;
    f->end_emergency = ft->emergency;
    count_end(ft, f);
    if (ft->on_end)
        ft->on_end(ft->end_ctx, f);
}

void flow_table_end_flow(FlowTable *ft, Flow *f, FlowEndReason reason)
{
    end_unlinked(ft, f, reason);
    recycle(ft, f);
}

/* ---- emergency mode -------------------------------------------------- */

static void enter_emergency(FlowTable *ft)
{
    ft->emergency = true;
    ctr_inc(ft->ctr, CTR_FLOW_EMERG_MODE_ENTERED);
    for (uint32_t i = 0; i < ft->heap.len; i++)
        ft->heap.slot[i].key = deadline(ft, ft->heap.slot[i].flow, true);
    flow_heap_rebuild(&ft->heap);
}

static void check_recovery(FlowTable *ft)
{
    if (!ft->emergency)
        return;
    bool recovered;
    if (ft->cfg.prealloc > 0)
        recovered = (uint64_t)ft->spare_count * 100 / ft->cfg.prealloc > ft->cfg.emergency_recovery;
    else
        recovered = ft->memuse <= ft->cfg.memcap / 100 * (100 - ft->cfg.emergency_recovery);
    if (recovered) {
        ft->emergency = false;
        ctr_inc(ft->ctr, CTR_FLOW_EMERG_MODE_OVER);
    }
}

/* Suricata's StillAlive: a flow seen within the last 1 s (new), 5 s
 * (established), 3 s (closed) or 30 s (other) is not evicted. */
static bool still_alive(const Flow *f, OdTime now)
{
    int64_t idle = OD_TIME_SEC(now) - OD_TIME_SEC(f->last);
    switch (f->state) {
    case FLOW_STATE_NEW:
        return idle <= 1;
    case FLOW_STATE_ESTABLISHED:
        return idle <= 5;
    case FLOW_STATE_CLOSED:
        return idle <= 3;
    default:
        return idle < 30;
    }
}

/* Ends the least recently active evictable flow with reason "forced" and
 * returns its (zeroed) memory, or NULL when the first candidates are all
 * still alive. */
static Flow *evict_used(FlowTable *ft, OdTime now)
{
    Flow *f = ft->lru_head;
    for (int tries = 0; f && tries < FLOW_EVICT_TRIES; tries++, f = f->lru_next) {
        if (still_alive(f, now))
            continue;
        end_unlinked(ft, f, FLOW_END_FORCED);
        memset(f, 0, sizeof(*f));
        return f;
    }
    return NULL;
}

/* ---- lookup and creation --------------------------------------------- */

static Flow *find(FlowTable *ft, const FlowKey *k)
{
    for (Flow *f = ft->buckets[bucket_of(ft, (uint32_t)k->hash)]; f; f = f->hash_next)
        if (flow_key_match(f, k))
            return f;
    return NULL;
}

static void count_new(FlowTable *ft, uint8_t proto)
{
    ctr_inc(ft->ctr, CTR_FLOW_TOTAL);
    ctr_inc(ft->ctr, CTR_FLOW_ACTIVE);
    switch (proto) {
    case PROTO_TCP:
        ctr_inc(ft->ctr, CTR_FLOW_TCP);
        break;
    case PROTO_UDP:
        ctr_inc(ft->ctr, CTR_FLOW_UDP);
        break;
    case PROTO_ICMP:
        ctr_inc(ft->ctr, CTR_FLOW_ICMPV4);
        break;
    case PROTO_ICMPV6:
        ctr_inc(ft->ctr, CTR_FLOW_ICMPV6);
        break;
    }
}

static Flow *create(FlowTable *ft, const FlowKey *k, const Packet *p)
{
    /* Suricata's FlowCreateCheck in emergency mode */
    if (ft->emergency && p->proto == PROTO_TCP && ft->cfg.midstream &&
        (p->tcp.flags & (TH_SYN | TH_ACK | TH_RST | TH_FIN)) != TH_SYN) {
        ft->status = FLOW_GET_REFUSED;
        return NULL;
    }

    Flow *f = spare_take(ft);
    if (f == NULL && ft->memuse + sizeof(Flow) <= ft->cfg.memcap) {
        f = calloc(1, sizeof(*f));
        if (f)
            mem_add(ft, sizeof(Flow));
    }
    if (f == NULL) {
        if (!ft->emergency)
            enter_emergency(ft);
        f = evict_used(ft, p->ts);
        if (f == NULL) {
            ctr_inc(ft->ctr, CTR_FLOW_MEMCAP);
            ctr_inc(ft->ctr, CTR_FLOW_GET_USED_FAILED);
            ft->status = FLOW_GET_MEMCAP;
            return NULL;
        }
        ctr_inc(ft->ctr, CTR_FLOW_GET_USED);
    }

    flow_key_to_flow(k, p, f);
    f->start = f->last = p->ts;
    f->state = FLOW_STATE_NEW;
    f->flow_id = flow_id_make(k->hash, p->ts);
    f->seq_no = ft->next_seq++;
    if (!flow_heap_push(&ft->heap, f, deadline(ft, f, true))) {
        recycle(ft, f);
        ctr_inc(ft->ctr, CTR_FLOW_MEMCAP);
        ft->status = FLOW_GET_MEMCAP;
        return NULL;
    }
    uint32_t b = bucket_of(ft, f->hash);
    f->hash_next = ft->buckets[b];
    ft->buckets[b] = f;
    lru_append(ft, f);
    ft->active++;
    count_new(ft, f->proto);
    return f;
}

/* Suricata's FlowGetPacketDirection (flow.c). */
static bool packet_to_server(const Flow *f, const Packet *p)
{
    switch (p->proto) {
    case PROTO_TCP:
    case PROTO_UDP:
    case PROTO_SCTP:
        if (p->sp != p->dp)
            return f->sp == p->sp;
        return flow_address_equal(&f->src, &p->src_addr);
    case PROTO_ICMP:
    case PROTO_ICMPV6:
        return flow_address_equal(&f->src, &p->src_addr);
    default:
        return true;
    }
}

static bool is_icmp4_error(const Packet *p)
{
    if (p->proto != PROTO_ICMP || p->ip_version != 4)
        return false;
    uint8_t t = p->icmp_type;
    return t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
}

static void update_ttl(uint8_t *min, uint8_t *max, uint8_t ttl)
{
    if (*min == 0 || ttl < *min)
        *min = ttl;
    if (ttl > *max)
        *max = ttl;
}

/* Suricata's FlowHandlePacketUpdate: accounts p to f and fills in the
 * packet's flow fields. */
static void account(FlowTable *ft, Flow *f, Packet *p)
{
    bool to_server = packet_to_server(f, p);
    bool counts_as_seen = !is_icmp4_error(p);
    uint8_t ttl = p->ip_version == 4 ? p->ip4.ttl : p->ip6.hop_limit;
    bool new_second = false;

    if (p->ts > f->last) {
        new_second = OD_TIME_SEC(p->ts) != OD_TIME_SEC(f->last);
        f->last = p->ts;
    }
    if (to_server) {
        f->pkts_toserver++;
        f->bytes_toserver += p->len;
        if (counts_as_seen)
            f->seen_toserver = true;
        if (p->proto == PROTO_TCP)
            f->tcp_flags_ts |= p->tcp.flags;
        update_ttl(&f->min_ttl_toserver, &f->max_ttl_toserver, ttl);
    } else {
        f->pkts_toclient++;
        f->bytes_toclient += p->len;
        if (counts_as_seen)
            f->seen_toclient = true;
        if (p->proto == PROTO_TCP)
            f->tcp_flags_tc |= p->tcp.flags;
        update_ttl(&f->min_ttl_toclient, &f->max_ttl_toclient, ttl);
        if (f->proto == PROTO_ICMP || f->proto == PROTO_ICMPV6)
            f->icmp_reply_seen = true;
    }

    bool established = false;
    if (f->state == FLOW_STATE_ESTABLISHED) {
        established = true;
    } else if (f->proto == PROTO_TCP && f->state == FLOW_STATE_CLOSED) {
        established = true; /* past the handshake, closing (Suricata: ssn state >= established) */
    } else if (f->proto != PROTO_TCP && f->state == FLOW_STATE_NEW && f->seen_toserver && f->seen_toclient) {
        f->state = FLOW_STATE_ESTABLISHED;
        established = true;
    }

    p->flow = f;
    p->to_server = to_server;
    p->flow_established = established;
    if (ft->cfg.track_macs && p->has_ether)
        flow_macs_add(f, p->src_mac, p->dst_mac, to_server);

    if (new_second && f != ft->lru_tail) {
        lru_unlink(ft, f);
        lru_append(ft, f);
    }
    int64_t bound = deadline(ft, f, true);
    if (flow_heap_key(&ft->heap, f) > bound)
        flow_heap_rekey(&ft->heap, f, bound);
}

Flow *flow_table_get(FlowTable *ft, Packet *p)
{
    p->flow = NULL;
    p->flow_established = false;
    ft->status = FLOW_GET_OK;

    FlowKey k;
    FlowKeyUse use = flow_key_from_packet(p, ft->cfg.vlan_use_for_tracking, ft->cfg.recursion_use_for_tracking, &k);
    if (use == FLOW_KEY_NONE) {
        ft->status = FLOW_GET_UNTRACKED;
        return NULL;
    }

    Flow *f = find(ft, &k);
    if (f && flow_expired_for_packet(ft, f, p->ts)) {
        flow_table_end_flow(ft, f, FLOW_END_TIMEOUT);
        f = NULL;
    } else if (f && p->proto == PROTO_TCP && ft->hooks.tcp_reuse &&
               ft->hooks.tcp_reuse(ft->hooks.ctx, f, p, packet_to_server(f, p))) {
        ctr_inc(ft->ctr, CTR_FLOW_TCP_REUSE);
        flow_table_end_flow(ft, f, FLOW_END_TCP_REUSE);
        f = NULL;
    }
    if (f == NULL) {
        if (use == FLOW_KEY_LOOKUP_ONLY) {
            ft->status = FLOW_GET_UNTRACKED;
            return NULL;
        }
        f = create(ft, &k, p);
        if (f == NULL)
            return NULL;
    }
    account(ft, f, p);
    return f;
}

FlowGetStatus flow_table_last_status(const FlowTable *ft)
{
    return ft->status;
}

/* ---- time and end of input ------------------------------------------- */

void flow_table_timeout(FlowTable *ft, OdTime now)
{
    int64_t sec = OD_TIME_SEC(now), key;
    Flow *f;
    while ((f = flow_heap_top(&ft->heap, &key)) != NULL && key <= sec) {
        ctr_inc(ft->ctr, CTR_FLOW_MGR_FLOWS_CHECKED);
        if (flow_expired(ft, f, now)) {
            ctr_inc(ft->ctr, CTR_FLOW_MGR_FLOWS_TIMEOUT);
            ctr_inc(ft->ctr, CTR_FLOW_MGR_FLOWS_EVICTED);
            flow_table_end_flow(ft, f, FLOW_END_TIMEOUT);
        } else {
            /* not due in its real state: exact deadline, > sec */
            flow_heap_rekey(&ft->heap, f, deadline(ft, f, false));
        }
    }
    check_recovery(ft);
}

bool flow_table_timeout_due(const FlowTable *ft, OdTime now)
{
    int64_t key;
    if (ft->emergency)
        return true;
    return flow_heap_top(&ft->heap, &key) != NULL && key <= OD_TIME_SEC(now);
}

void flow_table_set_next_seq(FlowTable *ft, uint64_t next)
{
    ft->next_seq = next;
}

static int by_seq(const void *a, const void *b)
{
    const Flow *fa = *(const Flow *const *)a, *fb = *(const Flow *const *)b;
    return fa->seq_no < fb->seq_no ? -1 : fa->seq_no > fb->seq_no;
}

void flow_table_shutdown(FlowTable *ft)
{
    size_t n = (size_t)ft->active, i = 0;
    Flow **all = n ? malloc(n * sizeof(*all)) : NULL;
    if (all == NULL) {
        /* no room to sort: end them in order of activity instead */
        while (ft->lru_head)
            flow_table_end_flow(ft, ft->lru_head, FLOW_END_SHUTDOWN);
        return;
    }
    for (Flow *f = ft->lru_head; f && i < n; f = f->lru_next)
        all[i++] = f;
    qsort(all, i, sizeof(*all), by_seq);
    for (size_t j = 0; j < i; j++)
        flow_table_end_flow(ft, all[j], FLOW_END_SHUTDOWN);
    free(all);
}

/* ---- life cycle ------------------------------------------------------ */

FlowTable *flow_table_new(const FlowConfig *cfg, Counters *ctr, FlowEndFn on_end, void *ctx)
{
    if (cfg->hash_size == 0) {
        od_error("flow.hash-size must be at least 1");
        return NULL;
    }
    uint64_t bucket_mem = (uint64_t)cfg->hash_size * sizeof(Flow *);
    uint64_t prealloc_mem = (uint64_t)cfg->prealloc * sizeof(Flow);
    if (bucket_mem + prealloc_mem > cfg->memcap) {
        od_error("flow.memcap (%llu bytes) is smaller than the flow hash (%u buckets) and %u "
                 "preallocated flows need (%llu bytes)",
                 (unsigned long long)cfg->memcap, cfg->hash_size, cfg->prealloc,
                 (unsigned long long)(bucket_mem + prealloc_mem));
        return NULL;
    }

    FlowTable *ft = calloc(1, sizeof(*ft));
    if (ft == NULL)
        return NULL;
    ft->cfg = *cfg;
    if (ft->cfg.emergency_recovery < 1 || ft->cfg.emergency_recovery > 100)
        ft->cfg.emergency_recovery = 30;
    ft->ctr = ctr;
    ft->on_end = on_end;
    ft->end_ctx = ctx;
    ft->nbuckets = cfg->hash_size;
    ft->buckets = calloc(cfg->hash_size, sizeof(Flow *));
    if (ft->buckets == NULL) {
        free(ft);
        return NULL;
    }
    mem_add(ft, bucket_mem);
    for (uint32_t i = 0; i < cfg->prealloc; i++) {
        Flow *f = calloc(1, sizeof(*f));
        if (f == NULL) {
            flow_table_free(ft);
            return NULL;
        }
        mem_add(ft, sizeof(Flow));
        f->hash_next = ft->spare;
        ft->spare = f;
        ft->spare_count++;
    }
    return ft;
}

void flow_table_set_hooks(FlowTable *ft, const FlowHooks *hooks)
{
    if (hooks)
        ft->hooks = *hooks;
    else
        memset(&ft->hooks, 0, sizeof(ft->hooks));
}

void flow_table_free(FlowTable *ft)
{
    if (ft == NULL)
        return;
    Flow *f = ft->lru_head;
    while (f) {
        Flow *next = f->lru_next;
        flow_macs_free(f);
        free(f);
        mem_sub(ft, sizeof(Flow));
        ctr_sub(ft->ctr, CTR_FLOW_ACTIVE, 1);
        f = next;
    }
    while ((f = spare_take(ft)) != NULL) {
        free(f);
        mem_sub(ft, sizeof(Flow));
    }
    mem_sub(ft, (uint64_t)ft->nbuckets * sizeof(Flow *));
    flow_heap_free(&ft->heap);
    free(ft->buckets);
    free(ft);
}

uint64_t flow_table_active(const FlowTable *ft)
{
    return ft->active;
}

uint64_t flow_table_memuse(const FlowTable *ft)
{
    return ft->memuse;
}

bool flow_table_in_emergency(const FlowTable *ft)
{
    return ft->emergency;
}
