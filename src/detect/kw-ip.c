/*
 * IP header keywords: ttl (IPv4 TTL or IPv6 hop limit, generic uint), tos
 * (`[!]N` or `[!]0xNN`, IPv4), ip_proto (`[!<>]` and a number or an IANA
 * protocol name as EVE prints them, e.g. `ip_proto:!TCP`, `ip_proto:<6`),
 * ipopts (one option name, or `any`), fragbits (`[!+*]` and M D R), fragoffset
 * (`[!<>]N`, in the 8-byte units of the header), id (IPv4 identification,
 * generic uint) and sameip. Pseudo packets never match.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect/kw-header.h"
#include "flow/flow.h"

static bool is_ip(const Packet *p)
{
    return (p->ip_version == 4 || p->ip_version == 6) && !hdr_packet_is_pseudo(p);
}

static bool is_ipv4(const Packet *p)
{
    return p->ip_version == 4 && !hdr_packet_is_pseudo(p);
}

static const char *skip_ws(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

/* ---- ttl / id ---- */

void *hdr_parse_ttl(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("ttl", value, DETECT_UINT_MAX_U8, false, err, errlen);
}

bool hdr_match_ttl(const Packet *p, const void *ctx)
{
    if (!is_ip(p))
        return false;
    uint8_t ttl = p->ip_version == 4 ? p->ip4.ttl : p->ip6.hop_limit;
    return detect_uint_match(&((const HdrUint *)ctx)->u, ttl);
}

void *hdr_parse_id(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("id", value, DETECT_UINT_MAX_U16, true, err, errlen);
}

bool hdr_match_id(const Packet *p, const void *ctx)
{
    return is_ipv4(p) && detect_uint_match(&((const HdrUint *)ctx)->u, p->ip4.id);
}

/* ---- tos ---- */

void *hdr_parse_tos(const char *value, char *err, size_t errlen)
{
    const char *p = skip_ws(value ? value : "");
    bool neg = false;
    if (*p == '!') {
        neg = true;
        p = skip_ws(p + 1);
    }
    unsigned v = 0;
    int digits = 0;
    bool hex = false;
    if (*p == 'x' || *p == 'X' || (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))) {
        hex = true;
        p += (*p == '0') ? 2 : 1;
        while (isxdigit((unsigned char)*p) && digits < 3) {
            v = v * 16 + (unsigned)(isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10));
            p++;
            digits++;
        }
    } else {
        while (isdigit((unsigned char)*p) && digits < 4) {
            v = v * 10 + (unsigned)(*p - '0');
            p++;
            digits++;
        }
    }
    p = skip_ws(p);
    if (digits == 0 || (hex && digits > 2) || (!hex && digits > 3) || *p != '\0') {
        snprintf(err, errlen, "invalid tos value '%s': expected [!]N (0-255) or [!]0xNN", value ? value : "");
        return NULL;
    }
    if (v > 255) {
        snprintf(err, errlen, "tos value %u is out of range 0-255", v);
        return NULL;
    }
    HdrTos *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->negated = neg;
    c->tos = (uint8_t)v;
    return c;
}

bool hdr_match_tos(const Packet *p, const void *ctx)
{
    const HdrTos *t = ctx;
    return is_ipv4(p) && ((p->ip4.tos == t->tos) != t->negated);
}

/* ---- ip_proto ---- */

/* Protocol number for a name: the IANA keywords EVE uses (flow_proto_name),
 * case-insensitively, plus a few common spellings. -1 when unknown. */
static int proto_by_name(const char *name)
{
    static const struct {
        const char *name;
        int num;
    } extra[] = {
        {"ip", 0}, {"icmpv6", 58}, {"ipv6-icmp", 58}, {"ipip", 4}, {"ipencap", 4}, {"ipv6-nonxt", 59},
    };
    for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
        if (strcasecmp(name, extra[i].name) == 0)
            return extra[i].num;
    char buf[8];
    for (int i = 0; i < 256; i++) {
        const char *n = flow_proto_name((uint8_t)i, buf, sizeof(buf));
        if (n != buf && strcasecmp(n, name) == 0)
            return i;
    }
    return -1;
}

