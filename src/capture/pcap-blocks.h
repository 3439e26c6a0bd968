/*
 * Reading the records of a classic pcap file from large blocks.
 *
 * libpcap reads a file through stdio, one read() of 4 KiB at a time, and
 * copies every packet once more into its own buffer. With several workers
 * each reading the whole capture (engine/worker-feed.h) that cost is paid
 * once per worker. For the plain case -- a regular file in the classic
 * format (pcap-savefile(5): magic 0xa1b2c3d4 for microseconds or
 * 0xa1b23c4d for nanoseconds, either byte order, version 2.4) -- the file
 * is read a block (256 KiB) at a time into one buffer that is used again
 * and again, and the records are handed out in place from it.
 *
 * Why not a memory map: on a virtual machine every page touched for the
 * first time costs a trip to the hypervisor, and a map of the file touches
 * each of its pages once per reader; a buffer that stays put is touched
 * once. Measured on the 1 GB corpus: 0.55 s of CPU for the map, 0.2 s for
 * the blocks (tests/unit/capture/test_pcap_blocks.c checks the contents,
 * bench/ the time).
 *
 * Only ordinary records are read this way: a record whose captured length
 * exceeds the file's snapshot length (or 262144), or that runs past the end
 * of the file, and the end of the file itself, are handed back to libpcap
 * (PCAP_BLOCKS_HANDOVER with the record's offset), which then reads from
 * there and reports cuts, errors and the end exactly as it always does.
 */
#ifndef ODLAR_CAPTURE_PCAP_BLOCKS_H
#define ODLAR_CAPTURE_PCAP_BLOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "capture/capture.h"

typedef struct PcapBlocks {
    int fd; /* the file, read with pread; -1 when not in use */
    uint8_t *buf;
    size_t cap; /* bytes buf holds */
    size_t block; /* bytes asked for at a time */
    size_t len; /* bytes of buf read from the file */
    size_t pos; /* offset in buf of the next record */
    off_t buf_off; /* file offset of buf[0] */
    bool at_end; /* the file has nothing after buf[len] */
    bool swapped; /* the file's byte order is the other one */
    bool nsec; /* nanosecond time stamps */
    uint32_t snaplen; /* longest captured length read here */
} PcapBlocks;

typedef enum PcapBlocksResult {
    PCAP_BLOCKS_RECORD, /* *ref is the next packet */
    PCAP_BLOCKS_HANDOVER, /* libpcap must go on from pcap_blocks_offset */
} PcapBlocksResult;

#define PCAP_BLOCKS_DEFAULT (256u * 1024u)

/* Starts reading the file open on `fd` when it is a classic pcap file of
 * version 2.4 whose header libpcap already accepted; `snapshot` is
 * libpcap's snapshot length for it, `block` the read size (0: the
 * default). Returns false (nothing to read here) otherwise. */
bool pcap_blocks_open(PcapBlocks *b, int fd, uint32_t snapshot, size_t block);
/* The next record in place, valid until the next call; ref->pcap_cnt is
 * not set. */
PcapBlocksResult pcap_blocks_next(PcapBlocks *b, PacketRef *ref);
/* File offset of the next record, where libpcap goes on after a handover. */
off_t pcap_blocks_offset(const PcapBlocks *b);
/* Frees the buffer; safe on a reader that was never opened. */
void pcap_blocks_close(PcapBlocks *b);

/* The classic header of a buffer: true, with the byte order and time unit,
 * for the four magic numbers of version 2.4 files. */
bool pcap_blocks_classic_header(const uint8_t *hdr, size_t len, bool *swapped, bool *nsec);

#endif
