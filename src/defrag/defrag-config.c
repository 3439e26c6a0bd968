/*
 * Defragmentation settings: the `defrag:` section and `host-os-policy`.
 *
 * Defaults are those of Suricata 8's shipped suricata.yaml (memcap 32mb,
 * hash-size 65536, trackers 65535, max-frags 65535, prealloc yes, timeout
 * 60). Two address tables tune a datagram by its destination, looked up once
 * when its tracker is created:
 *
 *   host-os-policy:            # overlap policy per target OS
 *     windows: [0.0.0.0/0]
 *     linux: [10.0.0.0/8, "2001:db8::/32"]
 *   defrag:
 *     host-config:             # per-host tracker timeout
 *       - dmz:
 *           timeout: 30
 *           address: [192.168.1.0/24, "::1"]
 *
 * OS names map to defrag policies as Suricata's DefragGetOsPolicy does
 * (bsd/hpux10/irix -> bsd, linux/old-linux -> linux, old-solaris/hpux11/macos
 * -> first, windows/vista/windows2k3 -> windows, ...). An address is a single
 * host or a CIDR block; IPv4 blocks may also give a dotted netmask.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defrag/defrag.h"
#include "util/net-prefix.h"
#include "util/log.h"

#define DEFRAG_TIMEOUT_MIN 1
#define DEFRAG_TIMEOUT_MAX (60 * 60 * 24)

void defrag_config_defaults(DefragConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->memcap = 32ULL * 1024 * 1024;
    cfg->trackers = 65535;
    cfg->max_frags = 65535;
    cfg->timeout = OD_TIME_FROM_SEC(60);
    cfg->hash_size = 65536;
    cfg->prealloc = true;
    cfg->default_policy = DEFRAG_POLICY_BSD;
}

const char *defrag_policy_name(DefragPolicy p)
{
    switch (p) {
    case DEFRAG_POLICY_FIRST: return "first";
    case DEFRAG_POLICY_LAST: return "last";
    case DEFRAG_POLICY_BSD: return "bsd";
    case DEFRAG_POLICY_BSD_RIGHT: return "bsd-right";
    case DEFRAG_POLICY_LINUX: return "linux";
    case DEFRAG_POLICY_WINDOWS: return "windows";
    case DEFRAG_POLICY_SOLARIS: return "solaris";
    }
    return "unknown";
}

/* host-os-policy OS names and the defrag policy each implies. "none" names
 * no policy (the default applies). */
static const struct {
    const char *os;
    DefragPolicy policy;
} os_policies[] = {
    { "bsd", DEFRAG_POLICY_BSD },
    { "hpux10", DEFRAG_POLICY_BSD },
    { "irix", DEFRAG_POLICY_BSD },
    { "bsd-right", DEFRAG_POLICY_BSD_RIGHT },
    { "old-linux", DEFRAG_POLICY_LINUX },
    { "linux", DEFRAG_POLICY_LINUX },
    { "old-solaris", DEFRAG_POLICY_FIRST },
    { "hpux11", DEFRAG_POLICY_FIRST },
    { "macos", DEFRAG_POLICY_FIRST },
    { "first", DEFRAG_POLICY_FIRST },
    { "solaris", DEFRAG_POLICY_SOLARIS },
    { "windows", DEFRAG_POLICY_WINDOWS },
    { "vista", DEFRAG_POLICY_WINDOWS },
    { "windows2k3", DEFRAG_POLICY_WINDOWS },
    { "last", DEFRAG_POLICY_LAST },
};

static bool rule_matches(const DefragHostRule *r, const Address *a)
{
    return net_prefix_covers(r->family, r->prefix, r->addr, a->family, a->addr);
}

/* The best rule for `dst` among those that set a policy (want_policy) or a
 * timeout; NULL when none matches. */
static const DefragHostRule *best_rule(const DefragConfig *cfg, const Address *dst, bool want_policy)
{
    const DefragHostRule *best = NULL;
    for (unsigned i = 0; i < cfg->host_rule_count; i++) {
        const DefragHostRule *r = &cfg->host_rules[i];
        if (want_policy ? r->policy == 0 : r->timeout == 0)
            continue;
        if (!rule_matches(r, dst))
            continue;
        if (!best || r->prefix >= best->prefix)
            best = r;
    }
    return best;
}

DefragPolicy defrag_config_policy_for(const DefragConfig *cfg, const Address *dst)
{
    const DefragHostRule *r = best_rule(cfg, dst, true);
    return r ? (DefragPolicy)r->policy : cfg->default_policy;
}

OdTime defrag_config_timeout_for(const DefragConfig *cfg, const Address *dst)
{
    const DefragHostRule *r = best_rule(cfg, dst, false);
    return r ? r->timeout : cfg->timeout;
}

/* One warning per defrag_config_read when the rule table is full. */
static bool rule_cap_warned;

static bool add_rule(DefragConfig *cfg, const char *where, const char *text, DefragPolicy policy, OdTime timeout,
                     char *err, size_t errlen)
{
    DefragHostRule r;
    memset(&r, 0, sizeof(r));
    if (!net_prefix_parse(text, &r.family, &r.prefix, r.addr)) {
        snprintf(err, errlen, "%s: invalid address '%s'", where, text);
        return false;
    }
    if (cfg->host_rule_count >= DEFRAG_MAX_HOST_RULES) {
        if (!rule_cap_warned)
            od_warn("%s: more than %d defrag host rules, '%s' and later ones ignored", where,
                    DEFRAG_MAX_HOST_RULES, text);
        rule_cap_warned = true;
        return true;
    }
    r.policy = (uint8_t)policy;
    r.timeout = timeout;
    cfg->host_rules[cfg->host_rule_count++] = r;
    return true;
}

