/*
 * Port grouping settings and the split of a TCP/UDP signature group by
 * port (see port-grouping.h; the partition itself is port-groups.c).
 *
 * A rule's score (Suricata's RuleSetWhitelist, applied only when its key
 * port set is not `any` and it has a direction): 99 when it inspects the
 * payload without a fast pattern, 55 when its payload fast pattern is one
 * byte long -- such rules are candidates on every packet of their ports,
 * so their ports deserve a small group. (Suricata's 77 for a negated fast
 * pattern cannot occur here: a negated content is never chosen; its 33
 * for SYN-only rules is not applied.) The scores only order the segments;
 * which rules a port's group holds does not depend on them.
 */
#include "detect/port-grouping.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/content.h"
#include "detect/port.h"
#include "util/log.h"

static const char DEFAULT_TCP_WHITELIST[] = "53, 80, 139, 443, 445, 1433, 3306, 3389, 6666, 6667, 8080";
static const char DEFAULT_UDP_WHITELIST[] = "53, 135, 5060";

/* detect.profile's bounds: [to server, to client] */
static const struct {
    const char *name;
    uint32_t toserver, toclient;
} PROFILES[] = {
    { "low", 25, 15 }, { "medium", 40, 20 }, { "high", 75, 75 }, { "highest", 75, 75 }, /* legacy name */
};

/* One whitelist: a comma list of single ports (each element parsed as a
 * rule port, so `80` or `80:80`), else none (Suricata's behaviour). Each
 * element is parsed alone since a port set merges 6666 and 6667 into one
 * range. */
static bool load_whitelist(Conf *conf, const char *key, const char *fallback, uint16_t **out, uint32_t *count)
{
    const char *text = NULL;
    if (!conf || !conf_get_str(conf, key, &text) || !text)
        text = fallback;
    *out = NULL;
    *count = 0;
    size_t len = strlen(text);
    uint16_t *ports = malloc((len / 2 + 1) * sizeof(*ports)); /* an element and a comma each */
    char *copy = strdup(text);
    if (!ports || !copy) {
        free(ports);
        free(copy);
        return false;
    }
    uint32_t n = 0;
    bool valid = true;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); valid && tok; tok = strtok_r(NULL, ",", &save)) {
        char err[256] = "";
        PortSet *set = port_set_parse(tok, NULL, NULL, err, sizeof(err));
        uint16_t lo = 0, hi = 1;
        valid = set && port_set_count(set) == 1 && port_set_range(set, 0, &lo, &hi) && lo == hi;
        if (!set)
            od_warn("'%s' is not a valid value for %s: %s", text, key, err);
        else if (!valid)
            od_warn("'%s' is not a valid value for %s: only single ports allowed", text, key);
        port_set_free(set);
        if (valid)
            ports[n++] = lo;
    }
    free(copy);
    if (!valid || n == 0) {
        if (valid)
            od_warn("'%s' is not a valid value for %s: no port", text, key);
        free(ports);
        return true;
    }
    *out = ports;
    *count = n;
    return true;
}

/* detect.custom-values.<name>: 0..65535, else the default. */
static uint32_t custom_value(Conf *conf, const char *key, uint32_t fallback)
{
    const char *text = NULL;
    if (!conf_get_str(conf, key, &text) || !text)
        return fallback;
    int64_t v;
    if (!conf_get_int(conf, key, &v) || v < 0 || v > 65535) {
        od_warn("'%s' is not a valid value for %s (0-65535); using %u", text, key, fallback);
        return fallback;
    }
    return (uint32_t)v;
}

bool port_grouping_config_load(PortGroupingConfig *c, Conf *conf)
{
    memset(c, 0, sizeof(*c));
    c->max_groups[0] = 40;
    c->max_groups[1] = 20;
    const char *profile = NULL;
    if (conf && conf_get_str(conf, "detect.profile", &profile) && profile) {
        bool known = false;
        for (size_t i = 0; i < sizeof(PROFILES) / sizeof(PROFILES[0]); i++)
            if (strcmp(profile, PROFILES[i].name) == 0) {
                c->max_groups[0] = PROFILES[i].toserver;
                c->max_groups[1] = PROFILES[i].toclient;
                known = true;
            }
        if (strcmp(profile, "custom") == 0) {
            c->max_groups[0] = custom_value(conf, "detect.custom-values.toserver-groups", 40);
            c->max_groups[1] = custom_value(conf, "detect.custom-values.toclient-groups", 20);
            known = true;
        }
        if (!known)
            od_warn("invalid value for detect.profile: '%s' (valid: low, medium, high, custom); using medium",
                    profile);
    }
    return load_whitelist(conf, "detect.grouping.tcp-whitelist", DEFAULT_TCP_WHITELIST, &c->whitelist[0],
                          &c->whitelist_count[0]) &&
           load_whitelist(conf, "detect.grouping.udp-whitelist", DEFAULT_UDP_WHITELIST, &c->whitelist[1],
                          &c->whitelist_count[1]);
}

void port_grouping_config_free(PortGroupingConfig *c)
{
    free(c->whitelist[0]);
    free(c->whitelist[1]);
    memset(c, 0, sizeof(*c));
}

/* The rule-level score of s for its key ports `key`. */
static int rule_score(const Signature *s, const struct PortSet *key)
{
    if (!(s->flags & (SIG_FLAG_TOSERVER | SIG_FLAG_TOCLIENT)) || !key || port_set_is_any(key))
        return 0;
    if (!s->fast_pattern)
        return sig_list(s, SIG_LIST_PMATCH) ? PORT_SCORE_NO_MPM : 0;
    if (s->fast_pattern_list == SIG_LIST_PMATCH) {
        const uint8_t *pat;
        uint32_t len;
        content_fast_pattern(s->fast_pattern->ctx, &pat, &len);
        if (len == 1)
            return PORT_SCORE_ONE_BYTE_MPM;
    }
    return 0;
}

static bool add_ranges(PortGroupBuilder *b, uint32_t num, const struct PortSet *set, int score)
{
    size_t n = port_set_count(set); /* NULL: no port matches, as port_set_match says */
    for (size_t i = 0; i < n; i++) {
        uint16_t lo, hi;
        port_set_range(set, i, &lo, &hi);
        if (!port_group_add(b, num, lo, hi, score))
            return false;
    }
    return true;
}

PortGroups *port_grouping_split(const PortGroupingConfig *c, Signature *const *sigs, const uint32_t *nums,
                                uint32_t count, uint8_t proto, int dir)
{
    PortGroupBuilder *b = port_group_builder_new();
    if (!b)
        return NULL;
    for (uint32_t i = 0; i < count; i++) {
        const Signature *s = sigs[nums[i]];
        const struct PortSet *key = dir ? s->sp : s->dp, *other = dir ? s->dp : s->sp;
        int score = rule_score(s, key);
        if (!add_ranges(b, s->num, key, score) ||
            ((s->flags & SIG_FLAG_BIDIRECTIONAL) && !add_ranges(b, s->num, other, score))) {
            port_group_builder_free(b);
            return NULL;
        }
    }
    int slot = proto == 17 ? 1 : 0;
    PortGroups *g = port_groups_build(b, c->max_groups[dir ? 1 : 0], c->whitelist[slot], c->whitelist_count[slot]);
    port_group_builder_free(b);
    return g;
}

