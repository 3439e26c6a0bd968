/*
 * DNS parser tests: messages built by hand (a query for www.example.com, a
 * response with a compressed CNAME and two A records), fed as UDP
 * datagrams and as a TCP stream in every chunking; anomalies (z flag,
 * compression loop, truncated data), the probe, the EVE v3/v2 objects,
 * the rule-buffer getters and a TCP stream picked up from the server side.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/dns/dns.h"

static const uint8_t query[] = {
    0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
    0x00, 0x01, 0x00, 0x01,
};

static const uint8_t response[] = {
    0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
    3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
    0x00, 0x01, 0x00, 0x01,
    /* www.example.com CNAME example.com (pointer to offset 16) */
    0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x02, 0xc0, 0x10,
    /* example.com A 1.2.3.4 */
    0xc0, 0x10, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x04, 1, 2, 3, 4,
    0xc0, 0x10, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x04, 5, 6, 7, 8,
};

static void test_udp_query_response(void **st)
{
    (void)st;
    DnsState *s = dns_state_new(false);
    assert_true(dns_parse(s, true, query, sizeof(query), 0));
    assert_true(dns_parse(s, false, response, sizeof(response), 0));
    assert_int_equal(dns_tx_count(s), 2);
    DnsTx *q = dns_tx_get(s, 0), *r = dns_tx_get(s, 1);
    assert_non_null(q);
    assert_non_null(r);
    assert_true(dns_tx_is_request(q));
    assert_false(dns_tx_is_request(r));
    const uint8_t *p;
    uint32_t n;
    assert_true(dns_tx_query_name(q, 0, &p, &n));
    assert_int_equal(n, 15);
    assert_memory_equal(p, "www.example.com", 15);
    assert_false(dns_tx_query_name(q, 1, &p, &n));
    const DnsMessage *m = dns_tx_message(r);
    assert_int_equal(m->answer_count, 3);
    assert_int_equal(m->answers[0].target.len, 11);
    assert_memory_equal(m->answers[0].target.s, "example.com", 11);
    assert_true(dns_tx_answer_name(r, 1, &p, &n));
    assert_memory_equal(p, "example.com", 11);
    assert_int_equal(dns_tx_rcode(r), 0);
    assert_int_equal(dns_tx_event_count(r), 0);
    dns_tx_release(s, 1);
    assert_null(dns_tx_get(s, 0));
    assert_non_null(dns_tx_get(s, 1));
    dns_state_free(s);
}

/* Many transactions in one flow: each id finds its own after releases of
 * the oldest, released and future ids find none. */
static void test_tx_get_many(void **st)
{
    (void)st;
    DnsState *s = dns_state_new(false);
    for (int i = 0; i < 300; i++)
        assert_true(dns_parse(s, (i & 1) == 0, (i & 1) ? response : query, (i & 1) ? sizeof(response) : sizeof(query), 0));
    uint64_t count = dns_tx_count(s);
    assert_int_equal(count, 300);
    for (uint64_t upto = 0; upto <= count; upto += 97) {
        dns_tx_release(s, upto);
        for (uint64_t id = 0; id < count + 3; id++) {
            DnsTx *tx = dns_tx_get(s, id);
            if (id < upto || id >= count)
                assert_null(tx);
            else
                assert_true(tx && dns_tx_id(tx) == id);
        }
    }
    dns_state_free(s);
}

static void test_tcp_every_chunking(void **st)
{
    (void)st;
    uint8_t stream[2 * (sizeof(query) + 2)];
    size_t len = 0;
    for (int k = 0; k < 2; k++) {
        stream[len++] = 0;
        stream[len++] = sizeof(query);
        memcpy(stream + len, query, sizeof(query));
        len += sizeof(query);
    }
    for (size_t chunk = 1; chunk <= len; chunk++) {
        DnsState *s = dns_state_new(true);
        for (size_t off = 0; off < len; off += chunk) {
            size_t n = len - off < chunk ? len - off : chunk;
            assert_true(dns_parse(s, true, stream + off, (uint32_t)n, 0));
        }
        assert_int_equal(dns_tx_count(s), 2);
        dns_state_free(s);
    }
}

/* A TCP stream picked up from the server's side: the first message sent
 * "to server" is a response, so the directions are swapped for the rest
 * of the stream. */
