/*
 * Packets derived from the one being decoded: a tunnel's inner packet and a
 * datagram completed by IP defragmentation.
 *
 * Both are decoded as soon as they exist, as Suricata does
 * (PacketTunnelPktSetup / DefragInsertFrag), because that decode decides
 * whether they are kept: an inner packet whose first decoder fails is
 * dropped, and so is a Teredo candidate that comes out invalid. Anomalies of
 * a dropped packet never reach Suricata's counters (they are counted when a
 * packet leaves the flow worker), so they are taken back out here. Kept
 * packets go to the thread's derived list, which is capped; what does not
 * fit is freed and counted in DecodeThread.derived_dropped.
 */
#include <string.h>

#include "decode/decode-internal.h"
#include "defrag/defrag.h"

void decode_add_derived(DecodeThread *dt, Packet *d)
{
    if (dt->derived_count >= DECODE_MAX_DERIVED) {
        dt->derived_dropped++;
        packet_free(d);
        return;
    }
    dt->derived[dt->derived_count++] = d;
}

/* Takes the anomalies of a packet that is being dropped back out of the
 * counters decode_set_event bumped. */
static void uncount_events(DecodeThread *dt, const Packet *p)
{
    for (uint8_t i = 0; i < p->event_count; i++) {
        DecodeEvent ev = (DecodeEvent)p->events[i];
        if (dt->ctr->events[ev])
            dt->ctr->events[ev]--;
        if (ev == DEV_GENERIC_TOO_MANY_LAYERS && dt->ctr->v[CTR_DECODER_TOO_MANY_LAYERS])
            ctr_sub(dt->ctr, CTR_DECODER_TOO_MANY_LAYERS, 1);
    }
}

static int decode_inner(DecodeCtx *tc, TunnelProto proto, uint32_t len)
{
    uint32_t iplen = len > 65535 ? 65535 : len;
    switch (proto) {
    case TUNNEL_IPV4:
        return decode_ipv4(tc, 0, iplen);
    case TUNNEL_IPV6:
    case TUNNEL_IPV6_TEREDO:
        return decode_ipv6(tc, 0, iplen);
    case TUNNEL_PPP:
        return decode_ppp(tc, 0, len);
    case TUNNEL_VLAN:
        return decode_vlan(tc, 0, len);
    case TUNNEL_ETHERNET:
        return decode_ethernet(tc, 0, len);
    case TUNNEL_ERSPAN_I:
        return decode_erspan_type1(tc, 0, len);
    case TUNNEL_ERSPAN_II:
        return decode_erspan(tc, 0, len);
    case TUNNEL_ARP:
        return decode_arp(tc, 0, len);
    }
    return DECODE_OK;
}

Packet *decode_tunnel(DecodeCtx *c, uint32_t off, uint32_t len, TunnelProto proto, PacketSource src)
{
    DecodeThread *dt = c->dt;
    Packet *parent = c->p;
    int max = dt->cfg && dt->cfg->max_layers > 0 ? dt->cfg->max_layers : 16;
    if (c->layers + 1 >= max) {
        dc_invalid(c, DEV_GENERIC_TOO_MANY_LAYERS);
        return NULL;
    }
    if (off > parent->len || len > parent->len - off)
        return NULL;

    Packet *tp = packet_new();
    if (tp == NULL)
        return NULL;
    packet_set_data(tp, parent->buf + off, len);
    tp->wire_len = len;
    tp->datalink = LINKTYPE_RAW;
    tp->ts = parent->ts;
    tp->pcap_cnt = 0;
    tp->src = src;
    tp->root = parent->root ? parent->root : parent;
    tp->tunnel_depth = (uint8_t)(parent->tunnel_depth + 1);
    memcpy(tp->src_mac, parent->src_mac, sizeof(tp->src_mac));
    memcpy(tp->dst_mac, parent->dst_mac, sizeof(tp->dst_mac));
    tp->decoded = true;

    DecodeCtx tc = { .dt = dt, .p = tp, .layers = (uint8_t)(c->layers + 1) };
    int r = decode_inner(&tc, proto, len);
    if (r != DECODE_OK || (proto == TUNNEL_IPV6_TEREDO && tp->invalid)) {
        uncount_events(dt, tp);
        packet_free(tp);
        return NULL;
    }
    tp->csum_ignored = parent->csum_ignored;
    if (dt->cfg && dt->cfg->checksum_validate && !tp->csum_ignored)
        decode_validate_checksums(tp);
    parent->tunnel_parent = true;
    decode_add_derived(dt, tp);
    return tp;
}

void decode_defrag(DecodeCtx *c)
{
    DecodeThread *dt = c->dt;
    if (dt->defrag == NULL)
        return;
    Packet *rp = defrag_insert(dt->defrag, c->p);
    if (rp == NULL)
        return;
    rp->decoded = true;
    DecodeCtx rc = { .dt = dt, .p = rp };
    int r = DECODE_FAILED;
    if (rp->l3_off < rp->len) {
        uint32_t len = rp->len - rp->l3_off;
        if (len > 65535)
            len = 65535;
        uint8_t ver = rp->buf[rp->l3_off] >> 4;
        if (ver == 4)
            r = decode_ipv4(&rc, rp->l3_off, len);
        else if (ver == 6)
            r = decode_ipv6(&rc, rp->l3_off, len);
    }
    if (r != DECODE_OK) {
        uncount_events(dt, rp);
        packet_free(rp);
        return;
    }
    rp->csum_ignored = c->p->csum_ignored;
    if (dt->cfg && dt->cfg->checksum_validate && !rp->csum_ignored)
        decode_validate_checksums(rp);
    decode_add_derived(dt, rp);
}
