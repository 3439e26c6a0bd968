/*
 * sameip: matches packets whose source and destination address are the
 * same (a classic spoofing sign, e.g. the LAND attack). It takes no value,
 * so every instance is the same option. Pseudo packets never match.
 */
#include <stdlib.h>

#include "detect/kw-header.h"
#include "detect/rule-parse.h"

bool hdr_match_sameip(const Packet *p, const void *ctx)
{
    (void)ctx;
    return hdr_packet_is_ip(p) && address_equal(&p->src_addr, &p->dst_addr);
}

static uint16_t sameip_kw_id;

static bool sameip_setup(struct RuleParseCtx *rp, Signature *s, const char *value)
{
    (void)value;
    return rule_append(rp, s, SIG_LIST_MATCH, sameip_kw_id, NULL) != NULL ? true : rule_error(rp, "out of memory");
}

static bool sameip_match(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    return hdr_match_sameip(p, ctx);
}

/* no options: all instances are equal */
static uint32_t sameip_hash(const void *ctx)
{
    (void)ctx;
    return 0;
}

static bool sameip_equal(const void *a, const void *b)
{
    (void)a;
    (void)b;
    return true;
}

void hdr_register_sameip(void)
{
    sameip_kw_id = keyword_register(&(const KeywordDef){
            .name = "sameip",
            .help = "match packets whose source and destination address are equal",
            .flags = KW_NOOPT | KW_PACKET_OPTION,
            .setup = sameip_setup,
            .match_packet = sameip_match,
            .free = free,
            .hash = sameip_hash,
            .equal = sameip_equal,
    });
}
