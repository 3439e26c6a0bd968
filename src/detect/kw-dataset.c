/*
 * The `dataset` keyword (see kw-dataset.h): parsing of its command, name
 * and options, its evaluation on the inspected buffer, and the `dataset`
 * keyword family's registration (dataset, datarep, ip.src, ip.dst).
 */
#include "detect/kw-dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/dataset-alert.h"
#include "detect/dataset-options.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"

static uint16_t kw_dataset;

static bool parse_cmd(const char *s, DatasetCmd *cmd)
{
    static const struct {
        const char *name;
        DatasetCmd cmd;
    } cmds[] = { { "set", DATASET_CMD_SET }, { "isset", DATASET_CMD_ISSET },
                 { "isnotset", DATASET_CMD_ISNOTSET }, { "unset", DATASET_CMD_UNSET } };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (strcmp(s, cmds[i].name) == 0) {
            *cmd = cmds[i].cmd;
            return true;
        }
    return false;
}

DatasetKwCtx *dataset_kw_parse(const char *value, Conf *conf, const char *rule_file, char *err, size_t errlen)
{
    char *copy = value ? strdup(value) : NULL;
    DatasetOptions *o = calloc(1, sizeof(*o));
    DatasetKwCtx *k = calloc(1, sizeof(*k));
    if (!copy || !o || !k) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    char *rest = copy;
    char *cmd = dataset_next_item(&rest);
    char *name = dataset_next_item(&rest);
    if (!cmd || !parse_cmd(cmd, &k->cmd)) {
        snprintf(err, errlen, "dataset: bad command '%s' (expected set, isset, isnotset or unset)", cmd ? cmd : "");
        goto fail;
    }
    if (!name || !*name || strlen(name) >= sizeof(o->name)) {
        snprintf(err, errlen, "dataset: missing or too long set name");
        goto fail;
    }
    memcpy(o->name, name, strlen(name) + 1);
    if (rest && !dataset_options_parse(o, rest, err, errlen))
        goto fail;
    if (o->context_key[0] && k->cmd != DATASET_CMD_ISSET && k->cmd != DATASET_CMD_ISNOTSET) {
        snprintf(err, errlen, "dataset: format json works with isset and isnotset only");
        goto fail;
    }
    k->set = dataset_options_get_set(o, false, conf, rule_file, err, errlen);
    if (!k->set)
        goto fail;
    if (k->set->rep) {
        snprintf(err, errlen, "Cannot mix dataset and datarep values for set %s", o->name);
        goto fail;
    }
    if (o->context_key[0] && !(k->context_key = strdup(o->context_key))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    free(o);
    free(copy);
    return k;
fail:
    free(o);
    free(copy);
    dataset_kw_free(k);
    return NULL;
}

void dataset_kw_free(void *ctx)
{
    DatasetKwCtx *k = ctx;
    if (!k)
        return;
    free(k->context_key);
    free(k);
}

bool dataset_kw_eval(const DatasetKwCtx *k, const Signature *s, const Packet *p, const uint8_t *data, uint32_t len)
{
    switch (k->cmd) {
    case DATASET_CMD_SET: return dataset_add(k->set, data, len) == 1;
    case DATASET_CMD_UNSET: return dataset_remove(k->set, data, len) == 1;
    case DATASET_CMD_ISNOTSET: return !dataset_lookup(k->set, data, len, NULL, NULL);
    case DATASET_CMD_ISSET: {
        char *json = NULL;
        bool found = dataset_lookup(k->set, data, len, NULL, k->context_key ? &json : NULL);
        if (found && json && s && p)
            dataset_alert_record(s, p, k->context_key, json);
        free(json);
        return found;
    }
    default: return false;
    }
}

static bool dataset_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    if (rp->current_list == SIG_LIST_PMATCH)
        return rule_error(rp, "datasets are only supported for sticky buffers");
    char err[512] = "";
    DatasetKwCtx *k = dataset_kw_parse(value, rp->conf, rp->file, err, sizeof(err));
    if (!k)
        return rule_error(rp, "%s", err);
    if (!rule_append(rp, s, rp->current_list, kw_dataset, k)) {
        dataset_kw_free(k);
        return false;
    }
    return true;
}

static InspectResult dataset_inspect(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                     const void *ctx)
{
    (void)dt;
    return dataset_kw_eval(ctx, s, cur->p, cur->buf, cur->len) ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

static uint32_t dataset_hash(const void *ctx)
{
    const DatasetKwCtx *k = ctx;
    return (uint32_t)((uintptr_t)k->set >> 4) * 31u + (uint32_t)k->cmd;
}

static bool dataset_equal(const void *a, const void *b)
{
    const DatasetKwCtx *x = a, *y = b;
    if (x->cmd != y->cmd || x->set != y->set || !x->context_key != !y->context_key)
        return false;
    return !x->context_key || strcmp(x->context_key, y->context_key) == 0;
}

void keywords_register_dataset(void)
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = "dataset";
    d.help = "match the buffer against a named set: dataset:<set|isset|isnotset|unset>,<name>[,options]";
    d.setup = dataset_setup;
    d.inspect = dataset_inspect;
    d.free = dataset_kw_free;
    d.hash = dataset_hash;
    d.equal = dataset_equal;
    kw_dataset = keyword_register(&d);
    datarep_register();
    ip_addr_buffers_register();
}
