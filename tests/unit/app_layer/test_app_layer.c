/*
 * App-layer framework tests: protocol detection on first bytes (patterns
 * for http, tls, ssh, smtp, ftp, dcerpc; POP3 on its port; the DNS probe only on detection ports,
 * with the reversal of a flow whose first datagram was a response), the
 * "need more data" answer, app-layer.protocols configuration (DNS switched
 * per transport: every enabled combination), and detection
 * per TCP direction (a client talking HTTP to an SSH server, a server
 * answering with nothing detectable) with the packet events it raises.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/app-layer.h"

static AppProto det(const AppLayerConfig *c, uint8_t ipp, bool ts, uint16_t dp, const char *s, size_t n,
                    bool *rev)
{
    return app_detect(c, ipp, ts, 40000, dp, (const uint8_t *)s, (uint32_t)n, rev);
}

static void test_patterns(void **st)
{
    (void)st;
    AppLayerConfig c;
    app_layer_config_defaults(&c);
    bool rev;
    assert_int_equal(det(&c, 6, true, 8080, "GET / HTTP/1.1\r\n", 16, &rev), 1);
    assert_int_equal(det(&c, 6, false, 8080, "HTTP/1.1 200 OK", 15, &rev), 1);
    assert_int_equal(det(&c, 6, true, 443, "\x16\x03\x01\x00\x10", 5, &rev), 4);
    assert_int_equal(det(&c, 6, true, 2222, "SSH-2.0-x\r\n", 11, &rev), 5);
    assert_int_equal(det(&c, 6, true, 25, "EHLO mail\r\n", 11, &rev), 6);
    assert_int_equal(det(&c, 6, true, 21, "USER anon\r\n", 11, &rev), 7);
    /* undecided: a prefix of a method, a server greeting */
    assert_int_equal(det(&c, 6, true, 80, "GE", 2, &rev), APP_PROTO_UNKNOWN);
    assert_int_equal(det(&c, 6, false, 21, "220 hello\r\n", 11, &rev), APP_PROTO_UNKNOWN);
    assert_int_equal(det(&c, 6, true, 80, "\x01\x02\x03\x04xxxxxxxxxxxx", 16, &rev), APP_DETECT_NONE);
    /* DCE/RPC header (version 5.0, request, little-endian data representation), any port */
    assert_int_equal(det(&c, 6, true, 8080, "\x05\x00\x00\x03\x10\x00\x00\x00\x18\x00\x00\x00\x01\x00\x00\x00", 16, &rev), 10);
    assert_int_equal(det(&c, 6, true, 8080, "\x05\x00\x00\x03", 4, &rev), APP_PROTO_UNKNOWN);
    assert_int_equal(det(&c, 6, true, 8080, "\x05\x00\x00\x03\x20\x00\x00\x00\x18\x00\x00\x00\x01\x00\x00\x00", 16, &rev), APP_DETECT_NONE);
    /* POP3 on port 110 only: the server's status line, a client command */
    assert_int_equal(det(&c, 6, false, 110, "+OK POP3 ready\r\n", 16, &rev), 27);
    assert_int_equal(det(&c, 6, true, 110, "STAT\r\n", 6, &rev), 27);
    assert_int_equal(det(&c, 6, false, 110, "+O", 2, &rev), APP_PROTO_UNKNOWN);
    assert_int_equal(det(&c, 6, false, 110, "+OKAY\r\n", 7, &rev), APP_DETECT_NONE);
    assert_int_equal(det(&c, 6, false, 8110, "+OK POP3 ready\r\n", 16, &rev), APP_DETECT_NONE);
    /* disabled protocol */
    c.proto[5].tcp_enabled = false;
    assert_int_equal(det(&c, 6, true, 2222, "SSH-2.0-x\r\n", 11, &rev), APP_DETECT_NONE);
}

static const uint8_t dns_resp[] = {
    0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    1, 'a', 0, 0x00, 0x01, 0x00, 0x01,
};

/* NTP on UDP port 123: a 48-byte header of version 3 or 4 */
static void test_ntp(void **st)
{
    (void)st;
    AppLayerConfig c;
    app_layer_config_defaults(&c);
    bool rev = false;
    char ntp[48];
    memset(ntp, 0, sizeof(ntp));
    ntp[0] = 0x23; /* LI 0, version 4, mode 3 (client) */
    assert_int_equal(det(&c, 17, true, 123, ntp, sizeof(ntp), &rev), 23);
    ntp[0] = 0x1b; /* version 3 */
    assert_int_equal(det(&c, 17, true, 123, ntp, sizeof(ntp), &rev), 23);
    ntp[0] = 0x13; /* version 2 */
    assert_int_equal(det(&c, 17, true, 123, ntp, sizeof(ntp), &rev), APP_DETECT_NONE);
    ntp[0] = 0x23;
    assert_int_equal(det(&c, 17, true, 123, ntp, 47, &rev), APP_PROTO_UNKNOWN);
    assert_int_equal(det(&c, 17, true, 124, ntp, sizeof(ntp), &rev), APP_DETECT_NONE);
    assert_int_equal(det(&c, 6, true, 123, ntp, sizeof(ntp), &rev), APP_DETECT_NONE);
}

