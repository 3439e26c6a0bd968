/*
 * flowint: named 32-bit integers on the flow, as Suricata 8 writes them:
 * `flowint:<name>,<op>[,]<value-or-var>`. Names start with a letter and are
 * at least two characters of letters, digits, _ . /; a value is up to ten
 * digits (at most 4294967295) or another flowint's name. `=`, `+` and `-`
 * are actions (a `+` on a missing variable creates it with the value; a `-`
 * on a missing variable does nothing); `==` `!=` `<` `<=` `>` `>=` compare
 * (false when the variable is missing; a missing target variable counts as
 * 0); `isset` and `notset`/`isnotset` test existence. Arithmetic wraps
 * modulo 2^32.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-flowvars.h"
#include "detect/rule-parse.h"

void flowint_free(void *ctx)
{
    FlowintCtx *c = ctx;
    if (c == NULL)
        return;
    free(c->name.name);
    free(c->target.name);
    free(c);
}

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '/';
}

FlowintCtx *flowint_parse(const char *value, char *err, size_t errlen)
{
    const char *v = value ? value : "";
    const char *p = v;
    while (isspace((unsigned char)*p))
        p++;
    const char *ns = p;
    if (!isalpha((unsigned char)*p))
        goto syntax;
    while (name_char(*p))
        p++;
    size_t nl = (size_t)(p - ns);
    if (nl < 2)
        goto syntax;
    while (isspace((unsigned char)*p))
        p++;
    if (*p++ != ',')
        goto syntax;
    while (isspace((unsigned char)*p))
        p++;
    static const struct {
        const char *s;
        uint8_t op;
    } ops[] = {
        {"isnotset", FLOWINT_NOTSET}, {"isset", FLOWINT_ISSET}, {"notset", FLOWINT_NOTSET},
        {"==", FLOWINT_EQ}, {"!=", FLOWINT_NE}, {"<=", FLOWINT_LE}, {">=", FLOWINT_GE},
        {"<", FLOWINT_LT}, {">", FLOWINT_GT}, {"=", FLOWINT_SET}, {"+", FLOWINT_ADD},
        {"-", FLOWINT_SUB},
    };
    uint8_t op = 0;
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        size_t l = strlen(ops[i].s);
        if (strncmp(p, ops[i].s, l) == 0) {
            op = ops[i].op;
            p += l;
            break;
        }
    }
    if (op == 0) {
        snprintf(err, errlen,
                "invalid flowint operator in '%s': expected one of = + - == != < <= > >= isset "
                "notset isnotset",
                v);
        return NULL;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == ',')
        p++;
    while (isspace((unsigned char)*p))
        p++;
    const char *ts = p;
    bool is_var = false;
    uint64_t num = 0;
    if (isalpha((unsigned char)*p)) {
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
        if (p - ts < 2)
            goto syntax;
        is_var = true;
    } else if (isdigit((unsigned char)*p)) {
        int digits = 0;
        while (isdigit((unsigned char)*p)) {
            num = num * 10 + (uint64_t)(*p - '0');
            if (++digits > 10)
                goto syntax;
            p++;
        }
        if (num > UINT32_MAX) {
            snprintf(err, errlen, "flowint value in '%s' is out of range 0-4294967295", v);
            return NULL;
        }
    }
    size_t tl = (size_t)(p - ts);
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '\0')
        goto syntax;
    if (tl == 0 && op != FLOWINT_ISSET && op != FLOWINT_NOTSET) {
        snprintf(err, errlen, "flowint '%s': this operator needs a value or a variable", v);
        return NULL;
    }
    FlowintCtx *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->op = op;
    c->name.name = strndup(ns, nl);
    if (c->name.name == NULL)
        goto oom;
    flow_var_name_hash(&c->name);
    if (op != FLOWINT_ISSET && op != FLOWINT_NOTSET) {
        if (is_var) {
            c->target_is_var = true;
            c->target.name = strndup(ts, tl);
            if (c->target.name == NULL)
                goto oom;
            flow_var_name_hash(&c->target);
        } else {
            c->value = (uint32_t)num;
        }
    }
    return c;
oom:
    flowint_free(c);
    snprintf(err, errlen, "out of memory");
    return NULL;
syntax:
    snprintf(err, errlen,
            "\"%s\" is not a valid setting for flowint: expected <name>,<op>,<value or variable>",
            v);
    return NULL;
}

bool flowint_is_action(const FlowintCtx *c)
{
    return c->op == FLOWINT_SET || c->op == FLOWINT_ADD || c->op == FLOWINT_SUB;
}

static uint32_t target_value(const Flow *f, const FlowintCtx *c)
{
    uint32_t t = 0;
    if (!c->target_is_var)
        return c->value;
    if (!flow_int_get(f, &c->target, &t))
        t = 0;
    return t;
}

bool flowint_match(const Packet *p, const FlowintCtx *c)
{
    const Flow *f = p->flow;
    uint32_t cur;
    if (f == NULL)
        return false;
    bool have = flow_int_get(f, &c->name, &cur);
    if (c->op == FLOWINT_ISSET)
        return have;
    if (c->op == FLOWINT_NOTSET)
        return !have;
    if (!have)
        return false;
    uint32_t t = target_value(f, c);
    switch (c->op) {
    case FLOWINT_EQ:
        return cur == t;
    case FLOWINT_NE:
        return cur != t;
    case FLOWINT_LT:
        return cur < t;
    case FLOWINT_LE:
        return cur <= t;
    case FLOWINT_GT:
        return cur > t;
    case FLOWINT_GE:
        return cur >= t;
    default:
        return false;
    }
}

void flowint_post(const Packet *p, const FlowintCtx *c)
{
    Flow *f = p->flow;
    uint32_t cur;
    if (f == NULL)
        return;
    uint32_t t = target_value(f, c);
    bool have = flow_int_get(f, &c->name, &cur);
    switch (c->op) {
    case FLOWINT_SET:
        flow_int_set(f, &c->name, t);
        break;
    case FLOWINT_ADD:
        flow_int_set(f, &c->name, have ? cur + t : t);
        break;
    case FLOWINT_SUB:
        if (have)
            flow_int_set(f, &c->name, cur - t);
        break;
    default:
        break;
    }
}

/* ---- the keyword: setup (conditions on SIG_LIST_MATCH, actions on
 * SIG_LIST_POSTMATCH), evaluation wrappers, hash/equal, descriptor ---- */

