/*
 * The IP-only index: which IP-only rules (reputation lists such as ET's
 * ciarmy, dshield, compromised and botcc sets: addresses, ports and IP
 * keywords only) can match a packet's addresses, without walking them all.
 *
 * ET Open has about 1,200 such rules, each listing tens of addresses;
 * checking all of them on the first packet of every flow direction costs
 * more than the rest of detection. As Suricata's IP-only engine does with
 * its radix trees, the index answers from the addresses: for each rule one
 * side is indexed -- the source or destination set covering fewer IPv4
 * addresses -- and that side's ranges are cut into elementary segments,
 * each listing the rules covering it. A packet looks up its source in the
 * source-side segments and its destination in the destination-side ones;
 * the rules found, plus those that could not be indexed (both sides very
 * wide, `<>` rules, or an IPv6 packet and a side with IPv6 ranges), are the
 * candidates. The full header check still runs on each (detect.c), so the
 * index only has to be a superset.
 */
#ifndef ODLAR_DETECT_PREFILTER_IPONLY_H
#define ODLAR_DETECT_PREFILTER_IPONLY_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"
#include "detect/signature.h"

/* Segments of the IPv4 space on one side. */
typedef struct IpOnlySide {
    uint32_t *starts; /* ascending first address of each segment */
    uint32_t *first; /* per segment: slice of nums */
    uint32_t *count;
    uint32_t nseg;
    uint32_t *nums; /* rule numbers, ascending within a segment */
} IpOnlySide;

typedef struct IpOnlyIndex {
    IpOnlySide side[2]; /* 0: keyed by the packet's source, 1: by its destination */
    uint32_t *always; /* never indexed: candidates on every packet, ascending */
    uint32_t always_count;
    uint32_t *v6; /* indexed, with IPv6 ranges on the indexed side: candidates for IPv6 packets */
    uint32_t v6_count;
    uint32_t rule_count;
} IpOnlyIndex;

/* Builds the index of rules nums[0..count) (ascending). NULL on out of
 * memory. */
IpOnlyIndex *iponly_index_build(Signature *const *sigs, const uint32_t *nums, uint32_t count);
void iponly_index_free(IpOnlyIndex *x);

/* Writes the candidate rules for a packet from src to dst into out
 * (capacity: the index's rule_count), ascending; returns how many. */
uint32_t iponly_index_lookup(const IpOnlyIndex *x, const Address *src, const Address *dst, uint32_t *out);

#endif
