/*
 * Unit tests of the TLS parser: hand-built ClientHello / ServerHello /
 * Certificate records (the certificate is generated here with libcrypto),
 * every chunking of a whole session, handshake messages split across
 * records, the SSLv2-compatible hello, malformed lengths and each event,
 * JA3/JA3S/JA4 against values computed by hand, the EVE object, and the
 * tls.store files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "app/tls/tls.h"
#include "app/tls/tls-x509.h"

typedef struct W {
    uint8_t b[65536];
    size_t n;
} W;
static void w8(W *w, unsigned v) { w->b[w->n++] = (uint8_t)v; }
static void w16(W *w, unsigned v) { w8(w, v >> 8); w8(w, v); }
static void w24(W *w, unsigned v) { w8(w, v >> 16); w16(w, v); }
static void wmem(W *w, const void *p, size_t n) { if (n) memcpy(w->b + w->n, p, n); w->n += n; }
static void put16(W *w, size_t at, size_t v) { w->b[at] = (uint8_t)(v >> 8); w->b[at + 1] = (uint8_t)v; }
static void put24(W *w, size_t at, size_t v) { w->b[at] = (uint8_t)(v >> 16); put16(w, at + 1, v); }

/* Wraps a handshake message body into a record. */
static void record(W *out, unsigned type, const uint8_t *body, size_t n)
{
    w8(out, type);
    w16(out, 0x0303);
    w16(out, (unsigned)n);
    wmem(out, body, n);
}
static void hs_msg(W *m, unsigned type, const uint8_t *body, size_t n)
{
    w8(m, type);
    w24(m, (unsigned)n);
    wmem(m, body, n);
}

/* ClientHello: GREASE cipher/extension/group, SNI, groups, point formats,
 * signature algorithms, ALPN h2 + http/1.1, supported_versions 1.3/1.2. */
static void client_hello_body(W *b, const char *sni, bool two_sni, unsigned sni_type)
{
    w16(b, 0x0303);
    for (int i = 0; i < 32; i++) w8(b, i);
    w8(b, 4); w8(b, 1); w8(b, 2); w8(b, 3); w8(b, 4); /* session id */
    w16(b, 6); w16(b, 0x0a0a); w16(b, 0xc02b); w16(b, 0x002f);
    w8(b, 1); w8(b, 0);
    size_t el = b->n; w16(b, 0);
    w16(b, 0x1a1a); w16(b, 0);
    for (int k = 0; k < (two_sni ? 2 : 1); k++) {
        size_t sl = strlen(sni);
        w16(b, 0); w16(b, (unsigned)(sl + 5)); w16(b, (unsigned)(sl + 3)); w8(b, sni_type); w16(b, (unsigned)sl); wmem(b, sni, sl);
    }
    w16(b, 10); w16(b, 8); w16(b, 6); w16(b, 0x2a2a); w16(b, 29); w16(b, 23);
    w16(b, 11); w16(b, 2); w8(b, 1); w8(b, 0);
    w16(b, 13); w16(b, 6); w16(b, 4); w16(b, 0x0403); w16(b, 0x0804);
    w16(b, 16); w16(b, 14); w16(b, 12); w8(b, 2); wmem(b, "h2", 2); w8(b, 8); wmem(b, "http/1.1", 8);
    w16(b, 43); w16(b, 5); w8(b, 4); w16(b, 0x0304); w16(b, 0x0303);
    put16(b, el, b->n - el - 2);
}

static void server_hello_body(W *b, unsigned sv)
{
    w16(b, 0x0303);
    for (int i = 0; i < 32; i++) w8(b, 0xa0 + i);
    w8(b, 4); w8(b, 9); w8(b, 9); w8(b, 9); w8(b, 9);
    w16(b, 0xc02f);
    w8(b, 0);
    size_t el = b->n; w16(b, 0);
    w16(b, 0xff01); w16(b, 1); w8(b, 0);
    w16(b, 0); w16(b, 0);
    w16(b, 16); w16(b, 5); w16(b, 3); w8(b, 2); wmem(b, "h2", 2);
    if (sv) { w16(b, 43); w16(b, 2); w16(b, sv); }
    put16(b, el, b->n - el - 2);
}

static uint8_t *g_der;
static int g_der_len;

static void make_cert(void)
{
    EVP_PKEY *k = EVP_EC_gen("P-256");
    assert_non_null(k);
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 0x8a07);
    X509_NAME *n = X509_NAME_new();
    X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"US", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"Odlar Test, Inc.", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"test.example", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "emailAddress", MBSTRING_ASC, (const unsigned char *)"a@b.c", -1, -1, 0);
    X509_set_subject_name(x, n);
    X509_NAME *is = X509_NAME_new();
    X509_NAME_add_entry_by_txt(is, "CN", MBSTRING_ASC, (const unsigned char *)"Odlar CA", -1, -1, 0);
    X509_set_issuer_name(x, is);
    ASN1_TIME_set(X509_getm_notBefore(x), 1600000000);
    ASN1_TIME_set(X509_getm_notAfter(x), 1700000000);
    X509_set_pubkey(x, k);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, "DNS:a.example, IP:1.2.3.4, DNS:b.example");
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    X509_sign(x, k, EVP_sha256());
    g_der = NULL;
    g_der_len = i2d_X509(x, &g_der);
    assert_true(g_der_len > 0);
    X509_NAME_free(n);
    X509_NAME_free(is);
    X509_free(x);
    EVP_PKEY_free(k);
}

