/*
 * Registration of the `header` keyword family and the helpers its files
 * share: the generic setup (parse, report, append to SIG_LIST_MATCH), the
 * generic uint parser with keyword-named errors, the pseudo-packet test, and
 * bytewise hash/equal for the plain-data contexts. The keywords themselves
 * live in kw-tcp.c, kw-ip.c, kw-icmp.c and kw-stream-size.c.
 */
#include "detect/kw-header.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

bool hdr_packet_is_pseudo(const Packet *p)
{
    return p->src == PKT_SRC_STREAM_TCP_DETECTLOG_FLUSH || p->src == PKT_SRC_SHUTDOWN_FLUSH;
}

uint32_t hdr_hash_bytes(const void *data, size_t n, uint32_t seed)
{
    const uint8_t *b = data;
    uint32_t h = 2166136261u ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 16777619u;
    }
    return h;
}

void *hdr_parse_uint(const char *kw, const char *value, uint64_t max, bool quotes, char *err,
        size_t errlen)
{
    if (value == NULL || *value == '\0') {
        snprintf(err, errlen, "%s needs a value (%s)", kw, detect_uint_syntax_help());
        return NULL;
    }
    char buf[128];
    const char *v = value;
    if (quotes) {
        /* `icmp_id:"12"`: one pair of quotes around the whole value */
        const char *a = value;
        while (*a == ' ')
            a++;
        size_t n = strlen(a);
        while (n > 0 && a[n - 1] == ' ')
            n--;
        if (n >= 2 && a[0] == '"' && a[n - 1] == '"' && n - 2 < sizeof(buf)) {
            memcpy(buf, a + 1, n - 2);
            buf[n - 2] = '\0';
            v = buf;
        }
    }
    HdrUint *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        snprintf(err, errlen, "%s: out of memory", kw);
        return NULL;
    }
    if (!detect_uint_parse(v, max, &c->u)) {
        snprintf(err, errlen, "invalid %s value '%s': %s, values 0-%llu", kw, value,
                detect_uint_syntax_help(), (unsigned long long)max);
        free(c);
        return NULL;
    }
    return c;
}

bool hdr_setup_ctx(RuleParseCtx *rp, Signature *s, uint16_t kw, uint16_t list, HdrParseFn parse,
        const char *value)
{
    char err[512];
    err[0] = '\0';
    void *ctx = parse(value, err, sizeof(err));
    if (ctx == NULL)
        return rule_error(rp, "%s", err[0] ? err : "invalid value");
    if (rule_append(rp, s, list, kw, ctx) == NULL) {
        free(ctx);
        return rule_error(rp, "out of memory");
    }
    return true;
}

/* ---- registration ---- */

struct DetectThread;

/* One entry per keyword: its parser, matcher and the size of its context
 * (for the bytewise hash/equal). The keyword id is filled at registration;
 * ids are written once at start-up and only read afterwards. */
typedef struct HdrKw {
    const char *name, *alias, *help;
    uint32_t flags;
    HdrParseFn parse;
    HdrMatchFn match;
    size_t size;
    uint16_t id;
} HdrKw;

static HdrKw hdr_kws[] = {
    {"flags", "tcp.flags", "match TCP flags: [!+*]SAPRFU12CE0[,ignored]", 0, hdr_parse_flags,
            hdr_match_flags, sizeof(HdrFlags), 0},
    {"ack", NULL, "match the TCP acknowledgement number", 0, hdr_parse_ack, hdr_match_ack,
            sizeof(HdrUint), 0},
    {"seq", NULL, "match the TCP sequence number", 0, hdr_parse_seq, hdr_match_seq,
            sizeof(HdrUint), 0},
    {"window", NULL, "match the TCP window size: [!]N", 0, hdr_parse_window,
            hdr_match_window, sizeof(HdrWindow), 0},
    {"tcp.mss", NULL, "match the TCP MSS option value", 0, hdr_parse_tcp_mss, hdr_match_tcp_mss,
            sizeof(HdrUint), 0},
    {"ttl", NULL, "match the IPv4 TTL / IPv6 hop limit", 0, hdr_parse_ttl, hdr_match_ttl,
            sizeof(HdrUint), 0},
    {"tos", NULL, "match the IPv4 TOS byte: [!]N or [!]0xNN", 0, hdr_parse_tos, hdr_match_tos,
            sizeof(HdrTos), 0},
    {"ip_proto", NULL, "match the IP protocol: [!<>]number-or-name", 0, hdr_parse_ip_proto,
            hdr_match_ip_proto, sizeof(HdrIpProto), 0},
    {"ipopts", NULL, "match an IPv4 option: rr eol nop ts sec esec lsrr ssrr satid any", 0,
            hdr_parse_ipopts, hdr_match_ipopts, sizeof(HdrIpOpts), 0},
    {"fragbits", NULL, "match IPv4 fragment bits: [!+*]MDR", 0, hdr_parse_fragbits,
            hdr_match_fragbits, sizeof(HdrFragBits), 0},
    {"fragoffset", NULL, "match the IP fragment offset: [!<>]N", 0, hdr_parse_fragoffset,
            hdr_match_fragoffset, sizeof(HdrFragOffset), 0},
    {"id", NULL, "match the IPv4 identification field", 0, hdr_parse_id, hdr_match_id,
            sizeof(HdrUint), 0},
    {"itype", NULL, "match the ICMP type", 0, hdr_parse_itype, hdr_match_itype, sizeof(HdrUint),
            0},
    {"icode", NULL, "match the ICMP code", 0, hdr_parse_icode, hdr_match_icode, sizeof(HdrUint),
            0},
    {"icmp_id", NULL, "match the ICMP echo id", 0, hdr_parse_icmp_id, hdr_match_icmp_id,
            sizeof(HdrUint), 0},
    {"icmp_seq", NULL, "match the ICMP echo sequence number", 0, hdr_parse_icmp_seq,
            hdr_match_icmp_seq, sizeof(HdrUint), 0},
    {"stream_size", NULL, "match TCP stream sizes: server|client|both|either,<op>,N", 0,
            hdr_parse_stream_size, hdr_match_stream_size, sizeof(HdrStreamSize), 0},
    {"sameip", NULL, "match packets whose source and destination address are equal", KW_NOOPT,
            NULL, hdr_match_sameip, 0, 0},
};
#define HDR_KW_COUNT (sizeof(hdr_kws) / sizeof(hdr_kws[0]))

