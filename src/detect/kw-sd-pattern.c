/*
 * The sd_pattern keyword (Snort 3's sensitive-data option, first-class in
 * Odlar): `sd_pattern:"credit_card"[, threshold N];` with the types
 * credit_card, iban, us_social, us_social_nodashes, or a quoted regular
 * expression of one's own. It is a buffer keyword: it inspects the whole
 * current buffer (packet payload, stream, or the sticky buffer before it
 * such as http.request_body or file.data) and matches when the buffer holds
 * at least N distinct valid numbers (default 1).
 *
 * Per evaluation: Hyperscan finds the candidates (sd-candidates.h; one
 * database per distinct option, shared between rules), the validators
 * confirm them (sd-find.h, sd-validate.h), and on a match the masked
 * numbers and the count go to the alert writer (sd-alert.h). One
 * sd_pattern per rule.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect-engine.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/sd-alert.h"
#include "detect/sd-candidates.h"
#include "detect/sd-find.h"

#define SD_THRESHOLD_MAX 65535
/* Distinct numbers remembered per evaluation; the count stops there. */
#define SD_DISTINCT_MAX 4096

typedef struct SdPattern {
    SdType type;
    char *regex; /* SD_TYPE_CUSTOM */
    uint32_t threshold;
    SdDb *db;
} SdPattern;

static uint16_t kw_sd_pattern;

/* ---- parsing: "<type or regex>"[, threshold N] ---- */

static void sd_pattern_free(void *ctx)
{
    SdPattern *sp = ctx;
    if (!sp)
        return;
    if (sp->db)
        sd_pattern_use_changed(-1);
    sd_db_release(sp->db);
    free(sp->regex);
    free(sp);
}

/* Reads the quoted name/regex at *p into a new string (\" and \; become
 * the bare characters; other escapes stay for the regex); advances *p. */
static char *read_quoted(const char **p)
{
    const char *s = *p + 1;
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (; *s && *s != '"'; s++) {
        if (*s == '\\' && (s[1] == '"' || s[1] == ';' || s[1] == '\\')) {
            s++;
            if (*s == '\\') /* keep a literal backslash for the regex */
                out[o++] = '\\';
        }
        out[o++] = *s;
    }
    if (*s != '"') {
        free(out);
        return NULL;
    }
    out[o] = '\0';
    *p = s + 1;
    return out;
}

static bool parse_threshold(RuleParseCtx *rp, const char *p, uint32_t *out)
{
    while (isspace((unsigned char)*p))
        p++;
    if (!*p)
        return true;
    if (*p != ',')
        return rule_error(rp, "sd_pattern: expected ', threshold N' after the pattern");
    p++;
    while (isspace((unsigned char)*p))
        p++;
    if (strncmp(p, "threshold", 9) != 0 || !isspace((unsigned char)p[9]))
        return rule_error(rp, "sd_pattern: unknown option '%s' (only 'threshold N')", p);
    p += 9;
    while (isspace((unsigned char)*p))
        p++;
    char *end = NULL;
    unsigned long v = isdigit((unsigned char)*p) ? strtoul(p, &end, 10) : 0;
    if (!end || v < 1 || v > SD_THRESHOLD_MAX)
        return rule_error(rp, "sd_pattern: threshold must be a number from 1 to %d", SD_THRESHOLD_MAX);
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return rule_error(rp, "sd_pattern: unexpected '%s' after the threshold", end);
    *out = (uint32_t)v;
    return true;
}

