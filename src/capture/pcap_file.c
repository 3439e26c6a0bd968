/*
 * Offline capture: reading pcap and pcapng files with libpcap, one file or a
 * folder of them, as one stream of packets (Suricata's `-r`).
 *
 * Files are opened one at a time, in the order file_list.c gives. libpcap is
 * asked for microsecond timestamps, so nanosecond captures come out already
 * converted. Each file keeps its own link type, which is passed through to
 * the packet untouched. A BPF filter, when set, is compiled for each file's
 * link type as the file is opened.
 *
 * A file that ends mid-record is read up to the cut and then left with a
 * warning; any other read error stops that file with an error message; both
 * go on with the next file. In a folder, a file that cannot be opened as a
 * capture is logged and skipped (Suricata skips it too); a single file that
 * cannot be opened makes capture_open_offline fail.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture/file_list.h"
#include "capture/pcap-blocks.h"
#include "capture/pcap_errors.h"
#include "capture/source.h"
#include "util/log.h"

typedef struct PcapFileSource {
    CaptureSource base; /* first: the generic layer's view */
    FileList files;
    size_t next_file; /* index in files of the next file to open */
    pcap_t *pcap; /* the open file, or NULL between files */
    int datalink; /* link type of the open file */
    const char *current; /* path of the last file opened ("" before any) */
    uint64_t file_packets; /* packets handed out from the open file */
    char *bpf; /* filter expression, or NULL */
    char *path; /* as given to capture_open_offline, for a second reader */
    PcapBlocks blocks; /* the open file's records read block by block, while possible */
} PcapFileSource;

/* Reading plain pcap files block by block (pcap-blocks.h): on, with the
 * default block size, unless a test compares the two readers. */
static bool block_reading = true;
static size_t block_size;

void pcap_file_set_block_reading(bool on, size_t block)
{
    block_reading = on;
    block_size = block;
}

static PcapFileSource *as_pcap_file(CaptureSource *cs) { return (PcapFileSource *)cs; }

/*
 * Compiles `bpf` for handle `h` and, when `install`, installs it.
 * Returns 0, or -1 with libpcap's reason in msg.
 */
static int apply_filter(pcap_t *h, const char *bpf, int install, char *msg, size_t msglen)
{
    struct bpf_program prog;
    if (pcap_compile(h, &prog, bpf, 1, 0) != 0) {
        snprintf(msg, msglen, "%s", pcap_geterr(h));
        return -1;
    }
    int rc = 0;
    if (install && pcap_setfilter(h, &prog) != 0) {
        snprintf(msg, msglen, "%s", pcap_geterr(h));
        rc = -1;
    }
    pcap_freecode(&prog);
    return rc;
}

/* Explains a failed open of `path` (fp still ours) into msg. */
static void describe_open_failure(const char *path, FILE *fp, const char *libpcap_msg, char *msg, size_t msglen)
{
    uint8_t head[8];
    size_t head_len = 0;
    long long size = -1;
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode)) {
        size = (long long)st.st_size;
        if (fseek(fp, 0, SEEK_SET) == 0)
            head_len = fread(head, 1, sizeof(head), fp);
    }
    pcap_describe_open_error(path, libpcap_msg, head, head_len, size, msg, msglen);
}

/*
 * Opens `path` as the current file and installs the filter. Returns 0, or
 * -1 with a message naming the file in msg.
 */
static int open_file(PcapFileSource *ps, const char *path, char *msg, size_t msglen)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (fp == NULL) {
        snprintf(msg, msglen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char eb[PCAP_ERRBUF_SIZE] = "";
    pcap_t *h = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, eb);
    if (h == NULL) {
        describe_open_failure(path, fp, eb, msg, msglen);
        if (!is_stdin)
            fclose(fp);
        return -1;
    }
    if (ps->bpf != NULL) {
        char why[PCAP_ERRBUF_SIZE + 64];
        if (apply_filter(h, ps->bpf, 1, why, sizeof(why)) != 0) {
            snprintf(msg, msglen, "%s: BPF filter \"%s\" cannot be used on this file (link type %d): %s", path,
                     ps->bpf, pcap_datalink(h), why);
            pcap_close(h);
            return -1;
        }
    }
    ps->pcap = h;
    ps->datalink = pcap_datalink(h);
    /* without a filter, a plain pcap file's records are read block by
     * block until something unusual hands them back to libpcap */
    if (block_reading && ps->bpf == NULL && !is_stdin)
        (void)pcap_blocks_open(&ps->blocks, fileno(fp), (uint32_t)pcap_snapshot(h), block_size);
    ps->current = path;
    ps->file_packets = 0;
    od_debug("%s: reading capture file, link type %d, snapshot length %d", path, pcap_datalink(h),
             pcap_snapshot(h));
    return 0;
}

