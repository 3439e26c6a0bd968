/*
 * sd-pass-bench: what finding sd_pattern candidates costs Hyperscan when
 * the number shapes share the prefilter's scan, against a second scan of
 * their own (not a test; a measurement tool for the README's "PCI DSS
 * monitoring" design note).
 *
 * It loads a rule file into a real detection engine (the same parser,
 * fast-pattern choice and prefilter build as `odlar -S`) and takes the
 * literals of the databases an sd_pattern rule of rules/payment-data.rules
 * would share: the TCP payload/stream database of each direction and the
 * HTTP application lists http.uri, http.request_body and file.data. From
 * each it compiles, with Hyperscan in block mode:
 *
 *   lit        the literals as the prefilter compiles them
 *              (hs_compile_lit_multi, HS_FLAG_SINGLEMATCH, CASELESS)
 *   lit-re     the same literals as \xHH expressions through hs_compile_multi
 *              (the control: what the regex API alone changes)
 *   mixed      one database: the literals (as \xHH expressions) plus the
 *              sd shapes of that buffer (sd-candidates.c's built-in shapes,
 *              each its own id), all HS_FLAG_SINGLEMATCH
 *   mixed-all  the same, the shapes without SINGLEMATCH (every end reported)
 *   mixed-som  the same, the shapes with HS_FLAG_SOM_LEFTMOST
 *   two-pass   lit, then a shapes-only database (SINGLEMATCH, the callback
 *              stops the scan at the first candidate, as sd-candidates.c)
 *   shapes     the shapes-only scan alone
 *
 * and scans with each, over three sets of buffers: `pkt`, the TCP and UDP
 * payloads of a pcap's packets; `stream`, each TCP flow direction's
 * payloads concatenated in capture order and cut into 32 KiB chunks (raw
 * stream windows and HTTP bodies are this kind of buffer); `digits`, 1 MiB
 * of generated HTML-like text with prices, dates, phone and order numbers
 * (no valid card), cut in 4 KiB chunks: the worst ordinary case for the
 * shapes. Printed per (database, set, variant): CPU seconds
 * (CLOCK_PROCESS_CPUTIME_ID, best of REPS runs), MB/s and the callbacks of
 * one run. SD_BENCH_ONLY=<db>[:<set>] restricts it, e.g. tcp-ts:stream.
 *
 *   sd-pass-bench RULES_FILE PCAP [REPS] 2>/dev/null
 *   (build/tests/unit/detect_sdpattern/sd-pass-bench /tmp/etopen.rules /tmp/c20.pcap 5)
 *
 * The deterministic figure: under callgrind each measurement is one dump
 * named db:set:variant holding only its instructions (the rest of the run
 * is not instrumented):
 *
 *   valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/sdp.%p \
 *       build/tests/unit/detect_sdpattern/sd-pass-bench /tmp/etopen.rules /tmp/c20.pcap 1 2>/dev/null
 *   bench/sd-pass-callgrind.sh /tmp/sdp.<pid>     (a table: instructions per measurement)
 *
 * Compiled databases of the engine go through the mpm cache only when
 * SD_BENCH_CACHE names a directory (the cold build takes a few seconds).
 */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hs/hs.h>
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(s) ((void)(s))
#endif

#include "conf/conf.h"
#include "detect/app-proto.h"
#include "detect/buffer-registry.h"
#include "detect/detect-engine.h"
#include "detect/keyword.h"
#include "detect/mpm-int.h"
#include "detect/prefilter-app.h"
#include "detect/rule-load.h"

/* sd-candidates.c's built-in shapes (kept equal by hand: a bench tool). */
static const char *const shape_card = "[0-9](?:[ \\-]?[0-9]){12}";
static const char *const shape_iban = "[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11}";

#define STREAM_CHUNK 32768u
#define DIGIT_CHUNK 4096u

/* ---- buffers ---- */

typedef struct BufSet {
    const char *name;
    uint8_t **data;
    uint32_t *len;
    uint32_t count, cap;
    uint64_t bytes;
} BufSet;

