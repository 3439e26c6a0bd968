/*
 * Public Suffix List lookups (https://publicsuffix.org/list/, the format
 * its "Formal Algorithm" describes) for the domain and tld transforms: the
 * list is read once, on first use, from the Debian `publicsuffix`
 * package's /usr/share/publicsuffix/public_suffix_list.dat (ICANN and
 * private sections, as Suricata's psl crate).
 */
#ifndef ODLAR_DETECT_PUBLIC_SUFFIX_H
#define ODLAR_DETECT_PUBLIC_SUFFIX_H

#include <stdbool.h>
#include <stdint.h>

#define PUBLIC_SUFFIX_FILE "/usr/share/publicsuffix/public_suffix_list.dat"

/* Loads the list (once); false when it cannot be read. */
bool public_suffix_load(void);
/* For the host name [name, name+len) (labels separated by '.', compared
 * without case, a trailing '.' ignored): *suffix_off is where its public
 * suffix starts and *domain_off where its registrable domain (the suffix
 * plus one label) starts, or -1 when the name is itself a suffix. False
 * when the name is empty or the list is not loaded. */
bool public_suffix_split(const uint8_t *name, uint32_t len, int64_t *suffix_off, int64_t *domain_off);

#endif
