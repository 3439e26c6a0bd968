/*
 * The payload keywords inside whole rules: parsed by the rule parser
 * (setup, list placement, Suricata's rule-level errors) and evaluated by the
 * content inspection engine (byte_extract -> byte_jump chains, relative
 * pcre with retries, base64_decode feeding base64_data).
 */
#include <stdlib.h>

#include "detect/detect-engine.h"
#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/rule-parse.h"
#include "payload_test.h"

static RuleParseCtx rp;

static Signature *parse(const char *rule)
{
    keywords_init();
    rule_parse_ctx_init(&rp, NULL, NULL, NULL, 1);
    Signature *s = rule_parse(&rp, rule);
    if (s && !payload_validate_signature(&rp, s)) {
        signature_free(s);
        return NULL;
    }
    return s;
}

static Signature *parse_ok(const char *rule)
{
    Signature *s = parse(rule);
    if (!s)
        fail_msg("rule rejected: %s\n  error: %s", rule, rp.error);
    return s;
}

static void parse_fails(const char *rule, const char *msg_part)
{
    Signature *s = parse(rule);
    if (s) {
        signature_free(s);
        fail_msg("rule accepted, expected an error: %s", rule);
    }
    if (msg_part && !strstr(rp.error, msg_part))
        fail_msg("error \"%s\" lacks \"%s\"", rp.error, msg_part);
}

static bool payload_match(const Signature *s, const uint8_t *data, uint32_t len)
{
    const SigMatchList *l = sig_list(s, SIG_LIST_PMATCH);
    assert_non_null(l);
    return inspect_buffer(NULL, s, l, data, len, INSPECT_BUF_PACKET, NULL);
}

/* An inline frame window (inspect_buffer_window): depth (and startswith)
 * count from the start of the whole buffer, window_base bytes before the
 * window; offset, as in Suricata, from the window. */
static void test_rule_window_base(void **state)
{
    (void)state;
    static const uint8_t win[] = "Reply-To: x Subject";
    const uint32_t n = sizeof(win) - 1;
    Signature *s = parse_ok("alert tcp any any -> any any (content:\"Reply-To:\"; startswith; sid:1;)");
    const SigMatchList *l = sig_list(s, SIG_LIST_PMATCH);
    assert_true(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 0));
    assert_false(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 2500)); /* not the start */
    signature_free(s);
    s = parse_ok("alert tcp any any -> any any (content:\"Subject\"; offset:10; depth:12; sid:2;)");
    l = sig_list(s, SIG_LIST_PMATCH);
    assert_true(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 0)); /* at 12, in [10,22) */
    assert_true(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 2)); /* at 14 */
    assert_false(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 8)); /* at 20: past 22 */
    assert_false(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 30)); /* limit ended before */
    signature_free(s);
    s = parse_ok("alert tcp any any -> any any (content:\"x\"; offset:12; sid:4;)");
    l = sig_list(s, SIG_LIST_PMATCH);
    assert_false(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 0)); /* at 10, before 12 */
    /* as Suricata, the offset stays relative to the window */
    assert_false(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 5));
    signature_free(s);
    s = parse_ok("alert tcp any any -> any any (content:\"Subject\"; sid:3;)");
    l = sig_list(s, SIG_LIST_PMATCH);
    assert_true(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 5000)); /* unanchored */
    signature_free(s);
}

/* The first list holding keywords (a sticky buffer's). */
static const SigMatchList *first_list(const Signature *s)
{
    for (uint16_t i = 0; i < s->list_count; i++)
        if (s->lists[i].count)
            return &s->lists[i];
    fail_msg("no list");
    return NULL;
}

/* A window of a growing HTTP body (inspect_buffer_window): bsize is the
 * whole body's size so far (window_base + the window), a `within` with no
 * match before it and a depth that ended before the window cannot match --
 * negated or not -- as with Suricata's stream_start_offset. */
