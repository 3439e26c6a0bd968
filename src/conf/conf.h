/*
 * Configuration: a tree of named nodes read from suricata.yaml-format files.
 *
 * Keys are addressed with dots (`flow-timeouts.tcp.established`); sequence
 * items are children named "0", "1", ... The tree starts from built-in
 * defaults equal to Suricata 8's shipped suricata.yaml for the keys Odlar
 * implements (conf-defaults.c), then a `-c` file is laid over it, then each
 * `--set key=value`. Every node remembers the file and line it came from, so
 * a value of the wrong type is reported with its key and file. Unknown keys
 * are kept (a config written for Suricata must load) and ignored.
 */
#ifndef ODLAR_CONF_CONF_H
#define ODLAR_CONF_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct ConfNode {
    char *name;
    char *value; /* NULL for mappings, sequences and null values -- except that a
                  * sequence item which is a mapping has its first key as value,
                  * Suricata's shape: `- eve-log: {..}` is `outputs.N = eve-log`
                  * with the options under child `eve-log` */
    bool is_seq;
    const char *file; /* where the value came from ("<default>", "<command line>") */
    int line;
    struct ConfNode *parent;
    struct ConfNode *first_child, *last_child;
    struct ConfNode *next;
    /* Added fields (kept last so the layout above stays as agreed): */
    bool implicit;      /* made only as a step of a dotted key (`a.b.c: v`), not written itself */
    struct Conf *owner; /* set on the root node only: the tree whose error count getters bump */
} ConfNode;

typedef struct Conf Conf;

/* A new tree holding the built-in defaults; NULL (after an od_error) only
 * when memory runs out. */
Conf *conf_new_defaults(void);
/* The built-in defaults as the YAML text they are read from. */
const char *conf_defaults_text(void);
/* An empty tree (tests). */
Conf *conf_new_empty(void);
void conf_free(Conf *c);

/* Lays a YAML file over the tree (YAML 1.1, `%YAML 1.1` header, `include:`).
 * Returns false and writes a message naming the file (and line) into err.
 *
 * The file (with its includes) is first read on its own, with Suricata's
 * rules inside it: a key written twice replaces its earlier subtree, `a.b: v`
 * keys reach into the tree without replacing, `_` in key names becomes `-`
 * (except under address-groups/port-groups), a sequence item that is a
 * mapping carries its first key as value (`outputs.0 = eve-log`), plain
 * `~`/`null`/empty values are null. The result is then laid over the tree:
 * a mapping merges key by key, a scalar replaces, a sequence replaces the
 * whole earlier sequence, and a null value keeps what was there (but empties
 * a sequence). On failure the tree is left untouched. Relative includes are
 * looked up beside the top-level file (Suricata), then beside the including
 * file. Every document must start with `%YAML 1.1` like Suricata demands. */
bool conf_load_file(Conf *c, const char *path, char *err, size_t errlen);
/* The command line's configuration: `path` (-c; NULL: none) and then each
 * of the `count` files of `includes` (--include), read as if they stood at
 * the end of `path` -- as Suricata 8 reads them: a top-level key an
 * include gives again replaces the earlier one whole -- and the result laid
 * over the tree as conf_load_file does. On failure the tree is untouched. */
bool conf_load_files(Conf *c, const char *path, const char *const *includes, int count, char *err, size_t errlen);
/* Lays YAML text over the tree (tests, --set of structured values), exactly
 * as conf_load_file, except that the `%YAML 1.1` header may be left out.
 * `name` is the origin used in messages; includes are relative to the
 * current directory. */
bool conf_load_string(Conf *c, const char *yaml, const char *name, char *err, size_t errlen);
/* Whether `include:` and `!include` may open files (default true). Turned
 * off for untrusted text such as fuzz input. */
void conf_allow_includes(Conf *c, bool allow);
/* --set key=value: creates or replaces the node at the dotted key. Like
 * Suricata, the key ends at the first '=', spaces before it and after it are
 * dropped, the value is taken as is (it may hold more '='), and numeric
 * components address sequence items (`outputs.1.eve-log.types.0=alert`).
 * A node's children are kept; only its value changes. False with a message
 * in err when '=' is missing or the key has an empty component. */
bool conf_set(Conf *c, const char *key_equals_value, char *err, size_t errlen);
/* The same without parsing; origin is what messages name as the file.
 * An invalid key (empty component) is reported with od_error and ignored. */
void conf_set_value(Conf *c, const char *key, const char *value, const char *origin);

ConfNode *conf_root(Conf *c);
ConfNode *conf_node(Conf *c, const char *key); /* NULL when absent */
ConfNode *conf_node_child(const ConfNode *n, const char *name);
/* Child lookup by dotted key relative to a node. */
ConfNode *conf_node_lookup(const ConfNode *n, const char *key);

/* Typed getters. They return true and set *out when the key exists with a
 * value of the right type; false when absent (out untouched). A present value
 * of the wrong type is an error: the getter logs "<key>: <why> (<file>:<line>)",
 * records it (see conf_errors) and returns false.
 * Exact wording: "config: <dotted key>: expected <type>, got '<value>'
 * (<file>:<line>)", or "got a mapping" / "got a sequence" when the node
 * holds children but no value. A null value (`key:` or `key: ~`) counts as
 * absent, not as an error. */
bool conf_get_str(Conf *c, const char *key, const char **out);
bool conf_get_bool(Conf *c, const char *key, bool *out); /* yes/no/true/false/on/off/1/0 */
bool conf_get_int(Conf *c, const char *key, int64_t *out);
/* Sizes with Suricata's suffixes: 32mb, 1gb, 64kb, 100 (bytes). */
bool conf_get_size(Conf *c, const char *key, uint64_t *out);

/* The value parsers behind the getters, for text that is not in the tree.
 * Bool: Suricata's ConfValIsTrue/ConfValIsFalse words, any case: 1 yes true
 *   on / 0 no false off (it has no enable/disable words).
 * Int: Suricata's SCConfGetInt, strtoimax base 0: sign, 0x hex, 0 octal.
 * Size: Suricata's ParseSizeString: optional spaces, a number that may have
 *   a fraction, optional spaces, an optional unit kb/mb/gb in any case or
 *   exactly KiB/MiB/GiB (powers of 1024), optional spaces; the result is
 *   truncated to whole bytes. "32mb", "1 MiB", "1.5kb" and "100" parse;
 *   "1k", "1tb", "-1" do not. */
bool conf_parse_bool(const char *s, bool *out);
bool conf_parse_int(const char *s, int64_t *out);
bool conf_parse_size(const char *s, uint64_t *out);
/* Same on nodes (key relative to n). */
bool conf_node_get_str(const ConfNode *n, const char *key, const char **out);
bool conf_node_get_bool(const ConfNode *n, const char *key, bool *out);
bool conf_node_get_int(const ConfNode *n, const char *key, int64_t *out);
bool conf_node_get_size(const ConfNode *n, const char *key, uint64_t *out);

/* Number of type errors seen by the getters so far. */
int conf_errors(const Conf *c);

/* Full dotted name of a node, e.g. "outputs.0.eve-log.types.1". */
void conf_node_path(const ConfNode *n, char *buf, size_t len);

/* --dump-config, as Suricata prints it: every node (not only leaves) as
 * "key = value", in tree order, "(null)" where a node has no value. */
void conf_dump(Conf *c, FILE *out);

#endif
