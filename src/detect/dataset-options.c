/*
 * Parsing and checking of the options shared by `dataset` and `datarep`,
 * and the resolution of their file names (see dataset-options.h).
 */
#include "detect/dataset-options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

char *dataset_next_item(char **rest)
{
    char *s = *rest;
    if (!s)
        return NULL;
    char *comma = strchr(s, ',');
    if (comma) {
        *comma = '\0';
        *rest = comma + 1;
    } else {
        *rest = NULL;
    }
    return trim(s);
}

static bool copy_value(char *dst, size_t cap, const char *key, const char *v, char *err, size_t errlen)
{
    if (!*v) {
        snprintf(err, errlen, "dataset option '%s' needs a value", key);
        return false;
    }
    if (strlen(v) >= cap) {
        snprintf(err, errlen, "dataset option '%s' value too long", key);
        return false;
    }
    memcpy(dst, v, strlen(v) + 1);
    return true;
}

static bool parse_option(DatasetOptions *o, char *item, char *err, size_t errlen)
{
    char *sp = strpbrk(item, " \t");
    char *val = "";
    if (sp) {
        *sp = '\0';
        val = trim(sp + 1);
    }
    const char *key = item;
    if (strcmp(key, "type") == 0) {
        o->type = dataset_type_parse(val);
        if (o->type == DATASET_TYPE_NONE) {
            snprintf(err, errlen, "bad dataset type '%s'", val);
            return false;
        }
        return true;
    }
    if (strcmp(key, "load") == 0)
        return copy_value(o->load, sizeof(o->load), key, val, err, errlen);
    if (strcmp(key, "save") == 0)
        return copy_value(o->save, sizeof(o->save), key, val, err, errlen);
    if (strcmp(key, "state") == 0) {
        o->state = true;
        return copy_value(o->save, sizeof(o->save), key, val, err, errlen);
    }
    if (strcmp(key, "memcap") == 0) {
        if (!conf_parse_size(val, &o->memcap) || o->memcap == 0) {
            snprintf(err, errlen, "invalid dataset memcap '%s'", val);
            return false;
        }
        return true;
    }
    if (strcmp(key, "hashsize") == 0) {
        int64_t v = 0;
        if (!conf_parse_int(val, &v) || v <= 0 || v > UINT32_MAX) {
            snprintf(err, errlen, "invalid dataset hashsize '%s'", val);
            return false;
        }
        o->hashsize = (uint32_t)v;
        return true;
    }
    if (strcmp(key, "format") == 0) {
        if (strcmp(val, "csv") == 0)
            o->format = DATASET_FORMAT_CSV;
        else if (strcmp(val, "json") == 0)
            o->format = DATASET_FORMAT_JSON;
        else if (strcmp(val, "ndjson") == 0 || strcmp(val, "jsonline") == 0)
            o->format = DATASET_FORMAT_NDJSON;
        else {
            snprintf(err, errlen, "unknown dataset format '%s'", val);
            return false;
        }
        return true;
    }
    if (strcmp(key, "value_key") == 0)
        return copy_value(o->value_key, sizeof(o->value_key), key, val, err, errlen);
    if (strcmp(key, "array_key") == 0)
        return copy_value(o->array_key, sizeof(o->array_key), key, val, err, errlen);
    if (strcmp(key, "context_key") == 0 || strcmp(key, "enrichment_key") == 0)
        return copy_value(o->context_key, sizeof(o->context_key), key, val, err, errlen);
    if (strcmp(key, "remove_key") == 0 && !*val) {
        o->remove_key = true;
        return true;
    }
    snprintf(err, errlen, "unknown dataset option '%s'", key);
    return false;
}

bool dataset_options_parse(DatasetOptions *o, char *list, char *err, size_t errlen)
{
    char *rest = list;
    while (rest) {
        char *item = dataset_next_item(&rest);
        if (!*item)
            continue;
        if (!parse_option(o, item, err, errlen))
            return false;
    }
    return true;
}

bool dataset_path_has_traversal(const char *path)
{
    for (const char *p = path; (p = strstr(p, "..")) != NULL; p += 2) {
        bool start = p == path || p[-1] == '/';
        bool end = p[2] == '\0' || p[2] == '/';
        if (start && end)
            return true;
    }
    return false;
}

