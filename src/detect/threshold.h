/*
 * Thresholding: deciding, once a signature has matched a packet, whether
 * the match raises an alert, is kept silent, or is dropped -- Suricata 8's
 * `threshold`, `detection_filter`, and threshold.config's `threshold` /
 * `event_filter`, `suppress` and `rate_filter`.
 *
 * Design. A ThresholdSpec is one parsed rule: the rule keywords produce one
 * (kw-threshold.c, on the signature's SIG_LIST_SUPPRESS list), and each
 * threshold.config entry produces one (threshold-config.c). When the engine
 * is built, threshold_plan_build() (threshold-config.h) combines the two for
 * every signature the way Suricata does: suppressions first, then the
 * thresholds, where an entry naming the signature exactly replaces the
 * rule's own threshold/detection_filter and a wildcard entry (sig_id 0 /
 * gen_id 0) skips signatures that already have one. The plan is read-only
 * and shared by all workers.
 *
 * The counting state: each worker owns a ThresholdState, a hash
 * table keyed by (gid, sid, tracking mode, tracked key) where the tracked key
 * is the source address (by_src), the destination (by_dst), the unordered
 * address pair (by_both), nothing (by_rule) or the flow id (by_flow). The
 * table has a memory cap; when it is reached the least recently used entry
 * is evicted (counted in ThresholdStats.evicted). Times are packet times.
 * Thresholds tracked by_src, by_dst or by_rule span address pairs, which
 * the workers share out: offline they are decided later on one table by
 * the output writer (a ThresholdTicket; engine/threshold-writer.h), live
 * on one table shared by the threads (detect.c's check_thresholds).
 *
 * The detect loop calls threshold_check() for every signature that matched,
 * in alert order, and acts on the verdict:
 *   THRESH_ALERT   the alert is raised and the rule's action applied;
 *   THRESH_SILENT  no alert is logged, but the rule's action (drop, reject,
 *                  pass) still applies -- suppressions, `limit` past its
 *                  count, `both` past its count, `backoff` between alerts;
 *   THRESH_NONE    the match is discarded: no alert and no action (before a
 *                  `threshold`/`both` count is reached, up to a
 *                  detection_filter's count).
 * Post-match keywords (flowbits, flowint, xbits...) run in all three cases,
 * as Suricata runs them before thresholding; only `tag` is skipped on
 * THRESH_NONE. A rate_filter leaves the verdict at THRESH_ALERT and, once
 * its rate is exceeded, sets ThresholdResult.action_modified with the new
 * action (alert, drop, reject, pass; `log` and `sdrop` change nothing, as in
 * Suricata); EVE then reports alert.action from the new action and a drop
 * caused this way has drop.reason "threshold detection_filter". Packets that
 * are neither IPv4 nor IPv6 are not thresholded (always THRESH_ALERT),
 * as in Suricata.
 *
 * Exact per-type rules (count C, window S seconds from the first match of the
 * window, a match at exactly first+S still inside):
 *   limit      first C matches of a window alert, the rest are silent;
 *   threshold  every C-th match of a window alerts (counter restarts);
 *   both       the C-th match of a window alerts, later ones are silent;
 *   backoff    (by_flow only, no window) matches number C, C*M, C*M*M...
 *              alert, the others are silent; before C none is seen at all
 *              when C > 1 (the first match is THRESH_NONE);
 *   detection_filter  matches after the C-th in a window alert;
 *   rate_filter  after more than C matches in a window the new action is
 *              applied for `timeout` seconds (whole seconds, as Suricata).
 */
#ifndef ODLAR_DETECT_THRESHOLD_H
#define ODLAR_DETECT_THRESHOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"
#include "util/time.h"

struct AddressSet;

typedef enum ThresholdType {
    THRESH_TYPE_LIMIT = 0,
    THRESH_TYPE_THRESHOLD,
    THRESH_TYPE_BOTH,
    THRESH_TYPE_BACKOFF,
    THRESH_TYPE_DETECTION, /* detection_filter */
    THRESH_TYPE_RATE, /* rate_filter */
    THRESH_TYPE_SUPPRESS, /* suppress with track/ip */
} ThresholdType;

