/*
 * The `af-packet:` and `pcap:` configuration lists, read the way Suricata 8
 * reads them: a list of per-interface entries, each with `interface: NAME`,
 * and an optional `interface: default` entry whose values apply to every
 * key an interface's own entry leaves out. The built-in values below are
 * Suricata's (cluster-id 99, cluster_flow with defrag, 32 KiB blocks,
 * 10 ms block timeout, 2048-packet rings, promiscuous mode).
 * AF_PACKET inline mode: `copy-mode: ips|tap` with `copy-iface`; the
 * copy-iface needs its own entry pointing back (Suricata's layout), whose
 * options are read as the `peer`.
 */
#include "capture/live.h"

#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *section_name(LiveKind kind) { return kind == LIVE_AF_PACKET ? "af-packet" : "pcap"; }

/* The entry of `list` whose interface is `name`, or NULL. */
static ConfNode *find_entry(ConfNode *list, const char *name)
{
    for (ConfNode *item = list ? list->first_child : NULL; item; item = item->next) {
        const char *v = NULL;
        if (conf_node_get_str(item, "interface", &v) && v && strcmp(v, name) == 0)
            return item;
    }
    return NULL;
}

/* The value of `key` in the interface entry, else in the default entry. */
static ConfNode *pick(ConfNode *entry, ConfNode *dflt, const char *key)
{
    if (entry && conf_node_child(entry, key))
        return entry;
    if (dflt && conf_node_child(dflt, key))
        return dflt;
    return NULL;
}

static bool fanout_type_parse(const char *name, int *type)
{
    static const struct {
        const char *name;
        int type;
    } types[] = {
        { "cluster_flow", PACKET_FANOUT_HASH },     { "cluster_cpu", PACKET_FANOUT_CPU },
        { "cluster_qm", PACKET_FANOUT_QM },         { "cluster_round_robin", PACKET_FANOUT_LB },
        { "cluster_rollover", PACKET_FANOUT_ROLLOVER }, { "cluster_random", PACKET_FANOUT_RND },
    };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(types[i].name, name) == 0) {
            *type = types[i].type;
            return true;
        }
    }
    return false;
}

static bool checksum_parse(const char *v, LiveChecksum *out)
{
    bool b;
    if (strcmp(v, "kernel") == 0)
        *out = LIVE_CSUM_KERNEL;
    else if (strcmp(v, "auto") == 0)
        *out = LIVE_CSUM_AUTO;
    else if (conf_parse_bool(v, &b))
        *out = b ? LIVE_CSUM_YES : LIVE_CSUM_NO;
    else
        return false;
    return true;
}

static bool is_power_of_two(uint64_t v) { return v && (v & (v - 1)) == 0; }

/* Reads an unsigned integer `key` into *out within [min, max]. */
static bool read_uint(ConfNode *src, const char *sect, const char *key, uint64_t min, uint64_t max, bool size,
                      uint64_t *out, char *err, size_t errlen)
{
    if (!src)
        return true;
    uint64_t v = 0;
    int64_t iv = 0;
    bool ok = size ? conf_node_get_size(src, key, &v) : conf_node_get_int(src, key, &iv);
    if (!size) {
        if (ok && iv < 0)
            ok = false;
        v = (uint64_t)iv;
    }
    if (!ok || v < min || v > max) {
        snprintf(err, errlen, "%s.%s: expected a number from %llu to %llu", sect, key, (unsigned long long)min,
                 (unsigned long long)max);
        return false;
    }
    *out = v;
    return true;
}

