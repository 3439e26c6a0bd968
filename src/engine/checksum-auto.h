/*
 * The checksum "auto" mode of capture files (pcap-file.checksum-checks:
 * auto, Suricata's default): captures taken on the sending host carry the
 * wrong TCP checksums of offloading NICs, and validating them would throw
 * every TCP session away. As Suricata does, checksums are validated for
 * the first 999 packets while each reader counts the TCP packets whose
 * checksum is wrong; at the 1000th packet, if more than one in ten of
 * them was (1000 / bad < 10), validation is off for it and every packet
 * after it, with a notice. The sampling decodes a copy of each of those
 * packets; every worker reads every packet (worker-feed.h) and keeps its
 * own ChecksumAuto, so all of them take the decision at the same packet,
 * whatever the number of workers (only the first one says so).
 */
#ifndef ODLAR_ENGINE_CHECKSUM_AUTO_H
#define ODLAR_ENGINE_CHECKSUM_AUTO_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"
#include "decode/decode.h"

#define CHECKSUM_AUTO_SAMPLE 1000u
#define CHECKSUM_AUTO_RATIO 10u

typedef struct ChecksumAuto {
    bool active; /* auto mode and still sampling or decided off */
    bool off; /* decided: checksums ignored from here on */
    uint64_t pkts, bad;
    DecodeConfig cfg;
    Counters ctr; /* the sampling decoder's (thrown away) */
    DecodeThread dt;
    Packet *copy;
    bool quiet; /* every worker but the first: takes the decision silently */
} ChecksumAuto;

/* Starts sampling when dc says auto; otherwise the sampler does nothing. */
void checksum_auto_init(ChecksumAuto *ca, const DecodeConfig *dc);
void checksum_auto_free(ChecksumAuto *ca);

/* Called by a worker's feed for every packet in order: returns true when the
 * packet's checksums are to be ignored (set p->csum_ignored). */
bool checksum_auto_packet(ChecksumAuto *ca, const PacketRef *ref);

#endif
