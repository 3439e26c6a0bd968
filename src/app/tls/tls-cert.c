/*
 * Certificate handshake message (RFC 5246 7.4.2) and X.509 extraction with
 * OpenSSL's libcrypto: the fields come from the walk of tls-x509.c, which
 * skips the public key, or from d2i_X509 when the walk refuses the DER.
 *
 *   Certificate: certificate_list_length(3) { cert_length(3) DER }*
 *
 * Every certificate's DER is kept (up to the max_certs limit) for tls.certs
 * and the EVE chain; the first one is decoded for subject / issuer (RDNs in
 * certificate order as "C=US, O=Org, CN=name", multi-valued RDNs joined
 * with " + ", emailAddress shown as "Email"), the serial (raw INTEGER
 * content bytes, upper-case hex joined with ':'), the SHA-1 fingerprint of
 * the DER (lower-case, ':'), validity as Unix seconds and the DNS names of
 * subjectAltName. As in Suricata, a certificate that cannot be decoded
 * raises INVALID_CERTIFICATE or one of the CERTIFICATE_INVALID_* events, and
 * then INVALID_HANDSHAKE_MESSAGE as the message fails and the direction's
 * parser stops. Which event a broken DER gets follows Suricata's X.509
 * decoder: a truncated tag/length header (of the Certificate SEQUENCE or of
 * its first element, the TBSCertificate) is CERTIFICATE_INVALID_LENGTH, any
 * other failure INVALID_CERTIFICATE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "app/tls/tls-int.h"
#include "app/tls/tls-x509.h"
#include "util/bytes.h"

typedef struct Str {
    char *p;
    size_t len, cap;
} Str;

static void str_add(Str *s, const char *d, size_t n)
{
    if (s->cap - s->len < n + 1) {
        size_t cap = s->cap ? s->cap : 64;
        while (cap - s->len < n + 1)
            cap *= 2;
        char *np = realloc(s->p, cap);
        if (!np)
            return;
        s->p = np;
        s->cap = cap;
    }
    memcpy(s->p + s->len, d, n);
    s->len += n;
    s->p[s->len] = '\0';
}

static const char *abbrev(int nid)
{
    switch (nid) {
    case NID_commonName: return "CN";
    case NID_countryName: return "C";
    case NID_localityName: return "L";
    case NID_stateOrProvinceName: return "ST";
    case NID_organizationName: return "O";
    case NID_organizationalUnitName: return "OU";
    case NID_domainComponent: return "DC";
    case NID_pkcs9_emailAddress: return "Email";
    default: return NULL;
    }
}

/* The DN as Suricata prints it; *out_len counts NUL bytes a value may
 * carry (they are kept, not a terminator). */
static char *format_name(const X509_NAME *n, uint32_t *out_len)
{
    Str s = { 0 };
    str_add(&s, "", 0);
    int prev_set = -1;
    for (int i = 0; i < X509_NAME_entry_count(n); i++) {
        const X509_NAME_ENTRY *e = X509_NAME_get_entry(n, i);
        int set = X509_NAME_ENTRY_set(e);
        if (i > 0)
            str_add(&s, set == prev_set ? " + " : ", ", set == prev_set ? 3 : 2);
        prev_set = set;
        const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(e);
        const char *key = abbrev(OBJ_obj2nid(obj));
        char kbuf[80];
        if (!key) {
            int nid = OBJ_obj2nid(obj);
            key = nid != NID_undef ? OBJ_nid2sn(nid) : NULL;
            if (!key) {
                OBJ_obj2txt(kbuf, sizeof(kbuf), obj, 1);
                key = kbuf;
            }
        }
        str_add(&s, key, strlen(key));
        str_add(&s, "=", 1);
        const ASN1_STRING *v = X509_NAME_ENTRY_get_data(e);
        unsigned char *u = NULL;
        int ul = ASN1_STRING_to_UTF8(&u, v);
        if (ul >= 0) {
            str_add(&s, (const char *)u, (size_t)ul);
            OPENSSL_free(u);
        } else {
            str_add(&s, (const char *)ASN1_STRING_get0_data(v), (size_t)ASN1_STRING_length(v));
        }
    }
    *out_len = s.len > UINT32_MAX ? UINT32_MAX : (uint32_t)s.len;
    return s.p;
}

