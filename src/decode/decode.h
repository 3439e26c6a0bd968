/*
 * Packet decoding: from the capture's link layer down to the transport
 * header and payload.
 *
 * `decode_packet` walks the layers of one packet, filling in the Packet's
 * fields, bumping the `decoder.*` counters and recording anomalies as
 * DecodeEvents on the packet (and in the counters). Each layer lives in its
 * own file (decode-ethernet.c, decode-ipv4.c, ...), reads only through
 * util/bytes.h and cites its RFC. Packets derived from the one being decoded
 * -- the inner packet of a tunnel, a datagram completed by IP defragmentation
 * -- are allocated by the decoder and appended to `DecodeThread.derived`; the
 * engine processes them right after the packet that produced them.
 *
 * Derived packets arrive fully decoded. As in Suricata, a tunnel's inner
 * packet is decoded the moment the tunnel is found, because whether it is
 * kept depends on that decode: an inner packet whose decoder fails (and a
 * Teredo candidate that turns out invalid) is dropped and its anomalies are
 * not counted. A datagram completed by defrag_insert() is decoded from its IP
 * header the same way. The packets are appended in the order Suricata queues
 * them (an inner packet's own derived packets come before it), each marked
 * `decoded`, so calling decode_packet() on one again does nothing. Suricata
 * runs these packets through flow/detect/output *before* the packet that
 * produced them continues past decoding; an engine that wants the same EVE
 * order must do likewise.
 *
 * A tunnel packet holds: `buf` starting at the inner IP header (or the
 * inner Ethernet/PPP/VLAN/ARP header, per tunnel type), `datalink`
 * LINKTYPE_RAW, `src` names the tunnel ("gre tunnel", "ipv4 tunnel", ...),
 * `root` is the wire packet, `tunnel_depth` is one more than the parent's,
 * `ts` is the parent's and `pcap_cnt` is 0 as in Suricata (use root's). The
 * parent's MAC addresses are copied (`has_ether` stays false unless the
 * tunnel carries Ethernet); VLAN ids are *not* copied, as Suricata does not
 * copy them into tunnel packets (they are not part of the inner flow's key).
 * A reassembled datagram is built by defrag (see defrag.h); decoding starts
 * at its `l3_off`.
 *
 * Counters: decode_packet() bumps decoder.pkts, decoder.bytes,
 * decoder.avg_pkt_size (sum of lengths; stats divide by decoder.pkts) and
 * decoder.max_pkt_size for wire packets only, and decoder.invalid for wire
 * packets only (Suricata counts it when the capture's decoder returns, never
 * for tunnel or reassembled packets). Per-layer counters (decoder.ipv4,
 * decoder.tcp, ...) count every layer decoded, inner packets included.
 */
#ifndef ODLAR_DECODE_DECODE_H
#define ODLAR_DECODE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"
#include "engine/counters.h"

struct DefragTable;

typedef struct DecodeConfig {
    /* checksum validation (-k / pcap-file.checksum-checks): when false a bad
     * checksum is not looked at */
    bool checksum_validate;
    /* "auto" (pcap-file.checksum-checks default): validation starts on and
     * the reader may turn it off (checksum-auto.h) */
    bool checksum_auto;
    /* decoder.max-layers (Suricata default 16) */
    int max_layers;
    /* vlan.use-for-tracking: VLAN ids take part in the flow key */
    bool vlan_use_for_tracking;
    /* decoder.teredo.enabled etc. */
    bool teredo_enabled;
    bool vxlan_enabled;
    bool geneve_enabled;
    /* decoder.{teredo,vxlan,geneve}.ports: up to 4 each (Suricata's limit);
     * teredo_ports_any (ports "any" or none configured for Teredo) tries
     * every UDP packet. Defaults: Teredo 3544, VXLAN 4789 (destination port
     * only), Geneve 6081. decode_config_defaults() fills these. */
    bool teredo_ports_any;
    uint16_t teredo_ports[4], vxlan_ports[4], geneve_ports[4];
    uint8_t teredo_port_count, vxlan_port_count, geneve_port_count;
} DecodeConfig;

void decode_config_defaults(DecodeConfig *cfg);

#define DECODE_MAX_DERIVED 16

/* One worker's decoder state. cfg and ctr are required. */
typedef struct DecodeThread {
    const DecodeConfig *cfg;
    Counters *ctr;
    struct DefragTable *defrag; /* may be NULL: fragments are then not reassembled */
    Packet *derived[DECODE_MAX_DERIVED];
    int derived_count;
    /* derived packets freed because `derived` was full (not in stats) */
    uint64_t derived_dropped;
} DecodeThread;

/* Link types decode_packet() decodes (the ones Suricata's pcap-file source
 * accepts, plus DLT_LOOP). Suricata refuses a capture of another type when
 * it opens it; decode_packet() leaves such packets alone and uncounted. */
bool decode_datalink_supported(int datalink);

/* Decodes `p` from its datalink type. Never fails: a packet that cannot be
 * decoded is marked `invalid` (counted in decoder.invalid) and carries the
 * event that says why. */
void decode_packet(DecodeThread *dt, Packet *p);

/* Records an anomaly on the packet and bumps its counter (too_many_layers
 * also bumps decoder.too_many_layers). An event that does not fit on the
 * packet any more is dropped and not counted, as in Suricata. */
void decode_set_event(DecodeThread *dt, Packet *p, DecodeEvent ev);

/* The ICMP type that answers `type` (echo 8 <-> echo reply 0, ...) for
 * proto 1 (ICMPv4) or 58 (ICMPv6), -1 when the type has no counterpart. The
 * flow stage uses it for EVE's response_icmp_type. */
int decode_icmp_counterpart(uint8_t proto, uint8_t type);

/* Checksum checks on a decoded packet, whatever cfg->checksum_validate says
 * (the capture's checksum "auto" mode samples with them): true when the IPv4
 * header checksum / the TCP, UDP, ICMP or ICMPv6 checksum is right, or when
 * there is nothing to check (no such header, fragment, UDP checksum 0). */
bool decode_ipv4_checksum_ok(const Packet *p);
bool decode_l4_checksum_ok(const Packet *p);
/* Rewrites the TCP checksum of p after its payload was changed (an inline
 * stream overlap replaced it with the data already in the stream). */
void decode_tcp_checksum_update(Packet *p);

#endif
