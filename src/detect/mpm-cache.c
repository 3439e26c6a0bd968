/*
 * Parallel, cached compilation of MPM databases (see mpm-cache.h).
 */
#include "detect/mpm-cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "util/log.h"

#define CACHE_SUFFIX ".odmpm"
#define CACHE_MAX_FILE (512u * 1024u * 1024u)

/* "7d", "12h", "30m", "45s", "3600": seconds; false when unreadable. */
static bool parse_age(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return false;
    uint64_t mult = 1;
    if (*end == 'd')
        mult = 86400;
    else if (*end == 'h')
        mult = 3600;
    else if (*end == 'm')
        mult = 60;
    else if (*end == 's' || *end == '\0')
        mult = 1;
    else
        return false;
    if (*end && end[1])
        return false;
    *out = (uint64_t)v * mult;
    return true;
}

static bool mkdir_p(const char *path)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof(tmp))
        return false;
    memcpy(tmp, path, n + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return false;
        *p = '/';
    }
    return mkdir(tmp, 0755) == 0 || errno == EEXIST;
}

/* Removes our files not used for longer than max_age. */
static void remove_expired(const MpmCache *c)
{
    if (!c->max_age)
        return;
    DIR *d = opendir(c->dir);
    if (!d)
        return;
    time_t now = time(NULL);
    unsigned removed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name), sl = strlen(CACHE_SUFFIX);
        if (n <= sl || strcmp(e->d_name + n - sl, CACHE_SUFFIX) != 0)
            continue;
        char path[4400];
        snprintf(path, sizeof(path), "%s/%s", c->dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && now - st.st_mtime > (time_t)c->max_age && unlink(path) == 0)
            removed++;
    }
    closedir(d);
    if (removed)
        od_info("mpm cache: removed %u file(s) unused for more than %llu s from %s", removed,
                (unsigned long long)c->max_age, c->dir);
}

void mpm_cache_init(MpmCache *c, Conf *conf)
{
    memset(c, 0, sizeof(*c));
    c->max_age = 7 * 86400;
    bool on = false;
    const char *path = NULL, *age = NULL;
    if (!conf || !conf_get_bool(conf, "detect.sgh-mpm-caching", &on) || !on)
        return;
    if (!conf_get_str(conf, "detect.sgh-mpm-caching-path", &path) || !path || !*path)
        return;
    if (conf_get_str(conf, "detect.sgh-mpm-caching-max-age", &age) && age && !parse_age(age, &c->max_age))
        od_warn("detect.sgh-mpm-caching-max-age: '%s' is not a duration (e.g. 7d, 12h); using 7d", age);
    if (strlen(path) >= sizeof(c->dir) || !mkdir_p(path) || access(path, W_OK) != 0) {
        od_info("mpm cache: folder %s is not usable (%s); compiling without a cache", path, strerror(errno));
        return;
    }
    snprintf(c->dir, sizeof(c->dir), "%s", path);
    c->enabled = true;
    remove_expired(c);
}

static void cache_path(const MpmCache *c, const uint8_t digest[MPM_DIGEST_LEN], char *out, size_t outlen)
{
    char hex[MPM_DIGEST_LEN * 2 + 1];
    for (int i = 0; i < MPM_DIGEST_LEN; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    snprintf(out, outlen, "%s/%s%s", c->dir, hex, CACHE_SUFFIX);
}

/* The cached database for digest, or NULL (missing, unreadable, corrupt,
 * or holding other patterns). */
static MpmDb *cache_load(const char *path, const uint8_t want[MPM_DIGEST_LEN])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    uint8_t *buf = NULL;
    MpmDb *db = NULL;
    if (fstat(fd, &st) == 0 && st.st_size > 0 && (uint64_t)st.st_size <= CACHE_MAX_FILE &&
        (buf = malloc((size_t)st.st_size)) != NULL) {
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        char err[256];
        if (got == (size_t)st.st_size)
            db = mpm_db_deserialize(buf, got, err, sizeof(err));
        uint8_t have[MPM_DIGEST_LEN];
        if (db && (!mpm_db_digest(db, have) || memcmp(have, want, MPM_DIGEST_LEN) != 0)) {
            mpm_db_free(db);
            db = NULL;
        }
    }
    free(buf);
    close(fd);
    if (db)
        utime(path, NULL); /* in use: keep it from expiring */
    return db;
}

