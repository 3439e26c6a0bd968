/*
 * Multi-pattern matcher (MPM): the detection prefilter.
 *
 * Design. Every signature contributes one literal (its fast pattern) to the
 * MPM database of the buffer it inspects; scanning a buffer once tells which
 * fast patterns occur, and only the signatures owning those are evaluated in
 * full. A prefilter only needs "this pattern is present", so a scan reports
 * each pattern id at most once, in no particular order, without offsets.
 *
 * Patterns are literal byte strings (any byte value, NUL included) with an
 * optional `nocase` meaning ASCII-only case folding, the same folding
 * Suricata's content nocase and Hyperscan's HS_FLAG_CASELESS use. As in
 * Suricata's Hyperscan matcher, identical (bytes, nocase) pairs are stored
 * once and map to every pattern id added with them; nocase patterns are
 * compared after folding, so "ABC"/nocase and "abc"/nocase are one pattern.
 * Pattern ids are caller-chosen uint32 values (sparse is fine: they are
 * remapped to dense indexes internally) and one id may be given to several
 * patterns; it is still reported once per scan.
 *
 * Lifecycle: a builder collects patterns (mpm_add), mpm_build compiles an
 * immutable MpmDb that any number of threads may scan concurrently, each with
 * its own MpmScratch. One scratch may serve several databases: create it for
 * the first and grow it with mpm_scratch_add_db for the others; a per-thread
 * copy is made with mpm_scratch_clone.
 *
 * Backends sit behind an ops table (MpmOps, mpm-int.h): Hyperscan (mpm-hs.c,
 * literal API hs_compile_lit_multi, block mode, HS_FLAG_SINGLEMATCH) and a
 * simple portable matcher (mpm-naive.c) used when Hyperscan cannot run on
 * this CPU (hs_valid_platform fails, e.g. no SSSE3) and by the tests as the
 * oracle. MPM_BACKEND_AUTO picks Hyperscan when usable.
 *
 * Serialisation (mpm-serial.c) writes a self-checking blob for an on-disk
 * cache: header (magic, format version, payload length, CRC-32 of header and
 * payload), the pattern/id tables, and the Hyperscan serialised database if
 * any. Deserialisation validates everything and rejects a corrupt, truncated
 * or foreign blob with a message; it never trusts the bytes.
 */
#ifndef ODLAR_DETECT_MPM_H
#define ODLAR_DETECT_MPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct MpmBuilder MpmBuilder;
typedef struct MpmDb MpmDb;
typedef struct MpmScratch MpmScratch;

typedef enum MpmBackend {
    MPM_BACKEND_AUTO = 0, /* Hyperscan if the CPU supports it, else naive */
    MPM_BACKEND_HS,
    MPM_BACKEND_NAIVE,
} MpmBackend;

/* Called once per matched pattern id per scan. Return 0 to go on, nonzero
 * to stop the scan early. */
typedef int (*MpmMatchFn)(uint32_t pattern_id, void *ctx);

/* --- building --- */

/* An empty builder, or NULL when out of memory. */
MpmBuilder *mpm_builder_new(void);
void mpm_builder_free(MpmBuilder *b); /* NULL is fine */

/* Adds literal `pattern[0..len)` under `id`. Returns false (builder
 * unchanged) when len is 0, pattern/b is NULL, or out of memory. Adding the
 * same (pattern, nocase, id) twice is harmless. */
bool mpm_add(MpmBuilder *b, const uint8_t *pattern, uint32_t len, bool nocase, uint32_t id);

/* Number of mpm_add calls accepted so far. */
uint32_t mpm_builder_count(const MpmBuilder *b);

/* Compiles the builder's patterns with the automatic backend. The builder is
 * not modified and still belongs to the caller. A builder with no patterns
 * gives a valid empty database that never matches. On failure returns NULL
 * and writes a message to err (when err/errlen allow). */
