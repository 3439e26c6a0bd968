/*
 * The `ftpbounce` keyword: matches a client packet of an FTP session
 * whose payload is a PORT command naming another host than the client
 * (check in ftpbounce.c). As in Suricata, it applies to flows detected as
 * FTP only and compares with the flow's client (source) address; the
 * address is IPv4, so IPv6 sessions never match.
 */
#include <string.h>

#include "detect/app-proto.h"
#include "detect/ftpbounce.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "flow/flow.h"

static uint16_t kw_ftpbounce;
static AppProto ftp_proto;

static bool ftpbounce_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    (void)value;
    if (ftp_proto == APP_PROTO_UNKNOWN)
        return rule_error(rp, "ftpbounce: the ftp protocol is not known");
    if (s->app_proto != APP_PROTO_UNKNOWN && s->app_proto != ftp_proto)
        return rule_error(rp, "ftpbounce needs protocol 'ftp', which conflicts with the rule's protocol");
    return rule_append(rp, s, SIG_LIST_MATCH, kw_ftpbounce, NULL) != NULL;
}

static bool ftpbounce_match(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    (void)ctx;
    const Flow *f = p->flow;
    if (!f || f->app_proto != ftp_proto || !p->to_server || p->payload_len == 0)
        return false;
    const Address *client = &f->src;
    if (client->family != 4)
        return false;
    return ftpbounce_check(packet_payload(p), p->payload_len, client->addr);
}

void keywords_register_ftpbounce(void)
{
    static const KeywordDef def = {
        .name = "ftpbounce",
        .help = "FTP PORT command naming another host than the client (FTP bounce)",
        .flags = KW_NOOPT,
        .setup = ftpbounce_setup,
        .match_packet = ftpbounce_match,
    };
    kw_ftpbounce = keyword_register(&def);
    const AppProtoInfo *ftp = app_proto_by_name("ftp");
    ftp_proto = ftp ? ftp->id : APP_PROTO_UNKNOWN;
}
