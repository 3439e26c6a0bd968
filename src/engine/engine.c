/*
 * The offline run: the workers, each reading the capture for itself, and
 * the ordered writing of their output.
 *
 * Every worker reads the whole capture with its own reader and handles the
 * packets it owns, picked by address pair, a new pair going to the worker
 * that meets it first (worker-feed.h, worker-balance.h, pair-owners.h). The capture is cut into
 * rounds of ROUND_PACKETS packets; the calling thread waits for each round
 * in turn (worker-pool.h), writes its records, of all workers, in key order
 * (output/record-queue.h), and gives the slot back. The last round carries
 * the end of input: every worker then ends its remaining flows with reason
 * "shutdown". Last, the counters of all workers are summed into the final
 * stats record and the run summary.
 *
 * With runmode single the one worker runs in the calling thread and a
 * single slot is used; otherwise each worker is a thread. Both write the
 * same bytes for the same input: the workers see every packet's time (so
 * flows time out at the same packet), and records are ordered by packet,
 * then phase, then flow_id. Standard input can be read only once, so it is
 * read by one worker. Thresholds counted per host or per rule, which span
 * the workers' shares, are decided while writing, on one table
 * (threshold-writer.h), in single mode too: the same path either way.
 */
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app-layer.h"
#include "capture/capture.h"
#include "engine/engine-live.h"
#include "engine/pair-owners.h"
#include "engine/round-owners.h"
#include "engine/reload.h"
#include "engine/threshold-writer.h"
#include "engine/cpu-pin.h"
#include "engine/worker-pool.h"
#include "engine/worker-feed.h"
#include "engine/worker.h"
#include "output/pcap-log.h"
#include "output/tcp-data-log.h"
#include "output/eve-alert.h"
#include "util/log.h"
#include "util/time.h"

#define ROUND_PACKETS 512u
/* Rounds in flight: how far workers may run ahead of each other and of the
 * writer (a burst of one heavy flow, a descheduled thread on two cores, the
 * writer waking only once per batch of rounds, worker-pool.c). A slot holds
 * only the records of its round (the packets live in the workers), and the
 * pool also stops a worker that is ahead once the finished rounds hold
 * WORKER_POOL_HELD_BYTES of records. On the 1 GB corpus with ET Open and
 * two workers, 128 slots left each worker 0.7-1.0 s blocked on a full ring
 * (the pairs' heavy stretches do not coincide, and 65,536 packets of slack
 * were too few to absorb them) and the run took 7.2-7.3 s; 512 slots leave
 * 0.0-0.3 s blocked and take 6.2-6.6 s, holding at most 14-20 MiB of
 * records, peak RSS 161 -> 183-189 MB (`-v` prints both figures). */
#define ROUND_SLOTS_THREADED 512u

typedef struct Run {
    Worker *workers;
    WorkerFeed *feeds; /* one per worker: its reader of the capture */
    uint32_t nworkers;
    Round *slots;
    uint32_t nslots;
    WorkerPool *pool;
    RecordQueue **queues; /* scratch: one slot's queues, for writing */
    Eve *eve;
    FastLog *fast;
    TcpDataLog *tcp_data;
    PcapLog *pcap_log; /* conditional modes: written from the records */
    ThresholdWriter *thresholds; /* host- and rule-tracked thresholds; NULL: none */
    PairOwners *owners; /* which worker owns each address pair; NULL with one worker */
    RoundOwners *round_owners; /* each recent round's packet owners, once worked out; NULL with one worker */
    bool write_failed;
    const ThreadingConfig *pin; /* the workers' CPUs (threading.set-cpu-affinity); NULL: not pinned */
} Run;

static bool run_round(void *ctx, uint32_t k, Round *r, uint64_t round_no, bool stop)
{
    Run *run = ctx;
    if (round_no == 0 && run->pin) /* a worker's first round, in its own thread */
        cpu_pin_worker(run->pin, k);
    bool last = worker_feed_round(&run->feeds[k], &run->workers[k], k, &r->out[k].q, round_no, stop);
    if (k == 0)
        r->shutdown = last;
    return last;
}

static bool stop_requested(void)
{
    static bool said;
    if (!engine_stop_requested())
        return false;
    if (!said) {
        said = true;
        od_notice("signal received: stopping the read");
    }
    return true;
}

