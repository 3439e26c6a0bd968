/*
 * The shared unsigned-integer matcher of the detection keywords. The parser
 * mirrors the grammar of Suricata 8's generic uint keywords: a value with an
 * optional operator, a range, or a masked compare, tried in the order
 * Suricata's parser tries them (mask, range, plain/`=` value, operator), and
 * the first alternative that reads a prefix wins; whatever follows must be
 * spaces only. Limits per width reject comparisons that can never or always
 * match, as Suricata does.
 */
#include "detect/uint-match.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static void skip_spaces(const char **p)
{
    while (**p == ' ')
        (*p)++;
}

bool detect_uint_parse_value(const char **pos, uint64_t max, uint64_t *out)
{
    const char *p = *pos;
    uint64_t v = 0;
    if (p[0] == '0' && p[1] == 'x' && isxdigit((unsigned char)p[2])) {
        p += 2;
        while (isxdigit((unsigned char)*p)) {
            unsigned d = isdigit((unsigned char)*p) ? (unsigned)(*p - '0')
                                                    : (unsigned)(tolower((unsigned char)*p) - 'a' + 10);
            if (v > (max - d) / 16)
                return false;
            v = v * 16 + d;
            p++;
        }
        *pos = p;
        *out = v;
        return true;
    }
    if (!isdigit((unsigned char)*p))
        return false;
    while (isdigit((unsigned char)*p)) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
        p++;
    }
    static const struct {
        const char *s;
        uint64_t mul;
    } units[] = {
        {"kib", 1024ULL}, {"kb", 1024ULL}, {"mib", 1024ULL * 1024}, {"mb", 1024ULL * 1024},
        {"gib", 1024ULL * 1024 * 1024}, {"gb", 1024ULL * 1024 * 1024},
    };
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        size_t n = strlen(units[i].s);
        if (strncasecmp(p, units[i].s, n) == 0) {
            p += n;
            if (v >= 1) {
                if (max / units[i].mul < v)
                    return false;
                v *= units[i].mul;
            }
            break;
        }
    }
    *pos = p;
    *out = v;
    return true;
}

bool detect_uint_parse_mode(const char **pos, uint8_t *mode)
{
    static const struct {
        const char *s;
        uint8_t mode;
    } ops[] = {
        {">=", DETECT_UINT_GTE}, {"<=", DETECT_UINT_LTE}, {">", DETECT_UINT_GT}, {"<", DETECT_UINT_LT},
        {"!=", DETECT_UINT_NE}, {"!", DETECT_UINT_NE}, {"=", DETECT_UINT_EQ},
    };
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        size_t n = strlen(ops[i].s);
        if (strncmp(*pos, ops[i].s, n) == 0) {
            *pos += n;
            *mode = ops[i].mode;
            return true;
        }
    }
    return false;
}

/* &MASK [!]= VALUE */
static bool parse_bitmask(const char **pos, uint64_t max, DetectUint *u)
{
    const char *p = *pos;
    skip_spaces(&p);
    if (*p != '&')
        return false;
    p++;
    skip_spaces(&p);
    if (!detect_uint_parse_value(&p, max, &u->arg1))
        return false;
    skip_spaces(&p);
    bool neg = false;
    if (*p == '!') {
        neg = true;
        p++;
    }
    if (*p != '=')
        return false;
    p++;
    skip_spaces(&p);
    if (!detect_uint_parse_value(&p, max, &u->arg2))
        return false;
    if ((u->arg2 & u->arg1) != u->arg2)
        return false; /* could never match */
    u->mode = neg ? DETECT_UINT_NEG_BITMASK : DETECT_UINT_BITMASK;
    *pos = p;
    return true;
}

