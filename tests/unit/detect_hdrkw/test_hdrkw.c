/*
 * Unit tests of the `hdrkw` keyword family: header sticky buffers
 * (extents per protocol, content on them through whole rules), tcp.ack /
 * tcp.seq / tcp.wscale, the checksum keywords on good and corrupted
 * packets, vlan.id / vlan.layers (parsing, layers, `all`), hostbits
 * (parsing, set then isset across packets, src/dst hosts), the flow counter
 * keywords, entropy (the measure itself, parsing, comparisons), absent
 * (placement errors, missing and present buffers) and the gunzip
 * transform (decompression, limits, options), iprep (list lines, most
 * specific entry, sides, option errors) and bypass (the flow's state, no
 * detection afterwards). Packets
 * are hand-built wire bytes run through the real decoder; rules go through
 * the real parser and detection engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../decode/decode_test_util.h"
#include "detect/detect-engine.h"
#include "detect/detect.h"
#include "detect/inspect.h"
#include "detect/buffer-registry.h"
#include "detect/flow-vars.h"
#include "detect/keyword.h"
#include "detect/kw-flowvars.h"
#include "detect/kw-hdrkw.h"
#include "detect/rule-load.h"
#include "detect/rule-parse.h"
#include "flow/flow.h"
#include "../engine-helper.h"

static char err[512];

/* Ethernet [VLAN 100 [VLAN 200]] / IPv4 / TCP SYN (MSS, WS 7) "hello". */
static Packet *tcp_packet(Env *e, int vlans, const uint8_t src[4], const uint8_t dst[4])
{
    static const uint8_t opts[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7};
    Buf b = {.n = 0};
    if (vlans == 0) {
        tb_eth(&b, 0x0800);
    } else {
        tb_eth(&b, 0x8100);
        if (vlans == 2) {
            tb_vlan(&b, 100, 0x8100);
            tb_vlan(&b, 200, 0x0800);
        } else {
            tb_vlan(&b, 100, 0x0800);
        }
    }
    size_t ip = tb_ip4(&b, 6, src, dst, NULL, 0);
    size_t tcp = tb_tcp(&b, 40000, 80, TH_SYN, opts, sizeof(opts));
    tb_put(&b, "hello", 5);
    tb_ip4_done(&b, ip);
    tb_l4_csum(&b, ip, tcp, 16, 6);
    Packet *p = tb_decode(e, &b, LINKTYPE_ETHERNET);
    assert_false(p->invalid);
    return p;
}

static Packet *udp_packet(Env *e)
{
    Buf b = {.n = 0};
    tb_eth(&b, 0x0800);
    size_t ip = tb_ip4(&b, 17, TB_IP_A, TB_IP_B, NULL, 0);
    size_t udp = tb_udp(&b, 5353, 53);
    tb_put(&b, "abcd", 4);
    tb_udp_done(&b, udp);
    tb_ip4_done(&b, ip);
    tb_l4_csum(&b, ip, udp, 6, 17);
    Packet *p = tb_decode(e, &b, LINKTYPE_ETHERNET);
    assert_false(p->invalid);
    return p;
}

static Packet *icmp_echo_packet(Env *e)
{
    Buf b = {.n = 0};
    tb_eth(&b, 0x0800);
    size_t ip = tb_ip4(&b, 1, TB_IP_A, TB_IP_B, NULL, 0);
    size_t icmp = b.n;
    uint8_t *h = tb_put(&b, NULL, 8);
    h[0] = 8; /* echo request */
    tb_be16(h + 4, 0x0a0e);
    tb_be16(h + 6, 7);
    tb_put(&b, "PTB", 3);
    tb_ip4_done(&b, ip);
    tb_icmp4_csum(&b, icmp);
    Packet *p = tb_decode(e, &b, LINKTYPE_ETHERNET);
    assert_false(p->invalid);
    return p;
}

static Packet *ipv6_udp_packet(Env *e)
{
    Buf b = {.n = 0};
    tb_eth(&b, 0x86dd);
    size_t ip = tb_ip6(&b, 17, TB_IP6_A, TB_IP6_B);
    size_t udp = tb_udp(&b, 1000, 2000);
    tb_put(&b, "x", 1);
    tb_udp_done(&b, udp);
    tb_ip6_done(&b, ip);
    tb_l4_csum(&b, ip, udp, 6, 17);
    Packet *p = tb_decode(e, &b, LINKTYPE_ETHERNET);
    assert_false(p->invalid);
    return p;
}


