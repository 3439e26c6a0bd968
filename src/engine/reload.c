/*
 * Rule reload (contract in reload.h): the reloader thread, the engine
 * hand-over to the workers and the freeing of replaced engines.
 *
 * Hand-over: the reloader stores the new engine, then the generation
 * (release); a worker reads the generation, then the engine (acquire), so
 * a worker that sees the new generation uses the new engine. The reloader
 * frees the replaced engine only after every worker slot shows the new
 * generation: from then on no worker holds a pointer into it. Workers pass
 * a packet boundary at least every capture poll interval (100 ms), so the
 * wait is short even on a quiet link.
 */
#include "engine/reload.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detect/keyword.h"
#include "util/log.h"
#include "util/time.h"

/* ---- the rules' sources and the load itself ---- */

static RuleSource rule_source;
static RuleLoadStats initial_stats;
static time_t initial_load_time;
static bool rule_source_set;

void reload_set_rule_source(const RuleSource *src, const RuleLoadStats *initial)
{
    rule_source = *src;
    if (initial)
        initial_stats = *initial;
    initial_load_time = time(NULL);
    rule_source_set = true;
}

DetectEngine *reload_build_engine(RuleLoadStats *st, RuleFailedFn on_failed, void *ctx, Conf **conf_out,
                                  char *why, size_t whylen)
{
    memset(st, 0, sizeof(*st));
    *conf_out = NULL;
    if (!rule_source_set) {
        snprintf(why, whylen, "no rule sources recorded");
        return NULL;
    }
    Conf *conf = rule_source.conf;
    if (rule_source.reload_conf) {
        conf = rule_source.reload_conf(rule_source.reload_conf_ctx);
        if (!conf) {
            snprintf(why, whylen, "the configuration could not be read");
            return NULL;
        }
        if (conf_errors(conf) > 0) {
            snprintf(why, whylen, "the configuration has %d invalid value(s)", conf_errors(conf));
            conf_free(conf);
            return NULL;
        }
    }
    keywords_init();
    DetectEngine *de = detect_engine_new(conf);
    if (!de) {
        snprintf(why, whylen, "out of memory");
        if (conf != rule_source.conf)
            conf_free(conf);
        return NULL;
    }
    de->ips = rule_source.ips;
    RuleLoadOptions ro = { .exclusive = rule_source.exclusive, .extra = rule_source.extra,
                           .extra_count = rule_source.extra_count };
    rules_set_failure_hook(on_failed, ctx);
    rules_load_all(de, conf, &ro, st);
    rules_set_failure_hook(NULL, NULL);
    if (st->missing_files > 0) {
        snprintf(why, whylen, "%d rule file(s) could not be read", st->missing_files);
    } else if (st->failed > 0 && st->loaded == 0) {
        snprintf(why, whylen, "%d rule(s) failed to load and none loaded", st->failed);
    } else if (st->failed > 0 && rule_source.errors_fatal) {
        snprintf(why, whylen, "%d rule(s) failed to load and --init-errors-fatal is set", st->failed);
    } else if (!detect_engine_build(de)) {
        snprintf(why, whylen, "the detection engine could not be built");
    } else {
        *conf_out = conf != rule_source.conf ? conf : NULL;
        return de;
    }
    detect_engine_free(de);
    if (conf != rule_source.conf)
        conf_free(conf);
    return NULL;
}

/* ---- the reloader ---- */

typedef struct FailedRule {
    char *rule, *file, *why;
    int line;
} FailedRule;

typedef struct FailedRules {
    FailedRule *v;
    uint32_t count, cap;
} FailedRules;

struct RuleReloader {
    _Atomic(const DetectEngine *) current;
    atomic_uint generation;
    atomic_uint *worker_gen; /* per worker: generation it runs */
    uint32_t nworkers;
    DetectEngine *owned; /* == current; the reloader's to free */
    Conf *owned_conf; /* the configuration `owned` was built with, when read again */
    pthread_t thread;
    bool thread_started;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    /* under lock */
    bool stop, busy;
    uint64_t requested, finished; /* reload tickets */
    bool last_ok;
    char last_why[512];
    RulesetInfo info;
    FailedRules failed;
};

static void failed_rules_clear(FailedRules *fr)
{
    for (uint32_t i = 0; i < fr->count; i++) {
        free(fr->v[i].rule);
        free(fr->v[i].file);
        free(fr->v[i].why);
    }
    free(fr->v);
    memset(fr, 0, sizeof(*fr));
}

