/*
 * Unit tests of the protocol keywords added for issue 6: the FTP
 * transaction keywords (ftp.dynamic_port, ftp.mode, ftp.reply_received)
 * and multi-buffers (ftp.reply, ftp.completion_code), app-layer-event on
 * a parsed protocol's transaction, the domain / tld transforms over the
 * installed Public Suffix List, and the rule syntax of these and of
 * tls.subject / tls.issuerdn / tls.cert_chain_len / tls.store. Rules are
 * parsed for real and each keyword's inspect() runs on transactions the
 * real FTP and DNS parsers built from wire bytes.
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
#include "app/dns/dns.h"
#include "app/ftp/ftp.h"
#include "conf/conf.h"
#include "detect/buffer-registry.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/public-suffix.h"
#include "detect/public-suffix.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

#include "../rule-parse-helper.h"

static Signature *parse(const char *text, char *err, size_t errlen)
{
    return parse_rule(text, err, errlen);
}

/* Runs the first keyword of the signature's list for internal buffer
 * `buf` on transaction tx in direction ts. */
static bool tx_match(const char *rule, const char *buf, const void *tx, bool ts)
{
    char err[1024] = "";
    Signature *s = parse(rule, err, sizeof(err));
    if (!s)
        fail_msg("%s: %s", rule, err);
    int id = buffer_lookup(buf);
    assert_true(id >= 0);
    const BufferDef *b = buffer_by_list(buffer_list_id(id));
    assert_non_null(b);
    const uint8_t *d = NULL;
    uint32_t n = 0;
    bool have = b->get(tx, ts, 0, &d, &n);
    bool matched = false;
    for (uint16_t i = 0; have && i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        if (l->list_id != buffer_list_id(id) || l->count == 0)
            continue;
        const KeywordDef *kd = keyword_get(l->items[0].kw);
        InspectCursor cur;
        memset(&cur, 0, sizeof(cur));
        cur.buf = d;
        cur.len = n;
        cur.to_server = ts;
        matched = kd->inspect(NULL, &cur, s, l->items[0].ctx) == INSPECT_MATCH;
    }
    signature_free(s);
    return matched;
}

static void feed(FtpState *f, bool ts, const char *line)
{
    OdTime t = { 0 };
    assert_true(ftp_parse(f, ts, (const uint8_t *)line, (uint32_t)strlen(line), t));
}

