/*
 * Flow keys: what identifies a packet's flow, how it is hashed, how it is
 * compared with a flow, and the flow_id derived from it. Internal to
 * src/flow; flow-table.c is its only user.
 *
 * The rules are Suricata 8's (flow-hash.c):
 *  - TCP, UDP, SCTP and other protocols: protocol, both addresses, both
 *    ports, tunnel depth, VLAN ids when tracked. Either direction matches.
 *  - ICMPv4: the addresses and the pair (type, counterpart type) instead of
 *    ports, so an echo reply (0, 8) finds the flow of its request (8, 0);
 *    types without a counterpart pair with 0. The ICMP id is not part of it.
 *  - ICMPv4 errors (types 3, 4, 5, 11, 12) never start a flow. A
 *    destination unreachable whose quoted datagram decode could read
 *    (Packet.icmp_emb_*, TCP or UDP) looks up that datagram's flow instead.
 *  - ICMPv6: the addresses only (Suricata compares the ports, which its
 *    decoder leaves at zero for ICMPv6).
 *  - ESP: source and destination in that order plus the SPI, so each
 *    direction of an IPsec SA is its own flow.
 * The hash is symmetric (addresses sorted, ports sorted), fixed and
 * unseeded so flow ids are reproducible.
 */
#ifndef ODLAR_FLOW_FLOW_KEY_H
#define ODLAR_FLOW_FLOW_KEY_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"
#include "flow/flow.h"
#include "util/time.h"

typedef enum FlowKeyKind {
    FLOW_KEY_PORTS = 0,
    FLOW_KEY_ICMP4_TYPES,
    FLOW_KEY_ESP,
} FlowKeyKind;

typedef struct FlowKey {
    Address src, dst;
    uint16_t sp, dp;
    uint8_t proto;
    uint8_t recursion;
    uint8_t kind; /* FlowKeyKind */
    uint8_t icmp_s, icmp_d; /* ICMPv4: type and counterpart type */
    uint16_t vlan[PACKET_MAX_VLANS]; /* zero when VLANs are not tracked */
    uint32_t spi;
    uint64_t hash;
} FlowKey;

typedef enum FlowKeyUse {
    FLOW_KEY_NONE = 0, /* the packet gets no flow */
    FLOW_KEY_CREATE, /* find its flow or create one */
    FLOW_KEY_LOOKUP_ONLY, /* join an existing flow, never create (ICMP errors) */
} FlowKeyUse;

/* Builds the key of `p` (hash included). */
FlowKeyUse flow_key_from_packet(const Packet *p, bool vlan_tracking, bool recursion_tracking, FlowKey *k);

/* Whether `f` is the flow of key `k` (either direction where symmetric). */
bool flow_key_match(const Flow *f, const FlowKey *k);

/* Copies the key into a fresh flow: addresses, ports, protocol, VLANs,
 * tunnel depth, ICMP types, SPI, hash. */
void flow_key_to_flow(const FlowKey *k, const Packet *p, Flow *f);

/* 51-bit id from a key hash and the flow's start time; never 0. */
uint64_t flow_id_make(uint64_t hash, OdTime start);

/* Counterpart ICMP types (request <-> reply), -1 when there is none. */
int flow_icmp4_counterpart(uint8_t type);
int flow_icmp6_counterpart(uint8_t type);

bool flow_address_equal(const Address *a, const Address *b);

#endif
