/*
 * Client and server fingerprints.
 *
 * JA3 (Salesforce): "SSLVersion,Ciphers,Extensions,EllipticCurves,
 * EllipticCurvePointFormats", decimal values joined with '-', GREASE values
 * (RFC 8701: 0x0a0a, 0x1a1a, ... 0xfafa) left out; the hash is the MD5 of
 * the string in lower-case hex. JA3S: "SSLVersion,Cipher,Extensions".
 *
 * JA4 (FoxIO, TLS over TCP): "t" + version ("13","12","11","10","s3","s2",
 * "00") + "d"/"i" (SNI present or not) + two-digit cipher and extension
 * counts (GREASE excluded, capped at 99) + two ALPN characters, then "_" and
 * the first 12 hex digits of SHA-256 over the sorted 4-hex-digit ciphers,
 * then "_" and the first 12 of SHA-256 over the sorted extensions without
 * SNI and ALPN, followed by "_" and the signature algorithms in wire order
 * when there are any. An empty list hashes to "000000000000".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "app/tls/tls-int.h"

bool tls_is_grease(uint16_t v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

static void hash_hex(const EVP_MD *md, const char *s, size_t len, char *out, size_t nhex)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int dl = 0;
    static const char hx[] = "0123456789abcdef";
    if (!EVP_Digest(s, len, d, &dl, md, NULL))
        dl = 0;
    size_t i;
    for (i = 0; i < nhex && i / 2 < dl; i++)
        out[i] = hx[(i & 1) ? (d[i / 2] & 0xf) : (d[i / 2] >> 4)];
    out[i] = '\0';
}

void tls_md5_hex(const char *s, size_t len, char out[33])
{
    hash_hex(EVP_md5(), s, len, out, 32);
}

typedef struct Sb {
    char *p;
    size_t len, cap;
} Sb;

static void sb_add(Sb *b, const char *fmt, unsigned v)
{
    if (b->cap - b->len < 16) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        char *np = realloc(b->p, cap);
        if (!np)
            return;
        b->p = np;
        b->cap = cap;
    }
    int n = snprintf(b->p + b->len, b->cap - b->len, fmt, v);
    if (n > 0)
        b->len += (size_t)n;
}

static void sb_list(Sb *b, const TlsU16List *l, bool grease_filter)
{
    bool first = true;
    for (uint32_t i = 0; i < l->n; i++) {
        if (grease_filter && tls_is_grease(l->v[i]))
            continue;
        sb_add(b, first ? "%u" : "-%u", l->v[i]);
        first = false;
    }
}

static void finish_ja3(TlsSide *s, Sb *b)
{
    if (!b->p)
        return;
    free(s->ja3_str);
    s->ja3_str = b->p;
    tls_md5_hex(b->p, b->len, s->ja3_hash);
}

void tls_ja3_client(TlsSide *s)
{
    Sb b = { 0 };
    sb_add(&b, "%u,", s->hello_version);
    sb_list(&b, &s->ciphers, true);
    sb_add(&b, ",", 0);
    sb_list(&b, &s->exts, true);
    sb_add(&b, ",", 0);
    sb_list(&b, &s->groups, true);
    sb_add(&b, ",", 0);
    for (uint32_t i = 0; i < s->npointfmts; i++)
        sb_add(&b, i ? "-%u" : "%u", s->pointfmts[i]);
    finish_ja3(s, &b);
}

void tls_ja3_server(TlsSide *s)
{
    Sb b = { 0 };
    sb_add(&b, "%u,", s->hello_version);
    sb_list(&b, &s->ciphers, false);
    sb_add(&b, ",", 0);
    sb_list(&b, &s->exts, true);
    finish_ja3(s, &b);
}

static int cmp_u16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* Sorted (or wire-order) hex list hashed to 12 hex digits. */
static uint32_t collect(const TlsU16List *l, uint16_t *out, bool skip_sni_alpn)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < l->n; i++) {
        uint16_t v = l->v[i];
        if (tls_is_grease(v) || (skip_sni_alpn && (v == 0x0000 || v == 0x0010)))
            continue;
        out[n++] = v;
    }
    return n;
}

static void hex_list(Sb *b, const uint16_t *v, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        sb_add(b, i ? ",%04x" : "%04x", v[i]);
}

static const char *ja4_version(uint16_t v)
{
    switch (v) {
    case TLS_VERSION_13: return "13";
    case TLS_VERSION_12: return "12";
    case TLS_VERSION_11: return "11";
    case TLS_VERSION_10: return "10";
    case TLS_VERSION_SSL3: return "s3";
    case TLS_VERSION_SSL2: return "s2";
    case 0x0100: return "s1";
    default: return "00";
    }
}

static bool is_alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void tls_ja4_client(TlsSide *s)
{
    static const char hx[] = "0123456789abcdef";
    uint16_t ciphers[TLS_MAX_LIST], exts[TLS_MAX_LIST], sig[TLS_MAX_LIST];
    uint32_t nc = collect(&s->ciphers, ciphers, false);
    uint32_t ne_all = collect(&s->exts, exts, false);
    uint32_t ne = collect(&s->exts, exts, true);
    uint32_t ns = collect(&s->sigalgs, sig, false);
    uint16_t ver = s->hello_version;
    for (uint32_t i = 0; i < s->exts.n; i++)
        if (s->exts.v[i] == 43)
            ver = s->version; /* highest non-GREASE supported_versions */
    char alpn[3] = "00";
    if (s->alpns.n > 0 && s->alpns.len[0] > 0) {
        const uint8_t *a = (const uint8_t *)s->alpns.v[0];
        uint32_t al = s->alpns.len[0];
        if (is_alnum(a[0]) && is_alnum(a[al - 1])) {
            alpn[0] = (char)a[0];
            alpn[1] = (char)a[al - 1];
        } else {
            alpn[0] = hx[a[0] >> 4];
            alpn[1] = hx[a[al - 1] & 0xf];
        }
    }
    char a_part[16];
    snprintf(a_part, sizeof(a_part), "t%s%c%02u%02u%s", ja4_version(ver), s->has_sni_ext ? 'd' : 'i',
             nc > 99 ? 99 : nc, ne_all > 99 ? 99 : ne_all, alpn);

    char b_part[13] = "000000000000", c_part[13] = "000000000000";
    if (nc > 0) {
        qsort(ciphers, nc, sizeof(uint16_t), cmp_u16);
        Sb b = { 0 };
        hex_list(&b, ciphers, nc);
        if (b.p)
            hash_hex(EVP_sha256(), b.p, b.len, b_part, 12);
        free(b.p);
    }
    if (ne > 0) {
        qsort(exts, ne, sizeof(uint16_t), cmp_u16);
        Sb b = { 0 };
        hex_list(&b, exts, ne);
        if (ns > 0) {
            sb_add(&b, "_", 0);
            hex_list(&b, sig, ns);
        }
        if (b.p)
            hash_hex(EVP_sha256(), b.p, b.len, c_part, 12);
        free(b.p);
    }
    char full[64];
    snprintf(full, sizeof(full), "%s_%s_%s", a_part, b_part, c_part);
    memcpy(s->ja4, full, sizeof(s->ja4) - 1);
    s->ja4[sizeof(s->ja4) - 1] = '\0';
    s->has_ja4 = true;
}
