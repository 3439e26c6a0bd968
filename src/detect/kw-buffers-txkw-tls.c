/*
 * TLS and SSH transaction keywords: tls.version (the version a side
 * announced: "1.0".."1.3", "3.0" for SSLv3, or a number), ssl_version (a
 * comma list of sslv2, sslv3, tls1.0..tls1.3, each may be negated with
 * '!'), ssl_state (client_hello, server_hello, client_keyx, server_keyx,
 * unknown, joined with '|', '!' negates one), ssh.protoversion (exact, or
 * 2_compat for "2.0"/"1.99") and ssh.softwareversion (prefix of the
 * software version), the legacy tls.subject / tls.issuerdn (a quoted
 * string the server certificate's subject / issuer DN must contain, case
 * sensitive, '!' in front negates) and tls.cert_chain_len (unsigned
 * expression on the number of certificates the server sent). Like
 * kw-buffers-txkw.c they sit on internal buffers whose getter hands the
 * transaction to inspect(); they are checked in the direction of the
 * packet being inspected (the certificate keywords to client only).
 * Registering them also registers tls.store (kw-tls-store.c).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/ssh/ssh.h"
#include "app/tls/tls.h"
#include "detect/inspect.h"
#include "detect/kw-buffers.h"
#include "detect/kw-tls-store.h"
#include "detect/uint-match.h"

typedef enum TlsKwKind {
    TK_TLS_VERSION,
    TK_SSL_VERSION,
    TK_SSL_STATE,
    TK_SSH_PROTO,
    TK_SSH_SOFT,
    TK_TLS_SUBJECT,
    TK_TLS_ISSUERDN,
    TK_TLS_CHAIN_LEN
} TlsKwKind;

typedef struct TlsKw {
    TlsKwKind kind;
    uint16_t version; /* tls.version */
    uint32_t want, negated; /* ssl_version: bit per version; ssl_state: TLS_SEEN_* */
    char str[256]; /* ssh keywords, tls.subject / tls.issuerdn */
    size_t str_len;
    bool negate;       /* tls.subject / tls.issuerdn */
    DetectUint count;  /* tls.cert_chain_len */
} TlsKw;

/* Does the DN [p, p+n) contain the rule's string? */
static bool dn_contains(const uint8_t *p, uint32_t n, const char *s, size_t sl)
{
    if (sl == 0)
        return true;
    for (uint32_t i = 0; i + sl <= n; i++)
        if (p[i] == (uint8_t)s[0] && memcmp(p + i, s, sl) == 0)
            return true;
    return false;
}

static int version_bit(uint16_t v)
{
    switch (v) {
    case 0x0200: return 0;
    case 0x0300: return 1;
    case 0x0301: return 2;
    case 0x0302: return 3;
    case 0x0303: return 4;
    case 0x0304: return 5;
    default: return -1;
    }
}

