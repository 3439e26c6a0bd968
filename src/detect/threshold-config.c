/*
 * Parsers for thresholds -- rule keyword values and threshold.config lines
 * -- and the builder of the per-signature threshold plan. The grammar is
 * Suricata 8's, written as a small cursor-based scanner instead of regular
 * expressions: fixed field order in threshold.config, any order (each field
 * once) in the keyword values.
 */
#include "detect/threshold-config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/text-lines.h"

#ifndef ODLAR_SYSCONFDIR
#define ODLAR_SYSCONFDIR "/etc/odlar/"
#endif

/* ---- small scanner ---------------------------------------------------- */

static void ws(const char **p)
{
    while (**p && isspace((unsigned char)**p))
        (*p)++;
}

/* Consumes `word` when the text continues with it. */
static bool lit(const char **p, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(*p, word, n) != 0)
        return false;
    *p += n;
    return true;
}

/* One of `words` (longest first where prefixes overlap); returns its index
 * or -1. */
static int one_of(const char **p, const char *const *words, int n)
{
    for (int i = 0; i < n; i++)
        if (lit(p, words[i]))
            return i;
    return -1;
}

/* Digits into a uint32 (Suricata's \d+ then StringParseUint32). */
static bool num(const char **p, uint32_t *out)
{
    if (!isdigit((unsigned char)**p))
        return false;
    uint64_t v = 0;
    while (isdigit((unsigned char)**p)) {
        v = v * 10 + (uint64_t)(**p - '0');
        if (v > UINT32_MAX)
            return false;
        (*p)++;
    }
    *out = (uint32_t)v;
    return true;
}

static bool parse_uint32_text(const char *s, uint32_t *out)
{
    const char *p = s;
    return num(&p, out) && *p == '\0';
}

static const char *const TYPE_WORDS[] = { "limit", "threshold", "both", "backoff" };
static const ThresholdType TYPE_VALUES[] = { THRESH_TYPE_LIMIT, THRESH_TYPE_THRESHOLD, THRESH_TYPE_BOTH,
                                             THRESH_TYPE_BACKOFF };
static const char *const TRACK_WORDS[] = { "by_src", "by_dst", "by_both", "by_rule", "by_flow" };
static const ThresholdTrack TRACK_VALUES[] = { THRESH_TRACK_SRC, THRESH_TRACK_DST, THRESH_TRACK_BOTH,
                                               THRESH_TRACK_RULE, THRESH_TRACK_FLOW };

static int word_index(const char *s, const char *const *words, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, words[i]) == 0)
            return i;
    return -1;
}

/* ---- rule keyword values ------------------------------------------------ */

enum { F_TYPE, F_TRACK, F_COUNT, F_SECONDS, F_MULTIPLIER, F_MAX };
static const char *const FIELD_NAMES[F_MAX] = { "type", "track", "count", "seconds", "multiplier" };

/* Splits "name value, name value, ..." into the fields allowed by `allowed`
 * (bit per field). Each field at most once. */
