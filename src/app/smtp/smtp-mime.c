/*
 * MIME decoding of the mail carried by DATA/BDAT, one line at a time (dot
 * unstuffing already done). The message header block (RFC 5322 section
 * 2.2: "name: value", continuation lines starting with white space are
 * appended to the value without that white space, as Suricata does) ends at the first empty line; its headers are
 * kept for the email.* buffers and EVE. Each part's Content-Type,
 * Content-Disposition and Content-Transfer-Encoding (RFC 2045) decide the
 * rest: a multipart type (RFC 2046 section 5.1) pushes its boundary, a
 * "--boundary" line opens the next part's header block and
 * "--boundary--" closes the multipart; a filename (Content-Disposition
 * filename=, else Content-Type name=, with RFC 2231 continuations and
 * charset'lang'%XX values) makes the part an attachment whose base64 (RFC
 * 2045 section 6.8) or quoted-printable (section 6.7) body is decoded
 * into file.data and into a tracked file of the transaction (app/file.h);
 * the line break before a boundary belongs to the boundary (RFC 2046
 * section 5.1.1) and stays out of the file, an unpadded last base64
 * quantum goes in. Lines longer than the line buffer arrive in pieces. Text parts (text types, or no Content-Type) are searched
 * for URLs of the configured schemes the way Suricata extracts
 * email.url. A message/rfc822 part is parsed as the message it
 * encapsulates (its header block, then its body). Limits and event names follow Suricata's MIME decoder.
 */
#include "app/smtp/smtp-internal.h"
#include "util/base64.h"

#include <string.h>

void smtp_mime_init(SmtpMime *m)
{
    memset(m, 0, sizeof(*m));
    m->top = true;
    m->is_text = true;
    m->file = -1;
}

void smtp_mime_free(SmtpMime *m)
{
    for (uint32_t i = 0; i < m->nheaders; i++) {
        sbuf_free(&m->headers[i].name);
        sbuf_free(&m->headers[i].value);
    }
    smtp_free(m->headers, (size_t)m->capheaders * sizeof(SmtpHeader));
    sbuf_free(&m->cur_name);
    sbuf_free(&m->cur_value);
    sbuf_free(&m->ctype);
    sbuf_free(&m->cdisp);
    sbuf_free(&m->cte);
    sbuf_free(&m->text);
    for (int i = 0; i < SMTP_MIME_MAX_BOUNDARIES; i++)
        sbuf_free(&m->bnd[i]);
    for (uint32_t i = 0; i < m->nurls; i++)
        sbuf_free(&m->urls[i]);
    smtp_free(m->urls, (size_t)m->capurls * sizeof(SmtpBuf));
    for (uint32_t i = 0; i < m->nfiles; i++) {
        sbuf_free(&m->files[i].name);
        sbuf_free(&m->files[i].data);
    }
    smtp_free(m->files, (size_t)m->capfiles * sizeof(SmtpFile));
    app_file_container_free(&m->tracked);
    smtp_mime_md5_free(m);
    smtp_mime_init(m);
}

static uint8_t lower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c; }
static bool is_ws(uint8_t c) { return c == ' ' || c == '\t'; }