static void close_file(PcapFileSource *ps)
{
    pcap_blocks_close(&ps->blocks);
    if (ps->pcap != NULL) {
        pcap_close(ps->pcap);
        ps->pcap = NULL;
    }
}

/* Opens the next file of the list that opens; returns 0, or -1 when none is left. */
static int open_next_file(PcapFileSource *ps)
{
    while (ps->next_file < ps->files.count) {
        const char *path = ps->files.paths[ps->next_file++];
        char msg[CAPTURE_ERRBUF_SIZE];
        if (open_file(ps, path, msg, sizeof(msg)) == 0)
            return 0;
        ps->base.stats.files_failed++;
        capture_source_error(&ps->base, "%s", msg);
        if (!ps->base.quiet)
            od_error("%s; skipping it", msg);
    }
    return -1;
}

static const char *plural(uint64_t n) { return n == 1 ? "" : "s"; }

/* Handles pcap_next_ex's error return for the open file, then closes it. */
static void end_file_on_error(PcapFileSource *ps)
{
    const char *why = pcap_geterr(ps->pcap);
    CaptureStats *st = &ps->base.stats;
    st->files++;
    if (pcap_error_is_truncation(why)) {
        st->truncated++;
        capture_source_error(&ps->base,
                             "%s: file is cut short after %llu packet%s (%s); the packets before the cut were processed",
                             ps->current, (unsigned long long)ps->file_packets, plural(ps->file_packets), why);
        if (!ps->base.quiet)
            od_warn("%s", ps->base.errbuf);
    } else {
        st->read_errors++;
        capture_source_error(&ps->base, "%s: stopped reading after %llu packet%s: %s", ps->current,
                             (unsigned long long)ps->file_packets, plural(ps->file_packets), why);
        if (!ps->base.quiet)
            od_error("%s", ps->base.errbuf);
    }
    close_file(ps);
}

/* The open file's records go on through libpcap, from the first one the
 * block reader did not hand out. */
static bool hand_back_to_libpcap(PcapFileSource *ps)
{
    off_t at = pcap_blocks_offset(&ps->blocks);
    pcap_blocks_close(&ps->blocks);
    if (fseeko(pcap_file(ps->pcap), at, SEEK_SET) != 0) {
        capture_source_error(&ps->base, "%s: cannot seek to offset %lld: %s", ps->current, (long long)at,
                             strerror(errno));
        return false;
    }
    return true;
}

static int pcap_file_next_ref(CaptureSource *cs, PacketRef *ref)
{
    PcapFileSource *ps = as_pcap_file(cs);
    for (;;) {
        if (ps->pcap == NULL && open_next_file(ps) != 0)
            return 0;
        if (ps->blocks.buf != NULL) {
            if (pcap_blocks_next(&ps->blocks, ref) == PCAP_BLOCKS_RECORD) {
                ref->datalink = ps->datalink;
                ps->file_packets++;
                return 1;
            }
            /* libpcap reads on from the record the block reader did not take */
            if (!hand_back_to_libpcap(ps))
                return -1;
        }
        struct pcap_pkthdr *h;
        const u_char *data;
        int r = pcap_next_ex(ps->pcap, &h, &data);
        if (r == 1) {
            ref->data = data;
            ref->caplen = h->caplen;
            ref->wire_len = h->len;
            ref->ts = (OdTime)h->ts.tv_sec * OD_USEC_PER_SEC + (OdTime)h->ts.tv_usec;
            ref->datalink = ps->datalink;
            ps->file_packets++;
            return 1;
        }
        if (r == PCAP_ERROR_BREAK) {
            if (!cs->quiet)
                od_info("%s: end of file reached, %llu packet%s", ps->current, (unsigned long long)ps->file_packets,
                    plural(ps->file_packets));
            cs->stats.files++;
            close_file(ps);
        } else if (r < 0) {
            end_file_on_error(ps);
        }
        /* r == 0 (a live timeout) does not happen on files: just read again */
    }
}

