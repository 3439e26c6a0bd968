/*
 * Application-layer protocol detection, as Suricata's app-layer-detect-proto
 * does it: first the port-independent patterns on the first bytes of a
 * direction (HTTP request methods and "HTTP/1." replies, the HTTP/2
 * client preface (RFC 9113 section 3.4), the TLS record
 * header 0x16 0x03 and the SSLv2 client hello, "SSH-", SMTP's EHLO/HELO,
 * FTP's USER/PASS/PORT/FEAT/AUTH commands, the DCE/RPC header over TCP, a
 * DCE/RPC request over UDP, and the SMB magic after a NetBIOS header --
 * the last three known by name only, without a parser), then the probing
 * parsers bound to the detection ports (DNS on port 53 by default, UDP
 * and TCP; HTTP/2's server SETTINGS frame on TCP port 80; SMB on TCP
 * ports 139 and 445; Telnet on TCP port 23; POP3 on
 * TCP port 110, parsed by src/app/pop3; DHCP on UDP ports 67 and 68, a
 * datagram long enough for the BOOTP header and cookie, as Suricata's
 * probe; IKE on UDP port 500; NTP on UDP port 123 -- Telnet, IKE and NTP
 * known by name only, without a parser). A server greeting ("220 " or
 * "220-", RFC 5321 section 4.2) on one of the SMTP ports (25, 465, 587)
 * makes the flow SMTP, as Suricata's server-side SMTP probe does;
 * elsewhere it decides nothing by itself and detection waits for the
 * client. Each check answers match, no match, or "need more bytes".
 */
#include "app/app-layer.h"
#include "app/app-internal.h" /* the ids of DHCP, SMB, IKE and Telnet */

#include <ctype.h>
#include <string.h>

#include "app/dhcp/dhcp.h"
#include "app/dns/dns.h"
#include "app/http2/http2.h"
#include "util/bytes.h"

enum { NO = 0, YES = 1, MORE = 2 };


/* Case-insensitive prefix test that can ask for more data. */
static int prefix_ci(const uint8_t *d, uint32_t len, const char *pat)
{
    size_t n = strlen(pat);
    for (size_t i = 0; i < n; i++) {
        if (i >= len)
            return MORE;
        if (tolower(d[i]) != tolower((unsigned char)pat[i]))
            return NO;
    }
    return YES;
}

static int any_prefix(const uint8_t *d, uint32_t len, const char *const *pats, size_t count, bool ci)
{
    int best = NO;
    for (size_t i = 0; i < count; i++) {
        int r;
        if (ci) {
            r = prefix_ci(d, len, pats[i]);
        } else {
            size_t n = strlen(pats[i]);
            r = len >= n ? (memcmp(d, pats[i], n) == 0 ? YES : NO)
                         : (memcmp(d, pats[i], len) == 0 ? MORE : NO);
        }
        if (r == YES)
            return YES;
        if (r == MORE)
            best = MORE;
    }
    return best;
}

static int detect_http(const uint8_t *d, uint32_t len, bool to_server)
{
    static const char *const methods[] = {
        "GET ", "GET\t", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ", "TRACE ",
        "PATCH ", "PROPFIND ", "PROPPATCH ", "MKCOL ", "COPY ", "MOVE ", "LOCK ", "UNLOCK ",
        "CHECKOUT ", "UNCHECKOUT ", "CHECKIN ", "UPDATE ", "LABEL ", "REPORT ", "MKWORKSPACE ",
        "MKACTIVITY ", "MERGE ", "INVALID ", "VERSION-CONTROL ", "BASELINE-CONTROL ",
    };
    static const char *const replies[] = { "HTTP/0.9", "HTTP/1." };
    if (to_server)
        return any_prefix(d, len, methods, sizeof(methods) / sizeof(methods[0]), true);
    return any_prefix(d, len, replies, 2, true);
}

/* The HTTP/2 client preface (RFC 9113 section 3.4): its first line, any
 * case, as Suricata registers it. */
static int detect_http2_preface(const uint8_t *d, uint32_t len, bool to_server)
{
    static const char *const preface[] = { "PRI * HTTP/2.0\r\n" };
    return to_server ? any_prefix(d, len, preface, 1, true) : NO;
}

