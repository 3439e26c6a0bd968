/*
 * MPM matching tests: hand-checked cases (dedup, nocase folding, NUL bytes,
 * shared ids, early stop, one scratch for several databases, stamp
 * wrap-around), the empty database, and the randomized differential test:
 * random pattern sets -- nocase, binary bytes, overlapping literals from a
 * tiny alphabet, duplicates and case variants, 1-byte and long literals,
 * sparse and shared ids -- scanned over random buffers with planted
 * occurrences; Hyperscan, the naive backend and a brute-force reference must
 * report exactly the same id sets.
 */
#include <stdio.h>

#include "mpm_test_util.h"

#include "detect/mpm-int.h" /* for the stamp wrap-around test */

static MpmDb *build_or_die(const MpmBuilder *b, MpmBackend be)
{
    char err[256] = "";
    MpmDb *db = mpm_build_backend(b, be, err, sizeof(err));
    if (!db)
        fail_msg("build failed: %s", err);
    return db;
}

static void test_basic(void **state)
{
    (void)state;
    static const uint8_t nul[] = { 'b', 0, 'c' };
    for (int be = MPM_BACKEND_HS; be <= MPM_BACKEND_NAIVE; be++) {
        MpmBuilder *b = mpm_builder_new();
        assert_true(mpm_add(b, (const uint8_t *)"abc", 3, false, 1));
        assert_true(mpm_add(b, (const uint8_t *)"ABC", 3, true, 2));
        assert_true(mpm_add(b, (const uint8_t *)"aBc", 3, true, 20)); /* same literal as id 2 */
        assert_true(mpm_add(b, nul, 3, false, 3));
        assert_true(mpm_add(b, (const uint8_t *)"c", 1, false, 4));
        assert_true(mpm_add(b, (const uint8_t *)"abc", 3, false, 5)); /* same literal as id 1 */
        assert_true(mpm_add(b, (const uint8_t *)"abc", 3, false, 5)); /* exact duplicate */
        assert_true(mpm_add(b, (const uint8_t *)"zz", 2, false, 7));
        assert_true(mpm_add(b, (const uint8_t *)"yy", 2, false, 7)); /* shared id */
        assert_false(mpm_add(b, (const uint8_t *)"x", 0, false, 9));
        assert_false(mpm_add(b, NULL, 1, false, 9));
        assert_int_equal(mpm_builder_count(b), 9);
        MpmDb *db = build_or_die(b, (MpmBackend)be);
        mpm_builder_free(b);
        assert_int_equal(mpm_db_backend(db), be);
        assert_int_equal(mpm_db_unique_count(db), 6);
        assert_int_equal(mpm_db_pattern_count(db), 8);
        assert_int_equal(mpm_db_id_count(db), 7);
        assert_int_equal(mpm_db_minlen(db), 1);
        assert_int_equal(mpm_db_maxlen(db), 3);
        assert_true(mpm_db_memory(db) > 0);
        MpmScratch *s = mpm_scratch_new(db);
        assert_non_null(s);
        assert_true(mpm_scratch_memory(s) > 0);
        uint32_t ids[16], n;

        n = tscan(db, s, (const uint8_t *)"xxABCxx", 7, ids, 16);
        assert_int_equal(n, 2);
        assert_int_equal(ids[0], 2);
        assert_int_equal(ids[1], 20);

        static const uint8_t buf2[] = { 'a', 'b', 'c', 'b', 0, 'c', 'y', 'y', 'z', 'z', 'c' };
        n = tscan(db, s, buf2, sizeof(buf2), ids, 16);
        uint32_t want[] = { 1, 2, 3, 4, 5, 7, 20 };
        assert_int_equal(n, 7);
        assert_memory_equal(ids, want, sizeof(want));

        /* nothing: wrong case for case-sensitive, too short, empty */
        assert_int_equal(tscan(db, s, (const uint8_t *)"ABxZZ", 5, ids, 16), 0);
        assert_int_equal(mpm_scan(db, s, NULL, 0, NULL, NULL), 0);
        assert_int_equal(mpm_scan(db, s, buf2, 0, NULL, NULL), 0);

        /* early stop after the first id */
        TCollect c = { .ids = ids, .cap = 16, .stop_after = 1 };
        assert_int_equal(mpm_scan(db, s, buf2, sizeof(buf2), tcollect_cb, &c), 1);
        assert_int_equal(c.n, 1);
        /* the next scan starts afresh */
        assert_int_equal(mpm_scan(db, s, buf2, sizeof(buf2), NULL, NULL), 7);

        mpm_scratch_free(s);
        mpm_db_free(db);
    }
}