static char *hex_sep(const uint8_t *d, size_t n, bool upper)
{
    const char *hx = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *o = malloc(n * 3 + 1);
    if (!o)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            o[k++] = ':';
        o[k++] = hx[d[i] >> 4];
        o[k++] = hx[d[i] & 0xf];
    }
    o[k] = '\0';
    return o;
}

/* The serial as the DER INTEGER's content bytes (keeps a leading 00). */
static char *format_serial(const ASN1_INTEGER *ser)
{
    unsigned char *der = NULL;
    int dl = i2d_ASN1_INTEGER((ASN1_INTEGER *)ser, &der);
    if (dl < 2) {
        OPENSSL_free(der);
        return NULL;
    }
    ByteReader r = br_init(der, (size_t)dl);
    uint8_t tag, l0;
    size_t clen = 0;
    char *out = NULL;
    if (br_u8(&r, &tag) && br_u8(&r, &l0)) {
        if (l0 & 0x80) {
            uint8_t nb = l0 & 0x7f, b;
            for (uint8_t i = 0; i < nb && br_u8(&r, &b); i++)
                clen = (clen << 8) | b;
        } else {
            clen = l0;
        }
        const uint8_t *p;
        if (br_bytes(&r, clen, &p))
            out = hex_sep(p, clen, true);
    }
    OPENSSL_free(der);
    return out;
}

static bool asn1_to_unix(const ASN1_TIME *t, int64_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return false;
    *out = (int64_t)timegm(&tm);
    return true;
}

/* Reads a DER tag and length (X.690 section 8.1.2-8.1.3, definite form);
 * false when the header itself is cut short. *content_len is the length
 * the header announces. */
static bool der_header(ByteReader *r, uint64_t *content_len)
{
    uint8_t tag, first;
    if (!br_u8(r, &tag) || !br_u8(r, &first))
        return false;
    if (!(first & 0x80)) {
        *content_len = first;
        return true;
    }
    uint8_t n = first & 0x7f;
    uint64_t v = 0;
    for (uint8_t i = 0; i < n; i++) {
        uint8_t b;
        if (!br_u8(r, &b))
            return false;
        v = (v << 8) | b;
    }
    *content_len = v;
    return true;
}

/* The event of a DER OpenSSL could not decode (see the top comment). */
static int broken_der_event(const uint8_t *der, uint32_t len)
{
    ByteReader outer = br_init(der, len);
    uint64_t cert_len = 0, tbs_len = 0;
    if (!der_header(&outer, &cert_len))
        return TLS_EV_CERTIFICATE_INVALID_LENGTH;
    uint64_t avail = br_remaining(&outer);
    ByteReader inner = br_init(br_cursor(&outer), (uint32_t)(cert_len < avail ? cert_len : avail));
    if (cert_len <= avail && !der_header(&inner, &tbs_len))
        return TLS_EV_CERTIFICATE_INVALID_LENGTH;
    return TLS_EV_INVALID_CERTIFICATE;
}

/* The fields of the certificate, from the walk of tls-x509.c, or from
 * d2i_X509 when the walk refuses it (OpenSSL then decides, as it always
 * did); *x509 is the certificate d2i_X509 made, to free with the fields'
 * owner. False: OpenSSL cannot decode it either. */
static bool cert_fields(const uint8_t *der, uint32_t len, TlsX509 *f, X509 **x509)
{
    *x509 = NULL;
    if (tls_x509_decode(der, len, f))
        return true;
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, len);
    if (!x)
        return false;
    *x509 = x;
    f->issuer = X509_get_issuer_name(x);
    f->subject = X509_get_subject_name(x);
    f->serial = (ASN1_INTEGER *)X509_get0_serialNumber(x);
    f->not_before = X509_get0_notBefore(x);
    f->not_after = X509_get0_notAfter(x);
    f->exts = (STACK_OF(X509_EXTENSION) *)X509_get0_extensions(x);
    return true;
}

