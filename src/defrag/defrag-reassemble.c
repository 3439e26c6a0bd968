/*
 * Building the datagram once a tracker holds all its fragments.
 *
 * A datagram is complete when the last fragment (MF = 0) has been stored,
 * a fragment at offset 0 is there, and walking the fragments in offset order
 * finds no gap (each starts at or before the end of what came before). The
 * bytes are then laid out as Suricata 8's Defrag4Reassemble /
 * Defrag6Reassemble do:
 *  - fragments are copied in list order, each from offset + ltrim, so where
 *    trimming left overlaps the later copy wins;
 *  - a fragment at offset 0 brings its IP header and restarts the data
 *    length at its own length (RFC 791 section 3.2: the header of the
 *    first fragment becomes the datagram's header);
 *  - copying stops at the first fragment beyond the offset of a fragment
 *    that had MF = 0, but fragments at that same offset are still copied.
 *
 * IPv4 header (RFC 791):           IPv6 (RFC 8200) with fragment header:
 *   0  ver/ihl  tos  total length    0  ver/class/flow label
 *   4  id       flags|frag offset    4  payload length  next hdr  hop limit
 *   8  ttl  proto  header checksum   8  source (16), destination (16)
 *  12  source   16 destination      40  [unfragmentable ext headers]
 *  20  options                          frag hdr: nh, res, offset|M, id
 * The IPv4 total length and flags/offset words change, and the checksum is
 * adjusted for both with RFC 1624's incremental update. For IPv6 the
 * fragment header is left out, the payload length set, and the next-header
 * byte naming the fragment header now names what followed it. The packet
 * starts with the link-layer bytes of the fragment that gave the headers,
 * as Suricata's does; one that would not fit Suricata's packet buffer
 * (65604 bytes) or whose IPv4 length would pass 65535 fails.
 */
#include <stdlib.h>
#include <string.h>

#include "defrag/defrag-internal.h"
#include "util/bytes.h"

#define IPV4_MAX_LEN 65535u
#define IPV6_HDR_LEN 40u

