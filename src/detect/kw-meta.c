/*
 * The meta keywords: msg, sid, rev, gid, classtype, priority, reference,
 * metadata, target, requires, noalert, alert and config (conditional
 * logging of a `config` rule).
 *
 * They describe a rule rather than match traffic: they fill the Signature's
 * identity (gid:sid:rev), the text alerts show (msg, classtype description,
 * priority/severity), references and metadata for EVE, the `target` side for
 * alert.source/alert.target, and noalert. `requires` is evaluated by the
 * parser before anything else (see rule-parse.c) so unmet requirements skip
 * the rule silently, as Suricata does; its setup here only checks syntax.
 * metadata entries are `key value`; one without a value is ignored, as
 * Suricata ignores it. Classtypes are looked up in the engine's classification table
 * (class-config.h) when the engine has one.
 */
#include "detect/kw-meta.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/class-config.h"
#include "detect/detect-engine.h"
#include "detect/keyword-families.h"
#include "detect/keyword.h"

/* Parses a decimal u32 (no sign, no trailing garbage). */
static bool parse_u32(const char *v, uint32_t *out)
{
    if (!v || !isdigit((unsigned char)*v))
        return false;
    errno = 0;
    char *end;
    unsigned long long x = strtoull(v, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (*end || errno || x > UINT32_MAX)
        return false;
    *out = (uint32_t)x;
    return true;
}

static bool msg_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    if (s->msg)
        return rule_error(rp, "msg given twice");
    s->msg = strdup(v);
    if (!s->msg)
        return rule_error(rp, "out of memory");
    rule_unescape(s->msg);
    return true;
}

static bool sid_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    uint32_t x;
    if (s->sid)
        return rule_error(rp, "sid given twice");
    if (!parse_u32(v, &x) || x == 0)
        return rule_error(rp, "invalid sid '%s' (a number from 1 to 4294967295)", v);
    s->sid = x;
    return true;
}

static bool rev_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    uint32_t x;
    if (!parse_u32(v, &x))
        return rule_error(rp, "invalid rev '%s' (a number)", v);
    s->rev = x;
    return true;
}

static bool gid_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    uint32_t x;
    if (!parse_u32(v, &x))
        return rule_error(rp, "invalid gid '%s' (a number)", v);
    s->gid = x;
    return true;
}

static bool priority_given(const Signature *s) { return s->priority != 0; }

/* The priority keyword wins over the classtype's priority, whichever comes
 * first in the rule. */
static bool priority_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    uint32_t x;
    if (!parse_u32(v, &x) || x == 0 || x > 255)
        return rule_error(rp, "invalid priority '%s' (a number from 1 to 255)", v);
    s->priority = (int)x;
    return true;
}

static bool classtype_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    if (s->classtype)
        return rule_error(rp, "classtype given twice");
    if (!*v)
        return rule_error(rp, "classtype needs a name");
    char *name = strdup(v);
    if (!name)
        return rule_error(rp, "out of memory");
    for (char *c = name; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    const ClassConfig *cc = rp->de ? detect_engine_classes(rp->de) : NULL;
    if (cc) {
        const ClassType *ct = class_config_lookup(cc, name);
        if (!ct) {
            rule_error(rp, "unknown classtype '%s' (not in the classification file)", v);
            free(name);
            return false;
        }
        s->class_desc = strdup(ct->desc);
        /* Suricata: an explicit priority keyword takes precedence whichever
         * comes first; the classtype sets it only when none was given. */
        if (!priority_given(s))
            s->priority = ct->priority;
    }
    s->classtype = name;
    return true;
}

static bool reference_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    const char *comma = strchr(v, ',');
    if (!comma || comma == v || !comma[1])
        return rule_error(rp, "invalid reference '%s' (expected 'type,id', e.g. 'url,example.com')", v);
    if (s->ref_count >= 256)
        return rule_error(rp, "too many references");
    SigReference *n = realloc(s->refs, (s->ref_count + 1u) * sizeof(*n));
    if (!n)
        return rule_error(rp, "out of memory");
    s->refs = n;
    char *key = strndup(v, (size_t)(comma - v));
    char *val = strdup(comma + 1);
    if (!key || !val) {
        free(key);
        free(val);
        return rule_error(rp, "out of memory");
    }
    /* trim */
    size_t kl = strlen(key);
    while (kl && isspace((unsigned char)key[kl - 1]))
        key[--kl] = '\0';
    char *vs = val;
    while (isspace((unsigned char)*vs))
        vs++;
    memmove(val, vs, strlen(vs) + 1);
    rule_unescape(val);
    s->refs[s->ref_count].key = key;
    s->refs[s->ref_count].value = val;
    s->ref_count++;
    return true;
}

