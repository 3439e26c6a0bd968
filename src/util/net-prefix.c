/*
 * Parsing and matching configuration address prefixes (see net-prefix.h).
 */
#include "util/net-prefix.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

/* The length of a dotted netmask, -1 when it is not contiguous. */
static int netmask_bits(const char *text)
{
    uint8_t m[4];
    if (inet_pton(AF_INET, text, m) != 1)
        return -1;
    uint32_t mask = ((uint32_t)m[0] << 24) | ((uint32_t)m[1] << 16) | ((uint32_t)m[2] << 8) | m[3];
    int bits = 0;
    while (bits < 32 && (mask & (0x80000000u >> bits)))
        bits++;
    return bits < 32 && (mask << bits) != 0 ? -1 : bits;
}

bool net_prefix_parse(const char *text, uint8_t *family, uint8_t *prefix, uint8_t addr[16])
{
    char buf[128];
    size_t n = strlen(text);
    if (n == 0 || n >= sizeof(buf))
        return false;
    memcpy(buf, text, n + 1);
    char *slash = strchr(buf, '/');
    if (slash)
        *slash++ = '\0';
    memset(addr, 0, 16);
    bool v6 = strchr(buf, ':') != NULL;
    if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, addr) != 1)
        return false;
    int max = v6 ? 128 : 32, bits = max;
    if (slash && !v6 && strchr(slash, '.')) {
        bits = netmask_bits(slash);
    } else if (slash) {
        char *end;
        long v = strtol(slash, &end, 10);
        bits = (end == slash || *end != '\0' || v < 0 || v > max) ? -1 : (int)v;
    }
    if (bits < 0)
        return false;
    for (int bit = bits; bit < max; bit++)
        addr[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
    *family = v6 ? 6 : 4;
    *prefix = (uint8_t)bits;
    return true;
}

bool net_prefix_covers(uint8_t family, uint8_t prefix, const uint8_t net[16], uint8_t a_family, const uint8_t a[16])
{
    if (family != a_family)
        return false;
    unsigned full = prefix / 8u, rest = prefix % 8u;
    if (memcmp(net, a, full) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xffu << (8u - rest));
    return (net[full] & mask) == (a[full] & mask);
}
