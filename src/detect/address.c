/*
 * Rule address parsing and matching, with Suricata 8's semantics.
 *
 * An address field is a comma list of elements; each element is `any`, an
 * IPv4/IPv6 address, CIDR block, netmask block (`1.2.3.0/255.255.255.0`) or
 * range (`a-b`), a bracketed sub-list, or a `$VARIABLE`, and may be prefixed
 * with `!`. Like Suricata, parsing collects two groups: the positive ranges
 * and the negated ranges. A plain sub-list (or variable) adds its elements to
 * the enclosing groups; a negated sub-list (or `!$VAR`) is first resolved on
 * its own (positives minus negations) and the result is added to the
 * enclosing negated group. At the end the negations are cut out of the
 * positives; a family with negations but no positives starts from the whole
 * family's space (so `!1.2.3.4` is "every IPv4 address but 1.2.3.4", and, as
 * in Suricata, matches no IPv6 address). Errors mirror Suricata's: the
 * negations covering all of IPv4 ("complete IP space negated"), nothing left
 * after the cut, undefined or empty variables, variable loops, unbalanced
 * brackets and unparsable addresses. The result is two sorted arrays of
 * disjoint ranges (IPv4 as uint32, IPv6 as 128-bit pairs), matched by binary
 * search.
 *
 * Deliberate leniency: whitespace around list elements is ignored on both
 * sides (Suricata only skips leading whitespace).
 */
#include "detect/address.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADDR_MAX_DEPTH 64
#define ADDR_ATOM_MAX 256

typedef struct U128 {
    uint64_t hi, lo;
} U128;

typedef struct Span {
    U128 lo, hi;
} Span;

typedef struct SpanVec {
    Span *v;
    size_t n, cap;
} SpanVec;

/* Index 0 holds IPv4 spans (in the low 32 bits), index 1 IPv6 spans. */
typedef struct Groups {
    SpanVec fam[2];
} Groups;

typedef struct V4Range {
    uint32_t lo, hi;
} V4Range;

struct AddressSet {
    bool any;
    size_t n4, n6;
    V4Range *v4;
    Span *v6;
};

typedef struct ParseCtx {
    AddressVarLookup vars;
    void *vars_ctx;
    char *err;
    size_t errlen;
    bool failed;
    const char *var_stack[ADDR_MAX_DEPTH + 1];
    size_t var_stack_len[ADDR_MAX_DEPTH + 1];
    int nvars;
} ParseCtx;

/* Records the first error; always returns false. */
static bool fail(ParseCtx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(ParseCtx *c, const char *fmt, ...)
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

/* ---- 128-bit helpers (IPv4 uses the same type, in the low word) ---- */

static int u128_cmp(U128 a, U128 b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo)
        return a.lo < b.lo ? -1 : 1;
    return 0;
}

static U128 u128_inc(U128 a)
{
    a.lo++;
    if (a.lo == 0)
        a.hi++;
    return a;
}

static U128 u128_dec(U128 a)
{
    if (a.lo == 0)
        a.hi--;
    a.lo--;
    return a;
}

static U128 fam_max(int fam)
{
    U128 m = { 0, 0xffffffffu };
    if (fam == 1) {
        m.hi = UINT64_MAX;
        m.lo = UINT64_MAX;
    }
    return m;
}

static U128 u128_from_bytes(const uint8_t b[16])
{
    U128 r = { 0, 0 };
    for (int i = 0; i < 8; i++) {
        r.hi = (r.hi << 8) | b[i];
        r.lo = (r.lo << 8) | b[8 + i];
    }
    return r;
}

static void u128_to_bytes(U128 a, uint8_t b[16])
{
    for (int i = 7; i >= 0; i--) {
        b[i] = (uint8_t)a.hi;
        b[8 + i] = (uint8_t)a.lo;
        a.hi >>= 8;
        a.lo >>= 8;
    }
}

/* ---- span vectors ---- */

static bool spans_push(ParseCtx *c, SpanVec *sv, U128 lo, U128 hi)
{
    if (sv->n == sv->cap) {
        size_t ncap = sv->cap ? sv->cap * 2 : 8;
        Span *nv = realloc(sv->v, ncap * sizeof(*nv));
        if (nv == NULL)
            return fail(c, "out of memory parsing addresses");
        sv->v = nv;
        sv->cap = ncap;
    }
    sv->v[sv->n].lo = lo;
    sv->v[sv->n].hi = hi;
    sv->n++;
    return true;
}

