/*
 * Integer matching as Suricata 8's generic unsigned-integer keywords do it
 * (ttl, itype, icode, icmp_id, icmp_seq, id, stream_size's number, and any
 * later keyword that takes "a number or a comparison").
 *
 * Accepted forms, with optional spaces around operators and at both ends:
 *   N  or  =N            equal
 *   <N  <=N  >N  >=N     comparisons (`<0`, `>=0`, `>MAX`, `<=MAX` are
 *                        rejected: they could never, or would always, match)
 *   !N  or  !=N          not equal
 *   N-M  or  N<>M        exclusive range N < x < M (M must exceed N+1)
 *   !N-M                 outside that range (x <= N or x >= M)
 *   &MASK=V  &MASK!=V    masked compare (V must fit in MASK)
 * Values are decimal, `0x` hex, or decimal with a kb/kib/mb/mib/gb/gib unit;
 * each must fit the keyword's width (`max`).
 */
#ifndef ODLAR_DETECT_UINT_MATCH_H
#define ODLAR_DETECT_UINT_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum DetectUintMode {
    DETECT_UINT_EQ = 0,
    DETECT_UINT_LT,
    DETECT_UINT_LTE,
    DETECT_UINT_GT,
    DETECT_UINT_GTE,
    DETECT_UINT_RANGE,
    DETECT_UINT_NE,
    DETECT_UINT_NEG_RANGE,
    DETECT_UINT_BITMASK,
    DETECT_UINT_NEG_BITMASK,
} DetectUintMode;

typedef struct DetectUint {
    uint64_t arg1, arg2;
    uint8_t mode; /* DetectUintMode */
} DetectUint;

#define DETECT_UINT_MAX_U8 UINT8_MAX
#define DETECT_UINT_MAX_U16 UINT16_MAX
#define DETECT_UINT_MAX_U32 UINT32_MAX
#define DETECT_UINT_MAX_U64 UINT64_MAX

/* Parses `str` (NUL-terminated) into *out, values limited to 0..max.
 * Returns false when the text is not one of the forms above; then *out is
 * unspecified. Does not print anything: callers name the keyword in their
 * own message (see detect_uint_syntax_help()). */
bool detect_uint_parse(const char *str, uint64_t max, DetectUint *out);

/* Like detect_uint_parse but parses only a leading operator-free value
 * (decimal/hex/unit) from *pos, advancing *pos. Returns false when no value
 * fits in 0..max. For keywords with their own grammar around numbers. */
bool detect_uint_parse_value(const char **pos, uint64_t max, uint64_t *out);

/* Parses a comparison operator (>=, <=, >, <, !=, !, =) from *pos into
 * *mode, advancing *pos; false when none is there. */
bool detect_uint_parse_mode(const char **pos, uint8_t *mode);

/* true when `v` satisfies `u`. */
bool detect_uint_match(const DetectUint *u, uint64_t v);

/* A short reminder of the syntax for error messages. */
const char *detect_uint_syntax_help(void);

/* Hash and equality of parsed values (field by field, padding aside), for
 * the KeywordDef hash/equal of keywords whose context is a DetectUint. */
uint32_t detect_uint_hash(const void *u);
bool detect_uint_equal(const void *a, const void *b);

#endif
