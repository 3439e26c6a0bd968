/*
 * The keyword table: every rule keyword's descriptor, registered once at
 * start-up by the keyword families listed in keyword-families.h.
 *
 * Ids are positions in the table and are stored in SigMatch.kw, so the table
 * only grows, and only before any rule is parsed. After keywords_init() it is
 * read-only and shared by all threads. The table has a fixed cap
 * (KEYWORD_TABLE_MAX); registering past it is a programming error that is
 * reported and ignored.
 *
 * Names and aliases are found through two open-addressing hash indexes
 * filled as keywords register (a rule set like ET Open looks up about
 * 400,000 option names; a scan of the table cost 5% of its load).
 */
#include "detect/keyword.h"

#include <string.h>

#include "detect/keyword-families.h"
#include "util/log.h"

#define KEYWORD_TABLE_MAX 1024

#define KEYWORD_INDEX_SIZE (4 * KEYWORD_TABLE_MAX) /* a power of two, never over 1/4 full */

static KeywordDef table[KEYWORD_TABLE_MAX];
static uint16_t table_count;
static bool initialised;
/* id + 1 of the keyword with that name (or alias); 0 for an empty slot */
static uint16_t by_name[KEYWORD_INDEX_SIZE], by_alias[KEYWORD_INDEX_SIZE];

static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

/* The id under `name` in `index`, or -1; `alias` picks which string of
 * the table entry the index holds. */
static int index_find(const uint16_t *index, const char *name, bool alias)
{
    for (uint32_t i = name_hash(name) & (KEYWORD_INDEX_SIZE - 1);; i = (i + 1) & (KEYWORD_INDEX_SIZE - 1)) {
        if (index[i] == 0)
            return -1;
        const KeywordDef *d = &table[index[i] - 1];
        if (strcmp(alias ? d->alias : d->name, name) == 0)
            return index[i] - 1;
    }
}

static void index_add(uint16_t *index, const char *name, uint16_t id)
{
    uint32_t i = name_hash(name) & (KEYWORD_INDEX_SIZE - 1);
    while (index[i] != 0)
        i = (i + 1) & (KEYWORD_INDEX_SIZE - 1);
    index[i] = (uint16_t)(id + 1);
}

uint16_t keyword_register(const KeywordDef *def)
{
    int known = index_find(by_name, def->name, false);
    if (known >= 0)
        return (uint16_t)known;
    if (table_count >= KEYWORD_TABLE_MAX) {
        od_error("keyword table full (%d keywords): '%s' not registered", KEYWORD_TABLE_MAX, def->name);
        return 0;
    }
    table[table_count] = *def;
    index_add(by_name, def->name, table_count);
    /* the first keyword to claim an alias keeps it, as the scan did */
    if (def->alias && index_find(by_alias, def->alias, true) < 0)
        index_add(by_alias, def->alias, table_count);
    return table_count++;
}

const KeywordDef *keyword_get(uint16_t id)
{
    return id < table_count ? &table[id] : NULL;
}

uint16_t keyword_count(void)
{
    return table_count;
}

int keyword_lookup(const char *name)
{
    int id = index_find(by_name, name, false);
    return id >= 0 ? id : index_find(by_alias, name, true);
}

/* Registers every family once; later calls do nothing (tests call it from
 * each test setup). Must run before threads start. */
void keywords_init(void)
{
    if (initialised)
        return;
    initialised = true;
#define KEYWORD_FAMILY_CALL(name) keywords_register_##name();
    KEYWORD_FAMILIES(KEYWORD_FAMILY_CALL)
#undef KEYWORD_FAMILY_CALL
}