/* Reads `copy-mode` and `copy-iface` of an AF_PACKET entry. */
static bool read_copy_mode(ConfNode *entry, ConfNode *dflt, LiveOptions *opt, char *err, size_t errlen)
{
    const char *s = NULL;
    ConfNode *src = pick(entry, dflt, "copy-mode");
    if (src && conf_node_get_str(src, "copy-mode", &s) && s) {
        if (strcmp(s, "ips") == 0)
            opt->copy_mode = LIVE_COPY_IPS;
        else if (strcmp(s, "tap") == 0)
            opt->copy_mode = LIVE_COPY_TAP;
        else if (strcmp(s, "none") != 0) {
            snprintf(err, errlen, "af-packet.copy-mode: expected none, ips or tap, got '%s'", s);
            return false;
        }
    }
    if (opt->copy_mode == LIVE_COPY_NONE)
        return true;
    /* copy-iface is per interface: the default entry does not give one */
    if (!entry || !conf_node_get_str(entry, "copy-iface", &s) || !s || !s[0]) {
        snprintf(err, errlen, "af-packet %s: copy-mode %s needs a copy-iface", opt->iface,
                 opt->copy_mode == LIVE_COPY_IPS ? "ips" : "tap");
        return false;
    }
    if (strlen(s) >= sizeof(opt->copy_iface) || strcmp(s, opt->iface) == 0) {
        snprintf(err, errlen, "af-packet %s: copy-iface '%s' is too long or the interface itself", opt->iface, s);
        return false;
    }
    snprintf(opt->copy_iface, sizeof(opt->copy_iface), "%s", s);
    return true;
}

static bool live_options_read_one(Conf *conf, LiveKind kind, const char *iface, LiveOptions *opt, char *err,
                                  size_t errlen);

/* Copy mode: the copy-iface runs threads too, sending its packets back. */
static bool read_copy_peer(Conf *conf, LiveOptions *opt, char *err, size_t errlen)
{
    LiveOptions *peer = calloc(1, sizeof(*peer));
    if (!peer) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    opt->peer = peer;
    if (!live_options_read_one(conf, LIVE_AF_PACKET, opt->copy_iface, peer, err, errlen))
        return false;
    if (peer->copy_mode != opt->copy_mode || strcmp(peer->copy_iface, opt->iface) != 0) {
        snprintf(err, errlen, "af-packet %s: its copy-iface %s needs an entry with the same copy-mode and "
                 "copy-iface: %s", opt->iface, opt->copy_iface, opt->iface);
        return false;
    }
    if (peer->cluster_id == opt->cluster_id) {
        snprintf(err, errlen, "af-packet %s and %s: copy mode needs a different cluster-id on each interface",
                 opt->iface, opt->copy_iface);
        return false;
    }
    return true;
}

bool live_options_read(Conf *conf, LiveKind kind, const char *iface, LiveOptions *opt, char *err, size_t errlen)
{
    if (!live_options_read_one(conf, kind, iface, opt, err, errlen)) {
        live_options_free(opt);
        return false;
    }
    if (kind == LIVE_AF_PACKET && opt->copy_mode != LIVE_COPY_NONE && !read_copy_peer(conf, opt, err, errlen)) {
        live_options_free(opt);
        return false;
    }
    return true;
}

void live_options_free(LiveOptions *opt)
{
    free(opt->peer);
    opt->peer = NULL;
}

bool live_config_is_inline(Conf *conf, const char *iface)
{
    char err[256];
    LiveOptions opt;
    if (!live_options_read_one(conf, LIVE_AF_PACKET, iface, &opt, err, sizeof(err)))
        return false;
    return opt.copy_mode == LIVE_COPY_IPS;
}

