/*
 * The checks of the `asn1` keyword: a BER decoder (ITU-T X.690 clause 8:
 * identifier, length and contents octets, primitive and constructed
 * encodings, definite and indefinite lengths) walking the objects found
 * from an offset of a buffer, and the anomaly tests Suricata 8 applies to
 * each object, nested ones included:
 *   - bitstring_overflow: a primitive BIT STRING (universal tag 3) whose
 *     first contents octet, the count of unused bits (X.690 8.6.2.2), is
 *     above the bits its length holds (length * 8);
 *   - double_overflow: a primitive REAL (universal tag 9) in decimal
 *     encoding (first contents octet with bits 8 and 7 clear, X.690
 *     8.5.8) whose contents are longer than 256 octets;
 *   - oversize_length N: an object whose definite length is above N.
 * Decoding starts at absolute_offset from the buffer start, or at
 * relative_offset from the inspection cursor (the end of the previous
 * match), else at the buffer start; an offset outside the buffer matches
 * nothing. Objects are read one after the other until the data ends or
 * does not decode (an object longer than the data left does not decode);
 * reaching ASN1_MAX_FRAMES objects, or nesting deeper than that, abandons
 * the decode (no match), as Suricata's asn1-max-frames default does.
 */
#ifndef ODLAR_DETECT_ASN1_BER_H
#define ODLAR_DETECT_ASN1_BER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ASN1_MAX_FRAMES 30u /* Suricata 8's default max_frames */

typedef struct Asn1Options {
    bool bitstring_overflow;
    bool double_overflow;
    bool has_oversize;
    uint32_t oversize_length;
    bool has_absolute;
    uint16_t absolute_offset;
    bool has_relative;
    int32_t relative_offset;
} Asn1Options;

/* Parses "bitstring_overflow, double_overflow, oversize_length 1024,
 * relative_offset 0" (any order; at least one check; absolute_offset and
 * relative_offset exclude each other). False with the reason in err. */
bool asn1_options_parse(const char *value, Asn1Options *out, char *err, size_t errsz);

/* True when an object decoded from buf (see above; `cursor` is the
 * inspection offset relative_offset counts from) fails one of the checks. */
bool asn1_check(const Asn1Options *o, const uint8_t *buf, uint32_t len, uint32_t cursor);

#endif