static InspectResult tlskw_inspect(struct DetectThread *dt, struct InspectCursor *cur, const Signature *s,
                                   const void *ctx)
{
    (void)dt;
    (void)s;
    const TlsKw *k = ctx;
    const void *tx = cur->buf;
    bool ts = cur->to_server;
    bool ok = false;
    switch (k->kind) {
    case TK_TLS_VERSION: ok = tls_tx_version(tx, ts) == k->version; break;
    case TK_SSL_VERSION: {
        int b = version_bit(tls_tx_version(tx, ts));
        if (b < 0)
            break;
        uint32_t bit = 1u << b;
        ok = (k->want & bit) != 0 || (k->negated && !(k->negated & bit));
        break;
    }
    case TK_SSL_STATE: {
        uint32_t st = tls_tx_ssl_state(tx);
        ok = (st & k->want) == k->want && (st & k->negated) == 0;
        break;
    }
    case TK_SSH_PROTO:
    case TK_SSH_SOFT: {
        const uint8_t *p = NULL;
        uint32_t n = 0;
        bool have = k->kind == TK_SSH_PROTO ? ssh_tx_get_protover(tx, ts, &p, &n) : ssh_tx_get_swver(tx, ts, &p, &n);
        if (!have)
            break;
        size_t sl = strlen(k->str);
        if (k->kind == TK_SSH_PROTO && strcmp(k->str, "2_compat") == 0)
            ok = (n == 3 && memcmp(p, "2.0", 3) == 0) || (n == 4 && memcmp(p, "1.99", 4) == 0);
        else if (k->kind == TK_SSH_PROTO)
            ok = n == sl && memcmp(p, k->str, n) == 0;
        else
            ok = n >= sl && memcmp(p, k->str, sl) == 0;
        break;
    }
    case TK_TLS_SUBJECT:
    case TK_TLS_ISSUERDN: {
        const uint8_t *p = NULL;
        uint32_t n = 0;
        TlsBuffer b = k->kind == TK_TLS_SUBJECT ? TLS_BUF_CERT_SUBJECT : TLS_BUF_CERT_ISSUER;
        if (!tls_tx_get_buffer(tx, b, false, 0, &p, &n))
            break;
        ok = dn_contains(p, n, k->str, k->str_len) != k->negate;
        break;
    }
    case TK_TLS_CHAIN_LEN: {
        uint32_t certs = 0;
        const uint8_t *p;
        uint32_t n;
        while (certs < 100000 && tls_tx_get_buffer(tx, TLS_BUF_CERTS, false, certs, &p, &n))
            certs++;
        ok = detect_uint_match(&k->count, certs);
        break;
    }
    }
    return ok ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

static char *trim(char *t)
{
    while (isspace((unsigned char)*t))
        t++;
    char *e = t + strlen(t);
    while (e > t && isspace((unsigned char)e[-1]))
        *--e = 0;
    return t;
}

static bool add(RuleParseCtx *rp, Signature *s, const char *kw, const char *buf, TlsKw *k)
{
    int id = buffer_lookup(buf), kid = keyword_lookup(kw);
    if (id < 0 || kid < 0) {
        free(k);
        return rule_error(rp, "internal error: '%s' is not registered", kw);
    }
    const BufferDef *b = buffer_by_list(buffer_list_id(id));
    if (!buffer_set_proto(rp, s, b->proto, kw) || !rule_append(rp, s, buffer_list_id(id), (uint16_t)kid, k)) {
        free(k);
        return false;
    }
    return true;
}

static bool setup_tls_version(RuleParseCtx *rp, Signature *s, const char *v)
{
    TlsKw *k = calloc(1, sizeof(*k));
    if (!k)
        return rule_error(rp, "out of memory");
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "%s", v ? v : "");
    char *t = trim(tmp);
    k->kind = TK_TLS_VERSION;
    if (strcmp(t, "1.0") == 0) k->version = 0x0301;
    else if (strcmp(t, "1.1") == 0) k->version = 0x0302;
    else if (strcmp(t, "1.2") == 0) k->version = 0x0303;
    else if (strcmp(t, "1.3") == 0) k->version = 0x0304;
    else if (strcmp(t, "3.0") == 0) k->version = 0x0300;
    else if (isdigit((unsigned char)*t)) k->version = (uint16_t)strtoul(t, NULL, 0);
    else {
        free(k);
        return rule_error(rp, "tls.version: invalid value '%s'", t);
    }
    return add(rp, s, "tls.version", "tls.version#tx", k);
}

static bool setup_ssl_version(RuleParseCtx *rp, Signature *s, const char *v)
{
    static const char *names[] = { "sslv2", "sslv3", "tls1.0", "tls1.1", "tls1.2", "tls1.3" };
    TlsKw *k = calloc(1, sizeof(*k));
    if (!k)
        return rule_error(rp, "out of memory");
    k->kind = TK_SSL_VERSION;
    char tmp[256];
    snprintf(tmp, sizeof(tmp), "%s", v ? v : "");
    for (char *save = NULL, *tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *t = trim(tok);
        bool neg = *t == '!';
        t = trim(neg ? t + 1 : t);
        int found = -1;
        for (int i = 0; i < 6; i++)
            if (strcasecmp(t, names[i]) == 0)
                found = i;
        if (found < 0) {
            free(k);
            return rule_error(rp, "ssl_version: unknown version '%s'", t);
        }
        if (neg)
            k->negated |= 1u << found;
        else
            k->want |= 1u << found;
    }
    return add(rp, s, "ssl_version", "ssl_version#tx", k);
}