static void cert_msg_body(W *b, int ncerts)
{
    w24(b, (unsigned)(ncerts * (g_der_len + 3)));
    for (int i = 0; i < ncerts; i++) {
        w24(b, (unsigned)g_der_len);
        wmem(b, g_der, (size_t)g_der_len);
    }
}

/* Client flight (ClientHello) and server flight (SH, Certificate, SHD,
 * CCS, app data), as stream bytes. */
static void client_flight(W *out)
{
    W b = { .n = 0 }, m = { .n = 0 };
    client_hello_body(&b, "www.example.com", false, 0);
    hs_msg(&m, 1, b.b, b.n);
    record(out, 22, m.b, m.n);
    static const uint8_t ccs = 1;
    record(out, 20, &ccs, 1);
    static const uint8_t junk[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    record(out, 23, junk, sizeof(junk));
}

static void server_flight(W *out, int ncerts)
{
    W b = { .n = 0 }, m = { .n = 0 };
    server_hello_body(&b, 0);
    hs_msg(&m, 2, b.b, b.n);
    b.n = 0;
    cert_msg_body(&b, ncerts);
    hs_msg(&m, 11, b.b, b.n);
    hs_msg(&m, 14, NULL, 0);
    /* split the handshake messages over records of at most 700 bytes */
    for (size_t off = 0; off < m.n; off += 700)
        record(out, 22, m.b + off, m.n - off < 700 ? m.n - off : 700);
    static const uint8_t ccs = 1;
    record(out, 20, &ccs, 1);
    static const uint8_t junk[5] = { 9, 9, 9, 9, 9 };
    record(out, 23, junk, sizeof(junk));
}

static char *eve_of(TlsState *st, uint32_t fields, bool ja)
{
    TlsTx *tx = tls_tx_get(st, 0);
    assert_non_null(tx);
    TlsLogConfig cfg;
    tls_log_config_default(&cfg);
    cfg.fields = fields;
    cfg.ja3 = cfg.ja4 = ja;
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    tls_log_tx(&j, tx, &cfg);
    jb_close_object(&j);
    char *s = strndup(j.buf, j.len);
    jb_free(&j);
    return s;
}

/* Feeds both flights with a chunk size (0 = all at once). */
static TlsState *run_session(size_t chunk, int ncerts)
{
    W c = { .n = 0 }, s = { .n = 0 };
    client_flight(&c);
    server_flight(&s, ncerts);
    TlsState *st = tls_state_new();
    size_t step = chunk ? chunk : c.n + s.n;
    for (size_t off = 0; off < c.n; off += step)
        assert_true(tls_parse(st, true, c.b + off, (uint32_t)(c.n - off < step ? c.n - off : step), 0));
    for (size_t off = 0; off < s.n; off += step)
        assert_true(tls_parse(st, false, s.b + off, (uint32_t)(s.n - off < step ? s.n - off : step), 0));
    return st;
}

static const char *k_ja3 = "771,49195-47,0-10-11-13-16-43,29-23,0";

static void test_client_hello(void **state)
{
    (void)state;
    TlsState *st = run_session(0, 1);
    TlsTx *tx = tls_tx_get(st, 0);
    const uint8_t *b;
    uint32_t l;
    assert_int_equal(tls_tx_count(st), 1);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_SNI, true, 0, &b, &l));
    assert_int_equal(l, 15);
    assert_memory_equal(b, "www.example.com", 15);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_JA3_STRING, true, 0, &b, &l));
    assert_int_equal(l, strlen(k_ja3));
    assert_memory_equal(b, k_ja3, l);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_JA3_HASH, true, 0, &b, &l));
    assert_memory_equal(b, "4ac62e4c25000b7cc6e442f1b2839c3f", 32);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_JA4_HASH, true, 0, &b, &l));
    assert_int_equal(l, 36);
    assert_memory_equal(b, "t13d0206h2_a137a120d3d9_fb71836bce29", 36);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_ALPN, true, 1, &b, &l));
    assert_memory_equal(b, "http/1.1", 8);
    assert_false(tls_tx_get_buffer(tx, TLS_BUF_ALPN, true, 2, &b, &l));
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_RANDOM_TIME, true, 0, &b, &l));
    assert_int_equal(l, 4);
    assert_int_equal(b[3], 3);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_RANDOM_BYTES, true, 0, &b, &l));
    assert_int_equal(l, 28);
    assert_int_equal(b[0], 4);
    assert_int_equal(tls_tx_version(tx, true), TLS_VERSION_13);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_JA3S_STRING, false, 0, &b, &l));
    assert_memory_equal(b, "771,49199,65281-0-16", l);
    assert_int_equal(tls_tx_version(tx, false), TLS_VERSION_12);
    assert_true(tls_tx_ssl_state(tx) & TLS_SEEN_CLIENT_HELLO);
    assert_true(tls_tx_ssl_state(tx) & TLS_SEEN_SERVER_HELLO);
    assert_true(tls_tx_complete(tx, true));
    assert_true(tls_tx_complete(tx, false));
    assert_int_equal(tls_tx_event_count(tx), 0);
    tls_state_free(st);
}