static void failed_rule_note(void *ctx, const char *file, int line, const char *why, const char *rule)
{
    FailedRules *fr = ctx;
    if (fr->count == fr->cap) {
        uint32_t ncap = fr->cap ? fr->cap * 2 : 16;
        FailedRule *n = realloc(fr->v, ncap * sizeof(*n));
        if (!n)
            return;
        fr->v = n;
        fr->cap = ncap;
    }
    FailedRule *e = &fr->v[fr->count];
    e->rule = strdup(rule);
    e->file = strdup(file);
    e->why = strdup(why);
    e->line = line;
    if (!e->rule || !e->file || !e->why) {
        free(e->rule);
        free(e->file);
        free(e->why);
        return;
    }
    fr->count++;
}

/* The start-up load's failed rules, collected before the reloader exists. */
static FailedRules initial_failed;

void reload_initial_failure_hook(void)
{
    rules_set_failure_hook(failed_rule_note, &initial_failed);
}

/* Waits until every worker runs generation `gen` or has stopped. */
static void wait_for_workers(RuleReloader *r, uint32_t gen)
{
    for (;;) {
        bool all = true;
        for (uint32_t k = 0; k < r->nworkers; k++) {
            uint32_t g = atomic_load_explicit(&r->worker_gen[k], memory_order_acquire);
            if (g != gen && g != RELOADER_WORKER_GONE)
                all = false;
        }
        if (all)
            return;
        usleep(10000);
    }
}

/* One reload: build, publish, wait, free the old engine. */
static void reload_once(RuleReloader *r)
{
    RuleLoadStats st;
    FailedRules failed = { 0 };
    char why[512] = "";
    od_notice("rule reload: loading the rules");
    Conf *conf = NULL;
    DetectEngine *de = reload_build_engine(&st, failed_rule_note, &failed, &conf, why, sizeof(why));
    if (de && !detect_engine_succeed(de, r->owned))
        od_warn("rule reload: out of memory mapping the rules; open flows forget which rules alerted");
    bool ok = de != NULL;
    if (ok) {
        DetectEngine *old = r->owned;
        Conf *old_conf = r->owned_conf;
        uint32_t gen = de->generation;
        atomic_store_explicit(&r->current, de, memory_order_release);
        atomic_store_explicit(&r->generation, gen, memory_order_release);
        wait_for_workers(r, gen);
        r->owned = de;
        r->owned_conf = conf;
        detect_engine_free(old);
        conf_free(old_conf);
        od_notice("rule reload: done; engine %u in use (%d rules loaded, %d failed, %d skipped)", gen, st.loaded,
                  st.failed, st.skipped);
    } else {
        od_error("rule reload failed: %s; the rules in use stay", why);
    }
    pthread_mutex_lock(&r->lock);
    if (ok) {
        r->info.id = de->generation;
        r->info.last_reload = time(NULL);
        r->info.loaded = st.loaded;
        r->info.failed = st.failed;
        r->info.skipped = st.skipped;
        r->info.reloads_ok++;
        failed_rules_clear(&r->failed);
        r->failed = failed;
    } else {
        r->info.reloads_failed++;
        failed_rules_clear(&r->failed); /* what the failed load reported */
        r->failed = failed;
    }
    r->last_ok = ok;
    snprintf(r->last_why, sizeof(r->last_why), "%s", ok ? "done" : why);
    pthread_mutex_unlock(&r->lock);
}

static void *reloader_main(void *arg)
{
    RuleReloader *r = arg;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (!r->stop && r->requested == r->finished)
            pthread_cond_wait(&r->cond, &r->lock);
        if (r->requested == r->finished)
            break; /* stop, nothing pending */
        r->busy = true;
        pthread_mutex_unlock(&r->lock);
        reload_once(r);
        pthread_mutex_lock(&r->lock);
        r->busy = false;
        r->finished = r->requested;
        pthread_cond_broadcast(&r->cond);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

RuleReloader *reloader_new(DetectEngine *initial, uint32_t nworkers)
{
    RuleReloader *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->worker_gen = calloc(nworkers ? nworkers : 1, sizeof(*r->worker_gen));
    if (!r->worker_gen) {
        free(r);
        return NULL;
    }
    r->nworkers = nworkers;
    r->owned = initial;
    atomic_store(&r->current, initial);
    atomic_store(&r->generation, initial ? initial->generation : 0);
    for (uint32_t k = 0; k < nworkers; k++)
        atomic_store(&r->worker_gen[k], initial ? initial->generation : 0);
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->cond, NULL);
    r->info.id = initial ? initial->generation : 0;
    r->info.last_reload = time(NULL);
    r->info.loaded = initial_stats.loaded;
    r->info.failed = initial_stats.failed;
    r->info.skipped = initial_stats.skipped;
    r->failed = initial_failed;
    memset(&initial_failed, 0, sizeof(initial_failed));
    r->last_ok = true;
    return r;
}

