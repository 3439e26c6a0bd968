/*
 * mpm-bench: micro-benchmark of the MPM prefilter (not a test).
 *
 * Extracts the literal of every `content:` of the enabled rules in a rules
 * directory (roughly: |hex| blocks and backslash escapes decoded, negated
 * contents skipped, `nocase` applied to the content it follows), compiles
 * them into one database per backend -- and a second, prefilter-like set
 * holding only the longest content of each rule (roughly what Suricata's
 * fast_pattern selection keeps) -- then scans a corpus built by reading
 * the given files or directories (pcap files, read as raw bytes) cyclically
 * up to the requested size, in packet-sized and stream-sized chunks. Prints
 * compile time, memory, serialisation size/load time and throughput. Times
 * are CPU seconds of this process (wall seconds in brackets): the machine
 * may be shared.
 *
 *   mpm-bench [RULES_DIR [CORPUS_MB [NAIVE_MB [PATH...]]]]
 *   defaults: /work/shared/rules/et-open 100 10 /work/shared/pcaps
 */
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "detect/mpm.h"

static double clk(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
    return clk(CLOCK_PROCESS_CPUTIME_ID);
}

static double wall(void)
{
    return clk(CLOCK_MONOTONIC);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 32;
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* Decodes a content value between its quotes; returns the length. */
static uint32_t decode_content(const char *s, const char *end, uint8_t *out, uint32_t cap)
{
    uint32_t n = 0;
    bool hex = false;
    int hi = -1;
    for (; s < end && n < cap; s++) {
        if (*s == '|') {
            hex = !hex;
            hi = -1;
        } else if (hex) {
            int v = hexval((unsigned char)*s);
            if (v < 0)
                continue; /* spaces between hex pairs */
            if (hi < 0)
                hi = v;
            else {
                out[n++] = (uint8_t)(hi << 4 | v);
                hi = -1;
            }
        } else if (*s == '\\' && s + 1 < end) {
            out[n++] = (uint8_t)*++s;
        } else {
            out[n++] = (uint8_t)*s;
        }
    }
    return n;
}

typedef struct Stats {
    uint32_t rules, contents, negated;
} Stats;

static uint8_t fp_lit[65536];
static uint32_t fp_len;
static bool fp_nocase;

/* Adds a content to the all-contents builder; keeps the rule's longest. */
static void add_content(MpmBuilder *b, const uint8_t *lit, uint32_t len, bool nocase, Stats *st)
{
    mpm_add(b, lit, len, nocase, st->contents++);
    if (len > fp_len) {
        memcpy(fp_lit, lit, len);
        fp_len = len;
        fp_nocase = nocase;
    }
}

/* Adds the contents of one rule line to `b`, its longest content to `fp`. */
static void scan_rule(MpmBuilder *b, MpmBuilder *fp, const char *line, Stats *st)
{
    const char *p = strchr(line, '(');
    if (!p)
        return;
    p++;
    fp_len = 0;
    static uint8_t lit[65536];
    uint32_t last_len = 0;
    bool have_last = false;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *name = p;
        while (*p && *p != ':' && *p != ';' && *p != ')')
            p++;
        size_t nlen = (size_t)(p - name);
        const char *val = NULL, *vend = NULL;
        if (*p == ':') {
            val = ++p;
            bool q = false;
            while (*p && (q || *p != ';')) {
                if (*p == '\\' && p[1])
                    p++;
                else if (*p == '"')
                    q = !q;
                p++;
            }
            vend = p;
        }
        if (*p == ';')
            p++;
        else if (*p)
            p++;
        if (nlen == 7 && strncmp(name, "content", 7) == 0 && val) {
            if (have_last)
                add_content(b, lit, last_len, false, st);
            have_last = false;
            while (val < vend && *val == ' ')
                val++;
            if (*val == '!') {
                st->negated++;
                continue;
            }
            const char *q1 = strchr(val, '"');
            const char *q2 = vend;
            while (q2 > val && q2[-1] != '"')
                q2--;
            if (!q1 || q2 - 1 <= q1)
                continue;
            last_len = decode_content(q1 + 1, q2 - 1, lit, sizeof(lit));
            have_last = last_len > 0;
        } else if (nlen == 6 && strncmp(name, "nocase", 6) == 0 && have_last) {
            add_content(b, lit, last_len, true, st);
            have_last = false;
        }
    }
    if (have_last)
        add_content(b, lit, last_len, false, st);
    if (fp_len)
        mpm_add(fp, fp_lit, fp_len, fp_nocase, st->rules);
    st->rules++;
}

