/*
 * Unit tests of the application-layer buffers: the registry (names, ids,
 * directions), sticky-buffer keywords (list switch, protocol set from the
 * buffer, conflicts with the rule's protocol), legacy content modifiers
 * (http_uri moves the previous content, uricontent), names resolved per
 * protocol (file.data in HTTP and SMTP rules, pcre letters under a sticky
 * buffer), the transaction keywords (dns.opcode, urilen, tls.version, ssl_state, ssh.*),
 * and multi-buffers named twice (a second instance, matched on its own).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "detect/buffer-registry.h"
#include "detect/detect-app.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

#include "../rule-parse-helper.h"

static Signature *parse(const char *text, char *err, size_t errlen)
{
    return parse_rule(text, err, errlen);
}

static uint16_t list_of(const char *buf)
{
    int id = buffer_lookup(buf);
    assert_true(id >= 0);
    return buffer_list_id(id);
}

/* A multi-buffer sticky keyword named again once its list has keywords
 * starts a new instance (Suricata's multi-instance buffers: file.data
 * twice may match in two files); a single buffer keeps its one list. */
static void test_multi_buffer_instances(void **state)
{
    (void)state;
    char err[1024] = "";
    Signature *s = parse("alert http any any -> any any (file.data; content:\"bateau\"; file.data; content:\"minet\"; "
                         "sid:40;)",
                         err, sizeof(err));
    assert_non_null(s);
    uint16_t plain = list_of("file.data");
    const SigMatchList *first = sig_list(s, plain);
    const SigMatchList *second = sig_list(s, (uint16_t)(plain + SIG_LIST_INSTANCE_STEP));
    assert_non_null(first);
    assert_non_null(second);
    assert_int_equal(first->count, 1);
    assert_int_equal(second->count, 1);
    signature_free(s);

    /* one file.data with both contents: one list */
    s = parse("alert http any any -> any any (file.data; content:\"bateau\"; content:\"minet\"; sid:41;)", err,
              sizeof(err));
    assert_non_null(s);
    assert_int_equal(sig_list(s, plain)->count, 2);
    assert_null(sig_list(s, (uint16_t)(plain + SIG_LIST_INSTANCE_STEP)));
    signature_free(s);

    /* http.uri is a single buffer: named twice it stays one list */
    s = parse("alert http any any -> any any (http.uri; content:\"a\"; http.uri; content:\"b\"; sid:42;)", err,
              sizeof(err));
    assert_non_null(s);
    uint16_t uri = list_of("http.uri");
    assert_int_equal(sig_list(s, uri)->count, 2);
    assert_null(sig_list(s, (uint16_t)(uri + SIG_LIST_INSTANCE_STEP)));
    signature_free(s);
}

static void test_registry(void **state)
{
    (void)state;
    keywords_init();
    const char *names[] = { "dns.query", "http.uri", "http.header", "file.data", "tls.sni", "ja3.hash",
                            "ssh.software", "ftp.command", "http.stat_code" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        int id = buffer_lookup(names[i]);
        assert_true(id >= 0);
        const BufferDef *b = buffer_by_list(buffer_list_id(id));
        assert_non_null(b);
        assert_string_equal(b->name, names[i]);
        assert_non_null(b->get);
    }
    assert_int_equal(buffer_lookup("no.such.buffer"), -1);
    assert_null(buffer_by_list(SIG_LIST_PMATCH));
    assert_int_equal(buffer_by_list(list_of("http.uri"))->dirs, BUF_DIR_TOSERVER);
    assert_int_equal(buffer_by_list(list_of("http.stat_code"))->dirs, BUF_DIR_TOCLIENT);
    assert_true(buffer_by_list(list_of("dns.queries.rrname"))->multi);
}

