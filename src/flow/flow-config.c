/*
 * Flow settings: Suricata 8's shipped defaults and their reading from the
 * configuration tree (`flow`, `flow-timeouts`, `vlan.use-for-tracking`,
 * `decoder.recursion-level.use-for-tracking`,
 * `stream.midstream`).
 *
 * Suricata reads flow-timeouts per protocol section (default, tcp, udp,
 * icmp, sctp); a key missing from a section keeps the built-in value, which
 * here is the shipped suricata.yaml value.
 */
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "flow/flow-table.h"
#include "util/log.h"

static void set_timeouts(FlowTimeouts *t, uint32_t n, uint32_t e, uint32_t c, uint32_t b)
{
    t->new_timeout = n;
    t->est_timeout = e;
    t->closed_timeout = c;
    t->bypassed_timeout = b;
}

void flow_config_defaults(FlowConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->memcap = 128ULL * 1024 * 1024;
    cfg->hash_size = 65536;
    cfg->prealloc = 10000;
    cfg->emergency_recovery = 30;
    cfg->vlan_use_for_tracking = true;
    cfg->recursion_use_for_tracking = true;
    cfg->midstream = false;

    set_timeouts(&cfg->timeouts[FLOW_PROTO_DEFAULT], 30, 300, 0, 100);
    set_timeouts(&cfg->emerg_timeouts[FLOW_PROTO_DEFAULT], 10, 100, 0, 50);
    set_timeouts(&cfg->timeouts[FLOW_PROTO_TCP], 60, 600, 60, 100);
    set_timeouts(&cfg->emerg_timeouts[FLOW_PROTO_TCP], 5, 100, 10, 50);
    set_timeouts(&cfg->timeouts[FLOW_PROTO_UDP], 30, 300, 0, 100);
    set_timeouts(&cfg->emerg_timeouts[FLOW_PROTO_UDP], 10, 100, 0, 50);
    set_timeouts(&cfg->timeouts[FLOW_PROTO_ICMP], 30, 300, 0, 100);
    set_timeouts(&cfg->emerg_timeouts[FLOW_PROTO_ICMP], 10, 100, 0, 50);
    cfg->timeouts[FLOW_PROTO_SCTP] = cfg->timeouts[FLOW_PROTO_DEFAULT];
    cfg->emerg_timeouts[FLOW_PROTO_SCTP] = cfg->emerg_timeouts[FLOW_PROTO_DEFAULT];
}

/* Looks up an integer key: 1 present (in *v), 0 absent, -1 not an integer
 * (message in err). */
static int get_int(Conf *conf, const char *key, int64_t *v, char *err, size_t errlen)
{
    int before = conf_errors(conf);
    if (conf_get_int(conf, key, v))
        return 1;
    if (conf_errors(conf) != before) {
        snprintf(err, errlen, "%s: not an integer", key);
        return -1;
    }
    return 0;
}

/* Reads an integer key into *out when present; false on a type error or a
 * value outside [min, max] (message in err). */
static bool read_u32(Conf *conf, const char *key, uint32_t *out, int64_t min, int64_t max, char *err,
                     size_t errlen)
{
    int64_t v;
    int r = get_int(conf, key, &v, err, errlen);
    if (r <= 0)
        return r == 0;
    if (v < min || v > max) {
        snprintf(err, errlen, "%s: %lld is out of range (%lld-%lld)", key, (long long)v, (long long)min,
                 (long long)max);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

static bool read_bool(Conf *conf, const char *key, bool *out, char *err, size_t errlen)
{
    int before = conf_errors(conf);
    bool v;
    if (conf_get_bool(conf, key, &v))
        *out = v;
    else if (conf_errors(conf) != before) {
        snprintf(err, errlen, "%s: not a boolean", key);
        return false;
    }
    return true;
}

bool flow_config_read(Conf *conf, FlowConfig *cfg, char *err, size_t errlen)
{
    int before = conf_errors(conf);
    uint64_t size;
    if (conf_get_size(conf, "flow.memcap", &size)) {
        if (size == 0) {
            snprintf(err, errlen, "flow.memcap: must be more than 0");
            return false;
        }
        cfg->memcap = size;
    } else if (conf_errors(conf) != before) {
        snprintf(err, errlen, "flow.memcap: not a size");
        return false;
    }
    if (!read_u32(conf, "flow.hash-size", &cfg->hash_size, 1, UINT32_MAX, err, errlen) ||
        !read_u32(conf, "flow.prealloc", &cfg->prealloc, 0, UINT32_MAX, err, errlen))
        return false;

    int64_t recovery;
    int r = get_int(conf, "flow.emergency-recovery", &recovery, err, errlen);
    if (r < 0)
        return false;
    if (r > 0) {
        if (recovery < 1 || recovery > 100) {
            od_error("flow.emergency-recovery must be in the range of 1 and 100 (as percentage); using 30");
            recovery = 30;
        }
        cfg->emergency_recovery = (uint32_t)recovery;
    }

    static const char *const sections[FLOW_PROTO_MAX] = {
        [FLOW_PROTO_DEFAULT] = "default", [FLOW_PROTO_TCP] = "tcp", [FLOW_PROTO_UDP] = "udp",
        [FLOW_PROTO_ICMP] = "icmp", [FLOW_PROTO_SCTP] = "sctp",
    };
    for (int c = 0; c < FLOW_PROTO_MAX; c++) {
        struct {
            const char *name;
            uint32_t *field;
        } keys[] = {
            { "new", &cfg->timeouts[c].new_timeout },
            { "established", &cfg->timeouts[c].est_timeout },
            { "closed", &cfg->timeouts[c].closed_timeout },
            { "bypassed", &cfg->timeouts[c].bypassed_timeout },
            { "emergency-new", &cfg->emerg_timeouts[c].new_timeout },
            { "emergency-established", &cfg->emerg_timeouts[c].est_timeout },
            { "emergency-closed", &cfg->emerg_timeouts[c].closed_timeout },
            { "emergency-bypassed", &cfg->emerg_timeouts[c].bypassed_timeout },
        };
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
            char key[96];
            snprintf(key, sizeof(key), "flow-timeouts.%s.%s", sections[c], keys[i].name);
            if (!read_u32(conf, key, keys[i].field, 0, UINT32_MAX, err, errlen))
                return false;
        }
    }

    return read_bool(conf, "vlan.use-for-tracking", &cfg->vlan_use_for_tracking, err, errlen) &&
           read_bool(conf, "decoder.recursion-level.use-for-tracking", &cfg->recursion_use_for_tracking, err,
                     errlen) &&
           read_bool(conf, "stream.midstream", &cfg->midstream, err, errlen);
}