typedef enum ThresholdTrack {
    THRESH_TRACK_SRC = 0,
    THRESH_TRACK_DST,
    THRESH_TRACK_BOTH, /* the unordered address pair */
    THRESH_TRACK_RULE,
    THRESH_TRACK_FLOW,
    THRESH_TRACK_EITHER, /* suppress only */
} ThresholdTrack;

typedef enum ThresholdAction {
    THRESH_ACTION_NONE = 0,
    THRESH_ACTION_ALERT,
    THRESH_ACTION_DROP,
    THRESH_ACTION_PASS,
    THRESH_ACTION_LOG,
    THRESH_ACTION_SDROP,
    THRESH_ACTION_REJECT,
} ThresholdAction;

/* Matches a packet address against a parsed address set (the suppress `ip`
 * list). Same shape as address_set_match / address_set_free in address.h. */
typedef bool (*ThresholdAddrMatch)(const struct AddressSet *set, const Address *a);
typedef void (*ThresholdAddrFree)(struct AddressSet *set);

typedef struct ThresholdSpec {
    ThresholdType type;
    ThresholdTrack track;
    uint32_t count;
    uint32_t seconds;
    uint32_t multiplier; /* backoff */
    uint32_t timeout; /* rate_filter */
    ThresholdAction new_action; /* rate_filter */
    /* suppress: the addresses (owned) and how to match/free them */
    struct AddressSet *addrs;
    ThresholdAddrMatch addr_match;
    ThresholdAddrFree addr_free;
    /* where it was written: "<rule>" or the threshold.config path and line */
    bool from_config;
    int line;
} ThresholdSpec;

/* Frees a spec and the addresses it owns. NULL is fine. */
void threshold_spec_free(ThresholdSpec *spec);
/* Names as written in rules: "limit", "by_src", "drop"... */
const char *threshold_type_name(ThresholdType t);
const char *threshold_track_name(ThresholdTrack t);
const char *threshold_action_name(ThresholdAction a);

typedef enum ThresholdVerdict {
    THRESH_NONE = 0, /* match discarded: no alert, no action */
    THRESH_ALERT = 1, /* alert and action */
    THRESH_SILENT = 2, /* action only, no alert logged */
} ThresholdVerdict;

typedef struct ThresholdResult {
    ThresholdVerdict verdict;
    bool action_modified; /* a rate_filter changed the action */
    ThresholdAction new_action; /* when action_modified */
} ThresholdResult;

/* Per-signature plan: what threshold_check() evaluates, in order. Built by
 * threshold_plan_build() (threshold-config.h); the specs are borrowed from
 * the signature (rule keywords) or from the ThresholdConfig. */
typedef struct ThresholdSigPlan {
    bool noalert; /* `suppress` without track: never alert (action still applies) */
    uint16_t suppress_count;
    uint16_t threshold_count;
    const ThresholdSpec **suppress;
    const ThresholdSpec **thresholds;
} ThresholdSigPlan;

typedef struct ThresholdStats {
    uint64_t entries; /* live entries */
    uint64_t memuse; /* bytes held by entries and buckets */
    uint64_t created; /* entries ever created */
    uint64_t evicted; /* entries evicted because the memcap was reached */
    uint64_t alloc_fail; /* entries that could not be created at all */
} ThresholdStats;

typedef struct ThresholdState ThresholdState;

/* What a threshold is counted on, taken from the matching packet: its
 * addresses (by_src, by_dst, by_both, suppress), its flow (by_flow) and
 * its time. threshold_check() fills one from the packet; a deferred check
 * (threshold_check_thresholds) gets one carried in a record. */
typedef struct ThresholdSubject {
    Address src, dst;
    bool has_flow;
    uint64_t flow_id;
    OdTime ts;
} ThresholdSubject;

