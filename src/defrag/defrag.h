/*
 * IP defragmentation (IPv4 RFC 791, IPv6 RFC 8200 section 4.5).
 *
 * Fragments are kept per (src, dst, id, proto[, vlan]) tracker until the
 * datagram is complete, then a new Packet holding the whole datagram is built
 * (`src = PKT_SRC_DEFRAG`, `root` = the completing fragment, link layer fields
 * copied) and handed back to the decoder, which decodes it like any other
 * packet. Overlaps are resolved per the destination's `host-os-policy`
 * (Suricata's default policy `bsd` for hosts it does not name);
 * overlapping fragments raise `ipv4.frag_overlap` / `ipv6.frag_overlap`.
 * Trackers time out after `defrag.timeout` seconds; memory is capped by
 * `defrag.memcap` and the number of trackers/fragments by `defrag.trackers` /
 * `defrag.max-frags`; what a cap refuses is counted.
 *
 * The reassembled packet (what defrag_insert returns) is laid out as
 * Suricata lays it out, so byte counts (flow bytes, packet logging) agree:
 *  - `buf` holds the bytes that came before the IP header in the fragment at
 *    offset 0 (its link layer: Ethernet, VLAN tags, ...; nothing for a
 *    fragment that came out of a tunnel), then the datagram; `l3_off` is
 *    the length of that prefix, `l3_len` the datagram's length, `datalink`
 *    the datalink of that fragment. The decoder decodes it from l3_off
 *    (IP version nibble), not from the datalink;
 *  - IPv4: the header (with options) of the fragment at offset 0, total
 *    length set to header + data, flags/offset field zeroed (DF and MF
 *    cleared, as Suricata does), header checksum updated incrementally
 *    (RFC 1624), so a first fragment whose checksum was wrong yields a
 *    datagram whose checksum is wrong too;
 *  - IPv6: the IPv6 header and the unfragmentable extension headers of the
 *    fragment at offset 0, the fragment header removed, the next-header byte
 *    that named it rewritten to the fragment header's next header, payload
 *    length fixed;
 *  - `ts` of the completing fragment, `pcap_cnt`, `vlan_id`/`vlan_count`,
 *    `has_ether`, the MACs and `ether_type` copied from it, `tunnel_depth`
 *    copied, `src = PKT_SRC_DEFRAG`, `root` = the completing fragment's root
 *    (its `root` when it has one, else the fragment itself), `wire_len = len`;
 *    decoded fields other than l3_off/l3_len are zero: the caller decodes it.
 * The caller owns the returned packet (packet_free).
 *
 * Anomalies go on the fragment `p` with packet_add_event, and the matching
 * `Counters.events[]` entry is bumped as decode_set_event does.
 */
#ifndef ODLAR_DEFRAG_DEFRAG_H
#define ODLAR_DEFRAG_DEFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "decode/packet.h"
#include "engine/counters.h"

/* Overlap policies, named and numbered as Suricata's defrag policies. The
 * policy of a datagram comes from `host-os-policy` (looked up by destination
 * address when its tracker is created), else the default policy (bsd). */
typedef enum DefragPolicy {
    DEFRAG_POLICY_FIRST = 1,
    DEFRAG_POLICY_LAST,
    DEFRAG_POLICY_BSD,
    DEFRAG_POLICY_BSD_RIGHT,
    DEFRAG_POLICY_LINUX,
    DEFRAG_POLICY_WINDOWS,
    DEFRAG_POLICY_SOLARIS,
} DefragPolicy;

const char *defrag_policy_name(DefragPolicy p);

/* One address rule from `host-os-policy` (policy != 0) or from
 * `defrag.host-config` (timeout != 0). Lookups pick the longest matching
 * prefix; on equal prefixes the rule read last wins. */
