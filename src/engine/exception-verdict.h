/*
 * Applying an exception policy to the packet that hit it, as Suricata 8's
 * ExceptionPolicyApply does (policies and targets: flow/exception-policy.h).
 *
 * Whatever the policy, the flow notes the target and policy (EVE
 * flow.exception_policy). Then, from weakest to strongest:
 *  - ignore: nothing more;
 *  - pass-packet: the packet is not inspected;
 *  - pass-flow: neither are the flow's later packets (EVE flow.action
 *    "pass"); tracking and the application layer go on;
 *  - bypass: the flow is bypassed locally (EVE flow.state "bypassed"): its
 *    later packets skip everything and are only counted
 *    (flow_bypassed.local_pkts / local_bytes);
 *  - drop-packet: the packet is not inspected and is dropped, with the
 *    target as drop.reason ("stream midstream", ...);
 *  - drop-flow: so is the flow (EVE flow.action "drop"): its later packets
 *    are dropped before tracking ("exception policy flow drop");
 *  - reject: drop-flow, and the packet is rejected.
 * Drops only happen in IPS mode (the configuration reader turns them into
 * ignore otherwise). Every policy but ignore counts
 * exception_policy.<area>.<policy>.
 */
#ifndef ODLAR_ENGINE_EXCEPTION_VERDICT_H
#define ODLAR_ENGINE_EXCEPTION_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"
#include "engine/counters.h"
#include "flow/exception-policy.h"
#include "flow/flow.h"

/* What the exception policies decided for the packet being processed. */
typedef struct ExceptionVerdict {
    bool skip_inspection; /* any policy but ignore */
    bool drop; /* drop-packet, drop-flow, reject */
    bool reject;
    uint8_t drop_reason; /* DETECT_DROP_REASON_* of the first drop */
} ExceptionVerdict;

/* Forget the previous packet's verdict. */
static inline void exception_verdict_reset(ExceptionVerdict *v)
{
    v->skip_inspection = false;
    v->drop = false;
    v->reject = false;
    v->drop_reason = 0;
}

/* Applies `policy` for `target` to the current packet (verdict `v`) and its
 * flow `f` (may be NULL), counting it in `ctr` (may be NULL). */
void exception_apply(ExceptionVerdict *v, Counters *ctr, Flow *f, ExceptionTarget target, ExceptionPolicy policy);

/* Bypasses flow f locally (Suricata's capture-less bypass, also used for
 * stream.bypass and encryption-handling: bypass): its later packets are
 * only counted. */
void exception_bypass_flow(Flow *f);

/* The DETECT_DROP_REASON_* of a target (EVE drop.reason). */
uint8_t exception_drop_reason(ExceptionTarget target);

/* True when an exception policy dropped the whole flow (drop-flow,
 * reject): its later packets are dropped as "exception policy flow drop". */
bool exception_flow_dropped(const Flow *f);

/* The ips.drop_reason.* counter of a DETECT_DROP_REASON_* (CTR_MAX for
 * none). */
CounterId ips_drop_reason_counter(uint8_t drop_reason);

/* The exception_policy.<area>.<policy> counter; policy must not be ignore. */
CounterId exception_counter(ExceptionTarget target, ExceptionPolicy policy);

#endif
