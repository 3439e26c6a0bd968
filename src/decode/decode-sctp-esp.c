/*
 * The two transports Suricata tracks in flows without parsing further:
 * SCTP (RFC 9260) and IPsec ESP (RFC 4303).
 *
 * SCTP common header, 12 bytes:      ESP header, 8 bytes:
 *   +--------------+--------------+     +-----------------------------+
 *   | source port  | dest port    |     | Security Parameters Index   |
 *   +--------------+--------------+     +-----------------------------+
 *   |      verification tag       |     |       sequence number       |
 *   |          checksum           |     +-----------------------------+
 *   +-----------------------------+     | payload (encrypted) ...
 *
 * A short header is sctp.pkt_too_small / esp.pkt_too_small and makes the
 * packet invalid. The payload is what follows the header.
 */
#include "decode/decode-internal.h"

#define SCTP_HEADER_LEN 12
#define ESP_HEADER_LEN 8

int decode_sctp(DecodeCtx *c, uint32_t off, uint32_t len)
{
    Packet *p = c->p;
    dc_count(c, CTR_DECODER_SCTP);
    if (len < SCTP_HEADER_LEN) {
        dc_invalid(c, DEV_SCTP_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    const uint8_t *h = dc_data(c, off);
    p->sp = rd_be16(h);
    p->dp = rd_be16(h + 2);
    p->proto = IPPROTO_NUM_SCTP;
    p->l4_off = off;
    p->l4_len = len;
    p->payload_off = off + SCTP_HEADER_LEN;
    p->payload_len = len - SCTP_HEADER_LEN;
    p->flow_ok = true;
    return DECODE_OK;
}

int decode_esp(DecodeCtx *c, uint32_t off, uint32_t len)
{
    Packet *p = c->p;
    dc_count(c, CTR_DECODER_ESP);
    if (!dc_layer(c))
        return DECODE_FAILED;
    if (len < ESP_HEADER_LEN) {
        dc_invalid(c, DEV_ESP_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    p->esp_spi = rd_be32(dc_data(c, off));
    p->proto = IPPROTO_NUM_ESP;
    p->l4_off = off;
    p->l4_len = len;
    p->payload_off = off + ESP_HEADER_LEN;
    p->payload_len = len - ESP_HEADER_LEN;
    p->flow_ok = true;
    return DECODE_OK;
}
