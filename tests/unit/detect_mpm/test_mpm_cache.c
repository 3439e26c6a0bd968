/*
 * Unit tests of the cached, parallel database compilation (mpm-cache.c):
 * digests equal for a builder and its database and different for another
 * pattern set, over the documented byte layout; a first run compiles and stores, a second loads from the
 * folder and answers like a fresh compile; a corrupted, truncated or
 * swapped cache file is never trusted (recompiled and rewritten); expired
 * files are removed at start-up; caching off or an unusable folder still
 * compiles.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>
#include <dirent.h>

#include <openssl/evp.h>

#include "conf/conf.h"
#include "detect/mpm-cache.h"
#include "mpm_test_util.h"

static char dir[256];

static MpmBuilder *builder(uint32_t seed)
{
    MpmBuilder *b = mpm_builder_new();
    assert_non_null(b);
    char lit[32];
    for (uint32_t i = 0; i < 50; i++) {
        snprintf(lit, sizeof(lit), "pat%u-%u", seed, i);
        assert_true(mpm_add(b, (const uint8_t *)lit, (uint32_t)strlen(lit), i % 3 == 0, i * 7 + seed));
    }
    assert_true(mpm_add(b, (const uint8_t *)"shared", 6, false, 1000)); /* one literal, two ids */
    assert_true(mpm_add(b, (const uint8_t *)"shared", 6, false, 1001));
    return b;
}

static Conf *conf_for(const char *path, const char *age)
{
    Conf *c = conf_new_empty();
    conf_set_value(c, "detect.sgh-mpm-caching", "yes", "test");
    conf_set_value(c, "detect.sgh-mpm-caching-path", path, "test");
    if (age)
        conf_set_value(c, "detect.sgh-mpm-caching-max-age", age, "test");
    return c;
}

static int count_ids(uint32_t id, void *ctx)
{
    (void)id;
    (*(uint32_t *)ctx)++;
    return 0;
}

/* Compiles b (a builder(seed)) through the cache, checks it answers as
 * compiled from scratch; returns the database (caller frees). */
static MpmDb *run_seed(MpmCache *c, const MpmBuilder *b, unsigned threads, uint32_t seed)
{
    MpmJobs j;
    memset(&j, 0, sizeof(j));
    MpmDb *db = NULL;
    MpmScratch *scratch = NULL;
    uint32_t dbs = 0;
    assert_true(mpm_jobs_add(&j, b, &db));
    assert_true(mpm_jobs_run(&j, c, threads, &scratch, &dbs));
    assert_int_equal(dbs, 1);
    assert_non_null(db);
    uint32_t hits = 0;
    const char *text = "xx pat7-3 yy shared zz PAT7-9";
    mpm_scan(db, scratch, (const uint8_t *)text, (uint32_t)strlen(text), count_ids, &hits);
    /* seed 7: pat7-3 (id 28), PAT7-9 (nocase, id 70), shared (1000, 1001); else only shared */
    assert_int_equal(hits, seed == 7 ? 4 : 2);
    mpm_scratch_free(scratch);
    mpm_jobs_free(&j);
    return db;
}

#define run(c, b, threads) run_seed((c), (b), (threads), 7)
#define run3(c, b, threads) run_seed((c), (b), (threads), 3)

static uint32_t files_in(const char *path)
{
    DIR *d = opendir(path);
    uint32_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += strstr(e->d_name, ".odmpm") != NULL;
    if (d)
        closedir(d);
    return n;
}

static char *only_file(const char *path)
{
    static char out[512];
    DIR *d = opendir(path);
    struct dirent *e;
    out[0] = '\0';
    while (d && (e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".odmpm"))
            snprintf(out, sizeof(out), "%s/%s", path, e->d_name);
    if (d)
        closedir(d);
    return out;
}

static void test_digest(void **state)
{
    (void)state;
    MpmBuilder *a = builder(7), *b = builder(7), *c = builder(8);
    uint8_t da[MPM_DIGEST_LEN], db_[MPM_DIGEST_LEN], dc[MPM_DIGEST_LEN], dd[MPM_DIGEST_LEN];
    assert_true(mpm_builder_digest(a, da));
    assert_true(mpm_builder_digest(b, db_));
    assert_true(mpm_builder_digest(c, dc));
    assert_memory_equal(da, db_, MPM_DIGEST_LEN);
    assert_memory_not_equal(da, dc, MPM_DIGEST_LEN);
    char err[256];
    MpmDb *db = mpm_build(a, err, sizeof(err));
    assert_non_null(db);
    assert_true(mpm_db_digest(db, dd));
    assert_memory_equal(da, dd, MPM_DIGEST_LEN);
    mpm_db_free(db);
    mpm_builder_free(a);
    mpm_builder_free(b);
    mpm_builder_free(c);
}

