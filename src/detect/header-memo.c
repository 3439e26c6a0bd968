/*
 * Rule header fields parsed once per distinct text (contract in
 * header-memo.h): an open-addressing table of (kind, text) -> set, grown
 * at half full; FNV-1a over the text picks the slot.
 */
#include "detect/header-memo.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef enum MemoKind { MEMO_ADDRESS = 1, MEMO_PORT = 2 } MemoKind;

typedef struct MemoEntry {
    char *text; /* NULL: empty slot */
    uint32_t hash;
    MemoKind kind;
    void *set; /* AddressSet or PortSet, owned */
} MemoEntry;

struct HeaderMemo {
    MemoEntry *slots;
    uint32_t cap, used;
};

#define MEMO_INITIAL 64u

static uint32_t text_hash(const char *text, MemoKind kind)
{
    uint32_t h = 2166136261u ^ (uint32_t)kind;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return h;
}

HeaderMemo *header_memo_new(void)
{
    HeaderMemo *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->slots = calloc(MEMO_INITIAL, sizeof(*m->slots));
    if (!m->slots) {
        free(m);
        return NULL;
    }
    m->cap = MEMO_INITIAL;
    return m;
}

static void entry_free(MemoEntry *e)
{
    if (e->kind == MEMO_ADDRESS)
        address_set_free(e->set);
    else
        port_set_free(e->set);
    free(e->text);
}

void header_memo_free(HeaderMemo *m)
{
    if (!m)
        return;
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->slots[i].text)
            entry_free(&m->slots[i]);
    free(m->slots);
    free(m);
}

/* The slot holding (kind, text), or the empty slot where it would go. */
static MemoEntry *find(const HeaderMemo *m, MemoKind kind, const char *text, uint32_t hash)
{
    uint32_t i = hash & (m->cap - 1);
    for (;;) {
        MemoEntry *e = &m->slots[i];
        if (!e->text || (e->hash == hash && e->kind == kind && strcmp(e->text, text) == 0))
            return e;
        i = (i + 1) & (m->cap - 1);
    }
}

static bool grow(HeaderMemo *m)
{
    uint32_t cap = m->cap * 2;
    MemoEntry *slots = calloc(cap, sizeof(*slots)), *old = m->slots;
    if (!slots)
        return false;
    uint32_t old_cap = m->cap;
    m->slots = slots;
    m->cap = cap;
    for (uint32_t i = 0; i < old_cap; i++)
        if (old[i].text)
            *find(m, old[i].kind, old[i].text, old[i].hash) = old[i];
    free(old);
    return true;
}

static const void *lookup(HeaderMemo *m, MemoKind kind, const char *text)
{
    if (!m)
        return NULL;
    const MemoEntry *e = find(m, kind, text, text_hash(text, kind));
    return e->text ? e->set : NULL;
}

/* Whether a text may be kept: a memo, room, and not too long. */
static bool keepable(const HeaderMemo *m, const char *text)
{
    return m && m->used < HEADER_MEMO_MAX && strnlen(text, HEADER_MEMO_TEXT_MAX + 1) <= HEADER_MEMO_TEXT_MAX;
}

/* Takes `copy` (freed when it cannot be kept); the caller checked
 * keepable(). */
static void keep(HeaderMemo *m, MemoKind kind, const char *text, void *copy)
{
    MemoEntry tmp = { .kind = kind, .set = copy };
    if (!copy || ((m->used + 1) * 2 > m->cap && !grow(m))) {
        entry_free(&tmp);
        return;
    }
    uint32_t hash = text_hash(text, kind);
    MemoEntry *e = find(m, kind, text, hash);
    if (e->text || !(tmp.text = strdup(text))) { /* already kept, or no memory */
        entry_free(&tmp);
        return;
    }
    tmp.hash = hash;
    *e = tmp;
    m->used++;
}

AddressSet *header_memo_address(HeaderMemo *m, const char *text)
{
    const AddressSet *set = lookup(m, MEMO_ADDRESS, text);
    return set ? address_set_clone(set) : NULL;
}

PortSet *header_memo_port(HeaderMemo *m, const char *text)
{
    const PortSet *set = lookup(m, MEMO_PORT, text);
    return set ? port_set_clone(set) : NULL;
}

void header_memo_keep_address(HeaderMemo *m, const char *text, const AddressSet *set)
{
    if (keepable(m, text))
        keep(m, MEMO_ADDRESS, text, address_set_clone(set));
}

void header_memo_keep_port(HeaderMemo *m, const char *text, const PortSet *set)
{
    if (keepable(m, text))
        keep(m, MEMO_PORT, text, port_set_clone(set));
}
