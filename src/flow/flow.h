/*
 * Flows: the bidirectional conversations packets belong to.
 *
 * A flow is keyed by protocol, the two addresses and ports, the tunnel depth
 * and, when vlan.use-for-tracking is on, the VLAN ids -- the same in both
 * directions. As in Suricata, ICMPv4 flows are keyed by the message type and
 * its counterpart (echo request 8 <-> reply 0) instead of ports, ICMPv6 flows
 * by the addresses alone, and an ICMPv4 destination-unreachable error joins
 * the TCP/UDP flow of the datagram it quotes (flow-key.c). The first packet
 * seen defines the "to server" direction. Flows live in a per-thread
 * FlowTable (flow-table.h) with a memory cap, timeouts per protocol and state
 * (`flow-timeouts`) and an emergency mode when the cap is reached. When a
 * flow ends (timeout, eviction, end of input) its owner is told so it can
 * flush TCP data and log the EVE `flow` record.
 */
#ifndef ODLAR_FLOW_FLOW_H
#define ODLAR_FLOW_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"
#include "flow/exception-policy.h"
#include "util/time.h"

typedef enum FlowState {
    FLOW_STATE_NEW = 0,
    FLOW_STATE_ESTABLISHED,
    FLOW_STATE_CLOSED,
    FLOW_STATE_LOCAL_BYPASSED, /* EVE "bypassed": a bypass policy or encryption handling */
} FlowState;

typedef enum FlowEndReason {
    FLOW_END_TIMEOUT = 0,
    FLOW_END_FORCED, /* evicted under memory pressure */
    FLOW_END_SHUTDOWN, /* still open at the end of the input */
    FLOW_END_TCP_REUSE, /* a new TCP session reused the tuple (FlowHooks.tcp_reuse) */
} FlowEndReason;

struct TcpSession;
struct FlowVarStore;

#define FLOW_ACTION_NONE 0
#define FLOW_ACTION_PASS 1
#define FLOW_ACTION_DROP 2

typedef struct Flow {
    /* key, in the direction of the first packet */
    Address src, dst;
    uint16_t sp, dp;
    uint8_t proto;
    uint8_t ip_version;
    uint16_t vlan_id[PACKET_MAX_VLANS];
    uint8_t vlan_count;
    uint8_t icmp_type, icmp_code; /* of the first packet, for ICMP flows */
    /* Suricata's response type: the counterpart of icmp_type (0 when it has
     * none) and code 0; EVE prints them once icmp_reply_seen (a packet went
     * to the client). */
    uint8_t icmp_reply_type, icmp_reply_code;
    bool icmp_reply_seen;
    uint8_t recursion_level; /* tunnel depth of the packets (Packet.tunnel_depth) */
    uint32_t esp_spi; /* ESP flows: the SPI, part of the key (one flow per direction) */

    uint32_t hash;
    uint64_t flow_id;

    OdTime start, last;
    uint64_t pkts_toserver, pkts_toclient;
    uint64_t bytes_toserver, bytes_toclient;
    uint8_t tcp_flags_ts, tcp_flags_tc;
    FlowState state;
    FlowEndReason end_reason;
    bool alerted;
    /* offline: an alert of the flow waits for the writer's threshold
     * decision (engine/threshold-writer.h), which then fills in alerted */
    bool alert_pending;
    /* the detection verdict on the whole flow (EVE flow.action): a pass
     * rule passed it or, in IPS mode, a drop rule dropped it */
    uint8_t action; /* FLOW_ACTION_* */
    /* the exception policies that fired on the flow (EVE flow.exception_policy) */
    FlowExceptions exceptions;
    bool seen_toclient;
    bool seen_toserver;
    bool end_emergency; /* ended while the table was in emergency mode (EVE "emergency") */
    /* IPv4 TTL / IPv6 hop limit per direction (0 = no packet that way yet) */
    uint8_t min_ttl_toserver, max_ttl_toserver;
    uint8_t min_ttl_toclient, max_ttl_toclient;

    /* protocol state owned by later stages */
    struct TcpSession *tcp;
    uint16_t app_proto; /* 0 = unknown */
    /* what protocol detection found in each direction (Suricata's
     * alproto_ts / alproto_tc; the flow record shows them when they differ
     * from app_proto), 0 = not decided; set by the app layer */
    uint16_t app_proto_ts, app_proto_tc;
    /* transactions the flow's parser made (Suricata 8's flow record
     * tx_cnt), set by the app layer when the flow ends */
    uint64_t app_tx_cnt;
    /* the protocol before a protocol change (HTTP CONNECT to TLS), for the
     * flow record's app_proto_orig; set by the app layer when the flow ends */
    uint16_t app_proto_orig;
    /* the protocol that change expected when another one came (TLS after
     * STARTTLS), for app_proto_expected; set with app_proto_orig */
    uint16_t app_proto_expect;
    /* added by the detection core: per-flow detection state (raw stream
     * window, pass/drop verdicts), freed through detect_flow_free() */
    struct DetectFlow *detect;
    /* flowbits/flowint variables (src/detect/flow-vars.h); the engine frees
     * them with flow_vars_free() when the flow is freed */
    struct FlowVarStore *vars;
    /* added by the app-layer framework: parser state and detection
     * progress (src/app/app-internal.h), freed through app_layer_flow_free() */
    struct AppFlow *app;
    /* Ethernet addresses seen, when tracked (flow-macs.h; FlowConfig.track_macs) */
    struct FlowMacs *macs;

    /* table bookkeeping (flow-table.c); nothing outside src/flow touches it */
    struct Flow *hash_next;
    struct Flow *lru_prev, *lru_next;
    uint64_t seq_no; /* creation order within the table (see flow_table_set_next_seq) */
    uint16_t vlan_key[PACKET_MAX_VLANS]; /* VLAN ids as keyed: zero when not tracked */
    uint32_t heap_idx; /* position in the timeout heap */
} Flow;

/* Suricata's EVE protocol name: the IANA keyword it knows for numbers 0-143
 * ("TCP", "UDP", "ICMP", "IPv6-ICMP", "GRE", "IPv6-NoNxt", "SCTP", ...), else
 * the number in three digits ("200"). Returns a static string or `buf`
 * (at least 4 bytes). */
const char *flow_proto_name(uint8_t proto, char *buf, unsigned size);
/* EVE flow.state: "new", "established", "closed", "bypassed". */
const char *flow_state_name(FlowState s);
/* EVE flow.reason: "timeout", "forced", "shutdown", "tcp_reuse". */
const char *flow_end_reason_name(FlowEndReason r);

/* Reverses the flow's direction: client and server swap addresses, ports,
 * packet/byte counts, TCP flags, seen flags, TTLs and Ethernet addresses; the key, hash and
 * flow_id stay. For the stream stage when a session turns out to have been
 * picked up from the server's side (e.g. SYN/ACK first). The packet being
 * processed keeps its old `to_server`; the caller flips it. */
void flow_swap(Flow *f);

#endif
