/*
 * Unit tests of the detection core: the rule parser (header variants,
 * option tokenising and escapes, errors), rule files (comments, multi-line
 * rules, errors with file and line, duplicates, requires), content and its
 * modifiers (each, and their errors), the inspection engine's relative
 * matching with backtracking, and the flow keyword.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "detect/app-proto.h"
#include "detect/content.h"
#include "detect/detect-engine.h"
#include "detect/detect.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/rule-load.h"
#include "detect/rule-parse.h"
#include "flow/flow.h"

static Conf *test_conf(void)
{
    static Conf *c;
    if (!c) {
        c = conf_new_empty();
        char err[256];
        assert_true(conf_load_string(c,
                                     "vars:\n  address-groups:\n    HOME_NET: \"[10.0.0.0/8]\"\n"
                                     "    EXTERNAL_NET: \"!$HOME_NET\"\n  port-groups:\n    HTTP_PORTS: \"80\"\n",
                                     "test", err, sizeof(err)));
    }
    return c;
}

/* Parses `text`; on failure copies the error into err (if given). */
static Signature *parse(const char *text, char *err, size_t errlen)
{
    keywords_init();
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, test_conf(), "t.rules", 1);
    Signature *s = rule_parse(&rp, text);
    if (!s && err)
        snprintf(err, errlen, "%s", rp.has_error ? rp.error : (rp.skipped ? "SKIPPED" : ""));
    return s;
}

static void expect_error(const char *text, const char *needle)
{
    char err[1024] = "";
    Signature *s = parse(text, err, sizeof(err));
    if (s)
        fail_msg("rule parsed but should fail: %s", text);
    if (!strstr(err, needle))
        fail_msg("error '%s' does not contain '%s' (rule %s)", err, needle, text);
}

static Signature *expect_ok(const char *text)
{
    char err[1024] = "";
    Signature *s = parse(text, err, sizeof(err));
    if (!s)
        fail_msg("rule failed: %s: %s", err, text);
    return s;
}