static bool live_options_read_one(Conf *conf, LiveKind kind, const char *iface, LiveOptions *opt, char *err,
                                  size_t errlen)
{
    const char *sect = section_name(kind);
    memset(opt, 0, sizeof(*opt));
    opt->kind = kind;
    opt->threads = 1;
    opt->cluster_id = 99;
    opt->fanout_type = PACKET_FANOUT_HASH;
    opt->fanout_defrag = true;
    opt->block_size = (uint32_t)getpagesize() << 3;
    opt->block_timeout_ms = 10;
    opt->ring_size = 2048;
    opt->promisc = true;
    opt->snaplen = 65535;
    opt->checksum = LIVE_CSUM_KERNEL;

    ConfNode *list = conf_node(conf, sect);
    if (!iface) {
        /* `--af-packet` alone: the first named interface of the section */
        for (ConfNode *item = list ? list->first_child : NULL; item && !iface; item = item->next) {
            const char *v = NULL;
            if (conf_node_get_str(item, "interface", &v) && v && strcmp(v, "default") != 0)
                iface = v;
        }
        if (!iface) {
            snprintf(err, errlen, "--%s without an interface, and the %s section names none", sect, sect);
            return false;
        }
    }
    if (strlen(iface) == 0 || strlen(iface) >= sizeof(opt->iface)) {
        snprintf(err, errlen, "interface name '%s' is empty or too long", iface);
        return false;
    }
    snprintf(opt->iface, sizeof(opt->iface), "%s", iface);
    ConfNode *entry = find_entry(list, iface);
    ConfNode *dflt = find_entry(list, "default");

    const char *s = NULL;
    ConfNode *src = pick(entry, dflt, "threads");
    if (src && conf_node_get_str(src, "threads", &s) && s && strcmp(s, "auto") == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        opt->threads = cpus > 0 ? (uint32_t)cpus : 1;
    } else {
        uint64_t v = opt->threads;
        if (!read_uint(src, sect, "threads", 1, 64, false, &v, err, errlen))
            return false;
        opt->threads = (uint32_t)v;
    }
    if (kind == LIVE_PCAP)
        opt->threads = 1;

    uint64_t v = opt->cluster_id;
    if (!read_uint(pick(entry, dflt, "cluster-id"), sect, "cluster-id", 0, 65535, false, &v, err, errlen))
        return false;
    opt->cluster_id = (uint16_t)v;
    src = pick(entry, dflt, "cluster-type");
    if (src && conf_node_get_str(src, "cluster-type", &s) && s && !fanout_type_parse(s, &opt->fanout_type)) {
        snprintf(err, errlen, "%s.cluster-type: '%s' is not supported (cluster_flow, cluster_cpu, cluster_qm, "
                 "cluster_round_robin, cluster_rollover, cluster_random)", sect, s);
        return false;
    }
    src = pick(entry, dflt, "defrag");
    if (src)
        conf_node_get_bool(src, "defrag", &opt->fanout_defrag);

    v = opt->block_size;
    if (!read_uint(pick(entry, dflt, "block-size"), sect, "block-size", (uint64_t)getpagesize(), 1u << 30, false,
                   &v, err, errlen))
        return false;
    if (!is_power_of_two(v)) {
        snprintf(err, errlen, "%s.block-size: %llu is not a power of two", sect, (unsigned long long)v);
        return false;
    }
    opt->block_size = (uint32_t)v;
    v = opt->block_timeout_ms;
    if (!read_uint(pick(entry, dflt, "block-timeout"), sect, "block-timeout", 1, 60000, false, &v, err, errlen))
        return false;
    opt->block_timeout_ms = (uint32_t)v;
    v = opt->ring_size;
    if (!read_uint(pick(entry, dflt, "ring-size"), sect, "ring-size", 16, 1u << 22, false, &v, err, errlen))
        return false;
    opt->ring_size = (uint32_t)v;
    v = opt->buffer_size;
    if (!read_uint(pick(entry, dflt, "buffer-size"), sect, "buffer-size", 0, 1u << 30, true, &v, err, errlen))
        return false;
    opt->buffer_size = (uint32_t)v;
    v = opt->snaplen;
    if (!read_uint(pick(entry, dflt, "snaplen"), sect, "snaplen", 64, 262144, false, &v, err, errlen))
        return false;
    opt->snaplen = (uint32_t)v;
    src = pick(entry, dflt, "promisc");
    if (src)
        conf_node_get_bool(src, "promisc", &opt->promisc);
    src = pick(entry, dflt, "bpf-filter");
    if (src && conf_node_get_str(src, "bpf-filter", &s) && s && s[0])
        opt->bpf_filter = s;
    src = pick(entry, dflt, "checksum-checks");
    if (src && conf_node_get_str(src, "checksum-checks", &s) && s && !checksum_parse(s, &opt->checksum)) {
        snprintf(err, errlen, "%s.checksum-checks: expected kernel, yes, no or auto, got '%s'", sect, s);
        return false;
    }
    if (kind == LIVE_AF_PACKET && !read_copy_mode(entry, dflt, opt, err, errlen))
        return false;
    return true;
}