static void test_empty(void **state)
{
    (void)state;
    for (int be = MPM_BACKEND_AUTO; be <= MPM_BACKEND_NAIVE; be++) {
        MpmBuilder *b = mpm_builder_new();
        MpmDb *db = build_or_die(b, (MpmBackend)be);
        mpm_builder_free(b);
        assert_int_equal(mpm_db_pattern_count(db), 0);
        assert_int_equal(mpm_db_unique_count(db), 0);
        MpmScratch *s = mpm_scratch_new(db);
        assert_non_null(s);
        assert_int_equal(mpm_scan(db, s, (const uint8_t *)"anything", 8, NULL, NULL), 0);
        MpmScratch *c = mpm_scratch_clone(s);
        assert_non_null(c);
        mpm_scratch_free(c);
        mpm_scratch_free(s);
        mpm_db_free(db);
    }
    assert_null(mpm_build(NULL, NULL, 0));
    mpm_db_free(NULL);
    mpm_scratch_free(NULL);
    mpm_builder_free(NULL);
}

static void test_multi_db_scratch(void **state)
{
    (void)state;
    MpmBuilder *b1 = mpm_builder_new(), *b2 = mpm_builder_new();
    assert_true(mpm_add(b1, (const uint8_t *)"foo", 3, false, 1));
    for (uint32_t i = 0; i < 300; i++) {
        char lit[16];
        int l = snprintf(lit, sizeof(lit), "pat%u;", i);
        assert_true(mpm_add(b2, (const uint8_t *)lit, (uint32_t)l, i % 2, 1000 + i));
    }
    MpmDb *d1 = build_or_die(b1, MPM_BACKEND_AUTO);
    MpmDb *d2 = build_or_die(b2, MPM_BACKEND_AUTO);
    MpmDb *d3 = build_or_die(b2, MPM_BACKEND_NAIVE);
    mpm_builder_free(b1);
    mpm_builder_free(b2);
    MpmScratch *s = mpm_scratch_new(d1);
    assert_true(mpm_scratch_add_db(s, d2));
    assert_true(mpm_scratch_add_db(s, d3));
    MpmScratch *c = mpm_scratch_clone(s);
    assert_non_null(c);
    const uint8_t *buf = (const uint8_t *)"foo PAT7; pat8; pat299;";
    uint32_t ids[8];
    MpmScratch *both[2] = { s, c };
    for (int k = 0; k < 2; k++) {
        assert_int_equal(tscan(d1, both[k], buf, (uint32_t)strlen((const char *)buf), ids, 8), 1);
        assert_int_equal(tscan(d2, both[k], buf, (uint32_t)strlen((const char *)buf), ids, 8), 3);
        assert_int_equal(ids[0], 1007);
        assert_int_equal(ids[1], 1008);
        assert_int_equal(ids[2], 1299);
        assert_int_equal(tscan(d3, both[k], buf, (uint32_t)strlen((const char *)buf), ids, 8), 3);
    }
    /* stamp wrap-around: reports stay exactly-once across the reset */
    s->gen = UINT32_MAX - 2;
    for (int i = 0; i < 6; i++)
        assert_int_equal(tscan(d2, s, buf, (uint32_t)strlen((const char *)buf), ids, 8), 3);
    mpm_scratch_free(c);
    mpm_scratch_free(s);
    mpm_db_free(d1);
    mpm_db_free(d2);
    mpm_db_free(d3);
}

/* Random literal: from a tiny alphabet (dense overlaps), or any byte. */
static void rand_lit(TRng *r, uint8_t *out, uint32_t len, bool tiny)
{
    static const uint8_t alpha[] = { 'a', 'b', 'A', 'B', 0, 0xff };
    for (uint32_t i = 0; i < len; i++)
        out[i] = tiny ? alpha[trng_below(r, sizeof(alpha))] : (uint8_t)trng(r);
}

static uint32_t rand_len(TRng *r)
{
    uint32_t k = trng_below(r, 10);
    if (k < 3)
        return 1 + trng_below(r, 2);
    if (k < 8)
        return 3 + trng_below(r, 8);
    return 11 + trng_below(r, 300); /* long */
}