static int span_cmp(const void *a, const void *b)
{
    return u128_cmp(((const Span *)a)->lo, ((const Span *)b)->lo);
}

/* Sorts the spans and merges overlapping and adjacent ones in place. */
static void spans_normalize(SpanVec *sv)
{
    if (sv->n < 2)
        return;
    qsort(sv->v, sv->n, sizeof(Span), span_cmp);
    size_t out = 0;
    for (size_t i = 1; i < sv->n; i++) {
        Span *cur = &sv->v[out];
        const Span *nx = &sv->v[i];
        /* adjacent when cur.hi + 1 == nx.lo; cur.hi can't be the maximum
         * unless it already covers nx */
        if (u128_cmp(nx->lo, cur->hi) <= 0 || u128_cmp(u128_inc(cur->hi), nx->lo) == 0) {
            if (u128_cmp(nx->hi, cur->hi) > 0)
                cur->hi = nx->hi;
        } else {
            sv->v[++out] = *nx;
        }
    }
    sv->n = out + 1;
}

/* True when normalized `sv` covers the whole space of family `fam`. */
static bool spans_cover_all(const SpanVec *sv, int fam)
{
    U128 zero = { 0, 0 };
    return sv->n == 1 && u128_cmp(sv->v[0].lo, zero) == 0 && u128_cmp(sv->v[0].hi, fam_max(fam)) == 0;
}

/* a := a minus b; both normalized, result normalized. */
static bool spans_subtract(ParseCtx *c, SpanVec *a, const SpanVec *b)
{
    SpanVec out = { NULL, 0, 0 };
    size_t j = 0;
    for (size_t i = 0; i < a->n; i++) {
        U128 lo = a->v[i].lo, hi = a->v[i].hi;
        bool alive = true;
        while (j < b->n && u128_cmp(b->v[j].hi, lo) < 0)
            j++;
        for (size_t k = j; k < b->n && alive && u128_cmp(b->v[k].lo, hi) <= 0; k++) {
            if (u128_cmp(b->v[k].lo, lo) > 0) {
                if (!spans_push(c, &out, lo, u128_dec(b->v[k].lo))) {
                    free(out.v);
                    return false;
                }
            }
            if (u128_cmp(b->v[k].hi, hi) >= 0)
                alive = false;
            else
                lo = u128_inc(b->v[k].hi);
        }
        if (alive && !spans_push(c, &out, lo, hi)) {
            free(out.v);
            return false;
        }
    }
    free(a->v);
    *a = out;
    return true;
}

static void groups_free(Groups *g)
{
    free(g->fam[0].v);
    free(g->fam[1].v);
    memset(g, 0, sizeof(*g));
}

static bool groups_add_all(ParseCtx *c, Groups *g, int fam)
{
    U128 zero = { 0, 0 };
    return spans_push(c, &g->fam[fam], zero, fam_max(fam));
}

/* ---- single address elements ---- */

static bool parse_v4(const char *s, uint32_t *out)
{
    struct in_addr in;
    if (inet_pton(AF_INET, s, &in) != 1)
        return false;
    *out = ntohl(in.s_addr);
    return true;
}

static bool parse_v6(const char *s, U128 *out)
{
    struct in6_addr in6;
    if (inet_pton(AF_INET6, s, &in6) != 1)
        return false;
    *out = u128_from_bytes(in6.s6_addr);
    return true;
}

/* Parses a decimal prefix length 0..max made of digits only. */
static bool parse_prefix(const char *s, int max, int *out)
{
    if (*s == '\0' || strlen(s) > 3)
        return false;
    int v = 0;
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s))
            return false;
        v = v * 10 + (*s - '0');
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

static bool looks_v4(const char *s)
{
    struct in_addr in;
    return inet_pton(AF_INET, s, &in) == 1;
}

/* Parses one address (no `!`, no `any`): single, CIDR, netmask or range.
 * `fam` is 0 for IPv4 and 1 for IPv6, decided (as Suricata does) by the
 * presence of a ':'. */
