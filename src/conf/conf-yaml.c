/*
 * The YAML reader: turns libyaml's event stream into configuration nodes
 * following Suricata's conf-yaml-loader, so a suricata.yaml written for
 * Suricata gives the same tree (and the same --dump-config lines).
 *
 * Suricata's rules, reproduced here:
 *  - every document must start with `%YAML 1.1` (only enforced for files);
 *  - a key written again in the same read replaces its earlier subtree;
 *  - a key holding dots (`vars.address-groups.HOME_NET: x`) reaches into the
 *    tree, creating what is missing, without replacing anything;
 *  - `_` in a new key becomes `-` (with a warning), except directly under
 *    address-groups and port-groups;
 *  - sequence items are named "0", "1", ...; an item that is a mapping gets
 *    its first key as value, so `- eve-log: {...}` reads as
 *    `outputs.0 = eve-log` with child `outputs.0.eve-log`;
 *  - plain (unquoted) ``, `~`, `null`, `Null`, `NULL` are null values, and a
 *    null value leaves the node without one;
 *  - `include: file` or `include: [a, b]` reads the files into the mapping
 *    holding the key; `key: !include file` reads a file under `key`;
 *    relative names are looked up beside the top-level file.
 * Where Suricata's loader misbehaves we do the obvious thing instead: a
 * sequence nested directly in a sequence becomes an item with its own
 * items (Suricata flattens it with clashing names), a repeated key with `_`
 * finds its earlier `-` twin, and include loops and deep nesting are errors
 * instead of a crash. When Suricata's own lookup fails we also try the
 * including file's folder, so nested includes work from anywhere.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "conf/conf-internal.h"
#include "util/log.h"

#define CONF_MAX_DEPTH 128
#define CONF_MAX_INCLUDE_DEPTH 16
#define CONF_MAX_MANGLE_WARNINGS 10

typedef struct YamlReader {
    Conf *c;
    yaml_parser_t parser;
    const char *file;    /* origin name of the text being read */
    const char *top_dir; /* folder of the top-level file (Suricata's conf_dirname) */
    char dir[PATH_MAX];  /* folder of this file */
    bool strict;         /* demand %YAML 1.1 */
    int include_depth;
    char *err;
    size_t errlen;
} YamlReader;

static bool read_stream(YamlReader *r, ConfNode *into);
static bool read_mapping(YamlReader *r, ConfNode *node, bool seq_item, int depth);
static bool read_sequence(YamlReader *r, ConfNode *node, int depth);

static void dir_of(const char *path, char *out, size_t len)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, len, ".");
    else if (slash == path)
        snprintf(out, len, "/");
    else
        snprintf(out, len, "%.*s", (int)(slash - path), path);
}

static int mark_line(yaml_mark_t m)
{
    return (int)m.line + 1;
}

