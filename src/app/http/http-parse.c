/*
 * The byte-driven machine of each direction (RFC 9112 §2-§7): lines are
 * gathered up to LF (CR optional, RFC 9112 §2.2) into a bounded buffer so
 * any chunking of the input gives the same result, header lines are held
 * back one line to join obs-fold continuations (§5.2; in responses a line
 * starting with NUL too, as libhtp-rs), and body bytes are passed through
 * by the framing chosen in http-body.c. Gaps count as body bytes inside
 * Content-Length, chunk-data and until-close bodies; elsewhere they are
 * skipped and parsing goes on after the hole, as in libhtp-rs. Two
 * libhtp-rs rules look at what follows a line in the same data, so they
 * depend on the chunking as in libhtp-rs: after a request without (more)
 * body, lines not starting with a known method are still its body
 * (REQ_FINALIZE), and a junk response line followed by one starting with
 * 'H' is skipped. Each step is bracketed by the frame hooks of
 * http-frames.c.
 */
#include <string.h>

#include "app/frames.h" /* frames */
#include "app/http/http-private.h"

static void line_reset(HttpDir *d)
{
    d->line.len = 0;
    d->line_long = false;
}

/* Gathers bytes up to LF. Returns bytes consumed; *complete when the line
 * is whole (LF consumed, trailing CR removed, *had_cr says so). */
static uint32_t take_line(HttpState *s, HttpDir *d, const uint8_t *p, uint32_t n, bool *complete)
{
    const uint8_t *lf = memchr(p, '\n', n);
    uint32_t take = lf ? (uint32_t)(lf - p) : n;
    uint32_t limit = s->cfg.field_limit ? s->cfg.field_limit : UINT32_MAX - 1;
    uint32_t room = limit > d->line.len ? limit - d->line.len : 0;
    uint32_t keep = take < room ? take : room;
    if (take > room)
        d->line_long = true;
    if (keep)
        hb_append(&d->line, p, keep);
    d->line.set = true;
    *complete = lf != NULL;
    return lf ? take + 1 : take;
}

static void flush_pending(HttpState *s, HttpDir *d, int dir)
{
    if (!d->has_pending)
        return;
    if (d->tx)
        http_header_line(s, d->tx, dir, d->pending.p, d->pending.len);
    d->pending.len = 0;
    d->has_pending = false;
}

static bool all_lws(const uint8_t *l, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        if (!http_is_lws(l[i]))
            return false;
    return true;
}

/* Leading whitespace, then a token name and a colon. */
static bool looks_like_header(const uint8_t *l, uint32_t len)
{
    uint32_t i = 0;
    while (i < len && http_is_lws(l[i]))
        i++;
    uint32_t name = i;
    while (i < len && l[i] > 32 && l[i] < 127 && l[i] != ':')
        i++;
    return i > name && i < len && l[i] == ':';
}

static void header_block_line(HttpState *s, HttpDir *d, int dir, bool trailers)
{
    const uint8_t *l = d->line.p;
    uint32_t len = d->line.len;
    bool had_cr = len > 0 && l[len - 1] == '\r';
    if (had_cr)
        len--;
    HttpTx *tx = d->tx;
    if (tx && !trailers) {
        hb_append(&tx->h[dir].raw, d->line.p, d->line.len);
        hb_append(&tx->h[dir].raw, (const uint8_t *)"\n", 1);
    }
    if (tx && d->line_long)
        http_tx_event_set(tx, dir == 0 ? HTTP_EV_REQUEST_FIELD_TOO_LONG : HTTP_EV_RESPONSE_FIELD_TOO_LONG);
    /* responses: a blank (whitespace-only) line after a bare-LF line ends
     * the block too, as the http-evader captures show of libhtp-rs, unless
     * an LF follows it in the same data: then it folds and that empty line
     * ends the block (http-evader 423) */
    if (len == 0 || (dir == 1 && d->last_bare_lf && all_lws(l, len) && d->peek != '\n')) {
        flush_pending(s, d, dir);
        if (trailers) {
            if (dir == 0)
                http_request_complete(s, d);
            else
                http_response_complete(s, d);
        } else if (dir == 0) {
            http_request_headers_done(s, d);
        } else {
            http_response_headers_done(s, d);
        }
        return;
    }
    if (http_is_lws(l[0]) && dir == 1 && looks_like_header(l, len)) {
        /* responses: an indented "Name: value" line is a header of its own
         * rather than a continuation (libhtp-rs) */
        if (tx && !d->has_pending)
            http_tx_event_set(tx, HTTP_EV_INVALID_RESPONSE_FIELD_FOLDING);
        while (len > 0 && http_is_lws(l[0])) {
            l++;
            len--;
        }
    } else if (dir == 1 && l[0] == 0 && d->has_pending) {
        /* responses: a line starting with NUL continues the header too
         * (libhtp-rs folding, http-evader 307/327); the NULs are dropped */
        uint32_t k = 0;
        while (k < len && (l[k] == 0 || http_is_lws(l[k])))
            k++;
        hb_append(&d->pending, (const uint8_t *)" ", 1);
        hb_append(&d->pending, l + k, len - k);
        return;
    } else if (http_is_lws(l[0])) {
        if (d->has_pending) {
            hb_append(&d->pending, l, len);
            return;
        }
        if (tx)
            http_tx_event_set(tx, dir == 0 ? HTTP_EV_INVALID_REQUEST_FIELD_FOLDING
                                           : HTTP_EV_INVALID_RESPONSE_FIELD_FOLDING);
    }
    flush_pending(s, d, dir);
    hb_set(&d->pending, l, len);
    d->has_pending = true;
}