static bool setup_sd_pattern(RuleParseCtx *rp, Signature *s, const char *value)
{
    for (uint16_t li = 0; li < s->list_count; li++)
        for (uint16_t i = 0; i < s->lists[li].count; i++)
            if (s->lists[li].items[i].kw == kw_sd_pattern)
                return rule_error(rp, "sd_pattern: only one sd_pattern per rule");
    const char *p = value;
    char *name = NULL;
    if (*p == '"') {
        name = read_quoted(&p);
        if (!name)
            return rule_error(rp, "sd_pattern: unterminated quoted pattern");
    } else {
        size_t n = strcspn(p, ",");
        while (n && isspace((unsigned char)p[n - 1]))
            n--;
        name = strndup(p, n);
        p += strcspn(p, ",");
        if (!name)
            return rule_error(rp, "out of memory");
    }
    SdPattern *sp = calloc(1, sizeof(*sp));
    if (!sp) {
        free(name);
        return rule_error(rp, "out of memory");
    }
    sp->threshold = 1;
    if (!*name) {
        free(name);
        sd_pattern_free(sp);
        return rule_error(rp, "sd_pattern: empty pattern");
    }
    int t = sd_type_lookup(name);
    if (t >= 0) {
        sp->type = (SdType)t;
        free(name);
    } else {
        sp->type = SD_TYPE_CUSTOM;
        sp->regex = name;
    }
    if (!parse_threshold(rp, p, &sp->threshold)) {
        sd_pattern_free(sp);
        return false;
    }
    char err[512] = "";
    sp->db = sd_db_acquire(sp->type, sp->regex, err, sizeof(err));
    if (!sp->db) {
        sd_pattern_free(sp);
        return rule_error(rp, "%s", err);
    }
    sd_pattern_use_changed(1);
    if (!rule_append(rp, s, rp->current_list, kw_sd_pattern, sp)) {
        sd_pattern_free(sp);
        return false;
    }
    return true;
}

/* ---- inspection ---- */

typedef struct SdEval {
    const SdPattern *sp;
    const uint8_t *buf;
    uint32_t len;
    uint32_t scanned_to; /* built-ins: the validators read up to here */
    SdAlertInfo info;
    uint64_t *seen; /* open-addressing set of digests, SD_DISTINCT_MAX*2 slots */
} SdEval;

static _Thread_local uint64_t tl_seen[SD_DISTINCT_MAX * 2];

/* Adds a digest; true when it was new. 0 marks a free slot. */
static bool seen_add(uint64_t *set, uint64_t d)
{
    if (d == 0)
        d = 1;
    for (uint32_t i = (uint32_t)(d % (SD_DISTINCT_MAX * 2));; i = (i + 1) % (SD_DISTINCT_MAX * 2)) {
        if (set[i] == d)
            return false;
        if (set[i] == 0) {
            set[i] = d;
            return true;
        }
    }
}

static bool on_found(const SdFound *f, void *user)
{
    SdEval *ev = user;
    if (ev->info.count >= SD_DISTINCT_MAX || !seen_add(ev->seen, f->digest))
        return ev->info.count < SD_DISTINCT_MAX;
    if (ev->info.shown < SD_ALERT_SHOWN_MAX)
        memcpy(ev->info.matches[ev->info.shown++], f->masked, SD_MASKED_MAX);
    ev->info.count++;
    return true;
}

static bool on_candidate(uint32_t from, uint32_t to, void *user)
{
    SdEval *ev = user;
    if (ev->sp->type != SD_TYPE_CUSTOM) {
        sd_find(ev->sp->type, ev->buf, ev->len, from, on_found, ev);
        return false;
    }
    SdFound f = { .start = from, .end = to };
    sd_mask_custom_text(ev->buf, from, to, f.masked);
    f.digest = sd_digest(ev->buf + from, to - from, SD_TYPE_CUSTOM);
    return on_found(&f, ev);
}

/* ---- one scan per buffer and type ----
 *
 * Several rules may look for the same numbers in the same buffer of the
 * same packet: the bundled rules scan an SMTP or ftp-data stream for card
 * numbers twice (the protocol's rule and the bulk one), an HTTP file twice
 * (one number, or ten). What the first rule found -- every distinct valid
 * number, up to SD_DISTINCT_MAX, whatever its threshold -- is kept per
 * thread for the rest of the packet (the detection thread's packet epoch),
 * keyed by the database (type or custom regex), the buffer's address and
 * length and its first and last bytes; the other rules take it from there
 * and apply their own threshold. */
typedef struct SdScanMemo {
    uint32_t epoch; /* 0: empty */
    const SdDb *db;
    const uint8_t *buf;
    uint32_t len;
    uint64_t head, tail;
    bool ran;
    SdAlertInfo info;
} SdScanMemo;