/* Each keyword needs its own setup/match/hash/equal function pointers (the
 * KeywordDef callbacks get no keyword id), so they are stamped out per index. */
#define HDR_KW_FUNCS(i)                                                                        \
    static bool hdr_setup_##i(RuleParseCtx *rp, Signature *s, const char *v)                  \
    {                                                                                          \
        if (hdr_kws[i].parse == NULL) {                                                        \
            return rule_append(rp, s, SIG_LIST_MATCH, hdr_kws[i].id, NULL) != NULL              \
                    ? true                                                                     \
                    : rule_error(rp, "out of memory");                                         \
        }                                                                                      \
        return hdr_setup_ctx(rp, s, hdr_kws[i].id, SIG_LIST_MATCH, hdr_kws[i].parse, v);       \
    }                                                                                          \
    static bool hdr_match_##i(struct DetectThread *dt, const Packet *p, const Signature *s,    \
            const void *ctx)                                                                   \
    {                                                                                          \
        (void)dt;                                                                              \
        (void)s;                                                                               \
        return hdr_kws[i].match(p, ctx);                                                       \
    }                                                                                          \
    static uint32_t hdr_hash_##i(const void *ctx)                                              \
    {                                                                                          \
        return ctx ? hdr_hash_bytes(ctx, hdr_kws[i].size, i) : (uint32_t)i;                    \
    }                                                                                          \
    static bool hdr_equal_##i(const void *a, const void *b)                                    \
    {                                                                                          \
        if (a == NULL || b == NULL)                                                            \
            return a == b;                                                                     \
        return memcmp(a, b, hdr_kws[i].size) == 0;                                             \
    }

HDR_KW_FUNCS(0)
HDR_KW_FUNCS(1)
HDR_KW_FUNCS(2)
HDR_KW_FUNCS(3)
HDR_KW_FUNCS(4)
HDR_KW_FUNCS(5)
HDR_KW_FUNCS(6)
HDR_KW_FUNCS(7)
HDR_KW_FUNCS(8)
HDR_KW_FUNCS(9)
HDR_KW_FUNCS(10)
HDR_KW_FUNCS(11)
HDR_KW_FUNCS(12)
HDR_KW_FUNCS(13)
HDR_KW_FUNCS(14)
HDR_KW_FUNCS(15)
HDR_KW_FUNCS(16)
HDR_KW_FUNCS(17)

#define HDR_FN(i) {hdr_setup_##i, hdr_match_##i, hdr_hash_##i, hdr_equal_##i}
static const struct {
    bool (*setup)(RuleParseCtx *, Signature *, const char *);
    bool (*match)(struct DetectThread *, const Packet *, const Signature *, const void *);
    uint32_t (*hash)(const void *);
    bool (*equal)(const void *, const void *);
} hdr_fns[] = {
    HDR_FN(0), HDR_FN(1), HDR_FN(2), HDR_FN(3), HDR_FN(4), HDR_FN(5), HDR_FN(6), HDR_FN(7),
    HDR_FN(8), HDR_FN(9), HDR_FN(10), HDR_FN(11), HDR_FN(12), HDR_FN(13), HDR_FN(14),
    HDR_FN(15), HDR_FN(16), HDR_FN(17),
};
_Static_assert(sizeof(hdr_fns) / sizeof(hdr_fns[0]) == HDR_KW_COUNT,
        "one HDR_KW_FUNCS/HDR_FN per header keyword");

static void hdr_free(void *ctx)
{
    free(ctx);
}

void keywords_register_header(void)
{
    for (size_t i = 0; i < HDR_KW_COUNT; i++) {
        KeywordDef def;
        memset(&def, 0, sizeof(def));
        def.name = hdr_kws[i].name;
        def.alias = hdr_kws[i].alias;
        def.help = hdr_kws[i].help;
        def.flags = hdr_kws[i].flags;
        def.setup = hdr_fns[i].setup;
        def.match_packet = hdr_fns[i].match;
        def.free = hdr_free;
        def.hash = hdr_fns[i].hash;
        def.equal = hdr_fns[i].equal;
        hdr_kws[i].id = keyword_register(&def);
    }
}