/* The certificate walk (tls-x509.c) decodes what d2i_X509 decodes; a
 * certificate it refuses but OpenSSL reads (here the outer length in a
 * five-byte long form, which BER allows and the walk does not) is decoded
 * by d2i_X509 instead, with the same fields in the transaction. */
static void test_certificate_walk_and_fallback(void **state)
{
    (void)state;
    TlsX509 f;
    assert_true(tls_x509_decode(g_der, (uint32_t)g_der_len, &f));
    const unsigned char *p = g_der;
    X509 *x = d2i_X509(NULL, &p, g_der_len);
    assert_non_null(x);
    assert_int_equal(X509_NAME_cmp(f.subject, X509_get_subject_name(x)), 0);
    assert_int_equal(X509_NAME_cmp(f.issuer, X509_get_issuer_name(x)), 0);
    assert_int_equal(ASN1_INTEGER_cmp(f.serial, X509_get0_serialNumber(x)), 0);
    assert_int_equal(ASN1_STRING_cmp(f.validity->notAfter, X509_get0_notAfter(x)), 0);
    assert_int_equal(sk_X509_EXTENSION_num(f.exts), X509_get_ext_count(x));
    X509_free(x);
    tls_x509_free(&f);
    /* cut anywhere: refused (and d2i_X509 refuses it too) */
    for (int cut = 0; cut < g_der_len; cut += 7) {
        assert_false(tls_x509_decode(g_der, (uint32_t)cut, &f));
        p = g_der;
        x = d2i_X509(NULL, &p, cut);
        assert_null(x);
    }

    assert_int_equal(g_der[1], 0x82); /* 30 82 hh ll: re-encoded as 30 85 00 00 00 hh ll */
    int long_len = g_der_len + 3;
    uint8_t *long_der = malloc((size_t)long_len);
    assert_non_null(long_der);
    long_der[0] = 0x30;
    long_der[1] = 0x85;
    long_der[2] = long_der[3] = long_der[4] = 0;
    memcpy(long_der + 5, g_der + 2, (size_t)g_der_len - 2);
    assert_false(tls_x509_decode(long_der, (uint32_t)long_len, &f));
    p = long_der;
    x = d2i_X509(NULL, &p, long_len);
    assert_non_null(x); /* so the session below takes the d2i_X509 path */
    X509_free(x);
    uint8_t *saved = g_der;
    int saved_len = g_der_len;
    g_der = long_der;
    g_der_len = long_len;
    TlsState *st = run_session(0, 1);
    g_der = saved;
    g_der_len = saved_len;
    TlsTx *tx = tls_tx_get(st, 0);
    const uint8_t *b;
    uint32_t l;
    assert_int_equal(tls_tx_event_count(tx), 0);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_CERT_SUBJECT, false, 0, &b, &l));
    const char *subj = "C=US, O=Odlar Test, Inc., CN=test.example, Email=a@b.c";
    assert_int_equal(l, strlen(subj));
    assert_memory_equal(b, subj, l);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_CERT_SERIAL, false, 0, &b, &l));
    assert_memory_equal(b, "00:8A:07", 8);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_SUBJECTALTNAME, false, 1, &b, &l));
    assert_memory_equal(b, "b.example", 9);
    int64_t nb, na;
    assert_true(tls_tx_cert_validity(tx, false, &nb, &na));
    assert_int_equal(na, 1700000000);
    tls_state_free(st);
    free(long_der);
}

/* g_der with `uid` (an IMPLICIT [1] issuerUniqueID element) inserted in
 * the TBSCertificate after the subjectPublicKeyInfo, the lengths of the
 * TBSCertificate and the Certificate grown to match (both use the
 * two-byte long form here). */
static uint8_t *with_issuer_uid(const uint8_t *uid, int uid_len, int *out_len)
{
    assert_true(g_der[0] == 0x30 && g_der[1] == 0x82 && g_der[4] == 0x30 && g_der[5] == 0x82);
    int pos = 8; /* first element of the TBSCertificate */
    for (int i = 0; i < 7; i++) { /* version, serial, signature, issuer, validity, subject, spki */
        int len = g_der[pos + 1];
        int hdr = 2;
        if (len & 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int k = 0; k < n; k++)
                len = (len << 8) | g_der[pos + 2 + k];
            hdr += n;
        }
        pos += hdr + len;
    }
    *out_len = g_der_len + uid_len;
    uint8_t *d = malloc((size_t)*out_len);
    assert_non_null(d);
    memcpy(d, g_der, (size_t)pos);
    memcpy(d + pos, uid, (size_t)uid_len);
    memcpy(d + pos + uid_len, g_der + pos, (size_t)(g_der_len - pos));
    int outer = ((d[2] << 8) | d[3]) + uid_len, tbs = ((d[6] << 8) | d[7]) + uid_len;
    d[2] = (uint8_t)(outer >> 8);
    d[3] = (uint8_t)outer;
    d[6] = (uint8_t)(tbs >> 8);
    d[7] = (uint8_t)tbs;
    return d;
}

/* An issuerUniqueID is read as the BIT STRING it stands for: a good one
 * is accepted by the walk and by d2i_X509 alike, one whose unused-bits
 * count is 8 by neither. */
