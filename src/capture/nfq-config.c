/*
 * The `nfq:` section of a suricata.yaml, read the way Suricata 8 reads it:
 *
 *   nfq:
 *     mode: accept          # accept | repeat | route
 *     repeat-mark: 1        # repeat: mark set on the packet (under repeat-mask)
 *     repeat-mask: 1
 *     route-queue: 2        # route: queue the packet goes to next
 *     batchcount: 20        # accept verdicts sent in one message
 *     fail-open: yes        # kernel accepts when the queue is full
 *
 * The queue numbers themselves come from the command line (`-q N`, once per
 * queue), as in Suricata. Kept apart from nfq.c so that it builds (and is
 * tested) without libnetfilter_queue.
 */
#include "capture/live.h"

#include <stdio.h>
#include <string.h>

/* Reads a non-negative integer `nfq.<key>` no larger than max. */
static bool read_nfq_uint(Conf *conf, const char *key, uint64_t max, uint32_t *out, char *err, size_t errlen)
{
    char path[64];
    snprintf(path, sizeof(path), "nfq.%s", key);
    if (!conf_node(conf, path))
        return true;
    int64_t v = 0;
    if (!conf_get_int(conf, path, &v) || v < 0 || (uint64_t)v > max) {
        snprintf(err, errlen, "%s: expected a number from 0 to %llu", path, (unsigned long long)max);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

bool nfq_options_read(Conf *conf, LiveOptions *opt, char *err, size_t errlen)
{
    NfqOptions *n = &opt->nfq;
    opt->kind = LIVE_NFQ;
    n->mode = NFQ_MODE_ACCEPT;
    n->repeat_mark = 1;
    n->repeat_mask = 1;
    n->route_queue = 0;
    n->fail_open = false;
    n->batchcount = 1;
    const char *mode = NULL;
    if (conf_get_str(conf, "nfq.mode", &mode) && mode) {
        if (strcmp(mode, "accept") == 0)
            n->mode = NFQ_MODE_ACCEPT;
        else if (strcmp(mode, "repeat") == 0)
            n->mode = NFQ_MODE_REPEAT;
        else if (strcmp(mode, "route") == 0)
            n->mode = NFQ_MODE_ROUTE;
        else {
            snprintf(err, errlen, "nfq.mode: expected accept, repeat or route, got '%s'", mode);
            return false;
        }
    }
    uint32_t route = 0;
    if (!read_nfq_uint(conf, "repeat-mark", UINT32_MAX, &n->repeat_mark, err, errlen) ||
        !read_nfq_uint(conf, "repeat-mask", UINT32_MAX, &n->repeat_mask, err, errlen) ||
        !read_nfq_uint(conf, "route-queue", UINT16_MAX, &route, err, errlen) ||
        !read_nfq_uint(conf, "batchcount", 1000, &n->batchcount, err, errlen) ||
        !read_nfq_uint(conf, "queue-maxlen", 1u << 24, &n->queue_maxlen, err, errlen))
        return false;
    n->route_queue = (uint16_t)route;
    if (n->batchcount == 0)
        n->batchcount = 1;
    if (n->mode == NFQ_MODE_ROUTE && !conf_node(conf, "nfq.route-queue")) {
        snprintf(err, errlen, "nfq.mode route needs nfq.route-queue");
        return false;
    }
    if (conf_node(conf, "nfq.fail-open") && !conf_get_bool(conf, "nfq.fail-open", &n->fail_open)) {
        snprintf(err, errlen, "nfq.fail-open: expected yes or no");
        return false;
    }
    snprintf(opt->iface, sizeof(opt->iface), "NFQ#%u", n->queue_count ? n->queues[0] : 0);
    opt->threads = n->queue_count;
    return true;
}
