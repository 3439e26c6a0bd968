/*
 * The rule parser: one line of Suricata 8 rule language into a Signature.
 *
 * A rule is `action protocol src sport direction dst dport (options)`. The
 * header is split on whitespace (brackets may hold spaces), checked and
 * turned into the signature's action, protocol bitmap, address and port
 * sets; the options are split at unescaped `;`, each `name[:value]` looked
 * up in the keyword table and handed to the keyword's setup. A `requires:`
 * option is evaluated first, so a rule written for a newer engine or a
 * missing feature is skipped silently (as Suricata does) even when its other
 * options would not parse. Errors name the problem in words a rule writer
 * understands; the caller (rule-load.c) adds the file, line and rule text.
 * This file also implements the RuleParseCtx helpers keywords use.
 */
#include "detect/rule-parse.h"
#include "detect/kw-payload.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/address.h"
#include "detect/app-proto.h"
#include "detect/buffer-registry.h"
#include "detect/file-protocols.h" /* files: protocol-less file rules */
#include "detect/header-memo.h"
#include "detect/keyword.h"
#include "detect/kw-meta.h"
#include "detect/port.h"
#include "detect/transforms.h"

#define RULE_MAX_OPTIONS 512

bool rule_error(RuleParseCtx *rp, const char *fmt, ...)
{
    if (rp->has_error)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rp->error, sizeof(rp->error), fmt, ap);
    va_end(ap);
    rp->has_error = true;
    return false;
}

void rule_parse_ctx_init(RuleParseCtx *rp, struct DetectEngine *de, Conf *conf, const char *file, int line)
{
    memset(rp, 0, sizeof(*rp));
    rp->de = de;
    rp->conf = conf;
    rp->file = file;
    rp->line = line;
    rp->current_list = SIG_LIST_PMATCH;
}

static bool is_buffer_list(uint16_t list)
{
    return list == SIG_LIST_PMATCH || list >= SIG_LIST_BUFFER_BASE;
}

SigMatch *rule_append(RuleParseCtx *rp, Signature *s, uint16_t list_id, uint16_t kw, void *ctx)
{
    SigMatchList *l = sig_list_get_or_add(s, list_id);
    if (!l) {
        rule_error(rp, "too many buffers in one rule");
        return NULL;
    }
    if (l->count == l->cap) {
        if (l->cap >= 4096) {
            rule_error(rp, "too many options in one rule");
            return NULL;
        }
        uint16_t ncap = l->cap ? (uint16_t)(l->cap * 2) : 4;
        SigMatch *n = realloc(l->items, ncap * sizeof(*n));
        if (!n) {
            rule_error(rp, "out of memory");
            return NULL;
        }
        l->items = n;
        l->cap = ncap;
    }
    SigMatch *sm = &l->items[l->count++];
    sm->kw = kw;
    sm->opt_id = 0;
    sm->ctx = ctx;
    if (is_buffer_list(list_id)) {
        rp->last_sm = sm;
        rp->last_sm_list = list_id;
        if (ctx && rp->history_count < RULE_PARSE_HISTORY_MAX)
            rp->history[rp->history_count++] = ctx;
    }
    return sm;
}

/* Finds the SigMatch holding ctx on a buffer list. */
static SigMatch *find_ctx(Signature *s, const void *ctx, uint16_t *list_out)
{
    for (uint16_t i = 0; i < s->list_count; i++) {
        SigMatchList *l = &s->lists[i];
        if (!is_buffer_list(l->list_id))
            continue;
        for (uint16_t j = 0; j < l->count; j++) {
            if (l->items[j].ctx == ctx) {
                if (list_out)
                    *list_out = l->list_id;
                return &l->items[j];
            }
        }
    }
    return NULL;
}

SigMatch *rule_last_of(RuleParseCtx *rp, Signature *s, const uint16_t *kws, int n, uint16_t *list_out)
{
    for (int h = rp->history_count - 1; h >= 0; h--) {
        uint16_t list;
        SigMatch *sm = find_ctx(s, rp->history[h], &list);
        if (!sm)
            continue;
        for (int k = 0; k < n; k++) {
            if (sm->kw == kws[k]) {
                if (list_out)
                    *list_out = list;
                return sm;
            }
        }
    }
    return NULL;
}

