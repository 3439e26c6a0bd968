/*
 * requires: `feature X` and `version >= 7.0.3 < 9` conditions. The
 * parser evaluates it before anything else (rule-parse.c), so a rule whose
 * requirements are not met is skipped silently, as Suricata does; its
 * setup here checks the syntax and marks the skip.
 */
#include "detect/kw-meta.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/rule-parse.h"

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

void meta_register_requires(void)
{
    keyword_register(&(const KeywordDef){
            .name = "requires",
            .help = "skip the rule unless features/version are met",
            .setup = requires_setup,
    });
}
