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

bool exception_flow_dropped(const Flow *f)
{
    for (int t = 0; t < EXC_TARGET_MAX; t++)
        if ((f->exceptions.fired & (1u << t)) &&
                (f->exceptions.policy[t] == EXC_POLICY_DROP_FLOW || f->exceptions.policy[t] == EXC_POLICY_REJECT))
            return true;
    return false;
}

CounterId ips_drop_reason_counter(uint8_t drop_reason)
{
    switch (drop_reason) {
    case DETECT_DROP_REASON_RULES: return CTR_IPS_DROP_REASON_RULES;
    case DETECT_DROP_REASON_FLOW: return CTR_IPS_DROP_REASON_FLOW_DROP;
    case DETECT_DROP_REASON_THRESHOLD: return CTR_IPS_DROP_REASON_THRESHOLD_DETECTION_FILTER;
    case DETECT_DROP_REASON_DEFRAG_MEMCAP: return CTR_IPS_DROP_REASON_DEFRAG_MEMCAP;
    case DETECT_DROP_REASON_STREAM_MEMCAP: return CTR_IPS_DROP_REASON_STREAM_MEMCAP;
    case DETECT_DROP_REASON_STREAM_REASSEMBLY: return CTR_IPS_DROP_REASON_STREAM_REASSEMBLY;
    case DETECT_DROP_REASON_FLOW_MEMCAP: return CTR_IPS_DROP_REASON_FLOW_MEMCAP;
    case DETECT_DROP_REASON_STREAM_MIDSTREAM: return CTR_IPS_DROP_REASON_STREAM_MIDSTREAM;
    case DETECT_DROP_REASON_APPLAYER_ERROR: return CTR_IPS_DROP_REASON_APPLAYER_ERROR;
    case DETECT_DROP_REASON_EXCEPTION_FLOW_DROP: return CTR_IPS_DROP_REASON_EXCEPTION_POLICY_FLOW_DROP;
    case DETECT_DROP_REASON_STREAM_ERROR: return CTR_IPS_DROP_REASON_STREAM_ERROR;
    case DETECT_DROP_REASON_STREAM_URGENT: return CTR_IPS_DROP_REASON_STREAM_URGENT;
    default: return CTR_MAX;
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