static void set_add(BufSet *bs, const uint8_t *d, uint32_t l)
{
    if (l == 0)
        return;
    if (bs->count == bs->cap) {
        bs->cap = bs->cap ? bs->cap * 2 : 4096;
        bs->data = realloc(bs->data, bs->cap * sizeof(*bs->data));
        bs->len = realloc(bs->len, bs->cap * sizeof(*bs->len));
        if (!bs->data || !bs->len)
            exit(1);
    }
    bs->data[bs->count] = malloc(l);
    if (!bs->data[bs->count])
        exit(1);
    memcpy(bs->data[bs->count], d, l);
    bs->len[bs->count++] = l;
    bs->bytes += l;
}

/* A TCP flow direction being cut into stream chunks. */
typedef struct FlowDir {
    uint8_t key[37]; /* addresses, ports, version */
    uint8_t *buf;
    uint32_t len;
    struct FlowDir *next;
} FlowDir;

#define FLOW_BUCKETS 65536u
static FlowDir *flows[FLOW_BUCKETS];

static uint32_t key_hash(const uint8_t *k, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ k[i]) * 16777619u;
    return h;
}

static void stream_add(BufSet *st, const uint8_t *key, const uint8_t *pl, uint32_t len)
{
    uint32_t b = key_hash(key, 37) % FLOW_BUCKETS;
    FlowDir *fd = flows[b];
    while (fd && memcmp(fd->key, key, 37) != 0)
        fd = fd->next;
    if (!fd) {
        fd = calloc(1, sizeof(*fd));
        if (!fd || !(fd->buf = malloc(STREAM_CHUNK)))
            exit(1);
        memcpy(fd->key, key, 37);
        fd->next = flows[b];
        flows[b] = fd;
    }
    while (len) {
        uint32_t n = STREAM_CHUNK - fd->len < len ? STREAM_CHUNK - fd->len : len;
        memcpy(fd->buf + fd->len, pl, n);
        fd->len += n;
        pl += n;
        len -= n;
        if (fd->len == STREAM_CHUNK) {
            set_add(st, fd->buf, fd->len);
            fd->len = 0;
        }
    }
}

static void streams_flush(BufSet *st)
{
    for (uint32_t b = 0; b < FLOW_BUCKETS; b++)
        for (FlowDir *fd = flows[b], *nx; fd; fd = nx) {
            nx = fd->next;
            set_add(st, fd->buf, fd->len);
            free(fd->buf);
            free(fd);
        }
}

/* The payload of one Ethernet (VLAN-tagged or not) IPv4/IPv6 TCP/UDP frame. */
static void read_frame(const uint8_t *p, uint32_t caplen, BufSet *pkt, BufSet *st)
{
    uint32_t off = 14;
    if (caplen < off)
        return;
    uint16_t et = (uint16_t)(p[12] << 8 | p[13]);
    while ((et == 0x8100 || et == 0x88a8) && caplen >= off + 4) {
        et = (uint16_t)(p[off + 2] << 8 | p[off + 3]);
        off += 4;
    }
    uint8_t key[37] = { 0 };
    uint8_t proto;
    uint32_t l4;
    if (et == 0x0800 && caplen >= off + 20) {
        uint32_t ihl = (p[off] & 15u) * 4;
        uint16_t frag = (uint16_t)((p[off + 6] << 8 | p[off + 7]) & 0x3fff);
        if (ihl < 20 || frag || caplen < off + ihl)
            return;
        uint32_t tot = (uint32_t)(p[off + 2] << 8 | p[off + 3]);
        if (tot >= ihl && off + tot < caplen)
            caplen = off + tot; /* Ethernet padding */
        proto = p[off + 9];
        memcpy(key, p + off + 12, 8);
        key[36] = 4;
        l4 = off + ihl;
    } else if (et == 0x86dd && caplen >= off + 40) {
        uint32_t plen = (uint32_t)(p[off + 4] << 8 | p[off + 5]);
        if (off + 40 + plen < caplen)
            caplen = off + 40 + plen;
        proto = p[off + 6];
        memcpy(key, p + off + 8, 32);
        key[36] = 6;
        l4 = off + 40;
    } else {
        return;
    }
    if (proto == 17 && caplen >= l4 + 8) {
        set_add(pkt, p + l4 + 8, caplen - l4 - 8);
    } else if (proto == 6 && caplen >= l4 + 20) {
        uint32_t doff = (uint32_t)(p[l4 + 12] >> 4) * 4;
        if (doff < 20 || caplen < l4 + doff)
            return;
        set_add(pkt, p + l4 + doff, caplen - l4 - doff);
        memcpy(key + 32, p + l4, 4); /* ports */
        stream_add(st, key, p + l4 + doff, caplen - l4 - doff);
    }
}

