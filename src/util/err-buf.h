/*
 * Writing an error message into a caller's buffer.
 *
 * Parsers of rule options and configuration values report why something
 * is unusable through a (char *err, size_t errlen) pair the caller owns;
 * od_fail formats the message there (when there is a buffer) and returns
 * false, so a parser can `return od_fail(err, errlen, "...", ...);`.
 */
#ifndef ODLAR_UTIL_ERR_BUF_H
#define ODLAR_UTIL_ERR_BUF_H

#include <stdbool.h>
#include <stddef.h>

bool od_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