static void test_certificate_unique_id(void **state)
{
    (void)state;
    static const uint8_t good[] = { 0x81, 0x02, 0x00, 0xaa }, bad[] = { 0x81, 0x02, 0x08, 0xaa };
    int len;
    TlsX509 f;
    uint8_t *d = with_issuer_uid(good, sizeof(good), &len);
    const unsigned char *p = d;
    X509 *x = d2i_X509(NULL, &p, len);
    assert_non_null(x);
    assert_true(tls_x509_decode(d, (uint32_t)len, &f));
    assert_int_equal(X509_NAME_cmp(f.subject, X509_get_subject_name(x)), 0);
    assert_int_equal(sk_X509_EXTENSION_num(f.exts), X509_get_ext_count(x));
    tls_x509_free(&f);
    X509_free(x);
    free(d);
    d = with_issuer_uid(bad, sizeof(bad), &len);
    p = d;
    assert_null(d2i_X509(NULL, &p, len));
    assert_false(tls_x509_decode(d, (uint32_t)len, &f));
    free(d);
}

static void test_certificate(void **state)
{
    (void)state;
    TlsState *st = run_session(0, 3);
    TlsTx *tx = tls_tx_get(st, 0);
    const uint8_t *b;
    uint32_t l;
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_CERT_SUBJECT, false, 0, &b, &l));
    const char *subj = "C=US, O=Odlar Test, Inc., CN=test.example, Email=a@b.c";
    assert_int_equal(l, strlen(subj));
    assert_memory_equal(b, subj, l);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_CERT_ISSUER, false, 0, &b, &l));
    assert_memory_equal(b, "CN=Odlar CA", l);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_CERT_SERIAL, false, 0, &b, &l));
    assert_int_equal(l, 8);
    assert_memory_equal(b, "00:8A:07", 8);
    /* fingerprint: SHA-1 of the DER, lower-case with colons */
    unsigned char md[20];
    unsigned int ml;
    EVP_Digest(g_der, (size_t)g_der_len, md, &ml, EVP_sha1(), NULL);
    char exp[60];
    for (int i = 0; i < 20; i++)
        snprintf(exp + i * 3, 4, i < 19 ? "%02x:" : "%02x", md[i]);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_CERT_FINGERPRINT, false, 0, &b, &l));
    assert_int_equal(l, 59);
    assert_memory_equal(b, exp, 59);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_CERTS, false, 2, &b, &l));
    assert_int_equal(l, (uint32_t)g_der_len);
    assert_false(tls_tx_get_buffer(tx, TLS_BUF_CERTS, false, 3, &b, &l));
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_SUBJECTALTNAME, false, 1, &b, &l));
    assert_memory_equal(b, "b.example", 9);
    assert_false(tls_tx_get_buffer(tx, TLS_BUF_SUBJECTALTNAME, false, 2, &b, &l));
    int64_t nb, na;
    assert_true(tls_tx_cert_validity(tx, false, &nb, &na));
    assert_int_equal(nb, 1600000000);
    assert_int_equal(na, 1700000000);

    TlsLogConfig cfg;
    tls_log_config_default(&cfg);
    assert_true(tls_tx_loggable(tx, &cfg));
    char *e = eve_of(st, TLS_LOG_EXTENDED, true);
    char expect[2048];
    snprintf(expect, sizeof(expect),
             "{\"tls\":{\"subject\":\"%s\",\"issuerdn\":\"CN=Odlar CA\","
             "\"subjectaltname\":[\"a.example\",\"b.example\"],\"serial\":\"00:8A:07\","
             "\"fingerprint\":\"%s\",\"sni\":\"www.example.com\",\"version\":\"TLS 1.2\","
             "\"notbefore\":\"2020-09-13T12:26:40\",\"notafter\":\"2023-11-14T22:13:20\","
             "\"ja3\":{\"hash\":\"4ac62e4c25000b7cc6e442f1b2839c3f\",\"string\":\"%s\"},"
             "\"ja3s\":{\"hash\":\"%s\",\"string\":\"771,49199,65281-0-16\"},"
             "\"ja4\":\"t13d0206h2_a137a120d3d9_fb71836bce29\","
             "\"client_alpns\":[\"h2\",\"http/1.1\"],\"server_alpns\":[\"h2\"]}}",
             subj, exp, k_ja3, "placeholder");
    /* ja3s hash: compare separately, then patch it into the expectation */
    const uint8_t *hb;
    uint32_t hl;
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_JA3S_HASH, false, 0, &hb, &hl));
    char h[33];
    memcpy(h, hb, 32);
    h[32] = 0;
    char *ph = strstr(expect, "placeholder");
    char tail[1024];
    snprintf(tail, sizeof(tail), "%s%s", h, ph + strlen("placeholder"));
    strcpy(ph, tail);
    assert_string_equal(e, expect);
    free(e);
    e = eve_of(st, TLS_LOG_BASIC, false);
    snprintf(expect, sizeof(expect),
             "{\"tls\":{\"subject\":\"%s\",\"issuerdn\":\"CN=Odlar CA\","
             "\"subjectaltname\":[\"a.example\",\"b.example\"]}}", subj);
    assert_string_equal(e, expect);
    free(e);
    e = eve_of(st, TLS_LOG_CHAIN, false);
    assert_non_null(strstr(e, "\"chain\":[\""));
    free(e);
    tls_tx_release(st, 0);
    assert_false(tls_tx_get_buffer(tx, TLS_BUF_CERTS, false, 0, &b, &l));
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_CERT_SUBJECT, false, 0, &b, &l));
    tls_state_free(st);
}

