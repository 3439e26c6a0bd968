/*
 * SMTP commands and replies (RFC 5321 sections 4.1 and 4.2). Commands are
 * queued in the order sent; with PIPELINING (RFC 2920) several can be
 * outstanding, and every final reply line ("ddd SP" rather than "ddd-")
 * consumes the oldest. Replies drive the state: 354 to DATA opens the
 * message (which then runs until the line "." with leading dots removed,
 * section 4.5.2), any other reply to DATA is DATA_COMMAND_REJECTED, 220 to
 * STARTTLS (RFC 3207) completes the transaction and stops the parser, 250
 * to RSET completes the transaction it was sent in, as does a new
 * HELO/EHLO (section 4.1.4; a repeated one is DUPLICATE_FIELDS, like a
 * second MAIL FROM). A server advertising PIPELINING in its EHLO reply
 * lets the message start right after DATA. BDAT (RFC 3030) carries the
 * message as counted chunks, the LAST one ends it; a BDAT whose argument
 * is not "size [LAST]" is INVALID_BDAT and carries nothing. The reply
 * codes accepted and the event logic follow Suricata's app-layer-smtp.c.
 */
#include "app/smtp/smtp-internal.h"

#include <string.h>

static const uint16_t valid_codes[] = {
    211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 450, 451, 452,
    455, 500, 501, 502, 503, 504, 521, 550, 551, 552, 553, 554, 555,
};

static void insert_cmd(SmtpState *s, uint8_t cmd)
{
    uint64_t owner = (s->curr && !s->curr->done) ? s->curr->id : UINT64_MAX;
    if (s->ncmds >= 1 && (s->cmds[s->ncmds - 1] == SMTP_CMD_STARTTLS || s->cmds[s->ncmds - 1] == SMTP_CMD_DATA))
        smtp_set_event(s, SMTP_EVENT_INVALID_PIPELINED_SEQUENCE);
    if (s->ncmds == SMTP_MAX_CMDS) {
        if (s->cmd_idx == 0)
            return; /* a client far ahead of the server: forget the newest */
        memmove(s->cmds, s->cmds + s->cmd_idx, s->ncmds - s->cmd_idx);
        memmove(s->cmd_tx, s->cmd_tx + s->cmd_idx, (s->ncmds - s->cmd_idx) * sizeof(uint64_t));
        s->ncmds -= s->cmd_idx;
        s->cmd_idx = 0;
    }
    s->cmd_tx[s->ncmds] = owner;
    s->cmds[s->ncmds++] = cmd;
}

/* The parameter of HELO/EHLO/MAIL FROM:/RCPT TO:, starting after `prefix`
 * bytes: leading spaces skipped, up to the next space. */
static bool param(const uint8_t *line, uint32_t len, uint32_t prefix, const uint8_t **p, uint32_t *n)
{
    uint32_t i = prefix;
    while (i < len && line[i] == ' ')
        i++;
    uint32_t e = i;
    while (e < len && line[e] != ' ')
        e++;
    *p = line + i;
    *n = e - i;
    return true;
}

static bool is_cmd(const uint8_t *line, uint32_t len, const char *name)
{
    uint32_t n = (uint32_t)strlen(name);
    return len >= n && smtp_ieq(line, name, n);
}

void smtp_data_end(SmtpState *s)
{
    SmtpTx *tx = s->curr;
    s->data_ends++;
    if (tx) {
        if (s->cfg.raw_extraction)
            smtp_raw_close(tx);
        if (tx->has_mime)
            smtp_mime_finish(tx, &s->cfg);
        tx->done = true;
    }
}

/* A message line longer than the line buffer is decoded piece by piece
 * (Suricata hands such lines to its MIME parser whole): this is the next
 * piece, its line not ended yet. */
void smtp_data_piece(SmtpState *s, const uint8_t *piece, uint32_t len)
{
    bool first = !s->data_cont;
    s->data_cont = true;
    if (s->curr && s->cfg.raw_extraction)
        smtp_raw_data(s->curr, &s->cfg, piece, len);
    if (!s->curr || !s->curr->has_mime)
        return;
    smtp_mime_md5_line(s->curr, &s->cfg, piece, len, 0);
    if (first && len > 0 && piece[0] == '.') {
        piece++;
        len--;
    }
    smtp_mime_chunk(s->curr, &s->cfg, piece, len);
}

/* raw-extraction: the line as sent, with its line break */
static void raw_line(SmtpState *s, const uint8_t *line, uint32_t len)
{
    if (!s->curr || !s->cfg.raw_extraction)
        return;
    smtp_raw_data(s->curr, &s->cfg, line, len);
    if (s->delim_len == 2)
        smtp_raw_data(s->curr, &s->cfg, (const uint8_t *)"\r\n", 2);
    else if (s->delim_len == 1)
        smtp_raw_data(s->curr, &s->cfg, (const uint8_t *)"\n", 1);
}

