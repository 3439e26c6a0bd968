/*
 * Shared mechanics of the small line-oriented config files (classification,
 * reference and threshold config): read a whole file into one NUL-terminated
 * buffer, walk it line by line with line numbers and a trailing CR dropped,
 * recognise blank and comment lines, and report a problem the way those
 * loaders do -- log it, keep the first message for the caller and count it.
 * The parsing of each line's content stays with each loader.
 */
#ifndef ODLAR_UTIL_TEXT_LINES_H
#define ODLAR_UTIL_TEXT_LINES_H

#include <stdbool.h>
#include <stddef.h>

/* Largest message od_text_report formats (longer ones are truncated). */
#define OD_TEXT_REPORT_MAX 1200

/* Reads all of `path` (opened with mode "r") and returns it NUL-terminated
 * (free it); *len_out gets the byte count. A NUL inside the file simply ends
 * the text for the line walker. Returns NULL when the file cannot be opened
 * (*errno_out = that errno) or when no memory at all could be had
 * (*errno_out = 0). When memory runs out part-way, returns what was read. */
char *od_read_text_file(const char *path, size_t *len_out, int *errno_out);

/* Calls cb once per line of `text` (split on '\n', up to the first NUL)
 * with a private, writable copy of the line minus one trailing '\r', and its
 * 1-based number. Blank and comment lines are passed too. Stops quietly when
 * a copy cannot be allocated. */
void od_text_for_each_line(const char *text, void (*cb)(void *ctx, char *line, int lineno), void *ctx);

/* True when the line holds only white space, or white space then '#'. */
bool od_text_is_blank_or_comment(const char *line);

/* Formats a message into at most `msg_max` bytes (capped at
 * OD_TEXT_REPORT_MAX), logs it as a warning or an error, copies it into err
 * when *errors is still 0, then counts it in *errors. */
void od_text_report(unsigned *errors, size_t msg_max, bool warn_only, char *err, size_t errlen, const char *fmt,
                    ...) __attribute__((format(printf, 6, 7)));

#endif