/* A random pattern set of up to `max` patterns. */
static void rand_set(TRng *r, TSet *s, uint32_t max, bool tiny)
{
    uint32_t n = 1 + trng_below(r, max);
    uint8_t lit[400];
    bool sparse = trng_below(r, 2);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t id = sparse ? trng(r) : trng_below(r, n + 5); /* shared ids happen */
        uint32_t k = trng_below(r, 10);
        if (k == 0 && s->n) { /* duplicate literal, maybe other case/flag/id */
            const TPat *o = &s->p[trng_below(r, s->n)];
            uint32_t len = o->len;
            memcpy(lit, o->bytes, len);
            for (uint32_t j = 0; j < len; j++)
                if (trng_below(r, 2) && ((lit[j] | 32) >= 'a' && (lit[j] | 32) <= 'z'))
                    lit[j] ^= 32;
            tset_add(s, lit, len, trng_below(r, 2), id);
        } else if (k == 1 && s->n) { /* prefix/suffix of another: overlaps */
            const TPat *o = &s->p[trng_below(r, s->n)];
            uint32_t len = 1 + trng_below(r, o->len);
            uint32_t off = trng_below(r, 2) ? 0 : o->len - len;
            tset_add(s, o->bytes + off, len, o->nocase, id);
        } else {
            uint32_t len = rand_len(r);
            rand_lit(r, lit, len, tiny && len < 12);
            tset_add(s, lit, len, trng_below(r, 3) == 0, id);
        }
    }
}

/* A random buffer with some literals planted (case flipped for nocase). */
static uint32_t rand_buf(TRng *r, const TSet *s, uint8_t *buf, uint32_t cap, bool tiny)
{
    uint32_t len = trng_below(r, 8) == 0 ? trng_below(r, 4) : trng_below(r, cap + 1);
    rand_lit(r, buf, len, tiny);
    uint32_t plants = trng_below(r, 6);
    for (uint32_t i = 0; i < plants && s->n; i++) {
        const TPat *p = &s->p[trng_below(r, s->n)];
        if (p->len > len)
            continue;
        uint32_t at = trng_below(r, len - p->len + 1);
        for (uint32_t j = 0; j < p->len; j++) {
            uint8_t c = p->bytes[j];
            if (p->nocase && trng_below(r, 2) && ((c | 32) >= 'a' && (c | 32) <= 'z'))
                c ^= 32;
            buf[at + j] = c;
        }
    }
    return len;
}

static void test_random_differential(void **state)
{
    (void)state;
    TRng r = { .s = 0x0d1a5 };
    enum { BUF = 3000, IDS = 2000 };
    uint8_t *buf = malloc(BUF);
    uint32_t *want = malloc(IDS * sizeof(uint32_t));
    uint32_t *got_hs = malloc(IDS * sizeof(uint32_t));
    uint32_t *got_nv = malloc(IDS * sizeof(uint32_t));
    assert_true(buf && want && got_hs && got_nv);
    uint32_t total_hits = 0;
    for (int round = 0; round < 120; round++) {
        bool tiny = round % 2 == 0;
        TSet set = { 0 };
        rand_set(&r, &set, round % 10 == 0 ? 1500 : 120, tiny);
        MpmBuilder *b = tset_builder(&set);
        MpmDb *hs = build_or_die(b, MPM_BACKEND_HS);
        MpmDb *nv = build_or_die(b, MPM_BACKEND_NAIVE);
        mpm_builder_free(b);
        assert_int_equal(mpm_db_unique_count(hs), mpm_db_unique_count(nv));
        assert_int_equal(mpm_db_id_count(hs), mpm_db_id_count(nv));
        MpmScratch *s = mpm_scratch_new(hs);
        assert_true(mpm_scratch_add_db(s, nv));
        for (int k = 0; k < 25; k++) {
            uint32_t len = rand_buf(&r, &set, buf, BUF, tiny);
            uint32_t nw = tref_scan(&set, buf, len, want);
            uint32_t nh = tscan(hs, s, buf, len, got_hs, IDS);
            uint32_t nn = tscan(nv, s, buf, len, got_nv, IDS);
            assert_int_equal(nh, nw);
            assert_int_equal(nn, nw);
            assert_memory_equal(got_hs, want, nw * sizeof(uint32_t));
            assert_memory_equal(got_nv, want, nw * sizeof(uint32_t));
            total_hits += nw;
        }
        mpm_scratch_free(s);
        mpm_db_free(hs);
        mpm_db_free(nv);
        tset_free(&set);
    }
    assert_true(total_hits > 1000); /* the test really exercised matches */
    free(buf);
    free(want);
    free(got_hs);
    free(got_nv);
}

int run_mpm_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_multi_db_scratch),
        cmocka_unit_test(test_random_differential),
    };
    return cmocka_run_group_tests_name("mpm", tests, NULL, NULL);
}