static void data_line(SmtpState *s, const uint8_t *line, uint32_t len)
{
    if (s->data_cont) { /* the end of a long line */
        raw_line(s, line, len);
        s->data_cont = false;
        if (s->curr && s->curr->has_mime) {
            smtp_mime_md5_line(s->curr, &s->cfg, line, len, s->delim_len);
            smtp_mime_line(s->curr, &s->cfg, line, len);
        }
        return;
    }
    if (len == 1 && line[0] == '.') {
        s->data_mode = false;
        smtp_data_end(s);
        insert_cmd(s, SMTP_CMD_DATA_MODE);
        return;
    }
    raw_line(s, line, len);
    if (s->curr && s->curr->has_mime)
        smtp_mime_md5_line(s->curr, &s->cfg, line, len, s->delim_len);
    if (len > 0 && line[0] == '.') {
        line++;
        len--;
    }
    if (s->curr && s->curr->has_mime)
        smtp_mime_line(s->curr, &s->cfg, line, len);
}

static void start_message(SmtpState *s, SmtpTx *tx)
{
    if (!s->cfg.decode_mime)
        return;
    if (tx->has_mime && tx->mime.started) {
        smtp_mime_free(&tx->mime);
        smtp_mime_init(&tx->mime);
    }
    tx->has_mime = true;
}

static bool parse_bdat(const uint8_t *line, uint32_t len, uint64_t *size, bool *last)
{
    uint32_t i = 4;
    while (i < len && line[i] == ' ')
        i++;
    uint32_t st = i;
    uint64_t v = 0;
    while (i < len && line[i] >= '0' && line[i] <= '9') {
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(line[i] - '0');
        i++;
    }
    if (i == st)
        return false;
    while (i < len && line[i] == ' ')
        i++;
    *last = false;
    if (i < len) {
        if (len - i < 4 || !smtp_ieq(line + i, "last", 4))
            return false;
        *last = true;
        i += 4;
        while (i < len && line[i] == ' ')
            i++;
        if (i < len)
            return false;
    }
    *size = v;
    return true;
}

void smtp_handle_request(SmtpState *s, const uint8_t *line, uint32_t len, bool truncated)
{
    if (s->data_mode) {
        data_line(s, line, len);
        return;
    }
    bool no_new = is_cmd(line, len, "rset") || is_cmd(line, len, "quit");
    if (!s->curr || (s->curr->done && !no_new)) {
        if (!smtp_tx_new(s)) {
            s->failed = true;
            return;
        }
    }
    SmtpTx *tx = s->curr;
    if (!s->first_reply_seen)
        smtp_tx_set_event(tx, SMTP_EVENT_NO_SERVER_WELCOME_MESSAGE);
    if (truncated)
        smtp_tx_set_event(tx, SMTP_EVENT_TRUNCATED_LINE);
    if (len > SMTP_MAX_LINE_LEN)
        smtp_tx_set_event(tx, SMTP_EVENT_MAX_COMMAND_LINE_LEN_EXCEEDED);
    const uint8_t *p;
    uint32_t n;
    uint8_t cmd = SMTP_CMD_OTHER;
    if (is_cmd(line, len, "helo") || is_cmd(line, len, "ehlo")) {
        param(line, len, 5, &p, &n);
        if (len <= 5)
            n = 0;
        if (s->has_helo) {
            smtp_tx_set_event(tx, SMTP_EVENT_DUPLICATE_FIELDS); /* the first name stays */
        } else if (sbuf_set(&s->helo, p, n) && sbuf_set(&tx->helo, p, n)) {
            s->has_helo = true;
            tx->has_helo = true;
        }
        /* a new greeting resets the session like RSET (section 4.1.4) */
        if (tx->has_mail_from || tx->nrcpt || tx->has_mime)
            tx->done = true;
    } else if (is_cmd(line, len, "mail from:")) {
        param(line, len, 10, &p, &n);
        if (tx->has_mail_from)
            smtp_tx_set_event(tx, SMTP_EVENT_DUPLICATE_FIELDS);
        else if (sbuf_set(&tx->mail_from, p, n))
            tx->has_mail_from = true;
    } else if (is_cmd(line, len, "rcpt to:")) {
        param(line, len, 8, &p, &n);
        void *v = tx->rcpt;
        if (tx->nrcpt < 4096 && smtp_grow(&v, &tx->caprcpt, tx->nrcpt + 1, sizeof(SmtpBuf))) {
            tx->rcpt = v;
            if (sbuf_set(&tx->rcpt[tx->nrcpt], p, n) || n == 0)
                tx->nrcpt++;
        }
    } else if (is_cmd(line, len, "bdat")) {
        uint64_t size;
        bool last;
        cmd = SMTP_CMD_BDAT; /* kept in the queue even when invalid */
        if (!parse_bdat(line, len, &size, &last)) {
            smtp_tx_set_event(tx, SMTP_EVENT_INVALID_BDAT);
        } else {
            if (!tx->has_mime || tx->mime.state == MIME_ST_DONE)
                start_message(s, tx);
            s->bdat_left = size;
            s->bdat_last = last;
            s->bdat_mode = size > 0;
            if (size == 0 && last) {
                SmtpLineBuf *lb = &s->line[2];
                if (lb->len > 0 && tx->has_mime)
                    smtp_mime_line(tx, &s->cfg, lb->buf, lb->len);
                lb->len = 0;
                smtp_data_end(s);
            }
        }
    } else if (is_cmd(line, len, "data")) {
        cmd = SMTP_CMD_DATA;
        start_message(s, tx);
        if (s->cfg.raw_extraction)
            smtp_raw_open(tx);
        s->data_cont = false;
        if (s->pipelining)
            s->data_mode = true;
    } else if (is_cmd(line, len, "starttls")) {
        cmd = SMTP_CMD_STARTTLS;
    } else if (is_cmd(line, len, "rset")) {
        cmd = SMTP_CMD_RSET;
    }
    insert_cmd(s, cmd);
}

