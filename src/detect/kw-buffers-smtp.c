/*
 * SMTP rule buffers, read through the SMTP parser's getters: the envelope
 * (smtp.helo, smtp.mail_from and smtp.rcpt_to, one instance per RCPT TO)
 * on the client side, and the mail's top-level headers (email.from,
 * email.subject, email.to, email.cc, email.date, email.message_id,
 * email.x_mailer, one instance per Received header for email.received)
 * plus the URLs extracted from its text parts (email.url). The envelope
 * is inspected as soon as it was parsed; the header buffers once the
 * top-level headers are complete (the body started), email.url once
 * the client side of the transaction is done (the message ended), so
 * every URL is there. email.body_md5 is the MD5 of the mail body as 32
 * lower-case hex digits (Suricata 9's sticky buffer), once the message
 * ended; a rule using it turns the body MD5 on (smtp-md5.c) unless
 * body-md5 is configured off. file.data in an SMTP rule
 * (`alert smtp ... file.data;`, or pcre /Q) is the decoded bytes of each
 * attachment the MIME decoder kept (base64 / quoted-printable undone, up
 * to the mime file_depth), one instance per attachment, as Suricata
 * inspects each SMTP file; the same name stays HTTP's body in HTTP rules
 * and in rules without a protocol. file.name in an SMTP rule is each
 * attachment's name; filesize and the digest lists (kw-file.c) judge each
 * tracked attachment.
 */
#include <stdbool.h>
#include <stdint.h>

#include "app/smtp/smtp.h"
#include "detect/kw-buffers.h"

#define SMTP_PROTO 6

static bool ready_headers(const void *tx, bool ts)
{
    (void)ts;
    return smtp_tx_headers_done(tx);
}

static bool g_helo(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return i == 0 && smtp_tx_get_helo(tx, d, l);
}
static bool g_mail_from(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return i == 0 && smtp_tx_get_mail_from(tx, d, l);
}
static bool g_rcpt_to(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return smtp_tx_get_rcpt_to(tx, i, d, l);
}
static bool g_received(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return smtp_tx_get_received(tx, i, d, l);
}
static bool g_url(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return smtp_tx_get_url(tx, i, d, l);
}

static bool g_body_md5(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return i == 0 && smtp_tx_get_body_md5_hex(tx, d, l);
}

/* email.body_md5 also asks the SMTP parser to compute the digest. */
static bool s_body_md5(RuleParseCtx *rp, Signature *s, const char *value)
{
    (void)value;
    if (!buffer_sticky_setup(rp, s, "email.body_md5", "email.body_md5"))
        return false;
    smtp_body_md5_needed_by_rules();
    return true;
}

static bool g_file_data(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    if (i >= smtp_tx_file_count(tx))
        return false;
    if (!smtp_tx_get_file_data(tx, i, d, l)) {
        /* an empty attachment is an empty instance, not the end of the list */
        static const uint8_t none[1];
        *d = none;
        *l = 0;
    }
    return true;
}

/* file.name: the attachment names, one instance per attachment */
static bool g_file_name(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    if (i >= smtp_tx_file_count(tx))
        return false;
    if (!smtp_tx_get_file_name(tx, i, d, l)) {
        static const uint8_t none[1];
        *d = none;
        *l = 0;
    }
    return true;
}

/* file#tx (kw-file.c: filesize, filemd5, filesha1, filesha256): the
 * tracked attachments themselves, one instance each */
static bool g_file_tx(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    const struct AppFile *f = smtp_tx_tracked_file(tx, i);
    if (!f)
        return false;
    *d = (const uint8_t *)f;
    *l = 0;
    return true;
}

#define HDR_GETTER(fn, hdr)                                                             \
    static bool fn(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l) \
    {                                                                                   \
        (void)ts;                                                                       \
        return i == 0 && smtp_tx_get_header(tx, hdr, d, l);                             \
    }
HDR_GETTER(g_from, "from")
HDR_GETTER(g_subject, "subject")
HDR_GETTER(g_to, "to")
HDR_GETTER(g_cc, "cc")
HDR_GETTER(g_date, "date")
HDR_GETTER(g_message_id, "message-id")
HDR_GETTER(g_x_mailer, "x-mailer")

