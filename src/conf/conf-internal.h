/*
 * What the configuration files share among themselves but not with the rest
 * of the engine: the Conf structure, node building blocks, the YAML reader
 * and the merge that lays one tree over another.
 *
 * A Conf owns its root node, an error count for the typed getters and a pool
 * of origin names (file names, "<default>", "<command line>") that nodes
 * point at, so a node can be moved between trees without copying its origin.
 */
#ifndef ODLAR_CONF_CONF_INTERNAL_H
#define ODLAR_CONF_CONF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"

typedef struct ConfOrigin {
    struct ConfOrigin *next;
    char name[];
} ConfOrigin;

struct Conf {
    ConfNode root;
    int errors;          /* type errors reported by the getters */
    int mangle_warnings; /* "_ is deprecated" warnings shown so far */
    bool includes_allowed;
    ConfOrigin *origins;
};

/* Returns a copy of name that lives as long as c (same string for equal names). */
const char *conf_origin(Conf *c, const char *name);

/* Node building blocks (conf-node.c). New nodes take ownership of nothing:
 * name and value are copied. All return NULL only when memory runs out. */
ConfNode *conf_node_new(const char *name, const char *file, int line);
void conf_node_free(ConfNode *n);                  /* n and its subtree; n must be detached */
void conf_node_append(ConfNode *parent, ConfNode *child);
void conf_node_detach(ConfNode *n);
bool conf_node_set_value(ConfNode *n, const char *value); /* NULL clears */
void conf_node_free_children(ConfNode *n);
/* Empties n (children and value) the way Suricata's ConfNodePrune does when
 * a key is written again. */
void conf_node_prune(ConfNode *n);
/* Walks or creates the dotted path under parent. Created nodes get the given
 * origin and the implicit mark except the last one. NULL when a component is
 * empty or memory runs out. */
ConfNode *conf_node_get_or_create(ConfNode *parent, const char *dotted, const char *file, int line);

/* Reads YAML into the detached root `into` with Suricata's in-file rules.
 * `text` is NULL to read `path`; otherwise `path` is only the origin name.
 * `strict` demands the %YAML 1.1 header. On failure err holds the message
 * and `into` may be half filled (the caller frees it). */
bool conf_yaml_read(Conf *c, ConfNode *into, const char *path, const char *text, bool strict, char *err,
                    size_t errlen);

/* Lays the children of src over those of dst (see conf_load_file); nodes are
 * moved out of src, which the caller frees afterwards. */
void conf_merge(ConfNode *dst, ConfNode *src);

#endif
