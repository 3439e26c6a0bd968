/*
 * Unit tests of the DHCP parser (src/app/dhcp/) and its detection: the
 * BOOTP header fields, every message type's name, the extended and
 * default EVE objects (only DHCPACK without extended; relay and next
 * server on replies only), option overload of `file` and `sname` in RFC
 * 2131's order, truncated options (a length past the end, no END, a too
 * short client identifier), malformed time options, a wrong magic cookie
 * (read anyway, as Suricata does), datagrams too short for a header,
 * transaction ids across release, and the probe on UDP 67/68 with
 * app-layer.protocols.dhcp.enabled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app-layer.h"
#include "app/dhcp/dhcp.h"

/* A message under construction: header, cookie, then options appended. */
typedef struct Msg {
    uint8_t b[600];
    uint32_t len;
} Msg;

static void msg_init(Msg *m, uint8_t op)
{
    memset(m, 0, sizeof(*m));
    m->b[0] = op;
    m->b[1] = 1; /* ethernet */
    m->b[2] = 6;
    m->b[4] = 0xde, m->b[5] = 0xad, m->b[6] = 0xbe, m->b[7] = 0xef; /* xid */
    const uint8_t ci[4] = { 10, 0, 0, 5 }, yi[4] = { 10, 0, 0, 6 }, si[4] = { 10, 0, 0, 1 }, gi[4] = { 10, 0, 0, 254 };
    memcpy(m->b + 12, ci, 4);
    memcpy(m->b + 16, yi, 4);
    memcpy(m->b + 20, si, 4);
    memcpy(m->b + 24, gi, 4);
    const uint8_t mac[8] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 }; /* bytes past hlen are not the MAC */
    memcpy(m->b + 28, mac, sizeof(mac));
    const uint8_t cookie[4] = { 99, 130, 83, 99 };
    memcpy(m->b + DHCP_HEADER_LEN, cookie, 4);
    m->len = DHCP_MIN_LEN;
}

static void msg_put(Msg *m, const uint8_t *p, uint32_t n)
{
    memcpy(m->b + m->len, p, n);
    m->len += n;
}

static void msg_type(Msg *m, uint8_t t)
{
    const uint8_t o[] = { DHCP_OPT_MESSAGE_TYPE, 1, t };
    msg_put(m, o, sizeof(o));
}

static void msg_end(Msg *m)
{
    const uint8_t e = DHCP_OPT_END;
    msg_put(m, &e, 1);
}

/* Parses m as the only message of a new state; returns the state. */
static DhcpState *parse_one(const Msg *m, bool to_server)
{
    DhcpState *s = dhcp_state_new();
    assert_non_null(s);
    assert_true(dhcp_parse(s, to_server, m->b, m->len));
    assert_int_equal(dhcp_tx_count(s), 1);
    return s;
}

