/*
 * Reading the records of a classic pcap file in place, from a memory map.
 *
 * libpcap copies every packet twice on its way out of a file (kernel to
 * stdio buffer, stdio buffer to its own), one read() per 4 KiB. With
 * several workers each reading the whole capture (engine/worker-feed.h)
 * that copying is paid once per worker. For the plain case -- a regular
 * file in the classic format (pcap-savefile(5): magic 0xa1b2c3d4 for
 * microseconds or 0xa1b23c4d for nanoseconds, either byte order, version
 * 2.4) -- the records are walked straight from a read-only map: no copy,
 * no system call per packet.
 *
 * Only ordinary records are read this way: a record whose captured length
 * exceeds the file's snapshot length (or 262144), or that runs past the end
 * of the file, and the end of the file itself, are handed back to libpcap
 * (PCAP_MAP_HANDOVER with the record's offset), which then reads from there
 * and reports cuts, errors and the end exactly as it always does. The
 * pages behind the reading position are given back as it moves on, so the
 * map does not grow the resident set by the file's size.
 */
#ifndef ODLAR_CAPTURE_PCAP_MAP_H
#define ODLAR_CAPTURE_PCAP_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"

typedef struct PcapMap {
    const uint8_t *base; /* the mapped file, NULL when not mapped */
    size_t size;
    size_t off; /* offset of the next record */
    size_t released; /* pages before this offset were given back */
    size_t populated; /* pages before this offset were asked to be mapped */
    bool swapped; /* the file's byte order is the other one */
    bool nsec; /* nanosecond time stamps */
    uint32_t snaplen; /* longest captured length read in place */
} PcapMap;

typedef enum PcapMapResult {
    PCAP_MAP_RECORD, /* *ref is the next packet */
    PCAP_MAP_HANDOVER, /* libpcap must go on from offset m->off */
} PcapMapResult;

/* Maps the file open on `fd` when it is a classic pcap file of version 2.4
 * whose header libpcap already accepted; `snapshot` is libpcap's snapshot
 * length for it. Returns false (nothing mapped) otherwise. */
bool pcap_map_open(PcapMap *m, int fd, uint32_t snapshot);
/* The next record in place; ref->pcap_cnt is not set. */
PcapMapResult pcap_map_next(PcapMap *m, PacketRef *ref);
/* Unmaps; safe on a map that was never opened. */
void pcap_map_close(PcapMap *m);

/* The classic header of a buffer: true, with the byte order and time unit,
 * for the four magic numbers of version 2.4 files. */
bool pcap_map_classic_header(const uint8_t *hdr, size_t len, bool *swapped, bool *nsec);

#endif
