/*
 * The finder over raw bytes: printed groupings, boundaries (glued digits,
 * letters, decimals), decoys (Luhn-invalid numbers, order ids, phone
 * numbers, timestamps, long digit runs), IBANs compact and grouped, SSNs,
 * the masked forms, and masking in place.
 */
#include <stdio.h>

#include "detect/sd-find.h"
#include "sdpattern_test.h"

typedef struct Collected {
    char text[512];
    uint32_t n;
} Collected;

static bool collect(const SdFound *f, void *user)
{
    Collected *c = user;
    size_t used = strlen(c->text);
    snprintf(c->text + used, sizeof(c->text) - used, "%s%s", c->n ? "|" : "", f->masked);
    c->n++;
    return true;
}

/* The masked numbers of `type` found in s, joined with '|'. */
static const char *found(SdType type, const char *s)
{
    static Collected c;
    memset(&c, 0, sizeof(c));
    uint32_t n = sd_find(type, (const uint8_t *)s, (uint32_t)strlen(s), 0, collect, &c);
    assert_int_equal(n, c.n);
    return c.text;
}

static void test_cards_printed(void **state)
{
    (void)state;
    assert_string_equal(found(SD_TYPE_CREDIT_CARD, "card=4111111111111111&x=1"), "411111******1111");
    assert_string_equal(found(SD_TYPE_CREDIT_CARD, "4111 1111 1111 1111"), "411111******1111");
    assert_string_equal(found(SD_TYPE_CREDIT_CARD, "pan: 5555-5555-5555-4444."), "555555******4444");
    assert_string_equal(found(SD_TYPE_CREDIT_CARD, "amex 3782 822463 10005\n"), "378282*****0005");
    assert_string_equal(found(SD_TYPE_CREDIT_CARD, "\"30569309025904\""), "305693****5904");
    assert_string_equal(found(SD_TYPE_CREDIT_CARD, "4111 1111 1111 1111 123"), "411111******1111"); /* + CVV */
    assert_string_equal(found(SD_TYPE_CREDIT_CARD, "4111111111111111,5555555555554444 4012888888881881"),
                        "411111******1111|555555******4444|401288******1881");
    assert_string_equal(found(SD_TYPE_CREDIT_CARD, "4222222222222;"), "422222***2222");
}

static void test_cards_decoys(void **state)
{
    (void)state;
    static const char *const decoys[] = {
        "4111111111111112", /* Luhn-invalid */
        "order 1234567812345670", /* Luhn-valid, no issuer */
        "41111111111111111111", /* 20 digits: a longer run */
        "94111111111111111", /* glued to a digit */
        "x4111111111111111", /* glued to a letter (hash, token) */
        "4111111111111111abc",
        "0.4111111111111111", /* a decimal */
        "4111111111111111.25",
        "+1 (555) 123-4567 and +44 20 7946 0958", /* phone numbers */
        "2024-01-15 12:34:56.123456 1705322096123456", /* timestamps */
        "4111 11111 111 1111", /* not a printed layout */
        "4111 1111-1111 1111", /* mixed separators */
        "4111  1111 1111 1111", /* double space */
        "DE89 3704 0044 0532 0130 00", /* an IBAN's digit groups */
        "",
    };
    for (size_t i = 0; i < sizeof(decoys) / sizeof(decoys[0]); i++)
        if (strcmp(found(SD_TYPE_CREDIT_CARD, decoys[i]), "") != 0)
            fail_msg("decoy \"%s\" was read as a card", decoys[i]);
}

static void test_cards_from(void **state)
{
    (void)state;
    /* a run reaching `from` is read from its start */
    const char *s = "xx 4111 1111 1111 1111 yy";
    Collected c;
    memset(&c, 0, sizeof(c));
    assert_int_equal(sd_find(SD_TYPE_CREDIT_CARD, (const uint8_t *)s, (uint32_t)strlen(s), 12, collect, &c), 1);
    assert_int_equal(sd_find(SD_TYPE_CREDIT_CARD, (const uint8_t *)s, (uint32_t)strlen(s), 23, collect, &c), 0);
    assert_int_equal(sd_find(SD_TYPE_CREDIT_CARD, (const uint8_t *)s, (uint32_t)strlen(s), 99, collect, &c), 0);
}

