/*
 * Header sticky buffers: ipv4.hdr, ipv6.hdr, icmpv4.hdr, icmpv6.hdr,
 * tcp.hdr and udp.hdr select the raw bytes of one header of the packet, so
 * content, byte_test, bsize, isdataat, pcre and transforms can inspect them
 * (Suricata 8). The extents are those of the wire formats: the IPv4 header
 * with its options (RFC 791, IHL * 4 bytes), the fixed 40-byte IPv6 header
 * (RFC 8200 section 3; extension headers are not part of it), the TCP
 * header with its options (RFC 9293, data offset * 4), the 8-byte UDP
 * header (RFC 768), and the ICMPv4 / ICMPv6 header as the decoder measured
 * it (RFC 792 / RFC 4443: type, code, checksum and the type's fixed part,
 * which ends where the ICMP payload starts).
 *
 * Each buffer is registered in the buffer registry as a packet buffer
 * (buffer_register_packet), which keeps it out of transaction inspection and
 * of the multi-pattern prefilter. The sticky keyword switches the parser to
 * the buffer's list and, the first time in a rule, puts itself on
 * SIG_LIST_MATCH: as a packet keyword it then inspects that list against
 * the header of every packet the rule sees, and fails when the packet has
 * no such header.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/buffer-registry.h"
#include "detect/detect-app.h"
#include "detect/detect-engine.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/kw-header.h"
#include "detect/kw-hdrkw.h"
#include "detect/rule-parse.h"

#define IPV6_FIXED_HEADER_LEN 40
#define UDP_FIXED_HEADER_LEN 8
#define TCP_MIN_HEADER_LEN 20

/* The bytes [off, off + n) of the packet, when all of them were captured. */
static bool packet_range(const Packet *p, uint32_t off, uint32_t n, const uint8_t **data, uint32_t *len)
{
    if (n == 0 || off > p->len || n > p->len - off)
        return false;
    *data = p->buf + off;
    *len = n;
    return true;
}

bool hdr_buffer_get(const Packet *p, HdrBufferKind kind, const uint8_t **data, uint32_t *len)
{
    if (p == NULL || p->buf == NULL || hdr_packet_is_pseudo(p))
        return false;
    switch (kind) {
    case HDR_BUF_IPV4:
        return p->ip_version == 4 && p->ip4.hlen >= 20 && packet_range(p, p->l3_off, p->ip4.hlen, data, len);
    case HDR_BUF_IPV6:
        return p->ip_version == 6 && packet_range(p, p->l3_off, IPV6_FIXED_HEADER_LEN, data, len);
    case HDR_BUF_TCP:
        return p->proto == 6 && p->tcp.hlen >= TCP_MIN_HEADER_LEN && p->l4_len >= p->tcp.hlen &&
               packet_range(p, p->l4_off, p->tcp.hlen, data, len);
    case HDR_BUF_UDP:
        return p->proto == 17 && p->l4_len >= UDP_FIXED_HEADER_LEN &&
               packet_range(p, p->l4_off, UDP_FIXED_HEADER_LEN, data, len);
    case HDR_BUF_ICMPV4:
    case HDR_BUF_ICMPV6: {
        const bool v4 = kind == HDR_BUF_ICMPV4;
        if (p->proto != (v4 ? 1 : 58) || p->ip_version != (v4 ? 4 : 6) || p->payload_off < p->l4_off)
            return false;
        uint32_t hlen = p->payload_off - p->l4_off;
        if (hlen > p->l4_len)
            hlen = p->l4_len;
        return packet_range(p, p->l4_off, hlen, data, len);
    }
    default:
        return false;
    }
}

typedef struct HdrBufferInfo {
    const char *name;
    const char *help;
    HdrBufferKind kind;
    uint8_t ipproto; /* the protocol the rule must allow, 0: any (IP buffers) */
    int buffer_id; /* set at registration */
    uint16_t kw_id;
} HdrBufferInfo;

static HdrBufferInfo infos[HDR_BUF_COUNT] = {
    {"ipv4.hdr", "sticky buffer: the IPv4 header with its options", HDR_BUF_IPV4, 0, -1, 0},
    {"ipv6.hdr", "sticky buffer: the fixed 40-byte IPv6 header", HDR_BUF_IPV6, 0, -1, 0},
    {"icmpv4.hdr", "sticky buffer: the ICMPv4 header", HDR_BUF_ICMPV4, 1, -1, 0},
    {"icmpv6.hdr", "sticky buffer: the ICMPv6 header", HDR_BUF_ICMPV6, 58, -1, 0},
    {"tcp.hdr", "sticky buffer: the TCP header with its options", HDR_BUF_TCP, 6, -1, 0},
    {"udp.hdr", "sticky buffer: the 8-byte UDP header", HDR_BUF_UDP, 17, -1, 0},
};

#define PACKET_GETTER(fn, k) \
    static bool fn(const struct Packet *p, const uint8_t **data, uint32_t *len) \
    { \
        return hdr_buffer_get(p, k, data, len); \
    }
PACKET_GETTER(get_ipv4, HDR_BUF_IPV4)
PACKET_GETTER(get_ipv6, HDR_BUF_IPV6)
PACKET_GETTER(get_icmpv4, HDR_BUF_ICMPV4)
PACKET_GETTER(get_icmpv6, HDR_BUF_ICMPV6)
PACKET_GETTER(get_tcp, HDR_BUF_TCP)
PACKET_GETTER(get_udp, HDR_BUF_UDP)
static const BufferPacketGetFn getters[HDR_BUF_COUNT] = {get_ipv4, get_ipv6, get_icmpv4, get_icmpv6, get_tcp, get_udp};

