/*
 * The per-thread flow table: finds the flow of each packet, creates flows,
 * and ends them when they time out, when memory runs short and at the end
 * of the input.
 *
 * One table belongs to one worker and is never shared, so nothing here
 * locks. Its memory is capped by `flow.memcap` (each flow costs
 * sizeof(Flow), the bucket array costs its size, both counted in
 * flow.memuse). `flow.prealloc` flows are allocated up front and ended flows
 * return to that spare pool. When a new flow would pass the cap the table
 * enters Suricata's emergency mode: the `emergency-*` timeouts apply, and
 * the least recently active flow that has been idle long enough (1 s when
 * new, 5 s established, 3 s closed) is ended with reason "forced" and its
 * memory reused. Emergency mode ends once more than `emergency-recovery` %
 * of the spare pool is free again (of the memcap when prealloc is 0).
 *
 * Time is packet time: a flow times out when the second of `now` passes
 * its last packet's second plus the timeout of its protocol and state
 * (Suricata's `timeout_at < sec` test; in emergency mode `>=` with the
 * emergency timeout). The same rule applies to a packet that matches a
 * timed-out flow (the old flow ends, a new one starts) and to
 * flow_table_timeout, so results do not depend on how often that is called.
 *
 * Every flow that ends is handed to the owner's FlowEndFn first, with
 * f->end_reason set and the flow already out of the table, so the owner can
 * flush TCP, log the EVE record and release f->tcp and any application
 * state; the table then recycles the memory. That callback may run from
 * inside flow_table_get (a timed-out match, TCP reuse, a forced eviction),
 * flow_table_timeout, flow_table_end_flow and flow_table_shutdown; it must
 * not call back into the table.
 *
 * flow_id: a positive 51-bit number (a JSON-safe integer as in Suricata)
 * computed from a fixed, unseeded 64-bit hash of the flow key and the first
 * packet's timestamp in microseconds, mixed and masked to 51 bits. The same
 * capture therefore gives the same ids whichever thread a flow lands on;
 * two flows share an id only by a 2^-51 chance per pair.
 *
 * Counters kept: flow.total, flow.active, flow.tcp/udp/icmpv4/icmpv6,
 * flow.memuse, flow.memcap (new flow refused), flow.get_used (a flow
 * evicted to make room) and flow.get_used_failed, flow.tcp_reuse,
 * flow.end.state.*, flow.end.tcp_state.* (through FlowHooks.tcp_state_name),
 * flow.mgr.flows_checked (timeout candidates examined),
 * flow.mgr.flows_timeout and flow.mgr.flows_evicted (flows ended by
 * timeout), flow.emerg_mode_entered / flow.emerg_mode_over.
 */
#ifndef ODLAR_FLOW_FLOW_TABLE_H
#define ODLAR_FLOW_FLOW_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"
#include "engine/counters.h"
#include "flow/flow.h"
#include "util/time.h"

/* Timeout classes of `flow-timeouts` (Suricata's FlowGetProtoMapping):
 * ICMPv6 and every protocol without its own section use "default". */
typedef enum FlowProtoClass {
    FLOW_PROTO_DEFAULT = 0,
    FLOW_PROTO_TCP,
    FLOW_PROTO_UDP,
    FLOW_PROTO_ICMP,
    FLOW_PROTO_SCTP,
    FLOW_PROTO_MAX
} FlowProtoClass;

FlowProtoClass flow_proto_class(uint8_t proto);

/* Seconds a flow may stay idle in each state. */
typedef struct FlowTimeouts {
    uint32_t new_timeout;
    uint32_t est_timeout;
    uint32_t closed_timeout;
    uint32_t bypassed_timeout;
} FlowTimeouts;

typedef struct FlowConfig {
    uint64_t memcap; /* flow.memcap, 128mb */
    uint32_t hash_size; /* flow.hash-size, 65536 buckets */
    uint32_t prealloc; /* flow.prealloc, 10000 */
    uint32_t emergency_recovery; /* flow.emergency-recovery, 30 (%) */
    FlowTimeouts timeouts[FLOW_PROTO_MAX]; /* flow-timeouts.<class>.{new,established,closed,bypassed} */
    FlowTimeouts emerg_timeouts[FLOW_PROTO_MAX]; /* flow-timeouts.<class>.emergency-* */
    bool vlan_use_for_tracking; /* vlan.use-for-tracking, true */
    bool recursion_use_for_tracking; /* decoder.recursion-level.use-for-tracking, true */
    /* stream.midstream: in emergency mode only a bare SYN may then start a
     * TCP flow (Suricata's FlowCreateCheck) */
    bool midstream;
    /* keep each flow's Ethernet addresses (flow-macs.h): an eve-log output
     * has `ethernet: yes` */
    bool track_macs;
} FlowConfig;

/* Suricata 8's shipped suricata.yaml values: memcap 128mb, hash-size 65536,
 * prealloc 10000, emergency-recovery 30, and flow-timeouts
 *   default new 30 est 300 closed 0  bypassed 100 | emergency 10 100 0  50
 *   tcp     new 60 est 600 closed 60 bypassed 100 | emergency  5 100 10 50
 *   udp     new 30 est 300 closed 0  bypassed 100 | emergency 10 100 0  50
 *   icmp    new 30 est 300 closed 0  bypassed 100 | emergency 10 100 0  50
 *   sctp    as default. */
void flow_config_defaults(FlowConfig *cfg);

