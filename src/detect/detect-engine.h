/*
 * The detection engine (DetectEngine) and a worker's detection state
 * (DetectThread).
 *
 * A DetectEngine is built once from the loaded signatures and is read-only
 * afterwards, so every worker thread can share it. Building sorts the
 * signatures the way Suricata orders them (action: pass, drop, reject, alert,
 * or as the `action-order` setting lists them; then priority; then load
 * order), numbers them, picks each signature's
 * fast pattern and groups signatures by IP protocol and flow direction.
 *
 * Prefilter: a signature whose payload list has a usable content is only
 * inspected when its fast pattern occurs in the buffer. Building compiles,
 * per signature group, one multi-pattern database of the fast patterns
 * (prefilter.h); per packet each buffer is scanned once and only the
 * candidates it yields (plus the rules without a pattern) are evaluated.
 *
 * A DetectThread holds everything a worker mutates while inspecting: the
 * alert queue of the current packet (each alert with the action it was
 * applied with), the packet's verdict (pass, drop and why), counters,
 * scratch buffers.
 */
#ifndef ODLAR_DETECT_DETECT_ENGINE_H
#define ODLAR_DETECT_DETECT_ENGINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "conf/conf.h"
#include "detect/class-config.h"
#include "detect/mpm-cache.h"
#include "detect/option-cache.h"
#include "detect/port-grouping.h"
#include "detect/prefilter.h"
#include "detect/signature.h"
#include "detect/threshold-config.h"
#include "detect/threshold.h"
#include "engine/counters.h"

struct DetectEngine;
typedef struct DetectEngine DetectEngine;

/* A list of signature numbers (indexes into DetectEngine.sigs). */
typedef struct SigGroup {
    uint32_t *nums;
    uint32_t count;
} SigGroup;

struct DetectEngine {
    Conf *conf;
    ClassConfig *classes; /* owned; may be empty */
    Signature **sigs; /* owned, sorted, sigs[i]->num == i */
    uint32_t sig_count, sig_cap;
    /* gid:sid -> signature, to find duplicates while loading (open
     * addressing, power-of-two size, NULL = free) */
    Signature **by_id;
    uint32_t by_id_cap;
    /* groups[proto][dir]: dir 0 to_server, 1 to_client; sigs that may apply */
    SigGroup groups[256][2];
    Prefilter *prefilter; /* built with the engine; owned */
    /* packet options evaluated once per packet: how many distinct ones
     * (SigMatch.opt_id runs 1..option_ids), see option-cache.h */
    OptionCacheStats options;
    MpmCache mpm_cache; /* detect.sgh-mpm-caching settings and the last build's figures */
    PortGroupingConfig port_grouping; /* detect.profile, detect.grouping (port-grouping.h) */
    uint32_t packet_alert_max; /* packet-alert-max, default 15 */
    uint32_t recursion_limit; /* detect.inspection-recursion-limit, 3000 */
    bool guess_applayer_tx; /* detect.guess-applayer-tx (tx-guess.h) */
    uint8_t stream_tx_log_limit; /* detect.stream-tx-log-limit, 4 (tx-guess.h) */
    bool ips; /* --simulate-ips: drop rules block */
    bool built;
    /* verdict: signature order by action, from `action-order` (default
     * pass, drop, reject, alert); indexed by ActionRankSlot */
    uint8_t action_rank[4];
    /* per signature num: its app_proto (0 none), a compact copy so the
     * per-packet candidate loop skips other protocols' rules cheaply */
    uint16_t *sig_app_proto;
    /* threshold.config (owned; NULL when none) and every signature's
     * threshold plan (built with the engine; NULL when no rule is thresholded) */
    ThresholdConfig *thresholds;
    ThresholdPlan *tplan;
    uint32_t thresh_hash_size; /* detect.thresholds.hash-size */
    uint64_t thresh_memcap; /* detect.thresholds.memcap, per worker */
    /* reload: this engine's number (0 for the first, +1 per reload) and,
     * for flows inspected by the engine it replaced (generation - 1), the
     * signature number each old number has here (gid:sid lookup;
     * UINT32_MAX: gone). See src/detect/reload-flow.h. */
    uint32_t generation;
    uint32_t *prev_num_map;
    uint32_t prev_num_count;
};

/* A new, empty engine; reads packet-alert-max, the recursion limit and the
 * classification file from conf (conf may be NULL: defaults, no classes). */
