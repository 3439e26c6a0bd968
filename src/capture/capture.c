/*
 * The generic capture calls: thin dispatch through a source's CaptureOps,
 * plus the bookkeeping every source shares — the running packet number
 * (pcap_cnt), the packet and byte counters, and the last error message — so
 * that each kind of source only has to produce packets.
 */
#include "capture/source.h"

#include <stdio.h>
#include <string.h>

void capture_source_init(CaptureSource *cs, const CaptureOps *ops)
{
    memset(cs, 0, sizeof(*cs));
    cs->ops = ops;
}

void capture_source_error(CaptureSource *cs, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cs->errbuf, sizeof(cs->errbuf), fmt, ap);
    va_end(ap);
}

void capture_copy_error(char *err, size_t errlen, const char *msg)
{
    if (err == NULL || errlen == 0)
        return;
    snprintf(err, errlen, "%s", msg);
}

bool capture_set_filter(CaptureSource *cs, const char *bpf, char *err, size_t errlen)
{
    if (bpf != NULL && bpf[0] == '\0')
        bpf = NULL;
    if (cs->ops->set_filter == NULL) {
        if (bpf == NULL)
            return true;
        capture_source_error(cs, "the %s capture source does not support BPF filters", cs->ops->name);
        capture_copy_error(err, errlen, cs->errbuf);
        return false;
    }
    if (!cs->ops->set_filter(cs, bpf)) {
        capture_copy_error(err, errlen, cs->errbuf);
        return false;
    }
    return true;
}

int capture_next_ref(CaptureSource *cs, PacketRef *ref)
{
    if (cs->ops->next_ref == NULL) {
        capture_source_error(cs, "the %s capture source cannot be read in place", cs->ops->name);
        return -1;
    }
    int r = cs->ops->next_ref(cs, ref);
    if (r != 1)
        return r;
    ref->pcap_cnt = ++cs->pcap_cnt;
    cs->stats.packets++;
    cs->stats.bytes += ref->caplen;
    return 1;
}

void capture_ref_to_packet(const PacketRef *ref, Packet *p)
{
    packet_set_data(p, ref->data, ref->caplen);
    p->wire_len = ref->wire_len;
    p->ts = ref->ts;
    p->datalink = ref->datalink;
    p->src = PKT_SRC_WIRE;
    p->pcap_cnt = ref->pcap_cnt;
}

CaptureSource *capture_reopen_quiet(const CaptureSource *cs, char *err, size_t errlen)
{
    if (cs->ops->reopen == NULL) {
        char msg[128];
        snprintf(msg, sizeof(msg), "the %s capture source cannot be read twice", cs->ops->name);
        capture_copy_error(err, errlen, msg);
        return NULL;
    }
    return cs->ops->reopen(cs, err, errlen);
}

int capture_next(CaptureSource *cs, Packet *p)
{
    if (cs->ops->next == NULL) {
        PacketRef ref;
        int r = capture_next_ref(cs, &ref);
        if (r != 1)
            return r;
        capture_ref_to_packet(&ref, p);
        if (p->len != ref.caplen) {
            capture_source_error(cs, "%s: out of memory copying a packet of %u bytes", capture_current_file(cs),
                                 ref.caplen);
            return -1;
        }
        return 1;
    }
    int r = cs->ops->next(cs, p);
    if (r != 1)
        return r;
    p->src = PKT_SRC_WIRE;
    p->pcap_cnt = ++cs->pcap_cnt;
    cs->stats.packets++;
    cs->stats.bytes += p->len;
    return 1;
}

const char *capture_current_file(const CaptureSource *cs) { return cs->ops->current_file(cs); }

const char *capture_error(const CaptureSource *cs) { return cs->errbuf; }

const CaptureStats *capture_stats(const CaptureSource *cs) { return &cs->stats; }

uint64_t capture_file_count(const CaptureSource *cs) { return cs->stats.files; }

const char *capture_kind(const CaptureSource *cs) { return cs->ops->name; }

void capture_close(CaptureSource *cs)
{
    if (cs != NULL)
        cs->ops->close(cs);
}
