/*
 * The byte_* keywords' parsed form and evaluation, without any tie to the
 * rule parser: byte_test (compare a number read from the buffer), byte_jump
 * (move the cursor by a number read from the buffer), byte_extract (read a
 * number into a signature variable) and byte_math (read a number, combine it
 * with another, store the result in a variable), as Suricata 8 defines them.
 *
 * Numbers are read either as raw bytes (1-8, big or little endian; `dce`
 * takes the DCE/RPC data representation, which Odlar treats as big endian
 * until a DCE/RPC parser reports it) or as text (`string` with hex/dec/oct,
 * read like strtoull: leading digits count, a text without digits does not
 * match). Variables live in InspectCursor.vars[], indexed by the position of
 * the defining byte_extract/byte_math in the signature; parsing resolves
 * names through a ByteVarLookup callback so that this file stays testable on
 * its own (kw-byte.c provides the signature-backed lookup).
 *
 * Parse functions return NULL and write a rule-writer-friendly message into
 * err (errsz bytes) on failure; eval functions follow the inspect.h contract.
 */
#ifndef ODLAR_DETECT_BYTE_OPS_H
#define ODLAR_DETECT_BYTE_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/inspect.h"

/* Resolves a variable name to its index in InspectCursor.vars[] (>= 0), or -1
 * when no earlier byte_extract/byte_math of the signature defines it. */
typedef int (*ByteVarLookup)(void *user, const char *name);

typedef enum ByteEndian {
    BYTE_ENDIAN_BIG = 0,
    BYTE_ENDIAN_LITTLE,
    BYTE_ENDIAN_DCE,
} ByteEndian;

/* A number written in the rule, or a reference to a variable. */
typedef struct ByteOperand {
    bool is_var;
    uint8_t var; /* index into InspectCursor.vars[] when is_var */
    int64_t num; /* the literal otherwise */
} ByteOperand;

/* How the bytes are turned into a number. */
typedef struct ByteReadSpec {
    ByteOperand nbytes;
    uint8_t base; /* 0 = raw bytes; 8/10/16 = `string` with oct/dec/hex */
    uint8_t endian; /* ByteEndian */
    bool bitmask_set;
    uint64_t bitmask;
    uint8_t bitmask_shift; /* trailing zero bits of the mask */
} ByteReadSpec;

typedef enum ByteTestOp {
    BYTE_OP_EQ = 0,
    BYTE_OP_LT,
    BYTE_OP_GT,
    BYTE_OP_LE,
    BYTE_OP_GE,
    BYTE_OP_AND,
    BYTE_OP_XOR,
} ByteTestOp;

typedef struct ByteTest {
    ByteReadSpec rd;
    uint8_t op; /* ByteTestOp */
    bool negate;
    bool relative;
    ByteOperand value;
    ByteOperand offset;
} ByteTest;

typedef struct ByteJump {
    ByteReadSpec rd;
    bool relative, align, from_beginning, from_end;
    ByteOperand offset;
    uint32_t multiplier;
    int32_t post_offset;
} ByteJump;

typedef struct ByteExtract {
    ByteReadSpec rd;
    bool relative;
    int32_t offset;
    uint32_t multiplier;
    uint8_t align; /* 0, 2 or 4 */
    uint8_t var; /* where the value goes */
    char *name;
} ByteExtract;

typedef enum ByteMathOp {
    BYTE_MATH_ADD = 0,
    BYTE_MATH_SUB,
    BYTE_MATH_MUL,
    BYTE_MATH_DIV,
    BYTE_MATH_SHL,
    BYTE_MATH_SHR,
} ByteMathOp;

typedef struct ByteMath {
    ByteReadSpec rd;
    bool relative;
    int32_t offset;
    uint8_t oper; /* ByteMathOp */
    ByteOperand rvalue;
    uint8_t var;
    char *name;
} ByteMath;

/* Parsing. `lookup` resolves variable names (may be NULL: then every name is
 * unknown). byte_extract/byte_math get `new_var`, the index their result will
 * occupy (the caller checks it against INSPECT_MAX_VARS and name clashes). */
ByteTest *byte_test_parse(const char *str, ByteVarLookup lookup, void *user, char *err, size_t errsz);
ByteJump *byte_jump_parse(const char *str, ByteVarLookup lookup, void *user, char *err, size_t errsz);
ByteExtract *byte_extract_parse(const char *str, uint8_t new_var, char *err, size_t errsz);
ByteMath *byte_math_parse(const char *str, uint8_t new_var, ByteVarLookup lookup, void *user, char *err,
                          size_t errsz);

void byte_test_free(void *p);
void byte_jump_free(void *p);
void byte_extract_free(void *p);
void byte_math_free(void *p);

/* Evaluation against cur->buf per the inspect.h contract. byte_test leaves
 * cur->offset alone; byte_jump moves it to the jump target; byte_extract and
 * byte_math move it past the bytes read and store their variable. None of
 * them is retryable. */
InspectResult byte_test_eval(const ByteTest *bt, InspectCursor *cur);
InspectResult byte_jump_eval(const ByteJump *bj, InspectCursor *cur);
InspectResult byte_extract_eval(const ByteExtract *be, InspectCursor *cur);
InspectResult byte_math_eval(const ByteMath *bm, InspectCursor *cur);

/* Reads the number described by `rd` (nbytes already resolved to `n`) at
 * buf[pos..]; on success stores the value and the bytes consumed. With a
 * string base, n == 0 reads the number up to the end of the buffer. */
bool byte_read_number(const ByteReadSpec *rd, uint32_t n, const uint8_t *buf, uint32_t len, int64_t pos,
                      uint64_t *val, uint32_t *used);

#endif
