/*
 * Inserting a segment's data into a stream, with Suricata's overlap rules
 * (target-based reassembly, Novak & Sturges 2007, as Suricata's
 * stream-tcp-list.c applies them in IDS mode).
 *
 * A new segment that overlaps segments already stored (Suricata looks at
 * the immediate neighbours in sequence order to decide that it overlaps)
 * counts in tcp.overlap. Its bytes are then compared, per overlapped stored
 * segment, with what the stream holds there (only when
 * check-overlap-different-data is on; otherwise they are assumed
 * different), and the policy of the stream decides per stored segment
 * whether the old or the new bytes stay:
 *
 *   new starts before old       -> new wins: bsd, hpux10, irix, windows,
 *                                  windows2k3, old-linux, linux, macos;
 *                                  and solaris, hpux11 when new covers old
 *   new starts at old, ends at or
 *   after its end               -> new wins: old-linux, solaris, hpux11;
 *                                  linux when it ends beyond
 *   new starts after old, ends
 *   beyond it                   -> new wins: solaris, hpux11
 *   last                        -> new always wins; first: old always wins
 *   anything else               -> old wins
 *
 * Different bytes raise `stream.reassembly_overlap_different_data` and
 * tcp.overlap_diff_data (once per packet). An exact duplicate segment is not
 * stored twice. Memory refusal counts tcp.segment_memcap_drop and
 * tcp.insert_data_normal_fail / tcp.insert_data_overlap_fail.
 */
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h" /* the TCP checksum of an inline-rewritten packet */
#include "stream/stream-private.h"
#include "stream/stream-store.h"

/* Immediate neighbours decide whether the new segment overlaps. */
static bool check_overlap(const TcpSeg *s)
{
    uint64_t re = s->off + s->len;
    if (s->next && (s->next->off == s->off || re > s->next->off))
        return true;
    if (s->prev && (s->prev->off == s->off || s->prev->off + s->prev->len > s->off))
        return true;
    return false;
}

/* Applies the policy for one stored segment `list` against the new data
 * [off, off+len) in buf (initially the packet's bytes). Returns true when
 * the bytes differed and differences are being checked. */
static bool handle_overlap(StreamThread *st, TcpStream *stream, const TcpSeg *list, uint64_t off,
        uint32_t len, const uint8_t *pkt, uint8_t *buf)
{
    bool check = st->cfg->check_overlap_different_data || st->cfg->inline_mode;
    uint64_t seg_end = off + len;
    uint64_t list_off = list->off < stream->base_off ? stream->base_off : list->off;
    uint64_t list_end = list->off + list->len;
    uint64_t ov_start = off > list_off ? off : list_off;
    uint64_t ov_end = seg_end < list_end ? seg_end : list_end;
    if (ov_end <= ov_start)
        return false;
    uint32_t ov_len = (uint32_t)(ov_end - ov_start);

    /* what the stream holds there now */
    uint8_t stackbuf[2048];
    uint8_t *old = ov_len <= sizeof(stackbuf) ? stackbuf : malloc(ov_len);
    if (!old)
        return false;
    bool have_old = store_read_exact(stream, ov_start, old, ov_len);
    bool different = true;
    if (check) {
        different = have_old && memcmp(old, pkt + (ov_start - off), ov_len) != 0;
    }
    bool use_new = false;
    uint8_t pol = stream->os_policy;
    if (st->cfg->inline_mode) {
        use_new = false; /* inline: what was accepted first stays */
    } else if (pol == STREAM_OS_LAST) {
        use_new = true;
    } else if (pol == STREAM_OS_FIRST) {
        use_new = false;
    } else if (off == list->off) {
        if (seg_end >= list_end) {
            if (seg_end > list_end && pol == STREAM_OS_LINUX)
                use_new = true;
            if (pol == STREAM_OS_OLD_LINUX || pol == STREAM_OS_SOLARIS || pol == STREAM_OS_HPUX11)
                use_new = true;
        }
    } else if (off < list->off) {
        if (seg_end >= list_end && (pol == STREAM_OS_SOLARIS || pol == STREAM_OS_HPUX11))
            use_new = true;
        switch (pol) {
        case STREAM_OS_BSD:
        case STREAM_OS_HPUX10:
        case STREAM_OS_IRIX:
        case STREAM_OS_WINDOWS:
        case STREAM_OS_WINDOWS2K3:
        case STREAM_OS_OLD_LINUX:
        case STREAM_OS_LINUX:
        case STREAM_OS_MACOS:
            use_new = true;
            break;
        default:
            break;
        }
    } else if (seg_end > list_end && (pol == STREAM_OS_SOLARIS || pol == STREAM_OS_HPUX11)) {
        use_new = true;
    }
    if (different && !use_new && have_old)
        memcpy(buf + (ov_start - off), old, ov_len);
    if (old != stackbuf)
        free(old);
    return check && different;
}

/* Walks the stored segments around `handle` (Suricata's
 * DoHandleDataCheckBackwards/Forward) and applies the policy to buf. */
