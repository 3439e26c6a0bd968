/*
 * The fields of an X.509 certificate the TLS logger shows, decoded without
 * its public key (tls-x509.c says why and how).
 */
#ifndef ODLAR_APP_TLS_X509_H
#define ODLAR_APP_TLS_X509_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/x509.h>

typedef struct TlsX509 {
    X509_NAME *issuer, *subject;
    ASN1_INTEGER *serial;
    X509_VAL *validity;
    const ASN1_TIME *not_before, *not_after; /* validity's two times */
    STACK_OF(X509_EXTENSION) *exts; /* NULL when the certificate has none */
} TlsX509;

/* Decodes certificate `der` (its first `len` bytes hold it; bytes after
 * it are ignored, as d2i_X509 ignores them). False, with *x empty, when
 * the walk refuses it: the caller then asks d2i_X509. */
bool tls_x509_decode(const uint8_t *der, uint32_t len, TlsX509 *x);
void tls_x509_free(TlsX509 *x);

#endif