static void read_pcap(const char *path, BufSet *pkt, BufSet *st)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, err);
    if (!pc) {
        fprintf(stderr, "sd-pass-bench: %s\n", err);
        exit(1);
    }
    if (pcap_datalink(pc) != DLT_EN10MB) {
        fprintf(stderr, "sd-pass-bench: %s: only Ethernet captures\n", path);
        exit(1);
    }
    struct pcap_pkthdr *h;
    const u_char *d;
    while (pcap_next_ex(pc, &h, &d) == 1)
        read_frame(d, h->caplen, pkt, st);
    pcap_close(pc);
    streams_flush(st);
}

static uint32_t rnd(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* HTML-like text full of numbers that are not cards: prices, dates,
 * times, phone numbers, 6-12 digit order and tracking numbers. */
static void make_digits(BufSet *dg)
{
    const uint32_t total = 1u << 20;
    char *t = malloc(total + 256);
    if (!t)
        exit(1);
    uint32_t n = 0, seed = 12345;
#define RND() rnd(&seed)
    while (n < total) {
        switch (RND() % 6) {
        case 0:
            n += (uint32_t)sprintf(t + n, "<td class=\"price\">%u.%02u EUR</td>\n", RND() % 5000, RND() % 100);
            break;
        case 1:
            n += (uint32_t)sprintf(t + n, "<span>2026-%02u-%02u %02u:%02u:%02u</span> ", 1 + RND() % 12,
                                   1 + RND() % 28, RND() % 24, RND() % 60, RND() % 60);
            break;
        case 2:
            n += (uint32_t)sprintf(t + n, "Tel: +49 %u %u %u<br>\n", 100 + RND() % 900, 1000 + RND() % 9000,
                                   1000 + RND() % 9000);
            break;
        case 3:
            n += (uint32_t)sprintf(t + n, "<a href=\"/order?id=%u%u\">Order %u</a>\n", RND(), RND() % 1000,
                                   RND() % 100000);
            break;
        case 4:
            n += (uint32_t)sprintf(t + n, "{\"sku\":\"%05u-%04u\",\"qty\":%u,\"ts\":%u%04u}\n", RND() % 100000,
                                   RND() % 10000, RND() % 20, 1700000 + RND() % 99999, RND() % 10000);
            break;
        default:
            n += (uint32_t)sprintf(t + n, "<p>Lorem ipsum dolor sit amet, item %u of %u.</p>\n", RND() % 50,
                                   50 + RND() % 50);
            break;
        }
    }
#undef RND
    for (uint32_t o = 0; o < total; o += DIGIT_CHUNK)
        set_add(dg, (const uint8_t *)t + o, DIGIT_CHUNK);
    free(t);
}

/* ---- databases ---- */

typedef struct Target {
    const char *name;
    const MpmDb *lits; /* the engine's database */
    const char *shapes[2];
    uint32_t nshapes;
    hs_database_t *lit, *lit_re, *mixed, *mixed_all, *mixed_som, *shapes_db;
} Target;

static char *escape_literal(const MpmPattern *p)
{
    static const char hex[] = "0123456789abcdef";
    char *e = malloc((size_t)p->len * 4 + 1);
    if (!e)
        exit(1);
    for (uint32_t i = 0; i < p->len; i++) {
        e[i * 4] = '\\';
        e[i * 4 + 1] = 'x';
        e[i * 4 + 2] = hex[p->bytes[i] >> 4];
        e[i * 4 + 3] = hex[p->bytes[i] & 15];
    }
    e[(size_t)p->len * 4] = '\0';
    return e;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static hs_database_t *compile_or_die(const char *what, const char *const *ex, const unsigned *fl, const unsigned *ids,
                                     uint32_t n)
{
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    double t0 = cpu_now();
    if (hs_compile_multi(ex, fl, ids, n, HS_MODE_BLOCK, NULL, &db, &ce) != HS_SUCCESS) {
        fprintf(stderr, "sd-pass-bench: %s: %s\n", what, ce ? ce->message : "?");
        exit(1);
    }
    size_t sz = 0;
    hs_database_size(db, &sz);
    printf("    %-10s %6u expressions, compiled in %.2f s, %.2f MB\n", what, n, cpu_now() - t0, (double)sz / 1e6);
    return db;
}

/* shape_flags: the shapes' flags; with_lits: the literals too. */
static hs_database_t *build(const Target *t, const char *what, bool with_lits, unsigned shape_flags)
{
    const MpmDb *m = t->lits;
    uint32_t n = (with_lits ? m->pat_count : 0) + (shape_flags != ~0u ? t->nshapes : 0);
    char **ex = calloc(n, sizeof(*ex));
    unsigned *fl = calloc(n, sizeof(*fl)), *ids = calloc(n, sizeof(*ids));
    if (!ex || !fl || !ids)
        exit(1);
    uint32_t k = 0;
    for (uint32_t i = 0; with_lits && i < m->pat_count; i++, k++) {
        ex[k] = escape_literal(&m->pats[i]);
        fl[k] = HS_FLAG_SINGLEMATCH | (m->pats[i].nocase ? HS_FLAG_CASELESS : 0);
        ids[k] = k;
    }
    for (uint32_t i = 0; shape_flags != ~0u && i < t->nshapes; i++, k++) {
        ex[k] = strdup(t->shapes[i]);
        fl[k] = shape_flags;
        ids[k] = 1000000 + i;
    }
    hs_database_t *db = compile_or_die(what, (const char *const *)ex, fl, ids, n);
    for (uint32_t i = 0; i < n; i++)
        free(ex[i]);
    free(ex);
    free(fl);
    free(ids);
    return db;
}

static hs_database_t *build_lit(const Target *t)
{
    const MpmDb *m = t->lits;
    const char **ex = calloc(m->pat_count, sizeof(*ex));
    size_t *lens = calloc(m->pat_count, sizeof(*lens));
    unsigned *fl = calloc(m->pat_count, sizeof(*fl)), *ids = calloc(m->pat_count, sizeof(*ids));
    if (!ex || !lens || !fl || !ids)
        exit(1);
    for (uint32_t i = 0; i < m->pat_count; i++) {
        ex[i] = (const char *)m->pats[i].bytes;
        lens[i] = m->pats[i].len;
        fl[i] = HS_FLAG_SINGLEMATCH | (m->pats[i].nocase ? HS_FLAG_CASELESS : 0);
        ids[i] = i;
    }
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    double t0 = cpu_now();
    if (hs_compile_lit_multi(ex, fl, ids, lens, m->pat_count, HS_MODE_BLOCK, NULL, &db, &ce) != HS_SUCCESS) {
        fprintf(stderr, "sd-pass-bench: lit: %s\n", ce ? ce->message : "?");
        exit(1);
    }
    size_t sz = 0;
    hs_database_size(db, &sz);
    printf("    %-10s %6u literals,    compiled in %.2f s, %.2f MB\n", "lit", m->pat_count, cpu_now() - t0,
           (double)sz / 1e6);
    free(ex);
    free(lens);
    free(fl);
    free(ids);
    return db;
}

/* ---- scanning: one function per variant, for callgrind's inclusive counts ---- */

static hs_scratch_t *scratch;
static uint64_t callbacks;

static int on_any(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
    (void)id, (void)from, (void)to, (void)flags, (void)ctx;
    callbacks++;
    return 0;
}

static int on_first(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
    (void)id, (void)from, (void)to, (void)flags, (void)ctx;
    callbacks++;
    return 1; /* sd-candidates.c: the validators take it from here */
}

static void scan_set(const hs_database_t *db, const BufSet *bs, match_event_handler cb)
{
    for (uint32_t i = 0; i < bs->count; i++)
        hs_scan(db, (const char *)bs->data[i], bs->len[i], 0, scratch, cb, NULL);
}

__attribute__((noinline)) static void bench_lit(const Target *t, const BufSet *bs)
{
    scan_set(t->lit, bs, on_any);
}
__attribute__((noinline)) static void bench_lit_re(const Target *t, const BufSet *bs)
{
    scan_set(t->lit_re, bs, on_any);
}
__attribute__((noinline)) static void bench_mixed(const Target *t, const BufSet *bs)
{
    scan_set(t->mixed, bs, on_any);
}
__attribute__((noinline)) static void bench_mixed_all(const Target *t, const BufSet *bs)
{
    scan_set(t->mixed_all, bs, on_any);
}
__attribute__((noinline)) static void bench_mixed_som(const Target *t, const BufSet *bs)
{
    scan_set(t->mixed_som, bs, on_any);
}
__attribute__((noinline)) static void bench_two_pass(const Target *t, const BufSet *bs)
{
    for (uint32_t i = 0; i < bs->count; i++) {
        hs_scan(t->lit, (const char *)bs->data[i], bs->len[i], 0, scratch, on_any, NULL);
        hs_scan(t->shapes_db, (const char *)bs->data[i], bs->len[i], 0, scratch, on_first, NULL);
    }
}
__attribute__((noinline)) static void bench_shapes(const Target *t, const BufSet *bs)
{
    scan_set(t->shapes_db, bs, on_first);
}

typedef void (*BenchFn)(const Target *, const BufSet *);

static double measure(const char *label, BenchFn fn, const Target *t, const BufSet *bs, int reps, double base)
{
    double best = 1e30;
    uint64_t cbs = 0;
    for (int r = 0; r < reps; r++) {
        callbacks = 0;
        double t0 = cpu_now();
        if (RUNNING_ON_VALGRIND) { /* one callgrind dump per measurement, named after it */
            char dump[160];
            snprintf(dump, sizeof(dump), "%s:%s:%s", t->name, bs->name, label);
            CALLGRIND_START_INSTRUMENTATION;
            CALLGRIND_ZERO_STATS;
            fn(t, bs);
            CALLGRIND_DUMP_STATS_AT(dump);
            CALLGRIND_STOP_INSTRUMENTATION;
        } else {
            fn(t, bs);
        }
        double dt = cpu_now() - t0;
        if (dt < best)
            best = dt;
        cbs = callbacks;
    }
    printf("    %-10s %8.4f s %8.1f MB/s %10llu callbacks", label, best, (double)bs->bytes / 1e6 / best,
           (unsigned long long)cbs);
    if (base > 0)
        printf("  %+6.1f%% vs lit", (best - base) / base * 100);
    printf("\n");
    return best;
}

static const MpmDb *app_list_db(const Prefilter *pf, const char *proto, const char *buffer)
{
    const AppProtoInfo *ai = app_proto_by_name(proto);
    if (!ai || !pf->app)
        return NULL;
    const AppPfGroup *g = &pf->app->groups[ai->id];
    for (uint32_t i = 0; i < g->count; i++) {
        const BufferDef *b = buffer_by_list(g->lists[i].list_id);
        if (b && strcmp(b->name, buffer) == 0 && g->lists[i].db && g->lists[i].tmpl &&
            g->lists[i].tmpl->transform_count == 0)
            return g->lists[i].db;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: sd-pass-bench RULES_FILE PCAP [REPS]\n");
        return 2;
    }
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    const char *only = getenv("SD_BENCH_ONLY");
    const char *cache = getenv("SD_BENCH_CACHE");

    Conf *conf = conf_new_defaults();
    char err[512];
    conf_set(conf, "vars.address-groups.HOME_NET=any", err, sizeof(err));
    conf_set(conf, "vars.address-groups.EXTERNAL_NET=any", err, sizeof(err));
    if (cache) {
        char kv[600];
        snprintf(kv, sizeof(kv), "detect.sgh-mpm-caching-path=%s", cache);
        conf_set(conf, "detect.sgh-mpm-caching=yes", err, sizeof(err));
        conf_set(conf, kv, err, sizeof(err));
    } else {
        conf_set(conf, "detect.sgh-mpm-caching=no", err, sizeof(err));
    }
    keywords_init();
    DetectEngine *de = detect_engine_new(conf);
    RuleLoadStats st;
    memset(&st, 0, sizeof(st));
    if (!de || !rules_load_file(de, conf, argv[1], &st) || !detect_engine_build(de)) {
        fprintf(stderr, "sd-pass-bench: cannot load %s\n", argv[1]);
        return 1;
    }
    const Prefilter *pf = de->prefilter;
    printf("rules: %u loaded from %s (%d failed: their errors went to stderr)\n", de->sig_count, argv[1],
           st.failed);

    Target targets[] = {
        { .name = "tcp-ts", .lits = prefilter_group_for(pf, 6, 0, 0)->db, .shapes = { shape_card }, .nshapes = 1 },
        { .name = "tcp-tc", .lits = prefilter_group_for(pf, 6, 1, 0)->db, .shapes = { shape_card }, .nshapes = 1 },
        { .name = "http.uri", .lits = app_list_db(pf, "http", "http.uri"), .shapes = { shape_card }, .nshapes = 1 },
        { .name = "http.request_body", .lits = app_list_db(pf, "http", "http.request_body"), .shapes = { shape_card, shape_iban }, .nshapes = 2 },
        { .name = "file.data", .lits = app_list_db(pf, "http", "file.data"), .shapes = { shape_card }, .nshapes = 1 },
    };
    const uint32_t ntargets = sizeof(targets) / sizeof(targets[0]);

    BufSet sets[3] = { { .name = "pkt" }, { .name = "stream" }, { .name = "digits" } };
    read_pcap(argv[2], &sets[0], &sets[1]);
    make_digits(&sets[2]);
    for (int i = 0; i < 3; i++)
        printf("set %-6s %8u buffers, %.1f MB\n", sets[i].name, sets[i].count, (double)sets[i].bytes / 1e6);

    for (uint32_t ti = 0; ti < ntargets; ti++) {
        Target *t = &targets[ti];
        if (only && strncmp(only, t->name, strcspn(only, ":")) != 0)
            continue;
        if (!t->lits || mpm_db_backend(t->lits) != MPM_BACKEND_HS || t->lits->pat_count == 0) {
            printf("database %s: none\n", t->name);
            continue;
        }
        printf("database %s (%u literals, shapes:", t->name, t->lits->pat_count);
        for (uint32_t i = 0; i < t->nshapes; i++)
            printf(" %s", t->shapes[i]);
        printf(")\n");
        t->lit = build_lit(t);
        t->lit_re = build(t, "lit-re", true, ~0u);
        t->mixed = build(t, "mixed", true, HS_FLAG_SINGLEMATCH);
        t->mixed_all = build(t, "mixed-all", true, 0);
        t->mixed_som = build(t, "mixed-som", true, HS_FLAG_SOM_LEFTMOST);
        t->shapes_db = build(t, "shapes", false, HS_FLAG_SINGLEMATCH);
        hs_database_t *dbs[] = { t->lit, t->lit_re, t->mixed, t->mixed_all, t->mixed_som, t->shapes_db };
        for (int i = 0; i < 6; i++)
            if (hs_alloc_scratch(dbs[i], &scratch) != HS_SUCCESS)
                return 1;
        for (int si = 0; si < 3; si++) {
            const BufSet *bs = &sets[si];
            if (only && strchr(only, ':') && strcmp(strchr(only, ':') + 1, bs->name) != 0)
                continue;
            printf("  %s on %s:\n", t->name, bs->name);
            double base = measure("lit", bench_lit, t, bs, reps, 0);
            measure("lit-re", bench_lit_re, t, bs, reps, base);
            measure("mixed", bench_mixed, t, bs, reps, base);
            measure("mixed-all", bench_mixed_all, t, bs, reps, base);
            measure("mixed-som", bench_mixed_som, t, bs, reps, base);
            measure("two-pass", bench_two_pass, t, bs, reps, base);
            measure("shapes", bench_shapes, t, bs, reps, 0);
        }
        for (int i = 0; i < 6; i++)
            hs_free_database(dbs[i]);
    }
    hs_free_scratch(scratch);
    detect_engine_free(de);
    conf_free(conf);
    return 0;
}