typedef struct DefragHostRule {
    uint8_t family; /* 4 or 6 */
    uint8_t prefix; /* bits */
    uint8_t addr[16]; /* network address, host bits cleared */
    uint8_t policy; /* DefragPolicy, 0 = this rule says nothing about policy */
    OdTime timeout; /* 0 = this rule says nothing about the timeout */
} DefragHostRule;

/* Config tables have a cap too: rules past it are ignored with a warning. */
#define DEFRAG_MAX_HOST_RULES 256

typedef struct DefragConfig {
    uint64_t memcap; /* bytes, default 32mb */
    uint32_t trackers; /* max trackers, default 65535 */
    uint32_t max_frags; /* max fragments, default 65535 */
    OdTime timeout; /* default 60 s */
    /* Added (extension of the agreed interface): */
    uint32_t hash_size; /* defrag.hash-size, default 65536 buckets */
    bool prealloc; /* defrag.prealloc: read for fidelity; trackers are allocated on demand */
    DefragPolicy default_policy; /* for hosts host-os-policy does not name: bsd */
    uint16_t host_rule_count;
    DefragHostRule host_rules[DEFRAG_MAX_HOST_RULES];
} DefragConfig;

void defrag_config_defaults(DefragConfig *cfg);

/* Reads `defrag.*` (memcap, hash-size, trackers, max-frags, prealloc,
 * timeout, host-config) and `host-os-policy` over the defaults, with
 * Suricata's rules: a null or absent value keeps the default; trackers,
 * max-frags or hash-size of 0 keep the default; a timeout outside 1..86400 s,
 * an unparsable memcap or a bad address is an error (false, message in err),
 * as Suricata refuses to start on those. */
bool defrag_config_read(Conf *c, DefragConfig *cfg, char *err, size_t errlen);

/* Policy and timeout for a datagram sent to `dst`. */
DefragPolicy defrag_config_policy_for(const DefragConfig *cfg, const Address *dst);
OdTime defrag_config_timeout_for(const DefragConfig *cfg, const Address *dst);

typedef struct DefragTable DefragTable;

/* NULL when cfg is unusable (hash-size 0 after defaults) or memory runs out.
 * The table keeps its own copy of cfg and bumps the defrag.* counters in ctr. */
DefragTable *defrag_new(const DefragConfig *cfg, Counters *ctr);
void defrag_free(DefragTable *t);

/* Takes a fragment decoded up to its IP header (p->is_fragment set). Returns a
 * newly allocated packet with the reassembled datagram when this fragment
 * completes one, else NULL. Anomalies are recorded on `p` via the callback-free
 * packet_add_event + counters.
 *
 * Reads from p: ip_version, l3_off/l3_len (the IP header must lie within
 * buf/len), datalink, vlan_id[]/vlan_count, ts, and for IPv6
 * ip6.frag_hdr_offset and ip6.frag_prev_nh_off (0 = find it by walking the
 * extension headers); everything else (addresses, id, offset, MF, lengths,
 * protocol) is read from the IP and fragment header bytes themselves. A
 * packet whose headers do not fit its bytes is ignored (NULL, nothing
 * counted); so is one with offset 0 and no MF (not a fragment, as Suricata's
 * Defrag() returns early), and an IPv6 non-last fragment whose length is not
 * a multiple of 8 (ipv6.frag_invalid_length unless already raised). */
Packet *defrag_insert(DefragTable *t, Packet *p);

/* Drops trackers idle since before now - timeout. Cheap to call per packet:
 * it sweeps at most once per second of packet time. */
void defrag_expire(DefragTable *t, OdTime now);
/* Whether defrag_expire(t, now) would sweep; when false, that call can be
 * left out without changing anything. */
bool defrag_expire_due(const DefragTable *t, OdTime now);

/* Introspection for tests and the stats writer. */
uint32_t defrag_tracker_count(const DefragTable *t);
uint32_t defrag_frag_count(const DefragTable *t);
uint64_t defrag_memuse(const DefragTable *t);

#endif