/* Every chunk size from 1 up gives the same EVE output and buffers. */
static void test_chunking(void **state)
{
    (void)state;
    TlsState *ref = run_session(0, 2);
    char *want = eve_of(ref, TLS_LOG_EXTENDED | TLS_LOG_CHAIN, true);
    for (size_t chunk = 1; chunk < 1600; chunk = chunk < 40 ? chunk + 1 : chunk * 3 / 2) {
        TlsState *st = run_session(chunk, 2);
        char *got = eve_of(st, TLS_LOG_EXTENDED | TLS_LOG_CHAIN, true);
        assert_string_equal(got, want);
        assert_int_equal(tls_tx_event_count(tls_tx_get(st, 0)), 0);
        free(got);
        tls_state_free(st);
    }
    /* every two-way split of the client flight */
    W c = { .n = 0 };
    client_flight(&c);
    for (size_t cut = 0; cut <= c.n; cut++) {
        TlsState *st = tls_state_new();
        tls_parse(st, true, c.b, (uint32_t)cut, 0);
        tls_parse(st, true, c.b + cut, (uint32_t)(c.n - cut), 0);
        const uint8_t *b;
        uint32_t l;
        assert_true(tls_tx_get_buffer(tls_tx_get(st, 0), TLS_BUF_JA3_STRING, true, 0, &b, &l));
        assert_memory_equal(b, k_ja3, l);
        tls_state_free(st);
    }
    free(want);
    tls_state_free(ref);
}

/* The ClientHello split over three records. */
static void test_hello_across_records(void **state)
{
    (void)state;
    W b = { .n = 0 }, m = { .n = 0 }, out = { .n = 0 };
    client_hello_body(&b, "split.example", false, 0);
    hs_msg(&m, 1, b.b, b.n);
    record(&out, 22, m.b, 3);
    record(&out, 22, m.b + 3, 40);
    record(&out, 22, m.b + 43, m.n - 43);
    TlsState *st = tls_state_new();
    assert_true(tls_parse(st, true, out.b, (uint32_t)out.n, 0));
    const uint8_t *p;
    uint32_t l;
    assert_true(tls_tx_get_buffer(tls_tx_get(st, 0), TLS_BUF_SNI, true, 0, &p, &l));
    assert_memory_equal(p, "split.example", 13);
    assert_int_equal(tls_tx_progress(tls_tx_get(st, 0), true), TLS_PROGRESS_HELLO);
    assert_false(tls_tx_complete(tls_tx_get(st, 0), true));
    tls_end(st, true);
    assert_int_equal(tls_tx_progress(tls_tx_get(st, 0), true), TLS_PROGRESS_FINISHED);
    tls_state_free(st);
}

static void test_tls13(void **state)
{
    (void)state;
    W b = { .n = 0 }, m = { .n = 0 }, out = { .n = 0 };
    server_hello_body(&b, 0x0304);
    hs_msg(&m, 2, b.b, b.n);
    record(&out, 22, m.b, m.n);
    static const uint8_t junk[20];
    record(&out, 23, junk, sizeof(junk));
    TlsState *st = tls_state_new();
    assert_true(tls_parse(st, false, out.b, (uint32_t)out.n, 0));
    TlsTx *tx = tls_tx_get(st, 0);
    assert_int_equal(tls_tx_version(tx, false), TLS_VERSION_13);
    TlsLogConfig cfg;
    tls_log_config_default(&cfg);
    assert_true(tls_tx_loggable(tx, &cfg));
    assert_false(tls_tx_session_resumed(tx));
    char *e = eve_of(st, TLS_LOG_VERSION, false);
    assert_string_equal(e, "{\"tls\":{\"version\":\"TLS 1.3\"}}");
    free(e);
    tls_state_free(st);
}

static void test_resumed(void **state)
{
    (void)state;
    W c = { .n = 0 }, b = { .n = 0 }, m = { .n = 0 }, s = { .n = 0 };
    /* client session id 1,2,3,4; server echoes it */
    client_hello_body(&b, "r.example", false, 0);
    hs_msg(&m, 1, b.b, b.n);
    record(&c, 22, m.b, m.n);
    b.n = m.n = 0;
    server_hello_body(&b, 0);
    memcpy(b.b + 35, "\x01\x02\x03\x04", 4);
    hs_msg(&m, 2, b.b, b.n);
    record(&s, 22, m.b, m.n);
    TlsState *st = tls_state_new();
    tls_parse(st, true, c.b, (uint32_t)c.n, 0);
    tls_parse(st, false, s.b, (uint32_t)s.n, 0);
    TlsTx *tx = tls_tx_get(st, 0);
    assert_true(tls_tx_session_resumed(tx));
    char *e = eve_of(st, TLS_LOG_SESSION_RESUMED, false);
    assert_string_equal(e, "{\"tls\":{\"session_resumed\":true}}");
    free(e);
    tls_state_free(st);
}

