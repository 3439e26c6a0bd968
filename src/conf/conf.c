/*
 * The configuration tree as a whole: creating and freeing it, and loading
 * YAML over it.
 *
 * Loading reads the new text into a tree of its own first, so a file that
 * fails halfway leaves the configuration as it was, and so the in-file rules
 * (a repeated key replaces) stay separate from the layering rules (a file
 * laid over the defaults merges mappings) -- see conf_load_file in conf.h.
 * The -c file and its --include files share one such tree (conf_load_files).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf-internal.h"
#include "util/log.h"

const char *conf_origin(Conf *c, const char *name)
{
    if (!name)
        name = "<unknown>";
    for (ConfOrigin *o = c->origins; o; o = o->next)
        if (strcmp(o->name, name) == 0)
            return o->name;
    size_t len = strlen(name);
    ConfOrigin *o = malloc(sizeof(*o) + len + 1);
    if (!o)
        return "<unknown>";
    memcpy(o->name, name, len + 1);
    o->next = c->origins;
    c->origins = o;
    return o->name;
}

Conf *conf_new_empty(void)
{
    Conf *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->root.owner = c;
    c->includes_allowed = true;
    return c;
}

void conf_free(Conf *c)
{
    if (!c)
        return;
    conf_node_free_children(&c->root);
    ConfOrigin *o = c->origins;
    while (o) {
        ConfOrigin *next = o->next;
        free(o);
        o = next;
    }
    free(c);
}

void conf_allow_includes(Conf *c, bool allow)
{
    c->includes_allowed = allow;
}

ConfNode *conf_root(Conf *c)
{
    return &c->root;
}

ConfNode *conf_node(Conf *c, const char *key)
{
    return conf_node_lookup(&c->root, key);
}

int conf_errors(const Conf *c)
{
    return c->errors;
}

/* Reads into a scratch root, then merges it over the tree on success. */
static bool conf_load(Conf *c, const char *path, const char *text, bool strict, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    ConfNode *scratch = conf_node_new(NULL, conf_origin(c, path), 0);
    if (!scratch) {
        snprintf(err, errlen, "config: %s: out of memory", path);
        return false;
    }
    bool ok = conf_yaml_read(c, scratch, path, text, strict, err, errlen);
    if (ok)
        conf_merge(&c->root, scratch);
    conf_node_free(scratch);
    return ok;
}

bool conf_load_file(Conf *c, const char *path, char *err, size_t errlen)
{
    return conf_load(c, path, NULL, true, err, errlen);
}

bool conf_load_files(Conf *c, const char *path, const char *const *includes, int count, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    ConfNode *scratch = conf_node_new(NULL, conf_origin(c, path ? path : "<command line --include>"), 0);
    if (!scratch) {
        snprintf(err, errlen, "config: out of memory");
        return false;
    }
    bool ok = !path || conf_yaml_read(c, scratch, path, NULL, true, err, errlen);
    for (int i = 0; ok && i < count; i++) {
        od_info("config: including configuration file %s", includes[i]);
        ok = conf_yaml_read(c, scratch, includes[i], NULL, true, err, errlen);
    }
    if (ok)
        conf_merge(&c->root, scratch);
    conf_node_free(scratch);
    return ok;
}

bool conf_load_string(Conf *c, const char *yaml, const char *name, char *err, size_t errlen)
{
    return conf_load(c, name ? name : "<string>", yaml ? yaml : "", false, err, errlen);
}
