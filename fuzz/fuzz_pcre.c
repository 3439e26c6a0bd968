/*
 * libFuzzer harness for the pcre keyword: the input is split at the first
 * NUL byte into a pcre option value (as written in a rule, e.g.
 * `!"/a(b+)/Ri"`) and the data to match. The value is parsed and compiled;
 * when it compiles, the regex is run against the data with every cursor
 * position as the relative base, and retried from each reported
 * next_retry, checking the inspect.h contract (offsets inside the buffer).
 * The pcrexform transform is exercised with the same pattern.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/pcre-match.h"
#include "detect/transforms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t vlen = nul ? (size_t)(nul - data) : size;
    if (vlen > 512)
        return 0;
    char *value = malloc(vlen + 1);
    if (!value)
        return 0;
    memcpy(value, data, vlen);
    value[vlen] = '\0';
    const uint8_t *buf = nul ? nul + 1 : data + size;
    uint32_t len = (uint32_t)(data + size - buf);

    char err[512];
    DetectPcre *pd = pcre_parse(value, err, sizeof(err));
    if (pd) {
        for (uint32_t base = 0; base <= len && base < 8; base++) {
            InspectCursor c;
            memset(&c, 0, sizeof(c));
            c.buf = buf;
            c.len = len;
            c.offset = base;
            for (int tries = 0; tries < 16; tries++) {
                uint32_t ov[8];
                InspectResult r = pcre_inspect(pd, &c, ov, 4);
                if (r != INSPECT_MATCH || !c.retryable)
                    break;
                if (c.offset > len || c.next_retry > len + 1)
                    abort();
                c.retry_from = c.next_retry;
                c.offset = base;
            }
        }
        pcre_free(pd);
    }
    TransformPcrexform *t = xform_pcrexform_parse(value, err, sizeof(err));
    if (t) {
        InspectBuffer out;
        memset(&out, 0, sizeof(out));
        if (xform_pcrexform(buf, len, &out, t) && out.len > len)
            abort();
        xform_buffer_free(&out);
        xform_pcrexform_free(t);
    }
    free(value);
    return 0;
}