/* Defaults of detect.thresholds.hash-size / memcap. */
#define THRESHOLD_DEFAULT_HASH_SIZE 16384
#define THRESHOLD_DEFAULT_MEMCAP (16ull * 1024 * 1024)

/* A worker's state table: `hash_size` buckets (rounded up to a power of
 * two, at least 16), entries capped at `memcap` bytes in all (buckets
 * included; a memcap below the bucket array still allows one entry).
 * NULL when memory runs out. */
ThresholdState *threshold_state_new(uint32_t hash_size, uint64_t memcap);
void threshold_state_free(ThresholdState *st);
const ThresholdStats *threshold_state_stats(const ThresholdState *st);

/* Evaluates one spec for signature (gid, sid) matching packet p at p->ts.
 * Suppress specs return THRESH_SILENT when an address is on the list, else
 * THRESH_ALERT. Fills res (verdict, rate_filter action change; res may be
 * NULL) and returns the verdict. No address/flow to track (by_flow without
 * a flow, by_src on a packet without addresses) gives THRESH_NONE, and so
 * does a table that cannot take a new entry, as Suricata. */
ThresholdVerdict threshold_apply(ThresholdState *st, const ThresholdSpec *spec, uint32_t gid, uint32_t sid,
                                 const Packet *p, ThresholdResult *res);

/* Evaluates a signature's whole plan (NULL plan: THRESH_ALERT): non-IP
 * packets are not thresholded; `noalert` makes the verdict THRESH_SILENT;
 * then suppressions, then thresholds, stopping at the first spec that
 * does not return THRESH_ALERT. res may be NULL. */
ThresholdVerdict threshold_check(ThresholdState *st, const ThresholdSigPlan *plan, uint32_t gid, uint32_t sid,
                                 const Packet *p, ThresholdResult *res);

/* A match whose thresholds are decided later (threshold_plan_spans_pairs
 * plans in offline runs): what the decision needs, and how many alerts
 * it raised provisionally. */
typedef struct ThresholdTicket {
    const ThresholdSigPlan *plan;
    uint32_t gid, sid;
    uint32_t alerts; /* alerts queued for the match (0: a noalert rule) */
    uint64_t flow_seq; /* with subj.flow_id: the flow (its creation order) */
    ThresholdSubject subj;
} ThresholdTicket;

/* The two halves of threshold_check(), for a check decided later in one
 * place (the offline writer, engine/threshold-writer.h): the first is
 * stateless (noalert, non-IP packets, suppressions) and returns
 * THRESH_ALERT when the thresholds still have to be asked; the second
 * evaluates the thresholds on st for subject `subj`. */
ThresholdVerdict threshold_check_suppressions(const ThresholdSigPlan *plan, const Packet *p, ThresholdResult *res);
ThresholdVerdict threshold_check_thresholds(ThresholdState *st, const ThresholdSigPlan *plan, uint32_t gid,
                                            uint32_t sid, const ThresholdSubject *subj, ThresholdResult *res);
/* The subject of packet p. */
void threshold_subject_of(ThresholdSubject *subj, const Packet *p);
/* True when the plan's thresholds count per host or per rule (by_src,
 * by_dst, by_rule) -- state that spans address pairs -- and none of them is
 * a rate_filter (whose new action must be known at once). Such plans can be
 * decided away from the packet, in packet order, by a deferred check. */
bool threshold_plan_spans_pairs(const ThresholdSigPlan *plan);
/* True when any of the plan's thresholds counts per host or per rule,
 * rate_filters included: what a live run counts on its shared table. */
bool threshold_plan_counts_hosts(const ThresholdSigPlan *plan);

/* Drops the entries whose window ended before `now` (host/rule tracking
 * only: by_flow entries live until evicted). Optional housekeeping, e.g.
 * once per second of packet time; returns how many were dropped. */
uint32_t threshold_state_expire(ThresholdState *st, OdTime now);

#endif
