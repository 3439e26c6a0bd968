/*
 * Reading rule files (see rule-load.h).
 *
 * A file is read line by line; `#` lines and blank lines are skipped, and a
 * line ending in a backslash continues on the next one (the rule keeps the
 * line number where it started). Rules are read in batches; the rules of a
 * batch are parsed on several threads at once (each rule on its own, into
 * its own Signature), then added to the engine one by one in file order, so
 * the messages, duplicate handling and the result are those of a
 * rule-by-rule load. A failed rule is reported as Suricata 8 does, in two
 * messages (tools match either one exactly):
 *   Error: odlar: <reason>
 *   Error: odlar: error parsing signature "<rule text>" from file <file> at line <line>
 * and counted, the others load. A rule whose gid:sid was already loaded
 * replaces the earlier one, with a warning, when its rev is higher (both
 * count as loaded, as in Suricata); otherwise it is Suricata's "Duplicate
 * signature" error and counts as failed. Lines are capped at
 * RULE_LINE_MAX bytes (longer rules are errors), files at 1e6 rules.
 */
#include "detect/rule-load.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detect/header-memo.h"
#include "detect/rule-parse.h"
#include "util/log.h"

#define RULE_LINE_MAX (256u * 1024u)

static _Thread_local RuleFailedFn failure_hook; /* reload */
static _Thread_local void *failure_hook_ctx;

void rules_set_failure_hook(RuleFailedFn fn, void *ctx)
{
    failure_hook = fn;
    failure_hook_ctx = ctx;
}

/* A rule as read from its file, waiting to be parsed. */
typedef struct RuleText {
    char *text; /* NULL: the rule was longer than RULE_LINE_MAX */
    int line;
} RuleText;

/* What parsing it gave. */
typedef struct ParsedRule {
    Signature *s;
    bool skipped; /* requires: not met */
    char *error; /* why it failed (NULL: out of memory) */
} ParsedRule;

/* Rules parsed together: read up to BATCH_RULES, parse them on the
 * parsing threads, then add them to the engine in file order. */
#define BATCH_RULES 4096
/* Below this many rules one thread parses them (threads cost more). */
#define PARALLEL_MIN_RULES 256
#define PARSE_THREADS_MAX 8
#define PARSE_CHUNK 32 /* rules a thread claims at a time */

typedef struct RuleBatch {
    DetectEngine *de;
    Conf *conf;
    const char *file;
    RuleText texts[BATCH_RULES];
    ParsedRule parsed[BATCH_RULES];
    size_t count;
    atomic_size_t next; /* first rule no thread has claimed */
} RuleBatch;

static void parse_one(RuleBatch *b, size_t i, HeaderMemo *memo)
{
    ParsedRule *out = &b->parsed[i];
    memset(out, 0, sizeof(*out));
    if (!b->texts[i].text)
        return;
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, b->de, b->conf, b->file, b->texts[i].line);
    rp.memo = memo;
    out->s = rule_parse(&rp, b->texts[i].text);
    if (!out->s) {
        out->skipped = rp.skipped;
        if (!rp.skipped)
            out->error = strdup(rp.error);
    }
}

/* Parses chunks of the batch until none is left, with a memo of header
 * fields of its own (header-memo.h; none when out of memory: fields are
 * then parsed each time). */
static void *parse_thread(void *arg)
{
    RuleBatch *b = arg;
    HeaderMemo *memo = header_memo_new();
    for (;;) {
        size_t first = atomic_fetch_add(&b->next, PARSE_CHUNK);
        if (first >= b->count)
            break;
        size_t end = first + PARSE_CHUNK < b->count ? first + PARSE_CHUNK : b->count;
        for (size_t i = first; i < end; i++)
            parse_one(b, i, memo);
    }
    header_memo_free(memo);
    return NULL;
}

static unsigned parse_threads(size_t rules)
{
    if (rules < PARALLEL_MIN_RULES)
        return 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 1)
        return 1;
    return cpus > PARSE_THREADS_MAX ? PARSE_THREADS_MAX : (unsigned)cpus;
}

/* Parses the batch: the calling thread and up to PARSE_THREADS_MAX - 1
 * more, each claiming chunks of rules. Rule parsing reads the shared
 * tables (keywords, buffers, classifications, configuration) and writes
 * only the rule's own Signature; the few registries keywords share
 * (datasets, sd_pattern databases, iprep) take their locks. */
static void parse_batch(RuleBatch *b)
{
    atomic_store(&b->next, 0);
    pthread_t threads[PARSE_THREADS_MAX];
    unsigned want = parse_threads(b->count), started = 0;
    for (unsigned t = 1; t < want; t++) {
        if (pthread_create(&threads[started], NULL, parse_thread, b) != 0)
            break; /* the others do the work */
        started++;
    }
    parse_thread(b);
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
}