BUF_STICKY(s_helo, "smtp.helo", "smtp.helo")
BUF_STICKY(s_mail_from, "smtp.mail_from", "smtp.mail_from")
BUF_STICKY(s_rcpt_to, "smtp.rcpt_to", "smtp.rcpt_to")
BUF_STICKY(s_from, "email.from", "email.from")
BUF_STICKY(s_subject, "email.subject", "email.subject")
BUF_STICKY(s_to, "email.to", "email.to")
BUF_STICKY(s_cc, "email.cc", "email.cc")
BUF_STICKY(s_date, "email.date", "email.date")
BUF_STICKY(s_message_id, "email.message_id", "email.message_id")
BUF_STICKY(s_x_mailer, "email.x_mailer", "email.x_mailer")
BUF_STICKY(s_url, "email.url", "email.url")
BUF_STICKY(s_received, "email.received", "email.received")

/* file.name and file#tx in SMTP rules (kw-file.c's keywords resolve them
 * by the rule's protocol); called by the file family after HTTP's, so a
 * rule without a protocol keeps HTTP's. */
void keywords_register_file_buffers_smtp(void)
{
    static const BufferDef bufs[] = {
        { "file.name", SMTP_PROTO, BUF_DIR_TOSERVER, true, g_file_name, NULL },
        { "file#tx", SMTP_PROTO, BUF_DIR_TOSERVER, true, g_file_tx, NULL },
    };
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
        buffer_register(&bufs[i]);
}

void keywords_register_buffers_smtp(void)
{
    static const BufferDef bufs[] = {
        { "smtp.helo", SMTP_PROTO, BUF_DIR_TOSERVER, false, g_helo, buffer_ready_always },
        { "smtp.mail_from", SMTP_PROTO, BUF_DIR_TOSERVER, false, g_mail_from, buffer_ready_always },
        { "smtp.rcpt_to", SMTP_PROTO, BUF_DIR_TOSERVER, true, g_rcpt_to, NULL },
        { "email.from", SMTP_PROTO, BUF_DIR_TOSERVER, false, g_from, ready_headers },
        { "email.subject", SMTP_PROTO, BUF_DIR_TOSERVER, false, g_subject, ready_headers },
        { "email.to", SMTP_PROTO, BUF_DIR_TOSERVER, false, g_to, ready_headers },
        { "email.cc", SMTP_PROTO, BUF_DIR_TOSERVER, false, g_cc, ready_headers },
        { "email.date", SMTP_PROTO, BUF_DIR_TOSERVER, false, g_date, ready_headers },
        { "email.message_id", SMTP_PROTO, BUF_DIR_TOSERVER, false, g_message_id, ready_headers },
        { "email.x_mailer", SMTP_PROTO, BUF_DIR_TOSERVER, false, g_x_mailer, ready_headers },
        { "email.url", SMTP_PROTO, BUF_DIR_TOSERVER, true, g_url, NULL },
        { "email.received", SMTP_PROTO, BUF_DIR_TOSERVER, true, g_received, ready_headers },
        { "email.body_md5", SMTP_PROTO, BUF_DIR_TOSERVER, false, g_body_md5, NULL },
        /* registered after HTTP's: `file.data` alone still means HTTP's body */
        { "file.data", SMTP_PROTO, BUF_DIR_TOSERVER, true, g_file_data, NULL },
    };
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
        buffer_register(&bufs[i]);
    buffer_register_sticky("smtp.helo", NULL, "sticky buffer: SMTP HELO/EHLO name", s_helo);
    buffer_register_sticky("smtp.mail_from", NULL, "sticky buffer: SMTP MAIL FROM", s_mail_from);
    buffer_register_sticky("smtp.rcpt_to", NULL, "sticky buffer: SMTP RCPT TO (each)", s_rcpt_to);
    buffer_register_sticky("email.from", NULL, "sticky buffer: email From header", s_from);
    buffer_register_sticky("email.subject", NULL, "sticky buffer: email Subject header", s_subject);
    buffer_register_sticky("email.to", NULL, "sticky buffer: email To header", s_to);
    buffer_register_sticky("email.cc", NULL, "sticky buffer: email Cc header", s_cc);
    buffer_register_sticky("email.date", NULL, "sticky buffer: email Date header", s_date);
    buffer_register_sticky("email.message_id", NULL, "sticky buffer: email Message-ID header", s_message_id);
    buffer_register_sticky("email.x_mailer", NULL, "sticky buffer: email X-Mailer header", s_x_mailer);
    buffer_register_sticky("email.url", NULL, "sticky buffer: URLs in the email (each)", s_url);
    buffer_register_sticky("email.received", NULL, "sticky buffer: email Received headers (each)", s_received);
    buffer_register_sticky("email.body_md5", NULL, "sticky buffer: MD5 of the email body (hex)", s_body_md5);
}