static bool file_exists(const char *path) { return access(path, F_OK) == 0; }

/* `load`: next to the rules file, else under default-rule-path. */
static bool resolve_load(char *load, size_t cap, Conf *conf, const char *rule_file)
{
    if (load[0] == '/')
        return true;
    char path[PATH_MAX];
    if (rule_file) {
        const char *slash = strrchr(rule_file, '/');
        int dlen = slash ? (int)(slash - rule_file) : 1;
        const char *dir = slash ? rule_file : ".";
        if (snprintf(path, sizeof(path), "%.*s/%s", dlen, dir, load) < (int)sizeof(path) && file_exists(path)) {
            snprintf(load, cap, "%s", path);
            return true;
        }
    }
    const char *rule_dir = NULL;
    if (conf && conf_get_str(conf, "default-rule-path", &rule_dir) && rule_dir &&
        snprintf(path, sizeof(path), "%s/%s", rule_dir, load) < (int)sizeof(path) && file_exists(path))
        snprintf(load, cap, "%s", path);
    return true;
}

static const char *data_dir(Conf *conf)
{
    const char *d = NULL;
    if (conf && conf_get_str(conf, "default-data-dir", &d) && d && *d)
        return d;
    if (conf && conf_get_str(conf, "default-log-dir", &d) && d && *d)
        return d;
    return ".";
}

static bool conf_flag(Conf *conf, const char *key, bool dflt)
{
    bool v = dflt;
    if (conf)
        conf_get_bool(conf, key, &v);
    return v;
}

/* `save` / `state`: the checks Suricata makes, then the data directory. */
static bool resolve_save(DatasetOptions *o, Conf *conf, char *err, size_t errlen)
{
    if (!conf_flag(conf, "datasets.rules.allow-write", true)) {
        snprintf(err, errlen, "Rules containing save/state datasets have been disabled");
        return false;
    }
    if (o->save[0] == '/') {
        if (!conf_flag(conf, "datasets.rules.allow-absolute-filenames", false)) {
            snprintf(err, errlen, "Absolute paths not allowed: %s", o->save);
            return false;
        }
        od_notice("Allowing absolute filename for dataset rule: %s", o->save);
        return true;
    }
    if (dataset_path_has_traversal(o->save)) {
        snprintf(err, errlen, "Directory traversals not allowed: %s", o->save);
        return false;
    }
    char path[PATH_MAX];
    if (snprintf(path, sizeof(path), "%s/%s", data_dir(conf), o->save) >= (int)sizeof(path)) {
        snprintf(err, errlen, "dataset file name too long: %s", o->save);
        return false;
    }
    memcpy(o->save, path, strlen(path) + 1);
    return true;
}

static void conf_defaults(DatasetOptions *o, Conf *conf)
{
    if (!conf)
        return;
    uint64_t v = 0;
    if (!o->memcap && conf_get_size(conf, "datasets.defaults.memcap", &v))
        o->memcap = v;
    int64_t h = 0;
    if (!o->hashsize && conf_get_int(conf, "datasets.defaults.hashsize", &h) && h > 0 && h <= UINT32_MAX)
        o->hashsize = (uint32_t)h;
}

/* A file name of the `datasets:` config: relative ones are in the data
 * directory (the configuration is trusted: no path checks). */
static void config_path(char *dst, size_t cap, Conf *conf, const char *name)
{
    if (name[0] == '/')
        snprintf(dst, cap, "%s", name);
    else
        snprintf(dst, cap, "%s/%s", data_dir(conf), name);
}

/* Declares the sets of the `datasets:` config section, as Suricata does at
 * start-up:   datasets: { <name>: { type, state|load|save, memcap, hashsize } }
 * A set that cannot be created is reported and left out. */