static int detect_tls(const uint8_t *d, uint32_t len)
{
    if (len < 1)
        return MORE;
    if (d[0] == 0x16) {
        if (len < 3)
            return len < 2 || d[1] == 0x03 ? MORE : NO;
        return d[1] == 0x03 && d[2] <= 0x04 ? YES : NO;
    }
    /* SSLv2 record: 2-byte length with the high bit, then CLIENT-HELLO (1)
     * or SERVER-HELLO (4) and a version 0x0002 / 0x03xx */
    if (d[0] & 0x80) {
        if (len < 5)
            return MORE;
        if ((d[2] == 0x01 && (d[3] == 0x03 || (d[3] == 0x00 && d[4] == 0x02))) ||
            (d[2] == 0x04 && len >= 7 && d[5] == 0x00 && d[6] == 0x02))
            return YES;
    }
    return NO;
}

static int detect_ssh(const uint8_t *d, uint32_t len)
{
    static const char *const p[] = { "SSH-" };
    return any_prefix(d, len, p, 1, false);
}

static int detect_smtp(const uint8_t *d, uint32_t len, bool to_server)
{
    static const char *const p[] = { "EHLO", "HELO" };
    if (!to_server)
        return NO;
    return any_prefix(d, len, p, 2, true);
}

static int detect_ftp(const uint8_t *d, uint32_t len, bool to_server)
{
    static const char *const p[] = { "USER ", "PASS ", "PORT ", "FEAT", "AUTH SSL", "AUTH TLS" };
    if (!to_server)
        return NO;
    return any_prefix(d, len, p, sizeof(p) / sizeof(p[0]), true);
}

/* DCE/RPC connection-oriented PDU header (DCE 1.1 RPC, chapter 12.6.3):
 * version 5.0, a packet type, and a data representation whose integer and
 * character formats are known, as Suricata's port-independent probe on
 * "|05 00|" accepts it in either direction. */
#define APP_PROTO_DCERPC 10
#define DCERPC_HEADER_LEN 16
#define DCERPC_PTYPE_MAX 20
static int detect_dcerpc(const uint8_t *d, uint32_t len)
{
    ByteReader r = br_init(d, len);
    uint8_t vers, minor, ptype, flags, drep0, drep1;
    if (!br_u8(&r, &vers) || vers != 5)
        return len == 0 ? MORE : NO;
    if (!br_u8(&r, &minor))
        return MORE;
    if (minor != 0)
        return NO;
    if (!br_has(&r, DCERPC_HEADER_LEN - 2))
        return MORE;
    br_u8(&r, &ptype);
    br_u8(&r, &flags);
    br_u8(&r, &drep0);
    br_u8(&r, &drep1);
    return ptype <= DCERPC_PTYPE_MAX && (drep0 & 0xee) == 0 && drep1 <= 3 ? YES : NO;
}

/* SMB (MS-CIFS section 2.2.3.1, MS-SMB2 sections 2.2.1 and 2.2.41) in its
 * 4-byte NetBIOS session service framing (RFC 1002 section 4.3.1: a
 * message type and a 24-bit length; direct TCP on port 445 uses the same
 * framing, RFC-less, as MS-SMB2 section 2.1 says), as Suricata 8's probe
 * accepts it: a record of a known NBSS type whose payload starts with the
 * SMB1 (0xff), SMB2 (0xfe) or SMB3 transform (0xfd) magic "SMB", or a
 * first NBSS message of another type (a session request on port 139)
 * directly followed by such a record. The probe decides once it has the
 * NBSS header and a 32-byte SMB1 header; SMB itself is not parsed (rules
 * on `smb` flows inspect the packets and the stream). */
#define NBSS_HEADER_LEN 4
#define SMB_PROBE_LEN (NBSS_HEADER_LEN + 32)
#define SMB_MAGIC_LEN 4

static bool nbss_type_known(uint8_t type)
{
    return type == 0x00 /* session message */ || (type >= 0x81 && type <= 0x85); /* request .. keep-alive */
}

/* Whether the n bytes at m start the SMB magic: YES with all four, MORE
 * for a prefix of it. */
static int smb_magic_at(const uint8_t *m, uint32_t n)
{
    if (n == 0)
        return MORE;
    if (m[0] != 0xff && m[0] != 0xfe && m[0] != 0xfd)
        return NO;
    uint32_t k = n < SMB_MAGIC_LEN ? n : SMB_MAGIC_LEN;
    if (memcmp(m + 1, "SMB", k - 1) != 0)
        return NO;
    return k < SMB_MAGIC_LEN ? MORE : YES;
}

