/*
 * Internals shared by the MPM front end (mpm.c), its serialiser
 * (mpm-serial.c) and its backends (mpm-hs.c, mpm-naive.c). Not for use
 * outside src/detect/mpm*.c.
 *
 * A database holds the backend-neutral tables -- the unique literals, each
 * with a slice of `map` listing the dense indexes of the ids it stands for,
 * and `ids` turning a dense index back into the caller's id -- plus the
 * backend's compiled form in `impl`. Backends report matches by literal
 * index through mpm_report(), which deduplicates ids per scan with
 * generation stamps kept in the scratch (no clearing between scans).
 */
#ifndef ODLAR_DETECT_MPM_INT_H
#define ODLAR_DETECT_MPM_INT_H

#include "detect/mpm.h"

typedef struct MpmPattern {
    uint8_t *bytes; /* nocase literals are stored folded to lower case */
    uint32_t len;
    bool nocase;
    uint32_t map_first, map_count; /* slice of MpmDb.map */
} MpmPattern;

typedef struct MpmOps MpmOps;

struct MpmDb {
    const MpmOps *ops;
    void *impl;
    MpmPattern *pats;
    uint32_t pat_count;
    uint32_t *map; /* dense id indexes, grouped per pattern */
    uint32_t map_count;
    uint32_t *ids; /* dense index -> caller id, strictly ascending */
    uint32_t id_count;
    uint32_t minlen, maxlen;
};

struct MpmScratch {
    void *hs; /* hs_scratch_t *, owned through mpm_ops_hs; NULL when unused */
    uint32_t gen; /* current scan's stamp */
    uint32_t *id_seen; /* per dense id: gen when already reported */
    uint32_t id_cap;
    uint32_t *pat_seen; /* per literal: gen when already matched (naive) */
    uint32_t pat_cap;
};

typedef struct MpmScanState {
    const MpmDb *db;
    MpmScratch *s;
    MpmMatchFn cb;
    void *ctx;
    uint32_t reported;
} MpmScanState;

struct MpmOps {
    const char *name;
    MpmBackend kind;
    /* Compiles db->pats into db->impl (pat_count > 0). */
    bool (*build)(MpmDb *db, char *err, size_t errlen);
    void (*free)(void *impl);
    size_t (*memory)(const void *impl);
    /* Scans; calls mpm_report per matching literal, stops when it says so. */
    void (*scan)(const MpmDb *db, MpmScanState *st, const uint8_t *buf, uint32_t len);
    /* Optional: the compiled form as bytes (malloc'd) and back. */
    bool (*serialize)(const void *impl, uint8_t **out, size_t *len);
    bool (*deserialize)(MpmDb *db, const uint8_t *buf, size_t len, char *err, size_t errlen);
    /* Optional: backend scratch inside MpmScratch.hs. */
    bool (*scratch_grow)(MpmScratch *s, const void *impl);
    bool (*scratch_clone)(MpmScratch *dst, const MpmScratch *src);
    void (*scratch_free)(MpmScratch *s);
    size_t (*scratch_memory)(const MpmScratch *s);
};

extern const MpmOps mpm_ops_hs;
extern const MpmOps mpm_ops_naive;

/* ASCII-only case folding, as HS_FLAG_CASELESS and Suricata's nocase. */
static inline uint8_t mpm_fold(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

/* Reports literal `pat` matched: calls the user callback for each of its ids
 * not reported yet in this scan. Returns nonzero when the scan must stop. */
static inline int mpm_report(MpmScanState *st, uint32_t pat)
{
    const MpmDb *db = st->db;
    if (pat >= db->pat_count)
        return 0; /* defensive: never index past the tables */
    const MpmPattern *p = &db->pats[pat];
    for (uint32_t i = 0; i < p->map_count; i++) {
        uint32_t dense = db->map[p->map_first + i];
        if (st->s->id_seen[dense] == st->s->gen)
            continue;
        st->s->id_seen[dense] = st->s->gen;
        st->reported++;
        if (st->cb && st->cb(db->ids[dense], st->ctx))
            return 1;
    }
    return 0;
}

/* Allocates an empty database shell (no backend). */
MpmDb *mpm_db_alloc(void);
/* Tests only: 0 makes mpm_hs_usable() say no, 1 yes, -1 asks the CPU again. */
void mpm_hs_test_override(int usable);
/* Sets db->minlen/maxlen from the literal table. */
void mpm_db_set_lengths(MpmDb *db);
/* Computes minlen/maxlen, then compiles with `ops`; on failure frees nothing
 * and returns false with err set. */
bool mpm_db_compile(MpmDb *db, const MpmOps *ops, char *err, size_t errlen);
void mpm_set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