struct Conf;
/* Lays the `flow`, `flow-timeouts`, `vlan.use-for-tracking`,
 * `decoder.recursion-level.use-for-tracking` and
 * `stream.midstream` settings of `conf` over `cfg` (call flow_config_defaults
 * first; absent keys keep their value). An out-of-range
 * emergency-recovery is reported and replaced by 30, as Suricata does.
 * Returns false with a message in err when a value is unusable (hash-size 0,
 * memcap 0). (flow-config.c) */
bool flow_config_read(struct Conf *conf, FlowConfig *cfg, char *err, size_t errlen);

/* Called for every flow that ends, before its memory is recycled. */
typedef void (*FlowEndFn)(void *ctx, Flow *f);

/* Optional links into the stream stage. */
typedef struct FlowHooks {
    /* EVE tcp.state name ("none", "syn_sent", ... "closed") of a TCP flow's
     * session, or NULL when it has none; when set, ending a TCP flow counts
     * flow.end.tcp_state.<name>. stream_tcp_state_name fits. */
    const char *(*tcp_state_name)(const Flow *f);
    /* Asked for a TCP packet that matched open flow f (`to_server`: its
     * direction in f): true when it starts a new session on the same tuple
     * (Suricata's TcpSessionPacketSsnReuse; stream_tcp_packet_is_reuse fits
     * with the StreamConfig as ctx). The old flow then ends with reason
     * tcp_reuse (flow.tcp_reuse) and a new flow is created for the packet. */
    bool (*tcp_reuse)(void *ctx, const Flow *f, const Packet *p, bool to_server);
    void *ctx; /* passed to tcp_reuse */
} FlowHooks;

typedef struct FlowTable FlowTable;

/* A new table; allocates the bucket array and the preallocated flows.
 * `cfg` is copied, `ctr` must outlive the table. Returns NULL (and logs why)
 * when the configuration is unusable or the buckets and preallocated flows
 * alone exceed the memcap. A worker's memcap and prealloc are those of its
 * own table: an engine with N workers gives each its share. */
FlowTable *flow_table_new(const FlowConfig *cfg, Counters *ctr, FlowEndFn on_end, void *ctx);
void flow_table_set_hooks(FlowTable *ft, const FlowHooks *hooks);

/* Why flow_table_get last returned what it did. */
typedef enum FlowGetStatus {
    FLOW_GET_OK = 0,
    FLOW_GET_UNTRACKED, /* not flow_ok, or an ICMPv4 error with no flow to join */
    FLOW_GET_REFUSED, /* emergency mode: a TCP non-SYN may not start a flow */
    FLOW_GET_MEMCAP, /* no memory for a new flow and nothing to evict */
} FlowGetStatus;

/* Finds or creates the flow of `p` and accounts the packet to it: sets
 * p->flow, p->to_server and p->flow_established; bumps the flow's packet and
 * byte counts for that direction (bytes = p->len, the captured length, as
 * Suricata's GET_PKT_LEN), ORs TCP flags into tcp_flags_ts/tc, tracks TTLs,
 * moves f->last forward, and for non-TCP flows sets FLOW_STATE_ESTABLISHED
 * once packets went both ways. TCP state is the stream stage's: for TCP
 * p->flow_established is only true when f->state already says so
 * (established, or closed: the session got past the handshake) (before
 * the stream stage sees this packet, so the handshake's last ACK is not
 * established, as in Suricata).
 * Direction follows Suricata: TCP/UDP/SCTP by source port (by address when
 * the ports are equal), ICMP by address, every other protocol "to server".
 * Returns NULL with p->flow NULL when the packet gets no flow; see
 * flow_table_last_status. Pseudo packets that already carry their flow must
 * not be passed here. */
Flow *flow_table_get(FlowTable *ft, Packet *p);
FlowGetStatus flow_table_last_status(const FlowTable *ft);

/* Ends every flow that has timed out at packet time `now`, oldest deadline
 * first, and leaves emergency mode when enough memory came back. Cheap when
 * nothing is due (a look at the top of a heap): call it as packet time
 * advances, e.g. before each packet or once per packet second. */
void flow_table_timeout(FlowTable *ft, OdTime now);
/* Whether flow_table_timeout(ft, now) would do anything: a flow whose
 * deadline second has come, or emergency mode (which it may leave). When
 * false, that call can be left out without changing anything. */
bool flow_table_timeout_due(const FlowTable *ft, OdTime now);

/* Ends one flow now with the given reason (e.g. a stage that decided the
 * tuple is being reused). `f` must belong to this table. */
void flow_table_end_flow(FlowTable *ft, Flow *f, FlowEndReason reason);

/* Numbers the flows created from now on `next`, `next + 1`, ... (Flow.seq_no;
 * the table counts from 0 by itself). Several workers number their flows
 * from the global position of the packet that creates them, so creation
 * order is comparable across workers. */
void flow_table_set_next_seq(FlowTable *ft, uint64_t next);

/* Ends every remaining flow with reason "shutdown", in creation order. The
 * table stays usable. */
void flow_table_shutdown(FlowTable *ft);

/* Releases the table and all flows still in it WITHOUT calling on_end (call
 * flow_table_shutdown first to have them logged). */
void flow_table_free(FlowTable *ft);

uint64_t flow_table_active(const FlowTable *ft); /* flows in the table */
uint64_t flow_table_memuse(const FlowTable *ft); /* bytes counted against the memcap */
bool flow_table_in_emergency(const FlowTable *ft);

#endif
