/*
 * What the layer decoders of this folder share, and nothing else includes.
 *
 * Each layer decoder has the shape
 *
 *     int decode_<layer>(DecodeCtx *c, uint32_t off, uint32_t len);
 *
 * and decodes the `len` bytes of c->p->buf that start at `off`. The caller
 * guarantees off + len <= c->p->len; a decoder reads only inside that window,
 * through util/bytes.h. It returns DECODE_OK, or DECODE_FAILED when the layer
 * could not be decoded -- the same outcomes Suricata's TM_ECODE_OK and
 * TM_ECODE_FAILED report, which decide whether a tunnel's inner packet is
 * kept. Anomalies go through dc_event() (recorded, packet stays valid) or
 * dc_invalid() (recorded and the packet is marked invalid), mirroring
 * Suricata's ENGINE_SET_EVENT and ENGINE_SET_INVALID_EVENT.
 *
 * DecodeCtx carries what one packet's decode needs besides the bytes: the
 * thread (config, counters, derived list), the layer count that
 * decoder.max-layers caps (it carries over into tunnel packets), and the PPP
 * "VJ uncompressed" flag the IPv4 decoder looks at.
 */
#ifndef ODLAR_DECODE_DECODE_INTERNAL_H
#define ODLAR_DECODE_DECODE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/decode.h"
#include "decode/packet.h"
#include "engine/counters.h"
#include "util/bytes.h"

#define DECODE_OK 0
#define DECODE_FAILED (-1)

typedef struct DecodeCtx {
    DecodeThread *dt;
    Packet *p;
    uint8_t layers; /* Suricata's nb_decoded_layers */
    bool ppp_vj_ucomp;
} DecodeCtx;

/* IP protocol numbers used across the decoders. */
#define IPPROTO_NUM_HOPOPTS 0
#define IPPROTO_NUM_ICMP 1
#define IPPROTO_NUM_IPIP 4
#define IPPROTO_NUM_TCP 6
#define IPPROTO_NUM_UDP 17
#define IPPROTO_NUM_IPV6 41
#define IPPROTO_NUM_ROUTING 43
#define IPPROTO_NUM_FRAGMENT 44
#define IPPROTO_NUM_GRE 47
#define IPPROTO_NUM_ESP 50
#define IPPROTO_NUM_AH 51
#define IPPROTO_NUM_ICMPV6 58
#define IPPROTO_NUM_NONE 59
#define IPPROTO_NUM_DSTOPTS 60
#define IPPROTO_NUM_SCTP 132
#define IPPROTO_NUM_MH 135
#define IPPROTO_NUM_HIP 139
#define IPPROTO_NUM_SHIM6 140

/* Ethertypes (IEEE registry) the decoders dispatch on. */
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_BRIDGE 0x6558 /* transparent Ethernet bridging (GRE, Geneve) */
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_MPLS_UNICAST 0x8847
#define ETHERTYPE_MPLS_MULTICAST 0x8848
#define ETHERTYPE_PPPOE_DISC 0x8863
#define ETHERTYPE_PPPOE_SESS 0x8864
#define ETHERTYPE_8021AD 0x88a8
#define ETHERTYPE_ERSPAN 0x88be
#define ETHERTYPE_8021AH 0x88e7
#define ETHERTYPE_DCE 0x8903
#define ETHERTYPE_VNTAG 0x8926
#define ETHERTYPE_NSH 0x894f
#define ETHERTYPE_8021QINQ 0x9100

#define ETHERNET_HEADER_LEN 14
#define IPV4_HEADER_LEN 20
#define IPV6_HEADER_LEN 40
#define TCP_HEADER_LEN 20
#define UDP_HEADER_LEN 8

/* Records `ev` on the packet being decoded. */
static inline void dc_event(DecodeCtx *c, DecodeEvent ev)
{
    decode_set_event(c->dt, c->p, ev);
}

/* Records `ev` and marks the packet invalid. */
static inline void dc_invalid(DecodeCtx *c, DecodeEvent ev)
{
    c->p->invalid = true;
    decode_set_event(c->dt, c->p, ev);
}