static void test_sslv2_hello(void **state)
{
    (void)state;
    /* 2-byte header, CLIENT-HELLO version 3.1, 1 cipher spec, 16-byte challenge */
    W w = { .n = 0 };
    w8(&w, 0x80); w8(&w, 0);
    w8(&w, 1); w16(&w, 0x0301); w16(&w, 3); w16(&w, 0); w16(&w, 16);
    w8(&w, 0); w8(&w, 0); w8(&w, 0x2f);
    for (int i = 0; i < 16; i++) w8(&w, i);
    w.b[1] = (uint8_t)(w.n - 2);
    for (size_t chunk = 1; chunk <= w.n; chunk++) {
        TlsState *st = tls_state_new();
        for (size_t off = 0; off < w.n; off += chunk)
            assert_true(tls_parse(st, true, w.b + off, (uint32_t)(w.n - off < chunk ? w.n - off : chunk), 0));
        TlsTx *tx = tls_tx_get(st, 0);
        assert_int_equal(tls_tx_version(tx, true), TLS_VERSION_10);
        assert_true(tls_tx_ssl_state(tx) & TLS_SEEN_CLIENT_HELLO);
        assert_int_equal(tls_tx_event_count(tx), 0);
        tls_state_free(st);
    }
    /* then a TLS ServerHello upgrades */
    TlsState *st = tls_state_new();
    tls_parse(st, true, w.b, (uint32_t)w.n, 0);
    W b = { .n = 0 }, m = { .n = 0 }, s = { .n = 0 };
    server_hello_body(&b, 0);
    hs_msg(&m, 2, b.b, b.n);
    record(&s, 22, m.b, m.n);
    assert_true(tls_parse(st, false, s.b, (uint32_t)s.n, 0));
    assert_int_equal(tls_tx_version(tls_tx_get(st, 0), false), TLS_VERSION_12);
    tls_state_free(st);
    /* zero-length SSLv2 record */
    st = tls_state_new();
    static const uint8_t bad[] = { 0x80, 0x00 };
    assert_false(tls_parse(st, true, bad, 2, 0));
    assert_true(tls_tx_has_event(tls_tx_get(st, 0), TLS_EV_INVALID_SSLV2_HEADER));
    tls_state_free(st);
}

/* Feeds bytes to one direction, returns whether parsing still goes on. */
static bool feed(TlsState *st, bool ts, const W *w)
{
    return tls_parse(st, ts, w->b, (uint32_t)w->n, 0);
}

static void expect_event(const W *w, bool ts, int ev, bool fatal)
{
    TlsState *st = tls_state_new();
    bool ok = feed(st, ts, w);
    assert_int_equal(ok, !fatal);
    TlsTx *tx = tls_tx_get(st, 0);
    assert_non_null(tx);
    if (!tls_tx_has_event(tx, ev))
        fail_msg("missing event %s", tls_event_name(ev));
    tls_state_free(st);
}

