/*
 * Unit tests for the header and event keywords: the shared uint matcher,
 * parsing (accepted forms and rejected ones) and matching against
 * hand-built packets, following the examples of Suricata's documentation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/app-proto.h"
#include "detect/kw-events.h"
#include "detect/kw-header.h"
#include "detect/uint-match.h"
#include "flow/flow.h"

static char err[512];

static bool um(const char *s, uint64_t max, uint64_t v)
{
    DetectUint u;
    assert_true(detect_uint_parse(s, max, &u));
    return detect_uint_match(&u, v);
}

static bool uparse(const char *s, uint64_t max)
{
    DetectUint u;
    return detect_uint_parse(s, max, &u);
}

static void test_uint(void **state)
{
    (void)state;
    assert_true(um("5", 255, 5));
    assert_false(um("5", 255, 6));
    assert_true(um("=5", 255, 5));
    assert_true(um(" < 5 ", 255, 4));
    assert_false(um("<5", 255, 5));
    assert_true(um("<=5", 255, 5));
    assert_true(um(">5", 255, 6));
    assert_false(um(">5", 255, 5));
    assert_true(um(">=5", 255, 5));
    assert_true(um("!5", 255, 4));
    assert_false(um("!=5", 255, 5));
    assert_true(um("3-6", 255, 4));
    assert_false(um("3-6", 255, 3));
    assert_false(um("3<>6", 255, 6));
    assert_true(um("!3-6", 255, 3));
    assert_false(um("!3-6", 255, 5));
    assert_true(um("0x10", 255, 16));
    assert_true(um("&0xf0=0x10", 255, 0x1f));
    assert_false(um("&0xf0=0x10", 255, 0x2f));
    assert_true(um("&0xf0!=0x10", 255, 0x2f));
    assert_true(um("1kb", 65535, 1024));
    /* rejected */
    assert_false(uparse("256", 255));
    assert_false(uparse("", 255));
    assert_false(uparse("abc", 255));
    assert_false(uparse("<0", 255));
    assert_false(uparse(">255", 255));
    assert_false(uparse(">=0", 255));
    assert_false(uparse("5-6", 255)); /* empty exclusive range */
    assert_false(uparse("6-3", 255));
    assert_false(uparse("5 x", 255));
    assert_false(uparse("&0x0f=0x10", 255));
    assert_false(uparse("64kb", 65535));
    assert_true(uparse("4294967295", UINT32_MAX));
    assert_false(uparse("4294967296", UINT32_MAX));
}

static void tcp_pkt(Packet *p, uint8_t flags)
{
    memset(p, 0, sizeof(*p));
    p->ip_version = 4;
    p->proto = 6;
    p->tcp.hlen = 20;
    p->tcp.flags = flags;
    p->l4_len = 20;
}

static bool flags_match(const char *rule, uint8_t pkt_flags)
{
    Packet p;
    tcp_pkt(&p, pkt_flags);
    void *c = hdr_parse_flags(rule, err, sizeof(err));
    assert_non_null(c);
    bool r = hdr_match_flags(&p, c);
    free(c);
    return r;
}

static void test_flags(void **state)
{
    (void)state;
    assert_true(flags_match("S", TH_SYN));
    assert_false(flags_match("S", TH_SYN | TH_ACK));
    assert_true(flags_match("SA", TH_SYN | TH_ACK));
    assert_true(flags_match("+S", TH_SYN | TH_ACK));
    assert_false(flags_match("+SA", TH_SYN));
    assert_true(flags_match("*SA", TH_ACK | TH_PUSH));
    assert_false(flags_match("*SF", TH_ACK));
    assert_true(flags_match("!S", TH_ACK));
    assert_false(flags_match("!S", TH_SYN));
    assert_true(flags_match("S!", TH_ACK)); /* modifier after the letters */
    /* docs: flags:S,12 matches SYN with the ECN bits ignored */
    assert_true(flags_match("S,12", TH_SYN | TH_CWR | TH_ECN));
    assert_true(flags_match("S,CE", TH_SYN | TH_ECN));
    assert_false(flags_match("S", TH_SYN | TH_ECN));
    assert_true(flags_match("SE", TH_SYN | TH_ECN));
    assert_true(flags_match("S1", TH_SYN | TH_CWR));
    assert_true(flags_match("0", 0));
    assert_false(flags_match("0", TH_ACK));
    assert_true(flags_match("!0", TH_ACK));
    assert_true(flags_match("FPU", TH_FIN | TH_PUSH | TH_URG));
    /* errors */
    assert_null(hdr_parse_flags("", err, sizeof(err)));
    assert_null(hdr_parse_flags("s", err, sizeof(err))); /* lower case */
    assert_null(hdr_parse_flags("X", err, sizeof(err)));
    assert_null(hdr_parse_flags("!+S", err, sizeof(err)));
    assert_non_null(strstr(err, "one modifier"));
    assert_null(hdr_parse_flags("+", err, sizeof(err)));
    assert_null(hdr_parse_flags("S,", err, sizeof(err)));
    assert_null(hdr_parse_flags("S,X", err, sizeof(err)));
    /* not TCP, pseudo packet */
    Packet p;
    tcp_pkt(&p, TH_SYN);
    void *c = hdr_parse_flags("S", err, sizeof(err));
    p.proto = 17;
    assert_false(hdr_match_flags(&p, c));
    p.proto = 6;
    p.src = PKT_SRC_STREAM_TCP_DETECTLOG_FLUSH;
    assert_false(hdr_match_flags(&p, c));
    free(c);
}

