/*
 * Reject replies (Suricata's `reject`, `rejectsrc`, `rejectdst`,
 * `rejectboth` actions): the packet that tells a peer its connection or
 * datagram was refused, built from the decoded packet the rule matched.
 *
 * TCP gets a reset (RFC 9293 section 3.10.7): towards the packet's source
 * it comes "from" the destination with the sequence number the source
 * expects next (the packet's acknowledgment number) and acknowledges the
 * packet; towards the destination it carries the packet's own sequence
 * number, the one the destination expects since the packet was dropped.
 * Linux accepts a reset only when its sequence number is exactly the next
 * expected one (RFC 5961 section 3.2), which both are. Other protocols get
 * an ICMP destination unreachable towards the source (RFC 792; ICMPv6
 * RFC 4443 section 3.1): port unreachable for UDP, host (IPv6: address)
 * unreachable otherwise, quoting the start of the packet. No reply is made
 * to a reset, to an ICMP error, to a multicast or broadcast packet (ICMP),
 * or to a fragment that is not the first.
 *
 * reject-verdict.c sends what is built here; this file only writes bytes.
 */
#ifndef ODLAR_ENGINE_REJECT_H
#define ODLAR_ENGINE_REJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"
#include "detect/signature.h"

/* Bytes a reply can take (an IPv6 header, ICMPv6 header, quoted packet). */
#define REJECT_MAX_LEN 1280u

/* The sides a reject action answers; false for an action that is no reject. */
bool reject_action_sides(SigAction action, bool *to_source, bool *to_destination);

/* Writes the reply to `p` (an IP packet, header first) going towards its
 * source or its destination into out[cap]. Returns its length, or 0 when no
 * reply is due (see above) or `p` is not IPv4/IPv6. */
size_t reject_build(const Packet *p, bool towards_source, uint8_t *out, size_t cap);

#endif