static bool split_fields(const char *kw, const char *value, unsigned allowed, char vals[F_MAX][32], bool seen[F_MAX],
                         char *err, size_t errlen)
{
    memset(seen, 0, sizeof(bool) * F_MAX);
    if (!value || !*value) {
        snprintf(err, errlen, "%s: a value is required", kw);
        return false;
    }
    const char *p = value;
    for (;;) {
        ws(&p);
        const char *name = p;
        while (*p && !isspace((unsigned char)*p) && *p != ',')
            p++;
        size_t nlen = (size_t)(p - name);
        int f = -1;
        for (int i = 0; i < F_MAX; i++)
            if ((allowed & (1u << i)) && strlen(FIELD_NAMES[i]) == nlen && strncmp(name, FIELD_NAMES[i], nlen) == 0)
                f = i;
        if (f < 0) {
            snprintf(err, errlen, "%s: unknown option '%.*s' in \"%s\"", kw, (int)nlen, name, value);
            return false;
        }
        if (seen[f]) {
            snprintf(err, errlen, "%s: option '%s' given twice in \"%s\"", kw, FIELD_NAMES[f], value);
            return false;
        }
        if (!isspace((unsigned char)*p)) {
            snprintf(err, errlen, "%s: option '%s' needs a value in \"%s\"", kw, FIELD_NAMES[f], value);
            return false;
        }
        ws(&p);
        const char *v = p;
        while (*p && !isspace((unsigned char)*p) && *p != ',')
            p++;
        size_t vlen = (size_t)(p - v);
        if (vlen == 0 || vlen >= 32) {
            snprintf(err, errlen, "%s: invalid value for '%s' in \"%s\"", kw, FIELD_NAMES[f], value);
            return false;
        }
        memcpy(vals[f], v, vlen);
        vals[f][vlen] = '\0';
        seen[f] = true;
        ws(&p);
        if (*p == '\0')
            return true;
        if (*p != ',') {
            snprintf(err, errlen, "%s: expected ',' after '%s %s' in \"%s\"", kw, FIELD_NAMES[f], vals[f], value);
            return false;
        }
        p++;
    }
}

static bool parse_track(const char *kw, const char *v, ThresholdTrack *out, char *err, size_t errlen)
{
    int i = word_index(v, TRACK_WORDS, 5);
    if (i < 0) {
        snprintf(err, errlen, "%s: invalid track '%s' (expected by_src, by_dst, by_both, by_rule or by_flow)", kw, v);
        return false;
    }
    *out = TRACK_VALUES[i];
    return true;
}

ThresholdSpec *threshold_parse_keyword(const char *value, char *err, size_t errlen)
{
    char vals[F_MAX][32];
    bool seen[F_MAX];
    unsigned allowed = (1u << F_TYPE) | (1u << F_TRACK) | (1u << F_COUNT) | (1u << F_SECONDS) | (1u << F_MULTIPLIER);
    if (!split_fields("threshold", value, allowed, vals, seen, err, errlen))
        return NULL;
    if (!seen[F_TYPE] || !seen[F_TRACK] || !seen[F_COUNT] || (!seen[F_SECONDS] && !seen[F_MULTIPLIER])) {
        snprintf(err, errlen, "threshold: \"%s\" must give type, track, count and seconds (multiplier for "
                 "type backoff)", value);
        return NULL;
    }
    int ti = word_index(vals[F_TYPE], TYPE_WORDS, 4);
    if (ti < 0) {
        snprintf(err, errlen, "threshold: invalid type '%s' (expected limit, threshold, both or backoff)",
                 vals[F_TYPE]);
        return NULL;
    }
    ThresholdSpec s = { 0 };
    s.type = TYPE_VALUES[ti];
    if (!parse_track("threshold", vals[F_TRACK], &s.track, err, errlen))
        return NULL;
    if (!parse_uint32_text(vals[F_COUNT], &s.count)) {
        snprintf(err, errlen, "threshold: invalid count '%s'", vals[F_COUNT]);
        return NULL;
    }
    if (s.type == THRESH_TYPE_BACKOFF) {
        if (seen[F_SECONDS] || !seen[F_MULTIPLIER]) {
            snprintf(err, errlen, "threshold: type backoff takes 'multiplier', not 'seconds'");
            return NULL;
        }
        if (!parse_uint32_text(vals[F_MULTIPLIER], &s.multiplier) || s.multiplier == 0) {
            snprintf(err, errlen, "threshold: invalid multiplier '%s'", vals[F_MULTIPLIER]);
            return NULL;
        }
        if (s.count == 0) {
            snprintf(err, errlen, "threshold: type backoff needs a count above 0");
            return NULL;
        }
        if (s.track != THRESH_TRACK_FLOW) {
            snprintf(err, errlen, "threshold: type backoff is only supported with track by_flow");
            return NULL;
        }
    } else {
        if (seen[F_MULTIPLIER] || !seen[F_SECONDS]) {
            snprintf(err, errlen, "threshold: 'multiplier' is only for type backoff; type %s takes 'seconds'",
                     vals[F_TYPE]);
            return NULL;
        }
        if (!parse_uint32_text(vals[F_SECONDS], &s.seconds)) {
            snprintf(err, errlen, "threshold: invalid seconds '%s'", vals[F_SECONDS]);
            return NULL;
        }
    }
    ThresholdSpec *out = malloc(sizeof(*out));
    if (!out) {
        snprintf(err, errlen, "threshold: out of memory");
        return NULL;
    }
    *out = s;
    return out;
}

