/*
 * The MD5 of a mail's body, as Suricata's `body-md5` option computes it
 * for the EVE `email.body_md5` field: every message line from the first
 * one after the top-level header block up to the end of the message (the
 * "." line excluded), each with its own line delimiter (CRLF or LF) and
 * before dot unstuffing, including the part headers and boundary lines of
 * a multipart body. Enabled by app-layer.protocols.smtp.mime.body-md5: yes,
 * or (body-md5 auto or unset, as Suricata's "auto") once a loaded rule uses
 * the email.body_md5 buffer, which reads the digest as lower-case hex; the
 * digest is final once the message ended (smtp_mime_md5_finish).
 */
#include "app/smtp/smtp-internal.h"

#include <stdatomic.h>
#include <string.h>

#include <openssl/evp.h>

static _Atomic bool rules_need_md5;

void smtp_body_md5_needed_by_rules(void)
{
    atomic_store(&rules_need_md5, true);
}

void smtp_mime_md5_line(SmtpTx *tx, const SmtpMimeConfig *cfg, const uint8_t *line, uint32_t len,
                        uint32_t delim_len)
{
    SmtpMime *m = &tx->mime;
    bool on = cfg->body_md5 || (!cfg->body_md5_never && atomic_load(&rules_need_md5));
    if (!on || m->md5_done)
        return;
    if (!m->md5) {
        if (m->state != MIME_ST_BODY)
            return; /* still in the top-level header block */
        EVP_MD_CTX *c = EVP_MD_CTX_new();
        if (!c || EVP_DigestInit_ex(c, EVP_md5(), NULL) != 1) {
            EVP_MD_CTX_free(c);
            return;
        }
        m->md5 = c;
    }
    static const uint8_t crlf[2] = { '\r', '\n' };
    EVP_DigestUpdate(m->md5, line, len);
    if (delim_len == 2)
        EVP_DigestUpdate(m->md5, crlf, 2);
    else if (delim_len == 1)
        EVP_DigestUpdate(m->md5, crlf + 1, 1);
}

void smtp_mime_md5_finish(SmtpMime *m)
{
    if (!m->md5 || m->md5_done)
        return;
    unsigned int n = 0;
    m->md5_done = EVP_DigestFinal_ex(m->md5, m->body_md5, &n) == 1 && n == sizeof(m->body_md5);
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; m->md5_done && i < 16; i++) {
        m->body_md5_hex[2 * i] = hex[m->body_md5[i] >> 4];
        m->body_md5_hex[2 * i + 1] = hex[m->body_md5[i] & 15];
    }
    m->body_md5_hex[32] = 0;
    EVP_MD_CTX_free(m->md5);
    m->md5 = NULL;
}

void smtp_mime_md5_free(SmtpMime *m)
{
    EVP_MD_CTX_free(m->md5);
    m->md5 = NULL;
}

bool smtp_tx_get_body_md5(const SmtpTx *tx, uint8_t out[16])
{
    if (!tx->has_mime || !tx->mime.md5_done)
        return false;
    memcpy(out, tx->mime.body_md5, 16);
    return true;
}

bool smtp_tx_get_body_md5_hex(const SmtpTx *tx, const uint8_t **p, uint32_t *len)
{
    if (!tx->has_mime || !tx->mime.md5_done)
        return false;
    *p = (const uint8_t *)tx->mime.body_md5_hex;
    *len = 32;
    return true;
}

bool smtp_md5_hex(const uint8_t *p, uint32_t len, char out[33])
{
    uint8_t d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(p, len, d, &n, EVP_md5(), NULL) != 1 || n != 16)
        return false;
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < 16; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[32] = 0;
    return true;
}
