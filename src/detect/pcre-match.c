/*
 * pcre keyword: parsing `[!]"/regex/flags"[, pkt:a, flow:b]` (the variable
 * list may also sit inside the quotes, as Suricata 8 allows), compiling with
 * PCRE2 and matching under match limits (see pcre-match.h). The value is
 * split into the negation, the quoted /regex/flags part and the optional
 * capture-variable list; the regex runs from the first slash to the last
 * one, so slashes inside it need no escaping. Named groups
 * (?P<pkt_x>...), (?P<flow_x>...) and (?P<alert_x>...) are captures into
 * variables too. Per-thread match state is thread-local (see the header).
 */
#include "detect/pcre-match.h"
#include "util/err-buf.h"

#include <ctype.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static uint32_t default_match_limit = PCRE_DEFAULT_MATCH_LIMIT;
static uint32_t default_recursion_limit = PCRE_DEFAULT_MATCH_LIMIT_RECURSION;

/* This thread's matching state. */
typedef struct PcreScratch {
    pcre2_match_data *md;
    uint32_t md_pairs;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
} PcreScratch;

static _Thread_local PcreScratch scratch;

void pcre_set_default_limits(uint32_t match_limit, uint32_t recursion_limit)
{
    default_match_limit = match_limit;
    default_recursion_limit = recursion_limit;
}

void pcre_thread_cleanup(void)
{
    pcre2_match_data_free(scratch.md);
    pcre2_match_context_free(scratch.mctx);
    pcre2_jit_stack_free(scratch.jit_stack);
    memset(&scratch, 0, sizeof(scratch));
}

const char *pcre_buffer_for_flag(char c)
{
    switch (c) {
    case 'U': return "http.uri";
    case 'I': return "http.uri.raw";
    case 'P': return "http.client_body";
    case 'Q': return "file.data";
    case 'H': return "http.header";
    case 'D': return "http.header.raw";
    case 'M': return "http.method";
    case 'C': return "http.cookie";
    case 'S': return "http.stat_code";
    case 'Y': return "http.stat_msg";
    case 'V': return "http.user_agent";
    case 'W': return "http.host";
    case 'Z': return "http.host.raw";
    default: return NULL;
    }
}

void pcre_free(void *p)
{
    DetectPcre *pd = p;
    if (pd == NULL)
        return;
    pcre2_code_free(pd->code);
    free(pd->pattern);
    for (int i = 0; i < pd->capture_count; i++)
        free(pd->captures[i].name);
    free(pd);
}

static bool add_capture(DetectPcre *pd, const char *kind, size_t kind_len, const char *name, size_t name_len,
                        uint16_t group, char *err, size_t errsz)
{
    uint8_t k;
    if (kind_len == 3 && strncmp(kind, "pkt", 3) == 0)
        k = PCRE_CAPTURE_PKT;
    else if (kind_len == 4 && strncmp(kind, "flow", 4) == 0)
        k = PCRE_CAPTURE_FLOW;
    else if (kind_len == 5 && strncmp(kind, "alert", 5) == 0)
        k = PCRE_CAPTURE_ALERT;
    else
        return od_fail(err, errsz, "pcre: capture variable type \"%.*s\" is not pkt, flow or alert", (int)kind_len,
                    kind);
    if (name_len == 0)
        return od_fail(err, errsz, "pcre: capture variable without a name");
    if (pd->capture_count >= PCRE_MAX_CAPTURES)
        return od_fail(err, errsz, "pcre: at most %d capture variables per pcre", PCRE_MAX_CAPTURES);
    PcreCapture *c = &pd->captures[pd->capture_count];
    c->name = strndup(name, name_len);
    if (c->name == NULL)
        return od_fail(err, errsz, "pcre: out of memory");
    c->kind = k;
    c->group = group;
    pd->capture_count++;
    return true;
}