static void test_rule_window_body(void **state)
{
    (void)state;
    static const uint8_t win[] = "0123456789";
    const uint32_t n = sizeof(win) - 1;
    Signature *s = parse_ok("alert http any any -> any any (http.request_body; bsize:>15; sid:1;)");
    const SigMatchList *l = first_list(s);
    assert_false(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 0)); /* 10 bytes */
    assert_true(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 6)); /* 16 bytes */
    signature_free(s);
    s = parse_ok("alert http any any -> any any (http.request_body; content:\"0\"; depth:5; "
                 "content:!\"9\"; depth:5; sid:2;)");
    l = first_list(s);
    assert_true(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 0));
    assert_false(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 5)); /* depth ends at the window */
    signature_free(s);
    s = parse_ok("alert http any any -> any any (http.request_body; content:!\"Z\"; depth:5; sid:3;)");
    l = first_list(s);
    assert_true(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 0));
    assert_false(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 5)); /* not even negated */
    signature_free(s);
    /* a first relative content: its `within`, capped at the window's
     * length, is set against the window's start */
    s = parse_ok("alert http any any -> any any (http.request_body; content:\"8\"; distance:0; within:12; sid:4;)");
    l = first_list(s);
    assert_true(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 0));
    assert_true(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 1)); /* 10 - 1: "8" at 8 */
    assert_false(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 3)); /* 10 - 3: "8" past 7 */
    assert_false(inspect_buffer_window(NULL, s, l, win, n, INSPECT_BUF_APP, NULL, 10)); /* 10 <= 10 */
    signature_free(s);
}

static void test_rule_byte_chain(void **state)
{
    (void)state;
    Signature *s = parse_ok("alert tcp any any -> any any (content:\"|00 00 00|\"; byte_extract:1,4,rpkt_len,relative; "
                            "byte_jump:rpkt_len,0,relative; isdataat:1,relative; sid:1;)");
    assert_int_equal(byte_var_index(s, "rpkt_len"), 0);
    assert_int_equal(byte_var_index(s, "nope"), -1);
    assert_int_equal(byte_var_count(s), 1);
    const SigMatchList *l = sig_list(s, SIG_LIST_PMATCH);
    assert_int_equal(l->count, 4);
    /* the byte 4 after the zeros (1) becomes byte_jump's field width: it
     * reads 5 at offset 8 and jumps to 14; one byte is left there */
    static const uint8_t ok[] = { 0, 0, 0, 'a', 'b', 'c', 'd', 1, 5, 'x', 'y', 'z', 'w', 'v', 'u' };
    assert_true(payload_match(s, ok, sizeof(ok)));
    static const uint8_t short_[] = { 0, 0, 0, 'a', 'b', 'c', 'd', 1, 5, 'x' };
    assert_false(payload_match(s, short_, sizeof(short_)));
    signature_free(s);

    s = parse_ok("alert tcp any any -> any any (byte_extract:1,0,sz; byte_test:1,=,sz,1; sid:2;)");
    static const uint8_t eq[] = { 7, 7 }, ne[] = { 7, 8 };
    assert_true(payload_match(s, eq, 2));
    assert_false(payload_match(s, ne, 2));
    signature_free(s);

    s = parse_ok("alert tcp any any -> any any (content:\"LEN\"; byte_math:bytes 1, offset 0, oper +, rvalue 1, "
                 "result total, relative; byte_test:1,=,total,0,relative; sid:3;)");
    static const uint8_t bm[] = { 'L', 'E', 'N', 4, 5 };
    assert_true(payload_match(s, bm, sizeof(bm)));
    signature_free(s);
}

