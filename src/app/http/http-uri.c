/*
 * Request target handling (RFC 9112 §3.2, RFC 3986): splitting the raw
 * target into scheme, authority, path, query and fragment, and building
 * the normalized http.uri the way libhtp's IDS personality does: the path
 * is percent-decoded (invalid escapes kept as-is, %uHHHH decoded with a
 * best-fit to one byte), backslashes become slashes, repeated slashes are
 * compressed and dot segments removed (RFC 3986 §5.2.4); the query and
 * the fragment are percent-decoded (%XX; invalid escapes kept, '+' kept).
 * The personality switches in HttpConfig turn the backslash, %u and
 * separator compression steps off; double-decode-path / -query decode the
 * normalized path / the query a second time. Also the hostname/port of the
 * transaction from the target's authority or the Host header (RFC 9110 §7.2).
 */
#include <ctype.h>
#include <string.h>

#include "app/http/http-private.h"

static int hx(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (uint8_t)tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Percent-decodes p into out. Returns true when a %25XX double encoding
 * was seen. */
static bool url_decode(const uint8_t *p, uint32_t n, HttpBytes *out, bool u_decode)
{
    bool dbl = false;
    uint32_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        if (c == '%' && u_decode && i + 5 < n && (p[i + 1] == 'u' || p[i + 1] == 'U') && hx(p[i + 2]) >= 0 &&
            hx(p[i + 3]) >= 0 && hx(p[i + 4]) >= 0 && hx(p[i + 5]) >= 0) {
            unsigned cp = (unsigned)(hx(p[i + 2]) << 12 | hx(p[i + 3]) << 8 | hx(p[i + 4]) << 4 | hx(p[i + 5]));
            uint8_t b;
            if (cp < 0x100)
                b = (uint8_t)cp;
            else if (cp >= 0xff01 && cp <= 0xff5e)
                b = (uint8_t)(cp - 0xfee0); /* fullwidth ASCII best fit */
            else
                b = '?';
            hb_append(out, &b, 1);
            i += 6;
            continue;
        }
        if (c == '%' && i + 2 < n && hx(p[i + 1]) >= 0 && hx(p[i + 2]) >= 0) {
            uint8_t b = (uint8_t)(hx(p[i + 1]) << 4 | hx(p[i + 2]));
            if (b == '%' && i + 4 < n && hx(p[i + 3]) >= 0 && hx(p[i + 4]) >= 0)
                dbl = true;
            hb_append(out, &b, 1);
            i += 3;
            continue;
        }
        hb_append(out, &c, 1);
        i++;
    }
    out->set = true;
    return dbl;
}

/* RFC 3986 §5.2.4 remove_dot_segments, in place, after slash cleanup
 * (backslashes to slashes, repeated separators compressed: each as the
 * personality says). */
static uint32_t normalize_path(const HttpConfig *cfg, uint8_t *p, uint32_t n)
{
    uint32_t w = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t c = p[i] == '\\' && cfg->path_backslash_separators ? '/' : p[i];
        if (c == '/' && w > 0 && p[w - 1] == '/' && cfg->path_compress_separators)
            continue;
        p[w++] = c;
    }
    n = w;
    uint32_t r = 0;
    w = 0;
    while (r < n) {
        if (n - r >= 3 && memcmp(p + r, "../", 3) == 0) {
            r += 3;
        } else if (n - r >= 2 && memcmp(p + r, "./", 2) == 0) {
            r += 2;
        } else if (n - r >= 3 && memcmp(p + r, "/./", 3) == 0) {
            r += 2;
        } else if (n - r == 2 && memcmp(p + r, "/.", 2) == 0) {
            p[r + 1] = '/';
            r += 1;
        } else if ((n - r >= 4 && memcmp(p + r, "/../", 4) == 0) || (n - r == 3 && memcmp(p + r, "/..", 3) == 0)) {
            if (n - r == 3) {
                r += 2;
                p[r] = '/';
            } else {
                r += 3;
            }
            while (w > 0 && p[w - 1] != '/')
                w--;
            if (w > 0)
                w--;
        } else if ((n - r == 1 && p[r] == '.') || (n - r == 2 && memcmp(p + r, "..", 2) == 0)) {
            r = n;
        } else {
            /* move the first segment, with its leading slash */
            if (p[r] == '/')
                p[w++] = p[r++];
            while (r < n && p[r] != '/')
                p[w++] = p[r++];
        }
    }
    return w;
}