SigMatch *rule_move(RuleParseCtx *rp, Signature *s, SigMatch *sm, uint16_t from, uint16_t to)
{
    SigMatchList *l = sig_list_get_or_add(s, from);
    if (!l || sm < l->items || sm >= l->items + l->count) {
        rule_error(rp, "internal error: keyword not on the expected buffer");
        return NULL;
    }
    SigMatch moved = *sm;
    size_t idx = (size_t)(sm - l->items);
    memmove(&l->items[idx], &l->items[idx + 1], (l->count - idx - 1) * sizeof(SigMatch));
    l->count--;
    /* rule_append records history again; drop the older entry first */
    for (uint16_t h = 0; h < rp->history_count; h++) {
        if (rp->history[h] == moved.ctx) {
            memmove(&rp->history[h], &rp->history[h + 1], (rp->history_count - h - 1) * sizeof(rp->history[0]));
            rp->history_count--;
            break;
        }
    }
    return rule_append(rp, s, to, moved.kw, moved.ctx);
}

/* A free instance number of buffer `plain` in s, or -1. */
static int free_instance(const Signature *s, uint16_t plain)
{
    for (uint32_t k = 1; k < SIG_LIST_INSTANCE_MAX; k++) {
        uint16_t id = (uint16_t)(plain + k * SIG_LIST_INSTANCE_STEP);
        if (!sig_list(s, id))
            return (int)k;
    }
    return -1;
}

/* Adds an empty instance of buffer `plain`; NULL after an error. */
static SigMatchList *new_instance(RuleParseCtx *rp, Signature *s, uint16_t plain)
{
    int k = free_instance(s, plain);
    SigMatchList *l = k > 0 ? sig_list_get_or_add(s, (uint16_t)(plain + (unsigned)k * SIG_LIST_INSTANCE_STEP)) : NULL;
    if (!l)
        rule_error(rp, "too many buffers in one rule");
    return l;
}

uint16_t rule_list_instance(RuleParseCtx *rp, Signature *s, uint16_t plain, uint8_t dir)
{
    if (dir == 0)
        return plain;
    for (uint16_t i = 0; i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        if (sig_list_plain(l->list_id) == plain && l->dir == dir && l->transform_count == 0)
            return l->list_id;
    }
    SigMatchList *l = sig_list(s, plain) ? new_instance(rp, s, plain) : sig_list_get_or_add(s, plain);
    if (!l) {
        rule_error(rp, "too many buffers in one rule");
        return 0;
    }
    l->dir = dir;
    return l->list_id;
}

SigMatchList *rule_transform_list(RuleParseCtx *rp, Signature *s, const char *kw)
{
    if (rp->current_list == SIG_LIST_PMATCH) {
        rule_error(rp, "transform '%s' needs a sticky buffer before it (e.g. 'http.uri; %s;')", kw, kw);
        return NULL;
    }
    SigMatchList *l = sig_list_get_or_add(s, rp->current_list);
    if (!l) {
        rule_error(rp, "too many buffers in one rule");
        return NULL;
    }
    if (l->count && rp->current_list < SIG_LIST_SIDE_BASE) {
        /* a transform after a content: the next keywords inspect a new
         * buffer, the same one with this transform added */
        uint16_t from = l->list_id;
        SigMatchList *n = new_instance(rp, s, sig_list_plain(from));
        if (!n)
            return NULL;
        l = (SigMatchList *)sig_list(s, from); /* new_instance may have moved the lists */
        if (l->transform_count) {
            n->transforms = malloc(l->transform_count * sizeof(SigMatch));
            if (!n->transforms) {
                rule_error(rp, "out of memory");
                return NULL;
            }
            memcpy(n->transforms, l->transforms, l->transform_count * sizeof(SigMatch));
            n->transform_count = n->transforms_borrowed = l->transform_count;
        }
        n->dir = l->dir;
        rp->current_list = n->list_id;
        l = n;
    }
    if (l->transform_count >= TRANSFORMS_MAX) {
        rule_error(rp, "too many transforms on one buffer (max %d)", TRANSFORMS_MAX);
        return NULL;
    }
    return l;
}

