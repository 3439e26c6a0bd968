/*
 * The Public Suffix List (see public-suffix.h). Rules are kept in one
 * open-addressing hash set of lower-case strings, tagged normal, wildcard
 * ("*.x" stored as "x") or exception ("!y.x" stored as "y.x"). A name's
 * public suffix is given by the prevailing rule: an exception rule if one
 * matches (the suffix is the rule minus its first label), else the
 * matching rule with the most labels, else the implicit rule "*" (the last
 * label).
 */
#include "detect/public-suffix.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RULE_NORMAL = 1, RULE_WILDCARD = 2, RULE_EXCEPTION = 4 };

typedef struct Rule {
    char *name; /* NULL: empty slot */
    uint32_t len;
    uint8_t kinds;
} Rule;

static Rule *table;
static uint32_t table_cap; /* power of two */
static bool loaded;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static uint32_t hash_ci(const uint8_t *p, uint32_t n)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)tolower(p[i])) * 16777619u;
    return h;
}

static Rule *slot(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = hash_ci(p, n) & (table_cap - 1);; i = (i + 1) & (table_cap - 1)) {
        Rule *r = &table[i];
        if (!r->name || (r->len == n && strncasecmp(r->name, (const char *)p, n) == 0))
            return r;
    }
}

static bool add_rule(const char *text, uint32_t n, uint8_t kind, uint32_t *count)
{
    Rule *r = slot((const uint8_t *)text, n);
    if (!r->name) {
        if (*count + 1 > table_cap / 2)
            return false; /* sized from the line count: cannot happen */
        r->name = strndup(text, n);
        if (!r->name)
            return false;
        r->len = n;
        (*count)++;
    }
    r->kinds |= kind;
    return true;
}

static void load(void)
{
    FILE *fp = fopen(PUBLIC_SUFFIX_FILE, "r");
    if (!fp)
        return;
    uint32_t lines = 0;
    char line[512];
    while (fgets(line, sizeof(line), fp))
        lines++;
    table_cap = 64;
    while (table_cap < lines * 2 + 2)
        table_cap *= 2;
    table = calloc(table_cap, sizeof(Rule));
    if (!table) {
        fclose(fp);
        return;
    }
    rewind(fp);
    uint32_t count = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof(line), fp)) {
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (p[0] == '/' && p[1] == '/')
            continue;
        uint32_t n = 0;
        while (p[n] && !isspace((unsigned char)p[n]))
            n++;
        if (n == 0)
            continue;
        if (p[0] == '!' && n > 1)
            ok = add_rule(p + 1, n - 1, RULE_EXCEPTION, &count);
        else if (p[0] == '*' && p[1] == '.' && n > 2)
            ok = add_rule(p + 2, n - 2, RULE_WILDCARD, &count);
        else
            ok = add_rule(p, n, RULE_NORMAL, &count);
    }
    fclose(fp);
    loaded = ok && count > 0;
}

bool public_suffix_load(void)
{
    pthread_once(&load_once, load);
    return loaded;
}

static uint8_t kinds_of(const uint8_t *p, uint32_t n)
{
    Rule *r = slot(p, n);
    return r->name ? r->kinds : 0;
}

bool public_suffix_split(const uint8_t *name, uint32_t len, int64_t *suffix_off, int64_t *domain_off)
{
    if (!public_suffix_load())
        return false;
    if (len > 0 && name[len - 1] == '.')
        len--;
    if (len == 0)
        return false;
    /* label starts, left to right */
    uint32_t starts[128];
    uint32_t nl = 0;
    starts[nl++] = 0;
    for (uint32_t i = 0; i < len; i++)
        if (name[i] == '.' && i + 1 < len) {
            if (nl == sizeof(starts) / sizeof(starts[0]))
                return false;
            starts[nl++] = i + 1;
        }
    int64_t found = -1; /* label index where the public suffix starts */
    for (uint32_t k = 0; k < nl && found < 0; k++)
        if (kinds_of(name + starts[k], len - starts[k]) & RULE_EXCEPTION)
            found = k + 1;
    for (uint32_t k = 0; k < nl && found < 0; k++) {
        if (kinds_of(name + starts[k], len - starts[k]) & RULE_NORMAL)
            found = k;
        else if (k + 1 < nl && (kinds_of(name + starts[k + 1], len - starts[k + 1]) & RULE_WILDCARD))
            found = k;
    }
    if (found < 0 || found >= (int64_t)nl)
        found = nl - 1; /* the implicit "*" rule */
    *suffix_off = starts[found];
    *domain_off = found > 0 ? (int64_t)starts[found - 1] : -1;
    return true;
}
