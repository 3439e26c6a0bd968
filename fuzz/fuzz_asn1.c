/*
 * libFuzzer harness for the asn1 keyword's BER decoder and checks, and for
 * the ftpbounce PORT parser: the first input byte picks the checks and the
 * offset mode, the second the offset and cursor, the third oversize_length;
 * the rest is the buffer to decode. The same bytes are also fed to
 * ftpbounce_check and, up to the first NUL, to the asn1 and tag option
 * parsers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/asn1-ber.h"
#include "detect/ftpbounce.h"
#include "detect/tag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    Asn1Options o;
    memset(&o, 0, sizeof(o));
    o.bitstring_overflow = data[0] & 1;
    o.double_overflow = data[0] & 2;
    o.has_oversize = data[0] & 4;
    o.oversize_length = data[2];
    if (data[0] & 8) {
        o.has_absolute = true;
        o.absolute_offset = data[1];
    } else if (data[0] & 16) {
        o.has_relative = true;
        o.relative_offset = (int8_t)data[1];
    }
    const uint8_t *buf = data + 3;
    uint32_t len = (uint32_t)(size - 3);
    (void)asn1_check(&o, buf, len, data[1] % (len + 1));

    static const uint8_t client[4] = { 10, 0, 0, 1 };
    (void)ftpbounce_check(buf, len, client);

    char *text = malloc(len + 1);
    if (text) {
        memcpy(text, buf, len);
        text[len] = '\0';
        Asn1Options parsed;
        char err[128];
        if (asn1_options_parse(text, &parsed, err, sizeof(err)))
            (void)asn1_check(&parsed, buf, len, 0);
        TagSpec tag;
        (void)tag_parse(text, &tag, err, sizeof(err));
        free(text);
    }
    return 0;
}
