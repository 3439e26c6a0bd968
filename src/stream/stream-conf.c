/*
 * Reading the `stream:` section of the configuration (suricata.yaml
 * layout) into a StreamConfig:
 *
 *   stream.memcap, stream.midstream, stream.async-oneside,
 *   stream.checksum-validation, stream.inline (yes/no; "auto" keeps the
 *   caller's IPS decision), stream.max-syn-queued, stream.max-synack-queued
 *   (0..255, otherwise the default), stream.liberal-timestamps,
 *   stream.reassembly.memcap, .depth, .toserver-chunk-size,
 *   .toclient-chunk-size, .check-overlap-different-data,
 *   .urgent.policy (inline|drop|oob|gap), .urgent.oob-limit-policy
 *   (inline|drop|gap), stream.midstream-policy, stream.memcap-policy,
 *   stream.reassembly.memcap-policy (ignore|pass-packet|pass-flow|bypass|
 *   drop-packet|drop-flow|reject|auto, defaulting to the master switch
 *   `exception-policy`, itself "auto": drop-flow in IPS mode -- except for
 *   the midstream policy when midstream is on -- ignore in IDS mode, where
 *   drop and reject fall back to ignore).
 *
 * Kept apart from stream-config.c so that code needing only the defaults
 * does not pull in the configuration tree. host-os-policy is read by
 * stream-host-os.c, called at the end.
 */
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
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

static bool parse_policy(const char *s, StreamExceptionPolicy *out, bool *is_auto)
{
    static const struct { const char *name; StreamExceptionPolicy pol; } names[] = {
        { "ignore", STREAM_EP_IGNORE }, { "pass-packet", STREAM_EP_PASS_PACKET },
        { "pass-flow", STREAM_EP_PASS_FLOW }, { "bypass", STREAM_EP_BYPASS },
        { "drop-packet", STREAM_EP_DROP_PACKET }, { "drop-flow", STREAM_EP_DROP_FLOW },
        { "reject", STREAM_EP_REJECT },
    };
    *is_auto = strcmp(s, "auto") == 0;
    if (*is_auto)
        return true;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].pol;
            return true;
        }
    }
    return false;
}

/* One exception policy key, falling back to the master switch. */
static bool read_policy(Conf *c, const char *key, bool ips, bool midstream_key, bool midstream_on,
        StreamExceptionPolicy *out, char *err, size_t errlen)
{
    const char *s = NULL;
    const char *used = key;
    if (!conf_get_str(c, key, &s) || !s) {
        used = "exception-policy";
        if (!conf_get_str(c, used, &s) || !s)
            s = "auto";
    }
    StreamExceptionPolicy pol = STREAM_EP_IGNORE;
    bool is_auto;
    if (!parse_policy(s, &pol, &is_auto)) {
        snprintf(err, errlen, "%s: invalid exception policy '%s'", used, s);
        return false;
    }
    if (is_auto)
        pol = ips && !(midstream_key && midstream_on) ? STREAM_EP_DROP_FLOW : STREAM_EP_IGNORE;
    if (!ips && (pol == STREAM_EP_DROP_PACKET || pol == STREAM_EP_DROP_FLOW || pol == STREAM_EP_REJECT))
        pol = STREAM_EP_IGNORE;
    if (midstream_key && midstream_on && pol != STREAM_EP_IGNORE && pol != STREAM_EP_PASS_FLOW) {
        if (used == key) {
            snprintf(err, errlen, "%s: '%s' is not a valid policy when stream.midstream is on", key, s);
            return false;
        }
        pol = STREAM_EP_IGNORE; /* the master switch does not apply here */
    }
    *out = pol;
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
    if (!read_policy(c, "stream.midstream-policy", ips, true, cfg->midstream, &cfg->midstream_policy, err,
                errlen) ||
            !read_policy(c, "stream.memcap-policy", ips, false, false, &cfg->ssn_memcap_policy, err, errlen) ||
            !read_policy(c, "stream.reassembly.memcap-policy", ips, false, false,
                    &cfg->reassembly_memcap_policy, err, errlen))
        return false;
    return stream_host_os_read(c, cfg, err, errlen);
}
