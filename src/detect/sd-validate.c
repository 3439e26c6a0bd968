/*
 * Number validators of sd_pattern (see sd-validate.h). The issuer table
 * follows the networks' published IIN ranges (ISO/IEC 7812 prefixes as the
 * card brands document them); the IBAN lengths follow the SWIFT IBAN
 * registry (ISO 13616); the SSN rules follow the Social Security
 * Administration's never-issued values.
 */
#include "detect/sd-validate.h"

#include <string.h>

/* Allowed lengths as a bit mask: bit n set when n digits are allowed. */
#define LEN(n) (1u << (n))
#define LEN_RANGE(a, b) (((1u << ((b) + 1)) - 1) & ~((1u << (a)) - 1))

typedef struct IssuerRange {
    unsigned prefix_digits;
    unsigned lo, hi; /* inclusive range of the first prefix_digits digits */
    unsigned lengths;
    SdIssuer issuer;
} IssuerRange;

/* Most specific (longest) prefixes first: the first row that fits wins. */
static const IssuerRange issuer_ranges[] = {
    { 6, 622126, 622925, LEN_RANGE(16, 19), SD_ISSUER_DISCOVER }, /* co-branded with UnionPay */
    { 4, 2200, 2204, LEN_RANGE(16, 19), SD_ISSUER_MIR },
    { 4, 2221, 2720, LEN(16), SD_ISSUER_MASTERCARD }, /* the 2-series */
    { 4, 3528, 3589, LEN_RANGE(16, 19), SD_ISSUER_JCB },
    { 4, 3095, 3095, LEN_RANGE(14, 19), SD_ISSUER_DINERS },
    { 4, 6011, 6011, LEN_RANGE(16, 19), SD_ISSUER_DISCOVER },
    { 4, 5018, 5018, LEN_RANGE(13, 19), SD_ISSUER_MAESTRO },
    { 4, 5020, 5020, LEN_RANGE(13, 19), SD_ISSUER_MAESTRO },
    { 4, 5038, 5038, LEN_RANGE(13, 19), SD_ISSUER_MAESTRO },
    { 4, 5893, 5893, LEN_RANGE(13, 19), SD_ISSUER_MAESTRO },
    { 4, 6304, 6304, LEN_RANGE(13, 19), SD_ISSUER_MAESTRO },
    { 4, 6759, 6759, LEN_RANGE(13, 19), SD_ISSUER_MAESTRO },
    { 4, 6761, 6763, LEN_RANGE(13, 19), SD_ISSUER_MAESTRO },
    { 3, 300, 305, LEN_RANGE(14, 19), SD_ISSUER_DINERS },
    { 3, 644, 649, LEN_RANGE(16, 19), SD_ISSUER_DISCOVER },
    { 2, 34, 34, LEN(15), SD_ISSUER_AMEX },
    { 2, 37, 37, LEN(15), SD_ISSUER_AMEX },
    { 2, 36, 36, LEN_RANGE(14, 19), SD_ISSUER_DINERS },
    { 2, 38, 39, LEN_RANGE(14, 19), SD_ISSUER_DINERS },
    { 2, 51, 55, LEN(16), SD_ISSUER_MASTERCARD },
    { 2, 65, 65, LEN_RANGE(16, 19), SD_ISSUER_DISCOVER },
    { 2, 62, 62, LEN_RANGE(16, 19), SD_ISSUER_UNIONPAY },
    { 1, 4, 4, LEN(13) | LEN(16) | LEN(19), SD_ISSUER_VISA },
};

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool sd_luhn_valid(const char *digits, size_t n)
{
    if (n < 2 || !all_digits(digits, n))
        return false;
    unsigned sum = 0;
    bool twice = false; /* the check digit itself is not doubled */
    for (size_t i = n; i-- > 0;) {
        unsigned d = (unsigned)(digits[i] - '0');
        if (twice) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

SdIssuer sd_card_issuer(const char *digits, size_t n)
{
    if (n < SD_CARD_MIN_DIGITS || n > SD_CARD_MAX_DIGITS || !all_digits(digits, n))
        return SD_ISSUER_NONE;
    for (size_t r = 0; r < sizeof(issuer_ranges) / sizeof(issuer_ranges[0]); r++) {
        const IssuerRange *ir = &issuer_ranges[r];
        unsigned prefix = 0;
        for (unsigned i = 0; i < ir->prefix_digits; i++)
            prefix = prefix * 10 + (unsigned)(digits[i] - '0');
        if (prefix >= ir->lo && prefix <= ir->hi)
            return (ir->lengths & LEN(n)) ? ir->issuer : SD_ISSUER_NONE;
    }
    return SD_ISSUER_NONE;
}

const char *sd_issuer_name(SdIssuer issuer)
{
    switch (issuer) {
    case SD_ISSUER_VISA: return "visa";
    case SD_ISSUER_MASTERCARD: return "mastercard";
    case SD_ISSUER_AMEX: return "amex";
    case SD_ISSUER_DISCOVER: return "discover";
    case SD_ISSUER_JCB: return "jcb";
    case SD_ISSUER_UNIONPAY: return "unionpay";
    case SD_ISSUER_DINERS: return "diners";
    case SD_ISSUER_MAESTRO: return "maestro";
    case SD_ISSUER_MIR: return "mir";
    case SD_ISSUER_NONE: break;
    }
    return "none";
}

bool sd_card_valid(const char *digits, size_t n)
{
    return sd_card_issuer(digits, n) != SD_ISSUER_NONE && sd_luhn_valid(digits, n);
}

typedef struct IbanCountry {
    char cc[3];
    unsigned char len;
} IbanCountry;

/* SWIFT IBAN registry: country code and total IBAN length. */
static const IbanCountry iban_countries[] = {
    { "AD", 24 }, { "AE", 23 }, { "AL", 28 }, { "AT", 20 }, { "AZ", 28 }, { "BA", 20 }, { "BE", 16 },
    { "BG", 22 }, { "BH", 22 }, { "BI", 27 }, { "BR", 29 }, { "BY", 28 }, { "CH", 21 }, { "CR", 22 },
    { "CY", 28 }, { "CZ", 24 }, { "DE", 22 }, { "DJ", 27 }, { "DK", 18 }, { "DO", 28 }, { "EE", 20 },
    { "EG", 29 }, { "ES", 24 }, { "FI", 18 }, { "FK", 18 }, { "FO", 18 }, { "FR", 27 }, { "GB", 22 },
    { "GE", 22 }, { "GI", 23 }, { "GL", 18 }, { "GR", 27 }, { "GT", 28 }, { "HR", 21 }, { "HU", 28 },
    { "IE", 22 }, { "IL", 23 }, { "IQ", 23 }, { "IS", 26 }, { "IT", 27 }, { "JO", 30 }, { "KW", 30 },
    { "KZ", 20 }, { "LB", 28 }, { "LC", 32 }, { "LI", 21 }, { "LT", 20 }, { "LU", 20 }, { "LV", 21 },
    { "LY", 25 }, { "MC", 27 }, { "MD", 24 }, { "ME", 22 }, { "MK", 19 }, { "MN", 20 }, { "MR", 27 },
    { "MT", 31 }, { "MU", 30 }, { "NI", 28 }, { "NL", 18 }, { "NO", 15 }, { "OM", 23 }, { "PK", 24 },
    { "PL", 28 }, { "PS", 29 }, { "PT", 25 }, { "QA", 29 }, { "RO", 24 }, { "RS", 22 }, { "RU", 33 },
    { "SA", 24 }, { "SC", 31 }, { "SD", 18 }, { "SE", 24 }, { "SI", 19 }, { "SK", 24 }, { "SM", 27 },
    { "SO", 23 }, { "ST", 25 }, { "SV", 28 }, { "TL", 23 }, { "TN", 24 }, { "TR", 26 }, { "UA", 29 },
    { "VA", 22 }, { "VG", 24 }, { "XK", 20 }, { "YE", 30 },
};

unsigned sd_iban_country_length(const char *cc)
{
    for (size_t i = 0; i < sizeof(iban_countries) / sizeof(iban_countries[0]); i++)
        if (iban_countries[i].cc[0] == cc[0] && iban_countries[i].cc[1] == cc[1])
            return iban_countries[i].len;
    return 0;
}

/* Folds one IBAN character into the running remainder (letters count as
 * 10..35, i.e. two decimal digits). False for any other character. */
static bool mod97_add(unsigned *rem, char c)
{
    if (c >= '0' && c <= '9') {
        *rem = (*rem * 10 + (unsigned)(c - '0')) % 97;
        return true;
    }
    if (c >= 'A' && c <= 'Z') {
        *rem = (*rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
        return true;
    }
    return false;
}

bool sd_iban_valid(const char *iban, size_t n)
{
    if (n < SD_IBAN_MIN_LEN || n > SD_IBAN_MAX_LEN)
        return false;
    if (iban[0] < 'A' || iban[0] > 'Z' || iban[1] < 'A' || iban[1] > 'Z' || !all_digits(iban + 2, 2))
        return false;
    if (sd_iban_country_length(iban) != n)
        return false;
    /* ISO 13616: move the first four characters to the end, then mod 97 */
    unsigned rem = 0;
    for (size_t i = 4; i < n; i++)
        if (!mod97_add(&rem, iban[i]))
            return false;
    for (size_t i = 0; i < 4; i++)
        mod97_add(&rem, iban[i]);
    return rem == 1;
}

bool sd_ssn_valid(const char *digits9)
{
    if (!all_digits(digits9, 9))
        return false;
    unsigned area = (unsigned)((digits9[0] - '0') * 100 + (digits9[1] - '0') * 10 + (digits9[2] - '0'));
    unsigned group = (unsigned)((digits9[3] - '0') * 10 + (digits9[4] - '0'));
    unsigned serial = 0;
    for (int i = 5; i < 9; i++)
        serial = serial * 10 + (unsigned)(digits9[i] - '0');
    return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
}
