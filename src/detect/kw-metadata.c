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

/* One allocation per keyword: the value copied once, split in place into
 * its entries; the first entry kept owns it (SigMetadata.block). A rule
 * set's metadata is most of its keyword instances -- ET Open has 186,000
 * entries -- and an allocation per entry made this keyword 118 million of
 * a warm ET Open load's 1,433 million instructions (51 million now). */
static bool metadata_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    char *block = strdup(v);
    if (!block)
        return rule_error(rp, "out of memory");
    uint32_t entries = 1, cap = s->meta_count;
    for (const char *c = strchr(block, ','); c; c = strchr(c + 1, ','))
        entries++;
    bool owned = false; /* an entry holds the block */
    for (char *next = block; next;) {
        char *item = next, *comma = strchr(next, ',');
        next = NULL;
        if (comma) {
            *comma = '\0';
            next = comma + 1;
        }
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
            if (!owned)
                free(block);
            return rule_error(rp, "too much metadata");
        }
        if (s->meta_count == cap) { /* room for all the entries of this keyword at once */
            cap = s->meta_count + entries;
            SigMetadata *n = realloc(s->meta, cap * sizeof(*n));
            if (!n) {
                if (!owned)
                    free(block);
                return rule_error(rp, "out of memory");
            }
            s->meta = n;
        }
        s->meta[s->meta_count++] = (SigMetadata){ .key = item, .value = val, .block = owned ? NULL : block };
        owned = true;
    }
    if (!owned)
        free(block);
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
