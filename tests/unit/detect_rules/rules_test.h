/*
 * Shared declarations of the rule-loading tests (tag, asn1, ftpbounce,
 * the ET Open load rate): each test file exposes its cmocka group runner,
 * test_main.c runs them all.
 */
#ifndef ODLAR_TEST_RULES_H
#define ODLAR_TEST_RULES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

int run_tag_tests(void);
int run_asn1_tests(void);
int run_ftpbounce_tests(void);
int run_etopen_tests(void);

#endif