static void test_dns_ports(void **st)
{
    (void)st;
    AppLayerConfig c;
    app_layer_config_defaults(&c);
    bool rev = false;
    assert_int_equal(det(&c, 17, true, 53, (const char *)dns_resp, sizeof(dns_resp), &rev), 3);
    assert_true(rev);
    assert_int_equal(det(&c, 17, false, 53, (const char *)dns_resp, sizeof(dns_resp), &rev), 3);
    assert_false(rev);
    assert_int_equal(det(&c, 17, true, 5353, (const char *)dns_resp, sizeof(dns_resp), &rev), APP_DETECT_NONE);
}

static void test_config(void **st)
{
    (void)st;
    Conf *conf = conf_new_empty();
    char err[256];
    assert_true(conf_load_string(conf,
                                 "app-layer:\n  protocols:\n    dns:\n      udp:\n        enabled: yes\n"
                                 "        detection-ports:\n          dp: 5353\n    ssh:\n      enabled: no\n",
                                 "t", err, sizeof(err)));
    AppLayerConfig c;
    app_layer_config_defaults(&c);
    assert_true(app_layer_config_read(conf, &c, err, sizeof(err)));
    assert_int_equal(c.proto[3].udp_port_count, 1);
    assert_int_equal(c.proto[3].udp_ports[0], 5353);
    assert_int_equal(c.proto[3].tcp_ports[0], 53);
    assert_false(c.proto[5].tcp_enabled);
    conf_free(conf);
}

/* app-layer.protocols.dns: `enabled` per protocol wins; without it the
 * tcp/udp `enabled` switches each transport alone (Suricata's lookup
 * order); detection-only keeps detection but not the parser. */
static void dns_switches(const char *yaml, bool tcp_on, bool tcp_parse, bool udp_on, bool udp_parse)
{
    Conf *conf = conf_new_empty();
    char err[256];
    char text[512];
    snprintf(text, sizeof(text), "app-layer:\n  protocols:\n    dns:\n%s", yaml);
    assert_true(conf_load_string(conf, text, "t", err, sizeof(err)));
    AppLayerConfig c;
    app_layer_config_defaults(&c);
    assert_true(app_layer_config_read(conf, &c, err, sizeof(err)));
    const AppProtoConf *d = &c.proto[3];
    if (d->tcp_enabled != tcp_on || d->tcp_parse != tcp_parse || d->udp_enabled != udp_on || d->udp_parse != udp_parse)
        fail_msg("%s: tcp %d/%d udp %d/%d", yaml, d->tcp_enabled, d->tcp_parse, d->udp_enabled, d->udp_parse);
    /* detection follows the transport's switch */
    uint8_t tcp_msg[2 + sizeof(dns_resp)];
    tcp_msg[0] = 0;
    tcp_msg[1] = sizeof(dns_resp);
    memcpy(tcp_msg + 2, dns_resp, sizeof(dns_resp));
    bool rev = false;
    assert_int_equal(det(&c, 17, false, 53, (const char *)dns_resp, sizeof(dns_resp), &rev), udp_on ? 3 : APP_DETECT_NONE);
    AppProto tcp_got = det(&c, 6, false, 53, (const char *)tcp_msg, sizeof(tcp_msg), &rev);
    if (tcp_on)
        assert_int_equal(tcp_got, 3);
    else
        assert_int_not_equal(tcp_got, 3);
    conf_free(conf);
}

static void test_dns_transport_switches(void **st)
{
    (void)st;
    dns_switches("      detection-ports:\n        dp: 53\n", true, true, true, true);
    dns_switches("      enabled: no\n", false, false, false, false);
    dns_switches("      enabled: detection-only\n", true, false, true, false);
    dns_switches("      udp:\n        enabled: no\n", true, true, false, false);
    dns_switches("      tcp:\n        enabled: no\n", false, false, true, true);
    dns_switches("      tcp:\n        enabled: no\n      udp:\n        enabled: no\n", false, false, false, false);
    dns_switches("      udp:\n        enabled: detection-only\n", true, true, true, false);
    dns_switches("      tcp:\n        enabled: yes\n      udp:\n        enabled: yes\n", true, true, true, true);
    /* the protocol's own switch wins over the transport's */
    dns_switches("      enabled: yes\n      udp:\n        enabled: no\n", true, true, true, true);
    dns_switches("      enabled: no\n      tcp:\n        enabled: yes\n", false, false, false, false);
}

