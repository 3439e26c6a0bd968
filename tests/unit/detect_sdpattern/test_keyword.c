/*
 * sd_pattern inside whole rules: option parsing and its errors, matching
 * through the content inspection engine (with the Hyperscan candidate pass),
 * thresholds over distinct numbers, custom patterns, a sticky buffer, the
 * per-thread hand-over to the alert writer and output masking.
 */
#include <stdlib.h>

#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/sd-alert.h"
#include "sdpattern_test.h"

static RuleParseCtx rp;

static Signature *parse(const char *rule)
{
    keywords_init();
    rule_parse_ctx_init(&rp, NULL, NULL, NULL, 1);
    return rule_parse(&rp, rule);
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
    if (!strstr(rp.error, msg_part))
        fail_msg("error \"%s\" lacks \"%s\"", rp.error, msg_part);
}

static bool match_list(const Signature *s, uint16_t list, const char *data)
{
    const SigMatchList *l = sig_list(s, list);
    assert_non_null(l);
    return inspect_buffer(NULL, s, l, (const uint8_t *)data, (uint32_t)strlen(data), INSPECT_BUF_PACKET, NULL);
}

static bool match(const Signature *s, const char *data) { return match_list(s, SIG_LIST_PMATCH, data); }

static void test_parse_errors(void **state)
{
    (void)state;
    parse_fails("alert tcp any any -> any any (sd_pattern:\"credit_card\", threshold 0; sid:1;)", "threshold");
    parse_fails("alert tcp any any -> any any (sd_pattern:\"credit_card\", threshold x; sid:1;)", "threshold");
    parse_fails("alert tcp any any -> any any (sd_pattern:\"credit_card\", limit 2; sid:1;)", "unknown option");
    parse_fails("alert tcp any any -> any any (sd_pattern:\"credit_card; sid:1;)", "unterminated");
    parse_fails("alert tcp any any -> any any (sd_pattern:\"\"; sid:1;)", "empty");
    parse_fails("alert tcp any any -> any any (sd_pattern:\"(unclosed\"; sid:1;)", "cannot compile");
    parse_fails("alert tcp any any -> any any (sd_pattern:\"iban\"; sd_pattern:\"credit_card\"; sid:1;)",
                "only one");
}

static void test_card_match(void **state)
{
    (void)state;
    Signature *s = parse_ok("alert tcp any any -> any any (msg:\"card\"; sd_pattern:\"credit_card\"; sid:1;)");
    assert_true(match(s, "POST /pay HTTP/1.1\r\n\r\ncc=4111+1111+1111+1111&cc2=4111 1111 1111 1111"));
    const SdAlertInfo *info = sd_alert_lookup(s);
    assert_non_null(info);
    assert_int_equal(info->type, SD_TYPE_CREDIT_CARD);
    assert_int_equal(info->count, 1);
    assert_string_equal(info->matches[0], "411111******1111");
    assert_false(match(s, "no numbers here at all, just text"));
    assert_false(match(s, "order=1234567812345670 ts=1705322096123456 bad=4111111111111112"));
    signature_free(s);
}

static void test_threshold_distinct(void **state)
{
    (void)state;
    Signature *s = parse_ok("alert tcp any any -> any any (sd_pattern:credit_card, threshold 3; sid:2;)");
    /* the same number three times is one number */
    assert_false(match(s, "4111111111111111 4111111111111111 4111-1111-1111-1111"));
    assert_true(match(s, "4111111111111111 5555555555554444 378282246310005 4111111111111111"));
    const SdAlertInfo *info = sd_alert_lookup(s);
    assert_int_equal(info->count, 3);
    assert_int_equal(info->shown, 3);
    assert_string_equal(info->matches[2], "378282*****0005");
    signature_free(s);
}

