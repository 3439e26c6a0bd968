/*
 * Application-layer protocol detection, as Suricata's app-layer-detect-proto
 * does it: first the port-independent patterns on the first bytes of a
 * direction (HTTP request methods and "HTTP/1." replies, the TLS record
 * header 0x16 0x03 and the SSLv2 client hello, "SSH-", SMTP's EHLO/HELO,
 * FTP's USER/PASS/PORT/FEAT/AUTH commands), then the probing parsers bound
 * to the detection ports (DNS on port 53 by default, UDP and TCP; NTP on
 * UDP port 123, known by name only, without a parser). A server
 * greeting ("220 " or "220-", RFC 5321 section 4.2) on one of the SMTP
 * ports (25, 465, 587) makes the flow SMTP, as Suricata's server-side SMTP
 * probe does; elsewhere it decides nothing by itself and detection waits
 * for the client. Each check answers match, no match, or "need more
 * bytes".
 */
#include "app/app-layer.h"

#include <ctype.h>
#include <string.h>

#include "app/dns/dns.h"
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
            { 1, 0 }, { 4, 1 }, { 5, 2 }, { 6, 3 }, { 7, 4 },
        };
        for (size_t i = 0; i < sizeof(pm) / sizeof(pm[0]); i++) {
            if (!cfg->proto[pm[i].p].enabled)
                continue;
            int r = NO;
            switch (pm[i].which) {
            case 0: r = detect_http(data, len, to_server); break;
            case 1: r = detect_tls(data, len); break;
            case 2: r = detect_ssh(data, len); break;
            case 3: r = detect_smtp(data, len, to_server); break;
            case 4: r = detect_ftp(data, len, to_server); break;
            }
            if (r == YES)
                return pm[i].p;
            if (r == MORE)
                more = true;
        }
        if (!to_server && cfg->proto[6].enabled) {
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
    const AppProtoConf *dc = &cfg->proto[3];
    if (dc->enabled && (tcp ? port_listed(dc->tcp_ports, dc->tcp_port_count, sp, dp)
                            : port_listed(dc->udp_ports, dc->udp_port_count, sp, dp))) {
        int r = detect_dns(data, len, tcp, to_server, reverse);
        if (r == YES)
            return 3;
        if (r == MORE)
            more = true;
    }
    if (!tcp && cfg->proto[APP_PROTO_NTP].enabled && (sp == NTP_PORT || dp == NTP_PORT)) {
        int r = detect_ntp(data, len);
        if (r == YES)
            return APP_PROTO_NTP;
        if (r == MORE)
            more = true;
    }
    return more ? APP_PROTO_UNKNOWN : APP_DETECT_NONE;
}
