/*
 * The eve-log output: configuration, the file, and the common header every
 * EVE record starts with (Suricata 8's CreateEveHeader layout: timestamp,
 * flow_id, in_iface (live capture), pcap_cnt, event_type, vlan, src/dest ip
 * and port, proto, ip_v, icmp_type/code, pkt_src, then ether when enabled:
 * the packet's addresses, or for a packet without them the flow's first
 * pair, and on flow records the flow's src_macs/dest_macs lists), and
 * reopening the file on SIGHUP for logrotate.
 */
#include "output/eve.h"
#include "output/community-id.h"
#include "output/eve-metadata.h"
#include "flow/flow-macs.h"

#include "detect/sd-alert.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

static bool eve_type_option_bool(ConfNode *type_node, const char *key, bool dflt)
{
    bool v = dflt;
    if (type_node)
        conf_node_get_bool(type_node, key, &v);
    return v;
}

/* Finds the `outputs` item whose key is `name` (e.g. "eve-log"). */
ConfNode *output_find(Conf *conf, const char *name)
{
    ConfNode *outputs = conf_node(conf, "outputs");
    if (!outputs)
        return NULL;
    for (ConfNode *item = outputs->first_child; item; item = item->next) {
        ConfNode *n = conf_node_child(item, name);
        if (n)
            return n;
        if (strcmp(item->name, name) == 0)
            return item;
    }
    return NULL;
}

static void eve_read_types(ConfNode *types, EveConfig *cfg)
{
    for (ConfNode *t = types ? types->first_child : NULL; t; t = t->next) {
        /* an item is either a scalar ("flow") or a one-key mapping
         * ({alert: {...}}); the loader names both by their value and keeps a
         * mapping's options under a child of the same name */
        const char *name = t->value;
        if (!name)
            continue;
        ConfNode *opts = conf_node_child(t, name);
        bool enabled = eve_type_option_bool(opts, "enabled", true);
        if (enabled && cfg->type_count < 32 && strlen(name) < sizeof(cfg->type_names[0])) {
            snprintf(cfg->type_names[cfg->type_count], sizeof(cfg->type_names[0]), "%s", name);
            cfg->type_opts[cfg->type_count++] = opts;
        }
        if (strcmp(name, "flow") == 0) {
            cfg->flow = enabled;
        } else if (strcmp(name, "alert") == 0) {
            cfg->alert = enabled;
        } else if (strcmp(name, "anomaly") == 0) {
            cfg->anomaly = enabled;
            ConfNode *at = opts ? conf_node_child(opts, "types") : NULL;
            cfg->anomaly_decode = eve_type_option_bool(at, "decode", false);
            cfg->anomaly_stream = eve_type_option_bool(at, "stream", false);
            cfg->anomaly_applayer = eve_type_option_bool(at, "applayer", true);
            cfg->anomaly_packethdr = eve_type_option_bool(opts, "packethdr", false);
        } else if (strcmp(name, "stats") == 0) {
            cfg->stats = enabled;
            cfg->stats_totals = eve_type_option_bool(opts, "totals", true);
            cfg->stats_threads = eve_type_option_bool(opts, "threads", false);
            cfg->stats_deltas = eve_type_option_bool(opts, "deltas", false);
            cfg->stats_null_values = eve_type_option_bool(opts, "null-values", true);
        }
    }
}

static void route_set(EveOutputRoute *r, const char *path, bool append, const EveConfig *types)
{
    snprintf(r->path, sizeof(r->path), "%s", path);
    r->append = append;
    r->type_count = types->type_count;
    memcpy(r->type_names, types->type_names, sizeof(r->type_names));
}

/* Further enabled eve-log outputs after `first`: their routes, and their
 * types added to cfg's so that their records are made. */
