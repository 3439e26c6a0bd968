/*
 * A small JSON writer for EVE records. `JsonBuf` is a growable string; the
 * `jb_*` calls append keys and values and insert commas themselves, so a
 * caller writes `jb_open_object(&j, NULL); jb_str(&j, "proto", "TCP");
 * jb_close_object(&j);`.
 * Strings are escaped the way Suricata escapes them: control characters,
 * quotes and backslashes are escaped, bytes >= 0x80 that are not valid UTF-8
 * are written as \u00XX so the output is always valid JSON.
 */
#ifndef ODLAR_UTIL_JSON_H
#define ODLAR_UTIL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct JsonBuf {
    char *buf;
    size_t len;
    size_t cap;
    /* true when the next value in the current container needs a comma */
    bool need_comma;
} JsonBuf;

void jb_init(JsonBuf *j);
void jb_free(JsonBuf *j);
void jb_reset(JsonBuf *j);

/* Containers. A NULL key opens an anonymous value (array element / top). */
void jb_open_object(JsonBuf *j, const char *key);
void jb_close_object(JsonBuf *j);
void jb_open_array(JsonBuf *j, const char *key);
void jb_close_array(JsonBuf *j);

/* Members (key may be NULL inside arrays). */
void jb_str(JsonBuf *j, const char *key, const char *value);
void jb_strn(JsonBuf *j, const char *key, const uint8_t *value, size_t len);
void jb_uint(JsonBuf *j, const char *key, uint64_t value);
void jb_int(JsonBuf *j, const char *key, int64_t value);
void jb_bool(JsonBuf *j, const char *key, bool value);
void jb_null(JsonBuf *j, const char *key);
void jb_double(JsonBuf *j, const char *key, double value);
/* Appends already-formatted JSON text as a value. */
void jb_raw(JsonBuf *j, const char *key, const char *json, size_t len);

/* Whether p[0..len) is valid UTF-8 (Rust's str::from_utf8 accepts it). */
bool jb_utf8_valid(const uint8_t *p, size_t len);

/* Raw append, used by the writers for the trailing newline. */
void jb_append(JsonBuf *j, const char *s, size_t n);

#endif