static void test_tcp_numbers(void **state)
{
    (void)state;
    Packet p;
    tcp_pkt(&p, TH_ACK);
    p.tcp.ack = 12345;
    p.tcp.seq = 7;
    p.tcp.window = 55808;
    p.tcp.has_mss = true;
    p.tcp.mss = 1460;
    void *c = hdr_parse_ack("12345", err, sizeof(err));
    assert_true(hdr_match_ack(&p, c));
    free(c);
    c = hdr_parse_seq("8", err, sizeof(err));
    assert_false(hdr_match_seq(&p, c));
    free(c);
    assert_null(hdr_parse_seq("4294967296", err, sizeof(err)));
    c = hdr_parse_window("55808", err, sizeof(err));
    assert_true(hdr_match_window(&p, c));
    free(c);
    c = hdr_parse_window("!55808", err, sizeof(err));
    assert_false(hdr_match_window(&p, c));
    free(c);
    c = hdr_parse_window("! 1", err, sizeof(err));
    assert_true(hdr_match_window(&p, c));
    free(c);
    assert_null(hdr_parse_window("65536", err, sizeof(err)));
    assert_null(hdr_parse_window("<5", err, sizeof(err)));
    c = hdr_parse_tcp_mss("<1461", err, sizeof(err));
    assert_true(hdr_match_tcp_mss(&p, c));
    p.tcp.has_mss = false;
    assert_false(hdr_match_tcp_mss(&p, c));
    free(c);
}

static void ip_pkt(Packet *p)
{
    memset(p, 0, sizeof(*p));
    p->ip_version = 4;
    p->proto = 17;
    p->src_addr.family = p->dst_addr.family = 4;
    p->src_addr.addr[0] = 10;
    p->dst_addr.addr[0] = 192;
}

