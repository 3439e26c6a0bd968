/*
 * SMTP parser (RFC 5321, with PIPELINING from RFC 2920, BDAT/CHUNKING from
 * RFC 3030 and STARTTLS from RFC 3207) and the MIME decoder for the mail
 * it carries (RFC 5322 headers, RFC 2045/2046 bodies and multiparts, RFC
 * 2231 parameter continuations), emulating Suricata 8's app-layer-smtp.c
 * and rust/src/mime.
 *
 * Client lines are commands; server lines are replies ("ddd SP text", or
 * "ddd-text" for all but the last line of a multi-line reply). Commands
 * are queued and each final reply line consumes one, so pipelined commands
 * are matched in order. One transaction covers one mail: it is created by
 * the first command after the previous mail completed (end of DATA, last
 * BDAT chunk, RSET answered 250, STARTTLS answered 220) and carries the
 * HELO/EHLO name, MAIL FROM, the RCPT TO list and the decoded message:
 * its top-level headers, attachment names, URLs found in text parts and
 * the decoded bytes of each attachment (file.data). After 220 to STARTTLS
 * the parser stops and reports the TLS upgrade. Header values are kept as
 * sent (RFC 2047 encoded words are not decoded, as in Suricata). The
 * module is a pure library driven by the app-layer framework.
 */
#ifndef ODLAR_APP_SMTP_H
#define ODLAR_APP_SMTP_H

#include <stdbool.h>
#include <stdint.h>

#include "util/json.h"
#include "util/time.h"

/* Suricata's SMTP decoder events, in its order. */
enum {
    SMTP_EVENT_INVALID_REPLY = 0,
    SMTP_EVENT_UNABLE_TO_MATCH_REPLY_WITH_REQUEST,
    SMTP_EVENT_MAX_COMMAND_LINE_LEN_EXCEEDED,
    SMTP_EVENT_MAX_REPLY_LINE_LEN_EXCEEDED,
    SMTP_EVENT_INVALID_PIPELINED_SEQUENCE,
    SMTP_EVENT_BDAT_CHUNK_LEN_EXCEEDED,
    SMTP_EVENT_NO_SERVER_WELCOME_MESSAGE,
    SMTP_EVENT_TLS_REJECTED,
    SMTP_EVENT_DATA_COMMAND_REJECTED,
    SMTP_EVENT_FAILED_PROTOCOL_CHANGE,
    SMTP_EVENT_MIME_PARSE_FAILED,
    SMTP_EVENT_MIME_MALFORMED_MSG,
    SMTP_EVENT_MIME_INVALID_BASE64,
    SMTP_EVENT_MIME_INVALID_QP,
    SMTP_EVENT_MIME_LONG_LINE,
    SMTP_EVENT_MIME_LONG_ENC_LINE,
    SMTP_EVENT_MIME_LONG_HEADER_NAME,
    SMTP_EVENT_MIME_LONG_HEADER_VALUE,
    SMTP_EVENT_MIME_LONG_BOUNDARY,
    SMTP_EVENT_MIME_LONG_FILENAME,
    SMTP_EVENT_DUPLICATE_FIELDS,
    SMTP_EVENT_UNPARSABLE_CONTENT,
    SMTP_EVENT_TRUNCATED_LINE,
    SMTP_EVENT_INVALID_BDAT,   /* Suricata 8.0.7: BDAT with a bad argument */
    SMTP_EVENT_MAX
};

#define SMTP_MAX_LINE_LEN 510        /* command / reply line limit */
#define SMTP_MAX_SCHEMES 8

typedef struct SmtpState SmtpState;
typedef struct SmtpTx SmtpTx;

/* app-layer.protocols.smtp.mime.* (read at state creation). */
typedef struct SmtpMimeConfig {
    bool decode_mime;        /* default true */
    bool decode_base64;      /* default true */
    bool decode_quoted_printable; /* default true */
    bool extract_urls;       /* default true */
    bool log_url_scheme;     /* default false */
    uint32_t header_value_depth; /* default 2000 */
    uint32_t nschemes;       /* default 1: "http" */
    char schemes[SMTP_MAX_SCHEMES][16];
    uint32_t file_depth;     /* bytes of file.data kept per attachment; default 1 MiB */
    bool body_md5;           /* body-md5: yes */
    bool body_md5_never;     /* body-md5: no (auto or unset: when a rule needs it) */
    /* raw-extraction (app-layer.protocols.smtp, default false; off when
     * decode_mime is on, as in Suricata): each DATA message, headers and
     * body as sent, is one file named "rawmsg" */
    bool raw_extraction;
} SmtpMimeConfig;

/* eve-log smtp: `extended` adds bcc, message_id, subject, x_mailer,
 * user_agent; `custom` names fields one by one (bit i of custom_mask is
 * field i of smtp_email_field_name()). */
typedef struct SmtpLogConfig {
    bool extended;
    uint32_t custom_mask;
    bool md5_subject, md5_body; /* `md5: [subject, body]` */
} SmtpLogConfig;

