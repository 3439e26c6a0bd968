/*
 * The detection prefilter: which signatures of a packet's group are worth a
 * full inspection.
 *
 * Every signature whose payload list (packet payload / raw stream) holds a
 * usable content gets one fast pattern, chosen the way Suricata 8 does it
 * (prefilter_choose_fast_pattern, prefilter-fp.c). At engine build, each
 * signature group (IP protocol x direction, see detect-engine.h; for TCP
 * and UDP x key port, port-groups.h) gets an MPM
 * database (mpm.h, Hyperscan when usable) of its signatures' fast patterns
 * (a port group: its direction's, with its own hits kept),
 * with the signature number as pattern id, and a sorted list of the
 * signatures without a usable pattern ("non-prefiltered": always
 * candidates). Groups holding the very same signatures (e.g. every protocol
 * other than TCP/UDP/ICMP) share one compiled database. A second, smaller
 * database per group holds only the patterns of packet-only signatures
 * (tcp-pkt, flow:no_stream): on a tracked TCP session those are the only
 * ones that look at the packet payload, everything else looks at the stream.
 *
 * Per packet, prefilter_run() scans the packet payload and the stream
 * window at most once each with the worker's scratch, records per
 * signature which buffer held its pattern (generation stamps: nothing is
 * cleared between packets) and produces the candidate list: the hits merged
 * with the non-prefiltered list (its IP-only rules only on the packets
 * where those run), in ascending signature number, so the
 * detect loop keeps evaluating in signature order. The inspection then asks
 * prefilter_hit() before looking at a buffer; the answer is exactly what the
 * old per-signature memmem gave (the pattern occurs somewhere in it).
 *
 * Threads: a Prefilter is immutable after prefilter_build and shared; each
 * worker owns a PrefilterThread (its own clone of the scratch, which was
 * grown for all databases at build).
 */
#ifndef ODLAR_DETECT_PREFILTER_H
#define ODLAR_DETECT_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"
#include "detect/content.h"
#include "detect/mpm.h"
#include "detect/signature.h"

/* One distinct signature group's prefilter. */
typedef struct PrefilterGroup {
    MpmDb *db; /* fast patterns of the group, or of its parent list for a port group (NULL: none) */
    MpmDb *db_pkt; /* only the packet-only signatures' (NULL: none) */
    uint32_t db_idx, db_pkt_idx; /* their entries in the database pool (owner) */
    uint64_t *member; /* bitset by signature num: the hits kept (NULL: all) */
    uint32_t *nonpf; /* signature nums without a usable pattern, ascending */
    uint32_t nonpf_count;
    uint32_t *iponly; /* the IP-only ones among those (kept apart), ascending */
    uint32_t iponly_count;
    struct IpOnlyIndex *ipx; /* those by address (prefilter-iponly.h); borrowed from the pool */
    uint32_t sig_count; /* signatures in the group */
} PrefilterGroup;

/* A compiled database in the pool, with the signatures whose patterns it
 * holds: groups with the same pattern signatures share it. */
typedef struct PrefilterDb {
    MpmDb *db; /* owned */
    uint32_t *nums; /* ascending */
    uint32_t count;
    uint64_t hash;
} PrefilterDb;

/* An IP-only index shared by the groups with the same IP-only list. */
typedef struct PrefilterIpOnlyShared {
    const uint32_t *nums; /* the list (a group's iponly array) */
    uint32_t count;
    struct IpOnlyIndex *ipx; /* owned */
} PrefilterIpOnlyShared;

typedef struct Prefilter {
    PrefilterGroup *groups; /* distinct groups */
    uint32_t group_count;
    uint32_t group_cap; /* groups allocated */
    PrefilterIpOnlyShared *ipx_pool; /* the distinct IP-only indexes */
    PrefilterDb *db_pool; /* the distinct payload databases */
    uint32_t db_pool_count, db_pool_cap;
    uint32_t ipx_count, ipx_cap;
    uint16_t map[256][2]; /* [proto][dir] -> index into groups */
    /* [0 TCP, 1 UDP][dir]: NULL, or per key port (destination port to the
     * server, source port to the client) the group of that port group */
    uint16_t *port_map[2][2];
    bool *has_fp; /* per signature num: its pattern is in the databases */
    uint32_t sig_count;
    MpmScratch *scratch; /* prototype: grown for every database, cloned per thread */
    struct AppPrefilter *app; /* app-layer rules' databases (prefilter-app.h); owned */
    /* build figures, for the log and the bench */
    uint32_t fp_sigs, nonpf_sigs, db_count;
    double build_seconds;
} Prefilter;

/* A worker's prefilter state. */
typedef struct PrefilterThread {
    MpmScratch *scratch; /* NULL when no database exists */
    uint32_t *stamp_pkt, *stamp_stream; /* per signature num: gen of the last hit */
    uint32_t gen;
    uint32_t *hits; /* scratch: signature nums hit in this run */
    uint32_t hit_count;
    uint32_t *cand; /* candidates of the last run, ascending */
    uint32_t cand_count, cap;
    /* app prefilter (prefilter-app.c): stamps, its candidates, merge space */
    uint32_t *stamp_app;
    uint32_t *app_cand;
    uint32_t app_count;
    uint32_t *merged;
    /* the packet's addresses for the IP-only index (NULL: every IP-only
     * rule is a candidate), set with prefilter_set_addresses */
    const Address *src, *dst;
    uint32_t *ipo; /* scratch: IP-only candidates */
    /* scratch for the app prefilter's transforms (inspect.h InspectBuffer) */
    uint8_t *xform_owned;
    uint32_t xform_cap;
    /* counters (not reset): packets scanned, candidates produced */
    uint64_t runs, candidates;
} PrefilterThread;

