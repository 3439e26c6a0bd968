/*
 * Flow-variable keywords (family `flowvars`): flowbits, flowint and xbits.
 * Conditions (flowbits isset/isnotset, flowint comparisons and
 * isset/notset, xbits isset/isnotset) are packet keywords on
 * SIG_LIST_MATCH; actions (flowbits set/unset/toggle, flowint = + -, xbits
 * set/unset/toggle) run on SIG_LIST_POSTMATCH once the whole rule matched.
 * `flowbits:noalert` sets SIG_FLAG_NOALERT and adds no SigMatch.
 * Parsers and evaluators are exposed for unit tests.
 */
#ifndef ODLAR_DETECT_KW_FLOWVARS_H
#define ODLAR_DETECT_KW_FLOWVARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"
#include "detect/flow-vars.h"
#include "util/time.h"

/* ---- flowbits ---- */
typedef enum FlowbitsCmd {
    FLOWBITS_SET = 1,
    FLOWBITS_UNSET,
    FLOWBITS_TOGGLE, /* deprecated in Suricata 8.0.6, still accepted */
    FLOWBITS_ISSET,
    FLOWBITS_ISNOTSET,
    FLOWBITS_NOALERT,
} FlowbitsCmd;

typedef struct FlowbitsCtx {
    uint8_t cmd; /* FlowbitsCmd */
    uint8_t count; /* names: 1, or the members of an `a|b` OR group */
    FlowVarName *names;
} FlowbitsCtx;

/* Parses a flowbits value. Returns a context, or NULL: then either *noalert
 * is true (`flowbits:noalert`, not an error) or `err` holds the reason. */
FlowbitsCtx *flowbits_parse(const char *value, bool *noalert, char *err, size_t errlen);
void flowbits_free(void *ctx);
/* isset / isnotset (OR over a group); false without a flow. */
bool flowbits_match(const Packet *p, const FlowbitsCtx *c);
/* set / unset / toggle on p->flow. */
void flowbits_post(const Packet *p, const FlowbitsCtx *c);
/* true when a and b contradict (isset x with isnotset x): such a rule can
 * never match and Suricata rejects it. */
bool flowbits_conflict(const FlowbitsCtx *a, const FlowbitsCtx *b);

/* ---- flowint ---- */
typedef enum FlowintOp {
    FLOWINT_SET = 1, /* = */
    FLOWINT_ADD, /* + */
    FLOWINT_SUB, /* - */
    FLOWINT_EQ,
    FLOWINT_NE,
    FLOWINT_LT,
    FLOWINT_LE,
    FLOWINT_GT,
    FLOWINT_GE,
    FLOWINT_ISSET,
    FLOWINT_NOTSET, /* also `isnotset` */
} FlowintOp;

typedef struct FlowintCtx {
    uint8_t op; /* FlowintOp */
    FlowVarName name;
    bool target_is_var;
    FlowVarName target; /* when target_is_var */
    uint32_t value; /* otherwise */
} FlowintCtx;

FlowintCtx *flowint_parse(const char *value, char *err, size_t errlen);
void flowint_free(void *ctx);
/* true for the ops that go to SIG_LIST_POSTMATCH (= + -). */
bool flowint_is_action(const FlowintCtx *c);
bool flowint_match(const Packet *p, const FlowintCtx *c);
void flowint_post(const Packet *p, const FlowintCtx *c);

/* ---- xbits ---- */
typedef enum XbitsCmd {
    XBITS_SET = 1,
    XBITS_UNSET,
    XBITS_TOGGLE,
    XBITS_ISSET,
    XBITS_ISNOTSET,
} XbitsCmd;

typedef enum XbitsTrack {
    XBITS_TRACK_IP_SRC = 1,
    XBITS_TRACK_IP_DST,
    XBITS_TRACK_IP_PAIR,
    XBITS_TRACK_TX, /* per transaction: parsed, but no app layer yet -> never set/match */
} XbitsTrack;

#define XBITS_EXPIRE_DEFAULT 30 /* seconds, as Suricata */

typedef struct XbitsCtx {
    uint8_t cmd; /* XbitsCmd */
    uint8_t track; /* XbitsTrack */
    uint32_t expire; /* seconds */
    FlowVarName name;
} XbitsCtx;

XbitsCtx *xbits_parse(const char *value, char *err, size_t errlen);
void xbits_free(void *ctx);

/* Host and IP-pair bits live in an XbitsStore. Suricata shares one host /
 * ippair table among all threads; Odlar keeps one store per worker thread
 * (flows, hence usually both directions of a host pair, stay on one worker),
 * so a bit set on one worker is not seen by another. The store holds at most
 * XBITS_MAX_ENTRIES bits; when full, expired bits are purged first and then
 * new bits are dropped and counted. */
#define XBITS_MAX_ENTRIES 65536
typedef struct XbitsStore XbitsStore;

XbitsStore *xbits_store_new(void);
void xbits_store_free(XbitsStore *st);
uint32_t xbits_store_count(const XbitsStore *st);
uint64_t xbits_store_dropped(const XbitsStore *st);
/* The calling thread's store, created on first use (the keywords use it).
 * A worker should call xbits_thread_cleanup() before it exits. */
XbitsStore *xbits_thread_store(void);
void xbits_thread_cleanup(void);

/* Evaluate against an explicit store; `p->ts` is "now" for expiry (a bit set
 * at t with expire N is set while now < t + N). */
bool xbits_match_store(XbitsStore *st, const Packet *p, const XbitsCtx *c);
void xbits_post_store(XbitsStore *st, const Packet *p, const XbitsCtx *c);

void keywords_register_flowvars(void);

/* Hash/equality of a variable name, for the keywords' hash/equal
 * (kw-flowvars.c): h mixed with the name's hash (0 for none). */
uint32_t flowvar_name_hash_mix(uint32_t h, const FlowVarName *n);
bool flowvar_name_equal(const FlowVarName *a, const FlowVarName *b);

/* Each keyword's registration (in its own file), and the family's. */
void flowvars_register_flowbits(void);
void flowvars_register_flowint(void);
void flowvars_register_xbits(void);

#endif
