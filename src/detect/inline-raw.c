/*
 * The raw stream bytes a TCP packet inspects in inline (IPS) mode, as
 * Suricata's StreamReassembleRawInline picks them: the contiguous stream
 * data holding the packet's own payload, acknowledged or not, cut to the
 * direction's chunk size around the packet (the front cut when the packet
 * ends the data, the tail when it starts it, else both sides sharing what
 * the packet leaves of the chunk). So a match across packets is found on the
 * packet that completes it, and a packet retransmitting stream data sees it
 * again. Packets that add no data (and the flow-end pseudo packets) inspect
 * no stream bytes.
 *
 * The bytes come from the flow's detection window when the packet's data was
 * handed on already, from the stream stage's store when it waits behind a
 * hole, else from the packet itself (the stream data is incomplete).
 */
#include "detect/inline-raw.h"

#include <stdlib.h>

#include "stream/stream.h"

/* The run of bytes after the last hole in the window, [start, len). */
static uint32_t window_run_start(const DetectStreamDir *sd)
{
    return sd->run_start <= sd->len ? sd->run_start : sd->len;
}

/* Copies the stored run around the packet into dt's scratch. */
static bool from_store(DetectThread *dt, const Flow *f, bool to_server, uint64_t left, uint64_t right, uint32_t chunk,
                       const uint8_t **buf, uint32_t *len, uint64_t *off)
{
    const uint64_t lo = left > chunk ? left - chunk : 0;
    const uint64_t hi = right + chunk;
    const uint64_t need = hi - lo;
    if (need > dt->inline_cap) {
        uint8_t *nb = realloc(dt->inline_buf, (size_t)need);
        if (!nb)
            return false;
        dt->inline_buf = nb;
        dt->inline_cap = (uint32_t)need;
    }
    uint64_t start = 0;
    uint32_t n = stream_tcp_copy_stored(f, to_server, left, right, lo, hi, dt->inline_buf, &start);
    if (n == 0)
        return false;
    *buf = dt->inline_buf;
    *len = n;
    *off = start;
    return true;
}

bool detect_inline_raw_window(DetectThread *dt, const DetectStreamDir *sd, const Packet *p, const uint8_t **out,
                              uint32_t *out_len)
{
    uint64_t delivered = 0;
    uint32_t chunk = 0;
    *out = NULL;
    *out_len = 0;
    if (!stream_tcp_inline_raw(p->flow, p->to_server, &delivered, &chunk))
        return false;
    if (!p->stream_add || p->stream_len == 0 || p->payload_len == 0)
        return true;
    const uint64_t left = p->stream_off, right = p->stream_off + p->stream_len;
    const uint32_t plen = p->stream_len;
    if (chunk <= plen)
        chunk = plen + chunk / 10;

    const uint8_t *data = NULL;
    uint32_t len = 0;
    uint64_t off = 0;
    const uint32_t run = window_run_start(sd);
    const uint64_t run_len = sd->buf ? sd->len - run : 0;
    if (right <= delivered && run_len && left >= delivered - run_len) {
        data = sd->buf + run;
        len = (uint32_t)run_len;
        off = delivered - run_len;
    } else if (left < delivered ||
               !from_store(dt, p->flow, p->to_server, left, right, chunk, &data, &len, &off)) {
        /* incomplete stream data: the packet's own payload */
        data = packet_payload(p);
        len = p->payload_len;
        off = left;
    }
    if (len > chunk) {
        const uint64_t data_right = off + len;
        uint32_t front = 0, keep = chunk;
        if (data_right == right) {
            front = len - chunk;
        } else if (off != left) {
            const uint64_t before = left > off ? left - off : 0;
            const uint64_t after = data_right > right ? data_right - right : 0;
            const uint32_t half = (chunk - plen) / 2;
            if (after >= half)
                front = before >= half ? (uint32_t)(before - half) : 0;
            else
                front = (uint32_t)(before - (chunk - after - plen));
        }
        data += front;
        len = keep;
    }
    *out = data;
    *out_len = len;
    return true;
}
