/*
 * A flow's Ethernet addresses per side (contract in flow-macs.h).
 *
 * Each side is a small array grown by doubling; flows rarely see more than
 * one address per side, so a linear search for duplicates is the fastest
 * way to keep each address once.
 */
#include "flow/flow-macs.h"

#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"

static bool side_add(FlowMacs *m, FlowMacSide side, const uint8_t mac[6])
{
    for (uint32_t i = 0; i < m->count[side]; i++)
        if (memcmp(m->addr[side][i], mac, 6) == 0)
            return true;
    if (m->count[side] == m->cap[side]) {
        uint32_t cap = m->cap[side] ? m->cap[side] * 2 : 2;
        uint8_t(*grown)[6] = realloc(m->addr[side], (size_t)cap * 6);
        if (grown == NULL)
            return false;
        m->addr[side] = grown;
        m->cap[side] = cap;
    }
    memcpy(m->addr[side][m->count[side]++], mac, 6);
    return true;
}

bool flow_macs_add(Flow *f, const uint8_t src[6], const uint8_t dst[6], bool to_server)
{
    if (f->macs == NULL) {
        f->macs = calloc(1, sizeof(*f->macs));
        if (f->macs == NULL)
            return false;
    }
    const uint8_t *client = to_server ? src : dst, *server = to_server ? dst : src;
    bool ok = side_add(f->macs, FLOW_MAC_CLIENT, client);
    return side_add(f->macs, FLOW_MAC_SERVER, server) && ok;
}

uint32_t flow_macs_count(const Flow *f, FlowMacSide side)
{
    return f->macs ? f->macs->count[side] : 0;
}

const uint8_t *flow_macs_get(const Flow *f, FlowMacSide side, uint32_t i)
{
    return f->macs->addr[side][i];
}

void flow_macs_swap(Flow *f)
{
    FlowMacs *m = f->macs;
    if (m == NULL)
        return;
    uint8_t(*a)[6] = m->addr[0];
    m->addr[0] = m->addr[1];
    m->addr[1] = a;
    uint32_t n = m->count[0];
    m->count[0] = m->count[1];
    m->count[1] = n;
    n = m->cap[0];
    m->cap[0] = m->cap[1];
    m->cap[1] = n;
}

void flow_macs_free(Flow *f)
{
    if (f->macs == NULL)
        return;
    free(f->macs->addr[0]);
    free(f->macs->addr[1]);
    free(f->macs);
    f->macs = NULL;
}
