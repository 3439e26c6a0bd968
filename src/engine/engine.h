/*
 * The engine: runs packets through the stages (decode -> flow -> stream ->
 * app layer -> detect -> outputs) and owns the per-run state.
 *
 * `EngineConfig` gathers every stage's settings, read once from the
 * configuration tree (engine-config.c, threading-config.c). A `Worker`
 * (worker.h) owns everything mutable a packet touches -- counters, flow
 * table, defrag table, stream memory, JSON buffer -- so several workers never
 * share mutable state. `engine_run_offline` reads a capture file or folder
 * with one worker (runmode single, in the calling thread) or N worker
 * threads that each read it and take their own flows (workers/autofp,
 * worker-feed.h); the output is the same bytes either way (worker-pool.h,
 * output/record-queue.h).
 */
#ifndef ODLAR_ENGINE_ENGINE_H
#define ODLAR_ENGINE_ENGINE_H

#include <stdbool.h>

#include "conf/conf.h"
#include "decode/decode.h"
#include "defrag/defrag.h"
#include "flow/flow-table.h"
#include "output/eve.h"
#include "output/fast-log.h"
#include "stream/stream.h"

#define ENGINE_MAX_WORKERS 64

#define THREADING_MAX_CPUS 1024u /* cpu_set_t's CPU_SETSIZE */

typedef struct ThreadingConfig {
    char runmode[16]; /* single, workers or autofp */
    bool single; /* one worker, in the calling thread */
    uint32_t workers; /* worker threads (1 when single) */
    /* threading.set-cpu-affinity: the workers' CPUs (worker-cpu-set, in
     * list order; `cpu_count` 0: not pinned), and whether each worker gets
     * one of them (mode exclusive, Suricata's default) or all of them
     * (balanced) */
    uint16_t cpus[THREADING_MAX_CPUS];
    uint32_t cpu_count;
    bool cpu_exclusive;
} ThreadingConfig;

/* Reads `runmode` and the worker count (threading-config.c). */
bool threading_config_read(Conf *conf, ThreadingConfig *tc, char *err, size_t errlen);

typedef struct EngineConfig {
    char log_dir[4096];
    DecodeConfig decode;
    DefragConfig defrag;
    FlowConfig flow;
    StreamConfig stream;
    EveConfig eve;
    StatsSettings stats;
    ExceptionPolicies exceptions; /* every target's policy, resolved for IDS/IPS */
    ThreadingConfig threading;
    bool detection_enabled;
    bool tcp_data_log; /* outputs.tcp-data (tcp-data-log.h): workers queue the reassembled data */
    const char *bpf_filter;
    /* added by the detection core: the built, read-only detection engine
     * (NULL: no detection); owned by the caller */
    struct DetectEngine *detect;
} EngineConfig;

/* Reads every stage's settings from `conf`. Returns false with a message in
 * err when a value is unusable. */
bool engine_config_read(Conf *conf, EngineConfig *ec, char *err, size_t errlen);

/* What a run did, for the summary printed at the end. */
typedef struct RunSummary {
    uint64_t packets, bytes, invalid;
    uint64_t flows, flows_tcp, flows_udp, flows_icmp, flows_other;
    uint64_t alerts;
    uint64_t anomalies;
    OdTime first_ts, last_ts;
    unsigned files;
} RunSummary;

/* Reads `input` (a capture file or a folder of captures) and processes every
 * packet. Returns 0 on success, non-zero after printing why it failed. */
int engine_run_offline(Conf *conf, const EngineConfig *ec, const char *input, RunSummary *summary);

#endif