typedef struct UriParts {
    const uint8_t *scheme, *host, *port, *path, *query, *frag;
    uint32_t scheme_len, host_len, port_len, path_len, query_len, frag_len;
    bool has_authority, has_query, has_frag, has_port;
} UriParts;

static void uri_split(const uint8_t *u, uint32_t n, bool connect, UriParts *o)
{
    memset(o, 0, sizeof(*o));
    uint32_t i = 0;
    if (connect && n > 0 && u[0] != '/') {
        o->has_authority = true;
        o->host = u;
        o->host_len = n;
    } else if (n > 0 && u[0] != '/') {
        const uint8_t *sep = NULL;
        for (uint32_t k = 0; k + 2 < n; k++) {
            if (u[k] == ':' && u[k + 1] == '/' && u[k + 2] == '/') {
                sep = u + k;
                break;
            }
            if (u[k] == '/' || u[k] == '?')
                break;
        }
        if (sep) {
            o->scheme = u;
            o->scheme_len = (uint32_t)(sep - u);
            i = o->scheme_len + 3;
            uint32_t a0 = i;
            while (i < n && u[i] != '/' && u[i] != '?' && u[i] != '#')
                i++;
            o->has_authority = true;
            o->host = u + a0;
            o->host_len = i - a0;
        }
    }
    if (o->has_authority) {
        /* strip userinfo */
        for (uint32_t k = o->host_len; k > 0; k--)
            if (o->host[k - 1] == '@') {
                o->host += k;
                o->host_len -= k;
                break;
            }
    }
    if (connect && o->has_authority && o->scheme == NULL)
        i = n;
    uint32_t p0 = i;
    while (i < n && u[i] != '?' && u[i] != '#')
        i++;
    o->path = u + p0;
    o->path_len = i - p0;
    if (i < n && u[i] == '?') {
        uint32_t q0 = ++i;
        while (i < n && u[i] != '#')
            i++;
        o->has_query = true;
        o->query = u + q0;
        o->query_len = i - q0;
    }
    if (i < n && u[i] == '#') {
        o->has_frag = true;
        o->frag = u + i + 1;
        o->frag_len = n - i - 1;
    }
}

/* host[:port] into name and port text; IPv6 literals keep their brackets. */
static void split_hostport(const uint8_t *h, uint32_t n, const uint8_t **name, uint32_t *nlen,
                           const uint8_t **port, uint32_t *plen, bool *has_port)
{
    *name = h;
    *nlen = n;
    *has_port = false;
    *port = NULL;
    *plen = 0;
    uint32_t start = 0;
    if (n > 0 && h[0] == '[') {
        const uint8_t *rb = memchr(h, ']', n);
        if (rb == NULL)
            return;
        start = (uint32_t)(rb - h) + 1;
    }
    const uint8_t *colon = NULL;
    for (uint32_t k = start; k < n; k++)
        if (h[k] == ':') {
            colon = h + k;
            break;
        }
    if (colon) {
        *nlen = (uint32_t)(colon - h);
        *port = colon + 1;
        *plen = n - *nlen - 1;
        *has_port = true;
    }
}

static int parse_port(const uint8_t *p, uint32_t n)
{
    while (n > 0 && http_is_lws(*p)) {
        p++;
        n--;
    }
    while (n > 0 && http_is_lws(p[n - 1]))
        n--;
    if (n == 0 || n > 5)
        return -1;
    int v = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v >= 1 && v <= 65535 ? v : -1;
}

static bool valid_hostname(const uint8_t *h, uint32_t n)
{
    if (n == 0 || n > 255)
        return false;
    if (h[0] == '[')
        return h[n - 1] == ']';
    uint32_t label = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t c = h[i];
        if (c == '.') {
            if (label == 0 && i != 0)
                return false;
            label = 0;
            continue;
        }
        if (!(isalnum(c) || c == '-' || c == '_'))
            return false;
        if (++label > 63)
            return false;
    }
    return true;
}

static void set_lower(HttpBytes *b, const uint8_t *p, uint32_t n)
{
    hb_set(b, p, n);
    for (uint32_t i = 0; i < b->len; i++)
        b->p[i] = (uint8_t)tolower(b->p[i]);
}

