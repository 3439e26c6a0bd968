/*
 * TCP sequence number arithmetic (RFC 9293 section 3.4, RFC 1982 serial
 * number arithmetic): sequence numbers live on a 32-bit circle, so "a is
 * after b" means the signed 32-bit distance from b to a is positive. Valid as
 * long as the two numbers are less than 2^31 apart, which TCP windows
 * guarantee.
 */
#ifndef ODLAR_STREAM_STREAM_SEQ_H
#define ODLAR_STREAM_STREAM_SEQ_H

#include <stdbool.h>
#include <stdint.h>

static inline int32_t seq_diff(uint32_t a, uint32_t b) { return (int32_t)(a - b); }
static inline bool SEQ_EQ(uint32_t a, uint32_t b) { return a == b; }
static inline bool SEQ_LT(uint32_t a, uint32_t b) { return seq_diff(a, b) < 0; }
static inline bool SEQ_LEQ(uint32_t a, uint32_t b) { return seq_diff(a, b) <= 0; }
static inline bool SEQ_GT(uint32_t a, uint32_t b) { return seq_diff(a, b) > 0; }
static inline bool SEQ_GEQ(uint32_t a, uint32_t b) { return seq_diff(a, b) >= 0; }

#endif
