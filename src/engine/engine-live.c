/*
 * The live run (contract in engine-live.h).
 *
 * Threads: each capture thread owns one source and one Worker and runs the
 * whole packet path for what its source gives it; with AF_PACKET the
 * kernel's fanout by flow hash is the distribution, so there is no reader
 * thread. With threading.set-cpu-affinity, capture thread k is pinned as
 * an offline run's worker k is (cpu-pin.h), as Suricata pins its workers.
 * A worker queues its records (RecordQueue) and writes the queue
 * every few packets or when the link is quiet, holding the output lock, so
 * lines of different threads never interleave. Lines of different threads
 * are not ordered against each other (there is no global packet order on a
 * live link).
 *
 * Time: packets carry the kernel's timestamps; when nothing arrives within
 * a poll interval the worker advances its clock to the wall clock, so
 * flows of a quiet link still time out. Each worker numbers its packets
 * with sequence numbers of its own residue class (index + k * threads),
 * which keeps the flows they create distinct across workers.
 *
 * Counters: a worker owns its Counters without locks; about once a second,
 * and when it stops, it adds the kernel's capture counters to them and
 * copies them to a snapshot under the output lock. The controlling thread
 * merges the snapshots for each stats record.
 *
 * Inline sources (NFQUEUE, AF_PACKET copy-mode): once the worker is done
 * with a packet, reject_verdict_apply gives the source its verdict and
 * sends any reject reply (engine/reject-verdict.h).
 *
 * Signals: SIGINT, SIGTERM, SIGHUP and SIGUSR2 are blocked in every
 * thread; the controlling thread takes them with sigtimedwait. A capture
 * thread that fails sends SIGTERM to the process so the same path shuts
 * everything down.
 *
 * Service (reload.h, control-socket.h, privileges.h): the run owns the
 * detection engine through a RuleReloader; SIGUSR2 asks it for a reload and
 * each capture thread takes a new engine at a packet boundary. The control
 * socket is opened and privileges are dropped after the captures are open
 * and before any thread starts.
 */
#include "engine/engine-live.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "app/app-layer.h"
#include "engine/control-socket.h"
#include "engine/cpu-pin.h"
#include "engine/privileges.h"
#include "engine/reject-verdict.h"
#include "engine/reload.h"
#include "engine/worker.h"
#include "output/eve-alert.h"
#include "util/log.h"

#define LIVE_POLL_MS 100
#define LIVE_WRITE_EVERY 64u /* packets between queue writes under traffic */
#define LIVE_SNAPSHOT_USEC OD_USEC_PER_SEC

static volatile sig_atomic_t offline_stop;

static void offline_stop_handler(int sig)
{
    (void)sig;
    offline_stop = 1;
}

void engine_stop_on_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = offline_stop_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

bool engine_stop_requested(void) { return offline_stop != 0; }

typedef struct LiveRun LiveRun;

typedef struct LiveThread {
    LiveRun *run;
    uint32_t index;
    CaptureSource *src;
    Worker w;
    RecordQueue q;
    Counters snapshot; /* guarded by run->out_lock */
    RunSummary part; /* packets and bytes; guarded by run->out_lock */
    pthread_t tid;
    bool started;
    uint32_t engine_gen; /* reload: generation of the engine the worker uses */
    bool inline_src; /* NFQUEUE or AF_PACKET copy-mode: a verdict per packet */
    RejectVerdict rv;
} LiveThread;

struct LiveRun {
    EngineConfig ec;
    Eve eve;
    FastLog fast;
    pthread_mutex_t out_lock;
    atomic_bool stop;
    atomic_bool failed;
    LiveThread *threads;
    uint32_t nthreads;
    RuleReloader *reloader; /* owns the detection engine */
    /* thresholds counted per host or per rule: one table for all threads,
     * as Suricata's (NULL without detection) */
    ThresholdState *thresh_shared;
    pthread_mutex_t thresh_lock;
    ControlSocket *ctl;
    const LiveOptions *opt;
};

static OdTime wall_now(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (OdTime)tv.tv_sec * OD_USEC_PER_SEC + tv.tv_usec;
}

