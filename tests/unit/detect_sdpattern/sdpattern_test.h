/*
 * Shared declarations of the sd_pattern unit tests: each test file exposes
 * its cmocka group runner, test_main.c runs them all.
 */
#ifndef ODLAR_TEST_SDPATTERN_H
#define ODLAR_TEST_SDPATTERN_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

int run_validate_tests(void);
int run_find_tests(void);
int run_keyword_tests(void);

#endif
