/*
 * Port groups: how the signatures of one (IP protocol, direction) group
 * are split by port, the way Suricata 8 splits its TCP and UDP rule groups
 * (RulesGroupByPorts), so a packet's prefilter only holds the rules whose
 * port set can contain the packet's port.
 *
 * Input: for each signature, the port ranges of its key side (to-server:
 * destination ports, to-client: source ports; `any` is 0:65535) and a
 * score saying how much it wants its ports to get a group of their own.
 * Output: a partition of the 65536 ports into at most max_groups "unique"
 * groups plus one catch-all, each with the ascending list of signatures
 * whose ranges overlap it, and a flat port -> group index.
 * The algorithm and its order of preference are described in
 * port-groups.c.
 */
#ifndef ODLAR_DETECT_PORT_GROUPS_H
#define ODLAR_DETECT_PORT_GROUPS_H

#include <stdbool.h>
#include <stdint.h>

/* Suricata's scores (detect-engine-build.c): a range that is exactly one
 * whitelisted port, and the rule-level reasons a rule's ports should be
 * kept apart (the rule would otherwise be a candidate everywhere). */
#define PORT_SCORE_WHITELISTED_PORT 111
#define PORT_SCORE_NO_MPM 99 /* inspects the payload without a fast pattern */
#define PORT_SCORE_ONE_BYTE_MPM 55 /* a 1-byte payload fast pattern */

typedef struct PortGroupBuilder PortGroupBuilder;

/* The ports of one (protocol, direction) split into groups. */
typedef struct PortGroups {
    uint32_t count; /* groups: the unique ones first, then the catch-all if any */
    uint32_t unique; /* how many of them are unique (one port range each) */
    uint32_t **nums; /* per group: signature numbers, ascending */
    uint32_t *sizes; /* per group: how many */
    uint16_t *lo, *hi; /* per unique group: its port range */
    uint16_t *index; /* [65536]: port -> group */
} PortGroups;

PortGroupBuilder *port_group_builder_new(void);
void port_group_builder_free(PortGroupBuilder *b); /* NULL is fine */

/* Signature `num` may match ports lo..hi (inclusive) with rule-level
 * `score` (0, PORT_SCORE_NO_MPM, ...). Call once per range; a signature
 * may have several. False on out of memory. */
bool port_group_add(PortGroupBuilder *b, uint32_t num, uint16_t lo, uint16_t hi, int score);

/* Partitions the ports: at most max_groups unique groups (0: no bound),
 * whitelist[0..wl_count) the ports that count as whitelisted. NULL on out
 * of memory. The builder may be freed afterwards. */
PortGroups *port_groups_build(const PortGroupBuilder *b, uint32_t max_groups, const uint16_t *whitelist,
                              uint32_t wl_count);
void port_groups_free(PortGroups *g); /* NULL is fine */

#endif
