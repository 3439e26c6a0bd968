/*
 * The per-flow DNS state: framing (one message per UDP datagram; TCP
 * messages behind a two-byte length, buffered across segments, several per
 * segment), turning each message into a transaction with Suricata's events,
 * and the transaction list the app-layer framework walks, logs and
 * releases. As in Suricata, a message whose header is implausible is
 * skipped silently on UDP and stops a TCP direction; a message that fails
 * to parse raises malformed_data, and a response sent toward the server
 * not_a_request, on the most recent transaction. After a TCP gap, data is
 * ignored until it looks like the start of a message again. A TCP stream
 * whose very first message is a response sent "to server" was picked up
 * from the server's side (midstream): its directions are swapped, as
 * Suricata reverses such a flow after protocol detection.
 */
#include "app/dns/dns.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/bytes.h"

/* A TCP message is at most 65535 bytes plus the prefix. */
#define DNS_TCP_BUF_MAX (65535 + 2)

struct DnsTx {
    uint64_t id;
    bool is_request;
    bool flow_reversed; /* the flow's source is the server (dns.reversed) */
    DnsMessage msg;
    uint16_t ev_mask;
    uint8_t events[DNS_EVENT_MAX];
    uint8_t nevents;
};

typedef struct DnsDir {
    uint8_t *buf; /* TCP: bytes of an incomplete message */
    size_t len;
    bool gap;
    bool failed;
    uint64_t messages; /* TCP: whole messages parsed (raw stream triggers) */
} DnsDir;

struct DnsState {
    bool tcp;
    DnsTx **txs; /* live transactions, oldest first */
    size_t ntx, cap;
    uint64_t next_id;
    DnsDir dir[2]; /* 0 to server, 1 to client */
    bool reversed; /* TCP picked up midstream from the server's side */
};

static const char *const event_names[DNS_EVENT_MAX] = {
    "malformed_data", "not_a_request", "not_a_response", "z_flag_set", "invalid_opcode",
    "name_too_long", "infinite_loop", "too_many_labels", "invalid_additionals", "invalid_authorities",
};

const char *dns_event_name(int ev)
{
    return ev >= 0 && ev < DNS_EVENT_MAX ? event_names[ev] : NULL;
}

int dns_event_by_name(const char *name)
{
    for (int i = 0; i < DNS_EVENT_MAX; i++)
        if (strcasecmp(name, event_names[i]) == 0)
            return i;
    return -1;
}

static void tx_set_event(DnsTx *tx, int ev)
{
    if (tx->ev_mask & (1u << ev))
        return;
    tx->ev_mask |= (uint16_t)(1u << ev);
    tx->events[tx->nevents++] = (uint8_t)ev;
}

static void state_set_event(DnsState *s, int ev)
{
    if (s->ntx)
        tx_set_event(s->txs[s->ntx - 1], ev);
}

DnsState *dns_state_new(bool tcp)
{
    DnsState *s = calloc(1, sizeof(*s));
    if (s)
        s->tcp = tcp;
    return s;
}

static void tx_free(DnsTx *tx)
{
    dns_message_free(&tx->msg);
    free(tx);
}

void dns_state_free(DnsState *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ntx; i++)
        tx_free(s->txs[i]);
    free(s->txs);
    free(s->dir[0].buf);
    free(s->dir[1].buf);
    free(s);
}

enum { MSG_OK, MSG_SKIP, MSG_ERROR };

/* One whole message in direction to_server: Suricata's parse_request /
 * parse_response. */
static int parse_message(DnsState *s, bool to_server, const uint8_t *m, size_t len)
{
    bool is_response;
    if (len < DNS_HEADER_LEN || !dns_header_valid(m, len, &is_response))
        return s->tcp ? MSG_ERROR : MSG_SKIP;
    DnsTx *tx = calloc(1, sizeof(*tx));
    if (!tx)
        return MSG_ERROR;
    if (s->tcp && to_server && is_response && s->next_id == 0 && !s->reversed)
        s->reversed = true;
    if (s->reversed)
        to_server = !to_server;
    unsigned pf = 0;
    if (!dns_message_parse(m, len, &tx->msg, &pf)) {
        free(tx);
        state_set_event(s, DNS_EVENT_MALFORMED_DATA);
        return MSG_ERROR;
    }
    if (to_server && is_response) {
        dns_message_free(&tx->msg);
        free(tx);
        state_set_event(s, DNS_EVENT_NOT_A_REQUEST);
        return MSG_ERROR;
    }
    if (s->ntx == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 8;
        DnsTx **n = realloc(s->txs, ncap * sizeof(*n));
        if (!n) {
            tx_free(tx);
            return MSG_ERROR;
        }
        s->txs = n;
        s->cap = ncap;
    }
    tx->is_request = to_server;
    tx->flow_reversed = s->reversed;
    tx->id = s->next_id++;
    uint16_t flags = tx->msg.flags;
    if (pf & DNS_PF_BAD_ADDITIONALS)
        tx_set_event(tx, DNS_EVENT_INVALID_ADDITIONALS);
    if (pf & DNS_PF_BAD_AUTHORITIES)
        tx_set_event(tx, DNS_EVENT_INVALID_AUTHORITIES);
    if (!to_server && !(flags & 0x8000))
        tx_set_event(tx, DNS_EVENT_NOT_A_RESPONSE);
    if (flags & 0x0040)
        tx_set_event(tx, DNS_EVENT_Z_FLAG_SET);
    if (((flags >> 11) & 0xf) >= 7)
        tx_set_event(tx, DNS_EVENT_INVALID_OPCODE);
    if (pf & DNS_PF_TRUNCATED)
        tx_set_event(tx, DNS_EVENT_NAME_TOO_LONG);
    if (pf & DNS_PF_LOOP)
        tx_set_event(tx, DNS_EVENT_INFINITE_LOOP);
    if (pf & DNS_PF_LABELS)
        tx_set_event(tx, DNS_EVENT_TOO_MANY_LABELS);
    s->txs[s->ntx++] = tx;
    return MSG_OK;
}

