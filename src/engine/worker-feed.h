/*
 * Each worker's own reading of the capture (offline runs).
 *
 * Every worker reads the whole capture itself, with its own reader of the
 * input (capture_reopen_quiet), and takes only its own packets further.
 * For each packet it looks up which worker owns it (worker-balance.h): an
 * address pair belongs to the worker that met it first, as the run's one
 * shared table records, so all agree while each reads at its own pace.
 * Packets of other workers cost a read in place, the pair hash and a look
 * at whether time ends anything here (worker_time_due; when it does, the
 * time walk runs at that packet, so flows time out at the same packet in
 * every runmode) -- without the hash when another worker already published
 * the round's owners (round-owners.h); only the owner
 * copies a packet's bytes and decodes it, into the one packet it reuses for
 * each (a packet is done with before the next is read), so that the packet
 * and its buffer stay in the core's nearest cache. Nothing crosses threads
 * but first claims of pairs and the output.
 *
 * Why not read once and share: a run where the first worker to need a
 * round read it for all (copying each packet into the round, which the
 * other worker walked later; the round freed when both were done) was
 * slower on the 1 GB corpus with ET Open -- 4.38-5.36 s against 4.20-5.22 s
 * for this design in three alternating pairs, and 140-160 MB peak RSS
 * against 124-128 MB. The two rereads cost each worker about 0.15 s of
 * kernel copying, but they fill a buffer that stays in the core's own
 * cache; a shared round is written by one core and read by the other up to
 * a ring of rounds later, from memory, after being written back to it.
 * (A memory map of the file is slower still: pcap-blocks.h.)
 *
 * Worker 0's feed is the one that speaks: its reader logs file ends, cuts
 * and errors, its checksum "auto" decision is announced, and its counts are
 * the run's capture summary. The other feeds see the same and stay quiet.
 */
#ifndef ODLAR_ENGINE_WORKER_FEED_H
#define ODLAR_ENGINE_WORKER_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"
#include "engine/checksum-auto.h"
#include "engine/round-owners.h"
#include "engine/worker-balance.h"
#include "engine/worker.h"
#include "output/pcap-log.h"

/* The capture file names packets came from, kept for the whole run so that
 * records written later can still name them (pcap_filename). */
typedef struct FileNames {
    char **names;
    size_t count, cap;
} FileNames;

typedef struct WorkerFeed {
    _Alignas(OD_CACHE_PAIR) CaptureSource *src; /* owned; no line shared with another feed */
    WorkerBalance *balance; /* this worker's pair -> worker view; NULL with one worker */
    RoundOwners *round_owners; /* the run's published owners per round (not owned); NULL with one worker */
    uint8_t *owners; /* this round's owners as this worker works them out */
    uint64_t rounds, rounds_published; /* rounds run, and of those run on published owners (-v) */
    ChecksumAuto csum;
    FileNames names;
    const char *last_file; /* interned name of the last packet's file */
    const char *last_raw; /* capture_current_file's pointer it came from */
    Packet *packet; /* reused for every packet the worker owns */
    uint32_t capacity;
    /* what this reader saw: the run's capture summary */
    uint64_t packets_read, bytes;
    OdTime first_ts, last_ts;
    bool failed; /* a fatal read error ended the input */
    bool quiet; /* not worker 0's: logs nothing */
    double cpu_seconds; /* CPU time of the worker's thread at its end */
    PcapLog *pcap_log; /* worker 0's: every packet as read (outputs.pcap-log) */
} WorkerFeed;

/* Sets up worker `self`'s feed (of `workers`) over `src` (taken over:
 * freed by worker_feed_free), with rounds of `capacity` packets; with
 * several workers, pair owners come from the run's `owners` and rounds'
 * owners are shared through `rounds` (neither owned). Every feed but
 * worker 0's is quiet. False when out of memory. */
bool worker_feed_init(WorkerFeed *fd, CaptureSource *src, uint32_t workers, uint32_t capacity,
                      const DecodeConfig *dc, PairOwners *owners, RoundOwners *rounds, uint32_t self);
void worker_feed_free(WorkerFeed *fd);

/* Worker `w` (index k) runs round `round_no`: up to `capacity` packets from
 * the feed, its own handled, records into `out`. `stop` ends the input
 * before reading. On the last round (end of input, a fatal read error or
 * `stop`) the worker's flows are ended too. Returns true on the last
 * round. */
bool worker_feed_round(WorkerFeed *fd, Worker *w, uint32_t k, RecordQueue *out, uint64_t round_no, bool stop);

#endif
