/*
 * Unit tests of the SMTP/email, TLS, SSH and FTP rule buffers that only the
 * verify suite covered: email.* (from, to, cc, subject, date, message_id,
 * x_mailer, received, url, body_md5), smtp.helo / mail_from / rcpt_to,
 * ja3.string, ja3s.hash / string, ja4.hash, tls.cert_issuer / cert_serial /
 * cert_fingerprint, tls.certs, tls.subjectaltname, tls.alpn, tls.random /
 * random_time / random_bytes, the legacy tls_* and ja3_hash names,
 * ssh.hassh / hassh.string / hassh.server / hassh.server.string and
 * ftp.command_data. For each: the keyword loads and ties the rule to its
 * protocol, a wrong use (a value given to the sticky buffer, or a rule of
 * another protocol) is a parse error naming the problem, and a content
 * under it matches the right buffer and not another one. Transactions are
 * built by the real parsers from wire bytes (the TLS certificate is made
 * here with libcrypto); each rule's buffer is read through the buffer
 * registry's getter, in the buffer's direction, and inspected by the
 * content engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "app/ftp/ftp.h"
#include "app/smtp/smtp.h"
#include "app/ssh/ssh.h"
#include "app/tls/tls.h"
#include "conf/conf.h"
#include "detect/app-proto.h"
#include "detect/buffer-registry.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

#include "../rule-parse-helper.h"

#define MAX_ERR 1024

static Signature *parse(const char *text, char *err, size_t errlen)
{
    return parse_rule(text, err, errlen);
}

/* `kw; content:"<pattern>";` in a rule of protocol `proto`, run against
 * every instance of the buffer of tx in direction ts (as the engine
 * inspects it: only in the buffer's directions, once ready). */
static bool kw_matches(const char *proto, const char *kw, const char *pattern, const void *tx, bool ts)
{
    char rule[1024], err[MAX_ERR] = "", content[512];
    size_t n = 0; /* ';' and '"' as hex bytes, as a rule writes them */
    for (const char *c = pattern; *c && n + 6 < sizeof(content); c++) {
        if (*c == ';' || *c == '"')
            n += (size_t)snprintf(content + n, sizeof(content) - n, "|%02x|", (unsigned char)*c);
        else
            content[n++] = *c;
    }
    content[n] = 0;
    snprintf(rule, sizeof(rule), "alert %s any any -> any any (%s; content:\"%s\"; sid:1;)", proto, kw, content);
    Signature *s = parse(rule, err, sizeof(err));
    if (!s)
        fail_msg("%s: %s", rule, err);
    const SigMatchList *list = NULL;
    const BufferDef *b = NULL;
    for (uint16_t i = 0; i < s->list_count && !list; i++) {
        const BufferDef *d = buffer_by_list(s->lists[i].list_id);
        if (d && s->lists[i].count) {
            list = &s->lists[i];
            b = d;
        }
    }
    assert_non_null(list);
    assert_int_equal(b->proto, s->app_proto);
    bool matched = false;
    if ((b->dirs & (ts ? BUF_DIR_TOSERVER : BUF_DIR_TOCLIENT)) && (!b->ready || b->ready(tx, ts))) {
        const uint8_t *d;
        uint32_t len;
        for (uint32_t i = 0; !matched && b->get(tx, ts, i, &d, &len); i++)
            matched = inspect_buffer(NULL, s, list, d, len, INSPECT_BUF_APP, NULL);
    }
    signature_free(s);
    return matched;
}

/* The keyword loads in a rule of `proto` and sets that protocol; with a
 * value, or in a rule of `other` protocol, it is a parse error that says
 * what is wrong. */
static void kw_syntax(const char *proto, const char *kw, const char *other)
{
    char rule[512], err[MAX_ERR] = "";
    snprintf(rule, sizeof(rule), "alert %s any any -> any any (%s; content:\"x\"; sid:1;)", proto, kw);
    Signature *s = parse(rule, err, sizeof(err));
    if (!s)
        fail_msg("%s: %s", rule, err);
    assert_string_equal(app_proto_name(s->app_proto), proto);
    signature_free(s);

    snprintf(rule, sizeof(rule), "alert %s any any -> any any (%s:\"x\"; content:\"x\"; sid:1;)", proto, kw);
    err[0] = 0;
    if ((s = parse(rule, err, sizeof(err))) != NULL)
        fail_msg("accepted a value: %s", rule);
    if (!strstr(err, kw))
        fail_msg("%s: error does not name the keyword: %s", rule, err);

    snprintf(rule, sizeof(rule), "alert %s any any -> any any (%s; content:\"x\"; sid:1;)", other, kw);
    err[0] = 0;
    if ((s = parse(rule, err, sizeof(err))) != NULL)
        fail_msg("accepted in a %s rule: %s", other, rule);
    assert_true(err[0] != 0);
}

