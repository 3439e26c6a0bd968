/*
 * The EVE `dhcp` object, as Suricata 8's DHCP logger writes it: `type`
 * (request or reply, from the BOOTP op), `id` (xid), `client_mac` (chaddr
 * cut to hlen), `assigned_ip` (yiaddr); extended adds `client_ip`
 * (ciaddr) and, on replies, `relay_ip` (giaddr) and `next_server_ip`
 * (siaddr). Then, in the order the options appear: `client_id` (61, hex
 * without its type byte), `lease_time` (51) and `rebinding_time` (59)
 * when extended, `renewal_time` (58) always, `subnet_mask` (1),
 * `requested_ip` (50), `params` (55, the names Suricata knows),
 * `dns_servers` (6), `routers` (3) and `vendor_class_identifier` (60) when
 * extended, `hostname` (12) and `dhcp_type` (53) always. Addresses of 4
 * bytes print dotted, of 16 bytes as eight hex groups, other sizes as "".
 * Byte strings print as they are when valid UTF-8, else with \xNN for the
 * bytes >= 0x80.
 */
#include "app/dhcp/dhcp.h"

#include <stdio.h>
#include <string.h>

#include "util/bytes.h"

static const char *addr_str(const uint8_t *a, uint32_t len, char *buf, size_t size)
{
    buf[0] = 0;
    if (len == 4) {
        snprintf(buf, size, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    } else if (len == 16) {
        size_t k = 0;
        for (int i = 0; i < 16; i += 2)
            k += (size_t)snprintf(buf + k, size - k, "%s%02x%02x", i ? ":" : "", a[i], a[i + 1]);
    }
    return buf;
}

static void put_addr(JsonBuf *j, const char *key, const uint8_t *a, uint32_t len)
{
    char buf[48];
    jb_str(j, key, addr_str(a, len, buf, sizeof(buf)));
}

/* "aa:bb:..." of n bytes (n <= 255) */
static void put_hex(JsonBuf *j, const char *key, const uint8_t *p, uint32_t n)
{
    char buf[255 * 3 + 1];
    size_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%02x", i ? ":" : "", p[i]);
    jb_strn(j, key, (const uint8_t *)buf, k);
}

/* Suricata's set_string_from_bytes (n <= 255) */
static void put_bytes(JsonBuf *j, const char *key, const uint8_t *p, uint32_t n)
{
    if (jb_utf8_valid(p, n)) {
        jb_strn(j, key, p, n);
        return;
    }
    char buf[255 * 4 + 1]; /* snprintf needs room for its NUL */
    size_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (p[i] < 0x80)
            buf[k++] = (char)p[i];
        else
            k += (size_t)snprintf(buf + k, sizeof(buf) - k, "\\x%02x", p[i]);
    }
    jb_strn(j, key, (const uint8_t *)buf, k);
}

static void put_addr_list(JsonBuf *j, const char *key, const uint8_t *p, uint32_t n)
{
    jb_open_array(j, key);
    for (uint32_t i = 0; i + 4 <= n; i += 4)
        put_addr(j, NULL, p + i, 4);
    jb_close_array(j);
}

static const char *message_type_name(uint8_t t)
{
    static const char *const names[] = { NULL,  "discover", "offer",   "request",
                                         "decline", "ack", "nak", "release", "inform" };
    return t >= 1 && t <= 8 ? names[t] : "unknown";
}

/* Parameter request list entries Suricata names (RFC 2132 codes). */
static const char *param_name(uint8_t code)
{
    switch (code) {
    case 1: return "subnet_mask";
    case 3: return "router";
    case 6: return "dns_server";
    case 15: return "domain";
    case 35: return "arp_timeout";
    case 42: return "ntp_server";
    case 66: return "tftp_server_name";
    case 150: return "tftp_server_ip";
    default: return NULL;
    }
}

bool dhcp_log_wanted(const DhcpTx *tx, const DhcpLogConfig *cfg)
{
    if (cfg->extended)
        return true;
    const DhcpMessage *m = dhcp_tx_message(tx);
    const DhcpOption *t = dhcp_message_option(m, DHCP_OPT_MESSAGE_TYPE);
    return t && t->len >= 1 && m->raw[t->off] == 5; /* DHCPACK */
}

static void log_option(JsonBuf *j, const DhcpMessage *m, const DhcpOption *o, bool ext)
{
    const uint8_t *v = m->raw + o->off;
    switch (o->code) {
    case DHCP_OPT_CLIENT_ID:
        put_hex(j, "client_id", v + 1, o->len - 1u); /* len >= 2 (parser) */
        break;
    case DHCP_OPT_LEASE_TIME:
        if (ext)
            jb_uint(j, "lease_time", rd_be32(v));
        break;
    case DHCP_OPT_REBINDING_TIME:
        if (ext)
            jb_uint(j, "rebinding_time", rd_be32(v));
        break;
    case DHCP_OPT_RENEWAL_TIME:
        jb_uint(j, "renewal_time", rd_be32(v));
        break;
    case DHCP_OPT_SUBNET_MASK:
        if (ext)
            put_addr(j, "subnet_mask", v, o->len);
        break;
    case DHCP_OPT_HOSTNAME:
        if (o->len)
            put_bytes(j, "hostname", v, o->len);
        break;
    case DHCP_OPT_MESSAGE_TYPE:
        if (o->len)
            jb_str(j, "dhcp_type", message_type_name(v[0]));
        break;
    case DHCP_OPT_REQUESTED_IP:
        if (ext)
            put_addr(j, "requested_ip", v, o->len);
        break;
    case DHCP_OPT_PARAMS:
        if (ext) {
            jb_open_array(j, "params");
            for (uint32_t i = 0; i < o->len; i++)
                if (param_name(v[i]))
                    jb_str(j, NULL, param_name(v[i]));
            jb_close_array(j);
        }
        break;
    case DHCP_OPT_DNS_SERVERS:
        if (ext)
            put_addr_list(j, "dns_servers", v, o->len);
        break;
    case DHCP_OPT_ROUTERS:
        if (ext)
            put_addr_list(j, "routers", v, o->len);
        break;
    case DHCP_OPT_VENDOR_CLASS:
        if (ext && o->len)
            put_bytes(j, "vendor_class_identifier", v, o->len);
        break;
    default:
        break;
    }
}

void dhcp_log_tx(JsonBuf *j, const DhcpTx *tx, const DhcpLogConfig *cfg)
{
    const DhcpMessage *m = dhcp_tx_message(tx);
    const bool ext = cfg->extended;
    jb_open_object(j, "dhcp");
    jb_str(j, "type", m->op == DHCP_OP_REQUEST ? "request" : m->op == DHCP_OP_REPLY ? "reply" : "<unknown>");
    jb_uint(j, "id", m->xid);
    put_hex(j, "client_mac", m->chaddr, m->hlen < sizeof(m->chaddr) ? m->hlen : (uint32_t)sizeof(m->chaddr));
    put_addr(j, "assigned_ip", m->yiaddr, 4);
    if (ext) {
        put_addr(j, "client_ip", m->ciaddr, 4);
        if (m->op == DHCP_OP_REPLY) {
            put_addr(j, "relay_ip", m->giaddr, 4);
            put_addr(j, "next_server_ip", m->siaddr, 4);
        }
    }
    for (uint32_t i = 0; i < m->opt_count; i++)
        log_option(j, m, &m->opts[i], ext);
    jb_close_object(j);
}