/* The sids that alerted on p, comma separated, in engine order. */
static const char *alerted(DetectThread *dt, Packet *p)
{
    static char out[256];
    detect_packet(dt, p);
    size_t off = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < dt->alert_count && off < sizeof(out); i++)
        off += (size_t)snprintf(out + off, sizeof(out) - off, "%s%u", i ? "," : "", dt->alerts[i].s->sid);
    return out;
}

static void expect_rule_error(const char *text, const char *needle)
{
    keywords_init();
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, NULL, "t.rules", 1);
    Signature *s = rule_parse(&rp, text);
    if (s) {
        signature_free(s);
        fail_msg("rule parsed but should fail: %s", text);
    }
    if (!strstr(rp.error, needle))
        fail_msg("error '%s' does not contain '%s'", rp.error, needle);
}

static void test_header_buffer_extents(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    const uint8_t *d;
    uint32_t n;
    Packet *p = tcp_packet(&e, 0, TB_IP_A, TB_IP_B);
    assert_true(hdr_buffer_get(p, HDR_BUF_IPV4, &d, &n));
    assert_int_equal(n, 20);
    assert_int_equal(d[0], 0x45);
    assert_true(hdr_buffer_get(p, HDR_BUF_TCP, &d, &n));
    assert_int_equal(n, 28);
    assert_int_equal(d[0], 0x9c); /* port 40000 */
    assert_false(hdr_buffer_get(p, HDR_BUF_UDP, &d, &n));
    assert_false(hdr_buffer_get(p, HDR_BUF_IPV6, &d, &n));
    assert_false(hdr_buffer_get(p, HDR_BUF_ICMPV4, &d, &n));
    packet_free(p);

    p = udp_packet(&e);
    assert_true(hdr_buffer_get(p, HDR_BUF_UDP, &d, &n));
    assert_int_equal(n, 8);
    assert_int_equal(d[5], 12); /* length 8 + 4 */
    assert_false(hdr_buffer_get(p, HDR_BUF_TCP, &d, &n));
    packet_free(p);

    p = icmp_echo_packet(&e);
    assert_true(hdr_buffer_get(p, HDR_BUF_ICMPV4, &d, &n));
    assert_int_equal(n, 8);
    assert_int_equal(d[0], 8);
    assert_false(hdr_buffer_get(p, HDR_BUF_ICMPV6, &d, &n));
    packet_free(p);

    p = ipv6_udp_packet(&e);
    assert_true(hdr_buffer_get(p, HDR_BUF_IPV6, &d, &n));
    assert_int_equal(n, 40);
    assert_int_equal(d[7], 64); /* hop limit */
    assert_false(hdr_buffer_get(p, HDR_BUF_IPV4, &d, &n));
    packet_free(p);
}

static void test_header_buffer_rules(void **state)
{
    (void)state;
    DetectEngine *de = engine_from_rules(
        "alert tcp any any -> any any (tcp.hdr; content:\"|9c 40 00 50|\"; offset:0; depth:4; sid:1;)\n"
        "alert tcp any any -> any any (tcp.hdr; content:\"|00 50|\"; offset:2; depth:2; tcp.hdr; "
        "content:\"|02|\"; distance:9; within:1; sid:2;)\n"
        "alert ip any any -> any any (ipv4.hdr; content:\"|12 34|\"; offset:4; depth:2; sid:3;)\n"
        "alert ip any any -> any any (ipv4.hdr; content:\"|12 35|\"; offset:4; depth:2; sid:4;)\n"
        "alert ip any any -> any any (udp.hdr; content:\"|00 35|\"; offset:2; depth:2; sid:5;)\n"
        "alert icmp any any -> any any (icmpv4.hdr; content:\"|0a 0e|\"; sid:6;)\n"
        "alert ip any any -> any any (ipv6.hdr; content:\"|40|\"; offset:7; depth:1; sid:7;)\n"
        "alert tcp any any -> any any (content:\"hello\"; tcp.hdr; content:!\"|ff ff|\"; sid:8;)\n"
        "alert tcp any any -> any any (tcp.hdr; bsize:28; sid:9;)\n");
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Env e;
    env_init(&e);
    Packet *p = tcp_packet(&e, 0, TB_IP_A, TB_IP_B);
    assert_string_equal(alerted(&dt, p), "1,2,3,8,9");
    packet_free(p);
    p = udp_packet(&e);
    assert_string_equal(alerted(&dt, p), "3,5");
    packet_free(p);
    p = icmp_echo_packet(&e);
    assert_string_equal(alerted(&dt, p), "3,6");
    packet_free(p);
    p = ipv6_udp_packet(&e);
    assert_string_equal(alerted(&dt, p), "7");
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);

    expect_rule_error("alert udp any any -> any any (tcp.hdr; content:\"a\"; sid:1;)", "tcp.hdr");
    expect_rule_error("alert tcp any any -> any any (icmpv4.hdr; sid:1;)", "icmpv4.hdr");
    expect_rule_error("alert tcp any any -> any any (tcp.hdr:1; sid:1;)", "takes no value");
}