static void declare_config_sets(Conf *conf)
{
    ConfNode *root = conf ? conf_node(conf, "datasets") : NULL;
    for (ConfNode *n = root ? root->first_child : NULL; n; n = n->next) {
        if (!n->name || strcmp(n->name, "defaults") == 0 || strcmp(n->name, "rules") == 0 || !n->first_child)
            continue;
        DatasetOptions *o = calloc(1, sizeof(*o));
        if (!o)
            return;
        const char *type = NULL, *state = NULL, *load = NULL, *save = NULL;
        conf_node_get_str(n, "type", &type);
        conf_node_get_str(n, "state", &state);
        conf_node_get_str(n, "load", &load);
        conf_node_get_str(n, "save", &save);
        conf_node_get_size(n, "memcap", &o->memcap);
        int64_t h = 0;
        if (conf_node_get_int(n, "hashsize", &h) && h > 0 && h <= UINT32_MAX)
            o->hashsize = (uint32_t)h;
        snprintf(o->name, sizeof(o->name), "%s", n->name);
        o->type = type ? dataset_type_parse(type) : DATASET_TYPE_NONE;
        if (state) {
            config_path(o->save, sizeof(o->save), conf, state);
            o->state = true;
        } else {
            if (load)
                config_path(o->load, sizeof(o->load), conf, load);
            if (save)
                config_path(o->save, sizeof(o->save), conf, save);
        }
        conf_defaults(o, conf);
        char err[512] = "";
        if (o->type == DATASET_TYPE_NONE) {
            od_error("datasets.%s: missing or bad type", n->name);
        } else {
            DatasetSpec spec = { .name = o->name, .type = o->type,
                                 .load = o->load[0] ? o->load : (o->state && file_exists(o->save)) ? o->save : NULL,
                                 .save = o->save[0] ? o->save : NULL, .memcap = o->memcap, .hashsize = o->hashsize };
            if (!dataset_get(&spec, err, sizeof(err)))
                od_error("datasets.%s: %s", n->name, err);
        }
        free(o);
    }
}

Dataset *dataset_options_get_set(DatasetOptions *o, bool rep, Conf *conf, const char *rule_file, char *err,
                                 size_t errlen)
{
    if (dataset_registry_claim_config())
        declare_config_sets(conf);
    if (o->type == DATASET_TYPE_NONE && !o->load[0] && !o->save[0] && o->format == DATASET_FORMAT_CSV) {
        Dataset *known = dataset_find(o->name); /* defined by an earlier rule */
        if (known)
            return known;
    }
    if (o->type == DATASET_TYPE_NONE) {
        snprintf(err, errlen, "dataset %s needs a type (type string|md5|sha256|ipv4|ipv6|ip)", o->name);
        return NULL;
    }
    const bool json = o->format != DATASET_FORMAT_CSV;
    if (json && (!o->value_key[0] || !o->context_key[0] || !o->load[0])) {
        snprintf(err, errlen, "dataset %s: format json needs load, value_key and context_key", o->name);
        return NULL;
    }
    if (!json && (o->value_key[0] || o->context_key[0] || o->array_key[0] || o->remove_key)) {
        snprintf(err, errlen, "dataset %s: value_key, context_key, array_key and remove_key need format json",
                 o->name);
        return NULL;
    }
    if (json && (rep || o->save[0])) {
        snprintf(err, errlen, "dataset %s: format json cannot be combined with datarep, save or state", o->name);
        return NULL;
    }
    if (o->state && o->load[0]) {
        snprintf(err, errlen, "dataset %s: 'state' cannot be combined with 'load'", o->name);
        return NULL;
    }
    if (o->load[0])
        resolve_load(o->load, sizeof(o->load), conf, rule_file);
    if (o->save[0] && !resolve_save(o, conf, err, errlen))
        return NULL;
    conf_defaults(o, conf);
    /* state: load what an earlier run saved, when it is there */
    const bool load_state = o->state && file_exists(o->save);
    DatasetSpec spec = {
        .name = o->name,
        .type = o->type,
        .load = o->load[0] ? o->load : load_state ? o->save : NULL,
        .save = o->save[0] ? o->save : NULL,
        .memcap = o->memcap,
        .hashsize = o->hashsize,
        .rep = rep,
        .format = o->format,
        .value_key = o->value_key,
        .array_key = o->array_key[0] ? o->array_key : NULL,
        .remove_key = o->remove_key,
    };
    return dataset_get(&spec, err, errlen);
}