static void test_header_variants(void **state)
{
    (void)state;
    Signature *s = expect_ok("alert tcp any any -> any 80 (msg:\"x\"; sid:1;)");
    assert_int_equal(s->action, SIG_ACTION_ALERT);
    assert_true(s->proto[6 / 8] & (1u << (6 % 8)));
    assert_int_equal(s->sid, 1);
    assert_int_equal(s->gid, 1);
    assert_int_equal(s->priority, 3);
    assert_string_equal(s->msg, "x");
    signature_free(s);

    s = expect_ok("drop udp $HOME_NET any <> $EXTERNAL_NET [53,5353] (sid:2; rev:3;)");
    assert_int_equal(s->action, SIG_ACTION_DROP);
    assert_true(s->flags & SIG_FLAG_BIDIRECTIONAL);
    assert_int_equal(s->rev, 3);
    signature_free(s);

    const char *ok[] = {
        "pass ip any any -> any any (sid:3;)",
        "reject icmp any any -> any any (sid:4;)",
        "rejectsrc tcp any any -> any any (sid:5;)",
        "rejectdst tcp any any -> any any (sid:6;)",
        "rejectboth tcp any any -> any any (sid:7;)",
        "alert icmpv6 any any -> any any (sid:8;)",
        "alert sctp any any -> any any (sid:9;)",
        "alert tcp-pkt any any -> any any (sid:10;)",
        "alert tcp-stream any any -> any any (sid:11;)",
        "alert pkthdr any any -> any any (sid:12;)",
        "alert icmpv4 [10.0.0.1, 10.0.0.2] any -> any any (sid:13;)",
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        signature_free(expect_ok(ok[i]));
    s = expect_ok("alert tcp-pkt any any -> any any (sid:10;)");
    assert_true(s->flags & SIG_FLAG_NO_STREAM);
    signature_free(s);
    s = expect_ok("alert tcp-stream any any -> any any (sid:11;)");
    assert_true(s->flags & SIG_FLAG_ONLY_STREAM);
    signature_free(s);
    /* detected by name (src/app/app-detect.c), inspected on packets and
     * the stream: ET Open's SMB and DCE/RPC rules are content rules */
    s = expect_ok("alert smb any any -> any 445 (flow:established,to_server; content:\"|ff|SMB\"; offset:4; depth:4; sid:12;)");
    assert_int_equal(s->app_proto, app_proto_by_name("smb")->id);
    signature_free(s);
    s = expect_ok("alert dcerpc any any -> any any (content:\"|05 00|\"; depth:2; sid:13;)");
    assert_int_equal(s->app_proto, app_proto_by_name("dcerpc")->id);
    signature_free(s);
    s = expect_ok("alert pop3 any any -> any 110 (flow:to_server; content:\"USER \"; sid:14;)");
    assert_int_equal(s->app_proto, app_proto_by_name("pop3")->id);
    signature_free(s);
}

/* A dcerpc rule applies to DCE/RPC flows and, as in Suricata, to SMB ones
 * (DCE/RPC over named pipes); every other rule only to its own protocol. */
static void test_app_proto_sig_matches(void **state)
{
    (void)state;
    AppProto smb = app_proto_by_name("smb")->id, dcerpc = app_proto_by_name("dcerpc")->id;
    AppProto http = app_proto_by_name("http")->id;
    assert_true(app_proto_sig_matches(dcerpc, dcerpc));
    assert_true(app_proto_sig_matches(dcerpc, smb));
    assert_true(app_proto_sig_matches(smb, smb));
    assert_false(app_proto_sig_matches(smb, dcerpc));
    assert_false(app_proto_sig_matches(dcerpc, http));
    assert_false(app_proto_sig_matches(http, smb));
}

static void test_header_errors(void **state)
{
    (void)state;
    expect_error("alrt tcp any any -> any any (sid:1;)", "unknown action 'alrt'");
    expect_error("alert foo any any -> any any (sid:1;)", "unknown protocol 'foo'");
    expect_error("alert nfs any any -> any any (sid:1;)", "protocol 'nfs' is not supported yet");
    expect_error("alert sip any any -> any any (sid:1;)", "protocol 'sip' is not supported yet");
    expect_error("alert tcp any any <- any any (sid:1;)", "direction '<-'");
    expect_error("alert tcp any any >> any any (sid:1;)", "invalid direction '>>'");
    expect_error("alert tcp any any -> any (sid:1;)", "expected 7 fields");
    expect_error("alert tcp any any -> any any sid:1;", "option section");
    expect_error("alert tcp any any -> any any (sid:1;) trailing", "after the closing");
    expect_error("alert tcp $NOPE any -> any any (sid:1;)", "source address");
    expect_error("alert tcp any any -> any any (msg:\"x\";)", "no sid");
    expect_error("alert tcp-pkt any any -> any any (flow:only_stream; sid:1;)", "tcp-pkt");
}

static void test_options_tokenising(void **state)
{
    (void)state;
    Signature *s = expect_ok("alert tcp any any -> any any (msg:\"a\\;b \\\"q\\\" c\\\\d\"; sid:1;)");
    assert_string_equal(s->msg, "a;b \"q\" c\\d");
    signature_free(s);
    s = expect_ok("alert tcp any any -> any any (  msg : \"spaced\" ;sid : 5 ;  )");
    assert_string_equal(s->msg, "spaced");
    assert_int_equal(s->sid, 5);
    signature_free(s);
    s = expect_ok("alert tcp any any -> any any (content:\"a\\;b|3a|\"; sid:1;)");
    const SigMatchList *l = sig_list(s, SIG_LIST_PMATCH);
    assert_non_null(l);
    const DetectContent *cd = l->items[0].ctx;
    assert_int_equal(cd->len, 4);
    assert_memory_equal(cd->data, "a;b:", 4);
    signature_free(s);
    expect_error("alert tcp any any -> any any (foo:bar; sid:1;)", "unknown rule keyword 'foo'");
    expect_error("alert tcp any any -> any any (sid:1; msg:\"x\")", "not terminated");
    expect_error("alert tcp any any -> any any (msg:x; sid:1;)", "double quotes");
    expect_error("alert tcp any any -> any any (sid:1; nocase:1;)", "takes no value");
    expect_error("alert tcp any any -> any any (sid:1; depth;)", "needs a value");
    expect_error("alert tcp any any -> any any (sid:0;)", "invalid sid");
    expect_error("alert tcp any any -> any any (sid:1; sid:2;)", "sid given twice");
}

static void test_meta(void **state)
{
    (void)state;
    Signature *s;
    s = expect_ok("alert tcp any any -> any any (msg:\"m\"; gid:5; sid:9; rev:2; priority:1; "
                  "reference:url,example.com; metadata:created_at 2020, former_category X, "
                  "created_at 2021; target:dest_ip; noalert;)");
    assert_int_equal(s->gid, 5);
    assert_int_equal(s->priority, 1);
    assert_int_equal(s->ref_count, 1);
    assert_string_equal(s->refs[0].key, "url");
    assert_string_equal(s->refs[0].value, "example.com");
    assert_int_equal(s->meta_count, 3);
    assert_string_equal(s->meta[1].key, "former_category");
    assert_string_equal(s->meta[1].value, "X");
    assert_true(s->flags & SIG_FLAG_TARGET_DST);
    assert_true(s->flags & SIG_FLAG_NOALERT);
    signature_free(s);
    /* a metadata entry without a value is ignored, as Suricata does */
    s = expect_ok("alert tcp any any -> any any (metadata:created_at 2022_25_07,priority:5; sid:1;)");
    assert_int_equal(s->meta_count, 1);
    assert_string_equal(s->meta[0].key, "created_at");
    signature_free(s);
    /* two metadata keywords: the second one's entries follow the first's
     * (each keyword's entries share one allocation, held by its first
     * kept entry) */
    s = expect_ok("alert tcp any any -> any any (metadata:a 1, b 2; metadata: c 3,d  4 ,e; sid:1;)");
    assert_int_equal(s->meta_count, 4);
    const char *want[4][2] = { { "a", "1" }, { "b", "2" }, { "c", "3" }, { "d", "4" } };
    for (int i = 0; i < 4; i++) {
        assert_string_equal(s->meta[i].key, want[i][0]);
        assert_string_equal(s->meta[i].value, want[i][1]);
    }
    signature_free(s);
    /* the first entry skipped, so a later one holds the block; a keyword
     * with nothing kept frees its own (ASan's leak check runs this too) */
    s = expect_ok("alert tcp any any -> any any (metadata:x, ,y 1; metadata: z; metadata:w  2; sid:1;)");
    assert_int_equal(s->meta_count, 2);
    assert_string_equal(s->meta[0].key, "y");
    assert_string_equal(s->meta[0].value, "1");
    assert_string_equal(s->meta[1].key, "w");
    assert_string_equal(s->meta[1].value, "2");
    assert_non_null(s->meta[0].block);
    assert_non_null(s->meta[1].block);
    signature_free(s);
    expect_error("alert tcp any any -> any any (sid:1; priority:0;)", "invalid priority");
    expect_error("alert tcp any any -> any any (sid:1; target:foo;)", "invalid target");
    expect_error("alert tcp any any -> any any (sid:1; reference:nocomma;)", "invalid reference");
}

/* `=>` rules (Suricata 8): one transaction, buffers of both directions */
static void test_bidir_rules(void **state)
{
    (void)state;
    Signature *s = expect_ok("alert http any any => any any (http.uri; content:\"/d\"; http.stat_code; "
                             "content:\"200\"; sid:1;)");
    assert_true(s->flags & SIG_FLAG_TXBOTHDIR);
    signature_free(s);
    /* a buffer of both directions pinned to one side: its own list */
    s = expect_ok("alert http any any => any any (http.connection: to_client; content:\"a\"; "
                  "http.connection: to_server; content:\"b\"; sid:2;)");
    int pinned = 0;
    for (uint16_t i = 0; i < s->list_count; i++)
        if (s->lists[i].count)
            pinned |= s->lists[i].dir;
    assert_int_equal(pinned, 3); /* BUF_DIR_TOSERVER | BUF_DIR_TOCLIENT */
    signature_free(s);
    expect_error("alert http any any => any any (http.uri; content:\"a\"; http.stat_code; content:\"2\"; "
                 "flow:to_server; sid:11;)",
                 "rule 11 means to use both directions, cannot specify a flow direction");
    expect_error("alert http any any => any any (http.uri; content:\"a\"; sid:2;)",
                 "rule 2 should use both directions, but does not");
    expect_error("alert http any any => any any (content:\"a\"; sid:5;)", "rule 5 should use both directions");
    expect_error("alert http any any => any any (http.uri; content:\"a\"; http.stat_code; content:\"2\"; "
                 "http.connection; content:\"k\"; sid:4;)",
                 "rule 4 means to use both directions, cannot have keywords ambiguous about directions");
    expect_error("alert http any any -> any any (http.connection: sideways; content:\"a\"; sid:6;)",
                 "to_client or to_server");
    /* a one-way rule asking for the other direction than its buffer */
    expect_error("alert ftp any any -> any any (flow:to_client; ftp.command; content:\"PASS\"; sid:10;)",
                 "rule 10 mixes keywords with conflicting directions");
    signature_free(expect_ok("alert ftp any any -> any any (flow:to_server; ftp.command; content:\"PASS\"; sid:10;)"));
}

/* `config` rules (conditional logging): match, never alert */
static void test_config_rules(void **state)
{
    (void)state;
    Signature *s = expect_ok("config dns any any -> any any (dns.query; content:\"x\"; "
                             "config: logging disable, type tx, scope tx; sid:1;)");
    assert_true(s->flags & SIG_FLAG_NOALERT);
    assert_true(s->flags & SIG_FLAG_NOLOG_TX);
    signature_free(s);
    expect_error("alert dns any any -> any any (dns.query; content:\"x\"; config: logging disable, type tx, "
                 "scope tx; sid:1;)",
                 "needs the 'config' action");
    expect_error("config dns any any -> any any (dns.query; content:\"x\"; config: logging disable, type flow, "
                 "scope flow; sid:1;)",
                 "only 'logging disable, type tx, scope tx'");
    expect_error("accept tcp any any -> any any (sid:1;)", "firewall");
}

/* app-layer-state: TLS handshake states by Suricata's names */
static void test_app_layer_state(void **state)
{
    (void)state;
    signature_free(expect_ok("alert tls any any -> any any (app-layer-state:<client_hello_done; sid:1;)"));
    signature_free(expect_ok("alert tls any any -> any any (app-layer-state:server_cert_done; sid:2;)"));
    expect_error("alert tls any any -> any any (app-layer-state:client_nowhere; sid:3;)", "unknown state");
    expect_error("alert http any any -> any any (app-layer-state:client_hello_done; sid:4;)", "needs a tls rule");
}

static void test_requires(void **state)
{
    (void)state;
    char err[256];
    assert_null(parse("alert tcp any any -> any any (requires: version >= 9; sid:1;)", err, sizeof(err)));
    assert_string_equal(err, "SKIPPED");
    /* skipped even when the rest would not parse */
    assert_null(parse("alert tcp any any -> any any (requires: feature nosuch; bogus; sid:1;)", err, sizeof(err)));
    assert_string_equal(err, "SKIPPED");
    signature_free(expect_ok("alert tcp any any -> any any (requires: version >= 7.0.3 < 9; sid:1;)"));
    signature_free(expect_ok("alert tcp any any -> any any (requires: version >= 8; sid:1;)"));
    expect_error("alert tcp any any -> any any (requires: version ~ 8; sid:1;)", "unknown comparison");
}

static const DetectContent *first_content(const Signature *s, int idx)
{
    const SigMatchList *l = sig_list(s, SIG_LIST_PMATCH);
    assert_non_null(l);
    return l->items[idx].ctx;
}

static void test_content_modifiers(void **state)
{
    (void)state;
    Signature *s = expect_ok("alert tcp any any -> any any (content:!\"ab|20 41|\"; nocase; offset:2; depth:10; "
                             "content:\"x\"; distance:-1; within:5; content:\"z\"; fast_pattern; rawbytes; "
                             "content:\"qq\"; startswith; content:\"e\"; endswith; sid:1;)");
    const DetectContent *cd = first_content(s, 0);
    assert_int_equal(cd->len, 4);
    assert_memory_equal(cd->data, "ab A", 4);
    assert_memory_equal(cd->lower, "ab a", 4);
    assert_true(cd->flags & CONTENT_NEGATED);
    assert_true(cd->flags & CONTENT_NOCASE);
    assert_int_equal(cd->offset, 2);
    assert_int_equal(cd->depth, 10);
    cd = first_content(s, 1);
    assert_int_equal(cd->distance, -1);
    assert_int_equal(cd->within, 5);
    cd = first_content(s, 2);
    assert_true(cd->flags & CONTENT_FAST_PATTERN);
    assert_true(cd->flags & CONTENT_RAWBYTES);
    assert_true(first_content(s, 3)->flags & CONTENT_STARTSWITH);
    assert_true(first_content(s, 4)->flags & CONTENT_ENDSWITH);
    signature_free(s);
    s = expect_ok("alert tcp any any -> any any (content:\"abcdef\"; fast_pattern:1,3; sid:1;)");
    const uint8_t *fp;
    uint32_t fpl;
    content_fast_pattern(first_content(s, 0), &fp, &fpl);
    assert_int_equal(fpl, 3);
    assert_memory_equal(fp, "bcd", 3);
    signature_free(s);
}

static void test_content_errors(void **state)
{
    (void)state;
    expect_error("alert tcp any any -> any any (nocase; sid:1;)", "preceding content");
    expect_error("alert tcp any any -> any any (content:\"abcd\"; depth:2; sid:1;)", "smaller than the content");
    expect_error("alert tcp any any -> any any (content:\"abcd\"; within:2; sid:1;)", "less than the content");
    expect_error("alert tcp any any -> any any (content:\"a\"; depth:2; distance:1; sid:1;)", "relative");
    expect_error("alert tcp any any -> any any (content:\"a\"; within:2; offset:1; sid:1;)", "relative");
    expect_error("alert tcp any any -> any any (content:\"a\"; depth:2; depth:3; sid:1;)", "multiple depths");
    expect_error("alert tcp any any -> any any (content:\"a\"; nocase; nocase; sid:1;)", "multiple nocase");
    expect_error("alert tcp any any -> any any (content:!\"a\"; fast_pattern:only; sid:1;)", "negated");
    expect_error("alert tcp any any -> any any (content:\"a\"; fast_pattern; content:\"b\"; fast_pattern; sid:1;)",
                 "only one content");
    expect_error("alert tcp any any -> any any (content:\"abc\"; fast_pattern:2,5; sid:1;)", "exceeds");
    expect_error("alert tcp any any -> any any (content:\"|4|\"; sid:1;)", "odd number of hex");
    expect_error("alert tcp any any -> any any (content:\"|4g|\"; sid:1;)", "invalid hex");
    expect_error("alert tcp any any -> any any (content:\"|41\"; sid:1;)", "unterminated hex");
    expect_error("alert tcp any any -> any any (content:\"\\x\"; sid:1;)", "invalid escape");
    expect_error("alert tcp any any -> any any (content:\"\"; sid:1;)", "empty");
    expect_error("alert tcp any any -> any any (content:\"a\"; depth:x; sid:1;)", "variable 'x'");
    expect_error("alert tcp any any -> any any (content:\"a\"; depth:1; startswith; sid:1;)", "startswith");
}

/* Runs the payload list of `rule` against `data`. */
static bool payload_matches_n(const char *rule, const char *data, uint32_t len)
{
    Signature *s = expect_ok(rule);
    bool r = inspect_buffer(NULL, s, sig_list(s, SIG_LIST_PMATCH), (const uint8_t *)data, len, INSPECT_BUF_PACKET,
                            NULL);
    signature_free(s);
    return r;
}

static bool payload_matches(const char *rule, const char *data)
{
    return payload_matches_n(rule, data, (uint32_t)strlen(data));
}

#define R(opts) "alert tcp any any -> any any (" opts " sid:1;)"

static void test_inspection(void **state)
{
    (void)state;
    /* backtracking: the first "a" is followed by X, the second by b */
    assert_true(payload_matches(R("content:\"a\"; content:\"b\"; distance:0; within:1;"), "aXab"));
    assert_false(payload_matches(R("content:\"a\"; content:\"b\"; distance:0; within:1;"), "aXaXb"));
    assert_true(payload_matches(R("content:\"GET\"; depth:3;"), "GET /"));
    assert_false(payload_matches(R("content:\"GET\"; depth:3;"), " GET /"));
    assert_true(payload_matches(R("content:\"def\"; offset:3; depth:3;"), "abcdef"));
    assert_false(payload_matches(R("content:\"abc\"; offset:1;"), "abcdef"));
    assert_true(payload_matches(R("content:\"get\"; nocase;"), "xGeT"));
    assert_false(payload_matches(R("content:\"get\";"), "xGeT"));
    assert_true(payload_matches(R("content:!\"evil\";"), "good"));
    assert_false(payload_matches(R("content:!\"evil\";"), "so evil"));
    assert_true(payload_matches(R("content:\"a\"; content:!\"b\"; within:1;"), "ab ac"));
    assert_false(payload_matches(R("content:\"a\"; content:!\"b\"; distance:0; within:1;"), "ab"));
    assert_true(payload_matches(R("content:\"ab\"; startswith;"), "abc"));
    assert_false(payload_matches(R("content:\"bc\"; startswith;"), "abc"));
    assert_true(payload_matches(R("content:\"bc\"; endswith;"), "abc"));
    assert_false(payload_matches(R("content:\"ab\"; endswith;"), "abc"));
    assert_true(payload_matches(R("content:\"c\"; content:\"a\"; distance:-3; within:1;"), "abc"));
    assert_true(payload_matches(R("content:\"x\"; content:\"y\"; distance:2;"), "x12y"));
    assert_false(payload_matches(R("content:\"x\"; content:\"y\"; distance:3;"), "x12y"));
    /* three-level backtracking */
    assert_true(payload_matches(R("content:\"a\"; content:\"b\"; distance:0; within:1; content:\"c\"; distance:0; "
                                  "within:1;"),
                                "abXabc"));
    assert_true(payload_matches_n(R("content:\"|00 01|\"; content:\"|ff|\"; within:2;"), "\x00\x01\x02\xff", 4));
    assert_false(payload_matches_n(R("content:\"|00 01|\"; content:\"|ff|\"; within:1;"), "\x00\x01\x02\xff", 4));
}

static void test_recursion_limit(void **state)
{
    (void)state;
    /* many 'a's and no 'b' after any: backtracking stops at the budget */
    char buf[5001];
    memset(buf, 'a', 5000);
    buf[5000] = '\0';
    assert_false(payload_matches(R("content:\"a\"; content:\"a\"; distance:0; content:\"b\"; distance:0;"), buf));
}

static void test_flow_keyword(void **state)
{
    (void)state;
    Signature *s = expect_ok(R("flow:established,to_server;"));
    assert_true(s->flags & SIG_FLAG_TOSERVER);
    assert_true(s->flags & SIG_FLAG_ESTABLISHED);
    const SigMatchList *l = sig_list(s, SIG_LIST_MATCH);
    assert_non_null(l);
    const KeywordDef *d = keyword_get(l->items[0].kw);
    Flow f;
    memset(&f, 0, sizeof(f));
    f.proto = 17;
    Packet p;
    memset(&p, 0, sizeof(p));
    p.flow = &f;
    p.proto = 17;
    p.to_server = true;
    p.flow_established = true;
    assert_true(d->match_packet(NULL, &p, s, l->items[0].ctx));
    p.to_server = false;
    assert_false(d->match_packet(NULL, &p, s, l->items[0].ctx));
    p.to_server = true;
    p.flow_established = false;
    assert_false(d->match_packet(NULL, &p, s, l->items[0].ctx));
    p.flow = NULL;
    assert_false(d->match_packet(NULL, &p, s, l->items[0].ctx));
    signature_free(s);
    s = expect_ok(R("flow:from_server,only_stream;"));
    assert_true(s->flags & SIG_FLAG_TOCLIENT);
    assert_true(s->flags & SIG_FLAG_ONLY_STREAM);
    signature_free(s);
    expect_error(R("flow:to_server,to_client;"), "both to_server and to_client");
    expect_error(R("flow:established,not_established;"), "both established and not_established");
    expect_error(R("flow:only_stream,no_stream;"), "both only_stream and no_stream");
    expect_error(R("flow:sideways;"), "invalid flow option 'sideways'");
    expect_error(R("flow:to_server; flow:established;"), "only one flow keyword");
}

static void test_rule_file(void **state)
{
    (void)state;
    keywords_init();
    DetectEngine *de = detect_engine_new(NULL);
    RuleLoadStats st;
    memset(&st, 0, sizeof(st));
    const char *text = "# comment\n"
                       "\n"
                       "alert tcp any any -> any any (msg:\"one\"; \\\n"
                       "   content:\"x\"; sid:1;)\n"
                       "alert tcp any any -> any any (bogus; sid:2;)\n"
                       "alert tcp any any -> any any (msg:\"dup\"; sid:1; rev:2;)\n"
                       "alert tcp any any -> any any (requires: version >= 99; sid:3;)\n"
                       "   # indented comment\n"
                       "alert udp any any -> any any (sid:4;)\n";
    assert_true(rules_load_string(de, NULL, text, "mem.rules", &st));
    assert_int_equal(st.loaded, 3); /* Suricata counts the replaced rule too */
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(de->sig_count, 2);
    assert_true(detect_engine_build(de));
    bool found = false;
    for (uint32_t i = 0; i < de->sig_count; i++) {
        if (de->sigs[i]->sid == 1) {
            assert_int_equal(de->sigs[i]->rev, 2);
            assert_int_equal(de->sigs[i]->line, 6);
            found = true;
        }
    }
    assert_true(found);
    detect_engine_free(de);
}

/* classtype: looked up (any case) in the engine's classification file;
 * the category shown in alerts is its description and its priority
 * applies unless the rule gives one (whichever comes first); an unknown
 * name, an empty one or a second classtype fail the rule. */
static void test_classtype(void **state)
{
    (void)state;
    keywords_init();
    char path[] = "/tmp/odlar-classes-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *table = "config classification: trojan-activity,A Network Trojan was detected,1\n"
                        "config classification: misc-activity,Misc activity,3\n";
    assert_int_equal(write(fd, table, strlen(table)), (ssize_t)strlen(table));
    close(fd);
    Conf *c = conf_new_empty();
    conf_set_value(c, "classification-file", path, "test");
    DetectEngine *de = detect_engine_new(c);
    assert_non_null(de);
    const char *rules[] = {
        "alert ip any any -> any any (classtype:Trojan-Activity; sid:1;)",
        "alert ip any any -> any any (priority:4; classtype:trojan-activity; sid:2;)",
        "alert ip any any -> any any (classtype:trojan-activity; priority:5; sid:3;)",
        "alert ip any any -> any any (classtype:no-such-class; sid:4;)",
        "alert ip any any -> any any (classtype:misc-activity; classtype:misc-activity; sid:5;)",
        "alert ip any any -> any any (classtype:; sid:6;)",
    };
    const bool ok[] = { true, true, true, false, false, false };
    const int prio[] = { 1, 4, 5 };
    const char *why[] = { NULL, NULL, NULL, "unknown classtype", "classtype given twice", "classtype" };
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        RuleParseCtx rp;
        rule_parse_ctx_init(&rp, de, c, "t.rules", 1);
        Signature *s = rule_parse(&rp, rules[i]);
        if (!ok[i]) {
            assert_null(s);
            assert_non_null(strstr(rp.error, why[i]));
            continue;
        }
        assert_non_null(s);
        assert_string_equal(s->classtype, "trojan-activity");
        assert_string_equal(s->class_desc, "A Network Trojan was detected");
        assert_int_equal(s->priority, prio[i]);
        signature_free(s);
    }
    detect_engine_free(de);
    conf_free(c);
    unlink(path);
}