void *hdr_parse_ip_proto(const char *value, char *err, size_t errlen)
{
    const char *p = skip_ws(value ? value : "");
    char op = '=';
    if (*p == '!' || *p == '<' || *p == '>') {
        op = *p;
        p = skip_ws(p + 1);
    }
    char name[64];
    size_t n = 0;
    while (*p && !isspace((unsigned char)*p) && n < sizeof(name) - 1)
        name[n++] = *p++;
    name[n] = '\0';
    p = skip_ws(p);
    if (n == 0 || *p != '\0') {
        snprintf(err, errlen, "invalid ip_proto value '%s': expected [!<>] and a protocol number or name",
                value ? value : "");
        return NULL;
    }
    long num;
    if (isdigit((unsigned char)name[0])) {
        char *end;
        num = strtol(name, &end, 10);
        if (*end != '\0' || num > 255) {
            snprintf(err, errlen, "invalid ip_proto number '%s': expected 0-255", name);
            return NULL;
        }
    } else {
        num = proto_by_name(name);
        if (num < 0) {
            snprintf(err, errlen, "unknown protocol name '%s' in ip_proto", name);
            return NULL;
        }
    }
    if ((op == '<' && num == 0) || (op == '>' && num == 255)) {
        snprintf(err, errlen, "ip_proto:%c%ld can never match", op, num);
        return NULL;
    }
    HdrIpProto *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->op = op;
    c->proto = (uint8_t)num;
    return c;
}

bool hdr_match_ip_proto(const Packet *p, const void *ctx)
{
    const HdrIpProto *c = ctx;
    if (!is_ip(p))
        return false;
    switch (c->op) {
    case '<':
        return p->proto < c->proto;
    case '>':
        return p->proto > c->proto;
    case '!':
        return p->proto != c->proto;
    default:
        return p->proto == c->proto;
    }
}

/* ---- ipopts ---- */

void *hdr_parse_ipopts(const char *value, char *err, size_t errlen)
{
    static const struct {
        const char *name;
        uint32_t flag;
    } opts[] = {
        {"rr", IPV4_OPT_FLAG_RR}, {"eol", IPV4_OPT_FLAG_EOL}, {"nop", IPV4_OPT_FLAG_NOP},
        {"ts", IPV4_OPT_FLAG_TS}, {"sec", IPV4_OPT_FLAG_SEC}, {"esec", IPV4_OPT_FLAG_ESEC},
        {"lsrr", IPV4_OPT_FLAG_LSRR}, {"ssrr", IPV4_OPT_FLAG_SSRR}, {"satid", IPV4_OPT_FLAG_SID},
        {"any", 0},
    };
    char name[32];
    const char *p = skip_ws(value ? value : "");
    size_t n = 0;
    while (*p && !isspace((unsigned char)*p) && n < sizeof(name) - 1)
        name[n++] = *p++;
    name[n] = '\0';
    if (*skip_ws(p) == '\0') {
        for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
            if (strcasecmp(name, opts[i].name) == 0) {
                HdrIpOpts *c = calloc(1, sizeof(*c));
                if (c == NULL)
                    return NULL;
                c->mask = opts[i].flag;
                c->any = opts[i].flag == 0;
                return c;
            }
        }
    }
    snprintf(err, errlen,
            "invalid ipopts value '%s': expected one of rr, eol, nop, ts, sec, esec, lsrr, ssrr, "
            "satid, any",
            value ? value : "");
    return NULL;
}

bool hdr_match_ipopts(const Packet *p, const void *ctx)
{
    const HdrIpOpts *c = ctx;
    if (!is_ipv4(p))
        return false;
    if (c->any)
        return p->ip4.opts != 0;
    return (p->ip4.opts & c->mask) == c->mask;
}

