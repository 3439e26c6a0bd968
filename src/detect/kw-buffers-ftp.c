/*
 * FTP rule keywords, read through the FTP parser's getters (app/ftp/ftp.h):
 *   - sticky buffers ftp.command (the command verb) and ftp.command_data
 *     (its argument), client side, as soon as the command was parsed;
 *   - multi-buffers ftp.reply (each reply line's text, without the code)
 *     and ftp.completion_code (each line's three-digit code), server side,
 *     once the reply is complete;
 *   - transaction keywords ftp.dynamic_port (unsigned 16-bit expression on
 *     the port announced by PORT/EPRT or the PASV/EPSV reply), ftp.mode
 *     (active | passive: PORT/EPRT transactions are active, PASV/EPSV ones
 *     passive) and ftp.reply_received (yes|on|no|off; server side, once
 *     the reply is complete, as Suricata registers it). Like
 *     kw-buffers-txkw.c they sit on internal buffers ("ftp.mode#tx", ...)
 *     whose getter hands the transaction itself to the keyword's inspect().
 *     The transaction keywords only consider transactions that carry a
 *     command (not the server greeting), as Suricata 8 does.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ftp/ftp.h"
#include "detect/inspect.h"
#include "detect/kw-buffers.h"
#include "detect/uint-match.h"

#define FTP_PROTO 7

/* Client side: inspected with the command; server side: once the reply
 * is complete (the dynamic port and the mode come from the reply). */
static bool ready_reply(const void *tx, bool ts)
{
    (void)ts;
    return ftp_tx_reply_received(tx);
}

static bool g_command(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return i == 0 && ftp_tx_get_command(tx, d, l);
}

static bool g_command_data(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return i == 0 && ftp_tx_get_command_data(tx, d, l);
}

static bool g_reply(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return ftp_tx_get_reply(tx, i, d, l);
}

static bool g_completion_code(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return ftp_tx_get_completion_code(tx, i, d, l);
}

static bool g_tx(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    if (i || ftp_tx_command_code(tx) == FTP_COMMAND_UNKNOWN)
        return false;
    *d = tx;
    *l = 0;
    return true;
}

BUF_STICKY(s_command, "ftp.command", "ftp.command")
BUF_STICKY(s_command_data, "ftp.command_data", "ftp.command_data")
BUF_STICKY(s_reply, "ftp.reply", "ftp.reply")
BUF_STICKY(s_completion_code, "ftp.completion_code", "ftp.completion_code")

typedef enum FtpKwKind { FTPKW_DYNAMIC_PORT, FTPKW_MODE, FTPKW_REPLY_RECEIVED } FtpKwKind;

typedef struct FtpKw {
    FtpKwKind kind;
    DetectUint port; /* ftp.dynamic_port */
    bool want;       /* ftp.mode: active; ftp.reply_received: yes */
} FtpKw;

/* Whether a transaction uses passive mode: the PASV/EPSV commands. */
static bool tx_mode(const void *tx, bool *active)
{
    FtpCommandCode c = ftp_tx_command_code(tx);
    if (c == FTP_COMMAND_PASV || c == FTP_COMMAND_EPSV) {
        *active = false;
        return true;
    }
    return ftp_tx_mode_active(tx, active);
}

static InspectResult ftpkw_inspect(struct DetectThread *dt, struct InspectCursor *cur, const Signature *s,
                                   const void *ctx)
{
    (void)dt;
    (void)s;
    const FtpKw *k = ctx;
    const void *tx = cur->buf;
    bool ok = false;
    switch (k->kind) {
    case FTPKW_DYNAMIC_PORT: {
        uint16_t port = ftp_tx_dynamic_port(tx);
        ok = port != 0 && detect_uint_match(&k->port, port);
        break;
    }
    case FTPKW_MODE: {
        bool active;
        ok = tx_mode(tx, &active) && active == k->want;
        break;
    }
    case FTPKW_REPLY_RECEIVED:
        ok = ftp_tx_reply_received(tx) == k->want;
        break;
    }
    return ok ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

/* The value with surrounding blanks removed, into out (false if too long). */
static bool trimmed(const char *v, char *out, size_t cap)
{
    if (!v)
        v = "";
    while (isspace((unsigned char)*v))
        v++;
    size_t n = strlen(v);
    while (n && isspace((unsigned char)v[n - 1]))
        n--;
    if (n >= cap)
        return false;
    memcpy(out, v, n);
    out[n] = 0;
    return true;
}

static bool ftpkw_add(RuleParseCtx *rp, Signature *s, const char *kw, FtpKw *k)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%s#tx", kw);
    int id = buffer_lookup(buf), kid = keyword_lookup(kw);
    if (id < 0 || kid < 0) {
        free(k);
        return rule_error(rp, "internal error: '%s' is not registered", kw);
    }
    if (!buffer_set_proto(rp, s, FTP_PROTO, kw) || !rule_append(rp, s, buffer_list_id(id), (uint16_t)kid, k)) {
        free(k);
        return false;
    }
    return true;
}