/* false: the certificate could not be decoded (the event is set). */
static bool decode_first(TlsTx *tx, TlsSide *s, const uint8_t *der, uint32_t len)
{
    TlsX509 f;
    X509 *x;
    if (!cert_fields(der, len, &f, &x)) {
        tls_set_event(tx, broken_der_event(der, len));
        return false;
    }
    uint32_t subject_len = 0, issuer_len = 0;
    char *subject = format_name(f.subject, &subject_len);
    char *issuer = format_name(f.issuer, &issuer_len);
    char *serial = format_serial(f.serial);
    int64_t nb = 0, na = 0;
    bool validity = asn1_to_unix(f.not_before, &nb) && asn1_to_unix(f.not_after, &na);
    GENERAL_NAMES *gens = NULL;
    if (subject && issuer && serial && validity)
        gens = X509V3_get_d2i(f.exts, NID_subject_alt_name, NULL, NULL); /* as X509_get_ext_d2i */
    if (x)
        X509_free(x); /* the fields were its own */
    else
        tls_x509_free(&f);
    if (!subject || !issuer || !serial || !validity) {
        tls_set_event(tx, !subject ? TLS_EV_CERTIFICATE_INVALID_SUBJECT
                          : !issuer ? TLS_EV_CERTIFICATE_INVALID_ISSUER
                          : !serial ? TLS_EV_CERTIFICATE_INVALID_SERIAL
                                    : TLS_EV_CERTIFICATE_INVALID_VALIDITY);
        free(subject);
        free(issuer);
        free(serial);
        return false;
    }
    s->subject = subject;
    s->subject_len = subject_len;
    s->issuer = issuer;
    s->issuer_len = issuer_len;
    s->serial = serial;
    s->not_before = nb;
    s->not_after = na;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int ml = 0;
    if (EVP_Digest(der, len, md, &ml, EVP_sha1(), NULL))
        s->fingerprint = hex_sep(md, ml, false);
    if (gens) {
        for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
            const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
            if (g->type != GEN_DNS)
                continue;
            if (s->sans.n >= tls_limits()->max_sans) {
                tls_set_event(tx, TLS_EV_TOO_MANY_SUBJECT_ALTERNATIVE_NAMES);
                break;
            }
            tls_strlist_add(&s->sans, ASN1_STRING_get0_data(g->d.dNSName),
                            (uint32_t)ASN1_STRING_length(g->d.dNSName));
        }
        GENERAL_NAMES_free(gens);
    }
    s->cert_done = true;
    return true;
}

static void keep_der(TlsState *st, TlsSide *s, const uint8_t *der, uint32_t len)
{
    if (s->ncerts >= tls_limits()->max_certs || st->released) {
        tls_count_memcap(st);
        return;
    }
    uint8_t **nd = realloc(s->cert_der, (s->ncerts + 1) * sizeof(*nd));
    if (!nd)
        return;
    s->cert_der = nd;
    uint32_t *nl = realloc(s->cert_len, (s->ncerts + 1) * sizeof(*nl));
    if (!nl)
        return;
    s->cert_len = nl;
    uint8_t *c = malloc(len ? len : 1);
    if (!c)
        return;
    memcpy(c, der, len);
    s->cert_der[s->ncerts] = c;
    s->cert_len[s->ncerts] = len;
    s->ncerts++;
}

bool tls_parse_certificate(TlsState *st, bool to_server, const uint8_t *b, uint32_t len)
{
    TlsTx *tx = &st->tx;
    TlsSide *s = to_server ? &tx->client : &tx->server;
    tls_set_progress(tx, to_server, TLS_PROGRESS_CERT);
    if (s->ncerts > 0 || s->cert_done)
        return true; /* only the first Certificate message counts */
    ByteReader r = br_init(b, len);
    uint32_t total;
    const uint8_t *list;
    if (!br_be24(&r, &total) || !br_bytes(&r, total, &list)) {
        tls_set_event(tx, TLS_EV_CERTIFICATE_INVALID_LENGTH);
        return true;
    }
    ByteReader c = br_init(list, total);
    for (uint32_t n = 0; br_remaining(&c) > 0; n++) {
        uint32_t cl;
        const uint8_t *der;
        if (!br_be24(&c, &cl) || !br_bytes(&c, cl, &der)) {
            tls_set_event(tx, TLS_EV_INVALID_CERTIFICATE);
            tls_set_event(tx, TLS_EV_INVALID_HANDSHAKE_MESSAGE);
            return false;
        }
        keep_der(st, s, der, cl);
        if (n == 0 && !decode_first(tx, s, der, cl)) {
            tls_set_event(tx, TLS_EV_INVALID_HANDSHAKE_MESSAGE);
            return false;
        }
    }
    return true;
}