static void test_many_numbers(void **state)
{
    (void)state;
    Signature *s = parse_ok("alert tcp any any -> any any (sd_pattern:\"credit_card\", threshold 20; sid:3;)");
    /* a dump of 40 distinct Visa numbers: 4000 0000 0000 00xy with a fitting check digit */
    char dump[40 * 24 + 1] = "";
    for (int i = 0; i < 40; i++) {
        char num[17];
        snprintf(num, sizeof(num), "40000000000%04d", i);
        int sum = 0;
        for (int k = 0; k < 15; k++) {
            int d = num[14 - k] - '0';
            if (k % 2 == 0) {
                d *= 2;
                if (d > 9)
                    d -= 9;
            }
            sum += d;
        }
        snprintf(dump + strlen(dump), sizeof(dump) - strlen(dump), "%s%d\n", num, (10 - sum % 10) % 10);
    }
    assert_true(match(s, dump));
    const SdAlertInfo *info = sd_alert_lookup(s);
    assert_int_equal(info->count, 40);
    assert_int_equal(info->shown, SD_ALERT_SHOWN_MAX);
    signature_free(s);
}

static void test_iban_ssn_custom(void **state)
{
    (void)state;
    Signature *iban = parse_ok("alert tcp any any -> any any (sd_pattern:\"iban\"; sid:4;)");
    assert_true(match(iban, "pay to GB82 WEST 1234 5698 7654 32 today"));
    assert_string_equal(sd_alert_lookup(iban)->matches[0], "GB****************5432");
    assert_false(match(iban, "pay to GB82 WEST 1234 5698 7654 33 today"));
    Signature *ssn = parse_ok("alert tcp any any -> any any (sd_pattern:\"us_social\"; sid:5;)");
    assert_true(match(ssn, "ssn: 123-45-6789"));
    assert_false(match(ssn, "ssn: 666-45-6789"));
    Signature *cu = parse_ok("alert tcp any any -> any any (sd_pattern:\"EMP-[0-9]{6}\", threshold 2; sid:6;)");
    assert_false(match(cu, "id EMP-123456 and EMP-123456"));
    assert_true(match(cu, "id EMP-123456 and EMP-654321"));
    const SdAlertInfo *info = sd_alert_lookup(cu);
    assert_int_equal(info->type, SD_TYPE_CUSTOM);
    assert_int_equal(info->count, 2);
    assert_string_equal(info->matches[0], "******3456");
    char out[] = "id EMP-123456 card 4111111111111111";
    sd_alert_mask_output(info, (uint8_t *)out, (uint32_t)strlen(out));
    assert_string_equal(out, "id ******3456 card 411111******1111");
    signature_free(iban);
    signature_free(ssn);
    signature_free(cu);
}

static void test_sticky_buffer(void **state)
{
    (void)state;
    Signature *s =
        parse_ok("alert http any any -> any any (http.request_body; sd_pattern:\"credit_card\"; sid:7;)");
    assert_null(sig_list(s, SIG_LIST_PMATCH));
    bool found = false;
    for (uint16_t i = 0; i < s->list_count; i++)
        if (s->lists[i].count && s->lists[i].list_id >= SIG_LIST_BUFFER_BASE)
            found = match_list(s, s->lists[i].list_id, "card=5555555555554444");
    assert_true(found);
    signature_free(s);
}

static void test_mask_json(void **state)
{
    (void)state;
    /* numbers inside strings are masked, JSON numbers (flow_id) are not */
    char rec[] = "{\"flow_id\":4111111111111111,\"url\":\"/pay?cc=4111111111111111\",\"x\":\"a\\\"b\"}";
    sd_alert_mask_json(NULL, rec, strlen(rec));
    assert_string_equal(rec, "{\"flow_id\":4111111111111111,\"url\":\"/pay?cc=411111******1111\",\"x\":\"a\\\"b\"}");
    /* a long string: 263 digits in its first 33 words of 8 bytes (the
     * eight-at-a-time digit count must not wrap at 256) */
    char longrec[512] = "{\"x\":\"4111111111111111,";
    for (int i = 0; i < 24; i++)
        strcat(longrec, "0123456789");
    strcat(longrec, "0123456\"}");
    sd_alert_mask_json(NULL, longrec, strlen(longrec));
    assert_memory_equal(longrec, "{\"x\":\"411111******1111,0123", 27);
    /* loading and freeing rules tracks whether any sd_pattern is in use */
    bool before = sd_pattern_in_use();
    Signature *s = parse_ok("alert tcp any any -> any any (sd_pattern:\"us_social\"; sid:8;)");
    assert_true(sd_pattern_in_use());
    signature_free(s);
    assert_int_equal(sd_pattern_in_use(), before);
}