static bool fail(YamlReader *r, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Writes "config: <file>:<line>: <what>" into the error buffer; returns false. */
static bool fail(YamlReader *r, int line, const char *fmt, ...)
{
    char what[PATH_MAX + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (line > 0)
        snprintf(r->err, r->errlen, "config: %s:%d: %s", r->file, line, what);
    else
        snprintf(r->err, r->errlen, "config: %s: %s", r->file, what);
    return false;
}

/* Fetches the next event; a syntax error becomes a message naming the line. */
static bool next_event(YamlReader *r, yaml_event_t *ev)
{
    if (yaml_parser_parse(&r->parser, ev))
        return true;
    yaml_parser_t *p = &r->parser;
    const char *problem = p->problem ? p->problem : "malformed YAML";
    if (p->context)
        snprintf(r->err, r->errlen, "config: %s:%d: YAML syntax error: %s (%s, line %d)", r->file,
                 (int)p->problem_mark.line + 1, problem, p->context, (int)p->context_mark.line + 1);
    else
        snprintf(r->err, r->errlen, "config: %s:%d: YAML syntax error: %s", r->file, (int)p->problem_mark.line + 1,
                 problem);
    memset(ev, 0, sizeof(*ev));
    return false;
}

/* The scalar's text, or NULL when it is a plain null (Suricata's list). */
static const char *scalar_value(const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        (v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
         strcmp(v, "NULL") == 0))
        return NULL;
    return v;
}

/* Replaces '_' by '-' in a new key, warning like Suricata does. */
static void mangle_key(YamlReader *r, const ConfNode *parent, char *key, int line)
{
    if (!strchr(key, '_'))
        return;
    if (parent->name && (strcmp(parent->name, "address-groups") == 0 || strcmp(parent->name, "port-groups") == 0))
        return;
    char *orig = strdup(key);
    for (char *p = key; *p; p++)
        if (*p == '_')
            *p = '-';
    if (r->c->mangle_warnings < CONF_MAX_MANGLE_WARNINGS) {
        od_warn("config: %s:%d: '%s' is deprecated, please use '%s'", r->file, line, orig ? orig : key, key);
        if (++r->c->mangle_warnings == CONF_MAX_MANGLE_WARNINGS)
            od_warn("config: not showing more parameter name warnings");
    }
    free(orig);
}

/* dir/name into out; false when it does not fit. */
static bool join_path(char *out, size_t len, const char *dir, const char *name)
{
    int n = name[0] == '/' ? snprintf(out, len, "%s", name) : snprintf(out, len, "%s/%s", dir, name);
    return n >= 0 && (size_t)n < len;
}

static bool open_include(YamlReader *r, const char *name, int line, char path[PATH_MAX], FILE **fp)
{
    *fp = NULL;
    if (!join_path(path, PATH_MAX, r->top_dir, name))
        return fail(r, line, "include file name '%s' is too long", name);
    *fp = fopen(path, "r");
    if (!*fp && name[0] != '/' && strcmp(r->dir, r->top_dir) != 0) {
        int first_errno = errno;
        char alt[PATH_MAX];
        if (join_path(alt, sizeof(alt), r->dir, name) && (*fp = fopen(alt, "r")) != NULL)
            memcpy(path, alt, PATH_MAX);
        else
            errno = first_errno;
    }
    if (!*fp) {
        return fail(r, line, "cannot open include file '%s': %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fileno(*fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(*fp);
        *fp = NULL;
        return fail(r, line, "include file '%s' is a directory", path);
    }
    return true;
}

/* Reads the named file into `at` (the mapping that held `include:`, or the
 * node tagged `!include`). */
static bool include_file(YamlReader *r, ConfNode *at, const char *name, int line)
{
    if (!r->c->includes_allowed)
        return fail(r, line, "include of '%s' is not allowed here", name);
    if (r->include_depth >= CONF_MAX_INCLUDE_DEPTH)
        return fail(r, line, "include of '%s' nested too deeply (an include loop?)", name);
    char path[PATH_MAX];
    FILE *fp;
    if (!open_include(r, name, line, path, &fp))
        return false;
    od_info("config: including configuration file %s", path);

    YamlReader sub = {
        .c = r->c,
        .file = conf_origin(r->c, path),
        .top_dir = r->top_dir,
        .strict = true,
        .include_depth = r->include_depth + 1,
        .err = r->err,
        .errlen = r->errlen,
    };
    dir_of(path, sub.dir, sizeof(sub.dir));
    if (!yaml_parser_initialize(&sub.parser)) {
        fclose(fp);
        return fail(r, line, "cannot start the YAML parser for '%s'", path);
    }
    yaml_parser_set_input_file(&sub.parser, fp);
    bool ok = read_stream(&sub, at);
    yaml_parser_delete(&sub.parser);
    fclose(fp);
    return ok;
}

/* The value of an `include:` key: a file name or a sequence of them. */
static bool read_include_value(YamlReader *r, ConfNode *at)
{
    yaml_event_t ev;
    if (!next_event(r, &ev))
        return false;
    bool ok = true;
    int line = mark_line(ev.start_mark);
    if (ev.type == YAML_SCALAR_EVENT) {
        const char *v = scalar_value(&ev);
        if (v)
            ok = include_file(r, at, v, line);
    } else if (ev.type == YAML_SEQUENCE_START_EVENT) {
        for (;;) {
            yaml_event_t item;
            if (!next_event(r, &item)) {
                ok = false;
                break;
            }
            if (item.type == YAML_SEQUENCE_END_EVENT) {
                yaml_event_delete(&item);
                break;
            }
            if (item.type == YAML_SCALAR_EVENT) {
                const char *v = scalar_value(&item);
                if (v)
                    ok = include_file(r, at, v, mark_line(item.start_mark));
            } else if (item.type != YAML_ALIAS_EVENT) {
                ok = fail(r, mark_line(item.start_mark), "include fields must be file names");
            }
            yaml_event_delete(&item);
            if (!ok)
                break;
        }
    } else if (ev.type == YAML_MAPPING_START_EVENT) {
        ok = fail(r, line, "include fields cannot be a mapping");
    }
    yaml_event_delete(&ev);
    return ok;
}

/* Reads a value (scalar, mapping or sequence) into node. */
static bool read_value(YamlReader *r, ConfNode *node, int depth)
{
    yaml_event_t ev;
    if (!next_event(r, &ev))
        return false;
    bool ok = true;
    int line = mark_line(ev.start_mark);
    switch (ev.type) {
    case YAML_SCALAR_EVENT: {
        const char *v = scalar_value(&ev);
        const char *tag = (const char *)ev.data.scalar.tag;
        if (v && tag && strcmp(tag, "!include") == 0) {
            ok = include_file(r, node, v, line);
        } else if (v) {
            ok = conf_node_set_value(node, v) || fail(r, line, "out of memory");
            node->line = line;
        }
        break;
    }
    case YAML_SEQUENCE_START_EVENT:
        if (depth >= CONF_MAX_DEPTH) {
            ok = fail(r, line, "nesting deeper than %d levels", CONF_MAX_DEPTH);
            break;
        }
        node->is_seq = true;
        ok = read_sequence(r, node, depth + 1);
        break;
    case YAML_MAPPING_START_EVENT:
        if (depth >= CONF_MAX_DEPTH) {
            ok = fail(r, line, "nesting deeper than %d levels", CONF_MAX_DEPTH);
            break;
        }
        ok = read_mapping(r, node, false, depth + 1);
        break;
    case YAML_ALIAS_EVENT:
        break; /* Suricata ignores aliases; the node stays without a value */
    default:
        ok = fail(r, line, "unexpected YAML event");
        break;
    }
    yaml_event_delete(&ev);
    return ok;
}

/* Reads and drops one value (the value of an empty key). */
static bool skip_value(YamlReader *r, int depth)
{
    ConfNode *scratch = conf_node_new(NULL, r->file, 0);
    if (!scratch)
        return fail(r, 0, "out of memory");
    bool saved = r->c->includes_allowed;
    r->c->includes_allowed = false; /* a dropped value must not open files */
    bool ok = read_value(r, scratch, depth);
    r->c->includes_allowed = saved;
    conf_node_free(scratch);
    return ok;
}

/* Finds or makes the child for a mapping key, applying Suricata's rules. */
static ConfNode *key_node(YamlReader *r, ConfNode *node, char *key, int line)
{
    if (strchr(key, '.')) {
        ConfNode *n = conf_node_get_or_create(node, key, r->file, line);
        if (!n)
            fail(r, line, "invalid key '%s'", key);
        return n;
    }
    mangle_key(r, node, key, line);
    ConfNode *n = conf_node_child(node, key);
    if (n) {
        od_debug("config: %s:%d: configuration node '%s' redefined", r->file, line, key);
        conf_node_prune(n);
        n->implicit = false;
        n->file = r->file;
        n->line = line;
        return n;
    }
    n = conf_node_new(key, r->file, line);
    if (!n) {
        fail(r, line, "out of memory");
        return NULL;
    }
    conf_node_append(node, n);
    return n;
}

static bool read_mapping(YamlReader *r, ConfNode *node, bool seq_item, int depth)
{
    for (;;) {
        yaml_event_t ev;
        if (!next_event(r, &ev))
            return false;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return true;
        }
        int line = mark_line(ev.start_mark);
        if (ev.type != YAML_SCALAR_EVENT) {
            yaml_event_delete(&ev);
            return fail(r, line, "mapping keys must be plain scalars");
        }
        char *key = strdup((const char *)ev.data.scalar.value);
        yaml_event_delete(&ev);
        if (!key)
            return fail(r, line, "out of memory");

        bool ok;
        if (key[0] == '\0') {
            ok = skip_value(r, depth);
        } else if (strcmp(key, "include") == 0) {
            ok = read_include_value(r, node);
        } else {
            if (seq_item && !node->value) {
                char *first = strdup(key);
                if (first) {
                    for (char *p = first; *p; p++)
                        if (*p == '_')
                            *p = '-';
                    conf_node_set_value(node, first);
                    free(first);
                }
            }
            ConfNode *child = key_node(r, node, key, line);
            ok = child && read_value(r, child, depth);
        }
        free(key);
        if (!ok)
            return false;
    }
}

static bool read_sequence(YamlReader *r, ConfNode *node, int depth)
{
    bool was_empty = node->first_child == NULL;
    for (unsigned idx = 0;; idx++) {
        yaml_event_t ev;
        if (!next_event(r, &ev))
            return false;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return true;
        }
        int line = mark_line(ev.start_mark);
        char name[16];
        snprintf(name, sizeof(name), "%u", idx);
        /* An item already there (set through a dotted key) keeps its node but
         * moves to the end, so iteration follows the file's order. */
        ConfNode *item = was_empty ? NULL : conf_node_child(node, name);
        if (item) {
            conf_node_detach(item);
            item->file = r->file;
            item->line = line;
        } else {
            item = conf_node_new(name, r->file, line);
            if (!item) {
                yaml_event_delete(&ev);
                return fail(r, line, "out of memory");
            }
        }
        conf_node_append(node, item);

        bool ok = true;
        switch (ev.type) {
        case YAML_SCALAR_EVENT: {
            const char *v = scalar_value(&ev);
            if (v)
                ok = conf_node_set_value(item, v) || fail(r, line, "out of memory");
            break;
        }
        case YAML_MAPPING_START_EVENT:
            ok = depth < CONF_MAX_DEPTH ? read_mapping(r, item, true, depth + 1)
                                        : fail(r, line, "nesting deeper than %d levels", CONF_MAX_DEPTH);
            break;
        case YAML_SEQUENCE_START_EVENT:
            item->is_seq = true;
            ok = depth < CONF_MAX_DEPTH ? read_sequence(r, item, depth + 1)
                                        : fail(r, line, "nesting deeper than %d levels", CONF_MAX_DEPTH);
            break;
        case YAML_ALIAS_EVENT:
            break;
        default:
            ok = fail(r, line, "unexpected YAML event");
            break;
        }
        yaml_event_delete(&ev);
        if (!ok)
            return false;
    }
}