static void test_rule_byte_errors(void **state)
{
    (void)state;
    parse_fails("alert tcp any any -> any any (byte_extract:1,5,rpkt_len; byte_test:no_var,=,0x01,5,bitmask 0xFF; "
                "sid:1;)",
                "Unknown byte_extract var seen in byte_test - no_var");
    parse_fails("alert tcp any any -> any any (content:\"|00 00 00|\"; byte_extract:1,4,rpkt_len2,relative; "
                "byte_jump:no_var,0,relative; isdataat:1,relative; sid:2;)",
                "Unknown byte_extract var seen in byte_jump - no_var");
    parse_fails("alert tcp any any -> any any (byte_extract:1,5,rpkt_len,relative; byte_math:bytes no_var, "
                "offset 1, oper +, rvalue 102, result result_val; sid:1;)",
                "unknown byte_ keyword var seen in byte_math - no_var");
    /* a variable is confined to the buffer it was extracted on (Suricata 8) */
    parse_fails("alert http any any -> any any (content:\"hi\"; byte_extract:1,4,rpkt_len; http.connection; "
                "byte_jump:rpkt_len,0; sid:1;)",
                "Unknown byte_extract var seen in byte_jump - rpkt_len");
    signature_free(parse_ok("alert http any any -> any any (http.uri; content:\"hi\"; byte_extract:1,0,n,relative; "
                            "byte_test:1,=,n,0,relative; sid:1;)"));
    parse_fails("alert tcp any any -> any any (byte_extract:1,0,x; byte_extract:1,1,x; sid:1;)", "already defined");
    /* a transform after a content starts a new instance of the buffer,
     * continuing its transform chain; the first content keeps the raw one */
    Signature *t = parse_ok("alert http any any -> any any (http.uri; to_lowercase; content:\"a\"; from_base64; "
                            "content:\"b\"; sid:1;)");
    const SigMatchList *first = NULL, *second = NULL;
    for (uint16_t i = 0; i < t->list_count; i++) {
        if (t->lists[i].list_id >= SIG_LIST_BUFFER_BASE && t->lists[i].list_id < SIG_LIST_SIDE_BASE) {
            if (!first)
                first = &t->lists[i];
            else
                second = &t->lists[i];
        }
    }
    assert_non_null(first);
    assert_non_null(second);
    assert_int_equal(sig_list_plain(first->list_id), sig_list_plain(second->list_id));
    assert_int_not_equal(first->list_id, second->list_id);
    assert_int_equal(first->transform_count, 1);
    assert_int_equal(first->count, 1);
    assert_int_equal(second->transform_count, 2);
    assert_int_equal(second->transforms_borrowed, 1);
    assert_int_equal(second->count, 1);
    signature_free(t);
    /* pcrexform's regex must be quoted (Suricata's wording) */
    parse_fails("alert http any any -> any any (http.request_line; pcrexform:[a-z]+\\s+(.*); sid:1;)",
                "invalid formatting to pcrexform keyword");
    signature_free(parse_ok("alert http any any -> any any (http.request_line; pcrexform:\"[a-z]+\\s+(.*)\"; sid:1;)"));
    /* a content the transforms' output can never hold is refused */
    parse_fails("alert http any any -> any any (file.data; to_lowercase; content:\"AT\"; sid:1;)",
                "incompatible with to_lowercase transform");
    parse_fails("alert http any any -> any any (file.data; to_uppercase; content:\"at\"; sid:1;)",
                "incompatible with to_uppercase transform");
    parse_fails("alert http any any -> any any (file.data; compress_whitespace; content:\"a  b\"; sid:1;)",
                "incompatible with compress_whitespace transform");
    parse_fails("alert http any any -> any any (file.data; strip_whitespace; content:\"a b\"; sid:1;)",
                "incompatible with strip_whitespace transform");
    signature_free(parse_ok("alert http any any -> any any (file.data; compress_whitespace; content:\"a b\"; sid:1;)"));
    signature_free(parse_ok("alert http any any -> any any (file.data; to_lowercase; content:\"at\"; sid:1;)"));
    parse_fails("alert tcp any any -> any any (byte_test:9,=,1,0; sid:1;)", "8 bytes");
}

