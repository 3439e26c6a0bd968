/*
 * Configuration nodes: making, linking, finding and naming them.
 *
 * A node is a name, an optional value and an ordered list of children, like
 * Suricata's SCConfNode. Sequences are nodes whose children are named "0",
 * "1", ...; lookups are linear, which is fine for trees read once at start.
 */
#include <stdlib.h>
#include <string.h>

#include "conf/conf-internal.h"

ConfNode *conf_node_new(const char *name, const char *file, int line)
{
    ConfNode *n = calloc(1, sizeof(*n));
    if (!n)
        return NULL;
    if (name) {
        n->name = strdup(name);
        if (!n->name) {
            free(n);
            return NULL;
        }
    }
    n->file = file;
    n->line = line;
    return n;
}

void conf_node_free_children(ConfNode *n)
{
    ConfNode *ch = n->first_child;
    while (ch) {
        ConfNode *next = ch->next;
        ch->parent = NULL;
        ch->next = NULL;
        conf_node_free(ch);
        ch = next;
    }
    n->first_child = n->last_child = NULL;
}

void conf_node_free(ConfNode *n)
{
    if (!n)
        return;
    /* Recursion depth is the tree's depth, bounded by the reader's nesting
     * limit and by the number of components in a dotted key. */
    conf_node_free_children(n);
    free(n->name);
    free(n->value);
    free(n);
}

void conf_node_append(ConfNode *parent, ConfNode *child)
{
    child->parent = parent;
    child->next = NULL;
    if (parent->last_child)
        parent->last_child->next = child;
    else
        parent->first_child = child;
    parent->last_child = child;
}

void conf_node_detach(ConfNode *n)
{
    ConfNode *p = n->parent;
    if (!p)
        return;
    ConfNode *prev = NULL;
    for (ConfNode *ch = p->first_child; ch; prev = ch, ch = ch->next) {
        if (ch != n)
            continue;
        if (prev)
            prev->next = n->next;
        else
            p->first_child = n->next;
        if (p->last_child == n)
            p->last_child = prev;
        break;
    }
    n->parent = NULL;
    n->next = NULL;
}

bool conf_node_set_value(ConfNode *n, const char *value)
{
    char *copy = NULL;
    if (value) {
        copy = strdup(value);
        if (!copy)
            return false;
    }
    free(n->value);
    n->value = copy;
    return true;
}

void conf_node_prune(ConfNode *n)
{
    conf_node_free_children(n);
    conf_node_set_value(n, NULL);
    n->is_seq = false;
}

ConfNode *conf_node_child(const ConfNode *n, const char *name)
{
    if (!n || !name)
        return NULL;
    for (ConfNode *ch = n->first_child; ch; ch = ch->next)
        if (ch->name && strcmp(ch->name, name) == 0)
            return ch;
    return NULL;
}

ConfNode *conf_node_lookup(const ConfNode *n, const char *key)
{
    if (!n || !key)
        return NULL;
    const ConfNode *cur = n;
    const char *p = key;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        const ConfNode *found = NULL;
        for (ConfNode *ch = cur->first_child; ch; ch = ch->next) {
            if (ch->name && strncmp(ch->name, p, len) == 0 && ch->name[len] == '\0') {
                found = ch;
                break;
            }
        }
        if (!found)
            return NULL;
        cur = found;
        if (!dot)
            return (ConfNode *)cur;
        p = dot + 1;
    }
}

ConfNode *conf_node_get_or_create(ConfNode *parent, const char *dotted, const char *file, int line)
{
    ConfNode *cur = parent;
    const char *p = dotted;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len == 0)
            return NULL;
        char *name = strndup(p, len);
        if (!name)
            return NULL;
        ConfNode *next = conf_node_child(cur, name);
        if (!next) {
            next = conf_node_new(name, file, line);
            if (!next) {
                free(name);
                return NULL;
            }
            next->implicit = dot != NULL;
            conf_node_append(cur, next);
        }
        free(name);
        cur = next;
        if (!dot)
            return cur;
        p = dot + 1;
    }
}

void conf_node_path(const ConfNode *n, char *buf, size_t len)
{
    if (!buf || len == 0)
        return;
    buf[0] = '\0';
    if (!n)
        return;
    /* Collect the chain from the node up to (not including) the root. */
    const ConfNode *chain[256];
    size_t depth = 0;
    for (const ConfNode *cur = n; cur && cur->parent && depth < sizeof(chain) / sizeof(chain[0]); cur = cur->parent)
        chain[depth++] = cur;
    size_t used = 0;
    for (size_t i = depth; i-- > 0;) {
        int w = snprintf(buf + used, len - used, "%s%s", used ? "." : "", chain[i]->name ? chain[i]->name : "");
        if (w < 0 || (size_t)w >= len - used)
            return; /* truncated; buf stays NUL-terminated */
        used += (size_t)w;
    }
}
