/*
 * Rule port parsing and matching, with Suricata 8's semantics.
 *
 * A port field is a comma list of elements: `any`, a port `80`, a range
 * `1024:65535`, open ranges `1024:` and `:1023`, a bracketed sub-list or a
 * `$VARIABLE`, each optionally prefixed with `!`. Unlike addresses, Suricata
 * flattens port lists: every element lands in either the positive or the
 * negated group, and a negated sub-list or `!$VAR` simply negates its
 * elements. At the end the negated ports are cut out of the positive ones; a
 * list with only negations starts from 0:65535. We reproduce Suricata's
 * exact placement rule, including its quirk that inside a negated list a
 * `!`-prefixed element is negated twice (so positive) only when it is the
 * list's last element. Errors: ports above 65535, reversed ranges (`200:100`),
 * a `!` after a ':' in the same list element ("negated value in a range"),
 * the negations covering every port ("complete port space is negated"),
 * nothing left after the cut (which includes empty lists), undefined or empty
 * variables, variable loops and unbalanced brackets. The result is a sorted
 * array of disjoint ranges, matched by binary search.
 *
 * Deliberate leniency: whitespace around list elements is ignored on both
 * sides (Suricata only skips leading whitespace).
 */
#include "detect/port.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT_MAX_DEPTH 64

typedef struct PRange {
    uint16_t lo, hi;
} PRange;

typedef struct PVec {
    PRange *v;
    size_t n, cap;
} PVec;

struct PortSet {
    size_t n;
    PRange *r;
};

typedef struct PCtx {
    PortVarLookup vars;
    void *vars_ctx;
    char *err;
    size_t errlen;
    bool failed;
    const char *var_stack[PORT_MAX_DEPTH + 1];
    size_t var_stack_len[PORT_MAX_DEPTH + 1];
    int nvars;
} PCtx;