/* Duplicates as Suricata's DetectEngineSignatureIsDuplicate: a rule with
 * the same gid:sid and the same or a lower rev is a failed rule and the
 * loaded one stays; a higher rev replaces it. Another gid is another rule. */
static void test_rule_duplicates(void **state)
{
    (void)state;
    keywords_init();
    DetectEngine *de = detect_engine_new(NULL);
    RuleLoadStats st;
    memset(&st, 0, sizeof(st));
    const char *text = "alert tcp any any -> any any (msg:\"a\"; sid:7; rev:3;)\n"
                       "alert tcp any any -> any any (msg:\"same rev\"; sid:7; rev:3;)\n"
                       "alert tcp any any -> any any (msg:\"older\"; sid:7; rev:1;)\n"
                       "alert tcp any any -> any any (msg:\"other gid\"; gid:2; sid:7; rev:1;)\n"
                       "alert tcp any any -> any any (msg:\"newer\"; sid:7; rev:4;)\n";
    assert_true(rules_load_string(de, NULL, text, "mem.rules", &st));
    assert_int_equal(st.loaded, 3);
    assert_int_equal(st.failed, 2);
    assert_int_equal(de->sig_count, 2);
    for (uint32_t i = 0; i < de->sig_count; i++) {
        const Signature *sg = de->sigs[i];
        if (sg->gid == 1) {
            assert_int_equal(sg->rev, 4);
            assert_string_equal(sg->msg, "newer");
        } else {
            assert_int_equal(sg->gid, 2);
            assert_int_equal(sg->rev, 1);
        }
    }
    detect_engine_free(de);
}

