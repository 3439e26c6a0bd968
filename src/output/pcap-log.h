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
 * Not done: `conditional: alerts|tag` (Suricata then also writes the stored
 * TCP segments an alert matched on), `mode: multi|sguil`, `max-files`,
 * compression and live capture; an output asking for them is reported and
 * left off (max-files is ignored).
 */
#ifndef ODLAR_OUTPUT_PCAP_LOG_H
#define ODLAR_OUTPUT_PCAP_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "capture/capture.h"
#include "decode/packet.h"

typedef struct PcapLog {
    bool enabled;
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

#endif