static bool cache_store(const char *path, const MpmDb *db)
{
    uint8_t *blob = NULL;
    size_t len = 0;
    if (!mpm_db_serialize(db, &blob, &len))
        return false;
    char tmp[4500];
    snprintf(tmp, sizeof(tmp), "%s.%ld.%lx.tmp", path, (long)getpid(), (unsigned long)pthread_self());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0;
    size_t off = 0;
    while (ok && off < len) {
        ssize_t w = write(fd, blob + off, len - off);
        if (w <= 0)
            ok = false;
        else
            off += (size_t)w;
    }
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    ok = ok && rename(tmp, path) == 0;
    if (!ok)
        unlink(tmp);
    free(blob);
    return ok;
}

bool mpm_jobs_add(MpmJobs *j, const MpmBuilder *b, MpmDb **out)
{
    *out = NULL;
    if (mpm_builder_count(b) == 0)
        return true; /* nothing to compile: no database */
    if (j->count == j->cap) {
        uint32_t ncap = j->cap ? j->cap * 2 : 32;
        MpmJob *n = realloc(j->jobs, ncap * sizeof(*n));
        if (!n)
            return false;
        j->jobs = n;
        j->cap = ncap;
    }
    j->jobs[j->count++] = (MpmJob){ b, out };
    return true;
}

void mpm_jobs_free(MpmJobs *j)
{
    free(j->jobs);
    memset(j, 0, sizeof(*j));
}

/* Shared by the compiling threads. */
typedef struct JobRun {
    MpmJobs *j;
    MpmCache *cache;
    pthread_mutex_t lock;
    uint32_t next;
    uint32_t hits, misses, stored;
} JobRun;

static void run_one(JobRun *r, const MpmJob *job)
{
    uint8_t digest[MPM_DIGEST_LEN];
    char path[4400] = "";
    bool cache = r->cache && r->cache->enabled && mpm_builder_digest(job->b, digest);
    MpmDb *db = NULL;
    if (cache) {
        cache_path(r->cache, digest, path, sizeof(path));
        db = cache_load(path, digest);
    }
    bool hit = db != NULL, stored = false;
    if (!db) {
        char err[256] = "";
        db = mpm_build(job->b, err, sizeof(err));
        if (!db) {
            od_warn("prefilter: cannot compile a fast-pattern database (%s); using the naive matcher", err);
            db = mpm_build_backend(job->b, MPM_BACKEND_NAIVE, err, sizeof(err));
        } else if (cache) {
            stored = cache_store(path, db);
        }
    }
    *job->out = db;
    pthread_mutex_lock(&r->lock);
    if (cache) {
        r->hits += hit;
        r->misses += !hit;
        r->stored += stored;
    }
    pthread_mutex_unlock(&r->lock);
}

static void *worker(void *arg)
{
    JobRun *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        uint32_t i = r->next < r->j->count ? r->next++ : UINT32_MAX;
        pthread_mutex_unlock(&r->lock);
        if (i == UINT32_MAX)
            return NULL;
        run_one(r, &r->j->jobs[i]);
    }
}

bool mpm_jobs_run(MpmJobs *j, MpmCache *cache, unsigned threads, MpmScratch **scratch, uint32_t *db_count)
{
    JobRun r = { .j = j, .cache = cache };
    pthread_mutex_init(&r.lock, NULL);
    if (threads < 1)
        threads = 1;
    if (threads > 16)
        threads = 16;
    if (threads > j->count)
        threads = j->count ? j->count : 1;
    pthread_t tid[16];
    unsigned started = 0;
    for (unsigned t = 1; t < threads; t++)
        if (pthread_create(&tid[started], NULL, worker, &r) == 0)
            started++;
    worker(&r); /* this thread works too */
    for (unsigned t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&r.lock);
    if (cache) {
        cache->hits += r.hits;
        cache->misses += r.misses;
        cache->stored += r.stored;
    }
    bool ok = true;
    for (uint32_t i = 0; i < j->count; i++) {
        MpmDb *db = *j->jobs[i].out;
        if (!db) {
            ok = false;
            continue;
        }
        bool grown = *scratch ? mpm_scratch_add_db(*scratch, db) : (*scratch = mpm_scratch_new(db)) != NULL;
        if (!grown)
            ok = false;
        else
            (*db_count)++;
    }
    if (!ok) {
        for (uint32_t i = 0; i < j->count; i++) {
            mpm_db_free(*j->jobs[i].out);
            *j->jobs[i].out = NULL;
        }
    }
    return ok;
}