/* `, pkt:a, flow:b` after the regex: group i+1 goes to the i-th variable. */
static bool parse_capture_list(DetectPcre *pd, const char *s, char *err, size_t errsz)
{
    uint16_t group = 1;
    while (*s) {
        while (isspace((unsigned char)*s))
            s++;
        if (*s != ',')
            return od_fail(err, errsz, "pcre: unexpected \"%s\" after the regex (expected \", pkt:name\" or \", flow:name\")",
                        s);
        s++;
        while (isspace((unsigned char)*s))
            s++;
        const char *colon = strchr(s, ':');
        const char *end = s + strcspn(s, ", \t");
        if (colon == NULL || colon > end)
            return od_fail(err, errsz, "pcre: capture variable \"%.*s\" must be written type:name", (int)(end - s), s);
        if (!add_capture(pd, s, (size_t)(colon - s), colon + 1, (size_t)(end - colon - 1), group++, err, errsz))
            return false;
        s = end;
    }
    return true;
}

/* Named groups pkt_x / flow_x / alert_x become captures. */
static bool scan_named_groups(DetectPcre *pd, char *err, size_t errsz)
{
    uint32_t count = 0, entry = 0;
    PCRE2_SPTR table;
    pcre2_pattern_info(pd->code, PCRE2_INFO_NAMECOUNT, &count);
    if (count == 0)
        return true;
    pcre2_pattern_info(pd->code, PCRE2_INFO_NAMEENTRYSIZE, &entry);
    pcre2_pattern_info(pd->code, PCRE2_INFO_NAMETABLE, &table);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *e = table + (size_t)i * entry;
        uint16_t group = (uint16_t)((e[0] << 8) | e[1]);
        const char *name = (const char *)e + 2;
        const char *us = strchr(name, '_');
        if (us == NULL)
            continue;
        size_t kl = (size_t)(us - name);
        if ((kl == 3 && strncmp(name, "pkt", 3) == 0) || (kl == 4 && strncmp(name, "flow", 4) == 0) ||
            (kl == 5 && strncmp(name, "alert", 5) == 0)) {
            if (!add_capture(pd, name, kl, us + 1, strlen(us + 1), group, err, errsz))
                return false;
        }
    }
    /* the name table is sorted by name: order captures by group */
    for (int i = 1; i < pd->capture_count; i++) {
        PcreCapture c = pd->captures[i];
        int j = i - 1;
        for (; j >= 0 && pd->captures[j].group > c.group; j--)
            pd->captures[j + 1] = pd->captures[j];
        pd->captures[j + 1] = c;
    }
    return true;
}

static bool has_uppercase_literal(const char *re)
{
    for (const char *p = re; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++; /* \S, \W, \D... are classes, not letters */
            continue;
        }
        if (isupper((unsigned char)*p))
            return true;
    }
    return false;
}

static bool apply_flags(DetectPcre *pd, const char *flags, char *err, size_t errsz)
{
    for (const char *f = flags; *f; f++) {
        switch (*f) {
        case 'i': pd->compile_opts |= PCRE2_CASELESS; break;
        case 's': pd->compile_opts |= PCRE2_DOTALL; break;
        case 'm': pd->compile_opts |= PCRE2_MULTILINE; break;
        case 'x': pd->compile_opts |= PCRE2_EXTENDED; break;
        case 'A': pd->compile_opts |= PCRE2_ANCHORED; break;
        case 'E': pd->compile_opts |= PCRE2_DOLLAR_ENDONLY; break;
        case 'G': pd->compile_opts |= PCRE2_UNGREEDY; break;
        case 'R': pd->relative = true; break;
        case 'O': pd->no_limits = true; break;
        case 'B':
            if (pd->buffer_flag)
                return od_fail(err, errsz, "pcre: regex modifier 'B' inconsistent with '%c'", pd->buffer_flag);
            pd->rawbytes = true;
            break;
        default: {
            const char *buf = pcre_buffer_for_flag(*f);
            if (buf == NULL)
                return od_fail(err, errsz, "pcre: unknown regex modifier '%c'", *f);
            if (pd->rawbytes)
                return od_fail(err, errsz, "pcre: regex modifier '%c' inconsistent with 'B'", *f);
            if (pd->buffer_flag)
                return od_fail(err, errsz, "pcre: only one buffer modifier allowed ('%c' and '%c' given)",
                            pd->buffer_flag, *f);
            pd->buffer_flag = *f;
            pd->buffer = buf;
            break;
        }
        }
    }
    return true;
}