static void test_ftp_tx_keywords(void **state)
{
    (void)state;
    FtpState *f = ftp_state_new();
    feed(f, false, "220 (vsFTPd 2.3.5)\r\n");
    feed(f, true, "PORT 192,168,0,13,234,10\r\n");
    feed(f, false, "200 PORT command successful. Consider using PASV.\r\n");
    feed(f, true, "EPSV\r\n");
    feed(f, false, "229 Entering Extended Passive Mode (|||58612|)\r\n");
    feed(f, true, "RETR temp.txt\r\n");
    assert_int_equal(ftp_tx_count(f), 4);
    FtpTx *greet = ftp_tx_get(f, 0), *port = ftp_tx_get(f, 1), *epsv = ftp_tx_get(f, 2), *retr = ftp_tx_get(f, 3);

    /* 234*256+10 = 59914 */
    assert_true(tx_match("alert ftp any any -> any any (ftp.dynamic_port:59914; sid:1;)", "ftp.dynamic_port#tx", port, true));
    assert_true(tx_match("alert ftp any any -> any any (ftp.dynamic_port:59913<>59915; sid:1;)", "ftp.dynamic_port#tx", port, false));
    assert_false(tx_match("alert ftp any any -> any any (ftp.dynamic_port:>59914; sid:1;)", "ftp.dynamic_port#tx", port, true));
    assert_true(tx_match("alert ftp any any -> any any (ftp.dynamic_port:58612; sid:1;)", "ftp.dynamic_port#tx", epsv, true));

    assert_true(tx_match("alert ftp any any -> any any (ftp.mode:active; sid:1;)", "ftp.mode#tx", port, true));
    assert_false(tx_match("alert ftp any any -> any any (ftp.mode:passive; sid:1;)", "ftp.mode#tx", port, true));
    assert_true(tx_match("alert ftp any any -> any any (ftp.mode:passive; sid:1;)", "ftp.mode#tx", epsv, true));
    assert_false(tx_match("alert ftp any any -> any any (ftp.mode:active; sid:1;)", "ftp.mode#tx", retr, true));

    assert_true(tx_match("alert ftp any any -> any any (ftp.reply_received:yes; sid:1;)", "ftp.reply_received#tx", port, false));
    assert_true(tx_match("alert ftp any any -> any any (ftp.reply_received:off; sid:1;)", "ftp.reply_received#tx", retr, false));
    assert_false(tx_match("alert ftp any any -> any any (ftp.reply_received:on; sid:1;)", "ftp.reply_received#tx", retr, false));
    /* the greeting carries no command: the transaction keywords skip it */
    assert_false(tx_match("alert ftp any any -> any any (ftp.reply_received:yes; sid:1;)", "ftp.reply_received#tx", greet, false));

    /* the multi-buffers hand out each reply line and code */
    int id = buffer_lookup("ftp.reply");
    assert_true(id >= 0);
    const BufferDef *b = buffer_by_list(buffer_list_id(id));
    assert_int_equal(b->dirs, BUF_DIR_TOCLIENT);
    assert_true(b->multi);
    const uint8_t *d;
    uint32_t n;
    assert_true(b->get(port, false, 0, &d, &n));
    assert_memory_equal(d, "PORT command successful. Consider using PASV.", n);
    assert_false(b->get(port, false, 1, &d, &n));
    b = buffer_by_list(buffer_list_id(buffer_lookup("ftp.completion_code")));
    assert_true(b->get(epsv, false, 0, &d, &n));
    assert_int_equal(n, 3);
    assert_memory_equal(d, "229", 3);
    ftp_state_free(f);
}

static void test_ftp_syntax(void **state)
{
    (void)state;
    const char *bad[] = {
        "alert ftp any any -> any any (ftp.mode:xactive; sid:1;)",
        "alert ftp any any -> any any (ftp.mode:suricata; sid:1;)",
        "alert ftp any any -> any any (ftp.reply_received:yes yes; sid:1;)",
        "alert ftp any any -> any any (ftp.reply_received:maybe; sid:1;)",
        "alert ftp any any -> any any (ftp.dynamic_port:abc; sid:1;)",
        "alert ftp any any -> any any (ftp.dynamic_port:70000; sid:1;)",
        "alert http any any -> any any (ftp.mode:active; sid:1;)",
        "alert tls any any -> any any (tls.cert_chain_len:x; sid:1;)",
        "alert tls any any -> any any (tls.subject:\"\"; sid:1;)",
        "alert http any any -> any any (tls.store; sid:1;)",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[1024] = "";
        Signature *s = parse(bad[i], err, sizeof(err));
        if (s)
            fail_msg("accepted: %s", bad[i]);
        assert_true(err[0] != 0);
    }
    const char *ok[] = {
        "alert ftp any any -> any any (ftp.reply; content:\"Goodbye.\"; ftp.completion_code; content:\"221\"; sid:1;)",
        "alert tls any any -> any any (tls.subject:\"CN=SELKS\"; tls.issuerdn:!\"O=Evil\"; sid:2;)",
        "alert tls any any -> any any (tls.cert_chain_len:0<>4; sid:3;)",
        "alert dns any any -> any any (app-layer-event:dns.z_flag_set; sid:4;)",
        "alert smtp any any -> any any (app-layer-event:smtp.invalid_reply; sid:5;)",
        "alert tls any any -> any any (tls.cert_subject; content:\"O=x\"; tls.store; sid:6;)",
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char err[1024] = "";
        Signature *s = parse(ok[i], err, sizeof(err));
        if (!s)
            fail_msg("%s: %s", ok[i], err);
        signature_free(s);
    }
}