static void test_sticky(void **state)
{
    (void)state;
    Signature *s = parse("alert dns any any -> any any (dns.query; content:\"google\"; nocase; sid:1;)", NULL, 0);
    assert_non_null(s);
    assert_int_equal(s->app_proto, 3);
    const SigMatchList *l = sig_list(s, list_of("dns.query"));
    assert_non_null(l);
    assert_int_equal(l->count, 1);
    assert_null(sig_list(s, SIG_LIST_PMATCH));
    assert_true(detect_app_sig(s));
    signature_free(s);

    /* legacy name, and the protocol set by the buffer on a udp rule */
    s = parse("alert udp any any -> any any (dns_query; content:\"x\"; sid:2;)", NULL, 0);
    assert_non_null(s);
    assert_int_equal(s->app_proto, 3);
    signature_free(s);

    /* http buffer on a tcp rule sets http */
    s = parse("alert tcp any any -> any any (http.uri; content:\"/a\"; http.method; content:\"GET\"; sid:3;)", NULL, 0);
    assert_non_null(s);
    assert_int_equal(s->app_proto, 1);
    assert_non_null(sig_list(s, list_of("http.uri")));
    assert_non_null(sig_list(s, list_of("http.method")));
    signature_free(s);
}

static void test_conflicts(void **state)
{
    (void)state;
    char err[1024] = "";
    assert_null(parse("alert dns any any -> any any (http.uri; content:\"x\"; sid:4;)", err, sizeof(err)));
    assert_non_null(strstr(err, "conflicts"));
    assert_null(parse("alert udp any any -> any any (http.uri; content:\"x\"; sid:5;)", err, sizeof(err)));
    assert_null(parse("alert tcp any any -> any any (http.uri; content:\"x\"; dns.query; content:\"y\"; sid:6;)",
                      err, sizeof(err)));
    assert_null(parse("alert tcp any any -> any any (http_uri; sid:7;)", err, sizeof(err)));
    assert_non_null(strstr(err, "content"));
}

static void test_modifiers(void **state)
{
    (void)state;
    Signature *s = parse("alert tcp any any -> any any (content:\"a\"; content:\"blah\"; http_uri; sid:8;)", NULL, 0);
    assert_non_null(s);
    assert_int_equal(s->app_proto, 1);
    const SigMatchList *p = sig_list(s, SIG_LIST_PMATCH);
    assert_non_null(p);
    assert_int_equal(p->count, 1);
    const SigMatchList *u = sig_list(s, list_of("http.uri"));
    assert_non_null(u);
    assert_int_equal(u->count, 1);
    signature_free(s);

    s = parse("alert tcp any any -> any any (uricontent:\"/x\"; content:\"H\"; http_header; sid:9;)", NULL, 0);
    assert_non_null(s);
    assert_int_equal(sig_list(s, list_of("http.uri"))->count, 1);
    assert_int_equal(sig_list(s, list_of("http.header"))->count, 1);
    signature_free(s);

    char err[1024] = "";
    assert_null(parse("alert tcp any any -> any any (http.uri; content:\"a\"; http_header; sid:10;)", err,
                      sizeof(err)));
}

static void test_tx_keywords(void **state)
{
    (void)state;
    const char *ok[] = {
        "alert dns any any -> any any (dns.opcode:!0; sid:11;)",
        "alert dns any any -> any any (dns.rcode:3; sid:12;)",
        "alert dns any any -> any any (dns.rrtype:1; flow:to_server; sid:13;)",
        "alert http any any -> any any (urilen:>10,norm; sid:14;)",
        "alert tls any any -> any any (tls.version:1.2; sid:15;)",
        "alert tls any any -> any any (ssl_version:!sslv2,tls1.3; sid:16;)",
        "alert tls any any -> any any (ssl_state:client_hello|!server_hello; sid:17;)",
        "alert ssh any any -> any any (ssh.protoversion:2_compat; ssh.softwareversion:OpenSSH; sid:18;)",
        "alert tls any any -> any any (tls.sni; content:\"example\"; tls.random; bsize:32; sid:19;)",
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char err[1024] = "";
        Signature *s = parse(ok[i], err, sizeof(err));
        if (!s)
            fail_msg("%s: %s", ok[i], err);
        assert_true(detect_app_sig(s));
        signature_free(s);
    }
    char err[1024] = "";
    assert_null(parse("alert http any any -> any any (dns.opcode:1; sid:20;)", err, sizeof(err)));
    assert_null(parse("alert tls any any -> any any (ssl_state:bogus; sid:21;)", err, sizeof(err)));
    assert_null(parse("alert tls any any -> any any (ssl_version:tls9; sid:22;)", err, sizeof(err)));
}