static bool sig_has_matcher(const Signature *s, uint16_t kw)
{
    const SigMatchList *l = sig_list(s, SIG_LIST_MATCH);
    for (uint16_t i = 0; l && i < l->count; i++)
        if (l->items[i].kw == kw)
            return true;
    return false;
}

static bool rule_allows(const Signature *s, uint8_t ipproto)
{
    return ipproto == 0 || s->proto_any || (s->proto[ipproto / 8] & (1u << (ipproto % 8)));
}

/* setup shared by the six keywords: the keyword name comes from the table
 * entry whose setup runs, so each has its own small wrapper */
static bool hdr_buffer_setup(RuleParseCtx *rp, Signature *s, HdrBufferKind kind)
{
    HdrBufferInfo *in = &infos[kind];
    if (in->buffer_id < 0)
        return rule_error(rp, "internal error: buffer '%s' is not registered", in->name);
    if (!rule_allows(s, in->ipproto))
        return rule_error(rp, "'%s' cannot be used in a rule whose protocol excludes it", in->name);
    rp->current_list = buffer_list_id(in->buffer_id);
    if (!sig_has_matcher(s, in->kw_id) && rule_append(rp, s, SIG_LIST_MATCH, in->kw_id, NULL) == NULL)
        return rule_error(rp, "out of memory");
    return true;
}

#define STICKY_SETUP(fn, k) \
    static bool fn(RuleParseCtx *rp, Signature *s, const char *value) \
    { \
        (void)value; \
        return hdr_buffer_setup(rp, s, k); \
    }
STICKY_SETUP(setup_ipv4, HDR_BUF_IPV4)
STICKY_SETUP(setup_ipv6, HDR_BUF_IPV6)
STICKY_SETUP(setup_icmpv4, HDR_BUF_ICMPV4)
STICKY_SETUP(setup_icmpv6, HDR_BUF_ICMPV6)
STICKY_SETUP(setup_tcp, HDR_BUF_TCP)
STICKY_SETUP(setup_udp, HDR_BUF_UDP)
static bool (*const setups[HDR_BUF_COUNT])(RuleParseCtx *, Signature *, const char *) = {
    setup_ipv4, setup_ipv6, setup_icmpv4, setup_icmpv6, setup_tcp, setup_udp};

/* Inspects the buffer's list (after its transforms) against the header. */
static bool inspect_header(struct DetectThread *dt, const Packet *p, const Signature *s, const HdrBufferInfo *in)
{
    const uint8_t *data = NULL;
    uint32_t len = 0;
    if (!hdr_buffer_get(p, in->kind, &data, &len))
        return false;
    /* every instance of the buffer's list (another one starts at a
     * transform after a content) must match; none: the header exists */
    for (uint16_t i = 0; i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        if (l->count == 0 || sig_list_plain(l->list_id) != buffer_list_id(in->buffer_id))
            continue;
        const uint8_t *d = data;
        uint32_t n = len;
        InspectBuffer scratch = {.owned = dt->app_xform_owned, .owned_cap = dt->app_xform_cap};
        bool ok = detect_app_transform(l, &d, &n, &scratch);
        dt->app_xform_owned = scratch.owned; /* the worker's scratch, freed with it */
        dt->app_xform_cap = scratch.owned_cap;
        if (!ok || !inspect_buffer(dt, s, l, d ? d : (const uint8_t *)"", n, INSPECT_BUF_APP, p))
            return false;
    }
    return true;
}

#define MATCHER(fn, k) \
    static bool fn(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx) \
    { \
        (void)ctx; \
        return inspect_header(dt, p, s, &infos[k]); \
    }
MATCHER(match_ipv4, HDR_BUF_IPV4)
MATCHER(match_ipv6, HDR_BUF_IPV6)
MATCHER(match_icmpv4, HDR_BUF_ICMPV4)
MATCHER(match_icmpv6, HDR_BUF_ICMPV6)
MATCHER(match_tcp, HDR_BUF_TCP)
MATCHER(match_udp, HDR_BUF_UDP)
static bool (*const matchers[HDR_BUF_COUNT])(struct DetectThread *, const Packet *, const Signature *,
                                             const void *) = {match_ipv4, match_ipv6, match_icmpv4,
                                                              match_icmpv6, match_tcp, match_udp};

void hdrkw_register_hdr_buffers(void)
{
    for (int i = 0; i < HDR_BUF_COUNT; i++) {
        HdrBufferInfo *in = &infos[i];
        BufferDef b;
        memset(&b, 0, sizeof(b));
        b.name = in->name;
        b.proto = APP_PROTO_UNKNOWN;
        b.dirs = BUF_DIR_BOTH;
        in->buffer_id = buffer_register_packet(&b, getters[i]);
        KeywordDef d;
        memset(&d, 0, sizeof(d));
        d.name = in->name;
        d.help = in->help;
        d.flags = KW_NOOPT | KW_STICKY_BUFFER;
        d.setup = setups[i];
        d.match_packet = matchers[i];
        in->kw_id = keyword_register(&d);
    }
}
