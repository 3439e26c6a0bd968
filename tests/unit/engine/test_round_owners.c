/*
 * Unit tests of the published packet owners per round (round-owners.h): a
 * round reads as unpublished until a worker publishes it; the first
 * publication of a round stands and later ones are ignored; a reader that
 * read a different number of packets gets nothing; a slot is reused for the
 * round `rounds` later; and of several threads publishing the same rounds
 * at once exactly one publication is seen, whole.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/round-owners.h"

static void test_publish_and_get(void **state)
{
    (void)state;
    RoundOwners *ro = round_owners_new(4, 8);
    assert_non_null(ro);
    const uint8_t a[8] = { 0, 1, 1, 0, 2, 2, 0, 1 }, b[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
    assert_null(round_owners_get(ro, 0, 8));
    round_owners_publish(ro, 0, a, 8);
    const uint8_t *got = round_owners_get(ro, 0, 8);
    assert_non_null(got);
    assert_memory_equal(got, a, 8);
    round_owners_publish(ro, 0, b, 8); /* the first publication stands */
    assert_memory_equal(round_owners_get(ro, 0, 8), a, 8);
    assert_null(round_owners_get(ro, 0, 5)); /* the reader read another count */
    assert_null(round_owners_get(ro, 4, 8)); /* same slot, another round */
    round_owners_publish(ro, 4, b, 8);       /* the slot moves on to round 4 */
    assert_memory_equal(round_owners_get(ro, 4, 8), b, 8);
    assert_null(round_owners_get(ro, 0, 8));
    round_owners_publish(ro, 1, a, 9); /* more than a round holds: ignored */
    assert_null(round_owners_get(ro, 1, 9));
    round_owners_publish(ro, 2, a, 3); /* a short last round */
    assert_memory_equal(round_owners_get(ro, 2, 3), a, 3);
    round_owners_free(ro);
    round_owners_free(NULL);
}

enum { ROUNDS = 64, PACKETS = 512, THREADS = 3 };

typedef struct Publisher {
    RoundOwners *ro;
    uint8_t value;
} Publisher;

static void *publish_all(void *arg)
{
    Publisher *p = arg;
    uint8_t owners[PACKETS];
    memset(owners, p->value, sizeof(owners));
    for (uint64_t r = 0; r < ROUNDS; r++)
        round_owners_publish(p->ro, r, owners, PACKETS);
    return NULL;
}

static void test_racing_publishers(void **state)
{
    (void)state;
    RoundOwners *ro = round_owners_new(ROUNDS, PACKETS);
    Publisher p[THREADS];
    pthread_t t[THREADS];
    for (int k = 0; k < THREADS; k++) {
        p[k] = (Publisher){ .ro = ro, .value = (uint8_t)(k + 1) };
        assert_int_equal(pthread_create(&t[k], NULL, publish_all, &p[k]), 0);
    }
    for (int k = 0; k < THREADS; k++)
        pthread_join(t[k], NULL);
    for (uint64_t r = 0; r < ROUNDS; r++) {
        const uint8_t *got = round_owners_get(ro, r, PACKETS);
        assert_non_null(got);
        for (int i = 1; i < PACKETS; i++) /* one publisher's answers, not a mix */
            assert_int_equal(got[i], got[0]);
        assert_true(got[0] >= 1 && got[0] <= THREADS);
    }
    round_owners_free(ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_publish_and_get),
        cmocka_unit_test(test_racing_publishers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