/* One NBSS record header at r's cursor: a known type and an SMB payload.
 * *record gets the record's length. */
static bool nbss_smb_record(ByteReader r, bool *known, uint32_t *record)
{
    uint8_t type;
    if (!br_u8(&r, &type) || !br_has(&r, NBSS_HEADER_LEN - 1))
        return false;
    *known = nbss_type_known(type);
    *record = rd_be24(br_cursor(&r));
    br_skip(&r, NBSS_HEADER_LEN - 1);
    return *known && smb_magic_at(br_cursor(&r), (uint32_t)br_remaining(&r)) == YES;
}

static int probe_smb(const uint8_t *d, uint32_t len)
{
    if (len < SMB_PROBE_LEN)
        return MORE;
    ByteReader r = br_init(d, len);
    bool known;
    uint32_t record;
    if (nbss_smb_record(r, &known, &record))
        return YES;
    if (!known || d[0] == 0x00)
        return NO;
    /* a first NetBIOS message, then the SMB record after it */
    br_skip(&r, NBSS_HEADER_LEN);
    if (!br_skip(&r, record))
        return NO;
    return nbss_smb_record(r, &known, &record) ? YES : NO;
}

/* Suricata's port-independent SMB patterns: the magic right after the
 * 4-byte NBSS header, then the probe above. */
static int detect_smb_pattern(const uint8_t *d, uint32_t len)
{
    if (len <= NBSS_HEADER_LEN)
        return MORE;
    int r = smb_magic_at(d + NBSS_HEADER_LEN, len - NBSS_HEADER_LEN);
    return r == YES ? probe_smb(d, len) : r;
}

/* DCE/RPC over UDP: the 80-byte connectionless PDU header (DCE 1.1 RPC,
 * chapter 12.5.3.1) of a request -- version 4, packet type 0, Suricata's
 * "|04 00|" pattern for the client's first datagram -- with known flags2
 * bits and a known data representation, as Suricata's probe accepts it,
 * and a fragment length that is the rest of the datagram (one PDU per
 * datagram, section 12.5.3.1's fraglen in the byte order drep names):
 * without that test a DNS query with ID 0x0400 passes for DCE/RPC, which
 * Suricata 8 no longer lets happen (verify case dns-dcerpc-reversed). */
#define DCERPC_UDP_HEADER_LEN 80
#define DCERPC_UDP_FRAGLEN_AT 74
static int detect_dcerpc_udp(const uint8_t *d, uint32_t len)
{
    if (len < DCERPC_UDP_HEADER_LEN)
        return NO;
    uint8_t vers = d[0], ptype = d[1], flags2 = d[3], drep0 = d[4], drep1 = d[5];
    if (vers != 4 || ptype != 0 || (flags2 & 0xfc) != 0 || (drep0 & 0xee) != 0 || drep1 > 3)
        return NO;
    const bool little_endian = (drep0 & 0x10) != 0;
    uint16_t fraglen = little_endian ? rd_le16(d + DCERPC_UDP_FRAGLEN_AT) : rd_be16(d + DCERPC_UDP_FRAGLEN_AT);
    return (uint32_t)fraglen == len - DCERPC_UDP_HEADER_LEN ? YES : NO;
}

/* The server's greeting on an SMTP port. */
static int detect_smtp_greeting(const uint8_t *d, uint32_t len, uint16_t sp, uint16_t dp)
{
    bool smtp_port = false;
    for (int i = 0; i < 2; i++) {
        uint16_t port = i ? sp : dp;
        smtp_port |= port == 25 || port == 465 || port == 587;
    }
    if (!smtp_port)
        return NO;
    static const char *const p[] = { "220 ", "220-" };
    return any_prefix(d, len, p, 2, false);
}

static bool port_listed(const uint16_t *ports, uint8_t n, uint16_t sp, uint16_t dp)
{
    for (uint8_t i = 0; i < n; i++)
        if (ports[i] == dp || ports[i] == sp)
            return true;
    return false;
}

/* NTP (RFC 5905 section 7.3): the 48-byte header of version 3 or 4, as
 * Suricata's probing parser accepts it; shorter data is not NTP yet. */
