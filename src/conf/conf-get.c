/*
 * Typed reads of configuration values: strings, booleans, integers and
 * sizes, with Suricata's spelling rules, and the error report for a value
 * of the wrong type.
 *
 * Suricata quietly reads any unknown word as "false" and logs malformed
 * numbers without naming the file; we name the key, the value and where it
 * was written, and count the error so start-up can refuse a broken config.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf-internal.h"
#include "util/log.h"

bool conf_parse_bool(const char *s, bool *out)
{
    static const char *const trues[] = { "1", "yes", "true", "on" };
    static const char *const falses[] = { "0", "no", "false", "off" };
    if (!s)
        return false;
    for (size_t i = 0; i < sizeof(trues) / sizeof(trues[0]); i++) {
        if (strcasecmp(s, trues[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(s, falses[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

bool conf_parse_int(const char *s, int64_t *out)
{
    if (!s || s[0] == '\0')
        return false;
    char *end;
    errno = 0;
    intmax_t v = strtoimax(s, &end, 0);
    if (*end != '\0' || end == s)
        return false;
    if (errno == ERANGE || v > INT64_MAX || v < INT64_MIN)
        return false;
    *out = (int64_t)v;
    return true;
}

/* Suricata matches sizes with ^\s*(\d+(?:.\d+)?)\s*([a-zA-Z]{2,3})?\s*$ (the
 * unescaped '.' takes any character) and converts the number with strtod;
 * this walks the same shape by hand. */
bool conf_parse_size(const char *s, uint64_t *out)
{
    if (!s)
        return false;
    const char *p = s;
    while (isspace((unsigned char)*p))
        p++;
    const char *num = p;
    if (!isdigit((unsigned char)*p))
        return false;
    while (isdigit((unsigned char)*p))
        p++;
    if (p[0] != '\0' && isdigit((unsigned char)p[1])) {
        p += 1;
        while (isdigit((unsigned char)*p))
            p++;
    }
    size_t numlen = (size_t)(p - num);
    while (isspace((unsigned char)*p))
        p++;
    const char *unit = p;
    while (isalpha((unsigned char)*p))
        p++;
    size_t unitlen = (size_t)(p - unit);
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '\0' || (unitlen != 0 && (unitlen < 2 || unitlen > 3)) || numlen >= 128)
        return false;

    char buf[128];
    memcpy(buf, num, numlen);
    buf[numlen] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (errno == ERANGE || end == buf)
        return false;
    if (unitlen) {
        char u[4] = { 0 };
        memcpy(u, unit, unitlen);
        if (strcasecmp(u, "kb") == 0 || strcmp(u, "KiB") == 0)
            v *= 1024.0;
        else if (strcasecmp(u, "mb") == 0 || strcmp(u, "MiB") == 0)
            v *= 1024.0 * 1024.0;
        else if (strcasecmp(u, "gb") == 0 || strcmp(u, "GiB") == 0)
            v *= 1024.0 * 1024.0 * 1024.0;
        else
            return false;
    }
    if (!isfinite(v) || v < 0 || v >= 18446744073709551616.0) /* 2^64 */
        return false;
    *out = (uint64_t)v;
    return true;
}

/* Reports a value of the wrong type and bumps the tree's error count. */
static void type_error(const ConfNode *n, const char *type)
{
    char path[1024];
    conf_node_path(n, path, sizeof(path));
    char got[1100];
    if (n->value)
        snprintf(got, sizeof(got), "'%s'", n->value);
    else
        snprintf(got, sizeof(got), "a %s", n->is_seq ? "sequence" : "mapping");
    const char *file = n->file ? n->file : "<unknown>";
    if (n->line > 0)
        od_error("config: %s: expected %s, got %s (%s:%d)", path, type, got, file, n->line);
    else
        od_error("config: %s: expected %s, got %s (%s)", path, type, got, file);
    const ConfNode *root = n;
    while (root->parent)
        root = root->parent;
    if (root->owner)
        root->owner->errors++;
}

/* The value text of the node at key under n, or NULL when the node is absent
 * or null; *node_out is the node found. */
static const char *value_at(const ConfNode *n, const char *key, const ConfNode **node_out)
{
    const ConfNode *node = conf_node_lookup(n, key);
    *node_out = node;
    return node ? node->value : NULL;
}

/* A node without a value is absent when it is an empty leaf, and an error
 * when it holds a mapping or sequence. */
static bool missing_value(const ConfNode *node, const char *type)
{
    if (node && (node->first_child || node->is_seq))
        type_error(node, type);
    return false;
}

bool conf_node_get_str(const ConfNode *n, const char *key, const char **out)
{
    const ConfNode *node;
    const char *v = value_at(n, key, &node);
    if (!v)
        return missing_value(node, "string");
    *out = v;
    return true;
}

bool conf_node_get_bool(const ConfNode *n, const char *key, bool *out)
{
    const ConfNode *node;
    const char *v = value_at(n, key, &node);
    if (!v)
        return missing_value(node, "boolean");
    if (!conf_parse_bool(v, out)) {
        type_error(node, "boolean");
        return false;
    }
    return true;
}

bool conf_node_get_int(const ConfNode *n, const char *key, int64_t *out)
{
    const ConfNode *node;
    const char *v = value_at(n, key, &node);
    if (!v)
        return missing_value(node, "integer");
    if (!conf_parse_int(v, out)) {
        type_error(node, "integer");
        return false;
    }
    return true;
}

bool conf_node_get_size(const ConfNode *n, const char *key, uint64_t *out)
{
    const ConfNode *node;
    const char *v = value_at(n, key, &node);
    if (!v)
        return missing_value(node, "size");
    if (!conf_parse_size(v, out)) {
        type_error(node, "size");
        return false;
    }
    return true;
}

bool conf_get_str(Conf *c, const char *key, const char **out)
{
    return conf_node_get_str(&c->root, key, out);
}

bool conf_get_bool(Conf *c, const char *key, bool *out)
{
    return conf_node_get_bool(&c->root, key, out);
}

bool conf_get_int(Conf *c, const char *key, int64_t *out)
{
    return conf_node_get_int(&c->root, key, out);
}

bool conf_get_size(Conf *c, const char *key, uint64_t *out)
{
    return conf_node_get_size(&c->root, key, out);
}
