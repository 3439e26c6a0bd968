/*
 * Compiling many MPM databases at engine build: in parallel, and from an
 * on-disk cache when the very same pattern set was compiled before.
 *
 * Hyperscan compilation is most of what loading a large rule set costs
 * (ET Open: ~45 databases, ~24,000 patterns). Two things cut it:
 *
 *  - Threads: the databases are independent, so a job list (MpmJobs) is
 *    compiled by up to `threads` threads; the results go back to the
 *    caller in job order, and only then is the shared scratch grown, so the
 *    outcome does not depend on which thread finished first.
 *  - Cache (Suricata's detect.sgh-mpm-caching): a database is stored as
 *    <path>/<sha256 of its pattern set>.odmpm (mpm-serial.c's self-checking
 *    blob, written to a temporary file and renamed, so concurrent runs
 *    never see half a file). On the next build a blob is only used when it
 *    deserialises cleanly (CRC, bounds, Hyperscan's own checks) and the
 *    digest of what it holds equals the digest of the patterns asked for;
 *    a corrupt, truncated, foreign or stale file is compiled afresh and
 *    overwritten, never trusted. Files unused for longer than
 *    detect.sgh-mpm-caching-max-age are removed at start-up; a file used
 *    is touched.
 *
 * Settings: detect.sgh-mpm-caching (yes/no), detect.sgh-mpm-caching-path,
 * detect.sgh-mpm-caching-max-age (e.g. 7d, 12h, 0 = never expire). A cache
 * folder that cannot be created turns caching off with a notice.
 */
#ifndef ODLAR_DETECT_MPM_CACHE_H
#define ODLAR_DETECT_MPM_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/conf.h"
#include "detect/mpm.h"

typedef struct MpmCache {
    bool enabled;
    char dir[4096];
    uint64_t max_age; /* seconds; 0 = files never expire */
    /* figures of the last build, for the log and the bench */
    uint32_t hits, misses, stored;
} MpmCache;

/* Reads the settings (conf may be NULL: defaults, cache off), creates the
 * folder and removes expired files. */
void mpm_cache_init(MpmCache *c, Conf *conf);

/* One database to compile: the builder (borrowed) and where the result
 * goes. */
typedef struct MpmJob {
    const MpmBuilder *b;
    MpmDb **out;
} MpmJob;

typedef struct MpmJobs {
    MpmJob *jobs;
    uint32_t count, cap;
} MpmJobs;

bool mpm_jobs_add(MpmJobs *j, const MpmBuilder *b, MpmDb **out);
/* Compiles every job (cache first, then Hyperscan, the naive matcher when
 * Hyperscan refuses a database) with up to `threads` threads, then grows
 * *scratch (created when NULL) for each database in job order and counts
 * them in *db_count. cache may be NULL. False on out of memory (every
 * database compiled so far is freed and *out reset). */
bool mpm_jobs_run(MpmJobs *j, MpmCache *cache, unsigned threads, MpmScratch **scratch, uint32_t *db_count);
void mpm_jobs_free(MpmJobs *j);

#endif