/* Waits for round `round_no`, writes its records and frees its slot;
 * returns true when it was the last round. */
static bool run_write_round(Run *run, uint64_t round_no)
{
    Round *r = &run->slots[round_no % run->nslots];
    worker_pool_wait(run->pool, round_no, stop_requested);
    for (uint32_t k = 0; k < run->nworkers; k++)
        run->queues[k] = &r->out[k].q;
    RecordOutputs out = { .files = { [RECORD_TARGET_EVE] = run->eve->file,
                                     [RECORD_TARGET_FAST] = run->fast->file,
                                     [RECORD_TARGET_TCP_DATA] = run->tcp_data ? run->tcp_data->file : NULL } };
    for (int k = 0; k < RECORD_EVE_MORE_MAX; k++) /* further eve-log outputs */
        out.files[RECORD_TARGET_EVE_MORE + k] = run->eve->more[k];
    if (run->pcap_log) {
        /* the first packet read names the file; worker 0 set first_ts in
         * round 0, finished before this wait returned */
        if (round_no == 0)
            pcap_log_set_name_time(run->pcap_log, run->feeds[0].first_ts);
        out.sinks[RECORD_TARGET_PCAP_LOG] = pcap_log_write_record;
        out.sink_ctx[RECORD_TARGET_PCAP_LOG] = run->pcap_log;
    }
    if (run->thresholds) {
        out.control = threshold_writer_answer;
        out.control_ctx = run->thresholds;
    }
    if (!record_queues_write_outputs(run->queues, (int)run->nworkers, &out))
        run->write_failed = true;
    bool last = r->shutdown;
    worker_pool_release(run->pool, round_no);
    return last;
}

/* Worker k > 0 gets a reader of its own; standard input cannot be read
 * twice, so then the run has one worker. */
static uint32_t open_readers(CaptureSource *src, CaptureSource **readers, uint32_t want)
{
    readers[0] = src;
    for (uint32_t k = 1; k < want; k++) {
        char err[512];
        readers[k] = capture_reopen_quiet(src, err, sizeof(err));
        if (!readers[k]) {
            od_info("%s: one worker reads it", err);
            for (uint32_t j = 1; j < k; j++)
                capture_close(readers[j]);
            return 1;
        }
    }
    return want;
}

