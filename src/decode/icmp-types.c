/*
 * Which ICMP message answers which (RFC 792, RFC 4443 and the registries):
 * the pairs Suricata uses to name a flow's response ICMP type.
 */
#include "decode/decode.h"

static int pair(const uint8_t (*pairs)[2], unsigned n, uint8_t type)
{
    for (unsigned i = 0; i < n; i++) {
        if (pairs[i][0] == type)
            return pairs[i][1];
        if (pairs[i][1] == type)
            return pairs[i][0];
    }
    return -1;
}

int decode_icmp_counterpart(uint8_t proto, uint8_t type)
{
    /* echo, timestamp, information, router solicit/advert, address mask */
    static const uint8_t v4[][2] = { { 8, 0 }, { 13, 14 }, { 15, 16 }, { 10, 9 }, { 17, 18 } };
    /* echo, neighbour and router discovery, MLD query/report, node info,
     * home agent, mobile prefix, certification path, multicast router,
     * duplicate address */
    static const uint8_t v6[][2] = {
        { 128, 129 }, { 135, 136 }, { 133, 134 }, { 130, 131 }, { 139, 140 },
        { 144, 145 }, { 146, 147 }, { 148, 149 }, { 151, 152 }, { 157, 158 },
    };
    if (proto == 1)
        return pair(v4, sizeof(v4) / sizeof(v4[0]), type);
    if (proto == 58)
        return pair(v6, sizeof(v6) / sizeof(v6[0]), type);
    return -1;
}
