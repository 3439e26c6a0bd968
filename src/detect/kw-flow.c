/*
 * The `flow` keyword: direction and state of the conversation a packet
 * belongs to.
 *
 * Options (comma separated): to_server/from_client, to_client/from_server,
 * established, not_established, stateless, only_stream, no_stream,
 * only_frag, no_frag. Conflicting options are rule errors as in Suricata
 * (to_server with to_client, established with not_established, only_stream
 * with no_stream, only_frag with no_frag), and so is a second flow keyword.
 * Direction and stream options also become signature flags, which the
 * detection engine uses to group rules and to choose between the packet
 * payload and the reassembled stream. "Established" is decided when the
 * packet enters its flow, before the stream stage sees it (as Suricata's
 * FLOW_PKT_ESTABLISHED): TCP, the flow was already in the established state,
 * so the SYN, the SYN/ACK and the bare ACK completing the handshake are all
 * not_established (a packet with data that the stream stage took past the
 * handshake is established); other protocols, packets were seen in both
 * directions.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword-families.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "flow/flow.h"

#define FLOW_OPT_TOSERVER (1u << 0)
#define FLOW_OPT_TOCLIENT (1u << 1)
#define FLOW_OPT_ESTABLISHED (1u << 2)
#define FLOW_OPT_NOT_ESTABLISHED (1u << 3)
#define FLOW_OPT_STATELESS (1u << 4)
#define FLOW_OPT_ONLY_STREAM (1u << 5)
#define FLOW_OPT_NO_STREAM (1u << 6)
#define FLOW_OPT_ONLY_FRAG (1u << 7)
#define FLOW_OPT_NO_FRAG (1u << 8)

typedef struct DetectFlow {
    uint32_t opts;
} DetectFlow;

static uint16_t kw_flow;

static bool flow_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    static const struct { const char *name; uint32_t opt; } names[] = {
        { "to_server", FLOW_OPT_TOSERVER }, { "from_client", FLOW_OPT_TOSERVER },
        { "to_client", FLOW_OPT_TOCLIENT }, { "from_server", FLOW_OPT_TOCLIENT },
        { "established", FLOW_OPT_ESTABLISHED }, { "not_established", FLOW_OPT_NOT_ESTABLISHED },
        { "stateless", FLOW_OPT_STATELESS }, { "only_stream", FLOW_OPT_ONLY_STREAM },
        { "no_stream", FLOW_OPT_NO_STREAM }, { "only_frag", FLOW_OPT_ONLY_FRAG }, { "no_frag", FLOW_OPT_NO_FRAG },
    };
    if (s->flags & SIG_FLAG_FLOW_SET)
        return rule_error(rp, "a rule can have only one flow keyword (combine the options: flow:a,b;)");
    char *copy = strdup(value);
    if (!copy)
        return rule_error(rp, "out of memory");
    uint32_t opts = 0;
    int count = 0;
    char *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        while (isspace((unsigned char)*t))
            t++;
        size_t n = strlen(t);
        while (n && isspace((unsigned char)t[n - 1]))
            t[--n] = '\0';
        uint32_t opt = 0;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
            if (strcmp(names[i].name, t) == 0)
                opt = names[i].opt;
        if (!opt) {
            rule_error(rp, "invalid flow option '%s' (expected to_server, to_client, established, not_established, "
                           "stateless, only_stream, no_stream, only_frag or no_frag)", t);
            free(copy);
            return false;
        }
        if (opts & opt) {
            rule_error(rp, "flow option '%s' given more than once", t);
            free(copy);
            return false;
        }
        opts |= opt;
        count++;
    }
    free(copy);
    if (count == 0)
        return rule_error(rp, "flow needs at least one option");
    if ((opts & FLOW_OPT_TOSERVER) && (opts & FLOW_OPT_TOCLIENT))
        return rule_error(rp, "flow can't be both to_server and to_client");
    if ((opts & FLOW_OPT_ESTABLISHED) && (opts & FLOW_OPT_NOT_ESTABLISHED))
        return rule_error(rp, "flow can't be both established and not_established");
    if ((opts & FLOW_OPT_ONLY_STREAM) && (opts & FLOW_OPT_NO_STREAM))
        return rule_error(rp, "flow can't be both only_stream and no_stream");
    if ((opts & FLOW_OPT_ONLY_FRAG) && (opts & FLOW_OPT_NO_FRAG))
        return rule_error(rp, "flow can't be both only_frag and no_frag");
    DetectFlow *fd = calloc(1, sizeof(*fd));
    if (!fd)
        return rule_error(rp, "out of memory");
    fd->opts = opts;
    s->flags |= SIG_FLAG_FLOW_SET;
    if (opts & FLOW_OPT_TOSERVER)
        s->flags |= SIG_FLAG_TOSERVER;
    if (opts & FLOW_OPT_TOCLIENT)
        s->flags |= SIG_FLAG_TOCLIENT;
    if (opts & FLOW_OPT_ESTABLISHED)
        s->flags |= SIG_FLAG_ESTABLISHED;
    if (opts & FLOW_OPT_NOT_ESTABLISHED)
        s->flags |= SIG_FLAG_NOT_ESTABLISHED;
    if (opts & FLOW_OPT_STATELESS)
        s->flags |= SIG_FLAG_STATELESS;
    if (opts & FLOW_OPT_ONLY_STREAM)
        s->flags |= SIG_FLAG_ONLY_STREAM;
    if (opts & FLOW_OPT_NO_STREAM)
        s->flags |= SIG_FLAG_NO_STREAM;
    if (!rule_append(rp, s, SIG_LIST_MATCH, kw_flow, fd)) {
        free(fd);
        return false;
    }
    return true;
}

/* Whether the packet's flow counts as established (see the file comment). */
static bool packet_flow_established(const Packet *p)
{
    const Flow *f = p->flow;
    if (!f)
        return false;
    /* TCP: a packet with data that completes the handshake (the 3whs ACK
     * carrying a request) counts as established, as in Suricata */
    if (f->proto == 6 && !p->flow_established && p->payload_len > 0)
        return f->tcp != NULL && f->state != FLOW_STATE_NEW;
    return p->flow_established;
}