static size_t put_u32(uint8_t *out, uint32_t v)
{
    out[0] = (uint8_t)v;
    out[1] = (uint8_t)(v >> 8);
    out[2] = (uint8_t)(v >> 16);
    out[3] = (uint8_t)(v >> 24);
    return 4;
}

/* The digest is SHA-256 over a fixed layout (the cache's key: a change
 * would make every stored database unusable) -- the pattern count, then
 * per pattern in insertion order its length, nocase flag, bytes, id count
 * and ascending ids, each number 4 bytes little-endian -- whatever the
 * pattern sizes, one longer than the digest's own 4 KiB buffer included. */
static void test_digest_layout(void **state)
{
    (void)state;
    enum { LONG = 5000 };
    static uint8_t big[LONG], want_in[LONG + 128];
    for (size_t i = 0; i < LONG; i++)
        big[i] = (uint8_t)('a' + i % 26);
    MpmBuilder *b = mpm_builder_new();
    assert_non_null(b);
    assert_true(mpm_add(b, (const uint8_t *)"ab", 2, true, 5));
    assert_true(mpm_add(b, big, LONG, false, 9));
    assert_true(mpm_add(b, (const uint8_t *)"ab", 2, true, 3));
    assert_true(mpm_add(b, (const uint8_t *)"x", 1, false, 1));
    assert_true(mpm_add(b, (const uint8_t *)"ab", 2, true, 5)); /* the same pair again counts once */
    size_t n = put_u32(want_in, 3);
    n += put_u32(want_in + n, 2);
    n += put_u32(want_in + n, 1);
    memcpy(want_in + n, "ab", 2);
    n += 2;
    n += put_u32(want_in + n, 2);
    n += put_u32(want_in + n, 3);
    n += put_u32(want_in + n, 5);
    n += put_u32(want_in + n, LONG);
    n += put_u32(want_in + n, 0);
    memcpy(want_in + n, big, LONG);
    n += LONG;
    n += put_u32(want_in + n, 1);
    n += put_u32(want_in + n, 9);
    n += put_u32(want_in + n, 1);
    n += put_u32(want_in + n, 0);
    want_in[n++] = 'x';
    n += put_u32(want_in + n, 1);
    n += put_u32(want_in + n, 1);
    uint8_t want[MPM_DIGEST_LEN], got[MPM_DIGEST_LEN];
    unsigned wlen = 0;
    assert_true(EVP_Digest(want_in, n, want, &wlen, EVP_sha256(), NULL));
    assert_int_equal(wlen, MPM_DIGEST_LEN);
    assert_true(mpm_builder_digest(b, got));
    assert_memory_equal(got, want, MPM_DIGEST_LEN);
    char err[256];
    MpmDb *db = mpm_build(b, err, sizeof(err));
    assert_non_null(db);
    assert_true(mpm_db_digest(db, got));
    assert_memory_equal(got, want, MPM_DIGEST_LEN);
    mpm_db_free(db);
    mpm_builder_free(b);
}

