/*
 * multipart/form-data request bodies (RFC 7578, RFC 2046 §5.1.1) and the
 * Content-Disposition header (RFC 6266 §4.1): the boundary parameter of a
 * Content-Type, the filename parameter of a disposition, and splitting a
 * body into its parts (headers, then data up to the next CRLF-delimiter).
 * Like Suricata, a bare LF before a delimiter is accepted, the filename is
 * the plain `filename=` parameter (quotes removed, no RFC 8187
 * `filename*=` decoding), and a part that the body ends inside is handed on
 * as incomplete. All reads go through the ByteReader helpers.
 */
#include <string.h>
#include <strings.h>

#include "app/http/http.h"
#include "util/bytes.h"

static uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

static bool ci_prefix(const ByteReader *r, const char *word)
{
    size_t n = strlen(word);
    if (!br_has(r, n))
        return false;
    const uint8_t *p = br_cursor(r);
    for (size_t i = 0; i < n; i++)
        if (lower(p[i]) != (uint8_t)word[i])
            return false;
    return true;
}

static void skip_lws(ByteReader *r)
{
    uint8_t c;
    while (br_has(r, 1) && ((c = *br_cursor(r)) == ' ' || c == '\t'))
        br_skip(r, 1);
}

/* Skips to just after the next ';' (or to the end). */
static void next_param(ByteReader *r)
{
    uint8_t c;
    while (br_u8(r, &c))
        if (c == ';')
            return;
}

/* Value of parameter `name` (lower case) in a header value of the form
 * `token; name=value; ...`; quotes around the value are removed. */
static bool header_param(const uint8_t *v, uint32_t n, const char *name, const uint8_t **out, uint32_t *out_len)
{
    ByteReader r = br_init(v, n);
    next_param(&r); /* the disposition type / media type */
    size_t name_len = strlen(name);
    while (br_has(&r, 1)) {
        skip_lws(&r);
        if (ci_prefix(&r, name)) {
            ByteReader t = r;
            br_skip(&t, name_len);
            skip_lws(&t);
            uint8_t eq;
            if (br_u8(&t, &eq) && eq == '=') {
                skip_lws(&t);
                size_t start = t.pos;
                uint8_t c;
                bool quoted = br_has(&t, 1) && *br_cursor(&t) == '"';
                if (quoted) {
                    br_skip(&t, 1);
                    start = t.pos;
                    while (br_has(&t, 1) && *br_cursor(&t) != '"')
                        br_skip(&t, 1);
                } else {
                    while (br_has(&t, 1) && (c = *br_cursor(&t)) != ';')
                        br_skip(&t, 1);
                }
                size_t end = t.pos;
                if (!quoted)
                    while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t'))
                        end--;
                *out = v + start;
                *out_len = (uint32_t)(end - start);
                return true;
            }
        }
        next_param(&r);
    }
    return false;
}

bool http_disposition_filename(const uint8_t *v, uint32_t n, const uint8_t **name, uint32_t *name_len)
{
    return header_param(v, n, "filename", name, name_len) && *name_len > 0;
}

bool http_multipart_boundary(const uint8_t *ct, uint32_t n, const uint8_t **b, uint32_t *blen)
{
    ByteReader r = br_init(ct, n);
    skip_lws(&r);
    if (!ci_prefix(&r, "multipart/form-data"))
        return false;
    if (!header_param(ct, n, "boundary", b, blen))
        return false;
    return *blen > 0 && *blen <= 70; /* RFC 2046 §5.1.1 bchars limit */
}

/* Offset of the first occurrence of needle in hay at or after `from`, or
 * hay_len when absent. */
static size_t find(const uint8_t *hay, size_t hay_len, size_t from, const uint8_t *needle, size_t nlen)
{
    if (nlen == 0 || hay_len < nlen)
        return hay_len;
    for (size_t i = from; i + nlen <= hay_len; i++) {
        const uint8_t *p = memchr(hay + i, needle[0], hay_len - nlen + 1 - i);
        if (!p)
            return hay_len;
        i = (size_t)(p - hay);
        if (memcmp(p, needle, nlen) == 0)
            return i;
    }
    return hay_len;
}