static void test_tcp_reversed(void **st)
{
    (void)st;
    uint8_t resp[sizeof(response) + 2] = { 0, sizeof(response) };
    memcpy(resp + 2, response, sizeof(response));
    uint8_t q[sizeof(query) + 2] = { 0, sizeof(query) };
    memcpy(q + 2, query, sizeof(query));
    DnsState *s = dns_state_new(true);
    assert_true(dns_parse(s, true, resp, sizeof(resp), 0));
    assert_true(dns_parse(s, false, q, sizeof(q), 0));
    DnsTx *r = dns_tx_get(s, 0), *qq = dns_tx_get(s, 1);
    assert_false(dns_tx_is_request(r));
    assert_true(dns_tx_flow_reversed(r));
    assert_true(dns_tx_is_request(qq));
    assert_int_equal(dns_tx_event_count(r), 0); /* no not_a_request */
    dns_state_free(s);
    /* a stream that starts with a query is not reversed */
    s = dns_state_new(true);
    assert_true(dns_parse(s, true, q, sizeof(q), 0));
    assert_false(dns_tx_flow_reversed(dns_tx_get(s, 0)));
    dns_state_free(s);
}

static void test_events(void **st)
{
    (void)st;
    uint8_t z[sizeof(query)];
    memcpy(z, query, sizeof(query));
    z[3] |= 0x40; /* z flag */
    z[2] |= 0x78; /* opcode 15 */
    DnsState *s = dns_state_new(false);
    assert_true(dns_parse(s, true, z, sizeof(z), 0));
    DnsTx *tx = dns_tx_get(s, 0);
    assert_non_null(tx);
    int seen = 0;
    for (int i = 0; i < dns_tx_event_count(tx); i++) {
        const char *name = dns_event_name(dns_tx_event_get(tx, i));
        if (strcmp(name, "z_flag_set") == 0 || strcmp(name, "invalid_opcode") == 0)
            seen++;
    }
    assert_int_equal(seen, 2);
    /* a response sent to the server: not_a_request on the last tx */
    assert_false(dns_parse(s, true, response, sizeof(response), 0));
    assert_int_equal(dns_tx_count(s), 1);
    bool nar = false;
    for (int i = 0; i < dns_tx_event_count(tx); i++)
        nar |= dns_tx_event_get(tx, i) == DNS_EVENT_NOT_A_REQUEST;
    assert_true(nar);
    /* cut in the middle of the question: malformed */
    assert_false(dns_parse(s, true, query, sizeof(query) - 3, 0));
    assert_int_equal(dns_event_by_name("MALFORMED_DATA"), DNS_EVENT_MALFORMED_DATA);
    dns_state_free(s);
}

static void test_pointer_loop(void **st)
{
    (void)st;
    /* a question whose name points at itself */
    const uint8_t loop[] = {
        0, 1, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01,
    };
    DnsMessage m;
    unsigned pf;
    assert_true(dns_message_parse(loop, sizeof(loop), &m, &pf));
    assert_true(pf & DNS_PF_LOOP);
    dns_message_free(&m);
    /* pointer past the end */
    const uint8_t bad[] = { 0, 1, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0, 1, 0, 1 };
    assert_false(dns_message_parse(bad, sizeof(bad), &m, &pf));
}

