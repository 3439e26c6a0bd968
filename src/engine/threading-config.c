/*
 * The runmode and the number of workers, from the configuration.
 *
 * `runmode` (the --runmode flag, or a top-level `runmode:` key) is single,
 * workers or autofp; absent, it is single. (Suricata reads captures with
 * autofp by default, but Odlar's workers keep per-host detection state --
 * thresholds tracked by_src/by_dst/by_rule, host xbits -- per worker, so
 * such rules alert more often with several workers; until that state is
 * shared deterministically, several workers are an explicit choice.)
 * autofp is an alias of workers here: in both, every worker reads the
 * capture itself and keeps the address pairs the shared balancing gives it
 * (worker-feed.h, worker-balance.h).
 *
 * Worker count, as Suricata 8 sizes its autofp flow workers for pcap-file
 * mode: when `threading.set-cpu-affinity` is on and the
 * `threading.cpu-affinity` section has a `worker-cpu-set` (Suricata 8's
 * mapping form or the older list form) with `threads: N`, N workers; with a
 * `cpu` list instead, one per CPU listed (ranges "a-b" and "all" count the
 * CPUs they name). Otherwise the online CPU count times
 * `threading.detect-thread-ratio` (default 1.0), rounded down, at least 1.
 * The count is capped at ENGINE_MAX_WORKERS.
 *
 * With `threading.set-cpu-affinity: yes` the worker threads of a capture
 * run are also pinned, as Suricata pins its worker threads: to the CPUs of
 * worker-cpu-set's `cpu` list (all online CPUs when it has none), worker k
 * to the k-th of them in `mode: exclusive` (the default), each to all of
 * them in `mode: balanced`. So is `single`'s one worker, as Suricata's
 * single pcap-file mode pins its thread to the worker set: once the rules
 * are loaded (which uses every CPU), the thread that runs the packets is
 * pinned to the set's first CPU (exclusive) or to all of it (balanced).
 * On the 2-core development VM, two pinned workers ran ET Open over the
 * 1 GB corpus 4% faster (5.17 against 5.40 s, mean of 6 alternating
 * pairs): unpinned, the scheduler moves the workers between the cores
 * around the writer thread, and each move leaves the worker's L1 and L2
 * contents behind.
 */
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint32_t online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (uint32_t)n : 1;
}

/* Adds the CPUs one `cpu` list entry names ("3", "0-3", "all") to tc. */
static void add_cpus(ThreadingConfig *tc, const char *v)
{
    long a, b;
    char *end;
    if (strcmp(v, "all") == 0) {
        a = 0;
        b = (long)online_cpus() - 1;
    } else {
        a = strtol(v, &end, 10);
        if (end == v || a < 0)
            return;
        b = a;
        if (*end == '-') {
            const char *b_str = end + 1;
            b = strtol(b_str, &end, 10);
            if (end == b_str || b < a)
                return;
        }
        if (*end != '\0')
            return;
    }
    for (long c = a; c <= b && c < (long)THREADING_MAX_CPUS && tc->cpu_count < THREADING_MAX_CPUS; c++)
        tc->cpus[tc->cpu_count++] = (uint16_t)c;
}

/* The worker-cpu-set node under threading.cpu-affinity, in either form. */
static ConfNode *worker_cpu_set(Conf *conf)
{
    ConfNode *aff = conf_node(conf, "threading.cpu-affinity");
    if (!aff)
        return NULL;
    ConfNode *direct = conf_node_child(aff, "worker-cpu-set");
    if (direct)
        return direct;
    for (ConfNode *item = aff->first_child; item; item = item->next) {
        ConfNode *n = conf_node_child(item, "worker-cpu-set");
        if (n)
            return n;
    }
    return NULL;
}

/* Reads worker-cpu-set into tc (its CPUs, all online ones when it lists
 * none, and its mode) and returns the worker count it asks for: `threads`,
 * else one per listed CPU, else 0 (the ratio decides). */
static uint32_t read_worker_cpu_set(Conf *conf, ThreadingConfig *tc)
{
    ConfNode *set = worker_cpu_set(conf);
    ConfNode *cpu = set ? conf_node_child(set, "cpu") : NULL;
    if (cpu && cpu->value && !cpu->first_child)
        add_cpus(tc, cpu->value);
    for (ConfNode *c = cpu ? cpu->first_child : NULL; c; c = c->next)
        if (c->value)
            add_cpus(tc, c->value);
    uint32_t listed = tc->cpu_count;
    if (tc->cpu_count == 0)
        add_cpus(tc, "all");
    const char *cpu_mode = "exclusive";
    if (set)
        conf_node_get_str(set, "mode", &cpu_mode);
    tc->cpu_exclusive = strcmp(cpu_mode, "balanced") != 0;
    int64_t threads;
    if (set && conf_node_get_int(set, "threads", &threads) && threads > 0)
        return (uint32_t)(threads > ENGINE_MAX_WORKERS ? ENGINE_MAX_WORKERS : threads);
    return listed;
}

bool threading_config_read(Conf *conf, ThreadingConfig *tc, char *err, size_t errlen)
{
    memset(tc, 0, sizeof(*tc));
    const char *mode = "single";
    conf_get_str(conf, "runmode", &mode);
    if (strcmp(mode, "single") != 0 && strcmp(mode, "workers") != 0 && strcmp(mode, "autofp") != 0) {
        snprintf(err, errlen, "runmode: '%s' is not a runmode for reading captures (single, workers, autofp)", mode);
        return false;
    }
    snprintf(tc->runmode, sizeof(tc->runmode), "%s", mode);
    bool affinity = false;
    conf_get_bool(conf, "threading.set-cpu-affinity", &affinity);
    uint32_t n = affinity ? read_worker_cpu_set(conf, tc) : 0;
    if (strcmp(mode, "single") == 0) { /* pinned as above, but one worker */
        tc->single = true;
        tc->workers = 1;
        return true;
    }
    if (n == 0) {
        double ratio = 1.0;
        const char *r;
        if (conf_get_str(conf, "threading.detect-thread-ratio", &r)) {
            char *end;
            double v = strtod(r, &end);
            if (end == r || *end != '\0' || !(v > 0.0)) {
                snprintf(err, errlen, "threading.detect-thread-ratio: '%s' is not a positive number", r);
                return false;
            }
            ratio = v;
        }
        double want = (double)online_cpus() * ratio;
        n = want < 1.0 ? 1 : want > ENGINE_MAX_WORKERS ? ENGINE_MAX_WORKERS : (uint32_t)want;
    }
    tc->workers = n > ENGINE_MAX_WORKERS ? ENGINE_MAX_WORKERS : n;
    return true;
}
