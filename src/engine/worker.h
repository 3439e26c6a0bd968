/*
 * A worker: one thread's whole packet path over the flows it owns.
 *
 * A `Worker` owns everything mutable a packet touches -- counters, flow
 * table, defrag table, stream memory, application-layer and detection
 * thread state, its own copies of the EVE and fast.log outputs -- so workers
 * never share mutable state. Its output goes to a RecordQueue chosen by the
 * caller (worker_set_output), tagged with the packet's global sequence
 * number so the engine can write every worker's records in one order.
 *
 * Time: every worker is shown every packet's position and timestamp
 * (worker_advance_time), also for packets other workers handle, so its flows
 * time out at the same position as in a single-threaded run; only the
 * packets it owns go through the rest of the path (worker_handle_packet).
 */
#ifndef ODLAR_ENGINE_WORKER_H
#define ODLAR_ENGINE_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app-layer.h"
#include "detect/detect.h"
#include "engine/engine.h"
#include "engine/exception-verdict.h"
#include "output/eve-alert.h"
#include "output/pcap-log.h"
#include "output/record-queue.h"
#include "util/cache-line.h"

typedef struct Worker {
    _Alignas(OD_CACHE_PAIR) const EngineConfig *ec; /* no line shared with another worker's */
    Counters ctr;
    DecodeThread dt;
    DefragTable *defrag;
    FlowTable *flows;
    FlowConfig flow_cfg; /* this worker's share of the flow table sizes */
    DefragConfig defrag_cfg; /* and of the defrag hash size and memcap */
    StreamThread st;
    Eve eve; /* copy of the opened output, queueing into `out` */
    FastLog fast;
    RecordQueue *out;
    JsonBuf jb;
    OdTime now; /* time of the packet being processed */
    uint64_t seq; /* global sequence number of that packet */
    RecordPhase phase;
    OdTime shutdown_ts; /* timestamp of flow records written at shutdown */
    RunSummary part; /* flow and anomaly totals of this worker */
    /* detection (when ec->detect is set) */
    bool detect_on;
    DetectThread det;
    EveAlertConfig alert_cfg;
    /* application layer */
    AppLayerConfig app_cfg;
    AppLayerThread app;
    bool app_ready;
    /* exception policies applied to the packet being processed */
    ExceptionVerdict exc;
    /* --simulate-ips: count each packet's verdict as an inline source does
     * (set by the offline engine; live inline sources count their own) */
    bool count_ips_verdicts;
    /* defrag.memcap-policy: decoding the wire packet `root` ran into the
     * defrag memcap; the policy applies to it */
    const Packet *root;
    bool defrag_memcap_hit;
    /* pcap-log's conditional modes (set by the offline engine; ALL: the
     * feed writes pcap-log): the mode, and whether the wire packet being
     * handled (or one derived from it) is to be written */
    PcapLogCondition pcap_log_cond;
    bool pcap_log_hit;
} Worker;

/* Sets up worker `index` of `count` (the flow table gets its share of
 * flow.hash-size, flow.prealloc and flow.memcap, the defrag table its share
 * of defrag.hash-size and defrag.memcap, so memory use and the memuse
 * counters add up to a single worker's). `eve` and `fast` are the
 * opened outputs, copied. Returns false when out of memory. Call from one
 * thread at a time. */
bool worker_init(Worker *w, const EngineConfig *ec, const Eve *eve, const FastLog *fast,
                 const AppLayerConfig *app_cfg, const EveAlertConfig *alert_cfg, uint32_t index, uint32_t count);
/* Reads the application-layer and alert-output settings every worker of a
 * run shares (an unusable app-layer value is reported and its default kept). */
void worker_read_shared_config(Conf *conf, AppLayerConfig *app_cfg, EveAlertConfig *alert_cfg);

/* reload: from the next packet on, detect with `de` (at a packet
 * boundary, from the worker's thread). False when out of memory: the
 * worker then runs without detection, since its old engine goes away. */
bool worker_use_engine(Worker *w, const DetectEngine *de);

/* Where the following records go. */
void worker_set_output(Worker *w, RecordQueue *out);
/* Packet `seq` (of any worker) with timestamp `ts` from capture `pcap_file`
 * is next: ends the flows and fragments that time has expired. */
void worker_advance_time(Worker *w, uint64_t seq, OdTime ts, const char *pcap_file);
/* Whether worker_advance_time(w, .., ts, ..) would end anything. Another
 * worker's packet for which it is false can be passed over: nothing of
 * this worker changes at it. */
bool worker_time_due(const Worker *w, OdTime ts);
/* Runs packet `seq`, owned by this worker, through the path (call after
 * worker_advance_time for it). */
void worker_handle_packet(Worker *w, uint64_t seq, Packet *p);
/* End of input: ends every flow ("shutdown", records at `last_ts` with
 * pcap_filename `pcap_file`) and releases the thread-local state of the
 * calling thread. Call from the thread that ran the worker. */
void worker_shutdown(Worker *w, OdTime last_ts, const char *pcap_file);
/* Frees what is left (after worker_shutdown). */
void worker_free(Worker *w);

#endif