static bool setup_ssl_state(RuleParseCtx *rp, Signature *s, const char *v)
{
    static const struct {
        const char *name;
        uint32_t flag;
    } st[] = { { "client_hello", TLS_SEEN_CLIENT_HELLO }, { "server_hello", TLS_SEEN_SERVER_HELLO },
               { "client_keyx", TLS_SEEN_CLIENT_KEYX }, { "server_keyx", TLS_SEEN_SERVER_KEYX },
               { "unknown", TLS_SEEN_UNKNOWN } };
    TlsKw *k = calloc(1, sizeof(*k));
    if (!k)
        return rule_error(rp, "out of memory");
    k->kind = TK_SSL_STATE;
    char tmp[256];
    snprintf(tmp, sizeof(tmp), "%s", v ? v : "");
    for (char *save = NULL, *tok = strtok_r(tmp, "|,", &save); tok; tok = strtok_r(NULL, "|,", &save)) {
        char *t = trim(tok);
        bool neg = *t == '!';
        t = trim(neg ? t + 1 : t);
        uint32_t f = 0;
        for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++)
            if (strcmp(t, st[i].name) == 0)
                f = st[i].flag;
        if (!f) {
            free(k);
            return rule_error(rp, "ssl_state: unknown state '%s'", t);
        }
        if (neg)
            k->negated |= f;
        else
            k->want |= f;
    }
    return add(rp, s, "ssl_state", "ssl_state#tx", k);
}

static bool setup_ssh(RuleParseCtx *rp, Signature *s, const char *v, TlsKwKind kind, const char *kw)
{
    TlsKw *k = calloc(1, sizeof(*k));
    if (!k)
        return rule_error(rp, "out of memory");
    k->kind = kind;
    char tmp[128];
    snprintf(tmp, sizeof(tmp), "%s", v ? v : "");
    char *t = trim(tmp);
    if (!*t) {
        free(k);
        return rule_error(rp, "%s needs a value", kw);
    }
    snprintf(k->str, sizeof(k->str), "%s", t);
    return add(rp, s, kw, kind == TK_SSH_PROTO ? "ssh.protoversion#tx" : "ssh.softwareversion#tx", k);
}
static bool setup_ssh_proto(RuleParseCtx *rp, Signature *s, const char *v)
{
    return setup_ssh(rp, s, v, TK_SSH_PROTO, "ssh.protoversion");
}
static bool setup_ssh_soft(RuleParseCtx *rp, Signature *s, const char *v)
{
    return setup_ssh(rp, s, v, TK_SSH_SOFT, "ssh.softwareversion");
}

/* tls.subject:"CN=x" / tls.issuerdn:!"CN=x" */
static bool setup_dn(RuleParseCtx *rp, Signature *s, const char *v, TlsKwKind kind, const char *kw)
{
    TlsKw *k = calloc(1, sizeof(*k));
    if (!k)
        return rule_error(rp, "out of memory");
    k->kind = kind;
    char tmp[sizeof(k->str) + 8];
    snprintf(tmp, sizeof(tmp), "%s", v ? v : "");
    char *t = trim(tmp);
    if (*t == '!') {
        k->negate = true;
        t = trim(t + 1);
    }
    size_t n = strlen(t);
    if (n >= 2 && t[0] == '"' && t[n - 1] == '"') {
        t[n - 1] = 0;
        t++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof(k->str)) {
        free(k);
        return rule_error(rp, "%s: invalid value '%s' (a quoted string, '!' negates)", kw, v ? v : "");
    }
    memcpy(k->str, t, n + 1);
    k->str_len = n;
    return add(rp, s, kw, kind == TK_TLS_SUBJECT ? "tls.subject#tx" : "tls.issuerdn#tx", k);
}
static bool setup_tls_subject(RuleParseCtx *rp, Signature *s, const char *v)
{
    return setup_dn(rp, s, v, TK_TLS_SUBJECT, "tls.subject");
}
static bool setup_tls_issuerdn(RuleParseCtx *rp, Signature *s, const char *v)
{
    return setup_dn(rp, s, v, TK_TLS_ISSUERDN, "tls.issuerdn");
}

