/*
 * Unit tests of the detection prefilter (src/detect/prefilter*.c): the
 * pattern strength score, fast pattern selection (explicit, longest,
 * strength and order tie-breaks, negated contents, chop), the grouping of
 * identical signature groups into one database, the candidate lists
 * checked against a memmem oracle on random buffers (packet, stream,
 * packet-only signatures on a TCP session), the buffer sides the app
 * prefilter scans per packet direction, and end-to-end alerts through
 * detect_packet with pass rules and signature order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/packet.h"
#include "detect/content.h"
#include "detect/detect-engine.h"
#include "detect/detect.h"
#include "detect/keyword.h"
#include "detect/address.h"
#include "detect/buffer-registry.h"
#include "detect/prefilter-app.h"
#include "detect/prefilter-iponly.h"
#include "detect/prefilter.h"
#include "detect/rule-load.h"
#include "detect/rule-parse.h"

static Signature *parse(const char *text)
{
    keywords_init();
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, NULL, "t.rules", 1);
    Signature *s = rule_parse(&rp, text);
    if (!s)
        fail_msg("rule failed: %s: %s", rp.has_error ? rp.error : "?", text);
    return s;
}

/* The fast pattern bytes of a rule as a C string ("" when none). */
static void fp_of(const char *rule, char *out, size_t outlen)
{
    Signature *s = parse(rule);
    const DetectContent *cd = prefilter_choose_fast_pattern(s);
    out[0] = '\0';
    if (cd) {
        assert_ptr_equal(s->fast_pattern->ctx, cd);
        const uint8_t *p;
        uint32_t len;
        content_fast_pattern(cd, &p, &len);
        snprintf(out, outlen, "%.*s", (int)len, (const char *)p);
    } else {
        assert_null(s->fast_pattern);
    }
    signature_free(s);
}

#define ASSERT_FP(rule, want)                                                                                          \
    do {                                                                                                               \
        char got_[256];                                                                                                \
        fp_of("alert tcp any any -> any any (" rule " sid:1;)", got_, sizeof(got_));                                   \
        assert_string_equal(got_, want);                                                                               \
    } while (0)

static void test_strength(void **state)
{
    (void)state;
    assert_int_equal(prefilter_pattern_strength((const uint8_t *)"", 0), 0);
    assert_int_equal(prefilter_pattern_strength((const uint8_t *)"abc", 3), 9); /* 3 new letters */
    assert_int_equal(prefilter_pattern_strength((const uint8_t *)"aaa", 3), 5); /* 3 + 1 + 1 */
    assert_int_equal(prefilter_pattern_strength((const uint8_t *)"a1/", 3), 11); /* 3 + 4 + 4 */
    const uint8_t bin[] = { 0x00, 0x01, 0xff, 0x80, 0x80 };
    assert_int_equal(prefilter_pattern_strength(bin, 5), 4 + 4 + 4 + 6 + 1);
}

static void test_choose(void **state)
{
    (void)state;
    /* longest wins */
    ASSERT_FP("content:\"ab\"; content:\"abcd\"; content:\"xyz\";", "abcd");
    /* explicit fast_pattern wins over longer ones, wherever it is */
    ASSERT_FP("content:\"abcdef\"; content:\"xy\"; fast_pattern;", "xy");
    ASSERT_FP("content:\"xy\"; fast_pattern; content:\"abcdef\";", "xy");
    /* same length: higher strength wins ("a1b2" 14 > "aaaa" 6) */
    ASSERT_FP("content:\"aaaa\"; content:\"a1b2\";", "a1b2");
    ASSERT_FP("content:\"a1b2\"; content:\"aaaa\";", "a1b2");
    /* same length and strength: the first */
    ASSERT_FP("content:\"abcd\"; content:\"wxyz\";", "abcd");
    /* binary bytes score higher than letters at equal length */
    ASSERT_FP("content:\"abcd\"; content:\"|90 91 92 93|\";", "\x90\x91\x92\x93");
    /* negated contents are ignored, even when longer */
    ASSERT_FP("content:!\"longer-negated\"; content:\"pos\";", "pos");
    /* only negated contents: no usable pattern */
    ASSERT_FP("content:!\"evil\";", "");
    /* fast_pattern on a negated content: not usable either */
    ASSERT_FP("content:\"pos\"; content:!\"evil\"; fast_pattern;", "");
    /* chop gives the substring; nocase gives the folded bytes */
    ASSERT_FP("content:\"0123456789\"; fast_pattern:2,4;", "2345");
    ASSERT_FP("content:\"HeLLo World\"; nocase;", "hello world");
    ASSERT_FP("content:\"ab\"; fast_pattern:only;", "ab");
    /* no payload content at all */
    ASSERT_FP("pcre:\"/abc/\";", "");
    ASSERT_FP("ttl:3;", "");
}