#define SD_MEMO_SLOTS 4
static _Thread_local SdScanMemo tl_memo[SD_MEMO_SLOTS];
static _Thread_local uint32_t tl_memo_next;

static void buffer_ends(const uint8_t *buf, uint32_t len, uint64_t *head, uint64_t *tail)
{
    *head = *tail = 0;
    memcpy(head, buf, len < 8 ? len : 8);
    memcpy(tail, buf + (len < 8 ? 0 : len - 8), len < 8 ? len : 8);
}

/* Copies what a scan found; the matches only when there are some (most
 * scans find nothing, and the matches are most of the struct). */
static void info_copy(SdAlertInfo *dst, const SdAlertInfo *src)
{
    if (src->count) {
        *dst = *src;
        return;
    }
    dst->type = src->type;
    dst->custom_db = src->custom_db;
    dst->count = dst->shown = 0;
}

static SdScanMemo *memo_find(uint32_t epoch, const SdDb *db, const uint8_t *buf, uint32_t len, uint64_t head,
                             uint64_t tail)
{
    for (uint32_t i = 0; i < SD_MEMO_SLOTS; i++) {
        SdScanMemo *m = &tl_memo[i];
        if (m->epoch == epoch && m->db == db && m->buf == buf && m->len == len && m->head == head && m->tail == tail)
            return m;
    }
    return NULL;
}

static InspectResult inspect_sd_pattern(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                        const void *ctx)
{
    const SdPattern *sp = ctx;
    cur->retryable = false;
    if (cur->len == 0)
        return INSPECT_NO_MATCH;
    const uint32_t epoch = dt ? dt->opt_cache.epoch : 0;
    uint64_t head, tail;
    buffer_ends(cur->buf, cur->len, &head, &tail);
    const SdScanMemo *memo = epoch ? memo_find(epoch, sp->db, cur->buf, cur->len, head, tail) : NULL;
    SdEval ev = { .sp = sp, .buf = cur->buf, .len = cur->len, .seen = tl_seen };
    bool ran;
    if (memo) {
        ran = memo->ran;
        info_copy(&ev.info, &memo->info);
    } else {
        ev.info.type = sp->type;
        ev.info.custom_db = sp->type == SD_TYPE_CUSTOM ? sp->db : NULL;
        ran = sd_candidates(sp->db, cur->buf, cur->len, on_candidate, &ev);
        if (ev.info.count)
            memset(tl_seen, 0, sizeof(tl_seen));
        if (epoch) {
            SdScanMemo *m = &tl_memo[tl_memo_next++ % SD_MEMO_SLOTS];
            m->epoch = epoch;
            m->db = sp->db;
            m->buf = cur->buf;
            m->len = cur->len;
            m->head = head;
            m->tail = tail;
            m->ran = ran;
            info_copy(&m->info, &ev.info);
        }
    }
    if (!ran || ev.info.count < sp->threshold)
        return INSPECT_NO_MATCH;
    sd_alert_record(s, &ev.info);
    return INSPECT_MATCH;
}

/* ---- sharing identical options ---- */

static uint32_t sd_pattern_hash(const void *ctx)
{
    const SdPattern *sp = ctx;
    uint64_t h = sd_digest((const uint8_t *)&sp->threshold, sizeof(sp->threshold), sp->type);
    if (sp->regex)
        h = sd_digest((const uint8_t *)sp->regex, (uint32_t)strlen(sp->regex), h);
    return (uint32_t)(h ^ (h >> 32));
}

static bool sd_pattern_equal(const void *a, const void *b)
{
    const SdPattern *x = a, *y = b;
    return x->type == y->type && x->threshold == y->threshold && x->db == y->db;
}

void keywords_register_sd_pattern(void)
{
    static const KeywordDef def = {
        .name = "sd_pattern",
        .help = "sensitive data: sd_pattern:\"credit_card|iban|us_social|us_social_nodashes|<regex>\"[, threshold N]",
        .setup = setup_sd_pattern,
        .inspect = inspect_sd_pattern,
        .free = sd_pattern_free,
        .hash = sd_pattern_hash,
        .equal = sd_pattern_equal,
    };
    kw_sd_pattern = keyword_register(&def);
}