/* [!]N (-|<>) M with M > N + 1 */
static bool parse_interval(const char **pos, uint64_t max, DetectUint *u)
{
    const char *p = *pos;
    bool neg = false;
    if (*p == '!') {
        neg = true;
        p++;
    }
    if (!detect_uint_parse_value(&p, max, &u->arg1))
        return false;
    skip_spaces(&p);
    if (*p == '-')
        p++;
    else if (p[0] == '<' && p[1] == '>')
        p += 2;
    else
        return false;
    skip_spaces(&p);
    if (!detect_uint_parse_value(&p, max, &u->arg2))
        return false;
    if (!(u->arg2 > u->arg1 && u->arg2 - u->arg1 > 1))
        return false;
    u->mode = neg ? DETECT_UINT_NEG_RANGE : DETECT_UINT_RANGE;
    *pos = p;
    return true;
}

/* [=] N */
static bool parse_equal(const char **pos, uint64_t max, DetectUint *u)
{
    const char *p = *pos;
    if (*p == '=')
        p++;
    skip_spaces(&p);
    if (!detect_uint_parse_value(&p, max, &u->arg1))
        return false;
    u->arg2 = 0;
    u->mode = DETECT_UINT_EQ;
    *pos = p;
    return true;
}

/* OP N */
static bool parse_symbol(const char **pos, uint64_t max, DetectUint *u)
{
    const char *p = *pos;
    uint8_t mode;
    if (!detect_uint_parse_mode(&p, &mode))
        return false;
    skip_spaces(&p);
    if (!detect_uint_parse_value(&p, max, &u->arg1))
        return false;
    switch (mode) {
    case DETECT_UINT_NE:
        break;
    case DETECT_UINT_LT:
    case DETECT_UINT_GTE:
        if (u->arg1 == 0)
            return false;
        break;
    case DETECT_UINT_LTE:
    case DETECT_UINT_GT:
        if (u->arg1 == max)
            return false;
        break;
    default:
        return false; /* `=N` is parse_equal's */
    }
    u->arg2 = 0;
    u->mode = mode;
    *pos = p;
    return true;
}

bool detect_uint_parse(const char *str, uint64_t max, DetectUint *out)
{
    if (str == NULL)
        return false;
    const char *p = str;
    skip_spaces(&p);
    DetectUint u;
    memset(&u, 0, sizeof(u));
    if (!parse_bitmask(&p, max, &u) && !parse_interval(&p, max, &u) && !parse_equal(&p, max, &u) &&
            !parse_symbol(&p, max, &u))
        return false;
    skip_spaces(&p);
    if (*p != '\0')
        return false;
    *out = u;
    return true;
}

bool detect_uint_match(const DetectUint *u, uint64_t v)
{
    switch (u->mode) {
    case DETECT_UINT_EQ:
        return v == u->arg1;
    case DETECT_UINT_NE:
        return v != u->arg1;
    case DETECT_UINT_LT:
        return v < u->arg1;
    case DETECT_UINT_LTE:
        return v <= u->arg1;
    case DETECT_UINT_GT:
        return v > u->arg1;
    case DETECT_UINT_GTE:
        return v >= u->arg1;
    case DETECT_UINT_RANGE:
        return v > u->arg1 && v < u->arg2;
    case DETECT_UINT_NEG_RANGE:
        return v <= u->arg1 || v >= u->arg2;
    case DETECT_UINT_BITMASK:
        return (v & u->arg1) == u->arg2;
    case DETECT_UINT_NEG_BITMASK:
        return (v & u->arg1) != u->arg2;
    }
    return false;
}

const char *detect_uint_syntax_help(void)
{
    return "expected N, =N, <N, <=N, >N, >=N, !N, N-M, N<>M, !N-M or &MASK=V";
}

uint32_t detect_uint_hash(const void *u)
{
    const DetectUint *x = u;
    uint64_t h = (x->arg1 * 0x9e3779b97f4a7c15ull) ^ (x->arg2 * 0xc2b2ae3d27d4eb4full) ^ x->mode;
    return (uint32_t)(h ^ (h >> 32));
}

bool detect_uint_equal(const void *a, const void *b)
{
    const DetectUint *x = a, *y = b;
    return x->mode == y->mode && x->arg1 == y->arg1 && x->arg2 == y->arg2;
}
