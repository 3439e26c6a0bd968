/*
 * The `tag` keyword family: `tag:session[,count,metric]` and
 * `tag:host[,count,metric[,src|dst]]` (parsing and the tagging state in
 * tag.c). The option goes on the post-match list; when its rule matches,
 * the packet's flow or host is tagged in the worker's TagTracker, so the
 * packets that follow can be logged as tagged (tag_tracker_packet). A rule
 * may carry several tag options (Suricata's eve-tag tests use
 * `tag:host,...; tag:session;`).
 */
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/tag.h"
#include "flow/flow.h"

static uint16_t kw_tag;

static bool tag_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[256];
    TagSpec spec;
    if (!tag_parse(value, &spec, err, sizeof(err)))
        return rule_error(rp, "%s", err);
    TagSpec *ctx = malloc(sizeof(*ctx));
    if (!ctx)
        return rule_error(rp, "out of memory");
    *ctx = spec;
    if (!rule_append(rp, s, SIG_LIST_POSTMATCH, kw_tag, ctx)) {
        free(ctx);
        return false;
    }
    return true;
}

static void tag_post_match(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    const Flow *f = p->flow;
    tag_tracker_add(tag_tracker_thread(), ctx, s->gid, s->sid, f != NULL, f ? f->flow_id : 0, &p->src_addr,
                    &p->dst_addr, p->ts);
}

static uint32_t tag_hash(const void *ctx)
{
    const TagSpec *t = ctx;
    return ((uint32_t)t->type * 31u + (uint32_t)t->metric * 7u + (uint32_t)t->direction) ^ (t->count * 2654435761u);
}

static bool tag_equal(const void *a, const void *b)
{
    const TagSpec *x = a, *y = b;
    return x->type == y->type && x->metric == y->metric && x->direction == y->direction && x->count == y->count;
}

void keywords_register_tag(void)
{
    static const KeywordDef def = {
        .name = "tag",
        .help = "tag the session or host for more packets after a match: tag:session|host[,count,metric[,src|dst]]",
        .setup = tag_setup,
        .post_match = tag_post_match,
        .free = free,
        .hash = tag_hash,
        .equal = tag_equal,
    };
    kw_tag = keyword_register(&def);
}
