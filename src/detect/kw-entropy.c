/*
 * entropy (Suricata 8): compares the Shannon entropy of the current buffer
 * (the sticky buffer before it, else the packet payload / stream) with a
 * number, `entropy: [bytes <n>,] [offset <n>,] value <cmp>`. The entropy
 * is H = -sum(p_i * log2 p_i) over the byte frequencies p_i, in bits per
 * byte (0 for an empty range, at most 8). `offset` skips the first bytes of
 * the buffer (-65535..65535 are accepted; only a positive offset moves the
 * start), `bytes` measures exactly that many (0: all; a buffer too short
 * for them does not match). The comparison is
 * `<`, `<=`, `>`, `>=`, `=` (the default), `!=` against a decimal number,
 * `a-b` (a < H < b) or `!a-b` (H outside it). The keyword is evaluated
 * once on the whole buffer and does not move the inspection cursor.
 *
 * As Suricata 8 does, every evaluation (match or not) records the value as
 * a floating-point flow variable named after the buffer (`file_data`,
 * `content` for the payload; the last value wins), which EVE writes as
 * `metadata.entropy.<buffer>` in the flow's records.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/buffer-registry.h"
#include "detect/flow-vars.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/kw-hdrkw.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"

static uint16_t kw_entropy;

double entropy_of(const uint8_t *data, uint32_t len)
{
    if (data == NULL || len == 0)
        return 0.0;
    uint32_t counts[256];
    memset(counts, 0, sizeof(counts));
    for (uint32_t i = 0; i < len; i++)
        counts[data[i]]++;
    double h = 0.0;
    for (int i = 0; i < 256; i++) {
        if (counts[i] == 0)
            continue;
        double pr = (double)counts[i] / (double)len;
        h -= pr * log2(pr);
    }
    return h;
}

static const char *skip_ws(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

static bool parse_number(const char **p, double *out)
{
    char *end = NULL;
    const char *s = skip_ws(*p);
    if (!isdigit((unsigned char)*s) && *s != '.')
        return false;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v))
        return false;
    *out = v;
    *p = end;
    return true;
}

/* `<cmp>`: the value part after `value`. */
static bool parse_value(const char *s, EntropyCtx *c)
{
    const char *p = skip_ws(s);
    bool negated_range = false;
    uint8_t mode = DETECT_UINT_EQ;
    if (p[0] == '!' && p[1] != '=') {
        negated_range = true;
        p++;
    } else if (!detect_uint_parse_mode(&p, &mode)) {
        mode = DETECT_UINT_EQ;
    }
    if (!parse_number(&p, &c->arg1))
        return false;
    p = skip_ws(p);
    if (*p == '-') {
        if (mode != DETECT_UINT_EQ)
            return false;
        p++;
        if (!parse_number(&p, &c->arg2) || c->arg2 <= c->arg1)
            return false;
        mode = negated_range ? DETECT_UINT_NEG_RANGE : DETECT_UINT_RANGE;
    } else if (negated_range) {
        mode = DETECT_UINT_NE;
    }
    c->mode = mode;
    return *skip_ws(p) == '\0';
}

EntropyCtx *entropy_parse(const char *value, char *err, size_t errlen)
{
    EntropyCtx c;
    memset(&c, 0, sizeof(c));
    bool have_value = false;
    const char *p = value ? value : "";
    char item[128];
    while (*(p = skip_ws(p)) != '\0') {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n >= sizeof(item)) {
            snprintf(err, errlen, "entropy: option too long in '%s'", value);
            return NULL;
        }
        memcpy(item, p, n);
        item[n] = '\0';
        p = e ? e + 1 : p + n;
        if (strncmp(item, "value", 5) == 0 && (isspace((unsigned char)item[5]) || strchr("<>=!", item[5]))) {
            if (have_value || !parse_value(item + 5, &c)) {
                snprintf(err, errlen, "entropy: invalid value in '%s' (value <|<=|>|>=|=|!= N, N-M or !N-M)", value);
                return NULL;
            }
            have_value = true;
        } else if ((strncmp(item, "offset", 6) == 0 || strncmp(item, "bytes", 5) == 0)) {
            const bool is_offset = item[0] == 'o';
            const char *num = skip_ws(item + (is_offset ? 6 : 5));
            char *end = NULL;
            long long v = strtoll(num, &end, 10);
            const long long lo = is_offset ? -65535 : 0, hi = is_offset ? 65535 : 0x7fffffffLL;
            if (num == item + (is_offset ? 6 : 5) || end == num || *skip_ws(end) != '\0' || v < lo || v > hi) {
                snprintf(err, errlen, "entropy: invalid %s in '%s'", is_offset ? "offset" : "bytes", value);
                return NULL;
            }
            if (is_offset) {
                c.offset = (int32_t)v;
            } else {
                c.bytes = (uint32_t)v;
                c.has_bytes = v > 0;
            }
        } else {
            snprintf(err, errlen, "entropy: unknown option '%s' (bytes, offset, value)", item);
            return NULL;
        }
    }
    if (!have_value) {
        snprintf(err, errlen, "entropy needs 'value <comparison>' in '%s'", value ? value : "");
        return NULL;
    }
    EntropyCtx *out = calloc(1, sizeof(*out));
    if (out)
        *out = c;
    else
        snprintf(err, errlen, "out of memory");
    return out;
}

