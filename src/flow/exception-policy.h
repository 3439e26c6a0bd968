/*
 * Exception policies: what the engine does with a packet (and its flow) when
 * it cannot handle it normally, as Suricata 8 defines them -- a session
 * seen midstream, a memcap reached (stream, reassembly, flow, defrag), an
 * application-layer parser error.
 *
 * Each place ("target") has its own key (`stream.midstream-policy`,
 * `stream.memcap-policy`, `stream.reassembly.memcap-policy`,
 * `flow.memcap-policy`, `defrag.memcap-policy`, `app-layer.error-policy`)
 * which falls back to the master switch `exception-policy` (default
 * `auto`). `auto` means ignore when the engine runs as an IDS and drop-flow
 * as an IPS (drop-packet for the targets that have no flow: flow and defrag
 * memcap); drop-packet, drop-flow and reject only exist in IPS mode and
 * become ignore in an IDS. With `stream.midstream` on, only ignore and
 * pass-flow are valid values of the midstream key, and `auto` means ignore
 * there; an explicit master switch value still applies.
 *
 * Whatever the policy, a flow remembers every target that fired on it with
 * its policy, for the EVE flow record's `exception_policy` array
 * ({target, policy} objects in Suricata's target order). Applying a policy
 * to the packet is the engine's business (engine/exception-verdict.h).
 */
#ifndef ODLAR_FLOW_EXCEPTION_POLICY_H
#define ODLAR_FLOW_EXCEPTION_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ExceptionPolicy {
    EXC_POLICY_IGNORE = 0,
    EXC_POLICY_PASS_PACKET,
    EXC_POLICY_PASS_FLOW,
    EXC_POLICY_BYPASS,
    EXC_POLICY_DROP_PACKET,
    EXC_POLICY_DROP_FLOW,
    EXC_POLICY_REJECT,
    EXC_POLICY_MAX,
} ExceptionPolicy;

/* In the order Suricata lists them in the EVE flow record. */
typedef enum ExceptionTarget {
    EXC_TARGET_DEFRAG_MEMCAP = 0, /* "defrag_memcap" */
    EXC_TARGET_STREAM_MEMCAP, /* "stream_memcap": a TCP session did not fit */
    EXC_TARGET_STREAM_REASSEMBLY_MEMCAP, /* "stream_reassembly_memcap" */
    EXC_TARGET_FLOW_MEMCAP, /* "flow_memcap" */
    EXC_TARGET_STREAM_MIDSTREAM, /* "stream_midstream" */
    EXC_TARGET_APP_LAYER_ERROR, /* "app_layer_error" */
    EXC_TARGET_MAX,
} ExceptionTarget;

/* The configured policy of every target, resolved for IDS/IPS mode. */
typedef struct ExceptionPolicies {
    ExceptionPolicy policy[EXC_TARGET_MAX];
} ExceptionPolicies;

/* EVE / stats spelling: "ignore", "pass_packet", "pass_flow", "bypass",
 * "drop_packet", "drop_flow", "reject". */
const char *exception_policy_name(ExceptionPolicy p);
/* EVE flow.exception_policy[].target spelling (see ExceptionTarget). */
const char *exception_target_name(ExceptionTarget t);
/* The configuration key of a target ("stream.midstream-policy", ...). */
const char *exception_target_key(ExceptionTarget t);

/* Parses a configuration value ("ignore", "pass-packet", ..., "auto").
 * Returns false for anything else; *is_auto tells `auto` apart. */
bool exception_policy_parse(const char *s, ExceptionPolicy *out, bool *is_auto);

/* Resolves one target's policy from its key or the master switch, for an
 * engine running as IPS (`ips`) or not, with `midstream_on` telling whether
 * stream.midstream is enabled. Returns false and a message naming the key
 * when the value is unknown, or when an explicit midstream policy other than
 * ignore/pass-flow is given with midstream on. */
struct Conf;
bool exception_policy_read(struct Conf *conf, ExceptionTarget t, bool ips, bool midstream_on,
        ExceptionPolicy *out, char *err, size_t errlen);

/* Reads every target's policy (see exception_policy_read). */
bool exception_policies_read(struct Conf *conf, bool ips, bool midstream_on, ExceptionPolicies *out,
        char *err, size_t errlen);

/* Which exception_policy.<area>.<policy> counters exist, as Suricata 8
 * registers them: only for targets whose policy is not ignore, and then
 * every policy valid there (no drops in IDS mode, no flow-wide policy for
 * flow and defrag memcap, only pass-flow and the configured policy for
 * midstream when midstream is on). Bit target * (EXC_POLICY_MAX - 1) + policy - 1. */
uint64_t exception_counter_mask(const ExceptionPolicies *ep, bool ips, bool midstream_on);

/* What a flow remembers: a bit per target that fired, and its policy. */
typedef struct FlowExceptions {
    uint8_t fired; /* 1 << ExceptionTarget */
    uint8_t policy[EXC_TARGET_MAX]; /* ExceptionPolicy of each fired target */
} FlowExceptions;

static inline void flow_exceptions_note(FlowExceptions *fe, ExceptionTarget t, ExceptionPolicy p)
{
    fe->fired |= (uint8_t)(1u << t);
    fe->policy[t] = (uint8_t)p;
}

#endif