void reloader_start(RuleReloader *r)
{
    if (!reloader_current(r) || r->thread_started)
        return;
    if (pthread_create(&r->thread, NULL, reloader_main, r) == 0)
        r->thread_started = true;
    else
        od_warn("rule reload: cannot start the reloader thread; reloads are off");
}

void reloader_free(RuleReloader *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->lock);
    r->stop = true;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    for (uint32_t k = 0; k < r->nworkers; k++)
        atomic_store(&r->worker_gen[k], RELOADER_WORKER_GONE);
    if (r->thread_started)
        pthread_join(r->thread, NULL);
    detect_engine_free(r->owned);
    conf_free(r->owned_conf);
    failed_rules_clear(&r->failed);
    pthread_cond_destroy(&r->cond);
    pthread_mutex_destroy(&r->lock);
    free(r->worker_gen);
    free(r);
}

uint32_t reloader_generation(const RuleReloader *r)
{
    return atomic_load_explicit(&r->generation, memory_order_acquire);
}

const DetectEngine *reloader_current(const RuleReloader *r)
{
    return atomic_load_explicit(&r->current, memory_order_acquire);
}

void reloader_worker_at(RuleReloader *r, uint32_t k, uint32_t gen)
{
    if (k < r->nworkers)
        atomic_store_explicit(&r->worker_gen[k], gen, memory_order_release);
}

bool reloader_request(RuleReloader *r, uint64_t *ticket, char *why, size_t whylen)
{
    if (!r->thread_started) {
        snprintf(why, whylen, "%s", reloader_current(r) ? "the reloader is not running" : "detection is disabled");
        return false;
    }
    pthread_mutex_lock(&r->lock);
    bool ok = !r->busy && r->requested == r->finished && !r->stop;
    if (ok) {
        *ticket = ++r->requested;
        pthread_cond_broadcast(&r->cond);
    } else {
        snprintf(why, whylen, "Reload already in progress");
    }
    pthread_mutex_unlock(&r->lock);
    return ok;
}

bool reloader_wait(RuleReloader *r, uint64_t ticket, char *why, size_t whylen)
{
    pthread_mutex_lock(&r->lock);
    while (r->finished < ticket && !(r->stop && !r->busy && r->requested != r->finished))
        pthread_cond_wait(&r->cond, &r->lock);
    bool ok = r->finished >= ticket && r->last_ok;
    snprintf(why, whylen, "%s", r->finished >= ticket ? r->last_why : "shutting down");
    pthread_mutex_unlock(&r->lock);
    return ok;
}

void reloader_info(RuleReloader *r, RulesetInfo *info)
{
    pthread_mutex_lock(&r->lock);
    *info = r->info;
    info->busy = r->busy || r->requested != r->finished;
    pthread_mutex_unlock(&r->lock);
}

void reloader_failed_rules_json(RuleReloader *r, JsonBuf *j, const char *key)
{
    pthread_mutex_lock(&r->lock);
    jb_open_array(j, key);
    for (uint32_t i = 0; i < r->failed.count; i++) {
        const FailedRule *e = &r->failed.v[i];
        jb_open_object(j, NULL);
        jb_uint(j, "tenant_id", 0);
        jb_str(j, "rule", e->rule);
        jb_str(j, "filename", e->file);
        jb_int(j, "line", e->line);
        jb_str(j, "error", e->why);
        jb_close_object(j);
    }
    jb_close_array(j);
    pthread_mutex_unlock(&r->lock);
}

static void engines_json(JsonBuf *j, uint32_t id, time_t last_reload, int loaded, int failed, int skipped)
{
    char when[64];
    jb_open_array(j, NULL);
    jb_open_object(j, NULL);
    jb_uint(j, "id", id);
    jb_str(j, "last_reload", od_time_format((OdTime)last_reload * OD_USEC_PER_SEC, when, sizeof(when)));
    jb_int(j, "rules_loaded", loaded);
    jb_int(j, "rules_failed", failed);
    jb_int(j, "rules_skipped", skipped);
    jb_close_object(j);
    jb_close_array(j);
}

void reloader_engines_json(RuleReloader *r, JsonBuf *j)
{
    RulesetInfo info;
    reloader_info(r, &info);
    engines_json(j, info.id, info.last_reload, info.loaded, info.failed, info.skipped);
}

void reload_startup_engines_json(JsonBuf *j, uint32_t id)
{
    engines_json(j, id, initial_load_time, initial_stats.loaded, initial_stats.failed, initial_stats.skipped);
}
