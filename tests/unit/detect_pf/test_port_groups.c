/*
 * Unit tests of port grouping (src/detect/port-groups.c, port-grouping.c
 * and its use by the prefilter): the partition of the port space into
 * segments (`any`, ranges, adjacent equal segments merged, negated port
 * sets), the preference order (whitelisted single ports, then rule count)
 * under a group bound with the catch-all group, a randomized check that a
 * port's group always holds every rule whose ports contain it, the
 * detect.profile / custom-values / grouping.*-whitelist settings, and the
 * candidates the prefilter gives per port (`<>` rules keyed on both
 * port sets).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "detect/detect-engine.h"
#include "detect/keyword.h"
#include "detect/port-grouping.h"
#include "detect/port-groups.h"
#include "detect/port.h"
#include "detect/prefilter.h"
#include "detect/rule-load.h"

static bool group_has(const PortGroups *g, uint32_t group, uint32_t num)
{
    for (uint32_t i = 0; i < g->sizes[group]; i++)
        if (g->nums[group][i] == num)
            return true;
    return false;
}

static bool port_has(const PortGroups *g, uint16_t port, uint32_t num)
{
    return group_has(g, g->index[port], num);
}

/* Adds the ranges of a rule port field to the builder for signature num. */
static void add_ports(PortGroupBuilder *b, uint32_t num, const char *ports, int score)
{
    char err[128];
    PortSet *set = port_set_parse(ports, NULL, NULL, err, sizeof(err));
    assert_non_null(set);
    for (size_t i = 0; i < port_set_count(set); i++) {
        uint16_t lo, hi;
        assert_true(port_set_range(set, i, &lo, &hi));
        assert_true(port_group_add(b, num, lo, hi, score));
    }
    port_set_free(set);
}

static void test_segments_any_and_ranges(void **state)
{
    (void)state;
    PortGroupBuilder *b = port_group_builder_new();
    add_ports(b, 0, "any", 0);
    add_ports(b, 1, "80", 0);
    add_ports(b, 2, "80:90", 0);
    add_ports(b, 3, "443", 0);
    PortGroups *g = port_groups_build(b, 0, NULL, 0);
    assert_non_null(g);
    /* 0:79 {0}, 80 {0,1,2}, 81:90 {0,2}, 91:442 {0}, 443 {0,3}, 444:65535 {0} */
    assert_int_equal(g->unique, 6);
    assert_int_equal(g->sizes[g->index[80]], 3);
    assert_int_equal(g->sizes[g->index[85]], 2);
    assert_true(port_has(g, 85, 2) && !port_has(g, 85, 1));
    assert_int_equal(g->sizes[g->index[443]], 2);
    assert_true(port_has(g, 443, 3) && port_has(g, 443, 0));
    for (uint32_t p = 0; p < 65536; p++)
        assert_true(port_has(g, (uint16_t)p, 0)); /* `any` is everywhere */
    /* by count: the 3-rule segment first, then the two 2-rule ones in port order */
    assert_int_equal(g->lo[0], 80);
    assert_int_equal(g->lo[1], 81);
    assert_int_equal(g->hi[1], 90);
    assert_int_equal(g->lo[2], 443);
    /* nothing left over: the catch-all is empty */
    assert_int_equal(g->sizes[g->unique], 0);
    port_groups_free(g);
    port_group_builder_free(b);
}

static void test_adjacent_equal_segments_merge(void **state)
{
    (void)state;
    PortGroupBuilder *b = port_group_builder_new();
    add_ports(b, 0, "100:200", 0);
    add_ports(b, 1, "100:150", 0);
    add_ports(b, 1, "151:200", 0); /* the same rule on the next range */
    add_ports(b, 2, "300", 0);
    PortGroups *g = port_groups_build(b, 0, NULL, 0);
    assert_non_null(g);
    assert_int_equal(g->unique, 2);
    assert_int_equal(g->lo[0], 100);
    assert_int_equal(g->hi[0], 200);
    assert_int_equal(g->sizes[0], 2);
    assert_int_equal(g->index[150], g->index[151]);
    /* ports no rule names: the (empty) catch-all */
    assert_int_equal(g->index[99], g->unique);
    assert_int_equal(g->index[250], g->unique);
    assert_int_equal(g->sizes[g->unique], 0);
    port_groups_free(g);
    port_group_builder_free(b);
}

