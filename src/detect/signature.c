/*
 * Signature lifetime and list access.
 *
 * A Signature owns its strings, its header sets and, through its
 * SigMatchLists, every keyword instance's parsed data. This file creates and
 * frees signatures and finds or adds the match list a keyword goes to, so
 * the parser and keyword setups never manage list storage themselves.
 */
#include "detect/signature.h"

#include <stdlib.h>
#include <string.h>

#include "detect/address.h"
#include "detect/keyword.h"
#include "detect/port.h"

Signature *signature_new(void)
{
    Signature *s = calloc(1, sizeof(*s));
    if (s)
        s->gid = 1;
    return s;
}

const SigMatchList *sig_list(const Signature *s, uint16_t list_id)
{
    for (uint16_t i = 0; i < s->list_count; i++)
        if (s->lists[i].list_id == list_id)
            return &s->lists[i];
    return NULL;
}

SigMatchList *sig_list_get_or_add(Signature *s, uint16_t list_id)
{
    for (uint16_t i = 0; i < s->list_count; i++)
        if (s->lists[i].list_id == list_id)
            return &s->lists[i];
    if (s->list_count >= SIG_MAX_LISTS)
        return NULL;
    SigMatchList *nl = realloc(s->lists, (s->list_count + 1u) * sizeof(*nl));
    if (!nl)
        return NULL;
    s->lists = nl;
    SigMatchList *l = &s->lists[s->list_count++];
    memset(l, 0, sizeof(*l));
    l->list_id = list_id;
    return l;
}

static void free_matches(SigMatch *items, uint16_t n)
{
    for (uint16_t i = 0; i < n; i++) {
        const KeywordDef *d = keyword_get(items[i].kw);
        if (d && d->free && items[i].ctx)
            d->free(items[i].ctx);
    }
    free(items);
}

void signature_free(Signature *s)
{
    if (!s)
        return;
    for (uint16_t i = 0; i < s->list_count; i++) {
        free_matches(s->lists[i].items, s->lists[i].count);
        const SigMatchList *l = &s->lists[i]; /* borrowed transforms: freed with their owner */
        for (uint16_t t = 0; t < l->transforms_borrowed && t < l->transform_count; t++)
            l->transforms[t].ctx = NULL;
        free_matches(l->transforms, l->transform_count);
    }
    free(s->lists);
    for (uint16_t i = 0; i < s->ref_count; i++) {
        free(s->refs[i].key);
        free(s->refs[i].value);
    }
    free(s->refs);
    for (uint16_t i = 0; i < s->meta_count; i++) {
        free(s->meta[i].block); /* the keyword's entries share it (kw-metadata.c) */
    }
    free(s->meta);
    if (s->src)
        address_set_free(s->src);
    if (s->dst)
        address_set_free(s->dst);
    if (s->sp)
        port_set_free(s->sp);
    if (s->dp)
        port_set_free(s->dp);
    free(s->msg);
    free(s->classtype);
    free(s->class_desc);
    free(s);
}