static void load_rules(MpmBuilder *b, MpmBuilder *fp, const char *dir, Stats *st)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        exit(1);
    }
    struct dirent *e;
    char path[4096], *line = NULL;
    size_t cap = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 7 || strcmp(e->d_name + l - 6, ".rules") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        while (getline(&line, &cap, f) > 0)
            if (line[0] != '#' && line[0] != '\n')
                scan_rule(b, fp, line, st);
        fclose(f);
    }
    free(line);
    closedir(d);
}

static uint8_t *corpus;
static size_t corpus_len, corpus_cap;

static int add_file(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type != FTW_F || sb->st_size == 0 || corpus_len >= corpus_cap)
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    corpus_len += fread(corpus + corpus_len, 1, corpus_cap - corpus_len, f);
    fclose(f);
    return 0;
}

static int count_cb(uint32_t id, void *ctx)
{
    (void)id;
    (*(uint64_t *)ctx)++;
    return 0;
}

static void bench_scan(const MpmDb *db, size_t bytes, uint32_t chunk)
{
    MpmScratch *s = mpm_scratch_new(db);
    uint64_t hits = 0;
    double t0 = now(), w0 = wall();
    for (size_t off = 0; off < bytes; off += chunk) {
        uint32_t l = (uint32_t)(bytes - off < chunk ? bytes - off : chunk);
        mpm_scan(db, s, corpus + off, l, count_cb, &hits);
    }
    double t = now() - t0, w = wall() - w0;
    printf("  %-5s chunk %6u B: %6.1f MB in %6.3f s [%6.3f] = %7.1f MB/s (%.2f Gbit/s), "
           "%.1f ids/chunk\n",
        mpm_db_backend_name(db), chunk, (double)bytes / 1e6, t, w, (double)bytes / 1e6 / t,
        (double)bytes * 8 / 1e9 / t, (double)hits / (double)((bytes + chunk - 1) / chunk));
    mpm_scratch_free(s);
}

/* Cross-checks the two backends chunk by chunk over `bytes` (the number of
 * ids per chunk must agree); prints the number of disagreeing chunks. */
static void cross_check(const MpmDb *a, const MpmDb *b, size_t bytes, uint32_t chunk)
{
    MpmScratch *s = mpm_scratch_new(a);
    mpm_scratch_add_db(s, b);
    size_t bad = 0, n = 0;
    for (size_t off = 0; off < bytes; off += chunk, n++) {
        uint32_t l = (uint32_t)(bytes - off < chunk ? bytes - off : chunk);
        if (mpm_scan(a, s, corpus + off, l, NULL, NULL) != mpm_scan(b, s, corpus + off, l, NULL, NULL))
            bad++;
    }
    printf("  cross-check hs vs naive: %zu of %zu chunks disagree\n", bad, n);
    mpm_scratch_free(s);
}

