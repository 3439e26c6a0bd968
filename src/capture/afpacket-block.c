/*
 * TPACKET_V3 block walking (contract in afpacket-block.h). Headers are
 * copied out of the block with memcpy after a bounds check, never read in
 * place, so alignment and size are never assumed.
 */
#include "capture/afpacket-block.h"

#include <linux/if_packet.h>
#include <string.h>

#include "util/bytes.h"

bool afp_block_begin(const uint8_t *block, size_t block_size, AfpBlockCursor *c)
{
    memset(c, 0, sizeof(*c));
    struct tpacket_block_desc bd;
    if (block_size < sizeof(bd))
        return false;
    memcpy(&bd, block, sizeof(bd));
    c->pkts_left = bd.hdr.bh1.num_pkts;
    c->next_off = bd.hdr.bh1.offset_to_first_pkt;
    return true;
}

int afp_block_next(const uint8_t *block, size_t block_size, AfpBlockCursor *c, AfpFrame *f)
{
    if (c->pkts_left == 0)
        return 0;
    const size_t sll_off = TPACKET_ALIGN(sizeof(struct tpacket3_hdr));
    ByteReader r = br_init(block, block_size);
    if (!br_skip(&r, c->next_off) || !br_has(&r, sll_off + sizeof(struct sockaddr_ll))) {
        c->pkts_left = 0;
        return -1;
    }
    struct tpacket3_hdr h;
    struct sockaddr_ll sll;
    memcpy(&h, br_cursor(&r), sizeof(h));
    memcpy(&sll, br_cursor(&r) + sll_off, sizeof(sll));
    if (!br_skip(&r, h.tp_mac) || !br_has(&r, h.tp_snaplen) || h.tp_snaplen > AFP_MAX_FRAME) {
        c->pkts_left = 0;
        return -1;
    }
    memset(f, 0, sizeof(*f));
    f->data = br_cursor(&r);
    f->len = h.tp_snaplen;
    f->wire_len = h.tp_len < h.tp_snaplen ? h.tp_snaplen : h.tp_len;
    f->ts = (OdTime)h.tp_sec * OD_USEC_PER_SEC + h.tp_nsec / 1000;
    f->outgoing = sll.sll_pkttype == PACKET_OUTGOING;
    if (h.tp_status & TP_STATUS_VLAN_VALID) {
        f->has_vlan = true;
        f->vlan_tci = (uint16_t)h.hv1.tp_vlan_tci;
        f->vlan_tpid = (h.tp_status & TP_STATUS_VLAN_TPID_VALID) && h.hv1.tp_vlan_tpid ? (uint16_t)h.hv1.tp_vlan_tpid
                                                                                       : 0x8100;
    }
    c->pkts_left--;
    /* the next packet must lie further on, inside the block: this also
     * bounds the walk by the block size whatever num_pkts says */
    if (h.tp_next_offset < sll_off + sizeof(sll) || (uint64_t)c->next_off + h.tp_next_offset >= block_size)
        c->pkts_left = 0;
    else
        c->next_off += h.tp_next_offset;
    return 1;
}
