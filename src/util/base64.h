/*
 * The base64 alphabet (RFC 4648 section 4), shared by the decoders that
 * need their own handling of padding, whitespace and line structure:
 * base64_decode/from_base64 (detect/payload-ops.c), MIME bodies
 * (app/smtp/smtp-mime.c, RFC 2045 section 6.8), dataset files
 * (detect/dataset.c) and HTTP/2's HTTP2-Settings header
 * (app/http2/http2-state.c).
 */
#ifndef ODLAR_UTIL_BASE64_H
#define ODLAR_UTIL_BASE64_H

#include <stdint.h>

/* The 6-bit value of a base64 character, or -1 for any other byte ('='
 * included). */
static inline int base64_value(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

#endif