static const char *var_lookup(RuleParseCtx *rp, const char *group, const char *name)
{
    if (!rp->conf)
        return NULL;
    /* vars.<group>.<name>, looked up from the group's node: formatting the
     * dotted key for each variable was most of this lookup's cost */
    const ConfNode *vars = conf_node(rp->conf, "vars");
    const ConfNode *g = vars ? conf_node_child(vars, group) : NULL;
    const char *v = NULL;
    if (!g || !conf_node_get_str(g, name, &v))
        return NULL;
    return v;
}

const char *rule_var_address(RuleParseCtx *rp, const char *name)
{
    return var_lookup(rp, "address-groups", name);
}

const char *rule_var_port(RuleParseCtx *rp, const char *name)
{
    return var_lookup(rp, "port-groups", name);
}

static const char *addr_var_cb(void *ctx, const char *name) { return rule_var_address(ctx, name); }
static const char *port_var_cb(void *ctx, const char *name) { return rule_var_port(ctx, name); }

/* A header's address field: from the memo when an earlier rule of this
 * load had the same text, else parsed (and kept there). NULL with the
 * error recorded. */
static AddressSet *header_address(RuleParseCtx *rp, const char *text, const char *what)
{
    AddressSet *set = header_memo_address(rp->memo, text);
    if (set)
        return set;
    char err[512] = "";
    set = address_set_parse(text, addr_var_cb, rp, err, sizeof(err));
    if (!set) {
        rule_error(rp, "%s: %s", what, err);
        return NULL;
    }
    header_memo_keep_address(rp->memo, text, set);
    return set;
}

/* A header's port field, as header_address. */
static PortSet *header_port(RuleParseCtx *rp, const char *text, const char *what)
{
    PortSet *set = header_memo_port(rp->memo, text);
    if (set)
        return set;
    char err[512] = "";
    set = port_set_parse(text, port_var_cb, rp, err, sizeof(err));
    if (!set) {
        rule_error(rp, "%s: %s", what, err);
        return NULL;
    }
    header_memo_keep_port(rp->memo, text, set);
    return set;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

bool rule_parse_content_string(RuleParseCtx *rp, const char *in, uint8_t **out, uint32_t *out_len)
{
    size_t n = strlen(in);
    uint8_t *buf = malloc(n + 1);
    if (!buf)
        return rule_error(rp, "out of memory");
    uint32_t len = 0;
    bool hex = false, escape = false;
    int hi = -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (hex) {
            if (c == '|') {
                if (hi >= 0) {
                    free(buf);
                    return rule_error(rp, "odd number of hex digits in content near \"%s\"", in);
                }
                hex = false;
            } else if (c == ' ' || c == '\t') {
                continue;
            } else {
                int v = hexval(c);
                if (v < 0) {
                    free(buf);
                    return rule_error(rp, "invalid hex character '%c' in content \"%s\"", c, in);
                }
                if (hi < 0) {
                    hi = v;
                } else {
                    buf[len++] = (uint8_t)(hi << 4 | v);
                    hi = -1;
                }
            }
            continue;
        }
        if (escape) {
            if (c == '"' || c == ';' || c == '\\' || c == ':' || c == '|') {
                buf[len++] = c;
                escape = false;
                continue;
            }
            free(buf);
            return rule_error(rp, "invalid escape '\\%c' in content \"%s\" (only \\\\ \\\" \\; \\: \\| are allowed)",
                              c, in);
        }
        if (c == '\\') {
            escape = true;
        } else if (c == '|') {
            hex = true;
        } else if (c == '"') {
            free(buf);
            return rule_error(rp, "unescaped '\"' in content \"%s\" (write \\\")", in);
        } else {
            buf[len++] = c;
        }
    }
    if (hex || escape) {
        free(buf);
        return rule_error(rp, hex ? "unterminated hex block ('|' missing) in content \"%s\""
                                  : "content \"%s\" ends with a lone backslash", in);
    }
    if (len == 0) {
        free(buf);
        return rule_error(rp, "content is empty");
    }
    *out = buf;
    *out_len = len;
    return true;
}

