/*
 * SSH binary packet framing, RFC 4253 section 6:
 *
 *   uint32 packet_length; byte padding_length; byte[n1] payload
 *   (first byte = message code); byte[n2] random padding; MAC
 *
 * Before NEWKEYS there is no MAC. Emulating Suricata's parse_record, each
 * record header (length, padding length, message code: 6 bytes) is read,
 * a packet_length below 2 raises invalid_record and stops the flow, the
 * record body is skipped, except SSH_MSG_KEXINIT which, when HASSH is on,
 * is collected (up to SSH_MAX_REASSEMBLED_RECORD_LEN, else long_kex_record)
 * and handed to ssh-kex.c. SSH_MSG_NEWKEYS finishes the direction: what
 * follows is encrypted and ignored.
 *
 * frames: each record is marked as three frames (app/frames.h), as
 * Suricata's SSH parser does: ssh.record.pdu (the whole binary packet,
 * 4 + packet_length bytes, MAC aside), ssh.record.hdr (the 6 header bytes)
 * and ssh.record.data (the packet_length - 2 bytes after the header), all
 * belonging to the flow's single transaction.
 */
#include "app/ssh/ssh-internal.h"
#include "app/frame-types.h" /* frames */
#include "app/frames.h" /* frames */
#include "util/bytes.h"

static void kex_done(SshHdr *h, bool to_server, uint8_t padding)
{
    uint32_t plen = h->pending.len;
    /* payload after the message code, without the random padding */
    if (padding <= plen)
        plen -= padding;
    ssh_kex_hassh(h, to_server, h->pending.data ? h->pending.data : (const uint8_t *)"", plen);
    ssh_buf_free(&h->pending);
    h->collecting_kex = false;
}

/* frames: the record whose 6-byte header starts `hdr_rel` bytes from the
 * first byte of the parse call. */
static void mark_frames(int64_t hdr_rel, uint32_t pkt_len)
{
    int64_t ids[3] = {
        app_frame_open(SSH_FRAME_RECORD_PDU, hdr_rel, 4 + (int64_t)pkt_len),
        app_frame_open(SSH_FRAME_RECORD_HDR, hdr_rel, SSH_RECORD_HEADER_LEN),
        app_frame_open(SSH_FRAME_RECORD_DATA, hdr_rel + SSH_RECORD_HEADER_LEN, (int64_t)pkt_len - 2),
    };
    for (int i = 0; i < 3; i++)
        app_frame_set_tx(ids[i], 0);
}

void ssh_record_input(SshState *s, SshHdr *h, SshHdr *other, bool to_server,
                      const uint8_t *d, uint32_t len, uint32_t rel)
{
    (void)other;
    ByteReader r = br_init(d, len);
    while (br_remaining(&r) > 0 && !h->stopped && !s->failed) {
        if (h->record_left > 0) {
            size_t n = br_remaining(&r);
            if (n > h->record_left)
                n = h->record_left;
            const uint8_t *p = NULL;
            br_bytes(&r, n, &p);
            if (h->collecting_kex && !ssh_buf_append(&h->pending, p, (uint32_t)n)) {
                ssh_buf_free(&h->pending); /* memcap: give up on HASSH */
                h->collecting_kex = false;
            }
            h->record_left -= (uint32_t)n;
            if (h->record_left == 0 && h->collecting_kex)
                kex_done(h, to_server, h->hdr[4]);
            continue;
        }
        size_t want = SSH_RECORD_HEADER_LEN - h->hdr_have;
        if (want > br_remaining(&r))
            want = br_remaining(&r);
        br_copy(&r, h->hdr + h->hdr_have, want);
        h->hdr_have += (uint32_t)want;
        if (h->hdr_have < SSH_RECORD_HEADER_LEN)
            break;
        h->hdr_have = 0;
        uint32_t pkt_len = rd_be32(h->hdr);
        uint8_t msg = rd_u8(h->hdr + 5);
        if (pkt_len <= 1) {
            ssh_set_event(s, SSH_EVENT_INVALID_RECORD);
            s->failed = true;
            return;
        }
        h->record_left = pkt_len - 2;
        mark_frames((int64_t)rel + (int64_t)r.pos - SSH_RECORD_HEADER_LEN, pkt_len); /* frames */
        if (msg == SSH_MSG_NEWKEYS) {
            h->flags = SSH_STATE_FINISHED;
            h->stopped = true;
            return;
        }
        if (msg == SSH_MSG_KEXINIT && s->hassh && h->hassh.len == 0) {
            if (pkt_len > SSH_MAX_REASSEMBLED_RECORD_LEN) {
                ssh_set_event(s, SSH_EVENT_LONG_KEX_RECORD);
            } else {
                ssh_buf_free(&h->pending);
                h->collecting_kex = true;
                if (h->record_left == 0)
                    kex_done(h, to_server, h->hdr[4]);
            }
        }
    }
}
