/*
 * libFuzzer harness for the certificate walk of app/tls/tls-x509.c, run
 * against OpenSSL's d2i_X509 on the same bytes: the walk must never accept
 * a certificate d2i_X509 refuses (tls-cert.c relies on that: a refusal of
 * the walk goes to d2i_X509, an acceptance does not), and what it decodes
 * must be what d2i_X509 decodes -- the names, the serial, the validity
 * times and the extensions.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <openssl/x509.h>

#include "app/tls/tls-x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    TlsX509 f;
    if (!tls_x509_decode(data, (uint32_t)size, &f))
        return 0;
    const unsigned char *p = data;
    X509 *x = d2i_X509(NULL, &p, (long)size);
    if (!x)
        abort(); /* accepted by the walk, refused by OpenSSL */
    int exts = f.exts ? sk_X509_EXTENSION_num(f.exts) : 0;
    if (X509_NAME_cmp(f.subject, X509_get_subject_name(x)) != 0 ||
        X509_NAME_cmp(f.issuer, X509_get_issuer_name(x)) != 0 ||
        ASN1_INTEGER_cmp(f.serial, X509_get0_serialNumber(x)) != 0 ||
        ASN1_STRING_cmp(f.validity->notBefore, X509_get0_notBefore(x)) != 0 ||
        ASN1_STRING_cmp(f.validity->notAfter, X509_get0_notAfter(x)) != 0 || exts != X509_get_ext_count(x))
        abort(); /* decoded differently */
    for (int i = 0; i < exts; i++)
        if (OBJ_cmp(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(f.exts, i)),
                    X509_EXTENSION_get_object(X509_get_ext(x, i))) != 0 ||
            ASN1_STRING_cmp(X509_EXTENSION_get_data(sk_X509_EXTENSION_value(f.exts, i)),
                            X509_EXTENSION_get_data(X509_get_ext(x, i))) != 0)
            abort();
    X509_free(x);
    tls_x509_free(&f);
    return 0;
}