static void test_negated_ports(void **state)
{
    (void)state;
    PortGroupBuilder *b = port_group_builder_new();
    add_ports(b, 0, "!80", 0);
    add_ports(b, 1, "80", 0);
    add_ports(b, 2, "[1:1024,!22]", 0);
    PortGroups *g = port_groups_build(b, 0, NULL, 0);
    assert_non_null(g);
    assert_false(port_has(g, 80, 0));
    assert_true(port_has(g, 80, 1) && port_has(g, 80, 2));
    assert_true(port_has(g, 81, 0) && !port_has(g, 81, 1));
    assert_true(port_has(g, 22, 0) && !port_has(g, 22, 2));
    assert_true(port_has(g, 23, 2));
    assert_true(port_has(g, 0, 0) && !port_has(g, 0, 2));
    assert_true(port_has(g, 5000, 0) && !port_has(g, 5000, 2));
    port_groups_free(g);
    port_group_builder_free(b);
}

/* The bound: whitelisted single ports win over bigger groups, the rest
 * goes to the catch-all with every rule of the segments left out. */
static void test_bound_whitelist_and_catch_all(void **state)
{
    (void)state;
    PortGroupBuilder *b = port_group_builder_new();
    uint32_t num = 0;
    add_ports(b, num++, "any", 0);
    for (uint32_t i = 0; i < 5; i++) /* port 1000 has 5 rules, 1001 has 4, ... */
        for (uint32_t k = 0; k <= i; k++) {
            char p[16];
            snprintf(p, sizeof(p), "%u", 1004 - i);
            add_ports(b, num++, p, 0);
        }
    add_ports(b, num++, "53", 0); /* one rule, but a whitelisted port */
    add_ports(b, num++, "2000", PORT_SCORE_NO_MPM); /* one rule wanting its own group */
    add_ports(b, num++, "3000:3001", 0); /* a range is never "whitelisted" */
    const uint16_t wl[] = { 53, 3000 };
    PortGroups *g = port_groups_build(b, 3, wl, 2);
    assert_non_null(g);
    assert_int_equal(g->unique, 3);
    assert_int_equal(g->lo[0], 53); /* 111 */
    assert_int_equal(g->lo[1], 2000); /* 99 */
    assert_int_equal(g->lo[2], 1000); /* then by count: 5 rules + any */
    assert_int_equal(g->sizes[2], 6);
    const uint32_t rest = g->unique;
    assert_int_equal(g->index[1001], rest);
    assert_int_equal(g->index[3000], rest);
    assert_int_equal(g->index[7], rest);
    /* the catch-all holds every rule but those only on the unique ports */
    assert_int_equal(g->sizes[rest], num - 5 - 2);
    for (uint32_t p = 0; p < 65536; p++)
        assert_true(port_has(g, (uint16_t)p, 0));
    assert_false(group_has(g, rest, 11)); /* a port-1000 rule */
    assert_true(group_has(g, rest, 1)); /* the port-1004 rule */
    port_groups_free(g);
    /* no bound (0): every segment is unique */
    g = port_groups_build(b, 0, wl, 2);
    assert_int_equal(g->unique, 13); /* 8 named ports or ranges + 5 gaps only `any` covers */
    port_groups_free(g);
    port_group_builder_free(b);
}

static uint32_t rnd(uint64_t *st)
{
    *st = *st * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*st >> 33);
}

/* Random rules and bounds: a port's group holds exactly a superset of the
 * rules whose ranges contain the port; lists ascending without repeats. */