static void test_store_load(void **state)
{
    (void)state;
    Conf *conf = conf_for(dir, NULL);
    MpmCache c;
    mpm_cache_init(&c, conf);
    assert_true(c.enabled);
    MpmBuilder *b = builder(7);
    mpm_db_free(run(&c, b, 2));
    assert_int_equal(c.misses, 1);
    assert_int_equal(c.stored, 1);
    assert_int_equal(files_in(dir), 1);
    MpmCache c2;
    mpm_cache_init(&c2, conf);
    mpm_db_free(run(&c2, b, 1));
    assert_int_equal(c2.hits, 1);
    assert_int_equal(c2.misses, 0);

    /* corrupt one byte in the middle: recompiled, rewritten */
    char path[512];
    snprintf(path, sizeof(path), "%s", only_file(dir));
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, 40, SEEK_SET);
    int ch = fgetc(f);
    fseek(f, 40, SEEK_SET);
    fputc(ch ^ 0x55, f);
    fclose(f);
    MpmCache c3;
    mpm_cache_init(&c3, conf);
    mpm_db_free(run(&c3, b, 1));
    assert_int_equal(c3.hits, 0);
    assert_int_equal(c3.stored, 1);

    /* truncated */
    assert_int_equal(truncate(path, 20), 0);
    MpmCache c4;
    mpm_cache_init(&c4, conf);
    mpm_db_free(run(&c4, b, 1));
    assert_int_equal(c4.hits, 0);

    /* another pattern set's (valid) file under this name: not trusted */
    MpmBuilder *other = builder(9);
    char other_dir[300];
    snprintf(other_dir, sizeof(other_dir), "%s/other", dir);
    Conf *oconf = conf_for(other_dir, NULL);
    MpmCache co;
    mpm_cache_init(&co, oconf);
    MpmJobs j;
    memset(&j, 0, sizeof(j));
    MpmDb *odb = NULL;
    MpmScratch *os = NULL;
    uint32_t n = 0;
    assert_true(mpm_jobs_add(&j, other, &odb));
    assert_true(mpm_jobs_run(&j, &co, 1, &os, &n));
    mpm_db_free(odb);
    mpm_scratch_free(os);
    mpm_jobs_free(&j);
    char other_path[512];
    snprintf(other_path, sizeof(other_path), "%s", only_file(other_dir));
    assert_int_equal(rename(other_path, path), 0);
    MpmCache c5;
    mpm_cache_init(&c5, conf);
    mpm_db_free(run(&c5, b, 1));
    assert_int_equal(c5.hits, 0);
    assert_int_equal(c5.misses, 1);
    MpmCache c6;
    mpm_cache_init(&c6, conf);
    mpm_db_free(run(&c6, b, 1));
    assert_int_equal(c6.hits, 1);

    mpm_builder_free(b);
    mpm_builder_free(other);
    conf_free(conf);
    conf_free(oconf);
}

static void test_expiry_and_off(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s/old.odmpm", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("x", f);
    fclose(f);
    struct utimbuf old = { 1000, 1000 };
    assert_int_equal(utime(path, &old), 0);
    Conf *conf = conf_for(dir, "1h");
    MpmCache c;
    mpm_cache_init(&c, conf);
    assert_true(c.enabled);
    assert_int_equal(c.max_age, 3600);
    assert_int_not_equal(access(path, F_OK), 0); /* removed */
    conf_free(conf);

    /* off, and an unusable folder: compiled all the same, nothing stored */
    Conf *off = conf_new_empty();
    conf_set_value(off, "detect.sgh-mpm-caching", "no", "test");
    MpmCache c2;
    mpm_cache_init(&c2, off);
    assert_false(c2.enabled);
    MpmBuilder *b = builder(3);
    mpm_db_free(run3(&c2, b, 2));
    assert_int_equal(c2.stored, 0);
    Conf *bad = conf_for("/proc/odlar-cannot-be-here", NULL);
    MpmCache c3;
    mpm_cache_init(&c3, bad);
    assert_false(c3.enabled);
    mpm_db_free(run3(&c3, b, 1));
    mpm_builder_free(b);
    conf_free(off);
    conf_free(bad);
}

/* Many jobs over several threads: every output filled, in job order. */
static void test_parallel(void **state)
{
    (void)state;
    MpmBuilder *b[12];
    MpmDb *out[12];
    MpmJobs j;
    memset(&j, 0, sizeof(j));
    for (int i = 0; i < 12; i++) {
        b[i] = builder((uint32_t)i + 20);
        assert_true(mpm_jobs_add(&j, b[i], &out[i]));
    }
    MpmBuilder *empty = mpm_builder_new();
    MpmDb *none = (MpmDb *)1;
    assert_true(mpm_jobs_add(&j, empty, &none));
    assert_null(none); /* nothing to compile: no database */
    MpmScratch *s = NULL;
    uint32_t n = 0;
    assert_true(mpm_jobs_run(&j, NULL, 4, &s, &n));
    assert_int_equal(n, 12);
    for (int i = 0; i < 12; i++) {
        assert_non_null(out[i]);
        assert_int_equal(mpm_db_id_count(out[i]), 52);
        mpm_db_free(out[i]);
        mpm_builder_free(b[i]);
    }
    mpm_builder_free(empty);
    mpm_scratch_free(s);
    mpm_jobs_free(&j);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/odlar-mpm-cache-test-%ld", (long)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int run_mpm_cache_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digest),
        cmocka_unit_test(test_digest_layout),
        cmocka_unit_test(test_store_load),
        cmocka_unit_test(test_expiry_and_off),
        cmocka_unit_test(test_parallel),
    };
    return cmocka_run_group_tests_name("mpm-cache", tests, setup, teardown);
}
