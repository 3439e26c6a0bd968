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
    uint32_t entries = 1, cap = s->meta_count;
    for (const char *c = strchr(v, ','); c; c = strchr(c + 1, ','))
        entries++;
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
        if (s->meta_count == cap) { /* room for all the entries of this keyword at once */
            cap = s->meta_count + entries;
            SigMetadata *n = realloc(s->meta, cap * sizeof(*n));
            if (!n) {
                free(copy);
                return rule_error(rp, "out of memory");
            }
            s->meta = n;
        }
        /* key and value in one allocation: "key\0value\0" (signature_free
         * frees the key only) */
        size_t kl = strlen(item), vl = strlen(val);
        char *kv = malloc(kl + vl + 2);
        if (!kv) {
            free(copy);
            return rule_error(rp, "out of memory");
        }
        memcpy(kv, item, kl + 1);
        memcpy(kv + kl + 1, val, vl + 1);
        s->meta[s->meta_count].key = kv;
        s->meta[s->meta_count].value = kv + kl + 1;
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
