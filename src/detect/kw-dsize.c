/*
 * dsize: the size of the packet's payload, as a generic uint: `dsize:0`,
 * `dsize:>100`, `dsize:10<>20`; one per rule. A packet keyword whose
 * verdict depends only on the packet, so identical dsize options of
 * different rules are evaluated once per packet (option-cache.h). The
 * rule-level check that the contents fit is in kw-payload.c.
 */
#include <stdlib.h>

#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/payload-ops.h"
#include "detect/rule-parse.h"

static uint16_t kw_dsize;

uint16_t dsize_keyword_id(void)
{
    return kw_dsize;
}

static bool setup_dsize(RuleParseCtx *rp, Signature *s, const char *value)
{
    const SigMatchList *l = sig_list(s, SIG_LIST_MATCH);
    for (uint16_t i = 0; l && i < l->count; i++)
        if (l->items[i].kw == kw_dsize)
            return rule_error(rp, "Can't use 2 or more dsizes in the same sig");
    char err[256] = "";
    DetectUint *u = dsize_parse(value, err, sizeof(err));
    if (!u)
        return rule_error(rp, "%s", err);
    if (!rule_append(rp, s, SIG_LIST_MATCH, kw_dsize, u)) {
        free(u);
        return false;
    }
    return true;
}

/* Suricata gives a rule whose dsize is !N, >N, >=N or N<>M the "requires a
 * payload" mask, so such a dsize never matches an empty packet even when the
 * value test alone would (dsize:!9 on a bare ACK). */
static bool dsize_requires_payload(const DetectUint *u)
{
    return u->mode == DETECT_UINT_NE || u->mode == DETECT_UINT_GT || u->mode == DETECT_UINT_GTE ||
           u->mode == DETECT_UINT_RANGE;
}

static bool match_dsize(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    if (p->payload_len == 0 && dsize_requires_payload(ctx))
        return false;
    return detect_uint_match(ctx, p->payload_len);
}

void payload_register_dsize(void)
{
    kw_dsize = keyword_register(&(const KeywordDef){
            .name = "dsize",
            .help = "match on the packet payload size: dsize:<n>, <n, >n, n<>m",
            .flags = KW_PACKET_OPTION,
            .setup = setup_dsize,
            .match_packet = match_dsize,
            .free = free,
            .hash = detect_uint_hash,
            .equal = detect_uint_equal,
    });
}
