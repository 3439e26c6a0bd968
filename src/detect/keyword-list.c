/*
 * `odlar --list-keywords[=all|csv|<keyword>]`: what a rule writer can use,
 * from the keyword table itself, so the list never drifts from what the
 * parser accepts. Like Suricata's SigTableList: every keyword with its
 * description and features (alphabetical here), the same as `;`-separated
 * lines with `csv`, or one keyword (by name or legacy alias) on its own.
 */
#include "detect/keyword-list.h"

#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"

static int by_name(const void *a, const void *b)
{
    const KeywordDef *x = *(const KeywordDef *const *)a, *y = *(const KeywordDef *const *)b;
    return strcmp(x->name, y->name);
}

/* The features of a keyword as words, comma-separated ("none" for none). */
static void features(const KeywordDef *k, char *out, size_t len)
{
    static const struct {
        uint32_t flag;
        const char *word;
    } words[] = {
        { KW_STICKY_BUFFER, "sticky buffer" },
        { KW_CONTENT_MODIFIER, "content modifier" },
        { KW_TRANSFORM, "transform" },
        { KW_NOOPT, "no option" },
        { KW_OPTIONAL_VALUE, "optional value" },
        { KW_QUOTES_MANDATORY, "quotes mandatory" },
        { KW_DEPRECATED, "deprecated" },
    };
    out[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (!(k->flags & words[i].flag))
            continue;
        int n = snprintf(out + used, len - used, "%s%s", used ? ", " : "", words[i].word);
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
    }
    if (!used)
        snprintf(out, len, "none");
}

static void print_one(FILE *out, const KeywordDef *k, bool csv)
{
    char feat[160];
    features(k, feat, sizeof(feat));
    const char *help = k->help ? k->help : "";
    if (csv) {
        fprintf(out, "%s;%s;%s;%s\n", k->name, k->alias ? k->alias : "", help, feat);
        return;
    }
    fprintf(out, "%s:\n", k->name);
    if (k->alias)
        fprintf(out, "\tAlias: %s\n", k->alias);
    fprintf(out, "\tDescription: %s\n", help);
    fprintf(out, "\tFeatures: %s\n", feat);
}

bool keyword_list_print(FILE *out, const char *which)
{
    keywords_init();
    bool all = !which || !*which || strcmp(which, "all") == 0;
    bool csv = which && strcmp(which, "csv") == 0;
    if (!all && !csv) {
        int id = keyword_lookup(which);
        if (id < 0)
            return false;
        print_one(out, keyword_get((uint16_t)id), false);
        return true;
    }
    uint16_t n = keyword_count();
    const KeywordDef **sorted = malloc((size_t)n * sizeof(*sorted));
    if (!sorted)
        return false;
    for (uint16_t i = 0; i < n; i++)
        sorted[i] = keyword_get(i);
    qsort(sorted, n, sizeof(*sorted), by_name);
    if (csv)
        fprintf(out, "name;alias;description;features\n");
    for (uint16_t i = 0; i < n; i++)
        print_one(out, sorted[i], csv);
    free(sorted);
    return true;
}