/* Chooses s's payload fast pattern as Suricata 8 does and records it in
 * s->fast_pattern / s->fast_pattern_list: the content marked fast_pattern;
 * else among the non-negated contents of the payload list the longest, then
 * the one with the highest pattern strength, then the first. Returns NULL
 * (s->fast_pattern NULL) when the signature has no usable pattern: no
 * payload content, only negated ones, or fast_pattern on a negated one. */
const DetectContent *prefilter_choose_fast_pattern(Signature *s);

/* For a signature that inspects application buffers: the fast pattern is
 * chosen among its buffer lists' contents (an explicit fast_pattern, else
 * the longest, then strongest, then first), recorded with its list in
 * s->fast_pattern_list; without any, the payload choice above applies. */
const DetectContent *prefilter_choose_app_fast_pattern(Signature *s);

/* Suricata's byte-diversity score of a pattern (higher is better). */
uint32_t prefilter_pattern_strength(const uint8_t *pat, uint32_t len);

/* The TCP or UDP groups of one direction split by port (port-groups.h):
 * port p's signature list is list first_list + index[p]. */
typedef struct PrefilterPortSplit {
    const uint16_t *index; /* [65536], NULL: no split */
    uint32_t first_list, list_count;
    /* the whole (protocol, direction) list (ascending), whose databases
     * the port groups scan, keeping their own signatures' hits */
    const uint32_t *parent;
    uint32_t parent_count;
} PrefilterPortSplit;

/* Builds the prefilter for sigs[0..n) (sigs[i]->num == i, fast patterns
 * already chosen). group_nums/group_counts are list_count (512 to 65535)
 * signature lists, each ascending: the first 512 the groups indexed
 * proto * 2 + dir, then the port groups `split` ([0 TCP, 1 UDP][dir], may
 * be NULL) refers to. Identical lists share one built group. On failure returns NULL with a message
 * in err (out of memory only: a database Hyperscan does not compile is
 * built with the naive matcher instead, with a warning). */
struct MpmCache;
/* The databases are compiled by up to `threads` threads, through `cache`
 * (mpm-cache.h; NULL: none). */
Prefilter *prefilter_build(Signature *const *sigs, uint32_t n, const uint32_t *const *group_nums,
                           const uint32_t *group_counts, uint32_t list_count, const PrefilterPortSplit split[2][2],
                           struct MpmCache *cache, unsigned threads, char *err, size_t errlen);
void prefilter_free(Prefilter *pf); /* NULL is fine */

/* pf may be NULL (engine not built yet): pt is then empty and must not be
 * run. False on out of memory. */
bool prefilter_thread_init(PrefilterThread *pt, const Prefilter *pf);
void prefilter_thread_free(PrefilterThread *pt);

/* The addresses of the next packet(s) run, for the IP-only index. */
static inline void prefilter_set_addresses(PrefilterThread *pt, const Address *src, const Address *dst)
{
    pt->src = src;
    pt->dst = dst;
}

/* The group of a packet of IP protocol `proto`, direction `dir` (0 to
 * server) and key port `port` (the destination port to the server, the
 * source port to the client; TCP and UDP only). */
static inline const PrefilterGroup *prefilter_group_for(const Prefilter *pf, uint8_t proto, int dir, uint16_t port)
{
    dir = dir ? 1 : 0;
    if (proto == 6 || proto == 17) {
        const uint16_t *pm = pf->port_map[proto == 17][dir];
        if (pm)
            return &pf->groups[pm[port]];
    }
    return &pf->groups[pf->map[proto][dir]];
}

/* Runs the prefilter of group [proto][dir] for one packet -- for TCP and
 * UDP the port group of `port` (the destination port to the server, the
 * source port to the client) when split: scans `pkt`
 * (the packet payload, NULL/0 when not inspected) and `stream` (the stream
 * window, NULL/0 when none); `tcp_session` says the packet belongs to a
 * tracked TCP session, where only packet-only signatures look at `pkt`.
 * `iponly` says whether IP-only rules run on this packet (first packet of
 * the direction); when false they are left out of the candidates. Fills
 * pt->cand/pt->cand_count (ascending signature nums) and returns the
 * count. */
uint32_t prefilter_run(const Prefilter *pf, PrefilterThread *pt, uint8_t proto, int dir, uint16_t port,
                       const uint8_t *pkt, uint32_t pkt_len, const uint8_t *stream, uint32_t stream_len,
                       bool tcp_session, bool iponly);

/* Adds to the candidates of the last prefilter_run the app-layer rules
 * the app prefilter finds for flow f (prefilter-app.h), keeping them
 * ascending. Returns the new count. */
struct Flow;
uint32_t prefilter_run_app(const Prefilter *pf, PrefilterThread *pt, struct Flow *f, int dir);

/* For the last run: may signature `num` match on the packet payload
 * (stream false) / the stream window (stream true)? True when the
 * signature has no fast pattern, else when its pattern occurred there. */
static inline bool prefilter_hit(const Prefilter *pf, const PrefilterThread *pt, uint32_t num, bool stream)
{
    if (!pf->has_fp[num])
        return true;
    return (stream ? pt->stamp_stream[num] : pt->stamp_pkt[num]) == pt->gen;
}

#endif
