/*
 * The offline run: the reader loop, the hand-over to the workers and the
 * ordered writing of their output.
 *
 * The reading thread takes packets from the capture in order, numbers them
 * (their global sequence number, from 1), picks each one's worker by
 * address pair, giving a new pair to the least loaded worker
 * (worker-select.h, worker-balance.h), and fills rounds of up to ROUND_PACKETS packets in a ring
 * of round slots (worker-pool.h). Before refilling a slot it waits until
 * every worker finished the round in it and writes that round's records, of
 * all workers, in key order (output/record-queue.h). The last round carries
 * the end of input: every worker then ends its remaining flows with reason
 * "shutdown". Last, the counters of all workers are summed into the final
 * stats record and the run summary.
 *
 * With runmode single the one worker runs in the reading thread and a
 * single slot is used; otherwise each worker is a thread. Both write the
 * same bytes for the same input: the workers see every packet's time (so
 * flows time out at the same packet), and records are ordered by packet,
 * then phase, then flow_id.
 */
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app-layer.h"
#include "capture/capture.h"
#include "engine/checksum-auto.h"
#include "engine/engine-live.h"
#include "engine/reload.h"
#include "engine/worker-balance.h"
#include "engine/worker-pool.h"
#include "engine/worker-select.h"
#include "engine/worker.h"
#include "output/eve-alert.h"
#include "util/log.h"

#define ROUND_PACKETS 512u
/* Rounds in flight with workers: enough for a worker that fell behind (a
 * burst of one heavy flow, a descheduled thread on two cores) to catch up
 * while the others keep going. With 4 slots the 2-worker ET Open run of the
 * 1 GB corpus took 12.5 s, with 40-64 about 9.5-11.5 s (noisy machine);
 * 40 keeps its peak RSS near 240 MiB (each slot: 512 packets of up to 2 KiB
 * kept, and two record queues of up to 256 KiB kept). */
#define ROUND_SLOTS_THREADED 40u

/* The capture file names packets came from, kept for the whole run so that
 * records written later can still name them (pcap_filename). */
typedef struct FileNames {
    char **names;
    size_t count, cap;
} FileNames;

