/*
 * The packet headers kept with stored TCP segments, and the walk over a
 * direction's segments that pcap-log's conditional modes write at a flow's
 * first alert (contract in stream.h, stream_tcp_for_each_segment).
 *
 * Suricata, once pcap-log runs in `conditional: alerts` or `tag`, keeps
 * with every segment it stores the bytes of its packet in front of the
 * payload (link layer, IP and TCP headers) and the packet's time; at a
 * flow's first alerting TCP packet pcap-log writes each segment still held
 * for the other direction as those headers followed by the segment's
 * stored bytes. Here the headers are kept only when the worker asks for
 * them (StreamThread.keep_segment_headers), and charged to the reassembly
 * memory like the segment itself: when they do not fit, the segment is
 * still stored, without them, and is not written. Not done: segments of
 * tunnelled or reassembled packets (Suricata writes the wire packet's
 * bytes in front of the inner payload) keep no headers, so are not
 * written.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "stream/stream-private.h"
#include "stream/stream-store.h"

/* The header and the segment's pointer to it (not in the segment's own
 * charge, stream-store.c). */
static size_t header_charge(uint32_t len)
{
    return sizeof(TcpSegHeader) + len + sizeof(TcpSegHeader *);
}

void stream_seg_keep_header(StreamThread *st, TcpSeg *seg, const Packet *p)
{
    /* a packet derived from another (tunnel payload, reassembled datagram)
     * holds a copy, not the wire packet's bytes: it keeps none */
    if (!st->keep_segment_headers || seg->hdr || p->root || p->payload_off > p->len)
        return;
    uint32_t len = p->payload_off;
    size_t size = header_charge(len);
    if (!store_reserve(st, size))
        return;
    TcpSegHeader *h = malloc(sizeof(TcpSegHeader) + len);
    if (!h) {
        store_release(st, size);
        return;
    }
    h->ts = p->ts;
    h->len = len;
    memcpy(h->bytes, p->buf, len);
    seg->hdr = h;
}

void stream_seg_free_header(StreamThread *st, TcpSeg *seg)
{
    if (!seg->hdr)
        return;
    store_release(st, header_charge(seg->hdr->len));
    free(seg->hdr);
    seg->hdr = NULL;
}

/* The next segment of a list that kept its headers, from s on. */
static const TcpSeg *with_header(const TcpSeg *s)
{
    while (s && (!s->hdr || s->len == 0))
        s = s->next;
    return s;
}

static bool pass_segment(const TcpStream *stream, const TcpSeg *s, StreamSegmentFn fn, void *ctx)
{
    /* bytes already handed on and freed cannot be written */
    if (s->off < stream->base_off)
        return false;
    uint8_t stackbuf[2048];
    uint8_t *buf = s->len <= sizeof(stackbuf) ? stackbuf : malloc(s->len);
    if (!buf)
        return false;
    bool ok = store_read_exact(stream, s->off, buf, s->len);
    if (ok)
        fn(ctx, s->hdr->ts, s->hdr->bytes, s->hdr->len, buf, s->len);
    if (buf != stackbuf)
        free(buf);
    return ok;
}

uint32_t stream_tcp_for_each_segment(const Flow *f, StreamSegmentFn fn, void *ctx)
{
    if (!f || !f->tcp)
        return 0;
    const TcpSession *ssn = f->tcp;
    const TcpSeg *c = with_header(ssn->client.seg_head);
    const TcpSeg *s = with_header(ssn->server.seg_head);
    uint32_t passed = 0;
    while (c || s) {
        /* the client's first only when its packet is strictly earlier */
        if (c && (!s || c->hdr->ts < s->hdr->ts)) {
            passed += pass_segment(&ssn->client, c, fn, ctx);
            c = with_header(c->next);
        } else {
            passed += pass_segment(&ssn->server, s, fn, ctx);
            s = with_header(s->next);
        }
    }
    return passed;
}
