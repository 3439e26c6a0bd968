/*
 * Fuzz harness for rule address and port fields: arbitrary bytes as the
 * text of an address field and of a port field, resolved against a fixed
 * variable table (including self-referencing and empty variables). Every
 * parsed set is checked for internal consistency: matching is probed at
 * each range's edges and just outside them, and `any` must match all.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/address.h"
#include "detect/port.h"

static const char *const fuzz_vars[][2] = {
    { "HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]" },
    { "EXTERNAL_NET", "!$HOME_NET" },
    { "HTTP_SERVERS", "$HOME_NET" },
    { "V6", "[2001:db8::/32,!2001:db8::1,::1]" },
    { "ANY", "any" },
    { "LOOP", "[1.2.3.4,$LOOP]" },
    { "EMPTY", "" },
    { "HTTP_PORTS", "80" },
    { "SHELLCODE_PORTS", "!80" },
    { "FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]" },
    { "SIP_PORTS", "[5060, 5061]" },
    { "P_LOOP", "[1,$P_LOOP]" },
};

static const char *fuzz_lookup(void *ctx, const char *name)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof(fuzz_vars) / sizeof(fuzz_vars[0]); i++)
        if (strcmp(fuzz_vars[i][0], name) == 0)
            return fuzz_vars[i][1];
    return NULL;
}

static void probe_addresses(const AddressSet *s)
{
    for (int fam = 4; fam <= 6; fam += 2) {
        size_t n = address_set_count(s, fam);
        for (size_t i = 0; i < n; i++) {
            Address lo, hi;
            if (!address_set_range(s, fam, i, &lo, &hi) || !address_set_match(s, &lo) || !address_set_match(s, &hi))
                abort();
        }
    }
    if (address_set_is_any(s)) {
        Address a;
        memset(&a, 0, sizeof(a));
        a.family = 6;
        a.addr[3] = 7;
        if (!address_set_match(s, &a))
            abort();
    }
    char buf[128];
    address_set_format(s, buf, sizeof(buf));
}

static void probe_ports(const PortSet *s)
{
    size_t n = port_set_count(s);
    uint16_t prev_hi = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t lo, hi;
        if (!port_set_range(s, i, &lo, &hi) || lo > hi || !port_set_match(s, lo) || !port_set_match(s, hi))
            abort();
        /* disjoint, sorted and not adjacent */
        if (i > 0 && (uint32_t)lo <= (uint32_t)prev_hi + 1)
            abort();
        if (lo > 0 && i == 0 && port_set_match(s, (uint16_t)(lo - 1)))
            abort();
        if (hi < 65535 && port_set_match(s, (uint16_t)(hi + 1)))
            abort();
        prev_hi = hi;
    }
    char buf[64];
    port_set_format(s, buf, sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char err[256];
    AddressSet *a = address_set_parse(text, fuzz_lookup, NULL, err, sizeof(err));
    if (a != NULL) {
        probe_addresses(a);
        address_set_free(a);
    }
    PortSet *p = port_set_parse(text, fuzz_lookup, NULL, err, sizeof(err));
    if (p != NULL) {
        probe_ports(p);
        port_set_free(p);
    }
    free(text);
    return 0;
}
