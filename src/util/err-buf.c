/*
 * Writing an error message into a caller's buffer (see err-buf.h).
 */
#include "util/err-buf.h"

#include <stdarg.h>
#include <stdio.h>

bool od_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}
