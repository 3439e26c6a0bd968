/*
 * What a fragment packet tells defrag: its tracker key and its piece of the
 * datagram, read from the IP header bytes at p->l3_off.
 *
 * IPv4 (RFC 791 section 3.1): the datagram is identified by source,
 * destination, protocol and Identification; Fragment Offset counts 8-byte
 * units, MF (0x2000 of the flags/offset word) says more follow; the data is
 * what follows the header up to Total Length.
 *
 *   0      4      8             16   19             31
 *   | ver  | ihl  | tos          | total length      |
 *   | identification             |flg| fragment offset|
 *   | ttl         | protocol     | header checksum   |
 *
 * IPv6 (RFC 8200 section 4.5): the Fragment header, after the unfragmentable
 * headers, carries the offset (8-byte units, upper 13 bits of its second
 * word), the M flag and a 32-bit Identification; the data is what follows
 * it up to the end of the IPv6 payload.
 *
 *   | next header | reserved | fragment offset    |res|M|
 *   | identification (32)                              |
 *
 * As in Suricata the key also holds the VLAN ids, and the IPv6 key has no
 * protocol. Packets whose header does not fit the captured bytes are not
 * fragments defrag can use; the decoder has already flagged them.
 */
#include <string.h>

#include "defrag/defrag-input.h"
#include "util/bytes.h"

#define IPV6_HDR_LEN 40u
#define IPV6_FRAG_HDR_LEN 8u

static void set_addr(Address *a, uint8_t family, const uint8_t *bytes, size_t n)
{
    memset(a, 0, sizeof(*a));
    a->family = family;
    memcpy(a->addr, bytes, n);
}

static bool read_ipv4(const uint8_t *l3, uint32_t l3_len, DefragFragInfo *fi, DefragKey *key)
{
    ByteReader r = br_init(l3, l3_len);
    uint8_t ver_ihl, proto;
    uint16_t total_len, id, flags_off;
    if (!br_u8(&r, &ver_ihl) || !br_skip(&r, 1) || !br_be16(&r, &total_len) || !br_be16(&r, &id) ||
        !br_be16(&r, &flags_off) || !br_skip(&r, 1) || !br_u8(&r, &proto) || !br_skip(&r, 2) ||
        !br_has(&r, 8))
        return false;
    uint32_t hlen = (uint32_t)(ver_ihl & 0x0f) * 4;
    if ((ver_ihl >> 4) != 4 || hlen < 20 || total_len < hlen || total_len > l3_len)
        return false;
    fi->af = 4;
    fi->more_frags = (flags_off & 0x2000) != 0;
    fi->offset = (uint32_t)(flags_off & 0x1fff) * 8;
    fi->hdr = l3;
    fi->hdr_len = (uint16_t)hlen;
    fi->data = l3 + hlen;
    fi->data_len = total_len - hlen;
    fi->frag_nh = 0;
    fi->prev_nh_off = 0;
    key->af = 4;
    key->proto = proto;
    key->id = id;
    set_addr(&key->src, 4, l3 + 12, 4);
    set_addr(&key->dst, 4, l3 + 16, 4);
    return true;
}

static bool read_ipv6(const Packet *p, const uint8_t *l3, uint32_t l3_len, DefragFragInfo *fi, DefragKey *key)
{
    if (l3_len < IPV6_HDR_LEN || (rd_u8(l3) >> 4) != 6)
        return false;
    uint32_t total = IPV6_HDR_LEN + rd_be16(l3 + 4);
    uint32_t fh = p->ip6.frag_hdr_offset;
    if (total > l3_len || fh < IPV6_HDR_LEN || fh + IPV6_FRAG_HDR_LEN > total)
        return false;
    ByteReader r = br_init(l3 + fh, IPV6_FRAG_HDR_LEN);
    uint8_t nh;
    uint16_t offlg;
    uint32_t id;
    if (!br_u8(&r, &nh) || !br_skip(&r, 1) || !br_be16(&r, &offlg) || !br_be32(&r, &id))
        return false;
    fi->af = 6;
    fi->more_frags = (offlg & 0x0001) != 0;
    fi->offset = offlg & 0xfff8; /* 13-bit count of 8-byte units, already shifted */
    fi->hdr = l3;
    fi->hdr_len = (uint16_t)fh;
    fi->data = l3 + fh + IPV6_FRAG_HDR_LEN;
    fi->data_len = total - fh - IPV6_FRAG_HDR_LEN;
    fi->frag_nh = nh;
    fi->prev_nh_off = p->ip6.frag_prev_nh_off;
    key->af = 6;
    key->proto = 0;
    key->id = id;
    set_addr(&key->src, 6, l3 + 8, 16);
    set_addr(&key->dst, 6, l3 + 24, 16);
    return true;
}

bool defrag_read_fragment(const Packet *p, DefragFragInfo *fi, DefragKey *key)
{
    memset(fi, 0, sizeof(*fi));
    memset(key, 0, sizeof(*key));
    if (!p->buf || p->l3_off > p->len || p->l3_len > p->len - p->l3_off)
        return false;
    const uint8_t *l3 = p->buf + p->l3_off;
    bool ok;
    if (p->ip_version == 4)
        ok = read_ipv4(l3, p->l3_len, fi, key);
    else if (p->ip_version == 6)
        ok = read_ipv6(p, l3, p->l3_len, fi, key);
    else
        ok = false;
    if (!ok)
        return false;
    fi->l2 = p->buf;
    fi->l2_len = p->l3_off;
    fi->datalink = p->datalink;
    uint8_t nvlan = p->vlan_count < PACKET_MAX_VLANS ? p->vlan_count : PACKET_MAX_VLANS;
    for (uint8_t i = 0; i < nvlan; i++)
        key->vlan_id[i] = p->vlan_id[i];
    return true;
}
