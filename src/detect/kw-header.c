/*
 * Registration of the `header` keyword family and the helpers its files
 * share: the generic setup (parse, report, append to SIG_LIST_MATCH), the
 * generic uint parser with keyword-named errors, white-space skipping and
 * bytewise hashing for the plain-data contexts (the packet tests -- pseudo,
 * IP, IPv4, TCP, ICMP -- are inline in kw-header.h).
 * Each keyword lives in its own file: kw-flags.c kw-ack.c kw-seq.c
 * kw-window.c kw-tcp-mss.c kw-ttl.c kw-tos.c kw-ip-proto.c kw-ipopts.c
 * kw-fragbits.c kw-fragoffset.c kw-id.c kw-itype.c kw-icode.c kw-icmp-id.c
 * kw-icmp-seq.c kw-stream-size.c kw-sameip.c; the family registers them in
 * this order.
 */
#include "detect/kw-header.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

const char *hdr_skip_ws(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
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

void keywords_register_header(void)
{
    hdr_register_flags();
    hdr_register_ack();
    hdr_register_seq();
    hdr_register_window();
    hdr_register_tcp_mss();
    hdr_register_ttl();
    hdr_register_tos();
    hdr_register_ip_proto();
    hdr_register_ipopts();
    hdr_register_fragbits();
    hdr_register_fragoffset();
    hdr_register_id();
    hdr_register_itype();
    hdr_register_icode();
    hdr_register_icmp_id();
    hdr_register_icmp_seq();
    hdr_register_stream_size();
    hdr_register_sameip();
}