/* Checks the %YAML directive of a document. */
static bool check_document(YamlReader *r, const yaml_event_t *ev)
{
    const yaml_version_directive_t *ver = ev->data.document_start.version_directive;
    if (!ver) {
        if (!r->strict)
            return true;
        return fail(r, 0,
                    "not a valid configuration file: it must begin with the two lines "
                    "'%%YAML 1.1' and '---'");
    }
    if (ver->major != 1 || ver->minor != 1) {
        return fail(r, mark_line(ev->start_mark), "invalid YAML version %d.%d, it must be 1.1", ver->major,
                    ver->minor);
    }
    return true;
}

/* Reads every document of the stream into `into`. */
static bool read_stream(YamlReader *r, ConfNode *into)
{
    for (;;) {
        yaml_event_t ev;
        if (!next_event(r, &ev))
            return false;
        bool ok = true;
        int line = mark_line(ev.start_mark);
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            yaml_event_delete(&ev);
            return true;
        case YAML_DOCUMENT_START_EVENT:
            ok = check_document(r, &ev);
            break;
        case YAML_MAPPING_START_EVENT:
            ok = read_mapping(r, into, false, 1);
            break;
        case YAML_SCALAR_EVENT:
            /* An empty document ("---" alone) is a null scalar: nothing to add. */
            if (scalar_value(&ev))
                ok = fail(r, line, "the top level must be a mapping of keys to values");
            break;
        case YAML_SEQUENCE_START_EVENT:
            ok = fail(r, line, "the top level must be a mapping, not a sequence");
            break;
        default:
            break; /* stream start, document end, aliases */
        }
        yaml_event_delete(&ev);
        if (!ok)
            return false;
    }
}