/* Writes the thread's queued records (under the output lock). */
static void live_flush_queue(LiveThread *t)
{
    if (t->q.count == 0 && !t->q.out_of_memory)
        return;
    LiveRun *run = t->run;
    RecordQueue *qs[1] = { &t->q };
    pthread_mutex_lock(&run->out_lock);
    if (!record_queues_write(qs, 1, run->eve.file, run->fast.file))
        od_warn("live: writing output failed or records were lost for lack of memory");
    pthread_mutex_unlock(&run->out_lock);
}

/* Adds the kernel counters to the worker's and publishes a snapshot. */
static void live_publish_counters(LiveThread *t, uint64_t packets, uint64_t bytes)
{
    uint64_t kp = 0, kd = 0;
    if (live_capture_kernel_stats(t->src, &kp, &kd)) {
        ctr_add(&t->w.ctr, CTR_CAPTURE_KERNEL_PACKETS, kp);
        ctr_add(&t->w.ctr, CTR_CAPTURE_KERNEL_DROPS, kd);
    }
    pthread_mutex_lock(&t->run->out_lock);
    t->snapshot = t->w.ctr;
    t->part.packets = packets;
    t->part.bytes = bytes;
    pthread_mutex_unlock(&t->run->out_lock);
}

/* reload: takes the engine the reloader published. */
static void live_follow_reload(LiveThread *t)
{
    RuleReloader *r = t->run->reloader;
    uint32_t gen = reloader_generation(r);
    if (!worker_use_engine(&t->w, reloader_current(r)))
        od_error("live: out of memory taking the reloaded rules; thread %u runs without detection", t->index);
    t->engine_gen = gen;
    reloader_worker_at(r, t->index, gen);
}

static void *live_thread_main(void *arg)
{
    LiveThread *t = arg;
    LiveRun *run = t->run;
    cpu_pin_worker(&run->ec.threading, t->index); /* threading.set-cpu-affinity; nothing when off */
    Packet *p = packet_new();
    if (!p) {
        od_error("live: out of memory");
        atomic_store(&run->failed, true);
        kill(getpid(), SIGTERM);
        return NULL;
    }
    uint64_t local = 0, packets = 0, bytes = 0;
    uint32_t unwritten = 0;
    OdTime last_ts = wall_now(), next_snapshot = last_ts + LIVE_SNAPSHOT_USEC;
    while (!atomic_load(&run->stop)) {
        if (reloader_generation(run->reloader) != t->engine_gen) /* reload: at a packet boundary */
            live_follow_reload(t);
        int got = live_capture_next(t->src, p, LIVE_POLL_MS);
        if (got < 0) {
            od_error("%s", capture_error(t->src));
            atomic_store(&run->failed, true);
            kill(getpid(), SIGTERM);
            break;
        }
        OdTime now = got ? p->ts : wall_now();
        if (now > last_ts)
            last_ts = now;
        uint64_t seq = (++local) * run->nthreads + t->index;
        worker_advance_time(&t->w, seq, last_ts, NULL);
        if (got) {
            packets++;
            bytes += p->wire_len;
            worker_handle_packet(&t->w, seq, p);
            if (t->inline_src)
                reject_verdict_apply(&t->rv, t->src, &t->w, p);
            unwritten++;
        }
        if (!got || unwritten >= LIVE_WRITE_EVERY) {
            live_flush_queue(t);
            unwritten = 0;
        }
        OdTime wall = got ? wall_now() : now;
        if (wall >= next_snapshot) {
            live_publish_counters(t, packets, bytes);
            next_snapshot = wall + LIVE_SNAPSHOT_USEC;
        }
    }
    /* end every flow, as at the end of a capture file */
    worker_shutdown(&t->w, last_ts, NULL);
    reloader_worker_at(run->reloader, t->index, RELOADER_WORKER_GONE);
    live_flush_queue(t);
    live_publish_counters(t, packets, bytes);
    packet_free(p);
    return NULL;
}

/* The engine settings for a live link: checksum-checks of the capture
 * section replaces pcap-file.checksum-checks. "kernel" and "auto" do not
 * validate: on a live host, outgoing packets are captured before the NIC
 * (or veth peer) fills in their checksums. */
static void live_engine_config(EngineConfig *ec, const LiveOptions *opt)
{
    bool validate = opt->checksum == LIVE_CSUM_YES;
    ec->decode.checksum_validate = validate;
    if (!validate)
        ec->stream.checksum_validation = false;
}

