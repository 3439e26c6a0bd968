/*
 * The application-layer buffer registry (see buffer-registry.h): a small
 * fixed table filled at start-up by the kw-buffers-*.c families, looked up
 * by name when rules are parsed and by list id when they are inspected.
 */
#include "detect/buffer-registry.h"

#include <string.h>

static BufferDef table[BUFFER_MAX];
static int table_count;

int buffer_register(const BufferDef *def)
{
    int id = buffer_lookup(def->name);
    if (id >= 0)
        return id;
    if (table_count >= BUFFER_MAX)
        return -1;
    table[table_count] = *def;
    return table_count++;
}

int buffer_lookup(const char *name)
{
    for (int i = 0; i < table_count; i++)
        if (strcmp(table[i].name, name) == 0)
            return i;
    return -1;
}

const BufferDef *buffer_by_list(uint16_t list_id)
{
    if (list_id < SIG_LIST_BUFFER_BASE)
        return NULL;
    int id = list_id - SIG_LIST_BUFFER_BASE;
    return id < table_count ? &table[id] : NULL;
}
