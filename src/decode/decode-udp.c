/*
 * UDP header (RFC 768) and the tunnels carried over UDP.
 *
 *    0                   16                  31
 *   +-------------------+-------------------+
 *   |    Source Port    | Destination Port  |
 *   +-------------------+-------------------+
 *   |      Length       |     Checksum      |
 *   +-------------------+-------------------+
 *
 * Fewer than 8 bytes is udp.hlen_too_small, a length field beyond the IP
 * payload udp.pkt_too_small and one below 8 udp.len_invalid; each makes the
 * packet invalid with no UDP layer. Bytes after the length field's end are
 * ignored (Suricata no longer flags a UDP length shorter than the IP
 * payload). Then, in Suricata's order, the payload is tried as Teredo (RFC
 * 4380, when either port is a Teredo port), Geneve (either port) and VXLAN
 * (destination port only, RFC 7348). The UDP packet keeps its flow either
 * way; when a tunnel is found the inner packet is derived from it.
 */
#include "decode/decode-internal.h"

int decode_udp(DecodeCtx *c, uint32_t off, uint32_t len)
{
    Packet *p = c->p;
    dc_count(c, CTR_DECODER_UDP);
    if (len < UDP_HEADER_LEN) {
        dc_invalid(c, DEV_UDP_HLEN_TOO_SMALL);
        return DECODE_FAILED;
    }
    const uint8_t *h = dc_data(c, off);
    uint16_t ulen = rd_be16(h + 4);
    if (len < ulen) {
        dc_invalid(c, DEV_UDP_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    if (ulen < UDP_HEADER_LEN) {
        dc_invalid(c, DEV_UDP_LEN_INVALID);
        return DECODE_FAILED;
    }
    p->sp = rd_be16(h);
    p->dp = rd_be16(h + 2);
    p->proto = IPPROTO_NUM_UDP;
    p->l4_off = off;
    p->l4_len = ulen;
    p->payload_off = off + UDP_HEADER_LEN;
    p->payload_len = (uint32_t)ulen - UDP_HEADER_LEN;
    p->flow_ok = true;

    const DecodeConfig *cfg = c->dt->cfg;
    if (cfg == NULL)
        return DECODE_OK;
    if (decode_teredo_port(cfg, p->sp, p->dp) &&
        decode_teredo(c, p->payload_off, p->payload_len) == DECODE_OK)
        return DECODE_OK;
    if (decode_geneve_port(cfg, p->sp, p->dp) &&
        decode_geneve(c, p->payload_off, p->payload_len) == DECODE_OK)
        return DECODE_OK;
    if (decode_vxlan_port(cfg, p->dp))
        (void)decode_vxlan(c, p->payload_off, p->payload_len);
    return DECODE_OK;
}