static void test_mask_record(void **state)
{
    (void)state;
    /* records whose values the engine writes itself are left alone: a
     * number can only be there by the engine's own doing */
    const char *skipped[] = { "flow", "netflow", "stats", "anomaly" };
    for (size_t i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++) {
        char rec[256], want[256];
        snprintf(rec, sizeof(rec), "{\"timestamp\":\"t\",\"flow_id\":1,\"event_type\":\"%s\",\"x\":\"4111111111111111\"}",
                 skipped[i]);
        strcpy(want, rec);
        sd_alert_mask_record(rec, strlen(rec));
        assert_string_equal(rec, want);
    }
    /* every other type is masked, and so is one whose name only starts
     * like a skipped one, or a record without a type */
    const char *masked[] = { "http", "dns", "alert", "fileinfo", "flowx", "" };
    for (size_t i = 0; i < sizeof(masked) / sizeof(masked[0]); i++) {
        char rec[256];
        if (*masked[i])
            snprintf(rec, sizeof(rec), "{\"timestamp\":\"t\",\"event_type\":\"%s\",\"url\":\"4111111111111111\"}",
                     masked[i]);
        else
            snprintf(rec, sizeof(rec), "{\"url\":\"4111111111111111\"}");
        sd_alert_mask_record(rec, strlen(rec));
        assert_non_null(strstr(rec, "\"411111******1111\""));
    }
}

/* The masking as first written (a byte-at-a-time walk), kept as the oracle
 * for the faster one in sd-alert.c: both must leave every record the same. */
static bool ref_engine_key(const char *k, size_t n)
{
    static const char *const keys[] = { "timestamp", "start", "end", "src_ip", "dest_ip", "event_type",
                                        "proto", "app_proto", "pkt_src", "direction" };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strlen(keys[i]) == n && memcmp(keys[i], k, n) == 0)
            return true;
    return false;
}

static void ref_mask_json(const SdAlertInfo *info, char *text, size_t len)
{
    size_t i = 0;
    const char *key = NULL;
    size_t key_len = 0;
    while (i < len) {
        if (text[i] != '"') {
            i++;
            continue;
        }
        size_t start = ++i;
        uint32_t digits = 0;
        while (i < len && text[i] != '"') {
            digits += text[i] >= '0' && text[i] <= '9';
            i += (text[i] == '\\' && i + 1 < len) ? 2 : 1;
        }
        size_t end = i < len ? i : len;
        size_t after = end + 1;
        while (after < len && text[after] == ' ')
            after++;
        bool is_key = after < len && text[after] == ':';
        bool skip = is_key || (key && ref_engine_key(key, key_len)) || (!info && digits < 9) ||
                    (info && info->type != SD_TYPE_CUSTOM && digits < 9);
        if (!skip && end > start && info)
            sd_alert_mask_output(info, (uint8_t *)text + start, (uint32_t)(end - start));
        else if (!skip && end > start)
            sd_mask_builtin((uint8_t *)text + start, (uint32_t)(end - start));
        if (is_key) {
            key = text + start;
            key_len = end - start;
        } else {
            key = NULL;
        }
        i++;
    }
}

static uint32_t rng_next(uint32_t *seed)
{
    *seed ^= *seed << 13;
    *seed ^= *seed >> 17;
    *seed ^= *seed << 5;
    return *seed;
}

/* Random EVE-like records (keys, engine-written values, numbers, strings of
 * card numbers, IBANs, SSNs, digit runs, escapes and backslash runs, some
 * cut short) masked by both walks, with no info, a built-in and a custom
 * pattern: the results must be byte for byte the same. */