static inline void dc_count(DecodeCtx *c, CounterId id)
{
    ctr_inc(c->dt->ctr, id);
}

/* Counts one more decoded layer; past decoder.max-layers the packet is
 * invalid (too_many_layers) and the caller must stop with DECODE_FAILED. */
bool dc_layer(DecodeCtx *c);

static inline const uint8_t *dc_data(const DecodeCtx *c, uint32_t off)
{
    return c->p->buf + off;
}

/* Link layers. */
int decode_ethernet(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_sll(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_sll2(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_null(DecodeCtx *c, uint32_t off, uint32_t len, bool loop);
int decode_raw(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_chdlc(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_ppp(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_pppoe_session(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_pppoe_discovery(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_vlan(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_ieee8021ah(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_vntag(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_mpls(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_nsh(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_arp(DecodeCtx *c, uint32_t off, uint32_t len);

/* Hands the payload of a link header to the decoder for `ethertype`.
 * Returns false when the ethertype is not one Suricata decodes (counted in
 * decoder.unknown_ethertype with event ethernet.unknown_ethertype). */
bool decode_network_layer(DecodeCtx *c, uint16_t ethertype, uint32_t off, uint32_t len);

/* Network and transport layers. `len` for IP is what the link layer left
 * (capped at 65535); the IP decoders trim to the IP total length. */
int decode_ipv4(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_ipv6(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_tcp(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_udp(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_icmpv4(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_icmpv6(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_sctp(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_esp(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_gre(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_erspan(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_erspan_type1(DecodeCtx *c, uint32_t off, uint32_t len);

/* UDP-carried tunnels; each returns DECODE_OK only when the payload was
 * taken as that tunnel (the UDP packet then is not app-layer traffic). */
int decode_teredo(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_vxlan(DecodeCtx *c, uint32_t off, uint32_t len);
int decode_geneve(DecodeCtx *c, uint32_t off, uint32_t len);
bool decode_teredo_port(const DecodeConfig *cfg, uint16_t sp, uint16_t dp);
bool decode_vxlan_port(const DecodeConfig *cfg, uint16_t dp);
bool decode_geneve_port(const DecodeConfig *cfg, uint16_t sp, uint16_t dp);

/* Tunnels (decode-tunnel.c). What the inner bytes start with. */
typedef enum TunnelProto {
    TUNNEL_IPV4,
    TUNNEL_IPV6,
    TUNNEL_IPV6_TEREDO,
    TUNNEL_PPP,
    TUNNEL_VLAN,
    TUNNEL_ETHERNET,
    TUNNEL_ERSPAN_I,
    TUNNEL_ERSPAN_II,
    TUNNEL_ARP,
} TunnelProto;

/* Builds the inner packet of a tunnel from bytes [off, off + len) of the
 * packet being decoded, decodes it right away and, when that decode
 * succeeds, appends it to the thread's derived list and returns it. Returns
 * NULL when the inner packet was dropped: too many layers (the parent gets
 * too_many_layers), out of memory, its decoder failed, or a Teredo candidate
 * came out invalid. Mirrors Suricata's PacketTunnelPktSetup. */
Packet *decode_tunnel(DecodeCtx *c, uint32_t off, uint32_t len, TunnelProto proto, PacketSource src);

/* Adds a packet that has been decoded to the derived list (or frees it and
 * counts it in derived_dropped when the list is full). */
void decode_add_derived(DecodeThread *dt, Packet *d);

/* Hands an IP fragment to defrag (when the thread has a table) and, when it
 * completes a datagram, decodes that datagram and queues it. */
void decode_defrag(DecodeCtx *c);

/* Checksums (checksum.c). Internet checksum (RFC 1071) folded to 16 bits
 * and complemented: 0 means the data including its checksum field adds up. */
uint16_t checksum_finish(uint32_t sum);
uint32_t checksum_add(uint32_t sum, const uint8_t *data, uint32_t len);
/* Sets p->ip_csum_bad / p->l4_csum_bad from the checks above. */
void decode_validate_checksums(Packet *p);

#endif