char *rule_strip_quotes(char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        memmove(s, s + 1, n - 2);
        s[n - 2] = '\0';
    }
    return s;
}

void rule_unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] && strchr("\";\\:", r[1]))
            r++;
        *w++ = *r;
    }
    *w = '\0';
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Splits the header into at most 7 whitespace-separated tokens; brackets
 * keep their inside together. Returns the count, or -1 on too many. */
static int split_header(char *h, char **tok, int max)
{
    int n = 0;
    char *p = h;
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        if (n == max)
            return -1;
        tok[n++] = p;
        int depth = 0;
        while (*p && (depth > 0 || !isspace((unsigned char)*p))) {
            if (*p == '[')
                depth++;
            else if (*p == ']' && depth > 0)
                depth--;
            p++;
        }
        if (*p)
            *p++ = '\0';
    }
    return n;
}

static bool parse_action(RuleParseCtx *rp, Signature *s, const char *a)
{
    static const struct { const char *name; SigAction act; } acts[] = {
        { "alert", SIG_ACTION_ALERT }, { "pass", SIG_ACTION_PASS }, { "drop", SIG_ACTION_DROP },
        { "reject", SIG_ACTION_REJECT }, { "rejectsrc", SIG_ACTION_REJECTSRC },
        { "rejectdst", SIG_ACTION_REJECTDST }, { "rejectboth", SIG_ACTION_REJECTBOTH },
    };
    for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
        if (strcmp(a, acts[i].name) == 0) {
            s->action = acts[i].act;
            return true;
        }
    }
    if (strcmp(a, "config") == 0) { /* conditional logging: matches, never alerts (see kw-meta.c) */
        s->action = SIG_ACTION_ALERT;
        s->flags |= SIG_FLAG_CONFIG | SIG_FLAG_NOALERT;
        return true;
    }
    if (strcmp(a, "accept") == 0)
        return rule_error(rp, "action '%s' is only valid in firewall rules, which Odlar does not support", a);
    return rule_error(rp, "unknown action '%s' (expected alert, pass, drop, reject, rejectsrc, rejectdst or rejectboth)",
                      a);
}

static void proto_set(Signature *s, uint8_t p) { s->proto[p / 8] |= (uint8_t)(1u << (p % 8)); }

static bool parse_proto(RuleParseCtx *rp, Signature *s, const char *p)
{
    char lower[64];
    size_t n = strlen(p);
    if (n >= sizeof(lower))
        return rule_error(rp, "unknown protocol '%s'", p);
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)tolower((unsigned char)p[i]);
    if (strcmp(lower, "ip") == 0 || strcmp(lower, "ipv4") == 0 || strcmp(lower, "ipv6") == 0) {
        s->proto_any = true;
    } else if (strcmp(lower, "pkthdr") == 0) {
        s->proto_any = true;
        s->flags |= SIG_FLAG_PKTHDR;
    } else if (strcmp(lower, "tcp") == 0) {
        proto_set(s, 6);
    } else if (strcmp(lower, "tcp-pkt") == 0) {
        proto_set(s, 6);
        s->flags |= SIG_FLAG_PROTO_TCP_PKT;
    } else if (strcmp(lower, "tcp-stream") == 0) {
        proto_set(s, 6);
        s->flags |= SIG_FLAG_PROTO_TCP_STREAM;
    } else if (strcmp(lower, "udp") == 0) {
        proto_set(s, 17);
    } else if (strcmp(lower, "icmp") == 0) {
        proto_set(s, 1);
        proto_set(s, 58);
    } else if (strcmp(lower, "icmpv4") == 0) {
        proto_set(s, 1);
    } else if (strcmp(lower, "icmpv6") == 0) {
        proto_set(s, 58);
    } else if (strcmp(lower, "sctp") == 0) {
        proto_set(s, 132);
    } else {
        const AppProtoInfo *ap = app_proto_by_name(lower);
        if (!ap)
            return rule_error(rp, "unknown protocol '%s'", p);
        if (!ap->implemented)
            return rule_error(rp, "protocol '%s' is not supported yet", p);
        s->app_proto = ap->id;
        if (strcmp(lower, "http1") == 0) /* `http` is HTTP/1 or HTTP/2, `http1` HTTP/1 alone */
            s->flags |= SIG_FLAG_HTTP1_ONLY;
        if (ap->ipproto == 0 || ap->ipproto == 6)
            proto_set(s, 6);
        if (ap->ipproto == 0 || ap->ipproto == 17)
            proto_set(s, 17);
    }
    return true;
}

