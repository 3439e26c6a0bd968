/*
 * The `flowvars` family (flowbits, flowint, xbits): its registration and
 * what the keywords' hash/equal share (a variable name's part). Each
 * keyword's parser, evaluators, setup and descriptor are in its own file:
 * kw-flowbits.c, kw-flowint.c, kw-xbits.c.
 */
#include <string.h>

#include "detect/kw-flowvars.h"

uint32_t flowvar_name_hash_mix(uint32_t h, const FlowVarName *n)
{
    return (h ^ (n && n->name ? n->hash : 0)) * 16777619u;
}

bool flowvar_name_equal(const FlowVarName *a, const FlowVarName *b)
{
    if (a->name == NULL || b->name == NULL)
        return a->name == b->name;
    return strcmp(a->name, b->name) == 0;
}

void keywords_register_flowvars(void)
{
    flowvars_register_flowbits();
    flowvars_register_flowint();
    flowvars_register_xbits();
}