static void test_rule_pcre(void **state)
{
    (void)state;
    Signature *s = parse_ok("alert tcp any any -> any any (content:\"a\"; pcre:\"/^b/R\"; sid:1;)");
    const SigMatchList *l = sig_list(s, SIG_LIST_PMATCH);
    assert_int_equal(l->count, 2);
    /* the first "a" is followed by c; the engine retries the content */
    assert_true(payload_match(s, (const uint8_t *)"acab", 4));
    assert_false(payload_match(s, (const uint8_t *)"acac", 4));
    signature_free(s);

    s = parse_ok("alert tcp any any -> any any (pcre:!\"/evil/i\"; sid:2;)");
    assert_true(payload_match(s, (const uint8_t *)"good", 4));
    assert_false(payload_match(s, (const uint8_t *)"EVIL", 4));
    signature_free(s);

    s = parse_ok("alert tcp any any -> any any (pcre:\"/a\\;b/\"; sid:3;)");
    assert_true(payload_match(s, (const uint8_t *)"xa;b", 4));
    signature_free(s);

    parse_fails("alert tcp any any -> any any (pcre:\"/x/q\"; sid:1;)", "modifier");
    parse_fails("alert tcp any any -> any any (pcre:\"/(x/\"; sid:1;)", "invalid regex");
}

/* pcre captures: the groups going to alert/flow/pkt variables are kept in
 * the detection thread for the signature's alert record */
static void test_rule_pcre_captures(void **state)
{
    (void)state;
    Signature *s = parse_ok("alert tcp any any -> any any (pcre:\"/^([a-z]+) v(\\d+)/,alert:name, flow:ver\"; sid:1;)");
    DetectThread *dt = calloc(1, sizeof(*dt));
    assert_non_null(dt);
    const SigMatchList *l = sig_list(s, SIG_LIST_PMATCH);
    assert_true(inspect_buffer(dt, s, l, (const uint8_t *)"curl v8 x", 9, INSPECT_BUF_PACKET, NULL));
    assert_int_equal(dt->capture_count, 2);
    assert_ptr_equal(dt->captures[0].s, s);
    assert_string_equal(dt->captures[0].name, "name");
    assert_int_equal(dt->captures[0].len, 4);
    assert_memory_equal(dt->captures[0].value, "curl", 4);
    assert_string_equal(dt->captures[1].name, "ver");
    assert_int_equal(dt->captures[1].len, 1);
    assert_memory_equal(dt->captures[1].value, "8", 1);
    /* a new match of the same signature replaces the values */
    assert_true(inspect_buffer(dt, s, l, (const uint8_t *)"wget v12", 8, INSPECT_BUF_PACKET, NULL));
    assert_int_equal(dt->capture_count, 2);
    assert_memory_equal(dt->captures[0].value, "wget", 4);
    assert_int_equal(dt->captures[1].len, 2);
    /* no match, nothing kept */
    dt->capture_count = 0;
    assert_false(inspect_buffer(dt, s, l, (const uint8_t *)"CURL", 4, INSPECT_BUF_PACKET, NULL));
    assert_int_equal(dt->capture_count, 0);
    free(dt);
    signature_free(s);
}