static void test_app_layer_event_dns(void **state)
{
    (void)state;
    app_layer_register_builtin();
    /* query for a.b, type A: id 1, flags 0x0140 (RD and the reserved Z bit) */
    static const uint8_t z_query[] = { 0x00, 0x01, 0x01, 0x40, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                       0x01, 'a', 0x01, 'b', 0x00, 0x00, 0x01, 0x00, 0x01 };
    static const uint8_t plain_query[] = { 0x00, 0x02, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                           0x01, 'a', 0x01, 'b', 0x00, 0x00, 0x01, 0x00, 0x01 };
    DnsState *d = dns_state_new(false);
    OdTime t = { 0 };
    assert_true(dns_parse(d, true, z_query, sizeof(z_query), t));
    assert_true(dns_parse(d, true, plain_query, sizeof(plain_query), t));
    const char *rule = "alert dns any any -> any any (app-layer-event:dns.z_flag_set; sid:1;)";
    assert_true(tx_match(rule, "app-layer-event#dns", dns_tx_get(d, 0), true));
    assert_false(tx_match(rule, "app-layer-event#dns", dns_tx_get(d, 1), true));
    /* a request is not inspected in the response direction */
    assert_false(tx_match(rule, "app-layer-event#dns", dns_tx_get(d, 0), false));
    /* event names compare without case */
    assert_true(tx_match("alert dns any any -> any any (app-layer-event:dns.Z_FLAG_SET; sid:1;)",
                         "app-layer-event#dns", dns_tx_get(d, 0), true));
    dns_state_free(d);
}

/* Runs the transform `kw` on a host name; the result as a string. */
static const char *transform(const char *kw, const char *name)
{
    static char out[256];
    int id = keyword_lookup(kw);
    assert_true(id >= 0);
    const KeywordDef *d = keyword_get((uint16_t)id);
    InspectBuffer b;
    memset(&b, 0, sizeof(b));
    assert_true(d->transform((const uint8_t *)name, (uint32_t)strlen(name), &b, NULL));
    snprintf(out, sizeof(out), "%.*s", (int)b.len, b.data ? (const char *)b.data : "");
    free(b.owned);
    return out;
}

static void test_domain_tld(void **state)
{
    (void)state;
    keywords_init();
    assert_true(public_suffix_load());
    assert_string_equal(transform("domain", "www.suricata.io"), "suricata.io");
    assert_string_equal(transform("tld", "www.suricata.io"), "io");
    assert_string_equal(transform("domain", "news.BBC.co.uk."), "BBC.co.uk");
    assert_string_equal(transform("tld", "news.bbc.co.uk"), "co.uk");
    /* wildcard "*.ck" with the exception "!www.ck" */
    assert_string_equal(transform("tld", "a.b.ck"), "b.ck");
    assert_string_equal(transform("domain", "www.ck"), "www.ck");
    assert_string_equal(transform("tld", "www.ck"), "ck");
    /* not in the list: the implicit "*" rule */
    assert_string_equal(transform("domain", "host.example.invalidtld"), "example.invalidtld");
    /* a public suffix has no registrable domain */
    assert_string_equal(transform("domain", "co.uk"), "");
    assert_string_equal(transform("tld", ""), "");
    char err[1024] = "";
    Signature *s = parse("alert dns any any -> any any (dns.query; domain; content:\"x.io\"; sid:1;)", err, sizeof(err));
    if (!s)
        fail_msg("%s", err);
    signature_free(s);
    assert_null(parse("alert dns any any -> any any (tld; content:\"io\"; sid:2;)", err, sizeof(err)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ftp_tx_keywords),
        cmocka_unit_test(test_ftp_syntax),
        cmocka_unit_test(test_app_layer_event_dns),
        cmocka_unit_test(test_domain_tld),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
