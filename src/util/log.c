/*
 * Writes engine messages to stderr, prefixed with their level. The level is a
 * process-wide setting made before threads start, so reading it is safe.
 * Worker threads may log at once: each message is formatted into a local
 * buffer and written with one stdio call, which holds the stream's lock, so
 * lines never interleave.
 */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>

static LogLevel current_level = LOG_LVL_NOTICE;

void od_log_set_level(LogLevel level) { current_level = level; }
LogLevel od_log_get_level(void) { return current_level; }

void od_log(LogLevel level, const char *fmt, ...)
{
    static const char *const names[] = { "Error", "Warning", "Notice", "Info", "Debug" };
    if (level > current_level)
        return;
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: odlar: %s\n", names[level], line);
}
