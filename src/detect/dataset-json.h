/*
 * A small JSON reader for datajson files (RFC 8259): the document becomes
 * a tree of JsonNode values, which the dataset loader walks (array_key,
 * value_key as dotted paths), trims (remove_key) and writes back as the
 * compact JSON text an alert's `context` carries. The files are untrusted
 * input: every read is bounds-checked, nesting is capped, and a malformed
 * document is rejected with the offset of the problem.
 */
#ifndef ODLAR_DETECT_DATASET_JSON_H
#define ODLAR_DETECT_DATASET_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/json.h"

#define JSON_READ_MAX_DEPTH 64

typedef enum JsonKind { JSON_NULL = 0, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } JsonKind;

typedef struct JsonNode {
    JsonKind kind;
    bool boolean;
    char *text; /* string (decoded, NUL-terminated; may hold NUL) or number (as written) */
    size_t text_len;
    struct JsonNode **items; /* array elements or object values */
    char **keys; /* object keys (NULL for arrays) */
    size_t count;
} JsonNode;

/* Parses one JSON document filling all of data[0..len) (whitespace aside);
 * NULL with a message in err on error. */
JsonNode *json_read(const uint8_t *data, size_t len, char *err, size_t errlen);
void json_node_free(JsonNode *n);

/* The member at dotted path `path` ("info.threat") of an object, or NULL. */
const JsonNode *json_node_path(const JsonNode *n, const char *path);
/* Removes the member at dotted `path`; true when it existed. */
bool json_node_remove_path(JsonNode *n, const char *path);
/* Writes n as a value (key may be NULL) through the EVE JSON writer. */
void json_node_write(JsonBuf *j, const char *key, const JsonNode *n);

#endif
