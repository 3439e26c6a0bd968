/*
 * Reads every stage's settings from the configuration tree into an
 * EngineConfig. The stages with many keys read their own sections
 * (flow_config_read, stream_config_read, defrag_config_read,
 * eve_config_read); the handful of decoder and stats switches are read here.
 * Keys that Suricata's shipped suricata.yaml leaves commented out take
 * Suricata's built-in defaults when absent.
 */
#include "engine/engine.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "output/tcp-data-log.h"

static bool read_checksum_mode(Conf *conf, DecodeConfig *dc, char *err, size_t errlen)
{
    const char *mode = "auto";
    conf_get_str(conf, "pcap-file.checksum-checks", &mode);
    bool v;
    if (strcmp(mode, "auto") == 0) {
        dc->checksum_validate = true;
        dc->checksum_auto = true;
    } else if (conf_parse_bool(mode, &v)) {
        dc->checksum_validate = v;
    } else {
        snprintf(err, errlen, "pcap-file.checksum-checks: expected yes, no or auto, got '%s'", mode);
        return false;
    }
    return true;
}

static void read_ports(Conf *conf, const char *key, uint16_t *ports, uint8_t *count, bool *any)
{
    const char *s;
    if (!conf_get_str(conf, key, &s))
        return;
    /* "$TEREDO_PORTS": resolved from vars.port-groups (one level, as the
     * shipped configuration uses it) */
    for (int depth = 0; s[0] == '$' && depth < 8; depth++) {
        char var_key[256];
        snprintf(var_key, sizeof(var_key), "vars.port-groups.%s", s + 1);
        if (!conf_get_str(conf, var_key, &s))
            return;
    }
    if (any)
        *any = strcmp(s, "any") == 0;
    if (any && *any)
        return;
    *count = 0;
    /* "3544", "[3544, 3545]" */
    for (const char *c = s; *c && *count < 4;) {
        while (*c && (*c < '0' || *c > '9'))
            c++;
        if (!*c)
            break;
        unsigned long v = strtoul(c, (char **)&c, 10);
        if (v > 0 && v < 65536)
            ports[(*count)++] = (uint16_t)v;
    }
}

static bool read_decode(Conf *conf, DecodeConfig *dc, char *err, size_t errlen)
{
    decode_config_defaults(dc);
    if (!read_checksum_mode(conf, dc, err, errlen))
        return false;
    int64_t layers;
    if (conf_get_int(conf, "decoder.max-layers", &layers))
        dc->max_layers = (int)layers;
    conf_get_bool(conf, "vlan.use-for-tracking", &dc->vlan_use_for_tracking);
    conf_get_bool(conf, "decoder.teredo.enabled", &dc->teredo_enabled);
    conf_get_bool(conf, "decoder.vxlan.enabled", &dc->vxlan_enabled);
    conf_get_bool(conf, "decoder.geneve.enabled", &dc->geneve_enabled);
    read_ports(conf, "decoder.teredo.ports", dc->teredo_ports, &dc->teredo_port_count, &dc->teredo_ports_any);
    read_ports(conf, "decoder.vxlan.ports", dc->vxlan_ports, &dc->vxlan_port_count, NULL);
    read_ports(conf, "decoder.geneve.ports", dc->geneve_ports, &dc->geneve_port_count, NULL);
    return true;
}

static void read_stats(Conf *conf, StatsSettings *ss)
{
    ss->decoder_events = true;
    ss->decoder_events_prefix = "decoder.event";
    ss->stream_events = false;
    conf_get_bool(conf, "stats.decoder-events", &ss->decoder_events);
    conf_get_str(conf, "stats.decoder-events-prefix", &ss->decoder_events_prefix);
    conf_get_bool(conf, "stats.stream-events", &ss->stream_events);
}

bool engine_config_read(Conf *conf, EngineConfig *ec, char *err, size_t errlen)
{
    memset(ec, 0, sizeof(*ec));
    const char *log_dir = "/var/log/odlar/";
    conf_get_str(conf, "default-log-dir", &log_dir);
    snprintf(ec->log_dir, sizeof(ec->log_dir), "%s", log_dir);
    size_t n = strlen(ec->log_dir);
    while (n > 1 && ec->log_dir[n - 1] == '/')
        ec->log_dir[--n] = '\0';

    if (!read_decode(conf, &ec->decode, err, errlen))
        return false;
    defrag_config_defaults(&ec->defrag);
    if (!defrag_config_read(conf, &ec->defrag, err, errlen))
        return false;
    flow_config_defaults(&ec->flow);
    if (!flow_config_read(conf, &ec->flow, err, errlen))
        return false;
    stream_config_defaults(&ec->stream);
    if (!stream_config_read(conf, &ec->stream, err, errlen))
        return false;
    if (!ec->decode.checksum_validate)
        ec->stream.checksum_validation = false;
    if (!eve_config_read(conf, ec->log_dir, &ec->eve, err, errlen))
        return false;
    ec->flow.track_macs = ec->eve.enabled && ec->eve.ethernet;
    ec->tcp_data_log = tcp_data_log_enabled(conf);
    read_stats(conf, &ec->stats);
    if (!exception_policies_read(conf, ec->stream.inline_mode, ec->stream.midstream, &ec->exceptions, err, errlen))
        return false;
    ec->stats.flow_memcap = ec->flow.memcap;
    ec->stats.stream_memcap = ec->stream.memcap;
    ec->stats.reassembly_memcap = ec->stream.reassembly_memcap;
    ec->stats.defrag_memcap = ec->defrag.memcap;
    ec->stats.exception_counters =
            exception_counter_mask(&ec->exceptions, ec->stream.inline_mode, ec->stream.midstream);
    if (!threading_config_read(conf, &ec->threading, err, errlen))
        return false;
    ec->detection_enabled = true;
    return true;
}