static bool starts(const SmtpBuf *b, const char *prefix)
{
    uint32_t n = (uint32_t)strlen(prefix);
    uint32_t i = 0;
    while (i < b->len && is_ws(b->p[i]))
        i++;
    return b->len - i >= n && smtp_ieq(b->p + i, prefix, n);
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Appends the value of parameter `name` (given as "name=" match on the
 * text after `name` and optional "*N" / "*") to `out`. Returns true when
 * any piece was found. */
static bool find_param(const SmtpBuf *v, const char *name, SmtpBuf *out)
{
    uint32_t nl = (uint32_t)strlen(name);
    bool found = false;
    /* pieces: index -1 plain, 0.. continuations, in order */
    for (int want = -1; want < 64; want++) {
        bool got = false;
        uint32_t i = 0;
        while (i < v->len) {
            /* start of a parameter: after ';' (or the beginning) */
            while (i < v->len && (is_ws(v->p[i]) || v->p[i] == ';'))
                i++;
            uint32_t st = i;
            bool quoted = false;
            while (i < v->len && (quoted || v->p[i] != ';')) {
                if (v->p[i] == '"')
                    quoted = !quoted;
                i++;
            }
            uint32_t en = i;
            if (en - st <= nl || !smtp_ieq(v->p + st, name, nl))
                continue;
            uint32_t k = st + nl;
            int idx = -1;
            bool ext = false;
            if (k < en && v->p[k] == '*') {
                k++;
                if (k < en && v->p[k] >= '0' && v->p[k] <= '9') {
                    idx = 0;
                    while (k < en && v->p[k] >= '0' && v->p[k] <= '9' && idx < 1000)
                        idx = idx * 10 + (v->p[k++] - '0');
                    if (k < en && v->p[k] == '*') {
                        ext = true;
                        k++;
                    }
                } else {
                    ext = true;
                }
            }
            while (k < en && is_ws(v->p[k]))
                k++;
            if (k >= en || v->p[k] != '=')
                continue;
            k++;
            while (k < en && is_ws(v->p[k]))
                k++;
            if (want == -1 ? (idx != -1) : (idx != want))
                continue;
            const uint8_t *val = v->p + k;
            uint32_t vl = en - k;
            while (vl > 0 && is_ws(val[vl - 1]))
                vl--;
            if (vl >= 1 && val[0] == '"') {
                val++;
                vl--;
                const uint8_t *q = memchr(val, '"', vl);
                if (q)
                    vl = (uint32_t)(q - val);
            }
            if (ext) {
                /* charset'language'value on the first piece, %XX anywhere */
                if (idx <= 0) {
                    const uint8_t *a = memchr(val, '\'', vl);
                    const uint8_t *b = a ? memchr(a + 1, '\'', vl - (uint32_t)(a + 1 - val)) : NULL;
                    if (b) {
                        vl -= (uint32_t)(b + 1 - val);
                        val = b + 1;
                    }
                }
                for (uint32_t x = 0; x < vl; x++) {
                    uint8_t c = val[x];
                    if (c == '%' && x + 2 < vl && hexval(val[x + 1]) >= 0 && hexval(val[x + 2]) >= 0) {
                        c = (uint8_t)(hexval(val[x + 1]) * 16 + hexval(val[x + 2]));
                        x += 2;
                    }
                    sbuf_append(out, &c, 1);
                }
            } else {
                sbuf_append(out, val, vl);
            }
            got = found = true;
            break;
        }
        if (want == -1 && got)
            return true; /* a plain value wins */
        if (want >= 0 && !got)
            break;
    }
    return found;
}

static void header_done(SmtpTx *tx)
{
    SmtpMime *m = &tx->mime;
    if (!m->have_cur)
        return;
    m->have_cur = false;
    SmtpBuf *name = &m->cur_name, *val = &m->cur_value;
    uint32_t skip = 0;
    while (skip < val->len && is_ws(val->p[skip]))
        skip++;
    const uint8_t *vp = val->p ? val->p + skip : (const uint8_t *)"";
    uint32_t vl = val->len - skip;
    if (m->top) {
        void *v = m->headers;
        if (m->nheaders < SMTP_MIME_MAX_HEADERS &&
            smtp_grow(&v, &m->capheaders, m->nheaders + 1, sizeof(SmtpHeader))) {
            m->headers = v;
            SmtpHeader *h = &m->headers[m->nheaders];
            if (sbuf_set(&h->name, name->p, name->len) && (vl == 0 || sbuf_set(&h->value, vp, vl)))
                m->nheaders++;
            else {
                sbuf_free(&h->name);
                sbuf_free(&h->value);
            }
        }
    }
    if (name->len == 12 && smtp_ieq(name->p, "content-type", 12))
        sbuf_set(&m->ctype, vp, vl);
    else if (name->len == 19 && smtp_ieq(name->p, "content-disposition", 19))
        sbuf_set(&m->cdisp, vp, vl);
    else if (name->len == 25 && smtp_ieq(name->p, "content-transfer-encoding", 25))
        sbuf_set(&m->cte, vp, vl);
    name->len = 0;
    val->len = 0;
}

static void find_urls(SmtpMime *m, const SmtpMimeConfig *cfg, const uint8_t *p, uint32_t n);

/* URLs are searched per decoded text line, so that base64 and soft line
 * breaks cannot cut one; text beyond 8 KiB without a newline is searched
 * as it is. */
static void text_add(SmtpMime *m, const SmtpMimeConfig *cfg, const uint8_t *p, uint32_t n, bool flush)
{
    if (!cfg->extract_urls)
        return;
    if (!sbuf_append(&m->text, p, n) || flush || m->text.len > 8192) {
        if (m->text.len)
            find_urls(m, cfg, m->text.p, m->text.len);
        if (n && m->text.len == 0)
            find_urls(m, cfg, p, n);
        m->text.len = 0;
        return;
    }
    uint32_t last = m->text.len;
    while (last > 0 && m->text.p[last - 1] != '\n')
        last--;
    if (last == 0)
        return;
    find_urls(m, cfg, m->text.p, last);
    memmove(m->text.p, m->text.p + last, m->text.len - last);
    m->text.len -= last;
}

static void file_add(SmtpMime *m, const SmtpMimeConfig *cfg, const uint8_t *p, uint32_t n);

static void close_file(SmtpTx *tx, const SmtpMimeConfig *cfg)
{
    text_add(&tx->mime, cfg, NULL, 0, true);
    SmtpMime *m = &tx->mime;
    m->eol_pending = false;
    if (m->file >= 0 && m->enc == MIME_ENC_B64 && m->nb64 >= 2) {
        /* an unpadded last quantum: the whole bytes it holds (Suricata
         * keeps them too, bug 6207) */
        uint8_t tail[2];
        uint32_t k = 0;
        tail[k++] = (uint8_t)((m->b64[0] << 2) | (m->b64[1] >> 4));
        if (m->nb64 == 3)
            tail[k++] = (uint8_t)((m->b64[1] << 4) | (m->b64[2] >> 2));
        file_add(m, cfg, tail, k);
    }
    m->nb64 = 0;
    if (m->file >= 0) {
        m->files[m->file].closed = true;
        app_file_close(m->files[m->file].tracked, APP_FILE_CLOSED);
    }
    m->file = -1;
}

static void headers_end(SmtpTx *tx, const SmtpMimeConfig *cfg)
{
    SmtpMime *m = &tx->mime;
    header_done(tx);
    m->state = MIME_ST_BODY;
    m->nb64 = 0;
    m->enc = MIME_ENC_NONE;
    if (starts(&m->cte, "base64") && cfg->decode_base64)
        m->enc = MIME_ENC_B64;
    else if (starts(&m->cte, "quoted-printable") && cfg->decode_quoted_printable)
        m->enc = MIME_ENC_QP;
    if (starts(&m->ctype, "message/rfc822")) {
        /* an encapsulated message (RFC 2046 section 5.2.1): its own header
         * block follows, whatever encoding or file name the part claims
         * (Suricata 8, issue 8649) */
        m->state = MIME_ST_HEADER;
        m->top = false;
        m->enc = MIME_ENC_NONE;
        m->ctype.len = m->cdisp.len = m->cte.len = 0;
        return;
    }
    m->is_text = m->ctype.len == 0 || starts(&m->ctype, "text/");
    bool multi = starts(&m->ctype, "multipart/");
    if (multi) {
        SmtpBuf b = { 0 };
        if (find_param(&m->ctype, "boundary", &b) && b.len > 0) {
            if (b.len > SMTP_MIME_MAX_BOUNDARY) {
                smtp_tx_set_event(tx, SMTP_EVENT_MIME_LONG_BOUNDARY);
                b.len = SMTP_MIME_MAX_BOUNDARY;
            }
            if (m->nbnd < SMTP_MIME_MAX_BOUNDARIES && sbuf_set(&m->bnd[m->nbnd], b.p, b.len))
                m->nbnd++;
        }
        sbuf_free(&b);
    } else {
        SmtpBuf fn = { 0 };
        bool has = find_param(&m->cdisp, "filename", &fn);
        if (!has)
            has = find_param(&m->ctype, "name", &fn);
        if (has && m->nfiles < SMTP_MIME_MAX_FILES) {
            if (fn.len > SMTP_MIME_MAX_FILENAME) {
                smtp_tx_set_event(tx, SMTP_EVENT_MIME_LONG_FILENAME);
                fn.len = SMTP_MIME_MAX_FILENAME;
            }
            void *v = m->files;
            if (smtp_grow(&v, &m->capfiles, m->nfiles + 1, sizeof(SmtpFile))) {
                m->files = v;
                SmtpFile *f = &m->files[m->nfiles];
                memset(f, 0, sizeof(*f));
                sbuf_set(&f->name, fn.p, fn.len);
                f->tracked = app_file_open(&m->tracked, fn.p ? fn.p : (const uint8_t *)"", fn.len);
                m->file = (int)m->nfiles++;
                m->is_text = false;
            }
        }
        sbuf_free(&fn);
    }
    m->ctype.len = m->cdisp.len = m->cte.len = 0;
}

static void add_url(SmtpMime *m, const uint8_t *p, uint32_t n)
{
    if (n == 0)
        return;
    for (uint32_t i = 0; i < m->nurls; i++)
        if (m->urls[i].len == n && memcmp(m->urls[i].p, p, n) == 0)
            return;
    void *v = m->urls;
    if (m->nurls >= SMTP_MIME_MAX_URLS || !smtp_grow(&v, &m->capurls, m->nurls + 1, sizeof(SmtpBuf)))
        return;
    m->urls = v;
    SmtpBuf *u = &m->urls[m->nurls];
    memset(u, 0, sizeof(*u));
    if (!sbuf_set(u, p, n))
        return;
    for (uint32_t i = 0; i < n; i++)
        u->p[i] = lower(u->p[i]);
    m->nurls++;
}

static bool url_delim(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' || c == '<' ||
           c == '>' || c == ']';
}

static void find_urls(SmtpMime *m, const SmtpMimeConfig *cfg, const uint8_t *p, uint32_t n)
{
    for (uint32_t s = 0; s < cfg->nschemes; s++) {
        char pat[24];
        size_t sl = 0;
        while (sl < sizeof(cfg->schemes[s]) && cfg->schemes[s][sl])
            sl++;
        if (sl == 0 || sl + 3 >= sizeof(pat))
            continue;
        for (size_t i = 0; i < sl; i++)
            pat[i] = (char)lower((uint8_t)cfg->schemes[s][i]);
        memcpy(pat + sl, "://", 3);
        uint32_t pl = (uint32_t)sl + 3;
        for (uint32_t i = 0; i + pl <= n;) {
            if (!smtp_ieq(p + i, pat, pl)) {
                i++;
                continue;
            }
            uint32_t e = i + pl;
            while (e < n && !url_delim(p[e]))
                e++;
            if (e > i + pl) {
                if (cfg->log_url_scheme)
                    add_url(m, p + i, e - i);
                else
                    add_url(m, p + i + pl, e - i - pl);
            }
            i = e;
        }
    }
}

/* Decodes one body line into out (room for len + 2 bytes); returns the
 * decoded length. *hard_eol is set when the line ends in a line break that
 * belongs to the content (plain and quoted-printable lines without a soft
 * break): the last two bytes of out are then that CRLF. */
static uint32_t decode_line(SmtpTx *tx, const uint8_t *line, uint32_t len, uint8_t *out, bool eol,
                            bool *hard_eol)
{
    *hard_eol = false;
    SmtpMime *m = &tx->mime;
    uint32_t o = 0;
    if (m->enc == MIME_ENC_B64) {
        for (uint32_t i = 0; i < len; i++) {
            uint8_t c = line[i];
            if (c == '=') {
                /* padding: flush what the quantum holds */
                if (m->nb64 >= 2) {
                    out[o++] = (uint8_t)((m->b64[0] << 2) | (m->b64[1] >> 4));
                    if (m->nb64 == 3)
                        out[o++] = (uint8_t)((m->b64[1] << 4) | (m->b64[2] >> 2));
                }
                m->nb64 = 0;
                continue;
            }
            int v = base64_value(c);
            if (v < 0) {
                if (!is_ws(c))
                    smtp_tx_set_event(tx, SMTP_EVENT_MIME_INVALID_BASE64);
                continue;
            }
            m->b64[m->nb64++] = (uint8_t)v;
            if (m->nb64 == 4) {
                out[o++] = (uint8_t)((m->b64[0] << 2) | (m->b64[1] >> 4));
                out[o++] = (uint8_t)((m->b64[1] << 4) | (m->b64[2] >> 2));
                out[o++] = (uint8_t)((m->b64[2] << 6) | m->b64[3]);
                m->nb64 = 0;
            }
        }
        return o;
    }
    if (m->enc == MIME_ENC_QP) {
        bool soft = false;
        for (uint32_t i = 0; i < len; i++) {
            uint8_t c = line[i];
            if (c != '=') {
                out[o++] = c;
                continue;
            }
            uint32_t rest = len - i - 1;
            bool trailing_ws = true;
            for (uint32_t k = i + 1; k < len; k++)
                if (!is_ws(line[k]))
                    trailing_ws = false;
            if (trailing_ws && eol) {
                soft = true; /* "=" at the end: soft line break */
                break;
            }
            if (rest >= 2 && hexval(line[i + 1]) >= 0 && hexval(line[i + 2]) >= 0) {
                out[o++] = (uint8_t)(hexval(line[i + 1]) * 16 + hexval(line[i + 2]));
                i += 2;
            } else {
                smtp_tx_set_event(tx, SMTP_EVENT_MIME_INVALID_QP);
                out[o++] = c;
            }
        }
        if (!soft && eol) {
            out[o++] = '\r';
            out[o++] = '\n';
            *hard_eol = true;
        }
        return o;
    }
    memcpy(out, line, len);
    if (!eol)
        return len;
    out[len] = '\r';
    out[len + 1] = '\n';
    *hard_eol = true;
    return len + 2;
}

/* Decoded bytes of the current attachment: to its tracked file, and to
 * file.data up to file_depth. */
static void file_add(SmtpMime *m, const SmtpMimeConfig *cfg, const uint8_t *p, uint32_t n)
{
    if (m->file < 0 || n == 0)
        return;
    SmtpFile *f = &m->files[m->file];
    app_file_append(f->tracked, p, n);
    uint32_t room = cfg->file_depth > f->data.len ? cfg->file_depth - f->data.len : 0;
    uint32_t take = n < room ? n : room;
    if (take < n || !sbuf_append(&f->data, p, take))
        f->truncated = true;
}

/* One body line, or a piece of a long one: `eol` when the piece ends the
 * line, `cont` when it continues an earlier piece (no boundary there). */
static void body_line(SmtpTx *tx, const SmtpMimeConfig *cfg, const uint8_t *line, uint32_t len, bool eol,
                      bool cont)
{
    SmtpMime *m = &tx->mime;
    if (!cont && m->nbnd > 0 && len >= 2 && line[0] == '-' && line[1] == '-') {
        for (int k = m->nbnd - 1; k >= 0; k--) {
            const SmtpBuf *b = &m->bnd[k];
            if (len < 2 + b->len || memcmp(line + 2, b->p, b->len) != 0)
                continue;
            close_file(tx, cfg);
            m->nb64 = 0;
            bool end = len >= 4 + b->len && line[2 + b->len] == '-' && line[3 + b->len] == '-';
            if (end) {
                m->nbnd = k;
                m->state = MIME_ST_BODY;
                m->enc = MIME_ENC_NONE;
                m->is_text = false; /* epilogue */
            } else {
                m->nbnd = k + 1;
                m->state = MIME_ST_HEADER;
                m->top = false;
            }
            return;
        }
    }
    if (len > SMTP_MIME_MAX_LINE)
        smtp_tx_set_event(tx, SMTP_EVENT_MIME_LONG_LINE);
    if (m->enc != MIME_ENC_NONE && len > SMTP_MIME_MAX_ENC_LINE)
        smtp_tx_set_event(tx, SMTP_EVENT_MIME_LONG_ENC_LINE);
    if (m->file < 0 && !m->is_text)
        return;
    uint8_t out[SMTP_DATA_LINE_CAP + 8];
    if (len > SMTP_DATA_LINE_CAP)
        len = SMTP_DATA_LINE_CAP;
    bool hard_eol;
    uint32_t n = decode_line(tx, line, len, out, eol, &hard_eol);
    if (m->file >= 0) {
        /* The line break before a boundary belongs to the boundary (RFC
         * 2046 section 5.1.1): a line's own break reaches the file only
         * once the next line shows it was content. */
        if (m->eol_pending)
            file_add(m, cfg, (const uint8_t *)"\r\n", 2);
        m->eol_pending = hard_eol;
        file_add(m, cfg, out, hard_eol ? n - 2 : n);
    } else {
        text_add(m, cfg, out, n, false);
    }
}

static void header_line(SmtpTx *tx, const SmtpMimeConfig *cfg, const uint8_t *line, uint32_t len)
{
    SmtpMime *m = &tx->mime;
    if (len == 0) {
        headers_end(tx, cfg);
        return;
    }
    uint32_t depth = cfg->header_value_depth ? cfg->header_value_depth : 2000;
    if (is_ws(line[0]) && m->have_cur) {
        /* folding: the continuation joins without its leading blanks */
        while (len > 0 && is_ws(line[0])) {
            line++;
            len--;
        }
        uint32_t room = depth > m->cur_value.len ? depth - m->cur_value.len : 0;
        if (len > room) {
            smtp_tx_set_event(tx, SMTP_EVENT_MIME_LONG_HEADER_VALUE);
            len = room;
        }
        sbuf_append(&m->cur_value, line, len);
        return;
    }
    const uint8_t *colon = memchr(line, ':', len);
    if (!colon) {
        if (m->top && m->nheaders == 0 && !m->have_cur) {
            /* no header block at all: the message is all body */
            headers_end(tx, cfg);
            body_line(tx, cfg, line, len, true, false);
        }
        return; /* otherwise a line that is no header is skipped */
    }
    header_done(tx);
    uint32_t nl = (uint32_t)(colon - line);
    while (nl > 0 && is_ws(line[nl - 1]))
        nl--;
    if (nl > SMTP_MIME_MAX_HEADER_NAME) {
        smtp_tx_set_event(tx, SMTP_EVENT_MIME_LONG_HEADER_NAME);
        nl = SMTP_MIME_MAX_HEADER_NAME;
    }
    const uint8_t *v = colon + 1;
    uint32_t vl = len - (uint32_t)(v - line);
    if (vl > depth) {
        smtp_tx_set_event(tx, SMTP_EVENT_MIME_LONG_HEADER_VALUE);
        vl = depth;
    }
    if (!sbuf_set(&m->cur_name, line, nl))
        return;
    for (uint32_t i = 0; i < nl; i++)
        m->cur_name.p[i] = lower(m->cur_name.p[i]);
    m->cur_value.len = 0;
    sbuf_append(&m->cur_value, v, vl);
    m->have_cur = true;
}

/* A piece of a message line: the whole line (eol) or, for lines longer
 * than the line buffer, its successive pieces. Body pieces are decoded in
 * turn (base64 carries its quantum over); in a header block only the first
 * piece of a line counts. */
static void mime_piece(SmtpTx *tx, const SmtpMimeConfig *cfg, const uint8_t *line, uint32_t len, bool eol)
{
    SmtpMime *m = &tx->mime;
    bool cont = m->cont;
    m->cont = !eol;
    m->started = true;
    if (m->state == MIME_ST_HEADER) {
        if (!cont)
            header_line(tx, cfg, line, len);
    } else if (m->state == MIME_ST_BODY) {
        body_line(tx, cfg, line, len, eol, cont);
    }
}

void smtp_mime_line(SmtpTx *tx, const SmtpMimeConfig *cfg, const uint8_t *line, uint32_t len)
{
    mime_piece(tx, cfg, line, len, true);
}

void smtp_mime_chunk(SmtpTx *tx, const SmtpMimeConfig *cfg, const uint8_t *piece, uint32_t len)
{
    mime_piece(tx, cfg, piece, len, false);
}

void smtp_mime_finish(SmtpTx *tx, const SmtpMimeConfig *cfg)
{
    SmtpMime *m = &tx->mime;
    if (m->state == MIME_ST_DONE)
        return;
    if (m->state == MIME_ST_HEADER)
        headers_end(tx, cfg);
    close_file(tx, cfg);
    smtp_mime_md5_finish(m);
    m->started = true;
    m->state = MIME_ST_DONE;
}

void smtp_raw_open(SmtpTx *tx)
{
    SmtpMime *m = &tx->mime;
    if (m->file >= 0 || m->nfiles >= SMTP_MIME_MAX_FILES)
        return;
    void *v = m->files;
    if (!smtp_grow(&v, &m->capfiles, m->nfiles + 1, sizeof(SmtpFile)))
        return;
    m->files = v;
    SmtpFile *f = &m->files[m->nfiles];
    memset(f, 0, sizeof(*f));
    static const char name[] = "rawmsg";
    sbuf_set(&f->name, (const uint8_t *)name, sizeof(name) - 1);
    f->tracked = app_file_open(&m->tracked, (const uint8_t *)name, sizeof(name) - 1);
    m->file = (int)m->nfiles++;
}

void smtp_raw_data(SmtpTx *tx, const SmtpMimeConfig *cfg, const uint8_t *p, uint32_t n)
{
    file_add(&tx->mime, cfg, p, n);
}

void smtp_raw_close(SmtpTx *tx)
{
    SmtpMime *m = &tx->mime;
    if (m->file >= 0) {
        m->files[m->file].closed = true;
        app_file_close(m->files[m->file].tracked, APP_FILE_CLOSED);
    }
    m->file = -1;
}

/* The message ends before its attachment did (end of stream, reassembly
 * depth): the attachment is closed TRUNCATED. */
void smtp_mime_truncate(SmtpTx *tx)
{
    SmtpMime *m = &tx->mime;
    if (m->file >= 0) {
        m->files[m->file].closed = true;
        m->files[m->file].truncated = true;
    }
    m->file = -1;
    m->eol_pending = false;
    app_file_close_all(&m->tracked, APP_FILE_TRUNCATED);
}

/* Bytes of the message lost in the stream: the attachment being decoded
 * cannot be complete any more (it ends TRUNCATED, unhashed). */
void smtp_mime_gap(SmtpTx *tx, uint32_t len)
{
    SmtpMime *m = &tx->mime;
    if (m->file >= 0)
        app_file_gap(m->files[m->file].tracked, len);
}

const char *smtp_mime_status(const SmtpMime *m)
{
    switch (m->state) {
    case MIME_ST_DONE:
        return "PARSE_DONE";
    case MIME_ST_BODY:
        return "BODY_STARTED";
    case MIME_ST_ERROR:
        return "PARSE_ERROR";
    default:
        return m->have_cur || m->nheaders ? "HEADER_STARTED" : "HEADER_READY";
    }
}
