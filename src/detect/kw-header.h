/*
 * Packet-header keywords (family `header`): TCP (flags, ack, seq, window,
 * tcp.mss), IP (ttl, tos, ip_proto, ipopts, fragbits, fragoffset, id,
 * sameip), ICMP (itype, icode, icmp_id, icmp_seq) and stream_size. All are
 * packet keywords on SIG_LIST_MATCH. Each has a parser that turns the rule
 * text into a small plain-data context (zero-filled, no pointers, so the
 * engine may hash/compare it bytewise) or returns NULL with a rule-writer
 * message in `err`, and a matcher. They are exposed here so unit tests and
 * tools can use them without the keyword table.
 */
#ifndef ODLAR_DETECT_KW_HEADER_H
#define ODLAR_DETECT_KW_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/packet.h"
#include "detect/keyword.h"
#include "detect/signature.h"
#include "detect/uint-match.h"

struct DetectThread;
struct RuleParseCtx;
struct Signature;

/* Parses a keyword value; returns a malloc'ed context or NULL with a message. */
typedef void *(*HdrParseFn)(const char *value, char *err, size_t errlen);
/* Matches a parsed context against a packet. */
typedef bool (*HdrMatchFn)(const Packet *p, const void *ctx);

/* flags / tcp.flags */
#define HDR_FLAGS_MOD_NONE 0
#define HDR_FLAGS_MOD_NOT 1 /* ! */
#define HDR_FLAGS_MOD_PLUS 2 /* + */
#define HDR_FLAGS_MOD_ANY 3 /* * */
typedef struct HdrFlags {
    uint8_t flags; /* TH_* required */
    uint8_t ignored; /* mask applied to the packet's flags (0xff: none ignored) */
    uint8_t modifier; /* HDR_FLAGS_MOD_* */
} HdrFlags;

typedef struct HdrUint { /* ttl, itype, icode, icmp_id, icmp_seq, id, ack, seq, tcp.mss */
    DetectUint u;
} HdrUint;

typedef struct HdrWindow {
    bool negated;
    uint16_t size;
} HdrWindow;

typedef struct HdrTos {
    bool negated;
    uint8_t tos;
} HdrTos;

typedef struct HdrIpProto {
    char op; /* '=', '<', '>', '!' */
    uint8_t proto;
} HdrIpProto;

typedef struct HdrIpOpts {
    uint32_t mask; /* IPV4_OPT_FLAG_*; 0 for `any` */
    bool any;
} HdrIpOpts;

#define HDR_FRAG_MF 0x01
#define HDR_FRAG_DF 0x02
#define HDR_FRAG_RF 0x04
typedef struct HdrFragBits {
    uint8_t bits;
    uint8_t modifier; /* HDR_FLAGS_MOD_* */
} HdrFragBits;

typedef struct HdrFragOffset {
    char op; /* '=', '<', '>', '!' */
    uint16_t offset; /* in 8-byte units, as the IP header carries it */
} HdrFragOffset;

#define HDR_SSIZE_SERVER 1
#define HDR_SSIZE_CLIENT 2
#define HDR_SSIZE_BOTH 3
#define HDR_SSIZE_EITHER 4
typedef struct HdrStreamSize {
    uint8_t which; /* HDR_SSIZE_* */
    DetectUint u; /* mode + arg1 */
} HdrStreamSize;

/* Parsers. */
void *hdr_parse_flags(const char *value, char *err, size_t errlen);
void *hdr_parse_ack(const char *value, char *err, size_t errlen);
void *hdr_parse_seq(const char *value, char *err, size_t errlen);
void *hdr_parse_window(const char *value, char *err, size_t errlen);
void *hdr_parse_tcp_mss(const char *value, char *err, size_t errlen);
void *hdr_parse_ttl(const char *value, char *err, size_t errlen);
void *hdr_parse_tos(const char *value, char *err, size_t errlen);
void *hdr_parse_ip_proto(const char *value, char *err, size_t errlen);
void *hdr_parse_ipopts(const char *value, char *err, size_t errlen);
void *hdr_parse_fragbits(const char *value, char *err, size_t errlen);
void *hdr_parse_fragoffset(const char *value, char *err, size_t errlen);
void *hdr_parse_id(const char *value, char *err, size_t errlen);
void *hdr_parse_itype(const char *value, char *err, size_t errlen);
void *hdr_parse_icode(const char *value, char *err, size_t errlen);
void *hdr_parse_icmp_id(const char *value, char *err, size_t errlen);
void *hdr_parse_icmp_seq(const char *value, char *err, size_t errlen);
void *hdr_parse_stream_size(const char *value, char *err, size_t errlen);

/* Matchers: false for packets the keyword does not apply to (e.g. flags on
 * UDP, ttl on ARP) and for pseudo packets (stream/flow-end flushes). */
