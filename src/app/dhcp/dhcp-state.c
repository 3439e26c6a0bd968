/*
 * Per-flow DHCP state, as Suricata's DHCPState: each datagram that parses
 * as a message becomes a transaction of its own, remembering the direction
 * it came in (the record is written with that packet's addresses) and the
 * events its options raised. Transactions are complete at once; they sit
 * in a small array from the oldest not yet released, and ids keep counting
 * across releases.
 */
#include "app/dhcp/dhcp.h"

#include <stdlib.h>
#include <string.h>

#include "util/bytes.h"

struct DhcpTx {
    DhcpMessage msg;
    bool to_server;
};

struct DhcpState {
    DhcpTx **txs; /* txs[i] has id first_id + i */
    uint32_t count, cap;
    uint64_t first_id;
};

DhcpState *dhcp_state_new(void)
{
    return calloc(1, sizeof(DhcpState));
}

static void tx_free(DhcpTx *tx)
{
    dhcp_message_free(&tx->msg);
    free(tx);
}

void dhcp_state_free(DhcpState *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->count; i++)
        tx_free(s->txs[i]);
    free(s->txs);
    free(s);
}

bool dhcp_parse(DhcpState *s, bool to_server, const uint8_t *data, uint32_t len)
{
    if (s->count == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 4;
        DhcpTx **n = realloc(s->txs, cap * sizeof(*n));
        if (!n)
            return false;
        s->txs = n;
        s->cap = cap;
    }
    DhcpTx *tx = calloc(1, sizeof(*tx));
    if (!tx)
        return false;
    if (!dhcp_message_parse(data, len, &tx->msg)) {
        free(tx);
        return false;
    }
    tx->to_server = to_server;
    s->txs[s->count++] = tx;
    return true;
}

uint64_t dhcp_tx_count(const DhcpState *s)
{
    return s->first_id + s->count;
}

DhcpTx *dhcp_tx_get(DhcpState *s, uint64_t id)
{
    if (id < s->first_id || id - s->first_id >= s->count)
        return NULL;
    return s->txs[id - s->first_id];
}

void dhcp_tx_release(DhcpState *s, uint64_t upto)
{
    uint32_t n = 0;
    while (n < s->count && s->first_id + n < upto)
        tx_free(s->txs[n++]);
    if (!n)
        return;
    memmove(s->txs, s->txs + n, (s->count - n) * sizeof(*s->txs));
    s->count -= n;
    s->first_id += n;
}

const DhcpMessage *dhcp_tx_message(const DhcpTx *tx)
{
    return &tx->msg;
}

bool dhcp_tx_to_server(const DhcpTx *tx)
{
    return tx->to_server;
}

int dhcp_tx_event_count(const DhcpTx *tx)
{
    return (int)tx->msg.truncated_options + (int)tx->msg.malformed_options;
}

int dhcp_tx_event_get(const DhcpTx *tx, int i)
{
    if (i == 0 && tx->msg.truncated_options)
        return DHCP_EVENT_TRUNCATED_OPTIONS;
    return DHCP_EVENT_MALFORMED_OPTIONS;
}

const char *dhcp_event_name(int ev)
{
    switch (ev) {
    case DHCP_EVENT_TRUNCATED_OPTIONS: return "truncated_options";
    case DHCP_EVENT_MALFORMED_OPTIONS: return "malformed_options";
    default: return NULL;
    }
}

bool dhcp_tx_time_option(const DhcpTx *tx, uint8_t code, uint32_t *seconds)
{
    const DhcpOption *o = dhcp_message_option(&tx->msg, code);
    if (!o || o->len != 4)
        return false;
    *seconds = rd_be32(tx->msg.raw + o->off);
    return true;
}