static void test_probe(void **st)
{
    (void)st;
    bool resp;
    assert_true(dns_probe(query, sizeof(query), sizeof(query), &resp));
    assert_false(resp);
    assert_true(dns_probe(response, sizeof(response), sizeof(response), &resp));
    assert_true(resp);
    const uint8_t junk[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_false(dns_probe(junk, sizeof(junk) - 1, sizeof(junk) - 1, &resp));
}

static void test_log_v3_and_v2(void **st)
{
    (void)st;
    DnsState *s = dns_state_new(false);
    dns_parse(s, true, query, sizeof(query), 0);
    dns_parse(s, false, response, sizeof(response), 0);
    DnsLogConfig cfg;
    dns_log_config_default(&cfg);
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    assert_true(dns_log_tx(&j, dns_tx_get(s, 1), &cfg));
    jb_close_object(&j);
    jb_append(&j, "", 1);
    assert_non_null(strstr(j.buf, "\"version\":3"));
    assert_non_null(strstr(j.buf, "\"type\":\"response\""));
    assert_non_null(strstr(j.buf, "\"rrtype\":\"CNAME\""));
    assert_non_null(strstr(j.buf, "\"rdata\":\"1.2.3.4\""));
    assert_non_null(strstr(j.buf, "\"grouped\":{\"CNAME\":[\"example.com\"],\"A\":[\"1.2.3.4\",\"5.6.7.8\"]}"));
    assert_non_null(strstr(j.buf, "\"rcode\":\"NOERROR\""));
    cfg.version = 2;
    jb_reset(&j);
    jb_open_object(&j, NULL);
    assert_int_equal(dns_log_part_count(dns_tx_get(s, 0), &cfg), 1);
    assert_true(dns_log_tx_part(&j, dns_tx_get(s, 0), &cfg, 0));
    jb_close_object(&j);
    jb_append(&j, "", 1);
    assert_non_null(strstr(j.buf, "\"type\":\"query\""));
    assert_non_null(strstr(j.buf, "\"rrname\":\"www.example.com\""));
    /* types filter without A: the request is not logged */
    cfg.all_types = false;
    cfg.types[0] = 1ull << DNS_RR_MX;
    assert_false(dns_log_wanted(dns_tx_get(s, 0), &cfg));
    jb_free(&j);
    dns_state_free(s);
}

/* HTTPS (65) and SVCB (64) records (RFC 9460): Suricata 8.0 names type 65
 * "HTTPS" and prints 64 as a number, and logs no rdata for either (its
 * parser keeps their rdata unparsed): detailed entries without rdata, an
 * empty grouped object;
 * the records are parsed without events and the logger's `types` filter
 * knows https. */
static void test_https_svcb(void **st)
{
    (void)st;
    static const uint8_t resp[] = {
        0x43, 0x21, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
        7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0x00, 0x41, 0x00, 0x01,
        /* example.com HTTPS 1 . alpn=h2 */
        0xc0, 0x0c, 0x00, 0x41, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x0a,
        0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x03, 0x02, 'h', '2',
        /* example.com SVCB 0 svc.example.com (AliasMode) */
        0xc0, 0x0c, 0x00, 0x40, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x08,
        0x00, 0x00, 3, 's', 'v', 'c', 0xc0, 0x0c,
    };
    DnsState *s = dns_state_new(false);
    dns_parse(s, false, resp, sizeof(resp), 0);
    assert_int_equal(dns_tx_count(s), 1);
    DnsTx *tx = dns_tx_get(s, 0);
    assert_int_equal(dns_tx_event_count(tx), 0);
    uint16_t t;
    assert_true(dns_tx_query_rrtype(tx, 0, &t));
    assert_int_equal(t, 65);
    DnsLogConfig cfg;
    dns_log_config_default(&cfg);
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    assert_true(dns_log_tx(&j, tx, &cfg));
    jb_close_object(&j);
    jb_append(&j, "", 1);
    assert_non_null(strstr(j.buf, "\"queries\":[{\"rrname\":\"example.com\",\"rrtype\":\"HTTPS\"}]"));
    assert_non_null(strstr(j.buf, "\"answers\":[{\"rrname\":\"example.com\",\"rrtype\":\"HTTPS\",\"ttl\":300},"
                                  "{\"rrname\":\"example.com\",\"rrtype\":\"64\",\"ttl\":300}]"));
    assert_null(strstr(j.buf, "rdata"));
    assert_non_null(strstr(j.buf, "\"grouped\":{}")); /* nothing groupable, as Suricata: an empty object */
    /* types: [https] keeps it */
    cfg.all_types = false;
    memset(cfg.types, 0, sizeof(cfg.types));
    cfg.types[1] = 1ull << (65 - 64);
    assert_true(dns_log_wanted(tx, &cfg));
    jb_free(&j);
    dns_state_free(s);

    char b[16];
    assert_string_equal(dns_rrtype_name(65, b, sizeof(b)), "HTTPS");
    assert_int_equal(dns_rrtype_by_name("https"), 65);
    assert_int_equal(dns_rrtype_by_name("svcb"), -1);
}

static void test_names(void **st)
{
    (void)st;
    char b[16];
    assert_string_equal(dns_rrtype_name(28, b, sizeof(b)), "AAAA");
    assert_string_equal(dns_rrtype_name(64, b, sizeof(b)), "64");
    assert_string_equal(dns_rcode_name(0x8183, b, sizeof(b)), "NXDOMAIN");
    assert_int_equal(dns_rrtype_by_name("srv"), 33);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_udp_query_response), cmocka_unit_test(test_tcp_every_chunking),
        cmocka_unit_test(test_events), cmocka_unit_test(test_pointer_loop),
        cmocka_unit_test(test_probe), cmocka_unit_test(test_log_v3_and_v2),
        cmocka_unit_test(test_names), cmocka_unit_test(test_tcp_reversed),
        cmocka_unit_test(test_https_svcb), cmocka_unit_test(test_tx_get_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
