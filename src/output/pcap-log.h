/*
 * pcap-log: the packets read, written again to a capture file
 * (Suricata's `pcap-log` output in `mode: normal`).
 *
 *   outputs:
 *     - pcap-log:
 *         enabled: yes
 *         filename: log.pcap   # files are log.pcap.<seconds of their first packet>
 *         limit: 1gb           # a new file once this size would be passed
 *         bpf-filter: udp and port 53   # write only the packets it accepts
 *
 * Every packet read from the capture is written as it was read (captured
 * and wire lengths, timestamp to the microsecond), in reading order, so the
 * file is the same in every runmode; the file header carries the link type
 * of the first packet and a snapshot length of 262144. Files are
 * libpcap-format. With `bpf-filter` (compiled for the file's link type) a
 * packet the filter refuses is counted (stats pcap_log.filtered_bpf) and
 * not written; the packets written are counted as pcap_log.written. As in
 * Suricata, the first packet read names the file even when it is filtered.
 *
 * `conditional: all` (the default) writes every packet as read, from
 * worker 0's feed before decoding. `conditional: alerts` writes only the
 * packets that alerted or whose flow alerted before; `conditional: tag`
 * those that alerted or that a `tag` keyword tagged. Both are decided after
 * detection: the worker that owns the packet queues it as a record
 * (RECORD_TARGET_PCAP_LOG, pcap_log_queue_packet) and the engine's writer
 * hands the records to pcap_log_write_record in packet order, so the file
 * is the same in every runmode. At the first alerting TCP packet of a flow
 * the segments its session still stores (both directions, by packet time)
 * come first, each as its packet's headers followed by the segment's
 * bytes, with that packet's time (Suricata's PcapLogDumpSegments); they
 * are neither filtered nor counted. The first file is still named by the first packet read
 * (pcap_log_set_name_time), and none is made when nothing is written.
 *
 * Not done: `mode: multi|sguil`, `max-files`, compression and live
 * capture; an output asking for them is reported and left off (max-files
 * is ignored).
 */
#ifndef ODLAR_OUTPUT_PCAP_LOG_H
#define ODLAR_OUTPUT_PCAP_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "capture/capture.h"
#include "decode/packet.h"
#include "output/record-queue.h"

/* outputs.pcap-log.conditional */
typedef enum PcapLogCondition {
    PCAP_LOG_COND_ALL = 0,
    PCAP_LOG_COND_ALERTS,
    PCAP_LOG_COND_TAG,
} PcapLogCondition;

typedef struct PcapLog {
    bool enabled;
    PcapLogCondition conditional;
    OdTime name_ts; /* conditional modes: names the first file */
    bool name_ts_set;
    uint64_t files_opened;
    char prefix[4096]; /* log_dir/filename; a file is prefix.<seconds> */
    uint64_t limit; /* bytes per file */
    uint64_t written; /* bytes in the current file */
    int datalink; /* of the current file */
    void *dead; /* pcap_t of the current file */
    void *dumper; /* pcap_dumper_t of the current file */
    bool failed; /* a file could not be opened or written: stop */
    char *bpf_filter; /* outputs.pcap-log.bpf-filter, or NULL */
    void *bpf_program; /* struct bpf_program for `datalink`, or NULL */
    uint64_t packets_written; /* stats pcap_log.written */
    uint64_t packets_filtered; /* stats pcap_log.filtered_bpf */
} PcapLog;

/* Reads `outputs.pcap-log`; opens nothing yet (the first packet names the
 * file). False with a message on an unusable value. */
bool pcap_log_open(PcapLog *log, Conf *conf, const char *log_dir, char *err, size_t errlen);
/* Writes a packet as read (before decoding changes anything). */
void pcap_log_packet(PcapLog *log, const Packet *p);
/* The same for a packet read in place (worker 0's feed sees every packet). */
void pcap_log_ref(PcapLog *log, const PacketRef *p);
void pcap_log_close(PcapLog *log);

/* Conditional modes: whether a packet is written, from whether it alerted,
 * its flow alerted on an earlier packet, and it is tagged. */
bool pcap_log_wants(PcapLogCondition cond, bool alerted, bool flow_alerted, bool tagged);
/* Queues a packet to write, as read (a worker, after detection). */
void pcap_log_queue_packet(RecordQueue *q, const PacketRef *p);
/* Queues a stored TCP segment to write: its packet's headers, time and
 * link type, then its bytes. */
void pcap_log_queue_segment(RecordQueue *q, OdTime ts, int datalink, const uint8_t *hdr, uint32_t hdr_len,
                            const uint8_t *data, uint32_t len);
/* The writer's side: a RecordSinkFn taking the PcapLog as ctx. */
bool pcap_log_write_record(void *log, const uint8_t *data, size_t len);
/* Conditional modes: the time of the first packet read, which names the
 * first file (set once, before the first record is written). */
void pcap_log_set_name_time(PcapLog *log, OdTime ts);

#endif