static void test_events(void **state)
{
    (void)state;
    W w = { .n = 0 };
    static const uint8_t body[4] = { 0 };
    record(&w, 0x19, body, 4);
    expect_event(&w, true, TLS_EV_INVALID_RECORD_TYPE, true);
    w.n = 0;
    w8(&w, 22); w16(&w, 0x0203); w16(&w, 4); wmem(&w, body, 4);
    expect_event(&w, true, TLS_EV_INVALID_RECORD_VERSION, true);
    w.n = 0;
    w8(&w, 23); w16(&w, 0x0303); w16(&w, 0x5000);
    expect_event(&w, true, TLS_EV_INVALID_RECORD_LENGTH, true);
    w.n = 0;
    static const uint8_t hs99[4] = { 99, 0, 0, 0 };
    record(&w, 22, hs99, 4);
    expect_event(&w, true, TLS_EV_INVALID_HANDSHAKE_MESSAGE, true);
    w.n = 0;
    static const uint8_t hb[3] = { 1, 0, 0 };
    record(&w, 24, hb, 3);
    expect_event(&w, true, TLS_EV_HEARTBEAT_MESSAGE, false);

    /* ClientHello whose cipher length runs past the message */
    W b = { .n = 0 }, m = { .n = 0 };
    client_hello_body(&b, "x.example", false, 0);
    put16(&b, 39, 0xfff0);
    hs_msg(&m, 1, b.b, b.n);
    w.n = 0;
    record(&w, 22, m.b, m.n);
    expect_event(&w, true, TLS_EV_HANDSHAKE_INVALID_LENGTH, true);

    b.n = m.n = w.n = 0;
    client_hello_body(&b, "x.example", true, 0);
    hs_msg(&m, 1, b.b, b.n);
    record(&w, 22, m.b, m.n);
    expect_event(&w, true, TLS_EV_MULTIPLE_SNI_EXTENSIONS, false);

    b.n = m.n = w.n = 0;
    client_hello_body(&b, "x.example", false, 7);
    hs_msg(&m, 1, b.b, b.n);
    record(&w, 22, m.b, m.n);
    expect_event(&w, true, TLS_EV_INVALID_SNI_TYPE, false);

    /* SNI name length beyond the extension */
    b.n = m.n = w.n = 0;
    client_hello_body(&b, "x.example", false, 0);
    /* SNI name length field: after sid(5) ciphers(2+6) comp(2) extlen(2) grease(4) sni hdr(4) list(2) type(1) */
    put16(&b, 2 + 32 + 5 + 8 + 2 + 2 + 4 + 4 + 2 + 1, 200);
    hs_msg(&m, 1, b.b, b.n);
    record(&w, 22, m.b, m.n);
    expect_event(&w, true, TLS_EV_INVALID_SNI_LENGTH, false);

    /* certificate: garbage DER fails the message and stops the parser
     * (INVALID_HANDSHAKE_MESSAGE too), then a chain length past the message */
    b.n = m.n = w.n = 0;
    w24(&b, 7); w24(&b, 4); w8(&b, 1); w8(&b, 2); w8(&b, 3); w8(&b, 4);
    hs_msg(&m, 11, b.b, b.n);
    record(&w, 22, m.b, m.n);
    expect_event(&w, false, TLS_EV_INVALID_CERTIFICATE, true);
    expect_event(&w, false, TLS_EV_INVALID_HANDSHAKE_MESSAGE, true);
    /* a TBSCertificate header cut short inside the Certificate SEQUENCE
     * (30 05 | 30 84 ff ff ff): Suricata's decoder calls that a length error */
    b.n = m.n = w.n = 0;
    {
        static const uint8_t short_hdr[] = { 0x30, 0x05, 0x30, 0x84, 0xff, 0xff, 0xff, 0xfa, 0x04 };
        static const uint8_t long_body[] = { 0x30, 0x06, 0x30, 0x84, 0xff, 0xff, 0xff, 0xfa, 0x04 };
        w24(&b, 3 + sizeof(short_hdr)); w24(&b, sizeof(short_hdr)); wmem(&b, short_hdr, sizeof(short_hdr));
        hs_msg(&m, 11, b.b, b.n);
        record(&w, 22, m.b, m.n);
        expect_event(&w, false, TLS_EV_CERTIFICATE_INVALID_LENGTH, true);
        expect_event(&w, false, TLS_EV_INVALID_HANDSHAKE_MESSAGE, true);
        /* a complete header announcing more than there is: invalid certificate */
        b.n = m.n = w.n = 0;
        w24(&b, 3 + sizeof(long_body)); w24(&b, sizeof(long_body)); wmem(&b, long_body, sizeof(long_body));
        hs_msg(&m, 11, b.b, b.n);
        record(&w, 22, m.b, m.n);
        expect_event(&w, false, TLS_EV_INVALID_CERTIFICATE, true);
    }
    b.n = m.n = w.n = 0;
    w24(&b, 900); w24(&b, 4);
    hs_msg(&m, 11, b.b, b.n);
    record(&w, 22, m.b, m.n);
    expect_event(&w, false, TLS_EV_CERTIFICATE_INVALID_LENGTH, false);
    b.n = m.n = w.n = 0;
    w24(&b, 3 + 10); w24(&b, 10);
    for (int i = 0; i < 10; i++) w8(&b, 0);
    put24(&b, 3, 20);
    hs_msg(&m, 11, b.b, b.n);
    record(&w, 22, m.b, m.n);
    expect_event(&w, false, TLS_EV_INVALID_CERTIFICATE, true);

    /* after a fatal error, input is ignored */
    TlsState *st = tls_state_new();
    W bad = { .n = 0 };
    record(&bad, 0x30 & 0x1f, body, 4);
    assert_false(feed(st, true, &bad));
    W c = { .n = 0 };
    client_flight(&c);
    assert_false(feed(st, true, &c));
    const uint8_t *p;
    uint32_t l;
    assert_false(tls_tx_get_buffer(tls_tx_get(st, 0), TLS_BUF_SNI, true, 0, &p, &l));
    tls_state_free(st);

    assert_string_equal(tls_event_name(TLS_EV_INVALID_RECORD_TYPE), "INVALID_RECORD_TYPE");
    assert_string_equal(tls_event_name(TLS_EV_INVALID_SSL_RECORD), "INVALID_SSL_RECORD");
    assert_int_equal(tls_event_by_name("certificate_invalid_length"), TLS_EV_CERTIFICATE_INVALID_LENGTH);
    assert_null(tls_event_name(TLS_EV_COUNT));
    assert_int_equal(tls_event_by_name("nope"), -1);
}

static void test_limits_and_gaps(void **state)
{
    (void)state;
    TlsLimits lim = { 1000, 1, 64 };
    tls_set_limits(&lim);
    TlsState *st = run_session(0, 3); /* the certificate message exceeds 1000 bytes */
    TlsTx *tx = tls_tx_get(st, 0);
    const uint8_t *p;
    uint32_t l;
    assert_false(tls_tx_get_buffer(tx, TLS_BUF_CERT_SUBJECT, false, 0, &p, &l));
    assert_true(tls_state_memcap_hits(st) >= 1);
    assert_true(tls_tx_complete(tx, false));
    tls_state_free(st);
    lim.max_handshake_msg = 1u << 20;
    tls_set_limits(&lim);
    st = run_session(0, 3); /* chain capped at one certificate */
    tx = tls_tx_get(st, 0);
    assert_true(tls_tx_get_buffer(tx, TLS_BUF_CERTS, false, 0, &p, &l));
    assert_false(tls_tx_get_buffer(tx, TLS_BUF_CERTS, false, 1, &p, &l));
    assert_int_equal(tls_state_memcap_hits(st), 2);
    assert_true(tls_memcap_hits_total() >= 3);
    tls_state_free(st);
    tls_set_limits(NULL);

    /* a gap inside application data is skipped; inside a handshake the
     * direction is abandoned */
    st = tls_state_new();
    W w = { .n = 0 };
    static const uint8_t z[100];
    record(&w, 23, z, 100);
    assert_true(tls_parse(st, true, w.b, 50, 0));
    tls_gap(st, true, 30);
    assert_true(tls_parse(st, true, w.b + 80, (uint32_t)w.n - 80, 0));
    W c = { .n = 0 };
    client_flight(&c);
    tls_parse(st, false, c.b, 20, 0);
    tls_gap(st, false, 10);
    assert_true(tls_parse(st, false, c.b + 30, (uint32_t)c.n - 30, 0));
    assert_int_equal(tls_tx_event_count(tls_tx_get(st, 0)), 0);
    tls_state_free(st);

    /* no data: no transaction */
    st = tls_state_new();
    assert_int_equal(tls_tx_count(st), 0);
    assert_null(tls_tx_get(st, 0));
    tls_state_free(st);
}