DetectEngine *detect_engine_new(Conf *conf);
void detect_engine_free(DetectEngine *de);
/* The classification table, for the classtype keyword; may be NULL. */
const ClassConfig *detect_engine_classes(const DetectEngine *de);
/* What detect_engine_add did with a signature. */
typedef enum DetectAddResult {
    DETECT_ADD_OK,
    /* same gid:sid as a loaded rule with a lower rev: the new one replaced it */
    DETECT_ADD_REPLACED,
    /* same gid:sid as a loaded rule with the same or a higher rev: the new
     * one was dropped (Suricata's "Duplicate signature", a failed rule) */
    DETECT_ADD_DUPLICATE,
    DETECT_ADD_FAILED, /* out of memory or too many rules; dropped */
} DetectAddResult;

/* Adds a parsed signature (the engine owns it in every case). Duplicates
 * of gid:sid are resolved as Suricata's DetectEngineSignatureIsDuplicate
 * does: the higher rev wins and takes the new load position; on equal revs
 * the rule loaded first stays. */
DetectAddResult detect_engine_add(DetectEngine *de, Signature *s);
/* Sorts, numbers, chooses fast patterns, groups and builds the prefilter
 * (may be called again after more signatures were added). False when out
 * of memory. */
bool detect_engine_build(DetectEngine *de);
/* reload: numbers a freshly built engine as the successor of `old` and
 * maps old's signature numbers to its own by gid:sid. False when out of
 * memory (the map is then absent: flows forget their per-rule progress). */
bool detect_engine_succeed(DetectEngine *de, const DetectEngine *old);

/* A hole in a flow's raw stream window: `len` bytes never seen, just
 * before the byte at `pos` (alert payloads show it as "[len bytes missing]"). */
typedef struct DetectStreamGap {
    uint32_t pos, len;
} DetectStreamGap;

/* One alert of the current packet. */
#define DETECT_ALERT_STREAM (1u << 0) /* matched on the reassembled stream */
#define DETECT_ALERT_TX (1u << 1) /* buf: matched an app-layer transaction */
#define DETECT_ALERT_FRAME (1u << 2) /* frames: matched a frame of the flow */
#define DETECT_ALERT_TX_GUESSED (1u << 3) /* TX given by detect.guess-applayer-tx (EVE tx_guessed) */
/* frames: most frames one signature alerts on for one packet */
#define DETECT_FRAME_MAX_HITS 32
typedef struct DetectAlert {
    const Signature *s;
    uint8_t flags;
    int64_t frame_id; /* frames: with DETECT_ALERT_FRAME, the matching frame */
    uint32_t stream_off, stream_len; /* STREAM: window in the flow's stream buffer */
    uint64_t tx_id; /* buf: with DETECT_ALERT_TX, the matching transaction */
    SigAction action; /* verdict: the rule's action, or the one a rate_filter set */
    uint32_t ticket; /* provisional: 1 + its index in DetectThread.tickets; 0 decided */
} DetectAlert;

/* verdict: why a packet was dropped (EVE drop.reason) */
#define DETECT_DROP_REASON_NONE 0
#define DETECT_DROP_REASON_RULES 1 /* "rules" */
#define DETECT_DROP_REASON_FLOW 2 /* "flow drop": the flow was dropped before */
#define DETECT_DROP_REASON_THRESHOLD 3 /* "threshold detection_filter": rate_filter new_action */
/* exception policies (engine/exception-verdict.c), one per target */
#define DETECT_DROP_REASON_DEFRAG_MEMCAP 4 /* "defrag memcap" */
#define DETECT_DROP_REASON_STREAM_MEMCAP 5 /* "stream memcap" */
#define DETECT_DROP_REASON_STREAM_REASSEMBLY 6 /* "stream reassembly" */
#define DETECT_DROP_REASON_FLOW_MEMCAP 7 /* "flow memcap" */
#define DETECT_DROP_REASON_STREAM_MIDSTREAM 8 /* "stream midstream" */
#define DETECT_DROP_REASON_APPLAYER_ERROR 9 /* "applayer error" */
#define DETECT_DROP_REASON_EXCEPTION_FLOW_DROP 10 /* "exception policy flow drop": a later packet */
#define DETECT_DROP_REASON_STREAM_ERROR 11 /* "stream error": stream.drop-invalid */
#define DETECT_DROP_REASON_STREAM_URGENT 12 /* "stream urgent": stream.reassembly.urgent.policy drop */

/* verdict: the EVE name of a DETECT_DROP_REASON_* (NULL for NONE). */
const char *detect_drop_reason_name(uint8_t reason);

