/*
 * EVE JSON output: the event log SIEMs read, in Suricata 8's layout.
 *
 * An `Eve` is the opened eve-log output with its configuration (which event
 * types are on, per-type options). Writers build a record into a JsonBuf with
 * `eve_open_packet_record`, `eve_open_flow_record` or `eve_open_record_dir`
 * (the common header: timestamp, flow_id, pcap_cnt, event_type, vlan,
 * 5-tuple, ip_v, icmp, pkt_src, ether) followed by their own object, then
 * hand it to `eve_write_record`, which appends pcap_filename when configured
 * and writes the line. Event types have their own files here (eve-alert.c,
 * eve-drop.c, eve-fileinfo.c, eve-flow.c, eve-anomaly.c, eve-stats.c, ...);
 * the application layers' records are written by src/app/app-output.c.
 *
 * Several eve-log outputs (each with its filename and types) are one `Eve`:
 * records are made for the types of all of them and each goes to the
 * outputs listing its event type (EveConfig.routes; offline runs, the live
 * writer keeps only the first).
 *
 * Each worker holds its own copy of the opened `Eve` with `queue` set: its
 * records then go to that RecordQueue (record-queue.h) instead of the file,
 * and the engine writes the queues of all workers in one deterministic order.
 */
#ifndef ODLAR_OUTPUT_EVE_H
#define ODLAR_OUTPUT_EVE_H

#include <stdbool.h>
#include <stdio.h>

#include "conf/conf.h"
#include "decode/packet.h"
#include "engine/counters.h"
#include "flow/flow.h"
#include "output/record-queue.h"
#include "util/json.h"

/* eve-log outputs one run can write: the first and RECORD_EVE_MORE_MAX more */
#define EVE_MAX_OUTPUTS (1 + RECORD_EVE_MORE_MAX)

/* With several eve-log outputs: where one goes and which event types it
 * takes (its `types` names). */
typedef struct EveOutputRoute {
    char path[4096];
    bool append;
    char type_names[32][24];
    int type_count;
} EveOutputRoute;

typedef struct EveConfig {
    bool enabled;
    char path[4096];
    bool append;
    bool pcap_file; /* add pcap_filename to records */
    bool ethernet; /* add the ether object */
    bool community_id; /* add community_id (community-id.h) */
    uint16_t community_id_seed;
    /* event types */
    bool flow;
    bool anomaly;
    bool anomaly_decode, anomaly_stream, anomaly_applayer, anomaly_packethdr;
    bool stats;
    bool stats_totals, stats_threads, stats_deltas;
    bool stats_null_values; /* `null-values: no`: counters at 0 are left out */
    bool alert;
    /* added by the app-layer framework: every entry of the `types` list by
     * name (enabled ones only) with its options node (NULL when none), for
     * protocol loggers ("dns", "http", ...); see eve_type_enabled */
    char type_names[32][24];
    ConfNode *type_opts[32];
    int type_count;
    /* several enabled eve-log outputs (output_count > 1): the types above
     * are all of theirs, and each record goes to the outputs listing its
     * event type (routes[0] is the first output, at `path`). The first
     * output's settings (pcap-file, ethernet, community-id, per-type
     * options) apply to all. */
    int output_count;
    EveOutputRoute routes[EVE_MAX_OUTPUTS];
} EveConfig;

typedef struct Eve {
    EveConfig cfg;
    FILE *file;
    FILE *more[RECORD_EVE_MORE_MAX]; /* outputs routes[1..] (several eve-log outputs) */
    char *buffers[1 + RECORD_EVE_MORE_MAX]; /* the files' write buffers (eve.c) */
    /* name of the capture being read, for pcap_filename */
    const char *pcap_filename;
    /* live capture: the interface packets come from, written as in_iface
     * (NULL offline) */
    const char *in_iface;
    /* IPS (inline live source, NFQUEUE or AF_PACKET copy-mode, or
     * --simulate-ips): ips.* in stats */
    bool inline_ips;
    /* outputs.pcap-log is on: pcap_log.* in stats */
    bool pcap_log_on;
    /* live capture: stats.detect.engines, a JSON array prepared by the run
     * (reload: id, last_reload, rules_loaded, rules_failed); NULL: none */
    const char *stats_detect_engines;
    /* memcap.pressure_max: the highest memcap.pressure written so far */
    uint64_t memcap_pressure_max;
    /* when set, finished records are queued here rather than written to
     * `file` (which then only tells that the output is open) */
    RecordQueue *queue;
} Eve;

/* Finds the `outputs` list item named `name` ("eve-log", "fast"), or NULL. */
ConfNode *output_find(Conf *conf, const char *name);

/* Reads the eve-log section of `outputs` (and stats.* switches) from conf.
 * Returns false with a message in err on a bad value. */
bool eve_config_read(Conf *conf, const char *log_dir, EveConfig *cfg, char *err, size_t errlen);

bool eve_open(Eve *eve, const EveConfig *cfg, char *err, size_t errlen);
/* Closes and opens the file again at its configured path, appending (SIGHUP,
 * after logrotate moved it away). Returns false with a message when the new
 * file cannot be opened; the output is then closed. */
bool eve_reopen(Eve *eve, char *err, size_t errlen);
void eve_close(Eve *eve);

/* Starts a record for a packet-based event (anomaly, alert). */
void eve_open_packet_record(const Eve *eve, JsonBuf *j, const Packet *p, const char *event_type);
/* The same with src_ip / dest_ip written as given when not NULL (alerts'
 * X-Forwarded-For overwrite mode). */
void eve_open_packet_record_ips(const Eve *eve, JsonBuf *j, const Packet *p, const char *event_type,
                                const char *src_ip, const char *dest_ip);
/* Starts a record for a flow-based event (flow). */
void eve_open_flow_record(const Eve *eve, JsonBuf *j, const Flow *f, OdTime ts, const char *event_type);
/* Whether the `types` list enables event type `name`; *opts gets its
 * options node (NULL when it has none). */
bool eve_type_enabled(const EveConfig *cfg, const char *name, ConfNode **opts);
/* Starts a record for an app-layer transaction from packet p of a flow,
 * with the client as source when `client_src`, else the server. */
void eve_open_record_dir(const Eve *eve, JsonBuf *j, const Packet *p, const char *event_type, bool client_src);
/* Finishes the record and writes it as one line. */
void eve_write_record(Eve *eve, JsonBuf *j, bool with_pcap_filename);

/* Event writers */
void eve_log_flow(Eve *eve, JsonBuf *j, const Flow *f, OdTime ts);
void eve_log_anomalies(Eve *eve, JsonBuf *j, const Packet *p);
typedef struct StatsSettings {
    bool decoder_events;
    const char *decoder_events_prefix;
    bool stream_events;
    /* the exception_policy.* counters listed (exception_counter_mask) */
    uint64_t exception_counters;
    /* memcap.pressure: the memcaps whose use the stats compare (0: none),
     * flow.memcap, stream.memcap, stream.reassembly.memcap, defrag.memcap */
    uint64_t flow_memcap, stream_memcap, reassembly_memcap, defrag_memcap;
} StatsSettings;
void eve_log_stats(Eve *eve, JsonBuf *j, const Counters *c, const StatsSettings *ss, OdTime ts, uint64_t uptime);

#endif