static void test_tcp_fields(void **state)
{
    (void)state;
    DetectEngine *de = engine_from_rules("alert tcp any any -> any any (tcp.ack:2000; sid:1;)\n"
                                         "alert tcp any any -> any any (tcp.ack:>2000; sid:2;)\n"
                                         "alert tcp any any -> any any (tcp.seq:999-1001; sid:3;)\n"
                                         "alert tcp any any -> any any (tcp.wscale:7; sid:4;)\n"
                                         "alert tcp any any -> any any (tcp.wscale:<7; sid:5;)\n"
                                         "alert ip any any -> any any (tcp.seq:1000; sid:6;)\n");
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Env e;
    env_init(&e);
    Packet *p = tcp_packet(&e, 0, TB_IP_A, TB_IP_B);
    assert_string_equal(alerted(&dt, p), "1,3,4,6");
    packet_free(p);
    p = udp_packet(&e);
    assert_string_equal(alerted(&dt, p), "");
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);
    expect_rule_error("alert tcp any any -> any any (tcp.ack:x; sid:1;)", "tcp.ack");
    expect_rule_error("alert tcp any any -> any any (tcp.wscale:300; sid:1;)", "tcp.wscale");
}

static void test_checksums(void **state)
{
    (void)state;
    Env e;
    env_init(&e);
    Packet *p = tcp_packet(&e, 0, TB_IP_A, TB_IP_B);
    assert_int_equal(csum_packet_state(p, CSUM_IPV4), 1);
    assert_int_equal(csum_packet_state(p, CSUM_TCPV4), 1);
    assert_int_equal(csum_packet_state(p, CSUM_TCPV6), -1);
    assert_int_equal(csum_packet_state(p, CSUM_UDPV4), -1);
    p->buf[p->payload_off] ^= 0x20; /* "Hello": the TCP checksum breaks */
    assert_int_equal(csum_packet_state(p, CSUM_TCPV4), 0);
    assert_int_equal(csum_packet_state(p, CSUM_IPV4), 1);
    p->buf[p->l3_off + 8] = 1; /* TTL: the IPv4 checksum breaks */
    assert_int_equal(csum_packet_state(p, CSUM_IPV4), 0);

    DetectEngine *de = engine_from_rules("alert ip any any -> any any (ipv4-csum:invalid; sid:1;)\n"
                                         "alert tcp any any -> any any (tcpv4-csum:invalid; sid:2;)\n"
                                         "alert tcp any any -> any any (tcpv4-csum:valid; sid:3;)\n"
                                         "alert ip any any -> any any (ipv4-csum:valid; sid:4;)\n"
                                         "alert udp any any -> any any (udpv4-csum:valid; sid:5;)\n"
                                         "alert udp any any -> any any (udpv6-csum:valid; sid:6;)\n"
                                         "alert icmp any any -> any any (icmpv4-csum:valid; sid:7;)\n");
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    assert_string_equal(alerted(&dt, p), "1,2");
    packet_free(p);
    p = tcp_packet(&e, 0, TB_IP_A, TB_IP_B);
    assert_string_equal(alerted(&dt, p), "3,4");
    packet_free(p);
    p = udp_packet(&e);
    assert_string_equal(alerted(&dt, p), "4,5");
    packet_free(p);
    p = ipv6_udp_packet(&e);
    assert_string_equal(alerted(&dt, p), "6");
    packet_free(p);
    p = icmp_echo_packet(&e);
    assert_string_equal(alerted(&dt, p), "4,7");
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);
    expect_rule_error("alert ip any any -> any any (ipv4-csum:maybe; sid:1;)", "valid");
}

