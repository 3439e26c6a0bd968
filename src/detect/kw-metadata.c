/*
 * metadata: comma-separated `key value` entries kept for EVE
 * alert.metadata; an entry without a value is ignored, as Suricata
 * ignores it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-meta.h"
#include "detect/rule-parse.h"

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

void meta_register_metadata(void)
{
    keyword_register(&(const KeywordDef){
            .name = "metadata",
            .help = "key value pairs",
            .setup = metadata_setup,
    });
}
