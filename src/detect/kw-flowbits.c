/*
 * flowbits: named bits on the flow. `set`, `unset` and `toggle` act after
 * the rule matched; `isset` and `isnotset` are conditions, and take an OR
 * group `isset,a|b|c` (true when any member is set / any is not set);
 * `noalert` suppresses the rule's alerts. Commands are lower case; names may
 * not contain spaces; an OR group has at most 100 members. Without a flow the
 * conditions are false, as in Suricata.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-flowvars.h"
#include "detect/rule-parse.h"

#define FLOWBITS_MAX_OR 100

void flowbits_free(void *ctx)
{
    FlowbitsCtx *c = ctx;
    if (c == NULL)
        return;
    for (uint8_t i = 0; i < c->count; i++)
        free(c->names[i].name);
    free(c->names);
    free(c);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

FlowbitsCtx *flowbits_parse(const char *value, bool *noalert, char *err, size_t errlen)
{
    *noalert = false;
    const char *v = value ? value : "";
    const char *p = v;
    const char *cmd_start = p;
    while (*p >= 'a' && *p <= 'z')
        p++;
    size_t cl = (size_t)(p - cmd_start);
    if (cl == 0 || (*p != '\0' && *p != ',')) {
        snprintf(err, errlen, "\"%s\" is not a valid setting for flowbits: expected <command>[,<name>]", v);
        return NULL;
    }
    static const struct {
        const char *s;
        uint8_t cmd;
    } cmds[] = {
        {"set", FLOWBITS_SET}, {"unset", FLOWBITS_UNSET}, {"toggle", FLOWBITS_TOGGLE},
        {"isset", FLOWBITS_ISSET}, {"isnotset", FLOWBITS_ISNOTSET}, {"noalert", FLOWBITS_NOALERT},
    };
    uint8_t cmd = 0;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (strlen(cmds[i].s) == cl && strncmp(cmd_start, cmds[i].s, cl) == 0)
            cmd = cmds[i].cmd;
    if (cmd == 0) {
        snprintf(err, errlen, "flowbits action \"%.*s\" is not supported (set, unset, toggle, isset, isnotset, noalert)",
                (int)cl, cmd_start);
        return NULL;
    }
    char namebuf[256] = "";
    if (*p == ',') {
        p++;
        while (isspace((unsigned char)*p))
            p++;
        if (strlen(p) >= sizeof(namebuf)) {
            snprintf(err, errlen, "flowbits name too long in \"%s\"", v);
            return NULL;
        }
        strcpy(namebuf, p);
    }
    char *name = trim(namebuf);
    if (cmd == FLOWBITS_NOALERT) {
        if (*name != '\0') {
            snprintf(err, errlen, "flowbits:noalert takes no name (got \"%s\")", name);
            return NULL;
        }
        *noalert = true;
        return NULL;
    }
    if (*name == '\0') {
        snprintf(err, errlen, "flowbits:%.*s needs a flowbit name", (int)cl, cmd_start);
        return NULL;
    }
    char *members[FLOWBITS_MAX_OR];
    int count = 0;
    if (strchr(name, '|') == NULL) {
        for (const char *c = name; *c; c++)
            if (isblank((unsigned char)*c)) {
                snprintf(err, errlen, "spaces are not allowed in flowbit names (\"%s\")", name);
                return NULL;
            }
        members[count++] = name;
    } else {
        if (cmd != FLOWBITS_ISSET && cmd != FLOWBITS_ISNOTSET) {
            snprintf(err, errlen, "flowbits OR groups (a|b) only work with isset and isnotset");
            return NULL;
        }
        char *save = NULL;
        for (char *tok = strtok_r(name, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
            tok = trim(tok);
            if (*tok == '\0')
                continue;
            if (strchr(tok, ' ') != NULL) {
                snprintf(err, errlen, "spaces are not allowed in flowbit names (\"%s\")", tok);
                return NULL;
            }
            if (count == FLOWBITS_MAX_OR) {
                snprintf(err, errlen, "too many flowbits in an OR group (at most %d)", FLOWBITS_MAX_OR);
                return NULL;
            }
            members[count++] = tok;
        }
        if (count == 0) {
            snprintf(err, errlen, "no valid flowbits in \"%s\"", v);
            return NULL;
        }
    }
    FlowbitsCtx *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->names = calloc((size_t)count, sizeof(*c->names));
    if (c->names == NULL) {
        free(c);
        return NULL;
    }
    c->cmd = cmd;
    for (int i = 0; i < count; i++) {
        c->names[i].name = strdup(members[i]);
        if (c->names[i].name == NULL) {
            flowbits_free(c);
            return NULL;
        }
        c->count++;
        flow_var_name_hash(&c->names[i]);
    }
    return c;
}

bool flowbits_match(const Packet *p, const FlowbitsCtx *c)
{
    Flow *f = p->flow;
    if (f == NULL)
        return false;
    for (uint8_t i = 0; i < c->count; i++) {
        bool set = flow_bit_isset(f, &c->names[i]);
        if (c->cmd == FLOWBITS_ISSET && set)
            return true;
        if (c->cmd == FLOWBITS_ISNOTSET && !set)
            return true;
    }
    return false;
}

void flowbits_post(const Packet *p, const FlowbitsCtx *c)
{
    Flow *f = p->flow;
    if (f == NULL || c->count == 0)
        return;
    switch (c->cmd) {
    case FLOWBITS_SET:
        flow_bit_set(f, &c->names[0]);
        break;
    case FLOWBITS_UNSET:
        flow_bit_unset(f, &c->names[0]);
        break;
    case FLOWBITS_TOGGLE:
        flow_bit_toggle(f, &c->names[0]);
        break;
    default:
        break;
    }
}

bool flowbits_conflict(const FlowbitsCtx *a, const FlowbitsCtx *b)
{
    bool opposite = (a->cmd == FLOWBITS_ISSET && b->cmd == FLOWBITS_ISNOTSET) ||
            (a->cmd == FLOWBITS_ISNOTSET && b->cmd == FLOWBITS_ISSET);
    if (!opposite || a->count != 1 || b->count != 1)
        return false;
    return strcmp(a->names[0].name, b->names[0].name) == 0;
}

/* ---- the keyword: setup (conditions on SIG_LIST_MATCH, actions on
 * SIG_LIST_POSTMATCH), evaluation wrappers, hash/equal, descriptor ---- */