ThresholdSpec *detection_filter_parse(const char *value, char *err, size_t errlen)
{
    char vals[F_MAX][32];
    bool seen[F_MAX];
    unsigned allowed = (1u << F_TRACK) | (1u << F_COUNT) | (1u << F_SECONDS);
    if (!split_fields("detection_filter", value, allowed, vals, seen, err, errlen))
        return NULL;
    if (!seen[F_TRACK] || !seen[F_COUNT] || !seen[F_SECONDS]) {
        snprintf(err, errlen, "detection_filter: \"%s\" must give track, count and seconds", value);
        return NULL;
    }
    ThresholdSpec s = { 0 };
    s.type = THRESH_TYPE_DETECTION;
    if (!parse_track("detection_filter", vals[F_TRACK], &s.track, err, errlen))
        return NULL;
    if (!parse_uint32_text(vals[F_COUNT], &s.count) || s.count == 0) {
        snprintf(err, errlen, "detection_filter: invalid count '%s' (a number above 0)", vals[F_COUNT]);
        return NULL;
    }
    if (!parse_uint32_text(vals[F_SECONDS], &s.seconds) || s.seconds == 0) {
        snprintf(err, errlen, "detection_filter: invalid seconds '%s' (a number above 0)", vals[F_SECONDS]);
        return NULL;
    }
    ThresholdSpec *out = malloc(sizeof(*out));
    if (!out) {
        snprintf(err, errlen, "detection_filter: out of memory");
        return NULL;
    }
    *out = s;
    return out;
}

/* ---- threshold.config ----------------------------------------------------- */

struct ThresholdConfig {
    ThresholdConfigEntry *entries;
    size_t count, cap;
    unsigned errors;
    bool missing;
};

/* Longest problem message, as logged and as kept in err. */
#define THRESH_MSG_MAX 1200

typedef struct VarCtx {
    Conf *conf;
} VarCtx;

static const char *var_lookup(void *ctx, const char *name)
{
    VarCtx *vc = ctx;
    if (!vc->conf)
        return NULL;
    char key[300];
    snprintf(key, sizeof(key), "vars.address-groups.%s", name);
    const char *v = NULL;
    if (conf_get_str(vc->conf, key, &v))
        return v;
    return NULL;
}

/* The characters Suricata accepts in a suppress `ip` value. */
static bool ip_char_ok(char c)
{
    return isalnum((unsigned char)c) || c == '[' || c == ']' || c == ',' || c == '$' || c == '.' || c == ':' ||
           c == '/' || c == '_' || isspace((unsigned char)c);
}

