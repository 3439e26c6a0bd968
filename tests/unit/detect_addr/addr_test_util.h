/*
 * Shared helpers for the address/port unit tests: a fixed variable table
 * (Suricata 8's default suricata.yaml vars plus a few test-only ones) and
 * small constructors for packet addresses.
 */
#ifndef ODLAR_TEST_ADDR_UTIL_H
#define ODLAR_TEST_ADDR_UTIL_H

#include <arpa/inet.h>
#include <string.h>

#include "detect/address.h"
#include "detect/port.h"

typedef struct TestVar {
    const char *name, *value;
} TestVar;

/* Looks `name` up in a NULL-terminated TestVar array passed as ctx. */
static inline const char *test_var_lookup(void *ctx, const char *name)
{
    for (const TestVar *v = ctx; v != NULL && v->name != NULL; v++)
        if (strcmp(v->name, name) == 0)
            return v->value;
    return NULL;
}

/* Builds an Address from text (IPv4 or IPv6). */
static inline Address test_addr(const char *text)
{
    Address a;
    memset(&a, 0, sizeof(a));
    if (strchr(text, ':') != NULL) {
        a.family = 6;
        inet_pton(AF_INET6, text, a.addr);
    } else {
        a.family = 4;
        inet_pton(AF_INET, text, a.addr);
    }
    return a;
}

int run_address_tests(void);
int run_port_tests(void);
int run_etopen_tests(void);
int run_header_memo_tests(void);

#endif
