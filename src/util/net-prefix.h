/*
 * Address prefixes written in configuration files: "a.b.c.d",
 * "a.b.c.d/len", "a.b.c.d/m.m.m.m" (a contiguous netmask), "x::y" and
 * "x::y/len", as Suricata's host-os-policy and defrag host tables take
 * them. Shared by the stream's and the defragmenter's host tables.
 */
#ifndef ODLAR_UTIL_NET_PREFIX_H
#define ODLAR_UTIL_NET_PREFIX_H

#include <stdbool.h>
#include <stdint.h>

/* Parses `text` into family (4 or 6), prefix length in bits and the
 * network address (16 bytes, host bits cleared). False when it is not one
 * of the forms above. */
bool net_prefix_parse(const char *text, uint8_t *family, uint8_t *prefix, uint8_t addr[16]);

/* True when the address `a` of family `a_family` lies in the prefix. */
bool net_prefix_covers(uint8_t family, uint8_t prefix, const uint8_t net[16], uint8_t a_family, const uint8_t a[16]);

#endif