static void run(HttpState *s, int dir, const uint8_t *p, uint32_t n);
static void process_one_line(HttpState *s, HttpDir *d, int dir);

/* A response status or header line with a CR inside. As libhtp-rs reads
 * responses, a CR that follows some text ends that line even without an
 * LF, and CRs at the start of a line are skipped. Each piece is processed
 * as a line of its own; when one of them ends the header block, the rest
 * of the line (and its LF) is message data. */
static void split_response_line(HttpState *s, HttpDir *d, int dir)
{
    uint32_t n = d->line.len;
    uint8_t *copy = http_mem_alloc(n ? n : 1);
    if (!copy) {
        process_one_line(s, d, dir);
        return;
    }
    memcpy(copy, d->line.p, n);
    bool long_line = d->line_long;
    int outer_peek = d->peek;
    uint32_t outer_rest = d->rest;
    uint32_t i = 0;
    for (;;) {
        while (i < n && copy[i] == '\r')
            i++;
        const uint8_t *cr = i < n ? memchr(copy + i, '\r', n - i) : NULL;
        uint32_t j = cr ? (uint32_t)(cr - copy) : n;
        d->line.len = 0;
        hb_append(&d->line, copy + i, j - i);
        d->line_long = long_line;
        d->piece_eol = !cr ? 0 : j == n - 1 ? 2 : 1;
        d->rest = d->piece_eol == 1 ? n - j + outer_rest : outer_rest; /* the LF counted */
        process_one_line(s, d, dir);
        d->piece_eol = 0;
        d->rest = outer_rest;
        if (j >= n - 1 || !cr)
            break;
        i = j + 1;
        if (d->st == D_BODY_LINES) {
            /* the rest of the line and its LF are body lines, with what
             * followed the line in the data after them */
            line_reset(d);
            uint8_t *tail = http_mem_alloc(n - i + 1);
            if (tail) {
                memcpy(tail, copy + i, n - i);
                tail[n - i] = '\n';
                d->after_peek = outer_peek;
                d->after_rest = outer_rest;
                run(s, dir, tail, n - i + 1);
                d->after_peek = -1;
                d->after_rest = 0;
                http_mem_free(tail, n - i + 1);
            }
            break;
        }
        if (d->st != D_LINE && d->st != D_HEADERS) {
            line_reset(d);
            run(s, dir, copy + i, n - i);
            run(s, dir, (const uint8_t *)"\n", 1);
            break;
        }
    }
    http_mem_free(copy, n ? n : 1);
}

static bool only_cr(const HttpBytes *b)
{
    for (uint32_t i = 0; i < b->len; i++)
        if (b->p[i] != '\r')
            return false;
    return true;
}