static bool pfail(PCtx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool pfail(PCtx *c, const char *fmt, ...)
{
    if (c->failed)
        return false;
    c->failed = true;
    if (c->err != NULL && c->errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool pvec_push(PCtx *c, PVec *v, uint16_t lo, uint16_t hi)
{
    if (v->n == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 8;
        PRange *nr = realloc(v->v, ncap * sizeof(*nr));
        if (nr == NULL)
            return pfail(c, "out of memory parsing ports");
        v->v = nr;
        v->cap = ncap;
    }
    v->v[v->n].lo = lo;
    v->v[v->n].hi = hi;
    v->n++;
    return true;
}

static int prange_cmp(const void *a, const void *b)
{
    return (int)((const PRange *)a)->lo - (int)((const PRange *)b)->lo;
}

/* Sorts and merges overlapping and adjacent ranges in place. */
static void pvec_normalize(PVec *v)
{
    if (v->n < 2)
        return;
    qsort(v->v, v->n, sizeof(PRange), prange_cmp);
    size_t out = 0;
    for (size_t i = 1; i < v->n; i++) {
        PRange *cur = &v->v[out];
        if ((uint32_t)v->v[i].lo <= (uint32_t)cur->hi + 1) {
            if (v->v[i].hi > cur->hi)
                cur->hi = v->v[i].hi;
        } else {
            v->v[++out] = v->v[i];
        }
    }
    v->n = out + 1;
}

/* a := a minus b (both normalized). */
static bool pvec_subtract(PCtx *c, PVec *a, const PVec *b)
{
    PVec out = { NULL, 0, 0 };
    size_t j = 0;
    for (size_t i = 0; i < a->n; i++) {
        uint32_t lo = a->v[i].lo, hi = a->v[i].hi;
        bool alive = true;
        while (j < b->n && b->v[j].hi < lo)
            j++;
        for (size_t k = j; k < b->n && alive && b->v[k].lo <= hi; k++) {
            if (b->v[k].lo > lo && !pvec_push(c, &out, (uint16_t)lo, (uint16_t)(b->v[k].lo - 1))) {
                free(out.v);
                return false;
            }
            if (b->v[k].hi >= hi)
                alive = false;
            else
                lo = (uint32_t)b->v[k].hi + 1;
        }
        if (alive && !pvec_push(c, &out, (uint16_t)lo, (uint16_t)hi)) {
            free(out.v);
            return false;
        }
    }
    free(a->v);
    *a = out;
    return true;
}

static void ptrim(const char **s, size_t *len)
{
    while (*len > 0 && isspace((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

/* Parses a decimal port 0..65535 (digits only). */
static bool parse_port_num(PCtx *c, const char *s, size_t len, const char *elem, size_t elen, uint16_t *out)
{
    ptrim(&s, &len);
    if (len == 0)
        return pfail(c, "invalid port '%.*s'", (int)elen, elem);
    uint32_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i]))
            return pfail(c, "invalid port '%.*s'", (int)elen, elem);
        v = v * 10 + (uint32_t)(s[i] - '0');
        if (v > 65535)
            return pfail(c, "invalid port '%.*s': ports must be 0-65535", (int)elen, elem);
    }
    *out = (uint16_t)v;
    return true;
}

/* Parses `any`, `80`, `80:90`, `80:` or `:90`. */
static bool parse_port_atom(PCtx *c, const char *s, size_t len, PRange *out)
{
    if (len >= 16)
        return pfail(c, "invalid port '%.*s'", (int)(len > 64 ? 64 : len), s);
    if (len == 3 && strncasecmp(s, "any", 3) == 0) {
        out->lo = 0;
        out->hi = 65535;
        return true;
    }
    const char *colon = memchr(s, ':', len);
    if (colon == NULL) {
        if (!parse_port_num(c, s, len, s, len, &out->lo))
            return false;
        out->hi = out->lo;
        return true;
    }
    size_t l1 = (size_t)(colon - s), l2 = len - l1 - 1;
    out->lo = 0;
    out->hi = 65535;
    if (l1 > 0 && !parse_port_num(c, s, l1, s, len, &out->lo))
        return false;
    if (l2 > 0 && !parse_port_num(c, colon + 1, l2, s, len, &out->hi))
        return false;
    if (out->lo > out->hi)
        return pfail(c, "invalid port range '%.*s': start is greater than end", (int)len, s);
    return true;
}

static bool parse_plist(PCtx *c, const char *text, size_t len, bool negate, PVec *pos, PVec *neg, int depth);

/* Suricata rejects a '!' that follows a ':' within one list element; its
 * scanner only forgets the ':' at ',' on the first two bracket levels and at
 * every ']'. */
static bool check_negated_range(PCtx *c, const char *text, size_t len)
{
    int depth = 0;
    bool range = false;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (ch == ':')
            range = true;
        if (ch == '!' && range)
            return pfail(c, "can't have a negated value in a port range: '%.*s'", (int)len, text);
        if (ch == '[') {
            depth++;
        } else if (ch == ']') {
            depth--;
            range = false;
        } else if (ch == ',' && depth <= 1) {
            range = false;
        }
    }
    return true;
}

static bool is_pvar_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_' || ch == '-' || ch == '.';
}

/* One list element (trimmed, non-empty); `last` when it ends the list text. */
static bool parse_pelement(PCtx *c, const char *s, size_t len, bool negate, bool last, PVec *pos, PVec *neg,
    int depth)
{
    bool n_set = false;
    while (len > 0 && (*s == '!' || isspace((unsigned char)*s))) {
        if (*s == '!')
            n_set = true;
        s++;
        len--;
    }
    if (len == 0)
        return pfail(c, "negation without a port");

    if (*s == '[') {
        if (s[len - 1] != ']')
            return pfail(c, "unexpected text after ']' in '%.*s'", (int)len, s);
        return parse_plist(c, s + 1, len - 2, negate || n_set, pos, neg, depth + 1);
    }

    if (*s == '$') {
        const char *name = s + 1;
        size_t nlen = len - 1;
        if (nlen == 0 || nlen > 200)
            return pfail(c, "invalid variable name '%.*s'", (int)(len > 64 ? 64 : len), s);
        for (size_t i = 0; i < nlen; i++)
            if (!is_pvar_char(name[i]))
                return pfail(c, "invalid variable name '%.*s'", (int)len, s);
        for (int i = 0; i < c->nvars; i++)
            if (c->var_stack_len[i] == nlen && memcmp(c->var_stack[i], name, nlen) == 0)
                return pfail(c, "variable $%.*s is defined in terms of itself (loop in port groups)", (int)nlen,
                    name);
        if (c->vars == NULL)
            return pfail(c, "undefined variable $%.*s", (int)nlen, name);
        char key[256];
        memcpy(key, name, nlen);
        key[nlen] = '\0';
        const char *val = c->vars(c->vars_ctx, key);
        if (val == NULL)
            return pfail(c, "undefined variable $%s", key);
        size_t vlen = strlen(val);
        const char *vs = val;
        ptrim(&vs, &vlen);
        if (vlen == 0)
            return pfail(c,
                "variable $%s resolved to nothing; note that a negated variable needs quotes in the "
                "configuration: \"!$HTTP_PORTS\"",
                key);
        if (c->nvars > PORT_MAX_DEPTH || depth >= PORT_MAX_DEPTH)
            return pfail(c, "port block recursion limit reached (max %d)", PORT_MAX_DEPTH);
        c->var_stack[c->nvars] = name;
        c->var_stack_len[c->nvars] = nlen;
        c->nvars++;
        bool ok = parse_plist(c, vs, vlen, negate != n_set, pos, neg, depth + 1);
        c->nvars--;
        return ok;
    }

    for (size_t i = 0; i < len; i++)
        if (s[i] == '[' || s[i] == ']' || s[i] == '!' || s[i] == '$' || s[i] == ',')
            return pfail(c, "invalid port '%.*s'", (int)(len > 64 ? 64 : len), s);
    PRange r;
    if (!parse_port_atom(c, s, len, &r))
        return false;
    /* Suricata: a list's last element is negated by negate XOR '!', the
     * others by negate OR '!'. */
    bool negated = last ? (negate != n_set) : (negate || n_set);
    return pvec_push(c, negated ? neg : pos, r.lo, r.hi);
}

static bool parse_plist(PCtx *c, const char *text, size_t len, bool negate, PVec *pos, PVec *neg, int depth)
{
    if (depth > PORT_MAX_DEPTH)
        return pfail(c, "port block recursion limit reached (max %d)", PORT_MAX_DEPTH);
    int br = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '[')
            br++;
        else if (text[i] == ']' && --br < 0)
            return pfail(c, "not every port block was properly opened in '%.*s': missing '['", (int)len, text);
    }
    if (br > 0)
        return pfail(c, "not every port block was properly closed in '%.*s': %d missing ']'", (int)len, text,
            br);
    if (!check_negated_range(c, text, len))
        return false;

    size_t start = 0;
    br = 0;
    for (size_t i = 0; i <= len; i++) {
        bool end = i == len;
        if (!end) {
            if (text[i] == '[')
                br++;
            else if (text[i] == ']')
                br--;
            if (text[i] != ',' || br != 0)
                continue;
        }
        const char *e = text + start;
        size_t elen = i - start;
        ptrim(&e, &elen);
        if (elen == 0) {
            if (end) /* trailing comma or empty list, as Suricata accepts */
                break;
            return pfail(c, "empty port in list '%.*s'", (int)len, text);
        }
        if (!parse_pelement(c, e, elen, negate, end, pos, neg, depth))
            return false;
        start = i + 1;
    }
    return true;
}

