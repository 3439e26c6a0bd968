/*
 * App-layer framework tests: protocol detection on first bytes (patterns
 * for http, tls, ssh, smtp, ftp, dcerpc over TCP and UDP, SMB after its
 * NetBIOS header anywhere and on its ports 139 and 445; Telnet, IKE and
 * POP3 on their ports; the DNS probe only on detection ports,
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

/* An NBSS record of `type` (RFC 1002 section 4.3.1) whose payload is an
 * SMB header with `magic` (0xff SMB1, 0xfe SMB2, 0xfd SMB3 transform),
 * padded to the 32-byte SMB1 header the probe waits for. */
static size_t smb_record(uint8_t *out, uint8_t type, uint8_t magic)
{
    memset(out, 0, 36);
    out[0] = type;
    out[3] = 32;
    out[4] = magic;
    memcpy(out + 5, "SMB", 3);
    return 36;
}

static AppProto det_bytes(const AppLayerConfig *c, uint8_t ipp, bool ts, uint16_t dp, const uint8_t *d, size_t n)
{
    bool rev;
    return app_detect(c, ipp, ts, 40000, dp, d, (uint32_t)n, &rev);
}

static void test_smb(void **st)
{
    (void)st;
    AppLayerConfig c;
    app_layer_config_defaults(&c);
    uint8_t b[256];
    /* SMB1, SMB2 and SMB3-transform records, either direction, any port */
    size_t n = smb_record(b, 0x00, 0xfe);
    assert_int_equal(det_bytes(&c, 6, true, 445, b, n), 9);
    assert_int_equal(det_bytes(&c, 6, false, 445, b, n), 9);
    assert_int_equal(det_bytes(&c, 6, true, 8445, b, n), 9);
    smb_record(b, 0x00, 0xff);
    assert_int_equal(det_bytes(&c, 6, true, 8445, b, n), 9);
    smb_record(b, 0x00, 0xfd);
    assert_int_equal(det_bytes(&c, 6, true, 8445, b, n), 9);
    /* the magic seen but not yet the whole SMB header; a magic prefix */
    assert_int_equal(det_bytes(&c, 6, true, 8445, b, 20), APP_PROTO_UNKNOWN);
    assert_int_equal(det_bytes(&c, 6, true, 8445, b, 6), APP_PROTO_UNKNOWN);
    assert_int_equal(det_bytes(&c, 6, true, 445, b, 20), APP_PROTO_UNKNOWN);
    /* an unknown NBSS message type; no magic after the header */
    smb_record(b, 0x42, 0xfe);
    assert_int_equal(det_bytes(&c, 6, true, 445, b, n), APP_DETECT_NONE);
    assert_int_equal(det_bytes(&c, 6, true, 8445, b, n), APP_DETECT_NONE);
    smb_record(b, 0x00, 0x01);
    assert_int_equal(det_bytes(&c, 6, true, 445, b, n), APP_DETECT_NONE);
    assert_int_equal(det_bytes(&c, 6, true, 8445, b, n), APP_DETECT_NONE);
    /* on port 139: a session request (type 0x81) first, then the SMB
     * record in the same data; the request alone decides nothing */
    memset(b, 'A', sizeof(b));
    b[0] = 0x81;
    b[1] = b[2] = 0;
    b[3] = 68;
    size_t m = smb_record(b + 72, 0x00, 0xff);
    assert_int_equal(det_bytes(&c, 6, true, 139, b, 72 + m), 9);
    assert_int_equal(det_bytes(&c, 6, true, 139, b, 72), APP_DETECT_NONE);
    assert_int_equal(det_bytes(&c, 6, true, 8139, b, 72 + m), APP_DETECT_NONE);
    /* detection-ports replace 139 and 445; SMB switched off */
    smb_record(b, 0x81, 0xfe); /* a known type with the magic: SMB anywhere */
    assert_int_equal(det_bytes(&c, 6, true, 8445, b, n), 9);
    c.proto[9].tcp_ports[0] = 8139;
    c.proto[9].tcp_port_count = 1;
    memset(b, 'A', sizeof(b));
    b[0] = 0x81;
    b[1] = b[2] = 0;
    b[3] = 68;
    smb_record(b + 72, 0x00, 0xff);
    assert_int_equal(det_bytes(&c, 6, true, 8139, b, 72 + m), 9);
    assert_int_equal(det_bytes(&c, 6, true, 139, b, 72 + m), APP_DETECT_NONE);
    c.proto[9].tcp_enabled = false;
    smb_record(b, 0x00, 0xfe);
    assert_int_equal(det_bytes(&c, 6, true, 445, b, n), APP_DETECT_NONE);
}

/* DCE/RPC over UDP: the client's first datagram, a request with the
 * 80-byte connectionless header (version 4, packet type 0) whose fragment
 * length is the rest of the datagram. */
