/*
 * Flow keys: extraction from a packet, hashing, comparison with a flow and
 * the flow_id. The rules and their Suricata origin are in flow-key.h.
 *
 * The hash is a chain of 64-bit multiply-xorshift rounds (the splitmix64
 * finaliser) over the canonical key words. It is deliberately unseeded so a
 * capture always yields the same flow ids; the table's bucket chains are
 * therefore predictable, which an attacker could use to lengthen a chain --
 * the memcap and emergency mode still bound the damage.
 */
#include "flow/flow-key.h"

#include <string.h>

#define IPPROTO_ICMP_NUM 1
#define IPPROTO_TCP_NUM 6
#define IPPROTO_UDP_NUM 17
#define IPPROTO_ESP_NUM 50
#define IPPROTO_ICMPV6_NUM 58

#define ICMP4_DEST_UNREACH 3

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* Bytes 8i..8i+7 of the address as a big-endian number (the same on any
 * host, so flow ids are too). */
static uint64_t addr_word(const Address *a, unsigned i)
{
    const uint8_t *b = a->addr + i * 8;
    return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 | (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
           (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 | (uint64_t)b[6] << 8 | (uint64_t)b[7];
}

/* One absorbing round: bijective in h for a given word, cheap. */
static inline uint64_t absorb(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
    return h << 29 | h >> 35;
}

bool flow_address_equal(const Address *a, const Address *b)
{
    if (a->family != b->family)
        return false;
    uint64_t x[2], y[2];
    if (a->family != 6) {
        uint32_t u, v;
        memcpy(&u, a->addr, 4);
        memcpy(&v, b->addr, 4);
        return u == v;
    }
    memcpy(x, a->addr, 16);
    memcpy(y, b->addr, 16);
    return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}


/* Orders addresses for the symmetric hash (numerically, by 64-bit words). */
static bool addr_greater(const Address *a, const Address *b)
{
    uint64_t a0 = addr_word(a, 0), b0 = addr_word(b, 0);
    if (a0 != b0 || a->family != 6)
        return a0 > b0;
    return addr_word(a, 1) > addr_word(b, 1);
}

static bool icmp4_is_error(uint8_t type)
{
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

int flow_icmp4_counterpart(uint8_t type)
{
    switch (type) {
    case 8: return 0; /* echo */
    case 0: return 8;
    case 13: return 14; /* timestamp */
    case 14: return 13;
    case 15: return 16; /* information */
    case 16: return 15;
    case 10: return 9; /* router solicitation / advertisement */
    case 9: return 10;
    case 17: return 18; /* address mask */
    case 18: return 17;
    default: return -1;
    }
}

int flow_icmp6_counterpart(uint8_t type)
{
    static const uint8_t pairs[][2] = {
        { 128, 129 }, /* echo */
        { 135, 136 }, /* neighbour solicitation / advertisement */
        { 133, 134 }, /* router solicitation / advertisement */
        { 130, 131 }, /* MLD query / report */
        { 139, 140 }, /* node information */
        { 144, 145 }, /* home agent address discovery */
        { 146, 147 }, /* mobile prefix */
        { 148, 149 }, /* certification path */
        { 151, 152 }, /* multicast router advertisement / solicitation */
        { 157, 158 }, /* duplicate address request / confirmation */
    };
    for (unsigned i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        if (pairs[i][0] == type)
            return pairs[i][1];
        if (pairs[i][1] == type)
            return pairs[i][0];
    }
    return -1;
}

static void key_hash(FlowKey *k)
{
    const Address *lo = &k->src, *hi = &k->dst;
    uint16_t a = k->sp, b = k->dp;
    if (k->kind == FLOW_KEY_ICMP4_TYPES) {
        a = k->icmp_s;
        b = k->icmp_d;
    }
    if (addr_greater(lo, hi)) {
        const Address *t = lo;
        lo = hi;
        hi = t;
    }
    uint16_t pmin = a < b ? a : b, pmax = a < b ? b : a;

    uint64_t h = 0x6f646c6172666c6fULL; /* "odlarflo" */
    h = absorb(h, (uint64_t)k->proto | (uint64_t)k->recursion << 8 | (uint64_t)k->kind << 16 |
                      (uint64_t)lo->family << 24 | (uint64_t)pmin << 32 | (uint64_t)pmax << 48);
    h = absorb(h, (uint64_t)k->vlan[0] | (uint64_t)k->vlan[1] << 16 | (uint64_t)k->vlan[2] << 32 |
                      (uint64_t)k->spi << 48);
    h = absorb(h, (uint64_t)k->spi >> 16);
    unsigned words = lo->family == 6 ? 2 : 1;
    for (unsigned i = 0; i < words; i++) {
        h = absorb(h, addr_word(lo, i));
        h = absorb(h, addr_word(hi, i));
    }
    k->hash = mix64(h);
}

static void key_common(const Packet *p, bool vlan_tracking, bool recursion_tracking, FlowKey *k)
{
    memset(k, 0, sizeof(*k));
    /* decoder.recursion-level.use-for-tracking: off, a packet inside a
     * tunnel and one outside it can share a flow */
    k->recursion = recursion_tracking ? p->tunnel_depth : 0;
    if (vlan_tracking) {
        for (unsigned i = 0; i < PACKET_MAX_VLANS && i < p->vlan_count; i++)
            k->vlan[i] = p->vlan_id[i];
    }
}

FlowKeyUse flow_key_from_packet(const Packet *p, bool vlan_tracking, bool recursion_tracking, FlowKey *k)
{
    if (!p->flow_ok || (p->ip_version != 4 && p->ip_version != 6))
        return FLOW_KEY_NONE;
    if (p->src_addr.family != p->ip_version || p->dst_addr.family != p->ip_version)
        return FLOW_KEY_NONE;

    key_common(p, vlan_tracking, recursion_tracking, k);
    FlowKeyUse use = FLOW_KEY_CREATE;

    if (p->proto == IPPROTO_ICMP_NUM && p->ip_version == 4) {
        const IcmpEmbedded *e = &p->icmp_emb;
        if (p->icmp_type == ICMP4_DEST_UNREACH && e->valid && e->has_ports &&
            (e->proto == IPPROTO_TCP_NUM || e->proto == IPPROTO_UDP_NUM) && e->src.family == 4 &&
            e->dst.family == 4) {
            k->src = e->src;
            k->dst = e->dst;
            k->sp = e->sp;
            k->dp = e->dp;
            k->proto = e->proto;
            k->kind = FLOW_KEY_PORTS;
            key_hash(k);
            return FLOW_KEY_LOOKUP_ONLY;
        }
        if (icmp4_is_error(p->icmp_type))
            return FLOW_KEY_NONE;
        k->kind = FLOW_KEY_ICMP4_TYPES;
        k->icmp_s = p->icmp_type;
        int c = flow_icmp4_counterpart(p->icmp_type);
        k->icmp_d = c < 0 ? 0 : (uint8_t)c;
    } else if (p->proto == IPPROTO_ICMPV6_NUM || p->proto == IPPROTO_ICMP_NUM) {
        k->kind = FLOW_KEY_PORTS; /* ports stay 0 */
    } else if (p->proto == IPPROTO_ESP_NUM) {
        k->kind = FLOW_KEY_ESP;
        k->spi = p->esp_spi;
    } else {
        k->kind = FLOW_KEY_PORTS;
        k->sp = p->sp;
        k->dp = p->dp;
    }
    k->src = p->src_addr;
    k->dst = p->dst_addr;
    k->proto = p->proto;
    key_hash(k);
    return use;
}

static bool vlans_equal(const Flow *f, const FlowKey *k)
{
    for (unsigned i = 0; i < PACKET_MAX_VLANS; i++)
        if (f->vlan_key[i] != k->vlan[i])
            return false;
    return true;
}

bool flow_key_match(const Flow *f, const FlowKey *k)
{
    if (f->hash != (uint32_t)k->hash || f->proto != k->proto || f->recursion_level != k->recursion ||
        !vlans_equal(f, k))
        return false;
    switch ((FlowKeyKind)k->kind) {
    case FLOW_KEY_ESP:
        return f->esp_spi == k->spi && flow_address_equal(&f->src, &k->src) &&
               flow_address_equal(&f->dst, &k->dst);
    case FLOW_KEY_ICMP4_TYPES: {
        uint8_t fs = f->icmp_type, fd = f->icmp_reply_type;
        /* both orientations are tried: with equal addresses (loopback) the
         * first may match on addresses but not on types */
        if (flow_address_equal(&f->src, &k->src) && flow_address_equal(&f->dst, &k->dst) && fs == k->icmp_s &&
            fd == k->icmp_d)
            return true;
        return flow_address_equal(&f->src, &k->dst) && flow_address_equal(&f->dst, &k->src) && fs == k->icmp_d &&
               fd == k->icmp_s;
    }
    case FLOW_KEY_PORTS:
        break;
    }
    if (f->proto == IPPROTO_ICMP_NUM && f->ip_version == 4)
        return false; /* ICMPv4 flows are only found through their types */
    /* both orientations are tried: with equal addresses (loopback) the
     * first matches on addresses and must still be compared on ports */
    if (flow_address_equal(&f->src, &k->src) && flow_address_equal(&f->dst, &k->dst) && f->sp == k->sp &&
        f->dp == k->dp)
        return true;
    return flow_address_equal(&f->src, &k->dst) && flow_address_equal(&f->dst, &k->src) && f->sp == k->dp &&
           f->dp == k->sp;
}

void flow_key_to_flow(const FlowKey *k, const Packet *p, Flow *f)
{
    f->src = k->src;
    f->dst = k->dst;
    f->sp = k->sp;
    f->dp = k->dp;
    f->proto = k->proto;
    f->ip_version = p->ip_version;
    f->recursion_level = k->recursion;
    f->esp_spi = k->spi;
    f->hash = (uint32_t)k->hash;
    for (unsigned i = 0; i < PACKET_MAX_VLANS; i++) {
        f->vlan_key[i] = k->vlan[i];
        f->vlan_id[i] = i < p->vlan_count ? p->vlan_id[i] : 0;
    }
    f->vlan_count = p->vlan_count > PACKET_MAX_VLANS ? PACKET_MAX_VLANS : p->vlan_count;
    if (k->proto == IPPROTO_ICMP_NUM && p->ip_version == 4) {
        f->icmp_type = k->icmp_s;
        f->icmp_code = p->icmp_code;
        f->icmp_reply_type = k->icmp_d;
    } else if (k->proto == IPPROTO_ICMPV6_NUM) {
        f->icmp_type = p->icmp_type;
        f->icmp_code = p->icmp_code;
        int c = flow_icmp6_counterpart(p->icmp_type);
        f->icmp_reply_type = c < 0 ? 0 : (uint8_t)c;
    }
    f->icmp_reply_code = 0;
}

uint64_t flow_id_make(uint64_t hash, OdTime start)
{
    uint64_t id = mix64(hash ^ mix64((uint64_t)start ^ 0x9e3779b97f4a7c15ULL)) & 0x7ffffffffffffULL;
    return id ? id : 1;
}