static void test_mask_json_same_as_reference(void **state)
{
    (void)state;
    static const char *const keys[] = { "timestamp", "src_ip", "url", "payload_printable", "filename", "x",
                                        "start", "dest_ip", "direction", "event_typ" };
    static const char *const bits[] = { "4111111111111111", "4111 1111 1111 1111", "5555-5555-5555-4444",
                                        "DE89370400440532013000", "GB82 WEST 1234 5698 7654 32", "078-05-1120",
                                        "123456789", "EMP-123456", "\\\"", "\\\\", "\\", "\\u0031",
                                        "\\n", " ", "abc", "0", "12345", "\"", ":", ",",
                                        "123456789012345678901234567890123456789012345678901234567890",
                                        "\xc3\xa9\xb0\xb9\x39\x30" };
    char err[256];
    SdDb *custom = sd_db_acquire(SD_TYPE_CUSTOM, "EMP-[0-9]{6}", err, sizeof(err));
    assert_non_null(custom);
    const SdAlertInfo infos[3] = { { .type = SD_TYPE_CREDIT_CARD }, { .type = SD_TYPE_IBAN },
                                   { .type = SD_TYPE_CUSTOM, .custom_db = custom } };
    uint32_t seed = 2463534242u;
    char rec[2048], a[2048], b[2048];
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        rec[n++] = '{';
        for (uint32_t f = 0, nf = 1 + rng_next(&seed) % 6; f < nf && n < 1500; f++) {
            n += (size_t)snprintf(rec + n, sizeof(rec) - n, "%s\"%s\"%s", f ? "," : "", keys[rng_next(&seed) % 10],
                                  rng_next(&seed) % 4 ? ":" : " : ");
            if (rng_next(&seed) % 5 == 0) {
                n += (size_t)snprintf(rec + n, sizeof(rec) - n, "%u", rng_next(&seed));
                continue;
            }
            rec[n++] = '"';
            for (uint32_t k = 0, nk = rng_next(&seed) % 12; k < nk && n < 1500; k++)
                n += (size_t)snprintf(rec + n, sizeof(rec) - n, "%s", bits[rng_next(&seed) % 22]);
            rec[n++] = '"';
        }
        rec[n++] = '}';
        if (rng_next(&seed) % 8 == 0) /* cut short: an unterminated string or a lone backslash at the end */
            n = rng_next(&seed) % n;
        for (int v = 0; v < 4; v++) {
            memcpy(a, rec, n);
            memcpy(b, rec, n);
            const SdAlertInfo *info = v ? &infos[v - 1] : NULL;
            sd_alert_mask_json(info, a, n);
            ref_mask_json(info, b, n);
            if (memcmp(a, b, n) != 0)
                fail_msg("round %d info %d: \"%.*s\"\n  gives \"%.*s\"\n  reference \"%.*s\"", round, v, (int)n, rec,
                         (int)n, a, (int)n, b);
        }
    }
    sd_db_release(custom);
}

typedef struct Spans {
    uint32_t n;
    uint32_t from[8], to[8];
} Spans;

static bool record_span(uint32_t from, uint32_t to, void *user)
{
    Spans *sp = user;
    if (sp->n < 8) {
        sp->from[sp->n] = from;
        sp->to[sp->n] = to;
    }
    sp->n++;
    return true;
}

static void test_candidates(void **state)
{
    (void)state;
    char err[256];
    /* identical options share one database */
    SdDb *a = sd_db_acquire(SD_TYPE_CUSTOM, "ab+", err, sizeof(err));
    SdDb *b = sd_db_acquire(SD_TYPE_CUSTOM, "ab+", err, sizeof(err));
    SdDb *c = sd_db_acquire(SD_TYPE_CREDIT_CARD, NULL, err, sizeof(err));
    assert_non_null(a);
    assert_ptr_equal(a, b);
    assert_non_null(c);
    assert_int_equal(sd_db_type(c), SD_TYPE_CREDIT_CARD);
    /* custom: overlapping matches merge into one span per match */
    Spans sp = { 0 };
    const char *text = "xx abbb yy ab";
    assert_true(sd_candidates(a, (const uint8_t *)text, (uint32_t)strlen(text), record_span, &sp));
    assert_int_equal(sp.n, 2);
    assert_int_equal(sp.from[0], 3);
    assert_int_equal(sp.to[0], 7);
    assert_int_equal(sp.from[1], 11);
    assert_int_equal(sp.to[1], 13);
    /* built-in: nothing number-shaped, no callback; otherwise once */
    memset(&sp, 0, sizeof(sp));
    const char *plain = "no digits in this text, only words and 12345";
    assert_true(sd_candidates(c, (const uint8_t *)plain, (uint32_t)strlen(plain), record_span, &sp));
    assert_int_equal(sp.n, 0);
    const char *nums = "a 4111 1111 1111 1111 and 5555555555554444";
    assert_true(sd_candidates(c, (const uint8_t *)nums, (uint32_t)strlen(nums), record_span, &sp));
    assert_int_equal(sp.n, 1);
    assert_true(sp.from[0] <= 2);
    sd_db_release(a);
    sd_db_release(b);
    sd_db_release(c);
}