static void test_rule_payload_kws(void **state)
{
    (void)state;
    Signature *s = parse_ok("alert tcp any any -> any any (dsize:>5; sid:1;)");
    const SigMatchList *ml = sig_list(s, SIG_LIST_MATCH);
    assert_non_null(ml);
    assert_int_equal(ml->count, 1);
    const KeywordDef *def = keyword_get(ml->items[0].kw);
    assert_string_equal(def->name, "dsize");
    Packet p;
    memset(&p, 0, sizeof(p));
    p.payload_len = 6;
    assert_true(def->match_packet(NULL, &p, s, ml->items[0].ctx));
    p.payload_len = 5;
    assert_false(def->match_packet(NULL, &p, s, ml->items[0].ctx));
    signature_free(s);

    parse_fails("alert tcp any any -> any any (dsize:1; dsize:2; sid:1;)", "2 or more dsizes");
    parse_fails("alert udp any any -> any any (dsize:10; content:\"thisstringisgreaterthan10bytes\"; sid:1;)",
                "signature can't match as required content length 30 exceeds dsize value 10");
    parse_fails("alert udp any any -> any any (dsize:50; content:\"AA\"; offset:100; sid:1;)",
                "required content length 102 exceeds dsize value 50");
    parse_fails("alert udp any any -> any any (dsize:5<>10; content:\"AAAA\"; offset:8; sid:1;)",
                "required content length 12 exceeds dsize value 10");
    parse_fails("alert tcp any any -> any any (bsize:10; sid:1;)", "sticky buffer");
    parse_fails("alert tcp any any -> any any (to_lowercase; content:\"a\"; sid:1;)", "sticky buffer");
    parse_fails("alert tcp any any -> any any (base64_data; content:\"a\"; sid:1;)", "base64_decode");
    parse_fails("alert tcp any any -> any any (isdataat:x; sid:1;)", "isdataat");

    s = parse_ok("alert tcp any any -> any any (content:\"a\"; isdataat:!1,relative; sid:1;)");
    assert_true(payload_match(s, (const uint8_t *)"xxa", 3));
    assert_false(payload_match(s, (const uint8_t *)"xxab", 4));
    signature_free(s);

    s = parse_ok("alert tcp any any -> any any (ttl:10; prefilter; sid:1;)");
    uint16_t pl;
    const SigMatch *pm = payload_sig_prefilter(s, &pl);
    assert_non_null(pm);
    assert_int_equal(pl, SIG_LIST_MATCH);
    assert_string_equal(keyword_get(pm->kw)->name, "ttl");
    signature_free(s);
    parse_fails("alert tcp any any -> any any (content:\"a\"; prefilter; sid:1;)", "fast_pattern");
}

static void test_rule_base64(void **state)
{
    (void)state;
    Signature *s = parse_ok("alert tcp any any -> any any (content:\"arg\"; base64_decode:bytes 17, offset 1, "
                            "relative; base64_data; content:\"thisisatest\"; sid:1;)");
    const SigMatchList *bl = sig_list(s, SIG_LIST_BASE64_DATA);
    assert_non_null(bl);
    assert_int_equal(bl->count, 1);
    const char *good = "GET /?arg=dGhpc2lzYXRlc3QK HTTP/1.1";
    assert_true(payload_match(s, (const uint8_t *)good, (uint32_t)strlen(good)));
    const char *bad = "GET /?arg=dG9hc3R0b2FzdHRvYXN0 HTTP/1.1";
    assert_false(payload_match(s, (const uint8_t *)bad, (uint32_t)strlen(bad)));
    signature_free(s);
    payload_keywords_thread_cleanup();
}

/* Suricata 8 accepts startswith/endswith on a negated content: "does not
 * start / end with"; a closing quote after an escaped backslash is a
 * closing quote. */
static void test_rule_negated_anchors(void **state)
{
    (void)state;
    Signature *s = parse_ok("alert tcp any any -> any any (content:!\".google.com\"; endswith; sid:1;)");
    assert_false(payload_match(s, (const uint8_t *)"www.google.com", 14));
    assert_true(payload_match(s, (const uint8_t *)"www.google.com.example.com", 26));
    assert_true(payload_match(s, (const uint8_t *)".google.comx", 12));
    signature_free(s);

    s = parse_ok("alert tcp any any -> any any (content:!\"EHLO\"; startswith; content:\"id\"; sid:2;)");
    assert_false(payload_match(s, (const uint8_t *)"EHLO id", 7));
    assert_true(payload_match(s, (const uint8_t *)" EHLO id", 8));
    assert_false(payload_match(s, (const uint8_t *)"HELO", 4));
    signature_free(s);

    /* a negated endswith followed by a non-relative content (verify case
     * detect-content-ends-with-negated-03) */
    s = parse_ok("alert tcp any any -> any any (content:!\".google.com\"; endswith; content:\"example.com\"; sid:3;)");
    assert_true(payload_match(s, (const uint8_t *)"www.google.com.example.com", 26));
    assert_false(payload_match(s, (const uint8_t *)"example.com.google.com", 22));
    signature_free(s);

    /* rule text content:"url|3a 20|\\"; is the bytes "url: \" */
    s = parse_ok("alert tcp any any -> any any (content:\"url|3a 20|\\\\\"; sid:4;)");
    assert_true(payload_match(s, (const uint8_t *)"x-url: \\y", 9));
    assert_false(payload_match(s, (const uint8_t *)"x-url: y", 8));
    signature_free(s);
    parse_fails("alert tcp any any -> any any (content:\"abc\\\"; sid:5;)", "unbalanced");

    /* a repeated endswith is accepted, as in Suricata 8 (ET Open sid 2020392) */
    s = parse_ok("alert tcp any any -> any any (content:\"/main.html\"; endswith; fast_pattern; endswith; sid:6;)");
    assert_true(payload_match(s, (const uint8_t *)"GET /main.html", 14));
    assert_false(payload_match(s, (const uint8_t *)"/main.html?x", 12));
    signature_free(s);
    parse_fails("alert tcp any any -> any any (content:\"a\"; startswith; startswith; sid:7;)", "startswith");
}

