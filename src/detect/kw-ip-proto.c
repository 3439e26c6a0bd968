/*
 * ip_proto: the IP protocol of the packet, `[!<>]` and a number or an IANA
 * protocol name as EVE prints them: `ip_proto:!TCP`, `ip_proto:<6`,
 * `ip_proto:47`. Pseudo packets never match.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "detect/kw-header.h"
#include "flow/flow.h"

/* Protocol number for a name: the IANA keywords EVE uses (flow_proto_name),
 * case-insensitively, plus a few common spellings. -1 when unknown. */
static int proto_by_name(const char *name)
{
    static const struct {
        const char *name;
        int num;
    } extra[] = {
        {"ip", 0}, {"icmpv6", 58}, {"ipv6-icmp", 58}, {"ipip", 4}, {"ipencap", 4}, {"ipv6-nonxt", 59},
    };
    for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
        if (strcasecmp(name, extra[i].name) == 0)
            return extra[i].num;
    char buf[8];
    for (int i = 0; i < 256; i++) {
        const char *n = flow_proto_name((uint8_t)i, buf, sizeof(buf));
        if (n != buf && strcasecmp(n, name) == 0)
            return i;
    }
    return -1;
}

void *hdr_parse_ip_proto(const char *value, char *err, size_t errlen)
{
    const char *p = hdr_skip_ws(value ? value : "");
    char op = '=';
    if (*p == '!' || *p == '<' || *p == '>') {
        op = *p;
        p = hdr_skip_ws(p + 1);
    }
    char name[64];
    size_t n = 0;
    while (*p && !isspace((unsigned char)*p) && n < sizeof(name) - 1)
        name[n++] = *p++;
    name[n] = '\0';
    p = hdr_skip_ws(p);
    if (n == 0 || *p != '\0') {
        snprintf(err, errlen, "invalid ip_proto value '%s': expected [!<>] and a protocol number or name",
                value ? value : "");
        return NULL;
    }
    long num;
    if (isdigit((unsigned char)name[0])) {
        char *end;
        num = strtol(name, &end, 10);
        if (*end != '\0' || num > 255) {
            snprintf(err, errlen, "invalid ip_proto number '%s': expected 0-255", name);
            return NULL;
        }
    } else {
        num = proto_by_name(name);
        if (num < 0) {
            snprintf(err, errlen, "unknown protocol name '%s' in ip_proto", name);
            return NULL;
        }
    }
    if ((op == '<' && num == 0) || (op == '>' && num == 255)) {
        snprintf(err, errlen, "ip_proto:%c%ld can never match", op, num);
        return NULL;
    }
    HdrIpProto *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->op = op;
    c->proto = (uint8_t)num;
    return c;
}

bool hdr_match_ip_proto(const Packet *p, const void *ctx)
{
    const HdrIpProto *c = ctx;
    if (!hdr_packet_is_ip(p))
        return false;
    switch (c->op) {
    case '<':
        return p->proto < c->proto;
    case '>':
        return p->proto > c->proto;
    case '!':
        return p->proto != c->proto;
    default:
        return p->proto == c->proto;
    }
}

HDR_KEYWORD_CALLBACKS(ip_proto, HdrIpProto, hdr_parse_ip_proto, hdr_match_ip_proto)

void hdr_register_ip_proto(void)
{
    ip_proto_kw_id = keyword_register(&(const KeywordDef){
            .name = "ip_proto",
            .help = "match the IP protocol: [!<>]number-or-name",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(ip_proto),
    });
}