/* A file of more rules than one batch, parsed on several threads: the
 * result is that of a rule-by-rule load -- counts, the later of two
 * duplicates wins wherever the batches cut, failures are reported -- and
 * the engine holds the rules in file order before sorting. */
static void test_rule_file_in_batches(void **state)
{
    (void)state;
    keywords_init();
    DetectEngine *de = detect_engine_new(NULL);
    RuleLoadStats st;
    memset(&st, 0, sizeof(st));
    enum { N = 10000 };
    size_t cap = (size_t)N * 120, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (int i = 1; i <= N; i++) {
        if (i % 1000 == 0) /* a bad rule */
            len += (size_t)snprintf(text + len, cap - len, "alert tcp any any -> any any (nonsense; sid:%d;)\n", i);
        else if (i % 997 == 0) /* a duplicate of a rule 4500 lines earlier (another batch) */
            len += (size_t)snprintf(text + len, cap - len,
                                    "alert tcp any any -> any any (msg:\"again\"; content:\"r%d\"; sid:%d; rev:9;)\n",
                                    i, i > 4500 ? i - 4500 : i + 20000);
        else
            len += (size_t)snprintf(text + len, cap - len,
                                    "alert tcp any any -> any any (msg:\"r%d\"; content:\"r%d\"; sid:%d;)\n", i, i, i);
    }
    assert_true(rules_load_string(de, NULL, text, "mem.rules", &st));
    int bad = N / 1000, dups = 0;
    for (int i = 997; i <= N; i += 997)
        if (i % 1000 != 0 && i > 4500)
            dups++;
    assert_int_equal(st.failed, bad);
    assert_int_equal(st.loaded, N - bad); /* a replaced rule still counts */
    assert_int_equal(de->sig_count, (uint32_t)(N - bad - dups));
    for (uint32_t i = 0; i < de->sig_count; i++) {
        const Signature *sg = de->sigs[i];
        bool replaced = sg->sid + 4500 <= N && (sg->sid + 4500) % 997 == 0 && (sg->sid + 4500) % 1000 != 0;
        assert_int_equal(sg->rev, replaced || sg->sid > N ? 9 : 0);
    }
    free(text);
    detect_engine_free(de);
}