static bool parse_atom(ParseCtx *c, const char *text, size_t len, Span *out, int *fam)
{
    char buf[ADDR_ATOM_MAX];
    if (len >= sizeof(buf))
        return fail(c, "invalid address '%.*s': too long", 64, text);
    memcpy(buf, text, len);
    buf[len] = '\0';

    char *slash = strchr(buf, '/');
    char *dash = strchr(buf, '-');
    if (strchr(buf, ':') == NULL) {
        *fam = 0;
        uint32_t ip, mask;
        if (slash != NULL) {
            *slash = '\0';
            const char *m = slash + 1;
            if (strchr(m, '.') == NULL) {
                int cidr;
                if (!parse_prefix(m, 32, &cidr))
                    return fail(c, "invalid address '%s/%s': bad CIDR prefix length (0-32)", buf, m);
                mask = cidr == 0 ? 0 : 0xffffffffu << (32 - cidr);
            } else {
                if (!parse_v4(m, &mask))
                    return fail(c, "invalid address '%s/%s': bad netmask", buf, m);
                /* only netmasks usable as CIDR (contiguous ones) */
                if ((~mask & (~mask + 1)) != 0)
                    return fail(c,
                        "invalid address '%s/%s': netmask is not usable, only netmasks compatible with "
                        "CIDR notation are supported",
                        buf, m);
            }
            if (!parse_v4(buf, &ip))
                return fail(c, "invalid address '%s/%s'", buf, m);
            out->lo.hi = out->hi.hi = 0;
            out->lo.lo = ip & mask;
            out->hi.lo = (ip & mask) | ~mask;
            return true;
        }
        if (dash != NULL) {
            *dash = '\0';
            uint32_t a, b;
            if (!parse_v4(buf, &a) || !parse_v4(dash + 1, &b))
                return fail(c, "invalid address range '%s-%s'", buf, dash + 1);
            if (a > b)
                return fail(c, "invalid address range '%s-%s': start is greater than end", buf, dash + 1);
            out->lo.hi = out->hi.hi = 0;
            out->lo.lo = a;
            out->hi.lo = b;
            return true;
        }
        if (!parse_v4(buf, &ip))
            return fail(c, "invalid address '%s'", buf);
        out->lo.hi = out->hi.hi = 0;
        out->lo.lo = out->hi.lo = ip;
        return true;
    }

    *fam = 1;
    if (slash != NULL) {
        *slash = '\0';
        const char *m = slash + 1;
        int cidr;
        U128 ip;
        if (!parse_prefix(m, 128, &cidr))
            return fail(c, "invalid address '%s/%s': bad CIDR prefix length (0-128)", buf, m);
        if (!parse_v6(buf, &ip))
            return fail(c, "invalid address '%s/%s'", buf, m);
        U128 mask = { 0, 0 };
        if (cidr >= 64) {
            mask.hi = UINT64_MAX;
            mask.lo = cidr == 64 ? 0 : UINT64_MAX << (128 - cidr);
        } else if (cidr > 0) {
            mask.hi = UINT64_MAX << (64 - cidr);
        }
        out->lo.hi = ip.hi & mask.hi;
        out->lo.lo = ip.lo & mask.lo;
        out->hi.hi = out->lo.hi | ~mask.hi;
        out->hi.lo = out->lo.lo | ~mask.lo;
        return true;
    }
    if (dash != NULL) {
        *dash = '\0';
        U128 a, b;
        if (looks_v4(buf) || looks_v4(dash + 1))
            return fail(c, "invalid address range '%s-%s': mixes IPv4 and IPv6", buf, dash + 1);
        if (!parse_v6(buf, &a) || !parse_v6(dash + 1, &b))
            return fail(c, "invalid address range '%s-%s'", buf, dash + 1);
        if (u128_cmp(a, b) > 0)
            return fail(c, "invalid address range '%s-%s': start is greater than end", buf, dash + 1);
        out->lo = a;
        out->hi = b;
        return true;
    }
    U128 ip;
    if (!parse_v6(buf, &ip))
        return fail(c, "invalid address '%s'", buf);
    out->lo = out->hi = ip;
    return true;
}

/* ---- lists ---- */

