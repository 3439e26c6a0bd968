/*
 * Rule addresses: `any`, single IPv4/IPv6 addresses, CIDR blocks, ranges
 * (`1.2.3.4-1.2.3.10`), lists `[a,b]`, negation `!a` and `![a,b]`, nested
 * lists, and variables `$HOME_NET` resolved from vars.address-groups
 * (themselves possibly lists with negation and other variables). A parsed set
 * is a sorted list of disjoint IPv4 ranges and IPv6 ranges; matching is a
 * binary search.
 */
#ifndef ODLAR_DETECT_ADDRESS_H
#define ODLAR_DETECT_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "decode/packet.h"

typedef struct AddressSet AddressSet;

/* Looks up a variable's value (without the leading `$`); NULL if undefined. */
typedef const char *(*AddressVarLookup)(void *ctx, const char *name);

/* Parses `text`. Returns NULL and writes the reason into err (e.g.
 * "undefined variable $FOO", "invalid address '1.2.3'", "negation covers
 * everything") on failure. */
AddressSet *address_set_parse(const char *text, AddressVarLookup vars, void *vars_ctx, char *err, size_t errlen);
/* A copy of `set` that owns its own memory; NULL when out of memory. */
AddressSet *address_set_clone(const AddressSet *set);
void address_set_free(AddressSet *set);
bool address_set_match(const AddressSet *set, const Address *a);
/* True when the set matches every IPv4 and IPv6 address (`any`). */
bool address_set_is_any(const AddressSet *set);

/* Add-only extensions (addr engineer): introspection for tests, the
 * IP-only engine and debugging. `family` is 4 or 6. address_set_count gives
 * the number of disjoint ranges of that family (sorted ascending);
 * address_set_range writes range `idx` as its first and last address (false
 * when out of range). address_set_format writes the ranges as text
 * ("10.0.0.0-10.255.255.255,::1"); false when buf is too small. Note:
 * address_set_match returns true for every packet (any family, even none)
 * when the set is `any`. */
size_t address_set_count(const AddressSet *set, int family);
bool address_set_range(const AddressSet *set, int family, size_t idx, Address *lo, Address *hi);
bool address_set_format(const AddressSet *set, char *buf, size_t buflen);

#endif
