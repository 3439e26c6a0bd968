/*
 * Flow counter keywords (Suricata 8): `flow.pkts:<toserver|toclient|either>,<uint>`
 * and `flow.bytes:<...>,<uint>` compare the packet and byte counters of the
 * packet's flow (the current packet included, as the flow stage counts it
 * before detection; `either` matches when one direction does), the older
 * one-direction names `flow.pkts_toserver:<uint>`, `flow.pkts_toclient`,
 * `flow.bytes_toserver` and `flow.bytes_toclient`, and `flow.age:<uint>`,
 * the whole seconds between the flow's first packet and this one. All use
 * the generic uint comparisons and do not match packets without a flow.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-hdrkw.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"
#include "flow/flow.h"

typedef enum FlowCounterWhat {
    FC_PKTS = 0,
    FC_BYTES,
    FC_AGE,
} FlowCounterWhat;

typedef enum FlowCounterDir {
    FC_DIR_TOSERVER = 0,
    FC_DIR_TOCLIENT,
    FC_DIR_EITHER,
} FlowCounterDir;

typedef struct FlowCounterCtx {
    uint8_t what; /* FlowCounterWhat */
    uint8_t dir; /* FlowCounterDir */
    DetectUint u;
} FlowCounterCtx;

typedef struct FlowCounterKw {
    const char *name;
    const char *help;
    uint8_t what;
    int8_t dir; /* -1: written in the value (`toserver,<uint>`) */
    uint16_t id;
} FlowCounterKw;

static FlowCounterKw fc_kws[] = {
    {"flow.pkts", "match the flow's packet count: <toserver|toclient|either>,<uint>", FC_PKTS, -1, 0},
    {"flow.bytes", "match the flow's byte count: <toserver|toclient|either>,<uint>", FC_BYTES, -1, 0},
    {"flow.pkts_toserver", "match the flow's packet count to the server", FC_PKTS, FC_DIR_TOSERVER, 0},
    {"flow.pkts_toclient", "match the flow's packet count to the client", FC_PKTS, FC_DIR_TOCLIENT, 0},
    {"flow.bytes_toserver", "match the flow's byte count to the server", FC_BYTES, FC_DIR_TOSERVER, 0},
    {"flow.bytes_toclient", "match the flow's byte count to the client", FC_BYTES, FC_DIR_TOCLIENT, 0},
    {"flow.age", "match the flow's age in seconds", FC_AGE, FC_DIR_EITHER, 0},
};
#define FC_KW_COUNT (sizeof(fc_kws) / sizeof(fc_kws[0]))

static bool fc_setup_kind(RuleParseCtx *rp, Signature *s, size_t idx, const char *value)
{
    const FlowCounterKw *k = &fc_kws[idx];
    const char *v = value ? value : "";
    FlowCounterCtx c;
    memset(&c, 0, sizeof(c));
    c.what = k->what;
    if (k->dir < 0) {
        while (isspace((unsigned char)*v))
            v++;
        static const struct {
            const char *s;
            uint8_t dir;
        } dirs[] = {{"toserver", FC_DIR_TOSERVER}, {"toclient", FC_DIR_TOCLIENT}, {"either", FC_DIR_EITHER}};
        bool found = false;
        for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
            size_t n = strlen(dirs[i].s);
            if (strncmp(v, dirs[i].s, n) == 0 && (v[n] == ',' || isspace((unsigned char)v[n]))) {
                c.dir = dirs[i].dir;
                v += n;
                while (isspace((unsigned char)*v))
                    v++;
                found = *v == ',';
                v++;
                break;
            }
        }
        if (!found)
            return rule_error(rp, "%s needs <toserver|toclient|either>,<uint> (got '%s')", k->name,
                              value ? value : "");
    } else {
        c.dir = (uint8_t)k->dir;
    }
    const uint64_t max = k->what == FC_PKTS ? DETECT_UINT_MAX_U32 : DETECT_UINT_MAX_U64;
    if (!detect_uint_parse(v, max, &c.u))
        return rule_error(rp, "invalid %s value '%s': %s", k->name, v, detect_uint_syntax_help());
    FlowCounterCtx *out = calloc(1, sizeof(*out));
    if (out == NULL)
        return rule_error(rp, "out of memory");
    *out = c;
    if (rule_append(rp, s, SIG_LIST_MATCH, k->id, out) == NULL) {
        free(out);
        return rule_error(rp, "out of memory");
    }
    return true;
}

#define FC_SETUP(fn, idx) \
    static bool fn(RuleParseCtx *rp, Signature *s, const char *value) \
    { \
        return fc_setup_kind(rp, s, idx, value); \
    }
FC_SETUP(setup_pkts, 0)
FC_SETUP(setup_bytes, 1)
FC_SETUP(setup_pkts_ts, 2)
FC_SETUP(setup_pkts_tc, 3)
FC_SETUP(setup_bytes_ts, 4)
FC_SETUP(setup_bytes_tc, 5)
FC_SETUP(setup_age, 6)
static bool (*const setups[FC_KW_COUNT])(RuleParseCtx *, Signature *, const char *) = {
    setup_pkts, setup_bytes, setup_pkts_ts, setup_pkts_tc, setup_bytes_ts, setup_bytes_tc, setup_age};

static bool fc_match(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    const FlowCounterCtx *c = ctx;
    const Flow *f = p->flow;
    if (f == NULL)
        return false;
    if (c->what == FC_AGE) {
        OdTime age = p->ts > f->start ? p->ts - f->start : 0;
        return detect_uint_match(&c->u, (uint64_t)OD_TIME_SEC(age));
    }
    uint64_t ts = c->what == FC_PKTS ? f->pkts_toserver : f->bytes_toserver;
    uint64_t tc = c->what == FC_PKTS ? f->pkts_toclient : f->bytes_toclient;
    switch (c->dir) {
    case FC_DIR_TOSERVER:
        return detect_uint_match(&c->u, ts);
    case FC_DIR_TOCLIENT:
        return detect_uint_match(&c->u, tc);
    default:
        return detect_uint_match(&c->u, ts) || detect_uint_match(&c->u, tc);
    }
}

static uint32_t fc_hash(const void *ctx)
{
    return hdr_hash_bytes(ctx, sizeof(FlowCounterCtx), 0xf10u);
}

static bool fc_equal(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(FlowCounterCtx)) == 0;
}

void hdrkw_register_flow_counters(void)
{
    for (size_t i = 0; i < FC_KW_COUNT; i++) {
        KeywordDef d;
        memset(&d, 0, sizeof(d));
        d.name = fc_kws[i].name;
        d.help = fc_kws[i].help;
        d.setup = setups[i];
        d.flags = KW_PACKET_OPTION;
        d.match_packet = fc_match;
        d.free = free;
        d.hash = fc_hash;
        d.equal = fc_equal;
        fc_kws[i].id = keyword_register(&d);
    }
}