static void eve_read_more_outputs(Conf *conf, const char *log_dir, ConfNode *first, EveConfig *cfg)
{
    ConfNode *outputs = conf_node(conf, "outputs");
    route_set(&cfg->routes[0], cfg->path, cfg->append, cfg);
    cfg->output_count = 1;
    for (ConfNode *item = outputs ? outputs->first_child : NULL; item; item = item->next) {
        ConfNode *n = conf_node_child(item, "eve-log");
        if (!n && strcmp(item->name, "eve-log") == 0)
            n = item;
        bool enabled = false;
        if (!n || n == first || !conf_node_get_bool(n, "enabled", &enabled) || !enabled)
            continue;
        if (cfg->output_count == EVE_MAX_OUTPUTS) {
            od_warn("outputs: more than %d eve-log outputs, the rest are left off", EVE_MAX_OUTPUTS);
            break;
        }
        const char *filename = "eve.json";
        conf_node_get_str(n, "filename", &filename);
        char path[4096];
        if (filename[0] == '/')
            snprintf(path, sizeof(path), "%s", filename);
        else
            snprintf(path, sizeof(path), "%s/%s", log_dir, filename);
        bool append = true;
        conf_node_get_bool(n, "append", &append);
        EveConfig own;
        memset(&own, 0, sizeof(own));
        eve_read_types(conf_node_child(n, "types"), &own);
        route_set(&cfg->routes[cfg->output_count++], path, append, &own);
        /* the union: flags and names of types the first output lacks */
        for (int i = 0; i < own.type_count; i++)
            if (!eve_type_enabled(cfg, own.type_names[i], NULL) && cfg->type_count < 32) {
                memcpy(cfg->type_names[cfg->type_count], own.type_names[i], sizeof(cfg->type_names[0]));
                cfg->type_opts[cfg->type_count++] = own.type_opts[i];
            }
        if (own.flow)
            cfg->flow = true;
        if (own.alert)
            cfg->alert = true;
        if (own.anomaly && !cfg->anomaly) {
            cfg->anomaly = true;
            cfg->anomaly_decode = own.anomaly_decode;
            cfg->anomaly_stream = own.anomaly_stream;
            cfg->anomaly_applayer = own.anomaly_applayer;
            cfg->anomaly_packethdr = own.anomaly_packethdr;
        }
        if (own.stats && !cfg->stats) {
            cfg->stats = true;
            cfg->stats_totals = own.stats_totals;
            cfg->stats_threads = own.stats_threads;
            cfg->stats_deltas = own.stats_deltas;
            cfg->stats_null_values = own.stats_null_values;
        }
    }
}

bool eve_config_read(Conf *conf, const char *log_dir, EveConfig *cfg, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->stats_null_values = true;
    ConfNode *eve = output_find(conf, "eve-log");
    if (!eve)
        return true;
    cfg->enabled = false;
    conf_node_get_bool(eve, "enabled", &cfg->enabled);
    const char *filetype = "regular";
    conf_node_get_str(eve, "filetype", &filetype);
    if (cfg->enabled && strcmp(filetype, "regular") != 0 && strcmp(filetype, "file") != 0) {
        snprintf(err, errlen, "outputs.eve-log.filetype: '%s' is not supported (only regular files)", filetype);
        return false;
    }
    const char *filename = "eve.json";
    conf_node_get_str(eve, "filename", &filename);
    if (filename[0] == '/')
        snprintf(cfg->path, sizeof(cfg->path), "%s", filename);
    else
        snprintf(cfg->path, sizeof(cfg->path), "%s/%s", log_dir, filename);
    const char *append = NULL;
    cfg->append = true;
    if (conf_node_get_str(eve, "append", &append))
        conf_node_get_bool(eve, "append", &cfg->append);
    conf_node_get_bool(eve, "pcap-file", &cfg->pcap_file);
    conf_node_get_bool(eve, "ethernet", &cfg->ethernet);
    conf_node_get_bool(eve, "community-id", &cfg->community_id);
    int64_t seed = 0;
    if (conf_node_get_int(eve, "community-id-seed", &seed) && (seed < 0 || seed > 65535))
        seed = 0; /* as Suricata: out of range is ignored */
    cfg->community_id_seed = (uint16_t)seed;
    eve_read_types(conf_node_child(eve, "types"), cfg);
    if (cfg->enabled)
        eve_read_more_outputs(conf, log_dir, eve, cfg);
    bool stats_enabled = true;
    conf_get_bool(conf, "stats.enabled", &stats_enabled);
    if (!stats_enabled)
        cfg->stats = false;
    return true;
}

/* stdio would write the log in pieces of the file system's block size
 * (4 KiB); with large page-cache folios such pieces make the kernel zero
 * the rest of each new folio first, about 2% of a single-threaded ET Open
 * run on the 1 GB corpus. Writes of EVE_WRITE_BUFFER bytes fill whole
 * folios. The live engine flushes the files itself (engine-live.c). */
#define EVE_WRITE_BUFFER (1u << 20)

