/*
 * Reading the requests of the unix control socket: one JSON object per
 * message (RFC 8259), in Suricata's unix-command protocol. The first
 * message of a connection is the handshake {"version": "0.2"}; every later
 * one is {"command": NAME, "arguments": {KEY: VALUE, ...}}.
 *
 * The parser reads only what the protocol uses: the top-level string
 * members "version" and "command", and the string (or number, kept as its
 * text) members of "arguments"; other members are checked for well-formed
 * JSON and skipped. Nesting is limited to CTL_JSON_MAX_DEPTH levels. It
 * tells a message cut short (wait for more bytes) from a malformed one.
 */
#ifndef ODLAR_ENGINE_CONTROL_SOCKET_JSON_H
#define ODLAR_ENGINE_CONTROL_SOCKET_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CTL_JSON_MAX_DEPTH 8
#define CTL_MAX_ARGS 8
#define CTL_STR_MAX 256

typedef struct CtlArg {
    char key[64];
    char value[CTL_STR_MAX];
} CtlArg;

typedef struct CtlRequest {
    bool has_version, has_command;
    char version[32];
    char command[64];
    CtlArg args[CTL_MAX_ARGS];
    uint32_t arg_count;
} CtlRequest;

typedef enum CtlParseResult {
    CTL_PARSE_OK = 0, /* *used bytes formed one object */
    CTL_PARSE_INCOMPLETE, /* the bytes end inside the object */
    CTL_PARSE_INVALID, /* not JSON, or not an object; err says why */
} CtlParseResult;

/* Parses the first JSON object of data[0..len) (leading white space is
 * skipped); on CTL_PARSE_OK, *used is the number of bytes it took. */
CtlParseResult ctl_request_parse(const uint8_t *data, size_t len, CtlRequest *req, size_t *used, char *err,
                                 size_t errlen);

/* The value of argument `key`, or NULL. */
const char *ctl_request_arg(const CtlRequest *req, const char *key);

#endif
