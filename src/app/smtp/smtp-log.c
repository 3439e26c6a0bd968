/*
 * EVE output for SMTP as Suricata 8 writes it (output-json-smtp.c and
 * output-json-email-common.c):
 *   "smtp": {"helo", "mail_from", "rcpt_to": [...]}
 *   "email": {"status", "from", "to": [...], "cc": [...],
 *             "attachment": [...], "url": [...], optional fields}
 * "to"/"cc" (and "bcc") split the header value at commas outside quoted
 * strings (RFC 5322 section 3.4 address lists), dropping leading spaces
 * and empty items. "url" lists the extracted URLs newest first (the
 * order Suricata's decoder keeps them in).
 * The optional fields (extended: bcc, message_id, subject, x_mailer,
 * user_agent; any by name with `custom`) come from the top-level headers.
 * With the logger's `md5` list, "subject_md5" is the MD5 of the Subject
 * value and "body_md5" the body MD5 (smtp-md5.c, needs mime body-md5).
 */
#include "app/smtp/smtp-internal.h"

#include <string.h>

enum { F_PLAIN = 0, F_COMMA = 1, F_ARRAY = 2, F_EXT = 4 };

static const struct {
    const char *key;
    const char *header;
    int flags;
} fields[] = {
    { "reply_to", "reply-to", F_PLAIN },
    { "bcc", "bcc", F_COMMA | F_EXT },
    { "message_id", "message-id", F_EXT },
    { "subject", "subject", F_EXT },
    { "x_mailer", "x-mailer", F_EXT },
    { "user_agent", "user-agent", F_EXT },
    { "received", "received", F_ARRAY },
    { "x_originating_ip", "x-originating-ip", F_PLAIN },
    { "in_reply_to", "in-reply-to", F_PLAIN },
    { "references", "references", F_PLAIN },
    { "importance", "importance", F_PLAIN },
    { "priority", "priority", F_PLAIN },
    { "sensitivity", "sensitivity", F_PLAIN },
    { "organization", "organization", F_PLAIN },
    { "content_md5", "content-md5", F_PLAIN },
    { "date", "date", F_PLAIN },
};
#define NFIELDS ((int)(sizeof(fields) / sizeof(fields[0])))

const char *smtp_email_field_name(int i) { return (i >= 0 && i < NFIELDS) ? fields[i].key : NULL; }

int smtp_email_field_by_name(const char *name)
{
    for (int i = 0; i < NFIELDS; i++)
        if (strcmp(fields[i].key, name) == 0)
            return i;
    return -1;
}

/* Items between commas outside double quotes; none: no key at all. */
static void comma_list(JsonBuf *j, const char *key, const uint8_t *p, uint32_t n)
{
    bool open = false;
    uint32_t i = 0;
    while (i < n) {
        uint32_t st = i;
        bool quoted = false;
        while (i < n && (quoted || p[i] != ',')) {
            if (p[i] == '"')
                quoted = !quoted;
            i++;
        }
        uint32_t a = st;
        while (a < i && p[a] == ' ')
            a++;
        if (a < i) {
            if (!open) {
                jb_open_array(j, key);
                open = true;
            }
            jb_strn(j, NULL, p + a, i - a);
        }
        i++;
    }
    if (open)
        jb_close_array(j);
}

static void header_list(JsonBuf *j, const SmtpTx *tx, const char *key, const char *name)
{
    const uint8_t *p;
    uint32_t n;
    if (smtp_tx_get_header(tx, name, &p, &n))
        comma_list(j, key, p, n);
}

static void email_log(JsonBuf *j, const SmtpTx *tx, const SmtpLogConfig *cfg)
{
    const SmtpMime *m = &tx->mime;
    const uint8_t *p;
    uint32_t n;
    jb_open_object(j, "email");
    jb_str(j, "status", smtp_mime_status(m));
    if (smtp_tx_get_header(tx, "from", &p, &n))
        jb_strn(j, "from", p, n);
    header_list(j, tx, "to", "to");
    header_list(j, tx, "cc", "cc");
    if (m->nfiles) {
        jb_open_array(j, "attachment");
        for (uint32_t i = 0; i < m->nfiles; i++)
            jb_strn(j, NULL, m->files[i].name.p ? m->files[i].name.p : (const uint8_t *)"", m->files[i].name.len);
        jb_close_array(j);
    }
    if (m->nurls) {
        jb_open_array(j, "url");
        for (uint32_t i = m->nurls; i > 0; i--) /* newest first, as Suricata lists them */
            jb_strn(j, NULL, m->urls[i - 1].p, m->urls[i - 1].len);
        jb_close_array(j);
    }
    for (int f = 0; cfg && f < NFIELDS; f++) {
        bool want = (cfg->extended && (fields[f].flags & F_EXT)) || (cfg->custom_mask & (1u << f));
        if (!want)
            continue;
        if (fields[f].flags & F_ARRAY) {
            if (!smtp_tx_get_received(tx, 0, &p, &n))
                continue;
            jb_open_array(j, fields[f].key);
            for (uint32_t i = 0; smtp_tx_get_received(tx, i, &p, &n); i++)
                jb_strn(j, NULL, p, n);
            jb_close_array(j);
        } else if (fields[f].flags & F_COMMA) {
            header_list(j, tx, fields[f].key, fields[f].header);
        } else if (smtp_tx_get_header(tx, fields[f].header, &p, &n)) {
            jb_strn(j, fields[f].key, p, n);
        }
    }
    char hex[33];
    if (cfg && cfg->md5_subject && smtp_tx_get_header(tx, "subject", &p, &n) && smtp_md5_hex(p, n, hex))
        jb_str(j, "subject_md5", hex);
    uint8_t d[16];
    if (cfg && cfg->md5_body && smtp_tx_get_body_md5(tx, d)) {
        static const char digits[] = "0123456789abcdef";
        for (int i = 0; i < 16; i++) {
            hex[2 * i] = digits[d[i] >> 4];
            hex[2 * i + 1] = digits[d[i] & 15];
        }
        hex[32] = 0;
        jb_str(j, "body_md5", hex);
    }
    jb_close_object(j);
}

void smtp_log_tx(JsonBuf *j, const SmtpTx *tx, const SmtpLogConfig *cfg)
{
    jb_open_object(j, "smtp");
    if (tx->has_helo)
        jb_strn(j, "helo", tx->helo.p ? tx->helo.p : (const uint8_t *)"", tx->helo.len);
    if (tx->has_mail_from)
        jb_strn(j, "mail_from", tx->mail_from.p ? tx->mail_from.p : (const uint8_t *)"", tx->mail_from.len);
    if (tx->nrcpt) {
        jb_open_array(j, "rcpt_to");
        for (uint32_t i = 0; i < tx->nrcpt; i++)
            jb_strn(j, NULL, tx->rcpt[i].p ? tx->rcpt[i].p : (const uint8_t *)"", tx->rcpt[i].len);
        jb_close_array(j);
    }
    jb_close_object(j);
    if (tx->has_mime)
        email_log(j, tx, cfg);
}