/* Opens log `k` (0: the main file) at `path`, with its own write buffer. */
static FILE *open_log(Eve *eve, int k, const char *path, bool append)
{
    FILE *f = fopen(path, append ? "a" : "w");
    if (f && !eve->buffers[k] && (eve->buffers[k] = malloc(EVE_WRITE_BUFFER)) == NULL)
        return f; /* stdio's own buffer then */
    if (f)
        (void)setvbuf(f, eve->buffers[k], _IOFBF, EVE_WRITE_BUFFER);
    return f;
}

static void close_log(FILE **f)
{
    if (*f)
        fclose(*f);
    *f = NULL;
}

bool eve_open(Eve *eve, const EveConfig *cfg, char *err, size_t errlen)
{
    memset(eve, 0, sizeof(*eve));
    eve->cfg = *cfg;
    if (!cfg->enabled)
        return true;
    eve->file = open_log(eve, 0, cfg->path, cfg->append);
    if (!eve->file) {
        snprintf(err, errlen, "cannot open EVE log %s: %s", cfg->path, strerror(errno));
        eve_close(eve);
        return false;
    }
    for (int k = 1; k < cfg->output_count; k++) {
        const EveOutputRoute *r = &cfg->routes[k];
        eve->more[k - 1] = open_log(eve, k, r->path, r->append);
        if (!eve->more[k - 1]) {
            snprintf(err, errlen, "cannot open EVE log %s: %s", r->path, strerror(errno));
            eve_close(eve);
            return false;
        }
    }
    return true;
}

bool eve_reopen(Eve *eve, char *err, size_t errlen)
{
    if (!eve->cfg.enabled)
        return true;
    close_log(&eve->file);
    eve->file = open_log(eve, 0, eve->cfg.path, true);
    if (!eve->file) {
        snprintf(err, errlen, "cannot reopen EVE log %s: %s", eve->cfg.path, strerror(errno));
        return false;
    }
    for (int k = 1; k < eve->cfg.output_count; k++) {
        close_log(&eve->more[k - 1]);
        eve->more[k - 1] = open_log(eve, k, eve->cfg.routes[k].path, true);
        if (!eve->more[k - 1]) {
            snprintf(err, errlen, "cannot reopen EVE log %s: %s", eve->cfg.routes[k].path, strerror(errno));
            return false;
        }
    }
    return true;
}

void eve_close(Eve *eve)
{
    close_log(&eve->file);
    for (int k = 0; k < RECORD_EVE_MORE_MAX; k++)
        close_log(&eve->more[k]);
    for (int k = 0; k <= RECORD_EVE_MORE_MAX; k++) {
        free(eve->buffers[k]);
        eve->buffers[k] = NULL;
    }
}

/* Which `types` name makes records of this event type. */
static const char *route_type_name(const char *event_type)
{
    if (strcmp(event_type, "fileinfo") == 0)
        return "files";
    if (strcmp(event_type, "ftp_data") == 0)
        return "ftp";
    return event_type;
}

static bool route_takes(const EveOutputRoute *r, const char *type)
{
    for (int i = 0; i < r->type_count; i++)
        if (strcmp(r->type_names[i], type) == 0)
            return true;
    return false;
}

/* Several eve-log outputs: the finished record in j goes to each output
 * whose types include its event type. */
static void eve_write_routed(Eve *eve, const JsonBuf *j)
{
    static const char key[] = "\"event_type\":\"";
    char event_type[32] = "";
    const char *at = j->buf ? memmem(j->buf, j->len, key, sizeof(key) - 1) : NULL;
    if (at) {
        at += sizeof(key) - 1;
        size_t n = 0;
        while (at + n < j->buf + j->len && at[n] != '"' && n + 1 < sizeof(event_type))
            n++;
        memcpy(event_type, at, n);
        event_type[n] = '\0';
    }
    const char *type = route_type_name(event_type);
    for (int k = 0; k < eve->cfg.output_count; k++) {
        if (!route_takes(&eve->cfg.routes[k], type))
            continue;
        FILE *f = k == 0 ? eve->file : eve->more[k - 1];
        if (f && eve->queue)
            record_queue_add(eve->queue, k == 0 ? RECORD_TARGET_EVE : (RecordTarget)(RECORD_TARGET_EVE_MORE + k - 1),
                             j->buf, j->len);
        else if (f && fwrite(j->buf, 1, j->len, f) != j->len)
            od_error("writing %s failed: %s", eve->cfg.routes[k].path, strerror(errno));
    }
}