/* Position of the next delimiter line "--boundary" that starts a line, at
 * or after `from`; *line_start gets where the preceding CRLF/LF begins
 * (the end of the previous part's data). */
static size_t find_delim(const uint8_t *body, size_t n, size_t from, const uint8_t *delim, size_t dlen,
                         size_t *line_start)
{
    size_t i = from;
    for (;;) {
        size_t at = find(body, n, i, delim, dlen);
        if (at >= n)
            return n;
        if (at == 0) {
            *line_start = 0;
            return 0;
        }
        if (body[at - 1] == '\n') {
            *line_start = (at >= 2 && body[at - 2] == '\r') ? at - 2 : at - 1;
            if (*line_start < from)
                *line_start = from;
            return at;
        }
        i = at + 1;
    }
}

/* End of the line starting at pos (index of its LF, or n). */
static size_t line_end(const uint8_t *body, size_t n, size_t pos)
{
    const uint8_t *lf = pos < n ? memchr(body + pos, '\n', n - pos) : NULL;
    return lf ? (size_t)(lf - body) : n;
}

void http_multipart_parse(const uint8_t *boundary, uint32_t blen, const uint8_t *body, uint32_t n,
                          HttpMultipartPartFn fn, void *ctx)
{
    uint8_t delim[2 + 70];
    if (blen == 0 || blen > 70)
        return;
    delim[0] = delim[1] = '-';
    memcpy(delim + 2, boundary, blen);
    size_t dlen = 2 + (size_t)blen;
    size_t ls = 0;
    size_t at = find_delim(body, n, 0, delim, dlen, &ls);
    while (at < n) {
        size_t pos = at + dlen;
        if (pos + 2 <= n && body[pos] == '-' && body[pos + 1] == '-')
            return; /* close-delimiter */
        /* rest of the delimiter line (transport padding) */
        size_t le = line_end(body, n, pos);
        if (le >= n)
            return;
        pos = le + 1;
        /* part headers up to an empty line */
        HttpMultipartPart part;
        memset(&part, 0, sizeof(part));
        bool headers_done = false;
        while (pos < n) {
            le = line_end(body, n, pos);
            size_t ll = le - pos;
            if (ll > 0 && body[pos + ll - 1] == '\r')
                ll--;
            if (le >= n) {
                pos = n;
                break;
            }
            if (ll == 0) {
                pos = le + 1;
                headers_done = true;
                break;
            }
            const uint8_t *line = body + pos;
            const uint8_t *colon = memchr(line, ':', ll);
            if (colon) {
                size_t hn = (size_t)(colon - line);
                while (hn > 0 && (line[hn - 1] == ' ' || line[hn - 1] == '\t'))
                    hn--;
                const uint8_t *val = colon + 1;
                uint32_t vl = (uint32_t)(ll - (size_t)(val - line));
                if (hn == 19 && strncasecmp((const char *)line, "content-disposition", 19) == 0) {
                    part.has_filename = http_disposition_filename(val, vl, &part.filename, &part.filename_len);
                } else if (hn == 12 && strncasecmp((const char *)line, "content-type", 12) == 0) {
                    part.content_type = val;
                    part.content_type_len = vl;
                }
            }
            pos = le + 1;
        }
        if (!headers_done) {
            part.complete = false;
            part.headers_incomplete = true;
            fn(ctx, &part);
            return;
        }
        at = find_delim(body, n, pos, delim, dlen, &ls);
        part.data = body + pos;
        if (at < n) {
            part.data_len = (uint32_t)(ls - pos);
            part.complete = true;
        } else {
            part.data_len = (uint32_t)(n - pos);
            part.complete = false;
        }
        fn(ctx, &part);
    }
}