static bool merge_not(ParseCtx *c, Groups *pos, Groups *neg, const char *text, size_t len);
static bool parse_list(ParseCtx *c, const char *text, size_t len, Groups *pos, Groups *neg, int depth);

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && isspace((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

static bool is_var_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_' || ch == '-' || ch == '.';
}

/* Parses the inner text of a sub-list (or a variable's value) into pos/neg;
 * a negated one is resolved on its own first and lands in neg. */
static bool parse_block(ParseCtx *c, const char *text, size_t len, bool negated, Groups *pos, Groups *neg,
    int depth)
{
    if (!negated)
        return parse_list(c, text, len, pos, neg, depth + 1);
    Groups tp, tn;
    memset(&tp, 0, sizeof(tp));
    memset(&tn, 0, sizeof(tn));
    bool ok = parse_list(c, text, len, &tp, &tn, depth + 1) && merge_not(c, &tp, &tn, text, len);
    for (int f = 0; ok && f < 2; f++)
        for (size_t i = 0; ok && i < tp.fam[f].n; i++)
            ok = spans_push(c, &neg->fam[f], tp.fam[f].v[i].lo, tp.fam[f].v[i].hi);
    groups_free(&tp);
    groups_free(&tn);
    return ok;
}

/* One list element (trimmed, non-empty). */
static bool parse_element(ParseCtx *c, const char *s, size_t len, Groups *pos, Groups *neg, int depth)
{
    bool negated = false;
    while (len > 0 && (*s == '!' || isspace((unsigned char)*s))) {
        if (*s == '!')
            negated = true; /* as in Suricata, `!!x` is `!x` */
        s++;
        len--;
    }
    if (len == 0)
        return fail(c, "negation without an address");

    if (*s == '[') {
        if (s[len - 1] != ']')
            return fail(c, "unexpected text after ']' in '%.*s'", (int)len, s);
        return parse_block(c, s + 1, len - 2, negated, pos, neg, depth);
    }

    if (*s == '$') {
        const char *name = s + 1;
        size_t nlen = len - 1;
        if (nlen == 0 || nlen > 200)
            return fail(c, "invalid variable name '%.*s'", (int)(len > 64 ? 64 : len), s);
        for (size_t i = 0; i < nlen; i++)
            if (!is_var_char(name[i]))
                return fail(c, "invalid variable name '%.*s'", (int)len, s);
        for (int i = 0; i < c->nvars; i++)
            if (c->var_stack_len[i] == nlen && memcmp(c->var_stack[i], name, nlen) == 0)
                return fail(c, "variable $%.*s is defined in terms of itself (loop in address groups)",
                    (int)nlen, name);
        if (c->vars == NULL)
            return fail(c, "undefined variable $%.*s", (int)nlen, name);
        char key[256];
        memcpy(key, name, nlen);
        key[nlen] = '\0';
        const char *val = c->vars(c->vars_ctx, key);
        if (val == NULL)
            return fail(c, "undefined variable $%s", key);
        size_t vlen = strlen(val);
        const char *vs = val;
        trim(&vs, &vlen);
        if (vlen == 0)
            return fail(c,
                "variable $%s resolved to nothing; note that a negated variable needs quotes in the "
                "configuration: \"!$HOME_NET\"",
                key);
        if (c->nvars > ADDR_MAX_DEPTH || depth >= ADDR_MAX_DEPTH)
            return fail(c, "address block recursion limit reached (max %d)", ADDR_MAX_DEPTH);
        c->var_stack[c->nvars] = name;
        c->var_stack_len[c->nvars] = nlen;
        c->nvars++;
        bool ok = parse_block(c, vs, vlen, negated, pos, neg, depth);
        c->nvars--;
        return ok;
    }

    Groups *dst = negated ? neg : pos;
    if (len == 3 && strncasecmp(s, "any", 3) == 0)
        return groups_add_all(c, dst, 0) && groups_add_all(c, dst, 1);
    for (size_t i = 0; i < len; i++)
        if (s[i] == '[' || s[i] == ']' || s[i] == '!' || s[i] == '$' || isspace((unsigned char)s[i]))
            return fail(c, "invalid address '%.*s'", (int)(len > 128 ? 128 : len), s);
    Span sp;
    int fam = 0;
    if (!parse_atom(c, s, len, &sp, &fam))
        return false;
    return spans_push(c, &dst->fam[fam], sp.lo, sp.hi);
}

/* Parses a comma list (without its outer brackets). */
static bool parse_list(ParseCtx *c, const char *text, size_t len, Groups *pos, Groups *neg, int depth)
{
    if (depth > ADDR_MAX_DEPTH)
        return fail(c, "address block recursion limit reached (max %d)", ADDR_MAX_DEPTH);
    int br = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '[')
            br++;
        else if (text[i] == ']' && --br < 0)
            return fail(c, "not every address block was properly opened in '%.*s': missing '['", (int)len,
                text);
    }
    if (br > 0)
        return fail(c, "not every address block was properly closed in '%.*s': %d missing ']'", (int)len,
            text, br);

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
        trim(&e, &elen);
        if (elen == 0) {
            /* a trailing comma (or an empty list) is accepted, as in Suricata */
            if (end)
                break;
            return fail(c, "empty address in list '%.*s'", (int)len, text);
        }
        if (!parse_element(c, e, elen, pos, neg, depth))
            return false;
        start = i + 1;
    }
    return true;
}