/* pcre captures: a value a signature's pcre captured into an alert, flow
 * or packet variable (pcre-match.h's PcreCaptureKind) on the current
 * packet, kept for that signature's alert record. */
#define DETECT_CAPTURES_MAX 16
#define DETECT_CAPTURE_VALUE_MAX 256
typedef struct DetectCapture {
    const struct Signature *s;
    uint8_t kind;
    const char *name;
    uint16_t len;
    uint8_t value[DETECT_CAPTURE_VALUE_MAX];
} DetectCapture;

typedef struct DetectThread {
    const DetectEngine *de;
    Counters *ctr; /* may be NULL (tests) */
    /* alert queue of the current packet, sorted by signature num */
    DetectAlert *alerts;
    uint32_t alert_count;
    uint32_t alert_cap; /* packet_alert_max */
    /* the packet verdict: a drop rule matched in IPS mode */
    bool drop;
    /* verdict: why (DETECT_DROP_REASON_*), and the first drop/reject
     * signature applied to the packet (Suricata's p->alerts.drop; NULL for a
     * flow drop), for EVE drop events */
    uint8_t drop_reason;
    const Signature *drop_sig;
    SigAction drop_action; /* drop_sig's action (a rate_filter may have set it) */
    /* a pass rule matched this packet */
    bool pass;
    /* inspection scratch */
    uint32_t recursion_left;
    /* inline raw inspection: stored stream bytes copied out (inline-raw.c) */
    uint8_t *inline_buf;
    uint32_t inline_cap;
    /* pcre captures of the current packet (reset with the verdict) */
    DetectCapture captures[DETECT_CAPTURES_MAX];
    uint32_t capture_count;
    /* stream buffer inspected for the current packet (for alert payload) */
    const uint8_t *stream_buf;
    uint32_t stream_len;
    /* the window's holes; gap positions count from stream_buf - stream_gap_base */
    const DetectStreamGap *stream_gaps;
    uint32_t stream_gap_count, stream_gap_base;
    /* IDS raw stream window (not inline): alerts show the stream's stored data */
    bool stream_ids;
    /* this worker's threshold/detection_filter/rate_filter state */
    ThresholdState *thresh;
    /* Thresholds counted per host or per rule (threshold_plan_spans_pairs)
     * span the workers' shares of the traffic. Offline (`defer_spanning`),
     * they are decided by the writer: the match's alerts are queued
     * provisionally and `tickets` (this packet's, reset with the verdict)
     * say what to decide (engine/threshold-writer.h). Live, they are
     * decided on one table shared by the threads (`thresh_shared`, under
     * `thresh_shared_lock`). Neither: this worker's own table. */
    bool defer_spanning;
    ThresholdTicket *tickets;
    uint32_t ticket_count, ticket_cap;
    uint32_t current_ticket; /* given to the alerts queued now */
    ThresholdState *thresh_shared;
    pthread_mutex_t *thresh_shared_lock;
    /* prefilter scratch: candidates of the current packet */
    PrefilterThread pf;
    /* verdicts of the current packet's cacheable packet options */
    OptionCacheThread opt_cache;
    /* transform scratch of app-layer buffer inspection (detect-app.c) */
    uint8_t *app_xform_owned;
    uint32_t app_xform_cap;
    /* --profile-rules: this thread's rule costs (NULL when off) */
    struct RuleProfile *prof;
    /* frames: the frames the current signature's frame keyword matched
     * (ids, and the transaction of each, -1 for none), reset per signature */
    struct {
        bool flow_end; /* the current packet is a flow-end pseudo packet */
        uint32_t count;
        int64_t ids[DETECT_FRAME_MAX_HITS];
        int64_t tx[DETECT_FRAME_MAX_HITS];
    } frame_hits;
} DetectThread;

bool detect_thread_init(DetectThread *dt, const DetectEngine *de, Counters *ctr);
void detect_thread_free(DetectThread *dt);
/* reload: moves dt onto engine `de` at a packet boundary: new scratch for
 * de's prefilter, the threshold state (keyed by gid:sid) carried over.
 * On failure (out of memory) dt is unchanged and false is returned. */
bool detect_thread_switch(DetectThread *dt, const DetectEngine *de);

/* verdict: EVE alert.action of an alert whose action is `a`. */
const char *detect_alert_action_name(const DetectEngine *de, SigAction a);

/* Action name for EVE alert.action given the engine mode. */
const char *detect_action_name(const DetectEngine *de, const Signature *s);

#endif