static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

/* A reply that is no reply (shorter than a code, or a code Suricata does
 * not know): INVALID_REPLY, and the parser stops, as Suricata's does (it
 * counts app_layer.error.smtp.parser and parses the flow no further). */
static void invalid_reply(SmtpState *s)
{
    smtp_set_event(s, SMTP_EVENT_INVALID_REPLY);
    s->failed = true;
}

void smtp_handle_reply(SmtpState *s, const uint8_t *line, uint32_t len, bool truncated)
{
    if (truncated)
        smtp_set_event(s, SMTP_EVENT_TRUNCATED_LINE);
    if (truncated || len > SMTP_MAX_LINE_LEN) {
        smtp_set_event(s, SMTP_EVENT_MAX_REPLY_LINE_LEN_EXCEEDED);
        if (len > SMTP_MAX_LINE_LEN)
            len = SMTP_MAX_LINE_LEN;
    }
    if (len < 3) {
        invalid_reply(s);
        return;
    }
    if (len >= 4) {
        if (s->multiline) {
            if (line[3] != '-')
                s->multiline = false;
        } else if (line[3] == '-') {
            s->multiline = true;
        }
    } else {
        s->multiline = false;
    }
    if (!is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2])) {
        invalid_reply(s);
        return;
    }
    uint16_t code = (uint16_t)((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
    bool valid = false;
    for (size_t i = 0; i < sizeof(valid_codes) / sizeof(valid_codes[0]); i++)
        if (valid_codes[i] == code)
            valid = true;
    if (!valid) {
        invalid_reply(s);
        return;
    }
    if (s->cmd_idx == s->ncmds) {
        if (!s->first_reply_seen) {
            /* the greeting may span several lines */
            if (!s->multiline)
                s->first_reply_seen = true;
            if (code != 220)
                smtp_set_event(s, SMTP_EVENT_INVALID_REPLY);
        }
        return;
    }
    uint8_t cmd = s->cmds[s->cmd_idx];
    if (cmd == SMTP_CMD_STARTTLS) {
        if (code == 220) {
            s->tls = true;
            if (s->curr)
                s->curr->done = true;
        } else {
            smtp_set_event(s, SMTP_EVENT_TLS_REJECTED);
        }
    } else if (cmd == SMTP_CMD_DATA) {
        if (code == 354) {
            s->data_mode = true;
        } else {
            smtp_set_event(s, SMTP_EVENT_DATA_COMMAND_REJECTED);
            s->data_mode = false;
        }
    } else if (cmd == SMTP_CMD_RSET) {
        /* only the transaction the RSET was sent in: a RSET pipelined
         * after a completed mail must not end the next one */
        if (code == 250 && s->curr && !s->multiline && s->curr->id == s->cmd_tx[s->cmd_idx])
            s->curr->done = true;
    }
    if (!s->multiline) {
        s->cmd_idx++;
    } else if (s->first_reply_seen) {
        if (code == 250 && len == 14 && smtp_ieq(line + 4, "pipelining", 10))
            s->pipelining = true;
    }
    if (s->cmd_idx == s->ncmds) {
        s->cmd_idx = 0;
        s->ncmds = 0;
    }
}