static bool setup_chain_len(RuleParseCtx *rp, Signature *s, const char *v)
{
    TlsKw *k = calloc(1, sizeof(*k));
    if (!k)
        return rule_error(rp, "out of memory");
    k->kind = TK_TLS_CHAIN_LEN;
    if (!v || !detect_uint_parse(v, UINT32_MAX, &k->count)) {
        free(k);
        return rule_error(rp, "tls.cert_chain_len: invalid value '%s' (%s)", v ? v : "",
                          detect_uint_syntax_help());
    }
    return add(rp, s, "tls.cert_chain_len", "tls.cert_chain_len#tx", k);
}

void keywords_register_buffers_txkw_tls(void)
{
    static const BufferDef bufs[] = {
        { "tls.version#tx", 4, BUF_DIR_BOTH, false, buffer_get_tx_itself, NULL },
        { "ssl_version#tx", 4, BUF_DIR_BOTH, false, buffer_get_tx_itself, NULL },
        { "ssl_state#tx", 4, BUF_DIR_BOTH, false, buffer_get_tx_itself, NULL },
        { "ssh.protoversion#tx", 5, BUF_DIR_BOTH, false, buffer_get_tx_itself, NULL },
        { "ssh.softwareversion#tx", 5, BUF_DIR_BOTH, false, buffer_get_tx_itself, NULL },
        { "tls.subject#tx", 4, BUF_DIR_TOCLIENT, false, buffer_get_tx_itself, NULL },
        { "tls.issuerdn#tx", 4, BUF_DIR_TOCLIENT, false, buffer_get_tx_itself, NULL },
        { "tls.cert_chain_len#tx", 4, BUF_DIR_TOCLIENT, false, buffer_get_tx_itself, NULL },
    };
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
        buffer_register(&bufs[i]);
    const KeywordDef kws[] = {
        { .name = "tls.version", .help = "TLS version of the side", .flags = KW_QUOTES_OPTIONAL,
          .setup = setup_tls_version, .inspect = tlskw_inspect, .free = free },
        { .name = "ssl_version", .help = "SSL/TLS versions (list)", .setup = setup_ssl_version,
          .inspect = tlskw_inspect, .free = free },
        { .name = "ssl_state", .help = "SSL/TLS handshake messages seen", .setup = setup_ssl_state,
          .inspect = tlskw_inspect, .free = free },
        { .name = "ssh.protoversion", .alias = "ssh_protoversion", .help = "SSH protocol version",
          .flags = KW_QUOTES_OPTIONAL, .setup = setup_ssh_proto, .inspect = tlskw_inspect, .free = free },
        { .name = "ssh.softwareversion", .alias = "ssh_softwareversion", .help = "SSH software version prefix",
          .flags = KW_QUOTES_OPTIONAL, .setup = setup_ssh_soft, .inspect = tlskw_inspect, .free = free },
        { .name = "tls.subject", .help = "TLS server certificate subject contains (legacy)",
          .setup = setup_tls_subject, .inspect = tlskw_inspect, .free = free },
        { .name = "tls.issuerdn", .help = "TLS server certificate issuer contains (legacy)",
          .setup = setup_tls_issuerdn, .inspect = tlskw_inspect, .free = free },
        { .name = "tls.cert_chain_len", .help = "TLS server certificate chain length (uint)",
          .setup = setup_chain_len, .inspect = tlskw_inspect, .free = free },
    };
    for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
        keyword_register(&kws[i]);
    keywords_register_tls_store();
}