/* Compiles `b` with both backends into dbs[0..1] and prints the figures. */
static void build_both(const char *label, const MpmBuilder *b, MpmDb *dbs[2])
{
    char err[512];
    const MpmBackend bes[2] = { MPM_BACKEND_HS, MPM_BACKEND_NAIVE };
    for (int i = 0; i < 2; i++) {
        double t0 = now(), w0 = wall();
        dbs[i] = mpm_build_backend(b, bes[i], err, sizeof(err));
        double t = now() - t0, w = wall() - w0;
        if (!dbs[i]) {
            printf("%s: build %d failed: %s\n", label, i, err);
            continue;
        }
        MpmScratch *s = mpm_scratch_new(dbs[i]);
        printf("%s %-5s compile %.3f s [%.3f]: %u unique literals, %u (literal,id) pairs, "
               "len %u..%u, db %.2f MB, scratch %.1f KB\n",
            label, mpm_db_backend_name(dbs[i]), t, w, mpm_db_unique_count(dbs[i]),
            mpm_db_pattern_count(dbs[i]), mpm_db_minlen(dbs[i]), mpm_db_maxlen(dbs[i]),
            (double)mpm_db_memory(dbs[i]) / 1e6, (double)mpm_scratch_memory(s) / 1e3);
        mpm_scratch_free(s);
        uint8_t *blob;
        size_t blen;
        if (mpm_db_serialize(dbs[i], &blob, &blen)) {
            t0 = now();
            MpmDb *cp = mpm_db_deserialize(blob, blen, err, sizeof(err));
            printf("%s %-5s serialised %.2f MB, deserialised in %.3f s%s\n", label,
                mpm_db_backend_name(dbs[i]), (double)blen / 1e6, now() - t0,
                cp ? "" : " (FAILED)");
            mpm_db_free(cp);
            free(blob);
        }
    }
}

int main(int argc, char **argv)
{
    const char *rules = argc > 1 ? argv[1] : "/work/shared/rules/et-open";
    size_t mb = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
    size_t naive_mb = argc > 3 ? strtoul(argv[3], NULL, 10) : 10;

    MpmBuilder *all = mpm_builder_new(), *fp = mpm_builder_new();
    Stats st = { 0 };
    double t0 = now();
    load_rules(all, fp, rules, &st);
    printf("rules: %u enabled rules, %u contents (+%u negated skipped), parsed in %.3f s\n",
        st.rules, st.contents, st.negated, now() - t0);
    MpmDb *dball[2], *dbfp[2];
    build_both("all-contents", all, dball);
    build_both("longest/rule", fp, dbfp);
    mpm_builder_free(all);
    mpm_builder_free(fp);

    corpus_cap = mb << 20;
    corpus = malloc(corpus_cap);
    if (!corpus)
        return 1;
    const char *def[] = { "/work/shared/pcaps" };
    const char **paths = argc > 4 ? (const char **)argv + 4 : def;
    int npaths = argc > 4 ? argc - 4 : 1;
    for (int round = 0; corpus_len < corpus_cap && round < 1000; round++) {
        size_t before = corpus_len;
        for (int i = 0; i < npaths; i++)
            nftw(paths[i], add_file, 16, FTW_PHYS);
        if (corpus_len == before)
            break;
    }
    printf("corpus: %.1f MB of raw pcap bytes\n", (double)corpus_len / 1e6);
    const uint32_t chunks[] = { 1500, 65536 };
    size_t nbytes = corpus_len < (naive_mb << 20) ? corpus_len : naive_mb << 20;
    MpmDb **sets[2] = { dball, dbfp };
    for (int k = 0; k < 2; k++) {
        printf("%s:\n", k ? "longest content per rule" : "all contents");
        for (int c = 0; c < 2; c++) {
            if (sets[k][0])
                bench_scan(sets[k][0], corpus_len, chunks[c]);
            if (sets[k][1])
                bench_scan(sets[k][1], nbytes, chunks[c]);
        }
        if (sets[k][0] && sets[k][1])
            cross_check(sets[k][0], sets[k][1], nbytes, 1500);
        mpm_db_free(sets[k][0]);
        mpm_db_free(sets[k][1]);
    }
    free(corpus);
    return 0;
}
