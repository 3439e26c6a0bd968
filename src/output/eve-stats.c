/*
 * EVE `stats` records: the engine's counters as one nested object, the way
 * Suricata writes them ("decoder": {"pkts": .., "event": {"ipv4": {..}}}).
 *
 * Counters are named with dotted paths; the writer first lists every
 * (name, value) pair in counters.def order, then emits them as a tree,
 * grouping names that share a prefix so no key appears twice. With the
 * stats type's `null-values: no` (Suricata 8) counters that are 0 are left
 * out, and so is an object all of whose counters are.
 *
 * memcap.pressure is Suricata 8's: the highest use, in percent, of the
 * memcaps it watches (flow, stream, stream reassembly, defrag here);
 * memcap.pressure_max the highest pressure any stats record showed.
 */
#include "output/eve.h"
#include "output/filestore.h"

#include "app/ftp/ftp.h" /* ftp.memuse / ftp.memcap */

#include <stdlib.h>
#include <string.h>

typedef struct StatEntry {
    char name[160];
    uint64_t value;
} StatEntry;

typedef struct StatList {
    StatEntry *items;
    size_t count, cap;
} StatList;

static void stat_add(StatList *l, const char *name, uint64_t value)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->items = realloc(l->items, l->cap * sizeof(*l->items));
        if (!l->items)
            abort();
    }
    snprintf(l->items[l->count].name, sizeof(l->items[0].name), "%s", name);
    l->items[l->count].value = value;
    l->count++;
}

/* Length of the first path component of s. */
static size_t first_component(const char *s)
{
    const char *dot = strchr(s, '.');
    return dot ? (size_t)(dot - s) : strlen(s);
}

/* Emits, as members of the currently open object, every entry whose name
 * starts with `prefix` (of length plen, including its trailing dot), among
 * entries [from, count). Entries are marked done by clearing their name. */
static void stat_emit_level(JsonBuf *j, StatList *l, size_t from, const char *prefix, size_t plen,
                            const char *detect_engines)
{
    for (size_t i = from; i < l->count; i++) {
        const char *name = l->items[i].name;
        if (!name[0] || strncmp(name, prefix, plen) != 0)
            continue;
        const char *rest = name + plen;
        size_t clen = first_component(rest);
        char comp[160];
        memcpy(comp, rest, clen);
        comp[clen] = '\0';
        if (rest[clen] == '\0') {
            jb_uint(j, comp, l->items[i].value);
            l->items[i].name[0] = '\0';
            continue;
        }
        char sub[200];
        snprintf(sub, sizeof(sub), "%.*s%s.", (int)plen, prefix, comp);
        jb_open_object(j, comp);
        if (plen == 0 && strcmp(comp, "detect") == 0 && detect_engines) /* reload: Suricata 8's detect.engines */
            jb_raw(j, "engines", detect_engines, strlen(detect_engines));
        stat_emit_level(j, l, i, sub, strlen(sub), NULL);
        jb_close_object(j);
    }
}

/* Appends the anomaly counters Suricata lists with stats.decoder-events
 * (stream = false) or stats.stream-events (stream = true). */
static void add_event_counters(StatList *l, const Counters *c, const StatsSettings *ss, bool stream)
{
    for (int e = 0; e < DEV_MAX; e++) {
        if (decode_event_stats_is_stream((DecodeEvent)e) != stream)
            continue;
        char name[160];
        if (decode_event_stats_name((DecodeEvent)e, ss->decoder_events_prefix, name, sizeof(name)))
            stat_add(l, name, c->events[e]);
    }
}

/* use * 100 / cap, 0 without a cap */
static uint64_t percent(uint64_t use, uint64_t cap)
{
    return cap ? (use >= cap ? 100 : use * 100 / cap) : 0;
}

