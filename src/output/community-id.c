/*
 * Community ID v1 (see community-id.h): the ordering of the endpoints, the
 * ICMP type pairs, then SHA-1 and base64 through OpenSSL.
 */
#include "output/community-id.h"

#include <string.h>

#include <openssl/evp.h>

/* The counterpart of an ICMP request/reply type, or -1 (one-way message). */
static int icmp_counterpart(uint8_t proto, uint16_t type)
{
    static const uint8_t v4[][2] = { { 8, 0 }, { 13, 14 }, { 15, 16 }, { 10, 9 }, { 17, 18 } };
    static const uint8_t v6[][2] = { { 128, 129 }, { 133, 134 }, { 135, 136 }, { 130, 131 },
                                     { 139, 140 }, { 144, 145 } };
    const uint8_t(*map)[2] = proto == 1 ? v4 : v6;
    size_t n = proto == 1 ? sizeof(v4) / sizeof(v4[0]) : sizeof(v6) / sizeof(v6[0]);
    for (size_t i = 0; i < n; i++) {
        if (map[i][0] == type)
            return map[i][1];
        if (map[i][1] == type)
            return map[i][0];
    }
    return -1;
}

bool community_id(uint16_t seed, const Address *src, const Address *dst, uint8_t proto, uint16_t sp,
                  uint16_t dp, char out[COMMUNITY_ID_LEN + 1])
{
    if (src->family != dst->family || (src->family != 4 && src->family != 6))
        return false;
    const size_t alen = src->family == 4 ? 4 : 16;
    bool one_way = false;
    if (proto == 1 || proto == 58) {
        int peer = icmp_counterpart(proto, sp);
        if (peer >= 0)
            dp = (uint16_t)peer;
        else
            one_way = true;
    }
    const Address *a = src, *b = dst;
    int c = memcmp(a->addr, b->addr, alen);
    if (!one_way && (c > 0 || (c == 0 && sp > dp))) {
        const Address *t = a;
        a = b;
        b = t;
        uint16_t tp = sp;
        sp = dp;
        dp = tp;
    }
    uint8_t buf[2 + 16 + 16 + 2 + 4];
    size_t n = 0;
    buf[n++] = (uint8_t)(seed >> 8);
    buf[n++] = (uint8_t)seed;
    memcpy(buf + n, a->addr, alen);
    n += alen;
    memcpy(buf + n, b->addr, alen);
    n += alen;
    buf[n++] = proto;
    buf[n++] = 0;
    const bool ports = proto == 1 || proto == 58 || proto == 6 || proto == 17 || proto == 132;
    if (ports) {
        buf[n++] = (uint8_t)(sp >> 8);
        buf[n++] = (uint8_t)sp;
        buf[n++] = (uint8_t)(dp >> 8);
        buf[n++] = (uint8_t)dp;
    }
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    if (EVP_Digest(buf, n, md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20)
        return false;
    out[0] = '1';
    out[1] = ':';
    EVP_EncodeBlock((unsigned char *)out + 2, md, 20); /* 28 characters and a NUL */
    return true;
}
