/*
 * Whole-file reading and line walking for the line-oriented config loaders.
 * The file is read in 4 KiB chunks into a buffer that doubles from 8 KiB;
 * lines are handed out one at a time as heap copies so that a callback may
 * cut or edit its line in place. Reporting formats into a bounded buffer,
 * so the first error kept for the caller reads exactly as the logged one.
 */
#include "util/text-lines.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

char *od_read_text_file(const char *path, size_t *len_out, int *errno_out)
{
    if (len_out)
        *len_out = 0;
    if (errno_out)
        *errno_out = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno_out)
            *errno_out = errno;
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0, len = 0;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (len + n + 1 > cap) {
            size_t ncap = cap ? cap * 2 : 8192;
            while (ncap < len + n + 1)
                ncap *= 2;
            char *nb = realloc(buf, ncap);
            if (!nb)
                break;
            buf = nb;
            cap = ncap;
        }
        memcpy(buf + len, chunk, n);
        len += n;
    }
    fclose(f);
    if (!buf) /* empty file (or no memory for the first chunk): "" */
        buf = calloc(1, 1);
    if (!buf)
        return NULL;
    buf[len] = '\0';
    if (len_out)
        *len_out = len;
    return buf;
}

void od_text_for_each_line(const char *text, void (*cb)(void *ctx, char *line, int lineno), void *ctx)
{
    int lineno = 0;
    const char *p = text ? text : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        char *line = strndup(p, len);
        if (!line)
            return;
        if (len && line[len - 1] == '\r')
            line[len - 1] = '\0';
        cb(ctx, line, lineno);
        free(line);
        p += len;
        if (*p == '\n')
            p++;
    }
}

bool od_text_is_blank_or_comment(const char *line)
{
    for (; *line; line++) {
        if (*line == '#')
            return true;
        if (!isspace((unsigned char)*line))
            return false;
    }
    return true;
}

void od_text_report(unsigned *errors, size_t msg_max, bool warn_only, char *err, size_t errlen, const char *fmt,
                    ...)
{
    char msg[OD_TEXT_REPORT_MAX];
    if (msg_max == 0 || msg_max > sizeof(msg))
        msg_max = sizeof(msg);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msg_max, fmt, ap);
    va_end(ap);
    if (warn_only)
        od_warn("%s", msg);
    else
        od_error("%s", msg);
    if (*errors == 0 && err && errlen)
        snprintf(err, errlen, "%s", msg);
    (*errors)++;
}
