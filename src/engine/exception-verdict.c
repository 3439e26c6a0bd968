/*
 * Exception policies applied to a packet and its flow (see
 * exception-verdict.h). The flow-wide verdicts go to the flow (action,
 * state) and to detection (detect_flow_set_verdict), so later packets of a
 * passed or dropped flow are handled as if a pass or drop rule had matched.
 */
#include "engine/exception-verdict.h"

#include "detect/detect.h"

uint8_t exception_drop_reason(ExceptionTarget target)
{
    switch (target) {
    case EXC_TARGET_DEFRAG_MEMCAP: return DETECT_DROP_REASON_DEFRAG_MEMCAP;
    case EXC_TARGET_STREAM_MEMCAP: return DETECT_DROP_REASON_STREAM_MEMCAP;
    case EXC_TARGET_STREAM_REASSEMBLY_MEMCAP: return DETECT_DROP_REASON_STREAM_REASSEMBLY;
    case EXC_TARGET_FLOW_MEMCAP: return DETECT_DROP_REASON_FLOW_MEMCAP;
    case EXC_TARGET_STREAM_MIDSTREAM: return DETECT_DROP_REASON_STREAM_MIDSTREAM;
    case EXC_TARGET_APP_LAYER_ERROR: return DETECT_DROP_REASON_APPLAYER_ERROR;
    default: return DETECT_DROP_REASON_NONE;
    }
}

CounterId exception_counter(ExceptionTarget target, ExceptionPolicy policy)
{
    return (CounterId)(CTR_EXC_DEFRAG_MEMCAP_PASS_PACKET + (int)target * (EXC_POLICY_MAX - 1) + (int)policy - 1);
}

_Static_assert(CTR_EXC_APP_LAYER_ERROR_REJECT - CTR_EXC_DEFRAG_MEMCAP_PASS_PACKET ==
                       EXC_TARGET_MAX * (EXC_POLICY_MAX - 1) - 1,
        "one exception_policy counter per target and policy");

void exception_bypass_flow(Flow *f)
{
    if (f)
        f->state = FLOW_STATE_LOCAL_BYPASSED;
}

static void drop_packet(ExceptionVerdict *v, ExceptionTarget target)
{
    if (!v->drop)
        v->drop_reason = exception_drop_reason(target);
    v->drop = true;
}

void exception_apply(ExceptionVerdict *v, Counters *ctr, Flow *f, ExceptionTarget target, ExceptionPolicy policy)
{
    if (f)
        flow_exceptions_note(&f->exceptions, target, policy);
    if (policy == EXC_POLICY_IGNORE)
        return;
    if (ctr)
        ctr_inc(ctr, exception_counter(target, policy));
    v->skip_inspection = true;
    switch (policy) {
    case EXC_POLICY_REJECT:
        v->reject = true;
        /* fall through */
    case EXC_POLICY_DROP_FLOW:
        if (f) {
            f->action = FLOW_ACTION_DROP;
            detect_flow_set_verdict(f, true);
        }
        /* fall through */
    case EXC_POLICY_DROP_PACKET:
        drop_packet(v, target);
        break;
    case EXC_POLICY_BYPASS:
        exception_bypass_flow(f);
        /* fall through */
    case EXC_POLICY_PASS_FLOW:
        if (f) {
            if (f->action == FLOW_ACTION_NONE)
                f->action = FLOW_ACTION_PASS;
            detect_flow_set_verdict(f, false);
        }
        break;
    default: /* pass-packet */
        break;
    }
}