/* Frames as many length-prefixed messages out of [p, p+len) as are whole;
 * returns the bytes consumed, or -1 on a parse error. */
static long tcp_frame(DnsState *s, bool to_server, const uint8_t *p, size_t len)
{
    size_t off = 0;
    while (len - off >= 2) {
        size_t size = rd_be16(p + off);
        if (size == 0) {
            off += 2;
            continue;
        }
        if (len - off < size + 2)
            break;
        if (parse_message(s, to_server, p + off + 2, size) != MSG_OK)
            return -1;
        s->dir[to_server ? 0 : 1].messages++;
        off += size + 2;
    }
    return (long)off;
}

static bool tcp_parse(DnsState *s, bool to_server, const uint8_t *data, uint32_t len)
{
    DnsDir *d = &s->dir[to_server ? 0 : 1];
    if (d->failed)
        return false;
    if (d->gap && d->len == 0) {
        bool resp;
        bool incomplete = len < 2 || (size_t)rd_be16(data) + 2 > len;
        if (!dns_probe_tcp(data, len, &resp) && !incomplete)
            return true; /* still not at a message boundary: ignore */
        d->gap = false;
    }
    const uint8_t *p = data;
    size_t n = len;
    if (d->len) {
        if (d->len + len > DNS_TCP_BUF_MAX) {
            /* can only happen with a message longer than the prefix allows */
            d->failed = true;
            return false;
        }
        uint8_t *nb = realloc(d->buf, d->len + len);
        if (!nb)
            return false;
        d->buf = nb;
        memcpy(d->buf + d->len, data, len);
        d->len += len;
        p = d->buf;
        n = d->len;
    }
    long used = tcp_frame(s, to_server, p, n);
    if (used < 0) {
        d->failed = true;
        d->len = 0;
        return false;
    }
    size_t rest = n - (size_t)used;
    if (rest == 0) {
        d->len = 0;
    } else if (p == d->buf) {
        memmove(d->buf, d->buf + used, rest);
        d->len = rest;
    } else {
        uint8_t *nb = realloc(d->buf, rest);
        if (!nb)
            return false;
        d->buf = nb;
        memcpy(d->buf, p + used, rest);
        d->len = rest;
    }
    return true;
}

uint64_t dns_tcp_messages(const DnsState *s, bool to_server)
{
    return s ? s->dir[to_server ? 0 : 1].messages : 0;
}

bool dns_parse(DnsState *s, bool to_server, const uint8_t *data, uint32_t len, OdTime ts)
{
    (void)ts;
    if (!s || !data || !len)
        return true;
    if (s->tcp)
        return tcp_parse(s, to_server, data, len);
    return parse_message(s, to_server, data, len) != MSG_ERROR;
}

void dns_gap(DnsState *s, bool to_server, uint32_t len)
{
    if (!s || !len)
        return;
    DnsDir *d = &s->dir[to_server ? 0 : 1];
    d->gap = true;
    d->len = 0;
}

void dns_end(DnsState *s, bool to_server)
{
    (void)s;
    (void)to_server;
}

uint64_t dns_tx_count(const DnsState *s) { return s->next_id; }

DnsTx *dns_tx_get(DnsState *s, uint64_t id)
{
    /* ids are consecutive from the oldest kept unless a release left a hole:
     * try the place that assumes none first (a long flow keeps thousands) */
    if (s->ntx && id >= s->txs[0]->id && id - s->txs[0]->id < s->ntx && s->txs[id - s->txs[0]->id]->id == id)
        return s->txs[id - s->txs[0]->id];
    for (size_t i = 0; i < s->ntx; i++)
        if (s->txs[i]->id == id)
            return s->txs[i];
    return NULL;
}

uint64_t dns_tx_id(const DnsTx *tx) { return tx->id; }

bool dns_tx_done(const DnsTx *tx, bool to_server)
{
    (void)tx;
    (void)to_server;
    return true;
}

void dns_tx_release(DnsState *s, uint64_t upto_id)
{
    size_t k = 0;
    for (size_t i = 0; i < s->ntx; i++) {
        if (s->txs[i]->id < upto_id)
            tx_free(s->txs[i]);
        else
            s->txs[k++] = s->txs[i];
    }
    s->ntx = k;
}

bool dns_tx_is_request(const DnsTx *tx) { return tx->is_request; }
bool dns_tx_flow_reversed(const DnsTx *tx) { return tx->flow_reversed; }
const DnsMessage *dns_tx_message(const DnsTx *tx) { return &tx->msg; }
int dns_tx_event_count(const DnsTx *tx) { return tx->nevents; }
int dns_tx_event_get(const DnsTx *tx, int i) { return i >= 0 && i < tx->nevents ? tx->events[i] : -1; }