/* Parses one logical line into e. False with the reason in why. */
static bool parse_entry(const char *line, Conf *conf, const ThresholdAddrOps *ops, ThresholdConfigEntry *e,
                        char *why, size_t whylen)
{
    static const char *const KINDS[] = { "threshold", "event_filter", "suppress", "rate_filter" };
    const char *p = line;
    memset(e, 0, sizeof(*e));
    ws(&p);
    int kind = one_of(&p, KINDS, 4);
    if (kind < 0) {
        snprintf(why, whylen, "expected threshold, event_filter, suppress or rate_filter");
        return false;
    }
    e->kind = (ThresholdEntryKind)kind;
    ws(&p);
    if (!lit(&p, "gen_id") || (ws(&p), !num(&p, &e->gid))) {
        snprintf(why, whylen, "expected 'gen_id <number>'");
        return false;
    }
    ws(&p);
    if (!lit(&p, ",") || (ws(&p), !lit(&p, "sig_id")) || (ws(&p), !num(&p, &e->sid))) {
        snprintf(why, whylen, "expected ', sig_id <number>' after gen_id");
        return false;
    }
    if (e->sid > 0 && e->gid == 0) {
        snprintf(why, whylen, "an entry with sig_id > 0 needs gen_id > 0");
        return false;
    }
    ws(&p);
    ThresholdSpec s = { 0 };
    s.from_config = true;
    if (e->kind == THRESH_ENTRY_SUPPRESS) {
        if (*p == '\0')
            return true; /* plain suppress: the rule never alerts */
        static const char *const SUP_TRACK[] = { "by_src", "by_dst", "by_either" };
        static const ThresholdTrack SUP_VALUES[] = { THRESH_TRACK_SRC, THRESH_TRACK_DST, THRESH_TRACK_EITHER };
        int t;
        if (!lit(&p, ",") || (ws(&p), !lit(&p, "track")) || (ws(&p), (t = one_of(&p, SUP_TRACK, 3)) < 0)) {
            snprintf(why, whylen, "expected ', track by_src|by_dst|by_either, ip <address>' after sig_id");
            return false;
        }
        ws(&p);
        if (!lit(&p, ",") || (ws(&p), !lit(&p, "ip"))) {
            snprintf(why, whylen, "expected ', ip <address>' after track");
            return false;
        }
        ws(&p);
        char ip[1024];
        size_t len = strlen(p);
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        if (len == 0 || len >= sizeof(ip)) {
            snprintf(why, whylen, "missing or too long ip value");
            return false;
        }
        for (size_t i = 0; i < len; i++)
            if (!ip_char_ok(p[i])) {
                snprintf(why, whylen, "invalid character '%c' in ip value", p[i]);
                return false;
            }
        memcpy(ip, p, len);
        ip[len] = '\0';
        if (!ops || !ops->parse) {
            snprintf(why, whylen, "suppress by ip is not available");
            return false;
        }
        VarCtx vc = { conf };
        char aerr[256] = "";
        AddressSet *set = ops->parse(ip, var_lookup, &vc, aerr, sizeof(aerr));
        if (!set) {
            snprintf(why, whylen, "invalid ip '%.200s': %.200s", ip, aerr);
            return false;
        }
        s.type = THRESH_TYPE_SUPPRESS;
        s.track = SUP_VALUES[t];
        s.addrs = set;
        s.addr_match = ops->match;
        s.addr_free = ops->free;
    } else if (e->kind == THRESH_ENTRY_RATE_FILTER) {
        static const char *const ACTIONS[] = { "alert", "drop", "pass", "log", "sdrop", "reject" };
        static const ThresholdAction ACTION_VALUES[] = { THRESH_ACTION_ALERT, THRESH_ACTION_DROP,
                                                         THRESH_ACTION_PASS, THRESH_ACTION_LOG,
                                                         THRESH_ACTION_SDROP, THRESH_ACTION_REJECT };
        int t, a;
        bool ok = lit(&p, ",") && (ws(&p), lit(&p, "track")) && (ws(&p), (t = one_of(&p, TRACK_WORDS, 5)) >= 0);
        ok = ok && (ws(&p), lit(&p, ",")) && (ws(&p), lit(&p, "count")) && (ws(&p), num(&p, &s.count));
        ok = ok && (ws(&p), lit(&p, ",")) && (ws(&p), lit(&p, "seconds")) && (ws(&p), num(&p, &s.seconds));
        ok = ok && (ws(&p), lit(&p, ",")) && (ws(&p), lit(&p, "new_action")) &&
             (ws(&p), (a = one_of(&p, ACTIONS, 6)) >= 0);
        ok = ok && (ws(&p), lit(&p, ",")) && (ws(&p), lit(&p, "timeout")) && (ws(&p), num(&p, &s.timeout));
        if (ok)
            ws(&p);
        if (!ok || *p) {
            snprintf(why, whylen, "expected ', track <by_src|by_dst|by_both|by_rule|by_flow>, count N, seconds N, "
                     "new_action <alert|drop|pass|log|sdrop|reject>, timeout N' after sig_id");
            return false;
        }
        s.type = THRESH_TYPE_RATE;
        s.track = TRACK_VALUES[t];
        s.new_action = ACTION_VALUES[a];
    } else {
        int ty, t;
        bool ok = lit(&p, ",") && (ws(&p), lit(&p, "type")) && (ws(&p), (ty = one_of(&p, TYPE_WORDS, 3)) >= 0);
        ok = ok && (ws(&p), lit(&p, ",")) && (ws(&p), lit(&p, "track")) &&
             (ws(&p), (t = one_of(&p, TRACK_WORDS, 5)) >= 0);
        ok = ok && (ws(&p), lit(&p, ",")) && (ws(&p), lit(&p, "count")) && (ws(&p), num(&p, &s.count));
        ok = ok && (ws(&p), lit(&p, ",")) && (ws(&p), lit(&p, "seconds")) && (ws(&p), num(&p, &s.seconds));
        if (ok)
            ws(&p);
        if (!ok || *p) {
            snprintf(why, whylen, "expected ', type <limit|threshold|both>, track <by_src|by_dst|by_both|by_rule|"
                     "by_flow>, count N, seconds N' after sig_id");
            return false;
        }
        s.type = TYPE_VALUES[ty];
        s.track = TRACK_VALUES[t];
    }
    e->spec = malloc(sizeof(*e->spec));
    if (!e->spec) {
        if (s.addrs && s.addr_free)
            s.addr_free(s.addrs);
        snprintf(why, whylen, "out of memory");
        return false;
    }
    *e->spec = s;
    return true;
}

