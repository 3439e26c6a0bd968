/*
 * The packet: what capture hands to decode and what every later stage reads.
 *
 * A Packet owns a copy of its bytes (`buf`), so it can outlive the capture
 * library's buffer and travel to a worker thread. Decoding fills in the layer
 * offsets and the fields later stages need (addresses, ports, TCP header
 * fields, ICMP type/code) and records anomalies in `events`; nothing in a
 * Packet points into another packet except `root`, which tunnelled and
 * reassembled packets use to name the packet they came from.
 */
#ifndef ODLAR_DECODE_PACKET_H
#define ODLAR_DECODE_PACKET_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/events.h"
#include "util/time.h"

struct Flow;

/* Link types we decode (values are libpcap DLT_* numbers). */
#define LINKTYPE_NULL 0
#define LINKTYPE_ETHERNET 1
#define LINKTYPE_RAW 12 /* DLT_RAW on most systems is 12 or 14 */
#define LINKTYPE_RAW_ALT 14
#define LINKTYPE_LOOP 108
#define LINKTYPE_LINUX_SLL 113
#define LINKTYPE_IPV4 228
#define LINKTYPE_IPV6 229
#define LINKTYPE_LINUX_SLL2 276
#define LINKTYPE_RAW_LINKTYPE 101 /* LINKTYPE_RAW as stored in pcap files */
#define LINKTYPE_PPP 9
#define LINKTYPE_CISCO_HDLC 104
#define LINKTYPE_GRE_OVER_IP 778 /* an IP packet (carrying GRE), decoded as raw */

/* Where a packet came from, as EVE's `pkt_src` names it. */
typedef enum PacketSource {
    PKT_SRC_WIRE = 0,
    PKT_SRC_DECODER_GRE,
    PKT_SRC_DECODER_IPV4,
    PKT_SRC_DECODER_IPV6,
    PKT_SRC_DECODER_TEREDO,
    PKT_SRC_DEFRAG,
    PKT_SRC_STREAM_TCP_DETECTLOG_FLUSH,
    PKT_SRC_FFR,
    PKT_SRC_DECODER_VXLAN,
    PKT_SRC_DECODER_GENEVE,
    PKT_SRC_SHUTDOWN_FLUSH,
} PacketSource;

const char *packet_source_name(PacketSource src);
/* Suricata's name of a link type ("EN10MB", "RAW", "IPv4"), or NULL. */
const char *packet_linktype_name(int datalink);

typedef struct Address {
    uint8_t family; /* 0 = none, 4 = IPv4, 6 = IPv6 */
    uint8_t addr[16]; /* IPv4 in the first 4 bytes, rest zero */
} Address;

/* TCP flag bits as on the wire. */
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PUSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20
#define TH_ECN 0x40
#define TH_CWR 0x80

typedef struct TcpInfo {
    uint32_t seq, ack;
    uint16_t window;
    uint8_t flags;
    uint8_t hlen;
    uint16_t urg_ptr;
    /* options */
    bool has_mss, has_wscale, has_sackok, has_ts, has_sack;
    uint16_t mss;
    uint8_t wscale;
    uint32_t ts_val, ts_ecr;
    /* SACK blocks (left, right) as seen, at most 4 */
    uint8_t sack_count;
    uint32_t sack[4][2];
    /* TCP Fast Open cookie option (34, or experimental 254/253 with magic
     * 0xf989), MD5 signature (19), TCP-AO (29) seen */
    bool has_tfo, has_md5, has_ao;
} TcpInfo;

/* Ipv4Info.opts bits: IP options seen (valid ones; EOL and NOP always). */
#define IPV4_OPT_FLAG_EOL (1u << 0)
#define IPV4_OPT_FLAG_NOP (1u << 1)
#define IPV4_OPT_FLAG_RR (1u << 2)
#define IPV4_OPT_FLAG_TS (1u << 3)
#define IPV4_OPT_FLAG_QS (1u << 4)
#define IPV4_OPT_FLAG_LSRR (1u << 5)
#define IPV4_OPT_FLAG_SSRR (1u << 6)
#define IPV4_OPT_FLAG_SID (1u << 7)
#define IPV4_OPT_FLAG_SEC (1u << 8)
#define IPV4_OPT_FLAG_CIPSO (1u << 9)
#define IPV4_OPT_FLAG_RTRALT (1u << 10)
#define IPV4_OPT_FLAG_ESEC (1u << 11)

typedef struct Ipv4Info {
    uint8_t hlen, tos, ttl;
    uint16_t id, total_len;
    uint16_t frag_offset; /* in 8-byte units */
    bool mf, df, rf;
    uint32_t opts; /* bit set of IPV4_OPT_* seen */
} Ipv4Info;

typedef struct Ipv6Info {
    uint8_t hop_limit, tclass;
    uint32_t flow_label;
    uint16_t payload_len;
    /* fragment extension header */
    bool has_frag;
    uint32_t frag_id;
    uint16_t frag_offset; /* in 8-byte units */
    bool frag_mf;
    uint16_t frag_hdr_offset; /* offset of the fragment header from l3 */
    uint16_t unfrag_len; /* length of the unfragmentable part incl. IPv6 header */
    uint8_t frag_nh; /* next header after the fragment header */
    /* offset from l3 of the next-header byte that names the fragment header
     * (6 when it follows the IPv6 header, else the first byte of the
     * extension header before it): defrag rewrites it when it rebuilds */
    uint16_t frag_prev_nh_off;
} Ipv6Info;