MpmDb *mpm_build(const MpmBuilder *b, char *err, size_t errlen);
/* Same, with a chosen backend; MPM_BACKEND_HS fails when Hyperscan cannot
 * run here. */
MpmDb *mpm_build_backend(const MpmBuilder *b, MpmBackend backend, char *err, size_t errlen);

/* --- the database (immutable, shareable between threads) --- */

void mpm_db_free(MpmDb *db); /* NULL is fine */
/* Distinct (pattern, id) pairs in the database. */
uint32_t mpm_db_pattern_count(const MpmDb *db);
/* Distinct (bytes, nocase) literals, i.e. Hyperscan expressions. */
uint32_t mpm_db_unique_count(const MpmDb *db);
/* Distinct pattern ids. */
uint32_t mpm_db_id_count(const MpmDb *db);
/* Shortest and longest literal length (0 for an empty database). */
uint32_t mpm_db_minlen(const MpmDb *db);
uint32_t mpm_db_maxlen(const MpmDb *db);
/* Heap bytes held by the database, the compiled backend included. */
size_t mpm_db_memory(const MpmDb *db);
/* MPM_BACKEND_HS or MPM_BACKEND_NAIVE, and its name ("hs", "naive"). */
MpmBackend mpm_db_backend(const MpmDb *db);
const char *mpm_db_backend_name(const MpmDb *db);

/* True when Hyperscan can run on this CPU (cached after the first call). */
bool mpm_hs_usable(void);

/* --- scratch (one per thread) --- */

/* Scratch able to scan `db`, or NULL when out of memory. */
MpmScratch *mpm_scratch_new(const MpmDb *db);
/* Grows `s` so that it can also scan `db` (s stays valid for earlier dbs).
 * Not to be called while `s` is in use by a scan. */
bool mpm_scratch_add_db(MpmScratch *s, const MpmDb *db);
/* An independent copy able to scan every db `s` can (for another thread). */
MpmScratch *mpm_scratch_clone(const MpmScratch *s);
void mpm_scratch_free(MpmScratch *s); /* NULL is fine */
size_t mpm_scratch_memory(const MpmScratch *s);

/* --- scanning --- */

/* Scans buf[0..len) and calls cb once for every distinct pattern id whose
 * literal occurs in it. Returns how many ids were reported (cb included the
 * one that asked to stop). `s` must have been made for/grown with `db` and
 * must not be used by another thread at the same time. buf may be NULL when
 * len is 0. cb may be NULL to just count. */
uint32_t mpm_scan(const MpmDb *db, MpmScratch *s, const uint8_t *buf, uint32_t len, MpmMatchFn cb,
    void *ctx);

/* --- serialisation (mpm-serial.c) --- */

/* A malloc'd blob describing `db`; the caller frees *out. False on OOM. */
bool mpm_db_serialize(const MpmDb *db, uint8_t **out, size_t *len);
/* Rebuilds a database from a blob made by mpm_db_serialize. Returns NULL
 * (with a message in err) when the blob is truncated, corrupt, from another
 * format version, or holds a Hyperscan database this host cannot load. A
 * blob with a Hyperscan database loaded where Hyperscan cannot run falls
 * back to the naive matcher built from the stored patterns. */
MpmDb *mpm_db_deserialize(const uint8_t *buf, size_t len, char *err, size_t errlen);

/* SHA-256 of what a database answers: every literal (bytes, nocase) in
 * insertion order with the ascending ids it stands for. A builder and the
 * database built (or deserialised) from the same patterns have the same
 * digest, which is how the on-disk cache (mpm-cache.h) knows a cached
 * database is the one it needs. False on out of memory. */
#define MPM_DIGEST_LEN 32
bool mpm_builder_digest(const MpmBuilder *b, uint8_t out[MPM_DIGEST_LEN]);
bool mpm_db_digest(const MpmDb *db, uint8_t out[MPM_DIGEST_LEN]);

#endif