static void test_dcerpc_udp(void **st)
{
    (void)st;
    AppLayerConfig c;
    app_layer_config_defaults(&c);
    uint8_t b[96] = { 0x04, 0x00, 0x08, 0x00, 0x10, 0x00, 0x00 };
    b[74] = 16; /* the fragment length, little-endian as drep says: the 16 bytes after the header */
    assert_int_equal(det_bytes(&c, 17, true, 1026, b, sizeof(b)), 10);
    assert_int_equal(det_bytes(&c, 17, false, 1026, b, sizeof(b)), APP_DETECT_NONE);
    assert_int_equal(det_bytes(&c, 17, true, 1026, b, 95), APP_DETECT_NONE);
    assert_int_equal(det_bytes(&c, 17, true, 1026, b, 79), APP_DETECT_NONE);
    b[4] = 0x00; /* big-endian: the same bytes now say 4096 */
    assert_int_equal(det_bytes(&c, 17, true, 1026, b, sizeof(b)), APP_DETECT_NONE);
    b[74] = 0;
    b[75] = 16;
    assert_int_equal(det_bytes(&c, 17, true, 1026, b, sizeof(b)), 10);
    b[4] = 0x10;
    b[74] = 16;
    b[75] = 0;
    b[1] = 0x02; /* a response */
    assert_int_equal(det_bytes(&c, 17, true, 1026, b, sizeof(b)), APP_DETECT_NONE);
    b[1] = 0x00;
    b[4] = 0x20; /* an unknown integer representation */
    assert_int_equal(det_bytes(&c, 17, true, 1026, b, sizeof(b)), APP_DETECT_NONE);
    b[4] = 0x10;
    c.proto[10].udp_enabled = false;
    assert_int_equal(det_bytes(&c, 17, true, 1026, b, sizeof(b)), APP_DETECT_NONE);
}

/* Telnet on its port (23): any two bytes; IKE on UDP 500: an ISAKMP
 * header, IKEv2 only with version 2.0, a known exchange and its length. */
static void test_telnet_ike(void **st)
{
    (void)st;
    AppLayerConfig c;
    app_layer_config_defaults(&c);
    const uint8_t iac[] = { 0xff, 0xfd, 0x18 };
    assert_int_equal(det_bytes(&c, 6, false, 23, iac, 3), 32);
    assert_int_equal(det_bytes(&c, 6, true, 23, (const uint8_t *)"ls", 2), 32);
    assert_int_equal(det_bytes(&c, 6, true, 23, iac, 1), APP_PROTO_UNKNOWN);
    assert_int_equal(det_bytes(&c, 6, true, 2323, (const uint8_t *)"zzzzzzzz\r\n", 10), APP_DETECT_NONE);
    /* a protocol with a pattern wins on port 23 too */
    assert_int_equal(det_bytes(&c, 6, true, 23, (const uint8_t *)"GET / HTTP/1.0\r\n", 16), 1);

    uint8_t h[40] = { 1, 2, 3, 4, 5, 6, 7, 8 }; /* initiator SPI; no responder SPI */
    h[17] = 0x10; /* IKEv1 */
    h[18] = 2;    /* identity protection */
    bool rev = true;
    assert_int_equal(app_detect(&c, 17, true, 40000, 500, h, sizeof(h), &rev), 13);
    assert_false(rev);
    /* the initiator's message met going to the client: reversed */
    assert_int_equal(app_detect(&c, 17, false, 40000, 500, h, sizeof(h), &rev), 13);
    assert_true(rev);
    h[8] = 9; /* a responder SPI: a response, in its place */
    assert_int_equal(app_detect(&c, 17, false, 40000, 500, h, sizeof(h), &rev), 13);
    assert_false(rev);
    assert_int_equal(det_bytes(&c, 17, true, 500, h, 27), APP_DETECT_NONE);
    assert_int_equal(det_bytes(&c, 17, true, 5000, h, sizeof(h)), APP_DETECT_NONE);
    h[17] = 0x20; /* IKEv2 IKE_SA_INIT of 40 bytes */
    h[18] = 34;
    h[27] = 40;
    assert_int_equal(det_bytes(&c, 17, true, 500, h, sizeof(h)), 13);
    h[27] = 41; /* a length that is not the datagram's */
    assert_int_equal(det_bytes(&c, 17, true, 500, h, sizeof(h)), APP_DETECT_NONE);
    h[27] = 40;
    h[18] = 33; /* an IKEv1 exchange type in an IKEv2 header */
    assert_int_equal(det_bytes(&c, 17, true, 500, h, sizeof(h)), APP_DETECT_NONE);
    h[18] = 34;
    h[17] = 0x21; /* version 2.1 */
    assert_int_equal(det_bytes(&c, 17, true, 500, h, sizeof(h)), APP_DETECT_NONE);
    h[17] = 0x30; /* version 3 */
    assert_int_equal(det_bytes(&c, 17, true, 500, h, sizeof(h)), APP_DETECT_NONE);
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
    assert_int_equal(app_pkt_event_bit("applayer_proto_detection_skipped"), APP_PKT_EV_PROTO_DETECTION_SKIPPED);
    assert_string_equal(app_pkt_event_name(4), "APPLAYER_PROTO_DETECTION_SKIPPED");
    assert_int_equal(app_pkt_event_bit("applayer_wrong_direction_first_data"), 0); /* known, never raised */
    assert_int_equal(app_pkt_event_bit("applayer_nonsense"), -1);
    app_layer_thread_free(&at);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns), cmocka_unit_test(test_dns_ports), cmocka_unit_test(test_ntp),
        cmocka_unit_test(test_smb), cmocka_unit_test(test_dcerpc_udp), cmocka_unit_test(test_telnet_ike),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_dns_transport_switches), cmocka_unit_test(test_counters), cmocka_unit_test(test_per_direction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
