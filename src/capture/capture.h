/*
 * Capture sources: where packets come from.
 *
 * A `CaptureSource` hands the engine one packet at a time, whatever the
 * packets are read from. Today the only source is offline: a capture file
 * (pcap or pcapng) or a folder of them, read through libpcap the way
 * Suricata's `-r` reads them. Live sources (AF_PACKET, NFQUEUE, live pcap)
 * are meant to be further implementations of the same small set of
 * operations (see capture/source.h); callers only ever use the functions
 * below and never learn which kind of source they hold.
 *
 * A source is used by one thread at a time.
 */
#ifndef ODLAR_CAPTURE_CAPTURE_H
#define ODLAR_CAPTURE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"

typedef struct CaptureSource CaptureSource;

/* Counters a source keeps over its whole life (all files of a folder). */
typedef struct CaptureStats {
    uint64_t packets; /* packets handed out by capture_next */
    uint64_t bytes; /* captured bytes of those packets */
    uint64_t files; /* files read to their end (or to a cut, see truncated) */
    uint64_t files_failed; /* files of a folder skipped: could not be opened */
    uint64_t truncated; /* files that ended mid-record ("truncated dump file") */
    uint64_t read_errors; /* files abandoned on another read error */
} CaptureStats;

/*
 * Opens `path` for offline reading. `path` is a capture file (pcap or pcapng,
 * any link type), "-" for standard input, or a folder: then every regular,
 * non-hidden file directly in it is read, in byte order of the names, as one
 * stream of packets; subfolders are not entered.
 *
 * A single file is opened at once, so a missing file or one that is not a
 * capture fails here. A folder fails here when it holds no candidate files;
 * a file in it that later turns out not to be a capture is logged and skipped.
 *
 * Returns the source, or NULL with a message for people naming the path
 * written to err (errlen bytes, always terminated when errlen > 0).
 */
CaptureSource *capture_open_offline(const char *path, char *err, size_t errlen);

/*
 * Plain pcap files are read block by block (pcap-blocks.h), with libpcap
 * taking over at anything unusual. `false` reads every file through libpcap
 * alone, `block` sets the read size (0: the default); for tests that
 * compare the readers (sources opened after the call).
 */
void pcap_file_set_block_reading(bool on, size_t block);

/*
 * Sets a BPF filter (tcpdump syntax) for the packets to read; NULL or an
 * empty string removes it. Offline sources apply it to each file as it is
 * opened, compiled for that file's link type. The expression is checked here
 * (against the open file, or an Ethernet link when none is open yet).
 * Returns true, or false with the reason in err (and in capture_error); on
 * error the previous filter stays.
 */
bool capture_set_filter(CaptureSource *cs, const char *bpf, char *err, size_t errlen);

/*
 * Reads the next packet into `p`. On 1, packet_set_data has copied the
 * captured bytes (p->len = captured length) and p->wire_len (original
 * length), p->ts (microseconds; nanosecond captures are truncated to
 * microseconds), p->datalink (the file's link type, passed through
 * unchanged), p->src = PKT_SRC_WIRE and p->pcap_cnt (1-based, counting on
 * across all files; packets a BPF filter drops are not counted) are set.
 *
 * Returns 0 at the end of input. A file cut short mid-record is read up to
 * the cut with a warning, and then reading goes on with the next file, so it
 * also ends with 0. Returns -1 on a fatal error; capture_error says why.
 */
int capture_next(CaptureSource *cs, Packet *p);

/*
 * A packet read in place: `data` points into the source's own buffer and
 * stays valid only until the next read from the same source. The other
 * fields are what capture_next would set in a Packet.
 */
typedef struct PacketRef {
    const uint8_t *data;
    uint32_t caplen, wire_len;
    int datalink;
    OdTime ts;
    uint64_t pcap_cnt;
} PacketRef;

/*
 * As capture_next, without the copy: fills `ref` (same return values). Only
 * offline sources read in place; on others it returns -1 with a message.
 * The offline engine uses it so that each worker copies only its own
 * packets (engine/worker-feed.h).
 */
int capture_next_ref(CaptureSource *cs, PacketRef *ref);
/* Copies a packet read in place into `p`, as capture_next fills it. */
void capture_ref_to_packet(const PacketRef *ref, Packet *p);

/*
 * Opens a second, independent reader of the input `cs` reads (same path,
 * same BPF filter), which logs nothing: it sees the same packets, files,
 * cuts and errors, which `cs` already reports. NULL with a reason in err
 * when that cannot be done, e.g. for standard input, which can be read only
 * once, or a source that is not offline.
 */
CaptureSource *capture_reopen_quiet(const CaptureSource *cs, char *err, size_t errlen);

/*
 * The path of the file the last packet came from (as EVE's pcap_filename
 * shows it: a folder's files are "<folder>/<name>"), or "" before the first
 * file is opened. Stays valid until the next capture_next or capture_close.
 */
const char *capture_current_file(const CaptureSource *cs);

/* The most recent error or warning message, "" if none. */
const char *capture_error(const CaptureSource *cs);

/* The counters so far. */
const CaptureStats *capture_stats(const CaptureSource *cs);

/* Files read so far, to their end or to a cut (capture_stats()->files). */
uint64_t capture_file_count(const CaptureSource *cs);

/* Short name of the kind of source ("pcap-file"), for logs. */
const char *capture_kind(const CaptureSource *cs);

/* Closes the source and frees it; NULL is ignored. */
void capture_close(CaptureSource *cs);

#endif