static void test_engine_order(void **state)
{
    (void)state;
    keywords_init();
    DetectEngine *de = detect_engine_new(NULL);
    RuleLoadStats st;
    memset(&st, 0, sizeof(st));
    const char *text = "alert tcp any any -> any any (sid:1; priority:3;)\n"
                       "alert tcp any any -> any any (sid:2; priority:1;)\n"
                       "drop tcp any any -> any any (sid:3;)\n"
                       "pass tcp any any -> any any (sid:4;)\n"
                       "alert udp any any -> any any (flow:to_client; sid:5;)\n";
    assert_true(rules_load_string(de, NULL, text, "mem.rules", &st));
    assert_true(detect_engine_build(de));
    assert_int_equal(de->sigs[0]->sid, 4);
    assert_int_equal(de->sigs[1]->sid, 3);
    assert_int_equal(de->sigs[2]->sid, 2);
    assert_int_equal(de->sigs[3]->sid, 1);
    assert_int_equal(de->groups[6][0].count, 4);
    assert_int_equal(de->groups[17][0].count, 0);
    assert_int_equal(de->groups[17][1].count, 1);
    detect_engine_free(de);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_variants), cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_app_proto_sig_matches),
        cmocka_unit_test(test_options_tokenising), cmocka_unit_test(test_meta), cmocka_unit_test(test_bidir_rules), cmocka_unit_test(test_config_rules), cmocka_unit_test(test_app_layer_state),
        cmocka_unit_test(test_requires), cmocka_unit_test(test_content_modifiers),
        cmocka_unit_test(test_content_errors), cmocka_unit_test(test_inspection),
        cmocka_unit_test(test_recursion_limit), cmocka_unit_test(test_flow_keyword),
        cmocka_unit_test(test_rule_file), cmocka_unit_test(test_rule_file_in_batches),
        cmocka_unit_test(test_rule_duplicates),
        cmocka_unit_test(test_classtype),
        cmocka_unit_test(test_engine_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