static void test_counters(void **st)
{
    (void)st;
    assert_int_equal(app_layer_flow_counter(3, 17), CTR_APP_FLOW_DNS_UDP);
    assert_int_equal(app_layer_flow_counter(35, 6), CTR_APP_FLOW_FAILED_TCP);
    assert_int_equal(app_layer_tx_counter(3, 6), CTR_APP_TX_DNS_TCP);
    assert_string_equal(counter_name(CTR_APP_TX_DNS_UDP), "app_layer.tx.dns_udp");
}

/* Feeds one direction's stream bytes as the app layer gets them during packet p. */
static void tcp_feed(AppLayerThread *at, Flow *f, Packet *p, bool to_server, const char *s)
{
    p->app_events = 0;
    at->pkt = p;
    app_layer_tcp_data(at, f, to_server, (const uint8_t *)s, (uint32_t)strlen(s));
    at->pkt = NULL;
}

static void test_per_direction(void **st)
{
    (void)st;
    AppLayerConfig cfg;
    app_layer_config_defaults(&cfg);
    AppLayerThread at;
    app_layer_thread_init(&at, &cfg, NULL, NULL);
    Flow f;
    memset(&f, 0, sizeof(f));
    f.proto = 6;
    f.sp = 40000;
    f.dp = 22;
    Packet p;
    memset(&p, 0, sizeof(p));
    p.flow = &f;

    /* the request, taken in by the server's ACK */
    f.pkts_toserver = 2;
    f.pkts_toclient = 1;
    p.to_server = false;
    tcp_feed(&at, &f, &p, true, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_int_equal(f.app_proto, 1);
    assert_int_equal(f.app_proto_ts, 1);
    assert_int_equal(f.app_proto_tc, 0);
    assert_int_equal(p.app_events, 0);
    /* the next packet to the server carries "to-server detection done" */
    f.pkts_toserver = 3;
    p.to_server = true;
    assert_true(app_layer_proto_detect_done_on(&f, &p));

    /* the SSH banner, taken in by the client's ACK: both directions differ */
    tcp_feed(&at, &f, &p, false, "SSH-2.0-OpenSSH_6.6.1\r\n");
    assert_int_equal(f.app_proto, 1); /* the parser already running stays */
    assert_int_equal(f.app_proto_tc, 5);
    assert_int_equal(p.app_events, APP_PKT_EV_MISMATCH_PROTOCOL_BOTH_DIRECTIONS);
    f.pkts_toserver = 4;
    assert_false(app_layer_proto_detect_done_on(&f, &p)); /* a later to-server packet */
    p.to_server = false;
    assert_false(app_layer_proto_detect_done_on(&f, &p)); /* not this to-client count */
    f.pkts_toclient = 2;
    assert_true(app_layer_proto_detect_done_on(&f, &p)); /* the next to-client packet */
    app_layer_flow_end(&at, &f);

    /* a server answering with nothing any protocol recognises */
    memset(&f, 0, sizeof(f));
    f.proto = 6;
    f.sp = 40000;
    f.dp = 8080;
    p.to_server = false;
    tcp_feed(&at, &f, &p, true, "GET / HTTP/1.1\r\n\r\n");
    p.to_server = true;
    tcp_feed(&at, &f, &p, false, "\x01\x02 binary");
    assert_int_equal(f.app_proto, 1);
    assert_int_equal(f.app_proto_tc, 1);
    assert_int_equal(p.app_events, APP_PKT_EV_DETECT_PROTOCOL_ONLY_ONE_DIRECTION);
    app_layer_flow_end(&at, &f);

    /* event names, and the applayer_* names rules use */
    assert_string_equal(app_pkt_event_name(0), "APPLAYER_MISMATCH_PROTOCOL_BOTH_DIRECTIONS");
    assert_null(app_pkt_event_name(APP_PKT_EV_COUNT));
    assert_int_equal(app_pkt_event_bit("applayer_mismatch_protocol_both_directions"),
                     APP_PKT_EV_MISMATCH_PROTOCOL_BOTH_DIRECTIONS);
    assert_int_equal(app_pkt_event_bit("applayer_proto_detection_skipped"), 0);
    assert_int_equal(app_pkt_event_bit("applayer_nonsense"), -1);
    app_layer_thread_free(&at);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns), cmocka_unit_test(test_dns_ports), cmocka_unit_test(test_ntp),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_dns_transport_switches), cmocka_unit_test(test_counters), cmocka_unit_test(test_per_direction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
