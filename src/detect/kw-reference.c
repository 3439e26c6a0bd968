/*
 * reference: an external reference `type,id` (cve,2021-44228;
 * url,example.com/x) kept for EVE alert.references; spaces around the
 * comma are trimmed and the id's escapes undone. At most 256 per rule.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-meta.h"
#include "detect/rule-parse.h"

static bool reference_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    const char *comma = strchr(v, ',');
    if (!comma || comma == v || !comma[1])
        return rule_error(rp, "invalid reference '%s' (expected 'type,id', e.g. 'url,example.com')", v);
    if (s->ref_count >= 256)
        return rule_error(rp, "too many references");
    SigReference *n = realloc(s->refs, (s->ref_count + 1u) * sizeof(*n));
    if (!n)
        return rule_error(rp, "out of memory");
    s->refs = n;
    char *key = strndup(v, (size_t)(comma - v));
    char *val = strdup(comma + 1);
    if (!key || !val) {
        free(key);
        free(val);
        return rule_error(rp, "out of memory");
    }
    /* trim */
    size_t kl = strlen(key);
    while (kl && isspace((unsigned char)key[kl - 1]))
        key[--kl] = '\0';
    char *vs = val;
    while (isspace((unsigned char)*vs))
        vs++;
    memmove(val, vs, strlen(vs) + 1);
    rule_unescape(val);
    s->refs[s->ref_count].key = key;
    s->refs[s->ref_count].value = val;
    s->ref_count++;
    return true;
}

void meta_register_reference(void)
{
    keyword_register(&(const KeywordDef){
            .name = "reference",
            .help = "external reference 'type,id'",
            .setup = reference_setup,
    });
}