/* The digit-density gate against brute force on random buffers: no
 * window of `span` bytes holding `need` digits starts before the offset it
 * returns, and "nowhere" (len) only when there is none at all; and a card
 * far into a long binary buffer is still found, from the same place. */
static void test_digit_gate(void **state)
{
    (void)state;
    uint64_t st = 99;
    uint8_t buf[700];
    const struct { uint32_t need, span; } kinds[] = { { 13, 25 }, { 9, 11 } };
    for (int round = 0; round < 4000; round++) {
        uint32_t len = 1 + (uint32_t)(round * 7 % 700);
        uint32_t density = (uint32_t)(round % 9); /* 0..8 in 16: sparse to dense */
        for (uint32_t i = 0; i < len; i++) {
            st = st * 6364136223846793005ull + 1442695040888963407ull;
            uint32_t r = (uint32_t)(st >> 33);
            buf[i] = (uint8_t)((r & 15) < density ? '0' + r % 10 : (r >> 8) & 0xff);
        }
        for (size_t k = 0; k < 2; k++) {
            uint32_t need = kinds[k].need, span = kinds[k].span, first = len;
            for (uint32_t s = 0; s < len && first == len; s++) {
                uint32_t d = 0;
                for (uint32_t i = s; i < len && i < s + span; i++)
                    d += (uint8_t)(buf[i] - '0') < 10;
                if (d >= need)
                    first = s;
            }
            uint32_t gate = sd_digit_dense_from(buf, len, need);
            if (first < len)
                assert_true(gate <= first);
            else
                assert_true(gate <= len);
        }
    }
    /* a card after 600 bytes of binary: the scan starts late, finds it */
    char err[256];
    SdDb *c = sd_db_acquire(SD_TYPE_CREDIT_CARD, NULL, err, sizeof(err));
    assert_non_null(c);
    for (int i = 0; i < 600; i++)
        buf[i] = (uint8_t)(0x80 + i % 64);
    memcpy(buf + 600, " 4111-1111-1111-1111 ", 21);
    assert_true(sd_digit_dense_from(buf, 621, 13) >= 560);
    Spans sp = { 0 };
    assert_true(sd_candidates(c, buf, 621, record_span, &sp));
    assert_int_equal(sp.n, 1);
    assert_int_equal(sp.to[0], 601 + 16); /* the shape's 13th digit ends there */
    memset(&sp, 0, sizeof(sp));
    assert_true(sd_candidates(c, buf, 600, record_span, &sp)); /* binary alone: no scan, no candidate */
    assert_int_equal(sp.n, 0);
    sd_db_release(c);
}

int run_keyword_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_errors),       cmocka_unit_test(test_card_match),
        cmocka_unit_test(test_threshold_distinct), cmocka_unit_test(test_many_numbers),
        cmocka_unit_test(test_iban_ssn_custom),    cmocka_unit_test(test_sticky_buffer),
        cmocka_unit_test(test_mask_json),          cmocka_unit_test(test_candidates),
        cmocka_unit_test(test_mask_json_same_as_reference), cmocka_unit_test(test_mask_record),
        cmocka_unit_test(test_digit_gate),
    };
    return cmocka_run_group_tests_name("sd-pattern keyword", tests, NULL, NULL);
}
