/*
 * MPM serialisation tests: serialize -> deserialize round trips (Hyperscan,
 * naive and empty databases) give databases that report exactly what the
 * original does and re-serialise to the same bytes; every damaged blob --
 * any single flipped bit in the header, flipped payload bytes, every
 * truncation, foreign bytes, and blobs whose checksum was recomputed over
 * inconsistent tables -- is rejected with a message.
 */
#include <stdio.h>

#include <zlib.h>

#include "mpm_test_util.h"

#include "detect/mpm-int.h" /* mpm_hs_test_override */

static MpmDb *sample_db(MpmBackend be, uint32_t n)
{
    MpmBuilder *b = mpm_builder_new();
    for (uint32_t i = 0; i < n; i++) {
        char lit[32];
        int l = snprintf(lit, sizeof(lit), "%c%u-\x01x", 'a' + (int)(i % 26), i * 7919u);
        assert_true(mpm_add(b, (const uint8_t *)lit, (uint32_t)l, i % 3 == 0, i % 50));
    }
    static const uint8_t bin[] = { 0, 0xff, 0, 'Q' };
    assert_true(mpm_add(b, bin, sizeof(bin), true, 4000000000u));
    char err[200];
    MpmDb *db = mpm_build_backend(b, be, err, sizeof(err));
    mpm_builder_free(b);
    assert_non_null(db);
    return db;
}

/* The original and the copy agree on random and planted buffers. */
static void same_results(const MpmDb *a, const MpmDb *b)
{
    assert_int_equal(mpm_db_pattern_count(a), mpm_db_pattern_count(b));
    assert_int_equal(mpm_db_unique_count(a), mpm_db_unique_count(b));
    assert_int_equal(mpm_db_id_count(a), mpm_db_id_count(b));
    assert_int_equal(mpm_db_minlen(a), mpm_db_minlen(b));
    assert_int_equal(mpm_db_maxlen(a), mpm_db_maxlen(b));
    MpmScratch *s = mpm_scratch_new(a);
    assert_true(mpm_scratch_add_db(s, b));
    TRng r = { .s = 42 };
    uint8_t buf[512];
    uint32_t x[128], y[128];
    for (int k = 0; k < 200; k++) {
        for (size_t i = 0; i < sizeof(buf); i++)
            buf[i] = (uint8_t)trng(&r);
        int l = snprintf((char *)buf + trng_below(&r, 400), 32, "%c%u-\x01x", 'A' + k % 26, k * 7919u);
        (void)l;
        static const uint8_t bin[] = { 0, 0xff, 0, 'q' };
        if (k % 5 == 0)
            memcpy(buf + 450, bin, sizeof(bin));
        uint32_t na = tscan(a, s, buf, sizeof(buf), x, 128);
        uint32_t nb = tscan(b, s, buf, sizeof(buf), y, 128);
        assert_int_equal(na, nb);
        assert_memory_equal(x, y, na * sizeof(uint32_t));
    }
    mpm_scratch_free(s);
}

static void test_round_trip(void **state)
{
    (void)state;
    const MpmBackend bes[] = { MPM_BACKEND_HS, MPM_BACKEND_NAIVE };
    const uint32_t sizes[] = { 0, 1, 500 };
    for (size_t i = 0; i < 2; i++) {
        for (size_t j = 0; j < 3; j++) {
            MpmDb *db = sample_db(bes[i], sizes[j]);
            uint8_t *blob = NULL, *blob2 = NULL;
            size_t len = 0, len2 = 0;
            assert_true(mpm_db_serialize(db, &blob, &len));
            char err[200] = "";
            MpmDb *cp = mpm_db_deserialize(blob, len, err, sizeof(err));
            if (!cp)
                fail_msg("deserialize: %s", err);
            assert_int_equal(mpm_db_backend(cp), bes[i]);
            same_results(db, cp);
            assert_true(mpm_db_serialize(cp, &blob2, &len2));
            assert_int_equal(len, len2);
            assert_memory_equal(blob, blob2, len);
            free(blob);
            free(blob2);
            mpm_db_free(cp);
            mpm_db_free(db);
        }
    }
}

/* A Hyperscan blob loaded where Hyperscan cannot run: naive, same results;
 * AUTO builds fall back to naive too, and HS builds fail cleanly. */
