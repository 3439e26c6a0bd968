/*
 * Which worker gets a packet: a light look at the raw bytes, taken by every
 * worker for every packet it reads (worker-feed.h).
 *
 * With several workers each flow must be handled by one worker only, and so
 * must everything that joins packets of different flows in the decoder and
 * flow stages: IPv4/IPv6 fragments and the datagram rebuilt from them (whose
 * ports only the reassembled packet shows), tunnel payloads (decoded by the
 * worker of the outer packet) and ICMPv4 errors (which join the flow of the
 * packet they quote). So the choice hashes only the outermost IP address
 * pair -- for an ICMPv4 error, the quoted packet's pair -- symmetrically, so
 * both directions agree. The hash is fixed and unseeded: runs are
 * reproducible. Packets without an IP header that can be found (ARP, unknown
 * link types, cut packets) all go to worker 0.
 *
 * Link layers understood: Ethernet with any number of 802.1Q/802.1ad tags
 * and PPPoE sessions, Linux cooked v1/v2, BSD loopback (NULL/LOOP), raw IP.
 */
#ifndef ODLAR_ENGINE_WORKER_SELECT_H
#define ODLAR_ENGINE_WORKER_SELECT_H

#include <stddef.h>
#include <stdint.h>

/* The flow-spreading hash of a captured frame of link type `datalink`; 0 when
 * no IP header was found. */
uint32_t worker_select_hash(const uint8_t *data, size_t len, int datalink);

/* The worker (0 .. workers-1) for the frame by hash alone. The offline
 * workers instead hand the hash to the load-aware table of
 * worker-balance.h, which keeps each pair on the worker it first gave it;
 * this stateless choice serves the tests and the fuzzer of the hash. */
uint32_t worker_select(const uint8_t *data, size_t len, int datalink, uint32_t workers);

#endif