void smtp_config_defaults(SmtpMimeConfig *c);
void smtp_config_set_mime(const SmtpMimeConfig *c);
void smtp_config_set_memcap(uint64_t bytes);
uint64_t smtp_memuse(void);
uint64_t smtp_memcap_hits(void);

SmtpState *smtp_state_new(void);
void smtp_state_free(SmtpState *s);
bool smtp_parse(SmtpState *s, bool to_server, const uint8_t *data, uint32_t len, OdTime ts);
/* Messages whose DATA/BDAT ended so far (client to server only): each asks
 * for raw stream inspection, as Suricata's SMTP parser does at the end of
 * a message body. */
uint64_t smtp_messages_ended(const SmtpState *s, bool to_server);
void smtp_gap(SmtpState *s, bool to_server, uint32_t gap_len);
void smtp_end(SmtpState *s, bool to_server);
/* STARTTLS answered by 220: the framework should switch to TLS (the
 * parse call that saw the 220 returns false, every later one ignores its
 * data). A STARTTLS refused (454, 501, ...) is TLS_REJECTED and the
 * session stays SMTP. */
bool smtp_tls_upgrade(const SmtpState *s);
/* The framework refused the switch (the flow was itself still changing
 * protocol when SMTP was found): FAILED_PROTOCOL_CHANGE. */
void smtp_tls_upgrade_refused(SmtpState *s);

uint64_t smtp_tx_count(const SmtpState *s);    /* ids handed out so far */
SmtpTx *smtp_tx_get(SmtpState *s, uint64_t id); /* NULL if released/unknown */
uint64_t smtp_tx_id(const SmtpTx *tx);
bool smtp_tx_done(const SmtpTx *tx, bool to_server);
void smtp_tx_release(SmtpState *s, uint64_t upto_id);

int smtp_tx_event_count(const SmtpTx *tx);
int smtp_tx_event_get(const SmtpTx *tx, int i);
const char *smtp_event_name(int ev);    /* "INVALID_REPLY", ... */
int smtp_event_by_name(const char *name); /* case-insensitive */

/* Rule buffers (false when absent). */
bool smtp_tx_get_helo(const SmtpTx *tx, const uint8_t **p, uint32_t *len);
bool smtp_tx_get_mail_from(const SmtpTx *tx, const uint8_t **p, uint32_t *len);
bool smtp_tx_get_rcpt_to(const SmtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len);
/* email.from/.subject/.to/.cc/.date/.message_id/.x_mailer: the top-level
 * header value ("from", "subject", "to", "cc", "date", "message-id",
 * "x-mailer"); any other header by lower-case name. */
bool smtp_tx_get_header(const SmtpTx *tx, const char *name, const uint8_t **p, uint32_t *len);
/* The mail's top-level headers are complete (its body started, or the
 * transaction is done): header buffers can be inspected. */
bool smtp_tx_headers_done(const SmtpTx *tx);
/* MD5 of the message body (body-md5 on, message ended). */
bool smtp_tx_get_body_md5(const SmtpTx *tx, uint8_t out[16]);
/* The same as 32 lower-case hex digits (rule buffer email.body_md5). */
bool smtp_tx_get_body_md5_hex(const SmtpTx *tx, const uint8_t **p, uint32_t *len);
/* A loaded rule inspects email.body_md5: compute the body MD5 unless the
 * configuration says body-md5: no (Suricata's "auto"). Process-wide. */
void smtp_body_md5_needed_by_rules(void);
/* Lower-case hex MD5 of p. */
bool smtp_md5_hex(const uint8_t *p, uint32_t len, char out[33]);
bool smtp_tx_get_received(const SmtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len);
bool smtp_tx_get_url(const SmtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len);
/* Attachments: name and decoded bytes (file.data, up to file_depth). */
uint32_t smtp_tx_file_count(const SmtpTx *tx);
bool smtp_tx_get_file_name(const SmtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len);
bool smtp_tx_get_file_data(const SmtpTx *tx, uint32_t i, const uint8_t **p, uint32_t *len);
/* true once the attachment's part ended; *truncated when bytes beyond
 * file_depth (or the memcap) were dropped. */
bool smtp_tx_file_closed(const SmtpTx *tx, uint32_t i, bool *truncated);

/* The attachments as tracked files (app/file.h): client to server only,
 * NULL for the other direction. Opened when an attachment part's body
 * starts, fed its decoded bytes, closed at its boundary. */
struct AppFileContainer;
struct AppFileContainer *smtp_tx_files(SmtpTx *tx, bool to_server);
/* The i-th tracked attachment (NULL past the last). */
struct AppFile;
const struct AppFile *smtp_tx_tracked_file(const SmtpTx *tx, uint32_t i);

/* Optional email fields in Suricata's order: "reply_to", "bcc",
 * "message_id", "subject", "x_mailer", "user_agent", "received",
 * "x_originating_ip", "in_reply_to", "references", "importance",
 * "priority", "sensitivity", "organization", "content_md5", "date". */
const char *smtp_email_field_name(int i);
int smtp_email_field_by_name(const char *name);

/* `"smtp": {...}` then, when the mail had a message, `"email": {...}`. */
void smtp_log_tx(JsonBuf *j, const SmtpTx *tx, const SmtpLogConfig *cfg);

#endif
