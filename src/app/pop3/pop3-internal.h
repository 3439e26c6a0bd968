/*
 * The POP3 parser's state and transaction layout, shared by its files
 * (pop3-state.c parses into it, pop3-log.c writes it as EVE).
 */
#ifndef ODLAR_APP_POP3_INTERNAL_H
#define ODLAR_APP_POP3_INTERNAL_H

#include "app/pop3/pop3.h"

#include <stddef.h>

/* A command's arguments and a response's data lines kept per transaction. */
#define POP3_MAX_ARGS 16
#define POP3_MAX_DATA_LINES 64

typedef struct Pop3Bytes {
    uint8_t *p;
    uint32_t n;
} Pop3Bytes;

typedef enum Pop3Status { POP3_STATUS_OK, POP3_STATUS_ERR } Pop3Status;

struct Pop3Tx {
    bool has_request, has_response, complete;
    char keyword[24]; /* upper-cased known keyword, or the unknown one as sent (cut) */
    Pop3Bytes args[POP3_MAX_ARGS];
    uint32_t arg_count;
    Pop3Status status;
    Pop3Bytes header;
    Pop3Bytes data[POP3_MAX_DATA_LINES];
    uint32_t data_count;
    uint32_t events; /* bit per Pop3Event */
};

#endif