static void test_version_strings(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(tls_version_string(0, b, sizeof(b)), "UNDETERMINED");
    assert_string_equal(tls_version_string(0x0200, b, sizeof(b)), "SSLv2");
    assert_string_equal(tls_version_string(0x0300, b, sizeof(b)), "SSLv3");
    assert_string_equal(tls_version_string(0x0301, b, sizeof(b)), "TLSv1");
    assert_string_equal(tls_version_string(0x0302, b, sizeof(b)), "TLS 1.1");
    assert_string_equal(tls_version_string(0x0303, b, sizeof(b)), "TLS 1.2");
    assert_string_equal(tls_version_string(0x0304, b, sizeof(b)), "TLS 1.3");
    assert_string_equal(tls_version_string(0x7f12, b, sizeof(b)), "TLS 1.3 draft-18");
    assert_string_equal(tls_version_string(0x7f0e, b, sizeof(b)), "TLS 1.3 draft-<16");
    assert_string_equal(tls_version_string(0x1234, b, sizeof(b)), "0x1234");
    assert_int_equal(tls_log_field_by_name("ja3s"), TLS_LOG_JA3S);
    assert_int_equal(tls_log_field_by_name("bogus"), 0);
}

/* tls.store's writer: one PEM file with the whole chain and a .meta,
 * named after the packet time and the file id, once per side. */
static void test_store(void **state)
{
    (void)state;
    TlsState *st = run_session(0, 2);
    TlsTx *tx = tls_tx_get(st, 0);
    char dir[] = "/tmp/odlar-tls-store-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char certs[64];
    snprintf(certs, sizeof(certs), "%s/certs", dir);
    assert_false(tls_tx_mark_stored(tx, true)); /* the client sent no certificate */
    assert_true(tls_tx_mark_stored(tx, false));
    assert_false(tls_tx_mark_stored(tx, false));
    TlsStoreMeta meta = { "10.0.0.2", "10.0.0.1", 6, 443, 50000 };
    OdTime ts = 1523912382LL * 1000000 + 5074; /* microseconds are not zero-padded */
    assert_true(tls_store_write(tx, false, certs, ts, 7, &meta));
    char path[128], buf[8192];
    snprintf(path, sizeof(path), "%s/1523912382.5074-7.pem", certs);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[n] = 0;
    int blocks = 0;
    for (const char *p = buf; (p = strstr(p, "-----BEGIN CERTIFICATE-----\n")); p++)
        blocks++;
    assert_int_equal(blocks, 2);
    /* the first block decodes back to the DER */
    const char *b64 = buf + strlen("-----BEGIN CERTIFICATE-----\n");
    const char *end = strstr(b64, "-----END CERTIFICATE-----");
    char joined[8192];
    size_t jl = 0;
    for (const char *p = b64; p < end; p++) {
        if (p == b64 || p[-1] == '\n') /* lines of at most 64 characters */
            assert_true(strchr(p, '\n') - p <= 64);
        if (*p != '\n')
            joined[jl++] = *p;
    }
    unsigned char der[8192];
    int dl = EVP_DecodeBlock(der, (const unsigned char *)joined, (int)jl);
    assert_true(dl >= g_der_len);
    assert_memory_equal(der, g_der, (size_t)g_der_len);
    snprintf(path, sizeof(path), "%s/1523912382.5074-7.meta", certs);
    fp = fopen(path, "r");
    assert_non_null(fp);
    n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[n] = 0;
    assert_non_null(strstr(buf, "SRC IP:            10.0.0.2\n"));
    assert_non_null(strstr(buf, "TLS ISSUERDN:      CN=Odlar CA\n"));
    remove(path);
    snprintf(path, sizeof(path), "%s/1523912382.5074-7.pem", certs);
    remove(path);
    rmdir(certs);
    rmdir(dir);
    tls_state_free(st);
}

int main(void)
{
    make_cert();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_hello),
        cmocka_unit_test(test_certificate),
        cmocka_unit_test(test_certificate_walk_and_fallback),
        cmocka_unit_test(test_certificate_unique_id),
        cmocka_unit_test(test_store),
        cmocka_unit_test(test_chunking),
        cmocka_unit_test(test_hello_across_records),
        cmocka_unit_test(test_tls13),
        cmocka_unit_test(test_resumed),
        cmocka_unit_test(test_sslv2_hello),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_limits_and_gaps),
        cmocka_unit_test(test_version_strings),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    OPENSSL_free(g_der);
    return rc;
}
