/*
 * Tunnels carried in UDP: Teredo (RFC 4380), VXLAN (RFC 7348) and Geneve
 * (RFC 8926). Each is tried only on its configured ports and only claims a
 * payload that looks like it; otherwise the UDP packet is left alone.
 *
 * Teredo: an IPv6 packet, optionally after an 8-byte origin indication
 * (0x00 0x00 ...). There is no marker, so Suricata accepts it only when the
 * IPv6 payload length accounts for exactly the rest of the UDP payload, the
 * hop limit is not 0 and a hop-by-hop header (next header 0) comes with at
 * least 8 bytes; an inner packet that decodes as invalid is dropped too.
 *
 * VXLAN, 8 bytes then an Ethernet frame:
 *   +--------+--------+--------+--------+
 *   |R|R|R|R|I|R|R|R|    reserved (24)  |
 *   +--------+--------+--------+--------+
 *   |     VNI (24)             |reserved|
 *   +--------+--------+--------+--------+
 * The I flag must be set and the last reserved byte zero (Suricata 8).
 * IPv4, IPv6 and VLAN inner frames are decoded; ARP is taken without a
 * derived packet; other ethertypes raise vxlan.unknown_payload_type.
 *
 * Geneve, 8 bytes plus options:
 *   +---+------+-+-+--------+----------------+
 *   |Ver|OptLen|O|C| rsvd   | protocol type  |
 *   +---+------+-+-+--------+----------------+
 *   |        VNI (24)       |    reserved    |
 *   +-----------------------+----------------+
 * Version 0, zero reserved bits and option lengths adding up to OptLen
 * (4-byte words) are required. IPv4, IPv6 and Ethernet (0x6558) are
 * decoded; ARP is taken; others raise geneve.unknown_payload_type.
 */
#include "decode/decode-internal.h"

#define TEREDO_ORIG_INDICATION_LENGTH 8
#define VXLAN_HEADER_LEN 8
#define GENEVE_MIN_HEADER_LEN 8
#define GENEVE_MIN_OPT_LEN 4

static bool port_in(const uint16_t *ports, uint8_t count, uint16_t port)
{
    for (uint8_t i = 0; i < count && i < 4; i++) {
        if (ports[i] == port)
            return true;
    }
    return false;
}

bool decode_teredo_port(const DecodeConfig *cfg, uint16_t sp, uint16_t dp)
{
    if (!cfg->teredo_enabled)
        return false;
    if (cfg->teredo_ports_any)
        return true;
    return port_in(cfg->teredo_ports, cfg->teredo_port_count, sp) ||
           port_in(cfg->teredo_ports, cfg->teredo_port_count, dp);
}

bool decode_vxlan_port(const DecodeConfig *cfg, uint16_t dp)
{
    return cfg->vxlan_enabled && port_in(cfg->vxlan_ports, cfg->vxlan_port_count, dp);
}

bool decode_geneve_port(const DecodeConfig *cfg, uint16_t sp, uint16_t dp)
{
    return cfg->geneve_enabled && (port_in(cfg->geneve_ports, cfg->geneve_port_count, sp) ||
                                   port_in(cfg->geneve_ports, cfg->geneve_port_count, dp));
}

int decode_teredo(DecodeCtx *c, uint32_t off, uint32_t len)
{
    if (len < IPV6_HEADER_LEN)
        return DECODE_FAILED;
    const uint8_t *h = dc_data(c, off);
    uint32_t skip = 0;
    if (h[0] == 0x00) {
        if (h[1] != 0x00)
            return DECODE_FAILED; /* authentication or something else */
        if (len < TEREDO_ORIG_INDICATION_LENGTH + IPV6_HEADER_LEN)
            return DECODE_FAILED;
        skip = TEREDO_ORIG_INDICATION_LENGTH;
    }
    const uint8_t *ip6 = h + skip;
    if ((ip6[0] >> 4) != 6)
        return DECODE_FAILED;
    if (ip6[7] == 0)
        return DECODE_FAILED; /* hop limit 0: most likely not Teredo */
    uint16_t plen = rd_be16(ip6 + 4);
    if (ip6[6] == 0 && plen < 8)
        return DECODE_FAILED;
    if (len != (uint32_t)IPV6_HEADER_LEN + plen + skip)
        return DECODE_FAILED;
    if (decode_tunnel(c, off + skip, len - skip, TUNNEL_IPV6_TEREDO, PKT_SRC_DECODER_TEREDO) == NULL)
        return DECODE_FAILED;
    dc_count(c, CTR_DECODER_TEREDO);
    return DECODE_OK;
}

