/*
 * Reading the `stream:` section of the configuration (suricata.yaml
 * layout) into a StreamConfig:
 *
 *   stream.memcap, stream.midstream, stream.async-oneside, stream.bypass,
 *   stream.drop-invalid,
 *   stream.checksum-validation, stream.inline (yes/no; "auto" keeps the
 *   caller's IPS decision), stream.max-syn-queued, stream.max-synack-queued
 *   (0..255, otherwise the default), stream.liberal-timestamps,
 *   stream.reassembly.memcap, .depth, .toserver-chunk-size,
 *   .toclient-chunk-size, .check-overlap-different-data,
 *   .urgent.policy (inline|drop|oob|gap), .urgent.oob-limit-policy
 *   (inline|drop|gap), stream.midstream-policy, stream.memcap-policy,
 *   stream.reassembly.memcap-policy (read by flow/exception-policy.c:
 *   the key, else the master switch `exception-policy`, else "auto").
 *   stream.reassembly.randomize-chunk-size is not read: the chunk sizes
 *   are used as configured, so raw inspection timing is deterministic.
 *
 * Kept apart from stream-config.c so that code needing only the defaults
 * does not pull in the configuration tree. host-os-policy is read by
 * stream-host-os.c, called at the end.
 */
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "flow/exception-policy.h"
#include "stream/stream.h"

static bool read_queue_len(Conf *c, const char *key, uint32_t *out)
{
    int64_t v;
    if (conf_get_int(c, key, &v) && v >= 0 && v <= 255)
        *out = (uint32_t)v;
    return true;
}

static bool read_urgent(Conf *c, const char *key, bool allow_oob, StreamUrgentPolicy *out, char *err,
        size_t errlen)
{
    const char *s;
    if (!conf_get_str(c, key, &s) || !s)
        return true;
    if (strcmp(s, "inline") == 0)
        *out = STREAM_URGENT_INLINE;
    else if (strcmp(s, "drop") == 0)
        *out = STREAM_URGENT_DROP;
    else if (strcmp(s, "gap") == 0)
        *out = STREAM_URGENT_GAP;
    else if (allow_oob && strcmp(s, "oob") == 0)
        *out = STREAM_URGENT_OOB;
    else {
        snprintf(err, errlen, "%s: invalid value '%s'", key, s);
        return false;
    }
    return true;
}

/* The stream's policy enum mirrors ExceptionPolicy value for value. */
_Static_assert((int)STREAM_EP_REJECT == (int)EXC_POLICY_REJECT &&
                       (int)STREAM_EP_BYPASS == (int)EXC_POLICY_BYPASS &&
                       (int)STREAM_EP_PASS_FLOW == (int)EXC_POLICY_PASS_FLOW,
        "StreamExceptionPolicy and ExceptionPolicy differ");

static bool read_policy(Conf *c, ExceptionTarget t, bool ips, bool midstream_on, StreamExceptionPolicy *out,
        char *err, size_t errlen)
{
    ExceptionPolicy pol;
    if (!exception_policy_read(c, t, ips, midstream_on, &pol, err, errlen))
        return false;
    *out = (StreamExceptionPolicy)pol;
    return true;
}

bool stream_config_read(struct Conf *conf, StreamConfig *cfg, char *err, size_t errlen)
{
    Conf *c = conf;
    uint64_t size;
    bool b;
    const char *s;

    if (conf_get_size(c, "stream.memcap", &size))
        cfg->memcap = size;
    if (conf_get_bool(c, "stream.midstream", &b))
        cfg->midstream = b;
    if (conf_get_bool(c, "stream.bypass", &b))
        cfg->bypass = b;
    if (conf_get_bool(c, "stream.drop-invalid", &b))
        cfg->drop_invalid = b;
    if (conf_get_bool(c, "stream.async-oneside", &b))
        cfg->async_oneside = b;
    if (conf_get_bool(c, "stream.checksum-validation", &b))
        cfg->checksum_validation = b;
    if (conf_get_str(c, "stream.inline", &s) && s && strcmp(s, "auto") != 0 &&
            conf_get_bool(c, "stream.inline", &b))
        cfg->inline_mode = b;
    read_queue_len(c, "stream.max-syn-queued", &cfg->max_syn_queued);
    read_queue_len(c, "stream.max-synack-queued", &cfg->max_synack_queued);
    if (conf_get_bool(c, "stream.liberal-timestamps", &b))
        cfg->liberal_timestamps = b;

    if (conf_get_size(c, "stream.reassembly.memcap", &size))
        cfg->reassembly_memcap = size;
    if (conf_get_size(c, "stream.reassembly.depth", &size)) {
        if (size > UINT32_MAX) {
            snprintf(err, errlen, "stream.reassembly.depth: value too large");
            return false;
        }
        cfg->reassembly_depth = (uint32_t)size;
    }
    if (conf_get_size(c, "stream.reassembly.toserver-chunk-size", &size) && size <= UINT16_MAX)
        cfg->toserver_chunk_size = (uint32_t)size;
    if (conf_get_size(c, "stream.reassembly.toclient-chunk-size", &size) && size <= UINT16_MAX)
        cfg->toclient_chunk_size = (uint32_t)size;
    if (conf_get_bool(c, "stream.reassembly.check-overlap-different-data", &b))
        cfg->check_overlap_different_data = b;
    if (!read_urgent(c, "stream.reassembly.urgent.policy", true, &cfg->urgent_policy, err, errlen))
        return false;
    if (!read_urgent(c, "stream.reassembly.urgent.oob-limit-policy", false, &cfg->urgent_oob_limit_policy,
                err, errlen))
        return false;

    bool ips = cfg->inline_mode;
    if (!read_policy(c, EXC_TARGET_STREAM_MIDSTREAM, ips, cfg->midstream, &cfg->midstream_policy, err, errlen) ||
            !read_policy(c, EXC_TARGET_STREAM_MEMCAP, ips, false, &cfg->ssn_memcap_policy, err, errlen) ||
            !read_policy(c, EXC_TARGET_STREAM_REASSEMBLY_MEMCAP, ips, false, &cfg->reassembly_memcap_policy,
                    err, errlen))
        return false;
    return stream_host_os_read(c, cfg, err, errlen);
}