static void test_ip(void **state)
{
    (void)state;
    Packet p;
    ip_pkt(&p);
    p.ip4.ttl = 64;
    p.ip4.tos = 0x10;
    p.ip4.id = 31337;
    void *c = hdr_parse_ttl("64", err, sizeof(err));
    assert_true(hdr_match_ttl(&p, c));
    free(c);
    c = hdr_parse_ttl("10<>20", err, sizeof(err));
    assert_false(hdr_match_ttl(&p, c));
    free(c);
    assert_null(hdr_parse_ttl("300", err, sizeof(err)));
    assert_non_null(strstr(err, "ttl"));
    /* IPv6 hop limit */
    Packet p6 = p;
    p6.ip_version = 6;
    p6.ip6.hop_limit = 1;
    c = hdr_parse_ttl("<2", err, sizeof(err));
    assert_true(hdr_match_ttl(&p6, c));
    free(c);

    c = hdr_parse_tos("16", err, sizeof(err));
    assert_true(hdr_match_tos(&p, c));
    free(c);
    c = hdr_parse_tos("!0x10", err, sizeof(err));
    assert_false(hdr_match_tos(&p, c));
    free(c);
    c = hdr_parse_tos("x10", err, sizeof(err));
    assert_true(hdr_match_tos(&p, c));
    free(c);
    assert_null(hdr_parse_tos("256", err, sizeof(err)));
    assert_null(hdr_parse_tos("0x100", err, sizeof(err)));

    c = hdr_parse_id("31337", err, sizeof(err));
    assert_true(hdr_match_id(&p, c));
    free(c);
    c = hdr_parse_id("\"31337\"", err, sizeof(err));
    assert_true(hdr_match_id(&p, c));
    free(c);
    assert_null(hdr_parse_id("65536", err, sizeof(err)));

    c = hdr_parse_ip_proto("17", err, sizeof(err));
    assert_true(hdr_match_ip_proto(&p, c));
    free(c);
    c = hdr_parse_ip_proto("udp", err, sizeof(err));
    assert_true(hdr_match_ip_proto(&p, c));
    free(c);
    c = hdr_parse_ip_proto("!UDP", err, sizeof(err));
    assert_false(hdr_match_ip_proto(&p, c));
    free(c);
    c = hdr_parse_ip_proto("<18", err, sizeof(err));
    assert_true(hdr_match_ip_proto(&p, c));
    free(c);
    c = hdr_parse_ip_proto(">6", err, sizeof(err));
    assert_true(hdr_match_ip_proto(&p, c));
    free(c);
    c = hdr_parse_ip_proto("gre", err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(((HdrIpProto *)c)->proto, 47);
    free(c);
    assert_null(hdr_parse_ip_proto("nosuchproto", err, sizeof(err)));
    assert_null(hdr_parse_ip_proto("256", err, sizeof(err)));
    assert_null(hdr_parse_ip_proto("<0", err, sizeof(err)));

    /* sameip */
    assert_false(hdr_match_sameip(&p, NULL));
    p.dst_addr = p.src_addr;
    assert_true(hdr_match_sameip(&p, NULL));
}

static void test_ipopts_fragbits(void **state)
{
    (void)state;
    Packet p;
    ip_pkt(&p);
    void *c = hdr_parse_ipopts("any", err, sizeof(err));
    assert_false(hdr_match_ipopts(&p, c));
    p.ip4.opts = IPV4_OPT_FLAG_RR | IPV4_OPT_FLAG_NOP;
    assert_true(hdr_match_ipopts(&p, c));
    free(c);
    c = hdr_parse_ipopts("rr", err, sizeof(err));
    assert_true(hdr_match_ipopts(&p, c));
    free(c);
    c = hdr_parse_ipopts("lsrr", err, sizeof(err));
    assert_false(hdr_match_ipopts(&p, c));
    free(c);
    c = hdr_parse_ipopts("satid", err, sizeof(err));
    p.ip4.opts = IPV4_OPT_FLAG_SID;
    assert_true(hdr_match_ipopts(&p, c));
    free(c);
    assert_null(hdr_parse_ipopts("bogus", err, sizeof(err)));
    assert_null(hdr_parse_ipopts("rr,ts", err, sizeof(err)));
    assert_null(hdr_parse_ipopts("", err, sizeof(err)));

    /* fragbits */
    p.ip4.mf = true;
    c = hdr_parse_fragbits("M", err, sizeof(err));
    assert_true(hdr_match_fragbits(&p, c));
    free(c);
    c = hdr_parse_fragbits("!D", err, sizeof(err));
    assert_true(hdr_match_fragbits(&p, c));
    free(c);
    c = hdr_parse_fragbits("+M", err, sizeof(err));
    assert_false(hdr_match_fragbits(&p, c)); /* + needs another bit too */
    p.ip4.df = true;
    assert_true(hdr_match_fragbits(&p, c));
    free(c);
    c = hdr_parse_fragbits("*RD", err, sizeof(err));
    assert_true(hdr_match_fragbits(&p, c));
    free(c);
    c = hdr_parse_fragbits("MD", err, sizeof(err));
    assert_true(hdr_match_fragbits(&p, c));
    free(c);
    assert_null(hdr_parse_fragbits("X", err, sizeof(err)));
    assert_null(hdr_parse_fragbits("", err, sizeof(err)));

    /* fragoffset */
    p.ip4.frag_offset = 185;
    c = hdr_parse_fragoffset("185", err, sizeof(err));
    assert_true(hdr_match_fragoffset(&p, c));
    free(c);
    c = hdr_parse_fragoffset("!0", err, sizeof(err));
    assert_true(hdr_match_fragoffset(&p, c));
    free(c);
    c = hdr_parse_fragoffset("<100", err, sizeof(err));
    assert_false(hdr_match_fragoffset(&p, c));
    free(c);
    c = hdr_parse_fragoffset(">100", err, sizeof(err));
    assert_true(hdr_match_fragoffset(&p, c));
    free(c);
    assert_null(hdr_parse_fragoffset("x", err, sizeof(err)));
    assert_null(hdr_parse_fragoffset("70000", err, sizeof(err)));
}

static void test_icmp(void **state)
{
    (void)state;
    Packet p;
    memset(&p, 0, sizeof(p));
    p.ip_version = 4;
    p.proto = 1;
    p.l4_len = 8;
    p.icmp_type = 8;
    p.icmp_code = 0;
    p.has_icmp_id = true;
    p.icmp_id = 1234;
    p.icmp_seq = 7;
    void *c = hdr_parse_itype("8", err, sizeof(err));
    assert_true(hdr_match_itype(&p, c));
    free(c);
    c = hdr_parse_itype(">10", err, sizeof(err));
    assert_false(hdr_match_itype(&p, c));
    free(c);
    c = hdr_parse_itype("5<>10", err, sizeof(err));
    assert_true(hdr_match_itype(&p, c));
    free(c);
    c = hdr_parse_itype(">=8", err, sizeof(err));
    assert_true(hdr_match_itype(&p, c));
    free(c);
    c = hdr_parse_icode("<1", err, sizeof(err));
    assert_true(hdr_match_icode(&p, c));
    free(c);
    assert_null(hdr_parse_icode("256", err, sizeof(err)));
    assert_null(hdr_parse_itype("x", err, sizeof(err)));
    c = hdr_parse_icmp_id("\"1234\"", err, sizeof(err));
    assert_true(hdr_match_icmp_id(&p, c));
    free(c);
    c = hdr_parse_icmp_seq("7", err, sizeof(err));
    assert_true(hdr_match_icmp_seq(&p, c));
    /* destination unreachable carries no id */
    p.icmp_type = 3;
    p.has_icmp_id = false;
    assert_false(hdr_match_icmp_seq(&p, c));
    free(c);
    assert_null(hdr_parse_icmp_id("65536", err, sizeof(err)));
    /* ICMPv6 */
    p.proto = 58;
    p.ip_version = 6;
    p.icmp_type = 128;
    c = hdr_parse_itype("128", err, sizeof(err));
    assert_true(hdr_match_itype(&p, c));
    free(c);
    /* not ICMP */
    p.proto = 6;
    c = hdr_parse_itype("128", err, sizeof(err));
    assert_false(hdr_match_itype(&p, c));
    free(c);
}

static void test_stream_size_parse(void **state)
{
    (void)state;
    HdrStreamSize *c = hdr_parse_stream_size("server,>,100", err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(c->which, HDR_SSIZE_SERVER);
    assert_int_equal(c->u.mode, DETECT_UINT_GT);
    assert_int_equal(c->u.arg1, 100);
    free(c);
    c = hdr_parse_stream_size(" either , <= , 5 ", err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(c->which, HDR_SSIZE_EITHER);
    free(c);
    c = hdr_parse_stream_size("both,!=,5", err, sizeof(err));
    assert_non_null(c);
    free(c);
    assert_null(hdr_parse_stream_size("sideways,>,5", err, sizeof(err)));
    assert_null(hdr_parse_stream_size("server,>", err, sizeof(err)));
    assert_null(hdr_parse_stream_size("server,~,5", err, sizeof(err)));
    assert_null(hdr_parse_stream_size("server,>,x", err, sizeof(err)));
    assert_null(hdr_parse_stream_size("server,>,4294967296", err, sizeof(err)));
    /* no session: no match */
    Packet p;
    tcp_pkt(&p, TH_ACK);
    Flow f;
    memset(&f, 0, sizeof(f));
    p.flow = &f;
    c = hdr_parse_stream_size("either,>=,1", err, sizeof(err));
    assert_false(hdr_match_stream_size(&p, c));
    free(c);
}

static void test_events(void **state)
{
    (void)state;
    Packet p;
    memset(&p, 0, sizeof(p));
    EventCtx *c = event_parse_decode("ipv4.opt_pad_required", err, sizeof(err));
    assert_non_null(c);
    assert_false(event_match(&p, c));
    packet_add_event(&p, DEV_IPV4_OPT_PAD_REQUIRED);
    assert_true(event_match(&p, c));
    free(c);
    c = event_parse_decode("IPV4.TRUNC_PKT", err, sizeof(err));
    assert_non_null(c);
    assert_false(event_match(&p, c));
    free(c);
    assert_null(event_parse_decode("ipv4.nonsense", err, sizeof(err)));
    assert_non_null(strstr(err, "ipv4.nonsense"));
    assert_null(event_parse_decode("", err, sizeof(err)));
    assert_null(event_parse_decode("3whs_ack_in_wrong_dir", err, sizeof(err)));

    c = event_parse_stream("3whs_ack_in_wrong_dir", err, sizeof(err));
    assert_non_null(c);
    assert_false(event_match(&p, c));
    packet_add_event(&p, DEV_STREAM_3WHS_ACK_IN_WRONG_DIR);
    assert_true(event_match(&p, c));
    free(c);
    assert_null(event_parse_stream("ipv4.trunc_pkt", err, sizeof(err)));

    c = event_parse_engine("decoder.ipv4.opt_pad_required", err, sizeof(err));
    assert_non_null(c);
    assert_true(event_match(&p, c));
    free(c);

    AppLayerEventCtx *a = app_layer_event_parse("http.request_header_invalid", err, sizeof(err));
    assert_non_null(a);
    assert_string_equal(a->name, "request_header_invalid");
    free(a);
    a = app_layer_event_parse("applayer_mismatch_protocol_both_directions", err, sizeof(err));
    assert_non_null(a);
    free(a);
    assert_null(app_layer_event_parse("nosuchproto.foo", err, sizeof(err)));
    assert_null(app_layer_event_parse("http.", err, sizeof(err)));
    assert_null(app_layer_event_parse("justaname", err, sizeof(err)));

    /* app-layer-protocol */
    Flow f;
    memset(&f, 0, sizeof(f));
    p.flow = &f;
    AppLayerProtoCtx *ap = app_layer_protocol_parse("tls", err, sizeof(err));
    assert_non_null(ap);
    assert_false(app_layer_protocol_match(&p, ap)); /* not detected yet */
    p.to_server = true;
    f.app_proto = f.app_proto_ts = ap->app_proto;
    assert_true(app_layer_protocol_match(&p, ap)); /* default mode: the packet's direction */
    p.to_server = false;
    assert_false(app_layer_protocol_match(&p, ap)); /* to_client not detected yet */
    free(ap);
    ap = app_layer_protocol_parse("!http, final", err, sizeof(err));
    assert_non_null(ap);
    assert_true(ap->negated);
    assert_int_equal(ap->mode, ALPROTO_MODE_FINAL);
    assert_true(app_layer_protocol_match(&p, ap));
    free(ap);
    /* a client speaking HTTP to an SSH server */
    const AppProtoInfo *http = app_proto_by_name("http"), *ssh = app_proto_by_name("ssh");
    assert_non_null(http);
    assert_non_null(ssh);
    f.app_proto = f.app_proto_ts = http->id;
    f.app_proto_tc = ssh->id;
    ap = app_layer_protocol_parse("ssh,to_client", err, sizeof(err));
    assert_non_null(ap);
    p.to_server = true;
    assert_true(app_layer_protocol_match(&p, ap));
    free(ap);
    ap = app_layer_protocol_parse("ssh,either", err, sizeof(err));
    assert_true(app_layer_protocol_match(&p, ap));
    free(ap);
    ap = app_layer_protocol_parse("ssh,to_server", err, sizeof(err));
    assert_false(app_layer_protocol_match(&p, ap));
    free(ap);
    ap = app_layer_protocol_parse("ssh", err, sizeof(err)); /* direction: to_server is http */
    assert_false(app_layer_protocol_match(&p, ap));
    p.to_server = false;
    assert_true(app_layer_protocol_match(&p, ap));
    free(ap);
    ap = app_layer_protocol_parse("ssh,final", err, sizeof(err));
    assert_false(app_layer_protocol_match(&p, ap));
    free(ap);
    assert_null(app_layer_protocol_parse("nosuch", err, sizeof(err)));
    assert_null(app_layer_protocol_parse("tls,sometimes", err, sizeof(err)));
    assert_null(app_layer_protocol_parse("", err, sizeof(err)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uint),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_tcp_numbers),
        cmocka_unit_test(test_ip),
        cmocka_unit_test(test_ipopts_fragbits),
        cmocka_unit_test(test_icmp),
        cmocka_unit_test(test_stream_size_parse),
        cmocka_unit_test(test_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
