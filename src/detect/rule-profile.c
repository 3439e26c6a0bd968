/*
 * Rule profiling (see rule-profile.h): per-thread counters indexed by
 * signature number, a process-wide table keyed by gid:sid:rev that the
 * threads fold into under a mutex, and the end-of-run report in Suricata's
 * rule_perf.log layouts plus a short summary on stderr.
 */
#include "detect/rule-profile.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "conf/conf.h"
#include "detect/detect-engine.h"
#include "detect/signature.h"
#include "util/json.h"
#include "util/log.h"

/* One rule's counters (per thread, and folded). */
typedef struct RuleCost {
    uint64_t checks, matches;
    uint64_t ticks, ticks_match, max;
} RuleCost;

struct RuleProfile {
    const DetectEngine *de;
    RuleCost *cost; /* [de->sig_count] */
};

/* A folded rule: who it is and what it cost. */
typedef struct RuleEntry {
    uint32_t gid, sid, rev;
    char *msg;
    RuleCost c;
} RuleEntry;

static atomic_bool enabled;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static RuleEntry *table;
static size_t table_count, table_cap;

void rule_profile_enable(void) { atomic_store(&enabled, true); }
bool rule_profile_enabled(void) { return atomic_load(&enabled); }

uint64_t rule_profile_ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
    return __rdtsc();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
#endif
}

RuleProfile *rule_profile_thread_new(const DetectEngine *de)
{
    if (!rule_profile_enabled() || !de)
        return NULL;
    RuleProfile *rp = calloc(1, sizeof(*rp));
    if (!rp)
        return NULL;
    rp->de = de;
    rp->cost = calloc(de->sig_count ? de->sig_count : 1, sizeof(*rp->cost));
    if (!rp->cost) {
        free(rp);
        return NULL;
    }
    return rp;
}

void rule_profile_add(RuleProfile *rp, uint32_t sig_num, uint64_t ticks, bool matched)
{
    if (!rp || sig_num >= rp->de->sig_count)
        return;
    RuleCost *c = &rp->cost[sig_num];
    c->checks++;
    c->ticks += ticks;
    if (ticks > c->max)
        c->max = ticks;
    if (matched) {
        c->matches++;
        c->ticks_match += ticks;
    }
}

/* The table entry of s, added when new; NULL on out of memory. Called with
 * table_lock held. A linear probe would do for a few thousand rules, but
 * ET Open has 25,000: entries are kept sorted by (gid, sid, rev). */
