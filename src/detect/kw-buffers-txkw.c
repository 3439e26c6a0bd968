/*
 * Transaction keywords that compare a field of the transaction rather than
 * search a buffer: dns.opcode, dns.rcode, dns.rrtype, urilen and the DHCP
 * time options dhcp.leasetime, dhcp.rebinding_time and dhcp.renewal_time
 * (RFC 2132 options 51, 59, 58; no match when the message has none). Each gets
 * an internal buffer ("dns.opcode#tx", ...) whose getter hands the
 * transaction itself to the inspection engine (data = the transaction
 * pointer, length 0); the keyword's inspect() reads the field from it and
 * compares it with the rule's unsigned-integer expression (uint-match.h).
 * This keeps them on the transaction path (once per transaction, in the
 * right direction, after the right progress) without a second engine. The
 * lists of these internal buffers never hold other keywords. Registering
 * them also registers app-layer-event's transaction form (kw-app-event.c).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/dhcp/dhcp.h"
#include "app/dns/dns.h"
#include "app/http/http.h"
#include "app/http2/http2.h"
#include "decode/packet.h"
#include "flow/flow.h"
#include "detect/inspect.h"
#include "detect/kw-app-event.h"
#include "detect/kw-buffers.h"
#include "detect/uint-match.h"

typedef enum TxField {
    TXF_DNS_OPCODE,
    TXF_DNS_RCODE,
    TXF_DNS_RRTYPE,
    TXF_URILEN,
    TXF_URILEN_NORM,
    TXF_DHCP_LEASE,
    TXF_DHCP_REBINDING,
    TXF_DHCP_RENEWAL,
} TxField;

typedef struct TxKw {
    DetectUint u;
    TxField field;
} TxKw;

static bool g_dns_tx(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    if (i || dns_tx_is_request(tx) != ts)
        return false;
    *d = tx;
    *l = 0;
    return true;
}

static bool g_http_tx(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    if (i)
        return false;
    *d = tx;
    *l = 0;
    return true;
}

/* a DHCP message, in the direction it came in */
static bool g_dhcp_tx(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    if (i || dhcp_tx_to_server(tx) != ts)
        return false;
    *d = tx;
    *l = 0;
    return true;
}

static bool ready_line(const void *tx, bool ts)
{
    return http_tx_progress(tx, ts) >= HTTP_PROGRESS_HEADERS;
}