static FtpKw *ftpkw_new(RuleParseCtx *rp, FtpKwKind kind)
{
    FtpKw *k = calloc(1, sizeof(*k));
    if (!k)
        rule_error(rp, "out of memory");
    else
        k->kind = kind;
    return k;
}

static bool setup_dynamic_port(RuleParseCtx *rp, Signature *s, const char *v)
{
    FtpKw *k = ftpkw_new(rp, FTPKW_DYNAMIC_PORT);
    if (!k)
        return false;
    if (!v || !detect_uint_parse(v, UINT16_MAX, &k->port)) {
        free(k);
        return rule_error(rp, "ftp.dynamic_port: invalid value '%s' (%s)", v ? v : "", detect_uint_syntax_help());
    }
    return ftpkw_add(rp, s, "ftp.dynamic_port", k);
}

static bool setup_mode(RuleParseCtx *rp, Signature *s, const char *v)
{
    char t[32];
    FtpKw *k = ftpkw_new(rp, FTPKW_MODE);
    if (!k)
        return false;
    if (trimmed(v, t, sizeof(t)) && strcmp(t, "active") == 0)
        k->want = true;
    else if (trimmed(v, t, sizeof(t)) && strcmp(t, "passive") == 0)
        k->want = false;
    else {
        free(k);
        return rule_error(rp, "ftp.mode: invalid value '%s' (active or passive)", v ? v : "");
    }
    return ftpkw_add(rp, s, "ftp.mode", k);
}

static bool setup_reply_received(RuleParseCtx *rp, Signature *s, const char *v)
{
    char t[32];
    FtpKw *k = ftpkw_new(rp, FTPKW_REPLY_RECEIVED);
    if (!k)
        return false;
    if (trimmed(v, t, sizeof(t)) && (strcmp(t, "yes") == 0 || strcmp(t, "on") == 0))
        k->want = true;
    else if (trimmed(v, t, sizeof(t)) && (strcmp(t, "no") == 0 || strcmp(t, "off") == 0))
        k->want = false;
    else {
        free(k);
        return rule_error(rp, "ftp.reply_received: invalid value '%s' (yes, on, no or off)", v ? v : "");
    }
    return ftpkw_add(rp, s, "ftp.reply_received", k);
}

void keywords_register_buffers_ftp(void)
{
    static const BufferDef bufs[] = {
        { "ftp.command", FTP_PROTO, BUF_DIR_TOSERVER, false, g_command, buffer_ready_always },
        { "ftp.command_data", FTP_PROTO, BUF_DIR_TOSERVER, false, g_command_data, buffer_ready_always },
        { "ftp.reply", FTP_PROTO, BUF_DIR_TOCLIENT, true, g_reply, ready_reply },
        { "ftp.completion_code", FTP_PROTO, BUF_DIR_TOCLIENT, true, g_completion_code, ready_reply },
        { "ftp.dynamic_port#tx", FTP_PROTO, BUF_DIR_BOTH, false, g_tx, ready_reply },
        { "ftp.mode#tx", FTP_PROTO, BUF_DIR_BOTH, false, g_tx, ready_reply },
        { "ftp.reply_received#tx", FTP_PROTO, BUF_DIR_TOCLIENT, false, g_tx, ready_reply },
    };
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
        buffer_register(&bufs[i]);
    buffer_register_sticky("ftp.command", NULL, "sticky buffer: FTP command", s_command);
    buffer_register_sticky("ftp.command_data", NULL, "sticky buffer: FTP command argument", s_command_data);
    buffer_register_sticky("ftp.reply", NULL, "sticky buffer: FTP reply line (multi)", s_reply);
    buffer_register_sticky("ftp.completion_code", NULL, "sticky buffer: FTP reply code (multi)",
                           s_completion_code);
    const KeywordDef kws[] = {
        { .name = "ftp.dynamic_port", .help = "FTP data connection port (uint16)", .setup = setup_dynamic_port,
          .inspect = ftpkw_inspect, .free = free },
        { .name = "ftp.mode", .help = "FTP data connection mode (active|passive)", .setup = setup_mode,
          .inspect = ftpkw_inspect, .free = free },
        { .name = "ftp.reply_received", .help = "FTP reply received (yes|on|no|off)",
          .setup = setup_reply_received, .inspect = ftpkw_inspect, .free = free },
    };
    for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
        keyword_register(&kws[i]);
}