static DetectEngine *engine(const char *text)
{
    keywords_init();
    DetectEngine *de = detect_engine_new(NULL);
    RuleLoadStats st;
    memset(&st, 0, sizeof(st));
    assert_true(rules_load_string(de, NULL, text, "mem.rules", &st));
    assert_int_equal(st.failed, 0);
    assert_true(detect_engine_build(de));
    assert_non_null(de->prefilter);
    return de;
}

static void test_groups(void **state)
{
    (void)state;
    DetectEngine *de = engine("alert tcp any any -> any any (content:\"abc\"; sid:1;)\n"
                              "alert tcp any any -> any any (flow:to_client; content:\"def\"; sid:2;)\n"
                              "alert udp any any -> any any (content:!\"x\"; sid:3;)\n"
                              "alert ip any any -> any any (ttl:3; sid:4;)\n"
                              "alert tcp-pkt any any -> any any (content:\"pkt\"; sid:5;)\n");
    const Prefilter *pf = de->prefilter;
    assert_int_equal(pf->fp_sigs, 3);
    assert_int_equal(pf->nonpf_sigs, 2);
    /* protocols that only see the ip rule share one group */
    assert_int_equal(pf->map[50][0], pf->map[51][1]);
    assert_int_equal(pf->map[50][0], pf->map[47][0]);
    assert_ptr_not_equal(prefilter_group_for(pf, 6, 0, 80), prefilter_group_for(pf, 6, 1, 80));
    assert_ptr_not_equal(prefilter_group_for(pf, 6, 0, 80), prefilter_group_for(pf, 17, 0, 80));
    const PrefilterGroup *g = prefilter_group_for(pf, 6, 1, 1234);
    assert_int_equal(g->sig_count, 4); /* 1, 2, 4, 5 */
    assert_int_equal(g->nonpf_count + g->iponly_count, 1); /* the ip rule */
    assert_non_null(g->db);
    assert_non_null(g->db_pkt); /* tcp-pkt */
    assert_int_equal(mpm_db_id_count(g->db), 3);
    assert_int_equal(mpm_db_id_count(g->db_pkt), 1);
    g = prefilter_group_for(pf, 17, 0, 53);
    assert_null(g->db);
    assert_int_equal(g->nonpf_count + g->iponly_count, 2);
    detect_engine_free(de);
}

/* App-layer rules: fast pattern in a buffer list, one mpm list per buffer
 * and transform chain, packet-direction masks, the rest stays in the
 * packet groups. */