static InspectResult txkw_inspect(struct DetectThread *dt, struct InspectCursor *cur, const Signature *s,
                                  const void *ctx)
{
    (void)dt;
    (void)s;
    const TxKw *k = ctx;
    const void *tx = cur->buf;
    uint64_t v = 0;
    switch (k->field) {
    case TXF_DNS_OPCODE: v = dns_tx_opcode(tx); break;
    case TXF_DNS_RCODE: v = dns_tx_rcode(tx); break;
    case TXF_DNS_RRTYPE: {
        for (uint32_t i = 0;; i++) {
            uint16_t t;
            if (!dns_tx_query_rrtype(tx, i, &t))
                return INSPECT_NO_MATCH;
            if (detect_uint_match(&k->u, t))
                return INSPECT_MATCH;
        }
    }
    case TXF_URILEN:
    case TXF_URILEN_NORM: {
        /* an HTTP/2 transaction on an HTTP/2 flow (kw-buffers-http2.c):
         * its :path, raw and normalized alike, as Suricata */
        const Flow *f = cur->p ? cur->p->flow : NULL;
        int64_t n = f && f->app_proto == APP_PROTO_HTTP2_ID ? http2_tx_path_len(tx)
                                                             : http_tx_uri_len(tx, k->field == TXF_URILEN);
        if (n < 0)
            return INSPECT_NO_MATCH;
        v = (uint64_t)n;
        break;
    }
    case TXF_DHCP_LEASE:
    case TXF_DHCP_REBINDING:
    case TXF_DHCP_RENEWAL: {
        static const uint8_t codes[] = { DHCP_OPT_LEASE_TIME, DHCP_OPT_REBINDING_TIME, DHCP_OPT_RENEWAL_TIME };
        uint32_t seconds;
        if (!dhcp_tx_time_option(tx, codes[k->field - TXF_DHCP_LEASE], &seconds))
            return INSPECT_NO_MATCH;
        v = seconds;
        break;
    }
    }
    return detect_uint_match(&k->u, v) ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

static bool txkw_add(RuleParseCtx *rp, Signature *s, const char *kw, const char *buf, TxField f, const char *value,
                     uint64_t max)
{
    int id = buffer_lookup(buf);
    int kid = keyword_lookup(kw);
    if (id < 0 || kid < 0)
        return rule_error(rp, "internal error: '%s' is not registered", kw);
    TxKw *k = calloc(1, sizeof(*k));
    if (!k)
        return rule_error(rp, "out of memory");
    k->field = f;
    if (!value || !detect_uint_parse(value, max, &k->u)) {
        free(k);
        return rule_error(rp, "%s: invalid value '%s' (%s)", kw, value ? value : "", detect_uint_syntax_help());
    }
    const BufferDef *b = buffer_by_list(buffer_list_id(id));
    if (!buffer_set_proto(rp, s, b->proto, kw) || !rule_append(rp, s, buffer_list_id(id), (uint16_t)kid, k)) {
        free(k);
        return false;
    }
    return true;
}

static bool setup_opcode(RuleParseCtx *rp, Signature *s, const char *v)
{
    return txkw_add(rp, s, "dns.opcode", "dns.opcode#tx", TXF_DNS_OPCODE, v, 15);
}
static bool setup_rcode(RuleParseCtx *rp, Signature *s, const char *v)
{
    return txkw_add(rp, s, "dns.rcode", "dns.rcode#tx", TXF_DNS_RCODE, v, 15);
}
static bool setup_rrtype(RuleParseCtx *rp, Signature *s, const char *v)
{
    return txkw_add(rp, s, "dns.rrtype", "dns.rrtype#tx", TXF_DNS_RRTYPE, v, UINT16_MAX);
}

static bool setup_dhcp_lease(RuleParseCtx *rp, Signature *s, const char *v)
{
    return txkw_add(rp, s, "dhcp.leasetime", "dhcp.leasetime#tx", TXF_DHCP_LEASE, v, UINT64_MAX);
}
static bool setup_dhcp_rebinding(RuleParseCtx *rp, Signature *s, const char *v)
{
    return txkw_add(rp, s, "dhcp.rebinding_time", "dhcp.rebinding_time#tx", TXF_DHCP_REBINDING, v, UINT64_MAX);
}
static bool setup_dhcp_renewal(RuleParseCtx *rp, Signature *s, const char *v)
{
    return txkw_add(rp, s, "dhcp.renewal_time", "dhcp.renewal_time#tx", TXF_DHCP_RENEWAL, v, UINT64_MAX);
}

/* urilen:[<>]N[<>M][,raw|norm] (default raw, as Suricata) */
static bool setup_urilen(RuleParseCtx *rp, Signature *s, const char *v)
{
    char tmp[128];
    snprintf(tmp, sizeof(tmp), "%s", v ? v : "");
    TxField f = TXF_URILEN;
    char *comma = strchr(tmp, ',');
    if (comma) {
        *comma++ = 0;
        while (*comma == ' ')
            comma++;
        if (strcmp(comma, "norm") == 0)
            f = TXF_URILEN_NORM;
        else if (strcmp(comma, "raw") != 0)
            return rule_error(rp, "urilen: unknown option '%s' (raw or norm)", comma);
    }
    return txkw_add(rp, s, "urilen", "urilen#tx", f, tmp, UINT16_MAX);
}

void keywords_register_buffers_txkw(void)
{
    static const BufferDef bufs[] = {
        { "dns.opcode#tx", 3, BUF_DIR_BOTH, false, g_dns_tx, NULL },
        { "dns.rcode#tx", 3, BUF_DIR_BOTH, false, g_dns_tx, NULL },
        { "dns.rrtype#tx", 3, BUF_DIR_BOTH, false, g_dns_tx, NULL },
        { "urilen#tx", 1, BUF_DIR_TOSERVER, false, g_http_tx, ready_line },
        { "dhcp.leasetime#tx", 15, BUF_DIR_BOTH, false, g_dhcp_tx, NULL },
        { "dhcp.rebinding_time#tx", 15, BUF_DIR_BOTH, false, g_dhcp_tx, NULL },
        { "dhcp.renewal_time#tx", 15, BUF_DIR_BOTH, false, g_dhcp_tx, NULL },
    };
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
        buffer_register(&bufs[i]);
    const KeywordDef kws[] = {
        { .name = "dns.opcode", .help = "DNS opcode (uint)", .setup = setup_opcode, .inspect = txkw_inspect,
          .free = free },
        { .name = "dns.rcode", .help = "DNS rcode (uint)", .setup = setup_rcode, .inspect = txkw_inspect,
          .free = free },
        { .name = "dns.rrtype", .help = "DNS query record type (uint)", .setup = setup_rrtype,
          .inspect = txkw_inspect, .free = free },
        { .name = "urilen", .help = "HTTP URI length (uint[,raw|norm])", .setup = setup_urilen,
          .inspect = txkw_inspect, .free = free },
        { .name = "dhcp.leasetime", .help = "DHCP lease time, option 51 (uint)", .setup = setup_dhcp_lease,
          .inspect = txkw_inspect, .free = free },
        { .name = "dhcp.rebinding_time", .help = "DHCP rebinding time, option 59 (uint)",
          .setup = setup_dhcp_rebinding, .inspect = txkw_inspect, .free = free },
        { .name = "dhcp.renewal_time", .help = "DHCP renewal time, option 58 (uint)", .setup = setup_dhcp_renewal,
          .inspect = txkw_inspect, .free = free },
    };
    for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
        keyword_register(&kws[i]);
    keywords_register_app_events();
}