/* Cuts the negated ranges out of the positive ones (Suricata's
 * DetectAddressMergeNot); pos holds the result. */
static bool merge_not(ParseCtx *c, Groups *pos, Groups *neg, const char *text, size_t len)
{
    for (int f = 0; f < 2; f++)
        spans_normalize(&neg->fam[f]);
    if (spans_cover_all(&neg->fam[0], 0))
        return fail(c,
            "complete IP space negated in '%.*s': the address range is empty (a '!any' or a negated "
            "range covering all addresses?)",
            (int)len, text);
    for (int f = 0; f < 2; f++) {
        if (pos->fam[f].n == 0 && neg->fam[f].n > 0 && !groups_add_all(c, pos, f))
            return false;
        spans_normalize(&pos->fam[f]);
        if (neg->fam[f].n > 0 && !spans_subtract(c, &pos->fam[f], &neg->fam[f]))
            return false;
    }
    if (pos->fam[0].n == 0 && pos->fam[1].n == 0)
        return fail(c, "no addresses left after merging addresses and negated addresses in '%.*s'", (int)len,
            text);
    return true;
}

AddressSet *address_set_parse(const char *text, AddressVarLookup vars, void *vars_ctx, char *err, size_t errlen)
{
    ParseCtx c;
    memset(&c, 0, sizeof(c));
    c.vars = vars;
    c.vars_ctx = vars_ctx;
    c.err = err;
    c.errlen = errlen;
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (text == NULL) {
        fail(&c, "missing address");
        return NULL;
    }
    const char *s = text;
    size_t len = strlen(text);
    trim(&s, &len);
    if (len == 0) {
        fail(&c, "empty address");
        return NULL;
    }

    Groups pos, neg;
    memset(&pos, 0, sizeof(pos));
    memset(&neg, 0, sizeof(neg));
    AddressSet *set = NULL;
    if (!parse_list(&c, s, len, &pos, &neg, 1) || !merge_not(&c, &pos, &neg, s, len))
        goto out;

    set = calloc(1, sizeof(*set));
    if (set == NULL) {
        fail(&c, "out of memory parsing addresses");
        goto out;
    }
    spans_normalize(&pos.fam[0]);
    spans_normalize(&pos.fam[1]);
    set->n4 = pos.fam[0].n;
    if (set->n4 > 0) {
        set->v4 = malloc(set->n4 * sizeof(*set->v4));
        if (set->v4 == NULL) {
            fail(&c, "out of memory parsing addresses");
            free(set);
            set = NULL;
            goto out;
        }
        for (size_t i = 0; i < set->n4; i++) {
            set->v4[i].lo = (uint32_t)pos.fam[0].v[i].lo.lo;
            set->v4[i].hi = (uint32_t)pos.fam[0].v[i].hi.lo;
        }
    }
    set->any = spans_cover_all(&pos.fam[0], 0) && spans_cover_all(&pos.fam[1], 1);
    set->n6 = pos.fam[1].n;
    set->v6 = pos.fam[1].v; /* take ownership, without the spare room: a
                             * rule set keeps two sets per rule (50,000 in
                             * ET Open), most with one IPv6 span or none */
    pos.fam[1].v = NULL;
    if (set->n6 == 0) {
        free(set->v6);
        set->v6 = NULL;
    } else if (set->n6 < pos.fam[1].cap) {
        Span *fit = realloc(set->v6, set->n6 * sizeof(*set->v6));
        if (fit != NULL)
            set->v6 = fit;
    }
out:
    groups_free(&pos);
    groups_free(&neg);
    return set;
}

