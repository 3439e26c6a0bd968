/*
 * pcap-log writer (see pcap-log.h). libpcap writes the file format: a
 * "dead" handle with the first packet's link type and Suricata's snapshot
 * length, and a dumper per file.
 */
#include "output/pcap-log.h"

#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "output/eve.h"
#include "util/log.h"

#define PCAP_LOG_SNAPLEN 262144
#define PCAP_LOG_DEFAULT_LIMIT (100ull << 20)
#define PCAP_LOG_MIN_LIMIT (4ull << 20)
#define PCAP_FILE_HEADER 24u
#define PCAP_RECORD_HEADER 16u

static bool unsupported(ConfNode *n, const char *key, const char *allowed)
{
    const char *v = NULL;
    if (!conf_node_get_str(n, key, &v) || v == NULL || (allowed && strcmp(v, allowed) == 0))
        return false;
    od_warn("outputs.pcap-log: %s '%s' is not supported; output left off", key, v);
    return true;
}

bool pcap_log_open(PcapLog *log, Conf *conf, const char *log_dir, char *err, size_t errlen)
{
    memset(log, 0, sizeof(*log));
    ConfNode *n = output_find(conf, "pcap-log");
    bool enabled = false;
    if (!n || !conf_node_get_bool(n, "enabled", &enabled) || !enabled)
        return true;
    if (unsupported(n, "mode", "normal") || unsupported(n, "compression", "none"))
        return true;
    const char *cond = NULL;
    if (conf_node_get_str(n, "conditional", &cond) && cond) {
        if (strcasecmp(cond, "alerts") == 0)
            log->conditional = PCAP_LOG_COND_ALERTS;
        else if (strcasecmp(cond, "tag") == 0)
            log->conditional = PCAP_LOG_COND_TAG;
        else if (strcasecmp(cond, "all") != 0) {
            snprintf(err, errlen, "outputs.pcap-log.conditional: '%s' is not all, alerts or tag", cond);
            return false;
        }
    }
    const char *bpf = NULL;
    if (conf_node_get_str(n, "bpf-filter", &bpf) && bpf && bpf[0]) {
        /* checked now, so a filter that does not compile stops the run */
        pcap_t *probe = pcap_open_dead(DLT_EN10MB, PCAP_LOG_SNAPLEN);
        struct bpf_program prog;
        bool compiles = probe && pcap_compile(probe, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) == 0;
        if (compiles)
            pcap_freecode(&prog);
        else
            snprintf(err, errlen, "outputs.pcap-log.bpf-filter: '%s': %s", bpf,
                     probe ? pcap_geterr(probe) : "out of memory");
        if (probe)
            pcap_close(probe);
        if (!compiles)
            return false;
        if (!(log->bpf_filter = strdup(bpf))) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
    }
    const char *filename = "log.pcap";
    conf_node_get_str(n, "filename", &filename);
    if (filename[0] == '/')
        snprintf(log->prefix, sizeof(log->prefix), "%s", filename);
    else
        snprintf(log->prefix, sizeof(log->prefix), "%s/%s", log_dir, filename);
    log->limit = PCAP_LOG_DEFAULT_LIMIT;
    const char *limit = NULL;
    if (conf_node_get_str(n, "limit", &limit) && limit) {
        uint64_t v;
        if (!conf_parse_size(limit, &v)) {
            snprintf(err, errlen, "outputs.pcap-log.limit: invalid size '%s'", limit);
            return false;
        }
        log->limit = v < PCAP_LOG_MIN_LIMIT ? PCAP_LOG_MIN_LIMIT : v;
    }
    log->enabled = true;
    return true;
}

static void free_program(PcapLog *log)
{
    if (log->bpf_program) {
        pcap_freecode(log->bpf_program);
        free(log->bpf_program);
    }
    log->bpf_program = NULL;
}

/* The filter compiled for the link type of the file just opened. */
static bool compile_filter(PcapLog *log)
{
    free_program(log);
    struct bpf_program *prog = calloc(1, sizeof(*prog));
    if (prog && pcap_compile(log->dead, prog, log->bpf_filter, 1, PCAP_NETMASK_UNKNOWN) == 0) {
        log->bpf_program = prog;
        return true;
    }
    od_error("pcap-log: bpf-filter '%s': %s", log->bpf_filter, prog ? pcap_geterr(log->dead) : "out of memory");
    free(prog);
    return false;
}

static void close_file(PcapLog *log)
{
    if (log->dumper)
        pcap_dump_close(log->dumper);
    if (log->dead)
        pcap_close(log->dead);
    log->dumper = log->dead = NULL;
}

static bool open_file(PcapLog *log, const PacketRef *p)
{
    close_file(log);
    char path[4200];
    OdTime name = log->files_opened == 0 && log->name_ts_set ? log->name_ts : p->ts;
    log->files_opened++;
    snprintf(path, sizeof(path), "%s.%" PRId64, log->prefix, (int64_t)OD_TIME_SEC(name));
    log->dead = pcap_open_dead(p->datalink, PCAP_LOG_SNAPLEN);
    if (log->dead)
        log->dumper = pcap_dump_open(log->dead, path);
    if (!log->dumper) {
        od_error("pcap-log: cannot open %s: %s", path, log->dead ? pcap_geterr(log->dead) : "out of memory");
        close_file(log);
        log->failed = true;
        return false;
    }
    log->datalink = p->datalink;
    log->written = PCAP_FILE_HEADER;
    if (log->bpf_filter && !compile_filter(log)) {
        close_file(log);
        log->failed = true;
        return false;
    }
    return true;
}