/* Calls add_rule for the address(es) in n: a scalar or a sequence of scalars. */
static bool add_rules_from(DefragConfig *cfg, const char *where, const ConfNode *n, DefragPolicy policy,
                           OdTime timeout, char *err, size_t errlen)
{
    if (n->value)
        return add_rule(cfg, where, n->value, policy, timeout, err, errlen);
    for (const ConfNode *item = n->first_child; item; item = item->next) {
        if (!item->value)
            continue;
        if (!add_rule(cfg, where, item->value, policy, timeout, err, errlen))
            return false;
    }
    return true;
}

static bool read_host_os_policy(Conf *c, DefragConfig *cfg, char *err, size_t errlen)
{
    const ConfNode *root = conf_node(c, "host-os-policy");
    if (!root)
        return true;
    for (const ConfNode *os = root->first_child; os; os = os->next) {
        DefragPolicy policy = 0;
        bool known = strcmp(os->name, "none") == 0;
        for (size_t i = 0; i < sizeof(os_policies) / sizeof(os_policies[0]); i++) {
            if (strcmp(os->name, os_policies[i].os) == 0) {
                policy = os_policies[i].policy;
                known = true;
                break;
            }
        }
        if (!known) {
            od_warn("host-os-policy: unknown OS '%s', ignored", os->name);
            continue;
        }
        if (policy == 0)
            continue;
        char where[96];
        snprintf(where, sizeof(where), "host-os-policy.%s", os->name);
        if (!add_rules_from(cfg, where, os, policy, 0, err, errlen))
            return false;
    }
    return true;
}

static bool timeout_in_range(int64_t v) { return v >= DEFRAG_TIMEOUT_MIN && v <= DEFRAG_TIMEOUT_MAX; }

/* defrag.host-config: a sequence of single-key mappings whose value holds
 * `timeout` and `address`. */
static bool read_host_config(Conf *c, DefragConfig *cfg, char *err, size_t errlen)
{
    const ConfNode *hc = conf_node(c, "defrag.host-config");
    if (!hc)
        return true;
    for (const ConfNode *item = hc->first_child; item; item = item->next) {
        /* `- dmz: {...}`: the settings are under the item's first child; a
         * bare mapping item (`- timeout: 30`) is accepted too. */
        const ConfNode *body = item;
        if (!conf_node_child(item, "address") && item->first_child && item->first_child->first_child)
            body = item->first_child;
        char where[96];
        snprintf(where, sizeof(where), "defrag.host-config.%s", body->name ? body->name : "?");
        OdTime timeout = cfg->timeout;
        int64_t v;
        if (conf_node_get_int(body, "timeout", &v)) {
            if (!timeout_in_range(v)) {
                snprintf(err, errlen, "%s.timeout: %lld is outside %d..%d seconds", where, (long long)v,
                         DEFRAG_TIMEOUT_MIN, DEFRAG_TIMEOUT_MAX);
                return false;
            }
            timeout = OD_TIME_FROM_SEC(v);
        }
        const ConfNode *addr = conf_node_child(body, "address");
        if (addr && !add_rules_from(cfg, where, addr, 0, timeout, err, errlen))
            return false;
    }
    return true;
}

bool defrag_config_read(Conf *c, DefragConfig *cfg, char *err, size_t errlen)
{
    uint64_t size;
    int64_t v;
    bool b;

    if (conf_node(c, "defrag.memcap") && conf_node(c, "defrag.memcap")->value) {
        if (!conf_get_size(c, "defrag.memcap", &size)) {
            snprintf(err, errlen, "defrag.memcap: invalid size '%s'", conf_node(c, "defrag.memcap")->value);
            return false;
        }
        cfg->memcap = size;
    }
    /* Suricata warns and keeps the default for unusable counts. */
    if (conf_get_int(c, "defrag.hash-size", &v) && v > 0 && v <= UINT32_MAX)
        cfg->hash_size = (uint32_t)v;
    if (conf_get_int(c, "defrag.trackers", &v) && v > 0 && v <= UINT32_MAX)
        cfg->trackers = (uint32_t)v;
    if (conf_get_int(c, "defrag.max-frags", &v) && v > 0 && v <= UINT32_MAX)
        cfg->max_frags = (uint32_t)v;
    if (conf_get_bool(c, "defrag.prealloc", &b))
        cfg->prealloc = b;
    if (conf_get_int(c, "defrag.timeout", &v)) {
        if (!timeout_in_range(v)) {
            snprintf(err, errlen, "defrag.timeout: %lld is outside %d..%d seconds", (long long)v, DEFRAG_TIMEOUT_MIN,
                     DEFRAG_TIMEOUT_MAX);
            return false;
        }
        cfg->timeout = OD_TIME_FROM_SEC(v);
    }
    cfg->host_rule_count = 0;
    rule_cap_warned = false;
    if (!read_host_os_policy(c, cfg, err, errlen))
        return false;
    return read_host_config(c, cfg, err, errlen);
}