static void test_no_hs_fallback(void **state)
{
    (void)state;
    MpmDb *db = sample_db(MPM_BACKEND_HS, 300);
    uint8_t *blob;
    size_t len;
    assert_true(mpm_db_serialize(db, &blob, &len));
    mpm_hs_test_override(0);
    char err[200] = "";
    MpmDb *cp = mpm_db_deserialize(blob, len, err, sizeof(err));
    MpmBuilder *b = mpm_builder_new();
    assert_true(mpm_add(b, (const uint8_t *)"x", 1, false, 1));
    MpmDb *autodb = mpm_build(b, NULL, 0);
    MpmDb *hsdb = mpm_build_backend(b, MPM_BACKEND_HS, err, sizeof(err));
    mpm_hs_test_override(-1);
    mpm_builder_free(b);
    assert_non_null(cp);
    assert_int_equal(mpm_db_backend(cp), MPM_BACKEND_NAIVE);
    same_results(db, cp);
    assert_non_null(autodb);
    assert_int_equal(mpm_db_backend(autodb), MPM_BACKEND_NAIVE);
    assert_null(hsdb);
    assert_true(err[0] != '\0');
    mpm_db_free(autodb);
    mpm_db_free(cp);
    mpm_db_free(db);
    free(blob);
}

static void expect_reject(const uint8_t *blob, size_t len)
{
    char err[200] = "";
    MpmDb *db = mpm_db_deserialize(blob, len, err, sizeof(err));
    if (db)
        mpm_db_free(db);
    assert_null(db);
    assert_true(err[0] != '\0');
}

/* Recomputes the header CRC, as a forger (or a buggy writer) would. */
static void fix_crc(uint8_t *b, size_t len)
{
    uLong c = crc32(0L, Z_NULL, 0);
    c = crc32(c, b, 24);
    c = crc32(c, b + 32, (uInt)(len - 32));
    for (int i = 0; i < 4; i++)
        b[24 + i] = (uint8_t)(c >> (8 * i));
}

static void test_corrupt(void **state)
{
    (void)state;
    MpmDb *db = sample_db(MPM_BACKEND_AUTO, 40);
    uint8_t *blob;
    size_t len;
    assert_true(mpm_db_serialize(db, &blob, &len));
    mpm_db_free(db);
    uint8_t *c = malloc(len);
    assert_non_null(c);

    for (size_t bit = 0; bit < 32 * 8; bit++) { /* every header bit */
        memcpy(c, blob, len);
        c[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        expect_reject(c, len);
    }
    TRng r = { .s = 7 };
    for (int k = 0; k < 500; k++) { /* payload bytes, incl. the hs blob */
        memcpy(c, blob, len);
        size_t at = 32 + trng_below(&r, (uint32_t)(len - 32));
        c[at] ^= (uint8_t)(1 + trng_below(&r, 255));
        expect_reject(c, len);
    }
    for (size_t l = 0; l < len; l += (l < 64 ? 1 : 97)) /* truncations */
        expect_reject(blob, l);
    expect_reject(NULL, 0);
    for (size_t i = 0; i < len; i++) /* foreign bytes */
        c[i] = (uint8_t)trng(&r);
    expect_reject(c, len);

    /* valid CRC over inconsistent tables: payload starts with counts
     * (literals, ids, map entries), then the ids */
    memcpy(c, blob, len);
    c[32 + 4] ^= 1; /* id count */
    fix_crc(c, len);
    expect_reject(c, len);
    memcpy(c, blob, len);
    c[32 + 12] = 0xff; /* first id now larger than the second: not ascending */
    c[32 + 13] = 0xff;
    c[32 + 14] = 0xff;
    c[32 + 15] = 0xff;
    fix_crc(c, len);
    expect_reject(c, len);
    /* first literal (nocase: i % 3 == 0) gets an upper-case byte */
    memcpy(c, blob, len);
    uint32_t nid = (uint32_t)c[36] | (uint32_t)c[37] << 8;
    size_t lit0 = 32 + 12 + (size_t)nid * 4;
    assert_int_equal(c[lit0 + 4], 1);
    c[lit0 + 5] = 'A';
    fix_crc(c, len);
    expect_reject(c, len);
    /* its first dense id index out of range */
    memcpy(c, blob, len);
    uint32_t l0 = (uint32_t)c[lit0] | (uint32_t)c[lit0 + 1] << 8;
    size_t map0 = lit0 + 5 + l0 + 4;
    c[map0] = c[map0 + 1] = c[map0 + 2] = c[map0 + 3] = 0xee;
    fix_crc(c, len);
    expect_reject(c, len);
    /* trailing garbage */
    uint8_t *longer = malloc(len + 4);
    memcpy(longer, blob, len);
    memset(longer + len, 0, 4);
    expect_reject(longer, len + 4);
    longer[16] = (uint8_t)(longer[16] + 4); /* payload length claims it */
    fix_crc(longer, len + 4);
    expect_reject(longer, len + 4);

    free(longer);
    free(c);
    free(blob);
}

int run_mpm_serial_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_no_hs_fallback),
        cmocka_unit_test(test_corrupt),
    };
    return cmocka_run_group_tests_name("mpm-serial", tests, NULL, NULL);
}
