/*
 * Helpers for the stream unit tests: a Flow and packets built by hand (no
 * decoder), and a sink that records what the stream stage delivers per
 * direction -- bytes, gaps (written as '#' placeholders and counted), raw
 * tail data and end calls.
 */
#ifndef ODLAR_TESTS_STREAM_TEST_UTIL_H
#define ODLAR_TESTS_STREAM_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stream/stream.h"

typedef struct DirLog {
    uint8_t data[65536];
    uint32_t len; /* bytes + gap placeholders */
    uint32_t gaps, gap_bytes;
    uint32_t raw_len, raw_gap;
    uint8_t raw[4096];
    int ends;
    int calls_after_end;
} DirLog;

typedef struct TestCtx {
    StreamConfig cfg;
    Counters ctr;
    StreamThread st;
    Flow f;
    DirLog ts, tc;
} TestCtx;

static void tsink_data(void *ctx, Flow *f, bool to_server, const uint8_t *data, uint32_t len)
{
    (void)f;
    TestCtx *t = ctx;
    DirLog *d = to_server ? &t->ts : &t->tc;
    if (d->ends)
        d->calls_after_end++;
    if (d->len + len <= sizeof(d->data)) {
        memcpy(d->data + d->len, data, len);
        d->len += len;
    }
}

static void tsink_gap(void *ctx, Flow *f, bool to_server, uint32_t len)
{
    (void)f;
    TestCtx *t = ctx;
    DirLog *d = to_server ? &t->ts : &t->tc;
    if (d->ends)
        d->calls_after_end++;
    d->gaps++;
    d->gap_bytes += len;
    for (uint32_t i = 0; i < len && d->len < sizeof(d->data); i++)
        d->data[d->len++] = '#';
}

static void tsink_end(void *ctx, Flow *f, bool to_server)
{
    (void)f;
    TestCtx *t = ctx;
    (to_server ? &t->ts : &t->tc)->ends++;
}

static void tsink_raw(void *ctx, Flow *f, bool to_server, uint32_t gap, const uint8_t *data, uint32_t len)
{
    (void)f;
    TestCtx *t = ctx;
    DirLog *d = to_server ? &t->ts : &t->tc;
    if (d->ends)
        d->calls_after_end++;
    d->raw_gap += gap;
    if (d->raw_len + len <= sizeof(d->raw)) {
        memcpy(d->raw + d->raw_len, data, len);
        d->raw_len += len;
    }
}

/* A context with Suricata's defaults; call tctx_start after changing cfg. */
static TestCtx *tctx_new(void)
{
    TestCtx *t = calloc(1, sizeof(*t));
    stream_config_defaults(&t->cfg);
    t->f.proto = 6;
    t->f.src.family = t->f.dst.family = 4;
    t->f.src.addr[0] = 10;
    t->f.dst.addr[0] = 20;
    t->f.sp = 40000;
    t->f.dp = 80;
    t->st.cfg = &t->cfg;
    t->st.ctr = &t->ctr;
    t->st.sink = (StreamSink){ .data = tsink_data, .gap = tsink_gap, .end = tsink_end, .ctx = t,
        .raw = tsink_raw };
    return t;
}

static void tctx_free(TestCtx *t)
{
    stream_tcp_free(&t->st, &t->f);
    free(t);
}

/* A packet as the decoder would leave it. `p` owns nothing: buf points at
 * the caller's payload. */
typedef struct TPkt {
    Packet p;
    uint8_t payload[2048];
} TPkt;

static Packet *tpkt(TPkt *tp, bool to_server, uint8_t flags, uint32_t seq, uint32_t ack, const char *data,
        uint32_t len)
{
    memset(tp, 0, sizeof(*tp));
    Packet *p = &tp->p;
    if (len > sizeof(tp->payload))
        len = sizeof(tp->payload);
    if (data && len)
        memcpy(tp->payload, data, len);
    p->buf = tp->payload;
    p->len = len;
    p->payload_off = 0;
    p->payload_len = len;
    p->proto = 6;
    p->ip_version = 4;
    p->to_server = to_server;
    p->tcp.flags = flags;
    p->tcp.seq = seq;
    p->tcp.ack = ack;
    p->tcp.window = 65535;
    p->tcp.hlen = 20;
    p->ts = OD_TIME_FROM_SEC(1700000000);
    return p;
}

/* Builds and processes one packet; returns it for inspection. */
static Packet *tsend(TestCtx *t, TPkt *tp, bool to_server, uint8_t flags, uint32_t seq, uint32_t ack,
        const char *data)
{
    Packet *p = tpkt(tp, to_server, flags, seq, ack, data, data ? (uint32_t)strlen(data) : 0);
    stream_tcp_packet(&t->st, &t->f, p);
    return p;
}

#define C2S true
#define S2C false

/* Client ISN 1000, server ISN 5000: handshake done, established. */
static void thandshake(TestCtx *t)
{
    TPkt tp;
    tsend(t, &tp, C2S, TH_SYN, 1000, 0, NULL);
    tsend(t, &tp, S2C, TH_SYN | TH_ACK, 5000, 1001, NULL);
    tsend(t, &tp, C2S, TH_ACK, 1001, 5001, NULL);
}

static uint64_t tev(const TestCtx *t, DecodeEvent ev) { return t->ctr.events[ev]; }
static uint64_t tctr(const TestCtx *t, CounterId id) { return t->ctr.v[id]; }

#endif