int decode_vxlan(DecodeCtx *c, uint32_t off, uint32_t len)
{
    if (len < VXLAN_HEADER_LEN + ETHERNET_HEADER_LEN)
        return DECODE_FAILED;
    if (!dc_layer(c))
        return DECODE_FAILED;
    const uint8_t *h = dc_data(c, off);
    if ((h[0] & 0x08) == 0 || h[7] != 0)
        return DECODE_FAILED;
    dc_count(c, CTR_DECODER_VXLAN);

    uint16_t eth_type = rd_be16(h + VXLAN_HEADER_LEN + 12);
    TunnelProto proto;
    switch (eth_type) {
    case ETHERTYPE_ARP:
        return DECODE_OK;
    case ETHERTYPE_IPV4:
        proto = TUNNEL_IPV4;
        break;
    case ETHERTYPE_IPV6:
        proto = TUNNEL_IPV6;
        break;
    case ETHERTYPE_VLAN:
    case ETHERTYPE_8021AD:
    case ETHERTYPE_8021QINQ:
        proto = TUNNEL_VLAN;
        break;
    default:
        dc_invalid(c, DEV_VXLAN_UNKNOWN_PAYLOAD_TYPE);
        return DECODE_OK;
    }
    uint32_t hl = VXLAN_HEADER_LEN + ETHERNET_HEADER_LEN;
    decode_tunnel(c, off + hl, len - hl, proto, PKT_SRC_DECODER_VXLAN);
    return DECODE_OK;
}

/* Option headers (class 2, type 1, flags|length 1, data length*4) must
 * exactly fill the options area. */
static bool geneve_options_fit(const uint8_t *opts, uint32_t optlen)
{
    uint32_t pos = 0;
    while (pos < optlen) {
        if (optlen - pos < GENEVE_MIN_OPT_LEN)
            return false;
        pos += GENEVE_MIN_OPT_LEN + (uint32_t)(opts[pos + 3] & 0x1f) * 4;
    }
    return pos == optlen;
}

int decode_geneve(DecodeCtx *c, uint32_t off, uint32_t len)
{
    if (len < GENEVE_MIN_HEADER_LEN)
        return DECODE_FAILED;
    if (!dc_layer(c))
        return DECODE_FAILED;
    const uint8_t *h = dc_data(c, off);
    uint32_t optlen = (uint32_t)(h[0] & 0x3f) * 4;
    uint32_t hl = GENEVE_MIN_HEADER_LEN + optlen;
    if (len < hl)
        return DECODE_FAILED;
    if ((h[0] >> 6) != 0)
        return DECODE_FAILED;
    if ((h[1] & 0x3f) != 0 || h[7] != 0)
        return DECODE_FAILED;
    if (!geneve_options_fit(h + GENEVE_MIN_HEADER_LEN, optlen))
        return DECODE_FAILED;
    dc_count(c, CTR_DECODER_GENEVE);

    TunnelProto proto;
    switch (rd_be16(h + 2)) {
    case ETHERTYPE_IPV4:
        proto = TUNNEL_IPV4;
        break;
    case ETHERTYPE_IPV6:
        proto = TUNNEL_IPV6;
        break;
    case ETHERTYPE_BRIDGE:
        proto = TUNNEL_ETHERNET;
        break;
    case ETHERTYPE_ARP:
        return DECODE_OK;
    default:
        dc_invalid(c, DEV_GENEVE_UNKNOWN_PAYLOAD_TYPE);
        return DECODE_OK;
    }
    decode_tunnel(c, off + hl, len - hl, proto, PKT_SRC_DECODER_GENEVE);
    return DECODE_OK;
}
