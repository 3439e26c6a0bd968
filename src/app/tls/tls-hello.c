/*
 * ClientHello and ServerHello bodies (RFC 5246 7.4.1.2/7.4.1.3, RFC 8446
 * 4.1.2/4.1.3) and the hello extensions Odlar keeps: server_name (RFC 6066
 * section 3), ALPN (RFC 7301), supported_versions (RFC 8446 4.2.1),
 * supported_groups, ec_point_formats (RFC 8422) and signature_algorithms.
 *
 *   ClientHello: version(2) random(32) session_id<0..32>
 *                cipher_suites<2..2^16-2> compression_methods<1..2^8-1>
 *                [extensions<0..2^16-1>]
 *   ServerHello: version(2) random(32) session_id<0..32> cipher_suite(2)
 *                compression_method(1) [extensions]
 *   extension:   type(2) length(2) data
 *
 * A length that does not fit raises HANDSHAKE_INVALID_LENGTH and stops the
 * parser, as Suricata does. After a hello the JA3/JA3S/JA4 fingerprints are
 * computed from the kept lists.
 */
#include <string.h>

#include "app/tls/tls-int.h"
#include "util/bytes.h"

enum {
    EXT_SNI = 0,
    EXT_GROUPS = 10,
    EXT_POINTFMTS = 11,
    EXT_SIGALGS = 13,
    EXT_ALPN = 16,
    EXT_SUPPORTED_VERSIONS = 43,
};

static void list_add(TlsU16List *l, uint16_t v)
{
    if (l->n < TLS_MAX_LIST)
        l->v[l->n++] = v;
}

static void parse_sni(TlsTx *tx, TlsSide *c, ByteReader *e)
{
    if (c->has_sni_ext) {
        tls_set_event(tx, TLS_EV_MULTIPLE_SNI_EXTENSIONS);
        return;
    }
    c->has_sni_ext = true;
    uint16_t list_len, name_len;
    uint8_t type;
    if (!br_be16(e, &list_len) || !br_u8(e, &type))
        return;
    if (type != 0) {
        tls_set_event(tx, TLS_EV_INVALID_SNI_TYPE);
        return;
    }
    const uint8_t *name;
    if (!br_be16(e, &name_len) || !br_bytes(e, name_len, &name)) {
        tls_set_event(tx, TLS_EV_INVALID_SNI_LENGTH);
        return;
    }
    c->sni = tls_strndup(name, name_len);
    c->sni_len = c->sni ? name_len : 0;
}

static void parse_alpn(TlsSide *s, ByteReader *e)
{
    uint16_t list_len;
    if (!br_be16(e, &list_len))
        return;
    ByteReader l = br_init(br_cursor(e), list_len <= br_remaining(e) ? list_len : br_remaining(e));
    uint8_t n;
    const uint8_t *p;
    while (br_u8(&l, &n) && br_bytes(&l, n, &p))
        tls_strlist_add(&s->alpns, p, n);
}

static void parse_u16_list(TlsU16List *out, ByteReader *e, bool len8)
{
    uint16_t n = 0;
    uint8_t n8;
    if (len8) {
        if (!br_u8(e, &n8))
            return;
        n = n8;
    } else if (!br_be16(e, &n)) {
        return;
    }
    uint16_t v;
    for (uint32_t i = 0; i + 1 < n && br_be16(e, &v); i += 2)
        list_add(out, v);
}

static bool parse_client_ext(TlsTx *tx, TlsSide *c, uint16_t type, ByteReader *e)
{
    switch (type) {
    case EXT_SNI:
        parse_sni(tx, c, e);
        break;
    case EXT_ALPN:
        parse_alpn(c, e);
        break;
    case EXT_SUPPORTED_VERSIONS: {
        TlsU16List vers = { .n = 0 };
        parse_u16_list(&vers, e, true);
        for (uint32_t i = 0; i < vers.n; i++)
            if (!tls_is_grease(vers.v[i]) && vers.v[i] > c->version)
                c->version = vers.v[i];
        break;
    }
    case EXT_GROUPS:
        parse_u16_list(&c->groups, e, false);
        break;
    case EXT_POINTFMTS: {
        uint8_t n, v;
        if (!br_u8(e, &n))
            break;
        for (uint32_t i = 0; i < n && br_u8(e, &v); i++)
            if (c->npointfmts < sizeof(c->pointfmts))
                c->pointfmts[c->npointfmts++] = v;
        break;
    }
    case EXT_SIGALGS:
        parse_u16_list(&c->sigalgs, e, false);
        break;
    default:
        break;
    }
    return true;
}

static bool invalid_length(TlsTx *tx)
{
    tls_set_event(tx, TLS_EV_HANDSHAKE_INVALID_LENGTH);
    return false;
}

