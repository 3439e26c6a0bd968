/*
 * The `tag` keyword's option and the tagging state it creates, as Suricata
 * 8 does it (detect-tag.c, detect-engine-tag.c).
 *
 * `tag:session[,count,metric]` or `tag:host[,count,metric[,src|dst]]`
 * (metric: packets, bytes or seconds; default 256 packets, host direction
 * dst; a packet count above 256 is cut to 256). When a rule carrying it
 * matches, the flow of the packet (session) or the packet's source or
 * destination address (host) is "tagged": the packets that follow -- not
 * the one that alerted -- are tagged until the count of packets, bytes or
 * seconds is used up. Tagging changes no verdict; Suricata shows it only
 * in packet logs (EVE `packet` records when the alert logger has
 * `tagged-packets: yes`, pcap-log in conditional mode).
 *
 * A TagTracker keeps the entries of one worker thread (flows belong to one
 * worker; host entries are per worker here, where Suricata shares its host
 * table). It is bounded as Suricata bounds it: at most TAG_MAX_PER_KEY
 * entries per flow or host, an entry re-armed by the same rule at most
 * TAG_MATCH_LIMIT times, and at most `max_keys` flows plus hosts in total
 * (further tags are dropped and counted).
 */
#ifndef ODLAR_DETECT_TAG_H
#define ODLAR_DETECT_TAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"
#include "util/time.h"

#define TAG_DEFAULT_PACKETS 256u
#define TAG_MAX_PER_KEY 50u
#define TAG_MATCH_LIMIT 10u
#define TAG_TRACKER_DEFAULT_KEYS 65536u

typedef enum TagType { TAG_TYPE_SESSION = 0, TAG_TYPE_HOST } TagType;
typedef enum TagMetric { TAG_METRIC_PACKETS = 0, TAG_METRIC_BYTES, TAG_METRIC_SECONDS } TagMetric;
typedef enum TagDirection { TAG_DIR_DST = 0, TAG_DIR_SRC } TagDirection;

typedef struct TagSpec {
    TagType type;
    TagMetric metric;
    TagDirection direction; /* host tags only */
    uint32_t count;
} TagSpec;

/* Parses the option value ("session", "host,100,packets,src", ...); false
 * with the reason in err. */
bool tag_parse(const char *value, TagSpec *out, char *err, size_t errsz);

typedef struct TagTracker TagTracker;

TagTracker *tag_tracker_new(uint32_t max_keys);
void tag_tracker_free(TagTracker *t);

/* Records the tag of rule gid:sid for the packet that matched it: on flow
 * `flow_id` (session) or on address `src` / `dst` (host, per spec). False
 * when the tag was dropped (limits, no flow for a session tag, memory). */
bool tag_tracker_add(TagTracker *t, const TagSpec *spec, uint32_t gid, uint32_t sid, bool has_flow, uint64_t flow_id,
                     const Address *src, const Address *dst, OdTime ts);

/* Called once per packet after detection: true when a live tag covers it
 * (its flow's or either address's). Advances the counters and drops the
 * entries used up; an entry added on this same packet skips it. */
bool tag_tracker_packet(TagTracker *t, bool has_flow, uint64_t flow_id, const Address *src, const Address *dst,
                        OdTime ts, uint32_t pkt_len);

/* Forgets the session tags of a flow that ended. */
void tag_tracker_flow_end(TagTracker *t, uint64_t flow_id);

/* Live entries, and tags dropped by the limits. */
uint32_t tag_tracker_entries(const TagTracker *t);
uint64_t tag_tracker_dropped(const TagTracker *t);

/* The calling worker thread's tracker (created on first use with
 * TAG_TRACKER_DEFAULT_KEYS; NULL when out of memory; freed automatically
 * when the thread exits), and its explicit release. */
TagTracker *tag_tracker_thread(void);
void tag_tracker_thread_free(void);

#endif