static bool handle_data(StreamThread *st, TcpStream *stream, const TcpSeg *handle, uint64_t off,
        uint32_t len, const uint8_t *pkt, uint8_t *buf)
{
    bool diff = false;
    bool is_head = handle->prev == NULL, is_tail = handle->next == NULL;
    if (!is_head) {
        for (const TcpSeg *t = handle->prev; t; t = t->prev) {
            if (t->off + t->len <= stream->base_off)
                continue;
            if (t->off + t->len <= off)
                break;
            diff |= handle_overlap(st, stream, t, off, len, pkt, buf);
        }
    }
    if (!is_tail) {
        uint64_t re = off + len;
        for (const TcpSeg *t = handle->next; t; t = t->next) {
            if (re <= t->off)
                break;
            diff |= handle_overlap(st, stream, t, off, len, pkt, buf);
        }
    }
    return diff;
}

/* Inline mode: the bytes already in the stream win over a packet that
 * overlaps them with other data; copies them into buf. True when any did. */
static bool inline_keep_stream_data(const TcpStream *stream, uint64_t off, uint32_t len, uint8_t *buf)
{
    bool kept = false;
    const uint64_t end = off + len;
    for (const TcpBlock *b = store_block_at_or_after(stream, off); b && b->off < end; b = b->next) {
        uint64_t from = b->off > off ? b->off : off;
        uint64_t to = b->off + b->len < end ? b->off + b->len : end;
        memcpy(buf + (from - off), b->data + (from - b->off), (size_t)(to - from));
        kept = true;
    }
    return kept;
}

int stream_insert(StreamThread *st, TcpSession *ssn, TcpStream *stream, Packet *p, uint32_t seq,
        const uint8_t *data, uint32_t len)
{
    (void)ssn;
    int64_t rel = (int64_t)seq_diff(seq, stream->base_seq);
    int64_t off_s = (int64_t)stream->base_off + rel;
    if (off_s + (int64_t)len <= (int64_t)stream->base_off || len == 0)
        return 0; /* entirely before what we keep */
    if (off_s < (int64_t)stream->base_off) {
        uint32_t cut = (uint32_t)((int64_t)stream->base_off - off_s);
        data += cut;
        len -= cut;
        off_s = (int64_t)stream->base_off;
    }
    uint64_t off = (uint64_t)off_s;
    stream->flags |= STF_HAS_DATA;
    if (p) { /* the packet's span in the stream (pieces of one packet are adjacent) */
        if (p->stream_len == 0 || off < p->stream_off)
            p->stream_off = off;
        p->stream_len = (uint32_t)(off + len - p->stream_off);
    }

    TcpSeg *seg = NULL, *dup = NULL;
    int r = store_seg_insert(st, stream, off, len, &seg, &dup);
    if (r < 0) {
        if (st->ctr)
            ctr_inc(st->ctr, CTR_TCP_SEGMENT_MEMCAP_DROP);
        stream_event(st, p, DEV_STREAM_REASSEMBLY_NO_SEGMENT);
        return -1;
    }
    if (seg && p && st->keep_segment_headers)
        stream_seg_keep_header(st, seg, p);
    bool overlap = (r == 2) || check_overlap(seg);
    if (!overlap) {
        if (store_write(st, stream, off, data, len) != 0) {
            if (st->ctr) {
                ctr_inc(st->ctr, CTR_TCP_SEGMENT_MEMCAP_DROP);
                ctr_inc(st->ctr, CTR_TCP_INSERT_DATA_NORMAL_FAIL);
            }
            store_seg_remove(st, stream, seg);
            return -1;
        }
        return 0;
    }

    if (st->ctr)
        ctr_inc(st->ctr, CTR_TCP_OVERLAP);
    uint8_t stackbuf[4096];
    uint8_t *buf = len <= sizeof(stackbuf) ? stackbuf : malloc(len);
    if (!buf) {
        if (seg)
            store_seg_remove(st, stream, seg);
        return -1;
    }
    memcpy(buf, data, len);
    const TcpSeg *handle = dup ? dup : seg;
    bool diff = false;
    if (dup)
        diff |= handle_overlap(st, stream, dup, off, len, data, buf);
    diff |= handle_data(st, stream, handle, off, len, data, buf);
    if (diff) {
        stream_event(st, p, DEV_STREAM_REASSEMBLY_OVERLAP_DIFFERENT_DATA);
        if (st->ctr)
            ctr_inc(st->ctr, CTR_TCP_OVERLAP_DIFF_DATA);
    }
    if (st->cfg->inline_mode && inline_keep_stream_data(stream, off, len, buf) && p &&
        memcmp(buf, data, len) != 0 && data >= p->buf && data + len <= p->buf + p->len) {
        /* inline: the packet goes on with the stream's bytes, as
         * Suricata's StreamTcpInlineSegmentReplacePacket */
        memcpy(p->buf + (data - p->buf), buf, len);
        decode_tcp_checksum_update(p);
    }
    int rc = 0;
    if (store_write(st, stream, off, buf, len) != 0) {
        if (st->ctr) {
            ctr_inc(st->ctr, CTR_TCP_SEGMENT_MEMCAP_DROP);
            ctr_inc(st->ctr, CTR_TCP_INSERT_DATA_OVERLAP_FAIL);
        }
        if (seg)
            store_seg_remove(st, stream, seg);
        rc = -1;
    }
    if (buf != stackbuf)
        free(buf);
    return rc;
}
