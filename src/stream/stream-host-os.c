/*
 * host-os-policy for TCP reassembly: which operating system's rules decide
 * overlapping segments, RSTs and timestamps for a stream, by the address of
 * the host receiving it (Suricata's host OS table, util-host-os-info.c).
 *
 *   host-os-policy:
 *     windows: [0.0.0.0/0]
 *     old-linux: [2.2.2.2, "10.0.0.0/8"]
 *
 * Each OS name takes a list of addresses (IPv4 or IPv6, optionally with a
 * prefix length or, for IPv4, a dotted netmask); the most specific entry
 * covering the receiver wins, and a receiver no entry covers gets the
 * default policy (bsd). Unknown OS names are warned about and ignored, as
 * Suricata does; an unparsable address is an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "stream/stream.h"
#include "util/net-prefix.h"
#include "util/log.h"

static const struct {
    const char *name;
    StreamOsPolicy policy;
} os_names[] = {
    { "bsd", STREAM_OS_BSD },
    { "bsd-right", STREAM_OS_BSD_RIGHT },
    { "old-linux", STREAM_OS_OLD_LINUX },
    { "linux", STREAM_OS_LINUX },
    { "old-solaris", STREAM_OS_OLD_SOLARIS },
    { "solaris", STREAM_OS_SOLARIS },
    { "hpux10", STREAM_OS_HPUX10 },
    { "hpux11", STREAM_OS_HPUX11 },
    { "irix", STREAM_OS_IRIX },
    { "macos", STREAM_OS_MACOS },
    { "windows", STREAM_OS_WINDOWS },
    { "vista", STREAM_OS_VISTA },
    { "windows2k3", STREAM_OS_WINDOWS2K3 },
    { "first", STREAM_OS_FIRST },
    { "last", STREAM_OS_LAST },
};

static bool covers(const StreamHostOs *e, const Address *a)
{
    return net_prefix_covers(e->family, e->prefix, e->addr, a->family, a->addr);
}

StreamOsPolicy stream_host_os_policy(const StreamConfig *cfg, const Address *receiver)
{
    const StreamHostOs *best = NULL;
    for (uint32_t i = 0; i < cfg->host_os_count; i++) {
        const StreamHostOs *e = &cfg->host_os[i];
        if (covers(e, receiver) && (best == NULL || e->prefix > best->prefix))
            best = e;
    }
    return best ? (StreamOsPolicy)best->policy : STREAM_OS_NONE;
}

static bool add_entry(StreamConfig *cfg, const char *os, const char *text, StreamOsPolicy policy, char *err,
                      size_t errlen)
{
    StreamHostOs e;
    if (!net_prefix_parse(text, &e.family, &e.prefix, e.addr)) {
        snprintf(err, errlen, "host-os-policy.%s: invalid address '%s'", os, text);
        return false;
    }
    if (cfg->host_os_count >= STREAM_MAX_HOST_OS) {
        od_warn("host-os-policy.%s: more than %d entries, '%s' ignored", os, STREAM_MAX_HOST_OS, text);
        return true;
    }
    e.policy = (uint8_t)policy;
    cfg->host_os[cfg->host_os_count++] = e;
    return true;
}

bool stream_host_os_read(Conf *conf, StreamConfig *cfg, char *err, size_t errlen)
{
    ConfNode *root = conf_node(conf, "host-os-policy");
    cfg->host_os_count = 0;
    for (ConfNode *os = root ? root->first_child : NULL; os; os = os->next) {
        StreamOsPolicy policy = STREAM_OS_NONE;
        for (size_t i = 0; i < sizeof(os_names) / sizeof(os_names[0]); i++)
            if (strcmp(os->name, os_names[i].name) == 0)
                policy = os_names[i].policy;
        if (policy == STREAM_OS_NONE) {
            if (strcmp(os->name, "none") != 0)
                od_warn("host-os-policy: unknown OS '%s', ignored", os->name);
            continue;
        }
        if (os->value && !add_entry(cfg, os->name, os->value, policy, err, errlen))
            return false;
        for (ConfNode *item = os->first_child; item; item = item->next)
            if (item->value && !add_entry(cfg, os->name, item->value, policy, err, errlen))
                return false;
    }
    return true;
}
