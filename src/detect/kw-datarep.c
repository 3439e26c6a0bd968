/*
 * The `datarep` keyword (see kw-dataset.h): the buffer's reputation in a
 * named set compared with a value, `datarep:<name>,<op>,<value>[,options]`
 * where op is `>`, `<` or `=` and value 0..65535 (Suricata 8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/dataset-options.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/kw-dataset.h"
#include "detect/rule-parse.h"

static uint16_t kw_datarep;

DatarepKwCtx *datarep_kw_parse(const char *value, Conf *conf, const char *rule_file, char *err, size_t errlen)
{
    char *copy = value ? strdup(value) : NULL;
    DatasetOptions *o = calloc(1, sizeof(*o));
    DatarepKwCtx *k = calloc(1, sizeof(*k));
    if (!copy || !o || !k) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    char *rest = copy;
    char *name = dataset_next_item(&rest);
    char *op = dataset_next_item(&rest);
    char *val = dataset_next_item(&rest);
    if (!name || !*name || strlen(name) >= sizeof(o->name)) {
        snprintf(err, errlen, "datarep: missing or too long set name");
        goto fail;
    }
    memcpy(o->name, name, strlen(name) + 1);
    if (!op || !(strcmp(op, ">") == 0 || strcmp(op, "<") == 0 || strcmp(op, "=") == 0)) {
        snprintf(err, errlen, "datarep: bad operator '%s' (expected >, < or =)", op ? op : "");
        goto fail;
    }
    k->op = op[0] == '>' ? DATAREP_OP_GT : op[0] == '<' ? DATAREP_OP_LT : DATAREP_OP_EQ;
    char *end = NULL;
    unsigned long v = val && *val >= '0' && *val <= '9' ? strtoul(val, &end, 10) : 0;
    if (!end || *end || v > 65535) {
        snprintf(err, errlen, "datarep: bad value '%s' (expected 0..65535)", val ? val : "");
        goto fail;
    }
    k->value = (uint16_t)v;
    if (rest && !dataset_options_parse(o, rest, err, errlen))
        goto fail;
    if (o->format != DATASET_FORMAT_CSV) {
        snprintf(err, errlen, "datarep: format json is not supported");
        goto fail;
    }
    k->set = dataset_options_get_set(o, true, conf, rule_file, err, errlen);
    if (!k->set)
        goto fail;
    if (!k->set->rep) {
        snprintf(err, errlen, "Cannot mix dataset and datarep values for set %s", o->name);
        goto fail;
    }
    free(o);
    free(copy);
    return k;
fail:
    free(o);
    free(copy);
    free(k);
    return NULL;
}

bool datarep_kw_eval(const DatarepKwCtx *k, const uint8_t *data, uint32_t len)
{
    uint16_t rep = 0;
    if (!dataset_lookup(k->set, data, len, &rep, NULL))
        return false;
    switch (k->op) {
    case DATAREP_OP_GT: return rep > k->value;
    case DATAREP_OP_LT: return rep < k->value;
    case DATAREP_OP_EQ: return rep == k->value;
    default: return false;
    }
}

static bool datarep_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    if (rp->current_list == SIG_LIST_PMATCH)
        return rule_error(rp, "datarep is only supported for sticky buffers");
    char err[512] = "";
    DatarepKwCtx *k = datarep_kw_parse(value, rp->conf, rp->file, err, sizeof(err));
    if (!k)
        return rule_error(rp, "%s", err);
    if (!rule_append(rp, s, rp->current_list, kw_datarep, k)) {
        free(k);
        return false;
    }
    return true;
}

static InspectResult datarep_inspect(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                     const void *ctx)
{
    (void)dt;
    (void)s;
    return datarep_kw_eval(ctx, cur->buf, cur->len) ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

static uint32_t datarep_hash(const void *ctx)
{
    const DatarepKwCtx *k = ctx;
    return (uint32_t)((uintptr_t)k->set >> 4) * 31u + k->op * 65537u + k->value;
}

static bool datarep_equal(const void *a, const void *b)
{
    const DatarepKwCtx *x = a, *y = b;
    return x->set == y->set && x->op == y->op && x->value == y->value;
}

void datarep_register(void)
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = "datarep";
    d.help = "compare the buffer's reputation in a named set: datarep:<name>,<>|<|=>,<value>[,options]";
    d.setup = datarep_setup;
    d.inspect = datarep_inspect;
    d.free = free;
    d.hash = datarep_hash;
    d.equal = datarep_equal;
    kw_datarep = keyword_register(&d);
}