/* ---- fragbits ---- */

void *hdr_parse_fragbits(const char *value, char *err, size_t errlen)
{
    const char *p = skip_ws(value ? value : "");
    HdrFragBits f = {0, 0};
    if (*p == '!' || *p == '+' || *p == '*') {
        f.modifier = *p == '!' ? HDR_FLAGS_MOD_NOT : *p == '+' ? HDR_FLAGS_MOD_PLUS : HDR_FLAGS_MOD_ANY;
        p = skip_ws(p + 1);
    }
    int found = 0;
    for (; *p && !isspace((unsigned char)*p); p++) {
        switch (*p) {
        case 'M':
        case 'm':
            f.bits |= HDR_FRAG_MF;
            break;
        case 'D':
        case 'd':
            f.bits |= HDR_FRAG_DF;
            break;
        case 'R':
        case 'r':
            f.bits |= HDR_FRAG_RF;
            break;
        default:
            snprintf(err, errlen, "invalid fragbits value '%s': '%c' is not one of M D R (after an optional ! + *)",
                    value ? value : "", *p);
            return NULL;
        }
        found++;
    }
    if (found == 0 || *skip_ws(p) != '\0') {
        snprintf(err, errlen, "invalid fragbits value '%s': expected [!+*] and bits from M D R",
                value ? value : "");
        return NULL;
    }
    HdrFragBits *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    *c = f;
    return c;
}

bool hdr_match_fragbits(const Packet *p, const void *ctx)
{
    const HdrFragBits *f = ctx;
    if (!is_ipv4(p))
        return false;
    uint8_t bits = (uint8_t)((p->ip4.mf ? HDR_FRAG_MF : 0) | (p->ip4.df ? HDR_FRAG_DF : 0) |
            (p->ip4.rf ? HDR_FRAG_RF : 0));
    switch (f->modifier) {
    case HDR_FLAGS_MOD_ANY:
        return (bits & f->bits) != 0;
    case HDR_FLAGS_MOD_PLUS:
        /* all of them, and at least one more (as Suricata) */
        return (bits & f->bits) == f->bits && bits != f->bits;
    case HDR_FLAGS_MOD_NOT:
        return (bits & f->bits) != f->bits;
    default:
        return bits == f->bits;
    }
}

/* ---- fragoffset ---- */

void *hdr_parse_fragoffset(const char *value, char *err, size_t errlen)
{
    const char *p = skip_ws(value ? value : "");
    char op = '=';
    if (*p == '!' || *p == '<' || *p == '>') {
        op = *p;
        p = skip_ws(p + 1);
    }
    unsigned long v = 0;
    int digits = 0;
    while (isdigit((unsigned char)*p)) {
        if (v <= 65535)
            v = v * 10 + (unsigned long)(*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || *skip_ws(p) != '\0') {
        snprintf(err, errlen, "invalid fragoffset value '%s': expected [!<>]N", value ? value : "");
        return NULL;
    }
    if (v > 65535) {
        snprintf(err, errlen, "fragoffset value '%s' is out of range 0-65535", value);
        return NULL;
    }
    HdrFragOffset *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->op = op;
    c->offset = (uint16_t)v;
    return c;
}

bool hdr_match_fragoffset(const Packet *p, const void *ctx)
{
    const HdrFragOffset *c = ctx;
    uint16_t off;
    if (!is_ip(p))
        return false;
    if (p->ip_version == 4)
        off = p->ip4.frag_offset;
    else if (p->ip6.has_frag)
        off = p->ip6.frag_offset;
    else
        return false;
    switch (c->op) {
    case '<':
        return off < c->offset;
    case '>':
        return off > c->offset;
    case '!':
        return off != c->offset;
    default:
        return off == c->offset;
    }
}

/* ---- sameip ---- */

bool hdr_match_sameip(const Packet *p, const void *ctx)
{
    (void)ctx;
    return is_ip(p) && address_equal(&p->src_addr, &p->dst_addr);
}