#define APP_PROTO_NTP 23
#define NTP_PORT 123
#define NTP_HEADER_LEN 48
static int detect_ntp(const uint8_t *d, uint32_t len)
{
    ByteReader r = br_init(d, len);
    if (!br_has(&r, NTP_HEADER_LEN))
        return MORE;
    uint8_t version = (uint8_t)((rd_u8(br_cursor(&r)) >> 3) & 7); /* LI(2) VN(3) Mode(3) */
    return version == 3 || version == 4 ? YES : NO;
}

/* Telnet (RFC 854) on its detection ports (23 by default), as Suricata 8's
 * probe: any two bytes there are Telnet -- commands and text alike. */
static int detect_telnet(uint32_t len)
{
    return len >= 2 ? YES : MORE;
}

/* IKE on its detection ports (UDP 500 by default): the 28-byte ISAKMP
 * header (RFC 2408 section 3.1, RFC 7296 section 3.1) as Suricata 8's probe
 * accepts it -- any IKEv1 header; an IKEv2 one of version 2.0, exchange
 * type 34-37 (IKE_SA_INIT .. INFORMATIONAL) and a length that is the
 * datagram's. A message without a responder SPI is the initiator's: met
 * going to the client, the flow is reversed. */
#define ISAKMP_HEADER_LEN 28
static int detect_ike(const uint8_t *d, uint32_t len, bool to_server, bool *reverse)
{
    if (len < ISAKMP_HEADER_LEN)
        return NO;
    uint8_t major = d[17] >> 4, minor = d[17] & 0x0f, exchange = d[18];
    if (major != 1 && major != 2)
        return NO;
    if (major == 2 && (minor != 0 || exchange < 34 || exchange > 37 || rd_be32(d + 24) != len))
        return NO;
    static const uint8_t no_spi[8];
    *reverse = !to_server && memcmp(d + 8, no_spi, sizeof(no_spi)) == 0;
    return YES;
}

/* POP3 (RFC 1939) on its detection ports (110 by default), as Suricata 8's
 * probing parser: a server status line starts "+OK" or "-ERR", a client
 * line one of the commands (RFC 1939 sections 5-7, RFC 2449 CAPA, RFC 2595
 * STLS, RFC 5034 AUTH) followed by a space or the end of the line. */
#define APP_PROTO_POP3 27
#define POP3_PORT 110
static int detect_pop3(const uint8_t *d, uint32_t len, bool to_server)
{
    static const char *const replies[] = { "+OK", "-ERR" };
    static const char *const commands[] = {
        "USER", "PASS", "APOP", "STAT", "LIST", "RETR", "DELE", "NOOP",
        "RSET", "QUIT", "TOP",  "UIDL", "CAPA", "STLS", "AUTH",
    };
    const char *const *words = to_server ? commands : replies;
    size_t count = to_server ? sizeof(commands) / sizeof(commands[0]) : 2;
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(words[i]);
        int r = prefix_ci(d, len, words[i]);
        if (r == NO || (!to_server && memcmp(d, words[i], len < n ? len : n) != 0))
            continue;
        if (r == MORE || len == n)
            return MORE;
        uint8_t next = d[n];
        if (next == ' ' || next == '\r' || next == '\n')
            return YES;
    }
    return NO;
}

static int detect_dns(const uint8_t *d, uint32_t len, bool tcp, bool to_server, bool *reverse)
{
    bool resp = false;
    if (tcp) {
        if (len < 2 + DNS_HEADER_LEN)
            return len < 2 || (size_t)((d[0] << 8) | d[1]) >= DNS_HEADER_LEN ? MORE : NO;
        if (!dns_probe_tcp(d, len, &resp))
            return NO;
    } else {
        if (!dns_probe(d, len, len, &resp))
            return NO;
    }
    *reverse = to_server == resp;
    return YES;
}