/* The entropy c measures in buf; false when the buffer is too short. */
static bool entropy_ctx_value(const EntropyCtx *c, const uint8_t *buf, uint32_t len, double *h)
{
    uint32_t start = c->offset > 0 ? (uint32_t)c->offset : 0;
    if (start > len)
        return false;
    uint32_t n = len - start;
    if (c->has_bytes) {
        if (c->bytes > n)
            return false; /* fewer bytes than asked for */
        n = c->bytes;
    }
    *h = entropy_of(buf + start, n);
    return true;
}

static bool entropy_compare(const EntropyCtx *c, double h)
{
    switch (c->mode) {
    case DETECT_UINT_LT:
        return h < c->arg1;
    case DETECT_UINT_LTE:
        return h <= c->arg1;
    case DETECT_UINT_GT:
        return h > c->arg1;
    case DETECT_UINT_GTE:
        return h >= c->arg1;
    case DETECT_UINT_NE:
        return h != c->arg1;
    case DETECT_UINT_RANGE:
        return h > c->arg1 && h < c->arg2;
    case DETECT_UINT_NEG_RANGE:
        return h <= c->arg1 || h >= c->arg2;
    default:
        return h == c->arg1;
    }
}

bool entropy_ctx_match(const EntropyCtx *c, const uint8_t *buf, uint32_t len)
{
    double h;
    return entropy_ctx_value(c, buf, len, &h) && entropy_compare(c, h);
}

/* The flow variable name of list `list`: Suricata's buffer name (dots as
 * underscores: file.data is file_data), "content" for the payload. */
static void entropy_var_name(uint16_t list, char *out, size_t outlen)
{
    out[0] = '\0';
    const char *name = NULL;
    if (list == SIG_LIST_PMATCH) {
        name = "content";
    } else {
        const BufferDef *b = buffer_by_list(list);
        name = b ? b->name : NULL;
    }
    if (name == NULL)
        return;
    size_t i = 0;
    for (; name[i] && i + 1 < outlen; i++)
        out[i] = name[i] == '.' ? '_' : name[i];
    out[i] = '\0';
}

static bool entropy_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256] = "";
    EntropyCtx *c = entropy_parse(value, err, sizeof(err));
    if (c == NULL)
        return rule_error(rp, "%s", err[0] ? err : "invalid entropy");
    entropy_var_name(rp->current_list, c->var_name, sizeof(c->var_name));
    if (c->var_name[0]) {
        FlowVarName n = { .name = c->var_name };
        flow_var_name_hash(&n);
        c->var_hash = n.hash;
    }
    if (rule_append(rp, s, rp->current_list, kw_entropy, c) == NULL) {
        free(c);
        return rule_error(rp, "out of memory");
    }
    return true;
}

static InspectResult entropy_inspect(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                     const void *ctx)
{
    (void)dt;
    (void)s;
    const EntropyCtx *c = ctx;
    cur->retryable = false;
    double h;
    if (!entropy_ctx_value(c, cur->buf, cur->len, &h))
        return INSPECT_NO_MATCH_DISCONTINUE;
    if (c->var_name[0] && cur->p && cur->p->flow) {
        FlowVarName n = { .name = (char *)c->var_name, .hash = c->var_hash };
        (void)flow_float_set(cur->p->flow, &n, h);
    }
    return entropy_compare(c, h) ? INSPECT_MATCH : INSPECT_NO_MATCH_DISCONTINUE;
}

static uint32_t entropy_hash(const void *ctx)
{
    return hdr_hash_bytes(ctx, sizeof(EntropyCtx), 0xe7u);
}

static bool entropy_equal(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(EntropyCtx)) == 0;
}

void hdrkw_register_entropy(void)
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = "entropy";
    d.help = "compare the Shannon entropy of the buffer: [bytes N,] [offset N,] value <cmp>";
    d.setup = entropy_setup;
    d.inspect = entropy_inspect;
    d.free = free;
    d.hash = entropy_hash;
    d.equal = entropy_equal;
    kw_entropy = keyword_register(&d);
}
