/*
 * Rule ports: `any`, single ports, ranges `1024:65535`, open ranges `1024:`
 * and `:1023`, lists `[80,443,8000:8080]`, negation and variables
 * `$HTTP_PORTS` resolved from vars.port-groups. Parsed into a sorted list of
 * disjoint ranges.
 */
#ifndef ODLAR_DETECT_PORT_H
#define ODLAR_DETECT_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct PortSet PortSet;

typedef const char *(*PortVarLookup)(void *ctx, const char *name);

PortSet *port_set_parse(const char *text, PortVarLookup vars, void *vars_ctx, char *err, size_t errlen);
/* A copy of `set` that owns its own memory; NULL when out of memory. */
PortSet *port_set_clone(const PortSet *set);
void port_set_free(PortSet *set);
bool port_set_match(const PortSet *set, uint16_t port);
bool port_set_is_any(const PortSet *set);

/* Add-only extensions (addr engineer): introspection for tests and
 * debugging. port_set_count gives the number of disjoint ranges (sorted
 * ascending); port_set_range writes range `idx` (false when out of range);
 * port_set_format writes "0:79,82:65535" (false when buf is too small). */
size_t port_set_count(const PortSet *set);
bool port_set_range(const PortSet *set, size_t idx, uint16_t *lo, uint16_t *hi);
bool port_set_format(const PortSet *set, char *buf, size_t buflen);

#endif