static void process_line(HttpState *s, HttpDir *d, int dir)
{
    bool bare_lf = d->line.len == 0 || d->line.p[d->line.len - 1] != '\r';
    /* libhtp-rs's deformed response end of line: "\n\r\r\n" followed by
     * another line end is one line end, so the "\r\r" line after a bare-LF
     * header line is not a line of its own (http-evader 415) */
    if (dir == 1 && d->st == D_HEADERS && d->last_bare_lf && d->line.len == 2 && d->line.p[0] == '\r' &&
        d->line.p[1] == '\r' && (d->peek == '\n' || d->peek == '\r')) {
        d->last_bare_lf = false;
        return;
    }
    /* a line of CRs alone is an empty line only after a bare-LF line, as
     * the http-evader captures show of libhtp-rs */
    bool split = dir == 1 && (d->st == D_LINE || d->st == D_HEADERS) && d->line.len > 1 &&
                 memchr(d->line.p, '\r', d->line.len - 1) != NULL && (d->last_bare_lf || !only_cr(&d->line));
    if (split)
        split_response_line(s, d, dir);
    else
        process_one_line(s, d, dir);
    d->last_bare_lf = bare_lf;
}

static void process_one_line(HttpState *s, HttpDir *d, int dir)
{
    const uint8_t *l = d->line.p;
    uint32_t len = d->line.len;
    switch (d->st) {
    case D_LINE: {
        uint32_t n = len;
        if (n > 0 && l[n - 1] == '\r')
            n--;
        if (n == 0 || (dir == 1 && all_lws(l, n)))
            return; /* empty (responses: blank) lines before a message are ignored */
        if (dir == 0)
            http_request_line(s, d, l, n);
        else
            http_response_line(s, d, l, n);
        if (dir == 1 && d->st == D_BODY_LINES) {
            /* not a status line: as libhtp, the line itself (with the end
             * of line it had in the data) starts the body */
            static const char *const eol[] = {"\n", "\r", "\r\n"};
            http_body_data(s, d, dir, d->line.p, d->line.len);
            http_body_data(s, d, dir, (const uint8_t *)eol[d->piece_eol], d->piece_eol == 2 ? 2 : 1);
        }
        if (d->tx && d->line_long)
            http_tx_event_set(d->tx, dir == 0 ? HTTP_EV_REQUEST_FIELD_TOO_LONG : HTTP_EV_RESPONSE_FIELD_TOO_LONG);
        return;
    }
    case D_HEADERS:
        header_block_line(s, d, dir, false);
        return;
    case D_TRAILERS:
        header_block_line(s, d, dir, true);
        return;
    case D_CHUNK_LEN: {
        /* as libhtp's message length (EVE http.length), which counts the
         * chunk-size and chunk-end lines with their line ends -- a chunk
         * size that turns out invalid then again as body data */
        if (d->tx)
            d->tx->body_len[dir] += (uint64_t)len + 1;
        uint32_t n = len;
        if (n > 0 && l[n - 1] == '\r')
            n--;
        if (!http_chunk_len_line(s, d, dir, l, n) && d->st == D_BODY_CLOSE) {
            /* as libhtp, a response whose chunk length is invalid is read
             * as identity until close, starting with that very line */
            http_body_data(s, d, dir, d->line.p, d->line.len);
            http_body_data(s, d, dir, (const uint8_t *)"\n", 1);
        }
        return;
    }
    case D_CHUNK_CRLF:
        if (d->tx)
            d->tx->body_len[dir] += (uint64_t)len + 1;
        d->st = D_CHUNK_LEN;
        return;
    default:
        return;
    }
}

/* An unfinished chunk-size line of at least 8 bytes whose first byte
 * after control characters (CR LF SP HT VT FF) is not a hex digit. */
static bool chunk_len_junk(const HttpDir *d)
{
    if (d->line.len < 8)
        return false;
    for (uint32_t i = 0; i < d->line.len; i++) {
        uint8_t c = d->line.p[i];
        if (c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == 0x0b || c == 0x0c)
            continue;
        return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
    }
    return false;
}

/* files: libhtp-rs's RES_FINALIZE. After a Content-Length response body,
 * each complete line that follows in the same data and does not start
 * (after whitespace or NULs) with "http" is more of the body (libhtp's
 * "Unexpected response body"), e.g. a CRLF the server sent beyond the
 * declared length. Returns the bytes taken. */