bool tls_parse_client_hello(TlsState *st, const uint8_t *b, uint32_t len)
{
    TlsTx *tx = &st->tx;
    TlsSide *c = &tx->client;
    tx->seen |= TLS_SEEN_CLIENT_HELLO;
    tls_set_progress(tx, true, TLS_PROGRESS_HELLO);
    if (c->has_hello)
        return true; /* keep the first hello's metadata */
    ByteReader r = br_init(b, len);
    uint16_t ver, clen, elen;
    uint8_t sid_len, comp_len;
    const uint8_t *p;
    if (!br_be16(&r, &ver) || !br_copy(&r, c->random, 32))
        return invalid_length(tx);
    c->has_hello = true;
    c->has_random = true;
    c->hello_version = c->version = ver;
    if (!br_u8(&r, &sid_len) || sid_len > 32 || !br_copy(&r, c->session_id, sid_len))
        return invalid_length(tx);
    c->session_id_len = sid_len;
    if (!br_be16(&r, &clen) || !br_bytes(&r, clen, &p))
        return invalid_length(tx);
    for (uint32_t i = 0; i + 1 < clen; i += 2)
        list_add(&c->ciphers, rd_be16(p + i));
    if (!br_u8(&r, &comp_len) || !br_skip(&r, comp_len))
        return invalid_length(tx);
    if (br_remaining(&r) > 0) {
        if (!br_be16(&r, &elen) || !br_bytes(&r, elen, &p))
            return invalid_length(tx);
        ByteReader x = br_init(p, elen);
        while (br_remaining(&x) >= 4) {
            uint16_t type = 0, l = 0;
            const uint8_t *ed;
            br_be16(&x, &type);
            br_be16(&x, &l);
            if (!br_bytes(&x, l, &ed))
                return invalid_length(tx);
            list_add(&c->exts, type);
            ByteReader e = br_init(ed, l);
            parse_client_ext(tx, c, type, &e);
        }
    }
    tls_ja3_client(c);
    tls_ja4_client(c);
    return true;
}

static bool is_old_draft(uint16_t v)
{
    /* TLS 1.3 drafts before 22 put the draft version in the ServerHello and
     * dropped session_id and compression_method; drafts before 16 put
     * 0x0304 itself there (final TLS 1.3 keeps 0x0303 in that field) */
    return ((v >> 8) == 0x7f && (v & 0xff) < 22) || v == TLS_VERSION_13;
}

bool tls_parse_server_hello(TlsState *st, const uint8_t *b, uint32_t len)
{
    TlsTx *tx = &st->tx;
    TlsSide *s = &tx->server;
    tx->seen |= TLS_SEEN_SERVER_HELLO;
    tls_set_progress(tx, false, TLS_PROGRESS_HELLO);
    if (s->has_hello)
        return true;
    ByteReader r = br_init(b, len);
    uint16_t ver, cipher, elen;
    uint8_t sid_len = 0, comp;
    const uint8_t *p;
    if (!br_be16(&r, &ver) || !br_copy(&r, s->random, 32))
        return invalid_length(tx);
    s->has_hello = true;
    s->has_random = true;
    s->hello_version = s->version = ver;
    if (ver == TLS_VERSION_13)
        s->version = 0x7f00; /* Suricata's "TLS 1.3 draft-<16" */
    if (!is_old_draft(ver)) {
        if (!br_u8(&r, &sid_len) || sid_len > 32 || !br_copy(&r, s->session_id, sid_len))
            return invalid_length(tx);
        s->session_id_len = sid_len;
    }
    if (!br_be16(&r, &cipher))
        return invalid_length(tx);
    list_add(&s->ciphers, cipher);
    if (!is_old_draft(ver) && !br_u8(&r, &comp))
        return invalid_length(tx);
    if (br_remaining(&r) >= 2) {
        if (!br_be16(&r, &elen) || !br_bytes(&r, elen, &p))
            return invalid_length(tx);
        ByteReader x = br_init(p, elen);
        while (br_remaining(&x) >= 4) {
            uint16_t type = 0, l = 0, v = 0;
            const uint8_t *ed;
            br_be16(&x, &type);
            br_be16(&x, &l);
            if (!br_bytes(&x, l, &ed))
                return invalid_length(tx);
            list_add(&s->exts, type);
            ByteReader e = br_init(ed, l);
            if (type == EXT_SUPPORTED_VERSIONS && br_be16(&e, &v))
                s->version = v;
            else if (type == EXT_ALPN)
                parse_alpn(s, &e);
        }
    }
    bool tls13 = s->version == TLS_VERSION_13 || (s->version >> 8) == 0x7f;
    if (tls13)
        tx->log_without_cert = true;
    else if (sid_len > 0 && sid_len == tx->client.session_id_len &&
             memcmp(s->session_id, tx->client.session_id, sid_len) == 0)
        tx->resumed = true;
    tls_ja3_server(s);
    return true;
}