static void test_app_groups(void **state)
{
    (void)state;
    DetectEngine *de = engine(
        "alert http any any -> any any (http.uri; content:\"/a\"; http.host; content:\"longer.host\"; sid:1;)\n"
        "alert http any any -> any any (http.uri; content:\"/index\"; sid:2;)\n"
        "alert dns any any -> any any (dns.query; content:\"example\"; sid:3;)\n"
        "alert dns any any -> any any (dns.query; dotprefix; content:\".example.com\"; sid:4;)\n"
        "alert dns any any -> any any (dns.query; dotprefix; content:\".other.org\"; sid:5;)\n"
        "alert http any any -> any any (content:\"GET\"; fast_pattern; http.uri; content:\"/x\"; sid:6;)\n"
        "alert http any any -> any any (http.uri; content:!\"/never\"; sid:7;)\n"
        "alert http any any -> any any (flow:to_client; http.stat_code; content:\"404\"; sid:8;)\n"
        "alert tcp any any -> any any (content:\"tcp\"; sid:9;)\n");
    const Prefilter *pf = de->prefilter;
    const AppPrefilter *ap = pf->app;
    assert_non_null(ap);
    uint32_t num[10];
    for (uint32_t i = 0; i < de->sig_count; i++)
        num[de->sigs[i]->sid] = i;
    /* the longest buffer content is the fast pattern */
    const Signature *s1 = de->sigs[num[1]];
    const DetectContent *cd = s1->fast_pattern->ctx;
    assert_int_equal(cd->len, 11);
    assert_true(s1->fast_pattern_list >= SIG_LIST_BUFFER_BASE);
    assert_true(ap->in_app[num[1]] && ap->in_app[num[2]] && ap->in_app[num[3]] && ap->in_app[num[4]]);
    assert_true(ap->in_app[num[5]] && ap->in_app[num[8]]);
    assert_false(ap->in_app[num[6]]); /* explicit fast_pattern on the payload */
    assert_int_equal(de->sigs[num[6]]->fast_pattern_list, SIG_LIST_PMATCH);
    assert_false(ap->in_app[num[7]]); /* only a negated content: always a candidate */
    assert_false(ap->in_app[num[9]]);
    assert_int_equal(ap->app_sigs, 6);
    /* dns: plain dns.query and dns.query+dotprefix are two lists; the two
     * dotprefix rules share theirs */
    assert_int_equal(ap->groups[3].count, 2);
    /* http: http.uri, http.host, http.stat_code; the same three for the
     * http rules on HTTP/2 flows (every buffer they read has an HTTP/2
     * form) */
    assert_int_equal(ap->groups[1].count, 3);
    assert_int_equal(ap->groups[2].count, 3);
    assert_int_equal(ap->list_count, 8);
    assert_int_equal(ap->dirs[num[2]], 1); /* request buffer: to server */
    assert_int_equal(ap->dirs[num[8]], 2); /* response buffer: to client */
    assert_int_equal(ap->dirs[num[3]], 1); /* dns.query: the request */
    /* app rules are neither in a packet database nor on a non-prefiltered list */
    const PrefilterGroup *g = prefilter_group_for(pf, 6, 0, 80);
    assert_int_equal(mpm_db_id_count(g->db), 2); /* sids 6 and 9 */
    assert_int_equal(g->nonpf_count, 1); /* sid 7 */
    detect_engine_free(de);
}

/* The http list of buffer `name` (the plain one, without transforms). */
static const AppPfList *http_list(const AppPrefilter *ap, const char *name)
{
    for (uint32_t i = 0; i < ap->groups[1].count; i++) {
        const BufferDef *b = buffer_by_list(ap->groups[1].lists[i].list_id);
        if (b && strcmp(b->name, name) == 0)
            return &ap->groups[1].lists[i];
    }
    fail_msg("no http list %s", name);
    return NULL;
}

/* Which sides of a buffer the app prefilter scans on a packet to the
 * server [0] and to the client [1]: those the list's rules read when they
 * run on such a packet (detect-app.c tx_match), so a response body is not
 * scanned for the ACKs of a download. */