/* byte_test with 0 bytes and "string" reads the number up to the end of
 * the buffer (ET Open: http.content_len; byte_test:0,>,4000,0,string,dec) */
static void test_rule_byte_test_whole_buffer(void **state)
{
    (void)state;
    Signature *s = parse_ok("alert tcp any any -> any any (byte_test:0,>,4000,0,string,dec; sid:1;)");
    assert_true(payload_match(s, (const uint8_t *)"4001", 4));
    assert_false(payload_match(s, (const uint8_t *)"4000", 4));
    assert_true(payload_match(s, (const uint8_t *)"123456789012", 12));
    assert_false(payload_match(s, (const uint8_t *)"abc", 3));
    signature_free(s);

    s = parse_ok("alert tcp any any -> any any (byte_test:0,=,0,0,string,dec; sid:2;)");
    assert_true(payload_match(s, (const uint8_t *)"0", 1));
    assert_false(payload_match(s, (const uint8_t *)"10", 2));
    signature_free(s);

    s = parse_ok("alert tcp any any -> any any (content:\"L=\"; byte_test:0,>=,33554431,0,string,dec,relative; "
                 "sid:3;)");
    assert_true(payload_match(s, (const uint8_t *)"L=33554431", 10));
    assert_false(payload_match(s, (const uint8_t *)"L=3355443", 9));
    signature_free(s);

    /* more digits than 64 bits hold */
    s = parse_ok("alert tcp any any -> any any (byte_test:0,>,1,0,string,dec; sid:4;)");
    assert_false(payload_match(s, (const uint8_t *)"1234567890123456789012345678901234567890", 40));
    signature_free(s);

    parse_fails("alert tcp any any -> any any (byte_test:0,=,0,0; sid:5;)", "invalid number of bytes");
}

/* content limits written as byte_extract variables (ET Open FREAK and BIND
 * TSIG rules): read from the extracted value when inspecting */
static void test_rule_content_var_limits(void **state)
{
    (void)state;
    Signature *s = parse_ok("alert tcp any any -> any any (content:\"L\"; byte_extract:1,0,n,relative; "
                            "content:\"|00 03|\"; within:n; sid:1;)");
    /* n = 4: |00 03| must end within 4 bytes after the length byte */
    static const uint8_t in[] = { 'L', 4, 'a', 'b', 0, 3, 'z' };
    assert_true(payload_match(s, in, sizeof(in)));
    static const uint8_t out[] = { 'L', 3, 'a', 'b', 0, 3, 'z' };
    assert_false(payload_match(s, out, sizeof(out)));
    signature_free(s);

    s = parse_ok("alert tcp any any -> any any (content:\"|00|\"; byte_extract:1,0,skip,relative; "
                 "content:\"XY\"; distance:skip; within:2; sid:2;)");
    static const uint8_t d_ok[] = { 0, 2, 'X', 'Y', 'X', 'Y' }, d_bad[] = { 0, 1, 'X', 'Y', 'Q', 'Q' };
    assert_true(payload_match(s, d_ok, sizeof(d_ok)));
    assert_false(payload_match(s, d_bad, sizeof(d_bad)));
    signature_free(s);

    s = parse_ok("alert tcp any any -> any any (byte_extract:1,0,off; byte_extract:1,1,len; content:\"Z\"; "
                 "offset:off; depth:len; sid:3;)");
    static const uint8_t a_ok[] = { 4, 2, '.', '.', '.', 'Z' }, a_bad[] = { 4, 1, '.', '.', '.', 'Z' };
    assert_true(payload_match(s, a_ok, sizeof(a_ok)));
    assert_false(payload_match(s, a_bad, sizeof(a_bad)));
    signature_free(s);

    parse_fails("alert tcp any any -> any any (content:\"a\"; content:\"b\"; within:nolen; sid:4;)",
                "variable 'nolen' is not defined");
}

