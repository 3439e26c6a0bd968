/*
 * Hyperscan MPM backend.
 *
 * Each unique literal of the database becomes one Hyperscan expression whose
 * Hyperscan id is the literal's index; hs_compile_lit_multi takes the bytes
 * with explicit lengths, so NUL and regex metacharacters need no escaping.
 * The database is compiled in block mode for the host CPU, every expression
 * with HS_FLAG_SINGLEMATCH (the prefilter only asks "present?", so Hyperscan
 * stops tracking a literal after its first match) and HS_FLAG_CASELESS for
 * nocase literals. Scratch is allocated with hs_alloc_scratch, which also
 * grows an existing scratch so that one scratch serves several databases.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>

#include "detect/mpm-int.h"
#include "util/log.h"

static _Atomic int usable = -1; /* every thread computes the same answer */

void mpm_hs_test_override(int u)
{
    atomic_store(&usable, u);
}

bool mpm_hs_usable(void)
{
    int u = atomic_load(&usable);
    if (u < 0) {
        u = hs_valid_platform() == HS_SUCCESS;
        atomic_store(&usable, u);
    }
    return u == 1;
}

static bool hs_build(MpmDb *db, char *err, size_t errlen)
{
    uint32_t n = db->pat_count;
    const char **exprs = malloc(n * sizeof(*exprs));
    unsigned *flags = malloc(n * sizeof(*flags));
    unsigned *ids = malloc(n * sizeof(*ids));
    size_t *lens = malloc(n * sizeof(*lens));
    bool ok = false;
    if (!exprs || !flags || !ids || !lens) {
        mpm_set_err(err, errlen, "mpm-hs: out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < n; i++) {
        exprs[i] = (const char *)db->pats[i].bytes;
        lens[i] = db->pats[i].len;
        ids[i] = i;
        flags[i] = HS_FLAG_SINGLEMATCH | (db->pats[i].nocase ? HS_FLAG_CASELESS : 0);
    }
    hs_database_t *hdb = NULL;
    hs_compile_error_t *cerr = NULL;
    if (hs_compile_lit_multi(exprs, flags, ids, lens, n, HS_MODE_BLOCK, NULL, &hdb, &cerr) !=
        HS_SUCCESS) {
        mpm_set_err(err, errlen, "mpm-hs: compile failed (literal %d): %s",
            cerr ? cerr->expression : -1, cerr && cerr->message ? cerr->message : "?");
        hs_free_compile_error(cerr);
        goto out;
    }
    db->impl = hdb;
    ok = true;
out:
    free(exprs);
    free(flags);
    free(ids);
    free(lens);
    return ok;
}

static void hs_db_free(void *impl)
{
    hs_free_database(impl);
}

static size_t hs_memory(const void *impl)
{
    size_t sz = 0;
    if (hs_database_size(impl, &sz) != HS_SUCCESS)
        return 0;
    return sz;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
    unsigned int flags, void *ctx)
{
    (void)from;
    (void)to;
    (void)flags;
    return mpm_report(ctx, id);
}

static void hs_do_scan(const MpmDb *db, MpmScanState *st, const uint8_t *buf, uint32_t len)
{
    /* HS_SCAN_TERMINATED means the callback asked to stop: not an error. Any
     * other failure is a caller bug (a scratch not grown for this db, or in
     * use by another thread): logged once, the scan reports what it had. */
    hs_error_t rc = hs_scan(db->impl, (const char *)buf, len, 0, st->s->hs, on_match, st);
    if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED) {
        static atomic_flag logged = ATOMIC_FLAG_INIT;
        if (!atomic_flag_test_and_set(&logged))
            od_log(LOG_LVL_ERROR, "mpm-hs: hs_scan failed (%d): scratch not made for this database?",
                (int)rc);
    }
}

static bool hs_ser(const void *impl, uint8_t **out, size_t *len)
{
    char *bytes = NULL;
    size_t n = 0;
    if (hs_serialize_database(impl, &bytes, &n) != HS_SUCCESS)
        return false;
    /* hand back memory the caller may free() regardless of hs allocators */
    *out = malloc(n ? n : 1);
    if (*out)
        memcpy(*out, bytes, n);
    free(bytes); /* hs uses malloc unless hs_set_allocator was called */
    *len = n;
    return *out != NULL;
}

static bool hs_deser(MpmDb *db, const uint8_t *buf, size_t len, char *err, size_t errlen)
{
    hs_database_t *hdb = NULL;
    hs_error_t rc = hs_deserialize_database((const char *)buf, len, &hdb);
    if (rc != HS_SUCCESS) {
        mpm_set_err(err, errlen, "mpm-hs: cannot load Hyperscan database (%s)",
            rc == HS_DB_VERSION_ERROR    ? "other Hyperscan version"
            : rc == HS_DB_PLATFORM_ERROR ? "other platform"
            : rc == HS_DB_MODE_ERROR     ? "wrong mode"
                                         : "invalid");
        return false;
    }
    db->impl = hdb;
    return true;
}

static bool hs_scratch_grow(MpmScratch *s, const void *impl)
{
    hs_scratch_t *sc = s->hs;
    if (hs_alloc_scratch(impl, &sc) != HS_SUCCESS)
        return false;
    s->hs = sc;
    return true;
}

static bool hs_scratch_clone(MpmScratch *dst, const MpmScratch *src)
{
    hs_scratch_t *sc = NULL;
    if (hs_clone_scratch(src->hs, &sc) != HS_SUCCESS)
        return false;
    dst->hs = sc;
    return true;
}

static void hs_scratch_free(MpmScratch *s)
{
    hs_free_scratch(s->hs);
    s->hs = NULL;
}

static size_t hs_scratch_memory(const MpmScratch *s)
{
    size_t sz = 0;
    if (hs_scratch_size(s->hs, &sz) != HS_SUCCESS)
        return 0;
    return sz;
}

const MpmOps mpm_ops_hs = {
    .name = "hs",
    .kind = MPM_BACKEND_HS,
    .build = hs_build,
    .free = hs_db_free,
    .memory = hs_memory,
    .scan = hs_do_scan,
    .serialize = hs_ser,
    .deserialize = hs_deser,
    .scratch_grow = hs_scratch_grow,
    .scratch_clone = hs_scratch_clone,
    .scratch_free = hs_scratch_free,
    .scratch_memory = hs_scratch_memory,
};