void http_uri_process(HttpState *s, HttpTx *tx)
{
    if (!tx->uri_raw.set)
        return;
    UriParts u;
    uri_split(tx->uri_raw.p, tx->uri_raw.len, tx->is_connect, &u);
    HttpBytes *o = &tx->uri_norm;
    o->len = 0;
    o->set = true;
    if (s->cfg.uri_include_all && u.has_authority) {
        if (u.scheme) {
            set_lower(o, u.scheme, u.scheme_len);
            hb_append(o, (const uint8_t *)"://", 3);
        }
        const uint8_t *hn, *pt;
        uint32_t hl, pl;
        bool hp;
        split_hostport(u.host, u.host_len, &hn, &hl, &pt, &pl, &hp);
        for (uint32_t i = 0; i < hl; i++) {
            uint8_t c = (uint8_t)tolower(hn[i]);
            hb_append(o, &c, 1);
        }
        if (hp && pl) {
            hb_append(o, (const uint8_t *)":", 1);
            hb_append(o, pt, pl);
        }
    }
    if (u.path_len) {
        HttpBytes tmp = { 0 };
        if (url_decode(u.path, u.path_len, &tmp, s->cfg.path_u_decode))
            http_tx_event_set(tx, HTTP_EV_DOUBLE_ENCODED_URI);
        if (tmp.len)
            tmp.len = normalize_path(&s->cfg, tmp.p, tmp.len);
        if (s->cfg.double_decode_path && tmp.len) {
            /* libhtp's double-decode-path: the normalized path decoded once
             * more */
            HttpBytes twice = { 0 };
            url_decode(tmp.p, tmp.len, &twice, s->cfg.path_u_decode);
            hb_free(&tmp);
            tmp = twice;
        }
        hb_append(o, tmp.p, tmp.len);
        hb_set(&tx->path, tmp.p, tmp.len); /* default file name */
        hb_free(&tmp);
    }
    if (u.has_query) {
        /* Suricata builds http.uri with the query percent-decoded (its
         * SCHTPGenerateNormalizedUri urldecodes query and fragment) */
        hb_append(o, (const uint8_t *)"?", 1);
        if (s->cfg.double_decode_query) {
            /* double-decode-query: the decoded query decoded once more */
            HttpBytes once = { 0 };
            url_decode(u.query, u.query_len, &once, false);
            url_decode(once.p, once.len, o, false);
            hb_free(&once);
        } else {
            url_decode(u.query, u.query_len, o, false);
        }
    }
    if (u.has_frag) {
        hb_append(o, (const uint8_t *)"#", 1);
        url_decode(u.frag, u.frag_len, o, false);
    }
    if (u.has_authority) {
        const uint8_t *hn, *pt;
        uint32_t hl, pl;
        bool hp;
        split_hostport(u.host, u.host_len, &hn, &hl, &pt, &pl, &hp);
        hb_set(&tx->host_raw, u.host, u.host_len);
        set_lower(&tx->hostname, hn, hl);
        if (!valid_hostname(hn, hl))
            http_tx_event_set(tx, HTTP_EV_REQUEST_URI_HOST_INVALID);
        if (hp) {
            tx->port = parse_port(pt, pl);
            if (tx->port < 0)
                http_tx_event_set(tx, HTTP_EV_INVALID_SERVER_PORT_IN_REQUEST);
        }
    }
}

void http_host_process(HttpState *s, HttpTx *tx)
{
    (void)s;
    const HttpHeader *h = http_headers_find(&tx->h[0], "host");
    if (h == NULL) {
        if (tx->req_proto >= 101)
            http_tx_event_set(tx, HTTP_EV_MISSING_HOST_HEADER);
        return;
    }
    const uint8_t *hn, *pt;
    uint32_t hl, pl;
    bool hp;
    split_hostport(h->value.p, h->value.len, &hn, &hl, &pt, &pl, &hp);
    while (hl > 0 && hn[hl - 1] == '.')
        hl--;
    if (h->repeated)
        http_tx_event_set(tx, HTTP_EV_HOST_HEADER_AMBIGUOUS);
    if (tx->hostname.set) {
        /* authority in the target wins; a different Host is ambiguous */
        bool same = tx->hostname.len == hl;
        for (uint32_t i = 0; same && i < hl; i++)
            if (tolower(hn[i]) != tx->hostname.p[i])
                same = false;
        if (!same)
            http_tx_event_set(tx, HTTP_EV_HOST_HEADER_AMBIGUOUS);
        return;
    }
    hb_set(&tx->host_raw, h->value.p, h->value.len);
    set_lower(&tx->hostname, hn, hl);
    if (!valid_hostname(hn, hl))
        http_tx_event_set(tx, HTTP_EV_REQUEST_HEADER_HOST_INVALID);
    if (hp) {
        tx->port = parse_port(pt, pl);
        if (tx->port < 0)
            http_tx_event_set(tx, HTTP_EV_INVALID_AUTHORITY_PORT);
    }
}
