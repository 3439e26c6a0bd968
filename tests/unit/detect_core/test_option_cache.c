/*
 * Unit tests of the per-packet option cache (detect/option-cache.h):
 * identical packet options of different rules share one id at engine build
 * (and different ones do not; options only one rule has, and options of
 * keywords whose verdict can change within a packet such as
 * flowbits:isset, get none), the cached verdict of a
 * packet is not reused for the next packet, and the stamps are cleared when
 * the packet epoch wraps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/packet.h"
#include "detect/detect-engine.h"
#include "detect/detect.h"
#include "detect/keyword.h"
#include "detect/option-cache.h"
#include "detect/rule-load.h"
#include "../engine-helper.h"

/* The opt_id of the SIG_LIST_MATCH option of keyword `kw` in rule `sid`. */
static uint32_t opt_id_of(const DetectEngine *de, uint32_t sid, const char *kw)
{
    const int id = keyword_lookup(kw);
    assert_true(id >= 0);
    for (uint32_t i = 0; i < de->sig_count; i++) {
        if (de->sigs[i]->sid != sid)
            continue;
        const SigMatchList *l = sig_list(de->sigs[i], SIG_LIST_MATCH);
        for (uint16_t j = 0; l && j < l->count; j++)
            if (l->items[j].kw == (uint16_t)id)
                return l->items[j].opt_id;
    }
    fail_msg("rule %u has no %s option", sid, kw);
    return 0;
}

static void test_identical_options_share_an_id(void **state)
{
    (void)state;
    DetectEngine *de = engine_from_rules(
            "alert tcp any any -> any any (flow:established,to_server; ttl:64; dsize:0; sid:1;)\n"
            "alert tcp any any -> any any (flow:to_server,established; ttl:64; dsize:<5; sid:2;)\n"
            "alert tcp any any -> any any (flow:established,to_client; ttl:64; flowbits:isset,x; sid:3;)\n"
            "alert udp any any -> any any (dsize: 0; sid:4;)\n");
    /* 3 flow + 3 ttl + 3 dsize; distinct: flow 2, ttl 1, dsize 2; in 2+
     * rules: flow:established,to_server (2), ttl:64 (3), dsize:0 (2) */
    assert_int_equal(de->options.instances, 9);
    assert_int_equal(de->options.distinct, 5);
    assert_int_equal(de->options.ids, 3);
    assert_int_equal(de->options.shared_instances, 7);
    assert_int_not_equal(opt_id_of(de, 1, "flow"), 0);
    assert_int_equal(opt_id_of(de, 1, "flow"), opt_id_of(de, 2, "flow"));
    assert_int_equal(opt_id_of(de, 1, "ttl"), opt_id_of(de, 2, "ttl"));
    assert_int_equal(opt_id_of(de, 1, "ttl"), opt_id_of(de, 3, "ttl"));
    assert_int_not_equal(opt_id_of(de, 1, "ttl"), opt_id_of(de, 1, "flow"));
    assert_int_equal(opt_id_of(de, 1, "dsize"), opt_id_of(de, 4, "dsize"));
    assert_int_not_equal(opt_id_of(de, 1, "dsize"), 0);
    /* options only one rule has are not cached */
    assert_int_equal(opt_id_of(de, 3, "flow"), 0);
    assert_int_equal(opt_id_of(de, 2, "dsize"), 0);
    /* set by an earlier rule of the same packet: evaluated every time */
    assert_int_equal(opt_id_of(de, 3, "flowbits"), 0);
    detect_engine_free(de);
}

/* An IPv4 UDP packet with TTL `ttl` and an 8-byte payload. */
static Packet *udp_with_ttl(uint8_t ttl)
{
    Packet *p = packet_new();
    assert_non_null(p);
    static const uint8_t data[8] = "payload!";
    packet_set_data(p, data, sizeof(data));
    p->ip_version = 4;
    p->ip4.ttl = ttl;
    p->proto = 17;
    p->src_addr.family = p->dst_addr.family = 4;
    p->src_addr.addr[0] = 10;
    p->dst_addr.addr[0] = 10;
    p->dst_addr.addr[3] = 2;
    p->sp = 5000;
    p->dp = 6000;
    p->payload_len = sizeof(data);
    return p;
}

/* Two rules with the same ttl option: both alert on the packet that has
 * it, and the verdict cached for one packet is not the next packet's. */
static void test_verdict_is_per_packet(void **state)
{
    (void)state;
    DetectEngine *de = engine_from_rules("alert udp any any -> any any (ttl:64; sid:1;)\n"
                                    "alert udp any any -> any any (ttl:64; sid:2;)\n");
    assert_int_equal(de->options.ids, 1);
    const uint32_t id = opt_id_of(de, 1, "ttl");
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Packet *p = udp_with_ttl(64);
    detect_packet(&dt, p);
    assert_int_equal(dt.alert_count, 2);
    assert_int_equal(option_cache_get(&dt.opt_cache, id), 1);
    packet_free(p);
    p = udp_with_ttl(65);
    detect_packet(&dt, p);
    assert_int_equal(dt.alert_count, 0);
    assert_int_equal(option_cache_get(&dt.opt_cache, id), 0);
    packet_free(p);
    p = udp_with_ttl(64);
    detect_packet(&dt, p);
    assert_int_equal(dt.alert_count, 2);
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);
}

static void test_epoch_wrap_clears_stamps(void **state)
{
    (void)state;
    OptionCacheThread t;
    assert_true(option_cache_thread_init(&t, 3));
    option_cache_new_packet(&t);
    option_cache_put(&t, 2, true);
    assert_int_equal(option_cache_get(&t, 2), 1);
    assert_int_equal(option_cache_get(&t, 1), -1);
    option_cache_new_packet(&t);
    assert_int_equal(option_cache_get(&t, 2), -1);
    /* the epoch wraps back to 1: a stamp of an old epoch 1 must not count */
    t.epoch = 1;
    option_cache_put(&t, 3, false);
    t.epoch = (1u << 31) - 1;
    option_cache_new_packet(&t);
    assert_int_equal(t.epoch, 1);
    assert_int_equal(option_cache_get(&t, 3), -1);
    option_cache_thread_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical_options_share_an_id),
        cmocka_unit_test(test_verdict_is_per_packet),
        cmocka_unit_test(test_epoch_wrap_clears_stamps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
