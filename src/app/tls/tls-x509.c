/*
 * The fields of an X.509 certificate the TLS logger shows, decoded without
 * its public key (RFC 5280 section 4.1).
 *
 *   Certificate     ::= SEQUENCE { tbsCertificate, signatureAlgorithm
 *                                  AlgorithmIdentifier, signature BIT STRING }
 *   TBSCertificate  ::= SEQUENCE { [0] EXPLICIT version DEFAULT v1,
 *                                  serialNumber INTEGER, signature
 *                                  AlgorithmIdentifier, issuer Name,
 *                                  validity, subject Name,
 *                                  subjectPublicKeyInfo SEQUENCE {
 *                                    AlgorithmIdentifier, BIT STRING },
 *                                  [1] IMPLICIT issuerUniqueID OPTIONAL,
 *                                  [2] IMPLICIT subjectUniqueID OPTIONAL,
 *                                  [3] EXPLICIT extensions OPTIONAL }
 *
 * Why not d2i_X509: OpenSSL 3 decodes the subject's public key with it, and
 * setting up that decoder costs about a million instructions per
 * certificate (OSSL_DECODER_CTX_new_for_pkey: 62 of d2i_X509's 79 million
 * instructions for the 62 certificates of the 20 MB bench slice), with
 * lookups under a lock all worker threads share. Nothing here needs the key.
 *
 * The walk reads the DER tags and lengths itself (X.690 8.1.2-8.1.3,
 * definite lengths, one-byte tags) and gives every element to OpenSSL's own
 * decoder for its type -- names, INTEGER, Validity, AlgorithmIdentifier,
 * BIT STRING, Extensions -- which must consume exactly that element. It is
 * at least as strict as d2i_X509: it also refuses what OpenSSL's BER
 * decoder would accept (indefinite lengths, high tag numbers) and the
 * field/version combinations RFC 5280 rules out. A refusal is not final:
 * the caller then decodes the certificate with d2i_X509, whose verdict
 * stands (tls-cert.c), so a certificate decodes exactly as before, only
 * faster in the usual case.
 */
#include "app/tls/tls-x509.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include "util/bytes.h"

#define DER_INTEGER 0x02
#define DER_BIT_STRING 0x03
#define DER_SEQUENCE 0x30
#define DER_CTX_0 0xa0 /* [0] constructed (EXPLICIT version) */
#define DER_CTX_1 0x81 /* [1] primitive (IMPLICIT BIT STRING) */
#define DER_CTX_2 0x82
#define DER_CTX_3 0xa3 /* [3] constructed (EXPLICIT extensions) */

/* One element: its tag, its whole encoding and its content. */
typedef struct DerElem {
    uint8_t tag;
    const uint8_t *whole;
    size_t whole_len;
    const uint8_t *content;
    size_t content_len;
} DerElem;

/* Reads the next element of `r` (X.690 8.1.2-8.1.3): a one-byte tag and a
 * definite length that fits in what is left. */
static bool der_next(ByteReader *r, DerElem *e)
{
    const uint8_t *start = br_cursor(r);
    size_t before = r->pos;
    uint8_t first;
    if (!br_u8(r, &e->tag) || (e->tag & 0x1f) == 0x1f || !br_u8(r, &first))
        return false;
    uint64_t len = first;
    if (first & 0x80) {
        uint8_t n = first & 0x7f;
        if (n == 0 || n > 4 || !br_be_n(r, n, &len)) /* indefinite, or longer than any certificate */
            return false;
    }
    e->content = br_cursor(r);
    e->content_len = (size_t)len;
    if (!br_skip(r, (size_t)len))
        return false;
    e->whole = start;
    e->whole_len = r->pos - before;
    return true;
}

/* Reads the next element, which must have tag `tag`, into *e. */
static bool der_expect(ByteReader *r, uint8_t tag, DerElem *e)
{
    return der_next(r, e) && e->tag == tag;
}

/* take_*: OpenSSL's decoder of the type over element e into *out, which
 * must consume exactly all of e; false (and nothing kept) otherwise. */
#define DEFINE_TAKE(name, type, d2i, free_fn)                                                                          \
    static bool name(const DerElem *e, type **out)                                                                     \
    {                                                                                                                  \
        const unsigned char *p = e->whole;                                                                             \
        *out = d2i(NULL, &p, (long)e->whole_len);                                                                      \
        if (*out && p == e->whole + e->whole_len)                                                                      \
            return true;                                                                                               \
        free_fn(*out);                                                                                                 \
        *out = NULL;                                                                                                   \
        return false;                                                                                                  \
    }

static void extensions_free(X509_EXTENSIONS *exts)
{
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
}

DEFINE_TAKE(take_name, X509_NAME, d2i_X509_NAME, X509_NAME_free)
DEFINE_TAKE(take_integer, ASN1_INTEGER, d2i_ASN1_INTEGER, ASN1_INTEGER_free)
DEFINE_TAKE(take_validity, X509_VAL, d2i_X509_VAL, X509_VAL_free)
DEFINE_TAKE(take_algorithm, X509_ALGOR, d2i_X509_ALGOR, X509_ALGOR_free)
DEFINE_TAKE(take_bit_string, ASN1_BIT_STRING, d2i_ASN1_BIT_STRING, ASN1_BIT_STRING_free)
DEFINE_TAKE(take_extensions, X509_EXTENSIONS, d2i_X509_EXTENSIONS, extensions_free)