AddressSet *address_set_clone(const AddressSet *set)
{
    AddressSet *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    *c = *set;
    c->v4 = NULL;
    c->v6 = NULL;
    if ((set->n4 && !(c->v4 = malloc(set->n4 * sizeof(*c->v4)))) ||
        (set->n6 && !(c->v6 = malloc(set->n6 * sizeof(*c->v6))))) {
        address_set_free(c);
        return NULL;
    }
    if (set->n4)
        memcpy(c->v4, set->v4, set->n4 * sizeof(*c->v4));
    if (set->n6)
        memcpy(c->v6, set->v6, set->n6 * sizeof(*c->v6));
    return c;
}

void address_set_free(AddressSet *set)
{
    if (set == NULL)
        return;
    free(set->v4);
    free(set->v6);
    free(set);
}

bool address_set_match(const AddressSet *set, const Address *a)
{
    if (set == NULL || a == NULL)
        return false;
    if (set->any)
        return true;
    if (a->family == 4) {
        uint32_t x = ((uint32_t)a->addr[0] << 24) | ((uint32_t)a->addr[1] << 16) | ((uint32_t)a->addr[2] << 8) |
                     a->addr[3];
        size_t lo = 0, hi = set->n4;
        while (lo < hi) { /* first range with lo > x */
            size_t mid = lo + (hi - lo) / 2;
            if (set->v4[mid].lo <= x)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo > 0 && x <= set->v4[lo - 1].hi;
    }
    if (a->family == 6) {
        U128 x = u128_from_bytes(a->addr);
        size_t lo = 0, hi = set->n6;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (u128_cmp(set->v6[mid].lo, x) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo > 0 && u128_cmp(x, set->v6[lo - 1].hi) <= 0;
    }
    return false;
}

bool address_set_is_any(const AddressSet *set)
{
    return set != NULL && set->any;
}

size_t address_set_count(const AddressSet *set, int family)
{
    if (set == NULL)
        return 0;
    return family == 4 ? set->n4 : family == 6 ? set->n6 : 0;
}

bool address_set_range(const AddressSet *set, int family, size_t idx, Address *lo, Address *hi)
{
    if (set == NULL || lo == NULL || hi == NULL)
        return false;
    memset(lo, 0, sizeof(*lo));
    memset(hi, 0, sizeof(*hi));
    if (family == 4 && idx < set->n4) {
        lo->family = hi->family = 4;
        for (int i = 0; i < 4; i++) {
            lo->addr[i] = (uint8_t)(set->v4[idx].lo >> (24 - 8 * i));
            hi->addr[i] = (uint8_t)(set->v4[idx].hi >> (24 - 8 * i));
        }
        return true;
    }
    if (family == 6 && idx < set->n6) {
        lo->family = hi->family = 6;
        u128_to_bytes(set->v6[idx].lo, lo->addr);
        u128_to_bytes(set->v6[idx].hi, hi->addr);
        return true;
    }
    return false;
}

bool address_set_format(const AddressSet *set, char *buf, size_t buflen)
{
    if (buf == NULL || buflen == 0)
        return false;
    buf[0] = '\0';
    if (set == NULL)
        return false;
    size_t used = 0;
    bool ok = true;
    for (int f = 4; f <= 6; f += 2) {
        size_t n = address_set_count(set, f);
        for (size_t i = 0; i < n; i++) {
            Address lo, hi;
            char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
            address_set_range(set, f, i, &lo, &hi);
            int af = f == 4 ? AF_INET : AF_INET6;
            inet_ntop(af, lo.addr, a, sizeof(a));
            inet_ntop(af, hi.addr, b, sizeof(b));
            int w = memcmp(lo.addr, hi.addr, 16) == 0
                        ? snprintf(buf + used, buflen - used, "%s%s", used ? "," : "", a)
                        : snprintf(buf + used, buflen - used, "%s%s-%s", used ? "," : "", a, b);
            if (w < 0 || (size_t)w >= buflen - used) {
                ok = false;
                buf[used] = '\0';
                return ok;
            }
            used += (size_t)w;
        }
    }
    return ok;
}
