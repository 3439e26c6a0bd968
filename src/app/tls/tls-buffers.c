/*
 * Rule-buffer getters for the TLS keywords (tls.sni, tls.cert_subject,
 * tls.cert_issuer, tls.cert_serial, tls.cert_fingerprint, tls.certs,
 * tls.subjectaltname, tls.random*, tls.alpn, ja3.*, ja3s.*, ja4.hash) and
 * Suricata's textual form of a protocol version.
 */
#include <stdio.h>
#include <string.h>

#include "app/tls/tls-int.h"

static bool str_out(const char *s, const uint8_t **buf, uint32_t *len)
{
    if (!s)
        return false;
    *buf = (const uint8_t *)s;
    *len = (uint32_t)strlen(s);
    return true;
}

bool tls_tx_get_buffer(const TlsTx *tx, TlsBuffer b, bool to_server, uint32_t idx,
                       const uint8_t **buf, uint32_t *len)
{
    const TlsSide *s = to_server ? &tx->client : &tx->server;
    if (idx > 0 && b != TLS_BUF_CERTS && b != TLS_BUF_SUBJECTALTNAME && b != TLS_BUF_ALPN)
        return false;
    switch (b) {
    case TLS_BUF_SNI:
        if (!tx->client.sni)
            return false;
        *buf = (const uint8_t *)tx->client.sni;
        *len = tx->client.sni_len;
        return true;
    case TLS_BUF_CERT_SUBJECT:
        if (!s->subject)
            return false;
        *buf = (const uint8_t *)s->subject;
        *len = s->subject_len;
        return true;
    case TLS_BUF_CERT_ISSUER:
        if (!s->issuer)
            return false;
        *buf = (const uint8_t *)s->issuer;
        *len = s->issuer_len;
        return true;
    case TLS_BUF_CERT_SERIAL: return str_out(s->serial, buf, len);
    case TLS_BUF_CERT_FINGERPRINT: return str_out(s->fingerprint, buf, len);
    case TLS_BUF_CERTS:
        if (idx >= s->ncerts)
            return false;
        *buf = s->cert_der[idx];
        *len = s->cert_len[idx];
        return true;
    case TLS_BUF_SUBJECTALTNAME:
        if (idx >= s->sans.n)
            return false;
        *buf = (const uint8_t *)s->sans.v[idx];
        *len = s->sans.len[idx];
        return true;
    case TLS_BUF_RANDOM:
    case TLS_BUF_RANDOM_TIME:
    case TLS_BUF_RANDOM_BYTES:
        if (!s->has_random)
            return false;
        *buf = s->random + (b == TLS_BUF_RANDOM_BYTES ? 4 : 0);
        *len = b == TLS_BUF_RANDOM ? 32 : b == TLS_BUF_RANDOM_TIME ? 4 : 28;
        return true;
    case TLS_BUF_ALPN:
        if (idx >= s->alpns.n)
            return false;
        *buf = (const uint8_t *)s->alpns.v[idx];
        *len = s->alpns.len[idx];
        return true;
    case TLS_BUF_JA3_HASH:
        return tx->client.ja3_str && str_out(tx->client.ja3_hash, buf, len);
    case TLS_BUF_JA3_STRING: return str_out(tx->client.ja3_str, buf, len);
    case TLS_BUF_JA3S_HASH:
        return tx->server.ja3_str && str_out(tx->server.ja3_hash, buf, len);
    case TLS_BUF_JA3S_STRING: return str_out(tx->server.ja3_str, buf, len);
    case TLS_BUF_JA4_HASH:
        return tx->client.has_ja4 && str_out(tx->client.ja4, buf, len);
    }
    return false;
}

const char *tls_version_string(uint16_t v, char *buf, uint32_t size)
{
    const char *s = NULL;
    switch (v) {
    case TLS_VERSION_UNKNOWN: s = "UNDETERMINED"; break;
    case TLS_VERSION_SSL2: s = "SSLv2"; break;
    case TLS_VERSION_SSL3: s = "SSLv3"; break;
    case TLS_VERSION_10: s = "TLSv1"; break;
    case TLS_VERSION_11: s = "TLS 1.1"; break;
    case TLS_VERSION_12: s = "TLS 1.2"; break;
    case TLS_VERSION_13: s = "TLS 1.3"; break;
    default: break;
    }
    if (s)
        snprintf(buf, size, "%s", s);
    else if ((v >> 8) == 0x7f && (v & 0xff) < 16)
        snprintf(buf, size, "TLS 1.3 draft-<16");
    else if ((v >> 8) == 0x7f)
        snprintf(buf, size, "TLS 1.3 draft-%u", v & 0xffu);
    else
        snprintf(buf, size, "0x%04x", v);
    return buf;
}
