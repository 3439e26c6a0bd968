/*
 * Finding sensitive numbers in raw buffer bytes for sd_pattern: where a card
 * number, IBAN or SSN starts and ends in untrusted data (grouping with
 * spaces or dashes as people print them, the boundaries that keep longer
 * digit runs or words from counting), handing each candidate to the
 * validators of sd-validate.h, and describing every valid one only in
 * masked form. Also masks such numbers in place in a copy of the bytes, for
 * output that must not show them.
 *
 * Nothing here keeps or returns a full number: an SdFound carries the
 * number's position, its masked form and a 64-bit digest (to count
 * distinct numbers).
 */
#ifndef ODLAR_DETECT_SD_FIND_H
#define ODLAR_DETECT_SD_FIND_H

#include <stdbool.h>
#include <stdint.h>

typedef enum SdType {
    SD_TYPE_CREDIT_CARD = 0,
    SD_TYPE_IBAN,
    SD_TYPE_US_SOCIAL, /* 123-45-6789 */
    SD_TYPE_US_SOCIAL_NODASHES, /* 123456789 */
    SD_TYPE_CUSTOM, /* a rule's own regular expression */
} SdType;
#define SD_TYPE_BUILTIN_COUNT 4

/* "credit_card", "iban", "us_social", "us_social_nodashes", "custom". */
const char *sd_type_name(SdType type);
/* The built-in type of a keyword value, or -1 when it is none of them. */
int sd_type_lookup(const char *name);

#define SD_MASKED_MAX 48

typedef struct SdFound {
    uint32_t start, end; /* [start, end) in the buffer, separators included */
    char masked[SD_MASKED_MAX]; /* e.g. "411111******1111", NUL-terminated */
    uint64_t digest; /* FNV-1a of the normalised number: equal numbers, equal digests */
} SdFound;

/* Called for each valid number in buffer order; return false to stop. */
typedef bool (*SdFoundCb)(const SdFound *found, void *user);

/* Calls cb for every valid number of built-in `type` in buf whose run of
 * digits (or IBAN word) reaches `from` or starts after it; a run that
 * started before `from` is considered from its start. Returns how many
 * were reported. */
uint32_t sd_find(SdType type, const uint8_t *buf, uint32_t len, uint32_t from, SdFoundCb cb, void *user);

/* Replaces, in place, the hidden characters of every valid built-in number
 * (all types) in buf with '*': cards keep their first 6 and last 4 digits,
 * IBANs their country code and last 4 characters, SSNs their last 4
 * digits. Returns how many numbers were masked. */
uint32_t sd_mask_builtin(uint8_t *buf, uint32_t len);

/* Masked form and in-place masking of a custom pattern's match: everything
 * but the last 4 characters hidden. */
void sd_mask_custom_text(const uint8_t *buf, uint32_t start, uint32_t end, char out[SD_MASKED_MAX]);
void sd_mask_custom_in_place(uint8_t *buf, uint32_t start, uint32_t end);

/* FNV-1a over bytes (digests of custom matches). */
uint64_t sd_digest(const uint8_t *d, uint32_t n, uint64_t seed);

#endif