static bool metadata_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    char *copy = strdup(v);
    if (!copy)
        return rule_error(rp, "out of memory");
    char *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        while (isspace((unsigned char)*item))
            item++;
        size_t il = strlen(item);
        while (il && isspace((unsigned char)item[il - 1]))
            item[--il] = '\0';
        if (!il)
            continue;
        char *sp = item;
        while (*sp && !isspace((unsigned char)*sp))
            sp++;
        char *val = sp;
        if (*sp) {
            *sp = '\0';
            val = sp + 1;
            while (isspace((unsigned char)*val))
                val++;
        }
        if (!*val) /* as Suricata: an entry without a value ("priority:5") is skipped, not an error */
            continue;
        if (s->meta_count >= 1024) {
            free(copy);
            return rule_error(rp, "too much metadata");
        }
        SigMetadata *n = realloc(s->meta, (s->meta_count + 1u) * sizeof(*n));
        if (!n) {
            free(copy);
            return rule_error(rp, "out of memory");
        }
        s->meta = n;
        s->meta[s->meta_count].key = strdup(item);
        s->meta[s->meta_count].value = strdup(val);
        s->meta_count++;
    }
    free(copy);
    return true;
}

static bool target_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    if (strcmp(v, "src_ip") == 0)
        s->flags |= SIG_FLAG_TARGET_SRC;
    else if (strcmp(v, "dest_ip") == 0)
        s->flags |= SIG_FLAG_TARGET_DST;
    else
        return rule_error(rp, "invalid target '%s' (expected src_ip or dest_ip)", v);
    return true;
}

/* `alert;` (Suricata 8): a pass rule that also raises its alert. */
static bool alert_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    (void)rp;
    (void)v;
    s->flags |= SIG_FLAG_ALERT;
    return true;
}

static bool noalert_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    (void)rp;
    (void)v;
    s->flags |= SIG_FLAG_NOALERT;
    return true;
}

/* `config: logging disable, type tx, scope tx;` (Suricata's conditional
 * logging): the transactions the rule matches are not logged. Other
 * subsystems, types and scopes are refused. */
static bool config_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    char copy[256];
    snprintf(copy, sizeof(copy), "%s", v);
    const char *subsys = NULL, *type = NULL, *scope = NULL;
    bool disable = false;
    char *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *isave = NULL;
        char *key = strtok_r(item, " \t", &isave), *val = strtok_r(NULL, " \t", &isave);
        if (!key || !val || strtok_r(NULL, " \t", &isave))
            return rule_error(rp, "config: expected 'logging disable, type tx, scope tx', got '%s'", v);
        if (strcmp(key, "type") == 0)
            type = strcmp(val, "tx") == 0 ? "tx" : "";
        else if (strcmp(key, "scope") == 0)
            scope = strcmp(val, "tx") == 0 ? "tx" : "";
        else if (strcmp(key, "logging") == 0 && strcmp(val, "disable") == 0)
            subsys = "logging", disable = true;
        else
            return rule_error(rp, "config: unsupported setting '%s %s' (Odlar supports logging disable)", key, val);
    }
    if (!subsys || !disable || !type || !*type || !scope || !*scope)
        return rule_error(rp, "config: only 'logging disable, type tx, scope tx' is supported, got '%s'", v);
    if (!(s->flags & SIG_FLAG_CONFIG))
        return rule_error(rp, "config: the keyword needs the 'config' action");
    s->flags |= SIG_FLAG_NOLOG_TX;
    return true;
}

/* Features Odlar provides to `requires: feature X`. */
static bool have_feature(const char *f)
{
    static const char *const features[] = { "output::file-store", NULL };
    for (int i = 0; features[i]; i++)
        if (strcmp(features[i], f) == 0)
            return true;
    return false;
}