/* Pins the sticky buffer just selected to one direction (it must exist in
 * that direction). */
static bool sticky_to_dir(RuleParseCtx *rp, Signature *s, const char *name, uint8_t dir)
{
    const BufferDef *b = buffer_by_list(rp->current_list);
    if (!b || !(b->dirs & dir))
        return rule_error(rp, "'%s' does not exist in direction %s", name,
                          dir == BUF_DIR_TOCLIENT ? "to_client" : "to_server");
    uint16_t id = rule_list_instance(rp, s, sig_list_plain(rp->current_list), dir);
    if (!id)
        return false;
    rp->current_list = id;
    return true;
}

/* The option part: splits at unescaped ';' and runs every keyword. When
 * `requires_only`, only evaluates requires: (pre-pass). */
static bool parse_options(RuleParseCtx *rp, Signature *s, const char *opts_in, bool requires_only)
{
    char *opts = strdup(opts_in);
    if (!opts)
        return rule_error(rp, "out of memory");
    char *p = opts;
    int count = 0;
    bool ok = true;
    while (ok) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        if (++count > RULE_MAX_OPTIONS) {
            ok = rule_error(rp, "too many options (more than %d)", RULE_MAX_OPTIONS);
            break;
        }
        /* find the end of this option: the first ';' not escaped (strcspn
         * jumps to the next ';' or '\\'; byte by byte this scan was a sixth
         * of ET Open's parse) */
        char *end = p + strcspn(p, ";\\");
        while (*end == '\\') {
            end += end[1] ? 2 : 1;
            end += strcspn(end, ";\\");
        }
        if (!*end) {
            ok = rule_error(rp, "option '%s' is not terminated by ';'", trim(p));
            break;
        }
        *end = '\0';
        char *name = p, *value = NULL;
        char *colon = strchr(p, ':');
        if (colon) {
            *colon = '\0';
            value = colon + 1;
            if (!requires_only) /* the pre-pass needs the value of requires: alone */
                value = trim(value);
        }
        name = trim(name);
        p = end + 1;
        if (!*name) {
            ok = rule_error(rp, "empty option (a stray ';')");
            break;
        }
        if (requires_only) {
            if (strcmp(name, "requires") == 0) {
                bool met = true;
                if (value)
                    value = trim(value);
                if (!value || !*value || !meta_requires_check(rp, value, &met)) {
                    if (!rp->has_error)
                        rule_error(rp, "requires needs a value such as 'feature geoip, version >= 8'");
                    ok = false;
                } else if (!met) {
                    rp->skipped = true;
                    ok = false;
                }
            }
            continue;
        }
        int kw = keyword_lookup(name);
        if (kw < 0) {
            ok = rule_error(rp, "unknown rule keyword '%s'", name);
            break;
        }
        const KeywordDef *def = keyword_get((uint16_t)kw);
        uint8_t sticky_dir = 0; /* `http.connection: to_client;` */
        /* (a sticky buffer with a value of its own, such as frame:, keeps it) */
        if ((def->flags & KW_STICKY_BUFFER) && (def->flags & KW_NOOPT) && value) {
            if (strcmp(value, "to_client") == 0) {
                sticky_dir = BUF_DIR_TOCLIENT;
            } else if (strcmp(value, "to_server") == 0) {
                sticky_dir = BUF_DIR_TOSERVER;
            } else {
                ok = rule_error(rp, "'%s' takes no value other than to_client or to_server", name);
                break;
            }
            value = NULL;
        }
        if ((def->flags & KW_NOOPT) && value) {
            ok = rule_error(rp, "'%s' takes no value (write '%s;')", name, name);
            break;
        }
        if (!(def->flags & (KW_NOOPT | KW_OPTIONAL_VALUE)) && (!value || !*value)) {
            ok = rule_error(rp, "'%s' needs a value ('%s:<value>;')", name, name);
            break;
        }
        if (value && (def->flags & KW_QUOTES_MANDATORY)) {
            size_t vl = strlen(value);
            if (vl < 2 || value[0] != '"' || value[vl - 1] != '"') {
                ok = rule_error(rp, "the value of '%s' must be in double quotes", name);
                break;
            }
            rule_strip_quotes(value);
        } else if (value && (def->flags & KW_QUOTES_OPTIONAL)) {
            rule_strip_quotes(value);
        }
        if (!def->setup) {
            ok = rule_error(rp, "keyword '%s' cannot be used in rules", name);
            break;
        }
        if (!def->setup(rp, s, value)) {
            if (!rp->has_error)
                rule_error(rp, "invalid value for '%s'", name);
            ok = false;
            break;
        }
        if (sticky_dir && !sticky_to_dir(rp, s, name, sticky_dir)) {
            ok = false;
            break;
        }
        if (rp->skipped) {
            ok = false;
            break;
        }
    }
    free(opts);
    return ok;
}