/* The http2.* keywords (kw-http2.c): their values, and what they refuse. */
static void test_rule_http2_keywords(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "alert http2 any any -> any any (http2.frametype:GOAWAY; sid:1;)",
        "alert http2 any any -> any any (http2.frametype: windowupdate ; sid:1;)",
        "alert http2 any any -> any any (http2.frametype:200; sid:1;)",
        "alert http2 any any -> any any (http2.errorcode:HTTP_1_1_REQUIRED; sid:1;)",
        "alert http2 any any -> any any (http2.errorcode:7; sid:1;)",
        "alert http2 any any -> any any (http2.priority:>100; sid:1;)",
        "alert http2 any any -> any any (http2.window:34634; sid:1;)",
        "alert http2 any any -> any any (http2.size_update:>4096; sid:1;)",
        "alert http2 any any -> any any (http2.settings:SETTINGS_ENABLE_PUSH; sid:1;)",
        "alert http2 any any -> any any (http2.settings:SETTINGS_HEADER_TABLE_SIZE>1000; sid:1;)",
        "alert http2 any any -> any any (http2.settings:SETTINGS_MAX_FRAME_SIZE = 16384; sid:1;)",
        "alert http2 any any -> any any (http2.header_name; content:\"user-agent\"; sid:1;)",
        "alert tcp any any -> any any (http2.window:1; sid:1;)", /* the keyword makes it http2 */
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        Signature *s = parse_ok(ok[i]);
        assert_int_equal(s->app_proto, 2);
        signature_free(s);
    }
    parse_fails("alert http2 any any -> any any (http2.frametype:GOAWAYS; sid:1;)", "unknown frame type");
    parse_fails("alert http2 any any -> any any (http2.frametype:256; sid:1;)", "unknown frame type");
    parse_fails("alert http2 any any -> any any (http2.errorcode:NOPE; sid:1;)", "unknown error code");
    parse_fails("alert http2 any any -> any any (http2.priority:300; sid:1;)", "http2.priority: invalid value");
    parse_fails("alert http2 any any -> any any (http2.window:x; sid:1;)", "http2.window: invalid value");
    parse_fails("alert http2 any any -> any any (http2.settings:SETTINGS_NOPE; sid:1;)", "unknown setting");
    parse_fails("alert http2 any any -> any any (http2.settings:SETTINGS_ENABLE_PUSH>>1; sid:1;)",
                "http2.settings: invalid value");
    parse_fails("alert dns any any -> any any (http2.window:1; sid:1;)", "conflicts");
    parse_fails("alert http1 any any -> any any (http2.header_name; content:\"a\"; sid:1;)", NULL);
}

int run_rule_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_byte_chain),  cmocka_unit_test(test_rule_byte_errors),
        cmocka_unit_test(test_rule_pcre),        cmocka_unit_test(test_rule_payload_kws),
        cmocka_unit_test(test_rule_base64),      cmocka_unit_test(test_rule_negated_anchors),
        cmocka_unit_test(test_rule_byte_test_whole_buffer), cmocka_unit_test(test_rule_content_var_limits),
        cmocka_unit_test(test_rule_pcre_captures),
        cmocka_unit_test(test_rule_window_base),
        cmocka_unit_test(test_rule_window_body),
        cmocka_unit_test(test_rule_http2_keywords),
    };
    return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
