/*
 * ipopts: whether the IPv4 header carries an option (RFC 791 section 3.1),
 * named as Suricata names them (rr eol nop ts sec esec lsrr ssrr satid), or
 * any option at all with `any`. Only IPv4 packets match.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "detect/kw-header.h"

void *hdr_parse_ipopts(const char *value, char *err, size_t errlen)
{
    static const struct {
        const char *name;
        uint32_t flag;
    } opts[] = {
        {"rr", IPV4_OPT_FLAG_RR}, {"eol", IPV4_OPT_FLAG_EOL}, {"nop", IPV4_OPT_FLAG_NOP},
        {"ts", IPV4_OPT_FLAG_TS}, {"sec", IPV4_OPT_FLAG_SEC}, {"esec", IPV4_OPT_FLAG_ESEC},
        {"lsrr", IPV4_OPT_FLAG_LSRR}, {"ssrr", IPV4_OPT_FLAG_SSRR}, {"satid", IPV4_OPT_FLAG_SID},
        {"any", 0},
    };
    char name[32];
    const char *p = hdr_skip_ws(value ? value : "");
    size_t n = 0;
    while (*p && !isspace((unsigned char)*p) && n < sizeof(name) - 1)
        name[n++] = *p++;
    name[n] = '\0';
    if (*hdr_skip_ws(p) == '\0') {
        for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
            if (strcasecmp(name, opts[i].name) == 0) {
                HdrIpOpts *c = calloc(1, sizeof(*c));
                if (c == NULL)
                    return NULL;
                c->mask = opts[i].flag;
                c->any = opts[i].flag == 0;
                return c;
            }
        }
    }
    snprintf(err, errlen,
            "invalid ipopts value '%s': expected one of rr, eol, nop, ts, sec, esec, lsrr, ssrr, "
            "satid, any",
            value ? value : "");
    return NULL;
}

bool hdr_match_ipopts(const Packet *p, const void *ctx)
{
    const HdrIpOpts *c = ctx;
    if (!hdr_packet_is_ipv4(p))
        return false;
    if (c->any)
        return p->ip4.opts != 0;
    return (p->ip4.opts & c->mask) == c->mask;
}

HDR_KEYWORD_CALLBACKS(ipopts, HdrIpOpts, hdr_parse_ipopts, hdr_match_ipopts)

void hdr_register_ipopts(void)
{
    ipopts_kw_id = keyword_register(&(const KeywordDef){
            .name = "ipopts",
            .help = "match an IPv4 option: rr eol nop ts sec esec lsrr ssrr satid any",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(ipopts),
    });
}