static bool run_setup(Run *run, const EngineConfig *ec, Conf *conf, Eve *eve, FastLog *fast, PcapLog *pcap_log,
                      CaptureSource *src)
{
    memset(run, 0, sizeof(*run));
    run->eve = eve;
    run->fast = fast;
    uint32_t want = ec->threading.workers ? ec->threading.workers : 1;
    bool threaded = !ec->threading.single;
    if (!threaded)
        want = 1;
    CaptureSource **readers = calloc(want, sizeof(*readers));
    if (!readers) {
        capture_close(src);
        return false;
    }
    run->nworkers = open_readers(src, readers, want);
    run->nslots = threaded ? ROUND_SLOTS_THREADED : 1;
    if (ec->threading.cpu_count) /* single's worker too, in this thread */
        run->pin = &ec->threading;

    AppLayerConfig app_cfg;
    EveAlertConfig alert_cfg;
    worker_read_shared_config(conf, &app_cfg, &alert_cfg);

    run->workers = od_calloc_apart(run->nworkers, sizeof(*run->workers)); /* util/cache-line.h */
    run->feeds = od_calloc_apart(run->nworkers, sizeof(*run->feeds));
    run->slots = calloc(run->nslots, sizeof(*run->slots));
    run->queues = calloc(run->nworkers, sizeof(*run->queues));
    if (run->nworkers > 1) {
        run->owners = pair_owners_new(run->nworkers);
        run->round_owners = round_owners_new(run->nslots, ROUND_PACKETS); /* the pool's ring: see round-owners.h */
    }
    bool ok = run->workers && run->feeds && run->slots && run->queues &&
              (run->nworkers == 1 || (run->owners && run->round_owners));
    for (uint32_t k = 0; k < run->nworkers; k++) {
        if (ok && worker_feed_init(&run->feeds[k], readers[k], run->nworkers, ROUND_PACKETS, &ec->decode, run->owners,
                                   run->round_owners, k))
            continue;
        ok = false;
        if (run->feeds && run->feeds[k].src == readers[k])
            continue; /* taken over: freed with the feed */
        capture_close(readers[k]);
    }
    free(readers);
    if (!ok)
        return false;
    /* host- and rule-tracked thresholds go to the writer, except with
     * pcap-log's conditional modes, which decide per packet in the worker
     * whether it alerted (those thresholds then count per worker) */
    const DetectEngine *de = ec->detection_enabled ? ec->detect : NULL;
    if (de && de->tplan && !(pcap_log->enabled && pcap_log->conditional != PCAP_LOG_COND_ALL)) {
        run->thresholds = threshold_writer_new(de->thresh_hash_size, de->thresh_memcap);
        if (!run->thresholds)
            return false;
    }
    for (uint32_t k = 0; k < run->nworkers; k++) {
        if (!worker_init(&run->workers[k], ec, eve, fast, &app_cfg, &alert_cfg, k, run->nworkers))
            return false;
        run->workers[k].det.defer_spanning = run->thresholds != NULL;
        run->workers[k].count_ips_verdicts = ec->stream.inline_mode; /* --simulate-ips */
        if (pcap_log->enabled && pcap_log->conditional != PCAP_LOG_COND_ALL) {
            run->workers[k].pcap_log_cond = pcap_log->conditional;
            run->workers[k].st.keep_segment_headers = true;
        }
    }
    for (uint32_t s = 0; s < run->nslots; s++) {
        if (!round_init(&run->slots[s], run->nworkers))
            return false;
    }
    if (pcap_log->enabled && pcap_log->conditional != PCAP_LOG_COND_ALL)
        run->pcap_log = pcap_log; /* the workers queue what qualifies */
    else
        run->feeds[0].pcap_log = pcap_log; /* worker 0 reads every packet, in order */
    run->pool = worker_pool_start(run->nworkers, run->slots, run->nslots, threaded, run_round, run);
    return run->pool != NULL;
}

static void run_teardown(Run *run)
{
    worker_pool_stop(run->pool);
    for (uint32_t k = 0; run->workers && k < run->nworkers; k++)
        worker_free(&run->workers[k]);
    for (uint32_t k = 0; run->feeds && k < run->nworkers; k++)
        worker_feed_free(&run->feeds[k]);
    for (uint32_t s = 0; run->slots && s < run->nslots; s++)
        round_free(&run->slots[s], run->nworkers);
    free(run->workers);
    free(run->feeds);
    free(run->slots);
    free(run->queues);
    pair_owners_free(run->owners);
    round_owners_free(run->round_owners);
    threshold_writer_free(run->thresholds);
}

