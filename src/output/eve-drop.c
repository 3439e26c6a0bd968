/*
 * EVE `drop` records (see eve-drop.h). Field order follows Suricata 8's
 * DropLogJSON: header, direction, drop{len, tos, ttl, ipid (IPv4) or len,
 * tc, hoplimit, flowlbl (IPv6); tcpseq, tcpack, tcpwin, syn, ack, psh, rst,
 * urg, fin, tcpres, tcpurgp (TCP), udplen (UDP), icmp_id, icmp_seq (ICMP);
 * reason}, verdict, alert. Header fields come from the decoder's parsed
 * values; the two not kept there (TCP reserved bits, UDP length) are read
 * from the packet through the bounds-checked helpers (RFC 9293 section 3.1,
 * RFC 768).
 */
#include "output/eve-drop.h"

#include <string.h>
#include <strings.h>

#include "detect/detect.h"
#include "output/eve-alert.h"
#include "util/bytes.h"

typedef struct DropOptions {
    bool alerts; /* alerts: yes -- the alert object of the dropping rule */
    bool flows_all; /* flows: all (default start) */
    bool verdict; /* verdict: yes */
} DropOptions;

/* The `drop` type's options, or false when it is not enabled. Read when a
 * packet is dropped only, which is rare enough not to cache them. */
static bool drop_options(const Eve *eve, DropOptions *o)
{
    ConfNode *opts = NULL;
    memset(o, 0, sizeof(*o));
    if (!eve_type_enabled(&eve->cfg, "drop", &opts))
        return false;
    if (opts) {
        conf_node_get_bool(opts, "alerts", &o->alerts);
        conf_node_get_bool(opts, "verdict", &o->verdict);
        const char *flows = NULL;
        if (conf_node_get_str(opts, "flows", &flows) && flows && strcasecmp(flows, "all") == 0)
            o->flows_all = true;
    }
    return true;
}

/* Suricata's JsonDropLogCondition: with `flows: start`, a dropped flow is
 * logged once per direction, a packet a rule dropped always. */
static bool should_log(const DetectThread *dt, const Packet *p, const DropOptions *o)
{
    if (!o->flows_all && p->flow) {
        const DetectFlow *df = p->flow->detect;
        const int dir = p->to_server ? 0 : 1;
        if (p->flow->action == FLOW_ACTION_DROP && df && !df->drop_logged[dir])
            return true;
        return dt->drop_sig != NULL;
    }
    return true;
}

static void tcp_fields(JsonBuf *j, const Packet *p)
{
    const TcpInfo *t = &p->tcp;
    jb_uint(j, "tcpseq", t->seq);
    jb_uint(j, "tcpack", t->ack);
    jb_uint(j, "tcpwin", t->window);
    jb_bool(j, "syn", (t->flags & 0x02) != 0);
    jb_bool(j, "ack", (t->flags & 0x10) != 0);
    jb_bool(j, "psh", (t->flags & 0x08) != 0);
    jb_bool(j, "rst", (t->flags & 0x04) != 0);
    jb_bool(j, "urg", (t->flags & 0x20) != 0);
    jb_bool(j, "fin", (t->flags & 0x01) != 0);
    /* reserved bits: low nibble of the data offset byte (RFC 9293 3.1) */
    ByteReader r = br_init(packet_l4(p), p->l4_len);
    uint8_t res = 0;
    if (br_skip(&r, 12) && br_u8(&r, &res))
        res &= 0x0f;
    jb_uint(j, "tcpres", res);
    jb_uint(j, "tcpurgp", t->urg_ptr);
}

static void drop_object(JsonBuf *j, const DetectThread *dt, const Packet *p)
{
    jb_open_object(j, "drop");
    if (p->ip_version == 4) {
        jb_uint(j, "len", p->ip4.total_len);
        jb_uint(j, "tos", p->ip4.tos);
        jb_uint(j, "ttl", p->ip4.ttl);
        jb_uint(j, "ipid", p->ip4.id);
    } else if (p->ip_version == 6) {
        jb_uint(j, "len", p->ip6.payload_len);
        jb_uint(j, "tc", p->ip6.tclass);
        jb_uint(j, "hoplimit", p->ip6.hop_limit);
        jb_uint(j, "flowlbl", p->ip6.flow_label);
    }
    if (p->l4_len) {
        if (p->proto == 6) {
            tcp_fields(j, p);
        } else if (p->proto == 17) {
            ByteReader r = br_init(packet_l4(p), p->l4_len); /* RFC 768: length at offset 4 */
            uint16_t udplen = 0;
            if (br_skip(&r, 4) && br_be16(&r, &udplen))
                jb_uint(j, "udplen", udplen);
        } else if ((p->proto == 1 || p->proto == 58) && p->has_icmp_id) {
            jb_uint(j, "icmp_id", p->icmp_id);
            jb_uint(j, "icmp_seq", p->icmp_seq);
        }
    }
    const char *reason = detect_drop_reason_name(dt->drop_reason);
    if (reason)
        jb_str(j, "reason", reason);
    jb_close_object(j);
}

static bool is_drop_action(SigAction a)
{
    return a != SIG_ACTION_ALERT && a != SIG_ACTION_PASS;
}

void eve_log_drop(Eve *eve, JsonBuf *j, const DetectThread *dt, const Packet *p)
{
    DropOptions o;
    if (!eve->file || !dt->drop || !dt->de || !dt->de->ips || p->src == PKT_SRC_FFR || !drop_options(eve, &o))
        return;
    if (!should_log(dt, p, &o))
        return;
    eve_open_packet_record(eve, j, p, "drop");
    if (p->flow)
        jb_str(j, "direction", p->to_server ? "to_server" : "to_client");
    drop_object(j, dt, p);
    if (o.verdict)
        eve_verdict_object(j, dt, p);
    if (o.alerts) {
        const Signature *s = NULL;
        SigAction action = dt->drop_action;
        for (uint32_t i = 0; !s && i < dt->alert_count; i++)
            if (is_drop_action(dt->alerts[i].action)) {
                s = dt->alerts[i].s;
                action = dt->alerts[i].action;
            }
        if (!s)
            s = dt->drop_sig;
        if (s)
            eve_alert_object(j, dt->de, p, s, action, false);
    }
    eve_write_record(eve, j, true);
    if (!o.flows_all && p->flow && p->flow->action == FLOW_ACTION_DROP && p->flow->detect) {
        DetectFlow *df = p->flow->detect;
        df->drop_logged[p->to_server ? 0 : 1] = true;
    }
}
