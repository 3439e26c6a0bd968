/*
 * EVE `traffic` and `metadata` objects from flow variables (see
 * eve-metadata.h): the variables are sorted into the four lists first (in
 * the order they were set), then each non-empty list is written; the
 * entropy keyword's values follow as `metadata.entropy.<buffer>`, each
 * number in the shortest form that reads back to the same double (as
 * Suricata's JSON writer prints a float).
 */
#include "output/eve-metadata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/flow-vars.h"

#define TRAFFIC_ID "traffic/id/"
#define TRAFFIC_LABEL "traffic/label/"

enum { LIST_ID, LIST_LABEL, LIST_BITS, LIST_INTS, LIST_COUNT };

typedef struct Var {
    const char *name;
    uint32_t value;
} Var;

typedef struct Lists {
    Var v[LIST_COUNT][FLOW_VARS_MAX];
    uint32_t n[LIST_COUNT];
} Lists;

static bool has_prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

static void sort_var(bool is_bit, const char *name, uint32_t value, void *user)
{
    Lists *l = user;
    int k = !is_bit                         ? LIST_INTS
            : has_prefix(name, TRAFFIC_ID)    ? LIST_ID
            : has_prefix(name, TRAFFIC_LABEL) ? LIST_LABEL
                                              : LIST_BITS;
    if (k == LIST_ID)
        name += strlen(TRAFFIC_ID);
    else if (k == LIST_LABEL)
        name += strlen(TRAFFIC_LABEL);
    if (l->n[k] < FLOW_VARS_MAX)
        l->v[k][l->n[k]++] = (Var){ name, value };
}

static void names(JsonBuf *j, const char *key, const Lists *l, int k)
{
    if (!l->n[k])
        return;
    jb_open_array(j, key);
    for (uint32_t i = 0; i < l->n[k]; i++)
        jb_str(j, NULL, l->v[k][i].name);
    jb_close_array(j);
}

/* The shortest %g form of v that reads back as v, with ".0" when it would
 * look like an integer. */
static int shortest_double(char *out, size_t outlen, double v)
{
    int n = 0;
    for (int prec = 1; prec <= 17; prec++) {
        n = snprintf(out, outlen, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            break;
    }
    if (n > 0 && (size_t)n + 2 < outlen && !strpbrk(out, ".eEn")) {
        memcpy(out + n, ".0", 3);
        n += 2;
    }
    return n;
}

static void entropy_value(const char *name, double value, void *user)
{
    JsonBuf *j = user;
    char num[40];
    int n = shortest_double(num, sizeof(num), value);
    if (n > 0)
        jb_raw(j, name, num, (size_t)n);
}

void eve_flow_metadata(JsonBuf *j, const Flow *f)
{
    if (!f || flow_vars_count(f) == 0)
        return;
    static _Thread_local Lists l;
    memset(l.n, 0, sizeof(l.n));
    flow_vars_each(f, sort_var, &l);
    if (l.n[LIST_ID] || l.n[LIST_LABEL]) {
        jb_open_object(j, "traffic");
        names(j, "id", &l, LIST_ID);
        names(j, "label", &l, LIST_LABEL);
        jb_close_object(j);
    }
    const uint32_t n_floats = flow_floats_each(f, NULL, NULL);
    if (l.n[LIST_BITS] || l.n[LIST_INTS] || n_floats) {
        jb_open_object(j, "metadata");
        names(j, "flowbits", &l, LIST_BITS);
        if (l.n[LIST_INTS]) {
            jb_open_object(j, "flowints");
            for (uint32_t i = 0; i < l.n[LIST_INTS]; i++)
                jb_uint(j, l.v[LIST_INTS][i].name, l.v[LIST_INTS][i].value);
            jb_close_object(j);
        }
        if (n_floats) {
            jb_open_object(j, "entropy");
            flow_floats_each(f, entropy_value, j);
            jb_close_object(j);
        }
        jb_close_object(j);
    }
}