static char *log_of(const DhcpTx *tx, bool extended)
{
    DhcpLogConfig cfg = { .extended = extended };
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    dhcp_log_tx(&j, tx, &cfg);
    jb_close_object(&j);
    char *s = strndup(j.buf, j.len);
    jb_free(&j);
    return s;
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("'%s' not in %s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        fail_msg("'%s' unexpectedly in %s", needle, hay);
}

static void test_header_and_request(void **st)
{
    (void)st;
    Msg m;
    msg_init(&m, DHCP_OP_REQUEST);
    msg_type(&m, 3);
    const uint8_t opts[] = { DHCP_OPT_PAD, DHCP_OPT_REQUESTED_IP, 4, 192, 168, 1, 9,
                             DHCP_OPT_PARAMS, 5, 1, 3, 99, 6, 15,
                             DHCP_OPT_CLIENT_ID, 7, 1, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
                             DHCP_OPT_HOSTNAME, 4, 'h', 'o', 's', 't',
                             DHCP_OPT_VENDOR_CLASS, 8, 'M', 'S', 'F', 'T', ' ', '5', '.', '0' };
    msg_put(&m, opts, sizeof(opts));
    msg_end(&m);
    DhcpState *s = parse_one(&m, true);
    DhcpTx *tx = dhcp_tx_get(s, 0);
    const DhcpMessage *dm = dhcp_tx_message(tx);
    assert_int_equal(dm->op, DHCP_OP_REQUEST);
    assert_int_equal(dm->xid, 0xdeadbeef);
    assert_true(dhcp_tx_to_server(tx));
    assert_int_equal(dhcp_tx_event_count(tx), 0);
    char *j = log_of(tx, true);
    assert_has(j, "\"dhcp\":{\"type\":\"request\",\"id\":3735928559,\"client_mac\":\"00:11:22:33:44:55\","
                  "\"assigned_ip\":\"10.0.0.6\",\"client_ip\":\"10.0.0.5\",\"dhcp_type\":\"request\"");
    assert_has(j, "\"requested_ip\":\"192.168.1.9\"");
    assert_has(j, "\"params\":[\"subnet_mask\",\"router\",\"dns_server\",\"domain\"]");
    assert_has(j, "\"client_id\":\"00:11:22:33:44:55\"");
    assert_has(j, "\"hostname\":\"host\"");
    assert_has(j, "\"vendor_class_identifier\":\"MSFT 5.0\"");
    assert_lacks(j, "relay_ip"); /* replies only */
    free(j);
    /* not extended: client_id and hostname stay, the rest goes */
    j = log_of(tx, false);
    assert_has(j, "\"client_id\"");
    assert_has(j, "\"hostname\"");
    assert_lacks(j, "requested_ip");
    assert_lacks(j, "params");
    assert_lacks(j, "client_ip");
    assert_lacks(j, "vendor_class_identifier");
    free(j);
    DhcpLogConfig plain = { .extended = false }, ext = { .extended = true };
    assert_false(dhcp_log_wanted(tx, &plain)); /* only ACKs by default */
    assert_true(dhcp_log_wanted(tx, &ext));
    dhcp_state_free(s);
}

static void test_ack_reply(void **st)
{
    (void)st;
    Msg m;
    msg_init(&m, DHCP_OP_REPLY);
    msg_type(&m, 5);
    const uint8_t opts[] = { DHCP_OPT_LEASE_TIME, 4, 0, 0, 0x0e, 0x10,
                             DHCP_OPT_RENEWAL_TIME, 4, 0, 0, 0x06, 0x91,
                             DHCP_OPT_REBINDING_TIME, 4, 0, 0, 0x0b, 0xd7,
                             DHCP_OPT_SUBNET_MASK, 4, 255, 255, 0, 0,
                             DHCP_OPT_DNS_SERVERS, 8, 10, 0, 0, 1, 10, 0, 0, 2,
                             DHCP_OPT_ROUTERS, 4, 10, 0, 0, 1 };
    msg_put(&m, opts, sizeof(opts));
    msg_end(&m);
    DhcpState *s = parse_one(&m, false);
    DhcpTx *tx = dhcp_tx_get(s, 0);
    DhcpLogConfig plain = { .extended = false };
    assert_true(dhcp_log_wanted(tx, &plain));
    char *j = log_of(tx, true);
    assert_has(j, "\"type\":\"reply\"");
    assert_has(j, "\"relay_ip\":\"10.0.0.254\",\"next_server_ip\":\"10.0.0.1\",\"dhcp_type\":\"ack\"");
    assert_has(j, "\"lease_time\":3600,\"renewal_time\":1681,\"rebinding_time\":3031");
    assert_has(j, "\"subnet_mask\":\"255.255.0.0\"");
    assert_has(j, "\"dns_servers\":[\"10.0.0.1\",\"10.0.0.2\"]");
    assert_has(j, "\"routers\":[\"10.0.0.1\"]");
    free(j);
    j = log_of(tx, false);
    assert_has(j, "\"renewal_time\":1681"); /* logged even when not extended */
    assert_lacks(j, "lease_time");
    assert_lacks(j, "rebinding_time");
    assert_lacks(j, "relay_ip");
    free(j);
    uint32_t v = 0;
    assert_true(dhcp_tx_time_option(tx, DHCP_OPT_LEASE_TIME, &v));
    assert_int_equal(v, 3600);
    assert_true(dhcp_tx_time_option(tx, DHCP_OPT_REBINDING_TIME, &v));
    assert_int_equal(v, 3031);
    dhcp_state_free(s);
}

static void test_message_type_names(void **st)
{
    (void)st;
    static const char *const names[] = { "unknown", "discover", "offer", "request", "decline",
                                         "ack",     "nak",      "release", "inform", "unknown" };
    for (uint8_t t = 0; t <= 9; t++) {
        Msg m;
        msg_init(&m, DHCP_OP_REQUEST);
        msg_type(&m, t);
        msg_end(&m);
        DhcpState *s = parse_one(&m, true);
        char *j = log_of(dhcp_tx_get(s, 0), true);
        char want[64];
        snprintf(want, sizeof(want), "\"dhcp_type\":\"%s\"", names[t]);
        assert_has(j, want);
        free(j);
        dhcp_state_free(s);
    }
}

/* Option 52: value 2 puts options in sname, 3 in file and then sname. */
static void test_overload(void **st)
{
    (void)st;
    Msg m;
    msg_init(&m, DHCP_OP_REPLY);
    msg_type(&m, 2);
    const uint8_t ov[] = { DHCP_OPT_OVERLOAD, 1, 2 };
    msg_put(&m, ov, sizeof(ov));
    msg_end(&m);
    const uint8_t sname[] = { DHCP_OPT_DNS_SERVERS, 4, 10, 100, 0, 2, DHCP_OPT_ROUTERS, 4, 10, 100, 0, 2, DHCP_OPT_END };
    memcpy(m.b + DHCP_SNAME_OFFSET, sname, sizeof(sname));
    const uint8_t file[] = { DHCP_OPT_HOSTNAME, 2, 'f', 'i', DHCP_OPT_END };
    memcpy(m.b + DHCP_FILE_OFFSET, file, sizeof(file));
    DhcpState *s = parse_one(&m, false);
    char *j = log_of(dhcp_tx_get(s, 0), true);
    assert_has(j, "\"dns_servers\":[\"10.100.0.2\"],\"routers\":[\"10.100.0.2\"]");
    assert_lacks(j, "hostname"); /* file is not overloaded with value 2 */
    free(j);
    dhcp_state_free(s);

    m.b[m.len - 2] = 3; /* both: file first, then sname (RFC 2131 4.1) */
    s = parse_one(&m, false);
    j = log_of(dhcp_tx_get(s, 0), true);
    assert_has(j, "\"hostname\":\"fi\",\"dns_servers\":[\"10.100.0.2\"]");
    free(j);
    dhcp_state_free(s);

    m.b[m.len - 2] = 0; /* no overload: sname is a server name, not options */
    s = parse_one(&m, false);
    j = log_of(dhcp_tx_get(s, 0), true);
    assert_lacks(j, "dns_servers");
    assert_lacks(j, "hostname");
    free(j);
    dhcp_state_free(s);
}

static void test_truncated_options(void **st)
{
    (void)st;
    Msg m;
    msg_init(&m, DHCP_OP_REQUEST);
    msg_type(&m, 1);
    const uint8_t cut[] = { DHCP_OPT_HOSTNAME, 10, 'a', 'b' }; /* length past the end */
    msg_put(&m, cut, sizeof(cut));
    DhcpState *s = parse_one(&m, true);
    DhcpTx *tx = dhcp_tx_get(s, 0);
    assert_int_equal(dhcp_tx_event_count(tx), 1);
    assert_int_equal(dhcp_tx_event_get(tx, 0), DHCP_EVENT_TRUNCATED_OPTIONS);
    assert_string_equal(dhcp_event_name(DHCP_EVENT_TRUNCATED_OPTIONS), "truncated_options");
    char *j = log_of(tx, true);
    assert_has(j, "\"dhcp_type\":\"discover\""); /* what came before is kept */
    assert_lacks(j, "hostname");
    free(j);
    dhcp_state_free(s);

    msg_init(&m, DHCP_OP_REQUEST); /* no END */
    msg_type(&m, 1);
    s = parse_one(&m, true);
    assert_true(dhcp_tx_message(dhcp_tx_get(s, 0))->truncated_options);
    dhcp_state_free(s);

    msg_init(&m, DHCP_OP_REQUEST); /* client id of one byte: its type only */
    const uint8_t cid[] = { DHCP_OPT_CLIENT_ID, 1, 1, DHCP_OPT_HOSTNAME, 1, 'x', DHCP_OPT_END };
    msg_put(&m, cid, sizeof(cid));
    s = parse_one(&m, true);
    tx = dhcp_tx_get(s, 0);
    assert_true(dhcp_tx_message(tx)->truncated_options);
    j = log_of(tx, true);
    assert_lacks(j, "client_id");
    assert_lacks(j, "hostname");
    free(j);
    dhcp_state_free(s);
}

static void test_malformed_time(void **st)
{
    (void)st;
    Msg m;
    msg_init(&m, DHCP_OP_REPLY);
    msg_type(&m, 5);
    const uint8_t t[] = { DHCP_OPT_LEASE_TIME, 3, 0, 0, 1, DHCP_OPT_RENEWAL_TIME, 4, 0, 0, 0, 60 };
    msg_put(&m, t, sizeof(t));
    msg_end(&m);
    DhcpState *s = parse_one(&m, false);
    DhcpTx *tx = dhcp_tx_get(s, 0);
    assert_int_equal(dhcp_tx_event_count(tx), 1);
    assert_int_equal(dhcp_tx_event_get(tx, 0), DHCP_EVENT_MALFORMED_OPTIONS);
    uint32_t v = 0;
    assert_false(dhcp_tx_time_option(tx, DHCP_OPT_LEASE_TIME, &v));
    assert_true(dhcp_tx_time_option(tx, DHCP_OPT_RENEWAL_TIME, &v)); /* the next option is read right */
    assert_int_equal(v, 60);
    dhcp_state_free(s);
}

/* Suricata reads the options whatever the cookie says; so does Odlar. */
static void test_bad_magic(void **st)
{
    (void)st;
    Msg m;
    msg_init(&m, DHCP_OP_REPLY);
    memset(m.b + DHCP_HEADER_LEN, 0xff, 4);
    msg_type(&m, 5);
    msg_end(&m);
    assert_true(dhcp_probe(m.b, m.len));
    DhcpState *s = parse_one(&m, false);
    char *j = log_of(dhcp_tx_get(s, 0), false);
    assert_has(j, "\"dhcp_type\":\"ack\"");
    free(j);
    dhcp_state_free(s);
}

static void test_short_and_hostname_bytes(void **st)
{
    (void)st;
    Msg m;
    msg_init(&m, DHCP_OP_REQUEST);
    DhcpState *s = dhcp_state_new();
    assert_false(dhcp_probe(m.b, DHCP_MIN_LEN - 1));
    assert_false(dhcp_parse(s, true, m.b, DHCP_MIN_LEN - 1));
    assert_int_equal(dhcp_tx_count(s), 0);
    /* a hostname that is not UTF-8 prints \xNN; a NUL stays (escaped by JSON) */
    const uint8_t h[] = { DHCP_OPT_HOSTNAME, 4, 'n', 0xff, 0, 's', DHCP_OPT_END };
    msg_put(&m, h, sizeof(h));
    m.b[2] = 200; /* hlen beyond chaddr: the 16 bytes */
    assert_true(dhcp_parse(s, true, m.b, m.len));
    assert_true(dhcp_parse(s, false, m.b, m.len));
    assert_int_equal(dhcp_tx_count(s), 2);
    char *j = log_of(dhcp_tx_get(s, 0), true);
    assert_has(j, "\"hostname\":\"n\\\\xff\\u0000s\"");
    assert_has(j, "\"client_mac\":\"00:11:22:33:44:55:66:77:00:00:00:00:00:00:00:00\"");
    free(j);
    dhcp_tx_release(s, 1);
    assert_null(dhcp_tx_get(s, 0));
    assert_non_null(dhcp_tx_get(s, 1));
    assert_false(dhcp_tx_to_server(dhcp_tx_get(s, 1)));
    assert_int_equal(dhcp_tx_count(s), 2);
    dhcp_state_free(s);
}

/* the longest option (255 bytes), none of them UTF-8: all 255 escapes */
static void test_longest_hostname(void **st)
{
    (void)st;
    Msg m;
    msg_init(&m, DHCP_OP_REQUEST);
    const uint8_t h[] = { DHCP_OPT_HOSTNAME, 255 };
    msg_put(&m, h, sizeof(h));
    memset(m.b + m.len, 0xff, 255);
    m.len += 255;
    msg_end(&m);
    DhcpState *s = parse_one(&m, true);
    char *j = log_of(dhcp_tx_get(s, 0), true);
    size_t n = 0;
    for (const char *p = j; (p = strstr(p, "\\\\xff")) != NULL; p++)
        n++;
    assert_int_equal(n, 255);
    assert_has(j, "\\\\xff\"}");
    free(j);
    dhcp_state_free(s);
}

static void test_detection(void **st)
{
    (void)st;
    Msg m;
    msg_init(&m, DHCP_OP_REQUEST);
    msg_end(&m);
    AppLayerConfig c;
    app_layer_config_defaults(&c);
    bool rev = false;
    assert_int_equal(app_detect(&c, 17, true, 68, 67, m.b, m.len, &rev), 15);
    assert_false(rev);
    assert_int_equal(app_detect(&c, 17, false, 67, 68, m.b, m.len, &rev), 15);
    assert_int_not_equal(app_detect(&c, 17, true, 40000, 69, m.b, m.len, &rev), 15);
    assert_int_not_equal(app_detect(&c, 17, true, 68, 67, m.b, DHCP_MIN_LEN - 1, &rev), 15);
    assert_int_not_equal(app_detect(&c, 6, true, 68, 67, m.b, m.len, &rev), 15);
    Conf *conf = conf_new_empty();
    char err[256];
    assert_true(conf_load_string(conf, "app-layer:\n  protocols:\n    dhcp:\n      enabled: no\n", "t", err,
                                 sizeof(err)));
    assert_true(app_layer_config_read(conf, &c, err, sizeof(err)));
    assert_int_not_equal(app_detect(&c, 17, true, 68, 67, m.b, m.len, &rev), 15);
    conf_free(conf);
    assert_int_equal(app_layer_flow_counter(15, 17), CTR_APP_FLOW_DHCP);
    assert_int_equal(app_layer_tx_counter(15, 17), CTR_APP_TX_DHCP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_and_request), cmocka_unit_test(test_ack_reply),
        cmocka_unit_test(test_message_type_names), cmocka_unit_test(test_overload),
        cmocka_unit_test(test_truncated_options), cmocka_unit_test(test_malformed_time),
        cmocka_unit_test(test_bad_magic), cmocka_unit_test(test_short_and_hostname_bytes),
        cmocka_unit_test(test_longest_hostname), cmocka_unit_test(test_detection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
