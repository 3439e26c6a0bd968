/*
 * Checksum keywords: ipv4-csum, tcpv4-csum, tcpv6-csum, udpv4-csum,
 * udpv6-csum, icmpv4-csum and icmpv6-csum, each `valid` or `invalid`
 * (Suricata's spelling). The checksum is recomputed here through the
 * decoder's own routines (decode_ipv4_checksum_ok, decode_l4_checksum_ok:
 * the RFC 1071 one's-complement sum over the IPv4 header, or over the
 * RFC 793 / RFC 768 / RFC 8200 section 8.1 pseudo-header and segment), so
 * the keyword works whatever the capture's checksum-validation setting.
 * A keyword does not match packets that do not carry its checksum (another
 * protocol or IP version, a fragment, a truncated segment, or an IPv4 UDP
 * datagram sent without a checksum).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode/decode.h"
#include "detect/keyword.h"
#include "detect/kw-hdrkw.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"

typedef struct CsumCtx {
    uint8_t kind; /* CsumKind */
    bool want_valid;
} CsumCtx;

typedef struct CsumKw {
    const char *name;
    CsumKind kind;
    uint8_t version; /* IP version */
    uint8_t proto; /* transport protocol, 0 for the IPv4 header */
    uint16_t id;
} CsumKw;

static CsumKw csum_kws[] = {
    {"ipv4-csum", CSUM_IPV4, 4, 0, 0},    {"tcpv4-csum", CSUM_TCPV4, 4, 6, 0},
    {"tcpv6-csum", CSUM_TCPV6, 6, 6, 0},  {"udpv4-csum", CSUM_UDPV4, 4, 17, 0},
    {"udpv6-csum", CSUM_UDPV6, 6, 17, 0}, {"icmpv4-csum", CSUM_ICMPV4, 4, 1, 0},
    {"icmpv6-csum", CSUM_ICMPV6, 6, 58, 0},
};
#define CSUM_KW_COUNT (sizeof(csum_kws) / sizeof(csum_kws[0]))

/* Minimum transport header the checksum covers: TCP 20, UDP 8, ICMP 4. */
static uint32_t min_l4(uint8_t proto)
{
    return proto == 6 ? 20 : proto == 17 ? 8 : 4;
}

int csum_packet_state(const Packet *p, CsumKind kind)
{
    if ((unsigned)kind >= CSUM_KW_COUNT || hdr_packet_is_pseudo(p))
        return -1;
    const CsumKw *k = &csum_kws[kind];
    if (p->ip_version != k->version)
        return -1;
    if (k->proto == 0) {
        if (p->ip4.hlen < 20 || p->l3_off > p->len || p->ip4.hlen > p->len - p->l3_off)
            return -1;
        return decode_ipv4_checksum_ok(p) ? 1 : 0;
    }
    if (p->proto != k->proto || p->is_fragment || p->l4_len < min_l4(k->proto))
        return -1;
    if (p->l4_off > p->len || p->l4_len > p->len - p->l4_off)
        return -1; /* not all captured: nothing to compute on */
    if (kind == CSUM_UDPV4 && p->buf[p->l4_off + 6] == 0 && p->buf[p->l4_off + 7] == 0)
        return -1; /* RFC 768: zero means no checksum was sent */
    return decode_l4_checksum_ok(p) ? 1 : 0;
}


static bool csum_setup_kind(RuleParseCtx *rp, Signature *s, CsumKind kind, const char *value)
{
    const CsumKw *k = &csum_kws[kind];
    char v[16];
    size_t n = value ? strlen(value) : 0;
    while (n && value[n - 1] == ' ')
        n--;
    const char *b = value ? value : "";
    while (*b == ' ') {
        b++;
        n--;
    }
    if (n == 0 || n >= sizeof(v))
        return rule_error(rp, "%s needs 'valid' or 'invalid'", k->name);
    memcpy(v, b, n);
    v[n] = '\0';
    bool want_valid;
    if (strcasecmp(v, "valid") == 0)
        want_valid = true;
    else if (strcasecmp(v, "invalid") == 0)
        want_valid = false;
    else
        return rule_error(rp, "invalid %s value '%s': expected 'valid' or 'invalid'", k->name, v);
    CsumCtx *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return rule_error(rp, "out of memory");
    c->kind = (uint8_t)kind;
    c->want_valid = want_valid;
    if (rule_append(rp, s, SIG_LIST_MATCH, k->id, c) == NULL) {
        free(c);
        return rule_error(rp, "out of memory");
    }
    return true;
}

#define CSUM_SETUP(fn, kind) \
    static bool fn(RuleParseCtx *rp, Signature *s, const char *value) \
    { \
        return csum_setup_kind(rp, s, kind, value); \
    }
CSUM_SETUP(setup_ipv4, CSUM_IPV4)
CSUM_SETUP(setup_tcpv4, CSUM_TCPV4)
CSUM_SETUP(setup_tcpv6, CSUM_TCPV6)
CSUM_SETUP(setup_udpv4, CSUM_UDPV4)
CSUM_SETUP(setup_udpv6, CSUM_UDPV6)
CSUM_SETUP(setup_icmpv4, CSUM_ICMPV4)
CSUM_SETUP(setup_icmpv6, CSUM_ICMPV6)
static bool (*const setups[])(RuleParseCtx *, Signature *, const char *) = {
    setup_ipv4, setup_tcpv4, setup_tcpv6, setup_udpv4, setup_udpv6, setup_icmpv4, setup_icmpv6};

static bool csum_match(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    const CsumCtx *c = ctx;
    int state = csum_packet_state(p, (CsumKind)c->kind);
    return state >= 0 && (state == 1) == c->want_valid;
}

static uint32_t csum_hash(const void *ctx)
{
    return hdr_hash_bytes(ctx, sizeof(CsumCtx), 0xc5u);
}

static bool csum_equal(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(CsumCtx)) == 0;
}

void hdrkw_register_csum(void)
{
    for (size_t i = 0; i < CSUM_KW_COUNT; i++) {
        KeywordDef d;
        memset(&d, 0, sizeof(d));
        d.name = csum_kws[i].name;
        d.help = "match packets whose checksum is 'valid' or 'invalid'";
        d.setup = setups[i];
        d.flags = KW_PACKET_OPTION;
        d.match_packet = csum_match;
        d.free = free;
        d.hash = csum_hash;
        d.equal = csum_equal;
        csum_kws[i].id = keyword_register(&d);
    }
}
