/*
 * The payload-shape keywords' parsed form and evaluation, independent of the
 * rule parser: isdataat (is there data N bytes in, or N bytes past the
 * cursor?), bsize (the inspected buffer's length), dsize (the packet payload
 * length, a packet keyword), base64_decode (decode part of the buffer into a
 * per-thread scratch that the base64_data list then inspects) and the
 * base64 decoder shared with the from_base64 transform.
 *
 * Parse functions return NULL with a message in err on failure.
 */
#ifndef ODLAR_DETECT_PAYLOAD_OPS_H
#define ODLAR_DETECT_PAYLOAD_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/byte-ops.h"
#include "detect/inspect.h"
#include "detect/uint-match.h"

typedef struct DetectIsdataat {
    ByteOperand dataat; /* N, or a byte_extract/byte_math variable */
    bool relative;
    bool negate;
    bool rawbytes; /* accepted, no effect (as in Suricata) */
} DetectIsdataat;

DetectIsdataat *isdataat_parse(const char *str, ByteVarLookup lookup, void *user, char *err, size_t errsz);

/* Relative: data when cursor + N <= len; absolute: data when N < len. A
 * failing non-negated check (and a failing absolute negated one) cannot
 * succeed later in the buffer: it reports INSPECT_NO_MATCH_DISCONTINUE. The
 * cursor is never moved. */
InspectResult isdataat_eval(const DetectIsdataat *id, InspectCursor *cur);

/* bsize / dsize: Suricata 8 unsigned-integer syntax (N, <N, >N, <=N, >=N,
 * !N, N<>M, N-M ...). bsize values are 64-bit, dsize 16-bit. */
DetectUint *bsize_parse(const char *str, char *err, size_t errsz);
DetectUint *dsize_parse(const char *str, char *err, size_t errsz);

/* The largest length the condition accepts (for the "content length exceeds
 * bsize/dsize" rule check); false when it has no upper bound. */
bool payload_uint_max(const DetectUint *u, uint64_t *max);

typedef struct DetectBase64Decode {
    uint32_t bytes; /* 0 = to the end of the buffer */
    uint32_t offset;
    bool relative;
} DetectBase64Decode;

DetectBase64Decode *base64_decode_parse(const char *str, char *err, size_t errsz);

typedef enum Base64Mode {
    BASE64_MODE_RFC4648 = 0, /* stop at the first character outside the alphabet */
    BASE64_MODE_RFC2045, /* skip characters outside the alphabet */
    BASE64_MODE_STRICT, /* fail on any character outside the alphabet */
} Base64Mode;

/* Decodes `in` into `out` (capacity out_cap, at least in_len * 3 / 4 + 3 is
 * always enough). A trailing group of 2 or 3 characters yields 1 or 2 bytes;
 * decoding ends at '=' padding. Returns the decoded length, or -1 in strict
 * mode on invalid input. */
int64_t base64_decode_buf(const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t out_cap, Base64Mode mode);

/* The largest number of bytes base64_decode decodes. */
#define BASE64_DECODE_MAX 65535

/* Runs base64_decode on cur->buf (per the inspect.h contract; the cursor is
 * not moved) and leaves the decoded bytes in this thread's scratch, read
 * with base64_decoded(). Matches when at least one byte was decoded. */
InspectResult base64_decode_eval(const DetectBase64Decode *bd, InspectCursor *cur);
const uint8_t *base64_decoded(uint32_t *len);

/* Releases this thread's decode scratch. */
void payload_thread_cleanup(void);

#endif