static uint32_t response_body_overrun(HttpState *s, HttpDir *d, const uint8_t *p, uint32_t n)
{
    uint32_t used = 0;
    while (used < n) {
        const uint8_t *lf = memchr(p + used, '\n', n - used);
        if (!lf)
            break; /* libhtp-rs waits for the end of the line: not body */
        uint32_t end = (uint32_t)(lf - p) + 1, i = used;
        while (i < end && (p[i] == 0 || p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r')))
            i++;
        if (end - i >= 4 && http_ci_eq(p + i, 4, "http"))
            break;
        http_body_data(s, d, 1, p + used, end - used);
        used = end;
    }
    return used;
}

/* libhtp's known request methods (case-sensitive). */
static bool known_method(const uint8_t *m, uint32_t n)
{
    static const char *const methods[] = {
        "GET", "PUT", "POST", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PROPFIND", "PROPPATCH",
        "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "VERSION-CONTROL", "CHECKOUT", "UNCHECKOUT", "CHECKIN",
        "UPDATE", "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY", "BASELINE-CONTROL", "MERGE", "INVALID", "HEAD",
    };
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (strlen(methods[i]) == n && memcmp(methods[i], m, n) == 0)
            return true;
    return false;
}

static bool is_space(uint8_t c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* libhtp-rs's REQ_FINALIZE. After a request's headers (no body) or its
 * Content-Length body, each complete line that follows in the same data
 * and whose first word is not a known method is more of that request's
 * body (REQUEST_BODY_UNEXPECTED unless the line is blank). Returns the
 * bytes taken; the caller then completes the request. */
static uint32_t request_body_overrun(HttpState *s, HttpDir *d, const uint8_t *p, uint32_t n)
{
    uint32_t used = 0;
    while (used < n) {
        const uint8_t *lf = memchr(p + used, '\n', n - used);
        if (!lf)
            break;
        uint32_t end = (uint32_t)(lf - p) + 1, i = used;
        while (i < end && is_space(p[i]))
            i++;
        uint32_t m = i;
        while (m < end && !is_space(p[m]))
            m++;
        if (m > i) {
            if (known_method(p + i, m - i))
                break;
            if (d->tx)
                http_tx_event_set(d->tx, HTTP_EV_REQUEST_BODY_UNEXPECTED);
        }
        http_body_data(s, d, 0, p + used, end - used);
        used = end;
    }
    return used;
}

/* libhtp-rs's RES_LINE after a line that was not a status line: it stays
 * in that state, so each following line (ending, as take_till_eol, at LF,
 * CRLF or a CR followed by another byte) is read as a status line again.
 * Empty lines are ignored; a line starting with "http" is the status line
 * of this response after all; any other line is body, unless more than
 * one byte follows it in the same data and it is at most 2 bytes long or
 * the next byte is 'H' (libhtp-rs's junk-line skip). An unfinished line is
 * kept until its end arrives, up to the field limit (beyond it libhtp-rs
 * fails the direction). Unlike libhtp-rs this machine does not move on to
 * RES_FINALIZE when a body line ends the data: it keeps reading lines.
 * Consumes one line (or all of p when no line ends in it); returns the
 * bytes taken. */
static uint32_t body_line(HttpState *s, HttpDir *d, const uint8_t *p, uint32_t n)
{
    uint32_t end;
    if (d->line.len > 0 && d->line.p[d->line.len - 1] == '\r') {
        end = p[0] == '\n' ? 1 : 0; /* the held line ended with a CR */
    } else {
        uint32_t k = 0;
        while (k < n && p[k] != '\n' && p[k] != '\r')
            k++;
        if (k == n || (p[k] == '\r' && k + 1 == n)) {
            uint32_t limit = s->cfg.field_limit ? s->cfg.field_limit : UINT32_MAX - 1;
            if ((uint64_t)d->line.len + n > limit) {
                if (d->tx) {
                    http_tx_event_set(d->tx, HTTP_EV_RESPONSE_FIELD_TOO_LONG);
                    http_files_end(d->tx, 1, true);
                }
                d->st = D_STOPPED;
                line_reset(d);
                return n;
            }
            hb_append(&d->line, p, n);
            return n;
        }
        end = k + 1;
        if (p[k] == '\r' && p[k + 1] == '\n')
            end++;
    }
    hb_append(&d->line, p, end);
    const uint8_t *l = d->line.p;
    uint32_t len = d->line.len, text = len;
    while (text > 0 && (l[text - 1] == '\r' || l[text - 1] == '\n'))
        text--;
    uint32_t rest = n - end;
    int next = rest > 0 ? p[end] : d->after_rest > 0 ? d->after_peek : -1;
    rest += d->after_rest;
    if (text == 0 && len <= 2) {
        /* an empty line: ignored */
    } else if (!http_response_line_is_body(l, len)) {
        d->peek = next;
        d->rest = rest;
        http_response_line(s, d, l, text);
        d->peek = -1;
        d->rest = 0;
    } else if (!(rest > 1 && (next == 'H' || text <= 2))) {
        http_body_data(s, d, 1, l, len);
    }
    line_reset(d);
    return end;
}

static void run(HttpState *s, int dir, const uint8_t *p, uint32_t n)
{
    HttpDir *d = &s->dir[dir];
    while (n > 0) {
        http_frame_before(s, d, dir, p); /* frames */
        switch (d->st) {
        case D_STOPPED:
            d->unparsed = n; /* what follows a 101 or a tunnel's 2xx */
            return;
        case D_CONNECT_WAIT: {
            uint32_t cap = s->cfg.field_limit ? s->cfg.field_limit * 4 : 65536;
            uint32_t room = cap > d->held.len ? cap - d->held.len : 0;
            hb_append(&d->held, p, n < room ? n : room);
            return;
        }
        case D_BODY_LEN:
        case D_CHUNK_DATA: {
            uint32_t k = (uint64_t)n < d->left ? n : (uint32_t)d->left;
            http_body_data(s, d, dir, p, k);
            d->left -= k;
            p += k;
            n -= k;
            if (d->left == 0) {
                if (d->st == D_CHUNK_DATA) {
                    d->st = D_CHUNK_CRLF;
                    line_reset(d);
                } else if (dir == 0) {
                    uint32_t extra = request_body_overrun(s, d, p, n);
                    p += extra;
                    n -= extra;
                    http_request_complete(s, d);
                } else {
                    uint32_t extra = response_body_overrun(s, d, p, n); /* files */
                    p += extra;
                    n -= extra;
                    http_response_complete(s, d);
                }
            }
            break;
        }
        case D_BODY_CLOSE:
            http_body_data(s, d, dir, p, n);
            return;
        case D_BODY_LINES: {
            uint32_t used = body_line(s, d, p, n);
            p += used;
            n -= used;
            break;
        }
        case D_REQ_FINALIZE: {
            uint32_t extra = request_body_overrun(s, d, p, n);
            p += extra;
            n -= extra;
            http_request_complete(s, d);
            break;
        }
        default: {
            bool complete = false;
            uint32_t used = take_line(s, d, p, n, &complete);
            p += used;
            n -= used;
            if (complete) {
                d->peek = n > 0 ? p[0] : -1;
                d->rest = n;
                process_line(s, d, dir);
                d->peek = -1;
                d->rest = 0;
                line_reset(d);
            } else if (d->st == D_CHUNK_LEN && dir == 1 && chunk_len_junk(d)) {
                /* libhtp's probe: 8 bytes of a chunk-size line starting
                 * with junk make the response identity until close */
                d->st = D_BODY_CLOSE;
                http_body_data(s, d, dir, d->line.p, d->line.len);
                line_reset(d);
            }
            break;
        }
        }
        http_frame_after(s, d, p); /* frames */
    }
    if (d->st == D_REQ_FINALIZE)
        http_request_complete(s, d);
}

/* Called by http-response.c when a CONNECT was refused: replays the
 * request bytes held meanwhile. */
void http_connect_release(HttpState *s, bool tunnel);
void http_connect_release(HttpState *s, bool tunnel)
{
    HttpDir *d = &s->dir[0];
    if (d->st != D_CONNECT_WAIT)
        return;
    if (tunnel) {
        d->st = D_STOPPED;
        hb_free(&d->held);
        return;
    }
    d->st = D_LINE;
    HttpBytes held = d->held;
    memset(&d->held, 0, sizeof(d->held));
    if (held.len)
        run(s, 0, held.p, held.len);
    hb_free(&held);
}

bool http_parse(HttpState *s, bool to_server, const uint8_t *data, uint32_t len, OdTime ts)
{
    int dir = to_server ? 0 : 1;
    s->now = ts;
    if (s->dir[dir].tx)
        s->dir[dir].tx->now = ts;
    s->frame_base = app_frames_enabled() ? data : NULL; /* frames: only when rules use them */
    s->frame_dir = dir;
    s->dir[dir].unparsed = 0;
    if (data && len)
        run(s, dir, data, len);
    s->frame_base = NULL;
    return s->dir[dir].st != D_STOPPED;
}

void http_gap(HttpState *s, bool to_server, uint32_t len)
{
    int dir = to_server ? 0 : 1;
    HttpDir *d = &s->dir[dir];
    if (d->st == D_REQ_FINALIZE)
        http_request_complete(s, d);
    switch (d->st) {
    case D_BODY_LEN:
    case D_CHUNK_DATA: {
        uint32_t k = (uint64_t)len < d->left ? len : (uint32_t)d->left;
        if (d->tx) {
            d->tx->body_len[dir] += k;
            d->tx->body_full[dir] = true; /* kept body stops at the gap */
            http_files_gap(d->tx, dir, k);
        }
        d->left -= k;
        /* a gap running past a Content-Length body ends that message; as
         * libhtp, parsing resumes with the next message after the hole */
        if (k < len && d->st == D_CHUNK_DATA) {
            d->st = D_STOPPED;
        } else if (d->left == 0) {
            if (d->st == D_CHUNK_DATA) {
                d->st = D_CHUNK_CRLF;
                line_reset(d);
            } else if (dir == 0) {
                http_request_complete(s, d);
            } else {
                http_response_complete(s, d);
            }
        }
        return;
    }
    case D_BODY_CLOSE:
        if (d->tx) {
            d->tx->body_len[dir] += len;
            d->tx->body_full[dir] = true;
            http_files_gap(d->tx, dir, len);
        }
        return;
    default:
        /* libhtp-rs (request_data/response_data) refuses a gap in any
         * other state ("Gaps are not allowed during this state") without
         * changing state: the hole is skipped and the bytes after it are
         * parsed where the machine stands, e.g. a response whose status
         * line and headers were lost is read from its first line on, a
         * line not looking like a status line making it a body until
         * close (http-response.c) */
        return;
    }
}

void http_end(HttpState *s, bool to_server)
{
    int dir = to_server ? 0 : 1;
    HttpDir *d = &s->dir[dir];
    if (d->st == D_REQ_FINALIZE)
        http_request_complete(s, d);
    switch (d->st) {
    case D_BODY_CLOSE:
        if (dir == 1)
            http_response_complete(s, d);
        else
            http_request_complete(s, d);
        break;
    case D_BODY_LINES:
        /* the unfinished last line is not body: Suricata 8's file of such
         * a response ends with the last complete line
         * (tcp-rst-unacked-stream-12) */
        http_response_complete(s, d);
        break;
    case D_LINE:
        if (d->line.len > 0) {
            uint32_t n = d->line.len;
            if (d->line.p[n - 1] == '\r')
                n--;
            if (n > 0) {
                if (dir == 0) {
                    http_request_line(s, d, d->line.p, n);
                    if (d->tx) {
                        http_tx_event_set(d->tx, HTTP_EV_REQUEST_LINE_INCOMPLETE);
                        if (d->st == D_HEADERS)
                            http_request_headers_done(s, d);
                    }
                } else {
                    http_response_line(s, d, d->line.p, n);
                    if (d->st == D_BODY_LINES) {
                        /* a response without status line (HTTP/0.9 style)
                         * that ends without LF: its bytes are the body */
                        http_body_data(s, d, dir, d->line.p, d->line.len);
                        http_response_complete(s, d);
                    }
                }
            }
        }
        break;
    case D_HEADERS:
        /* as libhtp-rs: a stream closing inside the header block ends the
         * block, the partial last line counting as a header */
        if (d->line.len > 0)
            header_block_line(s, d, dir, false);
        line_reset(d);
        header_block_line(s, d, dir, false);
        if (d->st == D_BODY_CLOSE) {
            if (dir == 1)
                http_response_complete(s, d);
            else
                http_request_complete(s, d);
        } else if (d->st != D_LINE && d->st != D_STOPPED && d->tx) {
            http_files_end(d->tx, dir, true);
        }
        break;
    case D_BODY_LEN:
    case D_CHUNK_LEN:
    case D_CHUNK_DATA:
    case D_CHUNK_CRLF:
    case D_TRAILERS:
        /* the stream ended inside the body: its files are cut short */
        if (d->tx)
            http_files_end(d->tx, dir, true);
        break;
    default:
        break;
    }
    line_reset(d);
    if (d->st != D_STOPPED)
        d->st = D_STOPPED;
}
