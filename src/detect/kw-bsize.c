/*
 * bsize: the length of the sticky buffer it follows, as a generic uint:
 * `http.uri; bsize:<100;`. It decides for the whole buffer, so a failed
 * bsize is never retried at another position (NO_MATCH_DISCONTINUE). The
 * rule-level check that the buffer's contents fit is in kw-payload.c.
 */
#include <stdlib.h>

#include "detect/keyword.h"
#include "detect/kw-payload.h"
#include "detect/payload-ops.h"
#include "detect/rule-parse.h"

static uint16_t kw_bsize;

uint16_t bsize_keyword_id(void)
{
    return kw_bsize;
}

static bool setup_bsize(RuleParseCtx *rp, Signature *s, const char *value)
{
    if (rp->current_list == SIG_LIST_PMATCH)
        return rule_error(rp, "bsize needs a sticky buffer before it (e.g. 'http.uri; bsize:<100;')");
    char err[256] = "";
    DetectUint *u = bsize_parse(value, err, sizeof(err));
    if (!u)
        return rule_error(rp, "%s", err);
    if (!rule_append(rp, s, rp->current_list, kw_bsize, u)) {
        free(u);
        return false;
    }
    return true;
}

static InspectResult inspect_bsize(struct DetectThread *dt, InspectCursor *cur, const Signature *s,
                                   const void *ctx)
{
    cur->retryable = false;
    /* in a window (an HTTP body, an inline frame) the size is the whole
     * buffer's so far: what lies before the window plus the window, as
     * Suricata's buffer_len + stream_start_offset */
    const uint64_t size = (uint64_t)cur->window_base + cur->len;
    return detect_uint_match(ctx, size) ? INSPECT_MATCH : INSPECT_NO_MATCH_DISCONTINUE;
}

void payload_register_bsize(void)
{
    kw_bsize = keyword_register(&(const KeywordDef){
            .name = "bsize",
            .help = "match on the length of the sticky buffer: bsize:<n>, <n, >n, n<>m",
            .setup = setup_bsize,
            .inspect = inspect_bsize,
            .free = free,
    });
}