DetectPcre *pcre_parse(const char *value, char *err, size_t errsz)
{
    if (value == NULL) {
        od_fail(err, errsz, "pcre needs a value: pcre:\"/regex/flags\"");
        return NULL;
    }
    DetectPcre *pd = calloc(1, sizeof(*pd));
    if (pd == NULL) {
        od_fail(err, errsz, "pcre: out of memory");
        return NULL;
    }
    const char *s = value;
    while (isspace((unsigned char)*s))
        s++;
    while (*s == '!') {
        pd->negate = true; /* Suricata takes repeated `!` as one */
        s++;
        while (isspace((unsigned char)*s))
            s++;
    }
    const char *body, *body_end, *rest;
    char *inner_vars = NULL; /* a variable list inside the quotes */
    if (*s == '"') {
        body = s + 1;
        const char *q = strrchr(body, '"');
        if (q == NULL) {
            od_fail(err, errsz, "pcre: missing closing quote in %s", value);
            goto error;
        }
        body_end = q;
        rest = q + 1;
        /* Suricata 8 also takes the variable list inside the quotes:
         * "/re/flags, alert:x, flow:y" */
        const char *last = NULL;
        for (const char *p = body_end - 1; p > body; p--) {
            if (*p == '/') {
                last = p;
                break;
            }
        }
        const char *comma = last ? memchr(last, ',', (size_t)(body_end - last)) : NULL;
        if (comma) {
            inner_vars = strndup(comma, (size_t)(body_end - comma));
            if (inner_vars == NULL) {
                od_fail(err, errsz, "pcre: out of memory");
                goto error;
            }
            body_end = comma;
            while (body_end > body && isspace((unsigned char)body_end[-1]))
                body_end--;
        }
    } else {
        /* unquoted (the rule parser may already have removed the quotes) */
        body = s;
        const char *last = strrchr(s, '/');
        const char *comma = last ? strchr(last, ',') : NULL;
        body_end = comma ? comma : s + strlen(s);
        rest = body_end;
        while (body_end > body && isspace((unsigned char)body_end[-1]))
            body_end--;
    }
    if (body >= body_end || *body != '/') {
        od_fail(err, errsz, "pcre: the regex must be written /regex/flags (got %s)", value);
        goto error;
    }
    const char *close = NULL;
    for (const char *p = body_end - 1; p > body; p--) {
        if (*p == '/') {
            close = p;
            break;
        }
    }
    if (close == NULL) {
        od_fail(err, errsz, "pcre: missing closing '/' in %s", value);
        goto error;
    }
    size_t flen = (size_t)(body_end - close - 1);
    if (flen >= sizeof(pd->flags)) {
        od_fail(err, errsz, "pcre: too many regex modifiers in %s", value);
        goto error;
    }
    memcpy(pd->flags, close + 1, flen);
    pd->flags[flen] = '\0';
    pd->pattern = strndup(body + 1, (size_t)(close - body - 1));
    if (pd->pattern == NULL)
        goto error;
    if (!apply_flags(pd, pd->flags, err, errsz))
        goto error;
    if ((inner_vars && !parse_capture_list(pd, inner_vars, err, errsz)) || !parse_capture_list(pd, rest, err, errsz))
        goto error;
    free(inner_vars);
    inner_vars = NULL;
    if (pd->buffer_flag == 'W' && !(pd->compile_opts & PCRE2_CASELESS) && has_uppercase_literal(pd->pattern)) {
        od_fail(err, errsz,
             "pcre: the host buffer (W) is lowercase, but the regex has uppercase characters: add 'i' or use lowercase");
        goto error;
    }

    int errcode;
    PCRE2_SIZE erroff;
    pd->code = pcre2_compile((PCRE2_SPTR)pd->pattern, PCRE2_ZERO_TERMINATED, pd->compile_opts, &errcode, &erroff,
                             NULL);
    if (pd->code == NULL) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(errcode, msg, sizeof(msg));
        od_fail(err, errsz, "pcre: invalid regex \"%s\" at offset %zu: %s", pd->pattern, (size_t)erroff,
             (const char *)msg);
        goto error;
    }
    atomic_init(&pd->jit_done, 0); /* JIT-compiled at first use (pcre_inspect) */
    if (!scan_named_groups(pd, err, errsz))
        goto error;
    return pd;
error:
    free(inner_vars);
    pcre_free(pd);
    return NULL;
}