static void test_app_scan_sides(void **state)
{
    (void)state;
    DetectEngine *de = engine(
        "alert http any any -> any any (flow:to_client; file.data; content:\"download\"; sid:1;)\n"
        "alert http any any -> any any (flow:to_client; http.stat_code; content:\"404\"; sid:2;)\n"
        "alert http any any -> any any (http.uri; content:\"/request-only\"; sid:3;)\n"
        "alert http any any -> any any (http.header; content:\"X-Both\"; sid:4;)\n"
        /* to client (a response buffer), its fast pattern in the request's uri */
        "alert http any any -> any any (http.uri; content:\"/then-404\"; http.stat_code; content:\"404\"; sid:5;)\n");
    const AppPrefilter *ap = de->prefilter->app;
    assert_non_null(ap);
    const AppPfList *body = http_list(ap, "file.data");
    assert_int_equal(body->scan_dirs[0], 0); /* no rule of it runs on a packet to the server */
    assert_int_equal(body->scan_dirs[1], BUF_DIR_TOCLIENT);
    const AppPfList *code = http_list(ap, "http.stat_code");
    assert_int_equal(code->scan_dirs[0], 0);
    assert_int_equal(code->scan_dirs[1], BUF_DIR_TOCLIENT);
    const AppPfList *uri = http_list(ap, "http.uri");
    assert_int_equal(uri->scan_dirs[0], BUF_DIR_TOSERVER); /* sid 3 */
    assert_int_equal(uri->scan_dirs[1], BUF_DIR_TOSERVER); /* sid 5 reads the request's uri on the response */
    const AppPfList *hdr = http_list(ap, "http.header");
    assert_int_equal(hdr->scan_dirs[0], BUF_DIR_TOSERVER); /* both sides have headers: the packet's own */
    assert_int_equal(hdr->scan_dirs[1], BUF_DIR_TOCLIENT);
    detect_engine_free(de);
}

static uint32_t rnd(uint64_t *st)
{
    *st = *st * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*st >> 33);
}

/* content_search against a plain reference on random buffers: first
 * position, case-sensitive and folded (the needle folded as the content
 * keyword stores it), edge lengths included. */
static int64_t ref_search(const uint8_t *h, uint32_t hl, const uint8_t *n, uint32_t nl, bool nocase)
{
    if (nl == 0)
        return 0;
    for (uint32_t i = 0; i + nl <= hl; i++) {
        uint32_t j = 0;
        while (j < nl) {
            uint8_t c = h[i + j];
            if (nocase && c >= 'A' && c <= 'Z')
                c = (uint8_t)(c + 32);
            if (c != n[j])
                break;
            j++;
        }
        if (j == nl)
            return i;
    }
    return -1;
}