static void test_random_coverage(void **state)
{
    (void)state;
    uint64_t st = 42;
    for (int round = 0; round < 30; round++) {
        PortGroupBuilder *b = port_group_builder_new();
        enum { NSIG = 60, MAXR = 3 };
        uint16_t lo[NSIG][MAXR], hi[NSIG][MAXR];
        uint32_t nr[NSIG];
        for (uint32_t s = 0; s < NSIG; s++) {
            nr[s] = rnd(&st) % MAXR + (s % 7 == 0 ? 0 : 1); /* some rules match no port */
            for (uint32_t k = 0; k < nr[s]; k++) {
                uint32_t a = rnd(&st) % 65536, w = rnd(&st) % 4 == 0 ? rnd(&st) % 65536 : rnd(&st) % 40;
                lo[s][k] = (uint16_t)a;
                hi[s][k] = (uint16_t)(a + w > 65535 ? 65535 : a + w);
                assert_true(port_group_add(b, s, lo[s][k], hi[s][k], (int)(rnd(&st) % 3) * 50));
            }
        }
        const uint16_t wl[] = { (uint16_t)(rnd(&st) % 65536), 80 };
        uint32_t bound = rnd(&st) % 12;
        PortGroups *g = port_groups_build(b, bound, wl, 2);
        assert_non_null(g);
        assert_true(bound == 0 || g->unique <= bound);
        for (uint32_t i = 0; i < g->count; i++)
            for (uint32_t k = 1; k < g->sizes[i]; k++)
                assert_true(g->nums[i][k - 1] < g->nums[i][k]);
        for (uint32_t p = 0; p < 65536; p += 1 + rnd(&st) % 7) {
            for (uint32_t s = 0; s < NSIG; s++) {
                bool in = false;
                for (uint32_t k = 0; k < nr[s]; k++)
                    in = in || (p >= lo[s][k] && p <= hi[s][k]);
                if (in)
                    assert_true(port_has(g, (uint16_t)p, s));
                else if (g->index[p] < g->unique)
                    assert_false(port_has(g, (uint16_t)p, s)); /* unique groups are exact */
            }
        }
        port_groups_free(g);
        port_group_builder_free(b);
    }
}

static Conf *conf_with(const char *const *sets)
{
    Conf *c = conf_new_defaults();
    assert_non_null(c);
    char err[256];
    for (; sets && *sets; sets++)
        assert_true(conf_set(c, *sets, err, sizeof(err)));
    return c;
}

static void test_settings(void **state)
{
    (void)state;
    PortGroupingConfig pc;
    Conf *c = conf_with(NULL);
    assert_true(port_grouping_config_load(&pc, c));
    assert_int_equal(pc.max_groups[0], 40); /* medium */
    assert_int_equal(pc.max_groups[1], 20);
    assert_int_equal(pc.whitelist_count[0], 11);
    assert_int_equal(pc.whitelist[0][9], 6667); /* 6666 and 6667 stay two ports */
    assert_int_equal(pc.whitelist_count[1], 3);
    port_grouping_config_free(&pc);
    conf_free(c);

    c = conf_with((const char *const[]){ "detect.profile=low", NULL });
    assert_true(port_grouping_config_load(&pc, c));
    assert_int_equal(pc.max_groups[0], 25);
    assert_int_equal(pc.max_groups[1], 15);
    port_grouping_config_free(&pc);
    conf_free(c);

    /* custom: the suricata.yaml values (3 / 25), then explicit ones */
    c = conf_with((const char *const[]){ "detect.profile=custom", NULL });
    assert_true(port_grouping_config_load(&pc, c));
    assert_int_equal(pc.max_groups[0], 25);
    assert_int_equal(pc.max_groups[1], 3);
    port_grouping_config_free(&pc);
    conf_free(c);
    c = conf_with((const char *const[]){ "detect.profile=custom", "detect.custom-values.toserver-groups=7",
                                          "detect.custom-values.toclient-groups=bad", NULL });
    assert_true(port_grouping_config_load(&pc, c));
    assert_int_equal(pc.max_groups[0], 7);
    assert_int_equal(pc.max_groups[1], 20); /* invalid: Suricata's default */
    port_grouping_config_free(&pc);
    conf_free(c);

    /* an unknown profile: medium; a whitelist with a range: none */
    c = conf_with((const char *const[]){ "detect.profile=fastest", "detect.grouping.tcp-whitelist=80, 1000:1010",
                                          "detect.grouping.udp-whitelist=53,5353", NULL });
    assert_true(port_grouping_config_load(&pc, c));
    assert_int_equal(pc.max_groups[0], 40);
    assert_int_equal(pc.whitelist_count[0], 0);
    assert_int_equal(pc.whitelist_count[1], 2);
    assert_int_equal(pc.whitelist[1][1], 5353);
    port_grouping_config_free(&pc);
    conf_free(c);
}

