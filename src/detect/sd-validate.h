/*
 * Validators for the sensitive numbers `sd_pattern` looks for: payment card
 * numbers (issuer prefix table and Luhn check digit, ISO/IEC 7812-1), IBANs
 * (country length table and the ISO 13616 / ISO 7064 mod-97-10 check) and
 * US social security numbers (the SSA's area/group/serial rules). These work
 * on clean strings a caller has already cut out of traffic (digits only for
 * cards and SSNs, upper-case letters and digits for IBANs): finding the
 * candidates in raw bytes is sd-find.h's job.
 */
#ifndef ODLAR_DETECT_SD_VALIDATE_H
#define ODLAR_DETECT_SD_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#define SD_CARD_MIN_DIGITS 13
#define SD_CARD_MAX_DIGITS 19
#define SD_IBAN_MIN_LEN 15
#define SD_IBAN_MAX_LEN 34

typedef enum SdIssuer {
    SD_ISSUER_NONE = 0,
    SD_ISSUER_VISA,
    SD_ISSUER_MASTERCARD,
    SD_ISSUER_AMEX,
    SD_ISSUER_DISCOVER,
    SD_ISSUER_JCB,
    SD_ISSUER_UNIONPAY,
    SD_ISSUER_DINERS,
    SD_ISSUER_MAESTRO,
    SD_ISSUER_MIR,
} SdIssuer;

/* True when the last digit of `digits` (n ASCII digits) is the Luhn check
 * digit of the others (ISO/IEC 7812-1 annex B). */
bool sd_luhn_valid(const char *digits, size_t n);

/* The issuer whose prefix range and length `digits` (n ASCII digits) fits,
 * or SD_ISSUER_NONE. Ranges overlap (Discover's co-branded 622126-622925
 * inside UnionPay's 62): the most specific one wins. */
SdIssuer sd_card_issuer(const char *digits, size_t n);
const char *sd_issuer_name(SdIssuer issuer);

/* A payment card number: 13-19 digits, a known issuer, a valid Luhn digit. */
bool sd_card_valid(const char *digits, size_t n);

/* The IBAN length of the two-letter country code `cc`, 0 when the country
 * has no IBAN in the SWIFT IBAN registry. */
unsigned sd_iban_country_length(const char *cc);

/* An IBAN in electronic form (no spaces, upper case): known country, that
 * country's length, check digits such that the rearranged number mod 97 is 1. */
bool sd_iban_valid(const char *iban, size_t n);

/* A US SSN given as its 9 digits: area 001-899 but not 666, group 01-99,
 * serial 0001-9999. */
bool sd_ssn_valid(const char *digits9);

#endif