static void test_content_search(void **state)
{
    (void)state;
    uint64_t st = 7;
    /* letters of both cases (two scans), a digit and '/' (common), '|'
     * and 0x80 (rare): every kind of anchor content_nocase_anchor picks */
    const char alpha[] = "aAbBzZ1/|\x80";
    const uint32_t na = sizeof(alpha) - 1;
    uint8_t hay[64], nd[12];
    for (int iter = 0; iter < 400000; iter++) {
        uint32_t hl = rnd(&st) % 48, nl = 1 + rnd(&st) % (iter % 2 ? 5 : 11);
        bool nocase = rnd(&st) % 2;
        for (uint32_t k = 0; k < hl; k++)
            hay[k] = (uint8_t)alpha[rnd(&st) % na];
        for (uint32_t k = 0; k < nl; k++) {
            uint8_t c = (uint8_t)alpha[rnd(&st) % na];
            nd[k] = (nocase && c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
        }
        int64_t want = ref_search(hay, hl, nd, nl, nocase), got = content_search(hay, hl, nd, nl, nocase);
        if (want != got)
            fail_msg("iter %d: content_search %lld, want %lld", iter, (long long)got, (long long)want);
        /* any anchor gives the same answer, only slower */
        uint32_t anchor = rnd(&st) % (nl + 1);
        got = content_search_anchored(hay, hl, nd, nl, nocase, anchor);
        if (want != got)
            fail_msg("iter %d: anchored at %u: %lld, want %lld", iter, anchor, (long long)got, (long long)want);
    }
    /* the anchor is the rarest byte: '|' over letters, 'z' over 'e' */
    assert_int_equal(content_nocase_anchor((const uint8_t *)"get|x", 5), 3);
    assert_int_equal(content_nocase_anchor((const uint8_t *)"eeze", 4), 2);
    assert_int_equal(content_nocase_anchor((const uint8_t *)"user-agent", 10), 4);
}

/* The IP-only index against the rules' own address check: for random
 * addresses (drawn near the rules' ranges so they hit), every rule whose
 * source and destination sets both match must be a candidate. */
static void test_iponly_index(void **state)
{
    (void)state;
    DetectEngine *de = engine(
        "alert ip [10.0.0.1,10.0.0.5,10.1.0.0/16] any -> any any (sid:1;)\n"
        "alert ip any any -> [10.0.0.5,192.168.1.0/24] any (sid:2;)\n"
        "alert ip [10.0.0.0/8] any -> [10.0.0.0/24] any (sid:3;)\n"
        "alert ip any any -> any any (sid:4;)\n"
        "alert ip [10.0.0.7] any <> [10.0.0.9] any (sid:5;)\n"
        "alert ip [!10.0.0.0/8] any -> [!10.0.0.1] any (sid:6;)\n"
        "alert ip [2001:db8::/32,10.0.0.3] any -> any any (sid:7;)\n"
        "alert ip [10.0.0.5] any -> [10.0.0.0/30,!10.0.0.2] any (sid:8;)\n");
    uint32_t nums[16], n = 0;
    for (uint32_t i = 0; i < de->sig_count; i++)
        if (de->sigs[i]->flags & SIG_FLAG_IPONLY)
            nums[n++] = i;
    assert_int_equal(n, 8);
    IpOnlyIndex *x = iponly_index_build(de->sigs, nums, n);
    assert_non_null(x);
    assert_true(x->always_count < n); /* most are indexed */
    uint64_t st = 42;
    const uint32_t bases[] = { 0x0a000000u, 0x0a010000u, 0xc0a80100u, 0x08080808u };
    uint32_t out[16];
    for (int iter = 0; iter < 20000; iter++) {
        Address a, b;
        memset(&a, 0, sizeof(a));
        memset(&b, 0, sizeof(b));
        bool v6 = iter % 10 == 0;
        a.family = b.family = v6 ? 6 : 4;
        if (v6) {
            a.addr[0] = 0x20, a.addr[1] = 0x01, a.addr[2] = 0x0d, a.addr[3] = (uint8_t)(rnd(&st) % 2 ? 0xb8 : 0xb9);
            b.addr[0] = 0x20, b.addr[15] = (uint8_t)rnd(&st);
        } else {
            uint32_t x1 = bases[rnd(&st) % 4] + rnd(&st) % 12, x2 = bases[rnd(&st) % 4] + rnd(&st) % 12;
            for (int k = 0; k < 4; k++) {
                a.addr[k] = (uint8_t)(x1 >> (24 - 8 * k));
                b.addr[k] = (uint8_t)(x2 >> (24 - 8 * k));
            }
        }
        uint32_t m = iponly_index_lookup(x, &a, &b, out);
        for (uint32_t k = 1; k < m; k++)
            assert_true(out[k - 1] < out[k]); /* ascending, unique */
        for (uint32_t i = 0; i < n; i++) {
            const Signature *s = de->sigs[nums[i]];
            bool fwd = address_set_match(s->src, &a) && address_set_match(s->dst, &b);
            bool rev = (s->flags & SIG_FLAG_BIDIRECTIONAL) && address_set_match(s->src, &b) &&
                       address_set_match(s->dst, &a);
            if (!fwd && !rev)
                continue;
            bool found = false;
            for (uint32_t k = 0; k < m; k++)
                found |= out[k] == nums[i];
            if (!found)
                fail_msg("sid %u matches but is not a candidate (iter %d)", s->sid, iter);
        }
    }
    iponly_index_free(x);
    detect_engine_free(de);
}

/* Candidates and hits against memmem on random buffers. */
static void test_oracle(void **state)
{
    (void)state;
    static const char alpha[] = "abAB01|";
    uint64_t st = 42;
    char *text = malloc(200 * 160);
    assert_non_null(text);
    size_t off = 0;
    uint32_t iponly_rules = 0;
    for (int i = 0; i < 200; i++) {
        char pat[8];
        int len = 1 + (int)(rnd(&st) % 5);
        for (int k = 0; k < len; k++) {
            char c = alpha[rnd(&st) % 6];
            pat[k] = c;
        }
        pat[len] = '\0';
        const char *proto = (rnd(&st) % 5 == 0) ? "tcp-pkt" : (rnd(&st) % 7 == 0) ? "ip" : "tcp";
        const char *mod = "";
        switch (rnd(&st) % 6) {
        case 0: mod = " nocase;"; break;
        case 1: mod = len >= 3 ? " fast_pattern:1,2;" : ""; break;
        case 2: mod = " fast_pattern:only;"; break;
        default: break;
        }
        const char *neg = (rnd(&st) % 9 == 0) ? "!" : "";
        if (*neg && strstr(mod, "fast_pattern"))
            mod = "";
        uint32_t kind = rnd(&st) % 10;
        if (kind == 0)
            off += (size_t)snprintf(text + off, 160, "alert %s any any -> any any (ttl:9; sid:%d;)\n", proto, i + 1);
        else if (kind == 1) /* IP-only */
            off += (size_t)snprintf(text + off, 160, "alert ip 10.0.0.0/8 any -> any any (sid:%d;)\n", i + 1);
        else
            off += (size_t)snprintf(text + off, 160, "alert %s any any -> any any (content:%s\"%s\";%s sid:%d;)\n",
                                    proto, neg, pat, mod, i + 1);
    }
    DetectEngine *de = engine(text);
    free(text);
    for (uint32_t i = 0; i < de->sig_count; i++)
        iponly_rules += (de->sigs[i]->flags & SIG_FLAG_IPONLY) != 0;
    assert_true(iponly_rules > 5);
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    const Prefilter *pf = de->prefilter;
    const SigGroup *sg = &de->groups[6][0];
    for (int iter = 0; iter < 400; iter++) {
        uint8_t pkt[64], stream[96];
        uint32_t plen = rnd(&st) % sizeof(pkt), slen = rnd(&st) % sizeof(stream);
        if (iter % 5 == 0)
            plen = 0;
        if (iter % 3 == 0)
            slen = 0;
        for (uint32_t k = 0; k < plen; k++)
            pkt[k] = (uint8_t)alpha[rnd(&st) % 6];
        for (uint32_t k = 0; k < slen; k++)
            stream[k] = (uint8_t)alpha[rnd(&st) % 6];
        bool session = iter % 2 == 0, iponly = iter % 7 != 0;
        uint32_t n = prefilter_run(pf, &dt.pf, 6, 0, 80, plen ? pkt : NULL, plen, slen ? stream : NULL, slen, session,
                                   iponly);
        uint32_t want = 0;
        for (uint32_t i = 0; i < sg->count; i++) {
            uint32_t num = sg->nums[i];
            const Signature *s = de->sigs[num];
            bool in_pkt = true, in_stream = true, cand = true;
            if (s->fast_pattern) {
                const uint8_t *p;
                uint32_t len;
                const DetectContent *cd = s->fast_pattern->ctx;
                content_fast_pattern(cd, &p, &len);
                bool nocase = (cd->flags & CONTENT_NOCASE) != 0;
                in_pkt = content_search(pkt, plen, p, len, nocase) >= 0;
                in_stream = content_search(stream, slen, p, len, nocase) >= 0;
                bool pkt_scanned = !session || (s->flags & SIG_FLAG_NO_STREAM);
                cand = (in_pkt && pkt_scanned) || in_stream;
                assert_int_equal(prefilter_hit(pf, &dt.pf, num, true), in_stream);
                if (pkt_scanned)
                    assert_int_equal(prefilter_hit(pf, &dt.pf, num, false), in_pkt);
            } else {
                assert_true(prefilter_hit(pf, &dt.pf, num, false));
                assert_true(prefilter_hit(pf, &dt.pf, num, true));
                cand = iponly || !(s->flags & SIG_FLAG_IPONLY);
            }
            if (cand) {
                assert_true(want < n);
                assert_int_equal(dt.pf.cand[want], num); /* same set, ascending */
                want++;
            }
        }
        assert_int_equal(n, want);
    }
    detect_thread_free(&dt);
    detect_engine_free(de);
}

/* A UDP packet without flow carrying `payload`. */
static Packet *udp_packet(const char *payload)
{
    Packet *p = packet_new();
    assert_non_null(p);
    packet_set_data(p, (const uint8_t *)payload, (uint32_t)strlen(payload));
    p->ip_version = 4;
    p->proto = 17;
    p->src_addr.family = p->dst_addr.family = 4;
    p->src_addr.addr[0] = 10;
    p->dst_addr.addr[0] = 192;
    p->sp = 1234;
    p->dp = 53;
    p->payload_off = 0;
    p->payload_len = (uint32_t)strlen(payload);
    p->to_server = true;
    return p;
}

static void alerts_of(DetectThread *dt, const char *payload, const char *want)
{
    Packet *p = udp_packet(payload);
    detect_packet(dt, p);
    char got[256] = "";
    size_t off = 0;
    for (uint32_t i = 0; i < dt->alert_count; i++)
        off += (size_t)snprintf(got + off, sizeof(got) - off, "%s%u", i ? "," : "", dt->alerts[i].s->sid);
    packet_free(p);
    if (strcmp(got, want) != 0)
        fail_msg("payload '%s': alerts [%s], want [%s]", payload, got, want);
}

static void test_detect_packet(void **state)
{
    (void)state;
    DetectEngine *de = engine("alert udp any any -> any any (content:\"evil\"; sid:1;)\n"
                              "alert udp any any -> any any (content:\"EVIL\"; nocase; content:\"x\"; sid:2;)\n"
                              "alert udp any any -> any any (content:!\"good\"; sid:3;)\n"
                              "alert udp any any -> any any (content:\"abcdefgh\"; fast_pattern:2,3; sid:4;)\n"
                              "alert udp any any -> any any (dsize:>3; sid:5; priority:1;)\n"
                              "pass udp any any -> any any (content:\"letmein\"; sid:6;)\n"
                              "alert udp any any -> any any (content:\"ev\"; depth:2; sid:7;)\n");
    DetectThread dt;
    assert_true(detect_thread_init(&dt, de, NULL));
    alerts_of(&dt, "good", "5");
    alerts_of(&dt, "evil", "5,1,3,7");
    alerts_of(&dt, "xEViL good", "5,2");
    alerts_of(&dt, "cde", "3");
    alerts_of(&dt, "abcdefgh good", "5,4");
    alerts_of(&dt, "xx cdefgh good", "5"); /* fast pattern there, rule not */
    alerts_of(&dt, "letmein evil", ""); /* pass rule first in order */
    alerts_of(&dt, "a evil", "5,1,3");
    detect_thread_free(&dt);
    detect_engine_free(de);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strength),  cmocka_unit_test(test_choose),        cmocka_unit_test(test_groups), cmocka_unit_test(test_app_groups), cmocka_unit_test(test_app_scan_sides), cmocka_unit_test(test_iponly_index), cmocka_unit_test(test_content_search),
        cmocka_unit_test(test_oracle),    cmocka_unit_test(test_detect_packet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