/* Reads an AlgorithmIdentifier from r, checked by X509_ALGOR's decoder. */
static bool algorithm(ByteReader *r)
{
    DerElem e;
    X509_ALGOR *a;
    if (!der_expect(r, DER_SEQUENCE, &e) || !take_algorithm(&e, &a))
        return false;
    X509_ALGOR_free(a);
    return true;
}

/* Reads a BIT STRING from r, checked by its decoder: universal, or an
 * IMPLICIT [1]/[2] unique identifier, which is decoded as the BIT STRING
 * it stands for (the same bytes under the universal tag). */
static bool bit_string(ByteReader *r, uint8_t tag)
{
    DerElem e;
    ASN1_BIT_STRING *b;
    if (!der_expect(r, tag, &e))
        return false;
    uint8_t *retagged = NULL;
    if (tag != DER_BIT_STRING) {
        if (!(retagged = malloc(e.whole_len)))
            return false;
        memcpy(retagged, e.whole, e.whole_len);
        retagged[0] = DER_BIT_STRING;
        e.whole = retagged;
    }
    bool ok = take_bit_string(&e, &b);
    ASN1_BIT_STRING_free(b);
    free(retagged);
    return ok;
}

void tls_x509_free(TlsX509 *x)
{
    X509_NAME_free(x->issuer);
    X509_NAME_free(x->subject);
    ASN1_INTEGER_free(x->serial);
    X509_VAL_free(x->validity);
    extensions_free(x->exts);
    memset(x, 0, sizeof(*x));
}

/* The TBSCertificate's fields into x; false when it is not as RFC 5280
 * describes it (the caller frees what was taken). */
static bool tbs_fields(const DerElem *tbs, TlsX509 *x)
{
    ByteReader r = br_init(tbs->content, tbs->content_len);
    DerElem e;
    long version = 0; /* v1 */
    if (!der_next(&r, &e))
        return false;
    if (e.tag == DER_CTX_0) {
        ByteReader v = br_init(e.content, e.content_len);
        DerElem ve;
        ASN1_INTEGER *vi;
        if (!der_expect(&v, DER_INTEGER, &ve) || br_remaining(&v) != 0 || !take_integer(&ve, &vi))
            return false;
        version = ASN1_INTEGER_get(vi);
        ASN1_INTEGER_free(vi);
        if (version < 0 || version > 2)
            return false;
        if (!der_next(&r, &e))
            return false;
    }
    if (e.tag != DER_INTEGER || !take_integer(&e, &x->serial))
        return false;
    if (!algorithm(&r))
        return false;
    if (!der_expect(&r, DER_SEQUENCE, &e) || !take_name(&e, &x->issuer))
        return false;
    if (!der_expect(&r, DER_SEQUENCE, &e) || !take_validity(&e, &x->validity))
        return false;
    x->not_before = x->validity->notBefore;
    x->not_after = x->validity->notAfter;
    if (!der_expect(&r, DER_SEQUENCE, &e) || !take_name(&e, &x->subject))
        return false;
    /* subjectPublicKeyInfo: checked, not decoded */
    if (!der_expect(&r, DER_SEQUENCE, &e))
        return false;
    ByteReader spki = br_init(e.content, e.content_len);
    if (!algorithm(&spki) || !bit_string(&spki, DER_BIT_STRING) || br_remaining(&spki) != 0)
        return false;
    uint8_t next = br_remaining(&r) ? *br_cursor(&r) : 0;
    if (next == DER_CTX_1) {
        if (version < 1 || !bit_string(&r, DER_CTX_1))
            return false;
        next = br_remaining(&r) ? *br_cursor(&r) : 0;
    }
    if (next == DER_CTX_2) {
        if (version < 1 || !bit_string(&r, DER_CTX_2))
            return false;
        next = br_remaining(&r) ? *br_cursor(&r) : 0;
    }
    if (next == DER_CTX_3) {
        if (version < 2 || !der_expect(&r, DER_CTX_3, &e))
            return false;
        ByteReader ex = br_init(e.content, e.content_len);
        DerElem list;
        if (!der_expect(&ex, DER_SEQUENCE, &list) || br_remaining(&ex) != 0 || !take_extensions(&list, &x->exts))
            return false;
    }
    return br_remaining(&r) == 0;
}

bool tls_x509_decode(const uint8_t *der, uint32_t len, TlsX509 *x)
{
    memset(x, 0, sizeof(*x));
    ByteReader outer = br_init(der, len);
    DerElem cert, tbs;
    if (!der_expect(&outer, DER_SEQUENCE, &cert))
        return false;
    ByteReader in = br_init(cert.content, cert.content_len);
    bool ok = der_expect(&in, DER_SEQUENCE, &tbs) && algorithm(&in) && bit_string(&in, DER_BIT_STRING) &&
              br_remaining(&in) == 0 && tbs_fields(&tbs, x);
    if (!ok)
        tls_x509_free(x);
    return ok;
}