static uint16_t kw_flowbits;

static bool flowbits_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[512] = "";
    bool noalert = false;
    FlowbitsCtx *c = flowbits_parse(value, &noalert, err, sizeof(err));
    if (c == NULL) {
        if (noalert) {
            s->flags |= SIG_FLAG_NOALERT;
            return true;
        }
        return rule_error(rp, "%s", err[0] ? err : "invalid flowbits");
    }
    bool cond = c->cmd == FLOWBITS_ISSET || c->cmd == FLOWBITS_ISNOTSET;
    if (cond) {
        for (uint16_t i = 0; i < s->list_count; i++) {
            const SigMatchList *l = &s->lists[i];
            if (l->list_id != SIG_LIST_MATCH)
                continue;
            for (uint16_t j = 0; j < l->count; j++)
                if (l->items[j].kw == kw_flowbits && flowbits_conflict(l->items[j].ctx, c)) {
                    flowbits_free(c);
                    return rule_error(rp,
                            "invalid flowbit command combination in the same signature: isset "
                            "and isnotset");
                }
        }
    }
    if (rule_append(rp, s, cond ? SIG_LIST_MATCH : SIG_LIST_POSTMATCH, kw_flowbits, c) == NULL) {
        flowbits_free(c);
        return rule_error(rp, "out of memory");
    }
    return true;
}

static bool flowbits_match_kw(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    return flowbits_match(p, ctx);
}

static void flowbits_post_kw(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    flowbits_post(p, ctx);
}

static uint32_t flowbits_hash(const void *ctx)
{
    const FlowbitsCtx *c = ctx;
    uint32_t h = 2166136261u ^ c->cmd;
    for (uint8_t i = 0; i < c->count; i++)
        h = flowvar_name_hash_mix(h, &c->names[i]);
    return h;
}

static bool flowbits_equal(const void *a, const void *b)
{
    const FlowbitsCtx *x = a, *y = b;
    if (x->cmd != y->cmd || x->count != y->count)
        return false;
    for (uint8_t i = 0; i < x->count; i++)
        if (!flowvar_name_equal(&x->names[i], &y->names[i]))
            return false;
    return true;
}

void flowvars_register_flowbits(void)
{
    kw_flowbits = keyword_register(&(const KeywordDef){
            .name = "flowbits",
            .help = "operate on flow flags: set, unset, toggle, isset, isnotset (a|b), noalert",
            .setup = flowbits_setup,
            .match_packet = flowbits_match_kw,
            .post_match = flowbits_post_kw,
            .free = flowbits_free,
            .hash = flowbits_hash,
            .equal = flowbits_equal,
    });
}
