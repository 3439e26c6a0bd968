/*
 * EVE "tls" object, field for field as Suricata 8's output-json-tls.c
 * writes it: subject, issuerdn, subjectaltname, session_resumed, serial,
 * fingerprint, sni, version, notbefore, notafter, certificate, chain, ja3,
 * ja3s, ja4, client_alpns, server_alpns, client, from_proto, each gated by
 * the configured field mask (basic = subject/issuer/SAN; extended adds the
 * rest except certificate, chain and session_resumed). JA3/JA4 appear only
 * when the fingerprints are enabled in the app-layer configuration.
 * Certificate times are UTC "YYYY-MM-DDTHH:MM:SS".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

#include "app/tls/tls-int.h"

void tls_log_config_default(TlsLogConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->fields = TLS_LOG_BASIC;
    cfg->session_resumption = true;
}

static const struct {
    const char *name;
    uint32_t flag;
} k_fields[] = {
    { "version", TLS_LOG_VERSION }, { "subject", TLS_LOG_SUBJECT },
    { "issuer", TLS_LOG_ISSUER }, { "serial", TLS_LOG_SERIAL },
    { "fingerprint", TLS_LOG_FINGERPRINT }, { "not_before", TLS_LOG_NOTBEFORE },
    { "not_after", TLS_LOG_NOTAFTER }, { "sni", TLS_LOG_SNI },
    { "certificate", TLS_LOG_CERTIFICATE }, { "chain", TLS_LOG_CHAIN },
    { "session_resumed", TLS_LOG_SESSION_RESUMED }, { "ja3", TLS_LOG_JA3 },
    { "ja3s", TLS_LOG_JA3S }, { "client", TLS_LOG_CLIENT },
    { "client_certificate", TLS_LOG_CLIENT_CERT }, { "client_chain", TLS_LOG_CLIENT_CHAIN },
    { "ja4", TLS_LOG_JA4 }, { "subjectaltname", TLS_LOG_SUBJECTALTNAME },
    { "client_alpns", TLS_LOG_CLIENT_ALPNS }, { "server_alpns", TLS_LOG_SERVER_ALPNS },
};

uint32_t tls_log_field_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof(k_fields) / sizeof(k_fields[0]); i++)
        if (strcasecmp(k_fields[i].name, name) == 0)
            return k_fields[i].flag;
    return 0;
}

bool tls_tx_loggable(const TlsTx *tx, const TlsLogConfig *cfg)
{
    if (tx->server.issuer && tx->server.subject)
        return true;
    if (tx->resumed && cfg->session_resumption)
        return true;
    return tx->log_without_cert;
}

static void log_time(JsonBuf *j, const char *key, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[40];
    if (!gmtime_r(&tt, &tm))
        return;
    snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    jb_str(j, key, buf);
}

static void log_b64(JsonBuf *j, const char *key, const uint8_t *d, uint32_t len)
{
    char *out = malloc(((size_t)len + 2) / 3 * 4 + 1);
    if (!out)
        return;
    EVP_EncodeBlock((unsigned char *)out, d, (int)len);
    jb_str(j, key, out);
    free(out);
}

static void log_list(JsonBuf *j, const char *key, const TlsStrList *l)
{
    if (l->n == 0)
        return;
    jb_open_array(j, key);
    for (uint32_t i = 0; i < l->n; i++)
        jb_strn(j, NULL, (const uint8_t *)l->v[i], l->len[i]);
    jb_close_array(j);
}

static void log_chain(JsonBuf *j, const TlsSide *s)
{
    if (s->ncerts == 0)
        return;
    jb_open_array(j, "chain");
    for (uint32_t i = 0; i < s->ncerts; i++)
        log_b64(j, NULL, s->cert_der[i], s->cert_len[i]);
    jb_close_array(j);
}

static void log_client(JsonBuf *j, const TlsSide *c, uint32_t f)
{
    if (!c->subject && !c->issuer)
        return;
    jb_open_object(j, "client");
    if (c->subject) jb_strn(j, "subject", (const uint8_t *)c->subject, c->subject_len);
    if (c->issuer) jb_strn(j, "issuerdn", (const uint8_t *)c->issuer, c->issuer_len);
    if (c->fingerprint) jb_str(j, "fingerprint", c->fingerprint);
    if (c->serial) jb_str(j, "serial", c->serial);
    if (c->not_before != 0) log_time(j, "notbefore", c->not_before);
    if (c->not_after != 0) log_time(j, "notafter", c->not_after);
    if ((f & TLS_LOG_CLIENT_CERT) && c->ncerts > 0)
        log_b64(j, "certificate", c->cert_der[0], c->cert_len[0]);
    if (f & TLS_LOG_CLIENT_CHAIN)
        log_chain(j, c);
    jb_close_object(j);
}

void tls_log_tx(JsonBuf *j, const TlsTx *tx, const TlsLogConfig *cfg)
{
    const TlsSide *s = &tx->server, *c = &tx->client;
    uint32_t f = cfg->fields;
    char vb[32];
    jb_open_object(j, "tls");
    if ((f & TLS_LOG_SUBJECT) && s->subject) jb_strn(j, "subject", (const uint8_t *)s->subject, s->subject_len);
    if ((f & TLS_LOG_ISSUER) && s->issuer) jb_strn(j, "issuerdn", (const uint8_t *)s->issuer, s->issuer_len);
    if (f & TLS_LOG_SUBJECTALTNAME) log_list(j, "subjectaltname", &s->sans);
    if ((f & TLS_LOG_SESSION_RESUMED) && tx->resumed && !s->issuer && !s->subject &&
        (tx->seen & TLS_SEEN_SERVER_HELLO) && !tx->log_without_cert)
        jb_bool(j, "session_resumed", true);
    if ((f & TLS_LOG_SERIAL) && s->serial) jb_str(j, "serial", s->serial);
    if ((f & TLS_LOG_FINGERPRINT) && s->fingerprint) jb_str(j, "fingerprint", s->fingerprint);
    if ((f & TLS_LOG_SNI) && c->sni) jb_strn(j, "sni", (const uint8_t *)c->sni, c->sni_len);
    if (f & TLS_LOG_VERSION) /* the client's when the server never answered */
        jb_str(j, "version", tls_version_string(s->version ? s->version : c->version, vb, sizeof(vb)));
    if ((f & TLS_LOG_NOTBEFORE) && s->not_before != 0) log_time(j, "notbefore", s->not_before);
    if ((f & TLS_LOG_NOTAFTER) && s->not_after != 0) log_time(j, "notafter", s->not_after);
    if ((f & TLS_LOG_CERTIFICATE) && s->ncerts > 0)
        log_b64(j, "certificate", s->cert_der[0], s->cert_len[0]);
    if (f & TLS_LOG_CHAIN) log_chain(j, s);
    if ((f & TLS_LOG_JA3) && cfg->ja3 && c->ja3_str) {
        jb_open_object(j, "ja3");
        jb_str(j, "hash", c->ja3_hash);
        jb_str(j, "string", c->ja3_str);
        jb_close_object(j);
    }
    if ((f & TLS_LOG_JA3S) && cfg->ja3 && s->ja3_str) {
        jb_open_object(j, "ja3s");
        jb_str(j, "hash", s->ja3_hash);
        jb_str(j, "string", s->ja3_str);
        jb_close_object(j);
    }
    if ((f & TLS_LOG_JA4) && cfg->ja4 && c->has_ja4) jb_str(j, "ja4", c->ja4);
    if (f & TLS_LOG_CLIENT_ALPNS) log_list(j, "client_alpns", &c->alpns);
    if (f & TLS_LOG_SERVER_ALPNS) log_list(j, "server_alpns", &s->alpns);
    if (f & TLS_LOG_CLIENT) log_client(j, c, f);
    if (cfg->from_proto) jb_str(j, "from_proto", cfg->from_proto);
    jb_close_object(j);
}
