/*
 * Exception policy names and their reading from the configuration (see
 * exception-policy.h for the rules): the per-target key, else the master
 * switch `exception-policy`, else `auto`; IPS-only policies downgraded to
 * ignore in IDS mode; for targets that have no flow yet (flow and defrag
 * memcap) the flow-wide policies fall back to their per-packet form, as
 * Suricata 8 does (drop-flow -> drop-packet, pass-flow and bypass ->
 * pass-packet).
 */
#include "flow/exception-policy.h"

#include <stdio.h>
#include <string.h>

#include "conf/conf.h"

static const char *const policy_names[EXC_POLICY_MAX] = {
    [EXC_POLICY_IGNORE] = "ignore",
    [EXC_POLICY_PASS_PACKET] = "pass_packet",
    [EXC_POLICY_PASS_FLOW] = "pass_flow",
    [EXC_POLICY_BYPASS] = "bypass",
    [EXC_POLICY_DROP_PACKET] = "drop_packet",
    [EXC_POLICY_DROP_FLOW] = "drop_flow",
    [EXC_POLICY_REJECT] = "reject",
};

/* configuration spelling, with dashes */
static const char *const policy_values[EXC_POLICY_MAX] = {
    [EXC_POLICY_IGNORE] = "ignore",
    [EXC_POLICY_PASS_PACKET] = "pass-packet",
    [EXC_POLICY_PASS_FLOW] = "pass-flow",
    [EXC_POLICY_BYPASS] = "bypass",
    [EXC_POLICY_DROP_PACKET] = "drop-packet",
    [EXC_POLICY_DROP_FLOW] = "drop-flow",
    [EXC_POLICY_REJECT] = "reject",
};

static const char *const target_names[EXC_TARGET_MAX] = {
    [EXC_TARGET_DEFRAG_MEMCAP] = "defrag_memcap",
    [EXC_TARGET_STREAM_MEMCAP] = "stream_memcap",
    [EXC_TARGET_STREAM_REASSEMBLY_MEMCAP] = "stream_reassembly_memcap",
    [EXC_TARGET_FLOW_MEMCAP] = "flow_memcap",
    [EXC_TARGET_STREAM_MIDSTREAM] = "stream_midstream",
    [EXC_TARGET_APP_LAYER_ERROR] = "app_layer_error",
};

static const char *const target_keys[EXC_TARGET_MAX] = {
    [EXC_TARGET_DEFRAG_MEMCAP] = "defrag.memcap-policy",
    [EXC_TARGET_STREAM_MEMCAP] = "stream.memcap-policy",
    [EXC_TARGET_STREAM_REASSEMBLY_MEMCAP] = "stream.reassembly.memcap-policy",
    [EXC_TARGET_FLOW_MEMCAP] = "flow.memcap-policy",
    [EXC_TARGET_STREAM_MIDSTREAM] = "stream.midstream-policy",
    [EXC_TARGET_APP_LAYER_ERROR] = "app-layer.error-policy",
};

const char *exception_policy_name(ExceptionPolicy p)
{
    return (unsigned)p < EXC_POLICY_MAX ? policy_names[p] : "ignore";
}

const char *exception_target_name(ExceptionTarget t)
{
    return (unsigned)t < EXC_TARGET_MAX ? target_names[t] : "";
}

const char *exception_target_key(ExceptionTarget t)
{
    return (unsigned)t < EXC_TARGET_MAX ? target_keys[t] : "";
}

bool exception_policy_parse(const char *s, ExceptionPolicy *out, bool *is_auto)
{
    *is_auto = false;
    if (!s)
        return false;
    if (strcmp(s, "auto") == 0) {
        *is_auto = true;
        return true;
    }
    for (int i = 0; i < EXC_POLICY_MAX; i++) {
        if (strcmp(s, policy_values[i]) == 0) {
            *out = (ExceptionPolicy)i;
            return true;
        }
    }
    return false;
}

/* Flow and defrag memcap are hit before there is a flow to act on. */
static bool target_has_flow(ExceptionTarget t)
{
    return t != EXC_TARGET_FLOW_MEMCAP && t != EXC_TARGET_DEFRAG_MEMCAP;
}

static bool is_ips_only(ExceptionPolicy p)
{
    return p == EXC_POLICY_DROP_PACKET || p == EXC_POLICY_DROP_FLOW || p == EXC_POLICY_REJECT;
}

bool exception_policy_read(struct Conf *conf, ExceptionTarget t, bool ips, bool midstream_on,
        ExceptionPolicy *out, char *err, size_t errlen)
{
    const char *key = exception_target_key(t);
    const char *used = key;
    const char *s = NULL;
    if (!conf_get_str(conf, key, &s) || !s) {
        used = "exception-policy";
        if (!conf_get_str(conf, used, &s) || !s)
            s = "auto";
    }
    ExceptionPolicy pol = EXC_POLICY_IGNORE;
    bool is_auto = false;
    if (!exception_policy_parse(s, &pol, &is_auto)) {
        snprintf(err, errlen, "%s: invalid exception policy '%s'", used, s);
        return false;
    }
    const bool midstream_key = t == EXC_TARGET_STREAM_MIDSTREAM;
    if (is_auto)
        pol = ips && !(midstream_key && midstream_on) ? EXC_POLICY_DROP_FLOW : EXC_POLICY_IGNORE;
    if (!ips && is_ips_only(pol))
        pol = EXC_POLICY_IGNORE;
    /* an explicit master switch value still applies (Suricata 8) */
    if (midstream_key && midstream_on && used == key && pol != EXC_POLICY_IGNORE && pol != EXC_POLICY_PASS_FLOW) {
        snprintf(err, errlen, "%s: '%s' is not a valid policy when stream.midstream is on", key, s);
        return false;
    }
    if (!target_has_flow(t)) {
        if (pol == EXC_POLICY_DROP_FLOW)
            pol = EXC_POLICY_DROP_PACKET;
        else if (pol == EXC_POLICY_PASS_FLOW || pol == EXC_POLICY_BYPASS)
            pol = EXC_POLICY_PASS_PACKET;
    }
    *out = pol;
    return true;
}

bool exception_policies_read(struct Conf *conf, bool ips, bool midstream_on, ExceptionPolicies *out,
        char *err, size_t errlen)
{
    for (int t = 0; t < EXC_TARGET_MAX; t++)
        if (!exception_policy_read(conf, (ExceptionTarget)t, ips, midstream_on, &out->policy[t], err, errlen))
            return false;
    return true;
}

uint64_t exception_counter_mask(const ExceptionPolicies *ep, bool ips, bool midstream_on)
{
    uint64_t mask = 0;
    for (int t = 0; t < EXC_TARGET_MAX; t++) {
        if (ep->policy[t] == EXC_POLICY_IGNORE)
            continue;
        for (int p = EXC_POLICY_PASS_PACKET; p < EXC_POLICY_MAX; p++) {
            if (!ips && is_ips_only((ExceptionPolicy)p))
                continue;
            if (!target_has_flow((ExceptionTarget)t) &&
                    (p == EXC_POLICY_PASS_FLOW || p == EXC_POLICY_BYPASS || p == EXC_POLICY_DROP_FLOW))
                continue;
            if (t == EXC_TARGET_STREAM_MIDSTREAM && midstream_on && p != EXC_POLICY_PASS_FLOW &&
                    p != (int)ep->policy[t])
                continue;
            mask |= 1ull << (t * (EXC_POLICY_MAX - 1) + p - 1);
        }
    }
    return mask;
}