PortSet *port_set_parse(const char *text, PortVarLookup vars, void *vars_ctx, char *err, size_t errlen)
{
    PCtx c;
    memset(&c, 0, sizeof(c));
    c.vars = vars;
    c.vars_ctx = vars_ctx;
    c.err = err;
    c.errlen = errlen;
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (text == NULL) {
        pfail(&c, "missing port");
        return NULL;
    }
    const char *s = text;
    size_t len = strlen(text);
    ptrim(&s, &len);
    if (len == 0) {
        pfail(&c, "empty port");
        return NULL;
    }

    PVec pos = { NULL, 0, 0 }, neg = { NULL, 0, 0 };
    PortSet *set = NULL;
    if (!parse_plist(&c, s, len, false, &pos, &neg, 0))
        goto out;
    pvec_normalize(&neg);
    if (neg.n == 1 && neg.v[0].lo == 0 && neg.v[0].hi == 65535) {
        pfail(&c, "complete port space is negated in '%.*s': no port left to match", (int)len, s);
        goto out;
    }
    if (pos.n == 0 && neg.n > 0 && !pvec_push(&c, &pos, 0, 65535))
        goto out;
    pvec_normalize(&pos);
    if (neg.n > 0 && !pvec_subtract(&c, &pos, &neg))
        goto out;
    if (pos.n == 0) {
        pfail(&c, "no ports left after merging ports with negated ports in '%.*s'", (int)len, s);
        goto out;
    }
    set = calloc(1, sizeof(*set));
    if (set == NULL) {
        pfail(&c, "out of memory parsing ports");
        goto out;
    }
    set->n = pos.n;
    set->r = pos.v;
    pos.v = NULL;
out:
    free(pos.v);
    free(neg.v);
    return set;
}

PortSet *port_set_clone(const PortSet *set)
{
    PortSet *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    if (set->n && !(c->r = malloc(set->n * sizeof(*c->r)))) {
        free(c);
        return NULL;
    }
    if (set->n)
        memcpy(c->r, set->r, set->n * sizeof(*c->r));
    c->n = set->n;
    return c;
}

void port_set_free(PortSet *set)
{
    if (set == NULL)
        return;
    free(set->r);
    free(set);
}

bool port_set_match(const PortSet *set, uint16_t port)
{
    if (set == NULL)
        return false;
    size_t lo = 0, hi = set->n;
    while (lo < hi) { /* first range starting above port */
        size_t mid = lo + (hi - lo) / 2;
        if (set->r[mid].lo <= port)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && port <= set->r[lo - 1].hi;
}

bool port_set_is_any(const PortSet *set)
{
    return set != NULL && set->n == 1 && set->r[0].lo == 0 && set->r[0].hi == 65535;
}

size_t port_set_count(const PortSet *set)
{
    return set != NULL ? set->n : 0;
}

bool port_set_range(const PortSet *set, size_t idx, uint16_t *lo, uint16_t *hi)
{
    if (set == NULL || idx >= set->n)
        return false;
    *lo = set->r[idx].lo;
    *hi = set->r[idx].hi;
    return true;
}

bool port_set_format(const PortSet *set, char *buf, size_t buflen)
{
    if (buf == NULL || buflen == 0)
        return false;
    buf[0] = '\0';
    if (set == NULL)
        return false;
    size_t used = 0;
    for (size_t i = 0; i < set->n; i++) {
        int w = set->r[i].lo == set->r[i].hi
                    ? snprintf(buf + used, buflen - used, "%s%u", used ? "," : "", set->r[i].lo)
                    : snprintf(buf + used, buflen - used, "%s%u:%u", used ? "," : "", set->r[i].lo, set->r[i].hi);
        if (w < 0 || (size_t)w >= buflen - used) {
            buf[used] = '\0';
            return false;
        }
        used += (size_t)w;
    }
    return true;
}