/* Writes p; a segment of a first alert is neither filtered nor counted. */
static void write_packet(PcapLog *log, const PacketRef *p, bool segment)
{
    if (!log->enabled || log->failed)
        return;
    uint64_t size = PCAP_RECORD_HEADER + (uint64_t)p->caplen;
    if (!log->dumper || log->datalink != p->datalink) {
        if (!open_file(log, p))
            return;
    }
    struct pcap_pkthdr h;
    h.ts.tv_sec = (time_t)OD_TIME_SEC(p->ts);
    h.ts.tv_usec = (suseconds_t)OD_TIME_USEC(p->ts);
    h.caplen = p->caplen;
    h.len = p->wire_len > p->caplen ? p->wire_len : p->caplen;
    if (!segment && log->bpf_program && pcap_offline_filter(log->bpf_program, &h, p->data) == 0) {
        log->packets_filtered++;
        return;
    }
    if (log->written > PCAP_FILE_HEADER && log->written + size > log->limit) {
        if (!open_file(log, p))
            return;
    }
    pcap_dump((u_char *)log->dumper, &h, p->data);
    log->written += size;
    if (!segment)
        log->packets_written++;
}

void pcap_log_ref(PcapLog *log, const PacketRef *p)
{
    write_packet(log, p, false);
}

void pcap_log_packet(PcapLog *log, const Packet *p)
{
    PacketRef ref = { .data = p->buf, .caplen = p->len, .wire_len = p->wire_len, .datalink = p->datalink, .ts = p->ts };
    pcap_log_ref(log, &ref);
}

void pcap_log_close(PcapLog *log)
{
    close_file(log);
    free_program(log);
    free(log->bpf_filter);
    log->bpf_filter = NULL;
    log->enabled = false;
}

bool pcap_log_wants(PcapLogCondition cond, bool alerted, bool flow_alerted, bool tagged)
{
    switch (cond) {
    case PCAP_LOG_COND_ALL: return true;
    case PCAP_LOG_COND_ALERTS: return alerted || flow_alerted;
    case PCAP_LOG_COND_TAG: return alerted || tagged;
    }
    return false;
}

/* A queued packet: this header, then caplen bytes. */
typedef struct PcapLogRecord {
    OdTime ts;
    uint32_t caplen, wire_len;
    int32_t datalink;
    uint32_t segment; /* 1: a stored segment written at a first alert */
} PcapLogRecord;

static void queue_record(RecordQueue *q, const PcapLogRecord *r, const uint8_t *a, uint32_t alen, const uint8_t *b,
                         uint32_t blen)
{
    size_t size = sizeof(*r) + (size_t)alen + blen;
    uint8_t *buf = malloc(size);
    if (!buf) {
        q->out_of_memory = true;
        return;
    }
    memcpy(buf, r, sizeof(*r));
    if (alen)
        memcpy(buf + sizeof(*r), a, alen);
    if (blen)
        memcpy(buf + sizeof(*r) + alen, b, blen);
    record_queue_add(q, RECORD_TARGET_PCAP_LOG, buf, size);
    free(buf);
}

void pcap_log_queue_packet(RecordQueue *q, const PacketRef *p)
{
    PcapLogRecord r = { .ts = p->ts, .caplen = p->caplen, .wire_len = p->wire_len, .datalink = p->datalink };
    queue_record(q, &r, p->data, p->caplen, NULL, 0);
}

void pcap_log_queue_segment(RecordQueue *q, OdTime ts, int datalink, const uint8_t *hdr, uint32_t hdr_len,
                            const uint8_t *data, uint32_t len)
{
    if (len > UINT32_MAX - hdr_len)
        return;
    PcapLogRecord r = { .ts = ts, .caplen = hdr_len + len, .wire_len = hdr_len + len, .datalink = datalink,
                        .segment = 1 };
    queue_record(q, &r, hdr, hdr_len, data, len);
}

bool pcap_log_write_record(void *ctx, const uint8_t *data, size_t len)
{
    PcapLog *log = ctx;
    PcapLogRecord r;
    if (len < sizeof(r))
        return false;
    memcpy(&r, data, sizeof(r));
    if (len - sizeof(r) != r.caplen)
        return false;
    PacketRef ref = { .data = data + sizeof(r), .caplen = r.caplen, .wire_len = r.wire_len,
                      .datalink = r.datalink, .ts = r.ts };
    write_packet(log, &ref, r.segment != 0); /* a file that failed was reported */
    return true;
}

void pcap_log_set_name_time(PcapLog *log, OdTime ts)
{
    if (log->name_ts_set)
        return;
    log->name_ts = ts;
    log->name_ts_set = true;
}