/* Merges the snapshots and writes one stats record. */
static void live_write_stats(LiveRun *run, const EngineConfig *ec, time_t start, RunSummary *summary)
{
    Counters total;
    memset(&total, 0, sizeof(total));
    JsonBuf jb, engines;
    jb_init(&jb);
    jb_init(&engines);
    if (run->ec.detection_enabled && run->ec.detect) { /* reload: stats.detect.engines */
        reloader_engines_json(run->reloader, &engines);
        jb_append(&engines, "", 1);
    }
    pthread_mutex_lock(&run->out_lock);
    uint64_t packets = 0, bytes = 0;
    for (uint32_t k = 0; k < run->nthreads; k++) {
        counters_merge(&total, &run->threads[k].snapshot);
        packets += run->threads[k].part.packets;
        bytes += run->threads[k].part.bytes;
    }
    time_t now = time(NULL);
    run->eve.stats_detect_engines = engines.len ? engines.buf : NULL;
    eve_log_stats(&run->eve, &jb, &total, &ec->stats, wall_now(), (uint64_t)(now - start));
    run->eve.stats_detect_engines = NULL;
    if (run->eve.file)
        fflush(run->eve.file);
    pthread_mutex_unlock(&run->out_lock);
    jb_free(&jb);
    jb_free(&engines);
    if (summary) {
        summary->packets = packets;
        summary->bytes = bytes;
        summary->invalid = total.v[CTR_DECODER_INVALID];
        summary->alerts = total.v[CTR_DETECT_ALERT];
    }
}

/* SIGHUP: reopen both files at their paths (after logrotate moved them). */
static void live_reopen_outputs(LiveRun *run)
{
    char err[512];
    pthread_mutex_lock(&run->out_lock);
    if (!eve_reopen(&run->eve, err, sizeof(err)))
        od_error("%s", err);
    if (run->fast.file) {
        fclose(run->fast.file);
        run->fast.file = fopen(run->fast.path, "a");
        if (!run->fast.file)
            od_error("cannot reopen %s: %s", run->fast.path, strerror(errno));
    }
    pthread_mutex_unlock(&run->out_lock);
    if (!od_log_reopen_file())
        od_error("cannot reopen the log file: %s", strerror(errno));
    od_notice("SIGHUP: log files reopened");
}

static void live_flush_files(LiveRun *run)
{
    pthread_mutex_lock(&run->out_lock);
    if (run->eve.file)
        fflush(run->eve.file);
    if (run->fast.file)
        fflush(run->fast.file);
    pthread_mutex_unlock(&run->out_lock);
}

/* Opens the sources and workers; false after a message. */
static bool live_setup(LiveRun *run, Conf *conf, const LiveOptions *opt)
{
    char err[512];
    AppLayerConfig app_cfg;
    EveAlertConfig alert_cfg;
    worker_read_shared_config(conf, &app_cfg, &alert_cfg);
    run->threads = od_calloc_apart(run->nthreads, sizeof(*run->threads)); /* a Worker each: util/cache-line.h */
    if (!run->threads) {
        od_error("out of memory setting up the engine");
        return false;
    }
    const DetectEngine *de = run->ec.detection_enabled ? run->ec.detect : NULL;
    if (de) {
        run->thresh_shared = threshold_state_new(de->thresh_hash_size, de->thresh_memcap);
        if (!run->thresh_shared) {
            od_error("out of memory setting up the engine");
            return false;
        }
    }
    for (uint32_t k = 0; k < run->nthreads; k++) {
        LiveThread *t = &run->threads[k];
        t->run = run;
        t->index = k;
        record_queue_init(&t->q);
        reject_verdict_init(&t->rv);
        t->src = live_capture_open(opt, k, err, sizeof(err));
        if (!t->src) {
            od_error("%s", err);
            return false;
        }
        if (run->ec.bpf_filter && !capture_set_filter(t->src, run->ec.bpf_filter, err, sizeof(err))) {
            od_error("%s", err);
            return false;
        }
        if (!worker_init(&t->w, &run->ec, &run->eve, &run->fast, &app_cfg, &alert_cfg, k, run->nthreads)) {
            od_error("out of memory setting up the engine");
            return false;
        }
        worker_set_output(&t->w, &t->q);
        t->w.det.thresh_shared = run->thresh_shared;
        t->w.det.thresh_shared_lock = &run->thresh_lock;
        t->inline_src = live_capture_is_inline(t->src);
        t->w.eve.in_iface = live_capture_iface(t->src); /* copy mode: two interfaces */
    }
    return true;
}