/* The IP header (and first bytes of the transport header) an ICMP error
 * quotes: the flow stage uses it to find the flow the error is about. */
typedef struct IcmpEmbedded {
    bool valid; /* an embedded IP header of the right version was found */
    uint8_t proto;
    Address src, dst;
    bool has_ports; /* TCP/UDP ports were present */
    uint16_t sp, dp;
    uint32_t off; /* offset of the embedded IP header in buf */
} IcmpEmbedded;

/* ARP (RFC 826) for Ethernet/IPv4, as EVE's `arp` record shows it. */
typedef struct ArpInfo {
    uint16_t hw_type, proto_type, opcode;
    uint8_t src_mac[6], dst_mac[6];
    uint8_t src_ip[4], dst_ip[4];
} ArpInfo;

#define PACKET_MAX_VLANS 3
#define PACKET_MAX_EVENTS 16

typedef struct Packet {
    /* bytes: owned, `len` captured bytes, `wire_len` on the wire */
    uint8_t *buf;
    uint32_t buf_cap;
    uint32_t len;
    uint32_t wire_len;
    int datalink;
    OdTime ts;
    uint64_t pcap_cnt; /* 1-based index in the capture; 0 for pseudo packets */
    PacketSource src;
    struct Packet *root; /* the wire packet this one was derived from, or NULL */
    uint8_t tunnel_depth;

    /* ethernet */
    bool has_ether;
    uint8_t src_mac[6], dst_mac[6];
    uint16_t ether_type;
    uint16_t vlan_id[PACKET_MAX_VLANS];
    uint8_t vlan_count;

    /* network layer: offsets into buf, 0 length when absent */
    uint8_t ip_version; /* 0, 4 or 6 */
    uint32_t l3_off, l3_len;
    Address src_addr, dst_addr;
    Ipv4Info ip4;
    Ipv6Info ip6;
    bool is_fragment;

    /* transport layer */
    uint8_t proto; /* IPPROTO_* of the transport (after IPv6 ext headers) */
    uint32_t l4_off, l4_len;
    uint16_t sp, dp;
    TcpInfo tcp;
    uint8_t icmp_type, icmp_code;
    uint16_t icmp_id, icmp_seq;
    bool has_icmp_id;
    uint32_t payload_off, payload_len;
    IcmpEmbedded icmp_emb; /* ICMP errors: the quoted packet */
    uint32_t esp_spi; /* proto 50: security parameters index */
    bool has_arp; /* an ARP packet decoded without error */
    ArpInfo arp;

    /* checksum state: set by decode when validation is on and fails */
    bool ip_csum_bad, l4_csum_bad;
    /* set by the reader when checksum "auto" mode turned validation off */
    bool csum_ignored;
    /* decoded far enough to be tracked in a flow */
    bool flow_ok;
    /* decode gave up: invalid packet (counted in decoder.invalid) */
    bool invalid;
    /* decode_packet has run on this packet (derived packets arrive decoded) */
    bool decoded;
    /* this packet's payload is a tunnel whose inner packet was derived:
     * Suricata then skips payload (not header) inspection on it */
    bool tunnel_parent;

    /* anomalies raised on this packet, in order */
    uint16_t events[PACKET_MAX_EVENTS];
    uint8_t event_count;
    /* protocol-detection events of this packet (app/app-layer.h
     * APP_PKT_EV_* bits: Suricata's packet app-layer events) */
    uint8_t app_events;

    /* flow state, set by the flow stage */
    struct Flow *flow;
    bool to_server; /* direction within the flow */
    bool flow_established; /* flow had seen both directions when this packet came */
    /* the stream stage put this packet's payload into TCP reassembly
     * (Suricata's PKT_STREAM_ADD): detection then inspects those bytes in
     * the reassembled stream, not in the packet */
    bool stream_add;
    /* with stream_add: where the stored payload lies in its direction's
     * stream (offset 0 = first byte after the ISN), for inline raw
     * inspection around the packet */
    uint64_t stream_off;
    uint32_t stream_len;
    /* IDS mode: the raw stream of the packet's own direction is ready for
     * inspection on this packet (Suricata's PKT_DETECT_HAS_STREAMDATA,
     * decided by the stream stage: stream_raw_ready) */
    bool stream_raw_ready;
} Packet;

static inline const uint8_t *packet_l3(const Packet *p) { return p->buf + p->l3_off; }
static inline const uint8_t *packet_l4(const Packet *p) { return p->buf + p->l4_off; }
static inline const uint8_t *packet_payload(const Packet *p) { return p->buf + p->payload_off; }

Packet *packet_new(void);
void packet_free(Packet *p);
/* Copies `len` bytes into the packet's own buffer and resets all decoded state. */
void packet_set_data(Packet *p, const uint8_t *data, uint32_t len);
void packet_reset(Packet *p);
/* Records an anomaly; events past PACKET_MAX_EVENTS are dropped, as Suricata
 * drops them (decode_set_event then does not count them either). Returns
 * false when dropped. */
bool packet_add_event(Packet *p, DecodeEvent ev);
bool packet_has_event(const Packet *p, DecodeEvent ev);

/* Address helpers */
bool address_equal(const Address *a, const Address *b);
/* Formats as EVE does (IPv4 dotted, IPv6 per output convention); buf >= 46 bytes. */
const char *address_format(const Address *a, char *buf, unsigned size);

#endif
