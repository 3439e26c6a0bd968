/*
 * The keyword table: every rule keyword's descriptor, registered once at
 * start-up by the keyword families listed in keyword-families.h.
 *
 * Ids are positions in the table and are stored in SigMatch.kw, so the table
 * only grows, and only before any rule is parsed. After keywords_init() it is
 * read-only and shared by all threads. The table has a fixed cap
 * (KEYWORD_TABLE_MAX); registering past it is a programming error that is
 * reported and ignored.
 */
#include "detect/keyword.h"

#include <string.h>

#include "detect/keyword-families.h"
#include "util/log.h"

#define KEYWORD_TABLE_MAX 1024

static KeywordDef table[KEYWORD_TABLE_MAX];
static uint16_t table_count;
static bool initialised;

uint16_t keyword_register(const KeywordDef *def)
{
    for (uint16_t i = 0; i < table_count; i++)
        if (strcmp(table[i].name, def->name) == 0)
            return i;
    if (table_count >= KEYWORD_TABLE_MAX) {
        od_error("keyword table full (%d keywords): '%s' not registered", KEYWORD_TABLE_MAX, def->name);
        return 0;
    }
    table[table_count] = *def;
    return table_count++;
}

const KeywordDef *keyword_get(uint16_t id)
{
    return id < table_count ? &table[id] : NULL;
}

int keyword_lookup(const char *name)
{
    for (uint16_t i = 0; i < table_count; i++) {
        if (strcmp(table[i].name, name) == 0)
            return i;
    }
    for (uint16_t i = 0; i < table_count; i++) {
        if (table[i].alias && strcmp(table[i].alias, name) == 0)
            return i;
    }
    return -1;
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
