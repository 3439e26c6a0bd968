/*
 * Checksum "auto" mode of capture files (engine/checksum-auto.h): with
 * more than 100 wrong TCP checksums among the first 999 packets,
 * validation is off from the 1000th packet on, for that packet and every
 * later one; with 100 or fewer it stays on; a packet decoded with
 * csum_ignored set reports no bad checksum; "yes" and "no" never sample.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../decode/decode_test_util.h"
#include "engine/checksum-auto.h"

/* An Ethernet/IPv4/TCP frame whose TCP checksum is right or wrong. */
static Packet *tcp_frame(bool bad)
{
    Buf b = { .n = 0 };
    tb_eth(&b, 0x0800);
    size_t ip = tb_ip4(&b, 6, TB_IP_A, TB_IP_B, NULL, 0);
    size_t l4 = tb_tcp(&b, 1234, 80, 0x18, NULL, 0);
    tb_put(&b, "GET / HTTP/1.0\r\n\r\n", 18);
    tb_ip4_done(&b, ip);
    tb_l4_csum(&b, ip, l4, 16, 6);
    if (bad)
        b.b[l4 + 16] ^= 0x5a;
    return tb_packet(&b, 1 /* LINKTYPE_ETHERNET */);
}

/* Feeds 1200 packets, `bad` of the first 999 with a wrong checksum;
 * returns the first packet number (1-based) whose checksums are ignored,
 * 0 for none. */
static unsigned run(const DecodeConfig *dc, unsigned bad)
{
    ChecksumAuto ca;
    checksum_auto_init(&ca, dc);
    Packet *good = tcp_frame(false), *wrong = tcp_frame(true);
    unsigned first = 0;
    for (unsigned i = 1; i <= 1200; i++) {
        const Packet *p = i <= bad ? wrong : good;
        PacketRef ref = { .data = p->buf, .caplen = p->len, .wire_len = p->len, .datalink = p->datalink };
        bool ignored = checksum_auto_packet(&ca, &ref);
        if (ignored && !first)
            first = i;
        if (first)
            assert_true(ignored); /* stays off */
    }
    checksum_auto_free(&ca);
    packet_free(good);
    packet_free(wrong);
    return first;
}

static void test_decision(void **state)
{
    (void)state;
    DecodeConfig dc;
    decode_config_defaults(&dc);
    dc.checksum_validate = true;
    dc.checksum_auto = true;
    assert_int_equal(run(&dc, 101), CHECKSUM_AUTO_SAMPLE);
    assert_int_equal(run(&dc, 999), CHECKSUM_AUTO_SAMPLE);
    assert_int_equal(run(&dc, 100), 0);
    assert_int_equal(run(&dc, 0), 0);
    dc.checksum_auto = false; /* "yes" */
    assert_int_equal(run(&dc, 999), 0);
    dc.checksum_validate = false; /* "no" */
    assert_int_equal(run(&dc, 999), 0);
}

static void test_ignored_packet_decodes_clean(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    e.cfg.checksum_validate = true;
    Packet *p = tcp_frame(true);
    decode_packet(&e.dt, p);
    assert_true(p->l4_csum_bad);
    packet_free(p);
    p = tcp_frame(true);
    p->csum_ignored = true;
    decode_packet(&e.dt, p);
    assert_false(p->l4_csum_bad);
    packet_free(p);
    env_free_derived(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decision),
        cmocka_unit_test(test_ignored_packet_decodes_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