/* Adds the parsed rules to the engine in file order, reporting failures. */
static void commit_batch(RuleBatch *b, RuleLoadStats *st)
{
    for (size_t i = 0; i < b->count; i++) {
        const RuleText *t = &b->texts[i];
        ParsedRule *r = &b->parsed[i];
        if (!t->text) {
            st->failed++;
            od_error("%s:%d: rule is longer than %u bytes", b->file, t->line, RULE_LINE_MAX);
        } else if (!r->s && r->skipped) {
            st->skipped++;
            od_info("%s:%d: rule skipped: its requires: condition is not met", b->file, t->line);
        } else if (!r->s) {
            const char *why = r->error ? r->error : "out of memory";
            st->failed++;
            /* the keyword's reason on its own, then the rule and where it is,
             * as Suricata's log has them */
            od_error("%s", why);
            od_error("error parsing signature \"%s\" from file %s at line %d", t->text, b->file, t->line);
            if (failure_hook)
                failure_hook(failure_hook_ctx, b->file, t->line, why, t->text);
        } else {
            switch (detect_engine_add(b->de, r->s)) {
            case DETECT_ADD_OK:
                st->loaded++;
                break;
            case DETECT_ADD_REPLACED: /* Suricata counts both rules as loaded */
                od_warn("Signature with newer revision, so the older sig replaced by this new signature \"%s\"",
                        t->text);
                st->loaded++;
                break;
            case DETECT_ADD_DUPLICATE:
                st->failed++;
                od_error("Duplicate signature \"%s\"", t->text);
                od_error("error parsing signature \"%s\" from file %s at line %d", t->text, b->file, t->line);
                if (failure_hook)
                    failure_hook(failure_hook_ctx, b->file, t->line, "duplicate signature", t->text);
                break;
            case DETECT_ADD_FAILED:
                st->failed++;
                break;
            }
            r->s = NULL;
        }
        free(r->error);
        free(b->texts[i].text);
    }
    b->count = 0;
}

/* Queues one rule; a full batch is parsed and committed first. */
static void queue_rule(RuleBatch *b, char *text, int line, RuleLoadStats *st)
{
    if (b->count == BATCH_RULES) {
        parse_batch(b);
        commit_batch(b, st);
    }
    b->texts[b->count].text = text;
    b->texts[b->count].line = line;
    b->count++;
}

static bool blank_or_comment(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return *s == '\0' || *s == '#';
}

static void load_stream(DetectEngine *de, Conf *conf, FILE *fp, const char *name, RuleLoadStats *st)
{
    RuleBatch *b = calloc(1, sizeof(*b));
    if (!b) {
        od_error("%s: out of memory reading rules", name);
        return;
    }
    b->de = de;
    b->conf = conf;
    b->file = name;
    char *acc = NULL;
    size_t acc_len = 0;
    int start_line = 0, lineno = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool too_long = false;
    while ((n = getline(&line, &cap, fp)) != -1) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (!acc && !too_long && blank_or_comment(line))
            continue;
        bool cont = n > 0 && line[n - 1] == '\\';
        if (cont)
            line[--n] = '\0';
        if (!acc && !too_long)
            start_line = lineno;
        if (too_long || acc_len + (size_t)n + 1 > RULE_LINE_MAX) {
            too_long = true;
            free(acc);
            acc = NULL;
            acc_len = 0;
        } else {
            char *na = realloc(acc, acc_len + (size_t)n + 1);
            if (!na)
                break;
            acc = na;
            memcpy(acc + acc_len, line, (size_t)n + 1);
            acc_len += (size_t)n;
        }
        if (cont)
            continue;
        if (too_long)
            queue_rule(b, NULL, start_line, st);
        else if (!blank_or_comment(acc))
            queue_rule(b, acc, start_line, st);
        else
            free(acc);
        acc = NULL;
        acc_len = 0;
        too_long = false;
    }
    if (too_long) /* file ended inside a continued rule */
        queue_rule(b, NULL, start_line, st);
    if (acc) {
        if (!blank_or_comment(acc))
            queue_rule(b, acc, start_line, st);
        else
            free(acc);
    }
    free(line);
    parse_batch(b);
    commit_batch(b, st);
    free(b);
}

bool rules_load_file(DetectEngine *de, Conf *conf, const char *path, RuleLoadStats *st)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        od_warn("cannot open rule file %s: %s", path, strerror(errno));
        st->missing_files++;
        return false;
    }
    st->files++;
    load_stream(de, conf, fp, path, st);
    fclose(fp);
    return true;
}

bool rules_load_string(DetectEngine *de, Conf *conf, const char *text, const char *name, RuleLoadStats *st)
{
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    if (!fp)
        return false;
    load_stream(de, conf, fp, name, st);
    fclose(fp);
    return true;
}

void rules_load_all(DetectEngine *de, Conf *conf, const RuleLoadOptions *o, RuleLoadStats *st)
{
    memset(st, 0, sizeof(*st));
    if (o->exclusive) {
        rules_load_file(de, conf, o->exclusive, st);
    } else {
        const char *dir = NULL;
        conf_get_str(conf, "default-rule-path", &dir);
        ConfNode *files = conf_node(conf, "rule-files");
        for (ConfNode *n = files ? files->first_child : NULL; n; n = n->next) {
            if (!n->value)
                continue;
            char path[4096];
            if (n->value[0] == '/' || !dir)
                snprintf(path, sizeof(path), "%s", n->value);
            else
                snprintf(path, sizeof(path), "%s/%s", dir, n->value);
            rules_load_file(de, conf, path, st);
        }
    }
    for (int i = 0; i < o->extra_count; i++)
        rules_load_file(de, conf, o->extra[i], st);
    od_notice("%d rule files processed. %d rules successfully loaded, %d rules failed, %d rules skipped", st->files,
              st->loaded, st->failed, st->skipped);
}