int engine_run_offline(Conf *conf, const EngineConfig *ec, const char *input, RunSummary *summary)
{
    char err[512];
    memset(summary, 0, sizeof(*summary));
    time_t wall_start = time(NULL);

    CaptureSource *src = capture_open_offline(input, err, sizeof(err));
    if (!src) {
        od_error("%s", err);
        return 1;
    }
    if (ec->bpf_filter && !capture_set_filter(src, ec->bpf_filter, err, sizeof(err))) {
        od_error("%s", err);
        capture_close(src);
        return 1;
    }
    Eve eve;
    FastLog fast;
    TcpDataLog tcp_data;
    memset(&tcp_data, 0, sizeof(tcp_data));
    PcapLog pcap_log; /* worker 0's feed writes it, or the workers' records (conditional) */
    memset(&pcap_log, 0, sizeof(pcap_log));
    if (!eve_open(&eve, &ec->eve, err, sizeof(err)) || !fast_log_open(&fast, conf, ec->log_dir, err, sizeof(err)) ||
        !tcp_data_log_open(&tcp_data, conf, ec->log_dir, err, sizeof(err)) ||
        !pcap_log_open(&pcap_log, conf, ec->log_dir, err, sizeof(err))) {
        od_error("%s", err);
        capture_close(src);
        return 1;
    }
    eve.inline_ips = ec->stream.inline_mode; /* --simulate-ips: ips.* stats */
    Run run;
    if (!run_setup(&run, ec, conf, &eve, &fast, &pcap_log, src)) { /* src is the run's now */
        od_error("out of memory setting up the engine");
        run_teardown(&run);
        tcp_data_log_close(&tcp_data);
        pcap_log_close(&pcap_log);
        fast_log_close(&fast);
        eve_close(&eve);
        return 1;
    }
    run.tcp_data = &tcp_data;
    od_info("runmode %s with %u worker%s", ec->threading.runmode, run.nworkers, run.nworkers == 1 ? "" : "s");

    struct timespec writer_t0, writer_t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &writer_t0);
    for (uint64_t round_no = 0; !run_write_round(&run, round_no); round_no++)
        ;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &writer_t1);
    if (run.write_failed)
        od_error("writing the output failed (disk full, or no memory to hold records)");

    const WorkerFeed *lead = &run.feeds[0]; /* what the run read */
    int rc = lead->failed ? 1 : 0;
    summary->packets = lead->packets_read;
    summary->bytes = lead->bytes;
    summary->first_ts = lead->first_ts;
    summary->last_ts = lead->last_ts;
    if (lead->balance) {
        uint64_t all = 0;
        for (uint32_t k = 0; k < run.nworkers; k++)
            all += worker_balance_load(lead->balance, k);
        for (uint32_t k = 0; k < run.nworkers; k++)
            od_info("worker %u: %.1f%% of the work (%u address pairs in all), %.2f s of CPU, %.2f s waiting "
                    "for the writer, %.0f%% of rounds on owners another worker published", k,
                    all ? 100.0 * (double)worker_balance_load(lead->balance, k) / (double)all : 0.0,
                    pair_owners_count(run.owners), run.feeds[k].cpu_seconds, worker_pool_ring_wait_seconds(run.pool, k),
                    run.feeds[k].rounds ? 100.0 * (double)run.feeds[k].rounds_published / (double)run.feeds[k].rounds
                                        : 0.0);
        od_info("writer: %.2f s of CPU; records held for it: at most %.1f MiB",
                od_seconds_between(writer_t0, writer_t1),
                (double)worker_pool_held_max(run.pool) / 1048576.0);
    }

    Counters total;
    memset(&total, 0, sizeof(total));
    for (uint32_t k = 0; k < run.nworkers; k++) {
        const Worker *w = &run.workers[k];
        counters_merge(&total, &w->ctr);
        summary->flows += w->part.flows;
        summary->flows_tcp += w->part.flows_tcp;
        summary->flows_udp += w->part.flows_udp;
        summary->flows_icmp += w->part.flows_icmp;
        summary->flows_other += w->part.flows_other;
        summary->anomalies += w->part.anomalies;
    }
    if (run.thresholds) { /* what the writer's threshold decisions took back */
        total.v[CTR_DETECT_ALERT] -= threshold_writer_alerts_dropped(run.thresholds);
        total.v[CTR_DETECT_ALERTS_SUPPRESSED] += threshold_writer_suppressed(run.thresholds);
    }
    total.v[CTR_PCAP_LOG_WRITTEN] = pcap_log.packets_written; /* the log's own counts */
    total.v[CTR_PCAP_LOG_FILTERED_BPF] = pcap_log.packets_filtered;
    eve.pcap_log_on = pcap_log.enabled;
    summary->invalid = total.v[CTR_DECODER_INVALID];
    summary->files = capture_file_count(lead->src);
    summary->alerts = total.v[CTR_DETECT_ALERT];

    uint64_t uptime = (uint64_t)(time(NULL) - wall_start);
    JsonBuf jb, engines;
    jb_init(&jb);
    jb_init(&engines);
    if (ec->detection_enabled && ec->detect) { /* stats.detect.engines, as Suricata 8 writes it */
        reload_startup_engines_json(&engines, ec->detect->generation);
        jb_append(&engines, "", 1);
        eve.stats_detect_engines = engines.len ? engines.buf : NULL;
    }
    eve.pcap_filename = lead->last_file;
    eve_log_stats(&eve, &jb, &total, &ec->stats, summary->last_ts, uptime);
    eve.stats_detect_engines = NULL;
    jb_free(&engines);
    jb_free(&jb);
    run_teardown(&run);
    tcp_data_log_close(&tcp_data);
    pcap_log_close(&pcap_log);
    fast_log_close(&fast);
    eve_close(&eve);
    return rc;
}
