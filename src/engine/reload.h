/*
 * Rule reload while traffic flows (SIGUSR2, the control socket's
 * reload-rules).
 *
 * A RuleReloader owns the detection engine of a live run. A reload builds
 * a new engine from the same rule sources (-S, -s, or the configuration's
 * rule-files; the classification, reference and threshold files are read
 * again) in the reloader's own thread, beside the engine in use, then
 * publishes it whole: it stores the engine pointer and bumps the
 * generation. Each worker looks at the generation at a packet boundary
 * (reloader_generation), takes the new engine (reloader_current) and
 * records the generation it now runs in its slot. The replaced engine is
 * freed once every slot shows the new generation or RELOADER_WORKER_GONE
 * (a worker that has stopped). One reload runs at a time.
 *
 * A reload reads the configuration file again (RuleSource.reload_conf) for
 * the new engine only; capture, output and flow settings stay as started.
 * A reload fails, and the engine in use stays, when the configuration
 * cannot be read or has invalid values, when a rule file cannot be read, when rules failed and none loaded, when rules failed under
 * --init-errors-fatal (Suricata's engine.init-failure-fatal applies to
 * reloads too), or when the new engine cannot be built. The reason is
 * logged and kept for the control socket.
 */
#ifndef ODLAR_ENGINE_RELOAD_H
#define ODLAR_ENGINE_RELOAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf/conf.h"
#include "detect/detect-engine.h"
#include "detect/rule-load.h"
#include "util/json.h"

#define RELOADER_WORKER_GONE UINT32_MAX

/* Where the rules come from: what main.c was given. The strings must stay
 * valid for the whole run. */
typedef struct RuleSource {
    Conf *conf;
    const char *exclusive; /* -S */
    const char *const *extra; /* -s */
    int extra_count;
    bool ips; /* --simulate-ips */
    bool errors_fatal; /* --init-errors-fatal */
    /* reads the configuration again for a reload (defaults, -c, --set), as
     * Suricata does (rule variables, classification, reference and
     * threshold files); NULL after a message. NULL function: reloads use
     * `conf`. */
    Conf *(*reload_conf)(void *ctx);
    void *reload_conf_ctx;
} RuleSource;

/* Records the rule sources and the figures of the start-up load (main.c,
 * before the run). */
void reload_set_rule_source(const RuleSource *src, const RuleLoadStats *initial);

/* Collects the rules that fail in the start-up load (call before it). */
void reload_initial_failure_hook(void);

/* Builds and returns a new engine from the recorded sources; NULL with the
 * reason in `why`. `st` gets the load figures; every failed rule is passed
 * to `on_failed` (may be NULL). When the configuration was read again,
 * *conf_out is the new Conf the engine uses (free it after the engine),
 * else NULL. */
DetectEngine *reload_build_engine(RuleLoadStats *st, RuleFailedFn on_failed, void *ctx, Conf **conf_out,
                                  char *why, size_t whylen);

typedef struct RuleReloader RuleReloader;

/* Takes ownership of `initial` (may be NULL: detection disabled, reloads
 * then answer that detection is off) for `nworkers` workers. NULL when out
 * of memory. */
RuleReloader *reloader_new(DetectEngine *initial, uint32_t nworkers);
/* Starts the reloader thread (after the privilege drop); until then, and
 * when it cannot start, reloads are refused. */
void reloader_start(RuleReloader *r);
/* Stops the thread (after a reload in progress ends) and frees every
 * engine. Call after the workers stopped. */
void reloader_free(RuleReloader *r);

/* Worker side. */
uint32_t reloader_generation(const RuleReloader *r);
const DetectEngine *reloader_current(const RuleReloader *r);
/* The worker `k` now runs generation `gen` (or RELOADER_WORKER_GONE). */
void reloader_worker_at(RuleReloader *r, uint32_t k, uint32_t gen);

/* Asks for a reload. Returns false (with the reason) when one is already
 * running or detection is off; else true and a ticket for reloader_wait. */
bool reloader_request(RuleReloader *r, uint64_t *ticket, char *why, size_t whylen);
/* Waits for reload `ticket` to end; true when it succeeded, else the
 * reason in `why`. */
bool reloader_wait(RuleReloader *r, uint64_t ticket, char *why, size_t whylen);

/* Figures for the control socket and stats (under the reloader's lock). */
typedef struct RulesetInfo {
    uint32_t id; /* generation of the engine in use */
    time_t last_reload; /* when it was built (start-up or reload) */
    int loaded, failed, skipped;
    uint64_t reloads_ok, reloads_failed;
    bool busy;
} RulesetInfo;
void reloader_info(RuleReloader *r, RulesetInfo *info);
/* Appends stats.detect.engines as Suricata 8 writes it: an array of one
 * {"id", "last_reload", "rules_loaded", "rules_failed", "rules_skipped"}. */
void reloader_engines_json(RuleReloader *r, JsonBuf *j);
/* The same for the start-up load (offline runs, which have no reloader):
 * the figures and time reload_set_rule_source recorded. */
void reload_startup_engines_json(JsonBuf *j, uint32_t id);
/* Appends the rules that failed in the last load as a JSON array of
 * {"rule", "filename", "line", "error"} (key: NULL inside an array). */
void reloader_failed_rules_json(RuleReloader *r, JsonBuf *j, const char *key);

#endif
