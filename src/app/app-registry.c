/*
 * The table of protocol parsers and the `app-layer.protocols` settings.
 *
 * app_layer_register_builtin() lists the parsers Odlar integrates; each
 * entry is a small set of wrappers turning the parser's typed API into the
 * AppParserDef ops (an integrator adds a block like DNS's for their
 * protocol). HTTP, TLS, SSH, SMTP, FTP, POP3 and DHCP have theirs in app-<proto>.c, which
 * also read their parser settings (app_<proto>_configure, called from
 * app_layer_config_read). Settings follow Suricata 8: `enabled: yes|no|detection-only`
 * per protocol (or, without it, per transport under `tcp:`/`udp:`), and
 * `detection-ports: {dp: ...}` for probing parsers, with DNS on 53 and
 * DHCP on UDP 67 and 68 when nothing is configured.
 */
#include "app/app-internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/dns/dns.h"

static const AppParserDef *parsers[APP_PROTO_MAX];

void app_layer_register(const AppParserDef *def)
{
    if (def && def->proto < APP_PROTO_MAX)
        parsers[def->proto] = def;
}

const AppParserDef *app_layer_parser(AppProto proto)
{
    return proto < APP_PROTO_MAX ? parsers[proto] : NULL;
}

/* --- DNS --- */
static void *dns_w_new(bool tcp) { return dns_state_new(tcp); }
static void dns_w_free(void *s) { dns_state_free(s); }
static bool dns_w_parse(void *s, bool ts, const uint8_t *d, uint32_t n, OdTime t) { return dns_parse(s, ts, d, n, t); }
static void dns_w_gap(void *s, bool ts, uint32_t n) { dns_gap(s, ts, n); }
static void dns_w_end(void *s, bool ts) { dns_end(s, ts); }
static uint64_t dns_w_raw_triggers(const void *s, bool ts) { return dns_tcp_messages(s, ts); }
static uint64_t dns_w_tx_count(const void *s) { return dns_tx_count(s); }
static void *dns_w_tx_get(void *s, uint64_t id) { return dns_tx_get(s, id); }
static bool dns_w_tx_done(const void *tx, bool ts) { return dns_tx_done(tx, ts); }
static void dns_w_tx_release(void *s, uint64_t upto) { dns_tx_release(s, upto); }
/* each DNS message is its own transaction, of the direction it came in */
static uint8_t dns_w_tx_dirs(const void *tx) { return dns_tx_is_request(tx) ? APP_TX_DIR_TOSERVER : APP_TX_DIR_TOCLIENT; }
static int dns_w_ev_count(const void *tx) { return dns_tx_event_count(tx); }
static int dns_w_ev_get(const void *tx, int i) { return dns_tx_event_get(tx, i); }

static bool str_true(const char *v)
{
    bool b = false;
    return v && conf_parse_bool(v, &b) && b;
}

/* outputs.eve-log.types.dns options: version (or env
 * SURICATA_EVE_DNS_VERSION), requests, responses, formats, types. */
static void *dns_w_log_config(ConfNode *opts)
{
    DnsLogConfig *c = malloc(sizeof(*c));
    if (!c)
        return NULL;
    dns_log_config_default(c);
    const char *v = NULL;
    if (!(opts && conf_node_get_str(opts, "version", &v)))
        v = getenv("SURICATA_EVE_DNS_VERSION");
    if (v && strcmp(v, "2") == 0)
        c->version = 2;
    if (!opts)
        return c;
    if (conf_node_get_str(opts, "requests", &v))
        c->requests = str_true(v);
    if (conf_node_get_str(opts, "responses", &v))
        c->responses = str_true(v);
    ConfNode *fmt = conf_node_child(opts, "formats");
    if (fmt && c->responses) {
        bool det = false, grp = false;
        for (ConfNode *n = fmt->first_child; n; n = n->next) {
            if (n->value && strcasecmp(n->value, "detailed") == 0)
                det = true;
            else if (n->value && strcasecmp(n->value, "grouped") == 0)
                grp = true;
        }
        if (det || grp) {
            c->detailed = det;
            c->grouped = grp;
        }
    }
    ConfNode *types = conf_node_child(opts, "types");
    if (types) {
        c->all_types = false;
        for (ConfNode *n = types->first_child; n; n = n->next) {
            int t = n->value ? dns_rrtype_by_name(n->value) : -1;
            if (t >= 0 && t < 128)
                c->types[t / 64] |= 1ull << (t % 64);
        }
    }
    return c;
}

