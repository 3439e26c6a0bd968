/*
 * libFuzzer harness for the byte_* keywords: the first input byte picks
 * byte_test, byte_jump, byte_extract or byte_math (and the starting cursor
 * offset), the text up to the first NUL is the option string, the rest is
 * the buffer. Variables "a" and "b" exist with fuzz-chosen values. Parsed
 * options are evaluated on the buffer and the cursor is checked to stay
 * within it. isdataat and base64_decode/from_base64 ride along on the same
 * option text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/byte-ops.h"
#include "detect/payload-ops.h"
#include "detect/transforms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int lookup(void *user, const char *name)
{
    (void)user;
    if (strcmp(name, "a") == 0)
        return 0;
    if (strcmp(name, "b") == 0)
        return 1;
    return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint8_t sel = data[0];
    data++;
    size--;
    const uint8_t *nul = memchr(data, 0, size);
    size_t vlen = nul ? (size_t)(nul - data) : size;
    if (vlen > 256)
        return 0;
    char *value = malloc(vlen + 1);
    if (!value)
        return 0;
    memcpy(value, data, vlen);
    value[vlen] = '\0';
    const uint8_t *buf = nul ? nul + 1 : data + size;
    uint32_t len = (uint32_t)(data + size - buf);

    InspectCursor c;
    memset(&c, 0, sizeof(c));
    c.buf = buf;
    c.len = len;
    c.offset = len ? (uint32_t)(sel >> 2) % (len + 1) : 0;
    c.vars[0] = sel;
    c.vars[1] = (uint64_t)sel << 40;
    char err[256];
    InspectResult r = INSPECT_NO_MATCH;
    switch (sel & 3) {
    case 0: {
        ByteTest *bt = byte_test_parse(value, lookup, NULL, err, sizeof(err));
        if (bt) {
            r = byte_test_eval(bt, &c);
            byte_test_free(bt);
        }
        break;
    }
    case 1: {
        ByteJump *bj = byte_jump_parse(value, lookup, NULL, err, sizeof(err));
        if (bj) {
            r = byte_jump_eval(bj, &c);
            byte_jump_free(bj);
        }
        break;
    }
    case 2: {
        ByteExtract *be = byte_extract_parse(value, 2, err, sizeof(err));
        if (be) {
            r = byte_extract_eval(be, &c);
            byte_extract_free(be);
        }
        break;
    }
    default: {
        ByteMath *bm = byte_math_parse(value, 3, lookup, NULL, err, sizeof(err));
        if (bm) {
            r = byte_math_eval(bm, &c);
            byte_math_free(bm);
        }
        break;
    }
    }
    if (r == INSPECT_MATCH && c.offset > len)
        abort();

    DetectIsdataat *id = isdataat_parse(value, lookup, NULL, err, sizeof(err));
    if (id) {
        isdataat_eval(id, &c);
        free(id);
    }
    DetectBase64Decode *bd = base64_decode_parse(value, err, sizeof(err));
    if (bd) {
        base64_decode_eval(bd, &c);
        free(bd);
    }
    TransformFromBase64 *fb = xform_from_base64_parse(value, err, sizeof(err));
    if (fb) {
        InspectBuffer out;
        memset(&out, 0, sizeof(out));
        xform_from_base64(buf, len, &out, fb);
        xform_buffer_free(&out);
        xform_from_base64_free(fb);
    }
    free(value);
    return 0;
}
