/*
 * The per-flow variable store behind flowbits, flowint and the entropy
 * keyword's values: a small array of (type, name, value) entries searched linearly -- flows carry a handful of
 * variables, and a compare on the precomputed hash settles most misses. The
 * array grows by doubling up to FLOW_VARS_MAX entries; past that, new
 * variables are dropped and counted. Entries stay in the order they were
 * first set.
 */
#include "detect/flow-vars.h"

#include <stdlib.h>
#include <string.h>

enum { FV_BIT = 1, FV_INT = 2, FV_FLOAT = 3 };

typedef struct FlowVarEntry {
    uint8_t type;
    uint32_t hash;
    char *name;
    uint32_t value;
    double fvalue; /* FV_FLOAT */
} FlowVarEntry;

struct FlowVarStore {
    FlowVarEntry *items;
    uint32_t count, cap;
    uint64_t dropped;
};

void flow_var_name_hash(FlowVarName *n)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *c = (const unsigned char *)n->name; *c; c++) {
        h ^= *c;
        h *= 16777619u;
    }
    n->hash = h;
}

static FlowVarEntry *find(const struct FlowVarStore *st, uint8_t type, const FlowVarName *n)
{
    if (st == NULL)
        return NULL;
    for (uint32_t i = 0; i < st->count; i++) {
        FlowVarEntry *e = &st->items[i];
        if (e->type == type && e->hash == n->hash && strcmp(e->name, n->name) == 0)
            return e;
    }
    return NULL;
}

/* Adds a new entry (caller checked it does not exist); NULL when full. */
static FlowVarEntry *add(Flow *f, uint8_t type, const FlowVarName *n)
{
    struct FlowVarStore *st = f->vars;
    if (st == NULL) {
        st = calloc(1, sizeof(*st));
        if (st == NULL)
            return NULL;
        f->vars = st;
    }
    if (st->count >= FLOW_VARS_MAX) {
        st->dropped++;
        return NULL;
    }
    if (st->count == st->cap) {
        uint32_t ncap = st->cap ? st->cap * 2 : 4;
        if (ncap > FLOW_VARS_MAX)
            ncap = FLOW_VARS_MAX;
        FlowVarEntry *ni = realloc(st->items, ncap * sizeof(*ni));
        if (ni == NULL) {
            st->dropped++;
            return NULL;
        }
        st->items = ni;
        st->cap = ncap;
    }
    char *name = strdup(n->name);
    if (name == NULL) {
        st->dropped++;
        return NULL;
    }
    FlowVarEntry *e = &st->items[st->count++];
    e->type = type;
    e->hash = n->hash;
    e->name = name;
    e->value = 0;
    return e;
}

/* Keeps the order of the others: EVE lists variables in the order they
 * were set, as Suricata does. */
static void remove_entry(struct FlowVarStore *st, FlowVarEntry *e)
{
    free(e->name);
    size_t i = (size_t)(e - st->items);
    memmove(e, e + 1, (st->count - i - 1) * sizeof(*e));
    st->count--;
}

bool flow_bit_isset(const Flow *f, const FlowVarName *n)
{
    return f != NULL && find(f->vars, FV_BIT, n) != NULL;
}

bool flow_bit_set(Flow *f, const FlowVarName *n)
{
    if (f == NULL || find(f->vars, FV_BIT, n) != NULL)
        return false;
    return add(f, FV_BIT, n) != NULL;
}

void flow_bit_unset(Flow *f, const FlowVarName *n)
{
    FlowVarEntry *e = f ? find(f->vars, FV_BIT, n) : NULL;
    if (e != NULL)
        remove_entry(f->vars, e);
}

void flow_bit_toggle(Flow *f, const FlowVarName *n)
{
    if (f == NULL)
        return;
    FlowVarEntry *e = find(f->vars, FV_BIT, n);
    if (e != NULL)
        remove_entry(f->vars, e);
    else
        add(f, FV_BIT, n);
}

bool flow_int_get(const Flow *f, const FlowVarName *n, uint32_t *out)
{
    const FlowVarEntry *e = f ? find(f->vars, FV_INT, n) : NULL;
    if (e == NULL)
        return false;
    *out = e->value;
    return true;
}

bool flow_int_set(Flow *f, const FlowVarName *n, uint32_t value)
{
    if (f == NULL)
        return false;
    FlowVarEntry *e = find(f->vars, FV_INT, n);
    if (e == NULL)
        e = add(f, FV_INT, n);
    if (e == NULL)
        return false;
    e->value = value;
    return true;
}

bool flow_float_set(Flow *f, const FlowVarName *n, double value)
{
    if (f == NULL)
        return false;
    FlowVarEntry *e = find(f->vars, FV_FLOAT, n);
    if (e == NULL)
        e = add(f, FV_FLOAT, n);
    if (e == NULL)
        return false;
    e->fvalue = value;
    return true;
}

void flow_vars_each(const Flow *f, FlowVarVisit visit, void *user)
{
    const struct FlowVarStore *st = f ? f->vars : NULL;
    for (uint32_t i = 0; st && i < st->count; i++)
        if (st->items[i].type != FV_FLOAT)
            visit(st->items[i].type == FV_BIT, st->items[i].name, st->items[i].value, user);
}

uint32_t flow_floats_each(const Flow *f, FlowFloatVisit visit, void *user)
{
    const struct FlowVarStore *st = f ? f->vars : NULL;
    uint32_t n = 0;
    for (uint32_t i = 0; st && i < st->count; i++) {
        if (st->items[i].type != FV_FLOAT)
            continue;
        n++;
        if (visit)
            visit(st->items[i].name, st->items[i].fvalue, user);
    }
    return n;
}

uint32_t flow_vars_count(const Flow *f)
{
    return (f && f->vars) ? f->vars->count : 0;
}

uint64_t flow_vars_dropped(const Flow *f)
{
    return (f && f->vars) ? f->vars->dropped : 0;
}

void flow_vars_free(Flow *f)
{
    if (f == NULL || f->vars == NULL)
        return;
    for (uint32_t i = 0; i < f->vars->count; i++)
        free(f->vars->items[i].name);
    free(f->vars->items);
    free(f->vars);
    f->vars = NULL;
}