bool conf_yaml_read(Conf *c, ConfNode *into, const char *path, const char *text, bool strict, char *err,
                    size_t errlen)
{
    char dummy[1];
    if (!err || errlen == 0) {
        err = dummy;
        errlen = sizeof(dummy);
    }
    YamlReader r = {
        .c = c,
        .file = conf_origin(c, path),
        .strict = strict,
        .err = err,
        .errlen = errlen,
    };
    FILE *fp = NULL;
    if (text) {
        snprintf(r.dir, sizeof(r.dir), ".");
    } else {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "config: %s: is a directory, not a configuration file", path);
            return false;
        }
        fp = fopen(path, "r");
        if (!fp) {
            snprintf(err, errlen, "config: cannot open %s: %s", path, strerror(errno));
            return false;
        }
        dir_of(path, r.dir, sizeof(r.dir));
    }
    r.top_dir = r.dir;
    if (!yaml_parser_initialize(&r.parser)) {
        if (fp)
            fclose(fp);
        snprintf(err, errlen, "config: %s: cannot start the YAML parser", path);
        return false;
    }
    if (fp)
        yaml_parser_set_input_file(&r.parser, fp);
    else
        yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, strlen(text));
    bool ok = read_stream(&r, into);
    yaml_parser_delete(&r.parser);
    if (fp)
        fclose(fp);
    return ok;
}
