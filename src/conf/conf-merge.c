/*
 * Laying one configuration tree over another: how a -c file combines with
 * the built-in defaults.
 *
 * Suricata has no defaults tree: it reads one suricata.yaml, and whatever
 * that file leaves out falls back to defaults inside the code. Our defaults
 * tree stands for Suricata's shipped suricata.yaml, so a user's file must
 * win wherever it says something, and the defaults fill in only what it
 * leaves out:
 *  - a mapping merges key by key (`stream: {midstream: true}` keeps the
 *    other stream settings);
 *  - a scalar replaces the node, children included;
 *  - a sequence replaces the earlier node whole (`outputs:` in the user's
 *    file is the whole outputs list, as in Suricata), so does a mapping
 *    written over a sequence;
 *  - a null value (`key:`) keeps the earlier value or mapping, since Suricata
 *    would use its built-in default there, but empties a sequence
 *    (`rule-files:` with nothing means no rule files);
 *  - nodes made only as steps of a dotted key (`outputs.1.eve-log.enabled:
 *    no`) reach into the earlier tree by name, sequences included, exactly
 *    like Suricata applies such keys to the tree it has read so far.
 */
#include <stdlib.h>

#include "conf/conf-internal.h"

/* d takes over everything s holds; s is left empty. */
static void replace_node(ConfNode *d, ConfNode *s)
{
    conf_node_free_children(d);
    free(d->value);
    d->value = s->value;
    s->value = NULL;
    d->first_child = s->first_child;
    d->last_child = s->last_child;
    for (ConfNode *ch = d->first_child; ch; ch = ch->next)
        ch->parent = d;
    s->first_child = s->last_child = NULL;
    d->is_seq = s->is_seq;
    d->implicit = s->implicit;
    d->file = s->file;
    d->line = s->line;
}

static void merge_node(ConfNode *d, ConfNode *s)
{
    if (s->is_seq) {
        replace_node(d, s);
        return;
    }
    if (!s->first_child) {
        if (s->value || d->is_seq)
            replace_node(d, s);
        return;
    }
    /* s is a mapping. */
    if (d->is_seq && !s->implicit) {
        replace_node(d, s);
        return;
    }
    if (s->value) {
        free(d->value);
        d->value = s->value;
        s->value = NULL;
    }
    if (!s->implicit) {
        d->file = s->file;
        d->line = s->line;
        d->implicit = false;
    }
    conf_merge(d, s);
}

void conf_merge(ConfNode *dst, ConfNode *src)
{
    ConfNode *s = src->first_child;
    while (s) {
        ConfNode *next = s->next;
        ConfNode *d = conf_node_child(dst, s->name);
        if (d) {
            merge_node(d, s);
        } else {
            conf_node_detach(s);
            conf_node_append(dst, s);
        }
        s = next;
    }
}