static void eve_timestamp(JsonBuf *j, OdTime ts)
{
    char tbuf[64];
    jb_str(j, "timestamp", od_time_format(ts, tbuf, sizeof(tbuf)));
}

static void eve_vlan(JsonBuf *j, const uint16_t *ids, uint8_t count)
{
    if (count == 0)
        return;
    jb_open_array(j, "vlan");
    for (uint8_t i = 0; i < count; i++)
        jb_uint(j, NULL, ids[i]);
    jb_close_array(j);
}

static bool proto_has_ports(uint8_t proto)
{
    return proto == 6 || proto == 17 || proto == 132;
}

/* community_id of a flow, when enabled (Suricata adds it with the common
 * options, after ether). */
static void eve_community_id(const Eve *eve, JsonBuf *j, const Flow *f)
{
    char id[COMMUNITY_ID_LEN + 1];
    if (!eve->cfg.community_id || !f)
        return;
    uint16_t sp = f->sp, dp = f->dp;
    if (f->proto == 1 || f->proto == 58) {
        sp = f->icmp_type;
        dp = f->icmp_code;
    }
    if (community_id(eve->cfg.community_id_seed, &f->src, &f->dst, f->proto, sp, dp, id))
        jb_str(j, "community_id", id);
}

static void eve_mac(JsonBuf *j, const char *key, const uint8_t *mac)
{
    char buf[20];
    snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    jb_str(j, key, buf);
}

/* Flow records: every Ethernet address the flow was seen with, per side */
static void eve_flow_macs(JsonBuf *j, const Flow *f)
{
    if (!flow_macs_count(f, FLOW_MAC_CLIENT) && !flow_macs_count(f, FLOW_MAC_SERVER))
        return;
    static const struct {
        const char *key;
        FlowMacSide side;
    } lists[] = { { "dest_macs", FLOW_MAC_SERVER }, { "src_macs", FLOW_MAC_CLIENT } };
    jb_open_object(j, "ether");
    for (unsigned l = 0; l < 2; l++) {
        jb_open_array(j, lists[l].key);
        for (uint32_t i = 0; i < flow_macs_count(f, lists[l].side); i++)
            eve_mac(j, NULL, flow_macs_get(f, lists[l].side, i));
        jb_close_array(j);
    }
    jb_close_object(j);
}

void eve_open_packet_record(const Eve *eve, JsonBuf *j, const Packet *p, const char *event_type)
{
    eve_open_packet_record_ips(eve, j, p, event_type, NULL, NULL);
}

void eve_open_packet_record_ips(const Eve *eve, JsonBuf *j, const Packet *p, const char *event_type,
                                const char *src_ip, const char *dest_ip)
{
    char a[64], b[64], proto[16];
    jb_reset(j);
    jb_open_object(j, NULL);
    eve_timestamp(j, p->ts);
    if (p->flow)
        jb_uint(j, "flow_id", p->flow->flow_id);
    if (eve->in_iface)
        jb_str(j, "in_iface", eve->in_iface);
    if (p->pcap_cnt)
        jb_uint(j, "pcap_cnt", p->pcap_cnt);
    jb_str(j, "event_type", event_type);
    eve_vlan(j, p->vlan_id, p->vlan_count);
    if (p->ip_version) {
        /* packet direction: addresses as on the wire */
        jb_str(j, "src_ip", src_ip ? src_ip : address_format(&p->src_addr, a, sizeof(a)));
        if (proto_has_ports(p->proto))
            jb_uint(j, "src_port", p->sp);
        jb_str(j, "dest_ip", dest_ip ? dest_ip : address_format(&p->dst_addr, b, sizeof(b)));
        if (proto_has_ports(p->proto))
            jb_uint(j, "dest_port", p->dp);
        jb_str(j, "proto", flow_proto_name(p->proto, proto, sizeof(proto)));
        jb_uint(j, "ip_v", p->ip_version);
        if (p->proto == 1 || p->proto == 58) {
            jb_uint(j, "icmp_type", p->icmp_type);
            jb_uint(j, "icmp_code", p->icmp_code);
        }
    }
    jb_str(j, "pkt_src", packet_source_name(p->src));
    eve_flow_metadata(j, p->flow); /* Suricata's common options: metadata, ether, community_id */
    if (eve->cfg.ethernet && p->has_ether) {
        jb_open_object(j, "ether");
        jb_uint(j, "ether_type", p->ether_type);
        eve_mac(j, "src_mac", p->src_mac);
        eve_mac(j, "dest_mac", p->dst_mac);
        jb_close_object(j);
    } else if (eve->cfg.ethernet && p->flow && flow_macs_count(p->flow, FLOW_MAC_CLIENT) &&
               flow_macs_count(p->flow, FLOW_MAC_SERVER)) {
        /* a packet without its own header (end-of-flow pseudo packet): the
         * flow's first pair, client first */
        jb_open_object(j, "ether");
        eve_mac(j, "src_mac", flow_macs_get(p->flow, FLOW_MAC_CLIENT, 0));
        eve_mac(j, "dest_mac", flow_macs_get(p->flow, FLOW_MAC_SERVER, 0));
        jb_close_object(j);
    }
    eve_community_id(eve, j, p->flow);
}