static void dns_w_log_config_free(void *c) { free(c); }

static bool dns_w_log_tx(JsonBuf *j, const void *tx, const void *cfg, uint32_t part)
{
    return dns_log_tx_part(j, tx, cfg, part);
}

/* v3: a request from the client, a response from the server; v2: flow
 * (the client first); a flow picked up from the server's side has them
 * the other way round. */
static int dns_w_log_dir(const void *tx, const void *cfg)
{
    bool rev = dns_tx_flow_reversed(tx);
    if (((const DnsLogConfig *)cfg)->version == 2)
        return rev ? 2 : 0;
    return dns_tx_is_request(tx) != rev ? 1 : 2;
}

static const AppParserDef dns_def = {
    .proto = 3,
    .name = "dns",
    .state_new = dns_w_new,
    .state_free = dns_w_free,
    .parse = dns_w_parse,
    .gap = dns_w_gap,
    .end = dns_w_end,
    .tx_count = dns_w_tx_count,
    .tx_get = dns_w_tx_get,
    .tx_done = dns_w_tx_done,
    .tx_release = dns_w_tx_release,
    .tx_dirs = dns_w_tx_dirs,
    .tx_event_count = dns_w_ev_count,
    .tx_event_get = dns_w_ev_get,
    .event_name = dns_event_name,
    .log_config = dns_w_log_config,
    .log_config_free = dns_w_log_config_free,
    .log_tx = dns_w_log_tx,
    .raw_triggers = dns_w_raw_triggers,
    .log_dir = dns_w_log_dir,
    .no_header_tx_id = true,
};

void app_layer_register_builtin(void)
{
    app_layer_register(&dns_def);
    app_layer_register(&app_http_def);
    app_layer_register(&app_tls_def);
    app_layer_register(&app_ssh_def);
    app_layer_register(&app_ftp_def);
    app_layer_register(&app_ftp_data_def);
    app_layer_register(&app_smtp_def);
    app_layer_register(&app_pop3_def);
    app_layer_register(&app_http2_def);
    app_layer_register(&app_dhcp_def);
}

/* --- configuration --- */

void app_layer_config_defaults(AppLayerConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    for (int i = 0; i < APP_PROTO_MAX; i++)
        cfg->proto[i].tcp_enabled = cfg->proto[i].tcp_parse = cfg->proto[i].udp_enabled =
            cfg->proto[i].udp_parse = true;
    AppProtoConf *d = &cfg->proto[3];
    d->tcp_ports[0] = d->udp_ports[0] = 53;
    d->tcp_port_count = d->udp_port_count = 1;
    AppProtoConf *smb = &cfg->proto[APP_PROTO_SMB]; /* suricata.yaml's smb detection-ports */
    smb->tcp_ports[0] = 139;
    smb->tcp_ports[1] = 445;
    smb->tcp_port_count = 2;
    /* telnet and ike: their parsers' default ports, suricata.yaml sets none */
    cfg->proto[APP_PROTO_TELNET].tcp_ports[0] = 23;
    cfg->proto[APP_PROTO_TELNET].tcp_port_count = 1;
    cfg->proto[APP_PROTO_IKE].udp_ports[0] = 500;
    cfg->proto[APP_PROTO_IKE].udp_port_count = 1;
    cfg->proto[APP_PROTO_HTTP2].tcp_ports[0] = 80; /* the HTTP/2 parser's default port */
    cfg->proto[APP_PROTO_HTTP2].tcp_port_count = 1;
    AppProtoConf *dhcp = &cfg->proto[APP_PROTO_DHCP];
    dhcp->udp_ports[0] = 67;
    dhcp->udp_ports[1] = 68;
    dhcp->udp_port_count = 2;
}