static void test_iban_find(void **state)
{
    (void)state;
    assert_string_equal(found(SD_TYPE_IBAN, "IBAN: DE89370400440532013000."), "DE****************3000");
    assert_string_equal(found(SD_TYPE_IBAN, "IBAN DE89 3704 0044 0532 0130 00 EUR"), "DE****************3000");
    assert_string_equal(found(SD_TYPE_IBAN, "GB82 WEST 1234 5698 7654 32\n"), "GB****************5432");
    assert_string_equal(found(SD_TYPE_IBAN, "DE89370400440532013001"), ""); /* check digits */
    assert_string_equal(found(SD_TYPE_IBAN, "XDE89370400440532013000"), ""); /* glued */
    assert_string_equal(found(SD_TYPE_IBAN, "DE893704004405320130001"), ""); /* longer */
    assert_string_equal(found(SD_TYPE_IBAN, "DE89 3704 0044 0532 013000"), ""); /* broken grouping */
}

static void test_ssn_find(void **state)
{
    (void)state;
    assert_string_equal(found(SD_TYPE_US_SOCIAL, "SSN 123-45-6789."), "***-**-6789");
    assert_string_equal(found(SD_TYPE_US_SOCIAL, "666-45-6789 123-00-6789 1-123-45-6789 123-45-67890"), "");
    assert_string_equal(found(SD_TYPE_US_SOCIAL_NODASHES, "ssn=123456789&"), "*****6789");
    assert_string_equal(found(SD_TYPE_US_SOCIAL_NODASHES, "1234567890 12345678"), "");
}

static void test_mask_in_place(void **state)
{
    (void)state;
    char buf[] = "cards 4111 1111 1111 1111, 378282246310005; iban DE89370400440532013000; "
                 "ssn 123-45-6789; decoy 4111111111111112";
    assert_int_equal(sd_mask_builtin((uint8_t *)buf, (uint32_t)strlen(buf)), 4);
    assert_string_equal(buf, "cards 4111 11** **** 1111, 378282*****0005; iban DE****************3000; "
                             "ssn ***-**-6789; decoy 4111111111111112");
    char custom[] = "key=secret-1234 end";
    sd_mask_custom_in_place((uint8_t *)custom, 4, 15);
    assert_string_equal(custom, "key=*******1234 end");
    char out[SD_MASKED_MAX];
    sd_mask_custom_text((const uint8_t *)"secret-1234", 0, 11, out);
    assert_string_equal(out, "*******1234");
}

static void test_types(void **state)
{
    (void)state;
    assert_int_equal(sd_type_lookup("credit_card"), SD_TYPE_CREDIT_CARD);
    assert_int_equal(sd_type_lookup("iban"), SD_TYPE_IBAN);
    assert_int_equal(sd_type_lookup("us_social"), SD_TYPE_US_SOCIAL);
    assert_int_equal(sd_type_lookup("us_social_nodashes"), SD_TYPE_US_SOCIAL_NODASHES);
    assert_int_equal(sd_type_lookup("credit"), -1);
    assert_string_equal(sd_type_name(SD_TYPE_CUSTOM), "custom");
}

int run_find_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cards_printed), cmocka_unit_test(test_cards_decoys), cmocka_unit_test(test_cards_from),
        cmocka_unit_test(test_iban_find),     cmocka_unit_test(test_ssn_find),     cmocka_unit_test(test_mask_in_place),
        cmocka_unit_test(test_types),
    };
    return cmocka_run_group_tests_name("sd-find", tests, NULL, NULL);
}
