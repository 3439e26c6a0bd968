/*
 * The workers' flow-spreading hash (contract in worker-select.h).
 *
 * Header layouts: Ethernet II and 802.1Q/802.1ad tags (IEEE 802.1Q), PPPoE
 * session stage (RFC 2516) with PPP protocol numbers 0x0021/0x0057 (RFC 1661,
 * RFC 5072), Linux cooked capture v1 (16 bytes, protocol at offset 14) and v2
 * (20 bytes, protocol at offset 0), BSD loopback (4-byte address family in
 * host order), IPv4 (RFC 791: addresses at 12 and 16) with ICMPv4 error
 * messages quoting the original header 8 bytes into the ICMP message
 * (RFC 792), IPv6 (RFC 8200: addresses at 8 and 24).
 */
#include "engine/worker-select.h"

#include <stdbool.h>

#include "decode/packet.h"
#include "util/bytes.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
#define ETHERTYPE_PPPOE_SESS 0x8864
#define PPP_IPV4 0x0021
#define PPP_IPV6 0x0057
#define MAX_TAGS 8

/* splitmix64's finalizer: every input bit reaches every output bit, so
 * that `% workers` and the balance table may use any of them. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Never 0, so 0 can mean "no IP". */
static uint32_t fold(uint64_t h)
{
    uint32_t r = (uint32_t)(h ^ (h >> 32));
    return r ? r : 1;
}

/* Symmetric: the smaller address goes first. The addresses are read as
 * whole words -- this runs for every packet in every worker. */
static uint32_t hash_pair4(const uint8_t *a, const uint8_t *b)
{
    uint64_t x = rd_be32(a), y = rd_be32(b);
    uint64_t lo = x < y ? x : y, hi = x < y ? y : x;
    return fold(mix64(lo << 32 | hi));
}

static uint32_t hash_pair16(const uint8_t *a, const uint8_t *b)
{
    uint64_t a0 = rd_be64(a), a1 = rd_be64(a + 8), b0 = rd_be64(b), b1 = rd_be64(b + 8);
    if (a0 > b0 || (a0 == b0 && a1 > b1)) {
        uint64_t t0 = a0, t1 = a1;
        a0 = b0;
        a1 = b1;
        b0 = t0;
        b1 = t1;
    }
    uint64_t h = mix64(a0);
    h = mix64(h ^ a1);
    h = mix64(h ^ b0);
    return fold(mix64(h ^ b1));
}

static bool icmp4_is_error(uint8_t type)
{
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

static uint32_t hash_ipv4(ByteReader r)
{
    const uint8_t *ip;
    if (!br_bytes(&r, 20, &ip) || (ip[0] >> 4) != 4)
        return 0;
    size_t hlen = (size_t)(ip[0] & 0x0f) * 4;
    uint16_t frag = rd_be16(ip + 6);
    /* an ICMPv4 error in a first (or only) fragment: the quoted packet's pair */
    if (ip[9] == 1 && (frag & 0x1fff) == 0 && hlen >= 20) {
        ByteReader icmp = r; /* after the 20 fixed bytes */
        const uint8_t *h;
        if (br_skip(&icmp, hlen - 20) && br_bytes(&icmp, 8, &h) && icmp4_is_error(h[0])) {
            const uint8_t *inner;
            if (br_bytes(&icmp, 20, &inner) && (inner[0] >> 4) == 4)
                return hash_pair4(inner + 12, inner + 16);
        }
    }
    return hash_pair4(ip + 12, ip + 16);
}

static uint32_t hash_ipv6(ByteReader r)
{
    const uint8_t *ip;
    if (!br_bytes(&r, 40, &ip) || (ip[0] >> 4) != 6)
        return 0;
    return hash_pair16(ip + 8, ip + 24);
}

/* Raw IP: the version nibble decides. */
static uint32_t hash_ip(ByteReader r)
{
    uint8_t v;
    if (!br_has(&r, 1))
        return 0;
    v = rd_u8(br_cursor(&r)) >> 4;
    if (v == 4)
        return hash_ipv4(r);
    if (v == 6)
        return hash_ipv6(r);
    return 0;
}

static uint32_t hash_ethertype(ByteReader r, uint16_t type)
{
    for (int tags = 0; tags < MAX_TAGS; tags++) {
        switch (type) {
        case ETHERTYPE_IPV4: return hash_ipv4(r);
        case ETHERTYPE_IPV6: return hash_ipv6(r);
        case ETHERTYPE_VLAN:
        case ETHERTYPE_QINQ:
        case ETHERTYPE_QINQ_OLD:
            /* tag control information, then the next type */
            if (!br_skip(&r, 2) || !br_be16(&r, &type))
                return 0;
            break;
        case ETHERTYPE_PPPOE_SESS: {
            uint16_t ppp;
            /* ver/type, code, session id, length; then the PPP protocol */
            if (!br_skip(&r, 6) || !br_be16(&r, &ppp))
                return 0;
            if (ppp == PPP_IPV4)
                return hash_ipv4(r);
            if (ppp == PPP_IPV6)
                return hash_ipv6(r);
            return 0;
        }
        default: return 0;
        }
    }
    return 0;
}

uint32_t worker_select_hash(const uint8_t *data, size_t len, int datalink)
{
    ByteReader r = br_init(data, len);
    uint16_t type;
    uint32_t family;
    switch (datalink) {
    case LINKTYPE_ETHERNET:
        if (!br_skip(&r, 12) || !br_be16(&r, &type))
            return 0;
        return hash_ethertype(r, type);
    case LINKTYPE_LINUX_SLL:
        if (!br_skip(&r, 14) || !br_be16(&r, &type))
            return 0;
        return hash_ethertype(r, type);
    case LINKTYPE_LINUX_SLL2:
        if (!br_be16(&r, &type) || !br_skip(&r, 18))
            return 0;
        return hash_ethertype(r, type);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
        /* the family is in the writer's byte order: either way 2 is IPv4 and
         * 24/28/30 are IPv6; the IP version nibble settles it */
        if (!br_le32(&r, &family))
            return 0;
        return hash_ip(r);
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_ALT:
    case LINKTYPE_RAW_LINKTYPE:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
    case LINKTYPE_GRE_OVER_IP:
        return hash_ip(r);
    default:
        return 0;
    }
}

uint32_t worker_select(const uint8_t *data, size_t len, int datalink, uint32_t workers)
{
    if (workers <= 1)
        return 0;
    uint32_t h = worker_select_hash(data, len, datalink);
    return h == 0 ? 0 : h % workers;
}