static void add_logical_line(ThresholdConfig *tc, const char *line, int lineno, const char *file, Conf *conf,
                             const ThresholdAddrOps *ops, char *err, size_t errlen)
{
    if (od_text_is_blank_or_comment(line))
        return;
    if (tc->count >= THRESHOLD_CONFIG_MAX_ENTRIES) {
        od_text_report(&tc->errors, THRESH_MSG_MAX, false, err, errlen, "%s:%d: more than %d entries, line skipped",
                       file, lineno, THRESHOLD_CONFIG_MAX_ENTRIES);
        return;
    }
    ThresholdConfigEntry e;
    char why[512];
    if (!parse_entry(line, conf, ops, &e, why, sizeof(why))) {
        od_text_report(&tc->errors, THRESH_MSG_MAX, false, err, errlen, "%s:%d: invalid entry \"%s\": %s; skipped",
                       file, lineno, line, why);
        return;
    }
    e.line = lineno;
    if (e.spec)
        e.spec->line = lineno;
    if (tc->count == tc->cap) {
        size_t ncap = tc->cap ? tc->cap * 2 : 16;
        ThresholdConfigEntry *ne = realloc(tc->entries, ncap * sizeof(*ne));
        if (!ne) {
            threshold_spec_free(e.spec);
            return;
        }
        tc->entries = ne;
        tc->cap = ncap;
    }
    tc->entries[tc->count++] = e;
}

/* State of the line walk: physical lines ending in a backslash are joined
 * into one logical line, numbered by its first physical line. */
typedef struct LineCtx {
    ThresholdConfig *tc;
    const char *file;
    Conf *conf;
    const ThresholdAddrOps *ops;
    char *err;
    size_t errlen;
    char *logical;
    size_t llen;
    int start_line;
    bool oom; /* joining failed: ignore the rest, flush what was joined */
} LineCtx;

