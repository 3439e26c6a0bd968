/*
 * The validators: Luhn, the issuer table (every brand, length limits,
 * overlapping ranges), IBAN country lengths and mod-97, SSN rules.
 */
#include "detect/sd-validate.h"
#include "sdpattern_test.h"

static bool card(const char *s) { return sd_card_valid(s, strlen(s)); }
static SdIssuer issuer(const char *s) { return sd_card_issuer(s, strlen(s)); }
static bool iban(const char *s) { return sd_iban_valid(s, strlen(s)); }

static void test_luhn(void **state)
{
    (void)state;
    assert_true(sd_luhn_valid("4111111111111111", 16));
    assert_false(sd_luhn_valid("4111111111111112", 16));
    assert_true(sd_luhn_valid("79927398713", 11)); /* the textbook example */
    assert_false(sd_luhn_valid("79927398710", 11));
    assert_false(sd_luhn_valid("4111x11111111111", 16));
    assert_false(sd_luhn_valid("0", 1));
}

static void test_issuers(void **state)
{
    (void)state;
    assert_int_equal(issuer("4111111111111111"), SD_ISSUER_VISA);
    assert_int_equal(issuer("4222222222222"), SD_ISSUER_VISA); /* 13 digits */
    assert_int_equal(issuer("5555555555554444"), SD_ISSUER_MASTERCARD);
    assert_int_equal(issuer("2223003122003222"), SD_ISSUER_MASTERCARD); /* 2-series */
    assert_int_equal(issuer("378282246310005"), SD_ISSUER_AMEX);
    assert_int_equal(issuer("6011111111111117"), SD_ISSUER_DISCOVER);
    assert_int_equal(issuer("6221260000000000"), SD_ISSUER_DISCOVER); /* co-branded range wins over UnionPay */
    assert_int_equal(issuer("6200000000000005"), SD_ISSUER_UNIONPAY);
    assert_int_equal(issuer("3530111333300000"), SD_ISSUER_JCB);
    assert_int_equal(issuer("30569309025904"), SD_ISSUER_DINERS);
    assert_int_equal(issuer("38520000023237"), SD_ISSUER_DINERS);
    assert_int_equal(issuer("6759649826438453"), SD_ISSUER_MAESTRO);
    assert_int_equal(issuer("2200000000000004"), SD_ISSUER_MIR);
    /* wrong length for the brand, unknown prefixes */
    assert_int_equal(issuer("41111111111111"), SD_ISSUER_NONE); /* Visa has no 14-digit numbers */
    assert_int_equal(issuer("3782822463100050"), SD_ISSUER_NONE); /* Amex is 15 digits */
    assert_int_equal(issuer("1234567812345670"), SD_ISSUER_NONE);
    assert_int_equal(issuer("9111111111111111"), SD_ISSUER_NONE);
    assert_int_equal(issuer("2721000000000000"), SD_ISSUER_NONE); /* past Mastercard's 2720 */
    assert_int_equal(issuer("411111111111"), SD_ISSUER_NONE); /* 12 digits */
    assert_int_equal(issuer("41111111111111111111"), SD_ISSUER_NONE); /* 20 digits */
    assert_string_equal(sd_issuer_name(SD_ISSUER_AMEX), "amex");
}

static void test_cards(void **state)
{
    (void)state;
    static const char *const good[] = { "4111111111111111", "4012888888881881", "5105105105105100",
                                        "371449635398431", "6011000990139424", "3566002020360505",
                                        "4000056655665556", "4222222222222" };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_true(card(good[i]));
    assert_false(card("4111111111111112")); /* Luhn */
    assert_false(card("1234567812345670")); /* Luhn valid, no issuer */
    assert_false(card("5555555555554445"));
}

static void test_iban(void **state)
{
    (void)state;
    assert_int_equal(sd_iban_country_length("DE"), 22);
    assert_int_equal(sd_iban_country_length("NO"), 15);
    assert_int_equal(sd_iban_country_length("US"), 0);
    assert_true(iban("DE89370400440532013000"));
    assert_true(iban("GB82WEST12345698765432"));
    assert_true(iban("FR1420041010050500013M02606"));
    assert_true(iban("NL91ABNA0417164300"));
    assert_true(iban("CH9300762011623852957"));
    assert_true(iban("BE68539007547034"));
    assert_false(iban("DE89370400440532013001")); /* check digits */
    assert_false(iban("DE8937040044053201300")); /* one short for DE */
    assert_false(iban("US89370400440532013000")); /* no IBAN country */
    assert_false(iban("GB82west12345698765432")); /* lower case */
    assert_false(iban("DE8x370400440532013000"));
}

static void test_ssn(void **state)
{
    (void)state;
    assert_true(sd_ssn_valid("123456789"));
    assert_true(sd_ssn_valid("899991234"));
    assert_false(sd_ssn_valid("000123456"));
    assert_false(sd_ssn_valid("666123456"));
    assert_false(sd_ssn_valid("900123456"));
    assert_false(sd_ssn_valid("123004567"));
    assert_false(sd_ssn_valid("123450000"));
    assert_false(sd_ssn_valid("12345678x"));
}

int run_validate_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_luhn), cmocka_unit_test(test_issuers), cmocka_unit_test(test_cards),
        cmocka_unit_test(test_iban), cmocka_unit_test(test_ssn),
    };
    return cmocka_run_group_tests_name("sd-validate", tests, NULL, NULL);
}