AppProto app_detect(const AppLayerConfig *cfg, uint8_t ipproto, bool to_server, uint16_t sp, uint16_t dp,
                    const uint8_t *data, uint32_t len, bool *reverse)
{
    *reverse = false;
    bool more = false;
    const bool tcp = ipproto == 6;
    if (tcp) {
        static const struct { AppProto p; int which; } pm[] = {
            { 1, 0 }, { APP_PROTO_HTTP2, 6 }, { 4, 1 }, { 5, 2 }, { 6, 3 }, { 7, 4 }, { APP_PROTO_DCERPC, 5 },
        };
        for (size_t i = 0; i < sizeof(pm) / sizeof(pm[0]); i++) {
            if (!cfg->proto[pm[i].p].tcp_enabled)
                continue;
            int r = NO;
            switch (pm[i].which) {
            case 0: r = detect_http(data, len, to_server); break;
            case 1: r = detect_tls(data, len); break;
            case 2: r = detect_ssh(data, len); break;
            case 3: r = detect_smtp(data, len, to_server); break;
            case 4: r = detect_ftp(data, len, to_server); break;
            case 5: r = detect_dcerpc(data, len); break;
            case 6: r = detect_http2_preface(data, len, to_server); break;
            }
            if (r == YES)
                return pm[i].p;
            if (r == MORE)
                more = true;
        }
        if (!to_server && cfg->proto[6].tcp_enabled) {
            int r = detect_smtp_greeting(data, len, sp, dp);
            if (r == YES)
                return 6;
            if (r == MORE)
                more = true;
        }
        /* another server greeting: wait for the client */
        if (!to_server && (prefix_ci(data, len, "220") != NO))
            more = true;
    }
    const AppProtoConf *h2 = &cfg->proto[APP_PROTO_HTTP2];
    if (tcp && !to_server && h2->tcp_enabled && port_listed(h2->tcp_ports, h2->tcp_port_count, sp, dp)) {
        /* the server's SETTINGS frame, on the detection ports (80) only */
        int r = http2_probe_server(data, len);
        if (r == 1)
            return APP_PROTO_HTTP2;
        if (r == 2)
            more = true;
    }
    const AppProtoConf *sc = &cfg->proto[APP_PROTO_SMB];
    if (tcp && sc->tcp_enabled) {
        /* on the detection ports (139 and 445 by default) the probe alone
         * decides; elsewhere the magic must follow the NBSS header */
        int r = port_listed(sc->tcp_ports, sc->tcp_port_count, sp, dp) ? probe_smb(data, len)
                                                                        : detect_smb_pattern(data, len);
        if (r == YES)
            return APP_PROTO_SMB;
        if (r == MORE)
            more = true;
    }
    const AppProtoConf *tc = &cfg->proto[APP_PROTO_TELNET];
    if (tcp && tc->tcp_enabled && port_listed(tc->tcp_ports, tc->tcp_port_count, sp, dp)) {
        if (detect_telnet(len) == YES)
            return APP_PROTO_TELNET;
        more = true;
    }
    const AppProtoConf *pc = &cfg->proto[APP_PROTO_POP3];
    if (tcp && pc->tcp_enabled &&
        (pc->tcp_port_count ? port_listed(pc->tcp_ports, pc->tcp_port_count, sp, dp) : (sp == POP3_PORT || dp == POP3_PORT))) {
        int r = detect_pop3(data, len, to_server);
        if (r == YES)
            return APP_PROTO_POP3;
        if (r == MORE)
            more = true;
    }
    if (!tcp && to_server && cfg->proto[APP_PROTO_DCERPC].udp_enabled && detect_dcerpc_udp(data, len) == YES)
        return APP_PROTO_DCERPC;
    const AppProtoConf *dc = &cfg->proto[3];
    if ((tcp ? dc->tcp_enabled : dc->udp_enabled) && (tcp ? port_listed(dc->tcp_ports, dc->tcp_port_count, sp, dp)
                            : port_listed(dc->udp_ports, dc->udp_port_count, sp, dp))) {
        int r = detect_dns(data, len, tcp, to_server, reverse);
        if (r == YES)
            return 3;
        if (r == MORE)
            more = true;
    }
    const AppProtoConf *hc = &cfg->proto[APP_PROTO_DHCP];
    if (!tcp && hc->udp_enabled && port_listed(hc->udp_ports, hc->udp_port_count, sp, dp) && dhcp_probe(data, len))
        return APP_PROTO_DHCP;
    const AppProtoConf *ic = &cfg->proto[APP_PROTO_IKE];
    if (!tcp && ic->udp_enabled && port_listed(ic->udp_ports, ic->udp_port_count, sp, dp) &&
        detect_ike(data, len, to_server, reverse) == YES)
        return APP_PROTO_IKE;
    if (!tcp && cfg->proto[APP_PROTO_NTP].udp_enabled && (sp == NTP_PORT || dp == NTP_PORT)) {
        int r = detect_ntp(data, len);
        if (r == YES)
            return APP_PROTO_NTP;
        if (r == MORE)
            more = true;
    }
    return more ? APP_PROTO_UNKNOWN : APP_DETECT_NONE;
}