static void test_vlan(void **state)
{
    (void)state;
    VlanIdCtx *c = vlan_id_parse("0x12C,1", err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(c->layer, 1);
    assert_int_equal(c->id.arg1, 300);
    free(c);
    c = vlan_id_parse("!500,all", err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(c->layer, VLAN_LAYER_ALL);
    free(c);
    c = vlan_id_parse(">=200", err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(c->layer, VLAN_LAYER_ANY);
    free(c);
    assert_null(vlan_id_parse("4096", err, sizeof(err)));
    assert_null(vlan_id_parse("100,3", err, sizeof(err)));
    assert_null(vlan_id_parse("100,-4", err, sizeof(err)));
    assert_null(vlan_id_parse("100,x", err, sizeof(err)));
    assert_null(vlan_id_parse("", err, sizeof(err)));

    DetectEngine *de = engine_from_rules("alert ip any any -> any any (vlan.id:100; sid:1;)\n"
                                         "alert ip any any -> any any (vlan.id:200,0; sid:2;)\n"
                                         "alert ip any any -> any any (vlan.id:200,-1; sid:3;)\n"
                                         "alert ip any any -> any any (vlan.id:>50,all; sid:4;)\n"
                                         "alert ip any any -> any any (vlan.id:<150,all; sid:5;)\n"
                                         "alert ip any any -> any any (vlan.layers:2; sid:6;)\n"
                                         "alert ip any any -> any any (vlan.layers:0; sid:7;)\n"
                                         "alert ip any any -> any any (vlan.id:!100,1; sid:8;)\n");
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Env e;
    env_init(&e);
    Packet *p = tcp_packet(&e, 2, TB_IP_A, TB_IP_B);
    assert_int_equal(p->vlan_count, 2);
    assert_string_equal(alerted(&dt, p), "1,3,4,6,8");
    packet_free(p);
    p = tcp_packet(&e, 1, TB_IP_A, TB_IP_B);
    assert_string_equal(alerted(&dt, p), "1,4,5");
    packet_free(p);
    p = tcp_packet(&e, 0, TB_IP_A, TB_IP_B);
    assert_string_equal(alerted(&dt, p), "7");
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);
}

static void test_hostbits_parse(void **state)
{
    (void)state;
    bool noalert = false;
    XbitsCtx *c = hostbits_parse("set, abc", &noalert, err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(c->cmd, XBITS_SET);
    assert_int_equal(c->track, XBITS_TRACK_IP_SRC);
    assert_int_equal(c->expire, XBITS_EXPIRE_DEFAULT);
    assert_string_equal(c->name.name, "abc");
    xbits_free(c);
    c = hostbits_parse("toggle,abc,dst,expire 60", &noalert, err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(c->cmd, XBITS_TOGGLE);
    assert_int_equal(c->track, XBITS_TRACK_IP_DST);
    assert_int_equal(c->expire, 60);
    xbits_free(c);
    assert_null(hostbits_parse("noalert", &noalert, err, sizeof(err)));
    assert_true(noalert);
    assert_null(hostbits_parse("isset", &noalert, err, sizeof(err)));
    assert_false(noalert);
    assert_null(hostbits_parse("frob,x", &noalert, err, sizeof(err)));
    assert_non_null(strstr(err, "frob"));
    assert_null(hostbits_parse("set,x,both", &noalert, err, sizeof(err)));
    assert_null(hostbits_parse("set,x,expire 0", &noalert, err, sizeof(err)));
    assert_null(hostbits_parse("set,a b", &noalert, err, sizeof(err)));
}

static void test_hostbits_rules(void **state)
{
    (void)state;
    xbits_thread_cleanup();
    DetectEngine *de = engine_from_rules("alert tcp any any -> any any (hostbits:isset,seen,src; sid:1;)\n"
                                         "alert tcp any any -> any any (hostbits:isset,seen,dst; sid:2;)\n"
                                         "alert tcp any any -> any any (content:\"hello\"; hostbits:set,seen,dst; "
                                         "hostbits:noalert; sid:3;)\n"
                                         "alert tcp any any -> any any (hostbits:isnotset,seen; sid:4;)\n");
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Env e;
    env_init(&e);
    Packet *p = tcp_packet(&e, 0, TB_IP_A, TB_IP_B);
    assert_string_equal(alerted(&dt, p), "4"); /* sid 3 sets B's bit, silently */
    packet_free(p);
    p = tcp_packet(&e, 0, TB_IP_A, TB_IP_B); /* A -> B again: B (dst) is marked */
    assert_string_equal(alerted(&dt, p), "2,4");
    packet_free(p);
    p = tcp_packet(&e, 0, TB_IP_B, TB_IP_A); /* B -> A: B is now the source */
    assert_string_equal(alerted(&dt, p), "1");
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);
    xbits_thread_cleanup();
}

static void test_flow_counters(void **state)
{
    (void)state;
    DetectEngine *de = engine_from_rules("alert tcp any any -> any any (flow.pkts:toserver,3; sid:1;)\n"
                                         "alert tcp any any -> any any (flow.pkts:either,>=5; sid:2;)\n"
                                         "alert tcp any any -> any any (flow.bytes_toclient:<100; sid:3;)\n"
                                         "alert tcp any any -> any any (flow.age:>20; sid:4;)\n"
                                         "alert tcp any any -> any any (flow.pkts_toclient:5; sid:5;)\n");
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Env e;
    env_init(&e);
    Packet *p = tcp_packet(&e, 0, TB_IP_A, TB_IP_B);
    assert_string_equal(alerted(&dt, p), ""); /* no flow: none applies */
    Flow f;
    memset(&f, 0, sizeof(f));
    f.pkts_toserver = 3;
    f.pkts_toclient = 5;
    f.bytes_toclient = 500;
    f.start = OD_TIME_FROM_SEC(100);
    p->ts = OD_TIME_FROM_SEC(121);
    p->flow = &f;
    p->to_server = true;
    assert_string_equal(alerted(&dt, p), "1,2,4,5");
    p->ts = OD_TIME_FROM_SEC(120);
    f.bytes_toclient = 50;
    assert_string_equal(alerted(&dt, p), "1,2,3,5");
    detect_flow_free(&f);
    p->flow = NULL;
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);
    expect_rule_error("alert tcp any any -> any any (flow.pkts:sideways,3; sid:1;)", "flow.pkts");
    expect_rule_error("alert tcp any any -> any any (flow.pkts:toserver; sid:1;)", "flow.pkts");
}

static void entropy_seen(const char *name, double value, void *user)
{
    if (strcmp(name, "content") == 0)
        *(double *)user = value;
    else
        assert_string_equal(name, "tcp_hdr");
}

static void test_entropy(void **state)
{
    (void)state;
    uint8_t all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (uint8_t)i;
    assert_true(entropy_of(all, 256) > 7.9999 && entropy_of(all, 256) < 8.0001);
    assert_true(entropy_of((const uint8_t *)"aaaa", 4) == 0.0);
    assert_true(entropy_of((const uint8_t *)"abab", 4) > 0.9999 && entropy_of((const uint8_t *)"abab", 4) < 1.0001);
    assert_true(entropy_of(NULL, 0) == 0.0);

    EntropyCtx *c = entropy_parse("value > 4", err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(c->mode, DETECT_UINT_GT);
    assert_false(entropy_ctx_match(c, (const uint8_t *)"abab", 4));
    assert_true(entropy_ctx_match(c, all, 256));
    free(c);
    c = entropy_parse("bytes 4, offset 2, value 0.5-1.5", err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(c->offset, 2);
    assert_int_equal(c->bytes, 4);
    assert_true(entropy_ctx_match(c, (const uint8_t *)"zzababzzzz", 10)); /* "abab": 1 bit */
    assert_false(entropy_ctx_match(c, (const uint8_t *)"zzaaaazzzz", 10));
    free(c);
    c = entropy_parse("value !4-5", err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(c->mode, DETECT_UINT_NEG_RANGE);
    assert_true(entropy_ctx_match(c, all, 256));
    free(c);
    c = entropy_parse("value != 1", err, sizeof(err));
    assert_non_null(c);
    assert_false(entropy_ctx_match(c, (const uint8_t *)"abab", 4));
    free(c);
    c = entropy_parse("value 1", err, sizeof(err));
    assert_non_null(c);
    assert_true(entropy_ctx_match(c, (const uint8_t *)"abab", 4));
    free(c);
    assert_null(entropy_parse("offset 2", err, sizeof(err)));
    assert_null(entropy_parse("value > x", err, sizeof(err)));
    assert_null(entropy_parse("value 5-4", err, sizeof(err)));
    c = entropy_parse("bytes 0, offset -3, value 1", err, sizeof(err)); /* all of it, from the start */
    assert_non_null(c);
    assert_true(entropy_ctx_match(c, (const uint8_t *)"abab", 4));
    free(c);
    c = entropy_parse("bytes 5, value 1", err, sizeof(err));
    assert_non_null(c);
    assert_false(entropy_ctx_match(c, (const uint8_t *)"abab", 4)); /* too short */
    free(c);
    assert_null(entropy_parse("offset 70000, value 1", err, sizeof(err)));
    assert_null(entropy_parse("bytes -1, value 1", err, sizeof(err)));
    assert_null(entropy_parse("size 3, value 1", err, sizeof(err)));

    DetectEngine *de = engine_from_rules("alert tcp any any -> any any (entropy:value >= 2; sid:1;)\n"
                                         "alert tcp any any -> any any (entropy:value < 2; sid:2;)\n"
                                         "alert tcp any any -> any any (tcp.hdr; entropy:value > 1; sid:3;)\n");
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Env e;
    env_init(&e);
    Packet *p = tcp_packet(&e, 0, TB_IP_A, TB_IP_B); /* "hello": 1.92 bits */
    assert_string_equal(alerted(&dt, p), "2,3");
    packet_free(p);
    /* on a flow, the payload's value is recorded as the double "content"
     * (and sid 3's as "tcp_hdr") */
    Flow f;
    memset(&f, 0, sizeof(f));
    f.proto = 6;
    p = tcp_packet(&e, 0, TB_IP_A, TB_IP_B);
    p->flow = &f;
    p->to_server = true;
    assert_string_equal(alerted(&dt, p), "2,3");
    double h = -1;
    assert_int_equal(flow_floats_each(&f, entropy_seen, &h), 2);
    assert_true(h == entropy_of((const uint8_t *)"hello", 5));
    p->flow = NULL;
    detect_flow_free(&f);
    flow_vars_free(&f);
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);
}

static Signature *parse_ok(const char *text)
{
    keywords_init();
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, NULL, "t.rules", 1);
    Signature *s = rule_parse(&rp, text);
    if (s == NULL)
        fail_msg("rule failed: %s: %s", rp.error, text);
    return s;
}

static const SigMatchList *buffer_list(const Signature *s, const char *name)
{
    int id = buffer_lookup(name);
    assert_true(id >= 0);
    return sig_list(s, buffer_list_id(id));
}

static void test_absent(void **state)
{
    (void)state;
    DetectEngine *de = engine_from_rules("alert tcp any any -> any any (content:\"x\"; sid:1;)\n");
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));

    Signature *s = parse_ok("alert http any any -> any any (http.referer; absent; sid:1;)");
    const SigMatchList *l = buffer_list(s, "http.referer");
    assert_true(absent_list_matches_missing(l));
    /* present (even empty): plain absent fails */
    assert_false(inspect_buffer(&dt, s, l, (const uint8_t *)"abc", 3, INSPECT_BUF_APP, NULL));
    assert_false(inspect_buffer(&dt, s, l, (const uint8_t *)"", 0, INSPECT_BUF_APP, NULL));
    signature_free(s);

    s = parse_ok("alert http any any -> any any (http.referer; absent: or_else; content:!\"abc\"; sid:2;)");
    l = buffer_list(s, "http.referer");
    assert_true(absent_list_matches_missing(l));
    assert_true(inspect_buffer(&dt, s, l, (const uint8_t *)"xyz", 3, INSPECT_BUF_APP, NULL));
    assert_false(inspect_buffer(&dt, s, l, (const uint8_t *)"xabcx", 5, INSPECT_BUF_APP, NULL));
    signature_free(s);

    s = parse_ok("alert http any any -> any any (http.referer; content:\"abc\"; sid:3;)");
    assert_false(absent_list_matches_missing(buffer_list(s, "http.referer")));
    signature_free(s);

    expect_rule_error("alert http any any -> any any (absent; sid:1;)", "sticky buffer");
    expect_rule_error("alert http any any -> any any (http.referer; content:\"a\"; absent; sid:1;)", "right after");
    expect_rule_error("alert http any any -> any any (http.referer; absent: maybe; sid:1;)", "or_else");
    detect_thread_free(&dt);
    detect_engine_free(de);
}

static const uint8_t gz_sample[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x0b, 0xc9, 0xc8, 0x2c, 0x56, 0x00, 0xa2, 0xe4, 0xfc,
    0xdc, 0x82, 0xa2, 0xd4, 0xe2, 0xe2, 0xd4, 0x14, 0x85, 0x92, 0x8c, 0xd4, 0x3c, 0x85, 0xa4, 0xc4, 0xe2, 0x54, 0x33,
    0x13, 0xdd, 0xd4, 0xbc, 0xe4, 0xfc, 0x94, 0xd4, 0x14, 0x2e, 0x00, 0x5b, 0x66, 0x82, 0xc8, 0x27, 0x00, 0x00, 0x00};
static const char gz_text[] = "This is compressed then base64-encoded\n";

static void test_gunzip(void **state)
{
    (void)state;
    uint8_t out[128];
    uint32_t n = gunzip_decompress(gz_sample, sizeof(gz_sample), out, sizeof(out));
    assert_int_equal(n, strlen(gz_text));
    assert_memory_equal(out, gz_text, n);
    n = gunzip_decompress(gz_sample, sizeof(gz_sample), out, 8);
    assert_int_equal(n, 8);
    assert_memory_equal(out, "This is ", 8);
    assert_int_equal(gunzip_decompress((const uint8_t *)"not gzip at all", 15, out, sizeof(out)), 0);
    assert_int_equal(gunzip_decompress(gz_sample, 10, out, sizeof(out)), 0); /* header only */
    assert_int_equal(gunzip_decompress(NULL, 0, out, sizeof(out)), 0);

    uint32_t max = 0;
    assert_true(gunzip_parse_max(NULL, &max, err, sizeof(err)));
    assert_int_equal(max, 1024);
    assert_true(gunzip_parse_max("max-size 8", &max, err, sizeof(err)));
    assert_int_equal(max, 8);
    assert_true(gunzip_parse_max("max-size=2kb", &max, err, sizeof(err)));
    assert_int_equal(max, 2048);
    assert_false(gunzip_parse_max("max-size 0", &max, err, sizeof(err)));
    assert_false(gunzip_parse_max("size 8", &max, err, sizeof(err)));
    assert_false(gunzip_parse_max("max-size 8 9", &max, err, sizeof(err)));

    Signature *s = parse_ok("alert http any any -> any any (http.uri; gunzip: max-size 8; content:\"This\"; sid:1;)");
    const SigMatchList *l = buffer_list(s, "http.uri");
    assert_int_equal(l->transform_count, 1);
    const KeywordDef *k = keyword_get(l->transforms[0].kw);
    assert_string_equal(k->name, "gunzip");
    InspectBuffer ib = {.owned = NULL, .owned_cap = 0};
    assert_true(k->transform(gz_sample, sizeof(gz_sample), &ib, l->transforms[0].ctx));
    assert_int_equal(ib.len, 8);
    assert_memory_equal(ib.data, "This is ", 8);
    /* chained: the input lives in the scratch the output replaces */
    assert_true(k->transform(ib.data, ib.len, &ib, l->transforms[0].ctx));
    assert_int_equal(ib.len, 0);
    free(ib.owned);
    signature_free(s);
    expect_rule_error("alert tcp any any -> any any (gunzip; sid:1;)", "sticky buffer");
}

static Address addr4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    Address x;
    memset(&x, 0, sizeof(x));
    x.family = 4;
    x.addr[0] = a;
    x.addr[1] = b;
    x.addr[2] = c;
    x.addr[3] = d;
    return x;
}

