/*
 * The Ethernet addresses a flow was seen with (Suricata's MacSet flow
 * storage), for EVE's `ether` object when an eve-log output has
 * `ethernet: yes`: flow records list them as `src_macs`/`dest_macs`, and
 * records written for a packet without an Ethernet header (end-of-flow
 * pseudo packets) take the first pair.
 *
 * Addresses are kept per side of the conversation -- the client's side
 * holds the source address of packets to the server and the destination
 * address of packets to the client -- each side once per address, in the
 * order first seen.
 */
#ifndef ODLAR_FLOW_FLOW_MACS_H
#define ODLAR_FLOW_FLOW_MACS_H

#include <stdbool.h>
#include <stdint.h>

struct Flow;

typedef enum FlowMacSide { FLOW_MAC_CLIENT = 0, FLOW_MAC_SERVER = 1 } FlowMacSide;

typedef struct FlowMacs {
    uint8_t (*addr[2])[6];
    uint32_t count[2], cap[2];
} FlowMacs;

/* Records the Ethernet addresses of a packet of f: `src`/`dst` as in its
 * header, `to_server` its direction. Allocates f->macs on first use;
 * returns false when out of memory (the addresses are then not kept). */
bool flow_macs_add(struct Flow *f, const uint8_t src[6], const uint8_t dst[6], bool to_server);
/* Number of addresses of one side (0 when none were recorded). */
uint32_t flow_macs_count(const struct Flow *f, FlowMacSide side);
/* The i-th address of one side, i < flow_macs_count(). */
const uint8_t *flow_macs_get(const struct Flow *f, FlowMacSide side, uint32_t i);
/* The client's and server's sides change places (flow_swap). */
void flow_macs_swap(struct Flow *f);
void flow_macs_free(struct Flow *f);

#endif