/* `enabled: yes|no|detection-only` of node n into *enabled / *parse;
 * false when n has no `enabled`. */
static bool read_enabled(ConfNode *n, bool *enabled, bool *parse)
{
    const char *v = NULL;
    if (!n || !conf_node_get_str(n, "enabled", &v))
        return false;
    if (strcasecmp(v, "detection-only") == 0) {
        *enabled = true;
        *parse = false;
    } else {
        *enabled = *parse = str_true(v);
    }
    return true;
}

/* As Suricata's AppLayerProtoDetectConfProtoDetectionEnabledDefault and
 * AppLayerParserConfParserEnabled: `<name>.enabled` decides for every
 * transport; only without it `<name>.tcp.enabled` and `<name>.udp.enabled`
 * decide, each for its own transport. */
static void read_transport_switches(ConfNode *n, AppProtoConf *pc)
{
    bool on, parse;
    if (read_enabled(n, &on, &parse)) {
        pc->tcp_enabled = pc->udp_enabled = on;
        pc->tcp_parse = pc->udp_parse = parse;
        return;
    }
    read_enabled(conf_node_child(n, "tcp"), &pc->tcp_enabled, &pc->tcp_parse);
    read_enabled(conf_node_child(n, "udp"), &pc->udp_enabled, &pc->udp_parse);
}

/* "53", "[53, 5353]", "53,5353" or a sequence; ranges take their start. */
static uint8_t read_ports(ConfNode *n, uint16_t *out)
{
    ConfNode *dp = n ? conf_node_lookup(n, "detection-ports.dp") : NULL;
    if (!dp)
        return 0xff;
    uint8_t count = 0;
    if (dp->first_child) {
        for (ConfNode *c = dp->first_child; c && count < 16; c = c->next)
            if (c->value)
                out[count++] = (uint16_t)strtoul(c->value, NULL, 10);
        return count;
    }
    const char *s = dp->value ? dp->value : "";
    while (*s && count < 16) {
        while (*s == '[' || *s == ' ' || *s == ',')
            s++;
        if (!*s || *s == ']')
            break;
        char *end;
        unsigned long p = strtoul(s, &end, 10);
        if (end == s)
            break;
        out[count++] = (uint16_t)p;
        s = end;
        while (*s && *s != ',' && *s != ']')
            s++;
    }
    return count;
}

bool app_layer_config_read(Conf *conf, AppLayerConfig *cfg, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    app_http_configure(conf);
    app_tls_configure(conf);
    app_ssh_configure(conf);
    app_ftp_configure(conf);
    app_smtp_configure(conf);
    app_pop3_configure(conf);
    app_http2_configure(conf);
    ConfNode *protos = conf ? conf_node(conf, "app-layer.protocols") : NULL;
    if (!protos)
        return true;
    for (AppProto id = 1; id < APP_PROTO_MAX; id++) {
        const char *name = app_proto_name(id);
        if (!name)
            continue;
        ConfNode *n = conf_node_child(protos, name);
        if (!n)
            continue;
        AppProtoConf *pc = &cfg->proto[id];
        read_transport_switches(n, pc);
        ConfNode *tcp = conf_node_child(n, "tcp"), *udp = conf_node_child(n, "udp");
        /* as Suricata: the protocol's own detection-ports win over the
         * tcp/udp ones */
        bool own = conf_node_lookup(n, "detection-ports.dp") != NULL;
        uint8_t c = read_ports(tcp && !own ? tcp : n, pc->tcp_ports);
        if (c != 0xff)
            pc->tcp_port_count = c;
        c = read_ports(udp && !own ? udp : n, pc->udp_ports);
        if (c != 0xff)
            pc->udp_port_count = c;
    }
    return true;
}
