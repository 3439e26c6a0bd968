/*
 * Shared declarations of the payload keyword unit tests: each test file
 * exposes its cmocka group runner, test_main.c runs them all.
 */
#ifndef ODLAR_TEST_PAYLOAD_H
#define ODLAR_TEST_PAYLOAD_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "detect/inspect.h"

int run_byte_tests(void);
int run_pcre_tests(void);
int run_payload_tests(void);
int run_transform_tests(void);
int run_rule_tests(void);

/* A cursor over a NUL-terminated test string. */
static inline InspectCursor test_cursor(const char *data)
{
    InspectCursor c;
    memset(&c, 0, sizeof(c));
    c.buf = (const uint8_t *)data;
    c.len = (uint32_t)strlen(data);
    return c;
}

static inline InspectCursor test_cursor_bin(const uint8_t *data, uint32_t len)
{
    InspectCursor c;
    memset(&c, 0, sizeof(c));
    c.buf = data;
    c.len = len;
    return c;
}

#endif
