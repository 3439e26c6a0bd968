/*
 * Community ID flow hashing, version 1 (the Community ID specification,
 * github.com/corelight/community-id-spec), as EVE's `community_id` field
 * when the eve-log option `community-id: yes` is set (`community-id-seed`,
 * default 0).
 *
 * The value is "1:" and the base64 of the SHA-1 of: the seed (16 bits,
 * network order), the two addresses, the IP protocol, one zero byte, and
 * the two ports (network order) -- each endpoint's address and port kept
 * together, the smaller endpoint (address, then port) first, so both
 * directions give the same ID. For ICMP and ICMPv6 the "ports" are the type
 * and code; a request/reply type pair (echo, timestamp, neighbour
 * solicitation, ...) uses the counterpart type in place of the code and is
 * ordered like a port pair, other ICMP messages keep their direction.
 */
#ifndef ODLAR_OUTPUT_COMMUNITY_ID_H
#define ODLAR_OUTPUT_COMMUNITY_ID_H

#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"

/* "1:<28 base64 characters>" and a NUL. */
#define COMMUNITY_ID_LEN 31

/* Writes the ID of the flow (src, sp) -> (dst, dp) over IP protocol
 * `proto` into out; for ICMP sp/dp are the type and code. False when the
 * addresses are not both IPv4 or both IPv6. */
bool community_id(uint16_t seed, const Address *src, const Address *dst, uint8_t proto, uint16_t sp,
                  uint16_t dp, char out[COMMUNITY_ID_LEN + 1]);

#endif
