/*
 * TLS rule buffers: SNI, certificate fields (subject, issuer, serial,
 * fingerprint, the DER chain, subjectAltName), ALPN, the hello randoms and
 * the JA3/JA3S/JA4
 * fingerprints, read through tls_tx_get_buffer(). Client-side buffers
 * (sni, ja3, ja4) inspect to server, ja3s to client; the certificate
 * buffers inspect both: the client's certificate to server, the server's
 * to client (Suricata 7+ client certificate support). A buffer is inspected as soon as the parser has it; the legacy
 * names Suricata 8 still accepts (tls_sni, tls_cert_subject,
 * tls_cert_issuer, ja3_hash) are aliases of the sticky keywords.
 */
#include <stdbool.h>
#include <stdint.h>

#include "app/tls/tls.h"
#include "detect/kw-buffers.h"

#define TLS_PROTO 4

#define GETTER(fn, b, multi)                                                                \
    static bool fn(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)   \
    {                                                                                       \
        if (!(multi) && i)                                                                  \
            return false;                                                                   \
        return tls_tx_get_buffer(tx, b, ts, i, d, l);                                       \
    }
GETTER(g_sni, TLS_BUF_SNI, false)
GETTER(g_subject, TLS_BUF_CERT_SUBJECT, false)
GETTER(g_issuer, TLS_BUF_CERT_ISSUER, false)
GETTER(g_serial, TLS_BUF_CERT_SERIAL, false)
GETTER(g_fingerprint, TLS_BUF_CERT_FINGERPRINT, false)
GETTER(g_certs, TLS_BUF_CERTS, true)
GETTER(g_san, TLS_BUF_SUBJECTALTNAME, true)
GETTER(g_alpn, TLS_BUF_ALPN, true)
GETTER(g_ja3, TLS_BUF_JA3_HASH, false)
GETTER(g_ja3_string, TLS_BUF_JA3_STRING, false)
GETTER(g_ja3s, TLS_BUF_JA3S_HASH, false)
GETTER(g_ja3s_string, TLS_BUF_JA3S_STRING, false)
GETTER(g_ja4, TLS_BUF_JA4_HASH, false)
GETTER(g_random, TLS_BUF_RANDOM, false)
GETTER(g_random_time, TLS_BUF_RANDOM_TIME, false)
GETTER(g_random_bytes, TLS_BUF_RANDOM_BYTES, false)

#define TS BUF_DIR_TOSERVER
#define TC BUF_DIR_TOCLIENT
static const BufferDef bufs[] = {
    { "tls.sni", TLS_PROTO, TS, false, g_sni, buffer_ready_always },
    { "tls.cert_subject", TLS_PROTO, BUF_DIR_BOTH, false, g_subject, buffer_ready_always },
    { "tls.cert_issuer", TLS_PROTO, BUF_DIR_BOTH, false, g_issuer, buffer_ready_always },
    { "tls.cert_serial", TLS_PROTO, BUF_DIR_BOTH, false, g_serial, buffer_ready_always },
    { "tls.cert_fingerprint", TLS_PROTO, BUF_DIR_BOTH, false, g_fingerprint, buffer_ready_always },
    { "tls.certs", TLS_PROTO, BUF_DIR_BOTH, true, g_certs, buffer_ready_always },
    { "tls.subjectaltname", TLS_PROTO, TC, true, g_san, buffer_ready_always },
    { "tls.alpn", TLS_PROTO, BUF_DIR_BOTH, true, g_alpn, buffer_ready_always },
    { "ja3.hash", TLS_PROTO, TS, false, g_ja3, buffer_ready_always },
    { "ja3.string", TLS_PROTO, TS, false, g_ja3_string, buffer_ready_always },
    { "ja3s.hash", TLS_PROTO, TC, false, g_ja3s, buffer_ready_always },
    { "ja3s.string", TLS_PROTO, TC, false, g_ja3s_string, buffer_ready_always },
    { "ja4.hash", TLS_PROTO, TS, false, g_ja4, buffer_ready_always },
    { "tls.random", TLS_PROTO, BUF_DIR_BOTH, false, g_random, buffer_ready_always },
    { "tls.random_time", TLS_PROTO, BUF_DIR_BOTH, false, g_random_time, buffer_ready_always },
    { "tls.random_bytes", TLS_PROTO, BUF_DIR_BOTH, false, g_random_bytes, buffer_ready_always },
};

#define ST(n, kw) BUF_STICKY(s_##n, kw, kw)
ST(sni, "tls.sni")
ST(subject, "tls.cert_subject")
ST(issuer, "tls.cert_issuer")
ST(serial, "tls.cert_serial")
ST(fingerprint, "tls.cert_fingerprint")
ST(certs, "tls.certs")
ST(san, "tls.subjectaltname")
ST(alpn, "tls.alpn")
ST(ja3, "ja3.hash")
ST(ja3_string, "ja3.string")
ST(ja3s, "ja3s.hash")
ST(ja3s_string, "ja3s.string")
ST(ja4, "ja4.hash")
ST(random, "tls.random")
ST(random_time, "tls.random_time")
ST(random_bytes, "tls.random_bytes")

void keywords_register_buffers_tls(void)
{
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
        buffer_register(&bufs[i]);
    static const struct {
        const char *name, *alias;
        bool (*setup)(RuleParseCtx *, Signature *, const char *);
    } st[] = {
        { "tls.sni", "tls_sni", s_sni }, { "tls.cert_subject", "tls_cert_subject", s_subject },
        { "tls.cert_issuer", "tls_cert_issuer", s_issuer }, { "tls.cert_serial", "tls_cert_serial", s_serial },
        { "tls.cert_fingerprint", "tls_cert_fingerprint", s_fingerprint }, { "tls.certs", NULL, s_certs },
        { "tls.subjectaltname", NULL, s_san }, { "tls.alpn", NULL, s_alpn }, { "ja3.hash", "ja3_hash", s_ja3 },
        { "ja3.string", "ja3_string", s_ja3_string }, { "ja3s.hash", NULL, s_ja3s },
        { "ja3s.string", NULL, s_ja3s_string }, { "ja4.hash", NULL, s_ja4 },
        { "tls.random", NULL, s_random }, { "tls.random_time", NULL, s_random_time },
        { "tls.random_bytes", NULL, s_random_bytes },
    };
    for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++)
        buffer_register_sticky(st[i].name, st[i].alias, "sticky buffer: TLS", st[i].setup);
}