bool hdr_match_flags(const Packet *p, const void *ctx);
bool hdr_match_ack(const Packet *p, const void *ctx);
bool hdr_match_seq(const Packet *p, const void *ctx);
bool hdr_match_window(const Packet *p, const void *ctx);
bool hdr_match_tcp_mss(const Packet *p, const void *ctx);
bool hdr_match_ttl(const Packet *p, const void *ctx);
bool hdr_match_tos(const Packet *p, const void *ctx);
bool hdr_match_ip_proto(const Packet *p, const void *ctx);
bool hdr_match_ipopts(const Packet *p, const void *ctx);
bool hdr_match_fragbits(const Packet *p, const void *ctx);
bool hdr_match_fragoffset(const Packet *p, const void *ctx);
bool hdr_match_id(const Packet *p, const void *ctx);
bool hdr_match_itype(const Packet *p, const void *ctx);
bool hdr_match_icode(const Packet *p, const void *ctx);
bool hdr_match_icmp_id(const Packet *p, const void *ctx);
bool hdr_match_icmp_seq(const Packet *p, const void *ctx);
bool hdr_match_sameip(const Packet *p, const void *ctx);
bool hdr_match_stream_size(const Packet *p, const void *ctx);

/* Pseudo packets (stream flush / shutdown) carry no real header. Inline:
 * every header keyword's matcher starts with one of these tests. */
static inline bool hdr_packet_is_pseudo(const Packet *p)
{
    return p->src == PKT_SRC_STREAM_TCP_DETECTLOG_FLUSH || p->src == PKT_SRC_SHUTDOWN_FLUSH;
}

/* Real (not pseudo) packets with an IPv4 or IPv6 / an IPv4 header, a TCP
 * header (of at least 20 bytes), an ICMPv4 or ICMPv6 header. */
static inline bool hdr_packet_is_ip(const Packet *p)
{
    return (p->ip_version == 4 || p->ip_version == 6) && !hdr_packet_is_pseudo(p);
}

static inline bool hdr_packet_is_ipv4(const Packet *p)
{
    return p->ip_version == 4 && !hdr_packet_is_pseudo(p);
}

static inline bool hdr_packet_is_tcp(const Packet *p)
{
    return p->proto == 6 && p->tcp.hlen >= 20 && !hdr_packet_is_pseudo(p);
}

static inline bool hdr_packet_is_icmp(const Packet *p)
{
    return (p->proto == 1 || p->proto == 58) && p->l4_len > 0 && !hdr_packet_is_pseudo(p);
}
/* p past any white space. */
const char *hdr_skip_ws(const char *p);

/* Shared helpers for the header/event/flowvar families. */
/* Parses `value` with `parse`, reports a failure through rule_error and
 * appends the context to `list` of `s` as keyword `kw`. */
bool hdr_setup_ctx(struct RuleParseCtx *rp, struct Signature *s, uint16_t kw, uint16_t list,
        HdrParseFn parse, const char *value);
/* Parses a generic uint value (see uint-match.h) for keyword `kw` into a new
 * HdrUint; `quotes` allows one pair of surrounding double quotes. */
void *hdr_parse_uint(const char *kw, const char *value, uint64_t max, bool quotes, char *err,
        size_t errlen);
/* FNV-1a over n bytes, for keyword hash functions. */
uint32_t hdr_hash_bytes(const void *data, size_t n, uint32_t seed);

/* The KeywordDef callbacks of a header keyword `ident` whose parsed
 * context is the plain-data `ctx_type`: <ident>_setup (parse_fn, then
 * append to SIG_LIST_MATCH as keyword <ident>_kw_id, which the keyword's
 * register function sets), <ident>_match (match_fn on the packet),
 * <ident>_hash and <ident>_equal (bytewise over the zero-filled context).
 * HDR_KEYWORD_CALLBACKS_OF(ident) names them in a KeywordDef initialiser. */
#define HDR_KEYWORD_CALLBACKS(ident, ctx_type, parse_fn, match_fn)                                  \
    static uint16_t ident##_kw_id;                                                                 \
    static bool ident##_setup(struct RuleParseCtx *rp, Signature *s, const char *value)           \
    {                                                                                              \
        return hdr_setup_ctx(rp, s, ident##_kw_id, SIG_LIST_MATCH, parse_fn, value);               \
    }                                                                                              \
    static bool ident##_match(struct DetectThread *dt, const Packet *p, const Signature *s,        \
            const void *ctx)                                                                       \
    {                                                                                              \
        (void)dt;                                                                                  \
        (void)s;                                                                                   \
        return match_fn(p, ctx);                                                                   \
    }                                                                                              \
    static uint32_t ident##_hash(const void *ctx)                                                  \
    {                                                                                              \
        return hdr_hash_bytes(ctx, sizeof(ctx_type), 0);                                           \
    }                                                                                              \
    static bool ident##_equal(const void *a, const void *b)                                        \
    {                                                                                              \
        return memcmp(a, b, sizeof(ctx_type)) == 0;                                                \
    }
#define HDR_KEYWORD_CALLBACKS_OF(ident)                                                            \
    .setup = ident##_setup, .match_packet = ident##_match, .free = free, .hash = ident##_hash,      \
    .equal = ident##_equal

/* Each keyword's registration (in its own file), and the family's, which
 * calls them. */
void hdr_register_flags(void);
void hdr_register_ack(void);
void hdr_register_seq(void);
void hdr_register_window(void);
void hdr_register_tcp_mss(void);
void hdr_register_ttl(void);
void hdr_register_tos(void);
void hdr_register_ip_proto(void);
void hdr_register_ipopts(void);
void hdr_register_fragbits(void);
void hdr_register_fragoffset(void);
void hdr_register_id(void);
void hdr_register_itype(void);
void hdr_register_icode(void);
void hdr_register_icmp_id(void);
void hdr_register_icmp_seq(void);
void hdr_register_stream_size(void);
void hdr_register_sameip(void);
void keywords_register_header(void);

#endif