/* The direction(s) list l inspects: its pinned one, else its buffer's. */
static unsigned list_dirs(const SigMatchList *l)
{
    const BufferDef *b = buffer_by_list(l->list_id);
    return l->dir ? l->dir : b ? b->dirs : 0;
}

/* Suricata 8's direction checks. A `=>` rule inspects one transaction in
 * both directions: it must use a buffer of each direction, may not give a
 * flow direction, and may not use a buffer of both directions without
 * pinning it (`http.connection: to_client;`). Any other rule may not ask,
 * through flow:, for the direction opposite to one of its buffers'. */
static bool check_directions(RuleParseCtx *rp, Signature *s)
{
    unsigned seen = 0;
    bool ambiguous = false;
    for (uint16_t i = 0; i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        if (!l->count || !buffer_is_app_list(l->list_id))
            continue;
        unsigned d = list_dirs(l);
        if (d == BUF_DIR_BOTH)
            ambiguous = true;
        else
            seen |= d;
        if (!(s->flags & SIG_FLAG_TXBOTHDIR) && (((s->flags & SIG_FLAG_TOCLIENT) && d == BUF_DIR_TOSERVER) ||
                                                 ((s->flags & SIG_FLAG_TOSERVER) && d == BUF_DIR_TOCLIENT)))
            return rule_error(rp, "rule %u mixes keywords with conflicting directions", s->sid);
    }
    if (!(s->flags & SIG_FLAG_TXBOTHDIR))
        return true;
    if (s->flags & (SIG_FLAG_TOSERVER | SIG_FLAG_TOCLIENT))
        return rule_error(rp, "rule %u means to use both directions, cannot specify a flow direction", s->sid);
    if (ambiguous)
        return rule_error(rp, "rule %u means to use both directions, cannot have keywords ambiguous about directions",
                          s->sid);
    if (seen != BUF_DIR_BOTH)
        return rule_error(rp, "rule %u should use both directions, but does not", s->sid);
    return true;
}