static void live_teardown(LiveRun *run)
{
    for (uint32_t k = 0; run->threads && k < run->nthreads; k++) {
        LiveThread *t = &run->threads[k];
        if (t->src)
            worker_free(&t->w);
        capture_close(t->src);
        reject_verdict_free(&t->rv);
        record_queue_free(&t->q);
    }
    free(run->threads);
    run->threads = NULL;
}

/* SIGUSR2: a reload in the reloader's thread; this one does not wait. */
static void live_request_reload(LiveRun *run)
{
    char why[256];
    uint64_t ticket;
    if (!reloader_request(run->reloader, &ticket, why, sizeof(why)))
        od_warn("SIGUSR2: no rule reload: %s", why);
    else
        od_notice("SIGUSR2: rule reload started");
}

/* Waits for signals and the stats timer until SIGINT/SIGTERM. */
static void live_control_loop(LiveRun *run, const EngineConfig *ec, const sigset_t *sigs,
                              time_t start, int64_t stats_interval)
{
    time_t next_stats = start + stats_interval;
    for (;;) {
        struct timespec wait = { .tv_sec = 1, .tv_nsec = 0 };
        int sig = sigtimedwait(sigs, NULL, &wait);
        if (sig == SIGINT || sig == SIGTERM) {
            if (!atomic_load(&run->failed))
                od_notice("signal %s received: stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
            return;
        }
        if (sig == SIGHUP)
            live_reopen_outputs(run);
        if (sig == SIGUSR2)
            live_request_reload(run);
        live_flush_files(run);
        time_t now = time(NULL);
        if (stats_interval > 0 && now >= next_stats) {
            live_write_stats(run, ec, start, NULL);
            next_stats = now + stats_interval;
        }
    }
}

/* Control socket commands: the run's interfaces and counters. */
static void live_ctl_iface_names(void *ctx, JsonBuf *j)
{
    LiveRun *run = ctx;
    jb_str(j, NULL, run->opt->iface);
}

static bool live_ctl_iface_counters(void *ctx, const char *iface, uint64_t *pkts, uint64_t *drops)
{
    LiveRun *run = ctx;
    if (strcmp(iface, run->opt->iface) != 0)
        return false;
    pthread_mutex_lock(&run->out_lock);
    *pkts = *drops = 0;
    for (uint32_t k = 0; k < run->nthreads; k++) {
        *pkts += run->threads[k].part.packets;
        *drops += run->threads[k].snapshot.v[CTR_CAPTURE_KERNEL_DROPS];
    }
    pthread_mutex_unlock(&run->out_lock);
    return true;
}

static void live_ctl_counters(void *ctx, JsonBuf *j)
{
    LiveRun *run = ctx;
    Counters total;
    memset(&total, 0, sizeof(total));
    pthread_mutex_lock(&run->out_lock);
    for (uint32_t k = 0; k < run->nthreads; k++)
        counters_merge(&total, &run->threads[k].snapshot);
    pthread_mutex_unlock(&run->out_lock);
    for (int id = 0; id < CTR_MAX; id++)
        jb_uint(j, counter_name((CounterId)id), total.v[id]);
}

/* After the captures are open, before any thread starts: the control
 * socket, then the privilege drop. False after a message. */
static bool live_service_setup(LiveRun *run, Conf *conf, time_t start)
{
    ControlHandlers h = {
        .ctx = run, .iface_names = live_ctl_iface_names, .iface_counters = live_ctl_iface_counters,
        .counters = live_ctl_counters, .reloader = run->reloader, .start = start,
        .running_mode = "workers",
        .capture_mode = run->opt->kind == LIVE_AF_PACKET ? "AF_PACKET_DEV" : run->opt->kind == LIVE_PCAP ? "PCAP_DEV" : "NFQ",
    };
    bool failed = false;
    run->ctl = control_socket_open(conf, &h, &failed);
    if (failed)
        return false;
    RunAs ra;
    char err[512];
    run_as_read(conf, &ra);
    if (!privileges_drop(&ra, err, sizeof(err))) {
        od_error("%s", err);
        return false;
    }
    reloader_start(run->reloader); /* threads start with the reduced rights */
    return control_socket_start(run->ctl);
}

int engine_run_live(Conf *conf, const EngineConfig *ec, const LiveOptions *opt, RunSummary *summary)
{
    char err[512];
    memset(summary, 0, sizeof(*summary));
    time_t start = time(NULL);

    /* the signals are taken by sigtimedwait below, in this thread only */
    sigset_t sigs, old;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);

    LiveRun *run = calloc(1, sizeof(*run));
    RuleReloader *reloader = run ? reloader_new(ec->detect, live_thread_count(opt)) : NULL;
    if (!reloader) {
        od_error("out of memory");
        detect_engine_free(ec->detect); /* the run owns it (engine-live.h) */
        free(run);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return 1;
    }
    run->reloader = reloader;
    run->opt = opt;
    run->ec = *ec;
    live_engine_config(&run->ec, opt);
    run->nthreads = live_thread_count(opt);
    pthread_mutex_init(&run->out_lock, NULL);
    pthread_mutex_init(&run->thresh_lock, NULL);
    if (!eve_open(&run->eve, &run->ec.eve, err, sizeof(err)) ||
        !fast_log_open(&run->fast, conf, run->ec.log_dir, err, sizeof(err))) {
        od_error("%s", err);
        eve_close(&run->eve);
        reloader_free(run->reloader);
        pthread_mutex_destroy(&run->thresh_lock);
        pthread_mutex_destroy(&run->out_lock);
        free(run);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return 1;
    }
    run->eve.in_iface = opt->iface;
    run->eve.inline_ips = opt->kind == LIVE_NFQ || opt->copy_mode != LIVE_COPY_NONE;

    int rc = 0;
    if (!live_setup(run, conf, opt) || !live_service_setup(run, conf, start)) {
        rc = 1;
    } else {
        od_notice("capturing on %s%s%s with %s, %u thread%s", opt->iface, opt->peer ? " and " : "",
                  opt->peer ? opt->peer->iface : "",
                  opt->kind == LIVE_AF_PACKET ? "af-packet" : opt->kind == LIVE_NFQ ? "nfq" : "pcap", run->nthreads,
                  run->nthreads == 1 ? "" : "s");
        for (uint32_t k = 0; k < run->nthreads; k++) {
            LiveThread *t = &run->threads[k];
            if (pthread_create(&t->tid, NULL, live_thread_main, t) != 0) {
                od_error("cannot start capture thread %u", k);
                atomic_store(&run->failed, true);
                break;
            }
            t->started = true;
        }
        int64_t interval = 8;
        conf_get_int(conf, "stats.interval", &interval);
        if (!atomic_load(&run->failed))
            live_control_loop(run, &run->ec, &sigs, start, interval);
        atomic_store(&run->stop, true);
        for (uint32_t k = 0; k < run->nthreads; k++) {
            if (run->threads[k].started)
                pthread_join(run->threads[k].tid, NULL);
            else
                reloader_worker_at(run->reloader, k, RELOADER_WORKER_GONE);
        }
        live_write_stats(run, &run->ec, start, summary);
        for (uint32_t k = 0; k < run->nthreads; k++) {
            const RunSummary *part = &run->threads[k].w.part;
            summary->flows += part->flows;
            summary->flows_tcp += part->flows_tcp;
            summary->flows_udp += part->flows_udp;
            summary->flows_icmp += part->flows_icmp;
            summary->flows_other += part->flows_other;
            summary->anomalies += part->anomalies;
        }
        if (atomic_load(&run->failed))
            rc = 1;
    }
    control_socket_close(run->ctl);
    live_teardown(run);
    threshold_state_free(run->thresh_shared); /* after the workers */
    reloader_free(run->reloader); /* after the workers: frees the engine */
    fast_log_close(&run->fast);
    eve_close(&run->eve);
    pthread_mutex_destroy(&run->out_lock);
    pthread_mutex_destroy(&run->thresh_lock);
    free(run);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}