static RuleEntry *entry_for(const Signature *s)
{
    size_t lo = 0, hi = table_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const RuleEntry *e = &table[mid];
        int cmp = e->gid != s->gid ? (e->gid < s->gid ? -1 : 1)
                  : e->sid != s->sid ? (e->sid < s->sid ? -1 : 1)
                  : e->rev != s->rev ? (e->rev < s->rev ? -1 : 1)
                                     : 0;
        if (cmp == 0)
            return &table[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (table_count == table_cap) {
        size_t ncap = table_cap ? table_cap * 2 : 256;
        RuleEntry *n = realloc(table, ncap * sizeof(*n));
        if (!n)
            return NULL;
        table = n;
        table_cap = ncap;
    }
    memmove(&table[lo + 1], &table[lo], (table_count - lo) * sizeof(*table));
    table_count++;
    RuleEntry *e = &table[lo];
    memset(e, 0, sizeof(*e));
    e->gid = s->gid;
    e->sid = s->sid;
    e->rev = s->rev;
    e->msg = s->msg ? strdup(s->msg) : NULL;
    return e;
}

void rule_profile_thread_end(RuleProfile *rp)
{
    if (!rp)
        return;
    pthread_mutex_lock(&table_lock);
    for (uint32_t i = 0; i < rp->de->sig_count; i++) {
        const RuleCost *c = &rp->cost[i];
        if (c->checks == 0)
            continue;
        RuleEntry *e = entry_for(rp->de->sigs[i]);
        if (!e)
            break; /* out of memory: the report misses the rest */
        e->c.checks += c->checks;
        e->c.matches += c->matches;
        e->c.ticks += c->ticks;
        e->c.ticks_match += c->ticks_match;
        if (c->max > e->c.max)
            e->c.max = c->max;
    }
    pthread_mutex_unlock(&table_lock);
    free(rp->cost);
    free(rp);
}

void rule_profile_reset(void)
{
    pthread_mutex_lock(&table_lock);
    for (size_t i = 0; i < table_count; i++)
        free(table[i].msg);
    free(table);
    table = NULL;
    table_count = table_cap = 0;
    pthread_mutex_unlock(&table_lock);
}

/* ---- the report ---- */

typedef enum SortKey {
    SORT_TICKS,
    SORT_AVG,
    SORT_AVG_MATCH,
    SORT_AVG_NOMATCH,
    SORT_CHECKS,
    SORT_MATCHES,
    SORT_MAX,
    SORT_COUNT
} SortKey;

/* Suricata's names: the config value, and the "sort" field of the JSON. */
static const char *const sort_conf[SORT_COUNT] = { "ticks",   "avgticks", "avgticks_match", "avgticks_no_match",
                                                   "checks",  "matches",  "maxticks" };
static const char *const sort_title[SORT_COUNT] = { "ticks",  "average ticks", "average ticks (match)",
                                                    "average ticks (no match)", "number of checks",
                                                    "number of matches", "max ticks" };

static uint64_t avg(uint64_t total, uint64_t n) { return n ? total / n : 0; }

static uint64_t sort_value(const RuleEntry *e, SortKey k)
{
    switch (k) {
    case SORT_TICKS: return e->c.ticks;
    case SORT_AVG: return avg(e->c.ticks, e->c.checks);
    case SORT_AVG_MATCH: return avg(e->c.ticks_match, e->c.matches);
    case SORT_AVG_NOMATCH: return avg(e->c.ticks - e->c.ticks_match, e->c.checks - e->c.matches);
    case SORT_CHECKS: return e->c.checks;
    case SORT_MATCHES: return e->c.matches;
    default: return e->c.max;
    }
}

static SortKey cur_sort;

/* Descending by the sort value, then by gid:sid so the order is stable. */
static int cmp_entry(const void *a, const void *b)
{
    const RuleEntry *x = *(const RuleEntry *const *)a, *y = *(const RuleEntry *const *)b;
    uint64_t vx = sort_value(x, cur_sort), vy = sort_value(y, cur_sort);
    if (vx != vy)
        return vx > vy ? -1 : 1;
    if (x->gid != y->gid)
        return x->gid < y->gid ? -1 : 1;
    return x->sid < y->sid ? -1 : x->sid > y->sid;
}

typedef struct ReportOpts {
    const char *filename;
    bool append, json;
    int64_t limit;
    int sort; /* SortKey, or -1 for all */
} ReportOpts;

static bool read_opts(const Conf *conf, ReportOpts *o)
{
    *o = (ReportOpts){ .filename = "rule_perf.log", .append = true, .json = true, .limit = 10, .sort = -1 };
    if (!conf)
        return true;
    Conf *c = (Conf *)conf; /* the getters do not change it */
    const char *v;
    if (conf_get_str(c, "profiling.rules.filename", &v) && v && *v)
        o->filename = v;
    conf_get_bool(c, "profiling.rules.append", &o->append);
    conf_get_bool(c, "profiling.rules.json", &o->json);
    conf_get_int(c, "profiling.rules.limit", &o->limit);
    if (o->limit <= 0)
        o->limit = 10;
    if (conf_get_str(c, "profiling.rules.sort", &v) && v) {
        for (int k = 0; k < SORT_COUNT; k++)
            if (strcasecmp(v, sort_conf[k]) == 0)
                o->sort = k;
        if (o->sort < 0) {
            od_error("profiling.rules.sort: unknown value '%s' (ticks, avgticks, avgticks_match, "
                     "avgticks_no_match, checks, matches or maxticks)",
                     v);
            return false;
        }
    }
    return true;
}

static void write_json(FILE *fp, RuleEntry **ord, size_t n, SortKey k, uint64_t total, const char *stamp)
{
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    jb_str(&j, "timestamp", stamp);
    jb_str(&j, "sort", sort_title[k]);
    jb_open_array(&j, "rules");
    for (size_t i = 0; i < n; i++) {
        const RuleEntry *e = ord[i];
        jb_open_object(&j, NULL);
        jb_uint(&j, "signature_id", e->sid);
        jb_uint(&j, "gid", e->gid);
        jb_uint(&j, "rev", e->rev);
        jb_uint(&j, "checks", e->c.checks);
        jb_uint(&j, "matches", e->c.matches);
        jb_uint(&j, "ticks_total", e->c.ticks);
        jb_uint(&j, "ticks_max", e->c.max);
        jb_uint(&j, "ticks_avg", sort_value(e, SORT_AVG));
        jb_uint(&j, "ticks_avg_match", sort_value(e, SORT_AVG_MATCH));
        jb_uint(&j, "ticks_avg_nomatch", sort_value(e, SORT_AVG_NOMATCH));
        jb_uint(&j, "percent", total ? (uint64_t)((double)e->c.ticks * 100.0 / (double)total) : 0);
        jb_close_object(&j);
    }
    jb_close_array(&j);
    jb_close_object(&j);
    fprintf(fp, "%.*s\n", (int)j.len, j.buf);
    jb_free(&j);
}

static void write_text(FILE *fp, RuleEntry **ord, size_t n, SortKey k, uint64_t total, const char *date)
{
    fprintf(fp, "  ----------------------------------------------------------------------------------------------"
                "------------------------------------------\n");
    fprintf(fp, "  Date: %s -- sorted by %s\n", date, sort_title[k]);
    fprintf(fp, "  ----------------------------------------------------------------------------------------------"
                "------------------------------------------\n");
    fprintf(fp, "   %-8s %-12s %-8s %-8s %-12s %-6s %-8s %-8s %-11s %-11s %-11s %s\n", "Num", "Rule", "Gid",
            "Rev", "Ticks", "%", "Checks", "Matches", "Max Ticks", "Avg Ticks", "Avg Match", "Avg No Match");
    fprintf(fp, "  -------- ------------ -------- -------- ------------ ------ -------- -------- ----------- "
                "----------- ----------- --------------\n");
    for (size_t i = 0; i < n; i++) {
        const RuleEntry *e = ord[i];
        uint64_t nm = e->c.checks - e->c.matches;
        fprintf(fp, "  %-8zu %-12u %-8u %-8u %-12llu %-6.2f %-8llu %-8llu %-11llu %-11.2f %-11.2f %.2f\n", i + 1,
                e->sid, e->gid, e->rev, (unsigned long long)e->c.ticks,
                total ? (double)e->c.ticks * 100.0 / (double)total : 0.0, (unsigned long long)e->c.checks,
                (unsigned long long)e->c.matches, (unsigned long long)e->c.max,
                e->c.checks ? (double)e->c.ticks / (double)e->c.checks : 0.0,
                e->c.matches ? (double)e->c.ticks_match / (double)e->c.matches : 0.0,
                nm ? (double)(e->c.ticks - e->c.ticks_match) / (double)nm : 0.0);
    }
    fprintf(fp, "\n");
}

/* The summary for the rule writer: the top rules by time and by checks,
 * with their share of the time and their message. */
static void print_summary(RuleEntry **ord, size_t n, SortKey k, uint64_t total, int64_t limit)
{
    cur_sort = k;
    qsort(ord, n, sizeof(*ord), cmp_entry);
    fprintf(stderr, "odlar: rule profile, top %lld by %s:\n", (long long)(n < (size_t)limit ? (int64_t)n : limit),
            k == SORT_TICKS ? "time" : "checks");
    fprintf(stderr, "  %6s %10s %10s %10s  %s\n", "time%", "checks", "matches", "avg ticks", "gid:sid  msg");
    for (size_t i = 0; i < n && (int64_t)i < limit; i++) {
        const RuleEntry *e = ord[i];
        fprintf(stderr, "  %6.2f %10llu %10llu %10llu  %u:%u  %s\n",
                total ? (double)e->c.ticks * 100.0 / (double)total : 0.0, (unsigned long long)e->c.checks,
                (unsigned long long)e->c.matches, (unsigned long long)sort_value(e, SORT_AVG), e->gid, e->sid,
                e->msg ? e->msg : "");
    }
}

bool rule_profile_report(const Conf *conf, const char *log_dir, bool quiet)
{
    if (!rule_profile_enabled())
        return true;
    ReportOpts o;
    if (!read_opts(conf, &o))
        return false;
    char path[4096];
    if (o.filename[0] == '/')
        snprintf(path, sizeof(path), "%s", o.filename);
    else
        snprintf(path, sizeof(path), "%s/%s", log_dir ? log_dir : ".", o.filename);
    pthread_mutex_lock(&table_lock);
    size_t n = table_count;
    RuleEntry **ord = malloc((n ? n : 1) * sizeof(*ord));
    if (!ord) {
        pthread_mutex_unlock(&table_lock);
        od_error("out of memory writing the rule profile");
        return false;
    }
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        ord[i] = &table[i];
        total += table[i].c.ticks;
    }
    FILE *fp = fopen(path, o.append ? "a" : "w");
    if (!fp) {
        pthread_mutex_unlock(&table_lock);
        free(ord);
        od_error("cannot write the rule profile %s: %s", path, strerror(errno));
        return false;
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[64], date[64];
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S%z", &tm);
    strftime(date, sizeof(date), "%m/%d/%Y -- %H:%M:%S", &tm);
    size_t shown = n < (size_t)o.limit ? n : (size_t)o.limit;
    for (int k = 0; k < SORT_COUNT; k++) {
        if (o.sort >= 0 && o.sort != k)
            continue;
        cur_sort = (SortKey)k;
        qsort(ord, n, sizeof(*ord), cmp_entry);
        if (o.json)
            write_json(fp, ord, shown, (SortKey)k, total, stamp);
        else
            write_text(fp, ord, shown, (SortKey)k, total, date);
    }
    bool ok = fclose(fp) == 0;
    if (!quiet) {
        if (n == 0)
            fprintf(stderr, "odlar: rule profile: no rule was evaluated\n");
        else {
            print_summary(ord, n, SORT_TICKS, total, o.limit);
            print_summary(ord, n, SORT_CHECKS, total, o.limit);
        }
        fprintf(stderr, "odlar: rule profile written to %s\n", path);
    }
    pthread_mutex_unlock(&table_lock);
    free(ord);
    if (!ok)
        od_error("cannot write the rule profile %s", path);
    return ok;
}
