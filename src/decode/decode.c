/*
 * The decoder's entry point: picks the first layer from the capture's link
 * type, keeps the wire-level counters and finishes a decoded packet.
 *
 * Suricata's pcap-file reader counts decoder.pkts/bytes/avg/max_pkt_size
 * before decoding and decoder.invalid after, for capture packets only; the
 * per-layer counters are bumped by each layer decoder. Link types are the
 * ones Suricata's pcap-file source accepts (Ethernet, Linux SLL and SLL2,
 * PPP, raw IPv4/IPv6 under its several numbers, GRE-over-IP, BSD null,
 * Cisco HDLC) plus DLT_LOOP, which differs from null only in byte order.
 */
#include "decode/decode.h"

#include "decode/decode-internal.h"

#define DEFAULT_MAX_LAYERS 16

void decode_config_defaults(DecodeConfig *cfg)
{
    *cfg = (DecodeConfig){
        .checksum_validate = true,
        .max_layers = DEFAULT_MAX_LAYERS,
        .vlan_use_for_tracking = true,
        .teredo_enabled = true,
        .vxlan_enabled = true,
        .geneve_enabled = true,
        .teredo_ports_any = false,
        .teredo_ports = { 3544 },
        .teredo_port_count = 1,
        .vxlan_ports = { 4789 },
        .vxlan_port_count = 1,
        .geneve_ports = { 6081 },
        .geneve_port_count = 1,
    };
}

void decode_set_event(DecodeThread *dt, Packet *p, DecodeEvent ev)
{
    if (!packet_add_event(p, ev))
        return;
    if (dt == NULL || dt->ctr == NULL)
        return;
    dt->ctr->events[ev]++;
    if (ev == DEV_GENERIC_TOO_MANY_LAYERS)
        ctr_inc(dt->ctr, CTR_DECODER_TOO_MANY_LAYERS);
}

bool dc_layer(DecodeCtx *c)
{
    int max = c->dt->cfg && c->dt->cfg->max_layers > 0 ? c->dt->cfg->max_layers : DEFAULT_MAX_LAYERS;
    c->layers++;
    if (c->layers >= max) {
        dc_invalid(c, DEV_GENERIC_TOO_MANY_LAYERS);
        return false;
    }
    return true;
}

/* A packet that does not come from the capture and was not decoded by the
 * tunnel or defrag paths: decode it from its IP header at l3_off. */
static void decode_from_ip(DecodeCtx *c)
{
    Packet *p = c->p;
    if (p->l3_off >= p->len)
        return;
    uint32_t len = p->len - p->l3_off;
    if (len > 65535)
        len = 65535;
    uint8_t ver = p->buf[p->l3_off] >> 4;
    if (ver == 4)
        decode_ipv4(c, p->l3_off, len);
    else if (ver == 6)
        decode_ipv6(c, p->l3_off, len);
    else
        dc_event(c, DEV_IPRAW_INVALID_IPV);
}

bool decode_datalink_supported(int datalink)
{
    switch (datalink) {
    case LINKTYPE_ETHERNET:
    case LINKTYPE_LINUX_SLL:
    case LINKTYPE_LINUX_SLL2:
    case LINKTYPE_PPP:
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
    case LINKTYPE_CISCO_HDLC:
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_ALT:
    case LINKTYPE_RAW_LINKTYPE:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
    case LINKTYPE_GRE_OVER_IP:
        return true;
    }
    return false;
}

void decode_packet(DecodeThread *dt, Packet *p)
{
    if (p == NULL || p->decoded)
        return;
    p->decoded = true;
    DecodeCtx c = { .dt = dt, .p = p };
    bool wire = p->src == PKT_SRC_WIRE;

    /* Suricata refuses such a capture when it opens it: nothing counted */
    if (wire && !decode_datalink_supported(p->datalink))
        return;

    if (wire) {
        ctr_inc(dt->ctr, CTR_DECODER_PKTS);
        ctr_add(dt->ctr, CTR_DECODER_BYTES, p->len);
        ctr_add(dt->ctr, CTR_DECODER_AVG_PKT_SIZE, p->len);
        ctr_max(dt->ctr, CTR_DECODER_MAX_PKT_SIZE, p->len);
    }

    switch (p->datalink) {
    case LINKTYPE_ETHERNET:
        decode_ethernet(&c, 0, p->len);
        break;
    case LINKTYPE_LINUX_SLL:
        decode_sll(&c, 0, p->len);
        break;
    case LINKTYPE_LINUX_SLL2:
        decode_sll2(&c, 0, p->len);
        break;
    case LINKTYPE_PPP:
        decode_ppp(&c, 0, p->len);
        break;
    case LINKTYPE_NULL:
        decode_null(&c, 0, p->len, false);
        break;
    case LINKTYPE_LOOP:
        decode_null(&c, 0, p->len, true);
        break;
    case LINKTYPE_CISCO_HDLC:
        decode_chdlc(&c, 0, p->len);
        break;
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_ALT:
    case LINKTYPE_RAW_LINKTYPE:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
    case LINKTYPE_GRE_OVER_IP:
        if (wire)
            decode_raw(&c, 0, p->len);
        else
            decode_from_ip(&c);
        break;
    default:
        break;
    }

    if (wire && p->invalid)
        ctr_inc(dt->ctr, CTR_DECODER_INVALID);
    if (dt->cfg && dt->cfg->checksum_validate && !p->csum_ignored)
        decode_validate_checksums(p);
}