static void add_memcap_pressure(Eve *eve, StatList *l, const Counters *c, const StatsSettings *ss)
{
    uint64_t p = percent(c->v[CTR_FLOW_MEMUSE], ss->flow_memcap);
    uint64_t q = percent(c->v[CTR_TCP_MEMUSE], ss->stream_memcap);
    p = q > p ? q : p;
    q = percent(c->v[CTR_TCP_REASSEMBLY_MEMUSE], ss->reassembly_memcap);
    p = q > p ? q : p;
    q = percent(c->v[CTR_DEFRAG_MEMUSE], ss->defrag_memcap);
    p = q > p ? q : p;
    if (p > eve->memcap_pressure_max)
        eve->memcap_pressure_max = p;
    stat_add(l, "memcap.pressure", p);
    stat_add(l, "memcap.pressure_max", eve->memcap_pressure_max);
}

void eve_log_stats(Eve *eve, JsonBuf *j, const Counters *c, const StatsSettings *ss, OdTime ts, uint64_t uptime)
{
    if (!eve->file || !eve->cfg.stats)
        return;
    StatList l = { 0 };
    for (int i = 0; i < CTR_MAX; i++) {
        uint64_t v = c->v[i];
        /* capture.* counters exist for live capture only */
        if ((i == CTR_CAPTURE_KERNEL_PACKETS || i == CTR_CAPTURE_KERNEL_DROPS) && !eve->in_iface)
            continue;
        /* ips.* counters exist in IPS mode only */
        if (i >= CTR_IPS_ACCEPTED && i <= CTR_IPS_DROP_REASON_EXCEPTION_POLICY_FLOW_DROP && !eve->inline_ips)
            continue;
        /* pcap_log.* exist with pcap-log on */
        if ((i == CTR_PCAP_LOG_WRITTEN || i == CTR_PCAP_LOG_FILTERED_BPF) && !eve->pcap_log_on)
            continue;
        /* exception_policy.* exist for targets with a policy (eve.h) */
        if (i >= CTR_EXC_DEFRAG_MEMCAP_PASS_PACKET && i <= CTR_EXC_APP_LAYER_ERROR_REJECT &&
                !(ss->exception_counters & (1ull << (i - CTR_EXC_DEFRAG_MEMCAP_PASS_PACKET))))
            continue;
        if (i == CTR_FTP_MEMUSE) /* process-wide, kept by the FTP parser */
            v = ftp_memuse();
        if (i == CTR_FTP_MEMCAP)
            v = ftp_memcap_hits();
        if (i == CTR_FILE_STORE_FS_ERRORS) { /* process-wide, kept by the store */
            if (!filestore_enabled())
                continue;
            v = filestore_fs_errors();
        }
        if (counter_kind((CounterId)i) == CTR_KIND_AVG) {
            /* decoder.avg_pkt_size = bytes / packets */
            v = c->v[CTR_DECODER_PKTS] ? c->v[CTR_DECODER_BYTES] / c->v[CTR_DECODER_PKTS] : 0;
        }
        stat_add(&l, counter_name((CounterId)i), v);
        if (i == CTR_DECODER_TOO_MANY_LAYERS && ss->decoder_events)
            add_event_counters(&l, c, ss, false);
    }
    if (ss->stream_events)
        add_event_counters(&l, c, ss, true);
    add_memcap_pressure(eve, &l, c, ss);
    if (!eve->cfg.stats_null_values) { /* an object with no entry is never opened */
        size_t n = 0;
        for (size_t i = 0; i < l.count; i++)
            if (l.items[i].value)
                l.items[n++] = l.items[i];
        l.count = n;
    }

    char tbuf[64];
    jb_reset(j);
    jb_open_object(j, NULL);
    jb_str(j, "timestamp", od_time_format(ts, tbuf, sizeof(tbuf)));
    jb_str(j, "event_type", "stats");
    jb_open_object(j, "stats");
    jb_uint(j, "uptime", uptime);
    stat_emit_level(j, &l, 0, "", 0, eve->stats_detect_engines);
    jb_close_object(j);
    eve_write_record(eve, j, false);
    free(l.items);
}