static void on_line(void *ctx, char *line, int lineno)
{
    LineCtx *lc = ctx;
    if (lc->oom)
        return;
    if (!lc->logical)
        lc->start_line = lineno;
    size_t keep = strlen(line);
    bool cont = keep && line[keep - 1] == '\\';
    if (cont)
        keep--;
    char *nb = realloc(lc->logical, lc->llen + keep + 1);
    if (!nb) {
        lc->oom = true;
        return;
    }
    lc->logical = nb;
    memcpy(lc->logical + lc->llen, line, keep);
    lc->llen += keep;
    lc->logical[lc->llen] = '\0';
    if (!cont) {
        add_logical_line(lc->tc, lc->logical, lc->start_line, lc->file, lc->conf, lc->ops, lc->err, lc->errlen);
        free(lc->logical);
        lc->logical = NULL;
        lc->llen = 0;
    }
}

static void parse_text(ThresholdConfig *tc, const char *text, const char *file, Conf *conf,
                       const ThresholdAddrOps *ops, char *err, size_t errlen)
{
    LineCtx lc = {.tc = tc, .file = file, .conf = conf, .ops = ops, .err = err, .errlen = errlen};
    od_text_for_each_line(text, on_line, &lc);
    if (lc.logical) {
        add_logical_line(tc, lc.logical, lc.start_line, file, conf, ops, err, errlen);
        free(lc.logical);
    }
}

ThresholdConfig *threshold_config_load_string(const char *text, const char *name, Conf *conf,
                                              const ThresholdAddrOps *ops, char *err, size_t errlen)
{
    ThresholdConfig *tc = calloc(1, sizeof(*tc));
    if (!tc)
        return NULL;
    if (err && errlen)
        err[0] = '\0';
    parse_text(tc, text ? text : "", name ? name : "<string>", conf, ops, err, errlen);
    return tc;
}

ThresholdConfig *threshold_config_load(const char *path, Conf *conf, const ThresholdAddrOps *ops, char *err,
                                       size_t errlen)
{
    ThresholdConfig *tc = calloc(1, sizeof(*tc));
    if (!tc)
        return NULL;
    if (err && errlen)
        err[0] = '\0';
    int open_errno = 0;
    char *buf = od_read_text_file(path, NULL, &open_errno);
    if (!buf && open_errno) {
        tc->missing = true;
        od_text_report(&tc->errors, THRESH_MSG_MAX, true, err, errlen, "could not open threshold file \"%s\": %s",
                       path, strerror(open_errno));
        return tc;
    }
    if (buf) {
        parse_text(tc, buf, path, conf, ops, err, errlen);
        free(buf);
    }
    return tc;
}

const char *threshold_config_path(Conf *c)
{
    const char *v = NULL;
    if (c && conf_get_str(c, "threshold-file", &v) && v && *v)
        return v;
    return ODLAR_SYSCONFDIR "threshold.config";
}

size_t threshold_config_count(const ThresholdConfig *tc) { return tc ? tc->count : 0; }
unsigned threshold_config_errors(const ThresholdConfig *tc) { return tc ? tc->errors : 0; }
bool threshold_config_missing(const ThresholdConfig *tc) { return tc && tc->missing; }

const ThresholdConfigEntry *threshold_config_entry(const ThresholdConfig *tc, size_t i)
{
    return tc && i < tc->count ? &tc->entries[i] : NULL;
}

void threshold_config_free(ThresholdConfig *tc)
{
    if (!tc)
        return;
    for (size_t i = 0; i < tc->count; i++)
        threshold_spec_free(tc->entries[i].spec);
    free(tc->entries);
    free(tc);
}

/* ---- plan ------------------------------------------------------------------ */

struct ThresholdPlan {
    uint32_t n;
    ThresholdSigPlan *sigs;
};

static bool push_spec(const ThresholdSpec ***arr, uint16_t *count, const ThresholdSpec *s)
{
    if (*count == UINT16_MAX)
        return false;
    const ThresholdSpec **na = realloc(*arr, ((size_t)*count + 1) * sizeof(**arr));
    if (!na)
        return false;
    na[(*count)++] = s;
    *arr = na;
    return true;
}

/* Orders signature indexes by (gid, sid, index) for exact lookups; ctx is
 * the signature array. */