static void wr_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). */
static uint16_t csum_adjust(uint16_t hc, uint16_t old_word, uint16_t new_word)
{
    uint32_t s = (uint32_t)(uint16_t)~hc + (uint16_t)~old_word + new_word;
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/* The gap check: each fragment must start within what the ones before it
 * cover. The first one is known to be at offset 0. */
static bool has_hole(const DefragTracker *tr)
{
    uint32_t len = 0;
    for (const DefragFrag *f = tr->head; f; f = f->next) {
        if (f->skip)
            continue;
        if (f->offset > len)
            return true;
        if (f->offset + f->data_len > len)
            len = f->offset + f->data_len;
    }
    return false;
}

/* Suricata's packet buffer: a rebuilt packet that would not fit fails. */
#define MAX_PACKET_BYTES (40u + 65536u + 28u)

/* What lay_out found. */
typedef struct Layout {
    const DefragFrag *hdr_frag; /* the offset-0 fragment whose headers were used last */
    uint32_t hdr_len; /* its IP header length */
    uint32_t frag_len; /* data length of the datagram */
    uint32_t copy_end; /* furthest byte written, counted from the IP header */
} Layout;

/* Lays the fragments out in `buf` (zeroed, large enough for any IP header
 * plus max_end), starting with the IP header. */
static void lay_out(const DefragTracker *tr, uint8_t *buf, Layout *lo)
{
    uint32_t hlen = 0, flen = 0, prev_offset = 0, end = 0;
    bool more = true;
    memset(lo, 0, sizeof(*lo));
    for (const DefragFrag *f = tr->head; f; f = f->next) {
        /* past the last fragment, unless at the same offset */
        if (!more && f->offset > prev_offset)
            break;
        if (f->skip || f->ltrim >= f->data_len)
            continue;
        if (f->offset == 0) {
            memcpy(buf, defrag_frag_hdr(f), (size_t)f->hdr_len + f->data_len);
            hlen = f->hdr_len;
            flen = f->data_len;
            lo->hdr_frag = f;
            if (hlen + flen > end)
                end = hlen + flen;
        } else {
            memcpy(buf + hlen + f->offset + f->ltrim, defrag_frag_data(f) + f->ltrim, f->data_len - f->ltrim);
            if (f->offset + f->data_len > flen)
                flen = f->offset + f->data_len;
            if (hlen + f->offset + f->data_len > end)
                end = hlen + f->offset + f->data_len;
        }
        more = f->more_frags;
        prev_offset = f->offset;
    }
    lo->hdr_len = hlen;
    lo->frag_len = flen;
    lo->copy_end = end;
}

/* The rebuilt packet: the link-layer bytes of the fragment that gave the
 * headers, then the `ip_len` bytes of the datagram in `ip`. */
static Packet *new_datagram(const Packet *p, const DefragFrag *hf, const uint8_t *ip, uint32_t ip_len)
{
    uint32_t len = hf->l2_len + ip_len;
    uint8_t *bytes = malloc(len);
    if (!bytes)
        return NULL;
    memcpy(bytes, hf->bytes, hf->l2_len);
    memcpy(bytes + hf->l2_len, ip, ip_len);
    Packet *np = packet_new();
    if (np)
        packet_set_data(np, bytes, len);
    free(bytes);
    if (!np || np->len != len) {
        packet_free(np);
        return NULL;
    }
    np->wire_len = len;
    np->datalink = hf->datalink;
    np->l3_off = hf->l2_len;
    np->l3_len = ip_len;
    np->ts = p->ts;
    np->pcap_cnt = p->pcap_cnt;
    np->src = PKT_SRC_DEFRAG;
    np->root = p->root ? p->root : (Packet *)p;
    np->tunnel_depth = p->tunnel_depth;
    np->has_ether = p->has_ether;
    memcpy(np->src_mac, p->src_mac, sizeof(np->src_mac));
    memcpy(np->dst_mac, p->dst_mac, sizeof(np->dst_mac));
    np->ether_type = p->ether_type;
    memcpy(np->vlan_id, p->vlan_id, sizeof(np->vlan_id));
    np->vlan_count = p->vlan_count;
    return np;
}

DefragReasm defrag_reassemble(DefragTracker *tr, const Packet *p, Packet **out)
{
    *out = NULL;
    if (!tr->seen_last)
        return DEFRAG_REASM_WAIT;
    const DefragFrag *first = tr->head;
    if (!first || first->offset != 0)
        return DEFRAG_REASM_WAIT; /* still waiting for the first fragment */
    const uint32_t min_hdr = tr->key.af == 4 ? 20 : IPV6_HDR_LEN;
    if ((uint32_t)first->hdr_len + first->data_len < min_hdr)
        return DEFRAG_REASM_FAIL;
    if (has_hole(tr))
        return DEFRAG_REASM_WAIT;

    uint32_t max_hdr = 0;
    for (const DefragFrag *f = tr->head; f && f->offset == 0; f = f->next)
        if (f->hdr_len > max_hdr)
            max_hdr = f->hdr_len;
    uint32_t cap = max_hdr + tr->max_end;
    uint8_t *buf = calloc(1, cap ? cap : 1);
    if (!buf)
        return DEFRAG_REASM_FAIL;

    Layout lo;
    lay_out(tr, buf, &lo);

    DefragReasm rc = DEFRAG_REASM_FAIL;
    const DefragFrag *hf = lo.hdr_frag;
    if (!hf || hf->l2_len + lo.copy_end > MAX_PACKET_BYTES) {
        /* no header to start from, or too big for Suricata's packet */
    } else if (tr->key.af == 4) {
        uint32_t total = lo.hdr_len + lo.frag_len;
        if (lo.hdr_len >= 20 && total <= IPV4_MAX_LEN) {
            uint16_t old_len = rd_be16(buf + 2), old_off = rd_be16(buf + 6);
            uint16_t csum = rd_be16(buf + 10);
            csum = csum_adjust(csum, old_len, (uint16_t)total);
            csum = csum_adjust(csum, old_off, 0);
            wr_be16(buf + 2, (uint16_t)total);
            wr_be16(buf + 6, 0);
            wr_be16(buf + 10, csum);
            *out = new_datagram(p, hf, buf, total);
            rc = *out ? DEFRAG_REASM_DONE : DEFRAG_REASM_FAIL;
        }
    } else {
        uint32_t unfrag = lo.hdr_len >= IPV6_HDR_LEN ? lo.hdr_len - IPV6_HDR_LEN : 0;
        uint32_t plen = unfrag + lo.frag_len;
        if (lo.hdr_len >= IPV6_HDR_LEN && plen <= 65535) {
            wr_be16(buf + 4, (uint16_t)plen);
            if (unfrag == 0)
                buf[6] = hf->frag_nh;
            *out = new_datagram(p, hf, buf, IPV6_HDR_LEN + plen);
            rc = *out ? DEFRAG_REASM_DONE : DEFRAG_REASM_FAIL;
        }
    }
    free(buf);
    return rc;
}
