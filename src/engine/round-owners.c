/*
 * Published packet owners per round (contract in round-owners.h). A slot's
 * state word is 0 when empty, else (round + 1) << 1, with the low bit set
 * while that round's answers are being written; the packet count is kept
 * beside them so that a reader checks it read the same round.
 */
#include "engine/round-owners.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct Slot {
    _Atomic uint64_t state;
    uint32_t count;
} Slot;

struct RoundOwners {
    uint32_t rounds, packets;
    Slot *slots;
    uint8_t *owners; /* rounds x packets */
};

RoundOwners *round_owners_new(uint32_t rounds, uint32_t packets)
{
    RoundOwners *ro = calloc(1, sizeof(*ro));
    if (!ro)
        return NULL;
    ro->rounds = rounds ? rounds : 1;
    ro->packets = packets;
    ro->slots = calloc(ro->rounds, sizeof(*ro->slots));
    ro->owners = calloc(ro->rounds, packets ? packets : 1);
    if (!ro->slots || !ro->owners) {
        round_owners_free(ro);
        return NULL;
    }
    for (uint32_t i = 0; i < ro->rounds; i++)
        atomic_init(&ro->slots[i].state, 0);
    return ro;
}

void round_owners_free(RoundOwners *ro)
{
    if (!ro)
        return;
    free(ro->slots);
    free(ro->owners);
    free(ro);
}

const uint8_t *round_owners_get(RoundOwners *ro, uint64_t round_no, uint32_t count)
{
    Slot *s = &ro->slots[round_no % ro->rounds];
    if (atomic_load_explicit(&s->state, memory_order_acquire) != (round_no + 1) << 1 || s->count != count)
        return NULL;
    return ro->owners + (size_t)(round_no % ro->rounds) * ro->packets;
}

void round_owners_publish(RoundOwners *ro, uint64_t round_no, const uint8_t *owners, uint32_t count)
{
    if (count > ro->packets)
        return;
    Slot *s = &ro->slots[round_no % ro->rounds];
    uint64_t old = atomic_load_explicit(&s->state, memory_order_relaxed);
    if (old >> 1 == round_no + 1)
        return; /* published, or being published, by another worker */
    if (!atomic_compare_exchange_strong_explicit(&s->state, &old, ((round_no + 1) << 1) | 1u, memory_order_acquire,
                                                 memory_order_relaxed))
        return; /* another worker took the slot first */
    memcpy(ro->owners + (size_t)(round_no % ro->rounds) * ro->packets, owners, count);
    s->count = count;
    atomic_store_explicit(&s->state, (round_no + 1) << 1, memory_order_release);
}
