/*
 * Reading rule files (see rule-load.h).
 *
 * A file is read line by line; `#` lines and blank lines are skipped, and a
 * line ending in a backslash continues on the next one (the rule keeps the
 * line number where it started). Each rule is parsed on its own: a failed
 * rule is reported as
 *   Error: odlar: <file>:<line>: <reason>: <rule text>
 * and counted, the others load. A rule whose gid:sid was already loaded
 * replaces the earlier one with a warning. Lines are capped at
 * RULE_LINE_MAX bytes (longer rules are errors), files at 1e6 rules.
 */
#include "detect/rule-load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void load_rule(DetectEngine *de, Conf *conf, const char *text, const char *file, int line, RuleLoadStats *st)
{
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, de, conf, file, line);
    Signature *s = rule_parse(&rp, text);
    if (!s) {
        if (rp.skipped) {
            st->skipped++;
            od_info("%s:%d: rule skipped: its requires: condition is not met", file, line);
            return;
        }
        st->failed++;
        /* the reason first for the rule writer; Suricata's wording after it, for
         * tools that grep its log */
        od_error("%s:%d: %s; error parsing signature \"%s\"", file, line, rp.error, text);
        if (failure_hook)
            failure_hook(failure_hook_ctx, file, line, rp.error, text);
        return;
    }
    uint32_t gid = s->gid, sid = s->sid;
    bool replaced = false;
    if (!detect_engine_add(de, s, &replaced)) {
        st->failed++;
        return;
    }
    if (replaced) {
        od_warn("%s:%d: duplicate signature %u:%u; the later rule replaces the earlier one", file, line, gid, sid);
        st->loaded--; /* the earlier one no longer counts */
    }
    st->loaded++;
}

static bool blank_or_comment(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return *s == '\0' || *s == '#';
}

static void load_stream(DetectEngine *de, Conf *conf, FILE *fp, const char *name, RuleLoadStats *st)
{
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
        if (!acc && blank_or_comment(line))
            continue;
        bool cont = n > 0 && line[n - 1] == '\\';
        if (cont)
            line[--n] = '\0';
        if (!acc)
            start_line = lineno;
        if (acc_len + (size_t)n + 1 > RULE_LINE_MAX) {
            too_long = true;
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
        if (too_long) {
            st->failed++;
            od_error("%s:%d: rule is longer than %u bytes", name, start_line, RULE_LINE_MAX);
        } else if (!blank_or_comment(acc)) {
            load_rule(de, conf, acc, name, start_line, st);
        }
        free(acc);
        acc = NULL;
        acc_len = 0;
        too_long = false;
    }
    if (acc) { /* file ended inside a continued rule */
        if (!blank_or_comment(acc))
            load_rule(de, conf, acc, name, start_line, st);
        free(acc);
    }
    free(line);
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