static uint16_t kw_flowint;

static bool flowint_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[512] = "";
    FlowintCtx *c = flowint_parse(value, err, sizeof(err));
    if (c == NULL)
        return rule_error(rp, "%s", err[0] ? err : "invalid flowint");
    if (rule_append(rp, s, flowint_is_action(c) ? SIG_LIST_POSTMATCH : SIG_LIST_MATCH, kw_flowint, c) ==
            NULL) {
        flowint_free(c);
        return rule_error(rp, "out of memory");
    }
    return true;
}

static bool flowint_match_kw(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    return flowint_match(p, ctx);
}

static void flowint_post_kw(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    flowint_post(p, ctx);
}

static uint32_t flowint_hash(const void *ctx)
{
    const FlowintCtx *c = ctx;
    uint32_t h = flowvar_name_hash_mix(2166136261u ^ c->op, &c->name);
    return c->target_is_var ? flowvar_name_hash_mix(h, &c->target) : (h ^ c->value) * 16777619u;
}

static bool flowint_equal(const void *a, const void *b)
{
    const FlowintCtx *x = a, *y = b;
    return x->op == y->op && x->target_is_var == y->target_is_var && x->value == y->value &&
            flowvar_name_equal(&x->name, &y->name) && flowvar_name_equal(&x->target, &y->target);
}

void flowvars_register_flowint(void)
{
    kw_flowint = keyword_register(&(const KeywordDef){
            .name = "flowint",
            .help = "operate on a per-flow integer: <name>,<op>,<value|var>",
            .setup = flowint_setup,
            .match_packet = flowint_match_kw,
            .post_match = flowint_post_kw,
            .free = flowint_free,
            .hash = flowint_hash,
            .equal = flowint_equal,
    });
}