static DetectEngine *engine(const char *text)
{
    keywords_init();
    DetectEngine *de = detect_engine_new(NULL);
    RuleLoadStats st;
    memset(&st, 0, sizeof(st));
    assert_true(rules_load_string(de, NULL, text, "mem.rules", &st));
    assert_int_equal(st.failed, 0);
    assert_true(detect_engine_build(de));
    assert_non_null(de->prefilter);
    return de;
}

/* The sids among the candidates of a TCP packet carrying "abc". */
static void candidates(const DetectEngine *de, DetectThread *dt, int dir, uint16_t port, char *out, size_t outlen)
{
    static const uint8_t pkt[] = "xxabcxx";
    uint32_t n = prefilter_run(de->prefilter, &dt->pf, 6, dir, port, pkt, sizeof(pkt) - 1, NULL, 0, false, true);
    out[0] = '\0';
    size_t len = 0;
    for (uint32_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, outlen - len, "%s%u", i ? "," : "", de->sigs[dt->pf.cand[i]]->sid);
}

static void test_prefilter_candidates_by_port(void **state)
{
    (void)state;
    DetectEngine *de = engine("alert tcp any any -> any 80 (content:\"abc\"; sid:1;)\n"
                              "alert tcp any any -> any 443 (content:\"abc\"; sid:2;)\n"
                              "alert tcp any any -> any any (content:\"abc\"; sid:3;)\n"
                              "alert tcp any any -> any !80 (content:\"abc\"; sid:4;)\n"
                              "alert tcp any 8080 <> any 9090 (content:\"abc\"; sid:5;)\n"
                              "alert tcp any any -> any 80 (dsize:>0; sid:6;)\n");
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    char got[64];
    candidates(de, &dt, 0, 80, got, sizeof(got));
    assert_string_equal(got, "1,3,6");
    candidates(de, &dt, 0, 443, got, sizeof(got));
    assert_string_equal(got, "2,3,4");
    candidates(de, &dt, 0, 8080, got, sizeof(got));
    assert_string_equal(got, "3,4,5");
    candidates(de, &dt, 0, 9090, got, sizeof(got));
    assert_string_equal(got, "3,4,5");
    /* to the client the key is the source port: only sid 5 names one */
    candidates(de, &dt, 1, 80, got, sizeof(got));
    assert_string_equal(got, "1,2,3,4,6");
    candidates(de, &dt, 1, 8080, got, sizeof(got));
    assert_string_equal(got, "1,2,3,4,5,6");
    detect_thread_free(&dt);
    detect_engine_free(de);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segments_any_and_ranges),
        cmocka_unit_test(test_adjacent_equal_segments_merge),
        cmocka_unit_test(test_negated_ports),
        cmocka_unit_test(test_bound_whitelist_and_catch_all),
        cmocka_unit_test(test_random_coverage),
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_prefilter_candidates_by_port),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