static void test_iprep(void **state)
{
    (void)state;
    IprepTable *t = iprep_table_new();
    assert_non_null(t);
    assert_true(iprep_add_category_line(t, "1,bad,Known bad hosts"));
    assert_true(iprep_add_category_line(t, "2, cnc , Command and control"));
    assert_false(iprep_add_category_line(t, "0,zero,invalid id"));
    assert_false(iprep_add_category_line(t, "60,big,too large"));
    assert_false(iprep_add_category_line(t, "x,y,z"));
    assert_int_equal(iprep_category_id(t, "cnc"), 2);
    assert_int_equal(iprep_category_id(t, "nope"), 0);

    assert_true(iprep_add_entry_line(t, "10.0.0.0/8,1,20"));
    assert_true(iprep_add_entry_line(t, "10.1.2.3,1,90"));
    assert_true(iprep_add_entry_line(t, "2001:db8::1,2,127"));
    assert_true(iprep_add_entry_line(t, "10.2.0.0/16,1,30"));
    assert_true(iprep_add_entry_line(t, "10.5.5.5,2,1"));
    assert_true(iprep_add_entry_line(t, "10.5.5.5,2,7")); /* the last line wins */
    assert_false(iprep_add_entry_line(t, "10.0.0.1,1,128"));
    assert_false(iprep_add_entry_line(t, "10.0.0.1/33,1,1"));
    assert_false(iprep_add_entry_line(t, "10.0.0.1,0,1"));
    assert_false(iprep_add_entry_line(t, "host,1,1"));
    assert_false(iprep_add_entry_line(t, "10.0.0.1,1"));
    iprep_table_finish(t);

    Address a = addr4(10, 1, 2, 3), b = addr4(10, 9, 9, 9), c = addr4(192, 168, 0, 1);
    assert_int_equal(iprep_lookup(t, &a, 1), 90); /* the host beats the /8 */
    assert_int_equal(iprep_lookup(t, &b, 1), 20);
    assert_int_equal(iprep_lookup(t, &c, 1), -1);
    assert_int_equal(iprep_lookup(t, &a, 2), -1);
    Address d = addr4(10, 2, 3, 4), f5 = addr4(10, 5, 5, 5);
    assert_int_equal(iprep_lookup(t, &d, 1), 30); /* the /16 beats the /8 */
    assert_int_equal(iprep_lookup(t, &f5, 2), 7);
    assert_int_equal(iprep_lookup(t, &f5, 1), 20);
    Address v6;
    memset(&v6, 0, sizeof(v6));
    v6.family = 6;
    memcpy(v6.addr, TB_IP6_A, 16); /* 2001:db8::1 */
    assert_int_equal(iprep_lookup(t, &v6, 2), 127);

    uint8_t side = 0, cat = 0;
    DetectUint u;
    assert_true(iprep_parse(t, "src,bad,>,50", &side, &cat, &u, err, sizeof(err)));
    assert_int_equal(cat, 1);
    Packet *p = packet_new();
    p->src_addr = a;
    p->dst_addr = b;
    assert_true(iprep_match_table(t, p, side, cat, &u));
    assert_true(iprep_parse(t, "dst, bad, >, 50", &side, &cat, &u, err, sizeof(err)));
    assert_false(iprep_match_table(t, p, side, cat, &u));
    assert_true(iprep_parse(t, "any,bad,>,50", &side, &cat, &u, err, sizeof(err)));
    assert_true(iprep_match_table(t, p, side, cat, &u));
    assert_true(iprep_parse(t, "both,bad,>,10", &side, &cat, &u, err, sizeof(err)));
    assert_true(iprep_match_table(t, p, side, cat, &u));
    p->dst_addr = c; /* no entry: does not match */
    assert_false(iprep_match_table(t, p, side, cat, &u));
    assert_true(iprep_parse(t, "dst,bad,<,127", &side, &cat, &u, err, sizeof(err)));
    assert_false(iprep_match_table(t, p, side, cat, &u));
    packet_free(p);

    assert_false(iprep_parse(t, "src,unknown,>,1", &side, &cat, &u, err, sizeof(err)));
    assert_non_null(strstr(err, "unknown"));
    assert_false(iprep_parse(t, "up,bad,>,1", &side, &cat, &u, err, sizeof(err)));
    assert_false(iprep_parse(t, "src,bad,>,200", &side, &cat, &u, err, sizeof(err)));
    assert_false(iprep_parse(t, "src,bad,1", &side, &cat, &u, err, sizeof(err)));
    assert_false(iprep_parse(t, "src,bad,x,1", &side, &cat, &u, err, sizeof(err)));
    iprep_table_free(t);
    expect_rule_error("alert ip any any -> any any (iprep:src,bad,>,1; sid:1;)", "reputation");
}