static int cmp_sig_index(const void *a, const void *b, void *ctx)
{
    Signature *const *sigs = ctx;
    const Signature *x = sigs[*(const uint32_t *)a], *y = sigs[*(const uint32_t *)b];
    if (x->gid != y->gid)
        return x->gid < y->gid ? -1 : 1;
    if (x->sid != y->sid)
        return x->sid < y->sid ? -1 : 1;
    return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static void apply_entry(ThresholdPlan *plan, const ThresholdConfigEntry *e, uint32_t i, bool exact)
{
    ThresholdSigPlan *sp = &plan->sigs[i];
    if (e->kind == THRESH_ENTRY_SUPPRESS) {
        if (!e->spec)
            sp->noalert = true;
        else
            push_spec(&sp->suppress, &sp->suppress_count, e->spec);
        return;
    }
    if (sp->threshold_count > 0) {
        if (!exact)
            return; /* wildcard entries leave thresholded rules alone */
        sp->threshold_count--; /* the entry replaces the last threshold */
    }
    push_spec(&sp->thresholds, &sp->threshold_count, e->spec);
}

ThresholdPlan *threshold_plan_build(const ThresholdConfig *cfg, Signature *const *sigs, uint32_t n)
{
    ThresholdPlan *plan = calloc(1, sizeof(*plan));
    if (!plan)
        return NULL;
    plan->n = n;
    plan->sigs = n ? calloc(n, sizeof(*plan->sigs)) : NULL;
    if (n && !plan->sigs) {
        free(plan);
        return NULL;
    }
    /* the rules' own threshold / detection_filter */
    for (uint32_t i = 0; i < n; i++) {
        const Signature *s = sigs[i];
        for (uint16_t l = 0; s->lists && l < s->list_count; l++) {
            const SigMatchList *ml = &s->lists[l];
            if (ml->list_id != SIG_LIST_SUPPRESS)
                continue;
            for (uint16_t k = 0; k < ml->count; k++)
                if (ml->items[k].ctx)
                    push_spec(&plan->sigs[i].thresholds, &plan->sigs[i].threshold_count, ml->items[k].ctx);
        }
    }
    if (!cfg || cfg->count == 0)
        return plan;
    uint32_t *order = n ? malloc(n * sizeof(*order)) : NULL;
    if (n && !order) {
        threshold_plan_free(plan);
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    if (n)
        qsort_r(order, n, sizeof(*order), cmp_sig_index, (void *)sigs);
    for (size_t k = 0; k < cfg->count; k++) {
        const ThresholdConfigEntry *e = &cfg->entries[k];
        if (e->sid == 0) {
            for (uint32_t i = 0; i < n; i++)
                if (e->gid == 0 || sigs[i]->gid == e->gid)
                    apply_entry(plan, e, i, false);
            continue;
        }
        /* exact: first signature with (gid, sid) */
        uint32_t lo = 0, hi = n;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            const Signature *s = sigs[order[mid]];
            if (s->gid < e->gid || (s->gid == e->gid && s->sid < e->sid))
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < n && sigs[order[lo]]->gid == e->gid && sigs[order[lo]]->sid == e->sid)
            apply_entry(plan, e, order[lo], true);
        else
            od_warn("threshold.config line %d: no loaded rule has gen_id %u, sig_id %u; entry ignored", e->line,
                    e->gid, e->sid);
    }
    free(order);
    return plan;
}

const ThresholdSigPlan *threshold_plan_get(const ThresholdPlan *plan, uint32_t i)
{
    if (!plan || i >= plan->n)
        return NULL;
    const ThresholdSigPlan *sp = &plan->sigs[i];
    if (!sp->noalert && sp->suppress_count == 0 && sp->threshold_count == 0)
        return NULL;
    return sp;
}

void threshold_plan_free(ThresholdPlan *plan)
{
    if (!plan)
        return;
    for (uint32_t i = 0; i < plan->n; i++) {
        free(plan->sigs[i].suppress);
        free(plan->sigs[i].thresholds);
    }
    free(plan->sigs);
    free(plan);
}