/* Post-parse checks and derived flags. */
static bool finish_signature(RuleParseCtx *rp, Signature *s)
{
    if (s->sid == 0)
        return rule_error(rp, "rule has no sid (every rule needs 'sid:<number>;')");
    if (s->src && address_set_is_any(s->src))
        s->flags |= SIG_FLAG_SRC_ANY;
    if (s->dst && address_set_is_any(s->dst))
        s->flags |= SIG_FLAG_DST_ANY;
    if (s->sp && port_set_is_any(s->sp))
        s->flags |= SIG_FLAG_SP_ANY;
    if (s->dp && port_set_is_any(s->dp))
        s->flags |= SIG_FLAG_DP_ANY;
    bool has_opts = false;
    for (uint16_t i = 0; i < s->list_count; i++) {
        if (s->lists[i].count && s->lists[i].list_id != SIG_LIST_SUPPRESS && s->lists[i].list_id != SIG_LIST_POSTMATCH)
            has_opts = true;
    }
    if (!has_opts && !s->app_proto && !(s->flags & SIG_FLAG_FLOW_SET))
        s->flags |= SIG_FLAG_IPONLY;
    if ((s->flags & SIG_FLAG_PROTO_TCP_PKT) && (s->flags & SIG_FLAG_ONLY_STREAM))
        return rule_error(rp, "protocol tcp-pkt cannot be combined with flow:only_stream");
    if ((s->flags & SIG_FLAG_PROTO_TCP_STREAM) && (s->flags & SIG_FLAG_NO_STREAM))
        return rule_error(rp, "protocol tcp-stream cannot be combined with flow:no_stream");
    if (s->flags & SIG_FLAG_PROTO_TCP_PKT)
        s->flags |= SIG_FLAG_NO_STREAM;
    if (s->flags & SIG_FLAG_PROTO_TCP_STREAM)
        s->flags |= SIG_FLAG_ONLY_STREAM;
    if (!(s->flags & SIG_FLAG_ONLY_STREAM) && payload_requires_packet(s))
        s->flags |= SIG_FLAG_NO_STREAM;
    if (!(s->flags & (SIG_FLAG_NO_STREAM | SIG_FLAG_ONLY_STREAM)) && payload_inspects_packets_too(s))
        s->flags |= SIG_FLAG_STREAM_AND_PACKET;
    if (!check_directions(rp, s))
        return false;
    if (s->priority == 0)
        s->priority = 3;
    /* content lengths against dsize/bsize, as Suricata checks them */
    return payload_validate_signature(rp, s);
}

Signature *rule_parse(RuleParseCtx *rp, const char *text)
{
    char *copy = strdup(text);
    Signature *s = signature_new();
    if (!copy || !s) {
        free(copy);
        free(s);
        rule_error(rp, "out of memory");
        return NULL;
    }
    char *line = trim(copy);
    char *open = strchr(line, '(');
    char *close = strrchr(line, ')');
    if (!open || !close || close < open) {
        rule_error(rp, "rule has no option section '( ... )'");
        goto fail;
    }
    if (*trim(close + 1)) {
        rule_error(rp, "unexpected text after the closing ')'");
        goto fail;
    }
    *open = '\0';
    *close = '\0';
    char *opts = open + 1;
    /* requires: first, so a skipped rule never reports other errors */
    if (!parse_options(rp, s, opts, true)) {
        if (rp->skipped || rp->has_error)
            goto fail;
    }
    char *tok[8];
    int n = split_header(line, tok, 7);
    if (n != 7) {
        rule_error(rp, "invalid rule header: expected 7 fields 'action protocol src_addr src_port direction dst_addr "
                       "dst_port', got %s%d", n < 0 ? "more than " : "", n < 0 ? 7 : n);
        goto fail;
    }
    if (!parse_action(rp, s, tok[0]) || !parse_proto(rp, s, tok[1]))
        goto fail;
    const uint16_t header_app_proto = s->app_proto; /* files: protocol-less file rules */
    if (strcmp(tok[4], "<>") == 0) {
        s->flags |= SIG_FLAG_BIDIRECTIONAL;
    } else if (strcmp(tok[4], "=>") == 0) {
        s->flags |= SIG_FLAG_TXBOTHDIR; /* addresses as with '->' */
    } else if (strcmp(tok[4], "->") != 0) {
        if (strcmp(tok[4], "<-") == 0)
            rule_error(rp, "direction '<-' is not valid: write the rule with '->' and swap the addresses");
        else
            rule_error(rp, "invalid direction '%s' (expected '->', '<>' or '=>')", tok[4]);
        goto fail;
    }
    if (!(s->src = header_address(rp, tok[2], "source address")) ||
        !(s->dst = header_address(rp, tok[5], "destination address")) ||
        !(s->sp = header_port(rp, tok[3], "source port")) || !(s->dp = header_port(rp, tok[6], "destination port")))
        goto fail;
    if (!parse_options(rp, s, opts, false))
        goto fail;
    if (!finish_signature(rp, s))
        goto fail;
    file_rule_mark_any_proto(s, header_app_proto); /* files */
    s->line = rp->line;
    free(copy);
    return s;
fail:
    if (!rp->has_error && !rp->skipped)
        rule_error(rp, "invalid rule");
    free(copy);
    signature_free(s);
    return NULL;
}