/* This thread's scratch, with match data for at least `pairs` pairs. */
static PcreScratch *get_scratch(uint32_t pairs)
{
    if (scratch.mctx == NULL) {
        scratch.mctx = pcre2_match_context_create(NULL);
        scratch.jit_stack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
        if (scratch.mctx == NULL)
            return NULL;
        if (scratch.jit_stack)
            pcre2_jit_stack_assign(scratch.mctx, NULL, scratch.jit_stack);
    }
    if (pairs < 16)
        pairs = 16;
    if (scratch.md == NULL || scratch.md_pairs < pairs) {
        pcre2_match_data_free(scratch.md);
        scratch.md = pcre2_match_data_create(pairs, NULL);
        scratch.md_pairs = scratch.md ? pairs : 0;
        if (scratch.md == NULL)
            return NULL;
    }
    return &scratch;
}

static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;

/* JIT-compiles pd's regex the first time any thread matches it. Every
 * thread checks jit_done before matching, and the compile happens under the
 * lock before jit_done is published, so no thread ever matches while the
 * code object is being changed. */
static void jit_once(const DetectPcre *pd)
{
    DetectPcre *m = (DetectPcre *)pd; /* the JIT state is a cache, not the rule's meaning */
    if (atomic_load_explicit(&m->jit_done, memory_order_acquire))
        return;
    pthread_mutex_lock(&jit_lock);
    if (!atomic_load_explicit(&m->jit_done, memory_order_relaxed)) {
        m->jit = pcre2_jit_compile(m->code, PCRE2_JIT_COMPLETE) == 0;
        atomic_store_explicit(&m->jit_done, 1, memory_order_release);
    }
    pthread_mutex_unlock(&jit_lock);
}

InspectResult pcre_inspect(const DetectPcre *pd, InspectCursor *cur, uint32_t *ovector, uint32_t ovpairs)
{
    jit_once(pd);
    cur->retryable = false;
    uint32_t base = pd->relative ? cur->offset : 0;
    if (base > cur->len)
        return INSPECT_NO_MATCH;
    uint32_t sublen = cur->len - base;
    uint32_t start = cur->retry_from > base ? cur->retry_from - base : 0;
    if (start > sublen)
        return pd->negate ? INSPECT_MATCH : INSPECT_NO_MATCH;

    uint32_t groups = 0;
    pcre2_pattern_info(pd->code, PCRE2_INFO_CAPTURECOUNT, &groups);
    PcreScratch *sc = get_scratch(groups + 1);
    if (sc == NULL)
        return INSPECT_NO_MATCH;
    if (pd->no_limits) {
        pcre2_set_match_limit(sc->mctx, UINT32_MAX);
        pcre2_set_depth_limit(sc->mctx, UINT32_MAX);
    } else {
        pcre2_set_match_limit(sc->mctx, default_match_limit);
        pcre2_set_depth_limit(sc->mctx, default_recursion_limit);
    }
    /* an empty subject still has an address for PCRE2 */
    static const uint8_t empty[1];
    const uint8_t *subject = cur->buf ? cur->buf + base : empty;
    int rc = pcre2_match(pd->code, subject, sublen, start, 0, sc->md, sc->mctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return pd->negate ? INSPECT_MATCH : INSPECT_NO_MATCH;
    if (rc < 0)
        return INSPECT_NO_MATCH; /* match limit hit, or another error */
    if (pd->negate)
        return INSPECT_NO_MATCH;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);
    uint32_t mstart = base + (uint32_t)ov[0];
    uint32_t mend = base + (uint32_t)ov[1];
    if (ovector) {
        uint32_t n = pcre2_get_ovector_count(sc->md);
        for (uint32_t i = 0; i < ovpairs; i++) {
            if (i < n && (rc == 0 || i < (uint32_t)rc) && ov[2 * i] != PCRE2_UNSET) {
                ovector[2 * i] = base + (uint32_t)ov[2 * i];
                ovector[2 * i + 1] = base + (uint32_t)ov[2 * i + 1];
            } else {
                ovector[2 * i] = ovector[2 * i + 1] = UINT32_MAX;
            }
        }
    }
    cur->offset = mend;
    cur->next_retry = mstart + 1;
    cur->retryable = cur->next_retry <= cur->len;
    return INSPECT_MATCH;
}