void eve_open_flow_record(const Eve *eve, JsonBuf *j, const Flow *f, OdTime ts, const char *event_type)
{
    char a[64], b[64], proto[16];
    jb_reset(j);
    jb_open_object(j, NULL);
    eve_timestamp(j, ts);
    jb_uint(j, "flow_id", f->flow_id);
    if (eve->in_iface)
        jb_str(j, "in_iface", eve->in_iface);
    jb_str(j, "event_type", event_type);
    eve_vlan(j, f->vlan_id, f->vlan_count);
    jb_str(j, "src_ip", address_format(&f->src, a, sizeof(a)));
    if (proto_has_ports(f->proto))
        jb_uint(j, "src_port", f->sp);
    jb_str(j, "dest_ip", address_format(&f->dst, b, sizeof(b)));
    if (proto_has_ports(f->proto))
        jb_uint(j, "dest_port", f->dp);
    jb_uint(j, "ip_v", f->ip_version);
    jb_str(j, "proto", flow_proto_name(f->proto, proto, sizeof(proto)));
    if (f->proto == 1 || f->proto == 58) {
        jb_uint(j, "icmp_type", f->icmp_type);
        jb_uint(j, "icmp_code", f->icmp_code);
        if (f->pkts_toclient) {
            jb_uint(j, "response_icmp_type", f->icmp_reply_type);
            jb_uint(j, "response_icmp_code", f->icmp_reply_code);
        }
    }
    if (eve->cfg.ethernet)
        eve_flow_macs(j, f);
    eve_community_id(eve, j, f);
}

void eve_write_record(Eve *eve, JsonBuf *j, bool with_pcap_filename)
{
    if (with_pcap_filename && eve->cfg.pcap_file && eve->pcap_filename)
        jb_str(j, "pcap_filename", eve->pcap_filename);
    jb_close_object(j);
    jb_append(j, "\n", 1);
    /* with sd_pattern rules loaded, no record (http url, fileinfo filename,
     * ...) may carry a full card number or IBAN: mask every valid one */
    if (sd_pattern_in_use())
        sd_alert_mask_record(j->buf, j->len);
    if (eve->cfg.output_count > 1)
        eve_write_routed(eve, j);
    else if (eve->file && eve->queue)
        record_queue_add(eve->queue, RECORD_TARGET_EVE, j->buf, j->len);
    else if (eve->file && fwrite(j->buf, 1, j->len, eve->file) != j->len)
        od_error("writing %s failed: %s", eve->cfg.path, strerror(errno));
}

bool eve_type_enabled(const EveConfig *cfg, const char *name, ConfNode **opts)
{
    for (int i = 0; i < cfg->type_count; i++) {
        if (strcmp(cfg->type_names[i], name) == 0) {
            if (opts)
                *opts = cfg->type_opts[i];
            return true;
        }
    }
    return false;
}

void eve_open_record_dir(const Eve *eve, JsonBuf *j, const Packet *p, const char *event_type, bool client_src)
{
    if (p->to_server == client_src) {
        eve_open_packet_record(eve, j, p, event_type);
        return;
    }
    /* the other way round than the packet travelled */
    Packet q;
    memcpy(&q, p, sizeof(q));
    q.src_addr = p->dst_addr;
    q.dst_addr = p->src_addr;
    q.sp = p->dp;
    q.dp = p->sp;
    memcpy(q.src_mac, p->dst_mac, sizeof(q.src_mac));
    memcpy(q.dst_mac, p->src_mac, sizeof(q.dst_mac));
    eve_open_packet_record(eve, j, &q, event_type);
}
