/*
 * hostbits (Suricata 8): named bits kept per host rather than per flow,
 * `hostbits:<set|unset|toggle|isset|isnotset>,<name>[,<src|dst>][,expire <seconds>]`
 * and `hostbits:noalert;`. The host is the packet's source address (the
 * default) or its destination. A set bit lives `expire` seconds of packet
 * time (default 30, as Suricata's host table timeout).
 *
 * hostbits are xbits with `track ip_src` / `track ip_dst`: the same store
 * (kw-xbits.c, one per worker thread) holds both, so `hostbits:set,x,dst`
 * and `xbits:isset,x,track ip_dst` see the same bit, as the two keywords
 * share Suricata's host table. isset/isnotset are packet keywords on
 * SIG_LIST_MATCH; set/unset/toggle run after the whole rule matched.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-flowvars.h"
#include "detect/kw-hdrkw.h"
#include "detect/rule-parse.h"

static uint16_t kw_hostbits;

/* Copies the next comma-separated field of *p (trimmed) into out. */
static bool next_field(const char **p, char *out, size_t outlen)
{
    const char *s = *p;
    while (isspace((unsigned char)*s))
        s++;
    const char *e = s;
    while (*e && *e != ',')
        e++;
    const char *t = e;
    while (t > s && isspace((unsigned char)t[-1]))
        t--;
    size_t n = (size_t)(t - s);
    if (n >= outlen)
        return false;
    memcpy(out, s, n);
    out[n] = '\0';
    *p = *e == ',' ? e + 1 : e;
    return true;
}

XbitsCtx *hostbits_parse(const char *value, bool *noalert, char *err, size_t errlen)
{
    *noalert = false;
    const char *p = value ? value : "";
    char cmd_s[16], name[256], opt[64];
    if (!next_field(&p, cmd_s, sizeof(cmd_s))) {
        snprintf(err, errlen, "hostbits: invalid command in \"%s\"", value ? value : "");
        return NULL;
    }
    static const struct {
        const char *s;
        uint8_t cmd;
    } cmds[] = {
        {"set", XBITS_SET}, {"unset", XBITS_UNSET}, {"toggle", XBITS_TOGGLE},
        {"isset", XBITS_ISSET}, {"isnotset", XBITS_ISNOTSET},
    };
    uint8_t cmd = 0;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (strcmp(cmd_s, cmds[i].s) == 0)
            cmd = cmds[i].cmd;
    if (strcmp(cmd_s, "noalert") == 0) {
        if (*p != '\0') {
            snprintf(err, errlen, "hostbits:noalert takes no name");
            return NULL;
        }
        *noalert = true;
        return NULL;
    }
    if (cmd == 0) {
        snprintf(err, errlen, "hostbits command \"%s\" is not supported (set, unset, toggle, isset, isnotset, noalert)",
                 cmd_s);
        return NULL;
    }
    if (*p == '\0' || !next_field(&p, name, sizeof(name)) || name[0] == '\0') {
        snprintf(err, errlen, "hostbits:%s needs a bit name", cmd_s);
        return NULL;
    }
    for (const char *c = name; *c; c++)
        if (isspace((unsigned char)*c)) {
            snprintf(err, errlen, "spaces are not allowed in hostbits names (\"%s\")", name);
            return NULL;
        }
    uint8_t track = XBITS_TRACK_IP_SRC;
    uint64_t expire = XBITS_EXPIRE_DEFAULT;
    while (*p != '\0') {
        if (!next_field(&p, opt, sizeof(opt))) {
            snprintf(err, errlen, "hostbits: option too long in \"%s\"", value);
            return NULL;
        }
        if (strcmp(opt, "src") == 0) {
            track = XBITS_TRACK_IP_SRC;
        } else if (strcmp(opt, "dst") == 0) {
            track = XBITS_TRACK_IP_DST;
        } else if (strncmp(opt, "expire", 6) == 0 && isspace((unsigned char)opt[6])) {
            const char *d = opt + 6;
            while (isspace((unsigned char)*d))
                d++;
            char *end = NULL;
            unsigned long long e = strtoull(d, &end, 10);
            if (!isdigit((unsigned char)*d) || *end != '\0' || e == 0 || e > UINT32_MAX) {
                snprintf(err, errlen, "hostbits: invalid expire value in \"%s\"", value);
                return NULL;
            }
            expire = e;
        } else {
            snprintf(err, errlen, "hostbits: unknown option '%s' (src, dst or expire <seconds>)", opt);
            return NULL;
        }
    }
    XbitsCtx *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->cmd = cmd;
    c->track = track;
    c->expire = (uint32_t)expire;
    c->name.name = strdup(name);
    if (c->name.name == NULL) {
        free(c);
        return NULL;
    }
    flow_var_name_hash(&c->name);
    return c;
}

static bool hostbits_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[512] = "";
    bool noalert = false;
    XbitsCtx *c = hostbits_parse(value, &noalert, err, sizeof(err));
    if (noalert) {
        s->flags |= SIG_FLAG_NOALERT;
        return true;
    }
    if (c == NULL)
        return rule_error(rp, "%s", err[0] ? err : "invalid hostbits");
    bool cond = c->cmd == XBITS_ISSET || c->cmd == XBITS_ISNOTSET;
    if (rule_append(rp, s, cond ? SIG_LIST_MATCH : SIG_LIST_POSTMATCH, kw_hostbits, c) == NULL) {
        xbits_free(c);
        return rule_error(rp, "out of memory");
    }
    return true;
}

static bool hostbits_match(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    return xbits_match_store(xbits_thread_store(), p, ctx);
}

static void hostbits_post(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    xbits_post_store(xbits_thread_store(), p, ctx);
}

static uint32_t hostbits_hash(const void *ctx)
{
    const XbitsCtx *c = ctx;
    return c->name.hash ^ c->cmd ^ ((uint32_t)c->track << 8) ^ (c->expire << 16) ^ 0x4b1du;
}

static bool hostbits_equal(const void *a, const void *b)
{
    const XbitsCtx *x = a, *y = b;
    return x->cmd == y->cmd && x->track == y->track && x->expire == y->expire && x->name.hash == y->name.hash &&
           strcmp(x->name.name, y->name.name) == 0;
}

void hdrkw_register_hostbits(void)
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = "hostbits";
    d.help = "operate on per-host bits: set, unset, toggle, isset, isnotset,<name>[,src|dst][,expire N]; noalert";
    d.setup = hostbits_setup;
    d.match_packet = hostbits_match;
    d.post_match = hostbits_post;
    d.free = xbits_free;
    d.hash = hostbits_hash;
    d.equal = hostbits_equal;
    kw_hostbits = keyword_register(&d);
}
