/*
 * Walking one block of a TPACKET_V3 receive ring (Linux
 * Documentation/networking/packet_mmap.rst): a `tpacket_block_desc` with
 * the number of packets and the offset of the first one, then packets each
 * behind a `tpacket3_hdr` (lengths, timestamp, VLAN tag, offset of the
 * frame, offset of the next packet) and a `sockaddr_ll` (direction).
 *
 * The kernel writes the block, but every offset and length is still checked
 * against the block size here before a byte is read, so a corrupt block
 * ends the walk instead of reading past the ring. Kept apart from the
 * socket code so that it can be fuzzed and unit-tested on plain memory.
 */
#ifndef ODLAR_CAPTURE_AFPACKET_BLOCK_H
#define ODLAR_CAPTURE_AFPACKET_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/time.h"

#define AFP_MAX_FRAME 262144u

typedef struct AfpBlockCursor {
    uint32_t next_off; /* offset in the block of the next packet header */
    uint32_t pkts_left; /* packets not walked yet */
} AfpBlockCursor;

typedef struct AfpFrame {
    const uint8_t *data; /* inside the block */
    uint32_t len; /* captured bytes */
    uint32_t wire_len; /* bytes on the wire */
    OdTime ts;
    bool outgoing; /* sent by this host (PACKET_OUTGOING) */
    bool has_vlan; /* the kernel took an 802.1Q/802.1ad tag off */
    uint16_t vlan_tpid, vlan_tci;
} AfpFrame;

/* Starts walking `block` (block_size bytes). Returns false when even the
 * block descriptor does not fit; the cursor then has no packets. */
bool afp_block_begin(const uint8_t *block, size_t block_size, AfpBlockCursor *c);

/* The next packet: 1 with *f filled, 0 when the block is walked, -1 when
 * the packet's header or bytes do not fit the block (the walk ends). */
int afp_block_next(const uint8_t *block, size_t block_size, AfpBlockCursor *c, AfpFrame *f);

#endif
