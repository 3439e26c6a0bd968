/*
 * Helpers shared by the flow unit tests: packets built on the stack with
 * just the fields the flow stage reads, and an on_end callback that records
 * a copy of every flow that ends.
 */
#ifndef ODLAR_TEST_FLOW_UTIL_H
#define ODLAR_TEST_FLOW_UTIL_H

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow-table.h"

static inline Address addr(const char *s)
{
    Address a;
    memset(&a, 0, sizeof(a));
    if (strchr(s, ':')) {
        a.family = 6;
        inet_pton(AF_INET6, s, a.addr);
    } else {
        a.family = 4;
        inet_pton(AF_INET, s, a.addr);
    }
    return a;
}

/* A decoded packet of `proto` from src:sp to dst:dp at `ts`, `len` bytes. */
static inline void pkt(Packet *p, uint8_t proto, const char *src, uint16_t sp, const char *dst, uint16_t dp,
                       OdTime ts, uint32_t len)
{
    memset(p, 0, sizeof(*p));
    p->src_addr = addr(src);
    p->dst_addr = addr(dst);
    p->ip_version = p->src_addr.family;
    p->proto = proto;
    p->sp = sp;
    p->dp = dp;
    p->ts = ts;
    p->len = len;
    p->wire_len = len;
    p->flow_ok = true;
    p->ip4.ttl = 64;
    p->ip6.hop_limit = 64;
}

static inline void icmp_pkt(Packet *p, const char *src, const char *dst, uint8_t type, uint8_t code, OdTime ts)
{
    pkt(p, strchr(src, ':') ? 58 : 1, src, 0, dst, 0, ts, 98);
    p->icmp_type = type;
    p->icmp_code = code;
}

typedef struct EndLog {
    Flow *flows; /* copies, in the order they ended */
    size_t n, cap;
} EndLog;

static inline void end_log_cb(void *ctx, Flow *f)
{
    EndLog *log = ctx;
    if (log->n == log->cap) {
        log->cap = log->cap ? log->cap * 2 : 64;
        log->flows = realloc(log->flows, log->cap * sizeof(Flow));
    }
    log->flows[log->n++] = *f;
}

static inline void end_log_free(EndLog *log)
{
    free(log->flows);
    memset(log, 0, sizeof(*log));
}

/* Defaults with a small hash and pool, so tests start fast. */
static inline FlowConfig small_config(void)
{
    FlowConfig cfg;
    flow_config_defaults(&cfg);
    cfg.hash_size = 1024;
    cfg.prealloc = 16;
    return cfg;
}

#define SEC(s) OD_TIME_FROM_SEC(s)

#endif