/* file.data is HTTP's body in HTTP rules (and rules without a protocol) and
 * the attachments in SMTP rules; pcre letters under a sticky buffer are
 * accepted only when they name that buffer (Suricata 8). */
static void test_per_protocol_names(void **state)
{
    (void)state;
    char err[1024] = "";
    Signature *s = parse("alert smtp any any -> any any (file.data; content:\"if was\"; sid:30;)", err, sizeof(err));
    assert_non_null(s);
    int smtp_id = buffer_lookup_proto("file.data", s->app_proto);
    assert_true(smtp_id >= 0);
    assert_int_not_equal(smtp_id, buffer_lookup("file.data"));
    const SigMatchList *l = sig_list(s, buffer_list_id(smtp_id));
    assert_non_null(l);
    assert_int_equal(l->count, 1);
    assert_true(buffer_by_list(buffer_list_id(smtp_id))->multi);
    assert_int_equal(buffer_by_list(buffer_list_id(smtp_id))->dirs, BUF_DIR_TOSERVER);
    signature_free(s);

    /* legacy name and pcre /Q resolve to the same SMTP list */
    s = parse("alert smtp any any -> any any (file_data; content:\"a\"; pcre:\"/^b/QR\"; sid:31;)", err, sizeof(err));
    assert_non_null(s);
    l = sig_list(s, buffer_list_id(smtp_id));
    assert_non_null(l);
    assert_int_equal(l->count, 2);
    signature_free(s);

    s = parse("alert http any any -> any any (file.data; content:\"x\"; sid:32;)", NULL, 0);
    assert_non_null(s);
    assert_non_null(sig_list(s, list_of("file.data")));
    assert_int_equal(buffer_by_list(list_of("file.data"))->proto, s->app_proto);
    signature_free(s);
    s = parse("alert tcp any any -> any any (file_data; content:\"x\"; sid:33;)", NULL, 0);
    assert_non_null(s);
    assert_int_equal(s->app_proto, 1);
    signature_free(s);
    assert_int_equal(buffer_lookup_proto("http.uri", 6), -1);
    assert_int_equal(buffer_lookup_for("http.uri", 6), buffer_lookup("http.uri"));

    /* pcre letters under sticky buffers */
    s = parse("alert http any any -> any any (http.uri; content:\"/a\"; pcre:\"/\\d{13}$/UR\"; sid:34;)", err,
              sizeof(err));
    assert_non_null(s);
    assert_int_equal(sig_list(s, list_of("http.uri"))->count, 2);
    signature_free(s);
    s = parse("alert http any any -> any any (http.host; pcre:\"/^[a-z]{15}$/W\"; sid:35;)", err, sizeof(err));
    assert_non_null(s);
    assert_int_equal(sig_list(s, list_of("http.host"))->count, 1);
    signature_free(s);
    s = parse("alert http any any -> any any (http.response_body; content:\"var\"; pcre:\"/function/Qi\"; sid:36;)",
              err, sizeof(err));
    assert_non_null(s);
    assert_int_equal(sig_list(s, list_of("http.response_body"))->count, 2);
    signature_free(s);
    assert_null(parse("alert http any any -> any any (http.host; content:\"a\"; pcre:\"/x/U\"; sid:37;)", err,
                      sizeof(err)));
    assert_non_null(strstr(err, "different sticky buffer"));
    assert_null(parse("alert http any any -> any any (http.request_body; pcre:\"/x/Q\"; sid:38;)", err, sizeof(err)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_sticky),
        cmocka_unit_test(test_conflicts),
        cmocka_unit_test(test_modifiers),
        cmocka_unit_test(test_tx_keywords),
        cmocka_unit_test(test_per_protocol_names),
        cmocka_unit_test(test_multi_buffer_instances),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