static bool pcap_file_set_filter(CaptureSource *cs, const char *bpf)
{
    PcapFileSource *ps = as_pcap_file(cs);
    char why[PCAP_ERRBUF_SIZE];
    if (bpf == NULL) {
        /* removing the filter: the open file gets one that keeps everything */
        if (ps->pcap != NULL && apply_filter(ps->pcap, "", 1, why, sizeof(why)) != 0) {
            capture_source_error(cs, "cannot remove BPF filter: %s", why);
            return false;
        }
        free(ps->bpf);
        ps->bpf = NULL;
        return true;
    }
    char *copy = strdup(bpf);
    pcap_t *check = ps->pcap != NULL ? ps->pcap : pcap_open_dead(DLT_EN10MB, 262144);
    if (copy == NULL || check == NULL) {
        capture_source_error(cs, "cannot set BPF filter \"%s\": out of memory", bpf);
        free(copy);
        if (check != NULL && check != ps->pcap)
            pcap_close(check);
        return false;
    }
    int rc = apply_filter(check, bpf, check == ps->pcap, why, sizeof(why));
    if (check != ps->pcap)
        pcap_close(check);
    if (rc != 0) {
        capture_source_error(cs, "invalid BPF filter \"%s\": %s", bpf, why);
        free(copy);
        return false;
    }
    free(ps->bpf);
    ps->bpf = copy;
    /* libpcap applies the filter: it reads the rest of the open file */
    if (ps->blocks.buf != NULL && !hand_back_to_libpcap(ps))
        return false;
    return true;
}

static const char *pcap_file_current_file(const CaptureSource *cs)
{
    return ((const PcapFileSource *)cs)->current;
}

static void pcap_file_close(CaptureSource *cs)
{
    PcapFileSource *ps = as_pcap_file(cs);
    close_file(ps);
    file_list_free(&ps->files);
    free(ps->bpf);
    free(ps->path);
    free(ps);
}

static CaptureSource *pcap_file_reopen(const CaptureSource *cs, char *err, size_t errlen);

static const CaptureOps pcap_file_ops = {
    .name = "pcap-file",
    .next_ref = pcap_file_next_ref,
    .reopen = pcap_file_reopen,
    .set_filter = pcap_file_set_filter,
    .current_file = pcap_file_current_file,
    .close = pcap_file_close,
};

static CaptureSource *open_offline(const char *path, bool quiet, char *err, size_t errlen)
{
    char msg[CAPTURE_ERRBUF_SIZE];
    PcapFileSource *ps = calloc(1, sizeof(*ps));
    if (ps == NULL) {
        capture_copy_error(err, errlen, "out of memory opening capture");
        return NULL;
    }
    capture_source_init(&ps->base, &pcap_file_ops);
    ps->base.quiet = quiet;
    ps->current = "";
    ps->path = strdup(path);
    if (ps->path == NULL) {
        capture_copy_error(err, errlen, "out of memory opening capture");
        free(ps);
        return NULL;
    }
    if (file_list_build(path, &ps->files, msg, sizeof(msg)) != 0) {
        capture_copy_error(err, errlen, msg);
        free(ps->path);
        free(ps);
        return NULL;
    }
    if (ps->files.is_folder) {
        if (!quiet)
            od_info("%s: reading %zu files from folder", path, ps->files.count);
    } else {
        ps->next_file = 1;
        if (open_file(ps, ps->files.paths[0], msg, sizeof(msg)) != 0) {
            capture_copy_error(err, errlen, msg);
            file_list_free(&ps->files);
            free(ps->path);
            free(ps);
            return NULL;
        }
    }
    return &ps->base;
}

CaptureSource *capture_open_offline(const char *path, char *err, size_t errlen)
{
    return open_offline(path, false, err, errlen);
}

static CaptureSource *pcap_file_reopen(const CaptureSource *cs, char *err, size_t errlen)
{
    const PcapFileSource *ps = (const PcapFileSource *)cs;
    if (strcmp(ps->path, "-") == 0) {
        capture_copy_error(err, errlen, "standard input can be read only once");
        return NULL;
    }
    CaptureSource *again = open_offline(ps->path, true, err, errlen);
    if (again != NULL && ps->bpf != NULL && !capture_set_filter(again, ps->bpf, err, errlen)) {
        capture_close(again);
        return NULL;
    }
    return again;
}