/* Compares "a.b.c" with Odlar's emulated version: <0, 0, >0. */
static bool version_cmp(const char *v, int *cmp)
{
    long part[3] = { 0, 0, 0 };
    const char *p = v;
    for (int i = 0; i < 3; i++) {
        if (!isdigit((unsigned char)*p))
            return false;
        char *end;
        part[i] = strtol(p, &end, 10);
        p = end;
        if (*p != '.')
            break;
        p++;
    }
    if (*p)
        return false;
    const long mine[3] = { ODLAR_REQUIRES_VERSION_MAJOR, ODLAR_REQUIRES_VERSION_MINOR, ODLAR_REQUIRES_VERSION_PATCH };
    *cmp = 0;
    for (int i = 0; i < 3 && *cmp == 0; i++)
        *cmp = mine[i] < part[i] ? -1 : mine[i] > part[i] ? 1 : 0;
    return true;
}

bool meta_requires_check(RuleParseCtx *rp, const char *value, bool *met)
{
    char *copy = strdup(value);
    if (!copy)
        return rule_error(rp, "out of memory");
    *met = true;
    bool ok = true;
    char *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item && ok; item = strtok_r(NULL, ",", &save)) {
        char *tok_save = NULL;
        char *key = strtok_r(item, " \t", &tok_save);
        if (!key)
            continue;
        if (strcmp(key, "feature") == 0) {
            char *f = strtok_r(NULL, " \t", &tok_save);
            if (!f) {
                ok = rule_error(rp, "requires: 'feature' needs a feature name");
                break;
            }
            if (!have_feature(f))
                *met = false;
        } else if (strcmp(key, "version") == 0) {
            char *op;
            int n = 0;
            while ((op = strtok_r(NULL, " \t", &tok_save)) != NULL) {
                char *ver = strtok_r(NULL, " \t", &tok_save);
                int cmp;
                if (!ver || !version_cmp(ver, &cmp)) {
                    ok = rule_error(rp, "requires: invalid version requirement near '%s'", op);
                    break;
                }
                bool r;
                if (strcmp(op, ">=") == 0) r = cmp >= 0;
                else if (strcmp(op, ">") == 0) r = cmp > 0;
                else if (strcmp(op, "<=") == 0) r = cmp <= 0;
                else if (strcmp(op, "<") == 0) r = cmp < 0;
                else if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0) r = cmp == 0;
                else {
                    ok = rule_error(rp, "requires: unknown comparison '%s' (use >=, >, <=, < or =)", op);
                    break;
                }
                if (!r)
                    *met = false;
                n++;
            }
            if (ok && n == 0)
                ok = rule_error(rp, "requires: 'version' needs a comparison such as '>= 8'");
        } else {
            /* a requirement type this engine does not know cannot be met */
            *met = false;
        }
    }
    free(copy);
    return ok;
}

static bool requires_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    (void)s;
    bool met;
    if (!meta_requires_check(rp, v, &met))
        return false;
    if (!met)
        rp->skipped = true;
    return true;
}

void keywords_register_meta(void)
{
    static const KeywordDef defs[] = {
        { .name = "msg", .help = "the alert's message", .flags = KW_QUOTES_MANDATORY, .setup = msg_setup },
        { .name = "sid", .help = "signature id", .flags = KW_QUOTES_OPTIONAL, .setup = sid_setup },
        { .name = "rev", .help = "signature revision", .flags = KW_QUOTES_OPTIONAL, .setup = rev_setup },
        { .name = "gid", .help = "generator id", .flags = KW_QUOTES_OPTIONAL, .setup = gid_setup },
        { .name = "classtype", .help = "classification (classification.config)", .setup = classtype_setup },
        { .name = "priority", .help = "alert priority 1-255", .flags = KW_QUOTES_OPTIONAL, .setup = priority_setup },
        { .name = "reference", .help = "external reference 'type,id'", .setup = reference_setup },
        { .name = "metadata", .help = "key value pairs", .setup = metadata_setup },
        { .name = "target", .help = "which side is the target: src_ip or dest_ip", .setup = target_setup },
        { .name = "requires", .help = "skip the rule unless features/version are met", .setup = requires_setup },
        { .name = "noalert", .help = "match without alerting", .flags = KW_NOOPT, .setup = noalert_setup },
        { .name = "alert", .help = "a pass rule alerts as well", .flags = KW_NOOPT, .setup = alert_setup },
        { .name = "config", .help = "config rules: 'logging disable, type tx, scope tx'", .setup = config_setup },
    };
    for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
        keyword_register(&defs[i]);
}