static bool flow_match(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    const DetectFlow *fd = ctx;
    if ((fd->opts & FLOW_OPT_ONLY_FRAG) && p->src != PKT_SRC_DEFRAG)
        return false;
    if ((fd->opts & FLOW_OPT_NO_FRAG) && p->src == PKT_SRC_DEFRAG)
        return false;
    if (fd->opts & (FLOW_OPT_TOSERVER | FLOW_OPT_TOCLIENT)) {
        if (!p->flow)
            return false;
        if ((fd->opts & FLOW_OPT_TOSERVER) && !p->to_server)
            return false;
        if ((fd->opts & FLOW_OPT_TOCLIENT) && p->to_server)
            return false;
    }
    bool est = packet_flow_established(p);
    if ((fd->opts & FLOW_OPT_ESTABLISHED) && !est)
        return false;
    if ((fd->opts & FLOW_OPT_NOT_ESTABLISHED) && est)
        return false;
    return true;
}

static uint32_t flow_hash(const void *ctx) { return ((const DetectFlow *)ctx)->opts * 2654435761u; }
static bool flow_equal(const void *a, const void *b)
{
    return ((const DetectFlow *)a)->opts == ((const DetectFlow *)b)->opts;
}

void keywords_register_flow(void)
{
    const KeywordDef def = {
        .name = "flow",
        .help = "flow direction and state: to_server, to_client, established, ...",
        .setup = flow_setup,
        .flags = KW_PACKET_OPTION,
        .match_packet = flow_match,
        .free = free,
        .hash = flow_hash,
        .equal = flow_equal,
    };
    kw_flow = keyword_register(&def);
}