/* The stable copy of `name`: the last one when it did not change. */
static const char *file_names_intern(FileNames *fn, const char *name)
{
    if (fn->count && strcmp(fn->names[fn->count - 1], name) == 0)
        return fn->names[fn->count - 1];
    if (fn->count == fn->cap) {
        size_t cap = fn->cap ? fn->cap * 2 : 8;
        char **nn = realloc(fn->names, cap * sizeof(*nn));
        if (!nn)
            return NULL;
        fn->names = nn;
        fn->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return NULL;
    fn->names[fn->count++] = copy;
    return copy;
}

static void file_names_free(FileNames *fn)
{
    for (size_t i = 0; i < fn->count; i++)
        free(fn->names[i]);
    free(fn->names);
    memset(fn, 0, sizeof(*fn));
}

typedef struct Run {
    Worker *workers;
    uint32_t nworkers;
    Round *slots;
    uint32_t nslots;
    WorkerPool *pool;
    RecordQueue **queues; /* scratch: one slot's queues, for writing */
    WorkerBalance *balance; /* pair -> worker, with several workers */
    Eve *eve;
    FastLog *fast;
    bool write_failed;
} Run;

/* Waits for round `round_no` and writes its records. */
static void run_write_round(Run *run, uint64_t round_no)
{
    uint32_t slot = (uint32_t)(round_no % run->nslots);
    worker_pool_wait(run->pool, slot);
    for (uint32_t k = 0; k < run->nworkers; k++)
        run->queues[k] = &run->slots[slot].out[k];
    if (!record_queues_write(run->queues, (int)run->nworkers, run->eve->file, run->fast->file))
        run->write_failed = true;
}

static bool run_setup(Run *run, const EngineConfig *ec, Conf *conf, Eve *eve, FastLog *fast)
{
    memset(run, 0, sizeof(*run));
    run->eve = eve;
    run->fast = fast;
    run->nworkers = ec->threading.workers ? ec->threading.workers : 1;
    bool threaded = !ec->threading.single;
    if (!threaded)
        run->nworkers = 1;
    run->nslots = threaded ? ROUND_SLOTS_THREADED : 1;

    AppLayerConfig app_cfg;
    EveAlertConfig alert_cfg;
    worker_read_shared_config(conf, &app_cfg, &alert_cfg);

    run->workers = calloc(run->nworkers, sizeof(*run->workers));
    run->slots = calloc(run->nslots, sizeof(*run->slots));
    run->queues = calloc(run->nworkers, sizeof(*run->queues));
    if (!run->workers || !run->slots || !run->queues)
        return false;
    for (uint32_t k = 0; k < run->nworkers; k++) {
        if (!worker_init(&run->workers[k], ec, eve, fast, &app_cfg, &alert_cfg, k, run->nworkers))
            return false;
    }
    for (uint32_t s = 0; s < run->nslots; s++) {
        if (!round_init(&run->slots[s], ROUND_PACKETS, run->nworkers))
            return false;
    }
    if (run->nworkers > 1 && !(run->balance = worker_balance_new(run->nworkers)))
        return false;
    run->pool = worker_pool_start(run->workers, run->nworkers, run->slots, run->nslots, threaded);
    return run->pool != NULL;
}

static void run_teardown(Run *run)
{
    worker_pool_stop(run->pool);
    for (uint32_t k = 0; run->workers && k < run->nworkers; k++)
        worker_free(&run->workers[k]);
    for (uint32_t s = 0; run->slots && s < run->nslots; s++)
        round_free(&run->slots[s], run->nworkers);
    free(run->workers);
    free(run->slots);
    free(run->queues);
    worker_balance_free(run->balance);
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
    if (!eve_open(&eve, &ec->eve, err, sizeof(err)) || !fast_log_open(&fast, conf, ec->log_dir, err, sizeof(err))) {
        od_error("%s", err);
        capture_close(src);
        return 1;
    }
    Run run;
    if (!run_setup(&run, ec, conf, &eve, &fast)) {
        od_error("out of memory setting up the engine");
        run_teardown(&run);
        capture_close(src);
        fast_log_close(&fast);
        eve_close(&eve);
        return 1;
    }
    od_info("runmode %s with %u worker%s", ec->threading.runmode, run.nworkers, run.nworkers == 1 ? "" : "s");

    ChecksumAuto csum_auto; /* pcap-file.checksum-checks: auto */
    checksum_auto_init(&csum_auto, &ec->decode);
    FileNames names = { 0 };
    const char *last_file = NULL;
    uint64_t seq = 1, written = 0, round_no = 0;
    int rc = 0;
    for (bool end = false; !end; round_no++) {
        uint32_t slot = (uint32_t)(round_no % run.nslots);
        /* the slot's previous round must be out before it is refilled */
        while (written + run.nslots <= round_no)
            run_write_round(&run, written++);
        Round *r = &run.slots[slot];
        r->count = 0;
        r->first_seq = seq;
        while (r->count < r->capacity) {
            Packet *p = r->packets[r->count];
            /* SIGINT/SIGTERM: stop reading, end the flows as at the end */
            if (engine_stop_requested()) {
                od_notice("signal received: stopping the read");
                end = true;
                break;
            }
            int got = capture_next(src, p);
            if (got == 0) {
                end = true;
                break;
            }
            if (got < 0) {
                od_error("%s", capture_error(src));
                rc = 1;
                end = true;
                break;
            }
            const char *file = file_names_intern(&names, capture_current_file(src));
            if (file)
                last_file = file;
            p->csum_ignored = checksum_auto_packet(&csum_auto, p);
            if (summary->packets == 0)
                summary->first_ts = p->ts;
            if (p->ts > summary->last_ts)
                summary->last_ts = p->ts;
            summary->packets++;
            summary->bytes += p->wire_len;
            r->entries[r->count] = (RoundEntry){
                .p = p, .ts = p->ts, .pcap_file = last_file,
                .worker = run.balance ? worker_balance_pick(run.balance,
                                                            worker_select_hash(p->buf, p->len, p->datalink), p->len)
                                      : 0,
            };
            r->count++;
            seq++;
        }
        r->shutdown = end;
        r->last_ts = summary->last_ts;
        r->last_file = last_file;
        worker_pool_submit(run.pool, slot, round_no);
    }
    while (written < round_no)
        run_write_round(&run, written++);
    checksum_auto_free(&csum_auto);
    if (run.write_failed)
        od_error("writing the output failed (disk full, or no memory to hold records)");

    if (run.balance) {
        uint64_t all = 0;
        for (uint32_t k = 0; k < run.nworkers; k++)
            all += worker_balance_load(run.balance, k);
        for (uint32_t k = 0; k < run.nworkers; k++)
            od_info("worker %u: %.1f%% of the work (%u address pairs in all)", k,
                    all ? 100.0 * (double)worker_balance_load(run.balance, k) / (double)all : 0.0,
                    worker_balance_pairs(run.balance));
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
    summary->invalid = total.v[CTR_DECODER_INVALID];
    summary->files = capture_file_count(src);
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
    eve.pcap_filename = last_file;
    eve_log_stats(&eve, &jb, &total, &ec->stats, summary->last_ts, uptime);
    eve.stats_detect_engines = NULL;
    jb_free(&engines);
    jb_free(&jb);
    run_teardown(&run);
    file_names_free(&names);
    capture_close(src);
    fast_log_close(&fast);
    eve_close(&eve);
    return rc;
}