static void md5_hex(const void *p, size_t n, char out[33])
{
    unsigned char d[16];
    unsigned int l = 0;
    assert_int_equal(EVP_Digest(p, n, d, &l, EVP_md5(), NULL), 1);
    for (unsigned i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* --- SMTP ------------------------------------------------------------ */

#define MAIL_HEADERS                                                                  \
    "Received: from relay1.example by mx.example; Mon, 1 Jan 2024 10:00:00 +0000\r\n" \
    "Received: from client.example by relay1.example\r\n"                            \
    "From: Alice <alice@example.org>\r\n"                                             \
    "To: Bob <bob@example.net>\r\n"                                                   \
    "Cc: Carol <carol@example.com>\r\n"                                               \
    "Subject: quarterly invoice\r\n"                                                  \
    "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"                                        \
    "Message-ID: <msg-4711@example.org>\r\n"                                          \
    "X-Mailer: OdlarMailer 1.0\r\n"                                                   \
    "\r\n"
#define MAIL_BODY "Pay at http://pay.evil.example/now today\r\n..dotted line\r\n"

static void smtp_feed(SmtpState *s, bool ts, const char *text)
{
    smtp_parse(s, ts, (const uint8_t *)text, (uint32_t)strlen(text), 0);
}

static SmtpState *smtp_session(SmtpTx **mail)
{
    SmtpState *s = smtp_state_new();
    smtp_feed(s, false, "220 mx.example ESMTP\r\n");
    smtp_feed(s, true, "EHLO client.example\r\n");
    smtp_feed(s, false, "250 mx.example\r\n");
    smtp_feed(s, true, "MAIL FROM:<alice@example.org>\r\n");
    smtp_feed(s, false, "250 ok\r\n");
    smtp_feed(s, true, "RCPT TO:<bob@example.net>\r\n");
    smtp_feed(s, false, "250 ok\r\n");
    smtp_feed(s, true, "RCPT TO:<carol@example.com>\r\n");
    smtp_feed(s, false, "250 ok\r\n");
    smtp_feed(s, true, "DATA\r\n");
    smtp_feed(s, false, "354 go ahead\r\n");
    smtp_feed(s, true, MAIL_HEADERS MAIL_BODY ".\r\n");
    smtp_feed(s, false, "250 queued\r\n");
    *mail = NULL;
    const uint8_t *p;
    uint32_t n;
    for (uint64_t id = 0; id < smtp_tx_count(s) && !*mail; id++) {
        SmtpTx *tx = smtp_tx_get(s, id);
        if (tx && smtp_tx_get_mail_from(tx, &p, &n))
            *mail = tx;
    }
    assert_non_null(*mail);
    assert_true(smtp_tx_done(*mail, true));
    return s;
}

static void test_email_buffers(void **st)
{
    (void)st;
    SmtpMimeConfig c;
    smtp_config_defaults(&c);
    smtp_config_set_mime(&c);
    SmtpTx *tx;

    /* body-md5 unset ("auto"): no digest until a rule uses email.body_md5 */
    SmtpState *s = smtp_session(&tx);
    const uint8_t *p;
    uint32_t n;
    assert_false(smtp_tx_get_body_md5_hex(tx, &p, &n));
    smtp_state_free(s);
    kw_syntax("smtp", "email.body_md5", "http");

    s = smtp_session(&tx);
    char md5[33];
    md5_hex(MAIL_BODY, strlen(MAIL_BODY), md5);
    assert_true(kw_matches("smtp", "email.body_md5", md5, tx, true));
    assert_false(kw_matches("smtp", "email.body_md5", "d41d8cd98f00b204e9800998ecf8427e", tx, true));
    assert_false(kw_matches("smtp", "email.body_md5", md5, tx, false)); /* a client-side buffer */

    static const struct {
        const char *kw, *hit, *miss;
    } cases[] = {
        { "email.from", "alice@example.org", "bob@" },
        { "email.to", "Bob <bob@example.net>", "carol" },
        { "email.cc", "carol@example.com", "bob@" },
        { "email.subject", "quarterly invoice", "Subject" },
        { "email.date", "Mon, 1 Jan 2024", "Tue" },
        { "email.message_id", "<msg-4711@example.org>", "Message-ID" },
        { "email.x_mailer", "OdlarMailer 1.0", "alice" },
        { "email.received", "from client.example by relay1.example", "from evil" },
        { "email.url", "pay.evil.example/now", "alice@example.org" },
        { "smtp.helo", "client.example", "mx.example" },
        { "smtp.mail_from", "alice@example.org", "bob@example.net" },
        { "smtp.rcpt_to", "carol@example.com", "alice@example.org" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        kw_syntax("smtp", cases[i].kw, "tls");
        if (!kw_matches("smtp", cases[i].kw, cases[i].hit, tx, true))
            fail_msg("%s does not match \"%s\"", cases[i].kw, cases[i].hit);
        if (kw_matches("smtp", cases[i].kw, cases[i].miss, tx, true))
            fail_msg("%s matches \"%s\"", cases[i].kw, cases[i].miss);
    }
    /* the first Received header is an instance too; rcpt_to has both */
    assert_true(kw_matches("smtp", "email.received", "from relay1.example by mx.example", tx, true));
    assert_true(kw_matches("smtp", "smtp.rcpt_to", "bob@example.net", tx, true));
    smtp_state_free(s);

    /* body-md5: no keeps the digest off even with the rule loaded */
    c.body_md5_never = true;
    smtp_config_set_mime(&c);
    s = smtp_session(&tx);
    assert_false(smtp_tx_get_body_md5_hex(tx, &p, &n));
    smtp_state_free(s);
    smtp_config_defaults(&c);
    smtp_config_set_mime(&c);
}

/* --- TLS ------------------------------------------------------------- */

typedef struct W {
    uint8_t b[16384];
    size_t n;
} W;
static void w8(W *w, unsigned v) { w->b[w->n++] = (uint8_t)v; }
static void w16(W *w, unsigned v) { w8(w, v >> 8); w8(w, v); }
static void w24(W *w, unsigned v) { w8(w, v >> 16); w16(w, v); }
static void wmem(W *w, const void *p, size_t n)
{
    if (n)
        memcpy(w->b + w->n, p, n);
    w->n += n;
}
static void put16(W *w, size_t at, size_t v)
{
    w->b[at] = (uint8_t)(v >> 8);
    w->b[at + 1] = (uint8_t)v;
}

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

/* ClientHello (RFC 8446 section 4.1.2): random 00..1f, ciphers c02b 002f,
 * SNI, ALPN h2 + http/1.1. ServerHello: random a0..bf, c02f, ALPN h2. */
static void client_hello(W *b)
{
    w16(b, 0x0303);
    for (int i = 0; i < 32; i++)
        w8(b, (unsigned)i);
    w8(b, 0);
    w16(b, 4);
    w16(b, 0xc02b);
    w16(b, 0x002f);
    w8(b, 1);
    w8(b, 0);
    size_t el = b->n;
    w16(b, 0);
    const char *sni = "www.example.com";
    size_t sl = strlen(sni);
    w16(b, 0);
    w16(b, (unsigned)(sl + 5));
    w16(b, (unsigned)(sl + 3));
    w8(b, 0);
    w16(b, (unsigned)sl);
    wmem(b, sni, sl);
    w16(b, 16);
    w16(b, 14);
    w16(b, 12);
    w8(b, 2);
    wmem(b, "h2", 2);
    w8(b, 8);
    wmem(b, "http/1.1", 8);
    put16(b, el, b->n - el - 2);
}

static void server_hello(W *b)
{
    w16(b, 0x0303);
    for (int i = 0; i < 32; i++)
        w8(b, 0xa0u + (unsigned)i);
    w8(b, 0);
    w16(b, 0xc02f);
    w8(b, 0);
    size_t el = b->n;
    w16(b, 0);
    w16(b, 16);
    w16(b, 5);
    w16(b, 3);
    w8(b, 2);
    wmem(b, "h2", 2);
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
    ASN1_INTEGER_set(X509_get_serialNumber(x), 0x1234);
    X509_NAME *n = X509_NAME_new();
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"server.example", -1, -1, 0);
    X509_set_subject_name(x, n);
    X509_NAME *is = X509_NAME_new();
    X509_NAME_add_entry_by_txt(is, "O", MBSTRING_ASC, (const unsigned char *)"Issuing Authority", -1, -1, 0);
    X509_set_issuer_name(x, is);
    ASN1_TIME_set(X509_getm_notBefore(x), 1600000000);
    ASN1_TIME_set(X509_getm_notAfter(x), 1700000000);
    X509_set_pubkey(x, k);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, "DNS:alt1.example, DNS:alt2.example");
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

static TlsState *tls_session(void)
{
    W c = { .n = 0 }, s = { .n = 0 }, b = { .n = 0 }, m = { .n = 0 };
    client_hello(&b);
    hs_msg(&m, 1, b.b, b.n);
    record(&c, 22, m.b, m.n);
    b.n = m.n = 0;
    server_hello(&b);
    hs_msg(&m, 2, b.b, b.n);
    b.n = 0;
    w24(&b, (unsigned)(g_der_len + 3));
    w24(&b, (unsigned)g_der_len);
    wmem(&b, g_der, (size_t)g_der_len);
    hs_msg(&m, 11, b.b, b.n);
    hs_msg(&m, 14, NULL, 0);
    record(&s, 22, m.b, m.n);
    TlsState *st = tls_state_new();
    assert_true(tls_parse(st, true, c.b, (uint32_t)c.n, 0));
    assert_true(tls_parse(st, false, s.b, (uint32_t)s.n, 0));
    return st;
}

/* A content of raw bytes as a rule writes it: |xx xx ...| */
static void hex_content(const uint8_t *p, size_t n, char *out)
{
    out += sprintf(out, "|");
    for (size_t i = 0; i < n; i++)
        out += sprintf(out, i ? " %02x" : "%02x", p[i]);
    sprintf(out, "|");
}

static void test_tls_buffers(void **st)
{
    (void)st;
    make_cert();
    TlsState *s = tls_session();
    TlsTx *tx = tls_tx_get(s, 0);
    assert_non_null(tx);

    /* JA3 (client, to_server) and JA3S (server, to_client) */
    const char *ja3 = "771,49195-47,0-16,,";
    char ja3_md5[33];
    md5_hex(ja3, strlen(ja3), ja3_md5);
    const char *ja3s = "771,49199,16";
    char ja3s_md5[33];
    md5_hex(ja3s, strlen(ja3s), ja3s_md5);
    static const char *const tls_kws[] = {
        "ja3.string", "ja3s.hash", "ja3s.string", "ja4.hash", "tls.cert_issuer", "tls.cert_serial",
        "tls.cert_fingerprint", "tls.certs", "tls.subjectaltname", "tls.alpn", "tls.random",
        "tls.random_time", "tls.random_bytes", "tls_sni", "tls_cert_subject", "tls_cert_issuer",
        "tls_cert_serial", "tls_cert_fingerprint", "ja3_hash",
    };
    for (size_t i = 0; i < sizeof(tls_kws) / sizeof(tls_kws[0]); i++)
        kw_syntax("tls", tls_kws[i], "smtp");

    assert_true(kw_matches("tls", "ja3.string", ja3, tx, true));
    assert_false(kw_matches("tls", "ja3.string", ja3s, tx, true));
    assert_true(kw_matches("tls", "ja3_hash", ja3_md5, tx, true));
    assert_true(kw_matches("tls", "ja3s.string", ja3s, tx, false));
    assert_false(kw_matches("tls", "ja3s.string", ja3s, tx, true)); /* server side only */
    assert_true(kw_matches("tls", "ja3s.hash", ja3s_md5, tx, false));
    assert_false(kw_matches("tls", "ja3s.hash", ja3_md5, tx, false));
    /* JA4: TLS 1.2 over TCP, SNI, 2 ciphers, 2 extensions, ALPN h2 */
    assert_true(kw_matches("tls", "ja4.hash", "t12d0202h2_", tx, true));
    assert_false(kw_matches("tls", "ja4.hash", "t13d", tx, true));

    /* the server certificate, to_client */
    assert_true(kw_matches("tls", "tls.cert_issuer", "O=Issuing Authority", tx, false));
    assert_false(kw_matches("tls", "tls.cert_issuer", "server.example", tx, false));
    assert_true(kw_matches("tls", "tls_cert_issuer", "Issuing", tx, false));
    assert_true(kw_matches("tls", "tls_cert_subject", "CN=server.example", tx, false));
    assert_true(kw_matches("tls", "tls.cert_serial", "12:34", tx, false));
    assert_true(kw_matches("tls", "tls_cert_serial", "12:34", tx, false));
    assert_false(kw_matches("tls", "tls.cert_serial", "12:35", tx, false));
    unsigned char sha1[20];
    unsigned int sl = 0;
    EVP_Digest(g_der, (size_t)g_der_len, sha1, &sl, EVP_sha1(), NULL);
    char fp[61];
    for (int i = 0; i < 20; i++)
        snprintf(fp + i * 3, 4, i < 19 ? "%02x:" : "%02x", sha1[i]);
    assert_true(kw_matches("tls", "tls.cert_fingerprint", fp, tx, false));
    assert_true(kw_matches("tls", "tls_cert_fingerprint", fp, tx, false));
    assert_false(kw_matches("tls", "tls.cert_fingerprint", ja3_md5, tx, false));
    char der_head[64];
    hex_content(g_der, 8, der_head);
    assert_true(kw_matches("tls", "tls.certs", der_head, tx, false));
    assert_false(kw_matches("tls", "tls.certs", "server.example.invalid", tx, false));
    assert_true(kw_matches("tls", "tls.subjectaltname", "alt2.example", tx, false));
    assert_false(kw_matches("tls", "tls.subjectaltname", "server.example", tx, false));
    assert_false(kw_matches("tls", "tls.cert_issuer", "Issuing", tx, true)); /* no client certificate */
    assert_true(kw_matches("tls", "tls_sni", "www.example.com", tx, true));

    /* ALPN per side: the client offered h2 and http/1.1, the server chose h2 */
    assert_true(kw_matches("tls", "tls.alpn", "http/1.1", tx, true));
    assert_true(kw_matches("tls", "tls.alpn", "h2", tx, false));
    assert_false(kw_matches("tls", "tls.alpn", "http/1.1", tx, false));

    /* randoms per side: the first 4 bytes, the last 28, all 32 */
    assert_true(kw_matches("tls", "tls.random_time", "|00 01 02 03|", tx, true));
    assert_false(kw_matches("tls", "tls.random_time", "|04|", tx, true));
    assert_true(kw_matches("tls", "tls.random_bytes", "|04 05 06|", tx, true));
    assert_false(kw_matches("tls", "tls.random_bytes", "|03 04|", tx, true));
    assert_true(kw_matches("tls", "tls.random", "|03 04|", tx, true));
    assert_true(kw_matches("tls", "tls.random", "|a0 a1|", tx, false));
    assert_false(kw_matches("tls", "tls.random", "|a0 a1|", tx, true));
    tls_state_free(s);
    OPENSSL_free(g_der);
}

/* --- SSH ------------------------------------------------------------- */

typedef struct Bytes {
    uint8_t d[4096];
    uint32_t n;
} Bytes;

static void put(Bytes *b, const void *p, uint32_t n)
{
    assert_true(b->n + n <= sizeof(b->d));
    if (n)
        memcpy(b->d + b->n, p, n);
    b->n += n;
}
static void put32(Bytes *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    put(b, x, 4);
}
static void putlist(Bytes *b, const char *s)
{
    put32(b, (uint32_t)strlen(s));
    put(b, s, (uint32_t)strlen(s));
}

/* A banner and a KEXINIT packet (RFC 4253 sections 4.2, 6 and 7.1). */
static void ssh_side(Bytes *b, const char *banner, const char *kex, const char *enc, const char *mac,
                     const char *comp)
{
    put(b, banner, (uint32_t)strlen(banner));
    Bytes body = { .n = 0 };
    put(&body, "0123456789abcdef", 16);
    putlist(&body, kex);
    putlist(&body, "ssh-ed25519");
    putlist(&body, enc);
    putlist(&body, enc);
    putlist(&body, mac);
    putlist(&body, mac);
    putlist(&body, comp);
    putlist(&body, comp);
    putlist(&body, "");
    putlist(&body, "");
    put(&body, "\0\0\0\0\0", 5);
    uint8_t pad = 4, msg = 20;
    put32(b, 1 + 1 + body.n + pad);
    put(b, &pad, 1);
    put(b, &msg, 1);
    put(b, body.d, body.n);
    put(b, "\0\0\0\0", 4);
}

static void test_ssh_buffers(void **st)
{
    (void)st;
    Bytes c = { .n = 0 }, s = { .n = 0 };
    ssh_side(&c, "SSH-2.0-OpenSSH_9.2\r\n", "curve25519-sha256", "aes128-ctr", "hmac-sha2-256", "none");
    ssh_side(&s, "SSH-2.0-dropbear_2022.83\r\n", "diffie-hellman-group14-sha256", "aes256-ctr", "hmac-sha1",
             "zlib");
    SshState *ss = ssh_state_new();
    ssh_state_set_hassh(ss, true);
    assert_true(ssh_parse(ss, true, c.d, c.n, 0));
    assert_true(ssh_parse(ss, false, s.d, s.n, 0));
    SshTx *tx = ssh_tx_get(ss, 0);
    assert_non_null(tx);
    /* HASSH: kex;encryption;mac;compression of the client-to-server lists */
    const char *cli = "curve25519-sha256;aes128-ctr;hmac-sha2-256;none";
    const char *srv = "diffie-hellman-group14-sha256;aes256-ctr;hmac-sha1;zlib";
    char cli_md5[33], srv_md5[33];
    md5_hex(cli, strlen(cli), cli_md5);
    md5_hex(srv, strlen(srv), srv_md5);
    static const char *const kws[] = { "ssh.hassh", "ssh.hassh.string", "ssh.hassh.server",
                                       "ssh.hassh.server.string" };
    for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
        kw_syntax("ssh", kws[i], "ftp");
    assert_true(kw_matches("ssh", "ssh.hassh.string", cli, tx, true));
    assert_false(kw_matches("ssh", "ssh.hassh.string", srv, tx, true));
    assert_true(kw_matches("ssh", "ssh.hassh", cli_md5, tx, true));
    assert_false(kw_matches("ssh", "ssh.hassh", srv_md5, tx, true));
    assert_false(kw_matches("ssh", "ssh.hassh", cli_md5, tx, false)); /* client only */
    assert_true(kw_matches("ssh", "ssh.hassh.server.string", srv, tx, false));
    assert_false(kw_matches("ssh", "ssh.hassh.server.string", cli, tx, false));
    assert_true(kw_matches("ssh", "ssh.hassh.server", srv_md5, tx, false));
    assert_false(kw_matches("ssh", "ssh.hassh.server", cli_md5, tx, false));
    assert_false(kw_matches("ssh", "ssh.hassh.server", srv_md5, tx, true)); /* server only */
    ssh_state_free(ss);
}

/* --- FTP ------------------------------------------------------------- */

static void test_ftp_command_data(void **st)
{
    (void)st;
    FtpState *f = ftp_state_new();
    const char *lines[][2] = {
        { "s", "220 ready\r\n" }, { "c", "USER anonymous\r\n" }, { "s", "331 password\r\n" },
        { "c", "RETR /pub/secret.tar\r\n" },
    };
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
        assert_true(ftp_parse(f, lines[i][0][0] == 'c', (const uint8_t *)lines[i][1], (uint32_t)strlen(lines[i][1]),
                              (OdTime){ 0 }));
    FtpTx *user = ftp_tx_get(f, 1), *retr = ftp_tx_get(f, 2);
    assert_non_null(user);
    assert_non_null(retr);
    kw_syntax("ftp", "ftp.command_data", "dns");
    assert_true(kw_matches("ftp", "ftp.command_data", "/pub/secret.tar", retr, true));
    assert_false(kw_matches("ftp", "ftp.command_data", "RETR", retr, true)); /* the argument only */
    assert_true(kw_matches("ftp", "ftp.command_data", "anonymous", user, true));
    assert_false(kw_matches("ftp", "ftp.command_data", "anonymous", user, false)); /* client side */
    ftp_state_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email_buffers),
        cmocka_unit_test(test_tls_buffers),
        cmocka_unit_test(test_ssh_buffers),
        cmocka_unit_test(test_ftp_command_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
