/*
 * Suricata 8's dotted TCP field keywords that the `header` family does not
 * already provide: tcp.ack and tcp.seq (the acknowledgement and sequence
 * numbers, RFC 9293 section 3.1, with the generic uint comparisons of
 * uint-match.h: `tcp.ack:>100;`, `tcp.seq:1-5;`) and tcp.wscale (the window
 * scale option's shift count, RFC 7323 section 2; no match when the
 * segment carries no such option). tcp.flags and tcp.mss are registered
 * with the header family. All of them are packet keywords that match only
 * real TCP packets.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-hdrkw.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"

static uint16_t kw_tcp_ack, kw_tcp_seq, kw_tcp_wscale;

static void *parse_tcp_ack(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("tcp.ack", value, DETECT_UINT_MAX_U32, false, err, errlen);
}

static void *parse_tcp_seq(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("tcp.seq", value, DETECT_UINT_MAX_U32, false, err, errlen);
}

static void *parse_tcp_wscale(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("tcp.wscale", value, DETECT_UINT_MAX_U8, false, err, errlen);
}

static bool setup_tcp_ack(RuleParseCtx *rp, Signature *s, const char *value)
{
    return hdr_setup_ctx(rp, s, kw_tcp_ack, SIG_LIST_MATCH, parse_tcp_ack, value);
}

static bool setup_tcp_seq(RuleParseCtx *rp, Signature *s, const char *value)
{
    return hdr_setup_ctx(rp, s, kw_tcp_seq, SIG_LIST_MATCH, parse_tcp_seq, value);
}

static bool setup_tcp_wscale(RuleParseCtx *rp, Signature *s, const char *value)
{
    return hdr_setup_ctx(rp, s, kw_tcp_wscale, SIG_LIST_MATCH, parse_tcp_wscale, value);
}

static bool match_tcp_ack(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    return hdr_packet_is_tcp(p) && detect_uint_match(&((const HdrUint *)ctx)->u, p->tcp.ack);
}

static bool match_tcp_seq(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    return hdr_packet_is_tcp(p) && detect_uint_match(&((const HdrUint *)ctx)->u, p->tcp.seq);
}

static bool match_tcp_wscale(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    return hdr_packet_is_tcp(p) && p->tcp.has_wscale && detect_uint_match(&((const HdrUint *)ctx)->u, p->tcp.wscale);
}

static uint32_t uint_hash(const void *ctx)
{
    return hdr_hash_bytes(ctx, sizeof(HdrUint), 0x7c9u);
}

static bool uint_equal(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(HdrUint)) == 0;
}

static uint16_t register_one(const char *name, const char *help, bool (*setup)(RuleParseCtx *, Signature *, const char *),
                             bool (*match)(struct DetectThread *, const Packet *, const Signature *, const void *))
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = name;
    d.help = help;
    d.setup = setup;
    d.flags = KW_PACKET_OPTION;
    d.match_packet = match;
    d.free = free;
    d.hash = uint_hash;
    d.equal = uint_equal;
    return keyword_register(&d);
}

void hdrkw_register_tcp_fields(void)
{
    kw_tcp_ack = register_one("tcp.ack", "match the TCP acknowledgement number (uint comparisons)", setup_tcp_ack,
                              match_tcp_ack);
    kw_tcp_seq = register_one("tcp.seq", "match the TCP sequence number (uint comparisons)", setup_tcp_seq,
                              match_tcp_seq);
    kw_tcp_wscale = register_one("tcp.wscale", "match the TCP window scale option's shift count", setup_tcp_wscale,
                                 match_tcp_wscale);
}