static void test_bypass(void **state)
{
    (void)state;
    DetectEngine *de = engine_from_rules("alert tcp any any -> any any (content:\"hello\"; bypass; sid:1;)\n"
                                         "alert tcp any any -> any any (content:\"hello\"; sid:2;)\n");
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    Env e;
    env_init(&e);
    Packet *p = tcp_packet(&e, 0, TB_IP_A, TB_IP_B);
    assert_string_equal(alerted(&dt, p), "1,2"); /* no flow: nothing to bypass */
    Flow f;
    memset(&f, 0, sizeof(f));
    f.state = FLOW_STATE_ESTABLISHED;
    p->flow = &f;
    p->to_server = true;
    assert_false(bypass_flow_is_bypassed(&f));
    assert_string_equal(alerted(&dt, p), "1,2"); /* the rest of the packet is inspected */
    assert_int_equal(f.state, FLOW_STATE_LOCAL_BYPASSED);
    assert_true(bypass_flow_is_bypassed(&f));
    assert_string_equal(alerted(&dt, p), "");
    detect_flow_free(&f);
    p->flow = NULL;
    packet_free(p);
    detect_thread_free(&dt);
    detect_engine_free(de);
    expect_rule_error("alert tcp any any -> any any (bypass:1; sid:1;)", "takes no value");
    expect_rule_error("alert tcp any any -> any any (bypass; bypass; sid:1;)", "twice");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_buffer_extents),
        cmocka_unit_test(test_header_buffer_rules),
        cmocka_unit_test(test_tcp_fields),
        cmocka_unit_test(test_checksums),
        cmocka_unit_test(test_vlan),
        cmocka_unit_test(test_hostbits_parse),
        cmocka_unit_test(test_hostbits_rules),
        cmocka_unit_test(test_flow_counters),
        cmocka_unit_test(test_entropy),
        cmocka_unit_test(test_absent),
        cmocka_unit_test(test_gunzip),
        cmocka_unit_test(test_iprep),
        cmocka_unit_test(test_bypass),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
