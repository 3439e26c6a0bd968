/*
 * The candidate finder of sd_pattern: one Hyperscan database per distinct
 * keyword option, shared by every rule that uses the same option, and the
 * scan that tells the validators where to look.
 *
 * For the built-in types (credit_card, iban, us_social...) the database
 * holds a loose shape of the number (13 digits with optional single
 * separators, an IBAN's first 15 characters, ...) compiled with
 * HS_FLAG_SINGLEMATCH: a buffer without anything number-like costs one
 * Hyperscan pass and no more -- or none, when no stretch of it is dense
 * enough in digits (sd_digit_dense_from); otherwise the scan reports the first
 * candidate once and the validators (sd-find.h) read on from there. For a
 * custom pattern the database is the rule's regular expression with
 * HS_FLAG_SOM_LEFTMOST, and each maximal span of overlapping matches is one
 * match.
 *
 * Usage, e.g. from a shared prefilter pass:
 *     SdDb *db = sd_db_acquire(SD_TYPE_CREDIT_CARD, NULL, err, sizeof(err));
 *     sd_candidates(db, buf, len, on_candidate, user);   // any thread
 *     sd_db_release(db);
 * Scratch space is per thread, grown on first use after a new database
 * appeared, and freed when the thread ends. Without a usable Hyperscan
 * (hs_valid_platform), built-in types report "look from 0" for every
 * non-empty buffer and custom patterns cannot be compiled.
 */
#ifndef ODLAR_DETECT_SD_CANDIDATES_H
#define ODLAR_DETECT_SD_CANDIDATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/sd-find.h"

typedef struct SdDb SdDb;

/* The shared database of (type, regex); `regex` is used only with
 * SD_TYPE_CUSTOM. Reference counted: every acquire needs one release.
 * NULL with a reason in err when it cannot be compiled. */
SdDb *sd_db_acquire(SdType type, const char *regex, char *err, size_t errlen);
void sd_db_release(SdDb *db);
SdType sd_db_type(const SdDb *db);

/* Built-in types: called at most once, `from` being where validation
 * should start reading and `to` the end of the first candidate.
 * Custom: once per match span [from, to). Return false to stop. */
typedef bool (*SdCandidateCb)(uint32_t from, uint32_t to, void *user);

/* The first multiple of 16 from which `need` digits can lie within 33
 * bytes (three 16-byte chunks), or len when nowhere: no card number (13
 * digits within 25 bytes) or SSN (9 within 11) starts before it. A 16-byte
 * digit count (SSE2) costs far less than Hyperscan's pass over the same
 * bytes, and in binary or markup most buffers have no such stretch, so
 * sd_candidates skips them, and starts the scan of the others there. */
uint32_t sd_digit_dense_from(const uint8_t *buf, uint32_t len, uint32_t need);

/* Scans buf with db. False when the scan could not run (no scratch). */
bool sd_candidates(const SdDb *db, const uint8_t *buf, uint32_t len, SdCandidateCb cb, void *user);

#endif
